/* report_findings: the findings workbook (spec §5.3). Sheets: Summary
 * (agency, totals, counts by class, type and office with distinct messages
 * and copies, what no NARA case covers yet, charts, the quarter-over-quarter
 * trend), Findings, Evidence (the events behind each finding, in Findings
 * order, linked from it), Inputs (the manifest), Rules (the rule packs
 * the run used, as stored) and Data quality (the warnings of crosscheck.c
 * and ingest).
 *
 * The whole workbook streams (libxlsxwriter constant-memory mode): every
 * sheet is written row by row, in order, so a million findings take the
 * memory of one row (SQLite sorts and joins in its temporary files). A
 * sheet that reaches Excel's 1,048,576 rows goes on in "Findings (2)", and
 * so on. Everything is read with ORDER BY, so the same audit DB gives the
 * same bytes. */
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "conf.h"
#include "diag.h"
#include "findings.h"
#include "redact.h"
#include "store.h"
#include "strbuf.h"
#include "xalloc.h"
#include "xlsx.h"

static const char *const classes[] = { "actual", "impending", "threatened", "policy", NULL };

/* Labels and order of types and classes: the findings vocabulary
 * (findings.h), the one the letters use. */
static const char *type_label(const char *type)
{
	int t = type ? finding_type_from_name(type) : -1;
	return t >= 0 ? finding_type_labels[t] : type;
}

static const char *class_label(const char *class)
{
	int c = class ? finding_class_from_name(class) : -1;
	return c >= 0 ? finding_class_labels[c] : class;
}

/* SQL ranking a type column by the vocabulary's order (unknown types last). */
static void type_rank_sql(struct strbuf *sb, const char *col)
{
	strbuf_addf(sb, "CASE %s", col);
	for (int i = 0; i < FT_COUNT; i++)
		strbuf_addf(sb, " WHEN '%s' THEN %d", finding_type_names[i], i);
	strbuf_addf(sb, " ELSE %d END", FT_COUNT);
}

static void class_rank_sql(struct strbuf *sb, const char *col)
{
	char buf[256];
	strbuf_addstr(sb, finding_class_order_sql(col, buf, sizeof(buf)));
}

/* The one order of the Findings sheet, which the Evidence sheet follows:
 * the most serious first, then grouped as the officer reads them. */
static void findings_order_sql(struct strbuf *sb)
{
	strbuf_addstr(sb, " ORDER BY ");
	class_rank_sql(sb, "f.class");
	strbuf_addstr(sb, ", ");
	type_rank_sql(sb, "f.type");
	strbuf_addstr(sb, ", f.type, f.office, f.custodian_id, f.account, f.finding_id");
}

struct run_info {
	long long run_id;               /* -1: no run */
	char *as_of, *quarter, *rules_dir, *rules_sha256, *agency, *component;
};

/* A sheet written row by row that continues in "NAME (2)" when full. */
struct sheet_stream {
	struct xlsx *x;
	const char *base;
	const char *const *header;
	int ncols;
	const double *width;            /* per column */
	unsigned long long numeric;     /* columns with right-aligned headers */
	unsigned long long wrap;        /* columns that wrap */
	struct xlsx_sheet *sh;
	unsigned row;                   /* next row to write */
	int part;
};

static void stream_finish_part(struct sheet_stream *ss)
{
	if (ss->sh)
		xlsx_autofilter(ss->sh, 0, 0, ss->row > 1 ? ss->row - 1 : 1, (unsigned)ss->ncols - 1);
}

/* "Findings", then "Findings (2)", ... */
static void part_name(const char *base, int part, char name[32])
{
	if (part <= 1)
		snprintf(name, 32, "%s", base);
	else
		snprintf(name, 32, "%s (%d)", base, part);
}

static struct xlsx_sheet *stream_start_part(struct sheet_stream *ss, struct xlsx_sheet *sh)
{
	ss->part++;
	if (!sh) {
		char name[32];
		part_name(ss->base, ss->part, name);
		sh = xlsx_add_sheet(ss->x, name);
		if (!sh)
			return NULL;
	}
	ss->sh = sh;
	for (int i = 0; i < ss->ncols; i++)
		xlsx_col_width(sh, (unsigned)i, (unsigned)i, ss->width[i],
			       ss->wrap >> i & 1 ? XS_WRAP : XS_TOP);
	xlsx_freeze(sh, 1, 0);
	xlsx_print_setup(sh, 1, XP_FIT_WIDTH);
	xlsx_header_at(sh, 0, 0, ss->header, ss->ncols, ss->numeric);
	ss->row = 1;
	return sh;
}

/* The sheet and row for the next data row (ss->row, then advanced by the
 * caller with ss->row++). NULL after an error. */
static struct xlsx_sheet *stream_row(struct sheet_stream *ss)
{
	if (ss->row >= XLSX_MAX_ROWS) {
		stream_finish_part(ss);
		if (!stream_start_part(ss, NULL))
			return NULL;
	}
	return ss->sh;
}

/* ---- the run ---- */

static void run_release(struct run_info *r)
{
	free(r->as_of);
	free(r->quarter);
	free(r->rules_dir);
	free(r->rules_sha256);
	free(r->agency);
	free(r->component);
}

/* The latest run on or before as_of (any run when NULL). 0 (r->run_id -1
 * when none) or -1. */
