/* test_pdf: the PDF layout engine, end to end.
 *
 * Builds a full agency letter (letterhead, headings, long paragraphs with
 * an over-long hash and URL, non-ASCII and invalid text, a 10 000-row
 * table, a signature), saves it, and checks the result with poppler's
 * pdftotext/pdffonts/pdfinfo and qpdf (test-only tools). Two builds a
 * couple of seconds apart must be byte-identical. */
#include "pdf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

#if defined(__SANITIZE_ADDRESS__)
#define TIME_LIMIT 60.0
#else
#define TIME_LIMIT 10.0
#endif

#define NROWS 10000
#define DOC_DATE 1552003200LL   /* 2019-03-08 00:00:00 UTC */

static const char HASH[] =
	"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
static const char HASH2[] =
	"3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d";
static const char URL[] =
	"https://www.archives.gov/records-mgmt/resources/unauthorized-"
	"disposition-of-federal-records/reporting-requirements-36-cfr-1230";

static char dir[64];

/* ---- helpers ------------------------------------------------------------ */

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Run a shell command; its stdout in *out (caller frees); exit status. */
static int run(const char *cmd, char **out)
{
	FILE *fp = popen(cmd, "r");
	size_t len = 0, alloc = 65536;
	char *buf = malloc(alloc);
	size_t n;
	int st;

	if (!fp || !buf) {
		free(buf);
		*out = NULL;
		return -1;
	}
	while ((n = fread(buf + len, 1, alloc - len - 1, fp)) > 0) {
		len += n;
		if (alloc - len < 4096) {
			alloc *= 2;
			buf = realloc(buf, alloc);
			if (!buf)
				abort();
		}
	}
	buf[len] = '\0';
	st = pclose(fp);
	*out = buf;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf;
	long n;

	if (!fp)
		return NULL;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, fp) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(fp);
	if (buf) {
		buf[n] = '\0';
		*len = (size_t)n;
	}
	return buf;
}

static int exists(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0;
}

static char *path_in(const char *name)
{
	static char bufs[8][256];
	static int k;
	char *p = bufs[k++ & 7];
	snprintf(p, 256, "%s/%s", dir, name);
	return p;
}

/* s with all white space removed (caller frees). */
static char *squeeze(const char *s)
{
	char *o = malloc(strlen(s) + 1), *q = o;
	for (; *s; s++)
		if (*s != ' ' && *s != '\n' && *s != '\t' && *s != '\f' &&
		    *s != '\r')
			*q++ = *s;
	*q = '\0';
	return o;
}

static const char *mem_find(const char *buf, size_t len, const char *pat)
{
	size_t n = strlen(pat);
	for (size_t i = 0; i + n <= len; i++)
		if (memcmp(buf + i, pat, n) == 0)
			return buf + i;
	return NULL;
}

/* pdfinfo output has a line "Key:<spaces>value". */
static int has_field(const char *out, const char *key, const char *value)
{
	size_t kl = strlen(key);
	for (const char *p = out; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		const char *v = p + kl + 1;
		if (strncmp(p, key, kl) != 0 || p[kl] != ':')
			continue;
		while (*v == ' ')
			v++;
		return strncmp(v, value, strlen(value)) == 0 &&
		       (v[strlen(value)] == '\n' || v[strlen(value)] == '\0');
	}
	return 0;
}

/* ---- the document -------------------------------------------------------- */

static const char *const HEADINGS[] = {
	"1. Description of the records, with volume and dates",
	"2. Office maintaining the records",
	"3. Exact circumstances",
	"4. Safeguards established",
	"5. Salvage, retrieval or reconstruction",
	"Affected records",
	"Input manifest",
	NULL
};

static struct pdf_doc *new_doc(void)
{
	struct pdf_doc_info info = {
		.title = "Report of unauthorized disposition <UD-2019-0001> & more",
		.author = "Office of the Chief Information Officer",
		.subject = "36 CFR 1230.14 report, case UD-2019-0001",
		.keywords = "NARA; unauthorized disposition; 36 CFR 1230",
		.creator = "udaudit test",
		.date = DOC_DATE,
		.footer = "CUI // case UD-2019-0001",
		.header = "Report of unauthorized disposition \xe2\x80\x94 UD-2019-0001",
	};
	return pdf_doc_new(&info);
}

