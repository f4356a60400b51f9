/* conf: INI through Debian's inih r55 with our own line reader: real line
 * numbers, over-long lines reported at the right line (no phantom key),
 * continuation lines joined, inline " ;" comments, long section names,
 * syntax errors. Messages on stderr are captured and checked. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture.h"
#include "check.h"
#include "conf.h"
#include "strbuf.h"

/* ---- a handler that records "section.key=value@line;" ---- */

struct rec {
	struct strbuf out;
	const char *fail_key;   /* the handler fails on this key */
};

static int on_key(void *user, const char *section, const char *key, const char *value,
		  unsigned long line)
{
	struct rec *r = user;
	strbuf_addf(&r->out, "%s.%s=%s@%lu;", section, key, value, line);
	return r->fail_key && !strcmp(key, r->fail_key) ? -1 : 0;
}

/* Parse text; return the handler's record (static copy) and rc, and the
 * stderr text in *err. */
static const char *parse(const char *text, int *rc, const char **err)
{
	static char got[128 * 1024];
	struct rec r = { STRBUF_INIT, "fail" };

	capture_begin();
	*rc = conf_parse_mem(text, strlen(text), "t.ini", on_key, &r);
	*err = capture_end();
	snprintf(got, sizeof(got), "%s", r.out.buf);
	strbuf_release(&r.out);
	return got;
}

static void test_lines(void)
{
	int rc;
	const char *err;
	const char *got = parse("; comment\n[audit]\n\nagency = Example Agency\n"
				"# hash comment\n[inputs]\nusage = a.jsonl\nusage = b.jsonl\n",
				&rc, &err);
	CHECK(rc == 0);
	CHECK_STR(got, "audit.agency=Example Agency@4;inputs.usage=a.jsonl@7;"
		  "inputs.usage=b.jsonl@8;");
	CHECK_STR(err, "");

	/* CRLF, a BOM, a last line without a newline, "key: value" */
	got = parse("\xEF\xBB\xBF[s]\r\na = 1\r\nb: 2\r\nc = 3", &rc, &err);
	CHECK(rc == 0);
	CHECK_STR(got, "s.a=1@2;s.b=2@3;s.c=3@4;");

	/* an empty value, spaces around */
	got = parse("[s]\n  \nk =\n  j   =   x y  \n", &rc, &err);
	CHECK(rc == 0);
	CHECK_STR(got, "s.k=j   =   x y@3;");   /* indented: a continuation */
}

static void test_long_lines(void)
{
	struct strbuf t = STRBUF_INIT;
	int rc;
	const char *err, *got;
	char want[512];

	/* a 250-character line at line 3: an error at line 3, no phantom key
	   from its tail, and the lines after it keep their numbers */
	strbuf_addstr(&t, "[rules]\nfirst = 1\npattern = ");
	for (int i = 0; i < 240; i++)
		strbuf_addch(&t, (char)('a' + i % 26));
	strbuf_addstr(&t, "\nafter = 2\nbad line here\n");
	got = parse(t.buf, &rc, &err);
	CHECK(rc == -1);
	CHECK_STR(got, "rules.first=1@2;rules.after=2@4;");
	CHECK(strstr(err, "udaudit: t.ini:3: error: line longer than 198 characters (continue a long value on the next lines, each indented)\n") != NULL);
	CHECK(strstr(err, "udaudit: t.ini:5: error: syntax error") != NULL);
	CHECK(strstr(err, "t.ini:4:") == NULL);
	strbuf_release(&t);

	/* 198 characters is the most a line may have; 199 is too many */
	for (int len = 198; len <= 199; len++) {
		strbuf_addstr(&t, "[s]\nk = ");
		while (t.len < 4 + (size_t)len)
			strbuf_addch(&t, 'v');
		strbuf_addch(&t, '\n');
		got = parse(t.buf, &rc, &err);
		if (len == 198) {
			CHECK(rc == 0);
			snprintf(want, sizeof(want), "s.k=%.*s@2;", len - 4, t.buf + 8);
			CHECK_STR(got, want);
		} else {
			CHECK(rc == -1);
			CHECK_STR(got, "");
			CHECK(strstr(err, "t.ini:2: error: line longer than 198 characters (continue a long value on the next lines, each indented)") != NULL);
		}
		strbuf_reset(&t);
	}
	/* the same with CRLF: the CR does not count against the value */
	strbuf_addstr(&t, "[s]\r\nk = ");
	while (t.len < 5 + 196)
		strbuf_addch(&t, 'w');
	strbuf_addstr(&t, "\r\nz = 1\r\n");
	got = parse(t.buf, &rc, &err);
	CHECK(rc == 0);
	CHECK(strstr(got, "@2;s.z=1@3;") != NULL);
	strbuf_release(&t);

	/* an over-long continuation line */
	strbuf_addstr(&t, "[s]\nk = a\n  ");
	for (int i = 0; i < 220; i++)
		strbuf_addch(&t, 'c');
	strbuf_addstr(&t, "\n  b\n");
	got = parse(t.buf, &rc, &err);
	CHECK(rc == -1);
	CHECK(strstr(err, "t.ini:3: error: line longer than 198 characters (continue a long value on the next lines, each indented)") != NULL);
	strbuf_release(&t);
}

