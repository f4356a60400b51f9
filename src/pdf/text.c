/* pdf text: cleaning UTF-8 for libharu, measuring with a per-code-point
 * width cache (filled from HPDF_Font_TextWidth, 1/1000 em) and wrapping. */
#include "pdf_int.h"

#include <stdlib.h>
#include <string.h>

#include "utf8.h"
#include "xalloc.h"

/* ---- text cleaning ----------------------------------------------------- */

static size_t put_cp(char *o, unsigned long cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xC0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	o[0] = (char)(0xE0 | (cp >> 12));
	o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
	o[2] = (char)(0x80 | (cp & 0x3F));
	return 3;
}

/* Decode one code point from s[0..len); returns its length, or 0 when the
 * bytes there are not well-formed UTF-8 (defensive: utf8_check already
 * said the range is valid). */
static size_t get_cp(const unsigned char *s, size_t len, unsigned long *cp)
{
	unsigned char c = s[0];
	size_t n;
	unsigned long v, min;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		n = 2; v = c & 0x1F; min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 3; v = c & 0x0F; min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4; v = c & 0x07; min = 0x10000;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return 0;
	*cp = v;
	return n;
}

/* pdfi_clean_text without the filter. */
static char *clean_raw(const char *s, int keep_nl, size_t max)
{
	size_t len = s ? strlen(s) : 0;
	size_t pos = 0, o = 0;
	char *out;

	if (len > max) {
		len = max;
		while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
			len--;
	}
	out = xmalloc(len * 3 + 1);
	while (pos < len) {
		size_t r = utf8_check(s + pos, len - pos);
		size_t good = r ? r - 1 : len - pos;
		size_t end = pos + good;

		while (pos < end) {
			unsigned long cp;
			size_t n = get_cp((const unsigned char *)s + pos,
					  end - pos, &cp);
			if (!n) {
				o += put_cp(out + o, 0xFFFD);
				pos++;
				continue;
			}
			pos += n;
			if (cp == '\r' && pos < end && s[pos] == '\n')
				continue;               /* "\r\n": the '\n' follows */
			if (cp == '\n' || cp == '\r' || cp == 0x2028 ||
			    cp == 0x2029)
				out[o++] = keep_nl ? '\n' : ' ';
			else if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F))
				out[o++] = ' ';
			else if (cp > 0xFFFD)
				o += put_cp(out + o, 0xFFFD);
			else
				o += put_cp(out + o, cp);
		}
		if (r && pos < len) {           /* one bad byte */
			o += put_cp(out + o, 0xFFFD);
			pos++;
		}
	}
	while (o > 0 && (out[o - 1] == ' ' || out[o - 1] == '\n'))
		o--;
	out[o] = '\0';
	return out;
}

char *pdfi_clean_text(struct pdf_doc *doc, const char *s, int keep_nl, size_t max)
{
	char *f, *c;

	if (!doc || !doc->filter || !s)
		return clean_raw(s, keep_nl, max);
	f = doc->filter(doc->filter_ctx, s);
	c = clean_raw(f, keep_nl, max);
	free(f);
	return c;
}

/* Info strings end up unescaped in the XMP packet: make them safe there
 * and equal in /Info. Caller frees; NULL stays NULL. */
char *pdfi_clean_info(struct pdf_doc *doc, const char *s)
{
	char *c, *out;
	size_t o = 0;

	if (!s)
		return NULL;
	c = pdfi_clean_text(doc, s, 0, INFO_MAX);
	out = xmalloc(strlen(c) * 3 + 1);
	for (size_t i = 0; c[i]; i++) {
		if (c[i] == '&') {
			int sp = (i == 0 || c[i - 1] == ' ') &&
				 (c[i + 1] == ' ' || c[i + 1] == '\0');
			if (sp) {
				memcpy(out + o, "and", 3);
				o += 3;
			} else {
				out[o++] = '+';
			}
		} else if (c[i] == '<') {
			o += put_cp(out + o, 0x2039);
		} else if (c[i] == '>') {
			o += put_cp(out + o, 0x203A);
		} else {
			out[o++] = c[i];
		}
	}
	out[o] = '\0';
	free(c);
	if (o > INFO_MAX) {             /* the replacements may have grown it */
		char *cut = clean_raw(out, 0, INFO_MAX);
		free(out);
		out = cut;
	}
	return out;
}

/* ---- measuring and wrapping -------------------------------------------- */

#define WIDTH_UNKNOWN 0xFFFFu

/* Width (1/1000 em) of the code point at s (cleaned text: BMP only, so at
 * most 3 bytes); *n gets its byte length. */
