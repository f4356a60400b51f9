/* udaudit inputs: the manifest's current inputs, and retiring what the
 * config no longer names. A new version of an input supersedes the old
 * one when it is loaded (ingest.c); an input that is simply gone from
 * audit.ini stays in the audit until it is retired here. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "config.h"
#include "diag.h"
#include "ingest.h"
#include "kinds.h"
#include "store.h"
#include "xalloc.h"

static const char *const inputs_usage[] = {
	"udaudit inputs list --db DB [--history] [CONFIG.ini]",
	"udaudit inputs retire --db DB ID...",
	"",
	"  --db DB      the audit database",
	"  --history    list: also the versions that were superseded or retired",
	"",
	"list prints the current version of each input (what the reports and",
	"verify show): id, kind, records, SHA-256 and path, and under it any side",
	"file an option of it names (kind 'teams users='); with CONFIG.ini, an",
	"input the config no longer names is marked 'not in CONFIG'. retire takes",
	"inputs out of the audit: their records are deleted, their manifest rows",
	"kept in the history. Tracker inputs are never retired (their recorded",
	"updates stay). Run analyze (or run) afterwards.",
	NULL
};

/* 1 when the config names the file (by its absolute path). */
static int config_names(const struct audit_config *cfg, const char *abs)
{
	int found = 0;

	for (size_t i = 0; abs && !found && i < cfg->ninputs; i++) {
		char *p = realpath(cfg->inputs[i].path, NULL);
		found = p && !strcmp(p, abs);
		free(p);
	}
	for (int i = 0; abs && !found && i < TRACK_COUNT; i++) {
		char *p = cfg->tracker[i] ? realpath(cfg->tracker[i], NULL) : NULL;
		found = p && !strcmp(p, abs);
		free(p);
	}
	return found;
}

static int list_inputs(struct store *st, int history, const struct audit_config *cfg)
{
	/* a current input's side files (teams' users=FILE) on rows after it,
	   as in the reports' manifests: no records of their own */
	struct stmt *s = stmt_prepare(st,
		"SELECT input_id, kind, records, sha256, path, abs_path, NULL, NULL, 0 FROM inputs"
		" UNION ALL SELECT f.input_id, i.kind || ' ' || f.option || '=', NULL, f.sha256,"
		" f.path, NULL, NULL, NULL, 1 FROM input_files f JOIN inputs i"
		"  ON i.input_id = f.input_id WHERE f.option IS NOT NULL"
		" UNION ALL SELECT input_id, kind, records, sha256, path, abs_path, reason,"
		" superseded_by, 0 FROM input_history WHERE ?1 ORDER BY 1, 9, 2");
	int rc, unnamed = 0;

	if (!s)
		return EXIT_DB;
	stmt_bind_int(s, 1, history);
	while ((rc = stmt_step(s)) == 1) {
		const char *reason = stmt_text(s, 6);
		if (stmt_int(s, 8)) {
			printf("      %-15s %8s  %.12s  %s\n", stmt_text(s, 1), "-", stmt_text(s, 3),
			       stmt_text(s, 4));
			continue;
		}
		printf("%4lld  %-15s %8lld  %.12s  %s", stmt_int(s, 0), stmt_text(s, 1),
		       stmt_int(s, 2), stmt_text(s, 3), stmt_text(s, 4));
		if (reason && !stmt_is_null(s, 7))
			printf("  (%s by %lld)", reason, stmt_int(s, 7));
		else if (reason)
			printf("  (%s)", reason);
		else if (cfg && !config_names(cfg, stmt_text(s, 5))) {
			printf("  (not in %s)", cfg->path);
			unnamed++;
		}
		putchar('\n');
	}
	stmt_free(s);
	if (rc < 0)
		return EXIT_DB;
	if (unnamed)
		printf("%d input%s not named by %s: 'udaudit inputs retire --db DB ID...'"
		       " takes them out\n", unnamed, unnamed == 1 ? "" : "s", cfg->path);
	return EXIT_OK;
}

