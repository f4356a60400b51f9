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

/* A letter, not a listing: the sections show the top rows by volume and
 * say how many more the enclosed workbook (Enclosure A) lists. */
#define MAX_CONVERSATION_ROWS 10        /* the rest is summed in one line */
#define MAX_CUSTODIAN_ROWS 15
#define MAX_AFFECTED_ROWS 25
#define MAX_NAMES_LISTED 6              /* custodians named in one sentence */
#define MAX_GROUP_SENTENCES 5           /* per finding type; the rest in one */

enum { W_NUM = 24 };

/* The case's totals (section 1). */
struct figures {
	long long findings, copies, messages, conversations, custodians, devices, apps;
	long long store_rows, first, last, asof_end;
	char apps_list[512];
	size_t napps_listed, last_joint;
};

static void fmt_num(char *buf, size_t len, long long n)
{
	casereport_num(buf, len, n);
}

static void fmt_day(long long ts, char out[TIME_DATE_LEN], int null)
{
	if (null)
		snprintf(out, TIME_DATE_LEN, "-");
	else
		time_fmt_day(ts, out);
}

/* The label of a finding type, "TYPE.class" before "TYPE" ([types]). */
static const char *type_label(struct case_ctx *c, const char *type, const char *class)
{
	char key[96];
	const char *v;

	snprintf(key, sizeof(key), "%s.%s", type ? type : "", class ? class : "");
	v = reportdef_nth(c->def, "types", key, 0);
	if (!v)
		v = reportdef_nth(c->def, "types", type, 0);
	return v ? v : type ? type : "";
}

/* The display name of an app key from [apps] ("whatsapp" -> "WhatsApp"). */
static const char *app_name(struct case_ctx *c, const char *key)
{
	const char *v;
	if (!key)
		return "";
	v = reportdef_nth(c->def, "apps", key, 0);
	return v ? v : key;
}

static int query_ll(struct case_ctx *c, const char *sql, long long *out)
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
	if (query_ll(c, "SELECT count(*) FROM temp.case_findings", &f->findings) ||
	    query_ll(c, "SELECT count(*) FROM temp.case_copies", &f->copies) ||
	    query_ll(c, "SELECT count(DISTINCT message_id) FROM temp.case_copies", &f->messages) ||
	    query_ll(c, "SELECT count(DISTINCT conversation_id) FROM temp.case_copies",
		     &f->conversations) ||
	    query_ll(c, "SELECT count(DISTINCT custodian_id) FROM temp.case_findings",
		     &f->custodians) ||
	    query_ll(c, "SELECT count(DISTINCT device_id) FROM temp.case_findings", &f->devices) ||
	    query_ll(c, "SELECT count(DISTINCT app) FROM temp.case_findings", &f->apps) ||
	    query_ll(c, "SELECT sum(message_count) FROM temp.case_findings"
		     " WHERE type IN ('EARLY_PURGE', 'RETENTION_SHORTFALL')", &f->store_rows) ||
	    query_ll(c, "SELECT min(first_ts) FROM temp.case_findings", &f->first) ||
	    query_ll(c, "SELECT max(last_ts) FROM temp.case_findings", &f->last))
		return -1;
	s = stmt_prepare(c->st, "SELECT DISTINCT app FROM temp.case_findings"
			 " WHERE app IS NOT NULL ORDER BY app");
	if (!s)
		return -1;
	while ((rc = stmt_step(s)) == 1) {
		const char *name = app_name(c, stmt_text(s, 0));
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

	casereport_varf(c, "findings", "%lld", f->findings);
	casereport_var(c, "n_findings", casereport_count(c, buf, sizeof(buf), f->findings,
							 "finding", "findings"));
	casereport_varf(c, "copies", "%lld", f->copies);
	casereport_var(c, "n_copies", casereport_count(c, buf, sizeof(buf), f->copies,
						       "copy", "copies"));
	casereport_varf(c, "messages", "%lld", f->messages);
	casereport_var(c, "n_messages", casereport_count(c, buf, sizeof(buf), f->messages,
							 "message", "messages"));
	casereport_varf(c, "conversations", "%lld", f->conversations);
	casereport_var(c, "n_conversations", casereport_count(c, buf, sizeof(buf),
		       f->conversations, "conversation", "conversations"));
	casereport_varf(c, "custodians", "%lld", f->custodians);
	casereport_var(c, "n_custodians", casereport_count(c, buf, sizeof(buf), f->custodians,
							   "custodian", "custodians"));
	casereport_varf(c, "devices", "%lld", f->devices);
	casereport_var(c, "n_devices", casereport_count(c, buf, sizeof(buf), f->devices,
							"device", "devices"));
	casereport_varf(c, "apps", "%lld", f->apps);
	casereport_var(c, "n_apps", casereport_count(c, buf, sizeof(buf), f->apps, "app", "apps"));
	casereport_var(c, "app_names", f->apps_list);
	casereport_varf(c, "store_rows", "%lld", f->store_rows);
	fmt_day(f->first, d1, f->findings == 0);
	fmt_day(f->last, d2, f->findings == 0);
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
	s = stmt_prepare(c->st,
		"SELECT f.type, f.class, count(*), sum(f.message_count),"
		" (SELECT count(DISTINCT message_id) FROM temp.case_copies x"
		"   WHERE x.type = f.type AND x.class = f.class)"
		" FROM temp.case_findings f GROUP BY f.type, f.class"
		" ORDER BY CASE f.class WHEN 'actual' THEN 0 WHEN 'impending' THEN 1"
		" WHEN 'threatened' THEN 2 ELSE 3 END, f.type");
	if (!s)
		return -1;
	rc = pdf_table_begin(c->doc, 5, hdr, w) | pdf_table_align(c->doc, "llrrr");
	while (rc == 0 && stmt_step(s) == 1) {
		const char *type = stmt_text(s, 0);
		/* the store's own rows are neither copies nor messages on a device */
		int rows = !strcmp(type, "EARLY_PURGE") || !strcmp(type, "RETENTION_SHORTFALL");
		char buf[64];
		const char *cells[5] = { type_label(c, type, stmt_text(s, 1)),
					 stmt_text(s, 1), n1, n2, n3 };
		fmt_num(n1, sizeof(n1), stmt_int(s, 2));
		fmt_num(n2, sizeof(n2), stmt_int(s, 3));
		fmt_num(n3, sizeof(n3), stmt_int(s, 4));
		if (rows) {
			cells[3] = casereport_count(c, buf, sizeof(buf), stmt_int(s, 3), "store row",
						    "store rows");
			cells[4] = "";
		}
		rc = pdf_table_row(c->doc, cells);
	}
	stmt_free(s);
	if (rc == 0 && f->findings) {
		/* totals: copies and distinct messages, never mixed */
		const char *cells[5] = { reportdef_get(c->def, "section1", "total"), "", n1, n2, n3 };
		fmt_num(n1, sizeof(n1), f->findings);
		fmt_num(n2, sizeof(n2), f->copies);
		fmt_num(n3, sizeof(n3), f->messages);
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
		fmt_num(n1, sizeof(n1), stmt_int(s, 1));
		fmt_num(n2, sizeof(n2), stmt_int(s, 2));
		fmt_num(n3, sizeof(n3), stmt_int(s, 3));
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
		const char *cells[6] = { conv, app_name(c, stmt_text(s, 1)), n1, n2, d1, d2 };
		snprintf(conv, sizeof(conv), "%s", stmt_text(s, 0) ? stmt_text(s, 0) : "-");
		fmt_num(n1, sizeof(n1), stmt_int(s, 2));
		fmt_num(n2, sizeof(n2), stmt_int(s, 3));
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
		fmt_num(n1, sizeof(n1), more_copies);
		rc = pdf_table_row(c->doc, cells);
	}
	return rc | pdf_table_end(c->doc);
}

