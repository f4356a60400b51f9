/* pdf tables: wrapped cells, rows that break across pages, the header
 * row repeated on every page. */
#include "pdf_int.h"

#include <stdlib.h>

#include "diag.h"

void pdfi_table_clear(struct pdf_doc *doc)
{
	for (int c = 0; c < PDF_MAX_COLS; c++) {
		free(doc->t_hdr[c]);
		doc->t_hdr[c] = NULL;
	}
	doc->in_table = 0;
}

/* ---- public: tables ---------------------------------------------------- */

static double row_h(size_t nlines)
{
	return 2 * TBL_PADY + (double)nlines * TBL_LEAD;
}

/* Draw lines [from, from + k) of every cell as one row part. */
static void draw_row(struct pdf_doc *doc, char *const *cells,
		     const struct lines *l, const size_t *first,
		     const size_t *cnt, size_t from, size_t k, int header,
		     int zebra)
{
	double h = row_h(k), top = doc->y;

	pdfi_text_off(doc);
	if (header || zebra) {
		pdfi_set_fill(doc, header ? &C_HEAD : &C_ZEBRA);
		HPDF_Page_Rectangle(doc->page, (HPDF_REAL)X0,
				    (HPDF_REAL)(top - h), (HPDF_REAL)TEXT_W,
				    (HPDF_REAL)h);
		HPDF_Page_Fill(doc->page);
	}
	pdfi_set_stroke(doc, &C_GRID, 0.5);
	HPDF_Page_Rectangle(doc->page, (HPDF_REAL)X0, (HPDF_REAL)(top - h),
			    (HPDF_REAL)TEXT_W, (HPDF_REAL)h);
	for (int c = 1; c < doc->ncols; c++) {
		HPDF_Page_MoveTo(doc->page, (HPDF_REAL)doc->colx[c],
				 (HPDF_REAL)top);
		HPDF_Page_LineTo(doc->page, (HPDF_REAL)doc->colx[c],
				 (HPDF_REAL)(top - h));
	}
	HPDF_Page_Stroke(doc->page);
	for (int c = 0; c < doc->ncols; c++) {
		double cx = doc->colx[c] + TBL_PADX;
		double cw = doc->colx[c + 1] - doc->colx[c] - 2 * TBL_PADX;
		int f = header ? F_BOLD : doc->mono[c] ? F_MONO : F_REG;
		double size = !header && doc->mono[c] ? TBL_MONO_SIZE : TBL_SIZE;

		for (size_t j = from; j < from + k && j < cnt[c]; j++) {
			const struct line *ln = &l->v[first[c] + j];
			double x = cx;
			double ly = top - TBL_PADY - (double)(j - from) * TBL_LEAD;

			if (doc->align[c] == AL_RIGHT)
				x = cx + cw - ln->w;
			else if (doc->align[c] == AL_CENTER)
				x = cx + (cw - ln->w) / 2;
			pdfi_put_text(doc, f, size, &C_INK, x,
				 pdfi_baseline(ly, size, TBL_LEAD),
				 cells[c] + ln->off, ln->len);
		}
	}
	doc->y -= h;
}

static void draw_header(struct pdf_doc *doc)
{
	if (doc->t_hdr[0])
		draw_row(doc, doc->t_hdr, &doc->lh, doc->hfirst, doc->hn, 0,
			 doc->hmax, 1, 0);
}

static double header_h(const struct pdf_doc *doc)
{
	return doc->t_hdr[0] ? row_h(doc->hmax) : 0;
}

static int table_new_page(struct pdf_doc *doc)
{
	if (pdfi_new_page(doc))
		return -1;
	draw_header(doc);
	return 0;
}

/* The table's header lines live in doc->lh; pdfi_place() reuses doc->lh
 * for a pending heading, so wrap the header again after it. */
static void wrap_header(struct pdf_doc *doc)
{
	doc->lh.n = 0;
	doc->hmax = 0;
	if (!doc->t_hdr[0])
		return;
	for (int c = 0; c < doc->ncols; c++) {
		double cw = doc->colx[c + 1] - doc->colx[c] - 2 * TBL_PADX;
		doc->hfirst[c] = doc->lh.n;
		doc->hn[c] = pdfi_wrap(doc, &doc->lh, F_BOLD, TBL_SIZE, doc->t_hdr[c],
				  cw);
		if (doc->hn[c] > TBL_HDR_LINES)
			doc->hn[c] = TBL_HDR_LINES;     /* lines past it dropped */
		if (doc->hn[c] > doc->hmax)
			doc->hmax = doc->hn[c];
	}
}

/* First output of a table: the heading (if pending), the header row and
 * `need` more points on one page. */
static int table_start(struct pdf_doc *doc, double need)
{
	double hh;

	wrap_header(doc);
	hh = header_h(doc);
	if (pdfi_place(doc, hh + need))
		return -1;
	wrap_header(doc);
	draw_header(doc);
	doc->t_started = 1;
	return 0;
}

