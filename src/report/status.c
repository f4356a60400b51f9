/* report_status: the status-update letter for an open NARA case (spec
 * §5.2), `udaudit report status --db DB --case CASE.ini -o FILE.pdf`.
 *
 * "Since the last update" means after the case file's last_update_on, or,
 * when it has none, after the case's latest tracker update (status_updates
 * of the case, e.g. "case opened") on or before the letter's date. Each
 * corrective action linked to the case (action_refs) is shown with its
 * status then and now and its dated updates in between; the actions not
 * yet complete are what remains. Wording lives in reports/status.ini. */
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casereport.h"
#include "cli.h"
#include "diag.h"
#include "pdf.h"
#include "store.h"
#include "tracker.h"
#include "xalloc.h"

/* The case row of the tracker (any field may be NULL). */
struct case_row {
	char *opened_on, *status, *closed_on, *nara_letter_on, *response_due_on;
};

static int read_case_row(struct case_ctx *c, struct case_row *r)
{
	struct stmt *s = stmt_prepare(c->st, "SELECT opened_on, status, closed_on, nara_letter_on,"
				      " response_due_on FROM main.cases WHERE case_id = ?1");
	int rc;

	memset(r, 0, sizeof(*r));
	if (!s)
		return -1;
	stmt_bind_text(s, 1, c->cf.id);
	rc = stmt_step(s);
	if (rc == 1) {
		r->opened_on = xstrdup(stmt_text(s, 0));
		r->status = xstrdup(stmt_text(s, 1));
		r->closed_on = xstrdup(stmt_text(s, 2));
		r->nara_letter_on = xstrdup(stmt_text(s, 3));
		r->response_due_on = xstrdup(stmt_text(s, 4));
	}
	stmt_free(s);
	return rc < 0 ? -1 : 0;
}

static void free_case_row(struct case_row *r)
{
	free(r->opened_on);
	free(r->status);
	free(r->closed_on);
	free(r->nara_letter_on);
	free(r->response_due_on);
}

/* The date the changes are counted from (see the file comment); "" when
 * there was no update before. */
static int last_update(struct case_ctx *c, char out[TIME_DATE_LEN])
{
	struct stmt *s;
	int rc;

	out[0] = '\0';
	if (c->cf.last_update_on) {
		snprintf(out, TIME_DATE_LEN, "%s", c->cf.last_update_on);
		return 0;
	}
	/* the last letter recorded as sent (udaudit tracker update --sent) */
	if (tracker_last_letter(c->st, c->cf.id, out))
		return -1;
	if (out[0] && strcmp(out, c->date) <= 0)
		return 0;
	out[0] = '\0';
	s = stmt_prepare(c->st, "SELECT max(on_date) FROM main.status_updates"
			 " WHERE item_kind = 'case' AND item_id = ?1 AND on_date <= ?2");
	if (!s)
		return -1;
	stmt_bind_text(s, 1, c->cf.id);
	stmt_bind_text(s, 2, c->date);
	rc = stmt_step(s);
	if (rc == 1 && stmt_text(s, 0))
		snprintf(out, TIME_DATE_LEN, "%s", stmt_text(s, 0));
	stmt_free(s);
	return rc < 0 ? -1 : 0;
}

/* A table cell or value that may be empty: never "-" in a letter. */
static const char *or_empty(const char *s)
{
	return s && *s ? s : "";
}

/* The action table: status at the last update and now, due dates, and
 * how many dated updates came since. */
