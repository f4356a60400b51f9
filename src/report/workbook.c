/* workbook: see workbook.h. */
#include "workbook.h"

#include <stdio.h>

#include "cli.h"
#include "redact.h"
#include "store.h"

struct xlsx *report_workbook_new(struct store *st, const struct report_opts *o,
				 struct xlsx_opts *xo, const char *redacted_title,
				 struct redactor **red)
{
	struct xlsx *x;

	*red = NULL;
	if (o->redact) {
		/* every string cell goes through the redaction pass */
		*red = redactor_load(st);
		if (!*red)
			return NULL;
		xo->title = redacted_title;
		xo->filter = redactor_filter;
		xo->filter_ctx = *red;
	}
	x = xlsx_new(o->out, xo);
	if (!x) {
		redactor_free(*red);
		*red = NULL;
	}
	return x;
}

int report_workbook_end(struct store *st, const struct report_opts *o, struct xlsx *x,
			struct redactor *red, int err)
{
	/* a report whose queries failed is not put in place */
	if (err || report_store_ok(st, o->out)) {
		xlsx_discard(x);
		redactor_free(red);
		return EXIT_DB;
	}
	err = xlsx_close(x);
	redactor_free(red);
	return err ? EXIT_DB : EXIT_OK;
}

void sheet_stream_finish(struct sheet_stream *ss)
{
	if (ss->sh)
		xlsx_autofilter(ss->sh, 0, 0, ss->row > 1 ? ss->row - 1 : 1, (unsigned)ss->ncols - 1);
}

void sheet_part_name(const char *base, int part, char name[32])
{
	if (part <= 1)
		snprintf(name, 32, "%s", base);
	else
		snprintf(name, 32, "%s (%d)", base, part);
}

int sheet_parts(long long rows)
{
	return rows <= SHEET_PART_ROWS ? 1 : (int)((rows + SHEET_PART_ROWS - 1) / SHEET_PART_ROWS);
}

void sheet_when(struct xlsx_sheet *sh, unsigned row, unsigned col, long long ts)
{
	if (ts % 86400 == 0)
		xlsx_date(sh, row, col, ts / 86400);
	else
		xlsx_datetime(sh, row, col, ts);
}

struct xlsx_sheet *sheet_stream_start(struct sheet_stream *ss, struct xlsx_sheet *sh)
{
	char name[32];

	ss->part++;
	sheet_part_name(ss->base, ss->part, name);
	if (!sh && ss->more) {
		if (ss->part - 2 >= ss->nmore) {
			xlsx_fail(ss->x, "sheet '%s' was not foreseen: the audit database"
				  " changed while the workbook was written", name);
			return NULL;
		}
		sh = ss->more[ss->part - 2];
	} else if (!sh && !(sh = xlsx_add_sheet(ss->x, name))) {
		return NULL;
	}
	ss->sh = sh;
	for (int i = 0; i < ss->ncols; i++)
		xlsx_col_width(sh, (unsigned)i, (unsigned)i, ss->width[i],
			       ss->wrap >> i & 1 ? XS_WRAP : XS_TOP);
	xlsx_freeze(sh, 1, 0);
	xlsx_print_setup(sh, 1, XP_FIT_WIDTH);
	xlsx_header_at(sh, 0, 0, ss->header, ss->ncols, ss->numeric);
	ss->row = 1;
	return sh;
}

struct xlsx_sheet *sheet_stream_row(struct sheet_stream *ss)
{
	if (ss->row >= XLSX_MAX_ROWS) {
		sheet_stream_finish(ss);
		if (!sheet_stream_start(ss, NULL))
			return NULL;
	}
	return ss->sh;
}

void sheet_cells(struct xlsx_sheet *sh, unsigned row, unsigned col, struct stmt *s, int first,
		 const char *kinds)
{
	for (int i = 0; kinds[i]; i++, col++) {
		int c = first + i;
		if (kinds[i] == 'd')
			xlsx_date_str(sh, row, col, stmt_text(s, c));
		else if (kinds[i] == 'n' && !stmt_is_null(s, c))
			xlsx_num(sh, row, col, (double)stmt_int(s, c), XS_INT);
		else if (kinds[i] == 't')
			xlsx_str(sh, row, col, stmt_text(s, c), XS_NONE);
	}
}
