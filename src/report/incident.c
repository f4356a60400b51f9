/* report_incident: the 36 CFR 1230.14 report of one NARA case (spec §5.1),
 * `udaudit report incident --db DB --case CASE.ini -o FILE.pdf`.
 *
 * The five elements of 1230.14(a) come in order, each with figures
 * computed from the case's findings (casereport.h selects them): volume
 * and dates per finding type and record series, the office and its
 * custodians, one sentence per finding type and group (app, device or
 * account) then the officer's narrative, the corrective actions linked to
 * the case, and how many affected messages survive somewhere. Then the
 * affected-records table, the input manifest, the citations and the
 * signature. Wording lives in reports/incident.ini.
 *
 * Every figure is one SQL aggregate over the temporary tables, so a case
 * of any size costs a few sorted passes, never a query per copy. Loss
 * dates and where a message survives are read as analyze stored them
 * (findings.h), never derived again from usage or the store. */
#include "report.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "casereport.h"
#include "incident.h"
#include "cli.h"
#include "diag.h"
#include "findings.h"
#include "hash.h"
#include "pdf.h"
#include "redact.h"
#include "store.h"
#include "strbuf.h"
#include "tracker.h"
#include "xalloc.h"
#include "xlsx.h"

void inc_num(char *buf, size_t len, long long n)
{
	casereport_num(buf, len, n);
}

void inc_day(long long ts, char out[TIME_DATE_LEN], int null)
{
	if (null)
		out[0] = '\0';             /* unknown: no "-" in a letter */
	else
		time_fmt_day(ts, out);
}

/* The label of a finding type in a class (findings.h: one vocabulary). */
const char *inc_type_label(struct case_ctx *c, const char *type, const char *class)
{
	(void)c;
	return finding_label(type, class);
}

enum volume_kind inc_volume_kind(const char *type)
{
	if (type && (!strcmp(type, "EARLY_PURGE") || !strcmp(type, "RETENTION_SHORTFALL")))
		return VOL_STORE_ROWS;
	if (type && !strcmp(type, "CAPTURE_OUTAGE"))
		return VOL_OUTAGE;
	return VOL_COPIES;
}

const char *inc_volume_cell(struct case_ctx *c, const char *type, long long n, char *buf,
			    size_t len)
{
	char num[W_NUM];
	const char *tail = NULL;

	switch (inc_volume_kind(type)) {
	case VOL_STORE_ROWS:
		return casereport_count(c, buf, len, n, "store row", "store rows");
	case VOL_OUTAGE:
		tail = reportdef_nth(c->def, "words", "outage_copies", 0);
		snprintf(buf, len, "%s %s", casereport_num(num, sizeof(num), n),
			 tail ? tail : "(also gaps)");
		return buf;
	default:
		return casereport_num(buf, len, n);
	}
}

/* The display name of an app key from [apps] ("whatsapp" -> "WhatsApp"). */
const char *inc_app_name(struct case_ctx *c, const char *key)
{
	const char *v;
	if (!key)
		return "";
	v = reportdef_nth(c->def, "apps", key, 0);
	return v ? v : key;
}

int inc_query_ll(struct case_ctx *c, const char *sql, long long *out)
{
	struct stmt *s = stmt_prepare(c->st, sql);
	int rc;
	if (!s)
		return -1;
	rc = stmt_step(s);
	*out = rc == 1 && !stmt_is_null(s, 0) ? stmt_int(s, 0) : 0;
	stmt_free(s);
	return rc < 0 ? -1 : 0;
}

