/* report_tracker: the corrective-action tracker workbook (spec §5.4;
 * columns after regulations.md §7.6 and the FedRAMP POA&M of peers.md C2).
 * Sheets: Recommendations, Corrective Actions, Status History, NARA Cases,
 * Summary. Status cells offer the vocabularies of spec §3.6 as dropdowns;
 * rows with days overdue > 0 are highlighted by a conditional format (so
 * the colour follows the cell if the officer edits it); dates are real
 * dates. Summary comes last: it is counted while the other sheets are
 * written. */
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "diag.h"
#include "redact.h"
#include "store.h"
#include "tracker.h"
#include "xalloc.h"
#include "xlsx.h"

enum { SRC_OIG, SRC_GAO, SRC_NARA, SRC_OTHER, SRC_N };

struct tally {
	long long rec_open[SRC_N], rec_closed[SRC_N];
	long long act_open[SRC_N], act_closed[SRC_N];
	long long rec_overdue, act_overdue, case_overdue;
	long long case_open, case_closed;
};

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

/* Dropdown on the status column, highlight rows whose days-overdue column
 * is positive; rows 1..n. */
static void finish_sheet(struct xlsx_sheet *sh, unsigned n, int ncols, unsigned status_col,
			 const char *const *vocab, unsigned overdue_col)
{
	char letter[4], formula[32];

	xlsx_freeze(sh, 1, 0);
	if (!n)
		return;
	xlsx_autofilter(sh, 0, 0, n, (unsigned)ncols - 1);
	xlsx_dropdown(sh, 1, status_col, n, status_col, vocab);
	col_letter(overdue_col, letter);
	snprintf(formula, sizeof(formula), "=$%s2>0", letter);
	xlsx_highlight_if(sh, 1, 0, n, (unsigned)ncols - 1, formula);
}

