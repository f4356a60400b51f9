/* analyze: the detectors of spec 4 (see analyze.h for the design and what
 * is stored). Times are Unix seconds UTC; "days" are days since 1970. */
#include "analyze.h"

#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "config.h"
#include "diag.h"
#include "findings.h"
#include "hash.h"
#include "hashmap.h"
#include "records.h"
#include "rules.h"
#include "store.h"
#include "strbuf.h"
#include "timeutil.h"
#include "xalloc.h"

#define DAY 86400LL
#define NO_DAY LLONG_MIN

/* The compact index of the compliance store: message_id hash -> capture
 * day (SIDX_LATER: captured after as_of). Open addressing in two parallel
 * arrays: 12 bytes a slot. It is also the set of message_ids seen: the
 * first row of a message_id (by rowid, the load order) is the one judged. */
#define SIDX_LATER INT32_MAX
struct sidx_slot {
	uint64_t k;                     /* 0: empty */
	int32_t day;
} __attribute__((packed));             /* one cache line a probe, mostly */

struct store_index {
	struct sidx_slot *s;
	size_t n, cap;
};

/* Zeroed memory for the index, in huge pages where the kernel allows
 * (THP "madvise" mode; the probes are random: fewer TLB misses). A large
 * calloc is fresh anonymous memory, not touched yet. */
static struct sidx_slot *sidx_alloc(size_t cap)
{
	size_t bytes = cap * sizeof(struct sidx_slot);
	struct sidx_slot *p = xcalloc(cap, sizeof(struct sidx_slot));
#ifdef MADV_HUGEPAGE
	const uintptr_t huge = (uintptr_t)2 << 20;
	uintptr_t from = ((uintptr_t)p + huge - 1) & ~(huge - 1);
	uintptr_t to = ((uintptr_t)p + bytes) & ~(huge - 1);
	if (to > from)
		madvise((void *)from, to - from, MADV_HUGEPAGE);
#endif
	return p;
}

static void sidx_free(struct store_index *x)
{
	free(x->s);
	memset(x, 0, sizeof(*x));
}

static void sidx_init(struct store_index *x, size_t cap)
{
	x->cap = cap;
	x->n = 0;
	x->s = sidx_alloc(cap);
}

static void sidx_grow(struct store_index *x)
{
	struct store_index big;
	sidx_init(&big, x->cap ? x->cap * 2 : 1024);
	for (size_t i = 0; i < x->cap; i++) {
		if (!x->s[i].k)
			continue;
		size_t j = (size_t)(x->s[i].k & (big.cap - 1));
		while (big.s[j].k)
			j = (j + 1) & (big.cap - 1);
		big.s[j] = x->s[i];
		big.n++;
	}
	sidx_free(x);
	*x = big;
}

/* 1 when the key is new (and stored), 0 when it was already there. */
static int sidx_put(struct store_index *x, uint64_t key, int32_t day)
{
	if ((x->n + 1) * 10 > x->cap * 7)
		sidx_grow(x);
	size_t i = (size_t)(key & (x->cap - 1));
	while (x->s[i].k) {
		if (x->s[i].k == key)
			return 0;
		i = (i + 1) & (x->cap - 1);
	}
	x->s[i].k = key;
	x->s[i].day = day;
	x->n++;
	return 1;
}

static void sidx_prefetch(const struct store_index *x, uint64_t key)
{
	if (key && x->cap)
		__builtin_prefetch(&x->s[key & (x->cap - 1)]);
}

/* The capture day of key, NO_DAY when the store lacks it (or captured it
   after as_of); *purged (when asked): that row was purged by as_of. */
static long long sidx_get(const struct store_index *x, uint64_t key, int *purged)
{
	if (purged)
		*purged = 0;
	if (!x->cap)
		return NO_DAY;
	size_t i = (size_t)(key & (x->cap - 1));
	while (x->s[i].k) {
		if (x->s[i].k == key) {
			if (x->s[i].day == SIDX_LATER)
				return NO_DAY;
			if (purged)
				*purged = x->s[i].day & 1;
			return x->s[i].day >> 1;
		}
		i = (i + 1) & (x->cap - 1);
	}
	return NO_DAY;
}

/* The slot value of a row: SIDX_LATER, or day * 2 + purged by as_of. */
static int32_t sidx_value(long long captured, long long purged, int has_purged, long long cutoff)
{
	if (captured >= cutoff)
		return SIDX_LATER;
	long long day = time_day(captured);
	if (day < -(1LL << 29))
		day = -(1LL << 29);     /* a hostile store: still "in time" */
	return (int32_t)(day * 2 + (has_purged && purged < cutoff));
}

/* Seconds with a retained archiver copy, per app: day -> 86400-bit chunk,
 * allocated on demand (memory follows the time span, not the events). */
#define CHUNK_WORDS ((86400 + 63) / 64)
struct secmap {
	struct hashmap chunks;          /* day -> uint64_t[CHUNK_WORDS] */
};

static uint64_t *secmap_chunk(struct secmap *m, long long day, int create)
{
	if (!create) {
		const uint64_t *p = hashmap_get(&m->chunks, (uint64_t)day);
		return p ? (uint64_t *)(uintptr_t)*p : NULL;
	}
	int is_new;
	uint64_t *p = hashmap_slot(&m->chunks, (uint64_t)day, &is_new);
	if (is_new)
		*p = (uint64_t)(uintptr_t)xcalloc(CHUNK_WORDS, sizeof(uint64_t));
	return (uint64_t *)(uintptr_t)*p;
}

static void secmap_set(struct secmap *m, long long ts)
{
	long long day = time_day(ts);
	long long s = ts - day * DAY;
	uint64_t *c = secmap_chunk(m, day, 1);
	c[s / 64] |= (uint64_t)1 << (s % 64);
}

/* 1 when any second in [a, b] is set. */
static int secmap_any(struct secmap *m, long long a, long long b)
{
	for (long long day = time_day(a); day <= time_day(b); day++) {
		const uint64_t *c = secmap_chunk(m, day, 0);
		if (!c)
			continue;
		long long lo = day * DAY > a ? 0 : a - day * DAY;
		long long hi = (day + 1) * DAY - 1 < b ? DAY - 1 : b - day * DAY;
		for (long long s = lo; s <= hi; ) {
			if (s % 64 == 0 && s + 63 <= hi) {
				if (c[s / 64])
					return 1;
				s += 64;
			} else {
				if (c[s / 64] & ((uint64_t)1 << (s % 64)))
					return 1;
				s++;
			}
		}
	}
	return 0;
}

static void secmap_clear(struct secmap *m)
{
	uint64_t chunk;
	for (size_t pos = 0; hashmap_next(&m->chunks, &pos, NULL, &chunk); )
		free((void *)(uintptr_t)chunk);
	hashmap_clear(&m->chunks);
}

/* ---- accounts, devices ---- */

enum capture { CAP_UNKNOWN, CAP_ARCHIVER, CAP_MANUAL, CAP_NONE };

struct ev_ref {
	long long ts, input_id, line;
};

struct acct {
	char *account, *app, *custodian_id, *custodian_name, *office;
	enum role_kind role;
	enum capture capture;
	long long approved_day, closed_day;     /* NO_DAY when empty */
	long long input_id, line;               /* accounts.csv row; 0 = unknown */
	int known;
	/* from the usage scan */
	long long first_ts;
	struct ev_ref first_ev;
	struct ev_ref *deleted;                 /* account_deleted events */
	size_t ndeleted;
	struct ev_ref *timers;                  /* timer_set > 0, capped */
	size_t ntimers;
	unsigned long timer_count;
	long long timer_first, timer_last;
	uint64_t excl_mask;
	int excl_done;
	const struct rule_app *ra;              /* of app, cached */
	int ra_done;
	size_t app_idx;                         /* secmap of app, +1; 0 = not yet */
	int short_track;                        /* 1: RETENTION_SHORTFALL counts its rows */
	/* from the store scan */
	unsigned long long store_rows;
	long long store_first, store_last;
	struct hashmap store_convs;
	unsigned long purged;
	long long purge_first, purge_last;
	struct hashmap purge_convs;
	struct ev_ref *purge_ev;
	size_t npurge_ev;
};

struct device {
	char *device_id, *custodian_id;
	int lost;                               /* status replaced..stolen */
	char *status;
	long long status_day;
	long long input_id, line;
};

/* ---- the analysis state ---- */

/* The retention policy in force for one (app, role). */
struct policy {
	char *app;
	enum role_kind role;
	long long days;                 /* -1 = indefinitely */
	long long input_id, line;
	char effective[TIME_DATE_LEN];
};

struct short_pair {
	const char *app;
	enum role_kind role;
	size_t pol;                     /* index in pols */
};

struct an {
	struct store *st;
	const struct rules *r;
	struct analyze_summary *sum;
	long long run_id, asof_day, cutoff;
	struct acct *accts;
	size_t naccts, accts_alloc;
	struct strmap acct_map;
	struct device *devs;
	size_t ndevs, devs_alloc;
	struct strmap dev_map;
	struct strmap custodian_office;         /* custodian -> acct index */
	struct store_index sidx;
	char **apps;                            /* interned app keys */
	struct secmap *secs;                    /* per app */
	size_t napps, apps_alloc;
	struct findings_writer w;
	/* exclusion caches: direct-mapped, bounded */
	uint64_t *peer_cache_h, *peer_cache_m, *conv_cache_h, *conv_cache_m;
	int excl_uses[EX_FIELDS];               /* some exclusion has a pattern for it */
	struct policy *pols;
	size_t npols;
	struct short_pair *shorts;
	size_t nshort, shorts_alloc;
};

#define EXCL_CACHE 65536

/* h: hash_str64(account) */
static struct acct *acct_get_h(struct an *a, const char *account, uint64_t h, const char *app)
{
	int is_new;
	size_t *slot = strmap_slot_h(&a->acct_map, account, h, &is_new);
	if (!is_new)
		return &a->accts[*slot];
	a->accts = xgrow(a->accts, a->naccts + 1, &a->accts_alloc, sizeof(*a->accts));
	struct acct *ac = &a->accts[a->naccts];
	memset(ac, 0, sizeof(*ac));
	ac->account = xstrdup(account);
	if (app && *app) {
		ac->app = xstrdup(app);
	} else {
		const char *colon = strchr(account, ':');
		ac->app = colon ? xstrndup(account, (size_t)(colon - account)) : xstrdup("");
	}
	ac->role = ROLE_STANDARD;
	ac->approved_day = ac->closed_day = NO_DAY;
	ac->first_ts = LLONG_MAX;
	ac->timer_first = ac->store_first = ac->purge_first = LLONG_MAX;
	ac->timer_last = ac->store_last = ac->purge_last = LLONG_MIN;
	*slot = a->naccts++;
	return ac;
}

static struct acct *acct_get(struct an *a, const char *account, const char *app)
{
	return acct_get_h(a, account, hash_str64(account), app);
}

/* The bitmap of an app (created on first use). */
static size_t app_index(struct an *a, const char *app);
static struct secmap *app_secs(struct an *a, const char *app)
{
	size_t i = app_index(a, app);     /* may move a->secs: index first */
	return &a->secs[i];
}

