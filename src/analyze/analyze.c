/* analyze: the orchestration of the detectors of spec 4 (see analyze.h
 * for the design, findings.h for what is stored, an.h for the files). */
#include "an.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "diag.h"
#include "hash.h"
#include "pattern.h"
#include "xalloc.h"

/* h: hash_str64(account) */
struct acct *acct_get_h(struct an *a, const char *account, uint64_t h, const char *app)
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

struct acct *acct_get(struct an *a, const char *account, const char *app)
{
	return acct_get_h(a, account, hash_str64(account), app);
}

/* The bitmap of an app (created on first use). */
size_t app_index(struct an *a, const char *app);
struct secmap *app_secs(struct an *a, const char *app)
{
	size_t i = app_index(a, app);     /* may move a->secs: index first */
	return &a->secs[i];
}

size_t app_index(struct an *a, const char *app)
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

long long day_of(const char *date)
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
		/* the status whatever the load order: inventory and events (schema.c) */
		"SELECT device_id, custodian_id, status, status_on, input_id, line FROM device_state");
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

const struct device *dev_get(const struct an *a, const char *id)
{
	const size_t *i = strmap_get(&a->dev_map, id);
	return i ? &a->devs[*i] : NULL;
}

void ev_set(struct ev_ref *e, long long ts, long long input_id, long long line,
	    enum ev_src src, const struct line_facts *lf)
{
	free(e->mid);
	e->ts = ts;
	e->input_id = input_id;
	e->line = line;
	e->src = src;
	e->event = lf ? lf->event : NULL;
	e->mid = lf && lf->mid ? xstrdup(lf->mid) : NULL;
	e->fts = lf ? lf->ts : FINDING_NO_TS;
}

void ev_push(struct ev_ref **arr, size_t *n, size_t cap, long long ts,
	     long long input_id, long long line, enum ev_src src, const struct line_facts *lf)
{
	if (*n >= cap)
		return;
	*arr = xrealloc(*arr, (*n + 1) * sizeof(**arr));
	(*arr)[*n].mid = NULL;
	ev_set(&(*arr)[*n], ts, input_id, line, src, lf);
	(*n)++;
}

void ev_free(struct ev_ref *arr, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(arr[i].mid);
	free(arr);
}

/* ---- writing findings ---- */

int step_done(struct stmt *s)
{
	int rc = stmt_step(s);
	stmt_reset(s);
	return rc < 0 ? -1 : 0;
}

void fmt_day(long long ts, char out[TIME_DATE_LEN])
{
	if (ts == LLONG_MAX || ts == LLONG_MIN)
		snprintf(out, TIME_DATE_LEN, "unknown");
	else
		time_fmt_day(ts, out);
}

const char *plural(unsigned long long n, const char *one, const char *many)
{
	return n == 1 ? one : many;
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
		ev_free(ac->deleted, ac->ndeleted);
		ev_free(ac->timers, ac->ntimers);
		ev_free(ac->purge_ev, ac->npurge_ev);
		free(ac->first_ev.mid);
		strmap_clear(&ac->purge_convs);
		strmap_clear(&ac->store_convs);
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
	for (int k = 0; k < 2; k++) {
		for (size_t i = 0; a->excl_cache[k] && i < EXCL_CACHE; i++)
			free(a->excl_cache[k][i].value);
		free(a->excl_cache[k]);
	}
	evidence_release(a);
	free(a->fwd_keys.bits);
	free(a->exp_keys.bits);
}

static const char *const temp_tables[] = {
	"DROP TABLE IF EXISTS temp.an_cand", "DROP TABLE IF EXISTS temp.an_del",
	"DROP TABLE IF EXISTS temp.an_fwd", "DROP TABLE IF EXISTS temp.an_exp",
	"DROP TABLE IF EXISTS temp.an_gap",
	"DROP TABLE IF EXISTS temp.an_devapp", "DROP TABLE IF EXISTS temp.an_alive",
	/* fev, fmid, fts: the facts of the row's line (an.h line_facts); in
	   an_cand, an_del and an_fwd NULL when they are the row's own (its
	   event, mid and ts: a line of one row) */
	"CREATE TEMP TABLE an_cand (account TEXT, mid TEXT, ts INTEGER, device TEXT,"
	" conv TEXT, app TEXT, input_id INTEGER, line INTEGER, store_day INTEGER, dir INTEGER,"
	" store_kept INTEGER, bound INTEGER, fev TEXT, fmid TEXT, fts INTEGER)",
	"CREATE TEMP TABLE an_del (account TEXT, mid TEXT, ts INTEGER, input_id INTEGER,"
	" line INTEGER, kind INTEGER, fev TEXT, fmid TEXT, fts INTEGER)",
	"CREATE TEMP TABLE an_alive (mid TEXT, account TEXT)",
	"CREATE TEMP TABLE an_fwd (mid TEXT, ts INTEGER, input_id INTEGER, line INTEGER,"
	" fev TEXT, fmid TEXT, fts INTEGER)",
	"CREATE TEMP TABLE an_exp (conv TEXT, ts INTEGER, input_id INTEGER, line INTEGER,"
	" fev TEXT, fmid TEXT, fts INTEGER)",
	"CREATE TEMP TABLE an_gap (app TEXT, ts INTEGER, account TEXT, mid TEXT, conv TEXT,"
	" input_id INTEGER, line INTEGER, fev TEXT, fmid TEXT, fts INTEGER)",
	/* fev NULL: an inventory row (device_apps) */
	"CREATE TEMP TABLE an_devapp (device TEXT, app TEXT, ts INTEGER, ts2 INTEGER,"
	" input_id INTEGER, line INTEGER, fev TEXT, fmid TEXT, fts INTEGER)",
	NULL
};

