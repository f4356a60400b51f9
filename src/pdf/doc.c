/* pdf document life: setup, libharu errors, footers and saving; see
 * include/pdf.h and pdf_int.h.
 *
 * The page is filled top to bottom. doc->y is the top of the free space;
 * doc->gap is vertical space owed before the next block (collapsed: the
 * larger of two gaps wins, and none is owed at the top of a page). Every
 * block first calls pdfi_place(doc, need) with the height of its first
 * unbreakable piece; pdfi_place() starts a new page when that does not fit,
 * and draws a pending heading together with it (keep-with-next).
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
 * CMaps are wrong (fixed in harufix.c); SetError() records some errors
 * without calling the handler (pdfi_check() also asks HPDF_GetError). */
#include "pdf_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "files.h"
#include "xalloc.h"

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
int pdfi_check(struct pdf_doc *doc, const char *what)
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
/* ---- public: document -------------------------------------------------- */

int pdfi_enter(struct pdf_doc *doc, int in_table_ok)
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

/* Only documents that show a digest carry the monospace font. */
int pdfi_need_mono(struct pdf_doc *doc)
{
	const char *name;
	char *path;
	int rc = 0;

	if (doc->failed)
		return -1;
	if (doc->font[F_MONO])
		return 0;
	path = font_path("DejaVuSansMono.ttf");
	name = HPDF_LoadTTFontFromFile(doc->pdf, path, HPDF_TRUE);
	doc->font[F_MONO] = name ? HPDF_GetFont(doc->pdf, name, "UTF-8") : NULL;
	if (pdfi_check(doc, "loading the monospace font"))
		rc = -1;
	else if (!doc->font[F_MONO]) {
		doc->failed = 1;
		rc = diag_error(NULL, "pdf: cannot load font '%s'", path);
	}
	free(path);
	return rc;
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
void pdfi_civil_from_unix(long long t, int *yr, int *mo, int *dy,
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
static void set_info(struct pdf_doc *doc, HPDF_InfoType type, const char *v)
{
	char *c = pdfi_clean_info(doc, v);

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
	if (pdfi_check(doc, "setting up UTF-8"))
		return -1;

	set_info(doc, HPDF_INFO_TITLE, info->title);
	set_info(doc, HPDF_INFO_AUTHOR, info->author);
	set_info(doc, HPDF_INFO_SUBJECT, info->subject);
	set_info(doc, HPDF_INFO_KEYWORDS, info->keywords);
	set_info(doc, HPDF_INFO_CREATOR, info->creator);
	set_info(doc, HPDF_INFO_PRODUCER, info->producer ? info->producer :
		 "udaudit pdf (libharu " HPDF_VERSION_TEXT ")");
	pdfi_civil_from_unix(info->date, &yr, &mo, &dy, &hh, &mm, &ss);
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
	if (pdfi_check(doc, "document info"))
		return -1;

	pdfi_seed_id(pdf);
	if (pdfi_check(doc, "file ID"))
		return -1;

	name = HPDF_LoadTTFontFromFile(pdf, reg, HPDF_TRUE);
	doc->font[F_REG] = name ? HPDF_GetFont(pdf, name, "UTF-8") : NULL;
	name = HPDF_LoadTTFontFromFile(pdf, bold, HPDF_TRUE);
	doc->font[F_BOLD] = name ? HPDF_GetFont(pdf, name, "UTF-8") : NULL;
	if (pdfi_check(doc, "loading fonts"))
		return -1;
	if (!doc->font[F_REG] || !doc->font[F_BOLD]) {
		doc->failed = 1;
		return diag_error(NULL, "pdf: cannot load fonts '%s', '%s'",
				  reg, bold);
	}

	HPDF_PDFA_SetPDFAConformance(pdf, HPDF_PDFA_1B);
	pdfi_fix_metadata(pdf);
	icc = HPDF_LoadIccProfileFromFile(pdf, icc_path, 3);
	if (icc) {
		HPDF_PDFA_AppendOutputIntents(pdf, "sRGB", icc);
		pdfi_fix_output_intent(pdf);
	}
	if (pdfi_check(doc, "PDF/A output intent"))
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
	char *c = s ? pdfi_clean_text(doc, s, 0, INFO_MAX) : NULL;
	const double maxw = TEXT_W - pdfi_text_width(doc, F_REG, SMALL_SIZE,
						 "\xE2\x80\xA6");
	double u = 0;
	size_t p = 0, n;
	char *cut;

	if (!c || !*c) {
		free(c);
		return NULL;
	}
	if (pdfi_text_width(doc, F_REG, SMALL_SIZE, c) <= TEXT_W)
		return c;
	while (c[p]) {
		unsigned w = pdfi_cp_width(doc, F_REG, c + p, &n);
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
	doc->filter = info->filter;
	doc->filter_ctx = info->filter_ctx;
	for (int f = 0; f < NFONTS; f++) {
		doc->wcache[f] = xmalloc(65536 * sizeof(unsigned short));
		memset(doc->wcache[f], 0xFF, 65536 * sizeof(unsigned short));
		doc->used[f] = xcalloc(65536 / 8, 1);
	}
	pdfi_reset_page_state(doc);
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
void pdf_doc_free(struct pdf_doc *doc)
{
	if (!doc)
		return;
	if (doc->pdf)
		HPDF_Free(doc->pdf);    /* pages, fonts, outlines */
	pdfi_table_clear(doc);
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

/* ---- saving ------------------------------------------------------------ */

static void draw_footers(struct pdf_doc *doc)
{
	for (size_t i = 0; i < doc->npages; i++) {
		char num[64];
		double w;

		pdfi_text_off(doc);
		doc->page = doc->pages[i];
		pdfi_reset_page_state(doc);
		pdfi_hline(doc, &C_RULE, 0.5, X0, X1, FOOT_RULE_Y);
		if (doc->footer) {
			w = pdfi_text_width(doc, F_REG, SMALL_SIZE, doc->footer);
			pdfi_put_text(doc, F_REG, SMALL_SIZE, &C_GRAY,
				 w < TEXT_W ? X0 + (TEXT_W - w) / 2 : X0,
				 FOOT_TEXT_Y, doc->footer, strlen(doc->footer));
		}
		snprintf(num, sizeof(num), "Page %zu of %zu", i + 1,
			 doc->npages);
		w = pdfi_text_width(doc, F_REG, 9.0, num);
		pdfi_put_text(doc, F_REG, 9.0, &C_INK, X0 + (TEXT_W - w) / 2,
			 doc->footer ? FOOT_PAGE_Y : FOOT_TEXT_Y - 4, num,
			 strlen(num));
		pdfi_text_off(doc);
	}
}

/* The whole file in memory (caller frees), or NULL (printed). */
static unsigned char *render(struct pdf_doc *doc, const char *path,
			     size_t *len)
{
	HPDF_UINT32 size, got;
	unsigned char *buf;

	if (HPDF_SaveToStream(doc->pdf) != HPDF_OK || doc->err.no) {
		pdfi_check(doc, "saving");
		return NULL;
	}
	size = HPDF_GetStreamSize(doc->pdf);
	if (size == 0 || HPDF_ResetStream(doc->pdf) != HPDF_OK) {
		pdfi_check(doc, "saving");
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
			if (!pdfi_check(doc, "reading the PDF stream"))
				diag_error(NULL, "cannot write '%s': short "
					   "read from the PDF stream", path);
			return NULL;
		}
	}
	if (pdfi_patch_id(doc, buf, size)) {
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
		if (doc->pend && pdfi_place(doc, 0))
			return -1;
		if (!doc->page && pdfi_new_page(doc))
			return -1;
		pdfi_text_off(doc);
		draw_footers(doc);
		doc->saved = 1;
		if (pdfi_check(doc, "footers"))
			return -1;
	}
	for (int f = 0; f < NFONTS; f++)
		if (doc->font[f])
			pdfi_fix_to_unicode(doc->font[f], doc->used[f]);
	if (pdfi_check(doc, "ToUnicode"))
		return -1;
	buf = render(doc, path, &len);
	if (!buf)
		return -1;

	fd = file_create_tmp(path, &tmp);
	if (fd < 0) {
		free(buf);
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
	err = file_commit_tmp(tmp, path);
	free(tmp);
	free(buf);
	return err;
fail:
	diag_error(NULL, "cannot write '%s': %s", tmp, strerror(err));
	unlink(tmp);
	free(tmp);
	free(buf);
	return -1;
}
