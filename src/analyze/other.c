/* The other findings of spec 4.2: CAPTURE_OUTAGE, EPHEMERAL_ENABLED,
 * PROHIBITED_APP and UNAPPROVED_APP. */
#include "an.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xalloc.h"

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
	struct strmap accounts;         /* the accounts of the run (exact) */
};

/* The finding of a run long enough: its rows read back by range. */
static int outage_emit(struct an *a, struct stmt *rows, const struct outage_run *run)
{
	struct finding_acc f;
	struct finding_who w = { NULL, NULL, NULL, run->app, NULL };
	char *key = xasprintf("%s|%s", run->app, run->first_key);
	int rc = finding_begin(&a->w, &f, FT_CAPTURE_OUTAGE, FC_THREATENED, key, &w);

	free(key);
	if (rc)
		return -1;
	stmt_bind_text(rows, 1, run->app);
	stmt_bind_int(rows, 2, run->first);
	stmt_bind_int(rows, 3, run->last);
	/* rows at the run's edge seconds may belong to a neighbouring run only
	   when a breaker shares that second, which split them: count by the
	   run's size */
	while (!rc && f.count < run->n && (rc = stmt_step(rows)) == 1) {
		f.count++;
		finding_time(&f, stmt_int(rows, 0));
		finding_conv(&f, stmt_text(rows, 3));
		struct line_facts lf = { stmt_text(rows, 6), stmt_text(rows, 7), stmt_int(rows, 8) };
		rc = an_evidence(a, &f, stmt_int(rows, 4), stmt_int(rows, 5), EVS_USAGE, &lf);
	}
	stmt_reset(rows);
	if (rc < 0) {
		finding_drop(&f);
		return -1;
	}
	return outage_flush(a, &f, run->app, (unsigned long)run->accounts.n);
}

int outages(struct an *a)
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
		"SELECT ts, account, mid, conv, input_id, line, fev, fmid, fts FROM an_gap"
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
			if (run.last - run.first >= a->r->outage_seconds)
				rc = outage_emit(a, rows, &run);
			free(run.app);
			free(run.first_key);
			strmap_clear(&run.accounts);
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
		strmap_add(&run.accounts, stmt_text(s, 2));
	}
	free(run.app);
	free(run.first_key);
	strmap_clear(&run.accounts);
	stmt_free(rows);
	stmt_free(s);
	return rc;
}

/* ---- EPHEMERAL_ENABLED ---- */

int ephemeral(struct an *a)
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
			if (an_evidence_ref(a, &f, &ac->timers[k]))
				return -1;
		if (ac->known && an_evidence(a, &f, ac->input_id, ac->line, EVS_OTHER, NULL))
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
/* The inventory rows of apps that are not approved, as app keys, next to
   the usage-event sightings in an_devapp. */
static int devapp_inventory(struct an *a)
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
	return 0;
}

/* The evidence of an an_devapp row (columns i: input_id, line, fev, fmid,
   fts): a usage line, or an inventory row (fev NULL). */
static int devapp_evidence(struct an *a, struct finding_acc *f, struct stmt *s, int i)
{
	struct line_facts lf = { stmt_text(s, i + 2), stmt_text(s, i + 3), stmt_int(s, i + 4) };
	int usage = !stmt_is_null(s, i + 2);
	return an_evidence(a, f, stmt_int(s, i), stmt_int(s, i + 1),
			   usage ? EVS_USAGE : EVS_OTHER, usage ? &lf : NULL);
}

int app_findings(struct an *a)
{
	int rc;

	if (devapp_inventory(a))
		return -1;
	/* PROHIBITED_APP: one per (device, app) */
	struct stmt *s = stmt_prepare(a->st,
		"SELECT device, app, min(ts), max(coalesce(ts2, ts)), input_id, line FROM an_devapp"
		" GROUP BY device, app ORDER BY device, app");
	struct stmt *ev = stmt_prepare(a->st,
		"SELECT input_id, line, fev, fmid, fts FROM an_devapp WHERE device = ?1 AND app = ?2"
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
			rc = devapp_evidence(a, &f, ev, 0);
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

/* The uses of restricted apps, one per (custodian or account, app). */
struct uses {
	struct strmap map;
	struct unapproved *u;
	size_t n, alloc;
};

static struct unapproved *use_get(struct uses *s, const char *custodian, const char *account,
				  const char *app)
{
	char *key = xasprintf("%s\x1f%s", custodian ? custodian : account, app);
	int is_new;
	size_t *slot = strmap_slot(&s->map, key, &is_new);
	free(key);
	if (is_new) {
		s->u = xgrow(s->u, s->n + 1, &s->alloc, sizeof(*s->u));
		memset(&s->u[s->n], 0, sizeof(*s->u));
		s->u[s->n].custodian = xstrdup(custodian);
		s->u[s->n].account = custodian ? NULL : xstrdup(account);
		s->u[s->n].app = xstrdup(app);
		s->u[s->n].first_ts = LLONG_MAX;
		*slot = s->n++;
	}
	return &s->u[*slot];
}

static void uses_free(struct uses *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->u[i].custodian);
		free(s->u[i].app);
		free(s->u[i].account);
		ev_free(s->u[i].ev, s->u[i].nev);
	}
	free(s->u);
	strmap_clear(&s->map);
}

/* 1. through accounts with events; 2. on devices of the custodian, from
   the inventory and the events' devices */
