/* xlsx: the one wrapper over libxlsxwriter 1.1.4 (Debian 12). See xlsx.h
 * for the rules it enforces; the 1.1.4 traps it works around are in
 * docs/style.md (a): char * option fields (LXW_STR), heap overflow on
 * multi-byte UTF-8 in dropdown lists, errors that only show at close. */
#include "xlsx.h"

#include <errno.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "diag.h"
#include "files.h"
#include "timeutil.h"
#include "utf8.h"
#include "xalloc.h"

/* 1.1.4 takes char * in option structs but copies (lxw_strdup) */
#define LXW_STR(s) ((char *)(s))

#define MAX_SHEETS 64
#define MAX_WIDTH_COLS 64       /* columns whose width the sheet remembers */
#define DEFAULT_WIDTH 8.43      /* Excel's default column width (characters) */
#define LINE_PT 15.0            /* height of one line of 11 pt text */
#define MAX_ROW_PT 409.0        /* Excel's tallest row */

struct xlsx_sheet {
	struct xlsx *x;
	lxw_worksheet *ws;
	char *name;
	double width[MAX_WIDTH_COLS];
	unsigned char wrap_col[MAX_WIDTH_COLS]; /* column style wraps */
	unsigned fit_row;               /* row whose height was last set */
	int fit_lines;                  /* its line count so far */
};

struct xlsx {
	lxw_workbook *wb;
	char *path, *tmp;
	int fd;                 /* tmp, created by us, open until close */
	atomic_int failed;      /* sheets may be written on two threads */
	lxw_format *fmt[XS_COUNT_];
	struct xlsx_sheet sheets[MAX_SHEETS];
	int nsheets;
	char *props_title, *props_subject;      /* kept alive until close */
	char *(*filter)(void *ctx, const char *s);
	void *filter_ctx;
};

/* Translate a library error at the boundary; sticky, said once (by the
 * thread that failed first). */
static int xlsx_ok(struct xlsx *x, lxw_error err, const char *what)
{
	if (err == LXW_NO_ERROR)
		return 0;
	if (!atomic_exchange(&x->failed, 1))
		diag_error(NULL, "cannot write '%s': %s: %s", x->path, what, lxw_strerror(err));
	return -1;
}

int xlsx_fail(struct xlsx *x, const char *fmt, ...)
{
	if (!atomic_exchange(&x->failed, 1)) {
		char msg[256];
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
		diag_error(NULL, "cannot write '%s': %s", x->path, msg);
	}
	return -1;
}

static void make_formats(struct xlsx *x)
{
	lxw_format *f;

	x->fmt[XS_NONE] = NULL;
	f = x->fmt[XS_HEADER] = workbook_add_format(x->wb);
	format_set_bold(f);
	format_set_bg_color(f, 0xD9E1F2);
	format_set_bottom(f, LXW_BORDER_THIN);
	format_set_text_wrap(f);
	format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
	f = x->fmt[XS_TITLE] = workbook_add_format(x->wb);
	format_set_bold(f);
	format_set_font_size(f, 14);
	f = x->fmt[XS_BOLD] = workbook_add_format(x->wb);
	format_set_bold(f);
	f = x->fmt[XS_DATE] = workbook_add_format(x->wb);
	format_set_num_format(f, "yyyy-mm-dd");
	format_set_align(f, LXW_ALIGN_LEFT);
	format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
	f = x->fmt[XS_DATETIME] = workbook_add_format(x->wb);
	format_set_num_format(f, "yyyy-mm-dd hh:mm:ss");
	format_set_align(f, LXW_ALIGN_LEFT);
	format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
	f = x->fmt[XS_WRAP] = workbook_add_format(x->wb);
	format_set_text_wrap(f);
	format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
	format_set_indent(f, 1);        /* apart from a number right-aligned beside it */
	f = x->fmt[XS_HIGHLIGHT] = workbook_add_format(x->wb);
	format_set_bg_color(f, 0xFFC7CE);
	format_set_font_color(f, 0x9C0006);
	f = x->fmt[XS_INT] = workbook_add_format(x->wb);
	format_set_num_format(f, "#,##0");
	format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
	f = x->fmt[XS_HEADER_NUM] = workbook_add_format(x->wb);
	format_set_bold(f);
	format_set_bg_color(f, 0xD9E1F2);
	format_set_bottom(f, LXW_BORDER_THIN);
	format_set_text_wrap(f);
	format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
	format_set_align(f, LXW_ALIGN_RIGHT);
	f = x->fmt[XS_PERCENT] = workbook_add_format(x->wb);
	format_set_num_format(f, "0%");
	format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
	f = x->fmt[XS_LINK] = workbook_add_format(x->wb);
	format_set_num_format(f, "[=1]0\" row\";#,##0\" rows\"");
	format_set_font_color(f, 0x0563C1);
	format_set_underline(f, LXW_UNDERLINE_SINGLE);
	format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
	f = x->fmt[XS_FLAG] = workbook_add_format(x->wb);
	format_set_bold(f);
	format_set_font_color(f, 0x9C0006);
	format_set_bg_color(f, 0xFFC7CE);
	format_set_text_wrap(f);
	format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
	f = x->fmt[XS_TOP] = workbook_add_format(x->wb);
	format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
}

