/* udaudit tracker import|update|list: the corrective-action tracker
 * (spec §3.6). Import goes through ingest_file, so tracker CSVs are in the
 * input manifest and a file loaded twice adds nothing; update records one
 * dated status change; list shows what is open, overdue first. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "diag.h"
#include "ingest.h"
#include "kinds.h"
#include "report.h"
#include "store.h"
#include "timeutil.h"
#include "tracker.h"
#include "xalloc.h"

enum { I_DB, I_STRICT, I_CASES, I_RECOMMENDATIONS, I_ACTIONS, I_UPDATES };

/* in tracker_load_order: cases, recommendations, actions, updates */
static const struct cli_opt import_opts[] = {
	[I_DB] = { "db", 0, "DB", "the audit database (created, mode 0600)", CLI_ANY, 0 },
	[I_STRICT] = { "strict", 0, NULL, "a bad record fails its file (exit 3)", CLI_ANY, 0 },
	[I_CASES] = { "cases", 0, "F", "NARA cases CSV", CLI_ANY, 0 },
	[I_RECOMMENDATIONS] = { "recommendations", 0, "F", "recommendations CSV", CLI_ANY, 0 },
	[I_ACTIONS] = { "actions", 0, "F", "corrective actions CSV", CLI_ANY, 0 },
	[I_UPDATES] = { "updates", 0, "F", "dated status updates CSV", CLI_ANY, 0 },
	{ NULL, 0, NULL, NULL, CLI_ANY, 0 },
};

static const char *const import_synopsis[] = {
	"udaudit tracker import --db DB [--strict] [--recommendations F] [--actions F]",
	"                       [--updates F] [--cases F]",
	NULL
};

static const char *const import_notes[] = {
	"Files load in the order cases, recommendations, actions, updates (an",
	"action's refs must resolve). Each file is one transaction; a file already",
	"loaded (same SHA-256) adds nothing.",
	NULL
};

enum {
	U_DB, U_ACTION, U_RECOMMENDATION, U_CASE, U_STATUS, U_PERCENT, U_ON, U_SENT, U_NOTE,
	U_EVIDENCE
};

static const struct cli_opt update_opts[] = {
	[U_DB] = { "db", 0, "DB", "the audit database", CLI_ANY, 0 },
	[U_ACTION] = { "action", 0, "ID", "the corrective action", CLI_ANY, 0 },
	[U_RECOMMENDATION] = { "recommendation", 0, "REPORT#N", "the recommendation", CLI_ANY, 0 },
	[U_CASE] = { "case", 0, "ID", "the NARA case", CLI_ANY, 0 },
	[U_STATUS] = { "status", 0, "S", "actions: Not started, In progress, Complete, Closed;\n"
		       "recommendations: Open - Unresolved, Open - Resolved,\n"
		       "Closed - Implemented, Closed - Not Implemented; cases: Open, Closed",
		       CLI_ANY, 0 },
	[U_PERCENT] = { "percent", 0, "N", "actions: percent complete, 0 to 100 (Complete and Closed are 100);\n"
			"without --status the status stays (Not started becomes In progress)",
			CLI_ANY, 0 },
	[U_ON] = { "on", 0, "DATE", "YYYY-MM-DD of the change", CLI_ANY, 0 },
	[U_SENT] = { "sent", 0, "DATE", "a letter on the case went to NARA that day: the first is its\n"
		     "report (the case is no longer overdue), later ones status letters", CLI_ANY, 0 },
	[U_NOTE] = { "note", 0, "TEXT", "a note kept with the update", CLI_ANY, 0 },
	[U_EVIDENCE] = { "evidence", 0, "REF", "what shows the work was done (required to close an\n"
			 "action or a recommendation that has none on file)", CLI_ANY, 0 },
	{ NULL, 0, NULL, NULL, CLI_ANY, 0 },
};

static const char *const update_synopsis[] = {
	"udaudit tracker update --db DB (--action ID | --recommendation REPORT#N | --case ID)",
	"                       (--status S | --percent N) --on DATE [--note TEXT] [--evidence REF]",
	"udaudit tracker update --db DB --case ID --sent DATE [--note TEXT]",
	NULL
};

