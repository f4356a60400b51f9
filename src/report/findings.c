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
#include "findings_wb.h"
#include "store.h"
#include "strbuf.h"
#include "workbook.h"
#include "xalloc.h"
#include "xlsx.h"

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

/* One finding's row; *ev_next is the Evidence row (ord) of its first evidence. */
static void finding_row(struct xlsx_sheet *out, unsigned r, struct stmt *s,
			const struct report_coverage *cov, long long *ev_next)
{
	const char *v[F_NCOLS];
	long long nev = stmt_int(s, F_EVID);

	for (int i = 0; i < F_NCOLS; i++)
		v[i] = stmt_text(s, i);
	for (int i = 0; i < F_NCOLS; i++) {
		if (i == F_FIRST || i == F_LAST) {
			if (!stmt_is_null(s, i))
				sheet_when(out, r, (unsigned)i, stmt_int(s, i));
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
			char name[32];
			long long at = *ev_next - 1;
			sheet_part_name("Evidence", (int)(at / SHEET_PART_ROWS) + 1, name);
			if (nev)
				xlsx_link_rows(out, r, (unsigned)i, nev, name,
					       (unsigned)(at % SHEET_PART_ROWS) + 1);
			else
				xlsx_str(out, r, (unsigned)i, "none", XS_NONE);
		} else {
			xlsx_str(out, r, (unsigned)i, v[i], XS_NONE);
		}
	}
	*ev_next += nev;
}

int findings_list_sheet(struct store *st, const struct sheet_plan *plan, int redact,
			const struct report_coverage *cov)
{
	double width[F_NCOLS];
	struct xlsx *x = plan->x;
	struct sheet_stream ss = { x, "Findings", findings_hdr, F_NCOLS, width,
				   1u << F_MSGS | 1u << F_CONVS, ~0ull, NULL, 0, 0, plan->more,
				   plan->nmore };
	struct strbuf sql = STRBUF_INIT;
	long long ev_next = 1, n = 0;
	struct stmt *s;
	int rc;

	if (findings_widths(st, plan->run_id, redact, width) || !sheet_stream_start(&ss, plan->sh))
		return -1;
	strbuf_addstr(&sql,
		"SELECT f.finding_id, f.type, f.class, f.severity, f.office, f.custodian_id,"
		" a.custodian_name, f.account, f.app, f.device_id, f.first_ts, f.last_ts,"
		" f.message_count, f.conversation_count, f.detail,"
		" (SELECT group_concat(case_id, '; ') FROM temp.case_cover v"
		"  WHERE v.finding_id = f.finding_id),"
		" (SELECT count(*) FROM main.evidence e WHERE e.run_id = f.run_id"
		"  AND e.finding_id = f.finding_id)"
		" FROM temp.workbook_order o CROSS JOIN main.findings f"
		"  ON f.run_id = ?1 AND f.finding_id = o.finding_id"
		" LEFT JOIN main.accounts a ON a.account = f.account ORDER BY o.ord");
	s = stmt_prepare(st, sql.buf);
	strbuf_release(&sql);
	if (!s)
		return -1;
	stmt_bind_int(s, 1, plan->run_id);
	while ((rc = stmt_step(s)) == 1) {
		struct xlsx_sheet *out = sheet_stream_row(&ss);

		if (!out)
			break;
		finding_row(out, ss.row++, s, cov, &ev_next);
		n++;
		if (xlsx_failed(x))
			break;
	}
	stmt_free(s);
	sheet_stream_finish(&ss);
	if (rc == 0 && n != plan->rows)
		return xlsx_fail(x, "the Findings sheet has %lld rows, not the %lld counted: the"
				 " audit database changed while the workbook was written", n,
				 plan->rows);
	return rc < 0 || xlsx_failed(x) ? -1 : 0;
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
				   NULL, 0, 0, NULL, 0 };
	struct stmt *s;
	int rc;

	sheet_stream_start(&ss, sh);
	s = stmt_prepare(st, "SELECT q.check_name, q.message, q.subject, q.suggestion, q.count,"
			 " q.unit, coalesce(i.path, h.path), q.line FROM data_quality q"
			 " LEFT JOIN inputs i ON i.input_id = q.input_id"
			 " LEFT JOIN input_history h ON h.input_id = q.input_id"
			 " ORDER BY q.check_name, q.input_id, q.line, q.subject");
	if (!s)
		return -1;
	while ((rc = stmt_step(s)) == 1) {
		struct xlsx_sheet *out = sheet_stream_row(&ss);
		unsigned r = ss.row++;
		if (!out)
			break;
		sheet_cells(out, r, 0, s, 0, "ttttnttn");
	}
	stmt_free(s);
	sheet_stream_finish(&ss);
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

