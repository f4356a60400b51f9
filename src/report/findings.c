/* report_findings: the findings workbook (spec §5.3). Sheets: Summary
 * (counts by class, type and office, charts, the quarter-over-quarter trend
 * of every run in the audit DB), Findings (spec §4.3 columns), Evidence,
 * Inputs (the manifest), Rules (the rule packs the run used, as stored) and
 * Data quality (the warnings of crosscheck.c and ingest).
 *
 * The whole workbook streams (libxlsxwriter constant-memory mode): every
 * sheet is written row by row, in order, so a million findings take the
 * memory of one row. A sheet that reaches Excel's 1,048,576 rows goes on in
 * "Findings (2)", and so on. Everything is read with ORDER BY, so the same
 * audit DB gives the same bytes. */
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

struct run_info {
	long long run_id;               /* -1: no run */
	char *as_of, *quarter, *rules_dir, *rules_sha256;
};

/* A sheet written row by row that continues in "NAME (2)" when full. */
struct sheet_stream {
	struct xlsx *x;
	const char *base;
	const char *const *header;
	int ncols;
	const double *width;            /* per column */
	struct xlsx_sheet *sh;
	unsigned row;                   /* next row to write */
	int part;
};

static void stream_finish_part(struct sheet_stream *ss)
{
	if (ss->sh && ss->row > 1)
		xlsx_autofilter(ss->sh, 0, 0, ss->row - 1, (unsigned)ss->ncols - 1);
}

static struct xlsx_sheet *stream_start_part(struct sheet_stream *ss, struct xlsx_sheet *sh)
{
	ss->part++;
	if (!sh) {
		char name[32];
		snprintf(name, sizeof(name), "%s (%d)", ss->base, ss->part);
		sh = xlsx_add_sheet(ss->x, name);
		if (!sh)
			return NULL;
	}
	ss->sh = sh;
	for (int i = 0; i < ss->ncols; i++)
		xlsx_col_width(sh, (unsigned)i, (unsigned)i, ss->width[i], XS_NONE);
	xlsx_freeze(sh, 1, 0);
	xlsx_header(sh, 0, ss->header, ss->ncols);
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
}

/* The latest run on or before as_of (any run when NULL). 0 (r->run_id -1
 * when none) or -1. */
static int pick_run(struct store *st, const char *as_of, struct run_info *r)
{
	struct stmt *s = stmt_prepare(st,
		"SELECT run_id, as_of, quarter, rules_dir, rules_sha256 FROM runs"
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
	}
	stmt_free(s);
	return rc < 0 ? -1 : 0;
}

/* ---- Summary ---- */

/* A "label | findings | messages" block from a GROUP BY query binding the
 * run as ?1; returns the next free row. Labels NULL show as "(unknown)". */
static unsigned count_block(struct store *st, struct xlsx_sheet *sh, unsigned row,
			    const char *label, const char *sql, long long run_id,
			    unsigned *first, unsigned *last, int *err)
{
	const char *hdr[3] = { label, "Findings", "Messages" };
	struct stmt *s = stmt_prepare(st, sql);
	int rc;

	xlsx_header(sh, row++, hdr, 3);
	*first = row;
	if (!s) {
		*err = 1;
		return row;
	}
	stmt_bind_int(s, 1, run_id);
	while ((rc = stmt_step(s)) == 1) {
		const char *v = stmt_text(s, 0);
		xlsx_str(sh, row, 0, v ? v : "(unknown)", XS_NONE);
		xlsx_num(sh, row, 1, (double)stmt_int(s, 1), XS_INT);
		xlsx_num(sh, row, 2, (double)stmt_int(s, 2), XS_INT);
		row++;
	}
	if (rc < 0)
		*err = 1;
	stmt_free(s);
	*last = row > *first ? row - 1 : *first;
	return row + 1;
}