static int pick_run(struct store *st, const char *as_of, struct run_info *r)
{
	struct stmt *s = stmt_prepare(st,
		"SELECT run_id, as_of, quarter, rules_dir, rules_sha256, agency, component FROM runs"
		" WHERE ?1 IS NULL OR as_of <= ?1 ORDER BY as_of DESC LIMIT 1");
	int rc;

	memset(r, 0, sizeof(*r));
	r->run_id = -1;
	if (!s)
		return -1;
	stmt_bind_text(s, 1, as_of);
	rc = stmt_step(s);
	if (rc == 1) {
		r->run_id = stmt_int(s, 0);
		r->as_of = xstrdup(stmt_text(s, 1));
		r->quarter = xstrdup(stmt_text(s, 2));
		r->rules_dir = xstrdup(stmt_text(s, 3));
		r->rules_sha256 = xstrdup(stmt_text(s, 4));
		r->agency = xstrdup(stmt_text(s, 5));
		r->component = xstrdup(stmt_text(s, 6));
	}
	stmt_free(s);
	return rc < 0 ? -1 : 0;
}

/* ---- Summary ---- */

/* Summary layout: tables from column A, the class and type charts beside
 * their tables from column H, the trend chart below its table; a block
 * (table and chart) never straddles a printed page. */
#define CHART_COL 7
#define CHART_ROWS 16           /* a 480 x 288 px chart, and a row of space */
#define CHART_PX 500

struct summary_layout {
	struct xlsx_sheet *sh;
	int page_rows;
	unsigned page_start;
	unsigned breaks[31];
	int nbreaks;
};

/* The row a block of n rows starts at: row, or a new page when it would
 * straddle the page break. */
static unsigned block_at(struct summary_layout *L, unsigned row, unsigned n)
{
	if (row > L->page_start && (int)(row - L->page_start + n) > L->page_rows &&
	    L->nbreaks < 31) {
		L->breaks[L->nbreaks++] = row;
		L->page_start = row;
	}
	return row;
}

static int count_rows(struct store *st, const char *sql, long long run_id)
{
	struct stmt *s = stmt_prepare(st, sql);
	int n = 0;

	if (!s)
		return -1;
	stmt_bind_int(s, 1, run_id);
	if (stmt_step(s) == 1)
		n = (int)stmt_int(s, 0);
	stmt_free(s);
	return n;
}

/* A block "label [| class] | findings | messages | copies | counted by the
 * finding" from sql, which binds the run as ?1 and returns: key, class
 * (or NULL), findings, messages (distinct), copies, counted. With a total
 * row. Returns the next free row; first and last: the data rows. */
static unsigned count_block(struct store *st, struct xlsx_sheet *sh, unsigned row,
			    const char *label, int with_class, const char *sql, long long run_id,
			    const long long total[4], unsigned *first, unsigned *last, int *err,
			    const char *(*name)(const char *))
{
	const char *hdr5[] = { label, "Findings", "Messages", "Copies", "Counted by the finding" };
	const char *hdr6[] = { label, "Class", "Findings", "Messages", "Copies",
			       "Counted by the finding" };
	unsigned c0 = with_class ? 2 : 1;
	struct stmt *s = stmt_prepare(st, sql);
	int rc;

	xlsx_header_at(sh, row++, 0, with_class ? hdr6 : hdr5, with_class ? 6 : 5,
		       with_class ? 0x3C : 0x1E);
	*first = row;
	if (!s) {
		*err = 1;
		return row;
	}
	stmt_bind_int(s, 1, run_id);
	while ((rc = stmt_step(s)) == 1) {
		const char *v = stmt_text(s, 0);
		xlsx_str(sh, row, 0, v ? (name ? name(v) : v) : "(unknown)", XS_NONE);
		if (with_class)
			xlsx_str(sh, row, 1, class_label(stmt_text(s, 1)), XS_NONE);
		for (unsigned c = 0; c < 4; c++)
			if (c < 3 || stmt_int(s, (int)c + 2))
				xlsx_num(sh, row, c0 + c, (double)stmt_int(s, (int)c + 2), XS_INT);
		row++;
	}
	if (rc < 0)
		*err = 1;
	stmt_free(s);
	*last = row > *first ? row - 1 : *first;
	xlsx_str(sh, row, 0, "Total", XS_BOLD);
	for (unsigned c = 0; c < 4; c++)
		xlsx_num(sh, row, c0 + c, (double)total[c], XS_INT);
	return row + 2;
}

/* Group-by SQL over findings and their copies for a key expression of f
 * (and a second one, or NULL), ordered by order_by. */
static char *group_sql(const char *key, const char *key2, const char *order_by)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb,
		"SELECT g.k, g.k2, g.n, coalesce(m.msgs, 0), coalesce(m.copies, 0), g.counted FROM"
		" (SELECT %s AS k, %s AS k2, count(*) AS n, sum(CASE WHEN EXISTS (SELECT 1 FROM"
		"  finding_copies c WHERE c.run_id = f.run_id AND c.finding_id = f.finding_id)"
		"  THEN 0 ELSE f.message_count END) AS counted"
		"  FROM findings f WHERE f.run_id = ?1 GROUP BY 1, 2) g"
		" LEFT JOIN (SELECT %s AS k, %s AS k2, count(DISTINCT c.message_id) AS msgs,"
		"  count(*) AS copies FROM finding_copies c JOIN findings f ON f.run_id = c.run_id"
		"  AND f.finding_id = c.finding_id WHERE c.run_id = ?1 GROUP BY 1, 2) m"
		" ON m.k IS g.k AND m.k2 IS g.k2 ORDER BY %s",
		key, key2 ? key2 : "NULL", key, key2 ? key2 : "NULL", order_by);
	return strbuf_detach(&sb);
}

