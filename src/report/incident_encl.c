/* incident_encl: the corrective actions, section 5 and the enclosures of
 * the incident report (see incident.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "findings.h"
#include "incident.h"
#include "pdf.h"
#include "redact.h"
#include "report.h"
#include "store.h"
#include "tracker.h"
#include "xalloc.h"
#include "xlsx.h"

/* ---- Corrective actions, each with what it answers and its evidence ---------- */

int incident_corrective_actions(struct case_ctx *c)
{
	struct stmt *s, *r;
	int rc = casereport_heading(c, 1, "actions", "heading");
	long long n = 0;

	if (rc)
		return rc;
	s = stmt_prepare(c->st,
		"SELECT a.action_id, a.title, coalesce(a.owner_office, a.owner),"
		" coalesce(nullif(a.revised_due_on, ''), a.due_on), a.due_on, a.revised_due_on,"
		" coalesce((SELECT u.status FROM main.status_updates u WHERE u.item_kind = 'action'"
		"   AND u.item_id = a.action_id AND u.on_date <= ?2"
		"   ORDER BY u.on_date DESC, u.update_id DESC LIMIT 1), a.status),"
		" (SELECT max(u.on_date) FROM main.status_updates u WHERE u.item_kind = 'action'"
		"   AND u.item_id = a.action_id AND u.on_date <= ?2),"
		" a.percent, a.evidence"
		" FROM main.actions a JOIN main.action_refs x ON x.action_id = a.action_id"
		" WHERE x.ref = ?1 ORDER BY a.action_id");
	r = s ? stmt_prepare(c->st,
		"SELECT r.source, r.report_id, r.rec_no, r.text FROM main.action_refs x"
		" JOIN main.recommendations r ON x.ref = r.report_id || '#' || r.rec_no"
		" WHERE x.action_id = ?1 ORDER BY r.report_id, r.rec_no") : NULL;
	if (!s || !r) {
		stmt_free(s);
		return -1;
	}
	stmt_bind_text(s, 1, c->cf.id);
	stmt_bind_text(s, 2, c->date);
	while (rc == 0 && stmt_step(s) == 1) {
		const char *status = stmt_text(s, 6) ? stmt_text(s, 6) : "";
		char *t, due[160], st[200], d1[64], d2[64];
		n++;
		t = xasprintf("%s. %s", stmt_text(s, 0), stmt_text(s, 1) ? stmt_text(s, 1) : "");
		rc = pdf_text(c->doc, PDF_BOLD | PDF_TIGHT, t);
		free(t);
		stmt_reset(r);
		stmt_bind_text(r, 1, stmt_text(s, 0));
		while (rc == 0 && stmt_step(r) == 1) {
			t = xasprintf("%s recommendation %s%s%s%s: %s", stmt_text(r, 1), stmt_text(r, 2),
				      stmt_text(r, 0) ? " (" : "", stmt_text(r, 0) ? stmt_text(r, 0) : "",
				      stmt_text(r, 0) ? ")" : "", stmt_text(r, 3) ? stmt_text(r, 3) : "");
			rc = pdf_kv(c->doc, reportdef_get(c->def, "actions", "answers"), t);
			free(t);
		}
		if (rc == 0 && stmt_text(s, 2))
			rc = pdf_kv(c->doc, reportdef_get(c->def, "actions", "owner"), stmt_text(s, 2));
		casereport_long_date(stmt_text(s, 3), d1, sizeof(d1));
		casereport_long_date(stmt_text(s, 4), d2, sizeof(d2));
		if (stmt_text(s, 5) && *stmt_text(s, 5))
			snprintf(due, sizeof(due), "%s (revised from %s)", d1, d2);
		else
			snprintf(due, sizeof(due), "%s", d1);
		if (rc == 0 && stmt_text(s, 3))
			rc = pdf_kv(c->doc, reportdef_get(c->def, "actions", "due"), due);
		casereport_long_date(stmt_text(s, 7), d2, sizeof(d2));
		if (tracker_is_pending(TK_ACTION, status) && !stmt_is_null(s, 8))
			snprintf(st, sizeof(st), "%s, %lld%% complete%s%s", status, stmt_int(s, 8),
				 stmt_text(s, 7) ? ", last update " : "", stmt_text(s, 7) ? d2 : "");
		else
			snprintf(st, sizeof(st), "%s%s%s", status, stmt_text(s, 7) ? " on " : "",
				 stmt_text(s, 7) ? d2 : "");
		if (rc == 0)
			rc = pdf_kv(c->doc, reportdef_get(c->def, "actions", "status"), st);
		if (rc == 0 && stmt_text(s, 9) && *stmt_text(s, 9))
			rc = pdf_kv(c->doc, reportdef_get(c->def, "actions", "evidence"),
				    stmt_text(s, 9));
		if (rc == 0)
			rc = pdf_space(c->doc, 8);
	}
	stmt_free(r);
	stmt_free(s);
	if (!rc && !n)
		rc = casereport_pars(c, "actions", "none");
	return rc;
}

