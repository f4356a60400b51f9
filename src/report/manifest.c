/* report_manifest_sheet: the input manifest of a workbook (spec 5: every
 * report carries it). loaded_at is left out: it would change the bytes
 * of every later workbook. */
#include "report.h"

#include "store.h"
#include "xlsx.h"

int report_manifest_sheet(struct store *st, struct xlsx_sheet *sh, int redact)
{
	static const char *const hdr[] = {
		"Kind", "Path", "Size (bytes)", "Records", "Skipped", "Ignored", "SHA-256"
	};
	static const double width[] = { 16, 50, 13, 10, 10, 10, 68 };
	struct stmt *s;
	unsigned row = 1;
	int rc;

	for (unsigned i = 0; i < 7; i++)
		xlsx_col_width(sh, i, i, width[i], XS_TOP);
	xlsx_freeze(sh, 1, 0);
	xlsx_header_at(sh, 0, 0, hdr, 7, 0x3C);
	xlsx_print_setup(sh, 1, XP_FIT_WIDTH);
	s = stmt_prepare(st, REPORT_MANIFEST_SQL);
	if (!s)
		return -1;
	while ((rc = stmt_step(s)) == 1 && row < XLSX_MAX_ROWS) {
		xlsx_str(sh, row, 0, stmt_text(s, 0), XS_NONE);
		xlsx_str(sh, row, 1, stmt_text(s, 1), XS_NONE);
		/* a side file has a size, no records of its own */
		for (unsigned c = 2; c <= 5; c++)
			if (!stmt_is_null(s, (int)c))
				xlsx_num(sh, row, c, (double)stmt_int(s, (int)c), XS_INT);
		xlsx_str(sh, row, 6, stmt_text(s, 6), XS_NONE);
		row++;
	}
	stmt_free(s);
	xlsx_autofilter(sh, 0, 0, row > 1 ? row - 1 : 1, 6);
	if (redact && rc == 0)
		xlsx_str(sh, row + 1, 0, "Redacted copy: file names are replaced (input-N, a side"
			 " file input-N-OPTION); each"
			 " SHA-256 is that of the original file, so the recipient can verify the"
			 " agency's copies.", XS_BOLD);
	return rc < 0 ? -1 : 0;
}
