/* tracker: the corrective-action tracker's model and its CSV loaders
 * (spec §3.6). See tracker.h for the rules. */
#include "tracker.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "ingest.h"
#include "report.h"
#include "store.h"
#include "strbuf.h"
#include "timeutil.h"
#include "xalloc.h"

const char *const tracker_rec_statuses[] = {
	"Open - Unresolved", "Open - Resolved", "Closed - Implemented",
	"Closed - Not Implemented", NULL
};
const char *const tracker_action_statuses[] = {
	"Not started", "In progress", "Complete", "Closed", NULL
};
const char *const tracker_case_statuses[] = { "Open", "Closed", NULL };
const char *const tracker_sources[] = { "OIG", "GAO", "NARA", NULL };

const char *const tracker_load_order[4] = { "cases", "recommendations", "actions", "updates" };

const char *tracker_kind_name(enum tracker_kind k)
{
	return k == TK_ACTION ? "action" : k == TK_RECOMMENDATION ? "recommendation" : "case";
}

const char *const *tracker_statuses(enum tracker_kind k)
{
	return k == TK_ACTION ? tracker_action_statuses
	     : k == TK_RECOMMENDATION ? tracker_rec_statuses : tracker_case_statuses;
}

/* A comparison key: lowercase ASCII, en and em dashes as '-', no spaces. */
static void status_key(const char *s, char *out, size_t outlen)
{
	size_t n = 0;

	for (const unsigned char *p = (const unsigned char *)s; *p && n + 1 < outlen; p++) {
		if (p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0x93 || p[2] == 0x94)) {
			out[n++] = '-';
			p += 2;
		} else if (!isspace(*p) && *p != '_') {
			out[n++] = (char)tolower(*p);
		}
	}
	out[n] = '\0';
}

const char *tracker_norm_status(enum tracker_kind k, const char *s)
{
	/* DHS report wording (regulations.md §7.6) */
	static const char *const aliases[][2] = {
		{ "resolvedandopen", "Open - Resolved" },
		{ "unresolvedandopen", "Open - Unresolved" },
	};
	const char *const *vocab = tracker_statuses(k);
	char key[64], want[64];

	if (!s || !*s)
		return NULL;
	status_key(s, key, sizeof(key));
	for (int i = 0; vocab[i]; i++) {
		status_key(vocab[i], want, sizeof(want));
		if (!strcmp(key, want))
			return vocab[i];
	}
	if (k == TK_RECOMMENDATION)
		for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
			if (!strcmp(key, aliases[i][0]))
				return aliases[i][1];
	if (k == TK_ACTION && !strcmp(key, "completed"))
		return "Complete";
	return NULL;
}

int tracker_is_closed(const char *status)
{
	return status && !strncmp(status, "Closed", 6);
}

int tracker_is_pending(enum tracker_kind k, const char *status)
{
	if (tracker_is_closed(status))
		return 0;
	return !(k == TK_ACTION && status && !strcmp(status, "Complete"));
}

void tracker_standing(enum tracker_kind k, const char *status, const char *due,
		      const char *report_sent_on, int actions_done, long long as_of_days,
		      struct tracker_standing *out)
{
	long long d, sent;

	out->days = 0;
	if (!tracker_is_pending(k, status)) {
		out->state = tracker_is_closed(status) ? "closed" : "complete";
		return;
	}
	/* the work is done and shown: what is left is the auditor's closure */
	if (k == TK_RECOMMENDATION && actions_done) {
		out->state = "awaiting closure";
		return;
	}
	/* a case is due until its report is sent (36 CFR 1230.16(b)) */
	if (k == TK_CASE && report_sent_on && !time_parse_date(report_sent_on, &sent) &&
	    sent <= as_of_days) {
		out->state = "report sent";
		return;
	}
	if (!due || time_parse_date(due, &d)) {
		out->state = "no due date";
		return;
	}
	if (as_of_days > d) {
		out->state = "overdue";
		out->days = as_of_days - d;
	} else {
		out->state = "on schedule";
	}
}

long long tracker_days_overdue(enum tracker_kind k, const char *status, const char *due,
			       long long as_of_days)
{
	struct tracker_standing sd;

	tracker_standing(k, status, due, NULL, 0, as_of_days, &sd);
	return sd.days;
}

int tracker_as_of(struct store *st, const char *opt, long long *created, char date[TIME_DATE_LEN])
{
	struct stmt *s;
	char *run = NULL;
	int rc;

	/* the audit's date: the latest analysis run's as_of (--as-of wins) */
	s = stmt_prepare(st, "SELECT max(as_of) FROM runs");
	if (!s)
		return -1;
	if (stmt_step(s) == 1 && stmt_text(s, 0))
		run = xstrdup(stmt_text(s, 0));
	stmt_free(s);
	if (!opt && !run) {
		/* no run: the latest date the tracker records, never the clock */
		s = stmt_prepare(st, "SELECT max(d) FROM (SELECT max(on_date) AS d FROM status_updates"
				 " UNION ALL SELECT max(sent_on) FROM case_letters)");
		if (!s)
			return -1;
		if (stmt_step(s) == 1 && stmt_text(s, 0))
			run = xstrdup(stmt_text(s, 0));
		stmt_free(s);
		if (run)
			diag_warn(NULL, "no analysis run in the audit database: dated %s, the latest"
				  " tracker update (give --as-of DATE)", run);
	}
	rc = report_doc_time(opt, run, created, date);
	free(run);
	return rc;
}

int tracker_last_letter(struct store *st, const char *case_id, char out[TIME_DATE_LEN])
{
	struct stmt *s = stmt_prepare(st, "SELECT max(sent_on) FROM case_letters WHERE case_id = ?1");
	int rc;

	out[0] = '\0';
	if (!s)
		return -1;
	stmt_bind_text(s, 1, case_id);
	rc = stmt_step(s);
	if (rc == 1 && stmt_text(s, 0))
		snprintf(out, TIME_DATE_LEN, "%s", stmt_text(s, 0));
	stmt_free(s);
	return rc < 0 ? -1 : 0;
}

/* "a, b, c or d" for messages */
static void word_list(const char *const *w, char *out, size_t outlen)
{
	size_t n = 0;

	out[0] = '\0';
	for (int i = 0; w[i] && n < outlen; i++) {
		const char *sep = !i ? "" : w[i + 1] ? ", " : " or ";
		n += (size_t)snprintf(out + n, outlen - n, "%s'%s'", sep, w[i]);
	}
}