/* "2021Q3" -> 2021 * 4 + 2; -1 when not a quarter */
static long quarter_index(const char *q)
{
	int y, n;
	char tail;

	if (!q || sscanf(q, "%4dQ%1d%c", &y, &n, &tail) != 2 || n < 1 || n > 4)
		return -1;
	return (long)y * 4 + n - 1;
}

static int write_summary(struct store *st, struct xlsx_sheet *sh, const struct run_info *run,
			 const char *as_of, const struct report_coverage *cov)
{
	static const char *const trend_hdr[] = {
		"Quarter", "As of", "New this quarter", "Actual", "Impending", "Threatened",
		"Policy", "All findings", "Messages"
	};
	struct summary_layout L = { sh, 40, 0, { 0 }, 0 };
	long long total[4] = { 0, 0, 0, 0 };
	unsigned row = 0, f, l, tfirst, start;
	char sentence[300];
	struct strbuf ord = STRBUF_INIT;
	int err = 0, rc, n;
	struct stmt *s;
	char *sql;

	xlsx_col_width(sh, 0, 0, 30, XS_TOP);
	xlsx_col_width(sh, 1, 1, 12, XS_TOP);
	xlsx_col_width(sh, 2, 8, 11, XS_TOP);
	xlsx_print_setup(sh, 0, XP_NO_FIT);
	L.page_rows = xlsx_page_rows(xlsx_print_scale_to(sh, CHART_COL, CHART_PX)) - 4;
	xlsx_str(sh, row++, 0, "Findings workbook (36 CFR 1230.14, 44 U.S.C. 3106)", XS_TITLE);
	if (run->run_id >= 0) {
		s = stmt_prepare(st, "SELECT (SELECT count(*) FROM findings WHERE run_id = ?1),"
				 " count(DISTINCT message_id), count(*),"
				 " (SELECT coalesce(sum(message_count), 0) FROM findings f WHERE run_id = ?1"
				 "  AND NOT EXISTS (SELECT 1 FROM finding_copies c WHERE c.run_id = ?1"
				 "  AND c.finding_id = f.finding_id))"
				 " FROM finding_copies WHERE run_id = ?1");
		if (!s)
			return -1;
		stmt_bind_int(s, 1, run->run_id);
		if (stmt_step(s) == 1)
			for (int i = 0; i < 4; i++)
				total[i] = stmt_int(s, i);
		else
			err = 1;
		stmt_free(s);
	}
	xlsx_str(sh, row, 0, "Agency", XS_BOLD);
	xlsx_str(sh, row++, 1, run->agency ? run->agency : "-", XS_NONE);
	xlsx_str(sh, row, 0, "Component", XS_BOLD);
	xlsx_str(sh, row++, 1, run->component ? run->component : "-", XS_NONE);
	xlsx_str(sh, row, 0, "As of", XS_BOLD);
	xlsx_date_str(sh, row++, 1, run->as_of ? run->as_of : as_of);
	xlsx_str(sh, row, 0, "Quarter", XS_BOLD);
	xlsx_str(sh, row++, 1, run->quarter ? run->quarter : "-", XS_NONE);
	xlsx_str(sh, row, 0, "Findings", XS_BOLD);
	xlsx_num(sh, row++, 1, (double)total[0], XS_INT);
	xlsx_str(sh, row, 0, "Messages affected (distinct)", XS_BOLD);
	xlsx_num(sh, row++, 1, (double)total[1], XS_INT);
	xlsx_str(sh, row, 0, "Message copies", XS_BOLD);
	xlsx_num(sh, row++, 1, (double)total[2], XS_INT);
	xlsx_str(sh, row, 0, "Not yet reported to NARA", XS_BOLD);
	report_coverage_sentence(cov, sentence, sizeof(sentence));
	if (cov->checked)
		xlsx_num(sh, row, 1, (double)(cov->actual + cov->impending),
			 cov->actual + cov->impending ? XS_FLAG : XS_INT);
	xlsx_str(sh, row++, 2, sentence, XS_NONE);
	if (run->run_id < 0)
		xlsx_str(sh, row, 0, "No analysis run in the audit database yet.", XS_NONE);
	row++;
	xlsx_str(sh, row++, 0, "Messages: distinct message ids of the copies behind the findings;"
		 " copies: (account, message) pairs; counted by the finding: what a finding without"
		 " copies counts (store rows, outage runs), not added to messages.", XS_NONE);
	row++;

	/* by class: always the four classes, in order, so charts compare */
	start = block_at(&L, row, CHART_ROWS);
	xlsx_header_at(sh, row++, 0, (const char *const[]){ "Class", "Findings", "Messages",
			"Copies", "Counted by the finding" }, 5, 0x1E);
	sql = group_sql("f.class", NULL, "1");
	s = stmt_prepare(st, sql);
	free(sql);
	if (!s)
		return -1;
	unsigned class_first = row;
	long long cn[4][4] = { { 0 } };
	stmt_bind_int(s, 1, run->run_id);
	while ((rc = stmt_step(s)) == 1)
		for (int i = 0; classes[i]; i++)
			if (stmt_text(s, 0) && !strcmp(stmt_text(s, 0), classes[i]))
				for (int c = 0; c < 4; c++)
					cn[i][c] = stmt_int(s, c + 2);
	if (rc < 0)
		err = 1;
	stmt_free(s);
	for (int i = 0; classes[i]; i++) {
		xlsx_str(sh, row, 0, class_label(classes[i]), XS_NONE);
		for (int c = 0; c < 4; c++)
			if (c < 3 || cn[i][c])
				xlsx_num(sh, row, (unsigned)c + 1, (double)cn[i][c], XS_INT);
		row++;
	}
	xlsx_str(sh, row, 0, "Total", XS_BOLD);
	for (unsigned c = 0; c < 4; c++)
		xlsx_num(sh, row, c + 1, (double)total[c], XS_INT);
	xlsx_chart(sh, start, CHART_COL, XC_PIE, "Findings by class", sh,
		   &(struct xlsx_series){ NULL, class_first, class_first + 3, 0, 1 }, 1);
	row = start + CHART_ROWS;

	/* by type and class, in the incident report's order */
	n = count_rows(st, "SELECT count(*) FROM (SELECT DISTINCT type, class FROM findings"
		       " WHERE run_id = ?1)", run->run_id);
	row = block_at(&L, row, (unsigned)(n + 3 > CHART_ROWS ? n + 3 : CHART_ROWS));
	start = row;
	type_rank_sql(&ord, "g.k");
	strbuf_addstr(&ord, ", g.k, ");
	class_rank_sql(&ord, "g.k2");
	sql = group_sql("f.type", "f.class", ord.buf);
	strbuf_release(&ord);
	row = count_block(st, sh, row, "Type", 1, sql, run->run_id, total, &f, &l, &err,
			  type_label);
	free(sql);
	if (n > 0)
		xlsx_chart(sh, start, CHART_COL, XC_COLUMN, "Findings by type", sh,
			   &(struct xlsx_series){ NULL, f, l, 0, 2 }, 1);
	if (row < start + CHART_ROWS)
		row = start + CHART_ROWS;

	n = count_rows(st, "SELECT count(DISTINCT coalesce(office, '')) FROM findings"
		       " WHERE run_id = ?1", run->run_id);
	row = block_at(&L, row, (unsigned)n + 3);
	sql = group_sql("f.office", NULL, "g.k IS NULL, g.k");
	row = count_block(st, sh, row, "Office", 0, sql, run->run_id, total, &f, &l, &err, NULL);
	free(sql);

	/* quarter over quarter: the runs up to this one, what each found new
	 * (not in the run before) and the state it found; a quarter with no
	 * run is marked */
	n = count_rows(st, "SELECT count(*) + 0 * ?1 FROM runs", run->run_id);
	row = block_at(&L, row, (unsigned)n + 4 + CHART_ROWS);
	xlsx_str(sh, row++, 0, "Quarter-over-quarter trend (the runs in the audit database)",
		 XS_BOLD);
	xlsx_header_at(sh, row++, 0, trend_hdr, 9, 0x1FC);
	tfirst = row;
	s = stmt_prepare(st,
		"SELECT r.quarter, r.as_of,"
		" (SELECT count(*) FROM findings n WHERE n.run_id = r.run_id AND NOT EXISTS"
		"  (SELECT 1 FROM findings p WHERE p.finding_id = n.finding_id AND p.run_id ="
		"   (SELECT q.run_id FROM runs q WHERE q.as_of < r.as_of ORDER BY q.as_of DESC"
		"    LIMIT 1))),"
		" (SELECT count(*) FROM findings f WHERE f.run_id = r.run_id AND class = 'actual'),"
		" (SELECT count(*) FROM findings f WHERE f.run_id = r.run_id AND class = 'impending'),"
		" (SELECT count(*) FROM findings f WHERE f.run_id = r.run_id AND class = 'threatened'),"
		" (SELECT count(*) FROM findings f WHERE f.run_id = r.run_id AND class = 'policy'),"
		" (SELECT count(*) FROM findings f WHERE f.run_id = r.run_id),"
		" (SELECT count(DISTINCT message_id) FROM finding_copies c WHERE c.run_id = r.run_id)"
		" FROM runs r WHERE ?1 IS NULL OR r.as_of <= ?1 ORDER BY r.as_of");
	if (!s)
		return -1;
	stmt_bind_text(s, 1, run->as_of);
	long prev = -1;
	while ((rc = stmt_step(s)) == 1) {
		const char *q = stmt_text(s, 0);
		long qi = quarter_index(q);
		for (long m = prev + 1; prev >= 0 && qi > prev + 1 && m < qi && m < prev + 40; m++) {
			char name[16];
			snprintf(name, sizeof(name), "%ldQ%ld", m / 4, m % 4 + 1);
			xlsx_str(sh, row, 0, name, XS_FLAG);
			xlsx_str(sh, row++, 2, "no analysis run for this quarter", XS_FLAG);
		}
		if (qi >= 0)
			prev = qi;
		xlsx_str(sh, row, 0, q ? q : stmt_text(s, 1), XS_NONE);
		xlsx_date_str(sh, row, 1, stmt_text(s, 1));
		for (int c = 2; c < 9; c++)
			xlsx_num(sh, row, (unsigned)c, (double)stmt_int(s, c), XS_INT);
		row++;
	}
	if (rc < 0)
		err = 1;
	stmt_free(s);
	if (row > tfirst) {
		static const char *const names[] = { "New this quarter", "All findings" };
		struct xlsx_series ser[2] = {
			{ names[0], tfirst, row - 1, 0, 2 }, { names[1], tfirst, row - 1, 0, 7 },
		};
		xlsx_chart(sh, row + 1, 0, XC_COLUMN, "Findings by quarter", sh, ser, 2);
	}
	xlsx_page_breaks(sh, L.breaks, L.nbreaks);
	return err ? -1 : 0;
}