static int write_summary(struct store *st, struct xlsx_sheet *sh, const struct run_info *run,
			 const char *as_of)
{
	static const char *const trend_hdr[] = {
		"Quarter", "As of", "Actual", "Impending", "Threatened", "Policy", "Findings", "Messages"
	};
	unsigned row = 0, f, l, tfirst;
	long long total = 0, msgs = 0;
	int err = 0, rc;
	struct stmt *s;

	xlsx_col_width(sh, 0, 0, 28, XS_NONE);
	xlsx_col_width(sh, 1, 7, 12, XS_NONE);
	xlsx_str(sh, row++, 0, "Findings workbook (36 CFR 1230.14, 44 U.S.C. 3106)", XS_TITLE);
	if (run->run_id >= 0) {
		s = stmt_prepare(st, "SELECT count(*), coalesce(sum(message_count), 0)"
				 " FROM findings WHERE run_id = ?1");
		if (!s)
			return -1;
		stmt_bind_int(s, 1, run->run_id);
		if (stmt_step(s) == 1) {
			total = stmt_int(s, 0);
			msgs = stmt_int(s, 1);
		} else {
			err = 1;
		}
		stmt_free(s);
	}
	xlsx_str(sh, row, 0, "As of", XS_BOLD);
	xlsx_date_str(sh, row++, 1, run->as_of ? run->as_of : as_of);
	xlsx_str(sh, row, 0, "Quarter", XS_BOLD);
	xlsx_str(sh, row++, 1, run->quarter ? run->quarter : "-", XS_NONE);
	xlsx_str(sh, row, 0, "Findings", XS_BOLD);
	xlsx_num(sh, row++, 1, (double)total, XS_INT);
	xlsx_str(sh, row, 0, "Messages affected", XS_BOLD);
	xlsx_num(sh, row++, 1, (double)msgs, XS_INT);
	if (run->run_id < 0)
		xlsx_str(sh, row, 0, "No analysis run in the audit database yet.", XS_NONE);
	row += 2;

	/* by class: always the four classes, in order, so charts compare */
	xlsx_header(sh, row++, (const char *const[]){ "Class", "Findings", "Messages" }, 3);
	s = stmt_prepare(st, "SELECT count(*), coalesce(sum(message_count), 0) FROM findings"
			 " WHERE run_id = ?1 AND class = ?2");
	if (!s)
		return -1;
	unsigned class_first = row;
	for (int i = 0; classes[i]; i++) {
		long long n = 0, m = 0;
		stmt_bind_int(s, 1, run->run_id);
		stmt_bind_text(s, 2, classes[i]);
		rc = stmt_step(s);
		if (rc == 1) {
			n = stmt_int(s, 0);
			m = stmt_int(s, 1);
		} else {
			err = 1;
		}
		stmt_reset(s);
		xlsx_str(sh, row, 0, classes[i], XS_NONE);
		xlsx_num(sh, row, 1, (double)n, XS_INT);
		xlsx_num(sh, row, 2, (double)m, XS_INT);
		row++;
	}
	stmt_free(s);
	xlsx_chart(sh, 1, 9, XC_PIE, "Findings by class", sh,
		   &(struct xlsx_series){ NULL, class_first, row - 1, 0, 1 }, 1);
	row++;

	row = count_block(st, sh, row, "Type",
			  "SELECT type, count(*), coalesce(sum(message_count), 0) FROM findings"
			  " WHERE run_id = ?1 GROUP BY type ORDER BY type", run->run_id, &f, &l, &err);
	if (l >= f && f < row - 1)
		xlsx_chart(sh, 17, 9, XC_COLUMN, "Findings by type", sh,
			   &(struct xlsx_series){ NULL, f, l, 0, 1 }, 1);
	row = count_block(st, sh, row, "Office",
			  "SELECT office, count(*), coalesce(sum(message_count), 0) FROM findings"
			  " WHERE run_id = ?1 GROUP BY office ORDER BY office IS NULL, office",
			  run->run_id, &f, &l, &err);

	/* quarter over quarter: one row per run kept in the audit DB */
	xlsx_str(sh, row++, 0, "Quarter-over-quarter trend (every run in the audit database)",
		 XS_BOLD);
	xlsx_header(sh, row++, trend_hdr, 8);
	tfirst = row;
	s = stmt_prepare(st,
		"SELECT r.quarter, r.as_of,"
		" sum(f.class = 'actual'), sum(f.class = 'impending'),"
		" sum(f.class = 'threatened'), sum(f.class = 'policy'),"
		" count(f.finding_id), coalesce(sum(f.message_count), 0)"
		" FROM runs r LEFT JOIN findings f USING (run_id)"
		" GROUP BY r.run_id ORDER BY r.as_of");
	if (!s)
		return -1;
	while ((rc = stmt_step(s)) == 1) {
		const char *q = stmt_text(s, 0);
		xlsx_str(sh, row, 0, q ? q : stmt_text(s, 1), XS_NONE);
		xlsx_date_str(sh, row, 1, stmt_text(s, 1));
		for (int c = 2; c < 8; c++)
			xlsx_num(sh, row, (unsigned)c, (double)stmt_int(s, c), XS_INT);
		row++;
	}
	if (rc < 0)
		err = 1;
	stmt_free(s);
	if (row > tfirst) {
		struct xlsx_series ser[4];
		static const char *const names[] = { "Actual", "Impending", "Threatened", "Policy" };
		for (int i = 0; i < 4; i++)
			ser[i] = (struct xlsx_series){ names[i], tfirst, row - 1, 0, (unsigned)(2 + i) };
		xlsx_chart(sh, 33, 9, XC_COLUMN, "Findings by quarter", sh, ser, 4);
	}
	return err ? -1 : 0;
}