static const char *const update_notes[] = {
	"Exit 3 when the update is refused (unknown item, bad status or date, closing",
	"without evidence).",
	NULL
};

enum { L_DB, L_AS_OF, L_ALL };

static const struct cli_opt list_opts[] = {
	[L_DB] = { "db", 0, "DB", "the audit database", CLI_ANY, 0 },
	[L_AS_OF] = { "as-of", 0, "DATE", "count days overdue to DATE (default: the audit's as_of, the\n"
		      "latest analysis run's)", CLI_DATE, 0 },
	[L_ALL] = { "all", 0, NULL, "also list closed and completed items", CLI_ANY, 0 },
	{ NULL, 0, NULL, NULL, CLI_ANY, 0 },
};

static const char *const list_synopsis[] = {
	"udaudit tracker list --db DB [--as-of DATE] [--all]", NULL
};

static const char *const tracker_usage[] = {
	"udaudit tracker (import | update | list) --db DB ...",
	"",
	"  import   load recommendations, actions, updates and cases CSVs (spec 3.6)",
	"  update   record a dated status change of one action, recommendation or case",
	"  list     open items, overdue first, with days overdue",
	NULL
};

/* ---- import ---- */

static int import_validate(struct cli_args *a)
{
	int any = 0;

	for (int i = I_CASES; i <= I_UPDATES; i++) {
		if (cli_count(a, i) > 1)
			return cli_usage_error(a, "--%s given twice", tracker_load_order[i - I_CASES]);
		any |= cli_count(a, i);
	}
	if (!cli_get(a, I_DB))
		return cli_usage_error(a, "--db is required");
	if (a->npos)
		return cli_usage_error(a, "unexpected argument '%s'", a->pos[0]);
	if (!any)
		return cli_usage_error(a, "name at least one file to import");
	return -1;
}

static int tracker_import(struct cli_args *a)
{
	struct ingest_opts opts = { cli_count(a, I_STRICT) > 0, NULL, NULL, 0, NULL, NULL, NULL };
	const char *file[4] = {                                 /* tracker_load_order */
		cli_get(a, I_CASES), cli_get(a, I_RECOMMENDATIONS), cli_get(a, I_ACTIONS),
		cli_get(a, I_UPDATES),
	};
	struct store *st = a->st;
	int failed = 0;

	for (int i = 0; i < 4; i++) {
		struct ingest_result res;
		if (!file[i])
			continue;
		if (ingest_file(st, ingest_find_kind(tracker_load_order[i]), file[i], &opts, &res))
			failed++;
		ingest_print_result(tracker_load_order[i], file[i], &res);
	}
	return failed ? EXIT_INPUT : EXIT_OK;
}

/* ---- update ---- */

/* The update named by the options (the item, what changed). */
static void update_of(const struct cli_args *a, struct tracker_update *u)
{
	u->kind = cli_get(a, U_ACTION) ? TK_ACTION : cli_get(a, U_RECOMMENDATION) ?
		  TK_RECOMMENDATION : TK_CASE;
	u->id = cli_get(a, U_ACTION) ? cli_get(a, U_ACTION) : cli_get(a, U_RECOMMENDATION) ?
		cli_get(a, U_RECOMMENDATION) : cli_get(a, U_CASE);
	u->status = cli_get(a, U_STATUS);
	u->on = cli_get(a, U_ON);
	u->note = cli_get(a, U_NOTE);
	u->evidence = cli_get(a, U_EVIDENCE);
	if (!cli_get(a, U_PERCENT) || tracker_parse_percent(cli_get(a, U_PERCENT), &u->percent))
		u->percent = -1;
}

