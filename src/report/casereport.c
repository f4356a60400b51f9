/* casereport: the shared frame of the NARA case letters (see casereport.h). */
#include "casereport.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli.h"
#include "config.h"
#include "diag.h"
#include "pdf.h"
#include "redact.h"
#include "report.h"
#include "store.h"
#include "strbuf.h"
#include "xalloc.h"

/* ---- placeholders --------------------------------------------------------- */

void casereport_var(struct case_ctx *c, const char *name, const char *value)
{
	size_t i;
	for (i = 0; i < c->nvars; i++)
		if (!strcmp(c->vars[i].name, name))
			break;
	if (i == c->nvars) {
		if (c->nvars == CASEREPORT_MAX_VARS)
			return;         /* a programming error; the template then
					 * reports the placeholder unknown */
		c->nvars++;
		c->vars[i].name = name;
	} else {
		free(c->owned[i]);
	}
	c->owned[i] = xstrdup(value ? value : "");
	c->vars[i].value = c->owned[i];
}

void casereport_varf(struct case_ctx *c, const char *name, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	/* clang-tidy 14 misreads glibc's va_start (strbuf.c has the same) */
	vsnprintf(buf, sizeof(buf), fmt, ap);   /* NOLINT(clang-analyzer-valist.Uninitialized) */
	va_end(ap);
	casereport_var(c, name, buf);
}

char *casereport_text(struct case_ctx *c, const char *section, const char *key, size_t i)
{
	return reportdef_expand_nth(c->def, section, key, i, c->vars, c->nvars);
}

