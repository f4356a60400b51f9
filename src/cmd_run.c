/* udaudit run: the quarterly job. Load every input audit.ini names (each
 * file one transaction), then analyze and write the reports. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "config.h"
#include "diag.h"
#include "ingest.h"
#include "store.h"
#include "xalloc.h"

static const char *const run_usage[] = {
	"udaudit run [--strict] CONFIG.ini",
	"",
	"  --strict   a bad record fails its file (exit 3)",
	"",
	"Loads every input the config names (printing records, skipped and the",
	"SHA-256 per file), analyzes, and writes the reports to the output folder.",
	NULL
};

/* Step 1: every input, one transaction each. Returns the number that failed. */
static int load_inputs(struct store *st, const struct audit_config *cfg, int strict)
{
	int failed = 0;

	printf("%-15s %-40s %8s %14s  %s\n", "kind", "file", "", "", "");
	for (size_t i = 0; i < cfg->ninputs; i++) {
		const struct audit_input *in = &cfg->inputs[i];
		struct ingest_opts opts = { strict, cfg->rules_dir, in->opt, in->nopt };
		struct ingest_result res;
		if (ingest_file(st, in->kind, in->path, &opts, &res))
			failed++;
		ingest_print_result(in->kind, in->path, &res);
	}
	return failed;
}

int cmd_run(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "strict", no_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct audit_config cfg;
	struct store *st = NULL;
	int c, strict = 0, rc = EXIT_OK;

	optind = 0;
	while ((c = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		switch (c) {
		case 's': strict = 1; break;
		case 'h':
			usage_print(stdout, run_usage);
			return EXIT_OK;
		default:
			usage_print(stderr, run_usage);
			return EXIT_USAGE;
		}
	}
	if (argc - optind != 1)
		return usage_error(run_usage, "need exactly one CONFIG.ini");
	if (config_load(argv[optind], &cfg))
		return EXIT_INPUT;
	char *db_dir = path_dirname(cfg.db);
	if (make_dirs(cfg.output_dir) || make_dirs(db_dir)) {
		free(db_dir);
		config_release(&cfg);
		return EXIT_DB;
	}
	free(db_dir);
	st = store_open(cfg.db, 1);
	if (!st) {
		config_release(&cfg);
		return EXIT_DB;
	}
	printf("udaudit run: %s (%s, as of %s)\n", cfg.path,
	       cfg.quarter ? cfg.quarter : "no quarter", cfg.as_of ? cfg.as_of : "-");
	int failed = load_inputs(st, &cfg, strict);
	if (failed) {
		diag_error(NULL, "%d input%s not loaded; fix %s and run again (nothing was analyzed)",
			   failed, failed == 1 ? "" : "s", failed == 1 ? "it" : "them");
		rc = EXIT_INPUT;
	}
	store_close(st);
	config_release(&cfg);
	return rc;
}