static int update_validate(struct cli_args *a)
{
	int items = cli_count(a, U_ACTION) + cli_count(a, U_RECOMMENDATION) + cli_count(a, U_CASE);
	const char *sent = cli_get(a, U_SENT), *pct = cli_get(a, U_PERCENT);
	struct tracker_update u = { .input_id = -1, .percent = -1 };
	long long percent;

	if (!cli_get(a, U_DB))
		return cli_usage_error(a, "--db is required");
	if (items != 1)
		return cli_usage_error(a, "name exactly one --action, --recommendation or --case");
	if (pct && tracker_parse_percent(pct, &percent))
		return cli_usage_error(a, "bad percent '%s' for --percent (expected 0 to 100)", pct);
	update_of(a, &u);
	if (sent && (u.kind != TK_CASE || u.status || u.on || u.percent >= 0 || u.evidence))
		return cli_usage_error(a, "--sent goes with --case alone (and --note)");
	if (!sent && ((!u.status && u.percent < 0) || !u.on))
		return cli_usage_error(a, "%s is required", !u.on ? "--on" : "--status (or --percent)");
	if (a->npos)
		return cli_usage_error(a, "unexpected argument '%s'", a->pos[0]);
	return -1;
}

static int tracker_update(struct cli_args *a)
{
	struct tracker_update u = { .input_id = -1, .percent = -1 };
	const char *sent = cli_get(a, U_SENT), *letter = NULL;
	struct store *st = a->st;
	char why[512];
	int rc;

	update_of(a, &u);
	if (store_begin(st))
		return EXIT_DB;
	switch (sent ? tracker_record_letter(st, u.id, sent, u.note, why, sizeof(why), &letter)
		     : tracker_apply_update(st, &u, why, sizeof(why))) {
	case TU_APPLIED:
		rc = store_commit(st) ? EXIT_DB : EXIT_OK;
		if (rc == EXIT_OK && sent)
			printf("case '%s': %s sent to NARA on %s recorded\n", u.id,
			       !strcmp(letter, "report") ? "the report" : "a status letter", sent);
		else if (rc == EXIT_OK)
			printf("%s '%s': %s on %s recorded\n", tracker_kind_name(u.kind), u.id,
			       u.status ? tracker_norm_status(u.kind, u.status) : "update", u.on);
		break;
	case TU_DUPLICATE:
		store_rollback(st);
		printf("%s '%s': the same update is already recorded; nothing added\n",
		       tracker_kind_name(u.kind), u.id);
		rc = EXIT_OK;
		break;
	case TU_REFUSED:
		store_rollback(st);
		diag_error(NULL, "%s%s", why,
			   strstr(why, "without evidence") ? " (give --evidence REF)" : "");
		rc = EXIT_INPUT;
		break;
	default:
		store_rollback(st);
		rc = EXIT_DB;
		break;
	}
	return rc;
}

/* ---- list ---- */

struct list_item {
	enum tracker_kind kind;
	char *id, *status, *due, *owner, *title;
	long long overdue;
	const char *state;      /* tracker_standing */
};

static int cmp_items(const void *pa, const void *pb)
{
	const struct list_item *a = pa, *b = pb;
	int c;

	if (a->overdue != b->overdue)
		return a->overdue > b->overdue ? -1 : 1;
	/* then by due date, undated last */
	if (!*a->due != !*b->due)
		return !*a->due ? 1 : -1;
	if ((c = strcmp(a->due, b->due)) != 0)
		return c;
	if (a->kind != b->kind)
		return (int)a->kind - (int)b->kind;
	return strcmp(a->id, b->id);
}

/* At most max bytes of s, cut at a UTF-8 boundary, "..." when cut. */
static void print_cut(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n <= max) {
		fputs(s, stdout);
		return;
	}
	while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--;
	printf("%.*s...", (int)max, s);
}

