/* csvin: RFC 4180 through libcsv, one physical line at a time: quoting,
 * embedded newlines, doubled quotes, bad rows with the reader resyncing
 * (the next good rows still come, with their right line numbers), caps. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "csvin.h"
#include "strbuf.h"
#include "textin.h"
#include "xalloc.h"

/* Every row of buf as "LINE:a|b|c" or "LINE:!error", joined by "; ". */
static char *rows_of(const char *buf, size_t len)
{
	struct csv_reader *r = csv_reader_new(textin_new_mem(buf, len, "t.csv"));
	struct strbuf out = STRBUF_INIT;
	struct csv_row row;
	const char *err;
	int rc, guard = 0;

	while ((rc = csv_next(r, &row, &err)) != 0 && guard++ < 100000) {
		if (out.len)
			strbuf_addstr(&out, "; ");
		if (rc == -2) {
			strbuf_addstr(&out, "READ ERROR");
			break;
		}
		strbuf_addf(&out, "%lu:", row.line);
		if (rc < 0) {
			strbuf_addf(&out, "!%s", err ? err : "(no message)");
			continue;
		}
		for (size_t i = 0; i < row.n; i++) {
			if (i)
				strbuf_addch(&out, '|');
			strbuf_add(&out, row.field[i], row.len[i]);
		}
	}
	csv_reader_free(r);
	return strbuf_detach(&out);
}

#define ROWS(input, want) do { char *got_ = rows_of(input, strlen(input)); \
	CHECK_STR(got_, want); free(got_); } while (0)

static void test_plain(void)
{
	ROWS("a,b,c\n1,2,3\n", "1:a|b|c; 2:1|2|3");
	ROWS("a,b\r\n1,2\r\n", "1:a|b; 2:1|2");
	ROWS("a,b\n1,2", "1:a|b; 2:1|2");                    /* no final newline */
	ROWS("a,b\n\n1,2\n\n\n3,4\n", "1:a|b; 3:1|2; 6:3|4"); /* blank lines skipped */
	ROWS("a,,c\n,,\n", "1:a||c; 2:||");                   /* empty fields */
	ROWS("\xEF\xBB\xBF" "id,name\nx,y\n", "1:id|name; 2:x|y");
	ROWS("", "");
	ROWS("\n\n", "");
}

static void test_quoting(void)
{
	ROWS("\"a,b\",c\n", "1:a,b|c");
	ROWS("\"say \"\"hi\"\"\",x\n", "1:say \"hi\"|x");     /* doubled quotes */
	ROWS("\"\"\"\",\"\"\n", "1:\"|");
	ROWS("\"\",x\n", "1:|x");
	/* embedded newlines: the row is numbered by the line it starts on,
	   and the next row by its own line */
	ROWS("h1,h2\n\"line one\nline two\",x\nnext,row\n",
	     "1:h1|h2; 2:line one\nline two|x; 4:next|row");
	ROWS("h\n\"a\n\nb\"\nz\n", "1:h; 2:a\n\nb; 5:z");     /* blank line inside quotes */
	ROWS("h\r\n\"a\r\nb\",c\r\nz,y\r\n", "1:h; 2:a\nb|c; 4:z|y");
	/* a quoted field at the very end without a final newline */
	ROWS("h\n\"x,y\"", "1:h; 2:x,y");
}

static void test_bad_rows(void)
{
	/* an unterminated quote in the last row */
	ROWS("h,i\n1,2\n3,\"open\n", "1:h|i; 2:1|2; 3:!unterminated quoted field");
	/* ... in the middle: the rows after it still come, with their lines */
	ROWS("h,i\n1,2\n3,\"open\n4,5\n6,7\n",
	     "1:h|i; 2:1|2; 3:!unterminated quoted field; 4:4|5; 5:6|7");
	/* ... mid-file, and later rows have quoted fields of their own */
	ROWS("h,i\n1,\"open\n2,x\n\"3\",y\n4,\"z\"\n",
	     "1:h|i; 2:!unterminated quoted field; 3:2|x; 4:3|y; 5:4|z");
	ROWS("h,i\n\"a\n\"b\",c\nd,e\n",
	     "1:h|i; 2:!unterminated quoted field; 3:b|c; 4:d|e");
	/* garbage after a closing quote: that row only */
	ROWS("h,i\n\"a\"x,b\nc,d\n", "1:h|i; 2:!malformed quoted field; 3:c|d");
	/* a quote inside an unquoted field (libcsv strict mode) */
	ROWS("h\na,b\"c\nd\n", "1:h; 2:!malformed quoted field; 3:d");
	/* a bad row found while re-reading the lines of an earlier one */
	ROWS("h\n1,\"a\n2,\"b\n3\n\"4\"x\n5\n",
	     "1:h; 2:!unterminated quoted field; 3:!unterminated quoted field; 4:3; "
	     "5:!malformed quoted field; 6:5");
	/* spaces around unquoted fields are trimmed (libcsv), kept in quotes */
	ROWS("h\n x ,\" y\"\n", "1:h; 2:x| y");
	/* two bad rows in a row */
	ROWS("h\n\"a\"b\n\"c\"d\ne\n",
	     "1:h; 2:!malformed quoted field; 3:!malformed quoted field; 4:e");
}

