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
	for (int i = 0; i < 2; i++) {
		if (!a->excl_uses[EX_PEER + i] || !v[i] || !*v[i]) {
			m[EX_PEER + i] = 0;
			continue;
		}
		uint64_t h = hv[i] ? hv[i] : hash_str64(v[i]);
		struct excl_slot *e = &a->excl_cache[i][h & (EXCL_CACHE - 1)];
		if (e->value && e->h == h && !strcmp(e->value, v[i])) {
			m[EX_PEER + i] = e->mask;
		} else {
			m[EX_PEER + i] = rules_excl_match(r, (enum excl_field)(EX_PEER + i), v[i]);
			free(e->value);
			*e = (struct excl_slot){ h, m[EX_PEER + i], xstrdup(v[i]) };
		}
	}
	return rules_excluded(r, m);
}

/* One usage row: borrowed from the reader's batch (until the next
   rs_step), or copied when its line is held back (struct ugroup). */
struct urow {
	long long input_id, line, ts, ttl, bound;
	int ttl_null;
	const char *event, *app, *account, *device, *mid, *conv, *peer;
	uint64_t account_h, mid_k, conv_h;
};

/* The rows of a line held back until the line is complete (the next row is
   another line), so that its facts are known: only at a batch's end, or
   for a line of several rows (UGROUP_MAX: beyond, the line is resolved by
   SQL, evidence.c). */
#define UGROUP_MAX 64
struct ugroup {
	struct urow r[UGROUP_MAX];
	size_t n;
};

/* The statements of the usage pass and the row being judged. The row's
   strings are bound without a copy (every insert is stepped and reset at
   once). */
struct upass {
	struct an *a;
	struct stmt *cand, *del, *fwd, *exp, *app;
	struct rowsrc src;
	const struct urow *r;
	long long input_id, line, ts;
	const char *app_key, *account, *device, *mid, *conv;
	int kind, own_app;
	struct acct *ac;
	const struct rule_app *ra;      /* of the event's app */
	/* the facts of the row's line; single: the row's own */
	struct line_facts lf;
	int single;
	struct ugroup g;
	struct in_state *in;            /* of the last row's input */
	long long prev_in, prev_line;
};

static int up_prepare(struct upass *u)
{
	struct store *st = u->a->st;
	u->cand = stmt_prepare(st,
		"INSERT INTO temp.an_cand (account, mid, ts, device, conv, app, input_id, line,"
		" store_day, dir, store_kept, bound, fev, fmid, fts)"
		" VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15)");
	u->del = stmt_prepare(st,
		"INSERT INTO temp.an_del (account, mid, ts, input_id, line, kind, fev, fmid, fts)"
		" VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)");
	u->fwd = stmt_prepare(st,
		"INSERT INTO temp.an_fwd (mid, ts, input_id, line, fev, fmid, fts)"
		" VALUES (?1,?2,?3,?4,?5,?6,?7)");
	u->exp = stmt_prepare(st,
		"INSERT INTO temp.an_exp (conv, ts, input_id, line, fev, fmid, fts)"
		" VALUES (?1,?2,?3,?4,?5,?6,?7)");
	u->app = stmt_prepare(st,
		"INSERT INTO temp.an_devapp (device, app, ts, input_id, line, fev, fmid, fts)"
		" VALUES (?1,?2,?3,?4,?5,?6,?7,?8)");
	return u->cand && u->del && u->fwd && u->exp && u->app ? 0 : -1;
}

/* The facts of the row's line, the row's own resolved (an.h). */
static struct line_facts up_facts(struct upass *u)
{
	if (!u->single)
		return u->lf;
	struct line_facts lf = { u->kind >= 0 ? usage_kind_names[u->kind] :
				 an_event_name(u->a, u->r->event), u->mid, u->ts };
	return lf;
}

/* Bind the line's facts at i, i+1, i+2: NULLs for a line of one row when
   own (the table has the row's event, mid and ts), else resolved. */
static void up_bind_facts(struct upass *u, struct stmt *s, int i, int own)
{
	if (own && u->single)
		return;
	struct line_facts lf = up_facts(u);
	stmt_bind_text_borrowed(s, i, lf.event, -1);
	stmt_bind_text_borrowed(s, i + 1, lf.mid, -1);
	stmt_bind_int(s, i + 2, lf.ts);
}

/* One insert of the event: its one or two key texts, time and evidence
   (and the deletion's kind), and the facts of its line. */
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
		stmt_bind_int(s, i++, u->kind);
	up_bind_facts(u, s, i, s == u->del || s == u->fwd);
	return step_done(s);
}

