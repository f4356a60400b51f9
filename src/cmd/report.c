/* udaudit report KIND: one table of report kinds (git-style, like main.c's
 * command table). Adding a kind is one line here and one function in
 * report.h; the options below are shared, a kind ignores what it does not
 * use and says which it requires through flags. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "diag.h"
#include "report.h"
#include "store.h"

enum report_flags {
	RPT_NEEDS_CASE = 1 << 0,        /* --case CASE.ini is required */
};

struct report_kind {
	const char *name;
	int (*write)(struct store *st, const struct report_opts *o);
	const char *summary;
	unsigned flags;
};

static const struct report_kind report_kinds[] = {
	{ "findings", report_findings, "the findings workbook (XLSX, spec 5.3)", 0 },
	{ "tracker", report_tracker, "the corrective-action tracker workbook (XLSX, spec 5.4)", 0 },
	{ "incident", report_incident, "the 36 CFR 1230.14 report of a NARA case (PDF, spec 5.1)",
	  RPT_NEEDS_CASE },
	{ "status", report_status, "the status-update letter of an open NARA case (PDF, spec 5.2)",
	  RPT_NEEDS_CASE },
	{ NULL, NULL, NULL, 0 },
};

enum { O_DB, O_OUTPUT, O_AS_OF, O_REDACT, O_CASE, O_LETTER_DATE, O_REPORTS };

static const struct cli_opt report_opts_table[] = {
	[O_DB] = { "db", 0, "DB", "the audit database (opened read-only)", CLI_ANY, 0 },
	[O_OUTPUT] = { "output", 'o', "FILE", "the file to write (written to FILE.tmp, then renamed)",
		       CLI_ANY, 0 },
	[O_AS_OF] = { "as-of", 0, "DATE", "YYYY-MM-DD: findings: the latest run on or before DATE;\n"
		      "tracker: the day days-overdue count to (default:\n"
		      "SOURCE_DATE_EPOCH's day, else today). Also the document\n"
		      "date, so the same DB and date give the same bytes", CLI_DATE, 0 },
	[O_REDACT] = { "redact", 0, NULL, "people, accounts, phone numbers, e-mail addresses,\n"
		       "conversations and file names become pseudonyms", CLI_ANY, 0 },
	[O_CASE] = { "case", 0, "CASE.ini", "the case file (incident and status reports); findings:\n"
		     "the cases whose coverage is checked (repeatable)", CLI_ANY, 0 },
	[O_LETTER_DATE] = { "letter-date", 0, "D", "YYYY-MM-DD: the date of the letter (incident, status;\n"
			    "default: the run's as_of); not before the NARA letter", CLI_ANY, 0 },
	[O_REPORTS] = { "reports", 0, "DIR", "report definitions (incident.ini, status.ini; default:\n"
			"reports/ beside the run's rules dir, else ./reports)", CLI_ANY, 0 },
	{ NULL, 0, NULL, NULL, CLI_ANY, 0 },
};

static const char *const report_synopsis[] = {
	"udaudit report KIND --db DB -o FILE [--as-of DATE] [--redact] [--case CASE.ini]",
	"                    [--reports DIR]",
	NULL
};

static void list_kinds(FILE *fp)
{
	fputs("report kinds:\n", fp);
	for (const struct report_kind *k = report_kinds; k->name; k++)
		fprintf(fp, "  %-10s %s\n", k->name, k->summary);
}

static const struct report_kind *find_kind(const char *name)
{
	for (const struct report_kind *k = report_kinds; k->name; k++)
		if (!strcasecmp(name, k->name))    /* any case, as every enumeration */
			return k;
	return NULL;
}

static int report_validate(struct cli_args *a)
{
	const struct report_kind *kind;
	int rc;

	if (!a->npos) {
		rc = cli_usage_error(a, "need a report KIND");
		list_kinds(stderr);
		return rc;
	}
	kind = find_kind(a->pos[0]);
	if (!kind) {
		rc = cli_usage_error(a, "unknown report kind '%s'", a->pos[0]);
		list_kinds(stderr);
		return rc;
	}
	if (a->npos > 1)
		return cli_usage_error(a, "unexpected argument '%s'", a->pos[1]);
	if (!cli_get(a, O_DB) || !cli_get(a, O_OUTPUT))
		return cli_usage_error(a, "%s is required", !cli_get(a, O_DB) ? "--db" : "-o FILE");
	if ((kind->flags & RPT_NEEDS_CASE) && !cli_get(a, O_CASE))
		return cli_usage_error(a, "report '%s' needs --case CASE.ini", kind->name);
	return -1;
}

static int report_run(struct cli_args *a)
{
	const struct report_kind *kind = find_kind(a->pos[0]);
	struct report_opts o = {
		.db = cli_get(a, O_DB), .out = cli_get(a, O_OUTPUT), .as_of = cli_get(a, O_AS_OF),
		.case_path = cli_get(a, O_CASE), .redact = cli_count(a, O_REDACT) > 0,
		.reports_dir = cli_get(a, O_REPORTS), .letter_date = cli_get(a, O_LETTER_DATE),
	};
	/* findings: every --case given is checked for coverage */
	const char *cases[64];
	size_t ncases = 0;
	for (int i = 0; i < a->nvals && ncases < sizeof(cases) / sizeof(cases[0]); i++)
		if (a->vals[i].opt == O_CASE)
			cases[ncases++] = a->vals[i].value;
	o.case_paths = cases;
	o.ncase_paths = ncases;
	int rc = kind->write(a->st, &o);

	if (rc == EXIT_OK)
		printf("report %s: wrote %s\n", kind->name, o.out);
	return rc;
}

const struct cli_command cmd_report = {
	"report", report_run,
	"a report: findings, tracker (XLSX), incident, status letter (PDF)",
	report_synopsis, report_opts_table, NULL, list_kinds, report_validate, CLI_DB | CLI_DB_READONLY,
};
