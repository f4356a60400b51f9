/* rowbatch: multi-row INSERTs over the statement API (rowbatch.h). */
#include "rowbatch.h"

#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "store.h"
#include "strbuf.h"
#include "xalloc.h"

/* The public types (rowbatch.h), and two of rowbatch's own: a text copied
   into the arena (its offset in u.i), and a parameter whose value is not
   kept (bound) */
enum { V_NULL = ROWBATCH_NULL, V_INT = ROWBATCH_INT, V_HELD = ROWBATCH_HELD,
       V_STATIC = ROWBATCH_STATIC, V_TEXT, V_UNKNOWN };

struct rowbatch {
	struct store *st;
	char *insert;
	int ncols, rows;
	struct stmt *full;              /* of rows rows, prepared at the first full batch */
	struct rowbatch_val *bound;     /* what full has bound (V_NULL, V_INT, or not kept) */
	struct rowbatch_val *v;         /* rows * ncols */
	size_t nv;                      /* values of the complete rows added */
	int col;                        /* values of the row being added */
	struct rowbatch_val spare;      /* where a value past ncols goes */
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
	b->bound = xcalloc((size_t)b->ncols * (size_t)b->rows, sizeof(*b->bound));
	return b;
}

/* A value past ncols is refused by rowbatch_row. */
static struct rowbatch_val *next_val(struct rowbatch *b)
{
	return b->col++ < b->ncols ? &b->v[b->nv + (size_t)b->col - 1] : &b->spare;
}

void rowbatch_int(struct rowbatch *b, long long v)
{
	struct rowbatch_val *x = next_val(b);
	x->type = V_INT;
	x->u.i = v;
}

void rowbatch_null(struct rowbatch *b)
{
	next_val(b)->type = V_NULL;
}

/* v (len bytes) into the arena: its offset */
static long long copy_text(struct rowbatch *b, const char *v, size_t len)
{
	long long at = (long long)b->alen;

	b->arena = xgrow(b->arena, b->alen + len + 1, &b->aalloc, 1);
	memcpy(b->arena + b->alen, v, len);
	b->arena[b->alen + len] = '\0';
	b->alen += len + 1;
	return at;
}

void rowbatch_text(struct rowbatch *b, const char *v)
{
	if (!v) {
		rowbatch_null(b);
		return;
	}
	size_t len = strlen(v);
	long long at = copy_text(b, v, len);
	struct rowbatch_val *x = next_val(b);
	x->type = V_TEXT;
	x->u.i = at;
	x->len = len;
}

/* The held texts of the n values at v into the arena. */
static void copy_held(struct rowbatch *b, struct rowbatch_val *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (v[i].type == V_HELD) {
			v[i].u.i = copy_text(b, v[i].u.p, v[i].len);
			v[i].type = V_TEXT;
		}
	}
}

int rowbatch_row_values(struct rowbatch *b, const struct rowbatch_val *v, int copy)
{
	if (b->col)
		return diag_error(NULL, "internal error: a row of values added inside a row of '%s'",
				  b->insert);
	memcpy(&b->v[b->nv], v, (size_t)b->ncols * sizeof(*v));
	if (copy)
		copy_held(b, &b->v[b->nv], (size_t)b->ncols);
	b->col = b->ncols;
	return rowbatch_row(b);
}

void rowbatch_unhold(struct rowbatch *b)
{
	copy_held(b, b->v, b->nv + (size_t)(b->col < b->ncols ? b->col : b->ncols));
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

/* Bind the n values of v to s. bound: what s has bound now (a new
   statement's parameters are NULL), kept up to date: a NULL or an integer
   bound already is not bound again, as the full statement's constant
   input_id and its columns that are nearly always NULL are not. */
static void bind_values(struct rowbatch *b, struct stmt *s, size_t n, struct rowbatch_val *bound)
{
	for (size_t i = 0; i < n; i++) {
		const struct rowbatch_val *x = &b->v[i];
		struct rowbatch_val *was = &bound[i];
		int idx = (int)i + 1, rc;
		if (x->type == V_NULL || x->type == V_INT) {
			if (x->type == was->type && (x->type == V_NULL || x->u.i == was->u.i))
				continue;
			rc = x->type == V_INT ? stmt_bind_int(s, idx, x->u.i) : stmt_bind_null(s, idx);
			was->type = rc ? V_UNKNOWN : x->type;
			was->u.i = x->u.i;
			continue;
		}
		/* a text is bound each time: its bytes are not there for long */
		stmt_bind_text_borrowed(s, idx, x->type == V_TEXT ? b->arena + x->u.i : x->u.p,
					(int)x->len);
		was->type = V_UNKNOWN;
	}
}

/* Write the complete rows added: the full batch's statement, kept, or one
   of their number. */
static int write_rows(struct rowbatch *b)
{
	size_t n = rowbatch_pending(b);
	struct rowbatch_val *fresh = NULL;
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
	if (s != b->full)
		fresh = xcalloc(n * (size_t)b->ncols, sizeof(*fresh));
	bind_values(b, s, n * (size_t)b->ncols, fresh ? fresh : b->bound);
	free(fresh);
	rc = stmt_step(s);
	/* each text parameter is bound again before the next step (a NULL
	   or integer kept is not a text): the texts the full statement still
	   points at are never read */
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
	free(b->bound);
	free(b->arena);
	free(b->insert);
	free(b);
}