/* ---- Findings ---- */

enum { F_ID, F_TYPE, F_CLASS, F_SEV, F_OFFICE, F_CUST, F_ACCOUNT, F_APP, F_DEVICE,
       F_FIRST, F_LAST, F_MSGS, F_CONVS, F_DETAIL, F_NCOLS };

static const char *const findings_hdr[F_NCOLS] = {
	"finding_id", "type", "class", "severity", "office", "custodian_id", "account", "app",
	"device_id", "first_ts", "last_ts", "message_count", "conversation_count", "detail",
};

/* Column widths from the longest value of each text column. */
static int findings_widths(struct store *st, long long run_id, int redact, double *w)
{
	struct stmt *s = stmt_prepare(st,
		"SELECT max(length(finding_id)), max(length(type)), max(length(class)),"
		" max(length(severity)), max(length(office)), max(length(custodian_id)),"
		" max(length(account)), max(length(app)), max(length(device_id))"
		" FROM findings WHERE run_id = ?1");
	int rc;

	for (int i = 0; i < F_NCOLS; i++)
		w[i] = xlsx_fit(strlen(findings_hdr[i]), 8, 60);
	w[F_FIRST] = w[F_LAST] = 20;
	w[F_DETAIL] = 80;
	if (!s)
		return -1;
	stmt_bind_int(s, 1, run_id);
	rc = stmt_step(s);
	if (rc == 1)
		for (int i = 0; i <= F_DEVICE; i++) {
			double fit = xlsx_fit((unsigned long)stmt_int(s, i), 8, 60);
			if (fit > w[i])
				w[i] = fit;
		}
	stmt_free(s);
	if (redact) {
		w[F_CUST] = xlsx_fit(18, 8, 60);
		if (w[F_ACCOUNT] > 40)
			w[F_ACCOUNT] = 40;
	}
	return rc < 0 ? -1 : 0;
}