static int is_case_id(const char *s)
{
	static const char pat[] = "UD-dddd-dddd";

	if (strlen(s) != sizeof(pat) - 1)
		return 0;
	for (size_t i = 0; pat[i]; i++)
		if (pat[i] == 'd' ? !isdigit((unsigned char)s[i]) : s[i] != pat[i])
			return 0;
	return 1;
}

/* Split "REPORT#N" at its last '#'. */
static int split_rec_ref(const char *ref, char **report, char **rec_no)
{
	const char *hash = strrchr(ref, '#');

	if (!hash || hash == ref || !hash[1])
		return -1;
	*report = xstrndup(ref, (size_t)(hash - ref));
	*rec_no = xstrdup(hash + 1);
	return 0;
}

/* ---- items: current status and evidence ---- */

struct item {
	int found;
	char *status, *evidence;
	int linked_evidence;    /* a recommendation with a linked action's evidence */
	long long percent;      /* actions; -1 unknown */
};

static void item_release(struct item *it)
{
	free(it->status);
	free(it->evidence);
}

static int load_item(struct store *st, enum tracker_kind k, const char *id, struct item *it)
{
	struct stmt *s;
	char *report = NULL, *rec_no = NULL;
	int rc;

	memset(it, 0, sizeof(*it));
	it->percent = -1;
	if (k == TK_ACTION) {
		s = stmt_prepare(st, "SELECT status, evidence, 0, percent FROM actions"
				 " WHERE action_id = ?1");
	} else if (k == TK_CASE) {
		s = stmt_prepare(st, "SELECT status, NULL, 0, NULL FROM cases WHERE case_id = ?1");
	} else {
		if (split_rec_ref(id, &report, &rec_no))
			return 0;
		s = stmt_prepare(st,
			"SELECT status, evidence, EXISTS (SELECT 1 FROM action_refs r"
			"  JOIN actions a USING (action_id) WHERE r.ref = ?1"
			"  AND coalesce(a.evidence, '') <> ''), NULL"
			" FROM recommendations WHERE report_id = ?2 AND rec_no = ?3");
	}
	if (!s) {
		free(report);
		free(rec_no);
		return -1;
	}
	stmt_bind_text(s, 1, id);
	if (report) {
		stmt_bind_text(s, 2, report);
		stmt_bind_text(s, 3, rec_no);
	}
	rc = stmt_step(s);
	if (rc == 1) {
		it->found = 1;
		it->status = xstrdup(stmt_text(s, 0));
		it->evidence = xstrdup(stmt_text(s, 1));
		it->linked_evidence = stmt_int(s, 2) != 0;
		if (!stmt_is_null(s, 3))
			it->percent = stmt_int(s, 3);
	}
	stmt_free(s);
	free(report);
	free(rec_no);
	return rc < 0 ? -1 : 0;
}

int tracker_find_item(struct store *st, const char *id, enum tracker_kind *kind)
{
	static const enum tracker_kind order[] = { TK_ACTION, TK_RECOMMENDATION, TK_CASE };

	for (size_t i = 0; i < 3; i++) {
		struct item it;
		if (load_item(st, order[i], id, &it))
			return -1;
		item_release(&it);
		if (it.found) {
			*kind = order[i];
			return 0;
		}
	}
	return -1;
}

/* The latest dated update of an item (the one that sets its status):
 * found 0 when it has none. */
struct latest {
	int found;
	char status[40], on[TIME_DATE_LEN], from[300];
	long long percent;              /* -1: the update gave none */
	char pct_on[TIME_DATE_LEN];     /* the latest update that gave a percent */
	long long pct;
};

static int latest_update(struct store *st, enum tracker_kind k, const char *id, struct latest *l)
{
	struct stmt *s = stmt_prepare(st,
		"SELECT u.status, u.on_date, u.percent, CASE WHEN u.input_id IS NULL"
		"  THEN 'udaudit tracker update' ELSE coalesce(i.path, '?') || ':' || u.line END,"
		" (SELECT percent || ' ' || on_date FROM status_updates p WHERE p.item_kind = ?1"
		"  AND p.item_id = ?2 AND p.percent IS NOT NULL"
		"  ORDER BY p.on_date DESC, p.update_id DESC LIMIT 1)"
		" FROM status_updates u LEFT JOIN inputs i USING (input_id)"
		" WHERE u.item_kind = ?1 AND u.item_id = ?2"
		" ORDER BY u.on_date DESC, u.update_id DESC LIMIT 1");
	int rc;

	memset(l, 0, sizeof(*l));
	l->percent = l->pct = -1;
	if (!s)
		return -1;
	stmt_bind_text(s, 1, tracker_kind_name(k));
	stmt_bind_text(s, 2, id);
	rc = stmt_step(s);
	if (rc == 1) {
		const char *p = stmt_text(s, 4);
		l->found = 1;
		snprintf(l->status, sizeof(l->status), "%s", stmt_text(s, 0));
		snprintf(l->on, sizeof(l->on), "%s", stmt_text(s, 1));
		if (!stmt_is_null(s, 2))
			l->percent = stmt_int(s, 2);
		snprintf(l->from, sizeof(l->from), "%s", stmt_text(s, 3));
		if (p && sscanf(p, "%lld %10s", &l->pct, l->pct_on) != 2)
			l->pct = -1;
	}
	stmt_free(s);
	return rc < 0 ? -1 : 0;
}

