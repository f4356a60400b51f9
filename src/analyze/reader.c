/* reader: the two big scans read ahead on a second core (an.h). */
#include "an.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "xalloc.h"

/* ---- row sources: the two big scans, read ahead on a second core ----
 *
 * The store and usage scans spend about half their time inside SQLite
 * (stepping, decoding records). A reader thread with its own read-only
 * connection runs both queries in turn and hands rows over in batches
 * through a small fixed queue (memory does not grow with the rows); the
 * analysis thread does the hashing and the judging. The main connection
 * writes nothing to the audit database until the reader has closed, so the
 * two never wait on each other's locks. A private ":memory:" database, or
 * UDAUDIT_THREADS=0, reads on the calling thread instead. */

struct reader {
	pthread_t tid;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct store *st;               /* the reader's own connection */
	const struct rs_query *q;
	int nq;
	struct rs_batch *full[RS_QUEUE], *empty[RS_QUEUE];
	int nfull, nempty, head;        /* full: FIFO ring from head */
	int error, stop, started;
	struct rs_batch pool[RS_QUEUE];
};

static void batch_reset(struct rs_batch *b)
{
	b->n = 0;
	b->slen = 0;
	b->end = 0;
}

static int batch_add_text(struct rs_batch *b, const char *v, uint32_t *out)
{
	if (!v) {
		*out = 0;
		return 0;
	}
	size_t len = strlen(v) + 1;
	if (b->slen + len >= UINT32_MAX)
		return -1;
	if (b->slen + len > b->salloc) {
		while (b->slen + len > b->salloc)
			b->salloc = b->salloc ? b->salloc * 2 : 1 << 16;
		b->strs = xrealloc(b->strs, b->salloc);
	}
	memcpy(b->strs + b->slen, v, len);
	*out = (uint32_t)b->slen + 1;
	b->slen += len;
	return 0;
}

/* Take a batch from the empty list (wait), or NULL when told to stop. */
static struct rs_batch *reader_get_empty(struct reader *rd)
{
	struct rs_batch *b = NULL;
	pthread_mutex_lock(&rd->mu);
	while (!rd->nempty && !rd->stop)
		pthread_cond_wait(&rd->cv, &rd->mu);
	if (!rd->stop)
		b = rd->empty[--rd->nempty];
	pthread_mutex_unlock(&rd->mu);
	return b;
}

static void reader_put_full(struct reader *rd, struct rs_batch *b)
{
	pthread_mutex_lock(&rd->mu);
	rd->full[(rd->head + rd->nfull) % RS_QUEUE] = b;
	rd->nfull++;
	pthread_cond_broadcast(&rd->cv);
	pthread_mutex_unlock(&rd->mu);
}

static void *reader_main(void *arg)
{
	struct reader *rd = arg;

	for (int qi = 0; qi < rd->nq; qi++) {
		const struct rs_query *q = &rd->q[qi];
		int ncol = (int)strlen(q->types);
		struct stmt *s = stmt_prepare(rd->st, q->sql);
		struct rs_batch *b = reader_get_empty(rd);
		int rc = s && b ? 0 : -1;

		if (!rc && q->has_param)
			stmt_bind_int(s, 1, q->param);
		while (!rc && (rc = stmt_step(s)) == 1) {
			size_t base = b->n * (size_t)ncol;
			for (int c = 0; c < ncol; c++) {
				if (q->types[c] != 'I') {
					const char *v = stmt_text(s, c);
					if (batch_add_text(b, v, &b->sofs[base + c]))
						rc = -1;
					/* hashing here takes it off the analysis thread */
					if (q->types[c] == 'H')
						b->ival[base + c] = v ? (long long)hash_str64(v) : 0;
					else if (q->types[c] == 'K')
						b->ival[base + c] = v ? (long long)an_key_hash(v) : 0;
				} else {
					/* NULL reads as 0: only then ask for the type */
					long long v = stmt_int(s, c);
					b->null[base + c] = (unsigned char)(v == 0 && stmt_is_null(s, c));
					b->ival[base + c] = v;
				}
			}
			if (rc < 0)
				break;
			rc = 0;
			if (++b->n == RS_ROWS) {
				reader_put_full(rd, b);
				b = reader_get_empty(rd);
				if (!b)
					rc = -1;
			}
		}
		stmt_free(s);
		if (rc < 0) {
			pthread_mutex_lock(&rd->mu);
			rd->error = 1;
			pthread_cond_broadcast(&rd->cv);
			pthread_mutex_unlock(&rd->mu);
			return NULL;
		}
		b->end = 1;
		reader_put_full(rd, b);
	}
	return NULL;
}