static int section1(struct case_ctx *c, const struct figures *f)
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
		if (query_ll(c, "SELECT count(*) FROM temp.case_copies c JOIN main.accounts a"
			     " ON a.account = c.account WHERE a.role = 'capstone'", &perm) ||
		    query_ll(c, "SELECT count(DISTINCT c.message_id) FROM temp.case_copies c"
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

static int section2(struct case_ctx *c)
{
	struct strbuf offices = STRBUF_INIT;
	const char *hdr[5];
	char cols[512], n1[W_NUM], n2[W_NUM];
	static const double w[] = { 108, 104, 156, 50, 50 };
	struct stmt *s;
	int rc = 0, n = 0, nrows = 0;
	long long more = 0, more_copies = 0;
	char *t;

	s = stmt_prepare(c->st, "SELECT DISTINCT office FROM temp.case_findings"
			 " WHERE office IS NOT NULL ORDER BY office");
	if (!s)
		return -1;
	{
		char *names[64];
		int k = 0;
		while (stmt_step(s) == 1 && k < 64)
			names[k++] = xstrdup(stmt_text(s, 0));
		for (int i = 0; i < k; i++) {
			strbuf_addf(&offices, "%s%s", i == 0 ? "" : i == k - 1 ? " and " : ", ",
				    names[i]);
			free(names[i]);
		}
		n = k;
	}
	stmt_free(s);
	casereport_var(c, "offices", n ? offices.buf : reportdef_nth(c->def, "section2", "unknown", 0));
	strbuf_release(&offices);
	rc |= casereport_heading(c, 1, "section2", "heading");
	if (rc || !(t = casereport_text(c, "section2", "text", 0)))
		return -1;
	rc = pdf_paragraph(c->doc, t);
	free(t);
	if (rc || casereport_columns(c, "section2", "custodian_columns", cols, sizeof(cols), hdr, 5))
		return -1;
	/* one row per custodian: the accounts and devices of the case's findings */
	s = stmt_prepare(c->st,
		"SELECT coalesce(max(a.custodian_name), f.custodian_id, '-'), coalesce(f.office, '-'),"
		" group_concat(DISTINCT f.account), count(DISTINCT f.device_id),"
		" coalesce(min(x.n), 0)"
		" FROM temp.case_findings f LEFT JOIN main.accounts a ON a.account = f.account"
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
		char *accts = xstrdup(stmt_text(s, 2) ? stmt_text(s, 2) : "-");
		for (char *p = accts; *p; p++)
			if (*p == ',')
				*p = '\n';
		const char *cells[5] = { stmt_text(s, 0), stmt_text(s, 1), accts, n1, n2 };
		fmt_num(n1, sizeof(n1), stmt_int(s, 3));
		fmt_num(n2, sizeof(n2), stmt_int(s, 4));
		rc = casereport_row(c, cells, 5);
		free(accts);
	}
	stmt_free(s);
	if (rc == 0 && more) {
		char label[96];
		const char *cells[5] = { label, "", "", "", n2 };
		casereport_num(n1, sizeof(n1), more);
		snprintf(label, sizeof(label), "%s more, see Enclosure A", n1);
		fmt_num(n2, sizeof(n2), more_copies);
		rc = pdf_table_row(c->doc, cells);
	}
	return rc | pdf_table_end(c->doc);
}

/* ---- 3. Circumstances ------------------------------------------------------- */

/* How each finding type is grouped into sentences: one per app (all its
 * custodians together), device, account, or finding. */
struct type_group {
	const char *type, *class;      /* class NULL: any */
	const char *key;               /* column of case_findings and case_copies */
};

static const struct type_group groups[] = {
	{ "UNCAPTURED_DELETION", NULL, "app" },
	{ "DEVICE_LOSS", NULL, "device_id" },
	{ "ACCOUNT_DELETION", "actual", "account" },
	{ "ACCOUNT_DELETION", "impending", "account" },
	{ "EARLY_PURGE", NULL, "account" },
	{ "CAPTURE_GAP", NULL, "app" },
	{ "CAPTURE_OUTAGE", NULL, "finding_id" },
	{ "NOT_FORWARDED", NULL, "app" },
	{ "RETENTION_SHORTFALL", NULL, "finding_id" },
	{ "EPHEMERAL_ENABLED", NULL, "account" },
	{ "LATE_FORWARD", NULL, "app" },
	{ "PROHIBITED_APP", NULL, "finding_id" },
	{ "UNAPPROVED_APP", NULL, "app" },
};

/* Small sorted map: key -> first/last day (deletion dates, closure dates). */
struct day_map {
	char **key;
	long long *lo, *hi;
	size_t n, alloc, alloc2, alloc3;
};

static void day_map_add(struct day_map *m, const char *key, long long lo, long long hi)
{
	m->key = xgrow(m->key, m->n + 1, &m->alloc, sizeof(*m->key));
	m->lo = xgrow(m->lo, m->n + 1, &m->alloc2, sizeof(*m->lo));
	m->hi = xgrow(m->hi, m->n + 1, &m->alloc3, sizeof(*m->hi));
	m->key[m->n] = xstrdup(key ? key : "");
	m->lo[m->n] = lo;
	m->hi[m->n] = hi;
	m->n++;
}

static int day_map_find(const struct day_map *m, const char *key, long long *lo, long long *hi)
{
	for (size_t i = 0; i < m->n; i++) {
		if (!strcmp(m->key[i], key ? key : "")) {
			*lo = m->lo[i];
			*hi = m->hi[i];
			return 1;
		}
	}
	return 0;
}

static void day_map_free(struct day_map *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->key[i]);
	free(m->key);
	free(m->lo);
	free(m->hi);
}

/* The case's selection (casereport.h) as a findings filter: the [scope]
 * lists and period; without a class filter, the reportable classes. */
static void case_filter(const struct case_ctx *c, struct finding_filter *flt)
{
	static const char *const reportable[] = { "actual", "impending", "threatened" };
	const struct case_list *l = c->cf.scope;
	const char *const **lists[CF_COUNT] = { &flt->offices, &flt->apps, &flt->custodians,
						 &flt->accounts, &flt->devices, &flt->types,
						 &flt->classes };
	size_t *ns[CF_COUNT] = { &flt->noffices, &flt->napps, &flt->ncustodians,
				 &flt->naccounts, &flt->ndevices, &flt->ntypes, &flt->nclasses };

	memset(flt, 0, sizeof(*flt));
	flt->run_id = c->run_id;
	for (int i = 0; i < CF_COUNT; i++) {
		*lists[i] = (const char *const *)l[i].v;
		*ns[i] = l[i].n;
	}
	if (!flt->nclasses) {
		flt->classes = reportable;
		flt->nclasses = 3;
	}
	flt->from = c->cf.from;
	flt->to = c->cf.to;
}

/* The loss dates analyze stored with the case's copies of one type: by
 * app (UNCAPTURED_DELETION: the deletions' times) or by account
 * (ACCOUNT_DELETION: lo the closure or account_deleted event, -1 when
 * none; hi the closed_on date, 0 when none). */
static int stored_loss_dates(struct case_ctx *c, const char *type, int by_account,
			     struct day_map *m)
{
	const char *types[1] = { type };
	struct finding_filter flt;
	struct finding_copy_row r;
	struct findings_cursor *cur;
	int rc;

	case_filter(c, &flt);
	flt.types = types;
	flt.ntypes = 1;
	if (!(cur = finding_copies_open(c->st, &flt, NULL)))
		return -1;
	while ((rc = finding_copies_next(cur, &r)) == 1) {
		const char *key = by_account ? r.account : r.app;
		long long lo = -1, hi = 0, t = r.loss_ts;
		if (t == FINDING_NO_TS || r.loss == LOSS_NONE)
			continue;
		if (!by_account)
			lo = hi = t;
		if (by_account && (r.loss == LOSS_ACCOUNT_CLOSED || r.loss == LOSS_ACCOUNT_DELETED))
			lo = t;
		if (by_account && (r.loss == LOSS_ACCOUNT_CLOSED || r.loss == LOSS_SCHEDULED_DELETION))
			hi = t;
		size_t i;
		for (i = 0; i < m->n && strcmp(m->key[i], key ? key : ""); i++)
			;
		if (i == m->n) {
			day_map_add(m, key, lo, hi);
			continue;
		}
		if (lo >= 0 && (m->lo[i] < 0 || lo < m->lo[i]))
			m->lo[i] = lo;
		if (hi > m->hi[i])
			m->hi[i] = hi;
	}
	findings_close(cur);
	return rc < 0 ? -1 : 0;
}

/* Deletion dates of the UNCAPTURED_DELETION copies by app: each copy's
 * deleted/expired/burned event, as analyze judged it. */
static int loss_dates(struct case_ctx *c, const struct figures *f, struct day_map *m)
{
	(void)f;
	return stored_loss_dates(c, "UNCAPTURED_DELETION", 0, m);
}

/* Closure date of each closed account: its copies' loss (closed_on up to
 * as_of or an account_deleted event, whichever came first, spec 4.1 row
 * 3), and the closed_on date (also a scheduled one, row 4). */
static int closure_dates(struct case_ctx *c, const struct figures *f, struct day_map *m)
{
	(void)f;
	return stored_loss_dates(c, "ACCOUNT_DELETION", 1, m);
}

/* "Dana Reyes", "Dana Reyes, Marcus Bell and Priya Natarajan", or "7
 * custodians" for a group of findings. */
static void custodians_phrase(struct case_ctx *c, const struct type_group *g, const char *key,
			      long long n, struct strbuf *out)
{
	char buf[64];
	struct strbuf sql = STRBUF_INIT;
	struct stmt *s;
	int i = 0;

	strbuf_reset(out);
	if (n < 1 || n > MAX_NAMES_LISTED) {
		strbuf_addstr(out, casereport_count(c, buf, sizeof(buf), n, "custodian",
						    "custodians"));
		return;
	}
	strbuf_addf(&sql, "SELECT coalesce((SELECT custodian_name FROM main.accounts a"
		    " WHERE a.account = f.account), f.custodian_id) AS nm"
		    " FROM temp.case_findings f WHERE f.type = ?1 AND (?2 IS NULL OR f.class = ?2)"
		    " AND coalesce(f.%s, '') = ?3 AND f.custodian_id IS NOT NULL"
		    " GROUP BY f.custodian_id ORDER BY min(f.first_ts), f.custodian_id", g->key);
	s = stmt_prepare(c->st, sql.buf);
	strbuf_release(&sql);
	if (!s)
		return;
	stmt_bind_text(s, 1, g->type);
	stmt_bind_text(s, 2, g->class);
	stmt_bind_text(s, 3, key);
	while (stmt_step(s) == 1) {
		const char *nm = stmt_text(s, 0);
		if (i++)
			strbuf_addstr(out, i == n ? " and " : ", ");
		strbuf_addstr(out, nm ? nm : "-");
	}
	stmt_free(s);
	if (n > 1) {
		/* "3 custodians (A, B and C)" */
		char *names = strbuf_detach(out);
		strbuf_addf(out, "%s (%s)", casereport_count(c, buf, sizeof(buf), n, "custodian",
							      "custodians"), names);
		free(names);
	}
}

/* The template of a type: "TYPE.class", else "TYPE". */
static const char *template_key(struct case_ctx *c, const char *type, const char *class,
				char *buf, size_t len)
{
	snprintf(buf, len, "%s.%s", type, class);
	if (reportdef_count(c->def, "circumstances", buf))
		return buf;
	return type;
}

static int group_sentences(struct case_ctx *c, const struct figures *f,
			   const struct type_group *g, const struct day_map *loss,
			   const struct day_map *closure, int *nsent)
{
	struct strbuf sql = STRBUF_INIT, who = STRBUF_INIT;
	struct stmt *s;
	int rc = 0, ngroups = 0;
	long long more_groups = 0, more_n = 0;

	strbuf_addf(&sql,
		"SELECT g.k, g.class, g.nf, g.n, g.ncust, g.first, g.last, g.device, g.account,"
		" g.app, d.nmsg, g.conv, g.cust,"
		" (SELECT status FROM main.devices v WHERE v.device_id = g.device),"
		" (SELECT status_on FROM main.devices v WHERE v.device_id = g.device),"
		" (SELECT model FROM main.devices v WHERE v.device_id = g.device)"
		" FROM (SELECT coalesce(%s, '') AS k, min(class) AS class, count(*) AS nf,"
		"  sum(message_count) AS n, count(DISTINCT custodian_id) AS ncust,"
		"  min(first_ts) AS first, max(last_ts) AS last, min(device_id) AS device,"
		"  min(account) AS account, min(app) AS app, sum(conversation_count) AS conv,"
		"  min(custodian_id) AS cust"
		"  FROM temp.case_findings WHERE type = ?1 AND (?2 IS NULL OR class = ?2)"
		"  GROUP BY k) g"
		" LEFT JOIN (SELECT coalesce(%s, '') AS k, count(DISTINCT message_id) AS nmsg"
		"  FROM temp.case_copies WHERE type = ?1 AND (?2 IS NULL OR class = ?2)"
		"  GROUP BY k) d ON d.k = g.k"
		" ORDER BY g.first, g.k", g->key, g->key);
	s = stmt_prepare(c->st, sql.buf);
	strbuf_release(&sql);
	if (!s)
		return -1;
	stmt_bind_text(s, 1, g->type);
	stmt_bind_text(s, 2, g->class);
	while (rc == 0 && stmt_step(s) == 1) {
		if (ngroups++ >= MAX_GROUP_SENTENCES) {
			/* a letter, not a listing: the table has every finding */
			more_groups++;
			more_n += stmt_int(s, 3);
			continue;
		}
		char buf[96], d1[TIME_DATE_LEN], d2[TIME_DATE_LEN], t1[TIME_ISO_LEN], t2[TIME_ISO_LEN];
		char tk[64];
		long long n = stmt_int(s, 3), nmsg = stmt_int(s, 10), lo, hi;
		const char *key = stmt_text(s, 0);
		char *t;

		casereport_var(c, "n_messages", casereport_count(c, buf, sizeof(buf), n, "message",
								 "messages"));
		casereport_varf(c, "count", "%lld", n);
		casereport_var(c, "n_store_rows", casereport_count(c, buf, sizeof(buf), n,
								   "store row", "store rows"));
		casereport_var(c, "were", n == 1 ? "was" : "were");
		casereport_var(c, "are", n == 1 ? "is" : "are");
		casereport_var(c, "n_group_findings", casereport_count(c, buf, sizeof(buf),
			       stmt_int(s, 2), "finding", "findings"));
		if (nmsg && nmsg < n)
			casereport_varf(c, "distinct_note", " (%lld distinct)", nmsg);
		else
			casereport_var(c, "distinct_note", "");
		casereport_var(c, "n_group_conversations", casereport_count(c, buf, sizeof(buf),
			       stmt_int(s, 11), "conversation", "conversations"));
		custodians_phrase(c, g, key, stmt_int(s, 4), &who);
		casereport_var(c, "custodians_of", who.buf);
		fmt_day(stmt_int(s, 5), d1, stmt_is_null(s, 5));
		fmt_day(stmt_int(s, 6), d2, stmt_is_null(s, 6));
		casereport_var(c, "group_first", d1);
		casereport_var(c, "group_last", d2);
		{
			char l1[64], l2[64], r[160];
			casereport_long_day(stmt_int(s, 5), l1, sizeof(l1));
			casereport_long_day(stmt_int(s, 6), l2, sizeof(l2));
			casereport_var(c, "group_range", stmt_is_null(s, 5) ? "" :
				       casereport_range(c, l1, l2, r, sizeof(r)));
		}
		if (stmt_is_null(s, 5)) {
			t1[0] = t2[0] = '\0';
		} else {
			time_fmt_iso(stmt_int(s, 5), t1);
			time_fmt_iso(stmt_int(s, 6), t2);
		}
		casereport_var(c, "first_time", t1);
		casereport_var(c, "last_time", t2);
		casereport_varf(c, "hours", "%.1f", stmt_is_null(s, 5) ? 0.0 :
				(double)(stmt_int(s, 6) - stmt_int(s, 5)) / 3600.0);
		casereport_var(c, "device", stmt_text(s, 7) ? stmt_text(s, 7) : "-");
		casereport_var(c, "account", stmt_text(s, 8) ? stmt_text(s, 8) : "-");
		casereport_var(c, "app", app_name(c, stmt_text(s, 9)));
		casereport_var(c, "device_status", stmt_text(s, 13) ? stmt_text(s, 13) : "lost");
		casereport_var(c, "device_status_on", stmt_text(s, 14) ? stmt_text(s, 14) : "");
		casereport_var(c, "device_model", stmt_text(s, 15) ? stmt_text(s, 15) : "");
		{
			char l1[64], w[96];
			if (stmt_text(s, 15) && *stmt_text(s, 15))
				casereport_varf(c, "model_note", " (%s)", stmt_text(s, 15));
			else
				casereport_var(c, "model_note", "");
			casereport_long_date(stmt_text(s, 14), l1, sizeof(l1));
			snprintf(w, sizeof(w), "on %s", l1);
			casereport_var(c, "device_when", stmt_text(s, 14) && *stmt_text(s, 14) ? w :
				       reportdef_get(c->def, "circumstances", "date_unknown"));
		}
		lo = hi = 0;
		if (day_map_find(loss, stmt_text(s, 9), &lo, &hi)) {
			fmt_day(lo, d1, 0);
			fmt_day(hi, d2, 0);
		} else {
			snprintf(d1, sizeof(d1), "%s", "-");
			snprintf(d2, sizeof(d2), "%s", "-");
		}
		casereport_var(c, "loss_first", d1);
		casereport_var(c, "loss_last", d2);
		if (day_map_find(loss, stmt_text(s, 9), &lo, &hi)) {
			char l1[64], l2[64], r[160];
			casereport_long_day(lo, l1, sizeof(l1));
			casereport_long_day(hi, l2, sizeof(l2));
			casereport_var(c, "loss_when", casereport_range(c, l1, l2, r, sizeof(r)));
		} else {
			casereport_var(c, "loss_when",
				       reportdef_get(c->def, "circumstances", "deletion_unknown"));
		}
		if (day_map_find(closure, stmt_text(s, 8), &lo, &hi)) {
			fmt_day(lo, d1, lo < 0);
			fmt_day(hi, d2, hi == 0);
		} else {
			snprintf(d1, sizeof(d1), "%s", "-");
			snprintf(d2, sizeof(d2), "%s", "-");
		}
		casereport_var(c, "closed_on", d1);
		casereport_var(c, "closes_on", d2);
		{
			char l1[64], w[96];
			int known = day_map_find(closure, stmt_text(s, 8), &lo, &hi);
			casereport_long_day(lo, l1, sizeof(l1));
			snprintf(w, sizeof(w), "on %s", l1);
			casereport_var(c, "closed_when", known && lo >= 0 ? w :
				       reportdef_get(c->def, "circumstances", "date_unknown"));
			/* a loss after NARA's letter is said, with the days */
			casereport_var(c, "after_nara", "");
			if (known && lo >= 0 && c->cf.nara_letter_on) {
				long long nd, ld = lo / 86400;
				if (!time_parse_date(c->cf.nara_letter_on, &nd) && ld > nd) {
					casereport_varf(c, "days_after", "%lld", ld - nd);
					char *an = casereport_text(c, "circumstances", "after_nara", 0);
					casereport_var(c, "after_nara", an ? an : "");
					free(an);
				}
			}
			casereport_long_day(hi, l1, sizeof(l1));
			snprintf(w, sizeof(w), "on %s", l1);
			casereport_var(c, "closes_when", known && hi ? w :
				       reportdef_get(c->def, "circumstances", "date_unknown"));
		}
		(void)f;
		t = casereport_text(c, "circumstances",
				    template_key(c, g->type, stmt_text(s, 1), tk, sizeof(tk)), 0);
		rc = t ? pdf_bullet(c->doc, t) : -1;
		free(t);
		(*nsent)++;
	}
	stmt_free(s);
	strbuf_release(&who);
	if (rc == 0 && more_groups) {
		char buf[96];
		char *t;
		casereport_varf(c, "more_groups", "%lld", more_groups);
		casereport_var(c, "n_messages", casereport_count(c, buf, sizeof(buf), more_n,
								 "message", "messages"));
		t = casereport_text(c, "circumstances", "more", 0);
		rc = t ? pdf_bullet(c->doc, t) : -1;
		free(t);
	}
	return rc;
}

static int section3(struct case_ctx *c, const struct figures *f)
{
	struct day_map loss = { 0 }, closure = { 0 };
	int rc = casereport_heading(c, 1, "section3", "heading");
	int nsent = 0;

	if (!rc && f->findings)
		rc = casereport_pars(c, "section3", "intro");
	if (!rc && f->findings)
		rc = loss_dates(c, f, &loss) | closure_dates(c, f, &closure);
	for (size_t i = 0; !rc && i < sizeof(groups) / sizeof(groups[0]); i++)
		rc = group_sentences(c, f, &groups[i], &loss, &closure, &nsent);
	day_map_free(&loss);
	day_map_free(&closure);
	if (!rc && nsent)
		rc = pdf_space(c->doc, 6);
	if (!rc && !nsent)
		rc = casereport_pars(c, "section1", "none");
	if (!rc && c->cf.circumstances.n) {
		rc = casereport_pars(c, "section3", "narrative_intro");
		for (size_t i = 0; !rc && i < c->cf.circumstances.n; i++)
			rc = casereport_par(c, c->cf.circumstances.v[i]);
	}
	return rc;
}

/* ---- 4. Safeguards ------------------------------------------------------------ */

/* The finding types that say a capture safeguard does not hold. */
static const char *const safeguard_types[] = {
	"CAPTURE_OUTAGE", "CAPTURE_GAP", "RETENTION_SHORTFALL", "EARLY_PURGE"
};

/* Does the narrative name the app (its key or display name, as a word)? */
static int names_app(const char *text, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = text; n && (p = strcasestr(p, word)) != NULL; p += n) {
		int before = p == text || !isalnum((unsigned char)p[-1]);
		int after = !isalnum((unsigned char)p[n]);
		if (before && after)
			return 1;
	}
	return 0;
}

