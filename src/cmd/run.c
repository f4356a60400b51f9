/* udaudit run: the quarterly job. Load every input audit.ini names (each
 * file one transaction), then analyze and write the reports. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyze.h"
#include "casefile.h"
#include "casereport.h"
#include "cli.h"
#include "config.h"
#include "crosscheck.h"
#include "diag.h"
#include "ingest.h"
#include "kinds.h"
#include "report.h"
#include "reportdef.h"
#include "rules.h"
#include "store.h"
#include "timing.h"
#include "xalloc.h"

enum { O_STRICT, O_FAIL_ON };

static const struct cli_opt run_opts[] = {
	[O_STRICT] = { "strict", 0, NULL, "a bad record fails its file, a data-quality warning\n"
		       "(a mismatch between inputs) fails the run (exit 3)", CLI_ANY, 0 },
	[O_FAIL_ON] = { "fail-on", 0, "CLASS", "exit 1 when a finding of CLASS or above exists; classes\n"
			"rank policy < threatened < impending < actual\n"
			"(reports are still written)", CLI_CLASS, 0 },
	{ NULL, 0, NULL, NULL, CLI_ANY, 0 },
};

static const char *const run_synopsis[] = {
	"udaudit run [--strict] [--fail-on CLASS] CONFIG.ini", NULL
};

static const char *const run_notes[] = {
	"Loads every input the config names (printing records, skipped and the",
	"SHA-256 per file), analyzes, and writes the reports to the output folder:",
	"the findings and tracker workbooks, and for each case file of [output]",
	"cases ID-incident.pdf (36 CFR 1230.14) and, while the case is open,",
	"ID-status.pdf (report definitions from reports/ beside the rules dir).",
	NULL
};

/* Step 1: every input, one transaction each. Returns the number that failed. */
static int load_inputs(struct store *st, const struct audit_config *cfg, int strict)
{
	int failed = 0;

	for (size_t i = 0; i < cfg->ninputs; i++) {
		const struct audit_input *in = &cfg->inputs[i];
		struct ingest_opts opts = { strict, cfg->rules_dir, in->opt, in->nopt,
					    in->given, in->config_key,
					    (const char *const *)in->opt_given };
		struct ingest_result res;
		if (ingest_file(st, ingest_find_kind(in->kind), in->path, &opts, &res))
			failed++;
		ingest_print_result(in->kind, in->path, &res);
	}
	return failed;
}

/* The tracker CSVs of [tracker], in load order (an action's refs must
 * resolve to recommendations and cases loaded before it). Returns the
 * number of files that failed. */
static int load_tracker(struct store *st, const struct audit_config *cfg, int strict)
{
	static const enum tracker_file order[] = {
		TRACK_CASES, TRACK_RECOMMENDATIONS, TRACK_ACTIONS, TRACK_UPDATES
	};
	static const char *const kinds[] = { "cases", "recommendations", "actions", "updates" };
	int failed = 0;

	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		/* the manifest names it as written, as [inputs]: the same from any folder */
		struct ingest_opts opts = { strict, NULL, NULL, 0, cfg->tracker_given[order[i]],
					    NULL, NULL };
		struct ingest_result res;
		if (!cfg->tracker[order[i]])
			continue;
		if (ingest_file(st, ingest_find_kind(kinds[i]), cfg->tracker[order[i]], &opts, &res))
			failed++;
		ingest_print_result(kinds[i], cfg->tracker[order[i]], &res);
	}
	return failed;
}

