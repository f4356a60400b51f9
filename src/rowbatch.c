/* rowbatch: multi-row INSERTs over the statement API (rowbatch.h). */
#include "rowbatch.h"

#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "store.h"
#include "strbuf.h"
#include "xalloc.h"

enum { V_NULL, V_INT, V_TEXT };

struct val {
	int type;
	long long i;                    /* V_INT: the value; V_TEXT: arena offset */
	size_t len;                     /* V_TEXT */
};

struct rowbatch {
	struct store *st;
	char *insert;
	int ncols, rows;
	struct stmt *full;              /* of rows rows, prepared at the first full batch */
	struct val *v;                  /* rows * ncols */
	size_t nv;                      /* values of the complete rows added */
	int col;                        /* values of the row being added */
	struct val spare;               /* where a value past ncols goes */
	char *arena;                    /* the texts of the batch, NUL-ended */
	size_t alen, aalloc;
};

struct rowbatch *rowbatch_open(struct store *st, const char *insert, int ncols, int rows)
{
	struct rowbatch *b = xcalloc(1, sizeof(*b));

	b->st = st;
	b->insert = xstrdup(insert);
	b->ncols = ncols > 0 ? ncols : 1;
	b->rows = rows > 0 ? rows : 1;
	b->v = xcalloc((size_t)b->ncols * (size_t)b->rows, sizeof(*b->v));
	return b;
}

/* A value past ncols is refused by rowbatch_row. */
static struct val *next_val(struct rowbatch *b)
{
	return b->col++ < b->ncols ? &b->v[b->nv + (size_t)b->col - 1] : &b->spare;
}

void rowbatch_int(struct rowbatch *b, long long v)
{
	struct val *x = next_val(b);
	x->type = V_INT;
	x->i = v;
}

void rowbatch_null(struct rowbatch *b)
{
	next_val(b)->type = V_NULL;
}

void rowbatch_text(struct rowbatch *b, const char *v)
{
	if (!v) {
		rowbatch_null(b);
		return;
	}
	size_t len = strlen(v);
	b->arena = xgrow(b->arena, b->alen + len + 1, &b->aalloc, 1);
	memcpy(b->arena + b->alen, v, len + 1);
	struct val *x = next_val(b);
	x->type = V_TEXT;
	x->i = (long long)b->alen;
	x->len = len;
	b->alen += len + 1;
}

size_t rowbatch_pending(const struct rowbatch *b)
{
	return b->nv / (size_t)b->ncols;
}

static struct stmt *prepare_rows(struct rowbatch *b, size_t n)
{
	struct strbuf sql = STRBUF_INIT;

	strbuf_addstr(&sql, b->insert);
	strbuf_addstr(&sql, " VALUES ");
	for (size_t r = 0; r < n; r++) {
		strbuf_addstr(&sql, r ? ",(" : "(");
		for (int c = 0; c < b->ncols; c++)
			strbuf_addstr(&sql, c ? ",?" : "?");
		strbuf_addch(&sql, ')');
	}
	struct stmt *s = stmt_prepare(b->st, sql.buf);
	strbuf_release(&sql);
	return s;
}

/* Write the complete rows added: the full batch's statement, kept, or one
   of their number. */
static int write_rows(struct rowbatch *b)
{
	size_t n = rowbatch_pending(b);
	struct stmt *s;
	int rc;

	if (!n)
		return 0;
	if (n == (size_t)b->rows) {
		if (!b->full)
			b->full = prepare_rows(b, n);
		s = b->full;
	} else {
		s = prepare_rows(b, n);
	}
	if (!s)
		return -1;
	for (size_t i = 0; i < n * (size_t)b->ncols; i++) {
		const struct val *x = &b->v[i];
		int idx = (int)i + 1;
		if (x->type == V_INT)
			stmt_bind_int(s, idx, x->i);
		else if (x->type == V_TEXT)
			stmt_bind_text_borrowed(s, idx, b->arena + x->i, (int)x->len);
		else
			stmt_bind_null(s, idx);
	}
	rc = stmt_step(s);
	/* every parameter is bound again before the next step: the arena's
	   texts the full statement still points at are never read */
	stmt_rewind(s);
	if (s != b->full)
		stmt_free(s);
	b->nv = 0;
	b->alen = 0;
	return rc < 0 ? -1 : 0;
}

int rowbatch_row(struct rowbatch *b)
{
	int n = b->col;

	b->col = 0;
	if (n != b->ncols)
		return diag_error(NULL, "internal error: a row of %d values for the %d columns"
				  " of '%s'", n, b->ncols, b->insert);
	b->nv += (size_t)n;
	return rowbatch_pending(b) == (size_t)b->rows ? write_rows(b) : 0;
}

int rowbatch_flush(struct rowbatch *b)
{
	if (b && b->col)
		return diag_error(NULL, "internal error: '%s' flushed inside a row", b->insert);
	return b ? write_rows(b) : 0;
}

void rowbatch_free(struct rowbatch *b)
{
	if (!b)
		return;
	stmt_free(b->full);
	free(b->v);
	free(b->arena);
	free(b->insert);
	free(b);
}