/* The letter never contradicts the audit: what the safeguards narrative
 * presents as a safeguard comes with the run's open findings on it
 * (whatever the case's scope) that say its capture does not hold: every
 * such finding on an app the narrative names, and the store-wide ones
 * (early purges, retention shortfalls, of any app) when it names the
 * compliance store. */
static int safeguard_caveats(struct case_ctx *c)
{
	struct strbuf narr = STRBUF_INIT;
	struct stmt *q;
	int rc = 0, said = 0, store_named;

	for (size_t i = 0; i < c->cf.safeguards.n; i++)
		strbuf_addf(&narr, "%s ", c->cf.safeguards.v[i]);
	if (!narr.len)
		return 0;
	store_named = strcasestr(narr.buf, "compliance store") != NULL;
	q = stmt_prepare(c->st,
		"SELECT app, count(*), sum(message_count), min(first_ts), max(last_ts),"
		" count(DISTINCT account) FROM main.findings WHERE run_id = ?1 AND type = ?2"
		" AND app IS NOT NULL GROUP BY app ORDER BY app");
	if (!q) {
		strbuf_release(&narr);
		return -1;
	}
	for (size_t i = 0; rc == 0 && i < sizeof(safeguard_types) / sizeof(safeguard_types[0]);
	     i++) {
		int store_wide = !strcmp(safeguard_types[i], "EARLY_PURGE") ||
				 !strcmp(safeguard_types[i], "RETENTION_SHORTFALL");
		stmt_reset(q);
		stmt_bind_int(q, 1, c->run_id);
		stmt_bind_text(q, 2, safeguard_types[i]);
		while (rc == 0 && stmt_step(q) == 1) {
			const char *key = stmt_text(q, 0), *name = app_name(c, key);
			char buf[64], d1[64], d2[64], range[160];
			char *t;
			if (!(store_wide && store_named) && !names_app(narr.buf, key) &&
			    !names_app(narr.buf, name))
				continue;
			if (!said++) {
				t = casereport_text(c, "safeguards", "caveat", 0);
				rc = t ? pdf_paragraph(c->doc, t) : -1;
				free(t);
			}
			casereport_var(c, "app", name);
			casereport_var(c, "n_findings", casereport_count(c, buf, sizeof(buf),
				       stmt_int(q, 1), "finding", "findings"));
			casereport_var(c, "n_copies", casereport_count(c, buf, sizeof(buf),
				       stmt_int(q, 2), "copy", "copies"));
			casereport_var(c, "n_rows", casereport_count(c, buf, sizeof(buf),
				       stmt_int(q, 2), "store row", "store rows"));
			casereport_var(c, "n_accounts", casereport_count(c, buf, sizeof(buf),
				       stmt_int(q, 5), "account", "accounts"));
			casereport_long_day(stmt_int(q, 3), d1, sizeof(d1));
			casereport_long_day(stmt_int(q, 4), d2, sizeof(d2));
			casereport_var(c, "range", casereport_range(c, d1, d2, range, sizeof(range)));
			t = rc ? NULL : casereport_text(c, "safeguards", safeguard_types[i], 0);
			rc = rc ? rc : t ? pdf_bullet(c->doc, t) : -1;
			free(t);
		}
	}
	stmt_free(q);
	strbuf_release(&narr);
	if (!rc && said)
		rc = pdf_space(c->doc, 6);
	return rc;
}

