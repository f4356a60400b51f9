/* store: errors are sticky. A failed prepare or step marks the store; a
 * commit is then refused and rolls back; rollback clears the mark; the
 * input's fault (a constraint) and the database's are told apart.
 * stmt_text_n gives what stmt_text and stmt_text_len give. Also
 * diag_put_safe, which every message goes through. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "check.h"
#include "diag.h"
#include "store.h"

static long long count(struct store *st)
{
	long long n = -1;
	store_query_int(st, "SELECT count(*) FROM t", &n);
	return n;
}

static const char *safe(const char *s, size_t n)
{
	static char buf[256];
	FILE *fp = fmemopen(buf, sizeof(buf), "w");

	diag_put_safe(fp, s, n);
	fclose(fp);
	return buf;
}

int main(void)
{
	struct store *st = store_open(":memory:", 1);
	struct stmt *s;
	const char *err;

	CHECK(st != NULL);
	CHECK(store_failed(st) == STORE_OK);
	CHECK(store_exec(st, "CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT NOT NULL)") == 0);

	/* a failed prepare marks the store; the commit is refused, nothing kept */
	CHECK(store_begin(st) == 0);
	CHECK(store_exec(st, "INSERT INTO t VALUES (1, 'a')") == 0);
	capture_begin();
	s = stmt_prepare(st, "SELECT nosuchcolumn FROM t");
	err = capture_end();
	CHECK(s == NULL);
	CHECK(strstr(err, "no such column: nosuchcolumn") != NULL);
	CHECK(store_failed(st) == STORE_FAIL_DB);
	capture_begin();
	CHECK(store_commit(st) == -1);
	err = capture_end();
	CHECK(strstr(err, ":memory:: not committed: a statement of the transaction failed") != NULL);
	CHECK(count(st) == 0);
	CHECK(store_failed(st) == STORE_OK);    /* the commit rolled back */

	/* a constraint is the input's fault; rollback clears it, then work goes on */
	CHECK(store_begin(st) == 0);
	CHECK(store_exec(st, "INSERT INTO t VALUES (1, 'a')") == 0);
	s = stmt_prepare(st, "INSERT INTO t VALUES (?1, NULL)");
	CHECK(s != NULL);
	stmt_bind_int(s, 1, 2);
	capture_begin();
	CHECK(stmt_step(s) == -1);
	err = capture_end();
	CHECK(strstr(err, "NOT NULL constraint failed") != NULL);
	stmt_free(s);
	CHECK(store_failed(st) == STORE_FAIL_DATA);
	CHECK(store_rollback(st) == 0);
	CHECK(store_failed(st) == STORE_OK);
	CHECK(store_begin(st) == 0);
	CHECK(store_exec(st, "INSERT INTO t VALUES (1, 'a')") == 0);
	CHECK(store_commit(st) == 0);
	CHECK(count(st) == 1);
	CHECK(store_failures_seen() & STORE_FAIL_DATA);
	CHECK(store_failures_seen() & STORE_FAIL_DB);

	/* a text, one with a NUL inside, an integer, a blob, NULL */
	s = stmt_prepare(st, "SELECT 'abc', 'a' || char(0) || 'b', 42, x'6869', NULL");
	CHECK(s && stmt_step(s) == 1);
	static const char *const want[] = { "abc", "a", "42", "hi", NULL };
	static const size_t want_len[] = { 3, 3, 2, 2, 0 };
	for (int col = 0; col < 5; col++) {
		size_t n = 99;
		const char *t = stmt_text_n(s, col, &n);
		CHECK(n == want_len[col]);
		if (want[col])
			CHECK(t && !strcmp(t, want[col]));
		else
			CHECK(t == NULL);
	}
	stmt_free(s);
	store_close(st);

	/* what reaches the terminal */
	CHECK_STR(safe("plain text", 10), "plain text");
	CHECK_STR(safe("a\x1b[31mb", 7), "a\\x1b[31mb");
	CHECK_STR(safe("tab\there\n", 9), "tab\\x09here\\x0a");
	CHECK_STR(safe("Tom\xc3\xa1s", 6), "Tom\xc3\xa1s");                   /* UTF-8 as is */
	CHECK_STR(safe("csi\xc2\x9b" "2J", 7), "csi\\u009b2J");                /* C1 control */
	CHECK_STR(safe("bad\xff\xc3", 5), "bad\\xff\\xc3");                   /* not UTF-8 */
	CHECK_STR(safe("del\x7f", 4), "del\\x7f");
	return CHECK_DONE();
}
