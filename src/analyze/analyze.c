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
#include "hash.h"
#include "records.h"
#include "rules.h"
#include "store.h"
#include "strbuf.h"
#include "timeutil.h"
#include "xalloc.h"

const char *const finding_type_names[FT_COUNT] = {
	"UNCAPTURED_DELETION", "DEVICE_LOSS", "ACCOUNT_DELETION", "CAPTURE_GAP",
	"NOT_FORWARDED", "LATE_FORWARD", "EARLY_PURGE", "RETENTION_SHORTFALL",
	"CAPTURE_OUTAGE", "EPHEMERAL_ENABLED", "PROHIBITED_APP", "UNAPPROVED_APP",
};
const char *const finding_class_names[FC_COUNT] = {
	"policy", "threatened", "impending", "actual"
};

int finding_class_from_name(const char *name)
{
	for (int i = 0; i < FC_COUNT; i++)
		if (!strcmp(name, finding_class_names[i]))
			return i;
	return -1;
}

const char *finding_severity(enum finding_class c)
{
	return c >= FC_IMPENDING ? "high" : c == FC_THREATENED ? "medium" : "low";
}

#define DAY 86400LL
#define NO_DAY LLONG_MIN

/* ---- small hash containers ---- */

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;          /* FNV-1a 64 */
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	h ^= h >> 33;                                   /* murmur3 finalizer */
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h ? h : 1;                               /* 0 marks an empty slot */
}

static uint64_t mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x ? x : 1;
}

/* A set of nonzero 64-bit keys. */
struct u64set {
	uint64_t *k;
	size_t n, cap;
};

static int u64set_add(struct u64set *s, uint64_t key)    /* 1 when new */
{
	if ((s->n + 1) * 4 > s->cap * 3) {
		struct u64set big = { xcalloc(s->cap ? s->cap * 2 : 16, sizeof(uint64_t)), 0,
				      s->cap ? s->cap * 2 : 16 };
		for (size_t i = 0; i < s->cap; i++)
			if (s->k[i])
				u64set_add(&big, s->k[i]);
		free(s->k);
		*s = big;
	}
	size_t i = (size_t)(mix64(key) & (s->cap - 1));
	while (s->k[i]) {
		if (s->k[i] == key)
			return 0;
		i = (i + 1) & (s->cap - 1);
	}
	s->k[i] = key;
	s->n++;
	return 1;
}

static void u64set_clear(struct u64set *s)
{
	free(s->k);
	memset(s, 0, sizeof(*s));
}

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

static long long sidx_get(const struct store_index *x, uint64_t key)
{
	if (!x->cap)
		return NO_DAY;
	size_t i = (size_t)(key & (x->cap - 1));
	while (x->s[i].k) {
		if (x->s[i].k == key)
			return x->s[i].day == SIDX_LATER ? NO_DAY : x->s[i].day;
		i = (i + 1) & (x->cap - 1);
	}
	return NO_DAY;
}

/* String-keyed map to an index in a caller's array. */
struct strmap {
	char **key;
	size_t *val;
	uint64_t *hash;                 /* of key: compared before the strings */
	size_t n, cap;
};

static size_t *strmap_slot_h(struct strmap *m, const char *key, uint64_t h, int *is_new)
{
	if ((m->n + 1) * 4 > m->cap * 3) {
		struct strmap big = { NULL, NULL, NULL, 0, m->cap ? m->cap * 2 : 64 };
		big.key = xcalloc(big.cap, sizeof(char *));
		big.val = xcalloc(big.cap, sizeof(size_t));
		big.hash = xcalloc(big.cap, sizeof(uint64_t));
		for (size_t i = 0; i < m->cap; i++) {
			if (!m->key[i])
				continue;
			size_t j = (size_t)(m->hash[i] & (big.cap - 1));
			while (big.key[j])
				j = (j + 1) & (big.cap - 1);
			big.key[j] = m->key[i];
			big.val[j] = m->val[i];
			big.hash[j] = m->hash[i];
			big.n++;
		}
		free(m->key);
		free(m->val);
		free(m->hash);
		*m = big;
	}
	size_t i = (size_t)(h & (m->cap - 1));
	while (m->key[i]) {
		if (m->hash[i] == h && !strcmp(m->key[i], key)) {
			*is_new = 0;
			return &m->val[i];
		}
		i = (i + 1) & (m->cap - 1);
	}
	m->key[i] = xstrdup(key);
	m->hash[i] = h;
	m->n++;
	*is_new = 1;
	return &m->val[i];
}