static size_t app_index(struct an *a, const char *app)
{
	for (size_t i = 0; i < a->napps; i++)
		if (!strcmp(a->apps[i], app))
			return i;
	size_t old = a->apps_alloc;
	a->apps = xgrow(a->apps, a->napps + 1, &a->apps_alloc, sizeof(*a->apps));
	if (a->apps_alloc != old) {
		a->secs = xrealloc(a->secs, a->apps_alloc * sizeof(*a->secs));
		memset(a->secs + old, 0, (a->apps_alloc - old) * sizeof(*a->secs));
	}
	a->apps[a->napps] = xstrdup(app);
	return a->napps++;
}

static long long day_of(const char *date)
{
	long long d;
	if (!date || !*date || time_parse_date(date, &d))
		return NO_DAY;
	return d;
}

static int an_load_accounts(struct an *a)
{
	struct stmt *s = stmt_prepare(a->st,
		"SELECT account, app, custodian_id, custodian_name, office, role, capture,"
		" approved_on, closed_on, input_id, line FROM accounts ORDER BY account");
	int rc;

	if (!s)
		return -1;
	while ((rc = stmt_step(s)) == 1) {
		struct acct *ac = acct_get(a, stmt_text(s, 0), stmt_text(s, 1));
		const char *cap = stmt_text(s, 6);
		ac->known = 1;
		ac->custodian_id = xstrdup(stmt_text(s, 2));
		ac->custodian_name = xstrdup(stmt_text(s, 3));
		ac->office = xstrdup(stmt_text(s, 4));
		ac->role = role_from_name(stmt_text(s, 5));
		ac->capture = !cap ? CAP_UNKNOWN : !strcmp(cap, "archiver") ? CAP_ARCHIVER :
			      !strcmp(cap, "manual") ? CAP_MANUAL : CAP_NONE;
		ac->approved_day = day_of(stmt_text(s, 7));
		ac->closed_day = day_of(stmt_text(s, 8));
		ac->input_id = stmt_int(s, 9);
		ac->line = stmt_int(s, 10);
		if (ac->custodian_id) {
			int is_new;
			size_t *slot = strmap_slot(&a->custodian_office, ac->custodian_id, &is_new);
			if (is_new)
				*slot = (size_t)(ac - a->accts);
		}
	}
	stmt_free(s);
	return rc < 0 ? -1 : 0;
}

static int an_load_devices(struct an *a)
{
	static const char *const lost[] = { "replaced", "wiped", "retired", "lost", "stolen", NULL };
	struct stmt *s = stmt_prepare(a->st,
		"SELECT device_id, custodian_id, status, status_on, input_id, line FROM devices");
	int rc;

	if (!s)
		return -1;
	while ((rc = stmt_step(s)) == 1) {
		int is_new;
		size_t *slot = strmap_slot(&a->dev_map, stmt_text(s, 0), &is_new);
		if (!is_new)
			continue;
		a->devs = xgrow(a->devs, a->ndevs + 1, &a->devs_alloc, sizeof(*a->devs));
		struct device *d = &a->devs[a->ndevs];
		*slot = a->ndevs++;
		memset(d, 0, sizeof(*d));
		d->device_id = xstrdup(stmt_text(s, 0));
		d->custodian_id = xstrdup(stmt_text(s, 1));
		d->status = xstrdup(stmt_text(s, 2));
		d->status_day = day_of(stmt_text(s, 3));
		for (int i = 0; lost[i] && d->status; i++)
			if (!strcmp(d->status, lost[i]))
				d->lost = 1;
		d->input_id = stmt_int(s, 4);
		d->line = stmt_int(s, 5);
	}
	stmt_free(s);
	return rc < 0 ? -1 : 0;
}

static const struct device *dev_get(const struct an *a, const char *id)
{
	const size_t *i = strmap_get(&a->dev_map, id);
	return i ? &a->devs[*i] : NULL;
}

static void ev_push(struct ev_ref **arr, size_t *n, size_t cap, long long ts,
		    long long input_id, long long line)
{
	if (*n >= cap)
		return;
	*arr = xrealloc(*arr, (*n + 1) * sizeof(**arr));
	(*arr)[*n].ts = ts;
	(*arr)[*n].input_id = input_id;
	(*arr)[*n].line = line;
	(*n)++;
}

/* ---- writing findings ---- */

static int step_done(struct stmt *s)
{
	int rc = stmt_step(s);
	stmt_reset(s);
	return rc < 0 ? -1 : 0;
}

static void fmt_day(long long ts, char out[TIME_DATE_LEN])
{
	if (ts == LLONG_MAX || ts == LLONG_MIN)
		snprintf(out, TIME_DATE_LEN, "unknown");
	else
		time_fmt_day(ts, out);
}

