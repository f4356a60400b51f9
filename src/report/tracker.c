/* report_tracker: the corrective-action tracker workbook (spec §5.4;
 * columns after regulations.md §7.6 and the FedRAMP POA&M of peers.md C2).
 * Sheets: Recommendations, Corrective Actions (open POA&M items), Closed
 * Actions, Status History, NARA Cases, Summary, Inputs (the manifest).
 *
 * Where an item stands (overdue, awaiting closure, report sent) is
 * tracker_standing()'s, the one rule the list and the letters use too.
 * Status cells offer the vocabularies of spec §3.6 as dropdowns over the
 * whole column (a row the officer adds gets one); rows with days overdue
 * > 0 are highlighted by a conditional format; dates are real dates, %
 * complete a percent. The workbook is dated by the audit's as_of (the
 * latest analysis run's) unless --as-of is given. Summary comes after the
 * other sheets are written: it counts what they hold. */
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "diag.h"
#include "store.h"
#include "strbuf.h"
#include "tracker.h"
#include "workbook.h"
#include "xalloc.h"
#include "xlsx.h"

enum { SRC_OIG, SRC_GAO, SRC_NARA, SRC_OTHER, SRC_N };

/* ids of the overdue recommendations and cases: an overdue action under
 * one of them is the same item, counted once */
struct id_set {
	char **v;
	size_t n, alloc;
};

struct tally {
	long long rec_open[SRC_N], rec_closed[SRC_N];
	long long act_open[SRC_N], act_closed[SRC_N];
	long long rec_overdue, act_overdue, act_overdue_under, case_overdue;
	long long rec_awaiting, case_sent;
	long long case_open, case_closed;
	struct id_set overdue;
};

static void id_add(struct id_set *s, const char *id)
{
	s->v = xgrow(s->v, s->n + 1, &s->alloc, sizeof(*s->v));
	s->v[s->n++] = xstrdup(id);
}

/* 1 when one of the ';'-separated ids of list is in the set */
static int id_any(const struct id_set *s, const char *list)
{
	for (size_t i = 0; list && i < s->n; i++) {
		size_t len = strlen(s->v[i]);
		for (const char *p = strstr(list, s->v[i]); p; p = strstr(p + 1, s->v[i]))
			if ((p == list || p[-1] == ' ') && (p[len] == '\0' || p[len] == ';'))
				return 1;
	}
	return 0;
}

static void id_release(struct id_set *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
}

static int source_index(const char *s)
{
	for (int i = 0; i < SRC_OTHER; i++)
		if (s && !strcmp(s, tracker_sources[i]))
			return i;
	return SRC_OTHER;
}

/* "A".."ZZ" for a 0-based column (the sheets here are narrow). */
static void col_letter(unsigned col, char out[4])
{
	if (col < 26) {
		out[0] = (char)('A' + col);
		out[1] = '\0';
	} else {
		out[0] = (char)('A' + col / 26 - 1);
		out[1] = (char)('A' + col % 26);
		out[2] = '\0';
	}
}

/* A table sheet: column widths (text wraps, rows grow to fit), the header
 * (numeric columns right-aligned), frozen, printed landscape one page wide
 * with the header on every page. */
static void start_sheet(struct xlsx_sheet *sh, const char *const *hdr, const double *w, int n,
			unsigned long long numeric)
{
	for (int i = 0; i < n; i++)
		xlsx_col_width(sh, (unsigned)i, (unsigned)i, w[i], XS_WRAP);
	xlsx_header_at(sh, 0, 0, hdr, n, numeric);
	xlsx_freeze(sh, 1, 0);
	xlsx_print_setup(sh, 1, XP_FIT_WIDTH);
}

/* Autofilter over rows 0..n, a dropdown on the status column (the whole
 * column), highlight rows whose days-overdue column is positive. */
static void finish_sheet(struct xlsx_sheet *sh, unsigned n, int ncols, unsigned status_col,
			 const char *const *vocab, int overdue_col)
{
	char letter[4], formula[32];

	xlsx_autofilter(sh, 0, 0, n ? n : 1, (unsigned)ncols - 1);
	if (vocab)
		xlsx_dropdown(sh, 1, status_col, XLSX_MAX_ROWS - 1, status_col, vocab);
	if (!n || overdue_col < 0)
		return;
	col_letter((unsigned)overdue_col, letter);
	snprintf(formula, sizeof(formula), "=$%s2>0", letter);
	xlsx_highlight_if(sh, 1, 0, n, (unsigned)ncols - 1, formula);
}