static size_t *strmap_slot(struct strmap *m, const char *key, int *is_new)
{
	return strmap_slot_h(m, key, hash_str(key), is_new);
}

static const size_t *strmap_get(const struct strmap *m, const char *key)
{
	if (!m->cap || !key)
		return NULL;
	uint64_t h = hash_str(key);
	size_t i = (size_t)(h & (m->cap - 1));
	while (m->key[i]) {
		if (m->hash[i] == h && !strcmp(m->key[i], key))
			return &m->val[i];
		i = (i + 1) & (m->cap - 1);
	}
	return NULL;
}

static void strmap_clear(struct strmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->key[i]);
	free(m->key);
	free(m->val);
	free(m->hash);
	memset(m, 0, sizeof(*m));
}

/* Seconds with a retained archiver copy, per app: day -> 86400-bit chunk,
 * allocated on demand (memory follows the time span, not the events). */
#define CHUNK_WORDS ((86400 + 63) / 64)
struct secmap {
	long long *day;
	uint64_t **bits;
	size_t n, cap;
};

static uint64_t *secmap_chunk(struct secmap *m, long long day, int create)
{
	if (create && (m->n + 1) * 2 > m->cap) {
		struct secmap big = { NULL, NULL, 0, m->cap ? m->cap * 2 : 64 };
		big.day = xmalloc(big.cap * sizeof(long long));
		big.bits = xcalloc(big.cap, sizeof(uint64_t *));
		for (size_t i = 0; i < m->cap; i++) {
			if (!m->bits[i])
				continue;
			size_t j = (size_t)(mix64((uint64_t)m->day[i]) & (big.cap - 1));
			while (big.bits[j])
				j = (j + 1) & (big.cap - 1);
			big.day[j] = m->day[i];
			big.bits[j] = m->bits[i];
			big.n++;
		}
		free(m->day);
		free(m->bits);
		*m = big;
	}
	if (!m->cap)
		return NULL;
	size_t i = (size_t)(mix64((uint64_t)day) & (m->cap - 1));
	while (m->bits[i]) {
		if (m->day[i] == day)
			return m->bits[i];
		i = (i + 1) & (m->cap - 1);
	}
	if (!create)
		return NULL;
	m->day[i] = day;
	m->bits[i] = xcalloc(CHUNK_WORDS, sizeof(uint64_t));
	m->n++;
	return m->bits[i];
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
	for (size_t i = 0; i < m->cap; i++)
		free(m->bits[i]);
	free(m->day);
	free(m->bits);
	memset(m, 0, sizeof(*m));
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
	struct u64set store_convs;
	unsigned long purged;
	long long purge_first, purge_last;
	struct u64set purge_convs;
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

struct evidence_row {
	long long input_id, line;
};

/* One finding being built. */
struct acc {
	int used;
	enum finding_type type;
	enum finding_class cls;
	char id[17];
	unsigned long long count;
	long long first_ts, last_ts;
	struct u64set convs, ev;
	size_t nev;
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
	struct stmt *ins_finding, *upd_finding, *ins_evidence, *ins_copy;
	/* exclusion caches: direct-mapped, bounded */
	uint64_t *peer_cache_h, *peer_cache_m, *conv_cache_h, *conv_cache_m;
	int excl_uses[EX_FIELDS];               /* some exclusion has a pattern for it */
	struct policy *pols;
	size_t npols;
	struct short_pair *shorts;
	size_t nshort, shorts_alloc;
};

#define EXCL_CACHE 65536

/* h: hash_str(account) */
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
	return acct_get_h(a, account, hash_str(account), app);
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

static void make_id(char out[17], enum finding_type t, enum finding_class c, const char *key)
{
	char hex[SHA256_HEX_LEN];
	char *buf = xasprintf("%s|%s|%s", finding_type_names[t], finding_class_names[c], key);
	sha256_mem(buf, strlen(buf), hex);
	memcpy(out, hex, 16);
	out[16] = '\0';
	free(buf);
}

static int prepare_writes(struct an *a)
{
	a->ins_finding = stmt_prepare(a->st,
		"INSERT INTO findings (run_id, finding_id, type, class, severity, office,"
		" custodian_id, account, app, device_id, first_ts, last_ts, message_count,"
		" conversation_count, detail) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,"
		" 0, 0, '')");
	a->upd_finding = stmt_prepare(a->st,
		"UPDATE findings SET first_ts = ?3, last_ts = ?4, message_count = ?5,"
		" conversation_count = ?6, detail = ?7 WHERE run_id = ?1 AND finding_id = ?2");
	a->ins_evidence = stmt_prepare(a->st,
		"INSERT INTO evidence (run_id, finding_id, input_id, line) VALUES (?1,?2,?3,?4)");
	a->ins_copy = stmt_prepare(a->st,
		"INSERT INTO finding_copies (run_id, finding_id, account, message_id, ts,"
		" conversation_id) VALUES (?1,?2,?3,?4,?5,?6)");
	return a->ins_finding && a->upd_finding && a->ins_evidence && a->ins_copy ? 0 : -1;
}

struct who {
	const char *office, *custodian_id, *account, *app, *device_id;
};

static int step_done(struct stmt *s)
{
	int rc = stmt_step(s);
	stmt_reset(s);
	return rc < 0 ? -1 : 0;
}

/* Insert the finding row (counts filled by acc_finish). */
static int acc_start(struct an *a, struct acc *f, enum finding_type t, enum finding_class c,
		     const char *key, const struct who *w)
{
	struct stmt *s = a->ins_finding;

	memset(f, 0, sizeof(*f));
	f->used = 1;
	f->type = t;
	f->cls = c;
	f->first_ts = LLONG_MAX;
	f->last_ts = LLONG_MIN;
	make_id(f->id, t, c, key);
	stmt_bind_int(s, 1, a->run_id);
	stmt_bind_text(s, 2, f->id);
	stmt_bind_text(s, 3, finding_type_names[t]);
	stmt_bind_text(s, 4, finding_class_names[c]);
	stmt_bind_text(s, 5, finding_severity(c));
	stmt_bind_text(s, 6, w->office);
	stmt_bind_text(s, 7, w->custodian_id);
	stmt_bind_text(s, 8, w->account);
	stmt_bind_text(s, 9, w->app);
	stmt_bind_text(s, 10, w->device_id);
	return step_done(s);
}

static int acc_evidence(struct an *a, struct acc *f, long long input_id, long long line)
{
	if (input_id <= 0 || f->nev >= ANALYZE_MAX_EVIDENCE)
		return 0;
	if (!u64set_add(&f->ev, mix64(((uint64_t)input_id << 40) ^ (uint64_t)line)))
		return 0;
	f->nev++;
	stmt_bind_int(a->ins_evidence, 1, a->run_id);
	stmt_bind_text(a->ins_evidence, 2, f->id);
	stmt_bind_int(a->ins_evidence, 3, input_id);
	stmt_bind_int(a->ins_evidence, 4, line);
	return step_done(a->ins_evidence);
}

static void acc_time(struct acc *f, long long ts)
{
	if (ts == LLONG_MAX || ts == LLONG_MIN)
		return;
	if (ts < f->first_ts)
		f->first_ts = ts;
	if (ts > f->last_ts)
		f->last_ts = ts;
}

static void acc_conv(struct acc *f, const char *conv)
{
	if (conv && *conv)
		u64set_add(&f->convs, hash_str(conv));
}

static int acc_finish(struct an *a, struct acc *f, const char *detail)
{
	struct stmt *s = a->upd_finding;
	int rc;

	if (!f->used)
		return 0;
	stmt_bind_int(s, 1, a->run_id);
	stmt_bind_text(s, 2, f->id);
	if (f->first_ts != LLONG_MAX) {
		stmt_bind_int(s, 3, f->first_ts);
		stmt_bind_int(s, 4, f->last_ts);
	}
	stmt_bind_int(s, 5, (long long)f->count);
	stmt_bind_int(s, 6, (long long)f->convs.n);
	stmt_bind_text(s, 7, detail);
	rc = step_done(s);
	a->sum->findings++;
	a->sum->count[f->type][f->cls]++;
	a->sum->messages[f->type][f->cls] += f->count;
	u64set_clear(&f->convs);
	u64set_clear(&f->ev);
	f->used = 0;
	return rc;
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
						b->ival[base + c] = v ? (long long)hash_str(v) : 0;
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
		return v ? hash_str(v) : 0;
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
			      cap < a->cutoff ? (int32_t)time_day(cap) : SIDX_LATER))
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
				u64set_add(&ac->store_convs, hash_str(sconv));
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
					u64set_add(&ac->purge_convs, hash_str(conv));
				ev_push(&ac->purge_ev, &ac->npurge_ev, ANALYZE_MAX_EVIDENCE, sent,
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
		struct acc f;
		char d1[TIME_DATE_LEN], d2[TIME_DATE_LEN], keep[40];
		if (!ac->purged)
			continue;
		struct who w = { ac->office, ac->custodian_id, ac->account, ac->app, NULL };
		if (acc_start(a, &f, FT_EARLY_PURGE, FC_ACTUAL, ac->account, &w))
			return -1;
		f.count = ac->purged;
		acc_time(&f, ac->purge_first);
		acc_time(&f, ac->purge_last);
		f.convs = ac->purge_convs;
		memset(&ac->purge_convs, 0, sizeof(ac->purge_convs));
		for (size_t k = 0; k < ac->npurge_ev; k++)
			if (acc_evidence(a, &f, ac->purge_ev[k].input_id, ac->purge_ev[k].line))
				return -1;
		if (ac->known && acc_evidence(a, &f, ac->input_id, ac->line))
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
		int rc = acc_finish(a, &f, detail);
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
	struct strmap keys = { NULL, NULL, NULL, 0, 0 };
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
		struct u64set convs = { NULL, 0, 0 };
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
			for (size_t c = 0; c < ac->store_convs.cap; c++)
				if (ac->store_convs.k[c])
					u64set_add(&convs, ac->store_convs.k[c]);
		}
		if (!held) {
			u64set_clear(&convs);
			continue;
		}
		struct acc f;
		struct who w = { NULL, NULL, NULL, app, NULL };
		char *key = xasprintf("%s|%s", app, role_names[role]);
		rc = acc_start(a, &f, FT_RETENTION_SHORTFALL, FC_THREATENED, key, &w);
		free(key);
		if (rc) {
			u64set_clear(&convs);
			break;
		}
		f.count = rows;
		f.convs = convs;
		acc_time(&f, first);
		acc_time(&f, last);
		rc = acc_evidence(a, &f, p->input_id, p->line);
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
			rc = acc_finish(a, &f, detail);
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

