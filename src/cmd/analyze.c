/* udaudit analyze: run the detectors of spec 4 over an audit database and
 * replace the findings of that as_of date. */
#include <stdio.h>
#include <stdlib.h>

#include "analyze.h"
#include "cli.h"
#include "config.h"
#include "crosscheck.h"
#include "timing.h"
#include "diag.h"
#include "rules.h"
#include "store.h"

enum { O_DB, O_AS_OF, O_QUARTER, O_RULES, O_FAIL_ON, O_STRICT };

static const struct cli_opt analyze_opts[] = {
	[O_DB] = { "db", 0, "DB", "the audit database", CLI_ANY, 0 },
	[O_AS_OF] = { "as-of", 0, "DATE", "the audit date (covers that whole day, UTC); default: the\n"
		      "end of --quarter, else the day of the latest usage event", CLI_DATE, 0 },
	[O_QUARTER] = { "quarter", 0, "Q", "the quarter the run belongs to (default: from the date)",
			CLI_QUARTER, 0 },
	[O_RULES] = { "rules", 0, "DIR", "rule packs (default: the installation's rules)", CLI_ANY, 0 },
	[O_FAIL_ON] = { "fail-on", 0, "CLASS", "exit 1 when a finding of CLASS or above exists\n"
			"(policy < threatened < impending < actual)", CLI_CLASS, 0 },
	[O_STRICT] = { "strict", 0, NULL, "a data-quality warning (a mismatch between inputs) is\n"
		       "fatal (exit 3, nothing analyzed)", CLI_ANY, 0 },
	{ NULL, 0, NULL, NULL, CLI_ANY, 0 },
};

static const char *const analyze_synopsis[] = {
	"udaudit analyze --db DB [--as-of DATE] [--quarter YYYYQn] [--rules DIR] [--fail-on CLASS]",
	"                [--strict]",
	NULL
};

static const char *const analyze_notes[] = {
	"The inputs are checked against each other (accounts, app keys, devices,",
	"custodians that one file names and another lacks) as the detectors read",
	"them (with --strict, before): each mismatch is a warning with file:line.",
	"A run replaces the findings of the same as_of; runs of other dates are kept.",
	NULL
};

/* The rule packs are checked before the database is opened (a bad pack is
 * exit 3 whatever the state of the DB); loading them twice costs little. */
/* --rules, else the installation's rules (never ./rules); kept for the run. */
static const char *rules_dir_of(struct cli_args *a)
{
	static char dir[4096];

	if (cli_get(a, O_RULES))
		return cli_get(a, O_RULES);
	if (!*dir) {
		char *inst = data_dir("rules");
		snprintf(dir, sizeof(dir), "%s", inst ? inst : "rules");
		free(inst);
	}
	return dir;
}

static int analyze_validate(struct cli_args *a)
{
	struct rules *r;

	if (a->npos)
		return cli_no_args(a);
	r = rules_load(rules_dir_of(a));
	if (!r)
		return EXIT_INPUT;
	rules_free(r);
	return -1;
}

/* The data-quality warnings, said: checked alone (NULL cc: --strict, before
 * the analysis) or from what the analysis's scans fed cc. Their count, or
 * -1 when the audit DB failed. */
static long say_checks(struct store *st, const struct rules *r, struct crosscheck *cc)
{
	long nq = crosscheck_end(cc, st, r);

	if (nq > 0 && crosscheck_print(st, NULL) < 0)
		nq = -1;
	phase("cross-file checks");
	return nq;
}

static int analyze_cmd(struct cli_args *a)
{
	struct analyze_opts o = { cli_get(a, O_AS_OF), cli_get(a, O_QUARTER), rules_dir_of(a),
				  NULL };
	struct analyze_summary sum;
	const char *fail = cli_get(a, O_FAIL_ON);
	int fail_on = fail ? finding_class_from_name(fail) : -1, rc;

	if (cli_get(a, O_RULES))
		o.rules_dir = cli_get(a, O_RULES);
	phase_stage("analyze");
	struct rules *r = rules_load(o.rules_dir);
	if (!r)
		return EXIT_INPUT;
	phase("rules");
	/* with --strict the checks come first (a warning: nothing analyzed);
	   else the analysis's scans feed them (crosscheck.h) and they are
	   said after it, before its summary */
	if (cli_count(a, O_STRICT)) {
		long nq = say_checks(a->st, r, NULL);
		if (nq) {
			if (nq > 0)
				diag_error(NULL, "%ld data-quality warning%s and --strict: nothing"
					   " analyzed", nq, nq == 1 ? "" : "s");
			rules_free(r);
			return nq < 0 ? EXIT_DB : EXIT_INPUT;
		}
	} else {
		o.cc = crosscheck_begin(a->st, r);
		if (!o.cc) {
			rules_free(r);
			return EXIT_DB;
		}
		phase("cross-file checks: known values");
	}
	rc = analyze_run(a->st, r, &o, &sum);
	if (o.cc) {
		phase_stage("analyze");
		if (say_checks(a->st, r, o.cc) < 0) {
			rules_free(r);
			return EXIT_DB;
		}
	}
	rules_free(r);
	if (rc)
		return EXIT_DB;
	analyze_print_summary(&sum);
	if (fail_on >= 0 && analyze_worst_class(&sum) >= fail_on)
		return EXIT_FINDINGS;
	return EXIT_OK;
}

const struct cli_command cmd_analyze = {
	"analyze", analyze_cmd, "run the detectors and replace the findings of this as_of",
	analyze_synopsis, analyze_opts, analyze_notes, NULL, analyze_validate, CLI_DB,
};
