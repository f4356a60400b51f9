/* textin: CRLF, BOM, last line without newline, over-long lines, NUL bytes,
 * physical line numbers; memory and file input behave the same. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "textin.h"
#include "xalloc.h"

/* Read every line into "a|b|c" (a too-long line shows as "<LONG>"), with
 * the line numbers into nums (space separated). */
static void slurp(struct textin *t, char *out, size_t outlen, char *nums, size_t numlen)
{
	const char *line;
	size_t len, o = 0, n = 0;

	out[0] = nums[0] = '\0';
	while (textin_next(t, &line, &len) > 0) {
		const char *show = textin_too_long(t) ? "<LONG>" : line;
		size_t sl = textin_too_long(t) ? 6 : len;
		o += (size_t)snprintf(out + o, outlen - o, "%s%.*s", n ? "|" : "", (int)sl, show);
		n += (size_t)snprintf(nums + n, numlen - n, "%s%lu", n ? " " : "",
				      textin_lineno(t));
	}
}

static void check_mem(const char *buf, size_t len, const char *want, const char *want_nums)
{
	char out[256], nums[128];
	struct textin *t = textin_new_mem(buf, len, "mem");
	slurp(t, out, sizeof(out), nums, sizeof(nums));
	CHECK_STR(out, want);
	CHECK_STR(nums, want_nums);
	textin_free(t);
}

static void test_basic(void)
{
	const char *line;
	size_t len;
	struct textin *t;

	check_mem("a\nb\nc\n", 6, "a|b|c", "1 2 3");
	check_mem("a\r\nb\r\nc\r\n", 9, "a|b|c", "1 2 3");
	/* last line without newline */
	check_mem("a\nb\nlast", 8, "a|b|last", "1 2 3");
	check_mem("a\r\nlast\r", 8, "a|last", "1 2");
	/* blank lines are lines */
	check_mem("\n\nx\n", 4, "||x", "1 2 3");
	/* a lone CR in the middle is data */
	check_mem("a\rb\n", 4, "a\rb", "1");
	/* empty input: no line at all */
	t = textin_new_mem("", 0, "empty");
	CHECK(textin_next(t, &line, &len) == 0);
	CHECK(textin_next(t, &line, &len) == 0);
	CHECK(textin_lineno(t) == 0);
	textin_free(t);
	CHECK_STR(textin_name(t = textin_new_mem("x", 1, "name.txt")), "name.txt");
	textin_free(t);
}

static void test_bom(void)
{
	/* dropped at the start of the file only */
	check_mem("\xEF\xBB\xBF" "a,b\nc\n", 9, "a,b|c", "1 2");
	check_mem("\xEF\xBB\xBF" "\r\nx\n", 7, "|x", "1 2");
	check_mem("a\n\xEF\xBB\xBF" "b\n", 7, "a|\xEF\xBB\xBF" "b", "1 2");
	check_mem("\xEF\xBB\xBF", 3, "", "1");
}

static void test_nul(void)
{
	static const char buf[] = "a\0b\nc\n";
	struct textin *t = textin_new_mem(buf, sizeof(buf) - 1, "nul");
	const char *line;
	size_t len;

	CHECK(textin_next(t, &line, &len) == 1);
	CHECK(len == 3);
	CHECK(memcmp(line, "a\0b", 4) == 0);
	CHECK(textin_next(t, &line, &len) == 1);
	CHECK_STR(line, "c");
	CHECK(textin_lineno(t) == 2);
	CHECK(textin_next(t, &line, &len) == 0);
	textin_free(t);
}

static void test_too_long(void)
{
	size_t big = TEXTIN_MAX_LINE + 100;
	char *buf = xmalloc(big + 64);
	const char *line;
	size_t len, n = 0;
	struct textin *t;

	n += (size_t)sprintf(buf, "first\n");
	memset(buf + n, 'x', big);
	n += big;
	n += (size_t)sprintf(buf + n, "\nafter\nend");
	t = textin_new_mem(buf, n, "long");
	CHECK(textin_next(t, &line, &len) == 1);
	CHECK_STR(line, "first");
	CHECK(!textin_too_long(t));
	CHECK(textin_next(t, &line, &len) == 1);
	CHECK(textin_too_long(t));
	CHECK(len == 0);
	CHECK(textin_lineno(t) == 2);
	CHECK(textin_next(t, &line, &len) == 1);
	CHECK(!textin_too_long(t));
	CHECK_STR(line, "after");
	CHECK(textin_lineno(t) == 3);
	CHECK(textin_next(t, &line, &len) == 1);
	CHECK_STR(line, "end");
	CHECK(textin_lineno(t) == 4);
	CHECK(textin_next(t, &line, &len) == 0);
	textin_free(t);

	/* exactly at the cap is fine */
	memset(buf, 'y', TEXTIN_MAX_LINE);
	buf[TEXTIN_MAX_LINE] = '\n';
	t = textin_new_mem(buf, TEXTIN_MAX_LINE + 1, "cap");
	CHECK(textin_next(t, &line, &len) == 1);
	CHECK(!textin_too_long(t));
	CHECK(len == TEXTIN_MAX_LINE);
	textin_free(t);

	/* an over-long last line without a newline */
	memset(buf, 'z', big);
	t = textin_new_mem(buf, big, "tail");
	CHECK(textin_next(t, &line, &len) == 1);
	CHECK(textin_too_long(t));
	CHECK(textin_next(t, &line, &len) == 0);
	textin_free(t);
	free(buf);
}

/* The file reader crosses its 64 KiB chunks: lines that straddle a chunk
 * boundary, CRLF split across chunks, and a 1 MiB+ line. */
static void test_file(void)
{
	char path[] = "/tmp/udaudit-textin-XXXXXX";
	int fd = mkstemp(path);
	FILE *fp;
	struct textin *t;
	const char *line;
	size_t len;
	unsigned long lines = 0, long_at = 0, bad = 0;

	CHECK(fd >= 0);
	if (fd < 0)
		return;
	fp = fdopen(fd, "wb");
	fputs("\xEF\xBB\xBF" "head\r\n", fp);
	for (int i = 0; i < 20000; i++)
		fprintf(fp, "line %05d with some padding text\r\n", i);
	for (size_t i = 0; i < TEXTIN_MAX_LINE + 5; i++)
		fputc('q', fp);
	fputs("\r\nlast", fp);
	fclose(fp);

	t = textin_open(path);
	CHECK(t != NULL);
	if (!t)
		return;
	CHECK(textin_next(t, &line, &len) == 1);
	CHECK_STR(line, "head");
	while (textin_next(t, &line, &len) > 0) {
		lines++;
		if (textin_too_long(t)) {
			long_at = textin_lineno(t);
			continue;
		}
		if (lines <= 20000) {
			char want[64];
			snprintf(want, sizeof(want), "line %05lu with some padding text", lines - 1);
			if (strcmp(line, want) || len != strlen(want) || textin_lineno(t) != lines + 1)
				bad++;
		}
	}
	CHECK(bad == 0);
	CHECK(lines == 20002);
	CHECK(long_at == 20002);
	CHECK_STR(line, "last");
	CHECK(textin_lineno(t) == 20003);
	textin_free(t);
	unlink(path);

	/* a file that cannot be opened */
	fprintf(stderr, "(an error about a missing file is expected next)\n");
	CHECK(textin_open("/nonexistent/udaudit/file") == NULL);
}

int main(void)
{
	test_basic();
	test_bom();
	test_nul();
	test_too_long();
	test_file();
	return CHECK_DONE();
}
