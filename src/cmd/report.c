/* udaudit report KIND: one table of report kinds (git-style, like main.c's
 * command table). Adding a kind is one line here and one function in
 * report.h; the options below are shared, a kind ignores what it does not
 * use and says which it requires through flags. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

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

static const char *const report_usage[] = {
	"udaudit report KIND --db DB -o FILE [--as-of DATE] [--redact] [--case CASE.ini]",
	"                    [--reports DIR]",
	"",
	"  --db DB          the audit database (read only)",
	"  -o, --output F   the file to write (written to F.tmp, then renamed)",
	"  --as-of DATE     YYYY-MM-DD: findings: the latest run on or before DATE;",
	"                   tracker: the day days-overdue count to (default:",
	"                   SOURCE_DATE_EPOCH's day, else today). Also the document",
	"                   date, so the same DB and date give the same bytes",
	"  --redact         people, accounts, phone numbers, e-mail addresses,",
	"                   conversations and file names become pseudonyms",
	"  --case CASE.ini  the case file (incident and status reports)",
	"  --letter-date D  YYYY-MM-DD: the date of the letter (incident, status;",
	"                   default: the run's as_of); not before the NARA letter",
	"  --reports DIR    report definitions (incident.ini, status.ini; default:",
	"                   reports/ beside the run's rules dir, else ./reports)",
	NULL
};

static void list_kinds(FILE *fp)
{
	fputs("report kinds:\n", fp);
	for (const struct report_kind *k = report_kinds; k->name; k++)
		fprintf(fp, "  %-10s %s\n", k->name, k->summary);
}

int cmd_report(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "output", required_argument, NULL, 'o' },
		{ "as-of", required_argument, NULL, 'a' },
		{ "redact", no_argument, NULL, 'r' },
		{ "case", required_argument, NULL, 'c' },
		{ "reports", required_argument, NULL, 'R' },
		{ "letter-date", required_argument, NULL, 'L' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct report_opts o = { 0 };
	const struct report_kind *kind = NULL;
	struct store *st;
	int c, rc;

	if (argc >= 2 && argv[1][0] != '-') {
		for (const struct report_kind *k = report_kinds; k->name; k++)
			if (!strcmp(argv[1], k->name))
				kind = k;
		if (!kind) {
			rc = usage_error(report_usage, "unknown report kind '%s'", argv[1]);
			list_kinds(stderr);
			return rc;
		}
		argc--;
		argv++;
	}
	optind = 0;
	while ((c = getopt_long(argc, argv, "+ho:", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': o.db = optarg; break;
		case 'o': o.out = optarg; break;
		case 'a': o.as_of = optarg; break;
		case 'r': o.redact = 1; break;
		case 'c': o.case_path = optarg; break;
		case 'R': o.reports_dir = optarg; break;
		case 'L': o.letter_date = optarg; break;
		case 'h':
			usage_print(stdout, report_usage);
			list_kinds(stdout);
			return EXIT_OK;
		default:
			usage_print(stderr, report_usage);
			return EXIT_USAGE;
		}
	}
	if (!kind) {
		rc = usage_error(report_usage, "need a report KIND");
		list_kinds(stderr);
		return rc;
	}
	if (optind < argc)
		return usage_error(report_usage, "unexpected argument '%s'", argv[optind]);
	if (!o.db || !o.out)
		return usage_error(report_usage, "%s is required", !o.db ? "--db" : "-o FILE");
	if ((kind->flags & RPT_NEEDS_CASE) && !o.case_path)
		return usage_error(report_usage, "report '%s' needs --case CASE.ini", kind->name);
	if (o.as_of) {
		long long d;
		if (time_parse_date(o.as_of, &d))
			return usage_error(report_usage, "bad date '%s' for --as-of (expected YYYY-MM-DD)",
					   o.as_of);
	}
	st = store_open(o.db, 0);
	if (!st)
		return EXIT_DB;
	rc = kind->write(st, &o);
	store_close(st);
	if (rc == EXIT_OK)
		printf("report %s: wrote %s\n", kind->name, o.out);
	return rc;
}