/* ---- Findings ---- */

enum { F_ID, F_TYPE, F_CLASS, F_SEV, F_OFFICE, F_CUST, F_NAME, F_ACCOUNT, F_APP, F_DEVICE,
       F_FIRST, F_LAST, F_MSGS, F_CONVS, F_DETAIL, F_CASE, F_EVID, F_NCOLS };

static const char *const findings_hdr[F_NCOLS] = {
	"Finding", "Type", "Class", "Severity", "Office", "Custodian ID", "Custodian", "Account",
	"App", "Device", "First (UTC)", "Last (UTC)", "Messages", "Conversations", "Detail",
	"NARA case", "Evidence",
};

/* Column widths from the longest value of each text column. */
static int findings_widths(struct store *st, long long run_id, int redact, double *w)
{
	struct stmt *s = stmt_prepare(st,
		"SELECT max(length(f.finding_id)), max(length(f.type)), max(length(f.class)),"
		" max(length(f.severity)), max(length(f.office)), max(length(f.custodian_id)),"
		" max(length(a.custodian_name)), max(length(f.account)), max(length(f.app)),"
		" max(length(f.device_id))"
		" FROM findings f LEFT JOIN accounts a ON a.account = f.account WHERE f.run_id = ?1");
	int rc;

	/* text wraps (rows grow to fit), so widths stay narrow enough for a
	 * page: the longest value, at most 24 characters */
	for (int i = 0; i < F_NCOLS; i++)
		w[i] = xlsx_fit(strlen(findings_hdr[i]), 9, 24);
	w[F_FIRST] = w[F_LAST] = 19;
	w[F_CONVS] = 14;
	w[F_DETAIL] = 50;
	w[F_CASE] = 14;
	w[F_EVID] = 9;
	if (!s)
		return -1;
	stmt_bind_int(s, 1, run_id);
	rc = stmt_step(s);
	if (rc == 1)
		for (int i = 0; i <= F_DEVICE; i++) {
			unsigned long n = (unsigned long)stmt_int(s, i);
			/* type names are capitals, wider than the average character:
			 * UNCAPTURED_DELETION must not wrap mid-word */
			double fit = i == F_TYPE ? xlsx_fit((n * 5 + 3) / 4, 9, 26)
					       : xlsx_fit(n, 9, 24);
			if (fit > w[i])
				w[i] = fit;
		}
	stmt_free(s);
	if (redact) {
		w[F_CUST] = w[F_NAME] = xlsx_fit(18, 8, 40);
		if (w[F_ACCOUNT] > 40)
			w[F_ACCOUNT] = 40;
	}
	return rc < 0 ? -1 : 0;
}

