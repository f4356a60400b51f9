/* pdf internals shared by the files of src/pdf/ (never included elsewhere):
 * geometry, the document state and the helpers one file calls in another.
 *   doc.c      document life: setup, libharu errors, footers, saving
 *   text.c     cleaning, measuring and wrapping UTF-8 text
 *   page.c     drawing primitives, pages, headings, wrapped text blocks
 *   blocks.c   public blocks: letterhead, address, paragraphs, signature
 *   table.c    tables with repeated headers
 *   harufix.c  libharu 2.3.0 defects fixed in its object tree, the file ID */
#ifndef UDAUDIT_PDF_INT_H
#define UDAUDIT_PDF_INT_H

#include <stddef.h>

#include <hpdf.h>

#include "pdf.h"

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
#define TBL_MONO_SIZE   6.6     /* a SHA-256 (64 digits) in 255 points */
#define MONO_SIZE       9.0

#define FOOT_RULE_Y     58.0
#define FOOT_TEXT_Y     46.0
#define FOOT_PAGE_Y     33.0
#define HEAD_TEXT_Y     (PAGE_H - 50.0)
#define HEAD_RULE_Y     (PAGE_H - 55.0)

#define INFO_MAX        1000    /* bytes per info string */
#define ID_HEX          32      /* one /ID string, hex digits */

enum { F_REG, F_BOLD, F_MONO, NFONTS };     /* F_MONO: loaded when first used */
enum { AL_LEFT, AL_CENTER, AL_RIGHT };

struct rgb { float r, g, b; };

extern const struct rgb C_INK;
extern const struct rgb C_NAVY;
extern const struct rgb C_GRAY;
extern const struct rgb C_RULE;
extern const struct rgb C_GRID;
extern const struct rgb C_HEAD;
extern const struct rgb C_ZEBRA;

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
	char *(*filter)(void *ctx, const char *s);
	void *filter_ctx;
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
	unsigned char mono[PDF_MAX_COLS];       /* column set in DejaVu Sans Mono */
	char *t_hdr[PDF_MAX_COLS];      /* cleaned headers; NULL: no header row */
	size_t hfirst[PDF_MAX_COLS], hn[PDF_MAX_COLS], hmax;

	/* scratch */
	struct lines la, lb, lh, lt;
	char *tbuf;
	size_t tbuf_alloc;
};

struct tblock {
	int f;
	double size, lead;
	double x, w;            /* text column */
	int align;
	const struct rgb *color;
	int bullet;             /* draw a bullet left of the first line */
};

/* doc.c */
int pdfi_check(struct pdf_doc *doc, const char *what);
int pdfi_enter(struct pdf_doc *doc, int in_table_ok);
/* Load DejaVu Sans Mono on first use: 0, or -1 (printed; document failed). */
int pdfi_need_mono(struct pdf_doc *doc);
void pdfi_civil_from_unix(long long t, int *yr, int *mo, int *dy, int *hh,
			  int *mm, int *ss);

/* harufix.c */
void pdfi_fix_output_intent(HPDF_Doc pdf);
void pdfi_fix_metadata(HPDF_Doc pdf);
void pdfi_fix_to_unicode(HPDF_Font font, const unsigned char *used);
void pdfi_seed_id(HPDF_Doc pdf);
int pdfi_patch_id(struct pdf_doc *doc, unsigned char *buf, size_t len);

/* text.c */
/* Cleaned copy of s (caller frees), after the document's filter: invalid
 * bytes and code points above U+FFFF (and U+FFFE/U+FFFF) become U+FFFD,
 * control characters become spaces; with keep_nl, "\r\n", '\r', '\n',
 * U+2028 and U+2029 become '\n'. Trailing white space is dropped. NULL
 * gives "". */
char *pdfi_clean_text(struct pdf_doc *doc, const char *s, int keep_nl, size_t max);
char *pdfi_clean_info(struct pdf_doc *doc, const char *s);
unsigned pdfi_cp_width(struct pdf_doc *doc, int f, const char *s, size_t *n);
double pdfi_text_width(struct pdf_doc *doc, int f, double size, const char *s);
size_t pdfi_wrap(struct pdf_doc *doc, struct lines *l, int f, double size,
		 const char *s, double maxw);

/* page.c */
void pdfi_text_off(struct pdf_doc *doc);
void pdfi_set_fill(struct pdf_doc *doc, const struct rgb *c);
void pdfi_set_stroke(struct pdf_doc *doc, const struct rgb *c, double lw);
void pdfi_put_text(struct pdf_doc *doc, int f, double size,
		   const struct rgb *c, double x, double y,
		   const char *s, size_t len);
void pdfi_hline(struct pdf_doc *doc, const struct rgb *c, double lw,
		double xa, double xb, double y);
double pdfi_baseline(double top, double size, double lead);
void pdfi_reset_page_state(struct pdf_doc *doc);
int pdfi_new_page(struct pdf_doc *doc);
size_t pdfi_lines_left(const struct pdf_doc *doc, double pad, double lead);
int pdfi_at_top(const struct pdf_doc *doc);
void pdfi_add_gap(struct pdf_doc *doc, double g);
void pdfi_heading_metrics(int level, double *size, double *lead,
			  double *before, double *after);
int pdfi_place(struct pdf_doc *doc, double need);
int pdfi_draw_block(struct pdf_doc *doc, const struct tblock *tb,
		    const char *s);

/* table.c */
void pdfi_table_clear(struct pdf_doc *doc);

#endif