/* conv_h: hash_str(conv), or 0 to compute it here */
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
		uint64_t h = hv[i] ? hv[i] : hash_str(v[i]);
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
		" store_day) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)");
	struct stmt *ins_del = stmt_prepare(a->st,
		"INSERT INTO temp.an_del (account, mid, ts, input_id, line) VALUES (?1,?2,?3,?4,?5)");
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
			long long sd = sidx_get(&a->sidx, rs_hash(&src, 7));
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
			if (step_done(ins_cand))
				goto fail;
			break;
		}
		case EV_DELETED:
		case EV_EXPIRED:
		case EV_BURNED:
			/* a deletion matters only for a message the store lacks */
			if (sidx_get(&a->sidx, rs_hash(&src, 7)) != NO_DAY)
				break;
			stmt_bind_text_borrowed(ins_del, 1, account, -1);
			stmt_bind_text_borrowed(ins_del, 2, mid, -1);
			stmt_bind_int(ins_del, 3, ts);
			stmt_bind_int(ins_del, 4, input_id);
			stmt_bind_int(ins_del, 5, line);
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
	struct acc f[ROW_COUNT];
	long long loss_first[ROW_COUNT], loss_last[ROW_COUNT];  /* loss events */
	long long retained_max_days[ROW_COUNT];
};

