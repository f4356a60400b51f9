/* findings_summary: the Summary sheet of the findings workbook (spec
 * §5.3): the agency and component, the totals (distinct messages with
 * copies beside them), what no NARA case covers yet, counts by class, type
 * and office in the incident report's order with human labels and charts,
 * and the quarter-over-quarter trend (new findings of each quarter, the
 * state it found, missing quarters marked). The sheet is written row by
 * row (the workbook streams); a block and its chart never straddle a
 * printed page. */
#include "findings_wb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "findings.h"
#include "hashmap.h"
#include "store.h"
#include "strbuf.h"
#include "xalloc.h"

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
	char buf[1024];
	strbuf_addstr(sb, finding_type_order_sql(col, buf, sizeof(buf)));
}

static void class_rank_sql(struct strbuf *sb, const char *col)
{
	char buf[256];
	strbuf_addstr(sb, finding_class_order_sql(col, buf, sizeof(buf)));
}

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

/* The distinct messages and the copies of each group of the blocks (a
 * class, a type and class, an office), from one pass over the run's copies
 * in message order, not a grouped query per block: a group's counter
 * remembers the last message it counted, so a message counts once in each
 * group it is in. Keys: 'C' class, 'T' class US type, 'O' office, 'N' no
 * office. The groups are few (offices at most): memory is flat in the
 * number of findings. */
struct copy_count {
	long long msgs, copies, last;
};

struct copy_stats {
	struct strmap idx;              /* key -> index in c */
	struct copy_count *c;
	size_t n, alloc;
	long long msgs, copies;         /* the run's: distinct messages, copies */
	struct strbuf key;
};

static void stats_key(struct strbuf *key, char kind, const char *a, const char *b)
{
	strbuf_reset(key);
	strbuf_addch(key, a ? kind : 'N');
	if (a)
		strbuf_addstr(key, a);
	if (b) {
		strbuf_addch(key, 0x1f);
		strbuf_addstr(key, b);
	}
}

static void stats_count(struct copy_stats *cs, long long seq)
{
	int is_new;
	size_t *slot = strmap_slot(&cs->idx, cs->key.buf, &is_new);
	struct copy_count *k;

	if (is_new) {
		cs->c = xgrow(cs->c, cs->n + 1, &cs->alloc, sizeof(*cs->c));
		cs->c[cs->n] = (struct copy_count){ 0, 0, -1 };
		*slot = cs->n++;
	}
	k = &cs->c[*slot];
	k->copies++;
	if (k->last != seq) {
		k->msgs++;
		k->last = seq;
	}
}

static int stats_load(struct store *st, long long run_id, struct copy_stats *cs)
{
	struct stmt *s = stmt_prepare(st,
		"SELECT c.message_id, f.class, f.type, f.office, f.finding_id IS NOT NULL"
		" FROM finding_copies c LEFT JOIN findings f"
		"  ON f.run_id = c.run_id AND f.finding_id = c.finding_id"
		" WHERE c.run_id = ?1 ORDER BY c.message_id");
	struct strbuf prev = STRBUF_INIT;
	int rc;

	if (!s)
		return -1;
	stmt_bind_int(s, 1, run_id);
	while ((rc = stmt_step(s)) == 1) {
		const char *m = stmt_text(s, 0);
		size_t len = (size_t)stmt_text_len(s, 0);
		if (!cs->copies || len != prev.len || memcmp(m, prev.buf, len)) {
			cs->msgs++;
			strbuf_reset(&prev);
			strbuf_add(&prev, m, len);
		}
		cs->copies++;
		if (!stmt_int(s, 4))
			continue;       /* a copy of no finding: in the totals only */
		stats_key(&cs->key, 'C', stmt_text(s, 1), NULL);
		stats_count(cs, cs->msgs);
		stats_key(&cs->key, 'T', stmt_text(s, 1), stmt_text(s, 2));
		stats_count(cs, cs->msgs);
		stats_key(&cs->key, 'O', stmt_text(s, 3), NULL);
		stats_count(cs, cs->msgs);
	}
	strbuf_release(&prev);
	stmt_free(s);
	return rc < 0 ? -1 : 0;
}

/* The distinct messages and copies of a group (0 and 0 when none). */
static void stats_get(struct copy_stats *cs, char kind, const char *a, const char *b,
		      long long *msgs, long long *copies)
{
	const size_t *i;

	stats_key(&cs->key, kind, a, b);
	i = strmap_get(&cs->idx, cs->key.buf);
	*msgs = i ? cs->c[*i].msgs : 0;
	*copies = i ? cs->c[*i].copies : 0;
}

static void stats_free(struct copy_stats *cs)
{
	strmap_clear(&cs->idx);
	free(cs->c);
	strbuf_release(&cs->key);
}