/* "12" as a number, anything else as text */
static void num_or_text(struct xlsx_sheet *sh, unsigned row, unsigned col, const char *v)
{
	char *end;
	long n = v ? strtol(v, &end, 10) : 0;

	if (v && *v && !*end && n >= 0 && strlen(v) < 10)
		xlsx_num(sh, row, col, (double)n, XS_INT);
	else
		xlsx_str(sh, row, col, v, XS_NONE);
}

/* date + days, or + months (clamped to the month's end); "" when no date */
static void add_days(const char *date, long long n, char out[TIME_DATE_LEN])
{
	long long d;

	out[0] = '\0';
	if (date && !time_parse_date(date, &d))
		time_fmt_date(d + n, out);
}

static void add_months(const char *date, int months, char out[TIME_DATE_LEN])
{
	static const unsigned mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	long long d;
	int y;
	unsigned m, day, last;

	out[0] = '\0';
	if (!date || time_parse_date(date, &d))
		return;
	time_civil_from_days(d, &y, &m, &day);
	m += (unsigned)months;
	y += (int)((m - 1) / 12);
	m = (m - 1) % 12 + 1;
	last = mdays[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
	if (day > last)
		day = last;
	time_fmt_date(time_days_from_civil(y, m, day), out);
}

static void standing_cells(struct xlsx_sheet *sh, unsigned row, unsigned col,
			   const struct tracker_standing *sd)
{
	xlsx_str(sh, row, col, sd->state, !strcmp(sd->state, "overdue") ? XS_FLAG : XS_NONE);
	xlsx_num(sh, row, col + 1, (double)sd->days, XS_INT);
}

/* ---- Recommendations ---- */

static int write_recommendations(struct store *st, struct xlsx_sheet *sh, long long as_of,
				 struct tally *t)
{
	static const char *const hdr[] = {
		"Report", "Report title", "Source", "Issued", "Rec no", "Recommendation",
		"Concurrence", "Priority", "Response due (90 days)", "Resolution due (6 months)",
		"Target", "Status", "Status date", "Evidence", "Corrective actions", "Last update",
		"Standing", "Days overdue",
	};
	static const double w[] = { 12, 30, 8, 11, 7, 50, 12, 9, 12, 12, 11, 18, 11, 30, 14, 11,
				    16, 9 };
	struct stmt *s;
	unsigned row = 1;
	int rc;

	start_sheet(sh, hdr, w, 18, 1u << 4 | 1u << 17);
	s = stmt_prepare(st,
		"SELECT r.report_id, r.report_title, r.source, r.issued_on, r.rec_no, r.text,"
		" r.concurrence, r.priority, r.target_on, r.status, r.status_on, r.evidence,"
		" (SELECT group_concat(action_id, '; ') FROM (SELECT action_id FROM action_refs a"
		"  WHERE a.ref = r.report_id || '#' || r.rec_no ORDER BY action_id)),"
		" (SELECT max(on_date) FROM status_updates u WHERE u.item_kind = 'recommendation'"
		"  AND u.item_id = r.report_id || '#' || r.rec_no),"
		" " TRACKER_ACTIONS_DONE_SQL("r.report_id || '#' || r.rec_no") ","
		" r.report_id || '#' || r.rec_no"
		" FROM recommendations r"
		" ORDER BY r.report_id, CAST(r.rec_no AS INTEGER), r.rec_no");
	if (!s)
		return -1;
	while ((rc = stmt_step(s)) == 1) {
		const char *status = stmt_text(s, 9), *issued = stmt_text(s, 3);
		char d90[TIME_DATE_LEN], d6m[TIME_DATE_LEN];
		struct tracker_standing sd;
		int src = source_index(stmt_text(s, 2));

		tracker_standing(TK_RECOMMENDATION, status, stmt_text(s, 8), NULL,
				 (int)stmt_int(s, 14), as_of, &sd);
		if (tracker_is_closed(status))
			t->rec_closed[src]++;
		else
			t->rec_open[src]++;
		if (sd.days) {
			t->rec_overdue++;
			id_add(&t->overdue, stmt_text(s, 15));
		}
		if (!strcmp(sd.state, "awaiting closure"))
			t->rec_awaiting++;
		add_days(issued, 90, d90);
		add_months(issued, 6, d6m);
		sheet_cells(sh, row, 0, s, 0, "tttd");
		num_or_text(sh, row, 4, stmt_text(s, 4));
		sheet_cells(sh, row, 5, s, 5, "ttt");
		xlsx_date_str(sh, row, 8, d90);
		xlsx_date_str(sh, row, 9, d6m);
		sheet_cells(sh, row, 10, s, 8, "dtdttd");
		standing_cells(sh, row, 16, &sd);
		row++;
	}
	stmt_free(s);
	finish_sheet(sh, row - 1, 18, 11, tracker_rec_statuses, 17);
	return rc < 0 ? -1 : 0;
}

/* ---- Corrective Actions and Closed Actions (POA&M) ---- */

enum {
	A_ID, A_WEAKNESS, A_SOURCE, A_LINKED, A_DETECTED, A_TITLE, A_OFFICE, A_OWNER,
	A_RESOURCES, A_RISK, A_DUE, A_REVISED, A_MILESTONES, A_CHANGES, A_STATUS, A_PERCENT,
	A_LAST, A_EVIDENCE, A_COMMENTS, A_STANDING, A_DAYS, A_NCOLS
};

static const char *const action_hdr[A_NCOLS] = {
	"ID", "Weakness or recommendation", "Source", "Linked items", "Original detection date",
	"Corrective action", "Owner office", "Owner", "Resources required", "Risk rating",
	"Due", "Revised due", "Milestones (status history)", "Changes to milestones", "Status",
	"% complete", "Last update", "Evidence", "Comments", "Standing", "Days overdue",
};
static const double action_w[A_NCOLS] = {
	8, 40, 8, 16, 11, 30, 20, 14, 16, 9, 11, 11, 45, 26, 12, 10, 11, 30, 20, 12, 9,
};

/* The action's dated updates, one line each, oldest first. Caller frees. */
static char *milestones(struct store *st, const char *id)
{
	struct stmt *s = stmt_prepare(st,
		"SELECT on_date, status, percent, note FROM status_updates WHERE item_kind = 'action'"
		" AND item_id = ?1 ORDER BY on_date, update_id");
	struct strbuf sb = STRBUF_INIT;

	if (!s)
		return NULL;
	stmt_bind_text(s, 1, id);
	while (stmt_step(s) == 1) {
		strbuf_addf(&sb, "%s%s %s", sb.len ? "\n" : "", stmt_text(s, 0), stmt_text(s, 1));
		if (!stmt_is_null(s, 2))
			strbuf_addf(&sb, " (%lld %%)", stmt_int(s, 2));
		if (stmt_text(s, 3))
			strbuf_addf(&sb, ": %s", stmt_text(s, 3));
	}
	stmt_free(s);
	return sb.len ? strbuf_detach(&sb) : (strbuf_release(&sb), NULL);
}

/* How the due date moved: the revision the file gives, then every change
 * an edited actions.csv made, with where. Caller frees. */
static char *due_changes(struct store *st, const char *id, const char *due, const char *revised)
{
	struct stmt *s = stmt_prepare(st,
		"SELECT d.field, d.old_on, d.new_on, coalesce(i.path, '?') || ':' || d.line"
		" FROM due_changes d LEFT JOIN inputs i USING (input_id) WHERE d.action_id = ?1"
		" ORDER BY d.change_id");
	struct strbuf sb = STRBUF_INIT;

	if (revised && *revised)
		strbuf_addf(&sb, "due %s revised to %s", due && *due ? due : "(none)", revised);
	if (!s) {
		strbuf_release(&sb);
		return NULL;
	}
	stmt_bind_text(s, 1, id);
	while (stmt_step(s) == 1)
		strbuf_addf(&sb, "%s%s %s changed to %s (%s)", sb.len ? "\n" : "",
			    !strcmp(stmt_text(s, 0), "due_on") ? "due" : "revised due",
			    stmt_text(s, 1) ? stmt_text(s, 1) : "(none)",
			    stmt_text(s, 2) ? stmt_text(s, 2) : "(none)", stmt_text(s, 3));
	stmt_free(s);
	return sb.len ? strbuf_detach(&sb) : (strbuf_release(&sb), NULL);
}

/* One row per action: the weakness (each linked recommendation's text,
 * or the case's records), the sources (each linked recommendation's, NARA
 * for a case), the linked items, the original detection date, then the
 * action's own columns and its last update. */
static const char action_sql[] =
	"SELECT a.action_id,"
	" (SELECT group_concat(w, char(10)) FROM (SELECT x.ref || ': ' || coalesce("
	"   (SELECT r.text FROM recommendations r WHERE r.report_id || '#' || r.rec_no = x.ref),"
	"   (SELECT 'NARA case: ' || c.records FROM cases c WHERE c.case_id = x.ref), '') AS w"
	"  FROM action_refs x WHERE x.action_id = a.action_id ORDER BY instr(x.ref, '#') = 0,"
	"  x.ref)),"
	" (SELECT group_concat(src, '; ') FROM (SELECT DISTINCT"
	"  CASE WHEN instr(x.ref, '#') > 0 THEN (SELECT r.source FROM recommendations r"
	"   WHERE r.report_id || '#' || r.rec_no = x.ref) ELSE 'NARA' END AS src"
	"  FROM action_refs x WHERE x.action_id = a.action_id AND src IS NOT NULL"
	"  ORDER BY src)),"
	" (SELECT group_concat(ref, '; ') FROM (SELECT ref FROM action_refs"
	"  WHERE action_id = a.action_id ORDER BY instr(ref, '#') = 0, ref)),"
	" (SELECT min(d) FROM (SELECT r.issued_on AS d FROM action_refs x JOIN"
	"  recommendations r ON r.report_id || '#' || r.rec_no = x.ref"
	"  WHERE x.action_id = a.action_id UNION ALL SELECT c.opened_on FROM action_refs x"
	"  JOIN cases c ON c.case_id = x.ref WHERE x.action_id = a.action_id)),"
	" a.title, a.owner_office, a.owner, a.resources, a.risk, a.due_on, a.revised_due_on,"
	" a.status, a.percent,"
	" (SELECT max(on_date) FROM status_updates u WHERE u.item_kind = 'action'"
	"  AND u.item_id = a.action_id),"
	" a.evidence, a.comments"
	" FROM actions a ORDER BY a.action_id";

/* Count the action open or closed under each of its sources, and overdue
 * (once more when under an overdue recommendation or case). */
static void tally_action(struct tally *t, const char *sources, int closed,
			 const struct tracker_standing *sd, const char *linked)
{
	int counted = 0;

	for (int i = 0; i < SRC_OTHER; i++)
		if (sources && strstr(sources, tracker_sources[i])) {
			counted = 1;
			if (closed)
				t->act_closed[i]++;
			else
				t->act_open[i]++;
		}
	if (!counted) {
		if (closed)
			t->act_closed[SRC_OTHER]++;
		else
			t->act_open[SRC_OTHER]++;
	}
	if (sd->days) {
		t->act_overdue++;
		if (id_any(&t->overdue, linked))
			t->act_overdue_under++;
	}
}

/* The cells of the action at s's current row. */
static void action_cells(struct store *st, struct xlsx_sheet *sh, unsigned row, struct stmt *s,
			 const struct tracker_standing *sd)
{
	const char *id = stmt_text(s, 0), *status = stmt_text(s, 12);
	char *ms = milestones(st, id);
	char *ch = due_changes(st, id, stmt_text(s, 10), stmt_text(s, 11));

	xlsx_str(sh, row, A_ID, id, XS_NONE);
	xlsx_str(sh, row, A_WEAKNESS, stmt_text(s, 1), XS_NONE);
	xlsx_str(sh, row, A_SOURCE, stmt_text(s, 2), XS_NONE);
	xlsx_str(sh, row, A_LINKED, stmt_text(s, 3), XS_NONE);
	xlsx_date_str(sh, row, A_DETECTED, stmt_text(s, 4));
	for (int c = 5; c <= 9; c++)
		xlsx_str(sh, row, (unsigned)(A_TITLE + c - 5), stmt_text(s, c), XS_NONE);
	xlsx_date_str(sh, row, A_DUE, stmt_text(s, 10));
	xlsx_date_str(sh, row, A_REVISED, stmt_text(s, 11));
	xlsx_str(sh, row, A_MILESTONES, ms, XS_NONE);
	xlsx_str(sh, row, A_CHANGES, ch, XS_NONE);
	xlsx_str(sh, row, A_STATUS, status, XS_NONE);
	/* Complete and Closed are 100 % whatever an old row says */
	if (!stmt_is_null(s, 13) || !tracker_is_pending(TK_ACTION, status))
		xlsx_num(sh, row, A_PERCENT, tracker_is_pending(TK_ACTION, status)
			 ? (double)stmt_int(s, 13) / 100.0 : 1.0, XS_PERCENT);
	xlsx_date_str(sh, row, A_LAST, stmt_text(s, 14));
	xlsx_str(sh, row, A_EVIDENCE, stmt_text(s, 15), XS_NONE);
	xlsx_str(sh, row, A_COMMENTS, stmt_text(s, 16), XS_NONE);
	standing_cells(sh, row, A_STANDING, sd);
	free(ms);
	free(ch);
}

static int write_actions(struct store *st, struct xlsx_sheet *open_sh, struct xlsx_sheet *closed_sh,
			 long long as_of, struct tally *t)
{
	struct stmt *s;
	unsigned row_open = 1, row_closed = 1;
	int rc;

	start_sheet(open_sh, action_hdr, action_w, A_NCOLS, 1u << A_PERCENT | 1u << A_DAYS);
	start_sheet(closed_sh, action_hdr, action_w, A_NCOLS, 1u << A_PERCENT | 1u << A_DAYS);
	s = stmt_prepare(st, action_sql);
	if (!s)
		return -1;
	while ((rc = stmt_step(s)) == 1) {
		const char *status = stmt_text(s, 12);
		const char *due = stmt_text(s, 11) ? stmt_text(s, 11) : stmt_text(s, 10);
		int closed = tracker_is_closed(status);
		struct tracker_standing sd;

		tracker_standing(TK_ACTION, status, due, NULL, 0, as_of, &sd);
		tally_action(t, stmt_text(s, 2), closed, &sd, stmt_text(s, 3));
		action_cells(st, closed ? closed_sh : open_sh, closed ? row_closed++ : row_open++, s,
			     &sd);
	}
	stmt_free(s);
	finish_sheet(open_sh, row_open - 1, A_NCOLS, A_STATUS, tracker_action_statuses, A_DAYS);
	finish_sheet(closed_sh, row_closed - 1, A_NCOLS, A_STATUS, tracker_action_statuses, -1);
	return rc < 0 ? -1 : 0;
}

/* ---- Status History ---- */

static int write_history(struct store *st, struct xlsx_sheet *sh)
{
	static const char *const hdr[] = {
		"Item kind", "Item", "Date", "Status", "% complete", "Note", "Evidence",
		"Recorded from"
	};
	static const double w[] = { 16, 16, 11, 20, 10, 50, 30, 30 };   /* "recommendation" on one line */
	struct stmt *s;
	unsigned row = 1;
	int rc;

	start_sheet(sh, hdr, w, 8, 1u << 4);
	s = stmt_prepare(st,
		"SELECT s.item_kind, s.item_id, s.on_date, s.status, s.percent, s.note, s.evidence,"
		" CASE WHEN s.input_id IS NULL THEN 'udaudit tracker update'"
		"  ELSE coalesce(i.path, '?') || ':' || s.line END"
		" FROM status_updates s LEFT JOIN inputs i USING (input_id)"
		" ORDER BY CASE s.item_kind WHEN 'recommendation' THEN 0 WHEN 'action' THEN 1"
		" ELSE 2 END, s.item_id, s.on_date, s.update_id");
	if (!s)
		return -1;
	while ((rc = stmt_step(s)) == 1) {
		xlsx_str(sh, row, 0, stmt_text(s, 0), XS_NONE);
		xlsx_str(sh, row, 1, stmt_text(s, 1), XS_NONE);
		xlsx_date_str(sh, row, 2, stmt_text(s, 2));
		xlsx_str(sh, row, 3, stmt_text(s, 3), XS_NONE);
		if (!stmt_is_null(s, 4))
			xlsx_num(sh, row, 4, (double)stmt_int(s, 4) / 100.0, XS_PERCENT);
		xlsx_str(sh, row, 5, stmt_text(s, 5), XS_NONE);
		xlsx_str(sh, row, 6, stmt_text(s, 6), XS_NONE);
		xlsx_str(sh, row, 7, stmt_text(s, 7), XS_NONE);
		row++;
	}
	stmt_free(s);
	finish_sheet(sh, row - 1, 8, 0, NULL, -1);
	return rc < 0 ? -1 : 0;
}

/* ---- NARA Cases ---- */

static int write_cases(struct store *st, struct xlsx_sheet *sh, long long as_of, struct tally *t)
{
	static const char *const hdr[] = {
		"Case", "Agency", "Opened", "Closed", "Status", "Records", "NARA letter",
		"Response due", "Report sent", "Letters sent", "Linked actions", "Last update",
		"Standing", "Days overdue",
	};
	static const double w[] = { 14, 20, 11, 11, 9, 45, 11, 11, 11, 22, 16, 11, 14, 9 };
	struct stmt *s;
	unsigned row = 1;
	int rc;

	start_sheet(sh, hdr, w, 14, 1u << 13);
	s = stmt_prepare(st,
		"SELECT c.case_id, c.agency, c.opened_on, c.closed_on, c.status, c.records,"
		" c.nara_letter_on, c.response_due_on, c.report_sent_on,"
		" (SELECT group_concat(l, '; ') FROM (SELECT sent_on || ' ' || kind AS l"
		"  FROM case_letters WHERE case_id = c.case_id ORDER BY sent_on)),"
		" (SELECT group_concat(action_id, '; ') FROM (SELECT action_id FROM action_refs a"
		"  WHERE a.ref = c.case_id ORDER BY action_id)),"
		" (SELECT max(on_date) FROM status_updates u WHERE u.item_kind = 'case'"
		"  AND u.item_id = c.case_id)"
		" FROM cases c ORDER BY c.case_id");
	if (!s)
		return -1;
	while ((rc = stmt_step(s)) == 1) {
		const char *status = stmt_text(s, 4);
		struct tracker_standing sd;

		tracker_standing(TK_CASE, status, stmt_text(s, 7), stmt_text(s, 8), 0, as_of, &sd);
		if (tracker_is_closed(status))
			t->case_closed++;
		else
			t->case_open++;
		if (sd.days) {
			t->case_overdue++;
			id_add(&t->overdue, stmt_text(s, 0));
		}
		if (!strcmp(sd.state, "report sent"))
			t->case_sent++;
		sheet_cells(sh, row, 0, s, 0, "ttddttdddttd");
		standing_cells(sh, row, 12, &sd);
		row++;
	}
	stmt_free(s);
	finish_sheet(sh, row - 1, 14, 4, tracker_case_statuses, 13);
	return rc < 0 ? -1 : 0;
}

/* ---- Summary ---- */

static void kv_int(struct xlsx_sheet *sh, unsigned row, const char *label, long long n,
		   enum xlsx_style st)
{
	xlsx_str(sh, row, 0, label, st);
	xlsx_num(sh, row, 1, (double)n, XS_INT);
}

static void write_summary(struct xlsx_sheet *sh, const char *as_of, const struct tally *t)
{
	static const char *const hdr[] = {
		"Source", "Open recommendations", "Closed recommendations", "Open actions",
		"Closed actions",
	};
	static const char *const series[] = {
		"Open recommendations", "Closed recommendations", "Open actions", "Closed actions"
	};
	static const char *const src_names[SRC_N] = { "OIG", "GAO", "NARA", "Other / none" };
	struct xlsx_series ser[4];
	unsigned row = 0, first;
	long long once = t->rec_overdue + t->case_overdue + t->act_overdue - t->act_overdue_under;

	xlsx_col_width(sh, 0, 0, 50, XS_WRAP);
	xlsx_col_width(sh, 1, 4, 15, XS_TOP);
	xlsx_print_setup(sh, 0, XP_FIT_PAGE);
	xlsx_str(sh, row++, 0, "Corrective-action tracker", XS_TITLE);
	xlsx_str(sh, row, 0, "As of", XS_BOLD);
	xlsx_date_str(sh, row++, 1, as_of);
	row++;
	xlsx_header_at(sh, row++, 0, hdr, 5, 0x1E);
	first = row;
	for (int i = 0; i < SRC_N; i++) {
		xlsx_str(sh, row, 0, src_names[i], XS_NONE);
		xlsx_num(sh, row, 1, (double)t->rec_open[i], XS_INT);
		xlsx_num(sh, row, 2, (double)t->rec_closed[i], XS_INT);
		xlsx_num(sh, row, 3, (double)t->act_open[i], XS_INT);
		xlsx_num(sh, row, 4, (double)t->act_closed[i], XS_INT);
		row++;
	}
	row++;
	xlsx_header_at(sh, row++, 0, (const char *const[]){ "Overdue", "Items" }, 2, 0x2);
	kv_int(sh, row++, "Recommendations past target", t->rec_overdue, XS_NONE);
	kv_int(sh, row++, "Corrective actions past due", t->act_overdue, XS_NONE);
	kv_int(sh, row++, "  of them under an overdue recommendation or case",
	       t->act_overdue_under, XS_NONE);
	kv_int(sh, row++, "NARA cases past response due (report not sent)", t->case_overdue,
	       XS_NONE);
	kv_int(sh, row++, "Total overdue (each item once)", once, XS_BOLD);
	row++;
	xlsx_header_at(sh, row++, 0, (const char *const[]){ "Not overdue", "Items" }, 2, 0x2);
	kv_int(sh, row++, "Recommendations awaiting closure (actions closed with evidence)",
	       t->rec_awaiting, XS_NONE);
	kv_int(sh, row++, "NARA cases with the report sent", t->case_sent, XS_NONE);
	row++;
	xlsx_header_at(sh, row++, 0, (const char *const[]){ "NARA cases", "Items" }, 2, 0x2);
	kv_int(sh, row++, "Open", t->case_open, XS_NONE);
	kv_int(sh, row++, "Closed", t->case_closed, XS_NONE);
	for (int i = 0; i < 4; i++)
		ser[i] = (struct xlsx_series){ series[i], first, first + SRC_N - 1, 0, (unsigned)(1 + i) };
	/* beside the tables: the sheet prints on one page, the chart whole */
	xlsx_chart(sh, 3, 6, XC_COLUMN, "Open and closed by source", sh, ser, 4);
}

int report_tracker(struct store *st, const struct report_opts *o)
{
	struct xlsx_opts xo = { 0, 0, "Corrective-action tracker", "OIG/GAO/NARA recommendations",
				NULL, NULL };
	struct redactor *red;
	struct xlsx_sheet *recs, *acts, *closed, *hist, *cases, *summary, *inputs;
	struct tally t;
	char date[TIME_DATE_LEN];
	long long as_of;
	struct xlsx *x;
	int err;

	/* days overdue count to --as-of, else the audit's as_of */
	if (tracker_as_of(st, o->as_of, &xo.created, date))
		return EXIT_USAGE;
	time_parse_date(date, &as_of);
	/* with --redact: notes, owners, evidence through the redaction pass */
	x = report_workbook_new(st, o, &xo, "Corrective-action tracker (Redacted copy)", &red);
	if (!x)
		return EXIT_DB;
	memset(&t, 0, sizeof(t));
	recs = xlsx_add_sheet(x, "Recommendations");
	acts = xlsx_add_sheet(x, "Corrective Actions");
	closed = xlsx_add_sheet(x, "Closed Actions");
	hist = xlsx_add_sheet(x, "Status History");
	cases = xlsx_add_sheet(x, "NARA Cases");
	summary = xlsx_add_sheet(x, "Summary");
	inputs = xlsx_add_sheet(x, "Inputs");
	err = !recs || !acts || !closed || !hist || !cases || !summary || !inputs;
	/* recommendations and cases first: their overdue ids count actions once */
	if (!err)
		err = write_recommendations(st, recs, as_of, &t) ||
		      write_cases(st, cases, as_of, &t) ||
		      write_actions(st, acts, closed, as_of, &t) ||
		      write_history(st, hist) ||
		      report_manifest_sheet(st, inputs, o->redact);
	if (!err)
		write_summary(summary, date, &t);
	id_release(&t.overdue);
	return report_workbook_end(st, o, x, red, err);
}
