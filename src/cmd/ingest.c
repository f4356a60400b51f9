/* udaudit ingest: load files of one kind into the audit database. */
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

void ingest_print_result(const char *kind, const char *path, const struct ingest_result *res)
{
	if (res->status == INGEST_ALREADY && res->skipped)
		printf("%-15s %-40s already loaded (sha256 %.12s), nothing added; %lu record%s"
		       " skipped then (rows skipped for a reference load when it appears)\n",
		       kind, path, res->sha256, res->skipped, res->skipped == 1 ? " was" : "s were");
	else if (res->status == INGEST_ALREADY)
		printf("%-15s %-40s already loaded (sha256 %.12s), nothing added\n",
		       kind, path, res->sha256);
	else if (res->status == INGEST_LOADED && res->superseded && res->side_changed)
		printf("%-15s %-40s %8lu records %6lu skipped  sha256 %.12s, replaces the version"
		       " read with another %s= file\n", kind, path, res->records, res->skipped,
		       res->sha256, res->side_changed);
	else if (res->status == INGEST_LOADED && res->superseded)
		printf("%-15s %-40s %8lu records %6lu skipped  sha256 %.12s, replaces %.12s\n",
		       kind, path, res->records, res->skipped, res->sha256, res->old_sha256);
	else if (res->status == INGEST_LOADED)
		printf("%-15s %-40s %8lu records %6lu skipped  sha256 %.12s\n",
		       kind, path, res->records, res->skipped, res->sha256);
	else
		printf("%-15s %-40s FAILED (not loaded)\n", kind, path);
}

/* The kinds, each with the options it takes (--opt KEY=VALUE, or
 * key=value on an [inputs] line). */
static void list_kinds(FILE *fp)
{
	fputs("input kinds:\n", fp);
	for (const struct ingest_kind *k = ingest_kinds; k->name; k++) {
		const char *const *opt = ingest_kind_options(k);
		fprintf(fp, "  %-15s %s\n", k->name, k->summary);
		for (int i = 0; opt[i]; i++)
			fprintf(fp, "%s%s%s", i ? ", " : "                  options: ", opt[i],
				opt[i + 1] ? "" : "\n");
	}
}

enum {
	O_DB, O_STRICT, O_RULES, O_ACCOUNT, O_SELF, O_DEVICE, O_CONVERSATION, O_TZ,
	O_DATE_ORDER, O_OPT
};

static const struct cli_opt ingest_opts[] = {
	[O_DB] = { "db", 0, "DB", "the audit database (created, mode 0600)", CLI_ANY, 0 },
	[O_STRICT] = { "strict", 0, NULL, "a bad record fails the file (exit 3)", CLI_ANY, 0 },
	[O_RULES] = { "rules", 0, "DIR", "rule packs (for adapters that map app ids)", CLI_ANY, 0 },
	[O_ACCOUNT] = { "account", 0, "ACCOUNT",
			"WhatsApp: the exporting account (e.g. whatsapp:+15550100001)", CLI_ANY, 0 },
	[O_SELF] = { "self", 0, "NAME", "WhatsApp: the exporter's display name", CLI_ANY, 0 },
	[O_DEVICE] = { "device", 0, "ID", "WhatsApp: the device the export came from", CLI_ANY, 0 },
	[O_CONVERSATION] = { "conversation", 0, "ID",
			     "WhatsApp: conversation id (default: from the file name)", CLI_ANY, 0 },
	[O_TZ] = { "tz", 0, "OFFSET", "offset of times without a zone (e.g. -05:00; +00:00 accepts\n"
		   "them as UTC): WhatsApp, Wickr time_iso, and the zoned formats\n"
		   "(usage, device-apps, compliance, rsmf, teams, purview)", CLI_ANY, 0 },
	[O_DATE_ORDER] = { "date-order", 0, "ORDER", "local dates (WhatsApp, Intune): dmy, mdy or ymd",
			   CLI_ANY, 0 },
	[O_OPT] = { "opt", 0, "KEY=VALUE", "any other option of the kind", CLI_ANY, 0 },
	{ NULL, 0, NULL, NULL, CLI_ANY, 0 },
};