/* A time that is the start of a UTC day came from a date-only input:
 * shown as a date. */
static void when_cell(struct xlsx_sheet *sh, unsigned row, unsigned col, long long ts)
{
	if (ts % 86400 == 0)
		xlsx_date(sh, row, col, ts / 86400);
	else
		xlsx_datetime(sh, row, col, ts);
}

/* Evidence rows per sheet part (the header takes a row). */
#define EV_ROWS (XLSX_MAX_ROWS - 1)

static int write_findings(struct store *st, struct xlsx *x, struct xlsx_sheet *sh,
			  long long run_id, int redact, const struct report_coverage *cov)
{
	double width[F_NCOLS];
	struct sheet_stream ss = { x, "Findings", findings_hdr, F_NCOLS, width,
				   1u << F_MSGS | 1u << F_CONVS, ~0ull, NULL, 0, 0 };
	struct strbuf sql = STRBUF_INIT;
	long long ev_next = 1;          /* the Evidence row (ord) of the next finding */
	struct stmt *s;
	int rc;

	if (findings_widths(st, run_id, redact, width))
		return -1;
	stream_start_part(&ss, sh);
	strbuf_addstr(&sql,
		"SELECT f.finding_id, f.type, f.class, f.severity, f.office, f.custodian_id,"
		" a.custodian_name, f.account, f.app, f.device_id, f.first_ts, f.last_ts,"
		" f.message_count, f.conversation_count, f.detail,"
		" (SELECT group_concat(case_id, '; ') FROM temp.case_cover v"
		"  WHERE v.finding_id = f.finding_id),"
		" (SELECT count(*) FROM evidence e WHERE e.run_id = f.run_id"
		"  AND e.finding_id = f.finding_id)"
		" FROM findings f LEFT JOIN accounts a ON a.account = f.account"
		" WHERE f.run_id = ?1");
	findings_order_sql(&sql);
	s = stmt_prepare(st, sql.buf);
	strbuf_release(&sql);
	if (!s)
		return -1;
	stmt_bind_int(s, 1, run_id);
	while ((rc = stmt_step(s)) == 1) {
		struct xlsx_sheet *out = stream_row(&ss);
		unsigned r = ss.row++;
		const char *v[F_NCOLS];
		long long nev = stmt_int(s, F_EVID);

		if (!out)
			break;
		for (int i = 0; i < F_NCOLS; i++)
			v[i] = stmt_text(s, i);
		for (int i = 0; i < F_NCOLS; i++) {
			if (i == F_FIRST || i == F_LAST) {
				if (!stmt_is_null(s, i))
					when_cell(out, r, (unsigned)i, stmt_int(s, i));
			} else if (i == F_MSGS || i == F_CONVS) {
				xlsx_num(out, r, (unsigned)i, (double)stmt_int(s, i), XS_INT);
			} else if (i == F_TYPE) {
				xlsx_str(out, r, (unsigned)i, v[i], XS_NONE);
			} else if (i == F_CASE) {
				int due = cov->checked && !v[i] && v[F_CLASS] &&
					  (!strcmp(v[F_CLASS], "actual") || !strcmp(v[F_CLASS], "impending"));
				xlsx_str(out, r, (unsigned)i, due ? "not yet reported" : v[i],
					 due ? XS_FLAG : XS_NONE);
			} else if (i == F_EVID) {
				char text[32], name[32];
				long long at = ev_next - 1;
				snprintf(text, sizeof(text), "%lld row%s", nev, nev == 1 ? "" : "s");
				part_name("Evidence", (int)(at / EV_ROWS) + 1, name);
				if (nev)
					xlsx_link(out, r, (unsigned)i, text, name,
						  (unsigned)(at % EV_ROWS) + 1);
				else
					xlsx_str(out, r, (unsigned)i, "none", XS_NONE);
			} else {
				xlsx_str(out, r, (unsigned)i, v[i], XS_NONE);
			}
		}
		ev_next += nev;
		if (xlsx_failed(x))
			break;
	}
	stmt_free(s);
	stream_finish_part(&ss);
	return rc < 0 ? -1 : 0;
}

