/* pdf blocks: letterhead, key/value lines, address block, headings,
 * paragraphs, signature, page breaks and spacing. */
#include "pdf_int.h"

#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "xalloc.h"

/* ---- public: blocks ---------------------------------------------------- */

static char *ascii_upper(char *s)
{
	for (char *p = s; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
	return s;
}

int pdf_letterhead(struct pdf_doc *doc, const struct pdf_letterhead *lh)
{
	struct tblock tb = { F_BOLD, 14.0, 18.0, X0, TEXT_W, AL_CENTER,
			     &C_NAVY, 0 };
	char *s;
	int rc = 0;

	if (pdfi_enter(doc, 0) || !lh)
		return -1;
	s = ascii_upper(pdfi_clean_text(doc, lh->agency, 1, PDF_MAX_TEXT));
	rc = pdfi_draw_block(doc, &tb, s);
	free(s);
	if (!rc && lh->component) {
		tb.f = F_REG;
		tb.size = 11.0;
		tb.lead = 15.0;
		s = pdfi_clean_text(doc, lh->component, 1, PDF_MAX_TEXT);
		rc = pdfi_draw_block(doc, &tb, s);
		free(s);
	}
	if (!rc && lh->address) {
		doc->y -= 2;
		tb.f = F_REG;
		tb.size = SMALL_SIZE;
		tb.lead = SMALL_LEAD;
		tb.color = &C_GRAY;
		for (size_t i = 0; !rc && lh->address[i]; i++) {
			s = pdfi_clean_text(doc, lh->address[i], 1, PDF_MAX_TEXT);
			rc = pdfi_draw_block(doc, &tb, s);
			free(s);
		}
	}
	if (rc)
		return -1;
	if (pdfi_place(doc, 6))
		return -1;
	doc->y -= 4;
	pdfi_hline(doc, &C_NAVY, 1.5, X0, X1, doc->y);
	pdfi_hline(doc, &C_NAVY, 0.5, X0, X1, doc->y - 2.5);
	doc->y -= 2.5;
	pdfi_add_gap(doc, 22);
	return pdfi_check(doc, "letterhead");
}

/* key in bold in a column of keyw points, value wrapped beside it. */
static int kv_draw(struct pdf_doc *doc, const char *key, const char *value,
		   double keyw)
{
	char *k = pdfi_clean_text(doc, key, 1, PDF_MAX_TEXT);
	char *v = pdfi_clean_text(doc, value, 1, PDF_MAX_TEXT);
	size_t nk, nv, n, i;
	int rc = -1;

	doc->la.n = 0;
	doc->lb.n = 0;
	nk = pdfi_wrap(doc, &doc->la, F_BOLD, BODY_SIZE, k, keyw - 8);
	nv = pdfi_wrap(doc, &doc->lb, F_REG, BODY_SIZE, v, TEXT_W - keyw);
	n = nk > nv ? nk : nv;
	if (pdfi_place(doc, (double)(n <= 3 ? n : 2) * BODY_LEAD))
		goto out;
	for (i = 0; i < n; i++) {
		double by;

		if (doc->y - BODY_LEAD < BOTTOM - EPS && pdfi_new_page(doc))
			goto out;
		by = pdfi_baseline(doc->y, BODY_SIZE, BODY_LEAD);
		if (i < nk)
			pdfi_put_text(doc, F_BOLD, BODY_SIZE, &C_INK, X0, by,
				 k + doc->la.v[i].off, doc->la.v[i].len);
		if (i < nv)
			pdfi_put_text(doc, F_REG, BODY_SIZE, &C_INK, X0 + keyw, by,
				 v + doc->lb.v[i].off, doc->lb.v[i].len);
		doc->y -= BODY_LEAD;
	}
	pdfi_add_gap(doc, KV_AFTER);
	rc = pdfi_check(doc, "key/value");
out:
	free(k);
	free(v);
	return rc;
}

int pdf_kv(struct pdf_doc *doc, const char *key, const char *value)
{
	if (pdfi_enter(doc, 0))
		return -1;
	return kv_draw(doc, key, value, KV_KEY_W);
}

static const char *const month_names[12] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"
};

