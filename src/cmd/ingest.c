/* udaudit ingest: load files of one kind into the audit database. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "diag.h"
#include "ingest.h"
#include "kinds.h"
#include "store.h"
#include "xalloc.h"

static const char *const ingest_usage[] = {
	"udaudit ingest --db DB [--strict] [OPTIONS] KIND FILE...",
	"",
	"  --db DB              the audit database (created, mode 0600)",
	"  --strict             a bad record fails the file (exit 3)",
	"  --rules DIR          rule packs (for adapters that map app ids)",
	"  --account ACCOUNT    WhatsApp: the exporting account (e.g. whatsapp:+15550100001)",
	"  --self NAME          WhatsApp: the exporter's display name",
	"  --device ID          WhatsApp: the device the export came from",
	"  --conversation ID    WhatsApp: conversation id (default: from the file name)",
	"  --tz OFFSET          offset of local times (WhatsApp, Wickr time_iso; e.g. -05:00)",
	"  --date-order ORDER   local dates (WhatsApp, Intune): dmy, mdy or ymd",
	"  --opt KEY=VALUE      any other option of the kind",
	"",
	"Each file is one transaction: a file that fails leaves the database as it",
	"was. A file already loaded (same SHA-256) adds nothing.",
	NULL
};

void ingest_print_result(const char *kind, const char *path, const struct ingest_result *res)
{
	if (res->status == INGEST_ALREADY && res->skipped)
		printf("%-15s %-40s already loaded (sha256 %.12s), nothing added; %lu record%s"
		       " skipped then (rows skipped for a reference load when it appears)\n",
		       kind, path, res->sha256, res->skipped, res->skipped == 1 ? " was" : "s were");
	else if (res->status == INGEST_ALREADY)
		printf("%-15s %-40s already loaded (sha256 %.12s), nothing added\n",
		       kind, path, res->sha256);
	else if (res->status == INGEST_LOADED)
		printf("%-15s %-40s %8lu records %6lu skipped  sha256 %.12s\n",
		       kind, path, res->records, res->skipped, res->sha256);
	else
		printf("%-15s %-40s FAILED (not loaded)\n", kind, path);
}

static void list_kinds(void)
{
	fputs("input kinds:\n", stderr);
	for (const struct ingest_kind *k = ingest_kinds; k->name; k++)
		fprintf(stderr, "  %-15s %s\n", k->name, k->summary);
}

int cmd_ingest(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "strict", no_argument, NULL, 's' },
		{ "rules", required_argument, NULL, 'r' },
		{ "account", required_argument, NULL, 'a' },
		{ "self", required_argument, NULL, 'S' },
		{ "device", required_argument, NULL, 'D' },
		{ "conversation", required_argument, NULL, 'c' },
		{ "tz", required_argument, NULL, 't' },
		{ "date-order", required_argument, NULL, 'o' },
		{ "opt", required_argument, NULL, 'O' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct ingest_opt opt[32];
	struct ingest_opts opts = { 0, NULL, opt, 0 };
	const char *db = NULL;
	const struct ingest_kind *kind;
	struct store *st;
	int c, failed = 0;

	optind = 0;
	while ((c = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		const char *key = NULL;
		switch (c) {
		case 'd': db = optarg; break;
		case 's': opts.strict = 1; break;
		case 'r': opts.rules_dir = optarg; break;
		case 'a': key = "account"; break;
		case 'S': key = "self"; break;
		case 'D': key = "device"; break;
		case 'c': key = "conversation"; break;
		case 't': key = "tz"; break;
		case 'o': key = "date_order"; break;
		case 'O': {
			char *eq = strchr(optarg, '=');
			if (!eq || eq == optarg)
				return usage_error(ingest_usage, "--opt needs KEY=VALUE, not '%s'", optarg);
			*eq = '\0';
			key = optarg;
			optarg = eq + 1;
			break;
		}
		case 'h':
			usage_print(stdout, ingest_usage);
			return EXIT_OK;
		default:
			usage_print(stderr, ingest_usage);
			return EXIT_USAGE;
		}
		if (key) {
			if (opts.nopt >= 32)
				return usage_error(ingest_usage, "too many options");
			opt[opts.nopt].key = key;
			opt[opts.nopt++].value = optarg;
		}
	}
	if (!db)
		return usage_error(ingest_usage, "--db is required");
	if (argc - optind < 2) {
		int rc = usage_error(ingest_usage, "need a KIND and at least one FILE");
		list_kinds();
		return rc;
	}
	kind = ingest_find_kind(argv[optind]);
	if (!kind) {
		int rc = usage_error(ingest_usage, "unknown input kind '%s'", argv[optind]);
		list_kinds();
		return rc;
	}
	st = store_open(db, 1);
	if (!st)
		return EXIT_DB;
	for (int i = optind + 1; i < argc; i++) {
		struct ingest_result res;
		if (ingest_file(st, kind, argv[i], &opts, &res))
			failed = 1;
		ingest_print_result(argv[optind], argv[i], &res);
	}
	store_close(st);
	return failed ? EXIT_INPUT : EXIT_OK;
}
