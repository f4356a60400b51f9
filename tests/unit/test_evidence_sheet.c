/* evidence sheet: the findings workbook's Evidence and Findings sheets
 * check the rows they write against the count their parts were planned
 * from. The count and the rows are read apart (the Evidence sheet even on
 * a connection and thread of its own): when the audit DB changed in
 * between, the workbook fails with that said, instead of links that point
 * at the wrong rows or a part left empty. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../src/report/findings_wb.h"
#include "../../src/report/workbook.h"
#include "capture.h"
#include "check.h"
#include "findings.h"
#include "store.h"
#include "xlsx.h"

static const char *const setup =
	"INSERT INTO runs (run_id, as_of, quarter) VALUES (1, '2021-09-30', '2021Q3');"
	"INSERT INTO inputs (input_id, kind, path, size, sha256, records, loaded_at)"
	" VALUES (100, 'usage', 'usage.jsonl', 1, '00', 1, '2021-10-01T00:00:00Z');"
	"INSERT INTO findings VALUES (1, 'F1', 'UNCAPTURED_DELETION', 'actual', 'high', 'EOC',"
	" 'C-1', 'a', 'whatsapp', 'D-1', 1539353002, 1539353002, 1, 1, 'deleted');"
	"INSERT INTO findings VALUES (1, 'F2', 'CAPTURE_GAP', 'threatened', 'medium', 'EOC',"
	" 'C-1', 'a', 'whatsapp', 'D-1', 1539353002, 1539353002, 1, 1, 'missing');"
	"INSERT INTO evidence (run_id, finding_id, input_id, line, event, message_id, ts) VALUES"
	" (1, 'F1', 100, 1, 'sent', 'm1', 1539353002), (1, 'F1', 100, 2, 'deleted', 'm1', 1539353102),"
	" (1, 'F2', 100, 3, 'sent', 'm2', 1539353202);";

/* Write the Evidence sheet of run 1 into a workbook at out, planned for
 * rows rows; the workbook's close status (0 written, -1 not). */
static int write_book(struct store *st, const char *out, long long rows, int *sheet_rc)
{
	struct xlsx_opts o = { 1632441600, 1, "t", NULL, NULL, NULL };
	struct xlsx *x = xlsx_new(out, &o);
	struct sheet_plan ev;

	if (!x)
		return -2;
	xlsx_number_styles(x);
	ev = (struct sheet_plan){ x, xlsx_add_sheet(x, "Evidence"), NULL, 0, 1, rows };
	*sheet_rc = findings_evidence_sheet(st, &ev);
	if (*sheet_rc) {
		xlsx_discard(x);
		return -1;
	}
	return xlsx_close(x);
}

/* The same for the Findings sheet, planned for rows rows. */
static int write_list(struct store *st, const char *out, long long rows, int *sheet_rc)
{
	struct xlsx_opts o = { 1632441600, 1, "t", NULL, NULL, NULL };
	struct xlsx *x = xlsx_new(out, &o);
	struct report_coverage cov;
	struct sheet_plan list;

	if (!x || report_coverage(st, 1, NULL, 0, &cov))
		return -2;
	xlsx_number_styles(x);
	list = (struct sheet_plan){ x, xlsx_add_sheet(x, "Findings"), NULL, 0, 1, rows };
	*sheet_rc = findings_list_sheet(st, &list, 0, &cov);
	if (*sheet_rc) {
		xlsx_discard(x);
		return -1;
	}
	return xlsx_close(x);
}

int main(void)
{
	char db[] = "/tmp/udaudit-evtest-XXXXXX", out[64];
	int fd = mkstemp(db), rc;
	long long nf = -1, ne = -1;
	struct store *st;
	const char *err;

	CHECK(fd >= 0);
	close(fd);
	unlink(db);
	snprintf(out, sizeof(out), "%s.xlsx", db);
	st = store_open(db, 1);
	CHECK(st != NULL);
	CHECK(store_exec(st, setup) == 0);
	CHECK(finding_workbook_order(st, 1) == 0);
	CHECK(finding_workbook_counts(st, 1, &nf, &ne) == 0);
	CHECK(nf == 2);
	CHECK(ne == 3);

	/* as counted: written */
	CHECK(write_book(st, out, ne, &rc) == 0);
	CHECK(rc == 0);
	CHECK(access(out, F_OK) == 0);
	unlink(out);

	/* a row more than counted (the DB changed in between): not written */
	capture_begin();
	CHECK(write_book(st, out, ne - 1, &rc) == -1);
	err = capture_end();
	CHECK(rc == -1);
	CHECK(strstr(err, "the Evidence sheet has 3 rows, not the 2 counted: the audit database"
			  " changed while the workbook was written") != NULL);
	CHECK(access(out, F_OK) != 0);

	/* the Findings sheet: as counted, written; a row fewer or more than
	 * counted, not (a part planned and left empty is an error too) */
	CHECK(write_list(st, out, nf, &rc) == 0);
	CHECK(rc == 0);
	CHECK(access(out, F_OK) == 0);
	unlink(out);
	capture_begin();
	CHECK(write_list(st, out, nf + 1, &rc) == -1);
	err = capture_end();
	CHECK(rc == -1);
	CHECK(strstr(err, "the Findings sheet has 2 rows, not the 3 counted: the audit database"
			  " changed while the workbook was written") != NULL);
	CHECK(access(out, F_OK) != 0);
	capture_begin();
	CHECK(write_list(st, out, nf - 1, &rc) == -1);
	err = capture_end();
	CHECK(strstr(err, "the Findings sheet has 2 rows, not the 1 counted") != NULL);

	/* rows beyond the first part with no part added for them: refused,
	 * not added on the sheet's own thread */
	{
		struct xlsx_opts o = { 1632441600, 1, "t", NULL, NULL, NULL };
		struct xlsx *x = xlsx_new(out, &o);
		struct xlsx_sheet *sh = x ? xlsx_add_sheet(x, "Evidence") : NULL;
		static const char *const hdr[] = { "a" };
		static const double w[] = { 9 };
		struct xlsx_sheet *none[1] = { NULL };
		struct sheet_stream ss = { x, "Evidence", hdr, 1, w, 0, 0, NULL, 0, 0, none, 0 };

		CHECK(sh != NULL);
		CHECK(sheet_stream_start(&ss, sh) == sh);
		ss.row = XLSX_MAX_ROWS;         /* the part is full */
		capture_begin();
		CHECK(sheet_stream_row(&ss) == NULL);
		err = capture_end();
		CHECK(strstr(err, "sheet 'Evidence (2)' was not foreseen") != NULL);
		CHECK(xlsx_failed(x));
		xlsx_discard(x);
	}
	CHECK(sheet_parts(0) == 1);
	CHECK(sheet_parts(XLSX_MAX_ROWS - 1) == 1);
	CHECK(sheet_parts(XLSX_MAX_ROWS) == 2);
	CHECK(sheet_parts(2LL * (XLSX_MAX_ROWS - 1) + 1) == 3);
	store_close(st);
	unlink(db);
	return CHECK_DONE();
}