static int write_findings(struct store *st, struct xlsx *x, struct xlsx_sheet *sh,
			  long long run_id, int redact)
{
	double width[F_NCOLS];
	struct sheet_stream ss = { x, "Findings", findings_hdr, F_NCOLS, width, NULL, 0, 0 };
	struct stmt *s;
	int rc;

	if (findings_widths(st, run_id, redact, width))
		return -1;
	stream_start_part(&ss, sh);
	/* the most serious first, then grouped as the officer reads them */
	s = stmt_prepare(st,
		"SELECT f.finding_id, f.type, f.class, f.severity, f.office, f.custodian_id,"
		" f.account, f.app, f.device_id, f.first_ts, f.last_ts, f.message_count,"
		" f.conversation_count, f.detail, a.custodian_name"
		" FROM findings f LEFT JOIN accounts a ON a.account = f.account"
		" WHERE f.run_id = ?1 ORDER BY CASE f.class WHEN 'actual' THEN 0"
		" WHEN 'impending' THEN 1 WHEN 'threatened' THEN 2 ELSE 3 END,"
		" f.type, f.office, f.custodian_id, f.account, f.finding_id");
	if (!s)
		return -1;
	stmt_bind_int(s, 1, run_id);
	while ((rc = stmt_step(s)) == 1) {
		struct xlsx_sheet *out = stream_row(&ss);
		unsigned r = ss.row++;
		const char *v[F_NCOLS];

		if (!out)
			break;
		for (int i = 0; i < F_NCOLS; i++)
			v[i] = stmt_text(s, i);
		for (int i = 0; i < F_NCOLS; i++) {
			if (i == F_FIRST || i == F_LAST) {
				if (!stmt_is_null(s, i))
					xlsx_datetime(out, r, (unsigned)i, stmt_int(s, i));
			} else if (i == F_MSGS || i == F_CONVS) {
				xlsx_num(out, r, (unsigned)i, (double)stmt_int(s, i), XS_NONE);
			} else {
				xlsx_str(out, r, (unsigned)i, v[i], XS_NONE);
			}
		}
		if (xlsx_failed(x))
			break;
	}
	stmt_free(s);
	stream_finish_part(&ss);
	return rc < 0 ? -1 : 0;
}

/* ---- Evidence ---- */

static int write_evidence(struct store *st, struct xlsx *x, struct xlsx_sheet *sh,
			  long long run_id)
{
	static const char *const hdr[] = { "finding_id", "input kind", "input path", "line" };
	static const double width[] = { 20, 16, 60, 10 };
	struct sheet_stream ss = { x, "Evidence", hdr, 4, width, NULL, 0, 0 };
	struct stmt *s;
	int rc;

	stream_start_part(&ss, sh);
	s = stmt_prepare(st,
		"SELECT e.finding_id, i.kind, i.path, e.line FROM evidence e"
		" LEFT JOIN inputs i USING (input_id) WHERE e.run_id = ?1"
		" ORDER BY e.finding_id, i.path, e.line");
	if (!s)
		return -1;
	stmt_bind_int(s, 1, run_id);
	while ((rc = stmt_step(s)) == 1) {
		struct xlsx_sheet *out = stream_row(&ss);
		unsigned r = ss.row++;
		if (!out)
			break;
		xlsx_str(out, r, 0, stmt_text(s, 0), XS_NONE);
		xlsx_str(out, r, 1, stmt_text(s, 1), XS_NONE);
		xlsx_str(out, r, 2, stmt_text(s, 2), XS_NONE);
		xlsx_num(out, r, 3, (double)stmt_int(s, 3), XS_NONE);
		if (xlsx_failed(x))
			break;
	}
	stmt_free(s);
	stream_finish_part(&ss);
	return rc < 0 ? -1 : 0;
}

/* ---- Inputs (the manifest; loaded_at is left out: it would change the
 * bytes of every later workbook) ---- */

