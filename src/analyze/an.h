/* an.h: what the files of the analysis share (private to src/analyze/).
 *   analyze.c       orchestration: as_of, the run, accounts and devices,
 *                   the order of the passes, the summary
 *   tables.c        the compact store index, the per-app seconds maps and
 *                   the key filters
 *   reader.c        the reader thread and the row sources of the two scans
 *   store_detect.c  the store pass: the index, EARLY_PURGE, RETENTION_SHORTFALL
 *   usage.c         the usage pass: copies settled on the spot or kept as
 *                   candidates, with the loss, forward and export events
 *   messages.c      the message findings: spec 4.1 precedence and the facts
 *                   of every copy
 *   other.c         CAPTURE_OUTAGE, EPHEMERAL_ENABLED, PROHIBITED_APP,
 *                   UNAPPROVED_APP
 *   evidence.c      what each evidence row records, written with it
 * Times are Unix seconds UTC; "days" are days since 1970. */
#ifndef UDAUDIT_AN_H
#define UDAUDIT_AN_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "analyze.h"
#include "crosscheck.h"
#include "findings.h"
#include "hashmap.h"
#include "rules.h"
#include "store.h"
#include "timeutil.h"
#include "timing.h"

#define DAY 86400LL
#define NO_DAY LLONG_MIN

/* The compact index of the compliance store: message_id -> capture day
 * (SIDX_LATER: captured after as_of). Open addressing, 12 bytes a slot:
 * the home slot from the low bits of the 64-bit hash, 32 other bits of it
 * as a fingerprint, and the message_id itself in an arena (4-byte aligned,
 * NUL-ended), compared on every fingerprint match: two ids are never
 * merged on a hash collision. It is also the set of message_ids seen: the
 * first row of a message_id (by rowid, the load order) is the one judged. */
#define SIDX_LATER INT32_MAX
struct sidx_slot {
	uint32_t fp;                    /* hash >> 32 */
	int32_t day;
	uint32_t ref;                   /* arena offset / 4 + 1; 0: empty */
};

struct store_index {
	struct sidx_slot *s;
	size_t n, cap;
	char *arena;                    /* the message_ids */
	size_t alen, aalloc;
};

void sidx_free(struct store_index *x);
void sidx_init(struct store_index *x, size_t cap);
int sidx_put(struct store_index *x, uint64_t key, const char *mid, int32_t day);
int32_t sidx_value(long long captured, long long purged, int has_purged, long long cutoff);

static inline void sidx_prefetch(const struct store_index *x, uint64_t key)
{
	if (key && x->cap)
		__builtin_prefetch(&x->s[key & (x->cap - 1)]);
}

/* The slot of mid (key: its an_key_hash), or NULL. */
static inline const struct sidx_slot *sidx_find(const struct store_index *x, uint64_t key,
						const char *mid)
{
	if (!x->cap)
		return NULL;
	uint32_t fp = (uint32_t)(key >> 32);
	size_t i = (size_t)(key & (x->cap - 1));
	for (; x->s[i].ref; i = (i + 1) & (x->cap - 1))
		if (x->s[i].fp == fp && !strcmp(x->arena + ((size_t)x->s[i].ref - 1) * 4, mid))
			return &x->s[i];
	return NULL;
}

/* The capture day of mid, NO_DAY when the store lacks it (or captured it
   after as_of); *purged (when asked): that row was purged by as_of. */
static inline long long sidx_get(const struct store_index *x, uint64_t key, const char *mid,
				 int *purged)
{
	const struct sidx_slot *s = sidx_find(x, key, mid);
	if (purged)
		*purged = 0;
	if (!s || s->day == SIDX_LATER)
		return NO_DAY;
	if (purged)
		*purged = s->day & 1;
	return s->day >> 1;
}

/* The hash of the message ids the index is keyed by ('K' columns):
 * hash_str64, or a test's (analyze_test_key_hash). */
extern uint64_t (*an_key_hash)(const char *);

/* Seconds with a retained archiver copy, per app: day -> 86400-bit chunk,
 * allocated on demand (memory follows the time span, not the events). */
#define CHUNK_WORDS ((86400 + 63) / 64)
struct secmap {
	struct hashmap chunks;          /* day -> uint64_t[CHUNK_WORDS] */
};

void secmap_set(struct secmap *m, long long ts);
int secmap_any(struct secmap *m, long long a, long long b);
void secmap_clear(struct secmap *m);

/* ---- accounts, devices ---- */

enum capture { CAP_UNKNOWN, CAP_ARCHIVER, CAP_MANUAL, CAP_NONE };

/* What an input row records for its evidence rows (findings.h), as the
 * pass that read it saw it: a usage line's events (every row of the line,
 * in load order, distinct, comma-separated), its least message_id and its
 * least time; a store row's. event NULL: a row of neither table (devices,
 * accounts, device_apps, policies: evidence.c looks those up). Borrowed:
 * event from an_event_name or static, mid from the row. */
struct line_facts {
	const char *event, *mid;
	long long ts;
};

/* Which table a line was read from (evidence.c: its facts hold unless a
   table before it in this order has the line too); a retention policy
   records only that it is one (its line may be a store message's too: the
   compliance store's tables number their rows each from 1). */