struct xlsx *xlsx_new(const char *path, const struct xlsx_opts *opts)
{
	struct xlsx *x;
	lxw_workbook_options wo = { 0 };
	lxw_doc_properties props = { 0 };

	if (opts->created <= 0) {
		diag_error(NULL, "cannot write '%s': no document date", path);
		return NULL;
	}
	x = xcalloc(1, sizeof(*x));
	x->path = xstrdup(path);
	/* libxlsxwriter opens the file by name only at close: create it now,
	 * new and not through a symlink, mode 0600, and keep it open, so that
	 * xlsx_close can check that what it wrote is this file; an unwritable
	 * output is found before a large workbook is built */
	x->fd = file_create_tmp(path, &x->tmp);
	if (x->fd < 0) {
		free(x->path);
		free(x);
		return NULL;
	}
	wo.constant_memory = opts->constant_memory ? LXW_TRUE : LXW_FALSE;
	/* zip64 lets a million-row sheet pass 4 GiB uncompressed */
	wo.use_zip64 = opts->constant_memory ? LXW_TRUE : LXW_FALSE;
	x->wb = workbook_new_opt(x->tmp, &wo);
	if (!x->wb) {
		diag_error(NULL, "cannot write '%s': libxlsxwriter could not start a workbook", path);
		close(x->fd);
		unlink(x->tmp);
		free(x->tmp);
		free(x->path);
		free(x);
		return NULL;
	}
	make_formats(x);
	x->filter = opts->filter;
	x->filter_ctx = opts->filter_ctx;
	/* byte-stable output: 1.1.4 uses time(NULL) for docProps/core.xml
	 * unless created is non-zero (core.c); zip entries are fixed at
	 * 1980-01-01 (packager.c) */
	x->props_title = xstrdup(opts->title);
	x->props_subject = xstrdup(opts->subject);
	props.title = x->props_title;
	props.subject = x->props_subject;
	props.author = LXW_STR("udaudit");
	props.created = (time_t)opts->created;
	xlsx_ok(x, workbook_set_properties(x->wb, &props), "document properties");
	return x;
}

int xlsx_failed(const struct xlsx *x)
{
	return x->failed;
}

void xlsx_number_styles(struct xlsx *x)
{
	for (int i = XS_NONE + 1; i < XS_COUNT_; i++)
		lxw_format_get_xf_index(x->fmt[i]);
}

static void xlsx_free(struct xlsx *x)
{
	for (int i = 0; i < x->nsheets; i++)
		free(x->sheets[i].name);
	free(x->props_title);
	free(x->props_subject);
	free(x->tmp);
	free(x->path);
	free(x);
}

/* 1 when name is still the regular file open as fd (not a symlink or
 * another file put in its place). */
