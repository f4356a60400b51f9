/* findings_wb: what the two files of the findings workbook share (private
 * to src/report/): findings.c writes the workbook, findings_summary.c its
 * Summary sheet. */
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

#endif