/* The four counts of a group row of group_sql (key, class or NULL,
 * findings, counted): findings, messages, copies, counted. */
static void group_counts(struct stmt *s, struct copy_stats *cs, char kind, long long n[4])
{
	const char *k = stmt_text(s, 0), *k2 = stmt_text(s, 1);

	n[0] = stmt_int(s, 2);
	if (kind == 'T')
		stats_get(cs, kind, k2, k, &n[1], &n[2]);
	else
		stats_get(cs, kind, k, NULL, &n[1], &n[2]);
	n[3] = stmt_int(s, 3);
}

/* A block "label [| class] | findings | messages | copies | counted by the
 * finding" from sql (group_sql), which binds the run as ?1; the groups'
 * messages and copies from cs (kind: their key). With a total row.
 * Returns the next free row; first and last: the data rows. */
static unsigned count_block(struct store *st, struct xlsx_sheet *sh, unsigned row,
			    const char *label, char kind, const char *sql, long long run_id,
			    struct copy_stats *cs, const long long total[4], unsigned *first,
			    unsigned *last, int *err, const char *(*name)(const char *))
{
	int with_class = kind == 'T';
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
		long long n[4];
		if (with_class)
			xlsx_str(sh, row, 1, class_label(stmt_text(s, 1)), XS_NONE);
		group_counts(s, cs, kind, n);
		for (unsigned c = 0; c < 4; c++)
			if (c < 3 || n[c])
				xlsx_num(sh, row, c0 + c, (double)n[c], XS_INT);
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

/* Group-by SQL over the findings for a key expression of f (and a second
 * one, or NULL), ordered by order_by: key, key2, findings, counted by the
 * finding (the messages and copies are the copy_stats'). */
static char *group_sql(const char *key, const char *key2, const char *order_by)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb,
		"SELECT g.k, g.k2, g.n, g.counted FROM"
		" (SELECT %s AS k, %s AS k2, count(*) AS n, sum(CASE WHEN EXISTS (SELECT 1 FROM"
		"  finding_copies c WHERE c.run_id = f.run_id AND c.finding_id = f.finding_id)"
		"  THEN 0 ELSE f.message_count END) AS counted"
		"  FROM findings f WHERE f.run_id = ?1 GROUP BY 1, 2) g ORDER BY %s",
		key, key2 ? key2 : "NULL", order_by);
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

/* The Summary sheet as a sequence of blocks written row by row (the
 * workbook streams), each placed by block_at. */
struct summary {
	struct store *st;
	struct xlsx_sheet *sh;
	const struct run_info *run;
	struct summary_layout L;
	struct copy_stats cs;
	long long total[4];     /* findings, messages, copies, counted by the finding */
	unsigned row;
	int err;
};

static void kv_row(struct summary *S, const char *label, const char *text, double n)
{
	xlsx_str(S->sh, S->row, 0, label, XS_BOLD);
	if (text)
		xlsx_str(S->sh, S->row++, 1, text, XS_NONE);
	else
		xlsx_num(S->sh, S->row++, 1, n, XS_INT);
}

/* The run's totals (S->total). */
static int summary_totals(struct summary *S)
{
	struct stmt *s;

	if (S->run->run_id < 0)
		return 0;
	if (stats_load(S->st, S->run->run_id, &S->cs))
		return -1;
	s = stmt_prepare(S->st, "SELECT count(*), coalesce(sum(CASE WHEN EXISTS (SELECT 1 FROM"
			 "  finding_copies c WHERE c.run_id = ?1 AND c.finding_id = f.finding_id)"
			 "  THEN 0 ELSE message_count END), 0) FROM findings f WHERE run_id = ?1");
	if (!s)
		return -1;
	stmt_bind_int(s, 1, S->run->run_id);
	if (stmt_step(s) == 1) {
		S->total[0] = stmt_int(s, 0);
		S->total[3] = stmt_int(s, 1);
	} else {
		S->err = 1;
	}
	S->total[1] = S->cs.msgs;
	S->total[2] = S->cs.copies;
	stmt_free(s);
	return 0;
}