/* ---- 5. Salvage ---------------------------------------------------------------- */

/* Where an affected message survives, per distinct message, from the
 * survives bits analyze stored with its copies (findings.h): the same
 * categories in the computed sentence and the table. A message may count
 * in several places; "device only" is a message held on a device or in an
 * account (this custodian's copy or another's) and nowhere else. */
enum { SV_STORE, SV_FORWARD, SV_EXPORT, SV_OTHER, SV_DEVICE_ONLY, SV_SURVIVING, SV_COUNT };
static const char *const sv_keys[SV_COUNT] = {
	"store", "forward", "export", "other", "device_only", "surviving"
};

static void salvage_count(unsigned b, long long n[SV_COUNT])
{
	const unsigned kept = FINDING_SURVIVES_STORE | FINDING_SURVIVES_FORWARD |
			      FINDING_SURVIVES_EXPORT;
	const unsigned held = FINDING_SURVIVES_DEVICE | FINDING_SURVIVES_OTHER;

	n[SV_STORE] += !!(b & FINDING_SURVIVES_STORE);
	n[SV_FORWARD] += !!(b & FINDING_SURVIVES_FORWARD);
	n[SV_EXPORT] += !!(b & FINDING_SURVIVES_EXPORT);
	n[SV_OTHER] += !!(b & FINDING_SURVIVES_OTHER);
	n[SV_DEVICE_ONLY] += (b & held) && !(b & kept);
	n[SV_SURVIVING] += b != 0;
}

/* The counts, and temp.case_held: the messages still held on a device or
 * in an account (the holder sentences look for their holders). */
static int salvage_table(struct case_ctx *c, long long n[SV_COUNT])
{
	struct finding_message_row m;
	struct findings_cursor *cur;
	struct stmt *ins;
	int rc;

	memset(n, 0, SV_COUNT * sizeof(*n));
	if (store_exec(c->st, "DROP TABLE IF EXISTS temp.case_held;"
		       "CREATE TEMP TABLE case_held (message_id TEXT PRIMARY KEY);"))
		return -1;
	ins = stmt_prepare(c->st, "INSERT INTO temp.case_held (message_id) VALUES (?1)");
	cur = ins ? finding_messages_open(c->st, &c->flt) : NULL;
	/* one transaction of the temp database, not one per message */
	if (!cur || store_exec(c->st, "SAVEPOINT case_held")) {
		findings_close(cur);
		stmt_free(ins);
		return -1;
	}
	while ((rc = finding_messages_next(cur, &m)) == 1) {
		salvage_count(m.survives, n);
		if (!(m.survives & (FINDING_SURVIVES_DEVICE | FINDING_SURVIVES_OTHER)))
			continue;
		stmt_bind_text(ins, 1, m.message_id);
		if (stmt_step(ins) < 0)
			rc = -1;
		stmt_reset(ins);
		if (rc < 0)
			break;
	}
	findings_close(cur);
	stmt_free(ins);
	if (rc < 0)
		store_exec(c->st, "ROLLBACK TO case_held");
	if (store_exec(c->st, "RELEASE case_held"))
		rc = -1;
	return rc < 0 ? -1 : 0;
}

/* The table: each place, then the messages surviving somewhere and those
 * known nowhere (they add up to the affected messages). */
static int salvage_rows(struct case_ctx *c, const struct figures *f, const long long n[SV_COUNT])
{
	const char *hdr[2];
	char cols[256], num[W_NUM];
	static const double w[] = { 4.0, 1.0 };
	int rc;

	if (casereport_columns(c, "section5", "columns", cols, sizeof(cols), hdr, 2))
		return -1;
	rc = pdf_table_begin(c->doc, 2, hdr, w) | pdf_table_align(c->doc, "lr");
	for (int i = 0; i <= SV_COUNT && !rc; i++) {
		const char *key = i < SV_COUNT ? sv_keys[i] : "lost";
		const char *cells[2] = { reportdef_get(c->def, "section5", key), num };
		inc_num(num, sizeof(num), i < SV_COUNT ? n[i] : f->messages - n[SV_SURVIVING]);
		rc = cells[0] ? pdf_table_row(c->doc, cells) : -1;
	}
	return rc | pdf_table_end(c->doc);
}