static int compute_figures(struct case_ctx *c, struct figures *f)
{
	struct stmt *s;
	size_t len = 0;
	int rc;
	long long d = 0;

	memset(f, 0, sizeof(*f));
	time_parse_date(c->run_as_of, &d);
	f->asof_end = (d + 1) * 86400;
	if (inc_query_ll(c, "SELECT count(*) FROM temp.case_findings", &f->findings) ||
	    inc_query_ll(c, "SELECT count(*) FROM temp.case_copies", &f->copies) ||
	    inc_query_ll(c, "SELECT count(DISTINCT message_id) FROM temp.case_copies", &f->messages) ||
	    inc_query_ll(c, "SELECT count(DISTINCT conversation_id) FROM temp.case_copies",
		     &f->conversations) ||
	    inc_query_ll(c, "SELECT count(DISTINCT custodian_id) FROM temp.case_findings",
		     &f->custodians) ||
	    inc_query_ll(c, "SELECT count(DISTINCT device_id) FROM temp.case_findings", &f->devices) ||
	    inc_query_ll(c, "SELECT count(DISTINCT app) FROM temp.case_findings", &f->apps) ||
	    inc_query_ll(c, "SELECT sum(message_count) FROM temp.case_findings"
		     " WHERE type IN ('EARLY_PURGE', 'RETENTION_SHORTFALL')", &f->store_rows) ||
	    inc_query_ll(c, "SELECT min(first_ts) FROM temp.case_findings", &f->first) ||
	    inc_query_ll(c, "SELECT max(last_ts) FROM temp.case_findings", &f->last))
		return -1;
	s = stmt_prepare(c->st, "SELECT DISTINCT app FROM temp.case_findings"
			 " WHERE app IS NOT NULL ORDER BY app");
	if (!s)
		return -1;
	while ((rc = stmt_step(s)) == 1) {
		const char *name = inc_app_name(c, stmt_text(s, 0));
		if (len + strlen(name) + 3 < sizeof(f->apps_list)) {
			/* "A, B and C": the last joint is rewritten below */
			len += (size_t)snprintf(f->apps_list + len, sizeof(f->apps_list) - len,
						"%s%s", len ? ", " : "", name);
			f->napps_listed++;
			f->last_joint = f->napps_listed > 1 ? len - strlen(name) - 2 : 0;
		}
	}
	stmt_free(s);
	if (f->napps_listed > 1 && len + 3 < sizeof(f->apps_list)) {
		char tail[512];
		snprintf(tail, sizeof(tail), "%s", f->apps_list + f->last_joint + 2);
		snprintf(f->apps_list + f->last_joint, sizeof(f->apps_list) - f->last_joint,
			 " and %s", tail);
	}
	return rc < 0 ? -1 : 0;
}

static void figure_vars(struct case_ctx *c, const struct figures *f)
{
	char buf[64], d1[TIME_DATE_LEN], d2[TIME_DATE_LEN];

	casereport_var(c, "findings", casereport_num(buf, sizeof(buf), f->findings));
	casereport_var(c, "n_findings", casereport_count(c, buf, sizeof(buf), f->findings,
							 "finding", "findings"));
	casereport_var(c, "copies", casereport_num(buf, sizeof(buf), f->copies));
	casereport_var(c, "n_copies", casereport_count(c, buf, sizeof(buf), f->copies,
						       "copy", "copies"));
	casereport_var(c, "messages", casereport_num(buf, sizeof(buf), f->messages));
	casereport_var(c, "n_messages", casereport_count(c, buf, sizeof(buf), f->messages,
							 "message", "messages"));
	casereport_var(c, "conversations", casereport_num(buf, sizeof(buf), f->conversations));
	casereport_var(c, "n_conversations", casereport_count(c, buf, sizeof(buf),
		       f->conversations, "conversation", "conversations"));
	casereport_var(c, "custodians", casereport_num(buf, sizeof(buf), f->custodians));
	casereport_var(c, "n_custodians", casereport_count(c, buf, sizeof(buf), f->custodians,
							   "custodian", "custodians"));
	casereport_var(c, "devices", casereport_num(buf, sizeof(buf), f->devices));
	casereport_var(c, "n_devices", casereport_count(c, buf, sizeof(buf), f->devices,
							"device", "devices"));
	casereport_var(c, "apps", casereport_num(buf, sizeof(buf), f->apps));
	casereport_var(c, "n_apps", casereport_count(c, buf, sizeof(buf), f->apps, "app", "apps"));
	casereport_var(c, "app_names", f->apps_list);
	casereport_var(c, "store_rows", casereport_num(buf, sizeof(buf), f->store_rows));
	inc_day(f->first, d1, f->findings == 0);
	inc_day(f->last, d2, f->findings == 0);
	casereport_var(c, "first", d1);
	casereport_var(c, "last", d2);
	{
		char l1[64], l2[64], r[160];
		casereport_long_day(f->first, l1, sizeof(l1));
		casereport_long_day(f->last, l2, sizeof(l2));
		casereport_var(c, "date_range", casereport_range(c, l1, l2, r, sizeof(r)));
	}
}