/* ---- Evidence ---- */

/* temp.ev: the run's evidence rows in Findings order (ord = the row in
 * the Evidence sheets); temp.evx: what each row records (the event, its
 * message and time), found by one scan of each table joined on (input,
 * line), so no index on the large tables is needed. */
static int evidence_tables(struct store *st, long long run_id)
{
	static const char *const facts[] = {
		/* usage events (a line may hold two: a message and its deletion) */
		"INSERT OR IGNORE INTO temp.evx SELECT e.ord, group_concat(DISTINCT u.event),"
		" min(u.message_id), min(u.ts), NULL FROM main.usage u CROSS JOIN temp.ev e"
		" ON e.input_id = u.input_id AND e.line = u.line GROUP BY e.ord",
		"INSERT OR IGNORE INTO temp.evx SELECT e.ord, CASE WHEN m.purged_ts IS NOT NULL"
		" THEN 'purged from the store' ELSE 'captured in the store' END, m.message_id,"
		" coalesce(m.purged_ts, m.captured_ts), NULL FROM main.store_messages m"
		" CROSS JOIN temp.ev e ON e.input_id = m.input_id AND e.line = m.line",
		"INSERT OR IGNORE INTO temp.evx SELECT e.ord, 'device ' || coalesce(d.status, '?'),"
		" NULL, NULL, d.status_on FROM main.devices d CROSS JOIN temp.ev e"
		" ON e.input_id = d.input_id AND e.line = d.line",
		"INSERT OR IGNORE INTO temp.evx SELECT e.ord, CASE WHEN a.closed_on IS NOT NULL"
		" THEN 'account closes' ELSE 'account' END, NULL, NULL, a.closed_on FROM main.accounts a"
		" CROSS JOIN temp.ev e ON e.input_id = a.input_id AND e.line = a.line",
		"INSERT OR IGNORE INTO temp.evx SELECT e.ord, 'app on device: ' || p.app_id, NULL,"
		" NULL, p.first_seen FROM main.device_apps p CROSS JOIN temp.ev e"
		" ON e.input_id = p.input_id AND e.line = p.line",
	};
	struct strbuf sql = STRBUF_INIT;
	struct stmt *s;
	long long n = 0;
	int rc;

	if (store_exec(st, "DROP TABLE IF EXISTS temp.ev; DROP TABLE IF EXISTS temp.evx;"
		       "CREATE TEMP TABLE ev (ord INTEGER PRIMARY KEY, finding_id TEXT,"
		       "  input_id INTEGER, line INTEGER);"
		       "CREATE TEMP TABLE evx (ord INTEGER PRIMARY KEY, event TEXT, message_id TEXT,"
		       "  ts INTEGER, day TEXT);"))
		return -1;
	strbuf_addstr(&sql, "INSERT INTO temp.ev (finding_id, input_id, line)"
		      " SELECT e.finding_id, e.input_id, e.line FROM evidence e JOIN findings f"
		      " ON f.run_id = e.run_id AND f.finding_id = e.finding_id WHERE e.run_id = ?1");
	findings_order_sql(&sql);
	strbuf_addstr(&sql, ", e.input_id, e.line");
	s = stmt_prepare(st, sql.buf);
	strbuf_release(&sql);
	if (!s)
		return -1;
	stmt_bind_int(s, 1, run_id);
	rc = stmt_step(s);
	stmt_free(s);
	if (rc < 0 || store_exec(st, "CREATE INDEX temp.ev_src ON ev (input_id, line);") ||
	    store_query_int(st, "SELECT count(*) FROM temp.ev", &n))
		return -1;
	for (size_t i = 0; n && i < sizeof(facts) / sizeof(facts[0]); i++)
		if (store_exec(st, facts[i]))
			return -1;
	return 0;
}