static int build(const char *path, int nrows, double *secs)
{
	static const char *const addr[] = {
		"1800 Example Avenue NW", "Washington, DC 20408", NULL
	};
	static const char *const to[] = {
		"Laurence Brewer", "Chief Records Officer for the U.S. Government",
		"National Archives and Records Administration",
		"8601 Adelphi Road", "College Park, MD 20740-6001", NULL
	};
	static const char *const hdr[] = {
		"Custodian", "App", "Device", "First", "Last", "Messages", "Type"
	};
	static const double widths[] = { 108, 54, 42, 60, 60, 58, 86 };
	static const char *const mhdr[] = { "Input", "Size", "Records", "SHA-256" };
	static const double mwidths[] = { 3, 1, 1, 3.2 };
	static const char *const siglines[] = {
		"U.S. Department of Example", NULL
	};
	struct pdf_letterhead lh = {
		"U.S. Department of Example",
		"Office of the Chief Information Officer", addr
	};
	struct pdf_address_block ab = {
		NULL, to,
		"Report of unauthorized disposition of federal records "
		"(36 CFR 1230.14), case UD-2019-0001"
	};
	struct pdf_signature sig = {
		"Sincerely,", "Jane Q. Official",
		"Senior Agency Official for Records Management", siglines
	};
	char para[2048], cell[7][128];
	const char *cells[7];
	double t0 = now();
	struct pdf_doc *doc = new_doc();
	int rc = 0;

	if (!doc)
		return -1;
	rc |= pdf_letterhead(doc, &lh);
	rc |= pdf_address_block(doc, &ab);
	rc |= pdf_paragraph(doc, "In accordance with 36 CFR 1230.14 and 44 U.S.C. "
		"3106, the agency reports the unauthorized disposition of "
		"federal records described below. Caf\xc3\xa9 m\xc3\xbcnster "
		"\xe2\x80\x9cquoted\xe2\x80\x9d \xe2\x80\x94 dash, emoji "
		"\xf0\x9f\x98\x80 here, invalid \xff\xfe bytes, and a\x01" "control.");

	rc |= pdf_heading(doc, 1, HEADINGS[0]);
	snprintf(para, sizeof(para), "The affected messages are identified in "
		 "the input manifest by their SHA-256 digest %s, and the rule "
		 "pack is published at %s for review. %s", HASH, URL,
		 "The volume covers 412 messages in 37 conversations of 3 "
		 "custodians on 4 devices, between 2018-10-04 and 2019-02-11.");
	rc |= pdf_paragraph(doc, para);
	rc |= pdf_kv(doc, "Record series", "GRS 5.2, item 020: intermediary records");
	rc |= pdf_kv(doc, "Volume", "412 messages, 37 conversations");
	rc |= pdf_kv(doc, "Dates", "2018-10-04 to 2019-02-11");
	rc |= pdf_heading(doc, 2, "1.1 Per record series");
	rc |= pdf_bullet(doc, "GRS 5.2 item 020: 300 messages of 2 custodians.");
	rc |= pdf_bullet(doc, "GRS 6.1 item 010 (Capstone officials): 112 messages "
		"of 1 custodian, a longer bullet that has to wrap onto a second "
		"line to show the hanging indent of bulleted items.");
	rc |= pdf_heading(doc, 1, HEADINGS[1]);
	rc |= pdf_paragraph(doc, "Office of Field Operations, Region 4.");
	rc |= pdf_heading(doc, 1, HEADINGS[2]);
	for (int i = 0; i < 6; i++)
		rc |= pdf_paragraph(doc, "412 WhatsApp messages of 3 custodians were "
			"deleted on their devices between 2018-10-04 and 2019-02-11 "
			"without a copy in any recordkeeping system. The device "
			"D-0001 was replaced on 2019-01-15 holding 97 messages "
			"never captured. This sentence is repeated to make a "
			"paragraph long enough to wrap over several lines of the "
			"page and to push later sections down the page.");
	rc |= pdf_text(doc, PDF_SMALL | PDF_INDENT, "Note: counts are computed "
		"from the audit database as of the report date.");
	rc |= pdf_heading(doc, 1, HEADINGS[3]);
	rc |= pdf_paragraph(doc, "Mobile messaging applications other than the "
		"agency's approved platform were disabled on agency devices.");
	rc |= pdf_heading(doc, 1, HEADINGS[4]);
	rc |= pdf_paragraph(doc, "Of the 412 affected messages, 58 survive in a "
		"forward to an official account.");
	rc |= pdf_heading(doc, 1, HEADINGS[5]);
	rc |= pdf_table_begin(doc, 7, hdr, widths);
	rc |= pdf_table_align(doc, "lllllrl");
	for (int r = 0; r < nrows; r++) {
		snprintf(cell[0], sizeof(cell[0]), "custodian-%04d@example.gov", r % 997);
		snprintf(cell[1], sizeof(cell[1]), "%s", r % 3 ? "WhatsApp" : "Signal");
		snprintf(cell[2], sizeof(cell[2]), "D-%04d", r % 211);
		snprintf(cell[3], sizeof(cell[3]), "2018-%02d-%02d", 1 + r % 12, 1 + r % 28);
		snprintf(cell[4], sizeof(cell[4]), "2019-%02d-%02d", 1 + r % 12, 1 + r % 28);
		snprintf(cell[5], sizeof(cell[5]), "%d", (r * 37) % 5000);
		snprintf(cell[6], sizeof(cell[6]), "%s", r % 5 ? "deleted on device" :
			 "device replaced without capture of its messages");
		for (int c = 0; c < 7; c++)
			cells[c] = cell[c];
		rc |= pdf_table_row(doc, cells);
	}
	rc |= pdf_table_end(doc);
	rc |= pdf_heading(doc, 1, "Input manifest");
	rc |= pdf_table_begin(doc, 4, mhdr, mwidths);
	rc |= pdf_table_align(doc, "lrr");
	cells[0] = "exports/whatsapp/custodian-0001/msgstore-2019-02-11.db.crypt14.json";
	cells[1] = "1048576";
	cells[2] = "412";
	cells[3] = HASH2;
	rc |= pdf_table_row(doc, cells);
	cells[0] = "Caf\xc3\xa9 \xe2\x80\x9c" "export\xe2\x80\x9d" ".csv";
	cells[1] = "2048";
	cells[2] = "7";
	cells[3] = HASH;
	rc |= pdf_table_row(doc, cells);
	rc |= pdf_table_end(doc);
	rc |= pdf_paragraph(doc, "Legal citations: 36 CFR 1230.14; 44 U.S.C. 3106; "
		"44 U.S.C. 2911.");
	rc |= pdf_signature(doc, &sig);
	rc |= pdf_doc_save(doc, path);
	pdf_doc_free(doc);
	if (secs)
		*secs = now() - t0;
	return rc ? -1 : 0;
}