static int section4(struct case_ctx *c)
{
	int rc = casereport_heading(c, 1, "section4", "heading");

	for (size_t i = 0; !rc && i < c->cf.safeguards.n; i++)
		rc = casereport_par(c, c->cf.safeguards.v[i]);
	if (!rc)
		rc = safeguard_caveats(c);
	if (!rc)
		rc = casereport_pars(c, "section4", "actions_pointer");
	return rc;
}

/* ---- Corrective actions, each with what it answers and its evidence ---------- */

static int corrective_actions(struct case_ctx *c)
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

/* Per distinct affected message: where a copy still exists, as analyze
 * stored it with the copies (findings.h, finding_copies.survives): the
 * compliance store, a forward, an export of its conversation at or after
 * it, or a copy not lost, this one or another account's (still on a
 * device or in an account). */
static int salvage_table(struct case_ctx *c, const struct figures *f)
{
	struct finding_filter flt;
	struct finding_message_row m;
	struct findings_cursor *cur;
	struct stmt *ins;
	int rc;

	(void)f;
	if (store_exec(c->st, "DROP TABLE IF EXISTS temp.case_msgs;"
		       "CREATE TEMP TABLE case_msgs (message_id TEXT PRIMARY KEY, store INTEGER"
		       " DEFAULT 0, fwd INTEGER DEFAULT 0, exp INTEGER DEFAULT 0,"
		       " other INTEGER DEFAULT 0);"))
		return -1;
	ins = stmt_prepare(c->st, "INSERT INTO temp.case_msgs (message_id, store, fwd, exp, other)"
			   " VALUES (?1, ?2, ?3, ?4, ?5)");
	case_filter(c, &flt);
	cur = ins ? finding_messages_open(c->st, &flt) : NULL;
	if (!cur) {
		stmt_free(ins);
		return -1;
	}
	while ((rc = finding_messages_next(cur, &m)) == 1) {
		stmt_bind_text(ins, 1, m.message_id);
		stmt_bind_int(ins, 2, !!(m.survives & FINDING_SURVIVES_STORE));
		stmt_bind_int(ins, 3, !!(m.survives & FINDING_SURVIVES_FORWARD));
		stmt_bind_int(ins, 4, !!(m.survives & FINDING_SURVIVES_EXPORT));
		stmt_bind_int(ins, 5, !!(m.survives & (FINDING_SURVIVES_DEVICE |
						       FINDING_SURVIVES_OTHER)));
		if (stmt_step(ins) < 0)
			rc = -1;
		stmt_reset(ins);
		if (rc < 0)
			break;
	}
	findings_close(cur);
	stmt_free(ins);
	return rc < 0 ? -1 : 0;
}