static int write_evidence(struct store *st, struct xlsx *x, struct xlsx_sheet *sh,
			  long long run_id)
{
	static const char *const hdr[] = {
		"Finding", "Event", "Message id", "Time (UTC)", "Input kind", "Input path", "Line"
	};
	static const double width[] = { 18, 22, 24, 19, 14, 40, 9 };
	struct sheet_stream ss = { x, "Evidence", hdr, 7, width, 1u << 6, ~0ull, NULL, 0, 0 };
	struct stmt *s;
	int rc;

	stream_start_part(&ss, sh);
	if (evidence_tables(st, run_id))
		return -1;
	s = stmt_prepare(st,
		"SELECT e.finding_id, x.event, x.message_id, x.ts, x.day, i.kind, i.path, e.line"
		" FROM temp.ev e LEFT JOIN temp.evx x ON x.ord = e.ord"
		" LEFT JOIN main.inputs i ON i.input_id = e.input_id ORDER BY e.ord");
	if (!s)
		return -1;
	while ((rc = stmt_step(s)) == 1) {
		struct xlsx_sheet *out = stream_row(&ss);
		unsigned r = ss.row++;
		if (!out)
			break;
		xlsx_str(out, r, 0, stmt_text(s, 0), XS_NONE);
		xlsx_str(out, r, 1, stmt_text(s, 1), XS_NONE);
		xlsx_str(out, r, 2, stmt_text(s, 2), XS_NONE);
		if (!stmt_is_null(s, 3))
			when_cell(out, r, 3, stmt_int(s, 3));
		else
			xlsx_date_str(out, r, 3, stmt_text(s, 4));
		xlsx_str(out, r, 4, stmt_text(s, 5), XS_NONE);
		xlsx_str(out, r, 5, stmt_text(s, 6), XS_NONE);
		xlsx_num(out, r, 6, (double)stmt_int(s, 7), XS_INT);
		if (xlsx_failed(x))
			break;
	}
	stmt_free(s);
	stream_finish_part(&ss);
	return rc < 0 ? -1 : 0;
}

/* ---- Data quality: the warnings stored by crosscheck.c and ingest, as
 * they were stored (with --redact, through the workbook's redaction
 * filter like every other cell) ---- */

static int write_quality(struct store *st, struct xlsx *x, struct xlsx_sheet *sh)
{
	static const char *const hdr[] = {
		"Check", "Warning", "Value", "Did you mean", "Count", "Of", "File", "Line"
	};
	static const double width[] = { 26, 48, 30, 30, 10, 26, 44, 8 };
	struct sheet_stream ss = { x, "Data quality", hdr, 8, width, 1u << 4 | 1u << 7, ~0ull,
				   NULL, 0, 0 };
	struct stmt *s;
	int rc;

	stream_start_part(&ss, sh);
	s = stmt_prepare(st, "SELECT q.check_name, q.message, q.subject, q.suggestion, q.count,"
			 " q.unit, coalesce(i.path, h.path), q.line FROM data_quality q"
			 " LEFT JOIN inputs i ON i.input_id = q.input_id"
			 " LEFT JOIN input_history h ON h.input_id = q.input_id"
			 " ORDER BY q.check_name, q.input_id, q.line, q.subject");
	if (!s)
		return -1;
	while ((rc = stmt_step(s)) == 1) {
		struct xlsx_sheet *out = stream_row(&ss);
		unsigned r = ss.row++;
		if (!out)
			break;
		xlsx_str(out, r, 0, stmt_text(s, 0), XS_NONE);
		xlsx_str(out, r, 1, stmt_text(s, 1), XS_NONE);
		xlsx_str(out, r, 2, stmt_text(s, 2), XS_NONE);
		xlsx_str(out, r, 3, stmt_text(s, 3), XS_NONE);
		xlsx_num(out, r, 4, (double)stmt_int(s, 4), XS_INT);
		xlsx_str(out, r, 5, stmt_text(s, 5), XS_NONE);
		xlsx_str(out, r, 6, stmt_text(s, 6), XS_NONE);
		if (!stmt_is_null(s, 7))
			xlsx_num(out, r, 7, (double)stmt_int(s, 7), XS_INT);
	}
	stmt_free(s);
	stream_finish_part(&ss);
	return rc < 0 ? -1 : 0;
}

/* ---- Rules: the snapshot analyze stored with the run (never rules/ now) ---- */

struct kv_writer {
	struct xlsx_sheet *sh;
	unsigned row;
	const char *file;
};

static int on_rule_key(void *user, const char *section, const char *key, const char *value,
		       unsigned long line)
{
	struct kv_writer *w = user;

	if (w->row >= XLSX_MAX_ROWS)
		return 0;
	xlsx_str(w->sh, w->row, 0, w->file, XS_NONE);
	xlsx_num(w->sh, w->row, 1, (double)line, XS_NONE);
	xlsx_str(w->sh, w->row, 2, section, XS_NONE);
	xlsx_str(w->sh, w->row, 3, key, XS_NONE);
	xlsx_str(w->sh, w->row, 4, value, XS_NONE);
	w->row++;
	return 0;
}

/* The sheet: the directory and digest, the pack table (file, size,
 * SHA-256 in D, beside the numbers), then the key table, the sheet's table: its header frozen and
 * repeated on every printed page, with the autofilter. */