/* ---- 1. Description of the records ---------------------------------------- */

static int by_type_table(struct case_ctx *c, const struct figures *f)
{
	const char *hdr[5];
	char cols[512], n1[W_NUM], n2[W_NUM], n3[W_NUM];
	static const double w[] = { 170, 80, 70, 70, 78 };  /* points of 468 */
	struct stmt *s;
	int rc;

	if (casereport_columns(c, "section1", "by_type_columns", cols, sizeof(cols), hdr, 5))
		return -1;
	char order[200], *sql;
	sql = xasprintf("SELECT f.type, f.class, count(*), sum(f.message_count),"
		" (SELECT count(DISTINCT message_id) FROM temp.case_copies x"
		"   WHERE x.type = f.type AND x.class = f.class)"
		" FROM temp.case_findings f GROUP BY f.type, f.class ORDER BY %s, f.type",
		finding_class_order_sql("f.class", order, sizeof(order)));
	s = stmt_prepare(c->st, sql);
	free(sql);
	if (!s)
		return -1;
	rc = pdf_table_begin(c->doc, 5, hdr, w) | pdf_table_align(c->doc, "llrrr");
	while (rc == 0 && stmt_step(s) == 1) {
		const char *type = stmt_text(s, 0);
		/* the store's own rows are neither copies nor messages on a device;
		   an outage's copies are the capture gaps' (counted there) */
		int rows = inc_volume_kind(type) != VOL_COPIES;
		char buf[64];
		const char *cells[5] = { inc_type_label(c, type, stmt_text(s, 1)),
					 stmt_text(s, 1), n1, n2, n3 };
		inc_num(n1, sizeof(n1), stmt_int(s, 2));
		inc_num(n2, sizeof(n2), stmt_int(s, 3));
		inc_num(n3, sizeof(n3), stmt_int(s, 4));
		if (rows) {
			cells[3] = inc_volume_cell(c, type, stmt_int(s, 3), buf, sizeof(buf));
			cells[4] = "";
		}
		rc = pdf_table_row(c->doc, cells);
	}
	stmt_free(s);
	if (rc == 0 && f->findings) {
		/* totals: copies and distinct messages, never mixed */
		const char *cells[5] = { reportdef_get(c->def, "section1", "total"), "", n1, n2, n3 };
		inc_num(n1, sizeof(n1), f->findings);
		inc_num(n2, sizeof(n2), f->copies);
		inc_num(n3, sizeof(n3), f->messages);
		rc = pdf_table_row(c->doc, cells);
	}
	return rc | pdf_table_end(c->doc);
}

/* Record series from the role of the account holding each copy (GRS 6.1
 * item 010 Capstone, 011 others, 012 support; an account not in
 * accounts.csv counts as standard, as in the detectors). */