int pdf_table_begin(struct pdf_doc *doc, int ncols,
		    const char *const *headers, const double *widths_fraction)
{
	double sum = 0, x;

	if (pdfi_enter(doc, 0))
		return -1;
	if (ncols < 1 || ncols > PDF_MAX_COLS) {
		doc->failed = 1;
		return diag_error(NULL, "pdf: table with %d columns (1..%d)",
				  ncols, PDF_MAX_COLS);
	}
	for (int c = 0; widths_fraction && c < ncols; c++) {
		if (!(widths_fraction[c] > 0) || widths_fraction[c] > 1e6) {
			doc->failed = 1;
			return diag_error(NULL, "pdf: table column %d: width "
					  "%g not positive", c + 1,
					  widths_fraction[c]);
		}
		sum += widths_fraction[c];
	}
	doc->ncols = ncols;
	x = X0;
	for (int c = 0; c < ncols; c++) {
		doc->colx[c] = x;
		x += TEXT_W * (widths_fraction ? widths_fraction[c] / sum :
			       1.0 / ncols);
		doc->align[c] = AL_LEFT;
		doc->mono[c] = 0;
	}
	doc->colx[ncols] = X1;
	for (int c = 0; headers && c < ncols; c++)
		doc->t_hdr[c] = pdfi_clean_text(doc, headers[c], 1, INFO_MAX);
	doc->in_table = 1;
	doc->t_started = 0;
	doc->t_rowno = 0;
	return 0;
}

int pdf_table_align(struct pdf_doc *doc, const char *spec)
{
	if (pdfi_enter(doc, 1))
		return -1;
	if (!doc->in_table || doc->t_started) {
		doc->failed = 1;
		return diag_error(NULL, "pdf: pdf_table_align outside a table "
				  "or after its first row");
	}
	for (int c = 0; spec && spec[c] && c < doc->ncols; c++) {
		doc->align[c] = spec[c] == 'r' ? AL_RIGHT :
				spec[c] == 'c' ? AL_CENTER : AL_LEFT;
		doc->mono[c] = spec[c] == 'm';
		if (doc->mono[c] && pdfi_need_mono(doc))
			return -1;
	}
	return 0;
}

int pdf_table_row(struct pdf_doc *doc, const char *const *cells)
{
	char *cs[PDF_MAX_COLS] = { NULL };
	size_t first[PDF_MAX_COLS], cnt[PDF_MAX_COLS], maxn = 0, from = 0;
	int rc = -1;
	int zebra;

	if (pdfi_enter(doc, 1))
		return -1;
	if (!doc->in_table) {
		doc->failed = 1;
		return diag_error(NULL, "pdf: pdf_table_row outside a table");
	}
	doc->lt.n = 0;
	for (int c = 0; c < doc->ncols; c++) {
		double cw = doc->colx[c + 1] - doc->colx[c] - 2 * TBL_PADX;
		cs[c] = pdfi_clean_text(doc, cells ? cells[c] : NULL, 1, PDF_MAX_TEXT);
		first[c] = doc->lt.n;
		cnt[c] = pdfi_wrap(doc, &doc->lt, doc->mono[c] ? F_MONO : F_REG,
				   doc->mono[c] ? TBL_MONO_SIZE : TBL_SIZE, cs[c], cw);
		if (cnt[c] > maxn)
			maxn = cnt[c];
	}
	if (!doc->t_started &&
	    table_start(doc, row_h(maxn < 2 ? maxn : 2)))
		goto out;
	zebra = (int)(doc->t_rowno++ & 1);
	while (from < maxn) {
		size_t left = maxn - from, k;

		if (doc->y - row_h(left) >= BOTTOM - EPS) {
			draw_row(doc, cs, &doc->lt, first, cnt, from, left, 0,
				 zebra);
			break;
		}
		if (from == 0 && row_h(left) <= TOP - BOTTOM - header_h(doc)) {
			if (table_new_page(doc))
				goto out;
			continue;
		}
		k = pdfi_lines_left(doc, 2 * TBL_PADY, TBL_LEAD);
		if (k < 2) {
			if (table_new_page(doc))
				goto out;
			continue;
		}
		draw_row(doc, cs, &doc->lt, first, cnt, from, k, 0, zebra);
		from += k;
		if (table_new_page(doc))
			goto out;
	}
	rc = pdfi_check(doc, "table row");
out:
	for (int c = 0; c < PDF_MAX_COLS; c++)
		free(cs[c]);
	return rc;
}

int pdf_table_end(struct pdf_doc *doc)
{
	int rc = 0;

	if (pdfi_enter(doc, 1))
		return -1;
	if (!doc->in_table) {
		doc->failed = 1;
		return diag_error(NULL, "pdf: pdf_table_end outside a table");
	}
	if (!doc->t_started)
		rc = table_start(doc, 0);
	pdfi_table_clear(doc);
	pdfi_add_gap(doc, TBL_AFTER);
	return rc ? -1 : pdfi_check(doc, "table");
}