static char *msg_detail(const struct an *a, const struct group *g, int row, const struct acc *f)
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
		if (acc_finish(a, &g->f[row], detail))
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

static int add_copy(struct an *a, struct group *g, int row, const char *mid, long long ts,
		    const char *conv, long long input_id, long long line)
{
	struct acc *f = &g->f[row];
	struct stmt *s = a->ins_copy;

	if (!f->used) {
		const struct acct *ac = g->ac;
		char *key = xasprintf("%s|%s", g->account, g->device ? g->device : "");
		struct who w = { ac->office, ac->custodian_id, ac->account, ac->app,
				 g->device && *g->device ? g->device : NULL };
		int rc = acc_start(a, f, row_type[row], row_class[row], key, &w);
		free(key);
		g->loss_first[row] = LLONG_MAX;
		g->loss_last[row] = LLONG_MIN;
		g->retained_max_days[row] = 0;
		if (rc)
			return -1;
		if (ac->known && row >= ROW_CLOSED && acc_evidence(a, f, ac->input_id, ac->line))
			return -1;
	}
	f->count++;
	acc_time(f, ts);
	acc_conv(f, conv);
	stmt_bind_int(s, 1, a->run_id);
	stmt_bind_text(s, 2, f->id);
	stmt_bind_text(s, 3, g->account);
	stmt_bind_text(s, 4, mid);
	stmt_bind_int(s, 5, ts);
	stmt_bind_text(s, 6, conv && *conv ? conv : NULL);
	if (step_done(s))
		return -1;
	return acc_evidence(a, f, input_id, line);
}