static int same_file(int fd, const char *name)
{
	struct stat a, b;

	return fstat(fd, &a) == 0 && lstat(name, &b) == 0 && S_ISREG(b.st_mode) &&
	       a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

int xlsx_close(struct xlsx *x)
{
	lxw_error err;
	int rc = x->failed ? -1 : 0;

	/* workbook_close frees the workbook whether or not it succeeds */
	err = workbook_close(x->wb);
	if (!rc && err != LXW_NO_ERROR)
		rc = xlsx_ok(x, err, "closing the workbook");
	if (!rc && !same_file(x->fd, x->tmp))
		rc = diag_error(NULL, "cannot write '%s': it was replaced while the workbook"
				" was built", x->tmp);
	close(x->fd);
	if (!rc)
		rc = file_commit_tmp(x->tmp, x->path);
	else
		unlink(x->tmp);
	xlsx_free(x);
	return rc;
}

void xlsx_discard(struct xlsx *x)
{
	x->failed = 1;
	workbook_close(x->wb);
	close(x->fd);
	unlink(x->tmp);
	xlsx_free(x);
}

struct xlsx_sheet *xlsx_add_sheet(struct xlsx *x, const char *name)
{
	struct xlsx_sheet *sh;
	lxw_error err;

	if (x->failed)
		return NULL;
	if (x->nsheets >= MAX_SHEETS) {
		xlsx_fail(x, "too many sheets (adding '%s')", name);
		return NULL;
	}
	err = workbook_validate_sheet_name(x->wb, name);
	if (err != LXW_NO_ERROR) {
		xlsx_ok(x, err, name);
		return NULL;
	}
	sh = &x->sheets[x->nsheets];
	sh->ws = workbook_add_worksheet(x->wb, name);
	if (!sh->ws) {
		xlsx_fail(x, "cannot add sheet '%s'", name);
		return NULL;
	}
	sh->x = x;
	sh->name = xstrdup(name);
	for (int i = 0; i < MAX_WIDTH_COLS; i++)
		sh->width[i] = DEFAULT_WIDTH;
	sh->fit_row = (unsigned)-1;
	x->nsheets++;
	return sh;
}

const char *xlsx_sheet_name(const struct xlsx_sheet *sh)
{
	return sh->name;
}

static lxw_format *fmt(struct xlsx_sheet *sh, enum xlsx_style st)
{
	return st > XS_NONE && st < XS_COUNT_ ? sh->x->fmt[st] : NULL;
}

/* Length of the longest prefix of s (len bytes, valid UTF-8) holding at
 * most max characters. */
static size_t utf8_prefix(const char *s, size_t len, size_t max)
{
	size_t i = 0, chars = 0;

	while (i < len && chars < max) {
		i++;
		while (i < len && ((unsigned char)s[i] & 0xC0) == 0x80)
			i++;
		chars++;
	}
	return i;
}

/* A copy fit for a cell: XML 1.0 forbids control characters other than
 * tab and newline (1.1.4 does not escape them), bad UTF-8 becomes '?',
 * and the text is cut at XLSX_MAX_STR characters. NULL when s needs no
 * change. */
static int is_bad_ctl(unsigned char c)
{
	return (c < 0x20 && c != '\t' && c != '\n') || c == 0x7F;
}

static char *clean_text(const char *s, size_t len)
{
	int dirty = len > XLSX_MAX_STR || utf8_check(s, len) != 0;
	char *out;

	for (size_t i = 0; i < len && !dirty; i++)
		dirty = is_bad_ctl((unsigned char)s[i]);
	if (!dirty)
		return NULL;
	out = xstrndup(s, len);
	for (size_t i = 0; i < len; i++)
		if (is_bad_ctl((unsigned char)out[i]))
			out[i] = out[i] == '\r' ? '\n' : ' ';
	for (size_t from = 0, bad; from < len && (bad = utf8_check(out + from, len - from)) != 0;
	     from += bad)
		out[from + bad - 1] = '?';
	if (len > XLSX_MAX_STR)
		out[utf8_prefix(out, len, XLSX_MAX_STR)] = '\0';
	return out;
}

/* Lines text takes in a column width characters wide, wrapped at spaces
 * (one character a width unit: wide enough for the fonts LibreOffice and
 * Excel use). */
int xlsx_text_lines(const char *s, double width)
{
	size_t per = width > 2 ? (size_t)(width - 1) : 1, col = 0, word = 0;
	int lines = 1;

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p & 0xC0) == 0x80)
			continue;               /* a continuation byte: same character */
		if (*p == '\n') {
			lines++;
			col = word = 0;
			continue;
		}
		col++;
		word = *p == ' ' ? 0 : word + 1;
		if (col > per) {
			lines++;
			/* the word that did not fit moves to the new line */
			col = word < per ? word : 1;
			word = col;
		}
	}
	return lines;
}

/* A wrapped cell grows its row to show every line (LibreOffice does not
 * do it on load: wrapped text would overprint the rows below). */
