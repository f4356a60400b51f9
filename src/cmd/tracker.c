/* udaudit tracker import|update|list: the corrective-action tracker
 * (spec §3.6). Import goes through ingest_file, so tracker CSVs are in the
 * input manifest and a file loaded twice adds nothing; update records one
 * dated status change; list shows what is open, overdue first. */
#include <getopt.h>
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

static const char *const import_usage[] = {
	"udaudit tracker import --db DB [--strict] [--recommendations F] [--actions F]",
	"                       [--updates F] [--cases F]",
	"",
	"  --db DB    the audit database (created, mode 0600)",
	"  --strict   a bad record fails its file (exit 3)",
	"",
	"Files load in the order cases, recommendations, actions, updates (an",
	"action's refs must resolve). Each file is one transaction; a file already",
	"loaded (same SHA-256) adds nothing.",
	NULL
};

static const char *const update_usage[] = {
	"udaudit tracker update --db DB (--action ID | --recommendation REPORT#N | --case ID)",
	"                       (--status S | --percent N) --on DATE [--note TEXT] [--evidence REF]",
	"udaudit tracker update --db DB --case ID --sent DATE [--note TEXT]",
	"",
	"  --status S     actions: Not started, In progress, Complete, Closed;",
	"                 recommendations: Open - Unresolved, Open - Resolved,",
	"                 Closed - Implemented, Closed - Not Implemented; cases: Open, Closed",
	"  --percent N    actions: percent complete, 0 to 100 (Complete and Closed are 100);",
	"                 without --status the status stays (Not started becomes In progress)",
	"  --on DATE      YYYY-MM-DD of the change",
	"  --sent DATE    a letter on the case went to NARA that day: the first is its",
	"                 report (the case is no longer overdue), later ones status letters",
	"  --evidence REF what shows the work was done (required to close an action or",
	"                 a recommendation that has none on file)",
	"",
	"Exit 3 when the update is refused (unknown item, bad status or date, closing",
	"without evidence).",
	NULL
};

static const char *const list_usage[] = {
	"udaudit tracker list --db DB [--as-of DATE] [--all]",
	"",
	"  --as-of DATE   count days overdue to DATE (default: the audit's as_of, the",
	"                 latest analysis run's)",
	"  --all          also list closed and completed items",
	NULL
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

static int tracker_import(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "strict", no_argument, NULL, 's' },
		{ "cases", required_argument, NULL, 0 },
		{ "recommendations", required_argument, NULL, 1 },
		{ "actions", required_argument, NULL, 2 },
		{ "updates", required_argument, NULL, 3 },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *file[4] = { NULL, NULL, NULL, NULL };      /* tracker_load_order */
	struct ingest_opts opts = { 0, NULL, NULL, 0 };
	const char *db = NULL;
	struct store *st;
	int c, failed = 0, any = 0;

	optind = 0;
	while ((c = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 's': opts.strict = 1; break;
		case 0: case 1: case 2: case 3:
			if (file[c])
				return usage_error(import_usage, "--%s given twice", tracker_load_order[c]);
			file[c] = optarg;
			any = 1;
			break;
		case 'h':
			usage_print(stdout, import_usage);
			return EXIT_OK;
		default:
			usage_print(stderr, import_usage);
			return EXIT_USAGE;
		}
	}
	if (!db)
		return usage_error(import_usage, "--db is required");
	if (optind < argc)
		return usage_error(import_usage, "unexpected argument '%s'", argv[optind]);
	if (!any)
		return usage_error(import_usage, "name at least one file to import");
	st = store_open(db, 1);
	if (!st)
		return EXIT_DB;
	for (int i = 0; i < 4; i++) {
		struct ingest_result res;
		if (!file[i])
			continue;
		if (ingest_file(st, ingest_find_kind(tracker_load_order[i]), file[i], &opts, &res))
			failed++;
		ingest_print_result(tracker_load_order[i], file[i], &res);
	}
	store_close(st);
	return failed ? EXIT_INPUT : EXIT_OK;
}

/* ---- update ---- */