unsigned pdfi_cp_width(struct pdf_doc *doc, int f, const char *s, size_t *n)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned cp;

	if (u[0] < 0x80) {
		cp = u[0];
		*n = 1;
	} else if (u[0] < 0xE0) {
		cp = ((u[0] & 0x1Fu) << 6) | (u[1] & 0x3Fu);
		*n = 2;
	} else {
		cp = ((u[0] & 0x0Fu) << 12) | ((u[1] & 0x3Fu) << 6) |
		     (u[2] & 0x3Fu);
		*n = 3;
	}
	if (doc->wcache[f][cp] == WIDTH_UNKNOWN) {
		HPDF_TextWidth tw = HPDF_Font_TextWidth(doc->font[f],
				(const HPDF_BYTE *)s, (HPDF_UINT)*n);
		doc->wcache[f][cp] = (unsigned short)(tw.width > 60000 ?
						      60000 : tw.width);
	}
	return doc->wcache[f][cp];
}

double pdfi_text_width(struct pdf_doc *doc, int f, double size,
			 const char *s)
{
	double u = 0;
	size_t n;

	while (*s) {
		u += pdfi_cp_width(doc, f, s, &n);
		s += n;
	}
	return u * size / 1000.0;
}

static void push_line(struct lines *l, size_t off, size_t len, double w)
{
	if (l->n == l->alloc)
		l->v = xgrow(l->v, l->n + 1, &l->alloc, sizeof(*l->v));
	l->v[l->n].off = off;
	l->v[l->n].len = len;
	l->v[l->n].w = w;
	l->n++;
}

/* May a token over the line width be cut between s[b - 1] and s[b]?
 * Paths, ids and addresses break only at their separators, before '/',
 * '_', '-' or '.' (Chicago style: the separator starts the next line, so
 * a line never ends in a hyphen that text extraction would take for a
 * soft one); never inside "//". (q: where the piece starts.) */
static int id_break(const char *s, size_t b, size_t q)
{
	char p = s[b - 1], c = s[b];

	if (b <= q)
		return 0;
	if (c == '/')
		return p != '/' && p != ':';
	return c == '_' || c == '-' || c == '.';
}

/* Break cleaned s into lines no wider than maxw points, appended to l.
 * Breaks at spaces; a word wider than the line is cut at the last
 * separator that fits (id_break), else after the last code point that
 * fits (at least one per line). Returns the number of
 * lines added (>= 1; an empty string is one empty line). */
/* The line being filled by pdfi_wrap: its start, end and width (units). */
struct wrap_line {
	size_t off, end;
	double w;
	int have;
};

/* A token [ws, we) wider than the line: cut it, at an id break (/ _ - .)
 * when one fits, else where the line is full; the full pieces are pushed,
 * the last one starts the current line. */
static void cut_token(struct pdf_doc *doc, struct lines *l, int f, const char *s, size_t ws,
		      size_t we, double maxu, double scale, struct wrap_line *cur)
{
	size_t q = ws, k;

	while (q < we) {
		size_t b = q, soft = 0;
		double w = 0, wsoft = 0;

		while (b < we) {
			unsigned cw = pdfi_cp_width(doc, f, s + b, &k);
			if (w + cw > maxu && b > q)
				break;
			w += cw;
			b += k;
			if (b < we && id_break(s, b, q)) {
				soft = b;
				wsoft = w;
			}
		}
		if (b >= we) {
			*cur = (struct wrap_line){ q, we, w, 1 };
			return;
		}
		if (soft > q) {
			b = soft;
			w = wsoft;
		}
		push_line(l, q, b - q, w * scale);
		q = b;
	}
}

size_t pdfi_wrap(struct pdf_doc *doc, struct lines *l, int f, double size,
		   const char *s, double maxw)
{
	const double scale = size / 1000.0;
	const double maxu = (maxw < 1 ? 1 : maxw) / scale;
	size_t n0 = l->n, p = 0, k;
	unsigned space_u = pdfi_cp_width(doc, f, " ", &k);

	for (;;) {                      /* one hard line */
		struct wrap_line cur = { p, p, 0, 0 };

		while (s[p] && s[p] != '\n') {
			size_t ws, we;
			double ww = 0;

			if (s[p] == ' ') {
				p++;
				continue;
			}
			ws = p;
			while (s[p] && s[p] != ' ' && s[p] != '\n') {
				ww += pdfi_cp_width(doc, f, s + p, &k);
				p += k;
			}
			we = p;
			if (cur.have) {
				double gap = (double)(ws - cur.end) * space_u;
				if (cur.w + gap + ww <= maxu) {
					cur.w += gap + ww;
					cur.end = we;
					continue;
				}
				push_line(l, cur.off, cur.end - cur.off, cur.w * scale);
				cur.have = 0;
			}
			if (ww <= maxu)
				cur = (struct wrap_line){ ws, we, ww, 1 };
			else
				cut_token(doc, l, f, s, ws, we, maxu, scale, &cur);
		}
		if (cur.have)
			push_line(l, cur.off, cur.end - cur.off, cur.w * scale);
		else
			push_line(l, p, 0, 0);
		if (s[p] != '\n')
			break;
		p++;
	}
	return l->n - n0;
}
