/* pdf: layout engine over libharu 2.3.0; see include/pdf.h.
 *
 * The page is filled top to bottom. doc->y is the top of the free space;
 * doc->gap is vertical space owed before the next block (collapsed: the
 * larger of two gaps wins, and none is owed at the top of a page). Every
 * block first calls place(doc, need) with the height of its first unbreakable
 * piece; place() starts a new page when that does not fit, and draws a
 * pending heading together with it (keep-with-next).
 *
 * Text is measured with our own per-code-point width cache (filled from
 * HPDF_Font_TextWidth, 1/1000 em) and drawn a line at a time with
 * HPDF_Page_TextOut; HPDF_Page_TextRect is never used.
 *
 * Determinism: libharu 2.3.0 reads the clock in exactly two places (checked
 * with objdump on Debian's libhpdf-2.3.0.so): HPDF_EncryptDict_CreateID
 * (encryption only; never used here) and HPDF_PDFA_GenerateID (time() +
 * ctime() hashed into the trailer /ID). Info dates are only what we set. We
 * pre-seed /ID with a zero placeholder (so GenerateID keeps it), save to
 * libharu's memory stream, replace the placeholder with an MD5 of the file
 * bytes and the document date, and write the bytes ourselves.
 *
 * Other libharu 2.3.0 defects worked around here: the XMP date converter
 * rejects a 'Z' zone (we use +00'00'); the output intent's
 * /DestOutputProfile key, the XMP /Subtype key and the fonts' ToUnicode
 * CMaps are wrong (see fix_output_intent and after); SetError() records
 * some errors without calling the handler (check() also asks
 * HPDF_GetError). */
#include "pdf.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hpdf.h>
#include <hpdf_encrypt.h>       /* HPDF_MD5* */

#include "diag.h"
#include "utf8.h"
#include "xalloc.h"

/* ---- geometry (points; US Letter portrait, 1 in margins) ---------------- */

#define PAGE_W          612.0
#define PAGE_H          792.0
#define MARGIN          72.0
#define X0              MARGIN
#define X1              (PAGE_W - MARGIN)
#define TEXT_W          (X1 - X0)
#define TOP             (PAGE_H - MARGIN)
#define BOTTOM          MARGIN
#define EPS             0.01

#define BODY_SIZE       10.5
#define BODY_LEAD       14.0
#define SMALL_SIZE      8.5
#define SMALL_LEAD      11.0
#define PARA_AFTER      7.0
#define INDENT_W        27.0
#define BULLET_W        13.0

#define H1_SIZE         12.5
#define H1_LEAD         16.0
#define H1_BEFORE       18.0
#define H1_AFTER        8.0
#define H2_SIZE         10.5
#define H2_LEAD         14.0
#define H2_BEFORE       12.0
#define H2_AFTER        4.0

#define KV_KEY_W        136.8   /* 1.9 in */
#define KV_AFTER        2.0

#define TBL_SIZE        9.0
#define TBL_LEAD        11.0
#define TBL_PADX        4.0
#define TBL_PADY        3.0
#define TBL_AFTER       12.0
#define TBL_HDR_LINES   6       /* a header cell is cut after 6 lines */

#define FOOT_RULE_Y     58.0
#define FOOT_TEXT_Y     46.0
#define FOOT_PAGE_Y     33.0
#define HEAD_TEXT_Y     (PAGE_H - 50.0)
#define HEAD_RULE_Y     (PAGE_H - 55.0)

#define INFO_MAX        1000    /* bytes per info string */
#define ID_HEX          32      /* one /ID string, hex digits */

enum { F_REG, F_BOLD, NFONTS };
enum { AL_LEFT, AL_CENTER, AL_RIGHT };

struct rgb { float r, g, b; };

static const struct rgb C_INK = { 0.0f, 0.0f, 0.0f };
static const struct rgb C_NAVY = { 0.106f, 0.200f, 0.376f };
static const struct rgb C_GRAY = { 0.33f, 0.33f, 0.33f };
static const struct rgb C_RULE = { 0.60f, 0.62f, 0.65f };
static const struct rgb C_GRID = { 0.55f, 0.58f, 0.62f };
static const struct rgb C_HEAD = { 0.863f, 0.894f, 0.937f };
static const struct rgb C_ZEBRA = { 0.961f, 0.969f, 0.980f };

/* ---- state ------------------------------------------------------------- */

struct pdf_err {
	HPDF_STATUS no, detail;
};

struct line {
	size_t off, len;        /* bytes within the wrapped string */
	double w;               /* points */
};

struct lines {
	struct line *v;
	size_t n, alloc;
};

struct pdf_doc {
	HPDF_Doc pdf;
	struct pdf_err err;     /* first libharu error (handler user_data) */
	int failed;             /* an error was printed; refuse everything */
	int saved;

	HPDF_Font font[NFONTS];
	unsigned short *wcache[NFONTS]; /* BMP code point -> 1/1000 em */
	unsigned char *used[NFONTS];    /* bitmap of code points drawn */
	HPDF_Encoder enc;

	long long date;
	char *footer, *header;  /* cleaned; NULL: none */

	HPDF_Page *pages;
	size_t npages, apages;
	HPDF_Page page;         /* current page, NULL before the first */
	double y, gap;

	/* drawing state of the current page */
	int in_text, cur_f;
	double cur_size, cur_lw;
	const struct rgb *cur_fill, *cur_stroke;

	/* outline */
	HPDF_Outline ol_last1;
	int ol_used;

	/* pending heading (drawn by place() with what follows) */
	char *pend;
	int pend_level;

	/* open table */
	int in_table, t_started, ncols;
	long t_rowno;
	double colx[PDF_MAX_COLS + 1];
	int align[PDF_MAX_COLS];
	char *t_hdr[PDF_MAX_COLS];      /* cleaned headers; NULL: no header row */
	size_t hfirst[PDF_MAX_COLS], hn[PDF_MAX_COLS], hmax;

	/* scratch */
	struct lines la, lb, lh, lt;
	char *tbuf;
	size_t tbuf_alloc;
};

/* ---- libharu errors ---------------------------------------------------- */