static int tracker_update(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "action", required_argument, NULL, 'A' },
		{ "recommendation", required_argument, NULL, 'R' },
		{ "case", required_argument, NULL, 'C' },
		{ "status", required_argument, NULL, 's' },
		{ "on", required_argument, NULL, 'o' },
		{ "note", required_argument, NULL, 'n' },
		{ "evidence", required_argument, NULL, 'e' },
		{ "percent", required_argument, NULL, 'p' },
		{ "sent", required_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct tracker_update u = { .input_id = -1, .percent = -1 };
	const char *db = NULL, *sent = NULL, *letter = NULL;
	char why[512];
	struct store *st;
	int c, items = 0, rc;

	optind = 0;
	while ((c = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'A': u.kind = TK_ACTION; u.id = optarg; items++; break;
		case 'R': u.kind = TK_RECOMMENDATION; u.id = optarg; items++; break;
		case 'C': u.kind = TK_CASE; u.id = optarg; items++; break;
		case 's': u.status = optarg; break;
		case 'o': u.on = optarg; break;
		case 'n': u.note = optarg; break;
		case 'e': u.evidence = optarg; break;
		case 'p':
			if (tracker_parse_percent(optarg, &u.percent))
				return usage_error(update_usage, "bad percent '%s' for --percent"
						   " (expected 0 to 100)", optarg);
			break;
		case 'S': sent = optarg; break;
		case 'h':
			usage_print(stdout, update_usage);
			return EXIT_OK;
		default:
			usage_print(stderr, update_usage);
			return EXIT_USAGE;
		}
	}
	if (!db)
		return usage_error(update_usage, "--db is required");
	if (items != 1)
		return usage_error(update_usage, "name exactly one --action, --recommendation or --case");
	if (sent && (u.kind != TK_CASE || u.status || u.on || u.percent >= 0 || u.evidence))
		return usage_error(update_usage, "--sent goes with --case alone (and --note)");
	if (!sent && ((!u.status && u.percent < 0) || !u.on))
		return usage_error(update_usage, "%s is required",
				   !u.on ? "--on" : "--status (or --percent)");
	if (optind < argc)
		return usage_error(update_usage, "unexpected argument '%s'", argv[optind]);
	st = store_open(db, 0);
	if (!st)
		return EXIT_DB;
	if (store_begin(st)) {
		store_close(st);
		return EXIT_DB;
	}
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
	store_close(st);
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

static int tracker_list(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "as-of", required_argument, NULL, 'a' },
		{ "all", no_argument, NULL, 'A' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
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
	const char *db = NULL, *as_of_opt = NULL;
	struct list_item *items = NULL;
	size_t n = 0, alloc = 0, overdue = 0;
	char date[TIME_DATE_LEN];
	long long created, as_of;
	struct store *st;
	struct stmt *s;
	int c, all = 0, rc;

	optind = 0;
	while ((c = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'a': as_of_opt = optarg; break;
		case 'A': all = 1; break;
		case 'h':
			usage_print(stdout, list_usage);
			return EXIT_OK;
		default:
			usage_print(stderr, list_usage);
			return EXIT_USAGE;
		}
	}
	if (!db)
		return usage_error(list_usage, "--db is required");
	if (optind < argc)
		return usage_error(list_usage, "unexpected argument '%s'", argv[optind]);
	if (as_of_opt && time_parse_date(as_of_opt, &as_of))
		return usage_error(list_usage, "bad date '%s' for --as-of (expected YYYY-MM-DD)",
				   as_of_opt);
	st = store_open(db, 0);
	if (!st)
		return EXIT_DB;
	if (tracker_as_of(st, as_of_opt, &created, date)) {
		store_close(st);
		return EXIT_USAGE;
	}
	time_parse_date(date, &as_of);
	s = stmt_prepare(st, sql);
	if (!s) {
		store_close(st);
		return EXIT_DB;
	}
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
	store_close(st);
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

int cmd_tracker(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*run)(int argc, char **argv);
	} subs[] = {
		{ "import", tracker_import },
		{ "update", tracker_update },
		{ "list", tracker_list },
	};

	if (argc < 2) {
		usage_print(stderr, tracker_usage);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage_print(stdout, tracker_usage);
		return EXIT_OK;
	}
	for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++)
		if (!strcmp(argv[1], subs[i].name))
			return subs[i].run(argc - 1, argv + 1);
	return usage_error(tracker_usage, "unknown tracker command '%s'", argv[1]);
}