static int tracker_list(struct cli_args *a)
{
	/* one query for the three kinds: kind, id, status, due, owner, title */
	static const char sql[] =
		"SELECT 0, action_id, status, coalesce(revised_due_on, due_on),"
		"  trim(coalesce(owner, '') || ' ' || coalesce('(' || owner_office || ')', '')),"
		"  title, NULL, 0 FROM actions"
		" UNION ALL SELECT 1, report_id || '#' || rec_no, status, target_on, source, text,"
		"  NULL, " TRACKER_ACTIONS_DONE_SQL("r.report_id || '#' || r.rec_no")
		"  FROM recommendations r"
		" UNION ALL SELECT 2, case_id, status, response_due_on, agency, records,"
		"  report_sent_on, 0 FROM cases";
	const char *as_of_opt = cli_get(a, L_AS_OF);
	struct list_item *items = NULL;
	size_t n = 0, alloc = 0, overdue = 0;
	char date[TIME_DATE_LEN];
	long long created, as_of;
	struct store *st = a->st;
	struct stmt *s;
	int all = cli_count(a, L_ALL) > 0, rc;

	if (tracker_as_of(st, as_of_opt, &created, date))
		return EXIT_USAGE;
	time_parse_date(date, &as_of);
	s = stmt_prepare(st, sql);
	if (!s)
		return EXIT_DB;
	while ((rc = stmt_step(s)) == 1) {
		enum tracker_kind k = (enum tracker_kind)stmt_int(s, 0);
		const char *status = stmt_text(s, 2);
		struct tracker_standing sd;
		if (!all && !tracker_is_pending(k, status))
			continue;
		tracker_standing(k, status, stmt_text(s, 3), stmt_text(s, 6), (int)stmt_int(s, 7),
				 as_of, &sd);
		items = xgrow(items, n + 1, &alloc, sizeof(*items));
		items[n] = (struct list_item){
			k, xstrdup(stmt_text(s, 1)), xstrdup(status ? status : "-"),
			xstrdup(stmt_text(s, 3) ? stmt_text(s, 3) : ""),
			xstrdup(stmt_text(s, 4) ? stmt_text(s, 4) : ""),
			xstrdup(stmt_text(s, 5) ? stmt_text(s, 5) : ""),
			sd.days, sd.state,
		};
		if (items[n].overdue)
			overdue++;
		n++;
	}
	stmt_free(s);
	if (rc < 0) {
		for (size_t i = 0; i < n; i++) {
			free(items[i].id); free(items[i].status); free(items[i].due);
			free(items[i].owner); free(items[i].title);
		}
		free(items);
		return EXIT_DB;
	}
	if (n)
		qsort(items, n, sizeof(*items), cmp_items);
	printf("%-15s %-18s %-25s %-10s %16s  %s\n", "kind", "id", "status", "due", "overdue",
	       "owner: title");
	for (size_t i = 0; i < n; i++) {
		struct list_item *it = &items[i];
		char late[24] = "-";
		if (it->overdue)
			snprintf(late, sizeof(late), "%lld d", it->overdue);
		else if (!strcmp(it->state, "awaiting closure") || !strcmp(it->state, "report sent"))
			snprintf(late, sizeof(late), "%s", it->state);
		printf("%-15s %-18s %-25s %-10s %16s  ", tracker_kind_name(it->kind), it->id,
		       it->status, *it->due ? it->due : "-", late);
		if (*it->owner)
			printf("%s: ", it->owner);
		print_cut(it->title, 60);
		putchar('\n');
		free(it->id); free(it->status); free(it->due); free(it->owner); free(it->title);
	}
	free(items);
	printf("%zu %s item%s, %zu overdue as of %s\n", n, all ? "tracked" : "open",
	       n == 1 ? "" : "s", overdue, date);
	return EXIT_OK;
}

static const struct cli_command tracker_subs[] = {
	{ "tracker import", tracker_import, NULL, import_synopsis, import_opts, import_notes,
	  NULL, import_validate, CLI_DB | CLI_DB_CREATE },
	{ "tracker update", tracker_update, NULL, update_synopsis, update_opts, update_notes,
	  NULL, update_validate, CLI_DB },
	{ "tracker list", tracker_list, NULL, list_synopsis, list_opts, NULL, NULL, cli_no_args,
	  CLI_DB },
};

static int tracker_run(struct cli_args *a)
{
	int argc = a->argc;
	char **argv = a->argv;

	if (argc < 2) {
		usage_print(stderr, tracker_usage);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage_print(stdout, tracker_usage);
		return EXIT_OK;
	}
	for (size_t i = 0; i < sizeof(tracker_subs) / sizeof(tracker_subs[0]); i++)
		if (!strcmp(argv[1], tracker_subs[i].name + strlen("tracker ")))
			return cli_run(&tracker_subs[i], argc - 1, argv + 1);
	return usage_error(tracker_usage, "unknown tracker command '%s'", argv[1]);
}

const struct cli_command cmd_tracker = {
	"tracker", tracker_run, "import, update and list recommendations, actions and NARA cases",
	NULL, NULL, NULL, NULL, NULL, 0,
};
