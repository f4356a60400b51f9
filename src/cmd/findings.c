/* udaudit findings: list the findings of one run (default: the latest
 * as_of) as a table, CSV (the columns of spec 4.3, in that order) or JSON
 * Lines with the same keys. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli.h"
#include "diag.h"
#include "findings.h"
#include "store.h"
#include "timeutil.h"
#include "xalloc.h"

enum { O_DB, O_FORMAT, O_TYPE, O_CLASS, O_OFFICE, O_AS_OF };

static const struct cli_opt findings_opts[] = {
	[O_DB] = { "db", 0, "DB", "the audit database", CLI_ANY, 0 },
	[O_FORMAT] = { "format", 0, "F", "table (default), csv (spec 4.3 columns) or json (one object\n"
		       "per line, same keys)", CLI_ANY, 0 },
	[O_TYPE] = { "type", 0, "T", "only findings of that type (e.g. UNCAPTURED_DELETION;\n"
		     "any case)", CLI_TYPE, 0 },
	[O_CLASS] = { "class", 0, "C", "only that class (actual, impending, threatened, policy;\n"
		      "any case)", CLI_CLASS, 0 },
	[O_OFFICE] = { "office", 0, "O", "only that office", CLI_ANY, 0 },
	[O_AS_OF] = { "as-of", 0, "DATE", "the run of that as_of date (default: the latest)",
		      CLI_DATE, 0 },
	{ NULL, 0, NULL, NULL, CLI_ANY, 0 },
};

static const char *const findings_synopsis[] = {
	"udaudit findings --db DB [--format table|csv|json] [--type T] [--class C]",
	"                 [--office O] [--as-of DATE]",
	NULL
};

static const char *const columns[] = {
	"finding_id", "type", "class", "severity", "office", "custodian_id", "account",
	"app", "device_id", "first_ts", "last_ts", "message_count", "conversation_count",
	"detail", NULL
};
enum { COL_FIRST_TS = 9, COL_LAST_TS = 10, COL_MESSAGES = 11, COL_CONVS = 12, NCOLS = 14 };

/* RFC 4180, and a cell a spreadsheet would run as a formula (= + - @, tab,
 * CR first: OWASP's CSV injection) gets a single quote in front. */
static void csv_cell(const char *v)
{
	int formula = *v && strchr("=+-@\t\r", *v) != NULL;

	if (!strpbrk(v, ",\"\r\n")) {
		if (formula)
			putchar('\'');
		fputs(v, stdout);
		return;
	}
	putchar('"');
	if (formula)
		putchar('\'');
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

/* ---- the table: it fits the terminal ---- */

#define DEFAULT_WIDTH 160       /* not a terminal and no $COLUMNS (README) */

/* $COLUMNS, else the terminal's width, else DEFAULT_WIDTH; at least 40. */
static int table_width(void)
{
	const char *env = getenv("COLUMNS");
	struct winsize ws;
	long w = 0;

	if (env && *env) {
		char *end;
		w = strtol(env, &end, 10);
		if (*end || w <= 0 || w > 10000)
			w = 0;
	}
	if (!w && isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0)
		w = ws.ws_col;
	if (!w)
		w = DEFAULT_WIDTH;
	return w < 40 ? 40 : (int)w;
}

/* s (NULL: "") as it may reach a terminal (diag_put_safe); a new string. */
static char *term_text(const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	if (!fp)
		return xstrdup("");
	if (s)
		diag_put_safe(fp, s, strlen(s));
	fclose(fp);
	return buf ? buf : xstrdup("");
}

/* Columns of a UTF-8 string: its code points (no wide-character tables). */
static size_t text_cols(const char *s, size_t n)
{
	size_t c = 0;

	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xC0) != 0x80;
	return c;
}

/* The bytes of s that fill at most cols columns. */
static size_t bytes_for_cols(const char *s, size_t cols)
{
	size_t i = 0, c = 0;

	for (; s[i]; i++) {
		if (((unsigned char)s[i] & 0xC0) != 0x80 && c++ == cols)
			break;
	}
	return i;
}

/* One cell of width w (left-aligned, padded unless last; right-aligned when
 * right is set), cut with an ellipsis when longer. */