static int by_series_table(struct case_ctx *c)
{
	const char *hdr[6];
	char cols[512], n1[W_NUM], n2[W_NUM], n3[W_NUM], d1[TIME_DATE_LEN], d2[TIME_DATE_LEN];
	static const double w[] = { 156, 70, 50, 62, 65, 65 };
	struct stmt *s;
	int rc;

	if (casereport_columns(c, "section1", "by_series_columns", cols, sizeof(cols), hdr, 6))
		return -1;
	s = stmt_prepare(c->st,
		"SELECT coalesce(a.role, 'standard') AS r, count(DISTINCT c.custodian_id),"
		" count(*), count(DISTINCT c.message_id), min(c.ts), max(c.ts)"
		" FROM temp.case_copies c LEFT JOIN main.accounts a ON a.account = c.account"
		" GROUP BY r ORDER BY CASE r WHEN 'capstone' THEN 0 WHEN 'standard' THEN 1"
		" WHEN 'support' THEN 2 ELSE 3 END, r");
	if (!s)
		return -1;
	rc = pdf_table_begin(c->doc, 6, hdr, w) | pdf_table_align(c->doc, "lrrrll");
	while (rc == 0 && stmt_step(s) == 1) {
		const char *role = stmt_text(s, 0);
		const char *series = reportdef_nth(c->def, "series", role, 0);
		const char *cells[6] = { series ? series : role, n1, n2, n3, d1, d2 };
		inc_num(n1, sizeof(n1), stmt_int(s, 1));
		inc_num(n2, sizeof(n2), stmt_int(s, 2));
		inc_num(n3, sizeof(n3), stmt_int(s, 3));
		time_fmt_day(stmt_int(s, 4), d1);
		time_fmt_day(stmt_int(s, 5), d2);
		rc = pdf_table_row(c->doc, cells);
	}
	stmt_free(s);
	return rc | pdf_table_end(c->doc);
}


static int conversations_table(struct case_ctx *c)
{
	const char *hdr[6];
	char cols[512], n1[W_NUM], n2[W_NUM], d1[TIME_DATE_LEN], d2[TIME_DATE_LEN], conv[256];
	static const double w[] = { 156, 70, 50, 62, 65, 65 };
	struct stmt *s;
	int rc, row = 0;
	long long more_convs = 0, more_copies = 0;

	if (casereport_columns(c, "section1", "conversation_columns", cols, sizeof(cols), hdr, 6))
		return -1;
	s = stmt_prepare(c->st,
		"SELECT conversation_id, min(app), count(*), count(DISTINCT message_id),"
		" min(ts), max(ts) FROM temp.case_copies GROUP BY conversation_id"
		" ORDER BY count(*) DESC, min(ts), conversation_id");
	if (!s)
		return -1;
	rc = pdf_table_begin(c->doc, 6, hdr, w) | pdf_table_align(c->doc, "llrrll");
	while (rc == 0 && stmt_step(s) == 1) {
		if (row++ >= MAX_CONVERSATION_ROWS) {
			more_convs++;
			more_copies += stmt_int(s, 2);
			continue;
		}
		const char *cells[6] = { conv, inc_app_name(c, stmt_text(s, 1)), n1, n2, d1, d2 };
		snprintf(conv, sizeof(conv), "%s", stmt_text(s, 0) ? stmt_text(s, 0) : "");
		inc_num(n1, sizeof(n1), stmt_int(s, 2));
		inc_num(n2, sizeof(n2), stmt_int(s, 3));
		time_fmt_day(stmt_int(s, 4), d1);
		time_fmt_day(stmt_int(s, 5), d2);
		rc = casereport_row(c, cells, 6);
	}
	stmt_free(s);
	if (rc == 0 && more_convs) {
		char label[96];
		const char *cells[6] = { label, "", n1, "", "", "" };
		casereport_num(n2, sizeof(n2), more_convs);
		snprintf(label, sizeof(label), "%s more, see Enclosure A", n2);
		inc_num(n1, sizeof(n1), more_copies);
		rc = pdf_table_row(c->doc, cells);
	}
	return rc | pdf_table_end(c->doc);
}