static void phase(const char *name);

static int message_findings(struct an *a)
{
	/* One row per copy (the earliest event of each account and message),
	   with the first deletion by that account after it, the first forward
	   of the message and the first export of its conversation at or after
	   the copy's time. Rows come grouped by account (the GROUP BY's sort
	   order, one sort for the whole query); the device groups of one
	   account are kept side by side in C, so no second sort is needed. An
	   account seen twice would fail loudly on the findings key, never
	   split a finding silently. */
	static const char *const prep[] = {
		"CREATE INDEX temp.an_del_i ON an_del (account, mid, ts)",
		"CREATE INDEX temp.an_fwd_i ON an_fwd (mid, ts)",
		"CREATE INDEX temp.an_exp_i ON an_exp (conv, ts)",
		NULL
	};
	for (int i = 0; prep[i]; i++)
		if (store_exec(a->st, prep[i]))
			return -1;
	phase("  candidate indexes");
	struct stmt *s = stmt_prepare(a->st,
		"SELECT c.account, c.device, c.mid, c.ts, c.conv, c.input_id, c.line, c.store_day,"
		" d.ts, d.input_id, d.line, f.ts, f.input_id, f.line, e.ts, e.input_id, e.line, c.app"
		" FROM (SELECT account, mid, min(ts) AS ts, device, conv, input_id, line, store_day,"
		"   app FROM an_cand GROUP BY account, mid) AS c"
		" LEFT JOIN an_del AS d ON d.rowid = (SELECT rowid FROM an_del WHERE account = c.account"
		"   AND mid = c.mid AND ts >= c.ts ORDER BY ts LIMIT 1)"
		" LEFT JOIN an_fwd AS f ON f.rowid = (SELECT rowid FROM an_fwd WHERE mid = c.mid"
		"   ORDER BY ts LIMIT 1)"
		" LEFT JOIN an_exp AS e ON e.rowid = (SELECT rowid FROM an_exp WHERE conv = c.conv"
		"   AND ts >= c.ts ORDER BY ts LIMIT 1)");
	struct stmt *gap = stmt_prepare(a->st,
		"INSERT INTO temp.an_gap (app, ts, account, mid, conv, input_id, line)"
		" VALUES (?1,?2,?3,?4,?5,?6,?7)");
	struct group *groups = NULL, *gp;
	size_t ngroups = 0, galloc = 0;
	char *cur = NULL;                       /* the account of groups[] */
	int rc;

	if (!s || !gap) {
		stmt_free(s);
		stmt_free(gap);
		return -1;
	}
	while ((rc = stmt_step(s)) == 1) {
		const char *account = stmt_text(s, 0), *device = stmt_text(s, 1);
		const char *mid = stmt_text(s, 2), *conv = stmt_text(s, 4);
		long long t = stmt_int(s, 3), tday = time_day(t);
		long long in_id = stmt_int(s, 5), line = stmt_int(s, 6);
		const char *app = stmt_text(s, 17);
		int has_store = !stmt_is_null(s, 7), has_del = !stmt_is_null(s, 8);
		int has_fwd = !stmt_is_null(s, 11), has_exp = !stmt_is_null(s, 14);
		int retained = has_store || has_fwd || has_exp;
		int row = -1;
		long long loss = LLONG_MAX, loss_in = 0, loss_line = 0;

		if (!cur || strcmp(cur, account)) {
			for (size_t i = 0; i < ngroups; i++)
				if (group_flush(a, &groups[i]))
					goto fail;
			ngroups = 0;
			free(cur);
			cur = xstrdup(account);
		}
		gp = NULL;
		for (size_t i = 0; i < ngroups && !gp; i++)
			if (same_group(&groups[i], account, device))
				gp = &groups[i];
		if (!gp) {
			groups = xgrow(groups, ngroups + 1, &galloc, sizeof(*groups));
			gp = &groups[ngroups++];
			memset(gp, 0, sizeof(*gp));
			gp->account = xstrdup(account);
			gp->device = xstrdup(device);
			gp->ac = acct_get(a, account, NULL);
		}
		struct group *gg = gp;
		struct acct *ac = gg->ac;
		if (!retained) {
			/* rows 1-3: the earliest loss event wins, ties to the
			   lower row; a date-only input is the start of its day */
			if (has_del) {
				row = ROW_DELETION;
				loss = stmt_int(s, 8);
				loss_in = stmt_int(s, 9);
				loss_line = stmt_int(s, 10);
			}
			const struct device *d = device ? dev_get(a, device) : NULL;
			if (d && d->lost && d->status_day != NO_DAY && d->status_day >= tday &&
			    d->status_day <= a->asof_day && d->status_day * DAY < loss) {
				row = ROW_DEVICE;
				loss = d->status_day * DAY;
				loss_in = d->input_id;
				loss_line = d->line;
			}
			if (ac->closed_day != NO_DAY && ac->closed_day >= tday &&
			    ac->closed_day <= a->asof_day && ac->closed_day * DAY < loss) {
				row = ROW_CLOSED;
				loss = ac->closed_day * DAY;
				loss_in = ac->input_id;
				loss_line = ac->line;
			}
			for (size_t k = 0; k < ac->ndeleted; k++) {
				const struct ev_ref *e = &ac->deleted[k];
				if (e->ts >= t && e->ts < loss) {
					row = ROW_CLOSED;
					loss = e->ts;
					loss_in = e->input_id;
					loss_line = e->line;
				}
			}
			if (row < 0) {
				if (ac->closed_day != NO_DAY && ac->closed_day > a->asof_day)
					row = ROW_IMPENDING;
				else if (ac->capture == CAP_ARCHIVER)
					row = ROW_GAP;
				else if (a->asof_day - tday > a->r->window_days)
					row = ROW_NOT_FWD;
			}
			if (ac->capture == CAP_ARCHIVER && app) {
				stmt_bind_text(gap, 1, app);
				stmt_bind_int(gap, 2, t);
				stmt_bind_text(gap, 3, account);
				stmt_bind_text(gap, 4, mid);
				stmt_bind_text(gap, 5, conv);
				stmt_bind_int(gap, 6, in_id);
				stmt_bind_int(gap, 7, line);
				if (step_done(gap))
					goto fail;
			}
		} else {
			long long rday = LLONG_MAX;
			if (has_store)
				rday = stmt_int(s, 7);
			if (has_fwd && time_day(stmt_int(s, 11)) < rday) {
				rday = time_day(stmt_int(s, 11));
				loss_in = stmt_int(s, 12);
				loss_line = stmt_int(s, 13);
			}
			if (has_exp && time_day(stmt_int(s, 14)) < rday) {
				rday = time_day(stmt_int(s, 14));
				loss_in = stmt_int(s, 15);
				loss_line = stmt_int(s, 16);
			}
			if (ac->capture == CAP_ARCHIVER && app)
				secmap_set(app_secs(a, app), t);
			if (ac->capture != CAP_ARCHIVER && rday - tday > a->r->window_days) {
				row = ROW_LATE;
				if (!gg->f[row].used || rday - tday > gg->retained_max_days[row]) {
					if (add_copy(a, gg, row, mid, t, conv, in_id, line))
						goto fail;
					gg->retained_max_days[row] = rday - tday;
					if (acc_evidence(a, &gg->f[row], loss_in, loss_line))
						goto fail;
					continue;
				}
			}
		}
		if (row < 0)
			continue;
		if (add_copy(a, gg, row, mid, t, conv, in_id, line))
			goto fail;
		if (loss != LLONG_MAX) {
			if (loss < gg->loss_first[row])
				gg->loss_first[row] = loss;
			if (loss > gg->loss_last[row])
				gg->loss_last[row] = loss;
			if (acc_evidence(a, &gg->f[row], loss_in, loss_line))
				goto fail;
		} else if (row == ROW_LATE && acc_evidence(a, &gg->f[row], loss_in, loss_line)) {
			goto fail;
		}
	}
	if (rc < 0)
		goto fail;
	for (size_t i = 0; i < ngroups; i++)
		if (group_flush(a, &groups[i]))
			rc = -1;
	free(groups);
	free(cur);
	stmt_free(s);
	stmt_free(gap);
	return rc;
fail:
	for (size_t i = 0; i < ngroups; i++) {
		free(groups[i].account);
		free(groups[i].device);
		for (int r = 0; r < ROW_COUNT; r++) {
			u64set_clear(&groups[i].f[r].convs);
			u64set_clear(&groups[i].f[r].ev);
		}
	}
	free(groups);
	free(cur);
	stmt_free(s);
	stmt_free(gap);
	return -1;
}