static int write_rules(struct store *st, struct xlsx_sheet *sh, const struct run_info *run)
{
	static const char *const files_hdr[] = { "File", "Size (bytes)", "", "SHA-256" };
	static const char *const kv_hdr[] = { "File", "Line", "Section", "Key", "Value" };
	struct findings_cursor *c;
	struct rule_pack_row p;
	unsigned row = 0, first;
	int rc;

	xlsx_col_width(sh, 0, 0, 18, XS_TOP);
	xlsx_col_width(sh, 1, 1, 14, XS_TOP);
	/* text wraps (long patterns); a SHA-256 or the directory is written
	 * unwrapped, so it overflows over the next columns */
	xlsx_col_width(sh, 2, 3, 22, XS_WRAP);
	xlsx_col_width(sh, 4, 4, 60, XS_WRAP);
	xlsx_print_setup(sh, 0, XP_FIT_WIDTH);
	xlsx_str(sh, row, 0, "Rules directory", XS_BOLD);
	xlsx_str(sh, row++, 2, run->rules_dir ? run->rules_dir : "(not recorded)", XS_TOP);
	xlsx_str(sh, row, 0, "Rules SHA-256 (at analysis)", XS_BOLD);
	xlsx_str(sh, row++, 2, run->rules_sha256 ? run->rules_sha256 : "-", XS_TOP);
	row++;
	if (run->run_id < 0)
		return 0;
	first = row + 1;
	/* two passes over the few packs: the file table, then their keys */
	for (int pass = 0; pass < 2; pass++) {
		struct kv_writer w = { sh, row + 1, NULL };
		/* the workbook streams: rows go in order, the header first */
		xlsx_header_at(sh, row, 0, pass ? kv_hdr : files_hdr, pass ? 5 : 4, 0x2);
		if (pass) {
			xlsx_freeze(sh, row + 1, 0);
			xlsx_print_titles(sh, row, row);
		}
		if (!(c = run_rules_open(st, run->run_id)))
			return -1;
		while ((rc = run_rules_next(c, &p)) == 1) {
			if (pass == 0) {
				xlsx_str(sh, w.row, 0, p.file, XS_NONE);
				xlsx_num(sh, w.row, 1, (double)p.size, XS_INT);
				xlsx_str(sh, w.row++, 3, p.sha256, XS_TOP);
			} else {
				/* a bad pack was reported by analyze; this shows what parses */
				w.file = p.file;
				conf_parse_mem(p.text, (size_t)p.size, p.file, on_rule_key, &w);
			}
		}
		findings_close(c);
		if (rc < 0)
			return -1;
		if (pass == 0 && w.row == first) {
			xlsx_str(sh, first, 0, "No rule packs were stored with this run (analyzed"
				 " by an older version): run analyze again.", XS_NONE);
			return 0;
		}
		if (pass)
			xlsx_autofilter(sh, row, 0, w.row > row + 1 ? w.row - 1 : row + 1, 4);
		row = w.row + 1;
	}
	return 0;
}

int report_findings(struct store *st, const struct report_opts *o)
{
	struct xlsx_opts xo = { 0, 1, "Findings workbook", "Unauthorized disposition audit",
				NULL, NULL };
	struct redactor *red = NULL;
	struct xlsx_sheet *summary, *findings, *evidence, *inputs, *rules, *quality;
	struct report_coverage cov;
	struct run_info run;
	char date[TIME_DATE_LEN];
	struct xlsx *x;
	int err;

	if (pick_run(st, o->as_of, &run))
		return EXIT_DB;
	if (run.run_id < 0)
		diag_warn(NULL, "no analysis run%s%s in '%s': the workbook has no findings",
			  o->as_of ? " on or before " : "", o->as_of ? o->as_of : "", o->db);
	if (report_doc_time(o->as_of, run.as_of, &xo.created, date)) {
		run_release(&run);
		return EXIT_USAGE;
	}
	/* which actual and impending findings no NARA case covers yet */
	if (report_coverage(st, run.run_id, o->case_paths, o->ncase_paths, &cov)) {
		run_release(&run);
		return EXIT_DB;
	}
	if (o->redact) {
		/* every string cell goes through the redaction pass */
		red = redactor_load(st);
		if (!red) {
			run_release(&run);
			return EXIT_DB;
		}
		xo.title = "Findings workbook (Redacted copy)";
		xo.filter = redactor_filter;
		xo.filter_ctx = red;
	}
	x = xlsx_new(o->out, &xo);
	if (!x) {
		redactor_free(red);
		run_release(&run);
		return EXIT_DB;
	}
	summary = xlsx_add_sheet(x, "Summary");
	findings = xlsx_add_sheet(x, "Findings");
	evidence = xlsx_add_sheet(x, "Evidence");
	inputs = xlsx_add_sheet(x, "Inputs");
	rules = xlsx_add_sheet(x, "Rules");
	quality = xlsx_add_sheet(x, "Data quality");
	err = !summary || !findings || !evidence || !inputs || !rules || !quality;
	if (!err)
		err = write_summary(st, summary, &run, date, &cov) ||
		      write_findings(st, x, findings, run.run_id, o->redact, &cov) ||
		      write_evidence(st, x, evidence, run.run_id) ||
		      report_manifest_sheet(st, inputs, o->redact) ||
		      write_rules(st, rules, &run) ||
		      write_quality(st, x, quality);
	run_release(&run);
	if (err || report_store_ok(st, o->out)) {
		xlsx_discard(x);
		redactor_free(red);
		return EXIT_DB;
	}
	err = xlsx_close(x);
	redactor_free(red);
	return err ? EXIT_DB : EXIT_OK;
}