/* Start reading the queries in order; NULL when the caller should read
 * them itself (no second connection possible, or threads turned off). */
struct reader *reader_start(struct store *st, const struct rs_query *q, int nq)
{
	struct store *own = store_open_beside(st);
	struct reader *rd;

	if (!own)
		return NULL;
	rd = xcalloc(1, sizeof(*rd));
	rd->st = own;
	rd->q = q;
	rd->nq = nq;
	for (int i = 0; i < RS_QUEUE; i++) {
		struct rs_batch *b = &rd->pool[i];
		b->ival = xmalloc(RS_ROWS * RS_MAXCOL * sizeof(*b->ival));
		b->sofs = xmalloc(RS_ROWS * RS_MAXCOL * sizeof(*b->sofs));
		b->null = xmalloc(RS_ROWS * RS_MAXCOL);
		rd->empty[rd->nempty++] = b;
	}
	pthread_mutex_init(&rd->mu, NULL);
	pthread_cond_init(&rd->cv, NULL);
	if (pthread_create(&rd->tid, NULL, reader_main, rd) != 0) {
		pthread_mutex_destroy(&rd->mu);
		pthread_cond_destroy(&rd->cv);
		for (int i = 0; i < RS_QUEUE; i++) {
			free(rd->pool[i].ival);
			free(rd->pool[i].sofs);
			free(rd->pool[i].null);
		}
		store_close(rd->st);
		free(rd);
		return NULL;
	}
	rd->started = 1;
	return rd;
}

/* Stop (if still running), join, close the reader's connection. */
void reader_finish(struct reader *rd)
{
	if (!rd)
		return;
	pthread_mutex_lock(&rd->mu);
	rd->stop = 1;
	pthread_cond_broadcast(&rd->cv);
	pthread_mutex_unlock(&rd->mu);
	pthread_join(rd->tid, NULL);
	pthread_mutex_destroy(&rd->mu);
	pthread_cond_destroy(&rd->cv);
	for (int i = 0; i < RS_QUEUE; i++) {
		free(rd->pool[i].ival);
		free(rd->pool[i].sofs);
		free(rd->pool[i].null);
		free(rd->pool[i].strs);
	}
	store_close(rd->st);
	free(rd);
}

/* Open query q (its index in the reader's list) for reading. */
int rs_open(struct rowsrc *r, struct an *a, struct reader *rd, const struct rs_query *q)
{
	memset(r, 0, sizeof(*r));
	r->types = q->types;
	r->ncol = strlen(q->types);
	if (rd) {
		r->rd = rd;
		return 0;
	}
	r->s = stmt_prepare(a->st, q->sql);
	if (!r->s)
		return -1;
	if (q->has_param)
		stmt_bind_int(r->s, 1, q->param);
	return 0;
}

/* 1 a row, 0 the end of this query, -1 error (printed by the reader). */
int rs_step(struct rowsrc *r)
{
	if (r->s)
		return stmt_step(r->s);
	if (r->done)
		return 0;
	if (r->b && ++r->i < r->b->n)
		return 1;
	struct reader *rd = r->rd;
	for (;;) {
		if (r->b) {
			int end = r->b->end;
			batch_reset(r->b);
			pthread_mutex_lock(&rd->mu);
			rd->empty[rd->nempty++] = r->b;
			pthread_cond_broadcast(&rd->cv);
			pthread_mutex_unlock(&rd->mu);
			r->b = NULL;
			if (end) {
				r->done = 1;
				return 0;
			}
		}
		pthread_mutex_lock(&rd->mu);
		while (!rd->nfull && !rd->error)
			pthread_cond_wait(&rd->cv, &rd->mu);
		if (!rd->nfull) {
			pthread_mutex_unlock(&rd->mu);
			return -1;
		}
		r->b = rd->full[rd->head];
		rd->head = (rd->head + 1) % RS_QUEUE;
		rd->nfull--;
		pthread_mutex_unlock(&rd->mu);
		r->i = 0;
		if (r->b->n)
			return 1;
	}
}

void rs_close(struct rowsrc *r)
{
	stmt_free(r->s);
	r->s = NULL;
}