static const char *plural(unsigned long long n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

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

#define RS_ROWS 4096
#define RS_QUEUE 4
#define RS_MAXCOL 12

struct rs_query {
	const char *sql;
	const char *types;              /* one letter a column: 'T' text, 'I' integer,
					 * 'H' text and its hash_str (0 for NULL) */
	long long param;                /* bound to ?1 when has_param */
	int has_param;
};

struct rs_batch {
	size_t n;
	long long *ival;                /* RS_ROWS * ncol */
	uint32_t *sofs;                 /* text: offset + 1 into strs; 0 = NULL */
	unsigned char *null;            /* integer NULLs */
	char *strs;
	size_t slen, salloc;
	int end;                        /* the last batch of its query */
};

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

struct rowsrc {
	const char *types;
	size_t ncol;
	struct stmt *s;                 /* direct mode */
	struct reader *rd;              /* threaded mode */
	struct rs_batch *b;
	size_t i;
	int done;
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
static struct reader *reader_start(struct store *st, const struct rs_query *q, int nq)
{
	const char *path = store_path(st);
	const char *env = getenv("UDAUDIT_THREADS");
	struct reader *rd;

	if (!path || !strcmp(path, ":memory:") || (env && !strcmp(env, "0")))
		return NULL;
	rd = xcalloc(1, sizeof(*rd));
	rd->st = store_open_readonly(path);
	if (!rd->st) {
		free(rd);
		return NULL;
	}
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
static void reader_finish(struct reader *rd)
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
static int rs_open(struct rowsrc *r, struct an *a, struct reader *rd, const struct rs_query *q)
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
static int rs_step(struct rowsrc *r)
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

static void rs_close(struct rowsrc *r)
{
	stmt_free(r->s);
	r->s = NULL;
}

static const char *rs_text(const struct rowsrc *r, int col)
{
	if (r->s)
		return stmt_text(r->s, col);
	uint32_t o = r->b->sofs[r->i * r->ncol + (size_t)col];
	return o ? r->b->strs + o - 1 : NULL;
}

static long long rs_int(const struct rowsrc *r, int col)
{
	if (r->s)
		return stmt_int(r->s, col);
	return r->b->ival[r->i * r->ncol + (size_t)col];
}

/* hash_str of an 'H' column (0 for NULL). */
static uint64_t rs_hash(const struct rowsrc *r, int col)
{
	if (r->s) {
		const char *v = stmt_text(r->s, col);
		return v ? hash_str64(v) : 0;
	}
	return (uint64_t)r->b->ival[r->i * r->ncol + (size_t)col];
}

/* The hash of an 'H' column `ahead` rows on, when already read (0 if not):
 * the index slot it will probe can be fetched into the cache meanwhile. */
static uint64_t rs_hash_ahead(const struct rowsrc *r, int col, size_t ahead)
{
	if (r->s || !r->b || r->i + ahead >= r->b->n)
		return 0;
	return (uint64_t)r->b->ival[(r->i + ahead) * r->ncol + (size_t)col];
}

#define PREFETCH_AHEAD 8

static int rs_is_null(const struct rowsrc *r, int col)
{
	if (r->s)
		return stmt_is_null(r->s, col);
	size_t k = r->i * r->ncol + (size_t)col;
	return r->types[col] != 'I' ? r->b->sofs[k] == 0 : r->b->null[k];
}

/* ---- store pass: index, EARLY_PURGE, store rows per account ---- */

/* Does the account's (app, role) have a too-short policy? Known before the
 * store scan so that only those rows' conversations are counted. */
static int is_short(const struct an *a, const struct acct *ac)
{
	for (size_t i = 0; i < a->nshort; i++)
		if (a->shorts[i].role == ac->role && !strcmp(a->shorts[i].app, ac->app))
			return 1;
	return 0;
}

static int store_pass(struct an *a, struct reader *rd, const struct rs_query *q)
{
	struct rowsrc src;
	int rc;

	if (rs_open(&src, a, rd, q))
		return -1;
	/* size the index once: rows are appended, so max(rowid) is about the
	   count (and costs one b-tree descent, not a scan) */
	long long rows = 0;
	if (store_query_int(a->st, "SELECT coalesce(max(rowid), 0) FROM store_messages", &rows) == 0 &&
	    rows > 0 && rows < (1LL << 32)) {
		size_t cap = 1024;
		while ((long long)cap * 7 < rows * 10)
			cap *= 2;
		sidx_init(&a->sidx, cap);
	}
	while ((rc = rs_step(&src)) == 1) {
		const char *mid = rs_text(&src, 0);
		long long sent = rs_int(&src, 4), cap = rs_int(&src, 5);

		sidx_prefetch(&a->sidx, rs_hash_ahead(&src, 0, PREFETCH_AHEAD));
		int purged_row = !rs_is_null(&src, 6);

		if (!mid || !rs_text(&src, 2))
			continue;       /* NOT NULL in spirit; SQLite allows a NULL key */

		/* a capture after as_of has not happened yet; a message_id seen
		   before is the same message loaded again: its first row counts */
		if (!sidx_put(&a->sidx, rs_hash(&src, 0),
			      sidx_value(cap, rs_int(&src, 6), purged_row, a->cutoff)))
			continue;
		/* the account matters only to a purge or to an app with a short
		   policy: skip its lookup for the other rows (most of them) */
		if (!purged_row) {
			const char *app = rs_text(&src, 1);
			int need = 0;
			for (size_t i = 0; i < a->nshort && !need; i++)
				need = app && !strcmp(app, a->shorts[i].app);
			if (!need)
				continue;
		}
		struct acct *ac = acct_get_h(a, rs_text(&src, 2), rs_hash(&src, 2), rs_text(&src, 1));
		if (ac->short_track == 0)
			ac->short_track = is_short(a, ac) ? 1 : -1;
		if (ac->short_track > 0) {
			const char *sconv = rs_text(&src, 3);
			ac->store_rows++;
			if (sconv && *sconv)
				hashmap_add(&ac->store_convs, hash_str64(sconv));
			if (sent < ac->store_first)
				ac->store_first = sent;
			if (sent > ac->store_last)
				ac->store_last = sent;
		}
		if (purged_row) {
			long long purged = rs_int(&src, 6);
			long long keep = a->r->retention_days[ac->role];
			if (purged < a->cutoff && (keep < 0 || purged < sent + keep * DAY)) {
				ac->purged++;
				if (sent < ac->purge_first)
					ac->purge_first = sent;
				if (sent > ac->purge_last)
					ac->purge_last = sent;
				const char *conv = rs_text(&src, 3);
				if (conv && *conv)
					hashmap_add(&ac->purge_convs, hash_str64(conv));
				ev_push(&ac->purge_ev, &ac->npurge_ev, FINDINGS_MAX_EVIDENCE, sent,
					rs_int(&src, 7), rs_int(&src, 8));
			}
		}
	}
	rs_close(&src);
	return rc < 0 ? -1 : 0;
}

static int early_purge(struct an *a)
{
	for (size_t i = 0; i < a->naccts; i++) {
		struct acct *ac = &a->accts[i];
		struct finding_acc f;
		char d1[TIME_DATE_LEN], d2[TIME_DATE_LEN], keep[40];
		if (!ac->purged)
			continue;
		struct finding_who w = { ac->office, ac->custodian_id, ac->account, ac->app, NULL };
		if (finding_begin(&a->w, &f, FT_EARLY_PURGE, FC_ACTUAL, ac->account, &w))
			return -1;
		f.count = ac->purged;
		finding_time(&f, ac->purge_first);
		finding_time(&f, ac->purge_last);
		f.convs = ac->purge_convs;
		memset(&ac->purge_convs, 0, sizeof(ac->purge_convs));
		for (size_t k = 0; k < ac->npurge_ev; k++)
			if (finding_evidence(&a->w, &f, ac->purge_ev[k].input_id, ac->purge_ev[k].line))
				return -1;
		if (ac->known && finding_evidence(&a->w, &f, ac->input_id, ac->line))
			return -1;
		fmt_day(f.first_ts, d1);
		fmt_day(f.last_ts, d2);
		long long days = a->r->retention_days[ac->role];
		if (days < 0)
			snprintf(keep, sizeof(keep), "permanent retention");
		else
			snprintf(keep, sizeof(keep), "retention of %lld days", days);
		char *detail = xasprintf("The compliance store purged %llu %s message%s of %s"
			" (%s%s, sent %s to %s) before the required %s.",
			f.count, ac->app, plural(f.count, "", "s"), ac->account,
			ac->known ? role_names[ac->role] : "not in accounts.csv, counted as standard",
			ac->known ? " account" : "", d1, d2, keep);
		int rc = finding_end(&a->w, &f, detail);
		free(detail);
		if (rc)
			return -1;
	}
	return 0;
}

/* ---- RETENTION_SHORTFALL ---- */

/* Before the store scan: the policy in force at as_of for each (app, role)
 * (latest effective_on; a role's own row beats an all-roles row of the same
 * date) and the pairs whose policy keeps messages shorter than required. */
static int load_policies(struct an *a)
{
	struct stmt *s = stmt_prepare(a->st,
		"SELECT app, role, retention_days, coalesce(effective_on, ''), input_id, line"
		" FROM retention_policies WHERE effective_on IS NULL OR effective_on <= ?1"
		" ORDER BY app, coalesce(effective_on, ''), role IS NOT NULL, rowid");
	struct strmap keys = STRMAP_INIT;
	size_t alloc = 0;
	char asof[TIME_DATE_LEN];
	int rc;

	if (!s)
		return -1;
	time_fmt_date(a->asof_day, asof);
	stmt_bind_text(s, 1, asof);
	while ((rc = stmt_step(s)) == 1) {
		const char *app = stmt_text(s, 0), *role = stmt_text(s, 1);
		for (int q = 0; q < ROLE_COUNT; q++) {
			if (role && strcmp(role, role_names[q]))
				continue;
			char *key = xasprintf("%s\x1f%s", app, role_names[q]);
			int is_new;
			size_t *slot = strmap_slot(&keys, key, &is_new);
			free(key);
			if (is_new) {
				a->pols = xgrow(a->pols, a->npols + 1, &alloc, sizeof(*a->pols));
				memset(&a->pols[a->npols], 0, sizeof(*a->pols));
				a->pols[a->npols].app = xstrdup(app);
				a->pols[a->npols].role = (enum role_kind)q;
				*slot = a->npols++;
			}
			struct policy *p = &a->pols[*slot];
			p->days = stmt_is_null(s, 2) ? -1 : stmt_int(s, 2);
			p->input_id = stmt_int(s, 4);
			p->line = stmt_int(s, 5);
			snprintf(p->effective, sizeof(p->effective), "%s", stmt_text(s, 3));
		}
	}
	stmt_free(s);
	strmap_clear(&keys);
	for (size_t i = 0; i < a->npols; i++) {
		const struct policy *p = &a->pols[i];
		long long need = a->r->retention_days[p->role];
		if (p->days < 0 || (need >= 0 && p->days >= need))
			continue;
		a->shorts = xgrow(a->shorts, a->nshort + 1, &a->shorts_alloc, sizeof(*a->shorts));
		a->shorts[a->nshort].app = p->app;      /* borrowed from pols */
		a->shorts[a->nshort].role = p->role;
		a->shorts[a->nshort].pol = i;
		a->nshort++;
	}
	return rc < 0 ? -1 : 0;
}

/* After the store scan: one finding per short pair held by an account. */
static int retention_shortfall(struct an *a)
{
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < a->nshort; i++) {
		const struct policy *p = &a->pols[a->shorts[i].pol];
		const char *app = p->app;
		enum role_kind role = p->role;
		long long need = a->r->retention_days[role];
		struct hashmap convs = HASHMAP_INIT;
		unsigned long long rows = 0;
		long long first = LLONG_MAX, last = LLONG_MIN;
		int held = 0;

		for (size_t k = 0; k < a->naccts; k++) {
			struct acct *ac = &a->accts[k];
			if (ac->role != role || strcmp(ac->app, app))
				continue;
			held |= ac->known;
			rows += ac->store_rows;
			if (ac->store_first < first)
				first = ac->store_first;
			if (ac->store_last > last)
				last = ac->store_last;
			uint64_t conv;
			for (size_t pos = 0; hashmap_next(&ac->store_convs, &pos, &conv, NULL); )
				hashmap_add(&convs, conv);
		}
		if (!held) {
			hashmap_clear(&convs);
			continue;
		}
		struct finding_acc f;
		struct finding_who w = { NULL, NULL, NULL, app, NULL };
		char *key = xasprintf("%s|%s", app, role_names[role]);
		rc = finding_begin(&a->w, &f, FT_RETENTION_SHORTFALL, FC_THREATENED, key, &w);
		free(key);
		if (rc) {
			hashmap_clear(&convs);
			break;
		}
		f.count = rows;
		f.convs = convs;
		finding_time(&f, first);
		finding_time(&f, last);
		rc = finding_evidence(&a->w, &f, p->input_id, p->line);
		char need_s[32], eff[40] = "";
		if (need < 0)
			snprintf(need_s, sizeof(need_s), "permanently");
		else
			snprintf(need_s, sizeof(need_s), "%lld days", need);
		if (*p->effective)
			snprintf(eff, sizeof(eff), " (policy effective %s)", p->effective);
		char *detail = xasprintf("The compliance store keeps %s messages for %lld days%s,"
			" but %s accounts must keep them %s; %llu stored message%s at risk.",
			app, p->days, eff, role_names[role], need_s, rows,
			plural(rows, " is", "s are"));
		if (!rc)
			rc = finding_end(&a->w, &f, detail);
		free(detail);
	}
	return rc < 0 ? -1 : 0;
}

/* ---- usage pass ---- */

/* usage_kind_from_name without the string loop: the scan's hottest call */
static int event_kind(const char *e)
{
	if (!e)
		return -1;
	switch (e[0]) {
	case 's': return !strcmp(e, "sent") ? EV_SENT : -1;
	case 'r': return !strcmp(e, "received") ? EV_RECEIVED : -1;
	default: return usage_kind_from_name(e);
	}
}

/* conv_h: hash_str64(conv), or 0 to compute it here */
static int is_excluded(struct an *a, struct acct *ac, const char *peer, const char *conv,
		       uint64_t conv_h)
{
	const struct rules *r = a->r;
	uint64_t m[EX_FIELDS];

	if (!r->nexcl)
		return 0;
	if (!ac->excl_done) {
		ac->excl_mask = rules_excl_match(r, EX_ACCOUNT, ac->account);
		ac->excl_done = 1;
	}
	m[EX_ACCOUNT] = ac->excl_mask;
	/* peers and conversations repeat: a bounded direct-mapped cache; a
	   field no rule has a pattern for is not looked at */
	const char *v[2] = { peer, conv };
	uint64_t hv[2] = { 0, conv_h };
	uint64_t *ch[2] = { a->peer_cache_h, a->conv_cache_h };
	uint64_t *cm[2] = { a->peer_cache_m, a->conv_cache_m };
	for (int i = 0; i < 2; i++) {
		if (!a->excl_uses[EX_PEER + i] || !v[i] || !*v[i]) {
			m[EX_PEER + i] = 0;
			continue;
		}
		uint64_t h = hv[i] ? hv[i] : hash_str64(v[i]);
		size_t slot = (size_t)(h & (EXCL_CACHE - 1));
		if (ch[i][slot] == h) {
			m[EX_PEER + i] = cm[i][slot];
		} else {
			m[EX_PEER + i] = rules_excl_match(r, (enum excl_field)(EX_PEER + i), v[i]);
			ch[i][slot] = h;
			cm[i][slot] = m[EX_PEER + i];
		}
	}
	return rules_excluded(r, m);
}

static int usage_pass(struct an *a, struct reader *rd, const struct rs_query *q)
{
	struct rowsrc src;
	int opened = rs_open(&src, a, rd, q) == 0;
	struct stmt *ins_cand = stmt_prepare(a->st,
		"INSERT INTO temp.an_cand (account, mid, ts, device, conv, app, input_id, line,"
		" store_day, dir, store_kept) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)");
	struct stmt *ins_del = stmt_prepare(a->st,
		"INSERT INTO temp.an_del (account, mid, ts, input_id, line, kind)"
		" VALUES (?1,?2,?3,?4,?5,?6)");
	struct stmt *ins_fwd = stmt_prepare(a->st,
		"INSERT INTO temp.an_fwd (mid, ts, input_id, line) VALUES (?1,?2,?3,?4)");
	struct stmt *ins_exp = stmt_prepare(a->st,
		"INSERT INTO temp.an_exp (conv, ts, input_id, line) VALUES (?1,?2,?3,?4)");
	struct stmt *ins_app = stmt_prepare(a->st,
		"INSERT INTO temp.an_devapp (device, app, ts, input_id, line) VALUES (?1,?2,?3,?4,?5)");
	int rc = -1;

	/* the row's strings stay in the reader's batch until the next rs_step:
	   bound without a copy (every insert is stepped and reset at once) */
	if (!opened || !ins_cand || !ins_del || !ins_fwd || !ins_exp || !ins_app)
		goto out;
	while ((rc = rs_step(&src)) == 1) {
		long long input_id = rs_int(&src, 0), line = rs_int(&src, 1), ts = rs_int(&src, 2);
		const char *event = rs_text(&src, 3), *app = rs_text(&src, 4);
		const char *account = rs_text(&src, 5), *device = rs_text(&src, 6);
		const char *mid = rs_text(&src, 7), *conv = rs_text(&src, 8);
		int kind = event_kind(event);
		struct acct *ac = NULL;

		sidx_prefetch(&a->sidx, rs_hash_ahead(&src, 7, PREFETCH_AHEAD));
		a->sum->events++;
		if (kind == EV_EXPORTED) {
			stmt_bind_text_borrowed(ins_exp, 1, conv, -1);
			stmt_bind_int(ins_exp, 2, ts);
			stmt_bind_int(ins_exp, 3, input_id);
			stmt_bind_int(ins_exp, 4, line);
			if (step_done(ins_exp))
				goto fail;
			if (!account)
				continue;
		}
		if (!account)
			continue;
		ac = acct_get_h(a, account, rs_hash(&src, 5), app);
		/* the event's app is nearly always the account's: cache its rule */
		int own_app = !app || !strcmp(app, ac->app);
		if (!app)
			app = ac->app;
		if (!ac->ra_done) {
			ac->ra = rules_app(a->r, ac->app);
			ac->ra_done = 1;
		}
		const struct rule_app *ev_ra = own_app ? ac->ra : rules_app(a->r, app);
		if (ts < ac->first_ts) {
			ac->first_ts = ts;
			ac->first_ev = (struct ev_ref){ ts, input_id, line };
		}
		if (device && *device) {
			const struct rule_app *ra = ev_ra;
			if (ra && ra->cls != APP_APPROVED) {
				/* the device carries the app (PROHIBITED_APP) */
				stmt_bind_text_borrowed(ins_app, 1, device, -1);
				stmt_bind_text_borrowed(ins_app, 2, app, -1);
				stmt_bind_int(ins_app, 3, ts);
				stmt_bind_int(ins_app, 4, input_id);
				stmt_bind_int(ins_app, 5, line);
				if (ra->cls == APP_PROHIBITED && step_done(ins_app))
					goto fail;
				stmt_reset(ins_app);
			}
		}
		if (kind <= EV_FORWARDED && (!mid || !*mid))
			continue;       /* adapters may leave it out; nothing to judge */
		switch (kind) {
		case EV_SENT:
		case EV_RECEIVED: {
			const struct rule_app *ra = ev_ra;
			if ((ra && ra->transitory) ||
			    is_excluded(a, ac, rs_text(&src, 9), conv, rs_hash(&src, 8))) {
				a->sum->excluded++;
				break;
			}
			a->sum->copies++;
			int purged;
			long long sd = sidx_get(&a->sidx, rs_hash(&src, 7), &purged);
			if (sd != NO_DAY && (ac->capture == CAP_ARCHIVER ||
					     sd - time_day(ts) <= a->r->window_days)) {
				/* retained in time: no message finding; for archiver
				   accounts it breaks capture-outage runs */
				if (ac->capture == CAP_ARCHIVER) {
					if (!own_app) {
						secmap_set(app_secs(a, app), ts);
					} else {
						if (!ac->app_idx)
							ac->app_idx = app_index(a, app) + 1;
						secmap_set(&a->secs[ac->app_idx - 1], ts);
					}
				}
				break;
			}
			a->sum->candidates++;
			stmt_bind_text_borrowed(ins_cand, 1, account, -1);
			stmt_bind_text_borrowed(ins_cand, 2, mid, -1);
			stmt_bind_int(ins_cand, 3, ts);
			stmt_bind_text_borrowed(ins_cand, 4, device, -1);
			stmt_bind_text_borrowed(ins_cand, 5, conv, -1);
			stmt_bind_text_borrowed(ins_cand, 6, app, -1);
			stmt_bind_int(ins_cand, 7, input_id);
			stmt_bind_int(ins_cand, 8, line);
			if (sd != NO_DAY)
				stmt_bind_int(ins_cand, 9, sd);
			stmt_bind_int(ins_cand, 10, kind);
			stmt_bind_int(ins_cand, 11, !purged);
			if (step_done(ins_cand))
				goto fail;
			break;
		}
		case EV_DELETED:
		case EV_EXPIRED:
		case EV_BURNED:
			/* a deletion matters only for a message the store lacks */
			if (sidx_get(&a->sidx, rs_hash(&src, 7), NULL) != NO_DAY)
				break;
			stmt_bind_text_borrowed(ins_del, 1, account, -1);
			stmt_bind_text_borrowed(ins_del, 2, mid, -1);
			stmt_bind_int(ins_del, 3, ts);
			stmt_bind_int(ins_del, 4, input_id);
			stmt_bind_int(ins_del, 5, line);
			stmt_bind_int(ins_del, 6, kind);
			if (step_done(ins_del))
				goto fail;
			break;
		case EV_FORWARDED:
			stmt_bind_text_borrowed(ins_fwd, 1, mid, -1);
			stmt_bind_int(ins_fwd, 2, ts);
			stmt_bind_int(ins_fwd, 3, input_id);
			stmt_bind_int(ins_fwd, 4, line);
			if (step_done(ins_fwd))
				goto fail;
			break;
		case EV_TIMER_SET:
			if (!rs_is_null(&src, 10) && rs_int(&src, 10) > 0) {
				ac->timer_count++;
				if (ts < ac->timer_first)
					ac->timer_first = ts;
				if (ts > ac->timer_last)
					ac->timer_last = ts;
				ev_push(&ac->timers, &ac->ntimers, 100, ts, input_id, line);
			}
			break;
		case EV_ACCOUNT_DELETED:
			ev_push(&ac->deleted, &ac->ndeleted, 1000, ts, input_id, line);
			break;
		default:
			break;
		}
	}
	if (rc == 0)
		goto out;
fail:
	rc = -1;
out:
	if (opened)
		rs_close(&src);
	stmt_free(ins_cand);
	stmt_free(ins_del);
	stmt_free(ins_fwd);
	stmt_free(ins_exp);
	stmt_free(ins_app);
	return rc < 0 ? -1 : 0;
}

/* ---- message findings (spec 4.1) ---- */

enum { ROW_DELETION, ROW_DEVICE, ROW_CLOSED, ROW_IMPENDING, ROW_GAP, ROW_NOT_FWD,
       ROW_LATE, ROW_COUNT };

static const enum finding_type row_type[ROW_COUNT] = {
	FT_UNCAPTURED_DELETION, FT_DEVICE_LOSS, FT_ACCOUNT_DELETION, FT_ACCOUNT_DELETION,
	FT_CAPTURE_GAP, FT_NOT_FORWARDED, FT_LATE_FORWARD,
};
static const enum finding_class row_class[ROW_COUNT] = {
	FC_ACTUAL, FC_ACTUAL, FC_ACTUAL, FC_IMPENDING, FC_THREATENED, FC_THREATENED, FC_POLICY,
};

struct group {
	char *account, *device;
	struct acct *ac;
	struct finding_acc f[ROW_COUNT];
	long long loss_first[ROW_COUNT], loss_last[ROW_COUNT];  /* loss events */
	long long retained_max_days[ROW_COUNT];
};

static char *msg_detail(const struct an *a, const struct group *g, int row, const struct finding_acc *f)
{
	char d1[TIME_DATE_LEN], d2[TIME_DATE_LEN], l1[TIME_DATE_LEN], l2[TIME_DATE_LEN];
	const struct acct *ac = g->ac;
	const char *app = ac->app;
	char on[200];
	unsigned long long n = f->count;
	const char *msgs = plural(n, "message", "messages");
	const char *dev = g->device && *g->device ? g->device : NULL;

	fmt_day(f->first_ts, d1);
	fmt_day(f->last_ts, d2);
	fmt_day(g->loss_first[row], l1);
	fmt_day(g->loss_last[row], l2);
	if (dev)
		snprintf(on, sizeof(on), "%s on device %s", ac->account, dev);
	else
		snprintf(on, sizeof(on), "%s", ac->account);
	switch (row) {
	case ROW_DELETION:
		return xasprintf("%llu %s %s of %s (sent or received %s to %s) %s deleted,"
			" expired or burned on the device between %s and %s without a copy in"
			" any recordkeeping system.", n, app, msgs, on, d1, d2,
			plural(n, "was", "were"), l1, l2);
	case ROW_DEVICE: {
		const struct device *d = dev ? dev_get(a, dev) : NULL;
		return xasprintf("The device %s was %s on %s holding %llu %s %s of %s"
			" (%s to %s) never captured.", dev ? dev : "?",
			d && d->status ? d->status : "lost", l1, n, app, msgs, ac->account, d1, d2);
	}
	case ROW_CLOSED:
		return xasprintf("The account %s was closed on %s with %llu %s %s (%s to %s)"
			" never captured.", ac->account, l1, n, app, msgs, d1, d2);
	case ROW_IMPENDING: {
		char c[TIME_DATE_LEN];
		time_fmt_date(ac->closed_day, c);
		return xasprintf("The account %s is scheduled for deletion on %s and holds"
			" %llu %s %s (%s to %s) never captured or exported.",
			ac->account, c, n, app, msgs, d1, d2);
	}
	case ROW_GAP:
		return xasprintf("%llu %s %s of %s (%s to %s) %s missing from the compliance"
			" store although the account is captured by the archiver.",
			n, app, msgs, on, d1, d2, plural(n, "is", "are"));
	case ROW_NOT_FWD:
		return xasprintf("%llu %s %s of %s (%s to %s) %s not forwarded or exported to"
			" an official account within %d days (44 U.S.C. 2911).",
			n, app, msgs, on, d1, d2, plural(n, "was", "were"), a->r->window_days);
	default:
		return xasprintf("%llu %s %s of %s (%s to %s) reached official recordkeeping"
			" more than %d days after they were sent, up to %lld days (44 U.S.C. 2911).",
			n, app, msgs, on, d1, d2, a->r->window_days, g->retained_max_days[row]);
	}
}

static int group_flush(struct an *a, struct group *g)
{
	int rc = 0;

	for (int row = 0; row < ROW_COUNT; row++) {
		if (!g->f[row].used)
			continue;
		char *detail = msg_detail(a, g, row, &g->f[row]);
		if (finding_end(&a->w, &g->f[row], detail))
			rc = -1;
		free(detail);
	}
	free(g->account);
	free(g->device);
	g->account = g->device = NULL;
	return rc;
}

/* The copy's device "" and NULL are the same group. */
static int same_group(const struct group *g, const char *account, const char *device)
{
	if (!g->account || strcmp(g->account, account))
		return 0;
	const char *gd = g->device ? g->device : "";
	return !strcmp(gd, device ? device : "");
}

/* One candidate copy as the resolving query gives it (column order of
   CAND_SQL). */
struct cand {
	const char *account, *device, *mid, *conv, *app;
	long long ts, day, input_id, line;
	int received;
	int has_store, store_kept, has_del, has_fwd, has_exp;
	long long store_day, del_ts, del_in, del_line, fwd_ts, fwd_in, fwd_line;
	long long exp_ts, exp_in, exp_line;
	int del_kind;
};

/* What 4.1 decides for a copy: its row (-1: no finding), the loss or
   retention behind it (evidence), and the facts stored with the copy. */
struct verdict {
	int row;
	long long loss;                 /* LLONG_MAX: no loss event (rows 4-7) */
	long long ev_in, ev_line;       /* the loss or retaining event's row */
	long long retained_days;        /* row 7: day(retained) - day(t) */
	struct finding_copy_facts facts;
};

static void read_cand(struct stmt *s, struct cand *c)
{
	c->account = stmt_text(s, 0);
	c->device = stmt_text(s, 1);
	c->mid = stmt_text(s, 2);
	c->ts = stmt_int(s, 3);
	c->day = time_day(c->ts);
	c->conv = stmt_text(s, 4);
	c->input_id = stmt_int(s, 5);
	c->line = stmt_int(s, 6);
	c->has_store = !stmt_is_null(s, 7);
	c->store_day = stmt_int(s, 7);
	c->has_del = !stmt_is_null(s, 8);
	c->del_ts = stmt_int(s, 8);
	c->del_in = stmt_int(s, 9);
	c->del_line = stmt_int(s, 10);
	c->has_fwd = !stmt_is_null(s, 11);
	c->fwd_ts = stmt_int(s, 11);
	c->fwd_in = stmt_int(s, 12);
	c->fwd_line = stmt_int(s, 13);
	c->has_exp = !stmt_is_null(s, 14);
	c->exp_ts = stmt_int(s, 14);
	c->exp_in = stmt_int(s, 15);
	c->exp_line = stmt_int(s, 16);
	c->app = stmt_text(s, 17);
	c->received = stmt_int(s, 18) == EV_RECEIVED;
	c->store_kept = stmt_int(s, 19) != 0;
	c->del_kind = (int)stmt_int(s, 20);
}

static void set_loss(struct verdict *v, int row, long long ts, enum copy_loss kind,
		     long long in, long long line)
{
	v->row = row;
	v->loss = ts;
	v->facts.loss = kind;
	v->facts.loss_ts = ts;
	v->ev_in = in;
	v->ev_line = line;
}

/* Rows 1-6 for a copy no recordkeeping system has: the earliest loss event
   wins, ties to the lower row; a date-only input is the start of its day. */
static void judge_lost(const struct an *a, const struct acct *ac, const struct cand *c,
		       struct verdict *v)
{
	if (c->has_del)
		set_loss(v, ROW_DELETION, c->del_ts, c->del_kind == EV_EXPIRED ? LOSS_EXPIRED :
			 c->del_kind == EV_BURNED ? LOSS_BURNED : LOSS_DELETED, c->del_in,
			 c->del_line);
	const struct device *d = c->device ? dev_get(a, c->device) : NULL;
	if (d && d->lost && d->status_day != NO_DAY && d->status_day >= c->day &&
	    d->status_day <= a->asof_day && d->status_day * DAY < v->loss)
		set_loss(v, ROW_DEVICE, d->status_day * DAY, copy_loss_of_device_status(d->status),
			 d->input_id, d->line);
	if (ac->closed_day != NO_DAY && ac->closed_day >= c->day &&
	    ac->closed_day <= a->asof_day && ac->closed_day * DAY < v->loss)
		set_loss(v, ROW_CLOSED, ac->closed_day * DAY, LOSS_ACCOUNT_CLOSED, ac->input_id,
			 ac->line);
	for (size_t k = 0; k < ac->ndeleted; k++) {
		const struct ev_ref *e = &ac->deleted[k];
		if (e->ts >= c->ts && e->ts < v->loss)
			set_loss(v, ROW_CLOSED, e->ts, LOSS_ACCOUNT_DELETED, e->input_id, e->line);
	}
	if (v->row >= 0)
		return;
	v->facts.survives |= FINDING_SURVIVES_DEVICE;
	if (ac->closed_day != NO_DAY && ac->closed_day > a->asof_day) {
		v->row = ROW_IMPENDING;
		v->facts.loss = LOSS_SCHEDULED_DELETION;
		v->facts.loss_ts = ac->closed_day * DAY;
	} else if (ac->capture == CAP_ARCHIVER) {
		v->row = ROW_GAP;
	} else if (a->asof_day - c->day > a->r->window_days) {
		v->row = ROW_NOT_FWD;
	}
}

/* Row 7 for a retained copy: the earliest of the store's capture day, the
   forward and the export (ties: that order). */
static void judge_retained(const struct an *a, const struct acct *ac, const struct cand *c,
			   struct verdict *v)
{
	long long rday = LLONG_MAX;

	if (c->has_store) {
		rday = c->store_day;
		v->facts.retained = RET_STORE;
		v->facts.retained_ts = c->store_day * DAY;
	}
	if (c->has_fwd && time_day(c->fwd_ts) < rday) {
		rday = time_day(c->fwd_ts);
		v->facts.retained = RET_FORWARD;
		v->facts.retained_ts = c->fwd_ts;
		v->ev_in = c->fwd_in;
		v->ev_line = c->fwd_line;
	}
	if (c->has_exp && time_day(c->exp_ts) < rday) {
		rday = time_day(c->exp_ts);
		v->facts.retained = RET_EXPORT;
		v->facts.retained_ts = c->exp_ts;
		v->ev_in = c->exp_in;
		v->ev_line = c->exp_line;
	}
	v->facts.survives |= FINDING_SURVIVES_DEVICE;
	if (ac->capture != CAP_ARCHIVER && rday - c->day > a->r->window_days) {
		v->row = ROW_LATE;
		v->retained_days = rday - c->day;
	}
}

static void judge(const struct an *a, const struct acct *ac, const struct cand *c,
		  struct verdict *v)
{
	memset(v, 0, sizeof(*v));
	v->row = -1;
	v->loss = LLONG_MAX;
	v->facts.account = c->account;
	v->facts.message_id = c->mid;
	v->facts.conversation_id = c->conv;
	v->facts.ts = c->ts;
	v->facts.direction = c->received ? COPY_RECEIVED : COPY_SENT;
	v->facts.loss_ts = FINDING_NO_TS;
	v->facts.retained_ts = FINDING_NO_TS;
	if (c->has_store && c->store_kept)
		v->facts.survives |= FINDING_SURVIVES_STORE;
	if (c->has_fwd)
		v->facts.survives |= FINDING_SURVIVES_FORWARD;
	if (c->has_exp)
		v->facts.survives |= FINDING_SURVIVES_EXPORT;
	if (c->has_store || c->has_fwd || c->has_exp)
		judge_retained(a, ac, c, v);
	else
		judge_lost(a, ac, c, v);
}

/* Add the copy to the group's finding of its row (begun on first use). */
static int add_copy(struct an *a, struct group *g, const struct verdict *v,
		    long long input_id, long long line)
{
	int row = v->row;
	struct finding_acc *f = &g->f[row];

	if (!f->used) {
		const struct acct *ac = g->ac;
		char *key = xasprintf("%s|%s", g->account, g->device ? g->device : "");
		struct finding_who w = { ac->office, ac->custodian_id, ac->account, ac->app,
					 g->device && *g->device ? g->device : NULL };
		int rc = finding_begin(&a->w, f, row_type[row], row_class[row], key, &w);
		free(key);
		g->loss_first[row] = LLONG_MAX;
		g->loss_last[row] = LLONG_MIN;
		g->retained_max_days[row] = 0;
		if (rc)
			return -1;
		if (ac->known && row >= ROW_CLOSED &&
		    finding_evidence(&a->w, f, ac->input_id, ac->line))
			return -1;
	}
	if (finding_copy(&a->w, f, &v->facts) || finding_evidence(&a->w, f, input_id, line))
		return -1;
	if (row == ROW_LATE && v->retained_days > g->retained_max_days[row])
		g->retained_max_days[row] = v->retained_days;
	if (v->loss != LLONG_MAX) {
		if (v->loss < g->loss_first[row])
			g->loss_first[row] = v->loss;
		if (v->loss > g->loss_last[row])
			g->loss_last[row] = v->loss;
	}
	if (v->loss != LLONG_MAX || row == ROW_LATE)
		return finding_evidence(&a->w, f, v->ev_in, v->ev_line);
	return 0;
}

static void phase(const char *name);

/* One row per copy (the earliest event of each account and message), with
   the first deletion by that account after it, the first forward of the
   message and the first export of its conversation at or after the copy's
   time. Rows come grouped by account (the GROUP BY's sort order, one sort
   for the whole query); the device groups of one account are kept side by
   side in C, so no second sort is needed. An account seen twice would fail
   loudly on the findings key, never split a finding silently. */
#define CAND_SQL \
	"SELECT c.account, c.device, c.mid, c.ts, c.conv, c.input_id, c.line, c.store_day," \
	" d.ts, d.input_id, d.line, f.ts, f.input_id, f.line, e.ts, e.input_id, e.line, c.app," \
	" c.dir, c.store_kept, d.kind" \
	" FROM (SELECT account, mid, min(ts) AS ts, device, conv, input_id, line, store_day," \
	"   app, dir, store_kept FROM an_cand GROUP BY account, mid) AS c" \
	" LEFT JOIN an_del AS d ON d.rowid = (SELECT rowid FROM an_del WHERE account = c.account" \
	"   AND mid = c.mid AND ts >= c.ts ORDER BY ts LIMIT 1)" \
	" LEFT JOIN an_fwd AS f ON f.rowid = (SELECT rowid FROM an_fwd WHERE mid = c.mid" \
	"   ORDER BY ts LIMIT 1)" \
	" LEFT JOIN an_exp AS e ON e.rowid = (SELECT rowid FROM an_exp WHERE conv = c.conv" \
	"   AND ts >= c.ts ORDER BY ts LIMIT 1)"

/* The statements of the message pass. */
struct msg_pass {
	struct stmt *cand, *gap, *alive;
	struct group *groups;
	size_t ngroups, galloc;
	char *cur;                      /* the account of groups[] */
};

static void msg_pass_free(struct msg_pass *p)
{
	for (size_t i = 0; i < p->ngroups; i++) {
		free(p->groups[i].account);
		free(p->groups[i].device);
		for (int r = 0; r < ROW_COUNT; r++)
			finding_drop(&p->groups[i].f[r]);
	}
	free(p->groups);
	free(p->cur);
	stmt_free(p->cand);
	stmt_free(p->gap);
	stmt_free(p->alive);
}

/* The group of the copy's account and device; the groups of the previous
   account are flushed first. NULL on error. */
static struct group *msg_group(struct an *a, struct msg_pass *p, const struct cand *c)
{
	if (!p->cur || strcmp(p->cur, c->account)) {
		for (size_t i = 0; i < p->ngroups; i++)
			if (group_flush(a, &p->groups[i]))
				return NULL;
		p->ngroups = 0;
		free(p->cur);
		p->cur = xstrdup(c->account);
	}
	for (size_t i = 0; i < p->ngroups; i++)
		if (same_group(&p->groups[i], c->account, c->device))
			return &p->groups[i];
	p->groups = xgrow(p->groups, p->ngroups + 1, &p->galloc, sizeof(*p->groups));
	struct group *g = &p->groups[p->ngroups++];
	memset(g, 0, sizeof(*g));
	g->account = xstrdup(c->account);
	g->device = xstrdup(c->device);
	g->ac = acct_get(a, c->account, NULL);
	return g;
}

/* The side rows of a copy: a missing archiver copy for CAPTURE_OUTAGE, a
   copy still held for the survives bits of the other accounts' copies. */
static int msg_side_rows(struct msg_pass *p, const struct acct *ac, const struct cand *c,
			 const struct verdict *v)
{
	int retained = c->has_store || c->has_fwd || c->has_exp;

	if (!retained && ac->capture == CAP_ARCHIVER && c->app) {
		stmt_bind_text(p->gap, 1, c->app);
		stmt_bind_int(p->gap, 2, c->ts);
		stmt_bind_text(p->gap, 3, c->account);
		stmt_bind_text(p->gap, 4, c->mid);
		stmt_bind_text(p->gap, 5, c->conv);
		stmt_bind_int(p->gap, 6, c->input_id);
		stmt_bind_int(p->gap, 7, c->line);
		if (step_done(p->gap))
			return -1;
	}
	if (v->facts.survives & FINDING_SURVIVES_DEVICE) {
		stmt_bind_text(p->alive, 1, c->mid);
		stmt_bind_text(p->alive, 2, c->account);
		if (step_done(p->alive))
			return -1;
	}
	return 0;
}

/* After the pass: a copy whose message another account still holds. */
static int mark_other_holders(struct an *a)
{
	char sql[400];

	if (store_exec(a->st, "CREATE INDEX temp.an_alive_i ON an_alive (mid, account)"))
		return -1;
	snprintf(sql, sizeof(sql),
		 "UPDATE main.finding_copies SET survives = survives | %u WHERE run_id = %lld"
		 " AND EXISTS (SELECT 1 FROM temp.an_alive x WHERE x.mid = message_id"
		 "  AND x.account != finding_copies.account)",
		 FINDING_SURVIVES_OTHER, a->run_id);
	return store_exec(a->st, sql);
}

static int message_findings(struct an *a)
{
	static const char *const prep[] = {
		"CREATE INDEX temp.an_del_i ON an_del (account, mid, ts)",
		"CREATE INDEX temp.an_fwd_i ON an_fwd (mid, ts)",
		"CREATE INDEX temp.an_exp_i ON an_exp (conv, ts)",
		NULL
	};
	struct msg_pass p;
	int rc;

	for (int i = 0; prep[i]; i++)
		if (store_exec(a->st, prep[i]))
			return -1;
	phase("  candidate indexes");
	memset(&p, 0, sizeof(p));
	p.cand = stmt_prepare(a->st, CAND_SQL);
	p.gap = stmt_prepare(a->st,
		"INSERT INTO temp.an_gap (app, ts, account, mid, conv, input_id, line)"
		" VALUES (?1,?2,?3,?4,?5,?6,?7)");
	p.alive = stmt_prepare(a->st, "INSERT INTO temp.an_alive (mid, account) VALUES (?1,?2)");
	if (!p.cand || !p.gap || !p.alive) {
		msg_pass_free(&p);
		return -1;
	}
	while ((rc = stmt_step(p.cand)) == 1) {
		struct cand c;
		struct verdict v;
		read_cand(p.cand, &c);
		struct group *g = msg_group(a, &p, &c);
		if (!g)
			break;
		judge(a, g->ac, &c, &v);
		if (c.has_store || c.has_fwd || c.has_exp) {
			if (g->ac->capture == CAP_ARCHIVER && c.app)
				secmap_set(app_secs(a, c.app), c.ts);
		}
		if (msg_side_rows(&p, g->ac, &c, &v) ||
		    (v.row >= 0 && add_copy(a, g, &v, c.input_id, c.line)))
			break;
	}
	if (rc == 0) {
		for (size_t i = 0; i < p.ngroups && rc == 0; i++)
			rc = group_flush(a, &p.groups[i]);
		p.ngroups = 0;
	} else {
		rc = -1;
	}
	msg_pass_free(&p);
	return rc ? -1 : mark_other_holders(a);
}

/* ---- CAPTURE_OUTAGE ---- */

static int outage_flush(struct an *a, struct finding_acc *f, const char *app, unsigned long accounts)
{
	char d1[TIME_ISO_LEN], d2[TIME_ISO_LEN];
	time_fmt_iso(f->first_ts, d1);
	time_fmt_iso(f->last_ts, d2);
	double hours = (double)(f->last_ts - f->first_ts) / 3600.0;
	char *detail = xasprintf("%llu consecutive %s message copies on %lu archiver account%s"
		" from %s to %s (%.1f hours) are all missing from the compliance store: a capture"
		" outage.", f->count, app, accounts, plural(accounts, "", "s"), d1, d2, hours);
	int rc = finding_end(&a->w, f, detail);
	free(detail);
	return rc;
}

struct outage_run {
	char *app;
	long long first, last, prev;
	unsigned long long n;
	char *first_key;
	struct hashmap accounts;
};

static int outages(struct an *a)
{
	/* one sorted pass, and the rows of a long run read back by range */
	if (store_exec(a->st, "CREATE INDEX temp.an_gap_i ON an_gap (app, ts, account, mid)"))
		return -1;
	struct stmt *s = stmt_prepare(a->st,
		"SELECT app, ts, account, mid, conv, input_id, line FROM an_gap"
		" ORDER BY app, ts, account, mid");
	struct outage_run run;
	int rc;

	if (!s)
		return -1;
	memset(&run, 0, sizeof(run));
	/* two passes would need the rows twice; instead collect a run's
	   bounds, then re-read its rows only when it is long enough */
	struct stmt *rows = stmt_prepare(a->st,
		"SELECT ts, account, mid, conv, input_id, line FROM an_gap"
		" WHERE app = ?1 AND ts BETWEEN ?2 AND ?3 ORDER BY ts, account, mid");
	if (!rows) {
		stmt_free(s);
		return -1;
	}
	rc = 0;
	for (;;) {
		int more = stmt_step(s);
		if (more < 0) {
			rc = -1;
			break;
		}
		const char *app = more ? stmt_text(s, 0) : NULL;
		long long ts = more ? stmt_int(s, 1) : 0;
		int same = more && run.app && !strcmp(run.app, app) &&
			   !secmap_any(app_secs(a, app), run.prev, ts);
		if (run.app && !same) {
			if (run.last - run.first >= a->r->outage_seconds) {
				struct finding_acc f;
				struct finding_who w = { NULL, NULL, NULL, run.app, NULL };
				char *key = xasprintf("%s|%s", run.app, run.first_key);
				rc = finding_begin(&a->w, &f, FT_CAPTURE_OUTAGE, FC_THREATENED, key, &w);
				free(key);
				stmt_bind_text(rows, 1, run.app);
				stmt_bind_int(rows, 2, run.first);
				stmt_bind_int(rows, 3, run.last);
				/* rows at the run's edge seconds may belong to a
				   neighbouring run only when a breaker shares that
				   second, which split them: count by the run's size */
				while (!rc && f.count < run.n && stmt_step(rows) == 1) {
					f.count++;
					finding_time(&f, stmt_int(rows, 0));
					finding_conv(&f, stmt_text(rows, 3));
					rc = finding_evidence(&a->w, &f, stmt_int(rows, 4), stmt_int(rows, 5));
				}
				stmt_reset(rows);
				if (!rc)
					rc = outage_flush(a, &f, run.app, (unsigned long)run.accounts.n);
			}
			free(run.app);
			free(run.first_key);
			hashmap_clear(&run.accounts);
			memset(&run, 0, sizeof(run));
			if (rc)
				break;
		}
		if (!more)
			break;
		if (!run.app) {
			run.app = xstrdup(app);
			run.first = ts;
			run.first_key = xasprintf("%lld|%s|%s", ts, stmt_text(s, 2), stmt_text(s, 3));
		}
		run.last = run.prev = ts;
		run.n++;
		hashmap_add(&run.accounts, hash_str64(stmt_text(s, 2)));
	}
	free(run.app);
	free(run.first_key);
	hashmap_clear(&run.accounts);
	stmt_free(rows);
	stmt_free(s);
	return rc;
}

/* ---- EPHEMERAL_ENABLED ---- */

static int ephemeral(struct an *a)
{
	for (size_t i = 0; i < a->naccts; i++) {
		struct acct *ac = &a->accts[i];
		struct finding_acc f;
		char d1[TIME_DATE_LEN];
		if (!ac->timer_count || ac->capture == CAP_ARCHIVER)
			continue;
		struct finding_who w = { ac->office, ac->custodian_id, ac->account, ac->app, NULL };
		if (finding_begin(&a->w, &f, FT_EPHEMERAL_ENABLED, FC_THREATENED, ac->account, &w))
			return -1;
		finding_time(&f, ac->timer_first);
		finding_time(&f, ac->timer_last);
		for (size_t k = 0; k < ac->ntimers; k++)
			if (finding_evidence(&a->w, &f, ac->timers[k].input_id, ac->timers[k].line))
				return -1;
		if (ac->known && finding_evidence(&a->w, &f, ac->input_id, ac->line))
			return -1;
		fmt_day(ac->timer_first, d1);
		const char *cap = ac->capture == CAP_MANUAL ? "manual" :
				  ac->capture == CAP_NONE ? "none" : "unknown";
		char *detail = xasprintf("Disappearing messages were turned on for %s on %s"
			" (%lu time%s) although its capture is %s: messages can expire before"
			" anyone forwards them.", ac->account, d1, ac->timer_count,
			plural(ac->timer_count, "", "s"), cap);
		int rc = finding_end(&a->w, &f, detail);
		free(detail);
		if (rc)
			return -1;
	}
	return 0;
}

/* ---- PROHIBITED_APP and UNAPPROVED_APP ---- */

static const struct acct *custodian_acct(const struct an *a, const char *custodian)
{
	const size_t *i = strmap_get(&a->custodian_office, custodian);
	return i ? &a->accts[*i] : NULL;
}

/* device_apps rows mapped to app keys, plus the usage-event sightings */
static int app_findings(struct an *a)
{
	struct stmt *s = stmt_prepare(a->st,
		"SELECT device_id, app_id, app_name, first_seen, last_seen, input_id, line"
		" FROM device_apps ORDER BY device_id, app_id");
	struct stmt *ins = stmt_prepare(a->st,
		"INSERT INTO temp.an_devapp (device, app, ts, ts2, input_id, line)"
		" VALUES (?1,?2,?3,?4,?5,?6)");
	int rc;

	if (!s || !ins) {
		stmt_free(s);
		stmt_free(ins);
		return -1;
	}
	while ((rc = stmt_step(s)) == 1) {
		const struct rule_app *ra = rules_app_for_id(a->r, stmt_text(s, 1), stmt_text(s, 2));
		long long d1 = day_of(stmt_text(s, 3)), d2 = day_of(stmt_text(s, 4));
		if (!ra || ra->cls == APP_APPROVED)
			continue;
		stmt_bind_text(ins, 1, stmt_text(s, 0));
		stmt_bind_text(ins, 2, ra->key);
		if (d1 != NO_DAY)
			stmt_bind_int(ins, 3, d1 * DAY);
		if (d2 != NO_DAY)
			stmt_bind_int(ins, 4, d2 * DAY);
		stmt_bind_int(ins, 5, stmt_int(s, 5));
		stmt_bind_int(ins, 6, stmt_int(s, 6));
		if (step_done(ins)) {
			rc = -1;
			break;
		}
	}
	stmt_free(s);
	stmt_free(ins);
	if (rc < 0)
		return -1;

	/* PROHIBITED_APP: one per (device, app) */
	s = stmt_prepare(a->st,
		"SELECT device, app, min(ts), max(coalesce(ts2, ts)), input_id, line FROM an_devapp"
		" GROUP BY device, app ORDER BY device, app");
	struct stmt *ev = stmt_prepare(a->st,
		"SELECT input_id, line FROM an_devapp WHERE device = ?1 AND app = ?2"
		" ORDER BY input_id, line");
	if (!s || !ev) {
		stmt_free(s);
		stmt_free(ev);
		return -1;
	}
	while ((rc = stmt_step(s)) == 1) {
		const char *device = stmt_text(s, 0), *app = stmt_text(s, 1);
		const struct rule_app *ra = rules_app(a->r, app);
		if (!ra || ra->cls != APP_PROHIBITED)
			continue;
		const struct device *d = dev_get(a, device);
		const struct acct *ca = d && d->custodian_id ? custodian_acct(a, d->custodian_id) : NULL;
		struct finding_who w = { ca ? ca->office : NULL, d ? d->custodian_id : NULL, NULL, app, device };
		struct finding_acc f;
		char *key = xasprintf("%s|%s", device, app);
		rc = finding_begin(&a->w, &f, FT_PROHIBITED_APP, FC_POLICY, key, &w);
		free(key);
		if (rc)
			break;
		if (!stmt_is_null(s, 2))
			finding_time(&f, stmt_int(s, 2));
		if (!stmt_is_null(s, 3))
			finding_time(&f, stmt_int(s, 3));
		stmt_bind_text(ev, 1, device);
		stmt_bind_text(ev, 2, app);
		while (!rc && stmt_step(ev) == 1)
			rc = finding_evidence(&a->w, &f, stmt_int(ev, 0), stmt_int(ev, 1));
		stmt_reset(ev);
		char d1[TIME_DATE_LEN];
		fmt_day(f.first_ts, d1);
		char *detail = xasprintf("The device %s%s%s carries %s, an app the agency"
			" prohibits (seen %s%s).", device, ca && ca->custodian_name ? " of " : "",
			ca && ca->custodian_name ? ca->custodian_name : "", app,
			f.first_ts == LLONG_MAX ? "in the inventory" : "from ",
			f.first_ts == LLONG_MAX ? "" : d1);
		if (!rc)
			rc = finding_end(&a->w, &f, detail);
		free(detail);
		if (rc)
			break;
	}
	stmt_free(s);
	stmt_free(ev);
	return rc < 0 ? -1 : 0;
}

struct unapproved {
	char *custodian, *app, *account;        /* account when no custodian */
	long long first_ts;                     /* LLONG_MAX = unknown */
	struct ev_ref *ev;
	size_t nev;
};

static int unapproved(struct an *a)
{
	struct strmap map = STRMAP_INIT;
	struct unapproved *u = NULL;
	size_t nu = 0, alloc = 0;
	int rc = 0;

	/* 1. through accounts with events */
	for (size_t i = 0; i < a->naccts; i++) {
		const struct acct *ac = &a->accts[i];
		const struct rule_app *ra = rules_app(a->r, ac->app);
		if (!ra || ra->cls != APP_RESTRICTED || ac->first_ts == LLONG_MAX)
			continue;
		const char *who = ac->custodian_id ? ac->custodian_id : ac->account;
		char *key = xasprintf("%s\x1f%s", who, ra->key);
		int is_new;
		size_t *slot = strmap_slot(&map, key, &is_new);
		free(key);
		if (is_new) {
			u = xgrow(u, nu + 1, &alloc, sizeof(*u));
			memset(&u[nu], 0, sizeof(*u));
			u[nu].custodian = xstrdup(ac->custodian_id);
			u[nu].account = ac->custodian_id ? NULL : xstrdup(ac->account);
			u[nu].app = xstrdup(ra->key);
			u[nu].first_ts = LLONG_MAX;
			*slot = nu++;
		}
		struct unapproved *x = u ? &u[*slot] : NULL;
		if (!x)
			continue;       /* cannot happen: for the analyzer */
		if (ac->first_ts < x->first_ts)
			x->first_ts = ac->first_ts;
		ev_push(&x->ev, &x->nev, FINDINGS_MAX_EVIDENCE, ac->first_ev.ts,
			ac->first_ev.input_id, ac->first_ev.line);
	}
	/* 2. on devices of the custodian, from the inventory */
	struct stmt *s = stmt_prepare(a->st,
		"SELECT device, app, ts, input_id, line FROM an_devapp ORDER BY device, app, ts");
	if (!s)
		rc = -1;
	while (!rc && stmt_step(s) == 1) {
		const struct device *d = dev_get(a, stmt_text(s, 0));
		const struct rule_app *ra = rules_app(a->r, stmt_text(s, 1));
		if (!ra || ra->cls != APP_RESTRICTED || !d || !d->custodian_id)
			continue;
		char *key = xasprintf("%s\x1f%s", d->custodian_id, ra->key);
		int is_new;
		size_t *slot = strmap_slot(&map, key, &is_new);
		free(key);
		if (is_new) {
			u = xgrow(u, nu + 1, &alloc, sizeof(*u));
			memset(&u[nu], 0, sizeof(*u));
			u[nu].custodian = xstrdup(d->custodian_id);
			u[nu].app = xstrdup(ra->key);
			u[nu].first_ts = LLONG_MAX;
			*slot = nu++;
		}
		struct unapproved *x = u ? &u[*slot] : NULL;
		if (!x)
			continue;       /* cannot happen: for the analyzer */
		if (!stmt_is_null(s, 2) && stmt_int(s, 2) < x->first_ts)
			x->first_ts = stmt_int(s, 2);
		ev_push(&x->ev, &x->nev, FINDINGS_MAX_EVIDENCE, 0, stmt_int(s, 3), stmt_int(s, 4));
	}
	stmt_free(s);
	/* 3. approved when one of the custodian's accounts of the app has
	   approved_on on or before the first use (any date when unknown) */
	struct strmap own = STRMAP_INIT;      /* who|app -> index in best/any */
	long long *bests = xmalloc((a->naccts + 1) * sizeof(*bests));
	size_t *anys = xmalloc((a->naccts + 1) * sizeof(*anys)), nown = 0;
	for (size_t k = 0; k < a->naccts; k++) {
		const struct acct *ac = &a->accts[k];
		char *key = xasprintf("%s\x1f%s", ac->custodian_id ? ac->custodian_id : ac->account,
				      ac->app);
		int is_new;
		size_t *slot = strmap_slot(&own, key, &is_new);
		free(key);
		if (is_new) {
			*slot = nown;
			bests[nown] = NO_DAY;
			anys[nown++] = k;
		}
		if (ac->approved_day != NO_DAY &&
		    (bests[*slot] == NO_DAY || ac->approved_day < bests[*slot]))
			bests[*slot] = ac->approved_day;
	}
	for (size_t i = 0; !rc && i < nu; i++) {
		struct unapproved *x = &u[i];
		char *okey = xasprintf("%s\x1f%s", x->custodian ? x->custodian : x->account, x->app);
		const size_t *slot = strmap_get(&own, okey);
		free(okey);
		long long best = slot ? bests[*slot] : NO_DAY;
		const struct acct *any = slot ? &a->accts[anys[*slot]] : NULL;
		long long first_day = x->first_ts == LLONG_MAX ? LLONG_MAX : time_day(x->first_ts);
		if (best != NO_DAY && (first_day == LLONG_MAX || best <= first_day))
			continue;
		const struct acct *ca = x->custodian ? custodian_acct(a, x->custodian) : NULL;
		struct finding_who w = { ca ? ca->office : any ? any->office : NULL, x->custodian,
				 x->account, x->app, NULL };
		struct finding_acc f;
		char *key = xasprintf("%s|%s", x->custodian ? x->custodian : x->account, x->app);
		rc = finding_begin(&a->w, &f, FT_UNAPPROVED_APP, FC_POLICY, key, &w);
		free(key);
		if (rc)
			break;
		if (x->first_ts != LLONG_MAX)
			finding_time(&f, x->first_ts);
		for (size_t k = 0; !rc && k < x->nev; k++)
			rc = finding_evidence(&a->w, &f, x->ev[k].input_id, x->ev[k].line);
		if (!rc && any && any->known)
			rc = finding_evidence(&a->w, &f, any->input_id, any->line);
		char d1[TIME_DATE_LEN], ap[TIME_DATE_LEN];
		fmt_day(x->first_ts, d1);
		const char *name = ca && ca->custodian_name ? ca->custodian_name :
				   x->custodian ? x->custodian : x->account;
		char *detail;
		if (best == NO_DAY) {
			detail = xasprintf("%s uses %s, a restricted app, since %s without an approval.",
					   name, x->app, d1);
		} else {
			time_fmt_date(best, ap);
			detail = xasprintf("%s uses %s, a restricted app, since %s but its use was"
					   " approved only on %s.", name, x->app, d1, ap);
		}
		if (!rc)
			rc = finding_end(&a->w, &f, detail);
		free(detail);
	}
	for (size_t i = 0; i < nu; i++) {
		free(u[i].custodian);
		free(u[i].app);
		free(u[i].account);
		free(u[i].ev);
	}
	free(u);
	strmap_clear(&map);
	strmap_clear(&own);
	free(bests);
	free(anys);
	return rc;
}

/* ---- runs ---- */

static int open_run(struct an *a, const struct analyze_opts *o)
{
	struct stmt *s = stmt_prepare(a->st, "SELECT run_id FROM runs WHERE as_of = ?1");
	int rc;

	if (!s)
		return -1;
	stmt_bind_text(s, 1, a->sum->as_of);
	rc = stmt_step(s);
	if (rc == 1)
		a->run_id = stmt_int(s, 0);
	stmt_free(s);
	if (rc < 0)
		return -1;
	if (rc == 1) {
		if (findings_clear_run(a->st, a->run_id))
			return -1;
	} else {
		s = stmt_prepare(a->st, "INSERT INTO runs (as_of) VALUES (?1)");
		if (!s)
			return -1;
		stmt_bind_text(s, 1, a->sum->as_of);
		rc = stmt_step(s);
		stmt_free(s);
		if (rc < 0)
			return -1;
		a->run_id = store_last_rowid(a->st);
	}
	a->sum->run_id = a->run_id;
	(void)o;
	return 0;
}

static int close_run(struct an *a, const struct analyze_opts *o)
{
	struct stmt *s = stmt_prepare(a->st,
		"UPDATE runs SET quarter = ?2, rules_dir = ?3, rules_sha256 = ?4, copies = ?5,"
		" excluded = ?6, gave_up = ?7 WHERE run_id = ?1");
	int rc;

	if (!s)
		return -1;
	stmt_bind_int(s, 1, a->run_id);
	stmt_bind_text(s, 2, a->sum->quarter);
	stmt_bind_text(s, 3, o->rules_dir ? o->rules_dir : a->r->dir);
	stmt_bind_text(s, 4, a->r->sha256);
	stmt_bind_int(s, 5, (long long)a->sum->copies);
	stmt_bind_int(s, 6, (long long)a->sum->excluded);
	stmt_bind_int(s, 7, (long long)a->sum->gave_up);
	rc = stmt_step(s);
	stmt_free(s);
	/* the packs as analyze read them: the Rules sheet prints these */
	for (size_t i = 0; rc >= 0 && i < a->r->npacks; i++) {
		const struct rule_pack *p = &a->r->packs[i];
		rc = findings_store_rule_pack(a->st, a->run_id, p->file, p->sha256, p->text, p->len);
	}
	return rc < 0 ? -1 : 0;
}

static int resolve_as_of(struct an *a, const struct analyze_opts *o)
{
	struct analyze_summary *sum = a->sum;
	long long d;

	if (o->as_of) {
		if (time_parse_date(o->as_of, &d))
			return diag_error(NULL, "bad date '%s' for --as-of (expected YYYY-MM-DD)",
					  o->as_of);
	} else if (o->quarter) {
		char end[TIME_DATE_LEN];
		if (quarter_end(o->quarter, end))
			return diag_error(NULL, "bad quarter '%s' (expected YYYYQn)", o->quarter);
		time_parse_date(end, &d);
	} else {
		long long max = 0;
		if (store_query_int(a->st, "SELECT coalesce(max(ts), 0) FROM usage", &max))
			return -1;
		d = time_day(max);
	}
	if (o->quarter) {
		char end[TIME_DATE_LEN];
		if (quarter_end(o->quarter, end))
			return diag_error(NULL, "bad quarter '%s' (expected YYYYQn)", o->quarter);
		snprintf(sum->quarter, sizeof(sum->quarter), "%s", o->quarter);
	} else {
		int y;
		unsigned m, dd;
		time_civil_from_days(d, &y, &m, &dd);
		snprintf(sum->quarter, sizeof(sum->quarter), "%04dQ%c", (y < 0 ? 0 : y) % 10000,
			 (char)('0' + (m + 2) / 3));
	}
	a->asof_day = d;
	a->cutoff = (d + 1) * DAY;      /* as_of covers its whole day, UTC */
	time_fmt_date(d, sum->as_of);
	return 0;
}

static void an_release(struct an *a)
{
	for (size_t i = 0; i < a->naccts; i++) {
		struct acct *ac = &a->accts[i];
		free(ac->account);
		free(ac->app);
		free(ac->custodian_id);
		free(ac->custodian_name);
		free(ac->office);
		free(ac->deleted);
		free(ac->timers);
		free(ac->purge_ev);
		hashmap_clear(&ac->purge_convs);
		hashmap_clear(&ac->store_convs);
	}
	free(a->accts);
	for (size_t i = 0; i < a->ndevs; i++) {
		free(a->devs[i].device_id);
		free(a->devs[i].custodian_id);
		free(a->devs[i].status);
	}
	free(a->devs);
	strmap_clear(&a->acct_map);
	strmap_clear(&a->dev_map);
	strmap_clear(&a->custodian_office);
	sidx_free(&a->sidx);
	for (size_t i = 0; i < a->napps; i++) {
		free(a->apps[i]);
		secmap_clear(&a->secs[i]);
	}
	free(a->apps);
	free(a->secs);
	findings_writer_close(&a->w);
	for (size_t i = 0; i < a->npols; i++)
		free(a->pols[i].app);
	free(a->pols);
	free(a->shorts);
	free(a->peer_cache_h);
	free(a->peer_cache_m);
	free(a->conv_cache_h);
	free(a->conv_cache_m);
}

static const char *const temp_tables[] = {
	"DROP TABLE IF EXISTS temp.an_cand", "DROP TABLE IF EXISTS temp.an_del",
	"DROP TABLE IF EXISTS temp.an_fwd", "DROP TABLE IF EXISTS temp.an_exp",
	"DROP TABLE IF EXISTS temp.an_gap",
	"DROP TABLE IF EXISTS temp.an_devapp", "DROP TABLE IF EXISTS temp.an_alive",
	"CREATE TEMP TABLE an_cand (account TEXT, mid TEXT, ts INTEGER, device TEXT,"
	" conv TEXT, app TEXT, input_id INTEGER, line INTEGER, store_day INTEGER, dir INTEGER,"
	" store_kept INTEGER)",
	"CREATE TEMP TABLE an_del (account TEXT, mid TEXT, ts INTEGER, input_id INTEGER,"
	" line INTEGER, kind INTEGER)",
	"CREATE TEMP TABLE an_alive (mid TEXT, account TEXT)",
	"CREATE TEMP TABLE an_fwd (mid TEXT, ts INTEGER, input_id INTEGER, line INTEGER)",
	"CREATE TEMP TABLE an_exp (conv TEXT, ts INTEGER, input_id INTEGER, line INTEGER)",
	"CREATE TEMP TABLE an_gap (app TEXT, ts INTEGER, account TEXT, mid TEXT, conv TEXT,"
	" input_id INTEGER, line INTEGER)",
	"CREATE TEMP TABLE an_devapp (device TEXT, app TEXT, ts INTEGER, ts2 INTEGER,"
	" input_id INTEGER, line INTEGER)",
	NULL
};

/* UDAUDIT_TIMING=1 prints the time of each phase on stderr (make bench). */
static void phase(const char *name)
{
	static struct timespec last;
	struct timespec now;
	static int on = -1;

	if (on < 0)
		on = getenv("UDAUDIT_TIMING") != NULL;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (on && name)
		fprintf(stderr, "udaudit: analyze: %-22s %7.2f s\n", name,
			(double)(now.tv_sec - last.tv_sec) + (double)(now.tv_nsec - last.tv_nsec) / 1e9);
	last = now;
}

int analyze_run(struct store *st, const struct rules *r, const struct analyze_opts *o,
		struct analyze_summary *sum)
{
	struct an a;
	struct reader *rd = NULL;
	int rc = -1;

	memset(sum, 0, sizeof(*sum));
	memset(&a, 0, sizeof(a));
	a.st = st;
	a.r = r;
	a.sum = sum;
	if (resolve_as_of(&a, o))
		return -1;
	unsigned long gave_up0 = rules_gave_up(r);
	a.peer_cache_h = xcalloc(EXCL_CACHE, sizeof(uint64_t));
	a.peer_cache_m = xcalloc(EXCL_CACHE, sizeof(uint64_t));
	a.conv_cache_h = xcalloc(EXCL_CACHE, sizeof(uint64_t));
	a.conv_cache_m = xcalloc(EXCL_CACHE, sizeof(uint64_t));
	for (size_t i = 0; i < r->nexcl; i++)
		for (int f = 0; f < EX_FIELDS; f++)
			if (r->excl[i].npat[f])
				a.excl_uses[f] = 1;
	/* Deferred: the scans only read the audit database (and write temp
	   tables), so the reader thread's connection can share it; the first
	   write to it comes after the reader has closed. */
	/* every evidence and finding_copies row is written right after its
	   finding (acc_start), and open_run deletes children explicitly: the
	   per-row foreign-key lookups would only cost (spec 8). Back on below. */
	if (store_exec(st, "PRAGMA foreign_keys = OFF") || store_exec(st, "BEGIN"))
		goto out;
	for (int i = 0; temp_tables[i]; i++)
		if (store_exec(st, temp_tables[i]))
			goto fail;
	phase(NULL);
	if (an_load_accounts(&a) || an_load_devices(&a) || load_policies(&a))
		goto fail;
	struct rs_query scans[2] = {
		{ "SELECT message_id, app, account, conversation_id, sent_ts, captured_ts,"
		  " purged_ts, input_id, line FROM store_messages ORDER BY rowid", "HTHTIIIII", 0, 0 },
		{ "SELECT input_id, line, ts, event, app, account, device_id, message_id,"
		  " conversation_id, peer, ttl FROM usage WHERE ts < ?1", "IIITTHTHHTI",
		  a.cutoff, 1 },
	};
	rd = reader_start(st, scans, 2);
	phase("setup");
	if (store_pass(&a, rd, &scans[0]))
		goto fail;
	phase("store scan");
	if (usage_pass(&a, rd, &scans[1]))
		goto fail;
	reader_finish(rd);
	rd = NULL;
	phase("usage scan");
	if (open_run(&a, o) || findings_writer_open(&a.w, st, a.run_id) || early_purge(&a) || retention_shortfall(&a))
		goto fail;
	phase("store findings");
	if (message_findings(&a))
		goto fail;
	phase("message findings");
	if (outages(&a) || ephemeral(&a) || app_findings(&a) || unapproved(&a))
		goto fail;
	phase("other findings");
	sum->gave_up = rules_gave_up(r) - gave_up0;
	sum->findings = a.w.findings;
	memcpy(sum->count, a.w.count, sizeof(sum->count));
	memcpy(sum->messages, a.w.messages, sizeof(sum->messages));
	if (close_run(&a, o))
		goto fail;
	findings_writer_close(&a.w);
	for (int i = 0; i < 7; i++)
		store_exec(st, temp_tables[i]);
	if (store_commit(st))
		goto fail;
	phase("commit");
	rc = 0;
	goto out;
fail:
	reader_finish(rd);
	rd = NULL;
	store_rollback(st);
	diag_error(NULL, "analysis failed; the findings are unchanged");
out:
	store_exec(st, "PRAGMA foreign_keys = ON");
	an_release(&a);
	return rc;
}

void analyze_print_summary(const struct analyze_summary *sum)
{
	printf("analysis as of %s (%s): %lu events, %lu message copies judged, %lu left out"
	       " (exclusions, transitory apps); %lu findings\n", sum->as_of, sum->quarter,
	       sum->events, sum->copies, sum->excluded, sum->findings);
	for (int c = FC_COUNT - 1; c >= 0; c--) {
		unsigned long n = 0;
		for (int t = 0; t < FT_COUNT; t++)
			n += sum->count[t][c];
		if (!n)
			continue;
		printf("  %-10s %6lu finding%s\n", finding_class_names[c], n, n == 1 ? "" : "s");
		for (int t = 0; t < FT_COUNT; t++)
			if (sum->count[t][c])
				printf("    %-20s %6lu  (%llu messages)\n", finding_type_names[t],
				       sum->count[t][c], sum->messages[t][c]);
	}
	if (sum->gave_up)
		diag_warn(NULL, "patterns gave up on %lu matches (match, depth or heap limit);"
			  " those values counted as not matching", sum->gave_up);
}

/* The highest class with findings, or -1 (for --fail-on). */
int analyze_worst_class(const struct analyze_summary *sum)
{
	for (int c = FC_COUNT - 1; c >= 0; c--)
		for (int t = 0; t < FT_COUNT; t++)
			if (sum->count[t][c])
				return c;
	return -1;
}