/* The account of the event (cached rule of its app) and its first use. */
static void up_account(struct upass *u)
{
	struct an *a = u->a;
	struct acct *ac = acct_get_h(a, u->account, u->r->account_h, u->app_key);

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
		struct line_facts lf = up_facts(u);
		ac->first_ts = u->ts;
		ev_set(&ac->first_ev, u->ts, u->input_id, u->line, EVS_USAGE, &lf);
	}
	u->ac = ac;
	/* last: the loads of ac above are under way (a call before them made
	   each cache miss of a row wait for the one before) */
	if (a->cc)
		crosscheck_usage_acct(a->cc, &ac->cc, u->r->app, u->r->device, u->input_id, u->line);
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
	    is_excluded(a, ac, u->r->peer, u->conv, u->r->conv_h)) {
		a->sum->excluded++;
		return 0;
	}
	a->sum->copies++;
	long long sd = sidx_get(&a->sidx, u->r->mid_k, u->mid, &purged);
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
	stmt_bind_int(s, 12, u->r->bound == 1);    /* ts_bound: sent time unknown */
	up_bind_facts(u, s, 13, 1);
	return step_done(s);
}

/* The events of an account after its copies: deletions, forwards, timers,
   account deletions. */
static int up_event(struct upass *u)
{
	struct acct *ac = u->ac;
	struct line_facts lf;

	switch (u->kind) {
	case EV_SENT:
	case EV_RECEIVED:
		return up_copy(u);
	case EV_DELETED:
	case EV_EXPIRED:
	case EV_BURNED:
		/* a deletion matters only for a message the store lacks */
		if (sidx_get(&u->a->sidx, u->r->mid_k, u->mid, NULL) != NO_DAY)
			return 0;
		return up_insert(u, u->del, u->account, u->mid);
	case EV_FORWARDED:
		filter_add(&u->a->fwd_keys, u->r->mid_k);
		return up_insert(u, u->fwd, u->mid, NULL);
	case EV_TIMER_SET:
		if (!u->r->ttl_null && u->r->ttl > 0) {
			ac->timer_count++;
			if (u->ts < ac->timer_first)
				ac->timer_first = u->ts;
			if (u->ts > ac->timer_last)
				ac->timer_last = u->ts;
			lf = up_facts(u);
			ev_push(&ac->timers, &ac->ntimers, 100, u->ts, u->input_id, u->line,
				EVS_USAGE, &lf);
		}
		return 0;
	case EV_ACCOUNT_DELETED:
		lf = up_facts(u);
		ev_push(&ac->deleted, &ac->ndeleted, 1000, u->ts, u->input_id, u->line,
			EVS_USAGE, &lf);
		return 0;
	default:
		return 0;
	}
}