static int fit_row(struct xlsx_sheet *sh, unsigned row, unsigned col, const char *s)
{
	double w = col < MAX_WIDTH_COLS ? sh->width[col] : DEFAULT_WIDTH, pt;
	int lines = xlsx_text_lines(s, w);

	if (row == sh->fit_row && lines <= sh->fit_lines)
		return 0;
	if (row != sh->fit_row) {
		sh->fit_row = row;
		sh->fit_lines = 1;
		if (lines <= 1)
			return 0;
	}
	sh->fit_lines = lines;
	pt = LINE_PT * lines + 2;
	return xlsx_ok(sh->x, worksheet_set_row(sh->ws, row, pt > MAX_ROW_PT ? MAX_ROW_PT : pt,
						NULL), sh->name);
}

static int wraps(const struct xlsx_sheet *sh, unsigned col, enum xlsx_style style)
{
	return style == XS_WRAP || style == XS_HEADER || style == XS_HEADER_NUM ||
	       style == XS_FLAG || (style == XS_NONE && col < MAX_WIDTH_COLS && sh->wrap_col[col]);
}

int xlsx_str(struct xlsx_sheet *sh, unsigned row, unsigned col, const char *s,
	     enum xlsx_style style)
{
	struct xlsx *x = sh->x;
	char *clean, *filtered = NULL;
	lxw_error err;

	if (x->failed)
		return -1;
	if (s && *s && x->filter)
		s = filtered = x->filter(x->filter_ctx, s);
	if (!s || !*s) {
		free(filtered);
		if (style == XS_NONE)
			return 0;
		return xlsx_ok(x, worksheet_write_blank(sh->ws, row, (lxw_col_t)col, fmt(sh, style)),
			       sh->name);
	}
	clean = clean_text(s, strlen(s));
	if (wraps(sh, col, style) && fit_row(sh, row, col, clean ? clean : s)) {
		free(clean);
		return -1;
	}
	/* always write_string: a leading '=' is stored as text, never a formula */
	err = worksheet_write_string(sh->ws, row, (lxw_col_t)col, clean ? clean : s,
				     fmt(sh, style));
	free(clean);
	free(filtered);
	return xlsx_ok(x, err, sh->name);
}

int xlsx_link_rows(struct xlsx_sheet *sh, unsigned row, unsigned col, long long n,
		   const char *to_sheet, unsigned to_row)
{
	char formula[128];

	if (sh->x->failed)
		return -1;
	/* sheet names are program constants: quoting is enough */
	snprintf(formula, sizeof(formula), "=HYPERLINK(\"#'%s'!A%u\",%lld)", to_sheet,
		 to_row + 1, n);
	return xlsx_ok(sh->x, worksheet_write_formula_num(sh->ws, row, (lxw_col_t)col, formula,
							  sh->x->fmt[XS_LINK], (double)n), sh->name);
}

int xlsx_num(struct xlsx_sheet *sh, unsigned row, unsigned col, double v,
	     enum xlsx_style style)
{
	if (sh->x->failed)
		return -1;
	return xlsx_ok(sh->x, worksheet_write_number(sh->ws, row, (lxw_col_t)col, v,
						     fmt(sh, style)), sh->name);
}

static int write_dt(struct xlsx_sheet *sh, unsigned row, unsigned col, long long epoch,
		    enum xlsx_style style)
{
	long long days = time_day(epoch), secs = epoch - days * 86400;
	int y;
	unsigned m, d;
	lxw_datetime dt;

	if (sh->x->failed)
		return -1;
	time_civil_from_days(days, &y, &m, &d);
	if (y < 1900 || (y == 1900 && m < 3) || y > 9999) {
		/* outside what Excel shows as a date (and its 1900 leap-year
		 * bug): keep the value, as ISO 8601 text */
		char iso[TIME_ISO_LEN];
		time_fmt_iso(epoch, iso);
		if (style == XS_DATE)
			iso[10] = '\0';        /* the date part */
		return xlsx_str(sh, row, col, iso, XS_NONE);
	}
	dt = (lxw_datetime){ y, (int)m, (int)d, (int)(secs / 3600), (int)(secs / 60 % 60),
			     (double)(secs % 60) };
	return xlsx_ok(sh->x, worksheet_write_datetime(sh->ws, row, (lxw_col_t)col, &dt,
						       fmt(sh, style)), sh->name);
}

int xlsx_date(struct xlsx_sheet *sh, unsigned row, unsigned col, long long days)
{
	return write_dt(sh, row, col, days * 86400, XS_DATE);
}

int xlsx_datetime(struct xlsx_sheet *sh, unsigned row, unsigned col, long long epoch)
{
	return write_dt(sh, row, col, epoch, XS_DATETIME);
}