/* ---- checks -------------------------------------------------------------- */

static void check_text(const char *path, int *npages)
{
	char cmd[512], *out, *flat, want[64];
	int st;

	snprintf(cmd, sizeof(cmd), "pdfinfo -isodates '%s' 2>&1", path);
	st = run(cmd, &out);
	CHECK(st == 0);
	CHECK(out && !strstr(out, "Warning") && !strstr(out, "Error"));
	CHECK(out && has_field(out, "PDF version", "1.4"));
	CHECK(out && has_field(out, "Page size", "612 x 792 pts (letter)"));
	CHECK(out && has_field(out, "Author", "Office of the Chief Information Officer"));
	/* '<' '>' '&' cleaned for the XMP, the same in /Info */
	CHECK(out && has_field(out, "Title", "Report of unauthorized disposition "
			    "\xe2\x80\xb9UD-2019-0001\xe2\x80\xba and more"));
	CHECK(out && has_field(out, "CreationDate", "2019-03-08T00:00:00Z"));
	*npages = 0;
	if (out && strstr(out, "Pages:"))
		*npages = atoi(strstr(out, "Pages:") + 6);
	CHECK(*npages > 250);
	free(out);

	snprintf(cmd, sizeof(cmd), "pdftotext -enc UTF-8 '%s' - 2>'%s'", path,
		 path_in("pdftotext.err"));
	st = run(cmd, &out);
	CHECK(st == 0);
	/* poppler has nothing to complain about (fonts, ToUnicode, XMP) */
	{
		size_t elen = 1;
		char *err = slurp(path_in("pdftotext.err"), &elen);
		CHECK(err && elen == 0);
		free(err);
	}
	if (!out)
		return;
	for (int i = 0; HEADINGS[i]; i++)
		CHECK(strstr(out, HEADINGS[i]) != NULL);
	CHECK(strstr(out, "1.1 Per record series") != NULL);
	CHECK(strstr(out, "U.S. DEPARTMENT OF EXAMPLE") != NULL);
	CHECK(strstr(out, "March 8, 2019") != NULL);
	CHECK(strstr(out, "Page 1 of ") != NULL);
	snprintf(want, sizeof(want), "Page 1 of %d", *npages);
	CHECK(strstr(out, want) != NULL);
	snprintf(want, sizeof(want), "Page %d of %d", *npages, *npages);
	CHECK(strstr(out, want) != NULL);
	CHECK(strstr(out, "CUI // case UD-2019-0001") != NULL);
	CHECK(strstr(out, "Caf\xc3\xa9 m\xc3\xbcnster") != NULL);
	CHECK(strstr(out, "\xe2\x80\x9cquoted\xe2\x80\x9d") != NULL);
	CHECK(strstr(out, "\xe2\x80\x94") != NULL);
	CHECK(strstr(out, "emoji \xef\xbf\xbd here") != NULL);     /* U+FFFD */
	CHECK(strstr(out, "invalid \xef\xbf\xbd\xef\xbf\xbd bytes") != NULL);
	CHECK(strstr(out, "a control.") != NULL);
	CHECK(strstr(out, "-0996@example.gov") != NULL);     /* cut before the hyphen */
	CHECK(strstr(out, "Jane Q. Official") != NULL);
	/* the hash in a narrow table cell is cut across lines, nothing lost;
	 * the URL is cut too (it is wider than the text column) */
	CHECK(strstr(out, HASH2) == NULL);
	CHECK(strstr(out, "3e23e8160039594a33894f6") != NULL);
	CHECK(strstr(out, "d42c4acb73eeaed59c00") != NULL);
	CHECK(strstr(out, URL) == NULL);
	CHECK(strstr(out, "https://www.archives.gov/records-mgmt") != NULL);
	flat = squeeze(out);
	CHECK(strstr(flat, HASH) != NULL);
	CHECK(strstr(flat, HASH2) != NULL);
	CHECK(strstr(flat, "custodian-0996@example.gov") != NULL);
	CHECK(strstr(flat, URL) != NULL);
	CHECK(strstr(flat, "exports/whatsapp/custodian-0001/msgstore-2019-02-11.db.crypt14.json") != NULL);
	free(flat);
	/* no heading is the last line of text on a page */
	{
		char *pg = out;
		int bad = 0;
		while (pg && *pg) {
			char *ff = strchr(pg, '\f');
			char *last = NULL, *ln = pg;
			if (ff)
				*ff = '\0';
			while (ln && *ln) {
				char *nl = strchr(ln, '\n');
				if (nl)
					*nl = '\0';
				if (*ln && strncmp(ln, "Page ", 5) != 0 &&
				    strcmp(ln, "CUI // case UD-2019-0001") != 0)
					last = ln;
				ln = nl ? nl + 1 : NULL;
			}
			for (int i = 0; last && HEADINGS[i]; i++)
				if (strcmp(last, HEADINGS[i]) == 0)
					bad++;
			pg = ff ? ff + 1 : NULL;
		}
		CHECK(bad == 0);
	}
	free(out);
}