/* ---- CAPTURE_OUTAGE ---- */

static int outage_flush(struct an *a, struct acc *f, const char *app, unsigned long accounts)
{
	char d1[TIME_ISO_LEN], d2[TIME_ISO_LEN];
	time_fmt_iso(f->first_ts, d1);
	time_fmt_iso(f->last_ts, d2);
	double hours = (double)(f->last_ts - f->first_ts) / 3600.0;
	char *detail = xasprintf("%llu consecutive %s message copies on %lu archiver account%s"
		" from %s to %s (%.1f hours) are all missing from the compliance store: a capture"
		" outage.", f->count, app, accounts, plural(accounts, "", "s"), d1, d2, hours);
	int rc = acc_finish(a, f, detail);
	free(detail);
	return rc;
}

struct outage_run {
	char *app;
	long long first, last, prev;
	unsigned long long n;
	char *first_key;
	struct u64set accounts;
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
				struct acc f;
				struct who w = { NULL, NULL, NULL, run.app, NULL };
				char *key = xasprintf("%s|%s", run.app, run.first_key);
				rc = acc_start(a, &f, FT_CAPTURE_OUTAGE, FC_THREATENED, key, &w);
				free(key);
				stmt_bind_text(rows, 1, run.app);
				stmt_bind_int(rows, 2, run.first);
				stmt_bind_int(rows, 3, run.last);
				/* rows at the run's edge seconds may belong to a
				   neighbouring run only when a breaker shares that
				   second, which split them: count by the run's size */
				while (!rc && f.count < run.n && stmt_step(rows) == 1) {
					f.count++;
					acc_time(&f, stmt_int(rows, 0));
					acc_conv(&f, stmt_text(rows, 3));
					rc = acc_evidence(a, &f, stmt_int(rows, 4), stmt_int(rows, 5));
				}
				stmt_reset(rows);
				if (!rc)
					rc = outage_flush(a, &f, run.app, (unsigned long)run.accounts.n);
			}
			free(run.app);
			free(run.first_key);
			u64set_clear(&run.accounts);
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
		u64set_add(&run.accounts, hash_str(stmt_text(s, 2)));
	}
	free(run.app);
	free(run.first_key);
	u64set_clear(&run.accounts);
	stmt_free(rows);
	stmt_free(s);
	return rc;
}