enum ev_src { EVS_USAGE, EVS_STORE, EVS_OTHER, EVS_POLICY };

struct ev_ref {
	long long ts, input_id, line;
	const char *event;              /* an_event_name's or static */
	char *mid;                      /* owned */
	long long fts;
	enum ev_src src;
};

struct acct {
	char *account, *app, *custodian_id, *custodian_name, *office;
	enum role_kind role;
	enum capture capture;
	long long approved_day, closed_day;     /* NO_DAY when empty */
	long long input_id, line;               /* accounts.csv row; 0 = unknown */
	int known;
	/* from the usage scan */
	/* its rows for the cross-file checks (their lookup of the account is
	   this struct's): beside first_ts, in the cache line up_account reads
	   (at the end of the struct it cost a cache miss a row) */
	struct crosscheck_acct cc;
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
	struct strmap store_convs;              /* its conversations (exact) */
	unsigned long purged;
	long long purge_first, purge_last;
	struct strmap purge_convs;              /* of the purged rows (exact) */
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

/* ---- the inputs' lines (evidence.c) ---- */

/* The tables an input has rows in, and whether its rows came in line
 * order (each usage line's rows side by side, each store line once): then
 * the passes know each line's facts exactly. */
enum { IN_USAGE = 1, IN_STORE = 2, IN_DEVICES = 4, IN_DEVICE_EVENTS = 8, IN_ACCOUNTS = 16,
       IN_DEVICE_APPS = 32 };
struct in_state {
	long long input_id;
	unsigned mask, disorder;        /* IN_* */
	long long usage_line, store_line;       /* the last seen */
};

/* The facts of the small tables' lines (devices, device_events, accounts,
   device_apps). */
struct small_fact {
	long long input_id, line;
	const char *event;              /* an_event_name's */
	char *day;
};

/* A set of 64-bit hashes that only ever answers "no" for sure: a key not
 * in it was never added; a key in it may have been (the caller then looks
 * the value itself up). A Bloom filter of two probes in 2^26 bits (8 MB,
 * allocated on the first key): about 1 answer in 1000 is a wrong "maybe"
 * at a million keys, 1 in 70 at four million. */
#define FILTER_BITS 26
struct key_filter {
	uint64_t *bits;
};

static inline uint64_t filter_probe(uint64_t key, int i)
{
	uint64_t h = i ? hash_mix64(key) : key;
	return h & ((1ULL << FILTER_BITS) - 1);
}

void filter_add(struct key_filter *f, uint64_t key);

static inline int filter_may(const struct key_filter *f, uint64_t key)
{
	if (!f->bits)
		return 0;
	for (int i = 0; i < 2; i++) {
		uint64_t b = filter_probe(key, i);
		if (!(f->bits[b / 64] & (1ULL << (b % 64))))
			return 0;
	}
	return 1;
}

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
	struct crosscheck *cc;                  /* analyze_opts' */
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
	/* exclusion caches of peers [0] and conversations [1]: direct-mapped,
	   bounded, EXCL_CACHE slots each */
	struct excl_slot *excl_cache[2];
	int excl_uses[EX_FIELDS];               /* some exclusion has a pattern for it */
	struct policy *pols;
	size_t npols;
	struct short_pair *shorts;
	size_t nshort, shorts_alloc;
	/* evidence.c */
	struct in_state *ins;
	size_t nins, ins_alloc;
	struct hashmap in_map;                  /* input_id -> index in ins */
	struct small_fact *smalls;
	size_t nsmalls, smalls_alloc;
	struct hashmap small_map;               /* an_line_key -> index in smalls */
	struct strmap ev_names;                 /* interned event texts */
	char **ev_name;
	size_t nev_names, ev_names_alloc;
	struct hashmap fallback;                /* inputs whose facts SQL resolves */
	int all_by_sql;                         /* tests: every fact by SQL (evidence.c) */
	/* the hashes of the forwarded messages (an_key_hash) and of the
	   exported conversations (hash_str64): a copy whose hash is not there
	   has none (the lookup would find nothing) */
	struct key_filter fwd_keys, exp_keys;
};

#define EXCL_CACHE 65536
/* A cached exclusion mask: the value itself is kept and compared, so two
   values whose hashes are equal never share a mask. */
struct excl_slot {
	uint64_t h, mask;
	char *value;                    /* NULL: empty */
};


/* ---- helpers (analyze.c) ---- */

struct acct *acct_get_h(struct an *a, const char *account, uint64_t h, const char *app);
struct acct *acct_get(struct an *a, const char *account, const char *app);
struct secmap *app_secs(struct an *a, const char *app);
size_t app_index(struct an *a, const char *app);
long long day_of(const char *date);
const struct device *dev_get(const struct an *a, const char *id);
void ev_push(struct ev_ref **arr, size_t *n, size_t cap, long long ts,
	     long long input_id, long long line, enum ev_src src, const struct line_facts *lf);
void ev_set(struct ev_ref *e, long long ts, long long input_id, long long line,
	    enum ev_src src, const struct line_facts *lf);