int incident_section1(struct case_ctx *c, const struct figures *f)
{
	char *t;
	int rc = casereport_heading(c, 1, "section1", "heading");

	if (rc || !(t = casereport_text(c, "section1", f->findings ? "volume" : "none", 0)))
		return -1;
	rc = pdf_paragraph(c->doc, t);
	free(t);
	if (f->store_rows && !rc) {
		if (!(t = casereport_text(c, "section1", "store_rows", 0)))
			return -1;
		rc = pdf_paragraph(c->doc, t);
		free(t);
	}
	if (!rc && f->copies) {
		/* permanent records said in the text, not only in the table */
		long long perm = 0, pmsg = 0;
		char buf[64];
		if (inc_query_ll(c, "SELECT count(*) FROM temp.case_copies c JOIN main.accounts a"
			     " ON a.account = c.account WHERE a.role = 'capstone'", &perm) ||
		    inc_query_ll(c, "SELECT count(DISTINCT c.message_id) FROM temp.case_copies c"
			     " JOIN main.accounts a ON a.account = c.account"
			     " WHERE a.role = 'capstone'", &pmsg))
			return -1;
		if (perm) {
			casereport_var(c, "n_permanent", casereport_count(c, buf, sizeof(buf), perm,
								   "copy", "copies"));
			casereport_var(c, "n_permanent_messages", casereport_count(c, buf, sizeof(buf),
					pmsg, "message", "messages"));
			if (!(t = casereport_text(c, "section1", "permanent", 0)))
				return -1;
			rc = pdf_paragraph(c->doc, t);
			free(t);
		}
	}
	if (!f->findings || rc)
		return rc;
	rc |= casereport_heading(c, 2, "section1", "by_type_heading");
	rc |= by_type_table(c, f);
	if (f->copies) {
		rc |= casereport_heading(c, 2, "section1", "by_series_heading");
		rc |= by_series_table(c);
		rc |= casereport_heading(c, 2, "section1", "conversation_heading");
		rc |= conversations_table(c);
	}
	return rc;
}

/* ---- 2. Office ------------------------------------------------------------ */

/* {offices}: "A, B and C"; past MAX_NAMES_LISTED, the first ones and "and N
 * other offices"; none recorded: [section2] unknown. 0 or -1. */
static int offices_var(struct case_ctx *c)
{
	struct strbuf out = STRBUF_INIT;
	long long n = 0, shown;
	struct stmt *s;
	int rc = 0, i = 0;

	if (inc_query_ll(c, "SELECT count(DISTINCT office) FROM temp.case_findings", &n))
		return -1;
	shown = n > MAX_NAMES_LISTED ? MAX_NAMES_LISTED - 1 : n;
	s = stmt_prepare(c->st, "SELECT DISTINCT office FROM temp.case_findings"
			 " WHERE office IS NOT NULL ORDER BY office");
	if (!s)
		return -1;
	while (i < shown && (rc = stmt_step(s)) == 1) {
		i++;
		strbuf_addf(&out, "%s%s", i == 1 ? "" : i == n ? " and " : ", ", stmt_text(s, 0));
	}
	stmt_free(s);
	if (rc < 0) {                   /* a failed step is not the end of the rows */
		strbuf_release(&out);
		return -1;
	}
	if (n > shown) {
		char num[W_NUM];
		const char *w = reportdef_nth(c->def, "section2", "other_offices", 0);
		strbuf_addf(&out, " and %s %s", casereport_num(num, sizeof(num), n - shown),
			    w ? w : "other offices");
	}
	casereport_var(c, "offices", n ? out.buf : reportdef_nth(c->def, "section2", "unknown", 0));
	strbuf_release(&out);
	return 0;
}