static const char *const ingest_synopsis[] = {
	"udaudit ingest --db DB [--strict] [OPTIONS] KIND FILE...", NULL
};

static const char *const ingest_notes[] = {
	"Each file is one transaction: a file that fails leaves the database as it",
	"was. A file already loaded (same SHA-256) adds nothing. Options may come",
	"anywhere; `--` ends them (for a file named like an option).",
	NULL
};

/* Before the database is created: the kind, the files, the --opt values. */
static int ingest_validate(struct cli_args *a)
{
	int nkey = 0;

	for (int i = 0; i < a->nvals; i++) {
		nkey += a->vals[i].opt >= O_ACCOUNT;
		if (a->vals[i].opt == O_OPT) {
			const char *eq = strchr(a->vals[i].value, '=');
			if (!eq || eq == a->vals[i].value)
				return cli_usage_error(a, "--opt needs KEY=VALUE, not '%s'",
						       a->vals[i].value);
		}
	}
	if (nkey > 32)
		return cli_usage_error(a, "too many options");
	if (!cli_get(a, O_DB))
		return cli_usage_error(a, "--db is required");
	if (a->npos < 2) {
		int rc = cli_usage_error(a, "need a KIND and at least one FILE");
		list_kinds(stderr);
		return rc;
	}
	if (!ingest_find_kind(a->pos[0])) {
		char hint[600];
		ingest_kind_hint(a->pos[0], hint, sizeof(hint));
		int rc = cli_usage_error(a, "unknown input kind '%s'%s", a->pos[0], hint);
		list_kinds(stderr);
		return rc;
	}
	return -1;
}

static int ingest_run(struct cli_args *a)
{
	static const char *const keys[] = {
		[O_ACCOUNT] = "account", [O_SELF] = "self", [O_DEVICE] = "device",
		[O_CONVERSATION] = "conversation", [O_TZ] = "tz", [O_DATE_ORDER] = "date_order",
	};
	struct ingest_opt opt[32];
	struct ingest_opts opts = { cli_count(a, O_STRICT) > 0, cli_get(a, O_RULES), opt, 0,
				    NULL, NULL, NULL };
	const struct ingest_kind *kind = ingest_find_kind(a->pos[0]);
	char *keys_of_opt[32];          /* the KEY of each --opt KEY=VALUE */
	int failed = 0, nkeys = 0;

	for (int i = 0; i < a->nvals && opts.nopt < 32; i++) {
		int o = a->vals[i].opt;
		const char *v = a->vals[i].value;
		if (o == O_OPT) {
			const char *eq = strchr(v, '=');
			opt[opts.nopt].key = keys_of_opt[nkeys++] = xstrndup(v, (size_t)(eq - v));
			opt[opts.nopt++].value = eq + 1;
		} else if (o >= O_ACCOUNT && o <= O_DATE_ORDER) {
			opt[opts.nopt].key = keys[o];
			opt[opts.nopt++].value = v;
		}
	}
	int bad_opts = ingest_check_options(kind, opt, opts.nopt, NULL) != 0;
	/* the installation's rules (whatsapp.ini), never ./rules */
	char *inst = opts.rules_dir ? NULL : data_dir("rules");
	if (inst)
		opts.rules_dir = inst;
	for (int i = 1; !bad_opts && i < a->npos; i++) {
		struct ingest_result res;
		if (ingest_file(a->st, kind, a->pos[i], &opts, &res))
			failed = 1;
		ingest_print_result(kind->name, a->pos[i], &res);
	}
	for (int i = 0; i < nkeys; i++)
		free(keys_of_opt[i]);
	free(inst);
	if (bad_opts)
		return EXIT_USAGE;
	return failed ? EXIT_INPUT : EXIT_OK;
}

const struct cli_command cmd_ingest = {
	"ingest", ingest_run, "load input files of one kind into the audit database",
	ingest_synopsis, ingest_opts, ingest_notes, list_kinds, ingest_validate,
	CLI_DB | CLI_DB_CREATE,
};
