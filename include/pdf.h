/* pdf: a small layout engine for agency letters and reports (PDF/A-1b).
 *
 * The only module that includes hpdf.h (libharu 2.3.0). It lays text out
 * top to bottom on US Letter portrait pages with 1 in margins: a letterhead,
 * a date/addressee block, headings (which become bookmarks), paragraphs,
 * label/value lines, tables that break across pages with a repeated header
 * row, and a signature block. Every page gets "Page N of M" at the bottom
 * centre and, optionally, a footer line and a running header.
 *
 * Text. Every string is UTF-8 and is cleaned before it reaches libharu:
 * invalid bytes become U+FFFD, characters above U+FFFF (emoji) become
 * U+FFFD, control characters become spaces. '\n' (and "\r\n") starts a new
 * line in paragraphs, table cells and key/value values; elsewhere it is a
 * space. Text is set in DejaVu Sans and DejaVu Sans Bold, embedded, from
 * /usr/share/fonts/truetype/dejavu/ or $UDAUDIT_FONT_DIR (and DejaVu Sans
 * Mono where PDF_MONO or a 'm' column asks for it). Words wider than the
 * line (paths, ids, hashes) are broken only at their separators if they
 * have one (before '/', '_', '-' or '.'; never inside "//"), else
 * between any two characters: nothing is dropped. Trailing white space is dropped; a string longer than
 * PDF_MAX_TEXT is cut (headings, info, footer: 1000 bytes). Characters
 * DejaVu Sans lacks (CJK, for one) print as its empty box.
 *
 * Output. The same calls with the same pdf_doc_info give byte-identical
 * files: nothing is taken from the clock, and the file ID is an MD5 of the
 * document bytes and the document date. PDF/A-1b: XMP metadata, the sRGB
 * output intent (/usr/share/color/icc/sRGB.icc or $UDAUDIT_ICC_PATH), no
 * encryption.
 *
 * Errors. Functions return 0 or -1; -1 has been printed through diag. The
 * first failure makes the document failed: later calls return -1 without
 * printing again, and pdf_doc_save() refuses to write (one more line:
 * "cannot write 'PATH': ..."). A caller may therefore check every call or
 * only pdf_doc_save().
 *
 * Ownership. pdf_doc_new() returns a document the caller frees with
 * pdf_doc_free(). All strings and arrays passed in are borrowed for the
 * duration of the call only (they are copied or drawn at once). */
#ifndef UDAUDIT_PDF_H
#define UDAUDIT_PDF_H

#define PDF_MAX_PAGES   8000    /* libharu's page tree holds 8191 kids */
#define PDF_MAX_COLS    16      /* columns in one table */
#define PDF_MAX_TEXT    (1L << 20) /* bytes in one string; longer is cut */

struct pdf_doc;

struct pdf_doc_info {
	const char *title;      /* document info and XMP; also outline root */
	const char *author;     /* e.g. the agency component */
	const char *subject;
	const char *keywords;
	const char *creator;    /* e.g. "udaudit 1.0" */
	const char *producer;   /* NULL: "udaudit pdf (libharu 2.3.0)" */
	/* Document date, Unix seconds (UTC): the audit's as_of or
	 * SOURCE_DATE_EPOCH, never the clock. Creation and modification
	 * dates, and the letter date when pdf_address_block.date is NULL. */
	long long date;
	const char *footer;     /* small centred line above the page number on
				 * every page, e.g. "CUI // case UD-2019-0001";
				 * NULL: none */
	const char *header;     /* running header on pages 2.. (right aligned,
				 * small, with a rule); NULL: none. Footer and
				 * header are cut to one line with an ellipsis */
	/* Every string of the document (text, cells, headings, bookmarks,
	 * header, footer, info) goes through filter first when it is set:
	 * it returns a new string the document frees (redaction). */
	char *(*filter)(void *ctx, const char *s);
	void *filter_ctx;
};

/* A new empty document (no page yet), or NULL (printed): fonts or the ICC
 * profile missing, libharu failure. Info strings are cleaned for the XMP
 * packet: '&' becomes "and" between spaces and '+' elsewhere, '<' and '>'
 * become U+2039 and U+203A, and each is cut to 1000 bytes. */
struct pdf_doc *pdf_doc_new(const struct pdf_doc_info *info);
void pdf_doc_free(struct pdf_doc *doc);         /* NULL is fine */

/* Letterhead at the top of the current page (normally page 1): agency in
 * bold capitals (ASCII letters are upper-cased), component, address lines
 * in small type, all centred, then a double rule. */
struct pdf_letterhead {
	const char *agency;             /* "U.S. DEPARTMENT OF EXAMPLE" */
	const char *component;          /* "Office of the Chief Information
					 * Officer"; NULL: none */
	const char *const *address;     /* NULL-terminated lines; NULL: none */
};
int pdf_letterhead(struct pdf_doc *doc, const struct pdf_letterhead *lh);