/* Judge one row (before the cutoff). */
static int up_judge(struct upass *u, const struct urow *r)
{
	u->r = r;
	u->input_id = r->input_id;
	u->line = r->line;
	u->ts = r->ts;
	u->kind = event_kind(r->event);
	u->app_key = r->app;
	u->account = r->account;
	u->device = r->device;
	u->mid = r->mid;
	u->conv = r->conv;
	u->a->sum->events++;
	if (u->kind == EV_EXPORTED) {
		if (up_insert(u, u->exp, u->conv, NULL))
			return -1;
		if (u->conv)
			filter_add(&u->a->exp_keys, r->conv_h);
	}
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

static void up_read(const struct rowsrc *src, struct urow *r)
{
	r->input_id = rs_int(src, 0);
	r->line = rs_int(src, 1);
	r->ts = rs_int(src, 2);
	r->event = rs_text(src, 3);
	r->app = rs_text(src, 4);
	r->account = rs_text(src, 5);
	r->account_h = rs_hash(src, 5);
	r->device = rs_text(src, 6);
	r->mid = rs_text(src, 7);
	r->mid_k = rs_hash(src, 7);
	r->conv = rs_text(src, 8);
	r->conv_h = rs_hash(src, 8);
	r->peer = rs_text(src, 9);
	r->ttl = rs_int(src, 10);
	r->ttl_null = rs_is_null(src, 10);
	r->bound = rs_int(src, 11);
}

static void urow_free(struct urow *r)
{
	char **p[] = { (char **)&r->event, (char **)&r->app, (char **)&r->account,
		       (char **)&r->device, (char **)&r->mid, (char **)&r->conv, (char **)&r->peer };
	for (size_t i = 0; i < sizeof(p) / sizeof(p[0]); i++)
		free(*p[i]);
}

/* Judge the held-back line: its facts are its rows' (an.h line_facts). */
static int up_flush(struct upass *u)
{
	struct ugroup *g = &u->g;
	char ev[400];
	size_t len = 0;
	int rc = 0;

	if (!g->n)
		return 0;
	u->single = g->n == 1;
	u->lf.mid = NULL;
	u->lf.ts = LLONG_MAX;
	ev[0] = '\0';
	for (size_t i = 0; i < g->n; i++) {
		const struct urow *r = &g->r[i];
		int dup = 0;
		for (size_t k = 0; k < i && !dup; k++)
			dup = !strcmp(g->r[k].event, r->event);
		size_t el = strlen(r->event);
		if (!dup && len + el + 2 < sizeof(ev)) {
			if (len)
				ev[len++] = ',';
			memcpy(ev + len, r->event, el + 1);
			len += el;
		} else if (!dup) {
			u->in->disorder |= IN_USAGE;    /* too long: SQL it */
		}
		if (r->mid && (!u->lf.mid || strcmp(r->mid, u->lf.mid) < 0))
			u->lf.mid = r->mid;
		if (r->ts < u->lf.ts)
			u->lf.ts = r->ts;
	}
	u->lf.event = an_event_name(u->a, ev);
	for (size_t i = 0; i < g->n && !rc; i++)
		if (g->r[i].ts < u->a->cutoff)
			rc = up_judge(u, &g->r[i]);
	for (size_t i = 0; i < g->n; i++)
		urow_free(&g->r[i]);
	g->n = 0;
	u->single = 1;
	return rc;
}

/* Hold the row back with its line (its strings copied). */
static int up_hold(struct upass *u, const struct urow *r)
{
	struct ugroup *g = &u->g;
	if (g->n == UGROUP_MAX) {
		u->in->disorder |= IN_USAGE;    /* a line of that many rows: SQL it */
		if (up_flush(u))
			return -1;
	}
	struct urow *c = &g->r[g->n++];
	*c = *r;
	c->event = xstrdup(r->event ? r->event : "");
	c->app = r->app ? xstrdup(r->app) : NULL;
	c->account = r->account ? xstrdup(r->account) : NULL;
	c->device = r->device ? xstrdup(r->device) : NULL;
	c->mid = r->mid ? xstrdup(r->mid) : NULL;
	c->conv = r->conv ? xstrdup(r->conv) : NULL;
	c->peer = r->peer ? xstrdup(r->peer) : NULL;
	return 0;
}

/* The input's tables and line order (evidence.c): a line's rows come side
   by side and lines in increasing order, else its facts are SQL's. */
static void up_track(struct upass *u, const struct urow *r)
{
	if (r->input_id == u->prev_in && r->line == u->prev_line)
		return;
	if (!u->in || u->in->input_id != r->input_id)
		u->in = in_get(u->a, r->input_id);
	u->in->mask |= IN_USAGE;
	if (r->line <= u->in->usage_line)
		u->in->disorder |= IN_USAGE;
	u->in->usage_line = r->line;
	u->prev_in = r->input_id;
	u->prev_line = r->line;
}

/* One usage row: judged at once when the next row is another line (the
   line's facts are the row's own), else held back with its line. */
static int up_row(struct upass *u)
{
	struct rowsrc *src = &u->src;
	struct urow r;

	up_read(src, &r);
	sidx_prefetch(&u->a->sidx, rs_hash_ahead(src, 7, PREFETCH_AHEAD));
	/* the cross-file checks count every row: those up_account never sees
	   (after the cutoff, or without an account) here, the others there */
	if (u->a->cc && (r.ts >= u->a->cutoff || !r.account))
		crosscheck_usage_row(u->a->cc, r.account, r.app, r.device, r.input_id, r.line);
	if (u->g.n && (r.input_id != u->prev_in || r.line != u->prev_line) && up_flush(u))
		return -1;
	up_track(u, &r);
	if (u->g.n || !rs_next_differs(src))
		return up_hold(u, &r);
	if (r.ts >= u->a->cutoff)
		return 0;
	int rc = up_judge(u, &r);
	u->r = NULL;            /* r is this frame's */
	return rc;
}

int usage_pass(struct an *a, struct reader *rd, const struct rs_query *q)
{
	struct upass u;
	int rc = -1;

	memset(&u, 0, sizeof(u));
	u.a = a;
	u.single = 1;
	u.prev_in = -1;
	int opened = rs_open(&u.src, a, rd, q) == 0;
	if (opened && up_prepare(&u) == 0)
		while ((rc = rs_step(&u.src)) == 1)
			if (up_row(&u))
				break;
	if (rc == 0 && up_flush(&u))
		rc = -1;
	for (size_t i = 0; i < u.g.n; i++)
		urow_free(&u.g.r[i]);
	if (opened)
		rs_close(&u.src);
	stmt_free(u.cand);
	stmt_free(u.del);
	stmt_free(u.fwd);
	stmt_free(u.exp);
	stmt_free(u.app);
	return rc == 0 ? 0 : -1;
}
