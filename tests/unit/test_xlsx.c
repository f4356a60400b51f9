/* xlsx: the wrapper's refusals (non-ASCII dropdowns, bad sheet names), text
 * cleaning, the temporary-name-and-rename, and byte-identical output. */
#include "xlsx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"

static char *slurp(const char *path, long *n)
{
	FILE *fp = fopen(path, "rb");
	char *buf;

	*n = 0;
	if (!fp)
		return NULL;
	fseek(fp, 0, SEEK_END);
	*n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	buf = malloc((size_t)*n + 1);
	if (buf && fread(buf, 1, (size_t)*n, fp) != (size_t)*n) {
		free(buf);
		buf = NULL;
	}
	fclose(fp);
	return buf;
}

static int write_book(const char *path, int constant_memory)
{
	struct xlsx_opts o = { 1632441600, constant_memory, "t", NULL, NULL, NULL };
	static const char *const vocab[] = { "Open", "Closed", NULL };
	struct xlsx *x = xlsx_new(path, &o);
	struct xlsx_sheet *sh;
	char *big;

	if (!x)
		return -1;
	sh = xlsx_add_sheet(x, "Data");
	CHECK(sh != NULL);
	CHECK(xlsx_header(sh, 0, (const char *const[]){ "a", "b", "c" }, 3) == 0);
	CHECK(xlsx_str(sh, 1, 0, "=HYPERLINK(\"http://x\",\"y\")", XS_NONE) == 0);
	CHECK(xlsx_str(sh, 1, 1, "bell\a and \x1b escape, bad \xff utf-8", XS_NONE) == 0);
	big = malloc(40000);
	memset(big, 'x', 39999);
	big[39999] = '\0';
	CHECK(xlsx_str(sh, 1, 2, big, XS_NONE) == 0);
	free(big);
	CHECK(xlsx_date(sh, 2, 0, 18894) == 0);
	CHECK(xlsx_datetime(sh, 2, 1, 1539353002) == 0);
	CHECK(xlsx_date_str(sh, 2, 2, "not a date") == 0);
	CHECK(xlsx_datetime(sh, 3, 0, -3000000000LL) == 0);    /* 1874: kept as text */
	CHECK(xlsx_date(sh, 3, 1, 3000000) == 0);              /* year 10183: text */
	CHECK(xlsx_dropdown(sh, 1, 0, 2, 0, vocab) == 0);
	CHECK(xlsx_highlight_if(sh, 1, 0, 2, 2, "=$A2>0") == 0);
	CHECK(xlsx_chart(sh, 4, 4, XC_COLUMN, "chart", sh,
			 &(struct xlsx_series){ NULL, 1, 2, 0, 1 }, 1) == 0);
	return xlsx_close(x);
}

static void test_lines(void)
{
	CHECK(xlsx_text_lines("", 10) == 1);
	CHECK(xlsx_text_lines("short", 10) == 1);
	CHECK(xlsx_text_lines("one two three", 10) == 2);      /* 9 a line */
	CHECK(xlsx_text_lines("one two three four", 10) == 3);
	CHECK(xlsx_text_lines("a\nb\nc", 40) == 3);
	CHECK(xlsx_text_lines("abcdefghijklmnopqrstuvwxyz", 10) == 3);
	/* characters, not bytes */
	CHECK(xlsx_text_lines("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 8) == 1);
}

int main(void)
{
	test_lines();
	char dir[] = "/tmp/udaudit-test-xlsx-XXXXXX", a[64], b[64], tmp[80];
	struct xlsx_opts o = { 1632441600, 0, NULL, NULL, NULL, NULL };
	struct stat sb;
	long na, nb;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(a, sizeof(a), "%s/a.xlsx", dir);
	snprintf(b, sizeof(b), "%s/b.xlsx", dir);
	CHECK(write_book(a, 0) == 0);
	sleep(1);       /* a clock anywhere in the output would now differ */
	CHECK(write_book(b, 0) == 0);
	char *da = slurp(a, &na), *db = slurp(b, &nb);
	CHECK(da && db && na == nb && na > 0 && !memcmp(da, db, (size_t)na));
	free(da);
	free(db);
	snprintf(tmp, sizeof(tmp), "%s.tmp", a);
	CHECK(stat(tmp, &sb) != 0);             /* renamed away */
	CHECK(write_book(a, 1) == 0);           /* constant-memory mode */

	/* refusals: they print, fail the workbook, and leave nothing behind */
	struct xlsx *x = xlsx_new(a, &o);
	CHECK(x != NULL);
	if (x) {
		struct xlsx_sheet *sh = xlsx_add_sheet(x, "S");
		static const char *const utf8[] = { "Ouvert", "Ferm\xC3\xA9", NULL };
		CHECK(xlsx_dropdown(sh, 1, 0, 2, 0, utf8) == -1);
		CHECK(xlsx_failed(x));
		CHECK(xlsx_str(sh, 1, 0, "after", XS_NONE) == -1);
		CHECK(xlsx_close(x) == -1);
		CHECK(stat(tmp, &sb) != 0);
	}
	x = xlsx_new(b, &o);
	CHECK(x != NULL);
	if (x) {
		CHECK(xlsx_add_sheet(x, "a sheet name that is far longer than 31") == NULL);
		CHECK(xlsx_add_sheet(x, "bad[name]") == NULL);
		xlsx_discard(x);
	}
	o.created = 0;
	CHECK(xlsx_new(a, &o) == NULL);         /* 0 would mean "now" to 1.1.4 */
	o.created = 1;
	CHECK(xlsx_new("/nonexistent-dir/x.xlsx", &o) == NULL);
	unlink(a);
	unlink(b);
	rmdir(dir);
	return CHECK_DONE();
}