static int section5(struct case_ctx *c, const struct figures *f)
{
	static const char *const where_keys[] = { "store", "forward", "export", "other" };
	static const char *const where_cols[] = { "store", "fwd", "exp", "other" };
	long long counts[4], surviving = 0;
	const char *hdr[2];
	char cols[256], sql[160], num[W_NUM];
	static const double w[] = { 4.0, 1.0 };
	struct stmt *s;
	int rc = casereport_heading(c, 1, "section5", "heading");

	if (rc || salvage_table(c, f))
		return -1;
	for (int i = 0; i < 4; i++) {
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM temp.case_msgs WHERE %s",
			 where_cols[i]);
		if (query_ll(c, sql, &counts[i]))
			return -1;
		casereport_varf(c, where_keys[i], "%lld", counts[i]);
	}
	if (query_ll(c, "SELECT count(*) FROM temp.case_msgs WHERE store OR fwd OR exp OR other",
		     &surviving))
		return -1;
	casereport_varf(c, "surviving", "%lld", surviving);
	casereport_varf(c, "lost", "%lld", f->messages - surviving);
	if (casereport_pars(c, "section5", f->messages ? "computed" : "none"))
		return -1;
	if (f->messages) {
		if (casereport_columns(c, "section5", "columns", cols, sizeof(cols), hdr, 2))
			return -1;
		rc = pdf_table_begin(c->doc, 2, hdr, w) | pdf_table_align(c->doc, "lr");
		for (int i = 0; i < 4 && !rc; i++) {
			const char *cells[2] = { reportdef_get(c->def, "section5", where_keys[i]), num };
			fmt_num(num, sizeof(num), counts[i]);
			rc = cells[0] ? pdf_table_row(c->doc, cells) : -1;
		}
		rc |= pdf_table_end(c->doc);
	}
	/* who still holds a copy: the first places to salvage from */
	s = rc ? NULL : stmt_prepare(c->st,
		"SELECT coalesce((SELECT custodian_name FROM main.accounts a"
		"  WHERE a.account = g.account), g.custodian_id, '-'),"
		" g.account, coalesce(g.device_id, '-'), count(DISTINCT fc.message_id), g.type"
		" FROM main.finding_copies fc JOIN main.findings g"
		"  ON g.run_id = fc.run_id AND g.finding_id = fc.finding_id"
		" WHERE fc.run_id = ?1 AND fc.message_id IN (SELECT message_id FROM temp.case_msgs"
		"  WHERE other) AND (g.type IN ('NOT_FORWARDED', 'CAPTURE_GAP', 'LATE_FORWARD')"
		"  OR (g.type = 'ACCOUNT_DELETION' AND g.class = 'impending'))"
		" GROUP BY g.account, g.device_id, g.type ORDER BY 4 DESC, g.account LIMIT 5");
	if (!rc && !s)
		return -1;
	if (s)
		stmt_bind_int(s, 1, c->run_id);
	while (s && rc == 0 && stmt_step(s) == 1) {
		char buf[64];
		const char *label = reportdef_nth(c->def, "types", stmt_text(s, 4), 0);
		char *t;
		casereport_var(c, "holder", stmt_text(s, 0));
		casereport_var(c, "account", stmt_text(s, 1));
		casereport_var(c, "device", stmt_text(s, 2));
		casereport_var(c, "n_messages", casereport_count(c, buf, sizeof(buf), stmt_int(s, 3),
								 "message", "messages"));
		casereport_var(c, "finding_type", label ? label : stmt_text(s, 4));
		t = casereport_text(c, "section5", "holder", 0);
		rc = t ? pdf_bullet(c->doc, t) : -1;
		free(t);
	}
	stmt_free(s);
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
static char *enclosure_path(const struct case_ctx *c)
{
	const char *slash = strrchr(c->o->out, '/');
	int dir = slash ? (int)(slash - c->o->out + 1) : 0;
	return xasprintf("%.*s%s-enclosure-a%s.xlsx", dir, c->o->out, c->cf.id,
			 c->red ? "-redacted" : "");
}

