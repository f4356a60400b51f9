/* findings_wb: what the files of the findings workbook share (private to
 * src/report/): findings.c writes the workbook, findings_summary.c its
 * Summary sheet, findings_evidence.c its Evidence sheet. */
#ifndef UDAUDIT_REPORT_FINDINGS_WB_H
#define UDAUDIT_REPORT_FINDINGS_WB_H

#include "report.h"
#include "xlsx.h"

/* The analysis run the workbook shows (runs). */
struct run_info {
	long long run_id;               /* -1: no run */
	char *as_of, *quarter, *rules_dir, *rules_sha256, *agency, *component;
};

/* The Summary sheet: the audit and its totals, counts by class, type and
 * office with charts, what no NARA case covers yet (cov), the quarter-
 * over-quarter trend; as_of dates it when there is no run. 0 or -1. */
int findings_summary_sheet(struct store *st, struct xlsx_sheet *sh, const struct run_info *run,
			   const char *as_of, const struct report_coverage *cov);

/* A sheet of a run (Findings or Evidence): its first part, the parts after
 * it (added beforehand, in the workbook's order) and the rows counted for
 * it (finding_workbook_counts). */
struct sheet_plan {
	struct xlsx *x;
	struct xlsx_sheet *sh;
	struct xlsx_sheet *const *more;
	int nmore;
	long long run_id, rows;
};

/* The Findings sheet, from st (which has temp.workbook_order and
 * temp.case_cover, report_coverage). A row count other than plan->rows
 * fails the workbook: the audit DB changed meanwhile. 0 or -1. */
int findings_list_sheet(struct store *st, const struct sheet_plan *plan, int redact,
			const struct report_coverage *cov);

/* The Evidence sheet, from st (which has temp.workbook_order). A row count other than
 * ev->rows fails the workbook: the audit DB changed meanwhile. 0 or -1. */
int findings_evidence_sheet(struct store *st, const struct sheet_plan *ev);

/* Write it on a thread of its own, with its own read-only connection to
 * st's database; NULL when it cannot (a private ":memory:" database, or
 * UDAUDIT_THREADS=0): the caller writes it with findings_evidence_sheet.
 * After xlsx_number_styles; ev->more must outlive it. */
struct evidence_writer *findings_evidence_start(struct store *st, const struct sheet_plan *ev);
/* Wait for it to end. 0, or -1 (said; the workbook has failed). */
int findings_evidence_finish(struct evidence_writer *w);

#endif