static int actions_table(struct case_ctx *c, const char *since, long long *nactions)
{
	const char *hdr[6];
	char cols[512], due[64];
	static const double w[] = { 42, 162, 72, 72, 64, 56 };  /* points of 468 */
	struct stmt *s;
	int rc;

	const char *no_status = reportdef_get(c->def, "actions", "no_status");

	*nactions = 0;
	if (!no_status || casereport_columns(c, "actions", "columns", cols, sizeof(cols), hdr, 6))
		return -1;
	s = stmt_prepare(c->st,
		"SELECT a.action_id, a.title,"
		" (SELECT u.status || coalesce(' (' || u.percent || '%)', '')"
		"   FROM main.status_updates u WHERE u.item_kind = 'action'"
		"   AND u.item_id = a.action_id AND u.on_date <= ?2"
		"   ORDER BY u.on_date DESC, u.update_id DESC LIMIT 1),"
		" coalesce((SELECT u.status FROM main.status_updates u WHERE u.item_kind = 'action'"
		"   AND u.item_id = a.action_id AND u.on_date <= ?3"
		"   ORDER BY u.on_date DESC, u.update_id DESC LIMIT 1), a.status),"
		" a.due_on, a.revised_due_on, a.percent,"
		" (SELECT count(*) FROM main.status_updates u WHERE u.item_kind = 'action'"
		"   AND u.item_id = a.action_id AND u.on_date > ?2 AND u.on_date <= ?3),"
		" coalesce((SELECT u.percent FROM main.status_updates u WHERE u.item_kind = 'action'"
		"   AND u.item_id = a.action_id AND u.on_date <= ?3 AND u.percent IS NOT NULL"
		"   ORDER BY u.on_date DESC, u.update_id DESC LIMIT 1), a.percent)"
		" FROM main.actions a JOIN main.action_refs r ON r.action_id = a.action_id"
		" WHERE r.ref = ?1 ORDER BY a.action_id");
	if (!s)
		return -1;
	stmt_bind_text(s, 1, c->cf.id);
	stmt_bind_text(s, 2, since);
	stmt_bind_text(s, 3, c->date);
	rc = pdf_table_begin(c->doc, 6, hdr, w);
	while (rc == 0 && stmt_step(s) == 1) {
		const char *then = stmt_text(s, 2), *now = or_empty(stmt_text(s, 3));
		char nowbuf[96];
		if (stmt_text(s, 5) && *stmt_text(s, 5) && stmt_text(s, 4) && *stmt_text(s, 4))
			snprintf(due, sizeof(due), "%s\n(was %s)", stmt_text(s, 5), stmt_text(s, 4));
		else if (stmt_text(s, 5) && *stmt_text(s, 5))
			snprintf(due, sizeof(due), "%s", stmt_text(s, 5));
		else
			snprintf(due, sizeof(due), "%s", or_empty(stmt_text(s, 4)));
		if (!stmt_is_null(s, 8) && tracker_is_pending(TK_ACTION, now))
			snprintf(nowbuf, sizeof(nowbuf), "%s (%lld%%)", now, stmt_int(s, 8));
		else
			snprintf(nowbuf, sizeof(nowbuf), "%s", now);
		char nupd[24];
		snprintf(nupd, sizeof(nupd), "%lld", stmt_int(s, 7));
		const char *cells[6] = {
			stmt_text(s, 0), stmt_text(s, 1), then ? then : no_status, nowbuf, due, nupd
		};
		rc = casereport_row(c, cells, 6);
		(*nactions)++;
	}
	stmt_free(s);
	return rc | pdf_table_end(c->doc);
}

/* Each action's dated updates after since, as bullets with the notes. */
static int changes(struct case_ctx *c, const char *since)
{
	struct stmt *s = stmt_prepare(c->st,
		"SELECT u.item_id, a.title, u.on_date, u.status, u.note FROM main.status_updates u"
		" JOIN main.action_refs r ON r.action_id = u.item_id AND r.ref = ?1"
		" JOIN main.actions a ON a.action_id = u.item_id"
		" WHERE u.item_kind = 'action' AND u.on_date > ?2 AND u.on_date <= ?3"
		" ORDER BY u.item_id, u.on_date, u.update_id");
	char prev[128] = "";
	int rc = 0, n = 0;

	if (!s)
		return -1;
	stmt_bind_text(s, 1, c->cf.id);
	stmt_bind_text(s, 2, since);
	stmt_bind_text(s, 3, c->date);
	while (rc == 0 && stmt_step(s) == 1) {
		char *line;
		if (strcmp(prev, stmt_text(s, 0))) {
			char *t;
			snprintf(prev, sizeof(prev), "%s", stmt_text(s, 0));
			casereport_var(c, "action_id", stmt_text(s, 0));
			casereport_var(c, "action_title", stmt_text(s, 1));
			t = casereport_text(c, "changes", "action", 0);
			rc = t ? pdf_bullet(c->doc, t) : -1;
			free(t);
		}
		char day[64];
		casereport_long_date(stmt_text(s, 2), day, sizeof(day));
		line = xasprintf("%s: %s.%s%s", day, stmt_text(s, 3),
				 stmt_text(s, 4) && *stmt_text(s, 4) ? " " : "", or_empty(stmt_text(s, 4)));
		if (!rc)
			rc = pdf_text(c->doc, PDF_INDENT | PDF_SMALL | PDF_TIGHT, line);
		free(line);
		n++;
	}
	stmt_free(s);
	if (!rc && n)
		rc = pdf_space(c->doc, 6);
	if (!rc && !n)
		rc = casereport_pars(c, "changes", "none");
	return rc;
}