/* ---- EPHEMERAL_ENABLED ---- */

static int ephemeral(struct an *a)
{
	for (size_t i = 0; i < a->naccts; i++) {
		struct acct *ac = &a->accts[i];
		struct acc f;
		char d1[TIME_DATE_LEN];
		if (!ac->timer_count || ac->capture == CAP_ARCHIVER)
			continue;
		struct who w = { ac->office, ac->custodian_id, ac->account, ac->app, NULL };
		if (acc_start(a, &f, FT_EPHEMERAL_ENABLED, FC_THREATENED, ac->account, &w))
			return -1;
		acc_time(&f, ac->timer_first);
		acc_time(&f, ac->timer_last);
		for (size_t k = 0; k < ac->ntimers; k++)
			if (acc_evidence(a, &f, ac->timers[k].input_id, ac->timers[k].line))
				return -1;
		if (ac->known && acc_evidence(a, &f, ac->input_id, ac->line))
			return -1;
		fmt_day(ac->timer_first, d1);
		const char *cap = ac->capture == CAP_MANUAL ? "manual" :
				  ac->capture == CAP_NONE ? "none" : "unknown";
		char *detail = xasprintf("Disappearing messages were turned on for %s on %s"
			" (%lu time%s) although its capture is %s: messages can expire before"
			" anyone forwards them.", ac->account, d1, ac->timer_count,
			plural(ac->timer_count, "", "s"), cap);
		int rc = acc_finish(a, &f, detail);
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
		struct who w = { ca ? ca->office : NULL, d ? d->custodian_id : NULL, NULL, app, device };
		struct acc f;
		char *key = xasprintf("%s|%s", device, app);
		rc = acc_start(a, &f, FT_PROHIBITED_APP, FC_POLICY, key, &w);
		free(key);
		if (rc)
			break;
		if (!stmt_is_null(s, 2))
			acc_time(&f, stmt_int(s, 2));
		if (!stmt_is_null(s, 3))
			acc_time(&f, stmt_int(s, 3));
		stmt_bind_text(ev, 1, device);
		stmt_bind_text(ev, 2, app);
		while (!rc && stmt_step(ev) == 1)
			rc = acc_evidence(a, &f, stmt_int(ev, 0), stmt_int(ev, 1));
		stmt_reset(ev);
		char d1[TIME_DATE_LEN];
		fmt_day(f.first_ts, d1);
		char *detail = xasprintf("The device %s%s%s carries %s, an app the agency"
			" prohibits (seen %s%s).", device, ca && ca->custodian_name ? " of " : "",
			ca && ca->custodian_name ? ca->custodian_name : "", app,
			f.first_ts == LLONG_MAX ? "in the inventory" : "from ",
			f.first_ts == LLONG_MAX ? "" : d1);
		if (!rc)
			rc = acc_finish(a, &f, detail);
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
	struct strmap map = { NULL, NULL, NULL, 0, 0 };
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
		ev_push(&x->ev, &x->nev, ANALYZE_MAX_EVIDENCE, ac->first_ev.ts,
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
		ev_push(&x->ev, &x->nev, ANALYZE_MAX_EVIDENCE, 0, stmt_int(s, 3), stmt_int(s, 4));
	}
	stmt_free(s);
	/* 3. approved when one of the custodian's accounts of the app has
	   approved_on on or before the first use (any date when unknown) */
	struct strmap own = { NULL, NULL, NULL, 0, 0 };      /* who|app -> index in best/any */
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
		struct who w = { ca ? ca->office : any ? any->office : NULL, x->custodian,
				 x->account, x->app, NULL };
		struct acc f;
		char *key = xasprintf("%s|%s", x->custodian ? x->custodian : x->account, x->app);
		rc = acc_start(a, &f, FT_UNAPPROVED_APP, FC_POLICY, key, &w);
		free(key);
		if (rc)
			break;
		if (x->first_ts != LLONG_MAX)
			acc_time(&f, x->first_ts);
		for (size_t k = 0; !rc && k < x->nev; k++)
			rc = acc_evidence(a, &f, x->ev[k].input_id, x->ev[k].line);
		if (!rc && any && any->known)
			rc = acc_evidence(a, &f, any->input_id, any->line);
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
			rc = acc_finish(a, &f, detail);
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
		char sql[200];
		static const char *const tables[] = { "evidence", "finding_copies", "findings" };
		for (int i = 0; i < 3; i++) {
			snprintf(sql, sizeof(sql), "DELETE FROM %s WHERE run_id = %lld",
				 tables[i], a->run_id);
			if (store_exec(a->st, sql))
				return -1;
		}
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
		u64set_clear(&ac->purge_convs);
		u64set_clear(&ac->store_convs);
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
	stmt_free(a->ins_finding);
	stmt_free(a->upd_finding);
	stmt_free(a->ins_evidence);
	stmt_free(a->ins_copy);
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
	"DROP TABLE IF EXISTS temp.an_devapp",
	"CREATE TEMP TABLE an_cand (account TEXT, mid TEXT, ts INTEGER, device TEXT,"
	" conv TEXT, app TEXT, input_id INTEGER, line INTEGER, store_day INTEGER)",
	"CREATE TEMP TABLE an_del (account TEXT, mid TEXT, ts INTEGER, input_id INTEGER,"
	" line INTEGER)",
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
	if (open_run(&a, o) || prepare_writes(&a) || early_purge(&a) || retention_shortfall(&a))
		goto fail;
	phase("store findings");
	if (message_findings(&a))
		goto fail;
	phase("message findings");
	if (outages(&a) || ephemeral(&a) || app_findings(&a) || unapproved(&a))
		goto fail;
	phase("other findings");
	sum->gave_up = rules_gave_up(r) - gave_up0;
	if (close_run(&a, o))
		goto fail;
	stmt_free(a.ins_finding);
	stmt_free(a.upd_finding);
	stmt_free(a.ins_evidence);
	stmt_free(a.ins_copy);
	a.ins_finding = a.upd_finding = a.ins_evidence = a.ins_copy = NULL;
	for (int i = 0; i < 6; i++)
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
