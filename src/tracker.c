/* tracker: the corrective-action tracker's model and its CSV loaders
 * (spec §3.6). See tracker.h for the rules. */
#include "tracker.h"
#include "tracker_int.h"

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

void tracker_word_list(const char *const *w, char *out, size_t outlen)
{
	size_t n = 0;

	out[0] = '\0';
	for (int i = 0; w[i] && n < outlen; i++) {
		const char *sep = !i ? "" : w[i + 1] ? ", " : " or ";
		n += (size_t)snprintf(out + n, outlen - n, "%s'%s'", sep, w[i]);
	}
}

int tracker_is_case_id(const char *s)
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

void tracker_item_release(struct item *it)
{
	free(it->status);
	free(it->evidence);
}

int tracker_item_load(struct store *st, enum tracker_kind k, const char *id, struct item *it)
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
		if (tracker_item_load(st, order[i], id, &it))
			return -1;
		tracker_item_release(&it);
		if (it.found) {
			*kind = order[i];
			return 0;
		}
	}
	return -1;
}

int tracker_latest_update(struct store *st, enum tracker_kind k, const char *id, struct latest *l)
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

int tracker_add_history(struct store *st, enum tracker_kind k, const char *id, const char *on,
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

char *tracker_update_evidence(struct store *st, enum tracker_kind k, const char *id,
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

long long tracker_implied_percent(enum tracker_kind k, const char *status, long long percent)
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

/* The status an update gives item it (a percent alone keeps the status;
 * an action not started is started) and its percent, checked: NULL with
 * why said when the update is refused. */
static const char *update_status(const struct tracker_update *u, const struct item *it,
				 long long *percent, char *why, size_t whylen)
{
	const char *kind = tracker_kind_name(u->kind), *status;
	long long days;
	char words[160];

	if (*percent >= 0 && u->kind != TK_ACTION) {
		snprintf(why, whylen, "a percent complete is kept for actions only, not for %s '%s'",
			 kind, u->id);
		return NULL;
	}
	if (!u->status && *percent >= 0)
		status = it->status && !(*percent > 0 && !strcmp(it->status, "Not started"))
			 ? it->status : *percent > 0 ? "In progress" : "Not started";
	else
		status = tracker_norm_status(u->kind, u->status);
	if (!status) {
		tracker_word_list(tracker_statuses(u->kind), words, sizeof(words));
		snprintf(why, whylen, "bad status '%s' for %s '%s' (expected %s)",
			 u->status ? u->status : "", kind, u->id, words);
		return NULL;
	}
	if (*percent >= 0 && *percent < 100 && tracker_implied_percent(u->kind, status, -1) == 100) {
		snprintf(why, whylen, "action '%s' %s means 100 %% complete, not %lld %%", u->id,
			 status, *percent);
		return NULL;
	}
	*percent = tracker_implied_percent(u->kind, status, *percent);
	if (!u->on || time_parse_date(u->on, &days)) {
		snprintf(why, whylen, "bad date '%s' (expected YYYY-MM-DD)", u->on ? u->on : "");
		return NULL;
	}
	if (u->kind != TK_CASE && tracker_is_closed(status) && !(u->evidence && *u->evidence) &&
	    !(it->evidence && *it->evidence) && !it->linked_evidence) {
		snprintf(why, whylen, "cannot close %s '%s' without evidence", kind, u->id);
		return NULL;
	}
	return status;
}

/* Updates of the item dated after on (a back-dated update only adds
 * history); -1 on error. */
static long long later_updates(struct store *st, const struct tracker_update *u)
{
	struct stmt *s = stmt_prepare(st, "SELECT count(*) FROM status_updates WHERE"
				      " item_kind = ?1 AND item_id = ?2 AND on_date > ?3");
	long long later;
	int rc;

	if (!s)
		return -1;
	stmt_bind_text(s, 1, tracker_kind_name(u->kind));
	stmt_bind_text(s, 2, u->id);
	stmt_bind_text(s, 3, u->on);
	rc = stmt_step(s);
	later = rc == 1 ? stmt_int(s, 0) : 0;
	stmt_free(s);
	return rc < 0 ? -1 : later;
}

enum tracker_result tracker_apply_update(struct store *st, const struct tracker_update *u,
					 char *why, size_t whylen)
{
	const char *status;
	struct item it;
	long long later, percent = u->percent;
	char *evidence;
	int rc;

	why[0] = '\0';
	if (tracker_item_load(st, u->kind, u->id, &it))
		return TU_ERROR;
	if (!it.found) {
		snprintf(why, whylen, "no %s '%s' in the tracker%s", tracker_kind_name(u->kind), u->id,
			 u->kind == TK_RECOMMENDATION && !strchr(u->id, '#')
			 ? " (expected REPORT#N)" : "");
		return TU_REFUSED;
	}
	if (!(status = update_status(u, &it, &percent, why, whylen))) {
		tracker_item_release(&it);
		return TU_REFUSED;
	}
	rc = tracker_add_history(st, u->kind, u->id, u->on, status, u->note, u->evidence, percent,
				 u->input_id, u->line);
	/* the item's current status is its latest dated update */
	later = rc > 0 ? later_updates(st, u) : 0;
	if (rc <= 0 || later < 0) {
		tracker_item_release(&it);
		return rc < 0 || later < 0 ? TU_ERROR : TU_DUPLICATE;
	}
	evidence = merge_evidence(it.evidence, u->evidence);
	/* evidence is kept even when a back-dated status is not current */
	rc = set_current(st, u, later ? NULL : status, evidence, later ? -1 : percent);
	free(evidence);
	tracker_item_release(&it);
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