static void check_fonts_and_structure(const char *path)
{
	char cmd[512], *out;
	int st, nfonts = 0, emb = 0;

	/* pdffonts: two header lines, then one line per font; "emb" is the
	 * fifth column from the end (emb sub uni object ID) */
	snprintf(cmd, sizeof(cmd), "pdffonts '%s' | awk 'NR>2 { n++; "
		 "if ($(NF-4) == \"yes\") e++ } END { print n+0, e+0 }'", path);
	st = run(cmd, &out);
	CHECK(st == 0);
	if (out)
		sscanf(out, "%d %d", &nfonts, &emb);
	free(out);
	CHECK(nfonts == 2);
	CHECK(emb == nfonts);

	snprintf(cmd, sizeof(cmd), "qpdf --check '%s' >/dev/null 2>&1", path);
	st = run(cmd, &out);
	free(out);
	CHECK(st == 0);
	/* bookmarks: six level-1 entries and one nested */
	snprintf(cmd, sizeof(cmd), "qpdf --json --json-key=outlines '%s'", path);
	st = run(cmd, &out);
	CHECK(st == 0);
	CHECK(out && strstr(out, "\"title\": \"1. Description of the records") != NULL);
	CHECK(out && strstr(out, "\"title\": \"1.1 Per record series\"") != NULL);
	free(out);
}