static int uses_collect(struct an *a, struct uses *s)
{
	for (size_t i = 0; i < a->naccts; i++) {
		const struct acct *ac = &a->accts[i];
		const struct rule_app *ra = rules_app(a->r, ac->app);
		if (!ra || ra->cls != APP_RESTRICTED || ac->first_ts == LLONG_MAX)
			continue;
		struct unapproved *x = use_get(s, ac->custodian_id, ac->account, ra->key);
		if (ac->first_ts < x->first_ts)
			x->first_ts = ac->first_ts;
		const struct ev_ref *e = &ac->first_ev;
		struct line_facts lf = { e->event, e->mid, e->fts };
		ev_push(&x->ev, &x->nev, FINDINGS_MAX_EVIDENCE, e->ts, e->input_id, e->line, e->src,
			&lf);
	}
	struct stmt *st = stmt_prepare(a->st,
		"SELECT device, app, ts, input_id, line, fev, fmid, fts FROM an_devapp"
		" ORDER BY device, app, ts");
	int rc;
	if (!st)
		return -1;
	while ((rc = stmt_step(st)) == 1) {
		const struct device *d = dev_get(a, stmt_text(st, 0));
		const struct rule_app *ra = rules_app(a->r, stmt_text(st, 1));
		if (!ra || ra->cls != APP_RESTRICTED || !d || !d->custodian_id)
			continue;
		struct unapproved *x = use_get(s, d->custodian_id, NULL, ra->key);
		if (!stmt_is_null(st, 2) && stmt_int(st, 2) < x->first_ts)
			x->first_ts = stmt_int(st, 2);
		struct line_facts lf = { stmt_text(st, 5), stmt_text(st, 6), stmt_int(st, 7) };
		int usage = !stmt_is_null(st, 5);
		ev_push(&x->ev, &x->nev, FINDINGS_MAX_EVIDENCE, 0, stmt_int(st, 3), stmt_int(st, 4),
			usage ? EVS_USAGE : EVS_OTHER, usage ? &lf : NULL);
	}
	stmt_free(st);
	return rc < 0 ? -1 : 0;
}

/* Per (custodian or account, app): the earliest approved_on of its
   accounts, and one of them (office, evidence). */
struct approvals {
	struct strmap own;
	long long *best;
	size_t *any, n;
};

static void approvals_build(const struct an *a, struct approvals *p)
{
	memset(p, 0, sizeof(*p));
	p->best = xmalloc((a->naccts + 1) * sizeof(*p->best));
	p->any = xmalloc((a->naccts + 1) * sizeof(*p->any));
	for (size_t k = 0; k < a->naccts; k++) {
		const struct acct *ac = &a->accts[k];
		char *key = xasprintf("%s\x1f%s", ac->custodian_id ? ac->custodian_id : ac->account,
				      ac->app);
		int is_new;
		size_t *slot = strmap_slot(&p->own, key, &is_new);
		free(key);
		if (is_new) {
			*slot = p->n;
			p->best[p->n] = NO_DAY;
			p->any[p->n++] = k;
		}
		if (ac->approved_day != NO_DAY &&
		    (p->best[*slot] == NO_DAY || ac->approved_day < p->best[*slot]))
			p->best[*slot] = ac->approved_day;
	}
}

static void approvals_free(struct approvals *p)
{
	strmap_clear(&p->own);
	free(p->best);
	free(p->any);
}

/* The finding of one use, unless approved on or before the first use (any
   date when that is unknown). */
static int unapproved_one(struct an *a, const struct unapproved *x, const struct approvals *p)
{
	const char *who = x->custodian ? x->custodian : x->account;
	char *okey = xasprintf("%s\x1f%s", who, x->app);
	const size_t *slot = strmap_get(&p->own, okey);
	free(okey);
	long long best = slot ? p->best[*slot] : NO_DAY;
	const struct acct *any = slot ? &a->accts[p->any[*slot]] : NULL;
	long long first_day = x->first_ts == LLONG_MAX ? LLONG_MAX : time_day(x->first_ts);
	if (best != NO_DAY && (first_day == LLONG_MAX || best <= first_day))
		return 0;
	const struct acct *ca = x->custodian ? custodian_acct(a, x->custodian) : NULL;
	struct finding_who w = { ca ? ca->office : any ? any->office : NULL, x->custodian,
				 x->account, x->app, NULL };
	struct finding_acc f;
	char *key = xasprintf("%s|%s", who, x->app);
	int rc = finding_begin(&a->w, &f, FT_UNAPPROVED_APP, FC_POLICY, key, &w);
	free(key);
	if (rc)
		return -1;
	if (x->first_ts != LLONG_MAX)
		finding_time(&f, x->first_ts);
	for (size_t k = 0; !rc && k < x->nev; k++)
		rc = an_evidence_ref(a, &f, &x->ev[k]);
	if (!rc && any && any->known)
		rc = an_evidence(a, &f, any->input_id, any->line, EVS_OTHER, NULL);
	char d1[TIME_DATE_LEN], ap[TIME_DATE_LEN];
	fmt_day(x->first_ts, d1);
	const char *name = ca && ca->custodian_name ? ca->custodian_name : who;
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
	else
		finding_drop(&f);
	free(detail);
	return rc;
}

int unapproved(struct an *a)
{
	struct uses s;
	struct approvals p;
	int rc;

	memset(&s, 0, sizeof(s));
	rc = uses_collect(a, &s);
	approvals_build(a, &p);
	for (size_t i = 0; !rc && i < s.n; i++)
		rc = unapproved_one(a, &s.u[i], &p);
	uses_free(&s);
	approvals_free(&p);
	return rc;
}
