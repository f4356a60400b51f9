/* pdf pages: drawing primitives, new pages, headings (with their
 * bookmarks) and wrapped text blocks with widow/orphan control. */
#include "pdf_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "xalloc.h"

/* ---- drawing primitives ------------------------------------------------ */

const struct rgb C_INK = { 0.0f, 0.0f, 0.0f };
const struct rgb C_NAVY = { 0.106f, 0.200f, 0.376f };
const struct rgb C_GRAY = { 0.33f, 0.33f, 0.33f };
const struct rgb C_RULE = { 0.60f, 0.62f, 0.65f };
const struct rgb C_GRID = { 0.55f, 0.58f, 0.62f };
const struct rgb C_HEAD = { 0.863f, 0.894f, 0.937f };
const struct rgb C_ZEBRA = { 0.961f, 0.969f, 0.980f };

void pdfi_text_off(struct pdf_doc *doc)
{
	if (doc->in_text) {
		HPDF_Page_EndText(doc->page);
		doc->in_text = 0;
	}
}

void pdfi_set_fill(struct pdf_doc *doc, const struct rgb *c)
{
	if (doc->cur_fill != c) {
		HPDF_Page_SetRGBFill(doc->page, c->r, c->g, c->b);
		doc->cur_fill = c;
	}
}

void pdfi_set_stroke(struct pdf_doc *doc, const struct rgb *c, double lw)
{
	if (doc->cur_stroke != c) {
		HPDF_Page_SetRGBStroke(doc->page, c->r, c->g, c->b);
		doc->cur_stroke = c;
	}
	if (doc->cur_lw != lw) {
		HPDF_Page_SetLineWidth(doc->page, (HPDF_REAL)lw);
		doc->cur_lw = lw;
	}
}

/* Remember the code points of cleaned s as drawn in font f (for the
 * ToUnicode CMap written at save time). */
static void mark_used(struct pdf_doc *doc, int f, const char *s)
{
	const unsigned char *u = (const unsigned char *)s;

	while (*u) {
		unsigned cp;

		if (u[0] < 0x80) {
			cp = u[0];
			u += 1;
		} else if (u[0] < 0xE0) {
			cp = ((u[0] & 0x1Fu) << 6) | (u[1] & 0x3Fu);
			u += 2;
		} else {
			cp = ((u[0] & 0x0Fu) << 12) | ((u[1] & 0x3Fu) << 6) |
			     (u[2] & 0x3Fu);
			u += 3;
		}
		doc->used[f][cp >> 3] |= (unsigned char)(1u << (cp & 7));
	}
}

/* Draw s[0..len) with its baseline at (x, y). */
void pdfi_put_text(struct pdf_doc *doc, int f, double size,
		     const struct rgb *c, double x, double y,
		     const char *s, size_t len)
{
	if (!len)
		return;
	if (!doc->in_text) {
		HPDF_Page_BeginText(doc->page);
		doc->in_text = 1;
	}
	pdfi_set_fill(doc, c);
	if (doc->cur_f != f || doc->cur_size != size) {
		HPDF_Page_SetFontAndSize(doc->page, doc->font[f],
					 (HPDF_REAL)size);
		doc->cur_f = f;
		doc->cur_size = size;
	}
	if (len + 1 > doc->tbuf_alloc)
		doc->tbuf = xgrow(doc->tbuf, len + 1, &doc->tbuf_alloc, 1);
	memcpy(doc->tbuf, s, len);
	doc->tbuf[len] = '\0';
	mark_used(doc, f, doc->tbuf);
	HPDF_Page_TextOut(doc->page, (HPDF_REAL)x, (HPDF_REAL)y, doc->tbuf);
}

void pdfi_hline(struct pdf_doc *doc, const struct rgb *c, double lw,
		  double xa, double xb, double y)
{
	pdfi_text_off(doc);
	pdfi_set_stroke(doc, c, lw);
	HPDF_Page_MoveTo(doc->page, (HPDF_REAL)xa, (HPDF_REAL)y);
	HPDF_Page_LineTo(doc->page, (HPDF_REAL)xb, (HPDF_REAL)y);
	HPDF_Page_Stroke(doc->page);
}