static int write_enclosure(struct case_ctx *c, const char *path)
{
	static const char *const hdr[] = {
		"finding_id", "custodian", "office", "account", "app", "device_id", "first",
		"last", "copies", "distinct messages", "conversations", "type", "class", "detail"
	};
	static const double w[] = { 20, 24, 24, 30, 12, 12, 12, 12, 10, 12, 12, 24, 10, 80 };
	static const char *const chdr[] = {
		"conversation", "app", "copies", "distinct messages", "first", "last"
	};
	struct xlsx_opts xo = { c->doc_time, 1, "Affected records", c->cf.id,
				c->red ? redactor_filter : NULL, c->red };
	struct xlsx *x = xlsx_new(path, &xo);
	struct xlsx_sheet *sh, *cs;
	struct stmt *s;
	unsigned row = 1;

	if (!x)
		return -1;
	sh = xlsx_add_sheet(x, "Affected records");
	cs = xlsx_add_sheet(x, "Conversations");
	if (!sh || !cs) {
		xlsx_discard(x);
		return -1;
	}
	for (unsigned i = 0; i < 14; i++)
		xlsx_col_width(sh, i, i, w[i], XS_NONE);
	xlsx_header(sh, 0, hdr, 14);
	xlsx_freeze(sh, 1, 0);
	s = stmt_prepare(c->st,
		"SELECT f.finding_id, coalesce((SELECT custodian_name FROM main.accounts a"
		"  WHERE a.account = f.account), f.custodian_id), f.office, f.account, f.app,"
		" f.device_id, f.first_ts, f.last_ts, f.message_count, coalesce(d.n, 0),"
		" f.conversation_count, f.type, f.class, f.detail"
		" FROM temp.case_findings f LEFT JOIN (SELECT finding_id, count(DISTINCT message_id) AS n"
		"  FROM temp.case_copies GROUP BY finding_id) d ON d.finding_id = f.finding_id"
		" ORDER BY f.message_count DESC, f.custodian_id, f.finding_id");
	if (!s) {
		xlsx_discard(x);
		return -1;
	}
	while (stmt_step(s) == 1 && row < XLSX_MAX_ROWS) {
		const char *label = reportdef_nth(c->def, "types", stmt_text(s, 11), 0);
		for (unsigned i = 0; i < 6; i++)
			xlsx_str(sh, row, i, i == 4 ? app_name(c, stmt_text(s, 4)) : stmt_text(s, (int)i),
				 XS_NONE);
		if (!stmt_is_null(s, 6))
			xlsx_datetime(sh, row, 6, stmt_int(s, 6));
		if (!stmt_is_null(s, 7))
			xlsx_datetime(sh, row, 7, stmt_int(s, 7));
		for (unsigned i = 8; i <= 10; i++)
			xlsx_num(sh, row, i, (double)stmt_int(s, (int)i), XS_INT);
		xlsx_str(sh, row, 11, label ? label : stmt_text(s, 11), XS_NONE);
		xlsx_str(sh, row, 12, stmt_text(s, 12), XS_NONE);
		xlsx_str(sh, row, 13, stmt_text(s, 13), XS_NONE);
		row++;
	}
	stmt_free(s);
	if (row > 1)
		xlsx_autofilter(sh, 0, 0, row - 1, 13);
	xlsx_header(cs, 0, chdr, 6);
	xlsx_col_width(cs, 0, 0, 30, XS_NONE);
	xlsx_col_width(cs, 1, 5, 14, XS_NONE);
	s = stmt_prepare(c->st,
		"SELECT conversation_id, min(app), count(*), count(DISTINCT message_id), min(ts),"
		" max(ts) FROM temp.case_copies GROUP BY conversation_id"
		" ORDER BY count(*) DESC, conversation_id");
	row = 1;
	while (s && stmt_step(s) == 1 && row < XLSX_MAX_ROWS) {
		xlsx_str(cs, row, 0, stmt_text(s, 0), XS_NONE);
		xlsx_str(cs, row, 1, app_name(c, stmt_text(s, 1)), XS_NONE);
		xlsx_num(cs, row, 2, (double)stmt_int(s, 2), XS_INT);
		xlsx_num(cs, row, 3, (double)stmt_int(s, 3), XS_INT);
		xlsx_datetime(cs, row, 4, stmt_int(s, 4));
		xlsx_datetime(cs, row, 5, stmt_int(s, 5));
		row++;
	}
	stmt_free(s);
	if (report_store_ok(c->st, path)) {
		xlsx_discard(x);
		return -1;
	}
	return xlsx_close(x);
}