/* Who still holds a copy: the first places to salvage from. */
static int salvage_holders(struct case_ctx *c)
{
	struct stmt *s = stmt_prepare(c->st,
		"SELECT coalesce(" INC_CUSTODIAN_NAME("g") ", g.custodian_id, g.account),"
		" g.account, g.device_id, count(DISTINCT fc.message_id), g.type, g.class"
		" FROM main.finding_copies fc JOIN main.findings g"
		"  ON g.run_id = fc.run_id AND g.finding_id = fc.finding_id"
		" WHERE fc.run_id = ?1 AND fc.message_id IN (SELECT message_id FROM temp.case_held)"
		"  AND (g.type IN ('NOT_FORWARDED', 'CAPTURE_GAP', 'LATE_FORWARD')"
		"  OR (g.type = 'ACCOUNT_DELETION' AND g.class = 'impending'))"
		" GROUP BY g.account, g.device_id, g.type ORDER BY 4 DESC, g.account LIMIT 5");
	int rc = 0;

	if (!s)
		return -1;
	stmt_bind_int(s, 1, c->run_id);
	while (rc == 0 && stmt_step(s) == 1) {
		char buf[64], dev[96];
		char *t;
		casereport_var(c, "holder", stmt_text(s, 0));
		casereport_var(c, "account", stmt_text(s, 1));
		snprintf(dev, sizeof(dev), ", device %s", stmt_text(s, 2) ? stmt_text(s, 2) : "");
		casereport_var(c, "device_note", stmt_text(s, 2) ? dev : "");
		casereport_var(c, "n_messages", casereport_count(c, buf, sizeof(buf), stmt_int(s, 3),
								 "message", "messages"));
		casereport_var(c, "finding_type", inc_type_label(c, stmt_text(s, 4), stmt_text(s, 5)));
		t = casereport_text(c, "section5", "holder", 0);
		rc = t ? pdf_bullet(c->doc, t) : -1;
		free(t);
	}
	stmt_free(s);
	return rc;
}

int incident_section5(struct case_ctx *c, const struct figures *f)
{
	long long n[SV_COUNT];
	char num[W_NUM];
	int rc = casereport_heading(c, 1, "section5", "heading");

	if (rc || salvage_table(c, n))
		return -1;
	for (int i = 0; i < SV_COUNT; i++)
		casereport_var(c, sv_keys[i], casereport_num(num, sizeof(num), n[i]));
	casereport_var(c, "lost", casereport_num(num, sizeof(num), f->messages - n[SV_SURVIVING]));
	casereport_var(c, "messages", casereport_num(num, sizeof(num), f->messages));
	if (casereport_pars(c, "section5", f->messages ? "computed" : "none"))
		return -1;
	if (f->messages)
		rc = salvage_rows(c, f, n);
	if (!rc)
		rc = salvage_holders(c);
	if (!rc)
		rc = pdf_space(c->doc, 6);
	for (size_t i = 0; !rc && i < c->cf.salvage.n; i++)
		rc = casereport_par(c, c->cf.salvage.v[i]);
	return rc;
}

/* ---- affected records, manifest, citations ----------------------------------- */

/* The complete affected-records table, one row per finding of the case,
 * and its conversations: Enclosure A, written beside the letter as
 * CASE-enclosure-a.xlsx (-redacted.xlsx for a redacted copy, written
 * through the redaction pass). Named by the case, not by -o, so the letter
 * that quotes its name is the same whatever it is called. */
char *incident_enclosure_path(const struct case_ctx *c)
{
	const char *slash = strrchr(c->o->out, '/');
	int dir = slash ? (int)(slash - c->o->out + 1) : 0;
	return xasprintf("%.*s%s-enclosure-a%s.xlsx", dir, c->o->out, c->cf.id,
			 c->red ? "-redacted" : "");
}

