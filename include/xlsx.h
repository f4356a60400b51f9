/* xlsx: workbooks through libxlsxwriter 1.1.4 (xlsx.c is the only file that
 * includes xlsxwriter.h). Reports build sheets through these helpers:
 *
 *   - Text from inputs is always written as a string cell, never a formula
 *     (a value "=HYPERLINK(...)" stays text); control characters and bad
 *     UTF-8 are replaced, over-long text is cut at 32,767 characters.
 *   - Sheet names, chart titles, formulas and ranges come from the program,
 *     never from inputs (1.1.4 has memory bugs on hostile names).
 *   - Output is byte-stable: document dates come from opts.created, and the
 *     library's zip entries carry a fixed 1980-01-01 time.
 *   - The file is written to PATH.tmp and renamed on success; a failed
 *     workbook leaves no PATH.tmp and no half-written PATH.
 *
 * Errors are sticky: the first failing call prints (diag_error) and every
 * later call on that workbook is a no-op returning -1, so report code may
 * write a sheet and check once, at xlsx_close(). */
#ifndef UDAUDIT_XLSX_H
#define UDAUDIT_XLSX_H

#define XLSX_MAX_ROWS 1048576   /* rows per sheet (Excel) */
#define XLSX_MAX_STR 32767      /* characters per cell (Excel) */
#define XLSX_MAX_LIST 255       /* characters of an inline dropdown list */

struct xlsx;
struct xlsx_sheet;

/* Cell styles, created once per workbook. */
enum xlsx_style {
	XS_NONE,
	XS_HEADER,              /* bold, shaded, bottom border, wrapped */
	XS_TITLE,               /* bold, larger */
	XS_BOLD,
	XS_DATE,                /* yyyy-mm-dd */
	XS_DATETIME,            /* yyyy-mm-dd hh:mm:ss (UTC) */
	XS_WRAP,                /* wrapped, top-aligned text */
	XS_HIGHLIGHT,           /* light red fill, dark red text (overdue) */
	XS_INT,                 /* #,##0 */
	XS_HEADER_NUM,          /* a header over numbers: as XS_HEADER, right-aligned */
	XS_PERCENT,             /* 0% (the value is a fraction: 0.4 shows 40%) */
	XS_LINK,                /* a link to rows: blue, underlined, "3 rows" */
	XS_FLAG,                /* bold dark red on light red, wrapped (needs attention) */
	XS_TOP,                 /* plain, top-aligned (beside wrapped cells) */
	XS_COUNT_
};

struct xlsx_opts {
	long long created;      /* Unix seconds UTC for docProps; must be > 0 */
	int constant_memory;    /* stream rows (each sheet written row by row) */
	const char *title, *subject;    /* docProps; may be NULL */
	/* When set, every string cell goes through filter first (it returns
	 * a new string the workbook frees): the redaction of --redact. */
	char *(*filter)(void *ctx, const char *s);
	void *filter_ctx;
};

/* Start a workbook that will be written to path (checked writable now).
 * NULL (printed) on error. */
struct xlsx *xlsx_new(const char *path, const struct xlsx_opts *opts);
/* Write PATH.tmp, rename it to PATH. 0, or -1 (printed; nothing left
 * behind). Frees the workbook in every case. */
int xlsx_close(struct xlsx *x);
/* Give up on a workbook: free it, leave nothing on disk. */
void xlsx_discard(struct xlsx *x);
/* 1 after any error on this workbook. */
int xlsx_failed(const struct xlsx *x);
/* Fail the workbook with the caller's reason ("cannot write 'PATH': ..."),
 * said unless it had failed already. -1. */