const char *casereport_num(char *buf, size_t len, long long n)
{
	char digits[32], out[48];
	int nd, o = 0;

	nd = snprintf(digits, sizeof(digits), "%lld", n < 0 ? -n : n);
	if (n < 0)
		out[o++] = '-';
	for (int i = 0; i < nd; i++) {
		if (i && (nd - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	out[o] = '\0';
	snprintf(buf, len, "%s", out);
	return buf;
}

const char *casereport_count(struct case_ctx *c, char *buf, size_t len, long long n,
			     const char *singular_key, const char *plural_key)
{
	const char *w = reportdef_nth(c->def, "words", n == 1 ? singular_key : plural_key, 0);
	char num[32];
	snprintf(buf, len, "%s %s", casereport_num(num, sizeof(num), n),
		 w ? w : (n == 1 ? singular_key : plural_key));
	return buf;
}

int casereport_columns(struct case_ctx *c, const char *section, const char *key,
		       char *buf, size_t buflen, const char **titles, int n)
{
	const char *v = reportdef_get(c->def, section, key);
	int k = 0;
	char *p, *save = NULL;

	if (!v)
		return -1;
	snprintf(buf, buflen, "%s", v);
	for (p = strtok_r(buf, "|", &save); p; p = strtok_r(NULL, "|", &save)) {
		char *e = p + strlen(p);
		while (*p == ' ')
			p++;
		while (e > p && e[-1] == ' ')
			*--e = '\0';
		if (k < n)
			titles[k] = p;
		k++;
	}
	if (k != n) {
		struct src_loc at = { NULL, 0, 0 };
		return diag_error(&at, "report definition [%s] '%s': %d column titles, expected %d"
				  " (separated by '|')", section, key, k, n);
	}
	return 0;
}

/* ---- opening: case, run, definition, selection ---------------------------- */

static int pick_run(struct case_ctx *c)
{
	struct stmt *s = stmt_prepare(c->st,
		"SELECT run_id, as_of, agency, component, rules_dir FROM runs"
		" WHERE ?1 IS NULL OR as_of <= ?1 ORDER BY as_of DESC LIMIT 1");
	int rc;
	char *rules_dir = NULL;

	c->run_id = -1;
	if (!s)
		return -1;
	stmt_bind_text(s, 1, c->o->as_of);
	rc = stmt_step(s);
	if (rc == 1) {
		c->run_id = stmt_int(s, 0);
		snprintf(c->run_as_of, sizeof(c->run_as_of), "%s", stmt_text(s, 1));
		c->agency = xstrdup(stmt_text(s, 2));
		c->component = xstrdup(stmt_text(s, 3));
		rules_dir = xstrdup(stmt_text(s, 4));
	}
	stmt_free(s);
	if (rc < 0) {
		free(rules_dir);
		return -1;
	}
	/* --reports, else reports/ beside the rules dir the run used, else the
	   installation's */
	if (c->o->reports_dir) {
		c->reports_dir = xstrdup(c->o->reports_dir);
	} else if (rules_dir) {
		char *parent = path_dirname(rules_dir);
		char *dir = xasprintf("%s/reports", parent);
		char *probe = xasprintf("%s/incident.ini", dir);
		if (access(probe, R_OK) == 0)
			c->reports_dir = dir;
		else
			free(dir);
		free(probe);
		free(parent);
	}
	if (!c->reports_dir)
		c->reports_dir = data_dir("reports");   /* the installation's, never ./reports */
	if (!c->reports_dir)
		c->reports_dir = xstrdup("reports");
	free(rules_dir);
	return 0;
}

/* Agency: the run's (audit.ini), else the tracker's case row. */
static int pick_agency(struct case_ctx *c)
{
	if (!c->agency) {
		struct stmt *s = stmt_prepare(c->st, "SELECT agency FROM cases WHERE case_id = ?1");
		if (!s)
			return -1;
		stmt_bind_text(s, 1, c->cf.id);
		if (stmt_step(s) == 1)
			c->agency = xstrdup(stmt_text(s, 0));
		stmt_free(s);
	}
	if (!c->agency) {
		const char *v = reportdef_nth(c->def, "letterhead", "agency", 0);
		c->agency = xstrdup(v ? v : "");
	}
	return 0;
}

static int bind_list(struct stmt *s, int *idx, const struct case_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		if (stmt_bind_text(s, (*idx)++, l->v[i]))
			return -1;
	return 0;
}

/* The classes reportable to NARA (36 CFR 1230.14), taken without a class
 * filter. */
static const char *const reportable[] = { "actual", "impending", "threatened" };
#define NREPORTABLE 3

/* The case's selection (casereport.h) as a findings filter, built once: the
 * [scope] lists and period; without a class filter, the reportable classes. */
static void build_filter(struct case_ctx *c)
{
	struct finding_filter *flt = &c->flt;
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
		flt->nclasses = NREPORTABLE;
	}
	flt->from = c->cf.from;
	flt->to = c->cf.to;
}


/* temp.case_copies of the case's findings, and temp.case_names. */
static int select_copies(struct store *st, long long run_id)
{
	struct stmt *s;
	int rc;

	/* a name by custodian_id (INC_CUSTODIAN_NAME): accounts has no index
	 * on it, and a scan per finding is quadratic */
	if (store_exec(st, "INSERT INTO temp.case_names SELECT custodian_id, max(custodian_name)"
		       " FROM main.accounts WHERE custodian_id IS NOT NULL GROUP BY custodian_id;"))
		return -1;
	s = stmt_prepare(st,
		"INSERT INTO temp.case_copies SELECT c.finding_id, c.account, c.message_id, c.ts,"
		" c.conversation_id, f.type, f.class, f.custodian_id, f.app, f.device_id"
		" FROM temp.case_findings f CROSS JOIN main.finding_copies c"
		"  ON c.run_id = ?1 AND c.finding_id = f.finding_id");
	if (!s)
		return -1;
	stmt_bind_int(s, 1, run_id);
	rc = stmt_step(s);
	stmt_free(s);
	if (rc < 0)
		return -1;
	return store_exec(st,
		"CREATE INDEX temp.case_copies_msg ON case_copies (message_id);"
		"CREATE INDEX temp.case_copies_conv ON case_copies (conversation_id, ts);"
		"ANALYZE temp;");
}

/* The temporary tables case_findings and case_copies (casereport.h). */
static int select_findings(struct case_ctx *c)
{
	build_filter(c);
	return casereport_select(c->st, c->run_id, &c->cf, 1);
}

int casereport_select(struct store *st, long long run_id, const struct case_file *cf,
		      int copies)
{
	struct strbuf sql = STRBUF_INIT;
	struct case_list classes = { (char **)reportable, NREPORTABLE, 0 };
	struct stmt *s;
	long long from = 0, to = 0;
	int idx = 2, rc;

	if (store_exec(st, "DROP TABLE IF EXISTS temp.case_findings;"
		       "DROP TABLE IF EXISTS temp.case_copies;"
		       "DROP TABLE IF EXISTS temp.case_names;"
		       "CREATE TEMP TABLE case_findings AS SELECT * FROM main.findings WHERE 0;"
		       "CREATE TEMP TABLE case_names (custodian_id TEXT PRIMARY KEY, name TEXT);"
		       "CREATE TEMP TABLE case_copies (finding_id TEXT, account TEXT,"
		       "  message_id TEXT, ts INTEGER, conversation_id TEXT, type TEXT,"
		       "  class TEXT, custodian_id TEXT, app TEXT, device_id TEXT);"))
		return -1;
	if (run_id < 0)
		return 0;
	strbuf_addstr(&sql, "INSERT INTO temp.case_findings SELECT * FROM main.findings"
		      " WHERE run_id = ?1");
	for (int f = 0; f < CF_COUNT; f++) {
		const struct case_list *l = &cf->scope[f];
		if (f == CF_CLASS && !l->n)
			l = &classes;
		if (!l->n)
			continue;
		strbuf_addf(&sql, " AND %s IN (", case_filter_columns[f]);
		for (size_t i = 0; i < l->n; i++)
			strbuf_addf(&sql, "%s?", i ? ", " : "");
		strbuf_addch(&sql, ')');
	}
	if (cf->from)
		strbuf_addstr(&sql, " AND last_ts >= ?");
	if (cf->to)
		strbuf_addstr(&sql, " AND first_ts < ?");
	s = stmt_prepare(st, sql.buf);
	strbuf_release(&sql);
	if (!s)
		return -1;
	stmt_bind_int(s, 1, run_id);
	for (int f = 0; f < CF_COUNT; f++) {
		const struct case_list *l = &cf->scope[f];
		if (f == CF_CLASS && !l->n)
			l = &classes;
		bind_list(s, &idx, l);
	}
	if (cf->from && !time_parse_date(cf->from, &from))
		stmt_bind_int(s, idx++, from * 86400);
	if (cf->to && !time_parse_date(cf->to, &to))
		stmt_bind_int(s, idx++, (to + 1) * 86400);      /* the whole day */
	rc = stmt_step(s);
	stmt_free(s);
	if (rc < 0)
		return -1;
	/* CROSS JOIN: the case's findings drive, finding_copies is probed by
	 * its (run_id, finding_id) index; the other order is quadratic */
	if (store_exec(st, "CREATE INDEX temp.case_findings_id ON case_findings (finding_id);"))
		return -1;
	return copies ? select_copies(st, run_id) : 0;
}

void casereport_long_day(long long ts, char *out, size_t len)
{
	char iso[TIME_DATE_LEN];
	time_fmt_day(ts, iso);
	casereport_long_date(iso, out, len);
}

const char *casereport_range(struct case_ctx *c, const char *d1, const char *d2, char *buf,
			     size_t len)
{
	const char *on = reportdef_nth(c->def, "words", "on", 0);
	const char *from = reportdef_nth(c->def, "words", "from", 0);
	const char *to = reportdef_nth(c->def, "words", "to", 0);

	if (!strcmp(d1, d2))
		snprintf(buf, len, "%s %s", on ? on : "on", d1);
	else
		snprintf(buf, len, "%s %s %s %s", from ? from : "from", d1, to ? to : "to", d2);
	return buf;
}

void casereport_long_date(const char *iso, char *out, size_t len)
{
	static const char *const months[] = {
		"January", "February", "March", "April", "May", "June", "July",
		"August", "September", "October", "November", "December"
	};
	long long d;
	int y;
	unsigned m, day;

	if (!iso || time_parse_date(iso, &d)) {
		snprintf(out, len, "%s", iso ? iso : "");
		return;
	}
	time_civil_from_days(d, &y, &m, &day);
	snprintf(out, len, "%s %u, %d", months[m - 1], day, y);
}

static void common_vars(struct case_ctx *c)
{
	const struct case_file *cf = &c->cf;
	char buf[64];

	casereport_var(c, "case_id", cf->id);
	casereport_var(c, "case_title", cf->title ? cf->title : cf->id);
	casereport_var(c, "agency", c->agency);
	casereport_var(c, "component", c->component ? c->component : c->agency);
	/* "Office of Field Operations, Example Agency", or the agency alone */
	if (c->component && *c->component)
		casereport_varf(c, "organization", "%s, %s", c->component, c->agency);
	else
		casereport_var(c, "organization", c->agency);
	casereport_var(c, "as_of", c->run_as_of[0] ? c->run_as_of : c->date);
	casereport_var(c, "date", c->date);
	casereport_long_date(c->date, buf, sizeof(buf));
	casereport_var(c, "date_long", buf);
	casereport_var(c, "opened_on", cf->opened_on ? cf->opened_on : "");
	casereport_var(c, "nara_letter_on", cf->nara_letter_on ? cf->nara_letter_on : "");
	casereport_long_date(cf->nara_letter_on, buf, sizeof(buf));
	casereport_var(c, "nara_letter_long", buf);
	casereport_var(c, "response_due_on", cf->response_due_on ? cf->response_due_on : "");
	casereport_long_date(cf->response_due_on, buf, sizeof(buf));
	casereport_var(c, "response_due_long", buf);
	casereport_long_date(cf->opened_on, buf, sizeof(buf));
	casereport_var(c, "opened_long", buf);
	casereport_long_date(c->run_as_of[0] ? c->run_as_of : c->date, buf, sizeof(buf));
	casereport_var(c, "as_of_long", buf);
	casereport_var(c, "addressee", cf->to_name ? cf->to_name : cf->to_org);
	casereport_var(c, "signatory", cf->sig_name);
	casereport_var(c, "signatory_title", cf->sig_title);
}

/* The redactor of the audit DB, plus the people of the case file (the
 * signatory and the addressee are officials) and the words of the
 * letter's fixed text a surname must not take away ("College Park"). */
static int red_build(struct case_ctx *c)
{
	const struct case_file *cf = &c->cf;
	size_t naddr = reportdef_count(c->def, "letterhead", "address");

	c->red = redactor_load(c->st);
	if (!c->red)
		return -1;
	redactor_official(c->red, cf->sig_name);
	redactor_addressee(c->red, cf->to_name);
	redactor_keep_words(c->red, c->agency);
	redactor_keep_words(c->red, c->component);
	redactor_keep_words(c->red, cf->to_title);
	redactor_keep_words(c->red, cf->to_office);
	redactor_keep_words(c->red, cf->to_org);
	for (size_t i = 0; i < cf->to_address.n; i++)
		redactor_keep_words(c->red, cf->to_address.v[i]);
	for (size_t i = 0; i < naddr; i++)
		redactor_keep_words(c->red, reportdef_nth(c->def, "letterhead", "address", i));
	return 0;
}

/* A date of the case: the case file's, else the tracker's (cases.csv).
 * NULL when neither has it. */
static char *case_date(struct store *st, const struct case_file *cf, const char *col)
{
	const char *own = !strcmp(col, "opened_on") ? cf->opened_on : cf->nara_letter_on;
	char *sql, *v = NULL;
	struct stmt *s;

	if (own)
		return xstrdup(own);
	sql = xasprintf("SELECT %s FROM main.cases WHERE case_id = ?1", col);
	s = stmt_prepare(st, sql);
	free(sql);
	if (!s)
		return NULL;
	stmt_bind_text(s, 1, cf->id);
	if (stmt_step(s) == 1 && stmt_text(s, 0) && *stmt_text(s, 0))
		v = xstrdup(stmt_text(s, 0));
	stmt_free(s);
	return v;
}

int report_case_too_early(struct store *st, const struct case_file *cf, const char *date,
			  char *why, size_t len)
{
	char *nara = case_date(st, cf, "nara_letter_on");
	char *opened = case_date(st, cf, "opened_on");
	int early = 1;

	if (nara && strcmp(date, nara) < 0)
		snprintf(why, len, "the letter date %s is before NARA's letter of %s that it"
			 " answers (nara_letter_on)", date, nara);
	else if (opened && strcmp(date, opened) < 0)
		snprintf(why, len, "the letter date %s is before the case was opened on %s"
			 " (opened_on)", date, opened);
	else
		early = 0;
	free(nara);
	free(opened);
	return early;
}

/* The letter date: --letter-date / [output] letter_date, else as_of. A
 * letter dated before the NARA letter it answers, or before the case was
 * opened, is an error naming both dates. Then the fields a letter cannot
 * go without. 0 or -1 (printed). */
static int check_letter(struct case_ctx *c)
{
	struct src_loc at = { c->o->case_path, 0, 0 };
	char why[200];

	if (c->o->letter_date) {
		long long d;
		if (time_parse_date(c->o->letter_date, &d))
			return diag_error(NULL, "bad letter date '%s' (expected YYYY-MM-DD)",
					  c->o->letter_date);
		c->doc_time = d * 86400 > 0 ? d * 86400 : 1;
		time_fmt_day(d * 86400, c->date);
	}
	if (report_case_too_early(c->st, &c->cf, c->date, why, sizeof(why)))
		return diag_error(&at, "%s; give a later --letter-date or [output] letter_date",
				  why);
	return 0;
}

/* The fields a letter cannot go without, before anything is written. */
static int check_required(struct case_ctx *c, const char *defname)
{
	struct src_loc at = { c->o->case_path, 0, 0 };
	char *opened;
	int rc = 0;

	if (!c->agency || !*c->agency)
		return diag_error(NULL, "no agency to write the letter for: set 'agency' under"
				  " [audit] in audit.ini (or 'agency' in the tracker's cases.csv)");
	if (strcmp(defname, "status.ini"))
		return 0;
	/* the status letter says when the case was opened */
	opened = case_date(c->st, &c->cf, "opened_on");
	if (!opened)
		rc = diag_error(&at, "missing 'opened_on' in [case] (the status letter says when"
				" the case was opened; or give it in the tracker's cases.csv)");
	free(opened);
	return rc;
}

int casereport_open(struct case_ctx *c, struct store *st, const struct report_opts *o,
		    const char *defname)
{
	memset(c, 0, sizeof(*c));
	c->st = st;
	c->o = o;
	c->run_id = -1;
	if (!o->case_path) {
		diag_error(NULL, "this report needs --case CASE.ini");
		return EXIT_USAGE;
	}
	if (case_load(o->case_path, &c->cf))
		return EXIT_INPUT;
	if (pick_run(c)) {
		casereport_close(c);
		return EXIT_DB;
	}
	c->def = reportdef_load(c->reports_dir, defname);
	if (!c->def) {
		diag_note("report definitions are read from %s (option --reports DIR)",
			  c->reports_dir);
		casereport_close(c);
		return EXIT_INPUT;
	}
	if (report_doc_time(o->as_of, c->run_as_of[0] ? c->run_as_of : NULL, &c->doc_time,
			    c->date) || pick_agency(c) || check_required(c, defname) ||
	    (c->run_id >= 0 && check_letter(c))) {
		casereport_close(c);
		return EXIT_INPUT;
	}
	if (select_findings(c)) {
		casereport_close(c);
		return EXIT_DB;
	}
	if (o->redact && red_build(c)) {
		casereport_close(c);
		return EXIT_DB;
	}
	common_vars(c);
	return EXIT_OK;
}

void casereport_close(struct case_ctx *c)
{
	case_release(&c->cf);
	reportdef_free(c->def);
	redactor_free(c->red);
	pdf_doc_free(c->doc);
	free(c->agency);
	free(c->component);
	free(c->reports_dir);
	for (size_t i = 0; i < c->nvars; i++)
		free(c->owned[i]);
	memset(c, 0, sizeof(*c));
}

int report_case_is_open(struct store *st, const char *case_id)
{
	struct stmt *s = stmt_prepare(st, "SELECT status, closed_on FROM main.cases"
				      " WHERE case_id = ?1");
	int rc, open = 1;

	if (!s)
		return -1;
	stmt_bind_text(s, 1, case_id);
	rc = stmt_step(s);
	if (rc == 1 && ((stmt_text(s, 0) && !strcmp(stmt_text(s, 0), "Closed")) ||
			(stmt_text(s, 1) && *stmt_text(s, 1))))
		open = 0;
	stmt_free(s);
	return rc < 0 ? -1 : open;
}

/* ---- the letter frame ------------------------------------------------------ */

/* An optional [document] key, expanded (NULL when absent). */
static char *opt_text(struct case_ctx *c, const char *section, const char *key, int *err)
{
	char *t;
	if (!reportdef_count(c->def, section, key))
		return NULL;
	t = casereport_text(c, section, key, 0);
	if (!t)
		*err = 1;
	return t;
}

/* The mark of a redacted copy in the title, header and footer. */
static void mark_redacted(struct case_ctx *c, char **title, const char *letter_subject,
			  char **header, char **footer)
{
	const char *mark = reportdef_nth(c->def, "document", "redacted_mark", 0);
	char *t;

	if (!mark)
		mark = "Redacted copy";
	t = xasprintf("%s (%s)", *title ? *title : letter_subject ? letter_subject : "", mark);
	free(*title);
	*title = t;
	t = xasprintf("%s%s%s", mark, *header ? " \xC2\xB7 " : "", *header ? *header : "");
	free(*header);
	*header = t;
	t = xasprintf("%s%s%s", mark, *footer ? " \xC2\xB7 " : "", *footer ? *footer : "");
	free(*footer);
	*footer = t;
}

/* The addressee block's lines (NULL-ended; at most 15). */
static void addressee_lines(const struct case_file *cf, const char *to[16])
{
	size_t nto = 0;

	if (cf->to_name)
		to[nto++] = cf->to_name;
	if (cf->to_title)
		to[nto++] = cf->to_title;
	if (cf->to_office)
		to[nto++] = cf->to_office;
	if (cf->to_org)
		to[nto++] = cf->to_org;
	for (size_t i = 0; i < cf->to_address.n && nto < 14; i++)
		to[nto++] = cf->to_address.v[i];
	if (cf->to_email)
		to[nto++] = cf->to_email;
	to[nto] = NULL;
}

/* The document and its first page: letterhead, date, addressee, subject,
 * and the redaction notice of a redacted copy. */
static int first_page(struct case_ctx *c, const struct pdf_doc_info *info,
		      const char *letter_subject)
{
	size_t naddr = reportdef_count(c->def, "letterhead", "address");
	const char **addr = xcalloc(naddr + 1, sizeof(*addr));
	const char *to[16];
	int rc;

	for (size_t i = 0; i < naddr; i++)
		addr[i] = reportdef_nth(c->def, "letterhead", "address", i);
	addressee_lines(&c->cf, to);
	struct pdf_letterhead lh = {
		c->agency, c->component && *c->component ? c->component : NULL,
		naddr ? addr : NULL
	};
	struct pdf_address_block ab = { NULL, to, letter_subject };
	c->doc = pdf_doc_new(info);
	rc = !c->doc ? -1 : pdf_letterhead(c->doc, &lh) | pdf_address_block(c->doc, &ab);
	if (!rc && c->red && reportdef_count(c->def, "document", "redacted_note")) {
		char *note = casereport_text(c, "document", "redacted_note", 0);
		rc = note ? pdf_text(c->doc, PDF_BOLD | PDF_SMALL, note) : -1;
		free(note);
	}
	free(addr);
	return rc;
}

int casereport_begin(struct case_ctx *c)
{
	int err = 0, rc = 0;
	char *title = opt_text(c, "document", "title", &err);
	char *subject = opt_text(c, "document", "subject", &err);
	char *keywords = opt_text(c, "document", "keywords", &err);
	char *footer = opt_text(c, "document", "footer", &err);
	char *header = opt_text(c, "document", "header", &err);
	char *letter_subject = casereport_text(c, "letter", "subject", 0);
	char *author = c->component && *c->component
		? xasprintf("%s, %s", c->component, c->agency) : xstrdup(c->agency);

	if (c->red && !err)
		mark_redacted(c, &title, letter_subject, &header, &footer);
	if (err || !letter_subject) {
		rc = -1;
	} else {
		struct pdf_doc_info info = {
			.title = title ? title : letter_subject,
			.author = author,
			.subject = subject,
			.keywords = keywords,
			.creator = "udaudit " UDAUDIT_VERSION,
			.date = c->doc_time,
			.footer = footer,
			.header = header,
			.filter = c->red ? redactor_filter : NULL,
			.filter_ctx = c->red,
		};
		rc = first_page(c, &info, letter_subject);
	}
	free(title);
	free(subject);
	free(keywords);
	free(footer);
	free(header);
	free(letter_subject);
	free(author);
	return rc ? -1 : 0;
}

int casereport_heading(struct case_ctx *c, int level, const char *section, const char *key)
{
	const char *t = reportdef_get(c->def, section, key);
	return t ? pdf_heading(c->doc, level, t) : -1;
}

int casereport_par(struct case_ctx *c, const char *text)
{
	return pdf_paragraph(c->doc, text);
}

int casereport_bullet(struct case_ctx *c, const char *text)
{
	return pdf_bullet(c->doc, text);
}

int casereport_kv(struct case_ctx *c, const char *key, const char *value)
{
	return pdf_kv(c->doc, key, value);
}

int casereport_row(struct case_ctx *c, const char *const *cells, int n)
{
	(void)n;
	return pdf_table_row(c->doc, cells);
}

int casereport_pars(struct case_ctx *c, const char *section, const char *key)
{
	size_t n = reportdef_count(c->def, section, key);
	int rc = 0;

	if (!n)
		return reportdef_get(c->def, section, key) ? 0 : -1;
	for (size_t i = 0; i < n && !rc; i++) {
		char *t = casereport_text(c, section, key, i);
		rc = t ? pdf_paragraph(c->doc, t) : -1;
		free(t);
	}
	return rc;
}

/* The rule packs the run judged with (run_rules), after the inputs: what
 * the findings depend on besides the data, each with its digest. */
static int manifest_rule_packs(struct case_ctx *c, const char *bytes)
{
	const char *kind = reportdef_nth(c->def, "manifest", "rule_pack", 0);
	struct findings_cursor *cur;
	struct rule_pack_row p;
	char n1[32];
	int rc = 0, more;

	if (c->run_id < 0)
		return 0;
	if (!(cur = run_rules_open(c->st, c->run_id)))
		return -1;
	while (rc == 0 && (more = run_rules_next(cur, &p)) == 1) {
		char *file = xasprintf("%s\n%s, %s %s", p.file, kind ? kind : "rule pack",
				       casereport_num(n1, sizeof(n1), p.size), bytes ? bytes : "bytes");
		const char *cells[3] = { file, "", p.sha256 };

		rc = pdf_table_row(c->doc, cells);
		free(file);
	}
	findings_close(cur);
	return rc || more < 0 ? -1 : 0;
}

int casereport_manifest(struct case_ctx *c)
{
	const char *hdr[3];
	char cols[512], n1[32], n2[32];
	/* the digest column fits 64 monospace digits on one line; the size goes
	   under the path, so the path has room to break only at / _ - . */
	static const double w[] = { 149, 56, 263 };
	const char *bytes = reportdef_nth(c->def, "manifest", "bytes", 0);
	struct stmt *s;
	int rc = casereport_heading(c, 1, "manifest", "heading");

	if (rc || casereport_pars(c, "manifest", "intro") ||
	    (c->red && casereport_pars(c, "manifest", "redacted")) ||
	    casereport_columns(c, "manifest", "columns", cols, sizeof(cols), hdr, 3))
		return -1;
	s = stmt_prepare(c->st, REPORT_MANIFEST_SQL);
	if (!s)
		return -1;
	rc = pdf_table_begin(c->doc, 3, hdr, w) | pdf_table_align(c->doc, "lrm");
	while (rc == 0 && stmt_step(s) == 1) {
		char *file = xasprintf("%s\n%s, %s %s", stmt_text(s, 1), stmt_text(s, 0),
				       casereport_num(n1, sizeof(n1), stmt_int(s, 2)),
				       bytes ? bytes : "bytes");
		const char *cells[3] = { file, n2, stmt_text(s, 6) };
		n2[0] = '\0';          /* a side file has no records of its own */
		if (!stmt_is_null(s, 3))
			casereport_num(n2, sizeof(n2), stmt_int(s, 3));
		rc = pdf_table_row(c->doc, cells);
		free(file);
	}
	stmt_free(s);
	if (rc == 0)
		rc = manifest_rule_packs(c, bytes);
	return rc | pdf_table_end(c->doc);
}

int casereport_sign(struct case_ctx *c)
{
	const struct case_file *cf = &c->cf;
	const char *lines[8];
	char *closing = casereport_text(c, "letter", "closing", 0);
	char *authority = reportdef_count(c->def, "letter", "authority")
		? casereport_text(c, "letter", "authority", 0) : NULL;
	char *dated = reportdef_count(c->def, "letter", "signed_on")
		? casereport_text(c, "letter", "signed_on", 0) : NULL;
	int n = 0, rc;

	/* the agency under the title, unless the title names it already */
	if (c->agency && *c->agency && !strstr(cf->sig_title, c->agency))
		lines[n++] = c->agency;
	if (cf->sig_phone)
		lines[n++] = cf->sig_phone;
	if (cf->sig_email)
		lines[n++] = cf->sig_email;
	if (dated)
		lines[n++] = dated;
	if (authority)
		lines[n++] = authority;
	lines[n] = NULL;
	struct pdf_signature sig = { closing, cf->sig_name, cf->sig_title, lines };
	rc = closing ? pdf_signature(c->doc, &sig) : -1;
	if (rc == 0 && cf->cc.n) {
		struct strbuf cc = STRBUF_INIT;
		const char *label = reportdef_nth(c->def, "letter", "cc_label", 0);
		for (size_t i = 0; i < cf->cc.n; i++)
			strbuf_addf(&cc, "%s%s", i ? "\n" : "", cf->cc.v[i]);
		rc = pdf_kv(c->doc, label ? label : "cc:", cc.buf);
		strbuf_release(&cc);
	}
	free(closing);
	free(authority);
	free(dated);
	return rc;
}

int casereport_save(struct case_ctx *c)
{
	if (report_store_ok(c->st, c->o->out))
		return EXIT_DB;
	return pdf_doc_save(c->doc, c->o->out) ? EXIT_DB : EXIT_OK;
}

int casereport_closing(struct case_ctx *c)
{
	if (pdf_keep(c->doc, CLOSING_KEEP_PT) || casereport_pars(c, "letter", "closing_paragraph") ||
	    casereport_sign(c) || pdf_space(c->doc, 8) || casereport_pars(c, "letter", "enclosures"))
		return -1;
	return pdf_page_break(c->doc);
}