/* The "Affected records" sheet: one row per finding, the most copies first. */
static int enclosure_findings(struct case_ctx *c, struct xlsx_sheet *sh)
{
	static const char *const hdr[] = {
		"finding_id", "custodian", "office", "account", "app", "device_id", "first",
		"last", "copies", "distinct messages", "conversations", "type", "class", "detail"
	};
	static const double w[] = { 20, 24, 24, 30, 12, 12, 12, 12, 10, 12, 12, 24, 10, 80 };
	struct stmt *s;
	unsigned row = 1;

	for (unsigned i = 0; i < 14; i++)
		xlsx_col_width(sh, i, i, w[i], XS_NONE);
	xlsx_header(sh, 0, hdr, 14);
	xlsx_freeze(sh, 1, 0);
	s = stmt_prepare(c->st,
		"SELECT f.finding_id, coalesce(" INC_CUSTODIAN_NAME("f") ", f.custodian_id),"
		" f.office, f.account, f.app,"
		" f.device_id, f.first_ts, f.last_ts, f.message_count, coalesce(d.n, 0),"
		" f.conversation_count, f.type, f.class, f.detail"
		" FROM temp.case_findings f LEFT JOIN (SELECT finding_id, count(DISTINCT message_id) AS n"
		"  FROM temp.case_copies GROUP BY finding_id) d ON d.finding_id = f.finding_id"
		" ORDER BY f.message_count DESC, f.custodian_id, f.finding_id");
	if (!s)
		return -1;
	while (stmt_step(s) == 1 && row < XLSX_MAX_ROWS) {
		for (unsigned i = 0; i < 6; i++)
			xlsx_str(sh, row, i, i == 4 ? inc_app_name(c, stmt_text(s, 4))
				 : stmt_text(s, (int)i), XS_NONE);
		if (!stmt_is_null(s, 6))
			xlsx_datetime(sh, row, 6, stmt_int(s, 6));
		if (!stmt_is_null(s, 7))
			xlsx_datetime(sh, row, 7, stmt_int(s, 7));
		for (unsigned i = 8; i <= 10; i++)
			xlsx_num(sh, row, i, (double)stmt_int(s, (int)i), XS_INT);
		xlsx_str(sh, row, 11, finding_label(stmt_text(s, 11), stmt_text(s, 12)), XS_NONE);
		xlsx_str(sh, row, 12, stmt_text(s, 12), XS_NONE);
		xlsx_str(sh, row, 13, stmt_text(s, 13), XS_NONE);
		row++;
	}
	stmt_free(s);
	if (row > 1)
		xlsx_autofilter(sh, 0, 0, row - 1, 13);
	return 0;
}

/* The "Conversations" sheet: the case's copies by conversation. */
static void enclosure_conversations(struct case_ctx *c, struct xlsx_sheet *cs)
{
	static const char *const chdr[] = {
		"conversation", "app", "copies", "distinct messages", "first", "last"
	};
	struct stmt *s;
	unsigned row = 1;

	xlsx_header(cs, 0, chdr, 6);
	xlsx_col_width(cs, 0, 0, 30, XS_NONE);
	xlsx_col_width(cs, 1, 5, 14, XS_NONE);
	s = stmt_prepare(c->st,
		"SELECT conversation_id, min(app), count(*), count(DISTINCT message_id), min(ts),"
		" max(ts) FROM temp.case_copies GROUP BY conversation_id"
		" ORDER BY count(*) DESC, conversation_id");
	while (s && stmt_step(s) == 1 && row < XLSX_MAX_ROWS) {
		xlsx_str(cs, row, 0, stmt_text(s, 0), XS_NONE);
		xlsx_str(cs, row, 1, inc_app_name(c, stmt_text(s, 1)), XS_NONE);
		xlsx_num(cs, row, 2, (double)stmt_int(s, 2), XS_INT);
		xlsx_num(cs, row, 3, (double)stmt_int(s, 3), XS_INT);
		xlsx_datetime(cs, row, 4, stmt_int(s, 4));
		xlsx_datetime(cs, row, 5, stmt_int(s, 5));
		row++;
	}
	stmt_free(s);
}

int incident_write_enclosure(struct case_ctx *c, const char *path)
{
	struct xlsx_opts xo = { c->doc_time, 1, "Affected records", c->cf.id,
				c->red ? redactor_filter : NULL, c->red };
	struct xlsx *x = xlsx_new(path, &xo);
	struct xlsx_sheet *sh, *cs;

	if (!x)
		return -1;
	sh = xlsx_add_sheet(x, "Affected records");
	cs = xlsx_add_sheet(x, "Conversations");
	if (!sh || !cs || enclosure_findings(c, sh)) {
		xlsx_discard(x);
		return -1;
	}
	enclosure_conversations(c, cs);
	if (report_store_ok(c->st, path)) {
		xlsx_discard(x);
		return -1;
	}
	return xlsx_close(x);
}

