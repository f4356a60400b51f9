/* strbuf: growth, caps (nothing appended past the cap), reset, detach. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "strbuf.h"

int main(void)
{
	struct strbuf sb = STRBUF_INIT;
	char *s;

	CHECK_STR(sb.buf, "");
	CHECK(sb.len == 0);
	strbuf_reset(&sb);                      /* fine on the static empty */
	CHECK_STR(sb.buf, "");
	CHECK(strbuf_addstr(&sb, "hello") == 0);
	CHECK(strbuf_addch(&sb, ' ') == 0);
	CHECK(strbuf_addf(&sb, "%s %d", "world", 42) == 0);
	CHECK_STR(sb.buf, "hello world 42");
	CHECK(sb.len == 14);
	CHECK(strbuf_add(&sb, "\0x", 2) == 0);  /* binary data keeps its length */
	CHECK(sb.len == 16);
	strbuf_reset(&sb);
	CHECK(sb.len == 0);
	CHECK_STR(sb.buf, "");
	for (int i = 0; i < 100000; i++)
		strbuf_addch(&sb, 'a' + i % 26);
	CHECK(sb.len == 100000);
	CHECK(sb.buf[99999] == 'a' + 99999 % 26);
	CHECK(sb.buf[100000] == '\0');
	strbuf_release(&sb);
	CHECK_STR(sb.buf, "");

	/* detach hands over the string; an untouched one gives "" */
	strbuf_addstr(&sb, "mine");
	s = strbuf_detach(&sb);
	CHECK_STR(s, "mine");
	CHECK_STR(sb.buf, "");
	free(s);
	s = strbuf_detach(&sb);
	CHECK_STR(s, "");
	free(s);

	/* caps: an append that would pass the cap adds nothing */
	strbuf_init(&sb, 8);
	CHECK(strbuf_addstr(&sb, "12345") == 0);
	CHECK(strbuf_addstr(&sb, "6789") == -1);
	CHECK_STR(sb.buf, "12345");
	CHECK(strbuf_addstr(&sb, "678") == 0);
	CHECK_STR(sb.buf, "12345678");
	CHECK(sb.len == 8);
	CHECK(strbuf_addch(&sb, 'x') == -1);
	CHECK(strbuf_addf(&sb, "%d", 1) == -1);
	CHECK(strbuf_add(&sb, "", 0) == 0);     /* nothing always fits */
	CHECK_STR(sb.buf, "12345678");
	strbuf_reset(&sb);
	CHECK(strbuf_addf(&sb, "%08d", 7) == 0);
	CHECK_STR(sb.buf, "00000007");
	CHECK(strbuf_addf(&sb, "%s", "") == 0);
	strbuf_release(&sb);
	CHECK(sb.limit == 8);                   /* the cap survives release */
	CHECK(strbuf_addstr(&sb, "123456789") == -1);
	CHECK_STR(sb.buf, "");
	strbuf_release(&sb);

	/* a long formatted string */
	strbuf_init(&sb, 0);
	char big[5000];
	memset(big, 'b', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	CHECK(strbuf_addf(&sb, "[%s]", big) == 0);
	CHECK(sb.len == 5000 + 1);
	CHECK(sb.buf[0] == '[' && sb.buf[5000] == ']');
	strbuf_release(&sb);
	return CHECK_DONE();
}
