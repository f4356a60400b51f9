/* udaudit findings: list the findings of one run (default: the latest
 * as_of) as a table, CSV (the columns of spec 4.3, in that order) or JSON
 * Lines with the same keys. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "analyze.h"
#include "cli.h"
#include "store.h"
#include "timeutil.h"

static const char *const findings_usage[] = {
	"udaudit findings --db DB [--format table|csv|json] [--type T] [--class C]",
	"                 [--office O] [--as-of DATE]",
	"",
	"  --format F    table (default), csv (spec 4.3 columns) or json (one object",
	"                per line, same keys)",
	"  --type T      only findings of that type (e.g. UNCAPTURED_DELETION)",
	"  --class C     only that class (actual, impending, threatened, policy)",
	"  --office O    only that office",
	"  --as-of DATE  the run of that as_of date (default: the latest)",
	NULL
};

static const char *const columns[] = {
	"finding_id", "type", "class", "severity", "office", "custodian_id", "account",
	"app", "device_id", "first_ts", "last_ts", "message_count", "conversation_count",
	"detail", NULL
};
enum { COL_FIRST_TS = 9, COL_LAST_TS = 10, COL_MESSAGES = 11, COL_CONVS = 12, NCOLS = 14 };

static void csv_cell(const char *v)
{
	if (!strpbrk(v, ",\"\r\n")) {
		fputs(v, stdout);
		return;
	}
	putchar('"');
	for (; *v; v++) {
		if (*v == '"')
			putchar('"');
		putchar(*v);
	}
	putchar('"');
}

static void json_string(const char *v)
{
	putchar('"');
	for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
		if (*p == '"' || *p == '\\')
			printf("\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", stdout);
		else if (*p == '\r')
			fputs("\\r", stdout);
		else if (*p == '\t')
			fputs("\\t", stdout);
		else if (*p < 0x20)
			printf("\\u%04x", *p);
		else
			putchar(*p);
	}
	putchar('"');
}

/* Cell text: timestamps as ISO 8601 UTC, NULL as "". */
static const char *cell(struct stmt *s, int col, char buf[TIME_ISO_LEN])
{
	if (stmt_is_null(s, col))
		return "";
	if (col == COL_FIRST_TS || col == COL_LAST_TS) {
		time_fmt_iso(stmt_int(s, col), buf);
		return buf;
	}
	return stmt_text(s, col);
}