/* The exclusion caches, and which fields some exclusion looks at. */
static void an_caches(struct an *a)
{
	for (int k = 0; k < 2; k++)
		a->excl_cache[k] = xcalloc(EXCL_CACHE, sizeof(struct excl_slot));
	for (size_t i = 0; i < a->r->nexcl; i++)
		for (int f = 0; f < EX_FIELDS; f++)
			if (a->r->excl[i].npat[f])
				a->excl_uses[f] = 1;
}

/* The two scans, read ahead by the reader thread: the store, then usage,
   in load order. */
static int scan_inputs(struct an *a)
{
	struct rs_query scans[2] = {
		{ "SELECT message_id, app, account, conversation_id, sent_ts, captured_ts,"
		  " purged_ts, input_id, line FROM store_messages ORDER BY rowid", "KTHTIIIII", 0, 0 },
		/* every row: the events of a line after the cutoff are still
		   its facts (evidence.c); the pass judges those before it */
		{ "SELECT input_id, line, ts, event, app, account, device_id, message_id,"
		  " conversation_id, peer, ttl, ts_bound FROM usage", "IIITTHTKHTII", 0, 0 },
	};
	struct reader *rd;
	int rc = -1;

	if (an_load_accounts(a) || an_load_devices(a) || load_policies(a) || small_facts_load(a))
		return -1;
	rd = reader_start(a->st, scans, 2);
	phase("setup");
	if (store_pass(a, rd, &scans[0]))
		goto out;
	phase("store scan");
	if (usage_pass(a, rd, &scans[1]))
		goto out;
	/* every row of both tables went to the cross-file checks; the
	   accounts' counts last */
	for (size_t i = 0; a->cc && i < a->naccts; i++)
		crosscheck_usage_acct_end(a->cc, a->accts[i].account, &a->accts[i].cc);
	if (a->cc)
		crosscheck_fed(a->cc);
	rc = 0;
out:
	reader_finish(rd);
	if (!rc)
		phase("usage scan");
	return rc;
}

int analyze_run(struct store *st, const struct rules *r, const struct analyze_opts *o,
		struct analyze_summary *sum)
{
	struct an a;
	int rc = -1;

	phase_stage("analyze");
	memset(sum, 0, sizeof(*sum));
	memset(&a, 0, sizeof(a));
	a.st = st;
	a.r = r;
	a.sum = sum;
	a.cc = o->cc;
	/* for the tests only: the SQL that resolves the facts of out-of-order
	   inputs resolves every row's, to be checked against the scans' */
	a.all_by_sql = getenv("UDAUDIT_TEST_EVIDENCE_SQL") != NULL;
	if (resolve_as_of(&a, o))
		return -1;
	unsigned long gave_up0 = rules_gave_up(r), disabled0 = rules_disabled(r);
	an_caches(&a);
	/* Deferred: the scans only read the audit database (and write temp
	   tables), so the reader thread's connection can share it; the first
	   write to it comes after the reader has closed. */
	/* every evidence and finding_copies row is written right after its
	   finding (finding_begin), and open_run deletes children explicitly: the
	   per-row foreign-key lookups would only cost (spec 8). Back on below. */
	if (store_exec(st, "PRAGMA foreign_keys = OFF") || store_exec(st, "BEGIN"))
		goto out;
	for (int i = 0; temp_tables[i]; i++)
		if (store_exec(st, temp_tables[i]))
			goto fail;
	/* the candidates' temp tables in memory up to 64 MB, as the main
	   database's pages (store.c): beyond, SQLite spills them to its file */
	if (store_exec(st, "PRAGMA temp.cache_size = -65536"))
		goto fail;
	if (scan_inputs(&a))
		goto fail;
	if (open_run(&a, o) || findings_writer_open(&a.w, st, a.run_id) || early_purge(&a) || retention_shortfall(&a))
		goto fail;
	phase("store findings");
	if (message_findings(&a))
		goto fail;
	phase("message findings");
	if (outages(&a) || ephemeral(&a) || app_findings(&a) || unapproved(&a))
		goto fail;
	phase("other findings");
	if (evidence_fallback(&a))
		goto fail;
	if (a.fallback.n)
		phase("evidence facts");
	sum->gave_up = rules_gave_up(r) - gave_up0;
	sum->disabled = rules_disabled(r) - disabled0;
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
	store_rollback(st);
	diag_error(NULL, "analysis failed; the findings are unchanged");
out:
	store_exec(st, "PRAGMA foreign_keys = ON");
	store_exec(st, "PRAGMA temp.cache_size = -2000");      /* SQLite's default */
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
			  " those values counted as not matching; %lu pattern%s disabled for the"
			  " run after %d give-ups each", sum->gave_up, sum->disabled,
			  sum->disabled == 1 ? "" : "s", PATTERN_MAX_GIVE_UPS);
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