/* Enclosure A in the letter: the workbook's name and digest, then the top
 * rows by volume of the affected-records table. */
static int enclosure_a(struct case_ctx *c, const struct figures *f, const char *book,
		       const char *sha)
{
	const char *hdr[7];
	char cols[512], n1[W_NUM], d1[TIME_DATE_LEN], d2[TIME_DATE_LEN], type[160];
	static const double w[] = { 104, 58, 46, 65, 65, 42, 88 };
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
		"SELECT coalesce((SELECT custodian_name FROM main.accounts a"
		"  WHERE a.account = f.account), f.custodian_id, ''), f.app,"
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
			more_copies += stmt_int(s, 5);
			continue;
		}
		const char *cells[7] = {
			stmt_text(s, 0), app_name(c, stmt_text(s, 1)), stmt_text(s, 2), d1, d2, n1, type
		};
		fmt_day(stmt_int(s, 3), d1, stmt_is_null(s, 3));
		fmt_day(stmt_int(s, 4), d2, stmt_is_null(s, 4));
		fmt_num(n1, sizeof(n1), stmt_int(s, 5));
		snprintf(type, sizeof(type), "%s (%s)", type_label(c, stmt_text(s, 6), stmt_text(s, 7)),
			 stmt_text(s, 7));
		rc = casereport_row(c, cells, 7);
	}
	stmt_free(s);
	if (rc == 0 && more) {
		char label[96], m[W_NUM];
		const char *cells[7] = { label, "", "", "", "", n1, "" };
		casereport_num(m, sizeof(m), more);
		snprintf(label, sizeof(label), "%s more findings, in the workbook", m);
		fmt_num(n1, sizeof(n1), more_copies);
		rc = pdf_table_row(c->doc, cells);
	}
	return rc | pdf_table_end(c->doc);
}