int incident_section2(struct case_ctx *c)
{
	const char *hdr[5];
	char cols[512], n1[W_NUM], n2[W_NUM];
	static const double w[] = { 108, 104, 156, 50, 50 };
	struct stmt *s;
	int rc = 0, nrows = 0;
	long long more = 0, more_copies = 0;
	char *t;

	if (offices_var(c))
		return -1;
	rc |= casereport_heading(c, 1, "section2", "heading");
	if (rc || !(t = casereport_text(c, "section2", "text", 0)))
		return -1;
	rc = pdf_paragraph(c->doc, t);
	free(t);
	if (rc || casereport_columns(c, "section2", "custodian_columns", cols, sizeof(cols), hdr, 5))
		return -1;
	/* one row per custodian: the accounts and devices of the case's findings */
	s = stmt_prepare(c->st,
		"SELECT coalesce(max(" INC_CUSTODIAN_NAME("f") "), f.custodian_id, f.account),"
		" coalesce(f.office, ''),"
		" group_concat(DISTINCT f.account), count(DISTINCT f.device_id),"
		" coalesce(min(x.n), 0)"
		" FROM temp.case_findings f"
		" LEFT JOIN (SELECT coalesce(custodian_id, '') AS k, count(*) AS n"
		"  FROM temp.case_copies GROUP BY k) x ON x.k = coalesce(f.custodian_id, '')"
		" GROUP BY f.custodian_id, f.office ORDER BY coalesce(min(x.n), 0) DESC,"
		" f.custodian_id IS NULL, f.custodian_id");
	if (!s)
		return -1;
	rc = pdf_table_begin(c->doc, 5, hdr, w) | pdf_table_align(c->doc, "lllrr");
	while (rc == 0 && stmt_step(s) == 1) {
		if (nrows++ >= MAX_CUSTODIAN_ROWS) {
			more++;
			more_copies += stmt_int(s, 4);
			continue;
		}
		char *accts = xstrdup(stmt_text(s, 2) ? stmt_text(s, 2) : "");
		for (char *p = accts; *p; p++)
			if (*p == ',')
				*p = '\n';
		const char *cells[5] = { stmt_text(s, 0), stmt_text(s, 1), accts, n1, n2 };
		inc_num(n1, sizeof(n1), stmt_int(s, 3));
		inc_num(n2, sizeof(n2), stmt_int(s, 4));
		rc = casereport_row(c, cells, 5);
		free(accts);
	}
	stmt_free(s);
	if (rc == 0 && more) {
		char label[96];
		const char *cells[5] = { label, "", "", "", n2 };
		casereport_num(n1, sizeof(n1), more);
		snprintf(label, sizeof(label), "%s more, see Enclosure A", n1);
		inc_num(n2, sizeof(n2), more_copies);
		rc = pdf_table_row(c->doc, cells);
	}
	return rc | pdf_table_end(c->doc);
}

int report_incident(struct store *st, const struct report_opts *o)
{
	struct case_ctx c;
	struct figures f;
	char *book = NULL, sha[SHA256_HEX_LEN] = "";
	long long size;
	int rc = casereport_open(&c, st, o, "incident.ini");

	if (rc != EXIT_OK)
		return rc;
	if (c.run_id < 0) {
		diag_error(NULL, "no analysis run%s%s in '%s': run 'udaudit analyze' first",
			   o->as_of ? " on or before " : "", o->as_of ? o->as_of : "", o->db);
		casereport_close(&c);
		return EXIT_INPUT;
	}
	if (compute_figures(&c, &f)) {
		casereport_close(&c);
		return EXIT_DB;
	}
	figure_vars(&c, &f);
	/* Enclosure A first: the letter quotes its digest */
	book = incident_enclosure_path(&c);
	if (incident_write_enclosure(&c, book) || sha256_file(book, sha, &size)) {
		free(book);
		casereport_close(&c);
		return EXIT_DB;
	}
	rc = casereport_begin(&c) ? -1 : 0;
	/* the letter */
	if (!rc)
		rc = casereport_pars(&c, "letter", "intro");
	if (!rc && c.cf.nara_letter_on)
		rc = casereport_pars(&c, "letter", "nara_letter");
	if (!rc && c.cf.response_due_on && strcmp(c.date, c.cf.response_due_on) > 0)
		rc = casereport_pars(&c, "letter", "past_due");
	/* the five elements of 36 CFR 1230.14(a) */
	if (!rc)
		rc = incident_section1(&c, &f);
	if (!rc)
		rc = incident_section2(&c);
	if (!rc)
		rc = incident_section3(&c, &f);
	if (!rc)
		rc = incident_section4(&c);
	if (!rc)
		rc = incident_section5(&c, &f);
	/* the corrective actions, the closing and the signature */
	if (!rc)
		rc = incident_corrective_actions(&c);
	/* the closing, the signature, then the enclosures */
	if (!rc)
		rc = casereport_closing(&c);
	if (!rc)
		rc = incident_enclosure_a(&c, &f, book, sha);
	if (!rc)
		rc = casereport_manifest(&c);
	if (!rc)
		rc = incident_citations(&c);
	rc = rc ? EXIT_INPUT : casereport_save(&c);
	if (rc != EXIT_OK)
		unlink(book);
	free(book);
	casereport_close(&c);
	return rc;
}