/* The file name of a path, for its phase (timing.h). */
static const char *path_base(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

/* OUT/NAME-redacted.EXT beside OUT/NAME.EXT ([output] redact = yes). */
static char *redacted_path(const char *path)
{
	const char *dot = strrchr(path, '.');
	const char *slash = strrchr(path, '/');

	if (!dot || (slash && dot < slash))
		return xasprintf("%s-redacted", path);
	return xasprintf("%.*s-redacted%s", (int)(dot - path), path, dot);
}

/* Last step: the findings and tracker workbooks, as of the audit date, in
 * the output folder as QUARTER-findings.xlsx and QUARTER-tracker.xlsx
 * (findings.xlsx and tracker.xlsx without a quarter). Without an analysis
 * run in the DB the findings workbook says so and has no findings. */
static int write_workbooks(struct store *st, const struct audit_config *cfg)
{
	static const struct {
		const char *suffix;
		int (*write)(struct store *st, const struct report_opts *o);
	} books[] = {
		{ "findings.xlsx", report_findings },
		{ "tracker.xlsx", report_tracker },
	};
	int rc = EXIT_OK;

	for (size_t i = 0; i < sizeof(books) / sizeof(books[0]); i++) {
		char *out = cfg->quarter
			? xasprintf("%s/%s-%s", cfg->output_dir, cfg->quarter, books[i].suffix)
			: xasprintf("%s/%s", cfg->output_dir, books[i].suffix);
		for (int red = 0; red <= cfg->redact; red++) {
			char *path = red ? redacted_path(out) : xstrdup(out);
			struct report_opts o = {
				.db = cfg->db, .out = path, .as_of = cfg->as_of, .redact = red,
				.case_paths = (const char *const *)cfg->cases, .ncase_paths = cfg->ncases,
			};
			int r = books[i].write(st, &o);
			phase("%s", path_base(path));
			if (r == EXIT_OK)
				printf("%-15s %s\n", red ? "redacted copy" : "workbook", path);
			else if (rc == EXIT_OK)
				rc = r;
			free(path);
		}
		free(out);
	}
	return rc;
}

/* The agency and component of audit.ini on the run's row, for the
 * letterheads of the PDF letters (also when written later from the DB). */
static int record_agency(struct store *st, long long run_id, const struct audit_config *cfg)
{
	struct stmt *s = stmt_prepare(st, "UPDATE runs SET agency = ?2, component = ?3"
				      " WHERE run_id = ?1");
	int rc;
	if (!s)
		return -1;
	stmt_bind_int(s, 1, run_id);
	stmt_bind_text(s, 2, cfg->agency);
	stmt_bind_text(s, 3, cfg->component);
	rc = stmt_step(s);
	stmt_free(s);
	return rc < 0 ? -1 : 0;
}

/* The report definitions: reports/ beside the rules dir, else beside the
 * config file (DIR/reports, DIR/../reports), else the installation's;
 * never the current folder. A new string (may not exist: the load says). */
static char *reports_dir(const struct audit_config *cfg)
{
	char *p = NULL;

	if (cfg->rules_dir) {
		char *parent = path_dirname(cfg->rules_dir);
		p = xasprintf("%s/reports", parent);
		free(parent);
		if (access(p, R_OK) == 0)
			return p;
		free(p);
	}
	p = config_data_dir(cfg, "reports");
	return p ? p : xstrdup("reports (not found beside the config or the installation)");
}

/* Before a byte is loaded: the rule packs compile, and each case file and
 * the report definitions its letters need parse (a typo found after a long
 * ingest costs the whole run). The rules are kept for the analysis. */
static int check_config(const struct audit_config *cfg, struct rules **rules)
{
	int bad = 0;

	if (!cfg->rules_dir) {
		diag_error(NULL, "%s: no rules folder: give [rules] dir (none beside the config"
			   " or the installation)", cfg->path);
		return EXIT_INPUT;
	}
	*rules = rules_load(cfg->rules_dir);
	if (!*rules)
		bad = 1;
	for (size_t i = 0; i < cfg->ncases; i++) {
		struct case_file cf = { 0 };
		if (case_load(cfg->cases[i], &cf))
			bad = 1;
		case_release(&cf);
	}
	if (cfg->ncases) {
		char *dir = reports_dir(cfg);
		static const char *const defs[] = { "incident.ini", "status.ini" };
		for (int i = 0; i < 2; i++) {
			struct reportdef *d = reportdef_load(dir, defs[i]);
			if (!d)
				bad = 1;
			reportdef_free(d);
		}
		free(dir);
	}
	if (bad) {
		diag_error(NULL, "%s: fix the errors above; nothing was loaded", cfg->path);
		rules_free(*rules);
		*rules = NULL;
		return EXIT_INPUT;
	}
	return EXIT_OK;
}

/* Last step for NARA: for each case file of [output] cases, the 36 CFR
 * 1230.14 report OUT/ID-incident.pdf and, while the case is open, the
 * status letter OUT/ID-status.pdf, as of the audit date. */
static int write_case_reports(struct store *st, const struct audit_config *cfg)
{
	char *reports = reports_dir(cfg);
	int rc = EXIT_OK;

	for (size_t i = 0; i < cfg->ncases; i++) {
		struct case_file cf = { 0 };
		int open;
		if (case_load(cfg->cases[i], &cf)) {
			rc = EXIT_INPUT;
			continue;
		}
		open = report_case_is_open(st, cf.id);
		/* no letter dated before the case opened or NARA wrote (spec 5.2:
		   no status letter for a case opened after as_of): said, skipped */
		char why[200];
		const char *date = cfg->letter_date ? cfg->letter_date : cfg->as_of;
		if (date && report_case_too_early(st, &cf, date, why, sizeof(why))) {
			printf("%-15s none for case %s: %s\n", "letters", cf.id, why);
			case_release(&cf);
			continue;
		}
		for (int k = 0; k < 2; k++) {
			char *out = xasprintf("%s/%s-%s.pdf", cfg->output_dir, cf.id,
					      k ? "status" : "incident");
			for (int red = 0; red <= cfg->redact && (k == 0 || open == 1); red++) {
				char *path = red ? redacted_path(out) : xstrdup(out);
				struct report_opts o = {
					.db = cfg->db, .out = path, .as_of = cfg->as_of,
					.case_path = cfg->cases[i], .redact = red, .reports_dir = reports,
					.letter_date = cfg->letter_date,
				};
				int r = k ? report_status(st, &o) : report_incident(st, &o);
				phase("%s", path_base(path));
				if (r == EXIT_OK)
					printf("%-15s %s\n", red ? "redacted copy" :
					       k ? "status letter" : "incident", path);
				else if (rc == EXIT_OK)
					rc = r;
				free(path);
			}
			free(out);
		}
		case_release(&cf);
	}
	free(reports);
	return rc;
}

/* The cross-file checks, listed in the summary: with --strict between
 * loading and analysis (any data-quality warning stops the run), else
 * after the analysis, whose scans fed cc (crosscheck.h: checked alone when
 * they did not finish), and before its summary. */
static int check_quality(struct store *st, const struct rules *r, int strict,
			 struct crosscheck *cc)
{
	phase_stage("run");
	long n = crosscheck_end(cc, st, r);     /* NULL cc (--strict): alone */

	if (n > 0)
		printf("data quality: %ld warning%s (also on the findings workbook's"
		       " \"Data quality\" sheet)\n", n, n == 1 ? "" : "s");
	if (n > 0 && crosscheck_print(st, stdout) < 0)
		n = -1;
	phase("cross-file checks");
	if (n < 0)
		return EXIT_DB;
	if (!n)
		return EXIT_OK;
	if (strict) {
		diag_error(NULL, "%ld data-quality warning%s and --strict: nothing analyzed",
			   n, n == 1 ? "" : "s");
		return EXIT_INPUT;
	}
	return EXIT_OK;
}

/* Step 2: the detectors, as of the config's date, with its rules (default
 * beside the config or the installation); prints the summary by class and type. EXIT_FINDINGS when
 * fail_on >= 0 and a finding of that class or above exists. */
static int run_analysis(struct store *st, const struct audit_config *cfg, const struct rules *r,
			int fail_on, int strict)
{
	struct analyze_opts o = { cfg->as_of, cfg->quarter, cfg->rules_dir, NULL };
	struct analyze_summary sum;
	int rc = strict ? check_quality(st, r, strict, NULL) : EXIT_OK;

	if (rc != EXIT_OK)
		return rc;
	if (!strict) {
		phase_stage("run");
		o.cc = crosscheck_begin(st, r);
		if (!o.cc)
			return EXIT_DB;
		phase("cross-file checks: known values");
	}
	int arc = analyze_run(st, r, &o, &sum);
	if (!strict && (rc = check_quality(st, r, 0, o.cc)) != EXIT_OK)
		return rc;
	phase_stage("run");
	if (arc || record_agency(st, sum.run_id, cfg))
		return EXIT_DB;
	analyze_print_summary(&sum);
	/* what no case of [output] cases covers yet: to be reported to NARA */
	struct report_coverage cov;
	char line[300];
	if (report_coverage(st, sum.run_id, (const char *const *)cfg->cases, cfg->ncases, &cov))
		return EXIT_DB;
	report_coverage_sentence(&cov, line, sizeof(line));
	printf("not yet reported to NARA: %s\n", line);
	phase("summary and coverage");
	if (fail_on >= 0 && analyze_worst_class(&sum) >= fail_on) {
		printf("findings at or above '%s': exit 1 (--fail-on)\n", finding_class_names[fail_on]);
		return EXIT_FINDINGS;
	}
	return EXIT_OK;
}

static int run_validate(struct cli_args *a)
{
	return a->npos != 1 ? cli_usage_error(a, "need exactly one CONFIG.ini") : -1;
}

static int run_run(struct cli_args *a)
{
	const char *fail = cli_get(a, O_FAIL_ON);
	int strict = cli_count(a, O_STRICT) > 0, rc = EXIT_OK;
	int fail_on = fail ? finding_class_from_name(fail) : -1;
	struct audit_config cfg = { 0 };
	struct store *st = NULL;

	phase_stage("run");
	if (config_load(a->pos[0], &cfg))
		return EXIT_INPUT;
	struct rules *rules = NULL;
	rc = check_config(&cfg, &rules);
	phase("config and rules");
	if (rc != EXIT_OK) {
		config_release(&cfg);
		return rc;
	}
	char *db_dir = path_dirname(cfg.db);
	if (make_dirs(cfg.output_dir) || make_dirs(db_dir)) {
		free(db_dir);
		rules_free(rules);
		config_release(&cfg);
		return EXIT_DB;
	}
	free(db_dir);
	st = store_open(cfg.db, 1);
	if (!st) {
		rules_free(rules);
		config_release(&cfg);
		return EXIT_DB;
	}
	printf("udaudit run: %s (%s, as of %s)\n", cfg.path,
	       cfg.quarter ? cfg.quarter : "no quarter", cfg.as_of ? cfg.as_of : "-");
	phase("open audit DB");
	int failed = load_inputs(st, &cfg, strict);
	failed += load_tracker(st, &cfg, strict);
	if (failed) {
		diag_error(NULL, "%d input%s not loaded; fix %s and run again (nothing was analyzed)",
			   failed, failed == 1 ? "" : "s", failed == 1 ? "it" : "them");
		rc = EXIT_INPUT;
	}
	if (!failed)
		rc = run_analysis(st, &cfg, rules, fail_on, strict);
	if (!failed && (rc == EXIT_OK || rc == EXIT_FINDINGS)) {
		int wrc = write_workbooks(st, &cfg);
		if (wrc != EXIT_OK)
			rc = wrc;
		wrc = write_case_reports(st, &cfg);
		if (wrc != EXIT_OK)
			rc = wrc;
	}
	store_close(st);
	phase_stage("run");
	phase("close");
	rules_free(rules);
	config_release(&cfg);
	return rc;
}

const struct cli_command cmd_run = {
	"run", run_run, "load everything audit.ini names, analyze, write all reports",
	run_synopsis, run_opts, run_notes, NULL, run_validate, 0,
};