int pdf_address_block(struct pdf_doc *doc, const struct pdf_address_block *ab)
{
	struct tblock tb = { F_REG, BODY_SIZE, BODY_LEAD, X0, TEXT_W, AL_RIGHT,
			     &C_INK, 0 };
	char *s;
	int rc;

	if (pdfi_enter(doc, 0) || !ab)
		return -1;
	if (ab->date) {
		s = pdfi_clean_text(doc, ab->date, 1, PDF_MAX_TEXT);
	} else {
		int yr, mo, dy, hh, mm, ss;
		pdfi_civil_from_unix(doc->date, &yr, &mo, &dy, &hh, &mm, &ss);
		s = xasprintf("%s %d, %d", month_names[mo - 1], dy, yr);
	}
	rc = pdfi_draw_block(doc, &tb, s);
	free(s);
	if (rc)
		return -1;
	pdfi_add_gap(doc, 18);
	tb.align = AL_LEFT;
	for (size_t i = 0; ab->to && ab->to[i]; i++) {
		s = pdfi_clean_text(doc, ab->to[i], 1, PDF_MAX_TEXT);
		rc = pdfi_draw_block(doc, &tb, s);
		free(s);
		if (rc)
			return -1;
	}
	if (ab->subject) {
		double kw = pdfi_text_width(doc, F_BOLD, BODY_SIZE, "SUBJECT:") + 10;
		pdfi_add_gap(doc, 16);
		if (kv_draw(doc, "SUBJECT:", ab->subject, kw))
			return -1;
	}
	pdfi_add_gap(doc, 16);
	return pdfi_check(doc, "address block");
}

int pdf_heading(struct pdf_doc *doc, int level, const char *text)
{
	if (pdfi_enter(doc, 0))
		return -1;
	if (level != 1 && level != 2) {
		doc->failed = 1;
		return diag_error(NULL, "pdf: heading level %d (1 or 2)", level);
	}
	if (doc->pend) {        /* heading after heading: keep both together */
		double size, lead, before, after;
		pdfi_heading_metrics(level, &size, &lead, &before, &after);
		if (pdfi_place(doc, before + lead + after + 2 * BODY_LEAD))
			return -1;
	}
	doc->pend = pdfi_clean_text(doc, text, 0, INFO_MAX);
	doc->pend_level = level;
	return 0;
}

int pdf_text(struct pdf_doc *doc, unsigned style, const char *text)
{
	struct tblock tb = { F_REG, BODY_SIZE, BODY_LEAD, X0, TEXT_W, AL_LEFT,
			     &C_INK, 0 };
	char *s;
	int rc;

	if (pdfi_enter(doc, 0))
		return -1;
	if (style & PDF_BOLD)
		tb.f = F_BOLD;
	if (style & PDF_MONO) {
		if (pdfi_need_mono(doc))
			return -1;
		tb.f = F_MONO;
		tb.size = MONO_SIZE;
	}
	if (style & PDF_SMALL) {
		tb.size = SMALL_SIZE;
		tb.lead = SMALL_LEAD;
	}
	if (style & PDF_INDENT) {
		tb.x += INDENT_W;
		tb.w -= INDENT_W;
	}
	if (style & PDF_BULLET) {
		tb.bullet = 1;
		tb.x += BULLET_W + 5;
		tb.w -= BULLET_W + 5;
	}
	if (style & PDF_CENTER)
		tb.align = AL_CENTER;
	s = pdfi_clean_text(doc, text, 1, PDF_MAX_TEXT);
	rc = pdfi_draw_block(doc, &tb, s);
	free(s);
	if (!rc && !(style & PDF_TIGHT))
		pdfi_add_gap(doc, style & PDF_BULLET ? 3 :
			(style & PDF_SMALL ? 5 : PARA_AFTER));
	return rc;
}

int pdf_paragraph(struct pdf_doc *doc, const char *text)
{
	return pdf_text(doc, 0, text);
}

int pdf_bullet(struct pdf_doc *doc, const char *text)
{
	return pdf_text(doc, PDF_BULLET, text);
}

/* One body line at the left margin, on a new page if needed. */
static int sig_line(struct pdf_doc *doc, int f, const char *s,
		    const struct line *ln)
{
	if (doc->y - BODY_LEAD < BOTTOM - EPS && pdfi_new_page(doc))
		return -1;
	pdfi_put_text(doc, f, BODY_SIZE, &C_INK, X0,
		 pdfi_baseline(doc->y, BODY_SIZE, BODY_LEAD), s + ln->off, ln->len);
	doc->y -= BODY_LEAD;
	return 0;
}