/* Date (right aligned), addressee lines, then a bold "SUBJECT:" line with
 * its text wrapped under a hanging indent. */
struct pdf_address_block {
	const char *date;               /* as printed; NULL: the document date
					 * as "March 4, 2019" */
	const char *const *to;          /* NULL-terminated lines; NULL: none */
	const char *subject;            /* NULL: no subject line */
};
int pdf_address_block(struct pdf_doc *doc, const struct pdf_address_block *ab);

/* A heading, level 1 (section) or 2 (subsection). It becomes a bookmark,
 * level 2 nested under the last level 1. It is kept on the same page as
 * the first lines of whatever follows it (two lines of text, or a table's
 * header and first row). */
int pdf_heading(struct pdf_doc *doc, int level, const char *text);

/* Paragraph styles (flags, combine with |). */
enum pdf_style {
	PDF_BOLD   = 1 << 0,
	PDF_SMALL  = 1 << 1,    /* 8.5 pt instead of 10.5 pt */
	PDF_INDENT = 1 << 2,    /* left indent 0.375 in */
	PDF_BULLET = 1 << 3,    /* bullet, hanging indent */
	PDF_CENTER = 1 << 4,    /* centred lines */
	PDF_TIGHT  = 1 << 5,    /* no space after the paragraph */
	PDF_MONO   = 1 << 6     /* DejaVu Sans Mono, 9 pt (digests, ids), embedded
				 * only in documents that use it */
};

/* Wrapped, left-aligned body text, 10.5 pt on 14 pt. Lines are kept at least two to a page
 * (no single first or last line of a paragraph alone on a page). */
int pdf_paragraph(struct pdf_doc *doc, const char *text);
int pdf_text(struct pdf_doc *doc, unsigned style, const char *text);
int pdf_bullet(struct pdf_doc *doc, const char *text);   /* PDF_BULLET */

/* Label/value line: the key (as given, no colon added) in bold in a
 * 1.9 in column, the value wrapped in the rest of the line. Consecutive
 * calls make an aligned list. */
int pdf_kv(struct pdf_doc *doc, const char *key, const char *value);

/* Tables. ncols is 1..PDF_MAX_COLS. headers: ncols strings, or NULL for no
 * header row. widths_fraction: ncols relative widths (normalised to the
 * text width), or NULL for equal columns. A row's cells: ncols strings
 * (a NULL entry counts as ""), or NULL for an empty row. Cells are
 * wrapped in 9 pt type within their column; a row is as tall as its
 * tallest cell. A row that does not fit goes to a new page, where the
 * header row is repeated; a row taller than a whole page is split between
 * lines. Header cells are set in bold and cut after 6 lines: choose
 * widths so that header words fit. No other call may come between begin
 * and end. */
int pdf_table_begin(struct pdf_doc *doc, int ncols,
		    const char *const *headers, const double *widths_fraction);
/* Optional, right after pdf_table_begin: one letter per column, 'l'
 * (default), 'r' (numbers), 'c', or 'm' (left, in DejaVu Sans Mono at
 * 7 pt: a SHA-256 of 64 digits takes 270 points, so give its column 278
 * or more to keep it on one line); a shorter spec leaves the rest 'l'.
 * Applies to the header cells too (in bold). */
int pdf_table_align(struct pdf_doc *doc, const char *spec);
int pdf_table_row(struct pdf_doc *doc, const char *const *cells);
int pdf_table_end(struct pdf_doc *doc);

/* Signature block, kept together on one page: closing, room to sign, a
 * signature rule, the name in bold, the title and further lines. */
struct pdf_signature {
	const char *closing;            /* "Sincerely,"; NULL: none */
	const char *name;
	const char *title;              /* NULL: none */
	const char *const *lines;       /* NULL-terminated; NULL: none */
};
int pdf_signature(struct pdf_doc *doc, const struct pdf_signature *sig);

int pdf_page_break(struct pdf_doc *doc);        /* no-op on an empty page */
int pdf_space(struct pdf_doc *doc, double points); /* ignored at page top */
/* Start a new page unless `points` of space remain on this one, so that
 * what follows stays together (a closing paragraph with the signature). */
int pdf_keep(struct pdf_doc *doc, double points);

/* Number of pages so far (0 before the first content). */
int pdf_page_count(const struct pdf_doc *doc);

/* Draw the page footers ("Page N of M") and write the file: to
 * "<path>.tmp" in the same directory, flushed, then renamed over path.
 * Returns 0, or -1 (printed; no file left behind, an existing file at path
 * untouched). No content may be added after a save; saving again writes
 * the same bytes. */
int pdf_doc_save(struct pdf_doc *doc, const char *path);

#endif