static void widths(struct xlsx_sheet *sh, const double *w, int n)
{
	for (int i = 0; i < n; i++)
		xlsx_col_width(sh, (unsigned)i, (unsigned)i, w[i],
			       w[i] >= 40 ? XS_WRAP : XS_NONE);
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

/* ---- Recommendations ---- */

static int write_recommendations(struct store *st, struct xlsx_sheet *sh, long long as_of,
				 struct tally *t)
{
	static const char *const hdr[] = {
		"Report", "Report title", "Source", "Issued", "Rec no", "Recommendation",
		"Concurrence", "Priority", "Response due (90 days)", "Resolution due (6 months)",
		"Target", "Status", "Status date", "Evidence", "Actions", "Last update",
		"Days overdue",
	};
	static const double w[] = { 14, 30, 8, 12, 7, 60, 12, 9, 12, 12, 12, 22, 12, 30, 8, 12, 9 };
	struct stmt *s;
	unsigned row = 1;
	int rc;

	widths(sh, w, 17);
	xlsx_header(sh, 0, hdr, 17);
	s = stmt_prepare(st,
		"SELECT r.report_id, r.report_title, r.source, r.issued_on, r.rec_no, r.text,"
		" r.concurrence, r.priority, r.target_on, r.status, r.status_on, r.evidence,"
		" (SELECT count(*) FROM action_refs a WHERE a.ref = r.report_id || '#' || r.rec_no),"
		" (SELECT max(on_date) FROM status_updates u WHERE u.item_kind = 'recommendation'"
		"  AND u.item_id = r.report_id || '#' || r.rec_no)"
		" FROM recommendations r"
		" ORDER BY r.report_id, CAST(r.rec_no AS INTEGER), r.rec_no");
	if (!s)
		return -1;
	while ((rc = stmt_step(s)) == 1) {
		const char *status = stmt_text(s, 9), *issued = stmt_text(s, 3);
		char d90[TIME_DATE_LEN], d6m[TIME_DATE_LEN];
		long long late = tracker_days_overdue(TK_RECOMMENDATION, status, stmt_text(s, 8), as_of);
		int src = source_index(stmt_text(s, 2));

		if (tracker_is_closed(status))
			t->rec_closed[src]++;
		else
			t->rec_open[src]++;
		if (late)
			t->rec_overdue++;
		add_days(issued, 90, d90);
		add_months(issued, 6, d6m);
		xlsx_str(sh, row, 0, stmt_text(s, 0), XS_NONE);
		xlsx_str(sh, row, 1, stmt_text(s, 1), XS_NONE);
		xlsx_str(sh, row, 2, stmt_text(s, 2), XS_NONE);
		xlsx_date_str(sh, row, 3, issued);
		xlsx_str(sh, row, 4, stmt_text(s, 4), XS_NONE);
		xlsx_str(sh, row, 5, stmt_text(s, 5), XS_WRAP);
		xlsx_str(sh, row, 6, stmt_text(s, 6), XS_NONE);
		xlsx_str(sh, row, 7, stmt_text(s, 7), XS_NONE);
		xlsx_date_str(sh, row, 8, d90);
		xlsx_date_str(sh, row, 9, d6m);
		xlsx_date_str(sh, row, 10, stmt_text(s, 8));
		xlsx_str(sh, row, 11, status, XS_NONE);
		xlsx_date_str(sh, row, 12, stmt_text(s, 10));
		xlsx_str(sh, row, 13, stmt_text(s, 11), XS_WRAP);
		xlsx_num(sh, row, 14, (double)stmt_int(s, 12), XS_NONE);
		xlsx_date_str(sh, row, 15, stmt_text(s, 13));
		xlsx_num(sh, row, 16, (double)late, XS_NONE);
		row++;
	}
	stmt_free(s);
	finish_sheet(sh, row - 1, 17, 11, tracker_rec_statuses, 16);
	return rc < 0 ? -1 : 0;
}

/* ---- Corrective Actions (POA&M-like) ---- */

static int write_actions(struct store *st, struct xlsx_sheet *sh, long long as_of,
			 struct tally *t)
{
	static const char *const hdr[] = {
		"ID", "Recommendation or weakness", "Corrective action", "Source", "Owner office",
		"Owner", "Due", "Revised due", "Status", "% complete", "Last update", "Evidence",
		"Days overdue",
	};
	static const double w[] = { 10, 28, 50, 10, 18, 20, 12, 12, 14, 10, 12, 40, 9 };
	struct stmt *s;
	unsigned row = 1;
	int rc;

	widths(sh, w, 13);
	xlsx_header(sh, 0, hdr, 13);
	/* sources: each linked recommendation's, and NARA for a linked case */
	s = stmt_prepare(st,
		"SELECT a.action_id,"
		" (SELECT group_concat(ref, '; ') FROM (SELECT ref FROM action_refs"
		"  WHERE action_id = a.action_id ORDER BY ref)),"
		" a.title,"
		" (SELECT group_concat(src, '; ') FROM (SELECT DISTINCT"
		"  CASE WHEN instr(x.ref, '#') > 0 THEN (SELECT r.source FROM recommendations r"
		"   WHERE r.report_id || '#' || r.rec_no = x.ref) ELSE 'NARA' END AS src"
		"  FROM action_refs x WHERE x.action_id = a.action_id AND src IS NOT NULL"
		"  ORDER BY src)),"
		" a.owner_office, a.owner, a.due_on, a.revised_due_on, a.status, a.percent,"
		" (SELECT max(on_date) FROM status_updates u WHERE u.item_kind = 'action'"
		"  AND u.item_id = a.action_id),"
		" a.evidence"
		" FROM actions a ORDER BY a.action_id");
	if (!s)
		return -1;
	while ((rc = stmt_step(s)) == 1) {
		const char *status = stmt_text(s, 8), *sources = stmt_text(s, 3);
		const char *due = stmt_text(s, 7) ? stmt_text(s, 7) : stmt_text(s, 6);
		long long late = tracker_days_overdue(TK_ACTION, status, due, as_of);
		int counted = 0;

		for (int i = 0; i < SRC_OTHER; i++)
			if (sources && strstr(sources, tracker_sources[i])) {
				counted = 1;
				if (tracker_is_closed(status))
					t->act_closed[i]++;
				else
					t->act_open[i]++;
			}
		if (!counted) {
			if (tracker_is_closed(status))
				t->act_closed[SRC_OTHER]++;
			else
				t->act_open[SRC_OTHER]++;
		}
		if (late)
			t->act_overdue++;
		xlsx_str(sh, row, 0, stmt_text(s, 0), XS_NONE);
		xlsx_str(sh, row, 1, stmt_text(s, 1), XS_WRAP);
		xlsx_str(sh, row, 2, stmt_text(s, 2), XS_WRAP);
		xlsx_str(sh, row, 3, sources, XS_NONE);
		xlsx_str(sh, row, 4, stmt_text(s, 4), XS_NONE);
		xlsx_str(sh, row, 5, stmt_text(s, 5), XS_NONE);
		xlsx_date_str(sh, row, 6, stmt_text(s, 6));
		xlsx_date_str(sh, row, 7, stmt_text(s, 7));
		xlsx_str(sh, row, 8, status, XS_NONE);
		if (!stmt_is_null(s, 9))
			xlsx_num(sh, row, 9, (double)stmt_int(s, 9), XS_NONE);
		xlsx_date_str(sh, row, 10, stmt_text(s, 10));
		xlsx_str(sh, row, 11, stmt_text(s, 11), XS_WRAP);
		xlsx_num(sh, row, 12, (double)late, XS_NONE);
		row++;
	}
	stmt_free(s);
	finish_sheet(sh, row - 1, 13, 8, tracker_action_statuses, 12);
	return rc < 0 ? -1 : 0;
}

/* ---- Status History ---- */

static int write_history(struct store *st, struct xlsx_sheet *sh)
{
	static const char *const hdr[] = {
		"Item kind", "Item", "Date", "Status", "Note", "Evidence", "Recorded from"
	};
	static const double w[] = { 14, 18, 12, 24, 50, 36, 40 };
	struct stmt *s;
	unsigned row = 1;
	int rc;

	widths(sh, w, 7);
	xlsx_header(sh, 0, hdr, 7);
	s = stmt_prepare(st,
		"SELECT s.item_kind, s.item_id, s.on_date, s.status, s.note, s.evidence,"
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
		xlsx_str(sh, row, 4, stmt_text(s, 4), XS_WRAP);
		xlsx_str(sh, row, 5, stmt_text(s, 5), XS_WRAP);
		xlsx_str(sh, row, 6, stmt_text(s, 6), XS_NONE);
		row++;
	}
	stmt_free(s);
	xlsx_freeze(sh, 1, 0);
	if (row > 1)
		xlsx_autofilter(sh, 0, 0, row - 1, 6);
	return rc < 0 ? -1 : 0;
}

/* ---- NARA Cases ---- */

static int write_cases(struct store *st, struct xlsx_sheet *sh, long long as_of, struct tally *t)
{
	static const char *const hdr[] = {
		"Case", "Agency", "Opened", "Closed", "Status", "Records", "NARA letter",
		"Response due", "Linked actions", "Last update", "Days overdue",
	};
	static const double w[] = { 14, 24, 12, 12, 10, 50, 12, 12, 9, 12, 9 };
	struct stmt *s;
	unsigned row = 1;
	int rc;

	widths(sh, w, 11);
	xlsx_header(sh, 0, hdr, 11);
	s = stmt_prepare(st,
		"SELECT c.case_id, c.agency, c.opened_on, c.closed_on, c.status, c.records,"
		" c.nara_letter_on, c.response_due_on,"
		" (SELECT count(*) FROM action_refs a WHERE a.ref = c.case_id),"
		" (SELECT max(on_date) FROM status_updates u WHERE u.item_kind = 'case'"
		"  AND u.item_id = c.case_id)"
		" FROM cases c ORDER BY c.case_id");
	if (!s)
		return -1;
	while ((rc = stmt_step(s)) == 1) {
		const char *status = stmt_text(s, 4);
		long long late = tracker_days_overdue(TK_CASE, status, stmt_text(s, 7), as_of);

		if (tracker_is_closed(status))
			t->case_closed++;
		else
			t->case_open++;
		if (late)
			t->case_overdue++;
		xlsx_str(sh, row, 0, stmt_text(s, 0), XS_NONE);
		xlsx_str(sh, row, 1, stmt_text(s, 1), XS_NONE);
		xlsx_date_str(sh, row, 2, stmt_text(s, 2));
		xlsx_date_str(sh, row, 3, stmt_text(s, 3));
		xlsx_str(sh, row, 4, status, XS_NONE);
		xlsx_str(sh, row, 5, stmt_text(s, 5), XS_WRAP);
		xlsx_date_str(sh, row, 6, stmt_text(s, 6));
		xlsx_date_str(sh, row, 7, stmt_text(s, 7));
		xlsx_num(sh, row, 8, (double)stmt_int(s, 8), XS_NONE);
		xlsx_date_str(sh, row, 9, stmt_text(s, 9));
		xlsx_num(sh, row, 10, (double)late, XS_NONE);
		row++;
	}
	stmt_free(s);
	finish_sheet(sh, row - 1, 11, 4, tracker_case_statuses, 10);
	return rc < 0 ? -1 : 0;
}

/* ---- Summary ---- */

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

	xlsx_col_width(sh, 0, 0, 30, XS_NONE);
	xlsx_col_width(sh, 1, 4, 14, XS_NONE);
	xlsx_str(sh, row++, 0, "Corrective-action tracker", XS_TITLE);
	xlsx_str(sh, row, 0, "As of", XS_BOLD);
	xlsx_date_str(sh, row++, 1, as_of);
	row++;
	xlsx_header(sh, row++, hdr, 5);
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
	xlsx_header(sh, row++, (const char *const[]){ "Overdue", "Items" }, 2);
	xlsx_str(sh, row, 0, "Recommendations past target", XS_NONE);
	xlsx_num(sh, row++, 1, (double)t->rec_overdue, XS_INT);
	xlsx_str(sh, row, 0, "Corrective actions past due", XS_NONE);
	xlsx_num(sh, row++, 1, (double)t->act_overdue, XS_INT);
	xlsx_str(sh, row, 0, "NARA cases past response due", XS_NONE);
	xlsx_num(sh, row++, 1, (double)t->case_overdue, XS_INT);
	xlsx_str(sh, row, 0, "Total overdue", XS_BOLD);
	xlsx_num(sh, row++, 1, (double)(t->rec_overdue + t->act_overdue + t->case_overdue), XS_INT);
	row++;
	xlsx_header(sh, row++, (const char *const[]){ "NARA cases", "Items" }, 2);
	xlsx_str(sh, row, 0, "Open", XS_NONE);
	xlsx_num(sh, row++, 1, (double)t->case_open, XS_INT);
	xlsx_str(sh, row, 0, "Closed", XS_NONE);
	xlsx_num(sh, row++, 1, (double)t->case_closed, XS_INT);
	for (int i = 0; i < 4; i++)
		ser[i] = (struct xlsx_series){ series[i], first, first + SRC_N - 1, 0, (unsigned)(1 + i) };
	xlsx_chart(sh, 1, 6, XC_COLUMN, "Open and closed by source", sh, ser, 4);
}