static const struct {
	unsigned long no;
	const char *name;
} hpdf_errs[] = {
	{ 0x1015, "HPDF_FAILD_TO_ALLOC_MEM" },
	{ 0x1016, "HPDF_FILE_IO_ERROR" },
	{ 0x1017, "HPDF_FILE_OPEN_ERROR" },
	{ 0x1020, "HPDF_INVALID_COLOR_SPACE" },
	{ 0x1022, "HPDF_INVALID_DATE_TIME" },
	{ 0x1023, "HPDF_INVALID_DESTINATION" },
	{ 0x1025, "HPDF_INVALID_DOCUMENT" },
	{ 0x1027, "HPDF_INVALID_ENCODER" },
	{ 0x102B, "HPDF_INVALID_ENCODING_NAME" },
	{ 0x102D, "HPDF_INVALID_FONTDEF_DATA" },
	{ 0x102F, "HPDF_INVALID_FONT_NAME" },
	{ 0x1033, "HPDF_INVALID_OBJECT" },
	{ 0x1035, "HPDF_INVALID_OPERATION" },
	{ 0x1036, "HPDF_INVALID_OUTLINE" },
	{ 0x1037, "HPDF_INVALID_PAGE" },
	{ 0x1039, "HPDF_INVALID_PARAMETER" },
	{ 0x103C, "HPDF_INVALID_STREAM" },
	{ 0x1050, "HPDF_PAGE_INVALID_FONT_SIZE" },
	{ 0x1051, "HPDF_PAGE_INVALID_GMODE" },
	{ 0x1056, "HPDF_PAGE_OUT_OF_RANGE" },
	{ 0x1057, "HPDF_REAL_OUT_OF_RANGE" },
	{ 0x1058, "HPDF_STREAM_EOF" },
	{ 0x105B, "HPDF_STRING_OUT_OF_RANGE" },
	{ 0x105D, "HPDF_TTF_CANNOT_EMBEDDING_FONT" },
	{ 0x105E, "HPDF_TTF_INVALID_CMAP" },
	{ 0x105F, "HPDF_TTF_INVALID_FOMAT" },
	{ 0x1060, "HPDF_TTF_MISSING_TABLE" },
	{ 0x1065, "HPDF_XREF_COUNT_ERR" },
	{ 0x1066, "HPDF_ZLIB_ERROR" },
	{ 0x1085, "HPDF_INVALID_ICC_COMPONENT_NUM" },
};

static const char *hpdf_err_name(unsigned long no)
{
	for (size_t i = 0; i < sizeof(hpdf_errs) / sizeof(hpdf_errs[0]); i++)
		if (hpdf_errs[i].no == no)
			return hpdf_errs[i].name;
	return "error";
}

static void pdf_on_error(HPDF_STATUS no, HPDF_STATUS detail, void *ud)
{
	struct pdf_err *e = ud;

	if (!e->no) {   /* later errors are fallout of the sticky state */
		e->no = no;
		e->detail = detail;
	}
}

/* 0, or -1 once a libharu error has been recorded (printed the first
 * time; what = the operation, for the message). */
static int check(struct pdf_doc *doc, const char *what)
{
	if (doc->failed)
		return -1;
	if (!doc->err.no && doc->pdf && HPDF_GetError(doc->pdf)) {
		/* set with HPDF_SetError, which does not call the handler */
		doc->err.no = HPDF_GetError(doc->pdf);
		doc->err.detail = HPDF_GetErrorDetail(doc->pdf);
	}
	if (!doc->err.no)
		return 0;
	doc->failed = 1;
	return diag_error(NULL, "pdf: %s: libharu %s (0x%04lX, detail %lu)",
			  what, hpdf_err_name((unsigned long)doc->err.no),
			  (unsigned long)doc->err.no,
			  (unsigned long)doc->err.detail);
}

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

/* Cleaned copy of s (caller frees): invalid bytes and code points above
 * U+FFFF (and U+FFFE/U+FFFF) become U+FFFD, control characters become
 * spaces; with keep_nl, "\r\n", '\r', '\n', U+2028 and U+2029 become '\n'.
 * Trailing white space is dropped. NULL gives "". */
static char *clean_text(const char *s, int keep_nl, size_t max)
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

/* Info strings end up unescaped in the XMP packet: make them safe there
 * and equal in /Info. Caller frees; NULL stays NULL. */
static char *clean_info(const char *s)
{
	char *c, *out;
	size_t o = 0;

	if (!s)
		return NULL;
	c = clean_text(s, 0, INFO_MAX);
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
		char *cut = clean_text(out, 0, INFO_MAX);
		free(out);
		out = cut;
	}
	return out;
}

/* ---- measuring and wrapping -------------------------------------------- */

#define WIDTH_UNKNOWN 0xFFFFu

/* Width (1/1000 em) of the code point at s (cleaned text: BMP only, so at
 * most 3 bytes); *n gets its byte length. */
static unsigned cp_width(struct pdf_doc *doc, int f, const char *s, size_t *n)
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