int xlsx_date_str(struct xlsx_sheet *sh, unsigned row, unsigned col, const char *s)
{
	long long days;

	if (!s || !*s)
		return sh->x->failed ? -1 : 0;
	if (time_parse_date(s, &days) || days < time_days_from_civil(1900, 3, 1) ||
	    days > time_days_from_civil(9999, 12, 31))
		return xlsx_str(sh, row, col, s, XS_NONE);
	return xlsx_date(sh, row, col, days);
}

int xlsx_header(struct xlsx_sheet *sh, unsigned row, const char *const *names, int n)
{
	return xlsx_header_at(sh, row, 0, names, n, 0);
}

int xlsx_header_at(struct xlsx_sheet *sh, unsigned row, unsigned col, const char *const *names,
		   int n, unsigned long long numeric)
{
	int rc = 0;

	for (int i = 0; i < n && !rc; i++)
		rc = xlsx_str(sh, row, col + (unsigned)i, names[i],
			      i < 64 && (numeric >> i & 1) ? XS_HEADER_NUM : XS_HEADER);
	return rc;
}

int xlsx_col_width(struct xlsx_sheet *sh, unsigned first, unsigned last, double width,
		   enum xlsx_style style)
{
	if (sh->x->failed)
		return -1;
	for (unsigned c = first; c <= last && c < MAX_WIDTH_COLS; c++) {
		sh->width[c] = width;
		sh->wrap_col[c] = style == XS_WRAP;
	}
	return xlsx_ok(sh->x, worksheet_set_column(sh->ws, (lxw_col_t)first, (lxw_col_t)last,
						   width, fmt(sh, style)), sh->name);
}

int xlsx_print_setup(struct xlsx_sheet *sh, unsigned header_rows, enum xlsx_fit fit)
{
	if (sh->x->failed)
		return -1;
	worksheet_set_landscape(sh->ws);
	worksheet_set_paper(sh->ws, 1);         /* US Letter */
	worksheet_set_margins(sh->ws, 0.4, 0.4, 0.6, 0.6);
	if (fit)
		worksheet_fit_to_pages(sh->ws, 1, fit == XP_FIT_PAGE ? 1 : 0);
	xlsx_ok(sh->x, worksheet_set_footer(sh->ws, "&L&A&RPage &P of &N"), sh->name);
	if (header_rows)
		return xlsx_print_titles(sh, 0, header_rows - 1);
	return sh->x->failed ? -1 : 0;
}

int xlsx_print_titles(struct xlsx_sheet *sh, unsigned first, unsigned last)
{
	if (sh->x->failed)
		return -1;
	return xlsx_ok(sh->x, worksheet_repeat_rows(sh->ws, first, last), sh->name);
}

/* Landscape Letter, 0.4 in side margins: 10.2 in of paper across, in
 * points; 7.3 in down between the 0.6 in margins, less the footer. */
#define PAGE_W_PT (10.2 * 72)
#define PAGE_H_PT (7.0 * 72)

int xlsx_print_scale_to(struct xlsx_sheet *sh, unsigned ncols, double extra_px)
{
	double px = extra_px;
	int scale;

	if (sh->x->failed)
		return -1;
	/* Excel's pixels are width * 7 + 5 (Calibri 11); LibreOffice's
	 * default font may be wider (DejaVu Sans without Carlito): count 9 a
	 * character, so the page holds it */
	for (unsigned c = 0; c < ncols && c < MAX_WIDTH_COLS; c++)
		px += (double)(int)(sh->width[c] * 9 + 5);
	scale = (int)(PAGE_W_PT / (px * 0.75) * 100);
	if (scale > 100)
		scale = 100;
	if (scale < 10)
		scale = 10;
	worksheet_set_print_scale(sh->ws, (uint16_t)scale);
	return scale;
}

int xlsx_page_rows(int scale)
{
	return (int)(PAGE_H_PT / (LINE_PT * scale / 100.0));
}

int xlsx_page_breaks(struct xlsx_sheet *sh, const unsigned *rows, int n)
{
	lxw_row_t br[32];
	int k = 0;

	if (sh->x->failed)
		return -1;
	for (int i = 0; i < n && k < 31; i++)
		if (rows[i])
			br[k++] = rows[i];
	br[k] = 0;
	if (!k)
		return 0;
	return xlsx_ok(sh->x, worksheet_set_h_pagebreaks(sh->ws, br), sh->name);
}