static void check_pdfa_bits(const char *buf, size_t len)
{
	const char *x0 = mem_find(buf, len, "<?xpacket begin");
	const char *x1 = mem_find(buf, len, "<?xpacket end");
	const char *id;

	CHECK(x0 && x1 && x1 > x0);
	if (x0 && x1 && x1 > x0) {
		size_t n = (size_t)(x1 - x0);
		CHECK(mem_find(x0, n, "pdfaid:part='1'") != NULL);
		CHECK(mem_find(x0, n, "pdfaid:conformance='B'") != NULL);
		CHECK(mem_find(x0, n, "&") == NULL);
		CHECK(mem_find(x0, n, "<xmp:CreateDate>2019-03-08T00:00:00+00:00</xmp:CreateDate>") != NULL);
	}
	CHECK(mem_find(buf, len, "/DestOutputProfile ") != NULL);
	CHECK(mem_find(buf, len, "/DestOutputProfile#20") == NULL);
	CHECK(mem_find(buf, len, "/S /GTS_PDFA1") != NULL);
	CHECK(mem_find(buf, len, "/Encrypt") == NULL);
	id = mem_find(buf, len, "/ID [ <");
	CHECK(id != NULL);
	if (id) {
		CHECK(strncmp(id + 7, "00000000000000000000000000000000", 32) != 0);
		CHECK(strncmp(id + 7 + 32, "> <", 3) == 0);
		CHECK(strncmp(id + 7, id + 7 + 35, 32) == 0);
	}
}