static void test_continuation(void)
{
	int rc;
	const char *err;
	const char *got = parse("[rules]\nids = ^com\\.a$\n  ^com\\.b$\n\t^com\\.c$\nnext = x\n",
				&rc, &err);
	CHECK(rc == 0);
	CHECK_STR(got, "rules.ids=^com\\.a$ ^com\\.b$ ^com\\.c$@2;rules.next=x@5;");

	/* a comment between continuation lines, then one more */
	got = parse("[s]\nk = one\n; note\n  two\nz = 1\n", &rc, &err);
	CHECK(rc == 0);
	CHECK_STR(got, "s.k=one two@2;s.z=1@5;");

	/* a repeated key that is not indented is another value */
	got = parse("[inputs]\nusage = a\nusage = b\n", &rc, &err);
	CHECK_STR(got, "inputs.usage=a@2;inputs.usage=b@3;");

	/* continuation of a key whose first line was empty */
	got = parse("[s]\nk =\n  x\n", &rc, &err);
	CHECK_STR(got, "s.k=x@2;");
}

static void test_inline_comments(void)
{
	int rc;
	const char *err;
	const char *got = parse("[s]\na = value ; a comment\nb = x;y\nc = p\t;tab\nd = ;all\n",
				&rc, &err);
	CHECK(rc == 0);
	CHECK_STR(got, "s.a=value@2;s.b=x;y@3;s.c=p@4;s.d=@5;");

	/* on a continuation line too (inih r55 leaves it; conf strips it) */
	got = parse("[s]\nk = one ; c1\n  two ; c2\n  three;kept\n", &rc, &err);
	CHECK(rc == 0);
	CHECK_STR(got, "s.k=one two three;kept@2;");

	/* a section header with a comment after it */
	got = parse("[s] ; the section\nk = v\n", &rc, &err);
	CHECK(rc == 0);
	CHECK_STR(got, "s.k=v@2;");
}

static void test_sections(void)
{
	struct strbuf t = STRBUF_INIT;
	int rc;
	const char *err, *got;

	/* a 60-character section name is rejected at its line */
	strbuf_addstr(&t, "[ok]\na = 1\n[");
	for (int i = 0; i < 60; i++)
		strbuf_addch(&t, 'S');
	strbuf_addstr(&t, "]\nb = 2\n");
	got = parse(t.buf, &rc, &err);
	CHECK(rc == -1);
	CHECK(strstr(err, "udaudit: t.ini:3: error: section name longer than 48 characters") != NULL);
	CHECK(strncmp(got, "ok.a=1@2;", 9) == 0);
	CHECK(strstr(got, "SSSS") == NULL);     /* never a truncated name */
	strbuf_release(&t);

	/* 48 characters is fine */
	strbuf_addch(&t, '[');
	for (int i = 0; i < 48; i++)
		strbuf_addch(&t, 'x');
	strbuf_addstr(&t, "]\nk = v\n");
	got = parse(t.buf, &rc, &err);
	CHECK(rc == 0);
	CHECK(strstr(got, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.k=v@2;") != NULL);
	strbuf_release(&t);

	/* keys before any section have section "" */
	got = parse("k = v\n[s]\n", &rc, &err);
	CHECK(rc == 0);
	CHECK_STR(got, ".k=v@1;");
}

static void test_errors(void)
{
	int rc;
	const char *err, *got;

	/* syntax errors: the first one is named (inih r55 reports one) */
	got = parse("[s]\na = 1\nno equals sign\nb = 2\n", &rc, &err);
	CHECK(rc == -1);
	CHECK_STR(got, "s.a=1@2;s.b=2@4;");
	CHECK_STR(err, "udaudit: t.ini:3: error: syntax error (expected '[section]' or 'key = value')\n");

	got = parse("[s]\n\n[unclosed\nb = 2\n", &rc, &err);
	CHECK(rc == -1);
	CHECK(strstr(err, "t.ini:3: error: syntax error") != NULL);

	/* the handler's own error fails the file; parsing goes on */
	got = parse("[s]\nfail = x\nok = y\n", &rc, &err);
	CHECK(rc == -1);
	CHECK_STR(got, "s.fail=x@2;s.ok=y@3;");

	/* a NUL byte in a line */
	{
		static const char buf[] = "[s]\na = 1\nb = x\0y\nc = 3\n";
		struct rec r = { STRBUF_INIT, NULL };
		capture_begin();
		rc = conf_parse_mem(buf, sizeof(buf) - 1, "t.ini", on_key, &r);
		err = capture_end();
		CHECK(rc == -1);
		CHECK(strstr(err, "t.ini:3: error: NUL byte in line") != NULL);
		CHECK_STR(r.out.buf, "s.a=1@2;s.c=3@4;");
		strbuf_release(&r.out);
	}

	/* continuation lines past the 64 KiB value cap: one error, at the
	   line that passed it; the key after it is read */
	{
		struct strbuf t = STRBUF_INIT;
		strbuf_addstr(&t, "[s]\nk = a\n");
		for (int i = 0; i < 500; i++) {
			strbuf_addstr(&t, "  ");
			for (int j = 0; j < 150; j++)
				strbuf_addch(&t, 'c');
			strbuf_addch(&t, '\n');
		}
		strbuf_addstr(&t, "z = 1\n");
		got = parse(t.buf, &rc, &err);
		CHECK(rc == -1);
		CHECK_STR(err, "udaudit: t.ini:437: error: value too long\n");
		CHECK(strstr(got, "s.z=1@503;") != NULL);
		strbuf_release(&t);
	}

	/* empty input */
	got = parse("", &rc, &err);
	CHECK(rc == 0);
	CHECK_STR(got, "");

	/* a file that does not exist */
	{
		struct rec r = { STRBUF_INIT, NULL };
		capture_begin();
		rc = conf_parse_file("/nonexistent/udaudit.ini", on_key, &r);
		err = capture_end();
		CHECK(rc == -1);
		CHECK(strstr(err, "udaudit: /nonexistent/udaudit.ini: error: cannot open") != NULL);
		strbuf_release(&r.out);
	}
}

int main(void)
{
	test_lines();
	test_long_lines();
	test_continuation();
	test_inline_comments();
	test_sections();
	test_errors();
	return CHECK_DONE();
}