static int impending(struct case_ctx *c);

/* What remains: the linked actions not complete, with due dates. */
static int remaining(struct case_ctx *c)
{
	struct stmt *s = stmt_prepare(c->st,
		"SELECT a.action_id, a.title, coalesce((SELECT u.status FROM main.status_updates u"
		"  WHERE u.item_kind = 'action' AND u.item_id = a.action_id AND u.on_date <= ?2"
		"  ORDER BY u.on_date DESC, u.update_id DESC LIMIT 1), a.status),"
		" coalesce(nullif(a.revised_due_on, ''), a.due_on), a.percent"
		" FROM main.actions a JOIN main.action_refs r ON r.action_id = a.action_id"
		" WHERE r.ref = ?1 ORDER BY a.action_id");
	long long today = 0;
	int rc = 0, n = 0;

	if (!s)
		return -1;
	time_parse_date(c->date, &today);
	stmt_bind_text(s, 1, c->cf.id);
	stmt_bind_text(s, 2, c->date);
	while (rc == 0 && stmt_step(s) == 1) {
		const char *status = stmt_text(s, 2) ? stmt_text(s, 2) : "";
		long long over;
		char *t;
		if (!tracker_is_pending(TK_ACTION, status))
			continue;
		over = tracker_days_overdue(TK_ACTION, status, stmt_text(s, 3), today);
		casereport_var(c, "action_id", stmt_text(s, 0));
		casereport_var(c, "action_title", stmt_text(s, 1));
		casereport_var(c, "status", status);
		char due[64];
		casereport_long_date(stmt_text(s, 3), due, sizeof(due));
		casereport_var(c, "due_on", due);
		casereport_varf(c, "percent", "%lld", stmt_int(s, 4));
		if (over > 0)
			casereport_varf(c, "overdue_note", " %lld days overdue.", over);
		else
			casereport_var(c, "overdue_note", "");
		t = casereport_text(c, "remaining", "action", 0);
		rc = t ? pdf_bullet(c->doc, t) : -1;
		free(t);
		n++;
	}
	stmt_free(s);
	if (!rc && !n)
		rc = casereport_pars(c, "remaining", "none");
	else if (!rc)
		rc = pdf_space(c->doc, 6);
	if (!rc)
		rc = impending(c);
	return rc;
}

/* What remains, quantified: the audit's impending account deletions (the
 * accounts scheduled for deletion and the messages they hold that are not
 * captured or exported). */
static int impending(struct case_ctx *c)
{
	struct stmt *s;
	int rc = 0;

	if (c->run_id < 0)
		return 0;
	s = stmt_prepare(c->st,
		"SELECT count(DISTINCT f.account), sum(f.message_count), min(a.closed_on),"
		" max(a.closed_on), group_concat(DISTINCT f.app) FROM main.findings f"
		" LEFT JOIN main.accounts a ON a.account = f.account"
		" WHERE f.run_id = ?1 AND f.type = 'ACCOUNT_DELETION' AND f.class = 'impending'");
	if (!s)
		return -1;
	stmt_bind_int(s, 1, c->run_id);
	if (stmt_step(s) == 1 && stmt_int(s, 0) > 0) {
		char buf[64], l1[64], l2[64], r[160];
		char *t;
		casereport_var(c, "n_accounts", casereport_count(c, buf, sizeof(buf), stmt_int(s, 0),
							 "account", "accounts"));
		casereport_var(c, "n_messages", casereport_count(c, buf, sizeof(buf), stmt_int(s, 1),
							 "message", "messages"));
		casereport_long_date(stmt_text(s, 2), l1, sizeof(l1));
		casereport_long_date(stmt_text(s, 3), l2, sizeof(l2));
		casereport_var(c, "when", casereport_range(c, l1, l2, r, sizeof(r)));
		t = casereport_text(c, "remaining", "impending", 0);
		rc = t ? pdf_paragraph(c->doc, t) : -1;
		free(t);
	}
	stmt_free(s);
	return rc;
}