static void check_failures(void)
{
	struct pdf_doc *doc;
	size_t len;
	char *s;
	const char *p;

	/* a path in a directory that does not exist */
	p = path_in("no/such/dir/x.pdf");
	doc = new_doc();
	CHECK(doc != NULL);
	CHECK(pdf_paragraph(doc, "hello") == 0);
	CHECK(pdf_doc_save(doc, p) == -1);
	CHECK(!exists(p));
	/* the same document still saves elsewhere */
	CHECK(pdf_doc_save(doc, path_in("retry.pdf")) == 0);
	CHECK(exists(path_in("retry.pdf")) && !exists(path_in("retry.pdf.tmp")));
	/* saving again writes the same bytes */
	CHECK(pdf_doc_save(doc, path_in("retry2.pdf")) == 0);
	{
		size_t l1 = 0, l2 = 0;
		char *r1 = slurp(path_in("retry.pdf"), &l1);
		char *r2 = slurp(path_in("retry2.pdf"), &l2);
		CHECK(r1 && r2 && l1 == l2 && memcmp(r1, r2, l1) == 0);
		free(r1);
		free(r2);
	}
	/* content after a save is refused */
	CHECK(pdf_paragraph(doc, "late") == -1);
	pdf_doc_free(doc);

	/* path is a directory: rename fails, the temp file is removed */
	mkdir(path_in("isdir"), 0755);
	doc = new_doc();
	CHECK(pdf_paragraph(doc, "hello") == 0);
	CHECK(pdf_doc_save(doc, path_in("isdir")) == -1);
	CHECK(!exists(path_in("isdir.tmp")));
	pdf_doc_free(doc);

	/* the write goes through <path>.tmp: when that cannot be created, the
	 * old file is untouched */
	p = path_in("old.pdf");
	{
		FILE *fp = fopen(p, "w");
		fputs("old", fp);
		fclose(fp);
	}
	mkdir(path_in("old.pdf.tmp"), 0755);
	doc = new_doc();
	CHECK(pdf_paragraph(doc, "new") == 0);
	CHECK(pdf_doc_save(doc, p) == -1);
	s = slurp(p, &len);
	CHECK(s && len == 3 && memcmp(s, "old", 3) == 0);
	free(s);
	rmdir(path_in("old.pdf.tmp"));
	/* and a successful save replaces the name, not the inode: a hard link
	 * to the old file keeps the old bytes */
	CHECK(link(p, path_in("old-link")) == 0);
	CHECK(pdf_doc_save(doc, p) == 0);
	s = slurp(path_in("old-link"), &len);
	CHECK(s && len == 3);
	free(s);
	s = slurp(p, &len);
	CHECK(s && len > 1000 && memcmp(s, "%PDF-1.4", 8) == 0);
	free(s);
	CHECK(!exists(path_in("old.pdf.tmp")));
	pdf_doc_free(doc);

	/* misuse makes the document failed; save writes nothing */
	doc = new_doc();
	CHECK(pdf_heading(doc, 3, "bad level") == -1);
	CHECK(pdf_paragraph(doc, "after") == -1);
	CHECK(pdf_doc_save(doc, path_in("bad.pdf")) == -1);
	CHECK(!exists(path_in("bad.pdf")) && !exists(path_in("bad.pdf.tmp")));
	pdf_doc_free(doc);

	doc = new_doc();
	CHECK(pdf_table_begin(doc, 0, NULL, NULL) == -1);
	pdf_doc_free(doc);

	doc = new_doc();
	CHECK(pdf_table_begin(doc, 2, NULL, NULL) == 0);
	CHECK(pdf_paragraph(doc, "inside a table") == -1);
	pdf_doc_free(doc);

	/* missing fonts or ICC profile */
	setenv("UDAUDIT_FONT_DIR", path_in("nofonts"), 1);
	CHECK(new_doc() == NULL);
	unsetenv("UDAUDIT_FONT_DIR");
	setenv("UDAUDIT_ICC_PATH", path_in("none.icc"), 1);
	CHECK(new_doc() == NULL);
	unsetenv("UDAUDIT_ICC_PATH");
	CHECK((doc = new_doc()) != NULL);
	pdf_doc_free(doc);

	/* date out of range */
	{
		struct pdf_doc_info info = { .title = "x", .date = -1 };
		CHECK(pdf_doc_new(&info) == NULL);
	}
}

/* Odd inputs that must not crash: empty strings, NULL cells, a cell
 * taller than a page, a column narrower than one character, tiny and huge
 * tables, many headings. */