/* Enclosure A in the letter: the workbook's name and digest, then the top
 * rows by volume of the affected-records table. */
int incident_enclosure_a(struct case_ctx *c, const struct figures *f, const char *book,
		       const char *sha)
{
	const char *hdr[7];
	char cols[512], n1[64], d1[TIME_DATE_LEN], d2[TIME_DATE_LEN], type[160];
	static const double w[] = { 94, 54, 46, 62, 62, 50, 100 };
	struct stmt *s;
	const char *base = strrchr(book, '/');
	int rc = casereport_heading(c, 1, "affected", "heading"), nrows = 0;
	long long more = 0, more_copies = 0;

	casereport_var(c, "workbook", base ? base + 1 : book);
	if (rc || casereport_pars(c, "affected", "workbook") ||
	    pdf_text(c->doc, PDF_MONO, sha) ||
	    casereport_pars(c, "affected", f->findings ? "intro" : "none"))
		return -1;
	if (!f->findings)
		return 0;
	if (casereport_columns(c, "affected", "columns", cols, sizeof(cols), hdr, 7))
		return -1;
	s = stmt_prepare(c->st,
		"SELECT coalesce(" INC_CUSTODIAN_NAME("f") ", f.custodian_id, ''), f.app,"
		" coalesce(f.device_id, ''), f.first_ts, f.last_ts, f.message_count, f.type, f.class"
		" FROM temp.case_findings f"
		" ORDER BY f.message_count DESC, f.custodian_id IS NULL, f.custodian_id, f.app,"
		" f.device_id, f.first_ts, f.type, f.finding_id");
	if (!s)
		return -1;
	rc = pdf_table_begin(c->doc, 7, hdr, w) | pdf_table_align(c->doc, "lllllrl");
	while (rc == 0 && stmt_step(s) == 1) {
		if (nrows++ >= MAX_AFFECTED_ROWS) {
			more++;
			/* copies only: the store's rows and an outage's are not copies */
			more_copies += inc_volume_kind(stmt_text(s, 6)) == VOL_COPIES ? stmt_int(s, 5) : 0;
			continue;
		}
		const char *cells[7] = {
			stmt_text(s, 0), inc_app_name(c, stmt_text(s, 1)), stmt_text(s, 2), d1, d2, n1, type
		};
		inc_day(stmt_int(s, 3), d1, stmt_is_null(s, 3));
		inc_day(stmt_int(s, 4), d2, stmt_is_null(s, 4));
		inc_volume_cell(c, stmt_text(s, 6), stmt_int(s, 5), n1, sizeof(n1));
		snprintf(type, sizeof(type), "%s (%s)", inc_type_label(c, stmt_text(s, 6), stmt_text(s, 7)),
			 stmt_text(s, 7));
		rc = casereport_row(c, cells, 7);
	}
	stmt_free(s);
	if (rc == 0 && more) {
		char label[96], m[W_NUM];
		const char *cells[7] = { label, "", "", "", "", n1, "" };
		casereport_num(m, sizeof(m), more);
		snprintf(label, sizeof(label), "%s more findings, in the workbook", m);
		inc_num(n1, sizeof(n1), more_copies);
		rc = pdf_table_row(c->doc, cells);
	}
	return rc | pdf_table_end(c->doc);
}

/* 44 U.S.C. 2911 applies when a non-official account (accounts.official =
 * 0) holds any of the case's records. */
int incident_citations(struct case_ctx *c)
{
	long long nonofficial = 0;
	size_t n = reportdef_count(c->def, "citations", "cite");
	int rc = casereport_heading(c, 1, "citations", "heading");

	if (rc || inc_query_ll(c, "SELECT count(*) FROM temp.case_findings f JOIN main.accounts a"
			   " ON a.account = f.account WHERE a.official = 0", &nonofficial))
		return -1;
	for (size_t i = 0; i < n && !rc; i++) {
		char *t = casereport_text(c, "citations", "cite", i);
		rc = t ? pdf_bullet(c->doc, t) : -1;
		free(t);
	}
	if (!rc && nonofficial) {
		char *t = casereport_text(c, "citations", "non_official", 0);
		rc = t ? pdf_bullet(c->doc, t) : -1;
		free(t);
	}
	return rc ? rc : pdf_space(c->doc, 6);
}