static void put_cell(const char *s, int w, int right, int last)
{
	size_t n = strlen(s), cols = text_cols(s, n);

	if (cols > (size_t)w) {
		fwrite(s, 1, bytes_for_cols(s, (size_t)w - 1), stdout);
		fputs("\xe2\x80\xa6", stdout);          /* U+2026 ... */
		return;
	}
	if (right)
		printf("%*s%s", w - (int)cols, "", s);
	else if (last)
		fputs(s, stdout);
	else
		printf("%s%*s", s, w - (int)cols, "");
}

/* text wrapped at spaces to width (a word longer than that is cut), each
 * line indented by indent spaces. */
static void put_wrapped(const char *text, int indent, int width)
{
	int avail = width - indent > 20 ? width - indent : 20;
	const char *p = text;

	while (*p == ' ')
		p++;
	while (*p) {
		size_t n = strlen(p), fit = bytes_for_cols(p, (size_t)avail);
		if (fit < n) {
			size_t cut = fit;
			while (cut > 0 && p[cut] != ' ')
				cut--;
			if (cut > 0)
				fit = cut;
		}
		printf("%*s%.*s\n", indent, "", (int)fit, p);
		p += fit;
		while (*p == ' ')
			p++;
	}
}

enum { T_ID, T_CLASS, T_TYPE, T_OFFICE, T_CUSTODIAN, T_ACCOUNT, T_DEVICE, T_MSGS, T_FIRST,
       T_LAST, T_COLS };

struct table {
	int width, wide;        /* wide: office ... device on the first line */
	int w[T_COLS];
};

/* The widths: the fixed columns, then what is left for office, custodian,
 * account and device, each at least its minimum; below that they go to a
 * second line of the row. */
static void table_layout(struct table *t, int width)
{
	static const int fixed[T_COLS] = { 16, 10, 19, 0, 0, 0, 0, 5, 10, 10 };
	static const int min[T_COLS] = { [T_OFFICE] = 10, [T_CUSTODIAN] = 9, [T_ACCOUNT] = 24,
					 [T_DEVICE] = 8 };
	static const int max[T_COLS] = { [T_OFFICE] = 24, [T_CUSTODIAN] = 12, [T_ACCOUNT] = 40,
					 [T_DEVICE] = 12 };
	int used = T_COLS - 1, left;

	memcpy(t->w, fixed, sizeof(fixed));
	t->width = width;
	for (int i = 0; i < T_COLS; i++)
		used += fixed[i] + min[i];
	t->wide = used <= width;
	if (!t->wide)
		return;
	left = width - used;
	for (int i = 0; i < T_COLS; i++)
		t->w[i] += min[i];
	/* the rest to account first, then office, device, custodian */
	static const int order[] = { T_ACCOUNT, T_OFFICE, T_DEVICE, T_CUSTODIAN };
	for (size_t k = 0; k < sizeof(order) / sizeof(order[0]) && left > 0; k++) {
		int c = order[k], more = max[c] - t->w[c];
		if (more > left)
			more = left;
		t->w[c] += more;
		left -= more;
	}
}

/* One line of the table: the cells of its columns (office ... device only
 * when wide). */
static void put_line(const struct table *t, const char *const *cell)
{
	for (int i = 0; i < T_COLS; i++) {
		if (!t->wide && i >= T_OFFICE && i <= T_DEVICE)
			continue;
		if (i)
			putchar(' ');
		put_cell(cell[i], t->w[i], i == T_MSGS, i == T_LAST);
	}
	putchar('\n');
}

static void table_header(const struct table *t)
{
	static const char *const head[T_COLS] = {
		"FINDING", "CLASS", "TYPE", "OFFICE", "CUSTODIAN", "ACCOUNT", "DEVICE", "MSGS",
		"FIRST", "LAST",
	};
	put_line(t, head);
}

/* One finding: its line, office ... device below it when the table is
 * narrow, then the detail, wrapped. Every value is escaped for the
 * terminal. */
