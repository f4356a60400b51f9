/* rowbatch: rows reach the table in the order added, with their values
 * (NULL, integers, texts the caller has since overwritten), in full batches
 * and in the partial last one at rowbatch_flush; a row of the wrong number
 * of values is refused and said; rows never flushed are not written. A
 * held text is the caller's until rowbatch_unhold, which copies those of
 * the rows not yet written; a NULL or an integer the full statement has
 * bound already is not bound again, and what follows it is still right. */
#include <stdio.h>
#include <string.h>

#include "capture.h"
#include "check.h"
#include "rowbatch.h"
#include "store.h"

static long long count(struct store *st)
{
	long long n = -1;
	store_query_int(st, "SELECT count(*) FROM t", &n);
	return n;
}

int main(void)
{
	struct store *st = store_open(":memory:", 1);
	struct rowbatch *b;
	struct stmt *s;
	char text[32];
	const char *err;
	int rc = 0, n = 0, ordered = 1;

	CHECK(st != NULL);
	CHECK(store_exec(st, "CREATE TABLE t (k INTEGER, v TEXT, w TEXT)") == 0);

	/* 10 rows in batches of 4: two full ones as they come, 2 at the flush */
	b = rowbatch_open(st, "INSERT INTO t (k, v, w)", 3, 4);
	for (int i = 0; i < 10; i++) {
		snprintf(text, sizeof(text), "row %d", i);
		rowbatch_int(b, i);
		rowbatch_text(b, text);
		memset(text, 'x', sizeof(text) - 1);    /* copied when added */
		if (i % 3 == 0)
			rowbatch_null(b);
		else
			rowbatch_text(b, i % 3 == 1 ? "" : "two");
		rc |= rowbatch_row(b);
		if (i == 3)
			CHECK(count(st) == 4 && rowbatch_pending(b) == 0);
		if (i == 8)
			CHECK(count(st) == 8 && rowbatch_pending(b) == 1);
	}
	CHECK(rc == 0);
	CHECK(count(st) == 8);
	CHECK(rowbatch_pending(b) == 2);
	CHECK(rowbatch_flush(b) == 0);
	CHECK(rowbatch_pending(b) == 0);
	CHECK(count(st) == 10);
	CHECK(rowbatch_flush(b) == 0);          /* nothing pending: nothing written */
	CHECK(count(st) == 10);

	s = stmt_prepare(st, "SELECT k, v, w, w IS NULL FROM t ORDER BY rowid");
	while (s && stmt_step(s) == 1) {
		char want[32];
		snprintf(want, sizeof(want), "row %d", n);
		ordered &= stmt_int(s, 0) == n;
		CHECK_STR(stmt_text(s, 1), want);
		if (n % 3 == 0)
			CHECK(stmt_int(s, 3) == 1);
		else
			CHECK_STR(stmt_text(s, 2), n % 3 == 1 ? "" : "two");
		n++;
	}
	stmt_free(s);
	CHECK(n == 10 && ordered);

	/* a row of two values for three columns: refused, said, not written */
	rowbatch_int(b, 99);
	rowbatch_int(b, 99);
	capture_begin();
	rc = rowbatch_row(b);
	err = capture_end();
	CHECK(rc == -1);
	CHECK(strstr(err, "a row of 2 values for the 3 columns") != NULL);
	CHECK(rowbatch_pending(b) == 0);
	/* one of four values: the same */
	for (int i = 0; i < 4; i++)
		rowbatch_int(b, 7);
	capture_begin();
	rc = rowbatch_row(b);
	err = capture_end();
	CHECK(rc == -1 && strstr(err, "a row of 4 values") != NULL);
	/* a flush inside a row is refused */
	rowbatch_int(b, 5);
	capture_begin();
	rc = rowbatch_flush(b);
	err = capture_end();
	CHECK(rc == -1 && strstr(err, "flushed inside a row") != NULL);
	rowbatch_text(b, "a");
	rowbatch_text(b, "b");
	CHECK(rowbatch_row(b) == 0);
	CHECK(rowbatch_flush(b) == 0);
	CHECK(count(st) == 11);

	/* rows not flushed are dropped with the batch */
	rowbatch_int(b, 11);
	rowbatch_null(b);
	rowbatch_null(b);
	CHECK(rowbatch_row(b) == 0);
	rowbatch_free(b);
	CHECK(count(st) == 11);

	/* held texts: not copied when added, copied by rowbatch_unhold for the
	   rows still waiting (here the third); static ones never */
	CHECK(store_exec(st, "DELETE FROM t") == 0);
	b = rowbatch_open(st, "INSERT INTO t (k, v, w)", 3, 2);
	char held[3][16];
	for (int i = 0; i < 3; i++) {
		struct rowbatch_val v[3] = {
			{ ROWBATCH_INT, 0, { .i = i } },
			{ ROWBATCH_HELD, 0, { .p = held[i] } },
			{ ROWBATCH_STATIC, 6, { .p = "static" } },
		};
		snprintf(held[i], sizeof(held[i]), "held %d", i);
		v[1].len = strlen(held[i]);
		CHECK(rowbatch_row_values(b, v, 0) == 0);
	}
	rowbatch_unhold(b);
	memset(held, 'x', sizeof(held));        /* the caller's buffers reused */
	/* copied as added: the caller's buffer reused at once */
	struct rowbatch_val v[3] = {
		{ ROWBATCH_INT, 0, { .i = 3 } },
		{ ROWBATCH_HELD, 6, { .p = held[0] } },
		{ ROWBATCH_NULL, 0, { .i = 0 } },
	};
	memcpy(held[0], "copied", 6);
	CHECK(rowbatch_row_values(b, v, 1) == 0);
	memset(held, 'x', sizeof(held));
	/* a row of values inside a row added one value at a time: refused */
	rowbatch_int(b, 4);
	capture_begin();
	rc = rowbatch_row_values(b, v, 1);
	err = capture_end();
	CHECK(rc == -1 && strstr(err, "added inside a row") != NULL);
	rowbatch_text(b, "x");
	rowbatch_null(b);
	CHECK(rowbatch_row(b) == 0);
	CHECK(rowbatch_flush(b) == 0);
	rowbatch_free(b);
	s = stmt_prepare(st, "SELECT group_concat(k || v || coalesce(w, '-'), ',') FROM t");
	CHECK(s && stmt_step(s) == 1);
	CHECK_STR(stmt_text(s, 0), "0held 0static,1held 1static,2held 2static,3copied-,4x-");
	stmt_free(s);

	/* what the full statement kept bound: a NULL, then a text, then a NULL
	   again at the same place; the same integer, then another one */
	CHECK(store_exec(st, "DELETE FROM t") == 0);
	b = rowbatch_open(st, "INSERT INTO t (k, v, w)", 3, 2);
	static const int ks[] = { 1, 1, 1, 1, 1, 2, 2, 3 };
	static const char *const vs[] = { NULL, NULL, "a", NULL, NULL, "b", NULL, "c" };
	for (int i = 0; i < 8; i++) {
		rowbatch_int(b, ks[i]);
		rowbatch_text(b, vs[i]);
		if (i % 3)
			rowbatch_int(b, 7);
		else
			rowbatch_null(b);
		CHECK(rowbatch_row(b) == 0);
	}
	CHECK(rowbatch_flush(b) == 0);
	rowbatch_free(b);
	s = stmt_prepare(st, "SELECT group_concat(k || ':' || coalesce(v, '-') || ':' ||"
			 " coalesce(w, '-'), ',') FROM (SELECT * FROM t ORDER BY rowid)");
	CHECK(s && stmt_step(s) == 1);
	CHECK_STR(stmt_text(s, 0), "1:-:-,1:-:7,1:a:7,1:-:-,1:-:7,2:b:7,2:-:-,3:c:7");
	stmt_free(s);

	/* a failed write says so: a table that is not there */
	b = rowbatch_open(st, "INSERT INTO nowhere (k)", 1, 2);
	rowbatch_int(b, 1);
	CHECK(rowbatch_row(b) == 0);
	capture_begin();
	rc = rowbatch_flush(b);
	err = capture_end();
	CHECK(rc == -1 && strstr(err, "no such table") != NULL);
	rowbatch_free(b);

	store_close(st);
	return CHECK_DONE();
}