/* The workbook's sheets, added in its order: Summary, Findings, Evidence,
 * Inputs, Rules, Data quality, then the parts "Findings (2)", ... and
 * "Evidence (2)", ... the counts call for, where a sheet adding its parts
 * as it went would put them. */
struct wb_sheets {
	struct xlsx_sheet *summary, *inputs, *rules, *quality;
	struct xlsx_sheet **findings, **evidence;
	int nfindings, nevidence;
};

static int add_parts(struct xlsx *x, const char *base, struct xlsx_sheet **parts, int n)
{
	char name[32];

	for (int i = 1; i < n; i++) {
		sheet_part_name(base, i + 1, name);
		if (!(parts[i] = xlsx_add_sheet(x, name)))
			return -1;
	}
	return 0;
}

static int add_sheets(struct store *st, struct xlsx *x, long long run_id, struct wb_sheets *w,
		      struct sheet_plan *list, struct sheet_plan *ev)
{
	long long nfind, nev;

	if (finding_workbook_order(st, run_id) ||
	    finding_workbook_counts(st, run_id, &nfind, &nev))
		return -1;
	w->nfindings = sheet_parts(nfind);
	w->nevidence = sheet_parts(nev);
	w->findings = xcalloc((size_t)w->nfindings, sizeof(*w->findings));
	w->evidence = xcalloc((size_t)w->nevidence, sizeof(*w->evidence));
	w->summary = xlsx_add_sheet(x, "Summary");
	w->findings[0] = xlsx_add_sheet(x, "Findings");
	w->evidence[0] = xlsx_add_sheet(x, "Evidence");
	w->inputs = xlsx_add_sheet(x, "Inputs");
	w->rules = xlsx_add_sheet(x, "Rules");
	w->quality = xlsx_add_sheet(x, "Data quality");
	if (xlsx_failed(x) || add_parts(x, "Findings", w->findings, w->nfindings) ||
	    add_parts(x, "Evidence", w->evidence, w->nevidence))
		return -1;
	*list = (struct sheet_plan){ x, w->findings[0], w->findings + 1, w->nfindings - 1,
				     run_id, nfind };
	*ev = (struct sheet_plan){ x, w->evidence[0], w->evidence + 1, w->nevidence - 1,
				   run_id, nev };
	return 0;
}

int report_findings(struct store *st, const struct report_opts *o)
{
	struct xlsx_opts xo = { 0, 1, "Findings workbook", "Unauthorized disposition audit",
				NULL, NULL };
	struct redactor *red;
	struct wb_sheets wb = { 0 };
	struct sheet_plan list, ev;
	struct evidence_writer *ev_thread = NULL;
	struct report_coverage cov;
	struct run_info run;
	char date[TIME_DATE_LEN];
	struct xlsx *x;
	int err;

	/* the workbook streams and SQLite sorts in temporary files: a small
	 * page cache (it also caps each sorter's memory) keeps the peak flat
	 * in the number of findings */
	if (store_exec(st, "PRAGMA cache_size = -8192") || pick_run(st, o->as_of, &run))
		return EXIT_DB;
	if (run.run_id < 0)
		diag_warn(NULL, "no analysis run%s%s in '%s': the workbook has no findings",
			  o->as_of ? " on or before " : "", o->as_of ? o->as_of : "", o->db);
	if (report_doc_time(o->as_of, run.as_of, &xo.created, date)) {
		run_release(&run);
		return EXIT_USAGE;
	}
	/* which actual and impending findings no NARA case covers yet */
	if (report_coverage(st, run.run_id, o->case_paths, o->ncase_paths, &cov) ||
	    !(x = report_workbook_new(st, o, &xo, "Findings workbook (Redacted copy)", &red))) {
		run_release(&run);
		return EXIT_DB;
	}
	/* the Evidence sheet, the largest, is written beside the others */
	xlsx_number_styles(x);
	err = add_sheets(st, x, run.run_id, &wb, &list, &ev);
	if (!err)
		ev_thread = findings_evidence_start(st, &ev);
	if (!err)
		err = findings_summary_sheet(st, wb.summary, &run, date, &cov) ||
		      findings_list_sheet(st, &list, o->redact, &cov) ||
		      (!ev_thread && findings_evidence_sheet(st, &ev)) ||
		      report_manifest_sheet(st, wb.inputs, o->redact) ||
		      write_rules(st, wb.rules, &run) ||
		      write_quality(st, x, wb.quality);
	if (ev_thread && findings_evidence_finish(ev_thread))
		err = 1;
	free(wb.findings);
	free(wb.evidence);
	run_release(&run);
	return report_workbook_end(st, o, x, red, err);
}
