/* The usage pass: every event once, in load order (an.h). */
#include "an.h"

#include <stdlib.h>
#include <string.h>
#include "records.h"
#include "xalloc.h"

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

/* The statements of the usage pass and the row being judged. The row's
   strings stay in the reader's batch until the next rs_step: bound without
   a copy (every insert is stepped and reset at once). */
struct upass {
	struct an *a;
	struct stmt *cand, *del, *fwd, *exp, *app;
	struct rowsrc src;
	long long input_id, line, ts;
	const char *app_key, *account, *device, *mid, *conv;
	int kind, own_app;
	struct acct *ac;
	const struct rule_app *ra;      /* of the event's app */
};

static int up_prepare(struct upass *u)
{
	struct store *st = u->a->st;
	u->cand = stmt_prepare(st,
		"INSERT INTO temp.an_cand (account, mid, ts, device, conv, app, input_id, line,"
		" store_day, dir, store_kept, bound) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)");
	u->del = stmt_prepare(st,
		"INSERT INTO temp.an_del (account, mid, ts, input_id, line, kind)"
		" VALUES (?1,?2,?3,?4,?5,?6)");
	u->fwd = stmt_prepare(st,
		"INSERT INTO temp.an_fwd (mid, ts, input_id, line) VALUES (?1,?2,?3,?4)");
	u->exp = stmt_prepare(st,
		"INSERT INTO temp.an_exp (conv, ts, input_id, line) VALUES (?1,?2,?3,?4)");
	u->app = stmt_prepare(st,
		"INSERT INTO temp.an_devapp (device, app, ts, input_id, line) VALUES (?1,?2,?3,?4,?5)");
	return u->cand && u->del && u->fwd && u->exp && u->app ? 0 : -1;
}

/* One insert of the event: its one or two key texts, time and evidence
   (and the deletion's kind). */
static int up_insert(struct upass *u, struct stmt *s, const char *k1, const char *k2)
{
	int i = 1;
	stmt_bind_text_borrowed(s, i++, k1, -1);
	if (k2)
		stmt_bind_text_borrowed(s, i++, k2, -1);
	stmt_bind_int(s, i++, u->ts);
	stmt_bind_int(s, i++, u->input_id);
	stmt_bind_int(s, i++, u->line);
	if (s == u->del)
		stmt_bind_int(s, i, u->kind);
	return step_done(s);
}

/* The account of the event (cached rule of its app) and its first use. */
static void up_account(struct upass *u)
{
	struct an *a = u->a;
	struct acct *ac = acct_get_h(a, u->account, rs_hash(&u->src, 5), u->app_key);

	/* the event's app is nearly always the account's: cache its rule */
	u->own_app = !u->app_key || !strcmp(u->app_key, ac->app);
	if (!u->app_key)
		u->app_key = ac->app;
	if (!ac->ra_done) {
		ac->ra = rules_app(a->r, ac->app);
		ac->ra_done = 1;
	}
	u->ra = u->own_app ? ac->ra : rules_app(a->r, u->app_key);
	if (u->ts < ac->first_ts) {
		ac->first_ts = u->ts;
		ac->first_ev = (struct ev_ref){ u->ts, u->input_id, u->line };
	}
	u->ac = ac;
}

/* A sent or received copy: settled when the store retained it in time,
   else a candidate for the message findings. */