/* Record one history row unless the same one is there. 1 added, 0 there. */
static int add_history(struct store *st, enum tracker_kind k, const char *id, const char *on,
		       const char *status, const char *note, const char *evidence,
		       long long percent, long long input_id, unsigned long line)
{
	struct stmt *s = stmt_prepare(st,
		"SELECT 1 FROM status_updates WHERE item_kind = ?1 AND item_id = ?2"
		" AND on_date = ?3 AND status = ?4 AND coalesce(note, '') = ?5"
		" AND coalesce(evidence, '') = ?6 AND coalesce(percent, -1) = ?7");
	int rc;

	if (!s)
		return -1;
	stmt_bind_text(s, 1, tracker_kind_name(k));
	stmt_bind_text(s, 2, id);
	stmt_bind_text(s, 3, on);
	stmt_bind_text(s, 4, status);
	stmt_bind_text(s, 5, note ? note : "");
	stmt_bind_text(s, 6, evidence ? evidence : "");
	stmt_bind_int(s, 7, percent);
	rc = stmt_step(s);
	stmt_free(s);
	if (rc)
		return rc < 0 ? -1 : 0;
	s = stmt_prepare(st,
		"INSERT INTO status_updates (item_kind, item_id, on_date, status, note,"
		" evidence, input_id, line, percent) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
	if (!s)
		return -1;
	stmt_bind_text(s, 1, tracker_kind_name(k));
	stmt_bind_text(s, 2, id);
	stmt_bind_text(s, 3, on);
	stmt_bind_text(s, 4, status);
	stmt_bind_text(s, 5, note && *note ? note : NULL);
	stmt_bind_text(s, 6, evidence && *evidence ? evidence : NULL);
	if (input_id >= 0) {
		stmt_bind_int(s, 7, input_id);
		stmt_bind_int(s, 8, (long long)line);
	}
	if (percent >= 0)
		stmt_bind_int(s, 9, percent);
	rc = stmt_step(s);
	stmt_free(s);
	return rc < 0 ? -1 : 1;
}

/* "old; new" unless new is already in old. Caller frees. */
static char *merge_evidence(const char *old, const char *add)
{
	if (!add || !*add)
		return xstrdup(old);
	if (!old || !*old)
		return xstrdup(add);
	if (strstr(old, add))
		return xstrdup(old);
	return xasprintf("%s; %s", old, add);
}

/* The evidence the dated updates of an item brought, merged onto base.
 * Caller frees. */
static char *with_update_evidence(struct store *st, enum tracker_kind k, const char *id,
				  const char *base)
{
	struct stmt *s = stmt_prepare(st, "SELECT evidence FROM status_updates WHERE"
				      " item_kind = ?1 AND item_id = ?2 AND evidence IS NOT NULL"
				      " ORDER BY on_date, update_id");
	char *ev = xstrdup(base && *base ? base : NULL);

	if (!s)
		return ev;
	stmt_bind_text(s, 1, tracker_kind_name(k));
	stmt_bind_text(s, 2, id);
	while (stmt_step(s) == 1) {
		char *m = merge_evidence(ev, stmt_text(s, 0));
		free(ev);
		ev = m;
	}
	stmt_free(s);
	return ev;
}

/* Complete and Closed mean the work is done: 100 %. */
static long long implied_percent(enum tracker_kind k, const char *status, long long percent)
{
	if (k == TK_ACTION && status && (!strcmp(status, "Complete") || !strcmp(status, "Closed")))
		return 100;
	return percent;
}

/* Make status (NULL: keep it) the item's current status as of u->on, and
 * store its evidence list and percent (-1: keep it). */
static int set_current(struct store *st, const struct tracker_update *u, const char *status,
		       const char *evidence, long long percent)
{
	struct stmt *s;
	char *report = NULL, *rec_no = NULL;
	int rc;

	if (u->kind == TK_ACTION) {
		s = stmt_prepare(st, "UPDATE actions SET status = coalesce(?2, status),"
				 " evidence = ?3, percent = CASE WHEN ?4 < 0 THEN percent ELSE ?4 END"
				 " WHERE action_id = ?1");
	} else if (u->kind == TK_CASE) {
		/* a case closed without a date gets the update's */
		s = stmt_prepare(st, "UPDATE cases SET status = coalesce(?2, status),"
				 " closed_on = CASE WHEN ?2 = 'Closed' THEN coalesce(closed_on, ?4)"
				 " ELSE closed_on END WHERE case_id = ?1");
	} else {
		if (split_rec_ref(u->id, &report, &rec_no))
			return -1;
		s = stmt_prepare(st, "UPDATE recommendations SET status = coalesce(?2, status),"
				 " evidence = ?3, status_on = CASE WHEN ?2 IS NULL THEN status_on"
				 " ELSE ?4 END WHERE report_id = ?5 AND rec_no = ?6");
	}
	if (!s) {
		free(report);
		free(rec_no);
		return -1;
	}
	stmt_bind_text(s, 1, u->id);
	stmt_bind_text(s, 2, status);
	if (u->kind != TK_CASE)
		stmt_bind_text(s, 3, evidence && *evidence ? evidence : NULL);
	if (u->kind == TK_ACTION)
		stmt_bind_int(s, 4, percent);
	else
		stmt_bind_text(s, 4, u->on);
	if (report) {
		stmt_bind_text(s, 5, report);
		stmt_bind_text(s, 6, rec_no);
	}
	rc = stmt_step(s);
	stmt_free(s);
	free(report);
	free(rec_no);
	return rc < 0 ? -1 : 0;
}

enum tracker_result tracker_apply_update(struct store *st, const struct tracker_update *u,
					 char *why, size_t whylen)
{
	const char *kind = tracker_kind_name(u->kind), *status;
	struct item it;
	long long days, later, percent = u->percent;
	char words[160], *evidence;
	int rc;

	why[0] = '\0';
	if (load_item(st, u->kind, u->id, &it))
		return TU_ERROR;
	if (!it.found) {
		snprintf(why, whylen, "no %s '%s' in the tracker%s", kind, u->id,
			 u->kind == TK_RECOMMENDATION && !strchr(u->id, '#')
			 ? " (expected REPORT#N)" : "");
		return TU_REFUSED;
	}
	if (percent >= 0 && u->kind != TK_ACTION) {
		snprintf(why, whylen, "a percent complete is kept for actions only, not for %s '%s'",
			 kind, u->id);
		item_release(&it);
		return TU_REFUSED;
	}
	/* a percent alone keeps the status (an action not started is started) */
	if (!u->status && percent >= 0)
		status = it.status && !(percent > 0 && !strcmp(it.status, "Not started"))
			 ? it.status : percent > 0 ? "In progress" : "Not started";
	else
		status = tracker_norm_status(u->kind, u->status);
	if (!status) {
		word_list(tracker_statuses(u->kind), words, sizeof(words));
		snprintf(why, whylen, "bad status '%s' for %s '%s' (expected %s)",
			 u->status ? u->status : "", kind, u->id, words);
		item_release(&it);
		return TU_REFUSED;
	}
	if (percent >= 0 && percent < 100 && implied_percent(u->kind, status, -1) == 100) {
		snprintf(why, whylen, "action '%s' %s means 100 %% complete, not %lld %%", u->id,
			 status, percent);
		item_release(&it);
		return TU_REFUSED;
	}
	percent = implied_percent(u->kind, status, percent);
	if (!u->on || time_parse_date(u->on, &days)) {
		snprintf(why, whylen, "bad date '%s' (expected YYYY-MM-DD)", u->on ? u->on : "");
		item_release(&it);
		return TU_REFUSED;
	}
	if (u->kind != TK_CASE && tracker_is_closed(status) && !(u->evidence && *u->evidence) &&
	    !(it.evidence && *it.evidence) && !it.linked_evidence) {
		snprintf(why, whylen, "cannot close %s '%s' without evidence", kind, u->id);
		item_release(&it);
		return TU_REFUSED;
	}
	rc = add_history(st, u->kind, u->id, u->on, status, u->note, u->evidence, percent,
			 u->input_id, u->line);
	if (rc <= 0) {
		item_release(&it);
		return rc < 0 ? TU_ERROR : TU_DUPLICATE;
	}
	/* the item's current status is its latest dated update: a back-dated
	 * update only adds history */
	struct stmt *s = stmt_prepare(st, "SELECT count(*) FROM status_updates WHERE"
				      " item_kind = ?1 AND item_id = ?2 AND on_date > ?3");
	if (!s) {
		item_release(&it);
		return TU_ERROR;
	}
	stmt_bind_text(s, 1, kind);
	stmt_bind_text(s, 2, u->id);
	stmt_bind_text(s, 3, u->on);
	rc = stmt_step(s);
	later = rc == 1 ? stmt_int(s, 0) : 0;
	stmt_free(s);
	if (rc < 0) {
		item_release(&it);
		return TU_ERROR;
	}
	evidence = merge_evidence(it.evidence, u->evidence);
	/* evidence is kept even when a back-dated status is not current */
	rc = set_current(st, u, later ? NULL : status, evidence, later ? -1 : percent);
	free(evidence);
	item_release(&it);
	return rc ? TU_ERROR : TU_APPLIED;
}

enum tracker_result tracker_record_letter(struct store *st, const char *case_id, const char *on,
					  const char *note, char *why, size_t whylen,
					  const char **kind)
{
	struct stmt *s;
	long long days;
	int rc, first;

	why[0] = '\0';
	if (!on || time_parse_date(on, &days)) {
		snprintf(why, whylen, "bad date '%s' (expected YYYY-MM-DD)", on ? on : "");
		return TU_REFUSED;
	}
	s = stmt_prepare(st, "SELECT report_sent_on IS NULL AND NOT EXISTS (SELECT 1 FROM"
			 " case_letters l WHERE l.case_id = c.case_id), EXISTS (SELECT 1 FROM"
			 " case_letters l WHERE l.case_id = c.case_id AND l.sent_on = ?2)"
			 " FROM cases c WHERE case_id = ?1");
	if (!s)
		return TU_ERROR;
	stmt_bind_text(s, 1, case_id);
	stmt_bind_text(s, 2, on);
	rc = stmt_step(s);
	first = rc == 1 && stmt_int(s, 0);
	int same = rc == 1 && stmt_int(s, 1);
	stmt_free(s);
	if (rc < 0)
		return TU_ERROR;
	if (rc == 0) {
		snprintf(why, whylen, "no case '%s' in the tracker", case_id);
		return TU_REFUSED;
	}
	if (same)
		return TU_DUPLICATE;
	/* the first letter on a case is its 36 CFR 1230.14 report, the next
	 * ones status updates */
	*kind = first ? "report" : "status";
	s = stmt_prepare(st, "INSERT INTO case_letters (case_id, sent_on, kind, note)"
			 " VALUES (?1, ?2, ?3, ?4)");
	if (!s)
		return TU_ERROR;
	stmt_bind_text(s, 1, case_id);
	stmt_bind_text(s, 2, on);
	stmt_bind_text(s, 3, *kind);
	stmt_bind_text(s, 4, note && *note ? note : NULL);
	rc = stmt_step(s);
	stmt_free(s);
	if (rc < 0)
		return TU_ERROR;
	if (first) {
		s = stmt_prepare(st, "UPDATE cases SET report_sent_on = ?2 WHERE case_id = ?1");
		if (!s)
			return TU_ERROR;
		stmt_bind_text(s, 1, case_id);
		stmt_bind_text(s, 2, on);
		rc = stmt_step(s);
		stmt_free(s);
		if (rc < 0)
			return TU_ERROR;
	}
	return TU_APPLIED;
}

/* ---- loaders ---- */

static int bad_enum(struct ingest_ctx *ctx, unsigned long line, const char *col,
		    const char *v, const char *const *allowed)
{
	char words[200];

	word_list(allowed, words, sizeof(words));
	return bad_record(&ctx->bad, line, 0, "bad value '%s' for '%s' (expected %s)", v, col,
			  words);
}

static int bad_date(struct ingest_ctx *ctx, unsigned long line, const char *col, const char *v)
{
	return bad_record(&ctx->bad, line, 0, "bad date '%s' for '%s' (expected YYYY-MM-DD)",
			  v, col);
}

static const char *norm_source(const char *v)
{
	for (int i = 0; tracker_sources[i]; i++)
		if (!strcasecmp(v, tracker_sources[i]))
			return tracker_sources[i];
	return NULL;
}

/* Prepared statements are cached in ctx->put (freed by ingest.c when the
 * file is done; records.c does not use them for these kinds). */
static struct stmt *cached(struct ingest_ctx *ctx, int slot, const char *sql)
{
	if (!ctx->put[slot])
		ctx->put[slot] = stmt_prepare(ctx->st, sql);
	return ctx->put[slot];
}

static int step_once(struct stmt *s)
{
	int rc = stmt_step(s);
	stmt_reset(s);
	return rc < 0 ? -1 : 0;
}

static const char *opt_text(const char *v)
{
	return *v ? v : NULL;
}

/* A status the file gives, checked against the recorded history: a dated
 * update outranks the file's undated status column (and an older date).
 * Returns the status to keep (the file's when nothing outranks it), and
 * says a conflict with file:line, what was kept and why. */
static const char *ranked_status(struct ingest_ctx *ctx, unsigned long line, enum tracker_kind k,
				 const char *id, const char *file_status, const char *file_on,
				 const struct latest *l)
{
	struct src_loc at = { ctx->path, line, 0 };

	if (!l->found || (file_on && *file_on && strcmp(file_on, l->on) >= 0))
		return file_status;
	if (file_status && strcmp(file_status, l->status))
		diag_warn(&at, "%s '%s': the file's status '%s'%s%s conflicts with the update of %s"
			  " ('%s', %s); kept '%s' (record a change with 'udaudit tracker update'"
			  " or updates.csv)", tracker_kind_name(k), id, file_status,
			  file_on && *file_on ? " of " : "", file_on && *file_on ? file_on : "",
			  l->on, l->status, l->from, l->status);
	return l->status;
}

/* ---- rows skipped for a reference that did not resolve ----
 *
 * Such a row is kept (its fields, in tracker_pending) and loaded when the
 * reference appears: after each recommendations or cases file, and each
 * actions file (for updates). */

#define FIELD_SEP '\x1f'

static int keep_pending(struct ingest_ctx *ctx, unsigned long line, const char *ref,
			const char *const *v, int n)
{
	struct strbuf sb = STRBUF_INIT;
	struct stmt *s;
	int rc;

	for (int i = 0; i < n; i++) {
		if (strchr(v[i], FIELD_SEP)) {
			strbuf_release(&sb);
			return 0;               /* cannot keep it: it stays skipped */
		}
		if (i)
			strbuf_addch(&sb, FIELD_SEP);
		strbuf_addstr(&sb, v[i]);
	}
	/* a newer version of the row replaces the one kept from an older file */
	s = stmt_prepare(ctx->st, "DELETE FROM tracker_pending WHERE kind = ?1 AND loaded_by IS NULL"
			 " AND (fields = ?2 OR (kind = 'actions' AND substr(fields, 1, length(?3) + 1)"
			 " = ?3 || char(31)))");
	if (!s) {
		strbuf_release(&sb);
		return -1;
	}
	stmt_bind_text(s, 1, ctx->kind);
	stmt_bind_text(s, 2, sb.buf);
	stmt_bind_text(s, 3, v[0]);
	rc = stmt_step(s);
	stmt_free(s);
	if (rc < 0) {
		strbuf_release(&sb);
		return -1;
	}
	s = stmt_prepare(ctx->st, "INSERT OR REPLACE INTO tracker_pending (input_id, line, kind,"
			 " ref, fields) VALUES (?1, ?2, ?3, ?4, ?5)");
	if (!s) {
		strbuf_release(&sb);
		return -1;
	}
	stmt_bind_int(s, 1, ctx->input_id);
	stmt_bind_int(s, 2, (long long)line);
	stmt_bind_text(s, 3, ctx->kind);
	stmt_bind_text(s, 4, ref);
	stmt_bind_text(s, 5, sb.buf);
	rc = stmt_step(s);
	stmt_free(s);
	strbuf_release(&sb);
	if (rc < 0)
		return -1;
	ctx->kept++;
	return 0;
}

static int action_row(struct ingest_ctx *ctx, const char *const *v, unsigned long line);
static int update_row(struct ingest_ctx *ctx, const char *const *v, unsigned long line);

#define MAX_FIELDS 16

/* A kept row, read before any is loaded (loading one changes the table). */
struct pending {
	long long input_id;
	unsigned long line;
	char *ref, *fields, *path;
};

/* Load the kept rows of `kind` whose reference now resolves. */
static int retry_pending(struct ingest_ctx *ctx, const char *kind, int nfields)
{
	struct stmt *s = stmt_prepare(ctx->st,
		"SELECT p.input_id, p.line, p.ref, p.fields, i.path FROM tracker_pending p"
		" JOIN inputs i USING (input_id) WHERE p.kind = ?1 AND p.loaded_by IS NULL"
		" ORDER BY p.input_id, p.line");
	struct pending *p = NULL;
	size_t n = 0, alloc = 0;
	int rc, status = 0;

	if (!s)
		return -1;
	stmt_bind_text(s, 1, kind);
	while ((rc = stmt_step(s)) == 1) {
		p = xgrow(p, n + 1, &alloc, sizeof(*p));
		p[n++] = (struct pending){ stmt_int(s, 0), (unsigned long)stmt_int(s, 1),
					   xstrdup(stmt_text(s, 2)), xstrdup(stmt_text(s, 3)),
					   xstrdup(stmt_text(s, 4)) };
	}
	stmt_free(s);
	if (rc < 0)
		status = -1;
	for (size_t j = 0; j < n && !status; j++) {
		struct ingest_ctx r = *ctx;
		const char *v[MAX_FIELDS];
		enum tracker_kind k;
		int nv = 0, found = 0;
		struct item it;

		/* does it resolve now? (else it waits, silently: it was said) */
		if (!strcmp(kind, "updates")) {
			found = !tracker_find_item(ctx->st, p[j].ref, &k);
		} else {
			k = strchr(p[j].ref, '#') ? TK_RECOMMENDATION : TK_CASE;
			if (load_item(ctx->st, k, p[j].ref, &it))
				status = -1;
			found = it.found;
			item_release(&it);
		}
		if (status || !found)
			continue;
		for (char *q = p[j].fields; q && nv < MAX_FIELDS; nv++) {
			char *sep = strchr(q, FIELD_SEP);
			v[nv] = q;
			if (sep)
				*sep++ = '\0';
			q = sep;
		}
		while (nv < nfields && nv < MAX_FIELDS)
			v[nv++] = "";
		memset(r.put, 0, sizeof(r.put));
		r.input_id = p[j].input_id;
		r.path = p[j].path;
		r.kind = kind;
		r.records = 0;
		bad_records_init(&r.bad, p[j].path, 0);
		status = !strcmp(kind, "updates") ? update_row(&r, v, p[j].line)
			 : action_row(&r, v, p[j].line);
		for (size_t i = 0; i < sizeof(r.put) / sizeof(r.put[0]); i++)
			stmt_free(r.put[i]);
		if (status || !r.records)
			continue;
		s = stmt_prepare(ctx->st, "UPDATE tracker_pending SET loaded_by = ?3"
				 " WHERE input_id = ?1 AND line = ?2");
		if (!s) {
			status = -1;
			break;
		}
		stmt_bind_int(s, 1, r.input_id);
		stmt_bind_int(s, 2, (long long)p[j].line);
		stmt_bind_int(s, 3, ctx->input_id);
		status = stmt_step(s) < 0 ? -1 : 0;
		stmt_free(s);
		if (!status)
			diag_note("%s:%lu: the row skipped earlier for '%s' is loaded now (%s resolves)",
				  p[j].path, p[j].line, p[j].ref, p[j].ref);
	}
	for (size_t j = 0; j < n; j++) {
		free(p[j].ref);
		free(p[j].fields);
		free(p[j].path);
	}
	free(p);
	return status;
}

/* ---- recommendations.csv ---- */

static const struct csv_col rec_cols[] = {
	{ "report_id", 1 }, { "report_title", 0 }, { "issued_on", 0 }, { "source", 0 },
	{ "rec_no", 1 }, { "text", 0 }, { "concurrence", 0 }, { "target_on", 0 },
	{ "status", 0 }, { "status_on", 0 }, { "priority", 0 }, { "evidence", 0 },
};

static int rec_row(struct ingest_ctx *ctx, const char *const *v, unsigned long line)
{
	const char *source = NULL, *status = NULL, *keep;
	char ref[512];
	struct item it;
	struct latest l;
	struct stmt *s;
	char *evidence;
	int closed_ok;

	if (!*v[0] || !*v[4])
		return bad_record(&ctx->bad, line, 0, "empty '%s'", !*v[0] ? "report_id" : "rec_no");
	if (strchr(v[0], '#') || strchr(v[4], '#') || strchr(v[0], ';') || strchr(v[4], ';'))
		return bad_record(&ctx->bad, line, 0, "'#' or ';' in report_id or rec_no '%s#%s'",
				  v[0], v[4]);
	if (*v[3] && !(source = norm_source(v[3])))
		return bad_enum(ctx, line, "source", v[3], tracker_sources);
	if (*v[8] && !(status = tracker_norm_status(TK_RECOMMENDATION, v[8])))
		return bad_enum(ctx, line, "status", v[8], tracker_rec_statuses);
	if (check_date(v[2]))
		return bad_date(ctx, line, "issued_on", v[2]);
	if (check_date(v[7]))
		return bad_date(ctx, line, "target_on", v[7]);
	if (check_date(v[9]))
		return bad_date(ctx, line, "status_on", v[9]);
	snprintf(ref, sizeof(ref), "%s#%s", v[0], v[4]);
	if (load_item(ctx->st, TK_RECOMMENDATION, ref, &it))
		return -1;
	closed_ok = *v[11] || (it.evidence && *it.evidence) || it.linked_evidence;
	item_release(&it);
	if (tracker_is_closed(status) && !closed_ok)
		return bad_record(&ctx->bad, line, 0,
				  "cannot close recommendation '%s' without evidence", ref);
	/* the dated status in the file is part of the history */
	if (status && *v[9] && add_history(ctx->st, TK_RECOMMENDATION, ref, v[9], status, NULL,
					   opt_text(v[11]), -1, ctx->input_id, line) < 0)
		return -1;
	if (latest_update(ctx->st, TK_RECOMMENDATION, ref, &l))
		return -1;
	keep = ranked_status(ctx, line, TK_RECOMMENDATION, ref, status, v[9], &l);
	evidence = with_update_evidence(ctx->st, TK_RECOMMENDATION, ref, v[11]);
	s = cached(ctx, 0,
		"INSERT INTO recommendations (report_id, rec_no, report_title, issued_on,"
		" source, text, concurrence, target_on, status, status_on, priority, evidence,"
		" input_id, line) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14)"
		" ON CONFLICT (report_id, rec_no) DO UPDATE SET report_title = ?3,"
		" issued_on = ?4, source = ?5, text = ?6, concurrence = ?7, target_on = ?8,"
		" status = ?9, status_on = ?10, priority = ?11,"
		" evidence = coalesce(?12, evidence), input_id = ?13, line = ?14");
	if (!s) {
		free(evidence);
		return -1;
	}
	stmt_bind_text(s, 1, v[0]);
	stmt_bind_text(s, 2, v[4]);
	stmt_bind_text(s, 3, opt_text(v[1]));
	stmt_bind_text(s, 4, opt_text(v[2]));
	stmt_bind_text(s, 5, source);
	stmt_bind_text(s, 6, opt_text(v[5]));
	stmt_bind_text(s, 7, opt_text(v[6]));
	stmt_bind_text(s, 8, opt_text(v[7]));
	stmt_bind_text(s, 9, keep);
	stmt_bind_text(s, 10, keep == status ? opt_text(v[9]) : l.on);
	stmt_bind_text(s, 11, opt_text(v[10]));
	stmt_bind_text(s, 12, evidence);
	stmt_bind_int(s, 13, ctx->input_id);
	stmt_bind_int(s, 14, (long long)line);
	free(evidence);
	if (step_once(s))
		return -1;
	ctx->records++;
	return 0;
}

int load_recommendations(struct ingest_ctx *ctx)
{
	int rc = ingest_csv(ctx, rec_cols, 12, rec_row);
	return rc ? rc : retry_pending(ctx, "actions", 13);
}

/* ---- cases.csv ---- */

static const struct csv_col case_cols[] = {
	{ "case_id", 1 }, { "agency", 0 }, { "opened_on", 0 }, { "closed_on", 0 },
	{ "status", 0 }, { "records", 0 }, { "nara_letter_on", 0 }, { "response_due_on", 0 },
	{ "report_sent_on", 0 },
};

static int case_row(struct ingest_ctx *ctx, const char *const *v, unsigned long line)
{
	static const char *const date_cols[] = {
		NULL, NULL, "opened_on", "closed_on", NULL, NULL, "nara_letter_on", "response_due_on",
		"report_sent_on",
	};
	const char *status = NULL, *keep;
	struct latest l;
	struct stmt *s;

	if (!is_case_id(v[0]))
		return bad_record(&ctx->bad, line, 0, "bad case id '%s' (expected UD-YYYY-NNNN)", v[0]);
	if (*v[4] && !(status = tracker_norm_status(TK_CASE, v[4])))
		return bad_enum(ctx, line, "status", v[4], tracker_case_statuses);
	for (int i = 0; i < 9; i++)
		if (date_cols[i] && check_date(v[i]))
			return bad_date(ctx, line, date_cols[i], v[i]);
	if ((*v[2] && add_history(ctx->st, TK_CASE, v[0], v[2], "Open", "case opened", NULL, -1,
				  ctx->input_id, line) < 0) ||
	    (*v[3] && add_history(ctx->st, TK_CASE, v[0], v[3], "Closed", "case closed", NULL, -1,
				  ctx->input_id, line) < 0))
		return -1;
	if (latest_update(ctx->st, TK_CASE, v[0], &l))
		return -1;
	/* the file's own opened/closed dates are in the history: only an
	 * update recorded some other way can outrank its status column */
	keep = ranked_status(ctx, line, TK_CASE, v[0], status, *v[3] ? v[3] : NULL, &l);
	/* closed_on and report_sent_on are never cleared by a re-import */
	s = cached(ctx, 0,
		"INSERT INTO cases (case_id, agency, opened_on, closed_on, status, records,"
		" nara_letter_on, response_due_on, input_id, line, report_sent_on)"
		" VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11) ON CONFLICT (case_id) DO UPDATE SET"
		" agency = ?2, opened_on = ?3, closed_on = coalesce(?4, closed_on), status = ?5,"
		" records = ?6, nara_letter_on = ?7, response_due_on = ?8, input_id = ?9, line = ?10,"
		" report_sent_on = coalesce(?11, report_sent_on)");
	if (!s)
		return -1;
	stmt_bind_text(s, 1, v[0]);
	for (int i = 1; i < 8; i++)
		stmt_bind_text(s, i + 1, i == 4 ? keep : opt_text(v[i]));
	stmt_bind_int(s, 9, ctx->input_id);
	stmt_bind_int(s, 10, (long long)line);
	stmt_bind_text(s, 11, opt_text(v[8]));
	if (step_once(s))
		return -1;
	ctx->records++;
	return 0;
}

int load_cases(struct ingest_ctx *ctx)
{
	int rc = ingest_csv(ctx, case_cols, 9, case_row);
	return rc ? rc : retry_pending(ctx, "actions", 13);
}

/* ---- actions.csv ---- */

static const struct csv_col action_cols[] = {
	{ "action_id", 1 }, { "refs", 0 }, { "title", 0 }, { "owner_office", 0 },
	{ "owner", 0 }, { "due_on", 0 }, { "revised_due_on", 0 }, { "status", 0 },
	{ "percent", 0 }, { "evidence", 0 }, { "risk", 0 }, { "resources", 0 },
	{ "comments", 0 },
};

#define MAX_REFS 32

/* Split refs at ';', trimmed; empty pieces dropped. Returns the count, or
 * -1 when there are more than MAX_REFS. The strings point into buf. */
static int split_refs(char *buf, char **ref)
{
	int n = 0;

	for (char *p = buf; p; ) {
		char *semi = strchr(p, ';'), *end;
		if (semi)
			*semi = '\0';
		while (isspace((unsigned char)*p))
			p++;
		end = p + strlen(p);
		while (end > p && isspace((unsigned char)end[-1]))
			*--end = '\0';
		if (*p) {
			if (n >= MAX_REFS)
				return -1;
			ref[n++] = p;
		}
		p = semi ? semi + 1 : NULL;
	}
	return n;
}

/* 0..100, "" = unknown (-1); a trailing '%' is allowed. */
static int parse_percent(const char *v, long long *out)
{
	char *end;
	long n;

	*out = -1;
	if (!*v)
		return 0;
	n = strtol(v, &end, 10);
	if (end == v || (*end == '%' ? end[1] : *end) || n < 0 || n > 100)
		return -1;
	*out = n;
	return 0;
}

int tracker_parse_percent(const char *v, long long *out)
{
	return parse_percent(v, out) || *out < 0 ? -1 : 0;
}

/* A due date the file changes on an action already tracked is a milestone
 * change, kept (POA&M "changes to milestones"). */
static int note_due_change(struct ingest_ctx *ctx, unsigned long line, const char *id,
			   const char *field, const char *old, const char *now)
{
	struct stmt *s;
	int rc;

	if (!strcmp(old ? old : "", now ? now : ""))
		return 0;
	s = stmt_prepare(ctx->st, "INSERT INTO due_changes (action_id, field, old_on, new_on,"
			 " input_id, line) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
	if (!s)
		return -1;
	stmt_bind_text(s, 1, id);
	stmt_bind_text(s, 2, field);
	stmt_bind_text(s, 3, old && *old ? old : NULL);
	stmt_bind_text(s, 4, now && *now ? now : NULL);
	stmt_bind_int(s, 5, ctx->input_id);
	stmt_bind_int(s, 6, (long long)line);
	rc = stmt_step(s);
	stmt_free(s);
	return rc < 0 ? -1 : 0;
}

static int action_row(struct ingest_ctx *ctx, const char *const *v, unsigned long line)
{
	const char *status = NULL, *keep;
	char *refbuf, *ref[MAX_REFS], *evidence;
	long long percent;
	struct latest l;
	struct stmt *s;
	struct src_loc at = { ctx->path, line, 0 };
	int nref, rc = 0;

	if (!*v[0])
		return bad_record(&ctx->bad, line, 0, "empty 'action_id'");
	if (*v[7] && !(status = tracker_norm_status(TK_ACTION, v[7])))
		return bad_enum(ctx, line, "status", v[7], tracker_action_statuses);
	if (check_date(v[5]))
		return bad_date(ctx, line, "due_on", v[5]);
	if (check_date(v[6]))
		return bad_date(ctx, line, "revised_due_on", v[6]);
	if (parse_percent(v[8], &percent))
		return bad_record(&ctx->bad, line, 0, "bad percent '%s' (expected 0 to 100)", v[8]);
	refbuf = xstrdup(v[1]);
	nref = split_refs(refbuf, ref);
	if (nref < 0) {
		free(refbuf);
		return bad_record(&ctx->bad, line, 0, "more than %d refs", MAX_REFS);
	}
	for (int i = 0; i < nref; i++) {
		enum tracker_kind k = strchr(ref[i], '#') ? TK_RECOMMENDATION : TK_CASE;
		struct item it;
		if (k == TK_CASE && !is_case_id(ref[i])) {
			rc = bad_record(&ctx->bad, line, 0, "bad ref '%s' (expected REPORT#N or a"
					" case id UD-YYYY-NNNN)", ref[i]);
			free(refbuf);
			return rc;
		}
		if (load_item(ctx->st, k, ref[i], &it)) {
			free(refbuf);
			return -1;
		}
		item_release(&it);
		if (!it.found) {
			rc = bad_record(&ctx->bad, line, 0, "ref '%s' does not resolve (no such %s;"
					" load %s first; the row is kept and loads when it appears)",
					ref[i], tracker_kind_name(k),
					k == TK_CASE ? "cases" : "recommendations");
			if (!rc)
				rc = keep_pending(ctx, line, ref[i], v, 13);
			free(refbuf);
			return rc;
		}
	}
	/* the file's undated status yields to a dated update; its evidence
	 * adds to what the updates brought; Complete and Closed mean 100 % */
	if (latest_update(ctx->st, TK_ACTION, v[0], &l)) {
		free(refbuf);
		return -1;
	}
	keep = ranked_status(ctx, line, TK_ACTION, v[0], status, NULL, &l);
	if (l.pct >= 0) {
		if (percent >= 0 && percent != l.pct)
			diag_warn(&at, "action '%s': the file's percent %lld conflicts with the update"
				  " of %s (%lld %%); kept %lld %%", v[0], percent, l.pct_on, l.pct,
				  l.pct);
		percent = l.pct;
	}
	if (implied_percent(TK_ACTION, keep, percent) != percent) {
		if (percent >= 0)
			diag_warn(&at, "action '%s' is %s: percent %lld read as 100", v[0], keep,
				  percent);
		percent = 100;
	}
	evidence = with_update_evidence(ctx->st, TK_ACTION, v[0], v[9]);
	if (tracker_is_closed(keep) && !evidence) {
		struct item it;
		/* closed by a dated update on the evidence it had then: keep it */
		if (l.found && !load_item(ctx->st, TK_ACTION, v[0], &it)) {
			evidence = it.evidence;
			it.evidence = NULL;
			item_release(&it);
		}
		if (!evidence) {
			free(refbuf);
			return bad_record(&ctx->bad, line, 0,
					  "cannot close action '%s' without evidence", v[0]);
		}
	}
	/* due dates the file changes are milestone changes */
	s = stmt_prepare(ctx->st, "SELECT due_on, revised_due_on FROM actions WHERE action_id = ?1");
	if (!s) {
		free(evidence);
		free(refbuf);
		return -1;
	}
	stmt_bind_text(s, 1, v[0]);
	if (stmt_step(s) == 1 &&
	    (note_due_change(ctx, line, v[0], "due_on", stmt_text(s, 0), v[5]) ||
	     note_due_change(ctx, line, v[0], "revised_due_on", stmt_text(s, 1), v[6])))
		rc = -1;
	stmt_free(s);
	s = cached(ctx, 0,
		"INSERT INTO actions (action_id, title, owner_office, owner, due_on,"
		" revised_due_on, status, percent, evidence, input_id, line, risk, resources,"
		" comments) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14)"
		" ON CONFLICT (action_id) DO UPDATE"
		" SET title = ?2, owner_office = ?3, owner = ?4, due_on = ?5,"
		" revised_due_on = ?6, status = ?7, percent = ?8, evidence = ?9,"
		" input_id = ?10, line = ?11, risk = ?12, resources = ?13, comments = ?14");
	if (!s || rc) {
		free(evidence);
		free(refbuf);
		return -1;
	}
	stmt_bind_text(s, 1, v[0]);
	for (int i = 2; i <= 6; i++)
		stmt_bind_text(s, i, opt_text(v[i]));
	stmt_bind_text(s, 7, keep);
	if (percent >= 0)
		stmt_bind_int(s, 8, percent);
	else
		stmt_bind_null(s, 8);
	stmt_bind_text(s, 9, evidence);
	stmt_bind_int(s, 10, ctx->input_id);
	stmt_bind_int(s, 11, (long long)line);
	for (int i = 10; i <= 12; i++)
		stmt_bind_text(s, i + 2, opt_text(v[i]));
	free(evidence);
	rc = step_once(s);
	/* the file's refs replace the action's refs */
	struct stmt *del = cached(ctx, 1, "DELETE FROM action_refs WHERE action_id = ?1");
	struct stmt *ins = cached(ctx, 2, "INSERT OR IGNORE INTO action_refs (action_id, ref)"
				  " VALUES (?1, ?2)");
	if (!rc && (!del || !ins))
		rc = -1;
	if (!rc) {
		stmt_bind_text(del, 1, v[0]);
		rc = step_once(del);
	}
	for (int i = 0; i < nref && !rc; i++) {
		stmt_bind_text(ins, 1, v[0]);
		stmt_bind_text(ins, 2, ref[i]);
		rc = step_once(ins);
	}
	free(refbuf);
	/* loaded: a row of it kept from an older file must not come back */
	struct stmt *drop = rc ? NULL : cached(ctx, 3,
		"DELETE FROM tracker_pending WHERE kind = 'actions' AND loaded_by IS NULL"
		" AND substr(fields, 1, length(?1) + 1) = ?1 || char(31)"
		" AND NOT (input_id = ?2 AND line = ?3)");
	if (!rc && !drop)
		rc = -1;
	if (!rc) {
		stmt_bind_text(drop, 1, v[0]);
		stmt_bind_int(drop, 2, ctx->input_id);
		stmt_bind_int(drop, 3, (long long)line);
		rc = step_once(drop);
	}
	if (!rc)
		ctx->records++;
	return rc;
}

int load_actions(struct ingest_ctx *ctx)
{
	int rc = ingest_csv(ctx, action_cols, 13, action_row);
	return rc ? rc : retry_pending(ctx, "updates", 6);
}

/* ---- updates.csv ---- */

static const struct csv_col update_cols[] = {
	{ "action_id", 1 }, { "on", 1 }, { "status", 1 }, { "note", 0 }, { "evidence", 0 },
	{ "percent", 0 },
};

static int update_row(struct ingest_ctx *ctx, const char *const *v, unsigned long line)
{
	struct tracker_update u = {
		.id = v[0], .on = v[1], .status = v[2], .note = v[3], .evidence = v[4],
		.percent = -1, .input_id = ctx->input_id, .line = line,
	};
	char why[512];

	if (!*v[0])
		return bad_record(&ctx->bad, line, 0, "empty 'action_id'");
	if (parse_percent(v[5], &u.percent))
		return bad_record(&ctx->bad, line, 0, "bad percent '%s' (expected 0 to 100)", v[5]);
	/* usually an action; a recommendation "REPORT#N" or a case id works too */
	if (tracker_find_item(ctx->st, v[0], &u.kind)) {
		int rc = bad_record(&ctx->bad, line, 0, "'%s' does not resolve (no such action,"
				    " recommendation or case; load actions first; the row is kept"
				    " and loads when it appears)", v[0]);
		return rc ? rc : keep_pending(ctx, line, v[0], v, 6);
	}
	switch (tracker_apply_update(ctx->st, &u, why, sizeof(why))) {
	case TU_ERROR:
		return -1;
	case TU_REFUSED:
		return bad_record(&ctx->bad, line, 0, "%s", why);
	case TU_APPLIED:
	case TU_DUPLICATE:
		break;
	}
	ctx->records++;
	return 0;
}

int load_updates(struct ingest_ctx *ctx)
{
	return ingest_csv(ctx, update_cols, 6, update_row);
}

int tracker_csv_columns(const char *kind, const struct csv_col **cols)
{
	static const struct {
		const char *kind;
		const struct csv_col *cols;
		size_t n;
	} tables[] = {
		{ "recommendations", rec_cols, sizeof(rec_cols) / sizeof(rec_cols[0]) },
		{ "actions", action_cols, sizeof(action_cols) / sizeof(action_cols[0]) },
		{ "updates", update_cols, sizeof(update_cols) / sizeof(update_cols[0]) },
		{ "cases", case_cols, sizeof(case_cols) / sizeof(case_cols[0]) },
	};

	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		if (!strcmp(kind, tables[i].kind)) {
			*cols = tables[i].cols;
			return (int)tables[i].n;
		}
	}
	return 0;
}
