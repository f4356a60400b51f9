/* The store pass and its findings: the index of the compliance store,
 * EARLY_PURGE and RETENTION_SHORTFALL (spec 4.2). */
#include "an.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xalloc.h"

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

/* The input's tables and line order (evidence.c): each store line once,
   in increasing order, else its facts are SQL's. */
static struct in_state *store_track(struct an *a, struct in_state *in, const struct rowsrc *src)
{
	if (rs_is_null(src, 7))
		return in;              /* matches no evidence row */
	long long input_id = rs_int(src, 7), line = rs_int(src, 8);
	if (!in || in->input_id != input_id)
		in = in_get(a, input_id);
	in->mask |= IN_STORE;
	if (rs_is_null(src, 8) || line <= in->store_line)
		in->disorder |= IN_STORE;
	in->store_line = line;
	return in;
}

/* The row's account and app for the cross-file checks (crosscheck.h):
   the account's lookup is the checks' own (the pass looks few up), its
   slot, key and the row's text fetched some rows ahead. */
static void store_crosscheck(struct an *a, const struct rowsrc *src)
{
	struct crosscheck *cc = a->cc;

	if (!cc)
		return;
	crosscheck_store_ahead(cc, rs_hash_ahead(src, 2, PREFETCH_AHEAD),
			       rs_hash_ahead(src, 2, PREFETCH_AHEAD / 2));
	rs_text_prefetch(src, 2, PREFETCH_AHEAD / 2);
	crosscheck_store_row(cc, rs_text(src, 2), rs_hash(src, 2), rs_text(src, 1),
			     rs_int(src, 7), rs_int(src, 8));
}

int store_pass(struct an *a, struct reader *rd, const struct rs_query *q)
{
	struct rowsrc src;
	struct in_state *in = NULL;
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
		store_crosscheck(a, &src);      /* every row, before any is skipped */
		int purged_row = !rs_is_null(&src, 6);
		in = store_track(a, in, &src);

		if (!mid || !rs_text(&src, 2))
			continue;       /* NOT NULL in spirit; SQLite allows a NULL key */

		/* a capture after as_of has not happened yet; a message_id seen
		   before is the same message loaded again: its first row counts */
		if (!sidx_put(&a->sidx, rs_hash(&src, 0), mid,
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
				strmap_add(&ac->store_convs, sconv);
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
					strmap_add(&ac->purge_convs, conv);
				struct line_facts lf = { "purged from the store", mid, purged };
				ev_push(&ac->purge_ev, &ac->npurge_ev, FINDINGS_MAX_EVIDENCE, sent,
					rs_int(&src, 7), rs_int(&src, 8), EVS_STORE, &lf);
			}
		}
	}
	rs_close(&src);
	return rc < 0 ? -1 : 0;
}

int early_purge(struct an *a)
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
			if (an_evidence_ref(a, &f, &ac->purge_ev[k]))
				return -1;
		if (ac->known && an_evidence(a, &f, ac->input_id, ac->line, EVS_OTHER, NULL))
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
int load_policies(struct an *a)
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
int retention_shortfall(struct an *a)
{
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < a->nshort; i++) {
		const struct policy *p = &a->pols[a->shorts[i].pol];
		const char *app = p->app;
		enum role_kind role = p->role;
		long long need = a->r->retention_days[role];
		struct strmap convs = STRMAP_INIT;
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
			for (size_t c = 0; c < ac->store_convs.n; c++)
				strmap_add(&convs, strmap_key(&ac->store_convs, c));
		}
		if (!held) {
			strmap_clear(&convs);
			continue;
		}
		struct finding_acc f;
		struct finding_who w = { NULL, NULL, NULL, app, NULL };
		char *key = xasprintf("%s|%s", app, role_names[role]);
		rc = finding_begin(&a->w, &f, FT_RETENTION_SHORTFALL, FC_THREATENED, key, &w);
		free(key);
		if (rc) {
			strmap_clear(&convs);
			break;
		}
		f.count = rows;
		f.convs = convs;
		finding_time(&f, first);
		finding_time(&f, last);
		rc = an_evidence(a, &f, p->input_id, p->line, EVS_POLICY, NULL);
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