/* Baseline of a line of type size `size` in a line box of height `lead`
 * whose top is `top`: the glyph box (DejaVu: ascent .928, descent .236)
 * centred in the line box. */
double pdfi_baseline(double top, double size, double lead)
{
	return top - (lead - 1.164 * size) / 2 - 0.928 * size;
}

void pdfi_reset_page_state(struct pdf_doc *doc)
{
	doc->in_text = 0;
	doc->cur_f = -1;
	doc->cur_size = 0;
	doc->cur_lw = -1;
	doc->cur_fill = NULL;
	doc->cur_stroke = NULL;
}

static void draw_running_header(struct pdf_doc *doc)
{
	double w = pdfi_text_width(doc, F_REG, SMALL_SIZE, doc->header);

	pdfi_put_text(doc, F_REG, SMALL_SIZE, &C_GRAY, X1 - (w < TEXT_W ? w : TEXT_W),
		 HEAD_TEXT_Y, doc->header, strlen(doc->header));
	pdfi_text_off(doc);
	pdfi_hline(doc, &C_RULE, 0.5, X0, X1, HEAD_RULE_Y);
}

int pdfi_new_page(struct pdf_doc *doc)
{
	HPDF_Page p;

	if (doc->page)
		pdfi_text_off(doc);
	if (pdfi_check(doc, "page"))
		return -1;
	if (doc->npages >= PDF_MAX_PAGES) {
		doc->failed = 1;
		return diag_error(NULL, "pdf: document longer than %d pages",
				  PDF_MAX_PAGES);
	}
	p = HPDF_AddPage(doc->pdf);
	if (!p)
		return pdfi_check(doc, "new page");
	HPDF_Page_SetSize(p, HPDF_PAGE_SIZE_LETTER, HPDF_PAGE_PORTRAIT);
	if (doc->npages == doc->apages)
		doc->pages = xgrow(doc->pages, doc->npages + 1, &doc->apages,
				   sizeof(*doc->pages));
	doc->pages[doc->npages++] = p;
	doc->page = p;
	doc->y = TOP;
	doc->gap = 0;
	pdfi_reset_page_state(doc);
	if (doc->header && doc->npages > 1)
		draw_running_header(doc);
	return pdfi_check(doc, "new page");
}

/* Whole lines of height lead that fit between y (less pad) and the
 * bottom margin; 0 when none. */
size_t pdfi_lines_left(const struct pdf_doc *doc, double pad, double lead)
{
	double n = floor((doc->y - BOTTOM - pad + EPS) / lead);

	return n > 0 ? (size_t)n : 0;
}

int pdfi_at_top(const struct pdf_doc *doc)
{
	return doc->y >= TOP - EPS;
}

void pdfi_add_gap(struct pdf_doc *doc, double g)
{
	if (g > doc->gap)
		doc->gap = g;
}

/* ---- headings ---------------------------------------------------------- */

void pdfi_heading_metrics(int level, double *size, double *lead,
			    double *before, double *after)
{
	*size = level == 1 ? H1_SIZE : H2_SIZE;
	*lead = level == 1 ? H1_LEAD : H2_LEAD;
	*before = level == 1 ? H1_BEFORE : H2_BEFORE;
	*after = level == 1 ? H1_AFTER : H2_AFTER;
}

static void add_outline(struct pdf_doc *doc, int level, const char *title,
			double top)
{
	HPDF_Outline parent = level == 2 ? doc->ol_last1 : NULL;
	HPDF_Outline o;
	HPDF_Destination d;

	o = HPDF_CreateOutline(doc->pdf, parent, title, doc->enc);
	if (!o)
		return;         /* recorded by the handler */
	d = HPDF_Page_CreateDestination(doc->page);
	if (d) {
		double t = top + 12 > PAGE_H ? PAGE_H : top + 12;
		HPDF_Destination_SetFitH(d, (HPDF_REAL)t);
		HPDF_Outline_SetDestination(o, d);
	}
	if (level == 1) {
		HPDF_Outline_SetOpened(o, HPDF_TRUE);
		doc->ol_last1 = o;
	}
	if (!doc->ol_used) {
		HPDF_SetPageMode(doc->pdf, HPDF_PAGE_MODE_USE_OUTLINE);
		doc->ol_used = 1;
	}
}

