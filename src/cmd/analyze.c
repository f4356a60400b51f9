/* udaudit analyze: run the detectors of spec 4 over an audit database and
 * replace the findings of that as_of date. */
#include <getopt.h>
#include <stdio.h>

#include "analyze.h"
#include "cli.h"
#include "config.h"
#include "crosscheck.h"
#include "diag.h"
#include "rules.h"
#include "store.h"
#include "timeutil.h"

static const char *const analyze_usage[] = {
	"udaudit analyze --db DB [--as-of DATE] [--quarter YYYYQn] [--rules DIR] [--fail-on CLASS] [--strict]",
	"",
	"  --db DB          the audit database",
	"  --as-of DATE     the audit date (covers that whole day, UTC); default: the",
	"                   end of --quarter, else the day of the latest usage event",
	"  --quarter Q      the quarter the run belongs to (default: from the date)",
	"  --rules DIR      rule packs (default: rules)",
	"  --fail-on CLASS  exit 1 when a finding of CLASS or above exists",
	"                   (policy < threatened < impending < actual)",
	"  --strict         a data-quality warning (a mismatch between inputs) is",
	"                   fatal (exit 3, nothing analyzed)",
	"",
	"Before the detectors, the inputs are checked against each other (accounts,",
	"app keys, devices, custodians that one file names and another lacks):",
	"each mismatch is a warning with file:line.",
	"A run replaces the findings of the same as_of; runs of other dates are kept.",
	NULL
};

int cmd_analyze(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "as-of", required_argument, NULL, 'a' },
		{ "quarter", required_argument, NULL, 'q' },
		{ "rules", required_argument, NULL, 'r' },
		{ "fail-on", required_argument, NULL, 'f' },
		{ "strict", no_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct analyze_opts o = { NULL, NULL, "rules" };
	struct analyze_summary sum;
	const char *db = NULL;
	int c, fail_on = -1, rc, strict = 0;

	optind = 0;
	while ((c = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'a': o.as_of = optarg; break;
		case 'q': o.quarter = optarg; break;
		case 'r': o.rules_dir = optarg; break;
		case 's': strict = 1; break;
		case 'f':
			fail_on = finding_class_from_name(optarg);
			if (fail_on < 0)
				return usage_error(analyze_usage, "bad class '%s' for --fail-on"
						   " (expected policy, threatened, impending or actual)",
						   optarg);
			break;
		case 'h':
			usage_print(stdout, analyze_usage);
			return EXIT_OK;
		default:
			usage_print(stderr, analyze_usage);
			return EXIT_USAGE;
		}
	}
	if (!db)
		return usage_error(analyze_usage, "--db is required");
	if (optind < argc)
		return usage_error(analyze_usage, "unexpected argument '%s'", argv[optind]);
	long long day;
	char end[16];
	if (o.as_of && time_parse_date(o.as_of, &day))
		return usage_error(analyze_usage, "bad date '%s' for --as-of (expected YYYY-MM-DD)",
				   o.as_of);
	if (o.quarter && quarter_end(o.quarter, end))
		return usage_error(analyze_usage, "bad quarter '%s' (expected YYYYQn)", o.quarter);
	struct rules *r = rules_load(o.rules_dir);
	if (!r)
		return EXIT_INPUT;
	struct store *st = store_open(db, 0);
	if (!st) {
		rules_free(r);
		return EXIT_DB;
	}
	long nq = crosscheck_run(st, r);
	if (nq > 0 && crosscheck_print(st, NULL) < 0)
		nq = -1;
	if (nq < 0 || (nq > 0 && strict)) {
		if (nq > 0)
			diag_error(NULL, "%ld data-quality warning%s and --strict: nothing analyzed",
				   nq, nq == 1 ? "" : "s");
		store_close(st);
		rules_free(r);
		return nq < 0 ? EXIT_DB : EXIT_INPUT;
	}
	rc = analyze_run(st, r, &o, &sum);
	store_close(st);
	rules_free(r);
	if (rc)
		return EXIT_DB;
	analyze_print_summary(&sum);
	if (fail_on >= 0 && analyze_worst_class(&sum) >= fail_on)
		return EXIT_FINDINGS;
	return EXIT_OK;
}