int xlsx_freeze(struct xlsx_sheet *sh, unsigned row, unsigned col)
{
	if (sh->x->failed)
		return -1;
	worksheet_freeze_panes(sh->ws, row, (lxw_col_t)col);
	return 0;
}

int xlsx_autofilter(struct xlsx_sheet *sh, unsigned r1, unsigned c1, unsigned r2, unsigned c2)
{
	if (sh->x->failed)
		return -1;
	return xlsx_ok(sh->x, worksheet_autofilter(sh->ws, r1, (lxw_col_t)c1, r2, (lxw_col_t)c2),
		       sh->name);
}

int xlsx_dropdown(struct xlsx_sheet *sh, unsigned r1, unsigned c1, unsigned r2, unsigned c2,
		  const char *const *values)
{
	lxw_data_validation dv = { 0 };
	size_t total = 0;
	int n = 0;

	if (sh->x->failed)
		return -1;
	for (; values[n]; n++) {
		total += strlen(values[n]) + (n ? 1 : 0);
		for (const char *p = values[n]; *p; p++)
			if ((unsigned char)*p >= 0x80 || *p == ',' || *p == '"')
				return xlsx_fail(sh->x, "dropdown value '%s' is not plain ASCII"
						 " (libxlsxwriter 1.1.4 would overflow)", values[n]);
	}
	if (!n || total > XLSX_MAX_LIST)
		return xlsx_fail(sh->x, "dropdown list in sheet '%s' is empty or longer than"
				 " 255 characters", sh->name);
	dv.validate = LXW_VALIDATION_TYPE_LIST;
	/* cast: 1.1.4 declares char ** and copies the strings */
	dv.value_list = (char **)values;
	dv.error_type = LXW_VALIDATION_ERROR_TYPE_STOP;
	dv.error_title = LXW_STR("Status");
	dv.error_message = LXW_STR("Pick a status from the list.");
	return xlsx_ok(sh->x, worksheet_data_validation_range(sh->ws, r1, (lxw_col_t)c1, r2,
							      (lxw_col_t)c2, &dv), sh->name);
}

int xlsx_highlight_if(struct xlsx_sheet *sh, unsigned r1, unsigned c1, unsigned r2,
		      unsigned c2, const char *formula)
{
	lxw_conditional_format cf = { 0 };

	if (sh->x->failed)
		return -1;
	cf.type = LXW_CONDITIONAL_TYPE_FORMULA;
	cf.value_string = LXW_STR(formula);
	cf.format = sh->x->fmt[XS_HIGHLIGHT];
	return xlsx_ok(sh->x, worksheet_conditional_format_range(sh->ws, r1, (lxw_col_t)c1, r2,
								 (lxw_col_t)c2, &cf), sh->name);
}

int xlsx_chart(struct xlsx_sheet *sh, unsigned row, unsigned col, enum xlsx_chart_type type,
	       const char *title, const struct xlsx_sheet *data_sheet,
	       const struct xlsx_series *series, int nseries)
{
	struct xlsx *x = sh->x;
	lxw_chart *chart;

	if (x->failed)
		return -1;
	chart = workbook_add_chart(x->wb, type == XC_PIE ? LXW_CHART_PIE : LXW_CHART_COLUMN);
	if (!chart)
		return xlsx_fail(x, "cannot add chart '%s'", title);
	chart_title_set_name(chart, title);
	for (int i = 0; i < nseries; i++) {
		const struct xlsx_series *s = &series[i];
		lxw_chart_series *cs = chart_add_series(chart, NULL, NULL);
		if (!cs)
			return xlsx_fail(x, "cannot add a series to chart '%s'", title);
		chart_series_set_categories(cs, data_sheet->name, s->first_row, (lxw_col_t)s->cat_col,
					    s->last_row, (lxw_col_t)s->cat_col);
		chart_series_set_values(cs, data_sheet->name, s->first_row, (lxw_col_t)s->val_col,
					s->last_row, (lxw_col_t)s->val_col);
		if (s->name)
			chart_series_set_name(cs, s->name);
	}
	if (type == XC_COLUMN && nseries == 1)
		chart_legend_set_position(chart, LXW_CHART_LEGEND_NONE);
	return xlsx_ok(x, worksheet_insert_chart(sh->ws, row, (lxw_col_t)col, chart), title);
}

double xlsx_fit(unsigned long n, double min, double max)
{
	double w = (double)n + 2;
	return w < min ? min : w > max ? max : w;
}