int cmd_findings(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "format", required_argument, NULL, 'f' },
		{ "type", required_argument, NULL, 't' },
		{ "class", required_argument, NULL, 'c' },
		{ "office", required_argument, NULL, 'o' },
		{ "as-of", required_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db = NULL, *format = "table", *type = NULL, *cls = NULL, *office = NULL;
	const char *as_of = NULL;
	int c, rc;

	optind = 0;
	while ((c = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'f': format = optarg; break;
		case 't': type = optarg; break;
		case 'c': cls = optarg; break;
		case 'o': office = optarg; break;
		case 'a': as_of = optarg; break;
		case 'h':
			usage_print(stdout, findings_usage);
			return EXIT_OK;
		default:
			usage_print(stderr, findings_usage);
			return EXIT_USAGE;
		}
	}
	if (!db)
		return usage_error(findings_usage, "--db is required");
	if (optind < argc)
		return usage_error(findings_usage, "unexpected argument '%s'", argv[optind]);
	if (strcmp(format, "table") && strcmp(format, "csv") && strcmp(format, "json"))
		return usage_error(findings_usage, "bad format '%s' (expected table, csv or json)",
				   format);
	if (cls && finding_class_from_name(cls) < 0)
		return usage_error(findings_usage, "bad class '%s' (expected actual, impending,"
				   " threatened or policy)", cls);
	if (type) {
		int ok = 0;
		for (int i = 0; i < FT_COUNT; i++)
			ok |= !strcmp(type, finding_type_names[i]);
		if (!ok)
			return usage_error(findings_usage, "unknown type '%s'", type);
	}
	struct store *st = store_open(db, 0);
	if (!st)
		return EXIT_DB;
	struct stmt *s = stmt_prepare(st,
		"SELECT f.finding_id, f.type, f.class, f.severity, f.office, f.custodian_id,"
		" f.account, f.app, f.device_id, f.first_ts, f.last_ts, f.message_count,"
		" f.conversation_count, f.detail"
		" FROM findings f JOIN runs r ON r.run_id = f.run_id"
		" WHERE r.as_of = coalesce(?1, (SELECT max(as_of) FROM runs))"
		"  AND (?2 IS NULL OR f.type = ?2) AND (?3 IS NULL OR f.class = ?3)"
		"  AND (?4 IS NULL OR f.office = ?4)"
		" ORDER BY CASE f.class WHEN 'actual' THEN 0 WHEN 'impending' THEN 1"
		"  WHEN 'threatened' THEN 2 ELSE 3 END, f.type, coalesce(f.office, ''),"
		"  coalesce(f.custodian_id, ''), coalesce(f.account, ''),"
		"  coalesce(f.device_id, ''), f.first_ts, f.finding_id");
	if (!s) {
		store_close(st);
		return EXIT_DB;
	}
	stmt_bind_text(s, 1, as_of);
	stmt_bind_text(s, 2, type);
	stmt_bind_text(s, 3, cls);
	stmt_bind_text(s, 4, office);
	int csv = !strcmp(format, "csv"), json = !strcmp(format, "json");
	unsigned long n = 0;
	if (csv) {
		for (int i = 0; columns[i]; i++)
			printf("%s%s", i ? "," : "", columns[i]);
		putchar('\n');
	} else if (!json) {
		printf("%-16s %-10s %-19s %-32s %-12s %7s  %-10s %-10s\n", "FINDING", "CLASS",
		       "TYPE", "ACCOUNT", "DEVICE", "MSGS", "FIRST", "LAST");
	}
	while ((rc = stmt_step(s)) == 1) {
		char buf[TIME_ISO_LEN];
		n++;
		if (csv) {
			for (int i = 0; i < NCOLS; i++) {
				if (i)
					putchar(',');
				csv_cell(cell(s, i, buf));
			}
			putchar('\n');
		} else if (json) {
			putchar('{');
			for (int i = 0; i < NCOLS; i++) {
				printf("%s\"%s\":", i ? "," : "", columns[i]);
				if (stmt_is_null(s, i))
					fputs("null", stdout);
				else if (i == COL_MESSAGES || i == COL_CONVS)
					printf("%lld", stmt_int(s, i));
				else
					json_string(cell(s, i, buf));
			}
			puts("}");
		} else {
			char d1[TIME_DATE_LEN] = "", d2[TIME_DATE_LEN] = "";
			if (!stmt_is_null(s, COL_FIRST_TS))
				time_fmt_day(stmt_int(s, COL_FIRST_TS), d1);
			if (!stmt_is_null(s, COL_LAST_TS))
				time_fmt_day(stmt_int(s, COL_LAST_TS), d2);
			const char *who = stmt_text(s, 6) ? stmt_text(s, 6) :
					  stmt_text(s, 5) ? stmt_text(s, 5) :
					  stmt_text(s, 7) ? stmt_text(s, 7) : "";
			printf("%-16s %-10s %-19s %-32s %-12s %7lld  %-10s %-10s\n", stmt_text(s, 0),
			       stmt_text(s, 2), stmt_text(s, 1), who,
			       stmt_text(s, 8) ? stmt_text(s, 8) : "", stmt_int(s, 11), d1, d2);
			printf("    %s\n", stmt_text(s, 13));
		}
	}
	if (!csv && !json && rc == 0)
		printf("%lu finding%s\n", n, n == 1 ? "" : "s");
	stmt_free(s);
	store_close(st);
	return rc < 0 ? EXIT_DB : EXIT_OK;
}