/* 44 U.S.C. 2911 applies when a non-official account (accounts.official =
 * 0) holds any of the case's records. */
static int citations(struct case_ctx *c)
{
	long long nonofficial = 0;
	size_t n = reportdef_count(c->def, "citations", "cite");
	int rc = casereport_heading(c, 1, "citations", "heading");

	if (rc || query_ll(c, "SELECT count(*) FROM temp.case_findings f JOIN main.accounts a"
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
	book = enclosure_path(&c);
	if (write_enclosure(&c, book) || sha256_file(book, sha, &size)) {
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
		rc = section1(&c, &f);
	if (!rc)
		rc = section2(&c);
	if (!rc)
		rc = section3(&c, &f);
	if (!rc)
		rc = section4(&c);
	if (!rc)
		rc = section5(&c, &f);
	/* the corrective actions, the closing and the signature */
	if (!rc)
		rc = corrective_actions(&c);
	if (!rc)
		rc = pdf_keep(c.doc, CLOSING_KEEP_PT) ? -1 :
			casereport_pars(&c, "letter", "closing_paragraph");
	if (!rc)
		rc = casereport_sign(&c);
	if (!rc)
		rc = casereport_pars(&c, "letter", "enclosures");
	/* the enclosures */
	if (!rc)
		rc = pdf_page_break(c.doc);
	if (!rc)
		rc = enclosure_a(&c, &f, book, sha);
	if (!rc)
		rc = casereport_manifest(&c);
	if (!rc)
		rc = citations(&c);
	rc = rc ? EXIT_INPUT : casereport_save(&c);
	if (rc != EXIT_OK)
		unlink(book);
	free(book);
	casereport_close(&c);
	return rc;
}