int pdf_signature(struct pdf_doc *doc, const struct pdf_signature *sig)
{
	const double w = 324;   /* 4.5 in */
	const double room = 36; /* to sign */
	char *cl, *nm, *rest;
	size_t ncl = 0, nn, nr = 0, i;
	double total;
	int rc = -1;

	if (pdfi_enter(doc, 0) || !sig)
		return -1;
	cl = sig->closing ? pdfi_clean_text(doc, sig->closing, 1, INFO_MAX) : NULL;
	nm = pdfi_clean_text(doc, sig->name, 1, INFO_MAX);
	{
		size_t len = 0, o = 0;
		char *joined;

		if (sig->title)
			len += strlen(sig->title) + 1;
		for (i = 0; sig->lines && sig->lines[i]; i++)
			len += strlen(sig->lines[i]) + 1;
		joined = xmalloc(len + 1);
		if (sig->title) {
			memcpy(joined, sig->title, strlen(sig->title));
			o += strlen(sig->title);
			joined[o++] = '\n';
		}
		for (i = 0; sig->lines && sig->lines[i]; i++) {
			memcpy(joined + o, sig->lines[i], strlen(sig->lines[i]));
			o += strlen(sig->lines[i]);
			joined[o++] = '\n';
		}
		joined[o] = '\0';
		rest = pdfi_clean_text(doc, joined, 1, PDF_MAX_TEXT);
		free(joined);
	}
	doc->la.n = doc->lb.n = doc->lt.n = 0;
	if (cl)
		ncl = pdfi_wrap(doc, &doc->lt, F_REG, BODY_SIZE, cl, w);
	nn = pdfi_wrap(doc, &doc->la, F_BOLD, BODY_SIZE, nm, w);
	if (*rest)
		nr = pdfi_wrap(doc, &doc->lb, F_REG, BODY_SIZE, rest, w);
	total = (double)(ncl + nn + nr) * BODY_LEAD + room + 4;
	pdfi_add_gap(doc, 10);
	/* together on one page when it fits one, else the closing and name
	 * at least */
	if (pdfi_place(doc, total <= TOP - BOTTOM ? total :
		  (double)(ncl + 1) * BODY_LEAD + room + 4))
		goto out;
	for (i = 0; i < ncl; i++)
		if (sig_line(doc, F_REG, cl, &doc->lt.v[i]))
			goto out;
	if (doc->y - room - 4 - BODY_LEAD < BOTTOM - EPS && pdfi_new_page(doc))
		goto out;
	doc->y -= room;
	pdfi_hline(doc, &C_INK, 0.5, X0, X0 + 216, doc->y);
	doc->y -= 4;
	for (i = 0; i < nn; i++)
		if (sig_line(doc, F_BOLD, nm, &doc->la.v[i]))
			goto out;
	for (i = 0; i < nr; i++)
		if (sig_line(doc, F_REG, rest, &doc->lb.v[i]))
			goto out;
	pdfi_add_gap(doc, 12);
	rc = pdfi_check(doc, "signature");
out:
	free(cl);
	free(nm);
	free(rest);
	return rc;
}

int pdf_page_break(struct pdf_doc *doc)
{
	if (pdfi_enter(doc, 0))
		return -1;
	if (doc->pend && pdfi_place(doc, 2 * BODY_LEAD))
		return -1;
	if (!doc->page || pdfi_at_top(doc))
		return 0;
	return pdfi_new_page(doc);
}

int pdf_keep(struct pdf_doc *doc, double points)
{
	if (pdfi_enter(doc, 0))
		return -1;
	/* a pending heading already keeps with what follows it */
	if (!doc->page || doc->pend || pdfi_at_top(doc) || points >= TOP - BOTTOM)
		return 0;
	if (doc->y - doc->gap - points < BOTTOM - EPS)
		return pdfi_new_page(doc);
	return 0;
}

int pdf_space(struct pdf_doc *doc, double points)
{
	if (pdfi_enter(doc, 0))
		return -1;
	if (points > 0 && points < PAGE_H)
		doc->gap += points;
	return 0;
}