/* Title, the audit, the key figures and what no NARA case covers yet. */
static void summary_head(struct summary *S, const char *as_of, const struct report_coverage *cov)
{
	const struct run_info *run = S->run;
	struct xlsx_sheet *sh = S->sh;
	char sentence[300];

	xlsx_str(sh, S->row++, 0, "Findings workbook (36 CFR 1230.14, 44 U.S.C. 3106)", XS_TITLE);
	kv_row(S, "Agency", run->agency ? run->agency : "-", 0);
	kv_row(S, "Component", run->component ? run->component : "-", 0);
	xlsx_str(sh, S->row, 0, "As of", XS_BOLD);
	xlsx_date_str(sh, S->row++, 1, run->as_of ? run->as_of : as_of);
	kv_row(S, "Quarter", run->quarter ? run->quarter : "-", 0);
	kv_row(S, "Findings", NULL, (double)S->total[0]);
	kv_row(S, "Messages affected (distinct)", NULL, (double)S->total[1]);
	kv_row(S, "Message copies", NULL, (double)S->total[2]);
	xlsx_str(sh, S->row, 0, "Not yet reported to NARA", XS_BOLD);
	report_coverage_sentence(cov, sentence, sizeof(sentence));
	if (cov->checked)
		xlsx_num(sh, S->row, 1, (double)(cov->actual + cov->impending),
			 cov->actual + cov->impending ? XS_FLAG : XS_INT);
	xlsx_str(sh, S->row++, 2, sentence, XS_NONE);
	if (run->run_id < 0)
		xlsx_str(sh, S->row, 0, "No analysis run in the audit database yet.", XS_NONE);
	S->row++;
	xlsx_str(sh, S->row++, 0, "Messages: distinct message ids of the copies behind the findings;"
		 " copies: (account, message) pairs; counted by the finding: what a finding without"
		 " copies counts (store rows, outage runs), not added to messages.", XS_NONE);
	S->row++;
}

/* By class: always the four classes, in order, so charts compare. */
static int summary_classes(struct summary *S)
{
	struct xlsx_sheet *sh = S->sh;
	unsigned start = block_at(&S->L, S->row, CHART_ROWS), first;
	long long cn[4][4] = { { 0 } };
	char *sql;
	struct stmt *s;
	int rc;

	xlsx_header_at(sh, S->row++, 0, (const char *const[]){ "Class", "Findings", "Messages",
			"Copies", "Counted by the finding" }, 5, 0x1E);
	sql = group_sql("f.class", NULL, "1");
	s = stmt_prepare(S->st, sql);
	free(sql);
	if (!s)
		return -1;
	first = S->row;
	stmt_bind_int(s, 1, S->run->run_id);
	while ((rc = stmt_step(s)) == 1)
		for (int i = 0; classes[i]; i++)
			if (stmt_text(s, 0) && !strcmp(stmt_text(s, 0), classes[i]))
				group_counts(s, &S->cs, 'C', cn[i]);
	if (rc < 0)
		S->err = 1;
	stmt_free(s);
	for (int i = 0; classes[i]; i++) {
		xlsx_str(sh, S->row, 0, class_label(classes[i]), XS_NONE);
		for (int c = 0; c < 4; c++)
			if (c < 3 || cn[i][c])
				xlsx_num(sh, S->row, (unsigned)c + 1, (double)cn[i][c], XS_INT);
		S->row++;
	}
	xlsx_str(sh, S->row, 0, "Total", XS_BOLD);
	for (unsigned c = 0; c < 4; c++)
		xlsx_num(sh, S->row, c + 1, (double)S->total[c], XS_INT);
	xlsx_chart(sh, start, CHART_COL, XC_PIE, "Findings by class", sh,
		   &(struct xlsx_series){ NULL, first, first + 3, 0, 1 }, 1);
	S->row = start + CHART_ROWS;
	return 0;
}

/* By type and class, in the incident report's order, then by office. */
static void summary_types_offices(struct summary *S)
{
	struct strbuf ord = STRBUF_INIT;
	unsigned start, f, l;
	char *sql;
	int n = count_rows(S->st, "SELECT count(*) FROM (SELECT DISTINCT type, class FROM findings"
			   " WHERE run_id = ?1)", S->run->run_id);

	S->row = block_at(&S->L, S->row, (unsigned)(n + 3 > CHART_ROWS ? n + 3 : CHART_ROWS));
	start = S->row;
	type_rank_sql(&ord, "g.k");
	strbuf_addstr(&ord, ", g.k, ");
	class_rank_sql(&ord, "g.k2");
	sql = group_sql("f.type", "f.class", ord.buf);
	strbuf_release(&ord);
	S->row = count_block(S->st, S->sh, S->row, "Type", 'T', sql, S->run->run_id, &S->cs,
			     S->total, &f, &l, &S->err, type_label);
	free(sql);
	if (n > 0)
		xlsx_chart(S->sh, start, CHART_COL, XC_COLUMN, "Findings by type", S->sh,
			   &(struct xlsx_series){ NULL, f, l, 0, 2 }, 1);
	if (S->row < start + CHART_ROWS)
		S->row = start + CHART_ROWS;

	n = count_rows(S->st, "SELECT count(DISTINCT coalesce(office, '')) FROM findings"
		       " WHERE run_id = ?1", S->run->run_id);
	S->row = block_at(&S->L, S->row, (unsigned)n + 3);
	sql = group_sql("f.office", NULL, "g.k IS NULL, g.k");
	S->row = count_block(S->st, S->sh, S->row, "Office", 'O', sql, S->run->run_id, &S->cs,
			     S->total, &f, &l, &S->err, NULL);
	free(sql);
}