void ev_free(struct ev_ref *arr, size_t n);
int step_done(struct stmt *s);
void fmt_day(long long ts, char out[TIME_DATE_LEN]);
const char *plural(unsigned long long n, const char *one, const char *many);

/* ---- the row sources of the two scans (reader.c) ---- */

#define RS_ROWS 4096
#define RS_QUEUE 4
#define RS_MAXCOL 12

struct rs_query {
	const char *sql;
	const char *types;              /* one letter a column: 'T' text, 'I' integer,
					 * 'H' text and its hash_str64 (0 for NULL),
					 * 'K' text and its an_key_hash (0 for NULL) */
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

struct reader;

struct rowsrc {
	const char *types;
	size_t ncol;
	struct stmt *s;                 /* direct mode */
	struct reader *rd;              /* threaded mode */
	struct rs_batch *b;
	size_t i;
	int done;
};

struct reader *reader_start(struct store *st, const struct rs_query *q, int nq);
void reader_finish(struct reader *rd);
int rs_open(struct rowsrc *r, struct an *a, struct reader *rd, const struct rs_query *q);
int rs_step(struct rowsrc *r);
void rs_close(struct rowsrc *r);

static inline const char *rs_text(const struct rowsrc *r, int col)
{
	if (r->s)
		return stmt_text(r->s, col);
	uint32_t o = r->b->sofs[r->i * r->ncol + (size_t)col];
	return o ? r->b->strs + o - 1 : NULL;
}

static inline long long rs_int(const struct rowsrc *r, int col)
{
	if (r->s)
		return stmt_int(r->s, col);
	return r->b->ival[r->i * r->ncol + (size_t)col];
}

/* The hash of an 'H' or 'K' column (0 for NULL). */
static inline uint64_t rs_hash(const struct rowsrc *r, int col)
{
	if (r->s) {
		const char *v = stmt_text(r->s, col);
		return !v ? 0 : r->types[col] == 'K' ? an_key_hash(v) : hash_str64(v);
	}
	return (uint64_t)r->b->ival[r->i * r->ncol + (size_t)col];
}

/* The hash of an 'H' column `ahead` rows on, when already read (0 if not):
 * the index slot it will probe can be fetched into the cache meanwhile. */
static inline uint64_t rs_hash_ahead(const struct rowsrc *r, int col, size_t ahead)
{
	if (r->s || !r->b || r->i + ahead >= r->b->n)
		return 0;
	return (uint64_t)r->b->ival[(r->i + ahead) * r->ncol + (size_t)col];
}

#define PREFETCH_AHEAD 8

/* Fetch the text of a column `ahead` rows on into the cache, when read
 * (written by the reader thread, it is in the other core's cache). */
static inline void rs_text_prefetch(const struct rowsrc *r, int col, size_t ahead)
{
	if (r->s || !r->b || r->i + ahead >= r->b->n)
		return;
	uint32_t o = r->b->sofs[(r->i + ahead) * r->ncol + (size_t)col];
	if (o)
		__builtin_prefetch(r->b->strs + o - 1);
}

/* 1 when the next row is read and differs from this one in its first two
   (integer) columns; 0 when it is the same or not known yet. */
static inline int rs_next_differs(const struct rowsrc *r)
{
	if (r->s || !r->b || r->i + 1 >= r->b->n)
		return 0;
	const long long *c = &r->b->ival[r->i * r->ncol];
	return c[0] != c[r->ncol] || c[1] != c[r->ncol + 1];
}

static inline int rs_is_null(const struct rowsrc *r, int col)
{
	if (r->s)
		return stmt_is_null(r->s, col);
	size_t k = r->i * r->ncol + (size_t)col;
	return r->types[col] != 'I' ? r->b->sofs[k] == 0 : r->b->null[k];
}


/* ---- the passes and detectors ---- */

int store_pass(struct an *a, struct reader *rd, const struct rs_query *q);
int early_purge(struct an *a);
int load_policies(struct an *a);
int retention_shortfall(struct an *a);
int usage_pass(struct an *a, struct reader *rd, const struct rs_query *q);
int message_findings(struct an *a);
int outages(struct an *a);
int ephemeral(struct an *a);
int app_findings(struct an *a);
int unapproved(struct an *a);
/* evidence.c: the facts of evidence rows. */
struct in_state *in_get(struct an *a, long long input_id);
const char *an_event_name(struct an *a, const char *text);
int small_facts_load(struct an *a);
/* An evidence row of f for the line (input_id, line) read from src, with
   lf: its facts (NULL for EVS_OTHER: looked up). */
int an_evidence(struct an *a, struct finding_acc *f, long long input_id, long long line,
		enum ev_src src, const struct line_facts *lf);
static inline int an_evidence_ref(struct an *a, struct finding_acc *f, const struct ev_ref *e)
{
	struct line_facts lf = { e->event, e->mid, e->fts };
	return an_evidence(a, f, e->input_id, e->line, e->src, &lf);
}
/* After the findings: the facts of the lines the passes could not know
   exactly (an input out of line order, a line in two tables), by SQL. */
int evidence_fallback(struct an *a);
void evidence_release(struct an *a);

#endif