int report_tracker(struct store *st, const struct report_opts *o)
{
	struct xlsx_opts xo = { 0, 0, "Corrective-action tracker", "OIG/GAO/NARA recommendations",
				NULL, NULL };
	struct redactor *red = NULL;
	struct xlsx_sheet *recs, *acts, *hist, *cases, *summary;
	struct tally t;
	char date[TIME_DATE_LEN];
	long long as_of;
	struct xlsx *x;
	int err;

	/* days overdue count to --as-of, else SOURCE_DATE_EPOCH's day, else today */
	if (report_doc_time(o->as_of, NULL, &xo.created, date))
		return EXIT_USAGE;
	time_parse_date(date, &as_of);
	if (o->redact) {
		/* every string cell (notes, owners, evidence) through the redaction pass */
		red = redactor_load(st);
		if (!red)
			return EXIT_DB;
		xo.title = "Corrective-action tracker (Redacted copy)";
		xo.filter = redactor_filter;
		xo.filter_ctx = red;
	}
	x = xlsx_new(o->out, &xo);
	if (!x) {
		redactor_free(red);
		return EXIT_DB;
	}
	memset(&t, 0, sizeof(t));
	recs = xlsx_add_sheet(x, "Recommendations");
	acts = xlsx_add_sheet(x, "Corrective Actions");
	hist = xlsx_add_sheet(x, "Status History");
	cases = xlsx_add_sheet(x, "NARA Cases");
	summary = xlsx_add_sheet(x, "Summary");
	err = !recs || !acts || !hist || !cases || !summary;
	if (!err)
		err = write_recommendations(st, recs, as_of, &t) ||
		      write_actions(st, acts, as_of, &t) ||
		      write_history(st, hist) ||
		      write_cases(st, cases, as_of, &t);
	if (!err)
		write_summary(summary, date, &t);
	if (err) {
		xlsx_discard(x);
		redactor_free(red);
		return EXIT_DB;
	}
	err = xlsx_close(x);
	redactor_free(red);
	return err ? EXIT_DB : EXIT_OK;
}