static void test_caps(void)
{
	size_t big = CSV_MAX_FIELD + 10;
	char *buf = xmalloc(big + 64), *got;
	size_t n = 0;

	/* a field over CSV_MAX_FIELD: that row is bad, the next is fine */
	n += (size_t)sprintf(buf, "h,i\n1,");
	memset(buf + n, 'x', big);
	n += big;
	n += (size_t)sprintf(buf + n, "\n2,ok\n");
	got = rows_of(buf, n);
	CHECK_STR(got, "1:h|i; 2:!row too large (too many or too long fields); 3:2|ok");
	free(got);
	free(buf);

	/* too many fields */
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, "h\n");
	for (int i = 0; i < CSV_MAX_FIELDS + 1; i++)
		strbuf_addstr(&sb, i ? ",f" : "f");
	strbuf_addstr(&sb, "\nlast\n");
	got = rows_of(sb.buf, sb.len);
	CHECK_STR(got, "1:h; 2:!row too large (too many or too long fields); 3:last");
	free(got);
	strbuf_release(&sb);

	/* exactly CSV_MAX_FIELDS fields is fine */
	strbuf_addstr(&sb, "h\n");
	for (int i = 0; i < CSV_MAX_FIELDS; i++)
		strbuf_addstr(&sb, i ? ",f" : "f");
	strbuf_addstr(&sb, "\n");
	{
		struct csv_reader *r = csv_reader_new(textin_new_mem(sb.buf, sb.len, "m"));
		struct csv_row row;
		const char *err;
		CHECK(csv_next(r, &row, &err) == 1);
		CHECK(csv_next(r, &row, &err) == 1);
		CHECK(row.n == CSV_MAX_FIELDS);
		CHECK(row.line == 2);
		CHECK(csv_next(r, &row, &err) == 0);
		csv_reader_free(r);
	}
	strbuf_release(&sb);

	/* a single line over 256 KiB (but under the line cap) is "too large",
	   not an unterminated quote */
	big = 300 * 1024;
	buf = xmalloc(big + 64);
	n = (size_t)sprintf(buf, "h\n");
	memset(buf + n, 'y', big);
	n += big;
	n += (size_t)sprintf(buf + n, "\nz\n");
	got = rows_of(buf, n);
	CHECK_STR(got, "1:h; 2:!row too large (too many or too long fields); 3:z");
	free(got);
	free(buf);

	/* a line over the textin cap (1 MiB) */
	big = (1 << 20) + 10;
	buf = xmalloc(big + 64);
	n = (size_t)sprintf(buf, "h\n");
	memset(buf + n, 'w', big);
	n += big;
	n += (size_t)sprintf(buf + n, "\nz\n");
	got = rows_of(buf, n);
	CHECK_STR(got, "1:h; 2:!line too long; 3:z");
	free(got);
	free(buf);

	/* ... and inside a row opened on an earlier line: that row is
	   reported too, and the lines between come back */
	big = (1 << 20) + 10;
	buf = xmalloc(big + 64);
	n = (size_t)sprintf(buf, "h,i\n\"open,1\n2,b\n");
	memset(buf + n, 'w', big);
	n += big;
	n += (size_t)sprintf(buf + n, "\nz,y\n");
	got = rows_of(buf, n);
	CHECK_STR(got, "1:h|i; 2:!unterminated quoted field; 3:2|b; 4:!line too long; 5:z|y");
	free(got);
	n = (size_t)sprintf(buf, "h\n\"open\n");
	memset(buf + n, 'w', big);
	n += big;
	got = rows_of(buf, n);
	CHECK_STR(got, "1:h; 2:!unterminated quoted field; 3:!line too long");
	free(got);
	free(buf);

	/* an unterminated quote that would swallow more than the row cap:
	   the error is at the row's line and the following rows come back */
	sb = (struct strbuf)STRBUF_INIT;
	strbuf_addstr(&sb, "h,i\n\"open,1\n");
	for (int i = 0; i < 20000; i++)
		strbuf_addf(&sb, "row%05d,some filler text\n", i);
	got = rows_of(sb.buf, sb.len);
	CHECK(strncmp(got, "1:h|i; 2:!unterminated quoted field; 3:row00000|some filler text; ",
		      66) == 0);
	CHECK(strstr(got, "; 20002:row19999|some filler text") != NULL);
	CHECK(strstr(got, "!") == strstr(got, "2:!") + 2);     /* one error only */
	free(got);
	strbuf_release(&sb);
}

static void test_nul_and_header(void)
{
	static const char buf[] = "Name , ID,Extra\na\0b,2,3\n";
	struct csv_reader *r = csv_reader_new(textin_new_mem(buf, sizeof(buf) - 1, "h"));
	struct csv_header h;
	struct csv_row row;
	const char *err;

	CHECK(csv_next(r, &row, &err) == 1);
	csv_header_init(&h, &row);
	CHECK(h.n == 3);
	CHECK_STR(h.name[0], "name");
	CHECK_STR(h.name[1], "id");
	CHECK(csv_header_find(&h, "ID") == 1);
	CHECK(csv_header_find(&h, "extra") == 2);
	CHECK(csv_header_find(&h, "missing") == -1);
	CHECK(csv_next(r, &row, &err) == 1);
	CHECK(row.len[0] == 3);         /* the NUL is kept, with its length */
	CHECK(memcmp(row.field[0], "a\0b", 3) == 0);
	CHECK_STR(csv_field(&row, 1), "2");
	CHECK(csv_field(&row, -1) == NULL);
	CHECK(csv_field(&row, 3) == NULL);
	CHECK(csv_next(r, &row, &err) == 0);
	CHECK(csv_next(r, &row, &err) == 0);    /* stays at the end */
	csv_header_release(&h);
	csv_reader_free(r);
}

int main(void)
{
	test_plain();
	test_quoting();
	test_bad_rows();
	test_caps();
	test_nul_and_header();
	return CHECK_DONE();
}