static void check_edge_cases(void)
{
	struct pdf_doc *doc = new_doc();
	const char *cells[3];
	static const double w[3] = { 0.001, 1, 1 };
	char *big = malloc(40000), *out;
	char cmd[512];
	size_t o = 0;

	CHECK(doc != NULL);
	if (!doc || !big) {
		free(big);
		return;
	}
	for (int i = 0; i < 400; i++)
		o += (size_t)sprintf(big + o, "line %d of a cell taller than a page\n", i);
	CHECK(pdf_paragraph(doc, "") == 0);
	CHECK(pdf_paragraph(doc, NULL) == 0);
	/* not in DejaVu Sans (CJK), tabs, CR LF, a lone continuation byte,
	 * a truncated sequence at the end */
	CHECK(pdf_paragraph(doc, "CJK \xe6\xbc\xa2\xe5\xad\x97 tab\there\r\nnext "
			    "\x80 line \xe2\x80") == 0);
	CHECK(pdf_heading(doc, 2, "Level 2 before any level 1") == 0);
	CHECK(pdf_heading(doc, 1, "Heading straight after a heading") == 0);
	CHECK(pdf_table_begin(doc, 3, NULL, w) == 0);
	cells[0] = "abc";
	cells[1] = NULL;
	cells[2] = big;
	CHECK(pdf_table_row(doc, cells) == 0);
	CHECK(pdf_table_row(doc, NULL) == 0);
	CHECK(pdf_table_end(doc) == 0);
	CHECK(pdf_table_begin(doc, 1, (const char *const[]){ "Only header" }, NULL) == 0);
	CHECK(pdf_table_end(doc) == 0);
	CHECK(pdf_page_break(doc) == 0);
	CHECK(pdf_page_break(doc) == 0);        /* no empty page */
	for (int i = 0; i < 80; i++) {
		char h[64], t[600];
		snprintf(h, sizeof(h), "Section %d", i + 1);
		CHECK(pdf_heading(doc, 1 + i % 2, h) == 0);
		snprintf(t, sizeof(t), "%.*s", 40 + (i * 53) % 500,
			 "Text of varying length to land headings at every height "
			 "on the page. Text of varying length to land headings at "
			 "every height on the page. Text of varying length to land "
			 "headings at every height on the page. Text of varying "
			 "length to land headings at every height on the page. Text "
			 "of varying length to land headings at every height on the "
			 "page. Text of varying length to land headings at every "
			 "height on the page. Text of varying length to land headings "
			 "at every height on the page. Text of varying length.");
		CHECK(pdf_paragraph(doc, t) == 0);
	}
	CHECK(pdf_space(doc, 20) == 0);
	CHECK(pdf_page_count(doc) >= 10);
	CHECK(pdf_doc_save(doc, path_in("edge.pdf")) == 0);
	pdf_doc_free(doc);
	free(big);

	snprintf(cmd, sizeof(cmd), "qpdf --check '%s' >/dev/null 2>&1", path_in("edge.pdf"));
	CHECK(run(cmd, &out) == 0);
	free(out);
	snprintf(cmd, sizeof(cmd), "pdftotext '%s' -", path_in("edge.pdf"));
	CHECK(run(cmd, &out) == 0);
	CHECK(out && strstr(out, "line 0 of a cell") && strstr(out, "line 399 of a cell"));
	CHECK(out && strstr(out, "tab here\nnext \xef\xbf\xbd line \xef\xbf\xbd\xef\xbf\xbd"));
	/* no heading alone at the bottom of a page */
	if (out) {
		int bad = 0;
		char *pg = out;
		while (pg && *pg) {
			char *ff = strchr(pg, '\f'), *last = NULL, *ln = pg;
			if (ff)
				*ff = '\0';
			while (ln && *ln) {
				char *nl = strchr(ln, '\n');
				if (nl)
					*nl = '\0';
				if (*ln && strncmp(ln, "Page ", 5) != 0 &&
				    strncmp(ln, "CUI //", 6) != 0)
					last = ln;
				ln = nl ? nl + 1 : NULL;
			}
			if (last && strncmp(last, "Section ", 8) == 0)
				bad++;
			pg = ff ? ff + 1 : NULL;
		}
		CHECK(bad == 0);
	}
	free(out);
}

/* Inputs far beyond what a report has: a footer of 1000 characters, a
 * header cell taller than a page in a narrow column, a signature with
 * more lines than a page holds. Must finish and stay valid. */