static int up_copy(struct upass *u)
{
	struct an *a = u->a;
	struct acct *ac = u->ac;
	struct stmt *s = u->cand;
	int purged;

	if ((u->ra && u->ra->transitory) ||
	    is_excluded(a, ac, rs_text(&u->src, 9), u->conv, rs_hash(&u->src, 8))) {
		a->sum->excluded++;
		return 0;
	}
	a->sum->copies++;
	long long sd = sidx_get(&a->sidx, rs_hash(&u->src, 7), u->mid, &purged);
	if (sd != NO_DAY && (ac->capture == CAP_ARCHIVER ||
			     sd - time_day(u->ts) <= a->r->window_days)) {
		/* retained in time: no message finding; for archiver accounts
		   it breaks capture-outage runs */
		if (ac->capture != CAP_ARCHIVER)
			return 0;
		if (!u->own_app) {
			secmap_set(app_secs(a, u->app_key), u->ts);
		} else {
			if (!ac->app_idx)
				ac->app_idx = app_index(a, u->app_key) + 1;
			secmap_set(&a->secs[ac->app_idx - 1], u->ts);
		}
		return 0;
	}
	a->sum->candidates++;
	stmt_bind_text_borrowed(s, 1, u->account, -1);
	stmt_bind_text_borrowed(s, 2, u->mid, -1);
	stmt_bind_int(s, 3, u->ts);
	stmt_bind_text_borrowed(s, 4, u->device, -1);
	stmt_bind_text_borrowed(s, 5, u->conv, -1);
	stmt_bind_text_borrowed(s, 6, u->app_key, -1);
	stmt_bind_int(s, 7, u->input_id);
	stmt_bind_int(s, 8, u->line);
	if (sd != NO_DAY)
		stmt_bind_int(s, 9, sd);
	stmt_bind_int(s, 10, u->kind);
	stmt_bind_int(s, 11, !purged);
	stmt_bind_int(s, 12, rs_int(&u->src, 11) == 1);    /* ts_bound: sent time unknown */
	return step_done(s);
}

/* The events of an account after its copies: deletions, forwards, timers,
   account deletions. */
static int up_event(struct upass *u)
{
	struct acct *ac = u->ac;

	switch (u->kind) {
	case EV_SENT:
	case EV_RECEIVED:
		return up_copy(u);
	case EV_DELETED:
	case EV_EXPIRED:
	case EV_BURNED:
		/* a deletion matters only for a message the store lacks */
		if (sidx_get(&u->a->sidx, rs_hash(&u->src, 7), u->mid, NULL) != NO_DAY)
			return 0;
		return up_insert(u, u->del, u->account, u->mid);
	case EV_FORWARDED:
		return up_insert(u, u->fwd, u->mid, NULL);
	case EV_TIMER_SET:
		if (!rs_is_null(&u->src, 10) && rs_int(&u->src, 10) > 0) {
			ac->timer_count++;
			if (u->ts < ac->timer_first)
				ac->timer_first = u->ts;
			if (u->ts > ac->timer_last)
				ac->timer_last = u->ts;
			ev_push(&ac->timers, &ac->ntimers, 100, u->ts, u->input_id, u->line);
		}
		return 0;
	case EV_ACCOUNT_DELETED:
		ev_push(&ac->deleted, &ac->ndeleted, 1000, u->ts, u->input_id, u->line);
		return 0;
	default:
		return 0;
	}
}

/* One usage row. */
static int up_row(struct upass *u)
{
	struct rowsrc *src = &u->src;

	u->input_id = rs_int(src, 0);
	u->line = rs_int(src, 1);
	u->ts = rs_int(src, 2);
	u->kind = event_kind(rs_text(src, 3));
	u->app_key = rs_text(src, 4);
	u->account = rs_text(src, 5);
	u->device = rs_text(src, 6);
	u->mid = rs_text(src, 7);
	u->conv = rs_text(src, 8);
	sidx_prefetch(&u->a->sidx, rs_hash_ahead(src, 7, PREFETCH_AHEAD));
	u->a->sum->events++;
	if (u->kind == EV_EXPORTED && up_insert(u, u->exp, u->conv, NULL))
		return -1;
	if (!u->account)
		return 0;
	up_account(u);
	/* the device carries the app (PROHIBITED_APP) */
	if (u->device && *u->device && u->ra && u->ra->cls == APP_PROHIBITED &&
	    up_insert(u, u->app, u->device, u->app_key))
		return -1;
	if (u->kind <= EV_FORWARDED && (!u->mid || !*u->mid))
		return 0;       /* adapters may leave it out; nothing to judge */
	return up_event(u);
}

int usage_pass(struct an *a, struct reader *rd, const struct rs_query *q)
{
	struct upass u;
	int rc = -1;

	memset(&u, 0, sizeof(u));
	u.a = a;
	int opened = rs_open(&u.src, a, rd, q) == 0;
	if (opened && up_prepare(&u) == 0)
		while ((rc = rs_step(&u.src)) == 1)
			if (up_row(&u))
				break;
	if (opened)
		rs_close(&u.src);
	stmt_free(u.cand);
	stmt_free(u.del);
	stmt_free(u.fwd);
	stmt_free(u.exp);
	stmt_free(u.app);
	return rc == 0 ? 0 : -1;
}
