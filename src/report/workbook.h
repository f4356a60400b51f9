/* workbook: what the workbook writers of src/report/ share (private to
 * src/report/): starting and finishing a report's workbook (redaction,
 * exit codes), and a table sheet written row by row that continues in
 * "NAME (2)" when it reaches Excel's last row. */
#ifndef UDAUDIT_REPORT_WORKBOOK_H
#define UDAUDIT_REPORT_WORKBOOK_H

#include "report.h"
#include "xlsx.h"

struct redactor;
struct stmt;

/* Start the workbook of a report at o->out; with o->redact every string
 * cell goes through the redaction pass and the title is redacted_title.
 * NULL (printed) on error; else *red (NULL without --redact) is for
 * report_workbook_end. */
struct xlsx *report_workbook_new(struct store *st, const struct report_opts *o,
				 struct xlsx_opts *xo, const char *redacted_title,
				 struct redactor **red);
/* Write it, unless err or a failed audit-DB query: then nothing is left
 * behind. EXIT_OK or EXIT_DB; frees x and red. */
int report_workbook_end(struct store *st, const struct report_opts *o, struct xlsx *x,
			struct redactor *red, int err);

/* A table sheet: header row frozen, filtered, repeated on printed pages,
 * one page wide; columns of the given widths, wrapped where wrap has the
 * column's bit, headers right-aligned where numeric has it. */
struct sheet_stream {
	struct xlsx *x;
	const char *base;               /* the first part's name */
	const char *const *header;
	int ncols;
	const double *width;            /* per column */
	unsigned long long numeric;     /* columns with right-aligned headers */
	unsigned long long wrap;        /* columns that wrap */
	struct xlsx_sheet *sh;          /* the part being written */
	unsigned row;                   /* its next row */
	int part;
	/* When set, parts 2, 3, ... were added beforehand (a sheet written on
	 * a thread of its own adds none): a part beyond them is an error. */
	struct xlsx_sheet *const *more;
	int nmore;
};

/* Start the first part in sh (added by the caller, so sheets keep their
 * order), or the next part when sh is NULL: the next of ss->more, else a
 * new sheet "BASE (N)". NULL on error. */
struct xlsx_sheet *sheet_stream_start(struct sheet_stream *ss, struct xlsx_sheet *sh);
/* The sheet for the next data row, ss->row (the caller then does
 * ss->row++): a new part when this one is full. NULL after an error. */
struct xlsx_sheet *sheet_stream_row(struct sheet_stream *ss);
/* The autofilter over the part's rows. */
void sheet_stream_finish(struct sheet_stream *ss);
/* "Findings" for part 1, then "Findings (2)", ... */
void sheet_part_name(const char *base, int part, char name[32]);
/* The data rows a part holds (its header takes a row). */
#define SHEET_PART_ROWS (XLSX_MAX_ROWS - 1)
/* The parts a table of rows data rows takes (at least 1). */
int sheet_parts(long long rows);
/* A time: a date when it is the start of a UTC day (it came from a
 * date-only input), else a date and time. */
void sheet_when(struct xlsx_sheet *sh, unsigned row, unsigned col, long long ts);

/* Cells from col on, from the columns first.. of s's current row, one per
 * letter of kinds: 't' text, 'd' a YYYY-MM-DD date (a real date), 'n' an
 * integer (blank when NULL). */
void sheet_cells(struct xlsx_sheet *sh, unsigned row, unsigned col, struct stmt *s, int first,
		 const char *kinds);

#endif