int xlsx_fail(struct xlsx *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Number every style now, in a fixed order (libxlsxwriter numbers a style
 * when a cell first uses it, in a table all sheets share). After it, two
 * sheets may be written at once, each on its own thread; xlsx_add_sheet,
 * xlsx_chart and xlsx_close stay on the thread that made the workbook, and
 * the workbook's bytes do not depend on which thread wrote first. */
void xlsx_number_styles(struct xlsx *x);

/* A new sheet; name is a program constant (validated). Owned by x. */
struct xlsx_sheet *xlsx_add_sheet(struct xlsx *x, const char *name);
const char *xlsx_sheet_name(const struct xlsx_sheet *sh);

/* Cells: rows and columns are 0-based. NULL or "" text leaves the cell
 * blank (styled when style != XS_NONE). Each returns 0 or -1. */
int xlsx_str(struct xlsx_sheet *sh, unsigned row, unsigned col, const char *s,
	     enum xlsx_style style);
int xlsx_num(struct xlsx_sheet *sh, unsigned row, unsigned col, double v,
	     enum xlsx_style style);
/* A real Excel date (days since 1970-01-01) or date-time (Unix seconds). */
int xlsx_date(struct xlsx_sheet *sh, unsigned row, unsigned col, long long days);
int xlsx_datetime(struct xlsx_sheet *sh, unsigned row, unsigned col, long long epoch);
/* A "YYYY-MM-DD" text: a real date when valid, blank when NULL or "",
 * else written as the text itself. */
int xlsx_date_str(struct xlsx_sheet *sh, unsigned row, unsigned col, const char *s);
/* A row of header cells (XS_HEADER) from col 0. */
int xlsx_header(struct xlsx_sheet *sh, unsigned row, const char *const *names, int n);
/* The same from col; the columns whose bit is set in numeric (bit 0 =
 * the first name) are right-aligned, above right-aligned numbers. */
int xlsx_header_at(struct xlsx_sheet *sh, unsigned row, unsigned col, const char *const *names,
		   int n, unsigned long long numeric);
/* A link to row to_row (0-based) of the sheet named to_sheet (a program
 * constant; it may be added later) showing n, the number of rows it leads
 * to, as "1 row" or "n rows" (XS_LINK). It is a HYPERLINK() formula, not
 * a hyperlink: Excel and libxlsxwriter allow 65,530 hyperlinks a sheet but
 * any number of formulas, and constant-memory mode writes a formula with
 * its row where it keeps every hyperlink until close. Its stored value is
 * n, so a reader that does not calculate shows the count too. */
int xlsx_link_rows(struct xlsx_sheet *sh, unsigned row, unsigned col, long long n,
		   const char *to_sheet, unsigned to_row);

/* Row heights: a wrapped cell (style XS_WRAP, XS_HEADER, XS_HEADER_NUM,
 * XS_FLAG, or XS_NONE in a column set XS_WRAP) makes its row tall enough
 * for its lines at the column's width (LibreOffice keeps the stored height:
 * without this, wrapped text overprints the next rows). Lines of s in a
 * column width characters wide: */
int xlsx_text_lines(const char *s, double width);

/* Layout: call before writing rows (constant-memory mode). */
int xlsx_col_width(struct xlsx_sheet *sh, unsigned first, unsigned last, double width,
		   enum xlsx_style style);
int xlsx_freeze(struct xlsx_sheet *sh, unsigned row, unsigned col);
int xlsx_autofilter(struct xlsx_sheet *sh, unsigned r1, unsigned c1, unsigned r2, unsigned c2);

/* Printing: landscape US Letter, a footer with the sheet name and "Page N
 * of M", the first header_rows rows repeated on every page (0: none),
 * fitted to one page wide, or to one page (a small sheet with a chart:
 * the chart stays on the page), or not fitted (fitting overrides page
 * breaks). */
enum xlsx_fit { XP_NO_FIT, XP_FIT_WIDTH, XP_FIT_PAGE };
int xlsx_print_setup(struct xlsx_sheet *sh, unsigned header_rows, enum xlsx_fit fit);
/* Repeat rows first..last (a table's header below other rows) on every
 * printed page instead. */
int xlsx_print_titles(struct xlsx_sheet *sh, unsigned first, unsigned last);
/* Instead of fitting: a print scale making the first ncols columns (plus
 * extra_px pixels, e.g. a chart) one page wide; returns the scale (%), so
 * the caller can place page breaks with xlsx_page_rows(scale), the rows of
 * default height one page holds. */
int xlsx_print_scale_to(struct xlsx_sheet *sh, unsigned ncols, double extra_px);
int xlsx_page_rows(int scale);
/* Manual page breaks above each of rows (0s skipped; at most 31). */
int xlsx_page_breaks(struct xlsx_sheet *sh, const unsigned *rows, int n);

/* A dropdown over a range offering values (NULL-ended). The joined list
 * must be ASCII and at most XLSX_MAX_LIST characters: 1.1.4 overflows its
 * heap on multi-byte UTF-8 there, so this refuses instead (-1). */
int xlsx_dropdown(struct xlsx_sheet *sh, unsigned r1, unsigned c1, unsigned r2, unsigned c2,
		  const char *const *values);
/* Highlight (XS_HIGHLIGHT) the cells of a range where formula is true; the
 * formula is written for the top-left cell ("=$M2>0"), a program constant. */
int xlsx_highlight_if(struct xlsx_sheet *sh, unsigned r1, unsigned c1, unsigned r2,
		      unsigned c2, const char *formula);

/* Charts: series over ranges of a sheet of this workbook. */
enum xlsx_chart_type { XC_COLUMN, XC_PIE };
struct xlsx_series {
	const char *name;       /* program text; NULL = none */
	unsigned first_row, last_row;
	unsigned cat_col, val_col;
};
/* Insert a chart with title over the series (all on data_sheet) into sh at
 * (row, col). */
int xlsx_chart(struct xlsx_sheet *sh, unsigned row, unsigned col, enum xlsx_chart_type type,
	       const char *title, const struct xlsx_sheet *data_sheet,
	       const struct xlsx_series *series, int nseries);

/* Width (in characters) a column needs for text of n characters: n + 2,
 * between min and max. */
double xlsx_fit(unsigned long n, double min, double max);

#endif