/* The evidence of each closed (or complete) action linked to the case. */
static int closed_evidence(struct case_ctx *c)
{
	struct stmt *s = stmt_prepare(c->st,
		"SELECT a.action_id, a.title, a.evidence FROM main.actions a"
		" JOIN main.action_refs r ON r.action_id = a.action_id"
		" WHERE r.ref = ?1 AND a.status IN ('Closed', 'Complete') AND a.evidence <> ''"
		" ORDER BY a.action_id");
	int rc = 0, n = 0;

	if (!s)
		return -1;
	stmt_bind_text(s, 1, c->cf.id);
	while (rc == 0 && stmt_step(s) == 1) {
		char *t;
		if (!n++)
			rc = casereport_heading(c, 1, "evidence", "heading");
		casereport_var(c, "action_id", stmt_text(s, 0));
		casereport_var(c, "action_title", stmt_text(s, 1));
		casereport_var(c, "evidence", stmt_text(s, 2));
		t = rc ? NULL : casereport_text(c, "evidence", "action", 0);
		rc = rc ? rc : t ? pdf_bullet(c->doc, t) : -1;
		free(t);
	}
	stmt_free(s);
	return rc;
}

/* The case's dates and status, one labelled line each ([summary]). */
static int case_summary(struct case_ctx *c)
{
	static const char *const keys[] = { "case", "opened", "nara_letter", "response_due",
					    "status", "last_update" };
	static const char *const vars[] = { "case_id", "opened_on", "nara_letter_on",
					    "response_due_on", "case_status", "last_update_on" };
	int rc = 0;

	for (size_t i = 0; i < 6 && !rc; i++) {
		const char *label = reportdef_get(c->def, "summary", keys[i]);
		const char *val = NULL;
		for (size_t k = 0; k < c->nvars; k++)
			if (!strcmp(c->vars[k].name, vars[i]))
				val = c->vars[k].value;
		if (!label)
			rc = -1;
		else if (val && *val)           /* a date the case does not have: no line */
			rc = casereport_kv(c, label, val);
	}
	return rc ? rc : pdf_space(c->doc, 8);
}

int report_status(struct store *st, const struct report_opts *o)
{
	struct case_ctx c;
	struct case_row row;
	char since[TIME_DATE_LEN];
	long long nactions = 0;
	int rc = casereport_open(&c, st, o, "status.ini");

	if (rc != EXIT_OK)
		return rc;
	if (read_case_row(&c, &row) || last_update(&c, since)) {
		casereport_close(&c);
		return EXIT_DB;
	}
	/* the case file first, the tracker when the file leaves a date out */
	casereport_var(&c, "opened_on", or_empty(c.cf.opened_on ? c.cf.opened_on : row.opened_on));
	casereport_var(&c, "nara_letter_on", or_empty(c.cf.nara_letter_on ? c.cf.nara_letter_on
						       : row.nara_letter_on));
	casereport_var(&c, "response_due_on", or_empty(c.cf.response_due_on ? c.cf.response_due_on
							: row.response_due_on));
	casereport_var(&c, "case_status", row.status && *row.status ? row.status
		       : reportdef_get(c.def, "summary", "status_unknown"));
	casereport_var(&c, "last_update_on", since);
	{
		char l[64];
		const char *opened = c.cf.opened_on ? c.cf.opened_on : row.opened_on;
		/* no update before: the changes count from the case's opening */
		casereport_long_date(since[0] ? since : opened, l, sizeof(l));
		casereport_var(&c, "last_update_long", l);
		casereport_long_date(opened, l, sizeof(l));
		casereport_var(&c, "opened_long", l);
	}
	if (!since[0])
		snprintf(since, sizeof(since), "0000-00-00");
	rc = casereport_begin(&c);
	if (!rc)
		rc = casereport_pars(&c, "letter", "intro");
	if (!rc)
		rc = case_summary(&c);
	if (!rc)
		rc = casereport_heading(&c, 1, "actions", "heading");
	if (!rc)
		rc = actions_table(&c, since, &nactions);
	if (!rc && !nactions)
		rc = casereport_pars(&c, "actions", "none");
	if (!rc)
		rc = casereport_heading(&c, 1, "changes", "heading");
	if (!rc)
		rc = changes(&c, since);
	if (!rc)
		rc = closed_evidence(&c);
	if (!rc)
		rc = casereport_heading(&c, 1, "remaining", "heading");
	if (!rc)
		rc = remaining(&c);
	/* the closing, the signature, then the enclosures */
	if (!rc)
		rc = casereport_closing(&c);
	if (!rc)
		rc = casereport_manifest(&c);
	rc = rc ? EXIT_INPUT : casereport_save(&c);
	free_case_row(&row);
	casereport_close(&c);
	return rc;
}