static void table_row(const struct table *t, struct stmt *s)
{
	char *cell[T_COLS] = { 0 };
	char msgs[24], d1[TIME_DATE_LEN] = "", d2[TIME_DATE_LEN] = "";
	static const int col_of[T_COLS] = { 0, 2, 1, 4, 5, 6, 8, -1, -1, -1 };

	for (int i = 0; i < T_COLS; i++)
		if (col_of[i] >= 0)
			cell[i] = term_text(stmt_text(s, col_of[i]));
	if (!stmt_is_null(s, COL_FIRST_TS))
		time_fmt_day(stmt_int(s, COL_FIRST_TS), d1);
	if (!stmt_is_null(s, COL_LAST_TS))
		time_fmt_day(stmt_int(s, COL_LAST_TS), d2);
	snprintf(msgs, sizeof(msgs), "%lld", stmt_int(s, COL_MESSAGES));
	cell[T_MSGS] = xstrdup(msgs);
	cell[T_FIRST] = xstrdup(d1);
	cell[T_LAST] = xstrdup(d2);
	put_line(t, (const char *const *)cell);
	if (!t->wide) {
		static const char *const label[] = { "office", "custodian", "account", "device" };
		char *line = NULL;
		size_t len = 0;
		FILE *fp = open_memstream(&line, &len);
		if (fp) {
			for (int i = T_OFFICE; i <= T_DEVICE; i++)
				if (*cell[i])
					fprintf(fp, "%s%s %s", ftell(fp) ? "  " : "", label[i - T_OFFICE],
						cell[i]);
			fclose(fp);
			if (line && *line)
				put_wrapped(line, 4, t->width);
			free(line);
		}
	}
	char *detail = term_text(stmt_text(s, 13));
	put_wrapped(detail, 4, t->width);
	free(detail);
	for (int i = 0; i < T_COLS; i++)
		free(cell[i]);
}

static int findings_validate(struct cli_args *a)
{
	const char *format = cli_get(a, O_FORMAT);

	if (a->npos)
		return cli_usage_error(a, "unexpected argument '%s'", a->pos[0]);
	if (format && strcasecmp(format, "table") && strcasecmp(format, "csv") && strcasecmp(format, "json"))
		return cli_usage_error(a, "bad format '%s' (expected table, csv or json)", format);
	return -1;      /* --type and --class: checked by the table (any case) */
}

static int findings_run(struct cli_args *a)
{
	const char *format = cli_get(a, O_FORMAT) ? cli_get(a, O_FORMAT) : "table";
	struct store *st = a->st;
	struct table table = { 0 };
	char order[160];
	int rc;

	char *sql = xasprintf(
		"SELECT f.finding_id, f.type, f.class, f.severity, f.office, f.custodian_id,"
		" f.account, f.app, f.device_id, f.first_ts, f.last_ts, f.message_count,"
		" f.conversation_count, f.detail"
		" FROM findings f JOIN runs r ON r.run_id = f.run_id"
		" WHERE r.as_of = coalesce(?1, (SELECT max(as_of) FROM runs))"
		"  AND (?2 IS NULL OR f.type = ?2) AND (?3 IS NULL OR f.class = ?3)"
		"  AND (?4 IS NULL OR f.office = ?4)"
		" ORDER BY %s, f.type, coalesce(f.office, ''),"
		"  coalesce(f.custodian_id, ''), coalesce(f.account, ''),"
		"  coalesce(f.device_id, ''), f.first_ts, f.finding_id",
		finding_class_order_sql("f.class", order, sizeof(order)));
	struct stmt *s = stmt_prepare(st, sql);
	free(sql);
	if (!s)
		return EXIT_DB;
	stmt_bind_text(s, 1, cli_get(a, O_AS_OF));
	int type = finding_type_from_name(cli_get(a, O_TYPE));
	int cls = finding_class_from_name(cli_get(a, O_CLASS));
	stmt_bind_text(s, 2, type >= 0 ? finding_type_names[type] : NULL);
	stmt_bind_text(s, 3, cls >= 0 ? finding_class_names[cls] : NULL);
	stmt_bind_text(s, 4, cli_get(a, O_OFFICE));
	int csv = !strcasecmp(format, "csv"), json = !strcasecmp(format, "json");
	unsigned long n = 0;
	if (csv) {
		for (int i = 0; columns[i]; i++)
			printf("%s%s", i ? "," : "", columns[i]);
		putchar('\n');
	} else if (!json) {
		table_layout(&table, table_width());
		table_header(&table);
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
			table_row(&table, s);
		}
	}
	if (!csv && !json && rc == 0)
		printf("%lu finding%s\n", n, n == 1 ? "" : "s");
	stmt_free(s);
	return rc < 0 ? EXIT_DB : EXIT_OK;
}

const struct cli_command cmd_findings = {
	"findings", findings_run, "list findings as a table, CSV or JSON",
	findings_synopsis, findings_opts, NULL, NULL, findings_validate, CLI_DB | CLI_DB_READONLY,
};