static double text_width(struct pdf_doc *doc, int f, double size,
			 const char *s)
{
	double u = 0;
	size_t n;

	while (*s) {
		u += cp_width(doc, f, s, &n);
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

/* May a token over the line width be cut between s[b - 1] and s[b]
 * (q: where the current piece starts)? Chicago style for URLs: after "//"
 * or ':', before '/', '.', '-', '_', '?', '#', '%', '~', '@', ',', ';',
 * before or after '=' and '&'; never inside "//". */
static int url_break(const char *s, size_t b, size_t q)
{
	char p = s[b - 1], c = s[b];

	if (c == '/')
		return p != '/' && s[b + 1] != '/' && p != ':';
	if (p == '/' && b >= q + 2 && s[b - 2] == '/')
		return 1;
	if (p == ':' || p == '=' || p == '&')
		return 1;
	return c == '.' || c == '-' || c == '_' || c == '?' || c == '#' ||
	       c == '%' || c == '~' || c == '@' || c == ',' || c == ';' ||
	       c == '=' || c == '&';
}

/* Break cleaned s into lines no wider than maxw points, appended to l.
 * Breaks at spaces; a word wider than the line is cut at a URL break
 * point (url_break) in the second half of the line if there is one, else
 * after the last code point that fits (at least one per line). Returns the number of
 * lines added (>= 1; an empty string is one empty line). */
static size_t wrap(struct pdf_doc *doc, struct lines *l, int f, double size,
		   const char *s, double maxw)
{
	const double scale = size / 1000.0;
	const double maxu = (maxw < 1 ? 1 : maxw) / scale;
	size_t n0 = l->n, p = 0, k;
	unsigned space_u = cp_width(doc, f, " ", &k);

	for (;;) {                      /* one hard line */
		size_t line_off = p, line_end = p;
		double lw = 0;
		int have = 0;

		while (s[p] && s[p] != '\n') {
			size_t ws, we;
			double ww = 0;

			if (s[p] == ' ') {
				p++;
				continue;
			}
			ws = p;
			while (s[p] && s[p] != ' ' && s[p] != '\n') {
				ww += cp_width(doc, f, s + p, &k);
				p += k;
			}
			we = p;
			if (have) {
				double gap = (double)(ws - line_end) * space_u;
				if (lw + gap + ww <= maxu) {
					lw += gap + ww;
					line_end = we;
					continue;
				}
				push_line(l, line_off, line_end - line_off,
					  lw * scale);
				have = 0;
			}
			if (ww <= maxu) {
				line_off = ws;
				line_end = we;
				lw = ww;
				have = 1;
				continue;
			}
			/* a token wider than the line: cut it */
			size_t q = ws;
			while (q < we) {
				size_t b = q, soft = 0;
				double w = 0, wsoft = 0;

				while (b < we) {
					unsigned cw = cp_width(doc, f, s + b, &k);
					if (w + cw > maxu && b > q)
						break;
					w += cw;
					b += k;
					if (b < we && url_break(s, b, q)) {
						soft = b;
						wsoft = w;
					}
				}
				if (b >= we) {
					line_off = q;
					line_end = we;
					lw = w;
					have = 1;
					break;
				}
				if (soft > q && (soft - q) * 2 >= b - q) {
					b = soft;
					w = wsoft;
				}
				push_line(l, q, b - q, w * scale);
				q = b;
			}
		}
		if (have)
			push_line(l, line_off, line_end - line_off, lw * scale);
		else
			push_line(l, p, 0, 0);
		if (s[p] != '\n')
			break;
		p++;
	}
	return l->n - n0;
}

/* ---- drawing primitives ------------------------------------------------ */

static void text_off(struct pdf_doc *doc)
{
	if (doc->in_text) {
		HPDF_Page_EndText(doc->page);
		doc->in_text = 0;
	}
}

static void set_fill(struct pdf_doc *doc, const struct rgb *c)
{
	if (doc->cur_fill != c) {
		HPDF_Page_SetRGBFill(doc->page, c->r, c->g, c->b);
		doc->cur_fill = c;
	}
}

static void set_stroke(struct pdf_doc *doc, const struct rgb *c, double lw)
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
static void put_text(struct pdf_doc *doc, int f, double size,
		     const struct rgb *c, double x, double y,
		     const char *s, size_t len)
{
	if (!len)
		return;
	if (!doc->in_text) {
		HPDF_Page_BeginText(doc->page);
		doc->in_text = 1;
	}
	set_fill(doc, c);
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

static void hline(struct pdf_doc *doc, const struct rgb *c, double lw,
		  double xa, double xb, double y)
{
	text_off(doc);
	set_stroke(doc, c, lw);
	HPDF_Page_MoveTo(doc->page, (HPDF_REAL)xa, (HPDF_REAL)y);
	HPDF_Page_LineTo(doc->page, (HPDF_REAL)xb, (HPDF_REAL)y);
	HPDF_Page_Stroke(doc->page);
}

/* Baseline of a line of type size `size` in a line box of height `lead`
 * whose top is `top`: the glyph box (DejaVu: ascent .928, descent .236)
 * centred in the line box. */
static double baseline(double top, double size, double lead)
{
	return top - (lead - 1.164 * size) / 2 - 0.928 * size;
}

static void reset_page_state(struct pdf_doc *doc)
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
	double w = text_width(doc, F_REG, SMALL_SIZE, doc->header);

	put_text(doc, F_REG, SMALL_SIZE, &C_GRAY, X1 - (w < TEXT_W ? w : TEXT_W),
		 HEAD_TEXT_Y, doc->header, strlen(doc->header));
	text_off(doc);
	hline(doc, &C_RULE, 0.5, X0, X1, HEAD_RULE_Y);
}

static int new_page(struct pdf_doc *doc)
{
	HPDF_Page p;

	if (doc->page)
		text_off(doc);
	if (check(doc, "page"))
		return -1;
	if (doc->npages >= PDF_MAX_PAGES) {
		doc->failed = 1;
		return diag_error(NULL, "pdf: document longer than %d pages",
				  PDF_MAX_PAGES);
	}
	p = HPDF_AddPage(doc->pdf);
	if (!p)
		return check(doc, "new page");
	HPDF_Page_SetSize(p, HPDF_PAGE_SIZE_LETTER, HPDF_PAGE_PORTRAIT);
	if (doc->npages == doc->apages)
		doc->pages = xgrow(doc->pages, doc->npages + 1, &doc->apages,
				   sizeof(*doc->pages));
	doc->pages[doc->npages++] = p;
	doc->page = p;
	doc->y = TOP;
	doc->gap = 0;
	reset_page_state(doc);
	if (doc->header && doc->npages > 1)
		draw_running_header(doc);
	return check(doc, "new page");
}

/* Whole lines of height lead that fit between y (less pad) and the
 * bottom margin; 0 when none. */
static size_t lines_left(const struct pdf_doc *doc, double pad, double lead)
{
	double n = floor((doc->y - BOTTOM - pad + EPS) / lead);

	return n > 0 ? (size_t)n : 0;
}

static int at_top(const struct pdf_doc *doc)
{
	return doc->y >= TOP - EPS;
}

static void add_gap(struct pdf_doc *doc, double g)
{
	if (g > doc->gap)
		doc->gap = g;
}

/* ---- headings ---------------------------------------------------------- */

static void heading_metrics(int level, double *size, double *lead,
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
static int place(struct pdf_doc *doc, double need)
{
	double size = 0, lead = 0, before = 0, after = 0, hh = 0, total;
	size_t n = 0;

	if (!doc->page && new_page(doc))
		return -1;
	if (doc->pend) {
		heading_metrics(doc->pend_level, &size, &lead, &before, &after);
		doc->lh.n = 0;
		n = wrap(doc, &doc->lh, F_BOLD, size, doc->pend, TEXT_W);
		hh = (double)n * lead + after;
		add_gap(doc, before);
	}
	total = doc->gap + hh + need;
	if (!at_top(doc) && doc->y - total < BOTTOM - EPS && new_page(doc))
		return -1;
	if (!at_top(doc))
		doc->y -= doc->gap;
	doc->gap = 0;
	if (doc->pend) {
		const struct rgb *c = &C_NAVY;
		double top = doc->y;

		for (size_t i = 0; i < n; i++) {
			const struct line *ln = &doc->lh.v[i];
			put_text(doc, F_BOLD, size, c, X0,
				 baseline(doc->y, size, lead),
				 doc->pend + ln->off, ln->len);
			doc->y -= lead;
		}
		if (doc->pend_level == 1)
			hline(doc, &C_NAVY, 0.75, X0, X1, doc->y - 2);
		doc->y -= after;
		add_outline(doc, doc->pend_level, doc->pend, top);
		free(doc->pend);
		doc->pend = NULL;
	}
	return check(doc, "heading");
}

/* ---- generic wrapped text block ---------------------------------------- */

struct tblock {
	int f;
	double size, lead;
	double x, w;            /* text column */
	int align;
	const struct rgb *color;
	int bullet;             /* draw a bullet left of the first line */
};

/* Lines doc->la.v[0..n) of s, with widow/orphan control. */
static int draw_block(struct pdf_doc *doc, const struct tblock *tb,
		      const char *s)
{
	size_t n, i = 0;

	doc->la.n = 0;
	n = wrap(doc, &doc->la, tb->f, tb->size, s, tb->w);
	if (place(doc, (double)(n >= 2 ? 2 : 1) * tb->lead))
		return -1;
	while (i < n) {
		size_t avail = lines_left(doc, 0, tb->lead);
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
			double by = baseline(doc->y, tb->size, tb->lead);

			if (tb->align == AL_CENTER)
				x = tb->x + (tb->w - ln->w) / 2;
			else if (tb->align == AL_RIGHT)
				x = tb->x + tb->w - ln->w;
			if (tb->bullet && i + j == 0)
				put_text(doc, tb->f, tb->size, tb->color,
					 tb->x - BULLET_W, by, "\xE2\x80\xA2", 3);
			put_text(doc, tb->f, tb->size, tb->color, x, by,
				 s + ln->off, ln->len);
			doc->y -= tb->lead;
		}
		i += take;
		if (i < n && new_page(doc))
			return -1;
	}
	return check(doc, "text");
}

/* ---- public: document -------------------------------------------------- */

static int enter(struct pdf_doc *doc, int in_table_ok)
{
	if (!doc || doc->failed)
		return -1;
	if (doc->saved) {
		doc->failed = 1;
		return diag_error(NULL, "pdf: content added after the document was saved");
	}
	if (doc->in_table && !in_table_ok) {
		doc->failed = 1;
		return diag_error(NULL, "pdf: call inside a table (missing pdf_table_end)");
	}
	return 0;
}

static char *font_path(const char *file)
{
	const char *dir = getenv("UDAUDIT_FONT_DIR");

	if (!dir || !*dir)
		dir = "/usr/share/fonts/truetype/dejavu";
	return xasprintf("%s/%s", dir, file);
}

static int readable(const char *path, const char *what)
{
	FILE *fp = fopen(path, "rb");

	if (!fp)
		return diag_error(NULL, "pdf: cannot open %s '%s': %s", what,
				  path, strerror(errno));
	fclose(fp);
	return 0;
}

/* Days since 1970-01-01 to civil date (H. Hinnant's algorithm). */
static void civil_from_unix(long long t, int *yr, int *mo, int *dy,
			    int *hh, int *mm, int *ss)
{
	long long days = t / 86400, rem = t % 86400;
	long long era, y;
	unsigned doe, yoe, doy, mp;

	if (rem < 0) {
		rem += 86400;
		days--;
	}
	*hh = (int)(rem / 3600);
	*mm = (int)(rem % 3600 / 60);
	*ss = (int)(rem % 60);
	days += 719468;
	era = (days >= 0 ? days : days - 146096) / 146097;
	doe = (unsigned)(days - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = (long long)yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*dy = (int)(doy - (153 * mp + 2) / 5 + 1);
	*mo = (int)(mp < 10 ? mp + 3 : mp - 9);
	*yr = (int)(y + (*mo <= 2));
}

/* libharu 2.3.0 bugs on our path, fixed in its object tree (the structs
 * are public in its headers):
 * - HPDF_PDFA_AppendOutputIntents names the key "DestOutputProfile "
 *   (trailing space, written /DestOutputProfile#20): the intent has no
 *   profile as far as PDF/A is concerned;
 * - the XMP stream gets /SubType /XML instead of /Subtype;
 * - a UTF-8 font's /ToUnicode is a copy of the encoding CMap
 *   (begincidrange), which text extraction cannot use. */
static void rename_key(HPDF_Dict d, const char *from, const char *to)
{
	if (!d || strlen(to) > strlen(from))
		return;
	for (HPDF_UINT i = 0; i < d->list->count; i++) {
		HPDF_DictElement e = HPDF_List_ItemAt(d->list, i);
		if (e && strcmp(e->key, from) == 0)
			memcpy(e->key, to, strlen(to) + 1);
	}
}

static int has_key(HPDF_Dict d, const char *key)
{
	for (HPDF_UINT i = 0; i < d->list->count; i++) {
		HPDF_DictElement e = HPDF_List_ItemAt(d->list, i);
		if (e && strcmp(e->key, key) == 0)
			return 1;
	}
	return 0;
}

static void fix_output_intent(HPDF_Doc pdf)
{
	HPDF_Array intents = HPDF_Dict_GetItem(pdf->catalog, "OutputIntents",
					       HPDF_OCLASS_ARRAY);

	if (intents)
		rename_key(HPDF_Array_GetItem(intents, 0, HPDF_OCLASS_DICT),
			   "DestOutputProfile ", "DestOutputProfile");
}

static void fix_metadata(HPDF_Doc pdf)
{
	rename_key(HPDF_Dict_GetItem(pdf->catalog, "Metadata", HPDF_OCLASS_DICT),
		   "SubType", "Subtype");
}

/* Our codes are Unicode BMP values (UTF-8 encoder, Identity-H), so
 * ToUnicode maps each code to itself. Only the code points drawn are
 * listed (a full identity map makes readers parse 65536 entries per page),
 * as bfrange runs that stay within one high byte, 100 to a block. Called
 * again before every save; rewrites the stream. */
static int used_bit(const unsigned char *used, unsigned cp)
{
	return cp < 65536 && (used[cp >> 3] >> (cp & 7)) & 1;
}

static void fix_to_unicode(HPDF_Font font, const unsigned char *used)
{
	static const char *const drop[] = {
		"CIDSystemInfo", "CMapName", "Type", "WMode", "UseCMap"
	};
	static const char head[] =
		"/CIDInit /ProcSet findresource begin\n"
		"12 dict begin\n"
		"begincmap\n"
		"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) "
		"/Supplement 0 >> def\n"
		"/CMapName /Adobe-Identity-UCS def\n"
		"/CMapType 2 def\n"
		"1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n";
	static const char tail[] =
		"endcmap\n"
		"CMapName currentdict /CMap defineresource pop\n"
		"end\nend\n";
	HPDF_Dict tu = HPDF_Dict_GetItem(font, "ToUnicode", HPDF_OCLASS_DICT);
	unsigned lo[100], hi[100];
	unsigned cp = 0;
	int n = 0;
	char line[64];

	if (!tu || !tu->stream)
		return;
	for (size_t i = 0; i < sizeof(drop) / sizeof(drop[0]); i++)
		if (has_key(tu, drop[i]))
			HPDF_Dict_RemoveElement(tu, drop[i]);
	HPDF_MemStream_FreeData(tu->stream);
	HPDF_Stream_WriteStr(tu->stream, head);
	for (;;) {
		while (cp < 65536 && !used_bit(used, cp))
			cp++;
		if (cp < 65536) {
			lo[n] = cp;
			while (used_bit(used, cp + 1) && ((cp + 1) & 0xFF) != 0)
				cp++;
			hi[n++] = cp++;
		}
		if (n > 0 && (n == 100 || cp >= 65536)) {
			snprintf(line, sizeof(line), "%d beginbfrange\n", n);
			HPDF_Stream_WriteStr(tu->stream, line);
			for (int i = 0; i < n; i++) {
				snprintf(line, sizeof(line), "<%04X> <%04X> <%04X>\n",
					 lo[i], hi[i], lo[i]);
				HPDF_Stream_WriteStr(tu->stream, line);
			}
			HPDF_Stream_WriteStr(tu->stream, "endbfrange\n");
			n = 0;
		}
		if (cp >= 65536)
			break;
	}
	HPDF_Stream_WriteStr(tu->stream, tail);
}

/* Trailer /ID placeholder: two 16-byte zero strings; pdf_doc_save puts
 * the real value in. */
static void seed_id(HPDF_Doc pdf)
{
	static const HPDF_BYTE zero[HPDF_MD5_KEY_LEN];
	HPDF_Array id = HPDF_Array_New(pdf->mmgr);

	if (!id)
		return;
	if (HPDF_Dict_Add(pdf->trailer, "ID", id) != HPDF_OK)
		return;
	HPDF_Array_Add(id, HPDF_Binary_New(pdf->mmgr, (HPDF_BYTE *)zero,
					   HPDF_MD5_KEY_LEN));
	HPDF_Array_Add(id, HPDF_Binary_New(pdf->mmgr, (HPDF_BYTE *)zero,
					   HPDF_MD5_KEY_LEN));
}

static void set_info(struct pdf_doc *doc, HPDF_InfoType type, const char *v)
{
	char *c = clean_info(v);

	if (c && *c)
		HPDF_SetInfoAttr(doc->pdf, type, c);
	free(c);
}

static int setup(struct pdf_doc *doc, const struct pdf_doc_info *info,
		 const char *reg, const char *bold, const char *icc_path)
{
	HPDF_Doc pdf = doc->pdf;
	HPDF_Date d;
	const char *name;
	int yr, mo, dy, hh, mm, ss;
	HPDF_Image icc;

	HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
	HPDF_UseUTFEncodings(pdf);
	HPDF_SetCurrentEncoder(pdf, "UTF-8");       /* before the info */
	doc->enc = HPDF_GetEncoder(pdf, "UTF-8");
	if (check(doc, "setting up UTF-8"))
		return -1;

	set_info(doc, HPDF_INFO_TITLE, info->title);
	set_info(doc, HPDF_INFO_AUTHOR, info->author);
	set_info(doc, HPDF_INFO_SUBJECT, info->subject);
	set_info(doc, HPDF_INFO_KEYWORDS, info->keywords);
	set_info(doc, HPDF_INFO_CREATOR, info->creator);
	set_info(doc, HPDF_INFO_PRODUCER, info->producer ? info->producer :
		 "udaudit pdf (libharu " HPDF_VERSION_TEXT ")");
	civil_from_unix(info->date, &yr, &mo, &dy, &hh, &mm, &ss);
	memset(&d, 0, sizeof(d));
	d.year = yr;
	d.month = mo;
	d.day = dy;
	d.hour = hh;
	d.minutes = mm;
	d.seconds = ss;
	d.ind = '+';    /* +00'00': 2.3.0's XMP date converter rejects 'Z' */
	HPDF_SetInfoDateAttr(pdf, HPDF_INFO_CREATION_DATE, d);
	HPDF_SetInfoDateAttr(pdf, HPDF_INFO_MOD_DATE, d);
	if (check(doc, "document info"))
		return -1;

	seed_id(pdf);
	if (check(doc, "file ID"))
		return -1;

	name = HPDF_LoadTTFontFromFile(pdf, reg, HPDF_TRUE);
	doc->font[F_REG] = name ? HPDF_GetFont(pdf, name, "UTF-8") : NULL;
	name = HPDF_LoadTTFontFromFile(pdf, bold, HPDF_TRUE);
	doc->font[F_BOLD] = name ? HPDF_GetFont(pdf, name, "UTF-8") : NULL;
	if (check(doc, "loading fonts"))
		return -1;
	if (!doc->font[F_REG] || !doc->font[F_BOLD]) {
		doc->failed = 1;
		return diag_error(NULL, "pdf: cannot load fonts '%s', '%s'",
				  reg, bold);
	}

	HPDF_PDFA_SetPDFAConformance(pdf, HPDF_PDFA_1B);
	fix_metadata(pdf);
	icc = HPDF_LoadIccProfileFromFile(pdf, icc_path, 3);
	if (icc) {
		HPDF_PDFA_AppendOutputIntents(pdf, "sRGB", icc);
		fix_output_intent(pdf);
	}
	if (check(doc, "PDF/A output intent"))
		return -1;
	if (!icc) {
		doc->failed = 1;
		return diag_error(NULL, "pdf: cannot load ICC profile '%s'",
				  icc_path);
	}
	return 0;
}

/* Cleaned s cut with an ellipsis to one small-type line of the text
 * width (caller frees); NULL for NULL or empty. */
static char *one_line(struct pdf_doc *doc, const char *s)
{
	char *c = s ? clean_text(s, 0, INFO_MAX) : NULL;
	const double maxw = TEXT_W - text_width(doc, F_REG, SMALL_SIZE,
						 "\xE2\x80\xA6");
	double u = 0;
	size_t p = 0, n;
	char *cut;

	if (!c || !*c) {
		free(c);
		return NULL;
	}
	if (text_width(doc, F_REG, SMALL_SIZE, c) <= TEXT_W)
		return c;
	while (c[p]) {
		unsigned w = cp_width(doc, F_REG, c + p, &n);
		if ((u + w) * SMALL_SIZE / 1000.0 > maxw)
			break;
		u += w;
		p += n;
	}
	cut = xasprintf("%.*s\xE2\x80\xA6", (int)p, c);
	free(c);
	return cut;
}

struct pdf_doc *pdf_doc_new(const struct pdf_doc_info *info)
{
	static const struct pdf_doc_info none;
	struct pdf_doc *doc;
	char *reg, *bold;
	const char *icc_path = getenv("UDAUDIT_ICC_PATH");
	int rc;

	if (!info)
		info = &none;
	if (info->date < 0 || info->date > 253402300799LL) {
		diag_error(NULL, "pdf: document date %lld out of range "
			   "(0..9999-12-31)", info->date);
		return NULL;
	}
	if (!icc_path || !*icc_path)
		icc_path = "/usr/share/color/icc/sRGB.icc";
	reg = font_path("DejaVuSans.ttf");
	bold = font_path("DejaVuSans-Bold.ttf");
	if (readable(reg, "font") || readable(bold, "font") ||
	    readable(icc_path, "ICC profile")) {
		free(reg);
		free(bold);
		return NULL;
	}

	doc = xcalloc(1, sizeof(*doc));
	doc->date = info->date;
	for (int f = 0; f < NFONTS; f++) {
		doc->wcache[f] = xmalloc(65536 * sizeof(unsigned short));
		memset(doc->wcache[f], 0xFF, 65536 * sizeof(unsigned short));
		doc->used[f] = xcalloc(65536 / 8, 1);
	}
	reset_page_state(doc);
	doc->pdf = HPDF_New(pdf_on_error, &doc->err);
	if (!doc->pdf) {
		diag_error(NULL, "pdf: cannot create document (out of memory)");
		rc = -1;
	} else {
		rc = setup(doc, info, reg, bold, icc_path);
	}
	free(reg);
	free(bold);
	if (rc) {
		pdf_doc_free(doc);
		return NULL;
	}
	doc->footer = one_line(doc, info->footer);
	doc->header = one_line(doc, info->header);
	return doc;
}

static void table_clear(struct pdf_doc *doc)
{
	for (int c = 0; c < PDF_MAX_COLS; c++) {
		free(doc->t_hdr[c]);
		doc->t_hdr[c] = NULL;
	}
	doc->in_table = 0;
}

void pdf_doc_free(struct pdf_doc *doc)
{
	if (!doc)
		return;
	if (doc->pdf)
		HPDF_Free(doc->pdf);    /* pages, fonts, outlines */
	table_clear(doc);
	for (int f = 0; f < NFONTS; f++) {
		free(doc->wcache[f]);
		free(doc->used[f]);
	}
	free(doc->pages);
	free(doc->footer);
	free(doc->header);
	free(doc->pend);
	free(doc->la.v);
	free(doc->lb.v);
	free(doc->lh.v);
	free(doc->lt.v);
	free(doc->tbuf);
	free(doc);
}

int pdf_page_count(const struct pdf_doc *doc)
{
	return doc ? (int)doc->npages : 0;
}

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

	if (enter(doc, 0) || !lh)
		return -1;
	s = ascii_upper(clean_text(lh->agency, 1, PDF_MAX_TEXT));
	rc = draw_block(doc, &tb, s);
	free(s);
	if (!rc && lh->component) {
		tb.f = F_REG;
		tb.size = 11.0;
		tb.lead = 15.0;
		s = clean_text(lh->component, 1, PDF_MAX_TEXT);
		rc = draw_block(doc, &tb, s);
		free(s);
	}
	if (!rc && lh->address) {
		doc->y -= 2;
		tb.f = F_REG;
		tb.size = SMALL_SIZE;
		tb.lead = SMALL_LEAD;
		tb.color = &C_GRAY;
		for (size_t i = 0; !rc && lh->address[i]; i++) {
			s = clean_text(lh->address[i], 1, PDF_MAX_TEXT);
			rc = draw_block(doc, &tb, s);
			free(s);
		}
	}
	if (rc)
		return -1;
	if (place(doc, 6))
		return -1;
	doc->y -= 4;
	hline(doc, &C_NAVY, 1.5, X0, X1, doc->y);
	hline(doc, &C_NAVY, 0.5, X0, X1, doc->y - 2.5);
	doc->y -= 2.5;
	add_gap(doc, 22);
	return check(doc, "letterhead");
}

/* key in bold in a column of keyw points, value wrapped beside it. */
static int kv_draw(struct pdf_doc *doc, const char *key, const char *value,
		   double keyw)
{
	char *k = clean_text(key, 1, PDF_MAX_TEXT);
	char *v = clean_text(value, 1, PDF_MAX_TEXT);
	size_t nk, nv, n, i;
	int rc = -1;

	doc->la.n = 0;
	doc->lb.n = 0;
	nk = wrap(doc, &doc->la, F_BOLD, BODY_SIZE, k, keyw - 8);
	nv = wrap(doc, &doc->lb, F_REG, BODY_SIZE, v, TEXT_W - keyw);
	n = nk > nv ? nk : nv;
	if (place(doc, (double)(n <= 3 ? n : 2) * BODY_LEAD))
		goto out;
	for (i = 0; i < n; i++) {
		double by;

		if (doc->y - BODY_LEAD < BOTTOM - EPS && new_page(doc))
			goto out;
		by = baseline(doc->y, BODY_SIZE, BODY_LEAD);
		if (i < nk)
			put_text(doc, F_BOLD, BODY_SIZE, &C_INK, X0, by,
				 k + doc->la.v[i].off, doc->la.v[i].len);
		if (i < nv)
			put_text(doc, F_REG, BODY_SIZE, &C_INK, X0 + keyw, by,
				 v + doc->lb.v[i].off, doc->lb.v[i].len);
		doc->y -= BODY_LEAD;
	}
	add_gap(doc, KV_AFTER);
	rc = check(doc, "key/value");
out:
	free(k);
	free(v);
	return rc;
}

int pdf_kv(struct pdf_doc *doc, const char *key, const char *value)
{
	if (enter(doc, 0))
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

	if (enter(doc, 0) || !ab)
		return -1;
	if (ab->date) {
		s = clean_text(ab->date, 1, PDF_MAX_TEXT);
	} else {
		int yr, mo, dy, hh, mm, ss;
		civil_from_unix(doc->date, &yr, &mo, &dy, &hh, &mm, &ss);
		s = xasprintf("%s %d, %d", month_names[mo - 1], dy, yr);
	}
	rc = draw_block(doc, &tb, s);
	free(s);
	if (rc)
		return -1;
	add_gap(doc, 18);
	tb.align = AL_LEFT;
	for (size_t i = 0; ab->to && ab->to[i]; i++) {
		s = clean_text(ab->to[i], 1, PDF_MAX_TEXT);
		rc = draw_block(doc, &tb, s);
		free(s);
		if (rc)
			return -1;
	}
	if (ab->subject) {
		double kw = text_width(doc, F_BOLD, BODY_SIZE, "SUBJECT:") + 10;
		add_gap(doc, 16);
		if (kv_draw(doc, "SUBJECT:", ab->subject, kw))
			return -1;
	}
	add_gap(doc, 16);
	return check(doc, "address block");
}

int pdf_heading(struct pdf_doc *doc, int level, const char *text)
{
	if (enter(doc, 0))
		return -1;
	if (level != 1 && level != 2) {
		doc->failed = 1;
		return diag_error(NULL, "pdf: heading level %d (1 or 2)", level);
	}
	if (doc->pend) {        /* heading after heading: keep both together */
		double size, lead, before, after;
		heading_metrics(level, &size, &lead, &before, &after);
		if (place(doc, before + lead + after + 2 * BODY_LEAD))
			return -1;
	}
	doc->pend = clean_text(text, 0, INFO_MAX);
	doc->pend_level = level;
	return 0;
}

int pdf_text(struct pdf_doc *doc, unsigned style, const char *text)
{
	struct tblock tb = { F_REG, BODY_SIZE, BODY_LEAD, X0, TEXT_W, AL_LEFT,
			     &C_INK, 0 };
	char *s;
	int rc;

	if (enter(doc, 0))
		return -1;
	if (style & PDF_BOLD)
		tb.f = F_BOLD;
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
	s = clean_text(text, 1, PDF_MAX_TEXT);
	rc = draw_block(doc, &tb, s);
	free(s);
	if (!rc && !(style & PDF_TIGHT))
		add_gap(doc, style & PDF_BULLET ? 3 :
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
	if (doc->y - BODY_LEAD < BOTTOM - EPS && new_page(doc))
		return -1;
	put_text(doc, f, BODY_SIZE, &C_INK, X0,
		 baseline(doc->y, BODY_SIZE, BODY_LEAD), s + ln->off, ln->len);
	doc->y -= BODY_LEAD;
	return 0;
}

int pdf_signature(struct pdf_doc *doc, const struct pdf_signature *sig)
{
	const double w = 252;   /* 3.5 in */
	const double room = 36; /* to sign */
	char *cl, *nm, *rest;
	size_t ncl = 0, nn, nr = 0, i;
	double total;
	int rc = -1;

	if (enter(doc, 0) || !sig)
		return -1;
	cl = sig->closing ? clean_text(sig->closing, 1, INFO_MAX) : NULL;
	nm = clean_text(sig->name, 1, INFO_MAX);
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
		rest = clean_text(joined, 1, PDF_MAX_TEXT);
		free(joined);
	}
	doc->la.n = doc->lb.n = doc->lt.n = 0;
	if (cl)
		ncl = wrap(doc, &doc->lt, F_REG, BODY_SIZE, cl, w);
	nn = wrap(doc, &doc->la, F_BOLD, BODY_SIZE, nm, w);
	if (*rest)
		nr = wrap(doc, &doc->lb, F_REG, BODY_SIZE, rest, w);
	total = (double)(ncl + nn + nr) * BODY_LEAD + room + 4;
	add_gap(doc, 10);
	/* together on one page when it fits one, else the closing and name
	 * at least */
	if (place(doc, total <= TOP - BOTTOM ? total :
		  (double)(ncl + 1) * BODY_LEAD + room + 4))
		goto out;
	for (i = 0; i < ncl; i++)
		if (sig_line(doc, F_REG, cl, &doc->lt.v[i]))
			goto out;
	if (doc->y - room - 4 - BODY_LEAD < BOTTOM - EPS && new_page(doc))
		goto out;
	doc->y -= room;
	hline(doc, &C_INK, 0.5, X0, X0 + 216, doc->y);
	doc->y -= 4;
	for (i = 0; i < nn; i++)
		if (sig_line(doc, F_BOLD, nm, &doc->la.v[i]))
			goto out;
	for (i = 0; i < nr; i++)
		if (sig_line(doc, F_REG, rest, &doc->lb.v[i]))
			goto out;
	add_gap(doc, 12);
	rc = check(doc, "signature");
out:
	free(cl);
	free(nm);
	free(rest);
	return rc;
}

int pdf_page_break(struct pdf_doc *doc)
{
	if (enter(doc, 0))
		return -1;
	if (doc->pend && place(doc, 2 * BODY_LEAD))
		return -1;
	if (!doc->page || at_top(doc))
		return 0;
	return new_page(doc);
}

int pdf_keep(struct pdf_doc *doc, double points)
{
	if (enter(doc, 0))
		return -1;
	/* a pending heading already keeps with what follows it */
	if (!doc->page || doc->pend || at_top(doc) || points >= TOP - BOTTOM)
		return 0;
	if (doc->y - doc->gap - points < BOTTOM - EPS)
		return new_page(doc);
	return 0;
}

int pdf_space(struct pdf_doc *doc, double points)
{
	if (enter(doc, 0))
		return -1;
	if (points > 0 && points < PAGE_H)
		doc->gap += points;
	return 0;
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
	int f = header ? F_BOLD : F_REG;

	text_off(doc);
	if (header || zebra) {
		set_fill(doc, header ? &C_HEAD : &C_ZEBRA);
		HPDF_Page_Rectangle(doc->page, (HPDF_REAL)X0,
				    (HPDF_REAL)(top - h), (HPDF_REAL)TEXT_W,
				    (HPDF_REAL)h);
		HPDF_Page_Fill(doc->page);
	}
	set_stroke(doc, &C_GRID, 0.5);
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

		for (size_t j = from; j < from + k && j < cnt[c]; j++) {
			const struct line *ln = &l->v[first[c] + j];
			double x = cx;
			double ly = top - TBL_PADY - (double)(j - from) * TBL_LEAD;

			if (doc->align[c] == AL_RIGHT)
				x = cx + cw - ln->w;
			else if (doc->align[c] == AL_CENTER)
				x = cx + (cw - ln->w) / 2;
			put_text(doc, f, TBL_SIZE, &C_INK, x,
				 baseline(ly, TBL_SIZE, TBL_LEAD),
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
	if (new_page(doc))
		return -1;
	draw_header(doc);
	return 0;
}

/* The table's header lines live in doc->lh; place() reuses doc->lh for
 * a pending heading, so wrap the header again after it. */
static void wrap_header(struct pdf_doc *doc)
{
	doc->lh.n = 0;
	doc->hmax = 0;
	if (!doc->t_hdr[0])
		return;
	for (int c = 0; c < doc->ncols; c++) {
		double cw = doc->colx[c + 1] - doc->colx[c] - 2 * TBL_PADX;
		doc->hfirst[c] = doc->lh.n;
		doc->hn[c] = wrap(doc, &doc->lh, F_BOLD, TBL_SIZE, doc->t_hdr[c],
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
	if (place(doc, hh + need))
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

	if (enter(doc, 0))
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
	}
	doc->colx[ncols] = X1;
	for (int c = 0; headers && c < ncols; c++)
		doc->t_hdr[c] = clean_text(headers[c], 1, INFO_MAX);
	doc->in_table = 1;
	doc->t_started = 0;
	doc->t_rowno = 0;
	return 0;
}

int pdf_table_align(struct pdf_doc *doc, const char *spec)
{
	if (enter(doc, 1))
		return -1;
	if (!doc->in_table || doc->t_started) {
		doc->failed = 1;
		return diag_error(NULL, "pdf: pdf_table_align outside a table "
				  "or after its first row");
	}
	for (int c = 0; spec && spec[c] && c < doc->ncols; c++)
		doc->align[c] = spec[c] == 'r' ? AL_RIGHT :
				spec[c] == 'c' ? AL_CENTER : AL_LEFT;
	return 0;
}

int pdf_table_row(struct pdf_doc *doc, const char *const *cells)
{
	char *cs[PDF_MAX_COLS] = { NULL };
	size_t first[PDF_MAX_COLS], cnt[PDF_MAX_COLS], maxn = 0, from = 0;
	int rc = -1;
	int zebra;

	if (enter(doc, 1))
		return -1;
	if (!doc->in_table) {
		doc->failed = 1;
		return diag_error(NULL, "pdf: pdf_table_row outside a table");
	}
	doc->lt.n = 0;
	for (int c = 0; c < doc->ncols; c++) {
		double cw = doc->colx[c + 1] - doc->colx[c] - 2 * TBL_PADX;
		cs[c] = clean_text(cells ? cells[c] : NULL, 1, PDF_MAX_TEXT);
		first[c] = doc->lt.n;
		cnt[c] = wrap(doc, &doc->lt, F_REG, TBL_SIZE, cs[c], cw);
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
		k = lines_left(doc, 2 * TBL_PADY, TBL_LEAD);
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
	rc = check(doc, "table row");
out:
	for (int c = 0; c < PDF_MAX_COLS; c++)
		free(cs[c]);
	return rc;
}

int pdf_table_end(struct pdf_doc *doc)
{
	int rc = 0;

	if (enter(doc, 1))
		return -1;
	if (!doc->in_table) {
		doc->failed = 1;
		return diag_error(NULL, "pdf: pdf_table_end outside a table");
	}
	if (!doc->t_started)
		rc = table_start(doc, 0);
	table_clear(doc);
	add_gap(doc, TBL_AFTER);
	return rc ? -1 : check(doc, "table");
}

/* ---- saving ------------------------------------------------------------ */

static void draw_footers(struct pdf_doc *doc)
{
	for (size_t i = 0; i < doc->npages; i++) {
		char num[64];
		double w;

		text_off(doc);
		doc->page = doc->pages[i];
		reset_page_state(doc);
		hline(doc, &C_RULE, 0.5, X0, X1, FOOT_RULE_Y);
		if (doc->footer) {
			w = text_width(doc, F_REG, SMALL_SIZE, doc->footer);
			put_text(doc, F_REG, SMALL_SIZE, &C_GRAY,
				 w < TEXT_W ? X0 + (TEXT_W - w) / 2 : X0,
				 FOOT_TEXT_Y, doc->footer, strlen(doc->footer));
		}
		snprintf(num, sizeof(num), "Page %zu of %zu", i + 1,
			 doc->npages);
		w = text_width(doc, F_REG, 9.0, num);
		put_text(doc, F_REG, 9.0, &C_INK, X0 + (TEXT_W - w) / 2,
			 doc->footer ? FOOT_PAGE_Y : FOOT_TEXT_Y - 4, num,
			 strlen(num));
		text_off(doc);
	}
}

static const unsigned char *find_last(const unsigned char *buf, size_t len,
				      const char *pat)
{
	size_t n = strlen(pat);

	for (size_t i = len >= n ? len - n + 1 : 0; i-- > 0;)
		if (memcmp(buf + i, pat, n) == 0)
			return buf + i;
	return NULL;
}

/* p at "  <" followed by ID_HEX digits and '>': the first digit, else NULL. */
static unsigned char *skip_to_hex(unsigned char *p, const unsigned char *end)
{
	while (p < end && *p == ' ')
		p++;
	if (end - p < ID_HEX + 2 || *p != '<' || p[ID_HEX + 1] != '>')
		return NULL;
	return p + 1;
}

/* Replace the placeholder /ID [ <0..0> <0..0> ] in the trailer with an MD5
 * of the rest of the file and the document date. Same length, so the
 * xref offsets stay right. */
static int patch_id(struct pdf_doc *doc, unsigned char *buf, size_t len)
{
	static const char hexd[] = "0123456789ABCDEF";
	const unsigned char *tr = find_last(buf, len, "trailer");
	const unsigned char *id;
	unsigned char *a, *b;
	HPDF_MD5_CTX ctx;
	HPDF_BYTE md[HPDF_MD5_KEY_LEN];
	char date[32];

	if (!tr)
		return -1;
	id = find_last(tr, len - (size_t)(tr - buf), "/ID [");
	if (!id)
		return -1;
	a = skip_to_hex(buf + (id - buf) + 5, buf + len);
	b = a ? skip_to_hex(a + ID_HEX + 1, buf + len) : NULL;
	if (!b)
		return -1;
	for (size_t i = 0; i < ID_HEX; i++)
		if (a[i] != '0' || b[i] != '0')
			return -1;
	snprintf(date, sizeof(date), "%lld", doc->date);
	HPDF_MD5Init(&ctx);
	HPDF_MD5Update(&ctx, (const HPDF_BYTE *)"udaudit-pdf-id\n", 15);
	HPDF_MD5Update(&ctx, (const HPDF_BYTE *)date, (HPDF_UINT32)strlen(date));
	HPDF_MD5Update(&ctx, buf, (HPDF_UINT32)(a - buf));
	HPDF_MD5Update(&ctx, b + ID_HEX, (HPDF_UINT32)(len - (size_t)(b + ID_HEX - buf)));
	HPDF_MD5Final(md, &ctx);
	for (size_t i = 0; i < HPDF_MD5_KEY_LEN; i++) {
		a[2 * i] = b[2 * i] = (unsigned char)hexd[md[i] >> 4];
		a[2 * i + 1] = b[2 * i + 1] = (unsigned char)hexd[md[i] & 15];
	}
	return 0;
}

/* The whole file in memory (caller frees), or NULL (printed). */
static unsigned char *render(struct pdf_doc *doc, const char *path,
			     size_t *len)
{
	HPDF_UINT32 size, got;
	unsigned char *buf;

	if (HPDF_SaveToStream(doc->pdf) != HPDF_OK || doc->err.no) {
		check(doc, "saving");
		return NULL;
	}
	size = HPDF_GetStreamSize(doc->pdf);
	if (size == 0 || HPDF_ResetStream(doc->pdf) != HPDF_OK) {
		check(doc, "saving");
		diag_error(NULL, "cannot write '%s': empty PDF stream", path);
		return NULL;
	}
	buf = xmalloc(size);
	got = size;
	{
		HPDF_STATUS st = HPDF_ReadFromStream(doc->pdf, buf, &got);
		if ((st != HPDF_OK && st != HPDF_STREAM_EOF) || got != size ||
		    doc->err.no) {
			free(buf);
			if (!check(doc, "reading the PDF stream"))
				diag_error(NULL, "cannot write '%s': short "
					   "read from the PDF stream", path);
			return NULL;
		}
	}
	if (patch_id(doc, buf, size)) {
		free(buf);
		diag_error(NULL, "cannot write '%s': no file ID placeholder in "
			   "the trailer", path);
		return NULL;
	}
	*len = size;
	return buf;
}

static int write_all(int fd, const unsigned char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int pdf_doc_save(struct pdf_doc *doc, const char *path)
{
	unsigned char *buf;
	size_t len = 0;
	char *tmp;
	int fd, err;

	if (!doc || !path)
		return -1;
	if (doc->failed)
		return diag_error(NULL, "cannot write '%s': the PDF document "
				  "had errors", path);
	if (doc->in_table) {
		doc->failed = 1;
		return diag_error(NULL, "cannot write '%s': table not ended",
				  path);
	}
	if (!doc->saved) {
		if (doc->pend && place(doc, 0))
			return -1;
		if (!doc->page && new_page(doc))
			return -1;
		text_off(doc);
		draw_footers(doc);
		doc->saved = 1;
		if (check(doc, "footers"))
			return -1;
	}
	for (int f = 0; f < NFONTS; f++)
		fix_to_unicode(doc->font[f], doc->used[f]);
	if (check(doc, "ToUnicode"))
		return -1;
	buf = render(doc, path, &len);
	if (!buf)
		return -1;

	tmp = xasprintf("%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
		  0666);
	if (fd < 0) {
		err = errno;
		free(buf);
		diag_error(NULL, "cannot write '%s': %s", tmp, strerror(err));
		free(tmp);
		return -1;
	}
	if (write_all(fd, buf, len) || fsync(fd)) {
		err = errno;
		close(fd);
		goto fail;
	}
	if (close(fd)) {
		err = errno;
		goto fail;
	}
	if (rename(tmp, path)) {
		err = errno;
		diag_error(NULL, "cannot rename '%s' to '%s': %s", tmp, path,
			   strerror(err));
		unlink(tmp);
		free(tmp);
		free(buf);
		return -1;
	}
	free(tmp);
	free(buf);
	return 0;
fail:
	diag_error(NULL, "cannot write '%s': %s", tmp, strerror(err));
	unlink(tmp);
	free(tmp);
	free(buf);
	return -1;
}