static int write_inputs(struct store *st, struct xlsx *x, struct xlsx_sheet *sh, int redact)
{
	static const char *const hdr[] = {
		"kind", "path", "size", "records", "skipped", "ignored", "sha256"
	};
	static const double width[] = { 16, 60, 12, 10, 10, 10, 68 };
	struct sheet_stream ss = { x, "Inputs", hdr, 7, width, NULL, 0, 0 };
	struct stmt *s;
	int rc;

	stream_start_part(&ss, sh);
	s = stmt_prepare(st, "SELECT kind, path, size, records, skipped, ignored, sha256"
			 " FROM inputs ORDER BY input_id");
	if (!s)
		return -1;
	while ((rc = stmt_step(s)) == 1) {
		struct xlsx_sheet *out = stream_row(&ss);
		unsigned r = ss.row++;
		if (!out)
			break;
		xlsx_str(out, r, 0, stmt_text(s, 0), XS_NONE);
		xlsx_str(out, r, 1, stmt_text(s, 1), XS_NONE);
		for (int c = 2; c <= 5; c++)
			xlsx_num(out, r, (unsigned)c, (double)stmt_int(s, c), XS_INT);
		xlsx_str(out, r, 6, stmt_text(s, 6), XS_NONE);
	}
	stmt_free(s);
	if (redact && rc == 0) {
		struct xlsx_sheet *out = stream_row(&ss);
		if (out)
			xlsx_str(out, ss.row++, 0, "Redacted copy: file names are replaced (input-N);"
				 " each SHA-256 is that of the original file, so the recipient can"
				 " verify the agency's copies.", XS_BOLD);
	}
	stream_finish_part(&ss);
	return rc < 0 ? -1 : 0;
}

/* ---- Data quality: the warnings stored by crosscheck.c and ingest, as
 * they were stored (with --redact, through the workbook's redaction
 * filter like every other cell) ---- */

static int write_quality(struct store *st, struct xlsx *x, struct xlsx_sheet *sh)
{
	static const char *const hdr[] = {
		"check", "warning", "value", "did you mean", "count", "of", "file", "line"
	};
	static const double width[] = { 26, 48, 30, 30, 10, 26, 44, 8 };
	struct sheet_stream ss = { x, "Data quality", hdr, 8, width, NULL, 0, 0 };
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

static int write_rules(struct store *st, struct xlsx_sheet *sh, const struct run_info *run)
{
	static const char *const files_hdr[] = { "file", "size", "sha256" };
	static const char *const kv_hdr[] = { "file", "line", "section", "key", "value" };
	struct findings_cursor *c;
	struct rule_pack_row p;
	unsigned row = 0, first;
	int rc;

	xlsx_col_width(sh, 0, 0, 22, XS_NONE);
	xlsx_col_width(sh, 1, 1, 10, XS_NONE);
	xlsx_col_width(sh, 2, 2, 68, XS_NONE);
	xlsx_col_width(sh, 3, 3, 18, XS_NONE);
	xlsx_col_width(sh, 4, 4, 60, XS_NONE);
	xlsx_str(sh, row, 0, "Rules directory", XS_BOLD);
	xlsx_str(sh, row++, 2, run->rules_dir ? run->rules_dir : "(not recorded)", XS_NONE);
	xlsx_str(sh, row, 0, "Rules SHA-256 (at analysis)", XS_BOLD);
	xlsx_str(sh, row++, 2, run->rules_sha256 ? run->rules_sha256 : "-", XS_NONE);
	row++;
	if (run->run_id < 0)
		return 0;
	first = row + 1;
	/* two passes over the few packs: the file table, then their keys */
	for (int pass = 0; pass < 2; pass++) {
		struct kv_writer w = { sh, row + 1, NULL };
		/* the workbook streams: rows go in order, the header first */
		xlsx_header(sh, row, pass ? kv_hdr : files_hdr, pass ? 5 : 3);
		if (!(c = run_rules_open(st, run->run_id)))
			return -1;
		while ((rc = run_rules_next(c, &p)) == 1) {
			if (pass == 0) {
				xlsx_str(sh, w.row, 0, p.file, XS_NONE);
				xlsx_num(sh, w.row, 1, (double)p.size, XS_INT);
				xlsx_str(sh, w.row++, 2, p.sha256, XS_NONE);
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
		err = write_summary(st, summary, &run, date) ||
		      write_findings(st, x, findings, run.run_id, o->redact) ||
		      write_evidence(st, x, evidence, run.run_id) ||
		      write_inputs(st, x, inputs, o->redact) ||
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
