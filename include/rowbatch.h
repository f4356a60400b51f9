/* rowbatch: rows written many to one INSERT (a multi-row VALUES), for the
 * hot writers whose rows come one at a time: one statement step for up to
 * `rows` rows instead of one each (the per-statement cost of SQLite, its
 * reset and bindings, was most of what such a row cost). Values are copied
 * as they are added (texts into an arena, bound without a second copy), so
 * the caller's strings need not outlive the call, but for held ones. A NULL
 * or an integer the full statement has bound at that place already is not
 * bound again. Rows reach the table in
 * the order they were added, when a batch is full or at rowbatch_flush
 * (the last, partial batch: a statement of its own size). */
#ifndef UDAUDIT_ROWBATCH_H
#define UDAUDIT_ROWBATCH_H

#include <stddef.h>

struct store;
struct rowbatch;

/* insert: "INSERT INTO table (col, ...)", the VALUES are added here; ncols
 * values a row, up to rows rows a statement (ncols * rows parameters at
 * most 32766, SQLite's limit). */
struct rowbatch *rowbatch_open(struct store *st, const char *insert, int ncols, int rows);
/* The next value of the row being added. */
void rowbatch_int(struct rowbatch *b, long long v);
void rowbatch_text(struct rowbatch *b, const char *v);         /* NULL: NULL */
void rowbatch_null(struct rowbatch *b);
/* A value made beforehand, for rowbatch_row_values (a reader thread makes
 * the values of its rows while the inserter writes others). A held text is
 * the caller's until rowbatch_unhold; a static one outlives the batch (a
 * string constant). */
enum rowbatch_type { ROWBATCH_NULL, ROWBATCH_INT, ROWBATCH_HELD, ROWBATCH_STATIC };
struct rowbatch_val {
	int type;                       /* enum rowbatch_type */
	size_t len;                     /* a text's bytes */
	union {
		long long i;
		const char *p;          /* a text (never NULL: that is ROWBATCH_NULL) */
	} u;
};
/* Add a complete row of ncols values (none of this row added before),
 * then as rowbatch_row. copy: the held texts are copied now, so the
 * caller's strings need not outlive the call. */
int rowbatch_row_values(struct rowbatch *b, const struct rowbatch_val *v, int copy);
/* The held texts of the rows not yet written are copied: the caller's
 * strings may go. */
void rowbatch_unhold(struct rowbatch *b);
/* End the row (it must have ncols values): written when the batch is full.
 * 0, or -1 when that write failed (printed; the store is marked failed). */
int rowbatch_row(struct rowbatch *b);
/* Write the rows added and not yet written (between rows). 0 or -1. */
int rowbatch_flush(struct rowbatch *b);
/* The rows added and not yet written. */
size_t rowbatch_pending(const struct rowbatch *b);
/* Rows not flushed are dropped (the caller's transaction failed). */
void rowbatch_free(struct rowbatch *b);

#endif