/* Make room for `need` points of content, drawing a pending heading with
 * it; starts a page when needed. */
int pdfi_place(struct pdf_doc *doc, double need)
{
	double size = 0, lead = 0, before = 0, after = 0, hh = 0, total;
	size_t n = 0;

	if (!doc->page && pdfi_new_page(doc))
		return -1;
	if (doc->pend) {
		pdfi_heading_metrics(doc->pend_level, &size, &lead, &before, &after);
		doc->lh.n = 0;
		n = pdfi_wrap(doc, &doc->lh, F_BOLD, size, doc->pend, TEXT_W);
		hh = (double)n * lead + after;
		pdfi_add_gap(doc, before);
	}
	total = doc->gap + hh + need;
	if (!pdfi_at_top(doc) && doc->y - total < BOTTOM - EPS && pdfi_new_page(doc))
		return -1;
	if (!pdfi_at_top(doc))
		doc->y -= doc->gap;
	doc->gap = 0;
	if (doc->pend) {
		const struct rgb *c = &C_NAVY;
		double top = doc->y;

		for (size_t i = 0; i < n; i++) {
			const struct line *ln = &doc->lh.v[i];
			pdfi_put_text(doc, F_BOLD, size, c, X0,
				 pdfi_baseline(doc->y, size, lead),
				 doc->pend + ln->off, ln->len);
			doc->y -= lead;
		}
		if (doc->pend_level == 1)
			pdfi_hline(doc, &C_NAVY, 0.75, X0, X1, doc->y - 2);
		doc->y -= after;
		add_outline(doc, doc->pend_level, doc->pend, top);
		free(doc->pend);
		doc->pend = NULL;
	}
	return pdfi_check(doc, "heading");
}

/* ---- generic wrapped text block ---------------------------------------- */

/* Lines doc->la.v[0..n) of s, with widow/orphan control. */
int pdfi_draw_block(struct pdf_doc *doc, const struct tblock *tb,
		      const char *s)
{
	size_t n, i = 0;

	doc->la.n = 0;
	n = pdfi_wrap(doc, &doc->la, tb->f, tb->size, s, tb->w);
	if (pdfi_place(doc, (double)(n >= 2 ? 2 : 1) * tb->lead))
		return -1;
	while (i < n) {
		size_t avail = pdfi_lines_left(doc, 0, tb->lead);
		size_t take = n - i;

		if (avail < take) {
			take = avail;
			if (n - i - take == 1 && take >= 3)
				take--;         /* no widow */
			if (take < 2 && i == 0 && n > 1)
				take = 0;       /* no orphan */
		}
		for (size_t j = 0; j < take; j++) {
			const struct line *ln = &doc->la.v[i + j];
			double x = tb->x;
			double by = pdfi_baseline(doc->y, tb->size, tb->lead);

			if (tb->align == AL_CENTER)
				x = tb->x + (tb->w - ln->w) / 2;
			else if (tb->align == AL_RIGHT)
				x = tb->x + tb->w - ln->w;
			if (tb->bullet && i + j == 0)
				pdfi_put_text(doc, tb->f, tb->size, tb->color,
					 tb->x - BULLET_W, by, "\xE2\x80\xA2", 3);
			pdfi_put_text(doc, tb->f, tb->size, tb->color, x, by,
				 s + ln->off, ln->len);
			doc->y -= tb->lead;
		}
		i += take;
		if (i < n && pdfi_new_page(doc))
			return -1;
	}
	return pdfi_check(doc, "text");
}