/* Quarters between the previous run's (prev) and this one's (qi) have no
 * run: marked. */
static void trend_gap(struct summary *S, long prev, long qi)
{
	for (long m = prev + 1; prev >= 0 && qi > prev + 1 && m < qi && m < prev + 40; m++) {
		char name[16];
		snprintf(name, sizeof(name), "%ldQ%ld", m / 4, m % 4 + 1);
		xlsx_str(S->sh, S->row, 0, name, XS_FLAG);
		xlsx_str(S->sh, S->row++, 2, "no analysis run for this quarter", XS_FLAG);
	}
}

/* Quarter over quarter: the runs up to this one, what each found new (not
 * in the run before) and the state it found; a quarter with no run is
 * marked. */
static int summary_trend(struct summary *S)
{
	static const char *const trend_hdr[] = {
		"Quarter", "As of", "New this quarter", "Actual", "Impending", "Threatened",
		"Policy", "All findings", "Messages"
	};
	struct xlsx_sheet *sh = S->sh;
	int n = count_rows(S->st, "SELECT count(*) + 0 * ?1 FROM runs", S->run->run_id), rc;
	unsigned first;
	long prev = -1;
	struct stmt *s;

	S->row = block_at(&S->L, S->row, (unsigned)n + 4 + CHART_ROWS);
	xlsx_str(sh, S->row++, 0, "Quarter-over-quarter trend (the runs in the audit database)",
		 XS_BOLD);
	xlsx_header_at(sh, S->row++, 0, trend_hdr, 9, 0x1FC);
	first = S->row;
	s = stmt_prepare(S->st,
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
		" CASE WHEN r.run_id = ?2 THEN ?3 ELSE"
		"  (SELECT count(DISTINCT message_id) FROM finding_copies c WHERE c.run_id = r.run_id)"
		" END FROM runs r WHERE ?1 IS NULL OR r.as_of <= ?1 ORDER BY r.as_of");
	if (!s)
		return -1;
	stmt_bind_text(s, 1, S->run->as_of);
	/* this run's messages are counted already */
	stmt_bind_int(s, 2, S->run->run_id);
	stmt_bind_int(s, 3, S->cs.msgs);
	while ((rc = stmt_step(s)) == 1) {
		const char *q = stmt_text(s, 0);
		long qi = quarter_index(q);
		trend_gap(S, prev, qi);
		if (qi >= 0)
			prev = qi;
		xlsx_str(sh, S->row, 0, q ? q : stmt_text(s, 1), XS_NONE);
		xlsx_date_str(sh, S->row, 1, stmt_text(s, 1));
		for (int c = 2; c < 9; c++)
			xlsx_num(sh, S->row, (unsigned)c, (double)stmt_int(s, c), XS_INT);
		S->row++;
	}
	if (rc < 0)
		S->err = 1;
	stmt_free(s);
	if (S->row > first) {
		static const char *const names[] = { "New this quarter", "All findings" };
		struct xlsx_series ser[2] = {
			{ names[0], first, S->row - 1, 0, 2 }, { names[1], first, S->row - 1, 0, 7 },
		};
		xlsx_chart(sh, S->row + 1, 0, XC_COLUMN, "Findings by quarter", sh, ser, 2);
	}
	return 0;
}

int findings_summary_sheet(struct store *st, struct xlsx_sheet *sh, const struct run_info *run,
			   const char *as_of, const struct report_coverage *cov)
{
	struct summary S = { st, sh, run, { sh, 40, 0, { 0 }, 0 },
			     { STRMAP_INIT, NULL, 0, 0, 0, 0, STRBUF_INIT }, { 0, 0, 0, 0 }, 0, 0 };
	int rc;

	xlsx_col_width(sh, 0, 0, 30, XS_TOP);
	xlsx_col_width(sh, 1, 1, 12, XS_TOP);
	xlsx_col_width(sh, 2, 8, 11, XS_TOP);
	xlsx_print_setup(sh, 0, XP_NO_FIT);
	S.L.page_rows = xlsx_page_rows(xlsx_print_scale_to(sh, CHART_COL, CHART_PX)) - 4;
	rc = summary_totals(&S);
	if (!rc) {
		summary_head(&S, as_of, cov);
		rc = summary_classes(&S);
	}
	if (!rc) {
		summary_types_offices(&S);
		rc = summary_trend(&S);
	}
	if (!rc) {
		xlsx_page_breaks(sh, S.L.breaks, S.L.nbreaks);
		rc = S.err ? -1 : 0;
	}
	stats_free(&S.cs);
	return rc;
}