static int retire_one(struct store *st, const char *arg)
{
	char *end;
	long long id = strtoll(arg, &end, 10);
	struct stmt *s;
	char *kind = NULL, *path = NULL;
	int rc;

	if (*end || id <= 0)
		return usage_error(inputs_usage, "bad input id '%s' (see 'udaudit inputs list')", arg);
	s = stmt_prepare(st, "SELECT kind, path FROM inputs WHERE input_id = ?1");
	if (!s)
		return EXIT_DB;
	stmt_bind_int(s, 1, id);
	rc = stmt_step(s);
	if (rc == 1) {
		kind = xstrdup(stmt_text(s, 0));
		path = xstrdup(stmt_text(s, 1));
	}
	stmt_free(s);
	if (rc < 0)
		return EXIT_DB;
	if (rc == 0) {
		diag_error(NULL, "no current input %lld (see 'udaudit inputs list')", id);
		return EXIT_INPUT;
	}
	const struct ingest_kind *k = ingest_find_kind(kind);
	if (k && k->keep_versions) {
		diag_error(NULL, "input %lld is a tracker file ('%s'): tracker inputs are never"
			   " retired, so no recorded update is lost", id, kind);
		rc = EXIT_INPUT;
	} else if (store_begin(st) || ingest_retire(st, id, 0, "retired") || store_commit(st)) {
		store_rollback(st);
		rc = EXIT_DB;
	} else {
		printf("retired %lld  %-15s %s\n", id, kind, path);
		rc = EXIT_OK;
	}
	free(kind);
	free(path);
	return rc;
}

static int inputs_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "history", no_argument, NULL, 'H' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db = NULL, *verb;
	int c, history = 0, rc = EXIT_OK;
	struct store *st;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage_print(argc < 2 ? stderr : stdout, inputs_usage);
		return argc < 2 ? EXIT_USAGE : EXIT_OK;
	}
	verb = argv[1];
	if (strcmp(verb, "list") && strcmp(verb, "retire"))
		return usage_error(inputs_usage, "unknown inputs command '%s' (expected list or retire)",
				   verb);
	optind = 0;
	while ((c = getopt_long(argc - 1, argv + 1, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'H': history = 1; break;
		case 'h':
			usage_print(stdout, inputs_usage);
			return EXIT_OK;
		default:
			usage_print(stderr, inputs_usage);
			return EXIT_USAGE;
		}
	}
	argc--;
	argv++;
	if (!db)
		return usage_error(inputs_usage, "--db is required");
	if (!strcmp(verb, "retire") && optind >= argc)
		return usage_error(inputs_usage, "retire needs at least one input ID");
	if (!strcmp(verb, "list") && argc - optind > 1)
		return usage_error(inputs_usage, "list takes at most one CONFIG.ini");
	st = store_open(db, 0);
	if (!st)
		return EXIT_DB;
	if (!strcmp(verb, "list")) {
		struct audit_config cfg = { 0 };
		int have = optind < argc;
		if (have && config_load(argv[optind], &cfg)) {
			store_close(st);
			return EXIT_INPUT;
		}
		rc = list_inputs(st, history, have ? &cfg : NULL);
		if (have)
			config_release(&cfg);
	} else {
		for (int i = optind; i < argc; i++) {
			int r = retire_one(st, argv[i]);
			if (r != EXIT_OK && rc == EXIT_OK)
				rc = r;
		}
	}
	store_close(st);
	return rc;
}

static int inputs_run(struct cli_args *a)
{
	return inputs_main(a->argc, a->argv);
}

/* inputs has subcommands (list, retire): it parses its own arguments */
const struct cli_command cmd_inputs = {
	"inputs", inputs_run, "list the current inputs; retire those the config no longer names",
	inputs_usage, NULL, NULL, NULL, NULL, 0,
};