static void check_oversized(void)
{
	static char longtext[4000];
	static const char *lines[80];
	struct pdf_doc_info info = { .title = "oversized", .date = DOC_DATE,
				     .footer = longtext, .header = longtext };
	struct pdf_signature sig = { "Sincerely,", longtext, longtext, lines };
	static const double w[2] = { 1, 30 };
	const char *hdr[2], *cells[2];
	struct pdf_doc *doc;
	char cmd[512], *out = NULL;

	for (size_t i = 0; i + 1 < sizeof(longtext); i++)
		longtext[i] = i % 7 == 6 ? ' ' : (char)('a' + i % 26);
	for (int i = 0; i < 79; i++)
		lines[i] = "Office of the Chief Information Officer";
	doc = pdf_doc_new(&info);
	CHECK(doc != NULL);
	if (!doc)
		return;
	hdr[0] = longtext;
	hdr[1] = "Value";
	cells[0] = "x";
	cells[1] = "y";
	CHECK(pdf_table_begin(doc, 2, hdr, w) == 0);
	for (int i = 0; i < 200; i++)
		CHECK(pdf_table_row(doc, cells) == 0);
	CHECK(pdf_table_end(doc) == 0);
	CHECK(pdf_signature(doc, &sig) == 0);
	CHECK(pdf_doc_save(doc, path_in("oversized.pdf")) == 0);
	pdf_doc_free(doc);
	snprintf(cmd, sizeof(cmd), "qpdf --check '%s' >/dev/null 2>&1",
		 path_in("oversized.pdf"));
	CHECK(run(cmd, &out) == 0);
	free(out);
	snprintf(cmd, sizeof(cmd), "pdftotext -l 1 '%s' -", path_in("oversized.pdf"));
	CHECK(run(cmd, &out) == 0);
	CHECK(out && strstr(out, "\xe2\x80\xa6") != NULL);   /* footer cut */
	free(out);
}

static void cleanup(void)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (!getenv("TEST_PDF_KEEP") && system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", dir);
}

/* pdf_keep: a block that does not fit the rest of the page starts a new
 * one; one that fits stays. */
static void check_keep(void)
{
	struct pdf_doc *doc = new_doc();
	int pages;

	CHECK(doc != NULL);
	if (!doc)
		return;
	for (int i = 0; i < 40; i++)    /* most of page 1 */
		pdf_paragraph(doc, "A line of body text in the letter.");
	pages = pdf_page_count(doc);
	CHECK(pdf_keep(doc, 10) == 0);
	CHECK(pdf_page_count(doc) == pages);
	CHECK(pdf_keep(doc, 600) == 0);
	CHECK(pdf_page_count(doc) == pages + 1);
	CHECK(pdf_keep(doc, 600) == 0);         /* already at a page top */
	CHECK(pdf_page_count(doc) == pages + 1);
	pdf_doc_free(doc);
}

int main(void)
{
	double secs = 0, secs2 = 0;
	char *a, *b;
	size_t alen = 0, blen = 0;
	int npages = 0;

	snprintf(dir, sizeof(dir), "/tmp/test_pdf.XXXXXX");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}

	CHECK(build(path_in("a.pdf"), NROWS, &secs) == 0);
	CHECK(secs < TIME_LIMIT);
	fprintf(stderr, "test_pdf: %d-row report built and saved in %.2f s\n",
		NROWS, secs);
	CHECK(!exists(path_in("a.pdf.tmp")));
	sleep(2);       /* a clock second apart */
	CHECK(build(path_in("b.pdf"), NROWS, &secs2) == 0);
	a = slurp(path_in("a.pdf"), &alen);
	b = slurp(path_in("b.pdf"), &blen);
	CHECK(a && b && alen == blen && memcmp(a, b, alen) == 0);
	if (a)
		check_pdfa_bits(a, alen);

	check_text(path_in("a.pdf"), &npages);
	check_fonts_and_structure(path_in("a.pdf"));
	check_failures();
	check_edge_cases();
	check_oversized();
	check_keep();

	free(a);
	free(b);
	if (!t_fail)
		cleanup();
	else
		fprintf(stderr, "test_pdf: files kept in %s\n", dir);
	return CHECK_DONE();
}
