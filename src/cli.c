/* cli: what the subcommands share. */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config.h"
#include "diag.h"
#include "findings.h"
#include "store.h"
#include "timeutil.h"
#include "xalloc.h"

void usage_print(FILE *fp, const char *const *usage)
{
	fprintf(fp, "usage: %s\n", usage[0]);
	for (int i = 1; usage[i]; i++)
		fprintf(fp, "%s\n", usage[i]);
}

int usage_error(const char *const *usage, const char *fmt, ...)
{
	va_list ap;

	fputs("udaudit: error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	usage_print(stderr, usage);
	return EXIT_USAGE;
}

int make_dirs(const char *path)
{
	char *p = xstrdup(path);
	int rc = 0;

	for (char *s = p + 1; ; s++) {
		if (*s == '/' || !*s) {
			char c = *s;
			*s = '\0';
			if (mkdir(p, 0700) != 0 && errno != EEXIST) {
				rc = diag_error(NULL, "cannot create directory '%s': %s", p, strerror(errno));
				break;
			}
			*s = c;
			if (!c)
				break;
		}
	}
	free(p);
	return rc;
}

/* ---- option tables ---- */

#define HELP_MAX_COL 24     /* an option longer than this has its help below */

static int opt_head(char *head, size_t size, const struct cli_opt *o)
{
	if (o->letter)
		return snprintf(head, size, "  -%c, --%s%s%s", o->letter, o->name,
				o->arg ? " " : "", o->arg ? o->arg : "");
	return snprintf(head, size, "  --%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
}

/* The option lines, their help in one column (help lines of '\n' under it). */
static void print_opts(FILE *fp, const struct cli_opt *opts)
{
	char head[96];
	int col = 0;

	for (const struct cli_opt *o = opts; o->name; o++) {
		int n = opt_head(head, sizeof(head), o) + 2;
		if (n <= HELP_MAX_COL && n > col)
			col = n;
	}
	for (const struct cli_opt *o = opts; o->name; o++) {
		int n = opt_head(head, sizeof(head), o);
		fputs(head, fp);
		if (n + 2 > col) {
			fputc('\n', fp);
			n = 0;
		}
		for (const char *h = o->help; ; ) {
			const char *nl = strchr(h, '\n');
			fprintf(fp, "%*s%.*s\n", col - n, "", nl ? (int)(nl - h) : (int)strlen(h), h);
			if (!nl)
				break;
			h = nl + 1;
			n = 0;
		}
	}
}

void cli_help(FILE *fp, const struct cli_command *c)
{
	fprintf(fp, "usage: %s\n", c->synopsis[0]);
	for (int i = 1; c->synopsis[i]; i++)
		fprintf(fp, "%s\n", c->synopsis[i]);
	if (c->opts && c->opts[0].name) {
		fputc('\n', fp);
		print_opts(fp, c->opts);
	}
	if (c->notes) {
		fputc('\n', fp);
		for (int i = 0; c->notes[i]; i++)
			fprintf(fp, "%s\n", c->notes[i]);
	}
	if (c->more_help) {
		fputc('\n', fp);
		c->more_help(fp);
	}
}

static int vusage_error(const struct cli_command *c, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
static int vusage_error(const struct cli_command *c, const char *fmt, va_list ap)
{
	fputs("udaudit: error: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	fprintf(stderr, "usage: %s\n", c->synopsis[0]);
	for (int i = 1; c->synopsis[i]; i++)
		fprintf(stderr, "%s\n", c->synopsis[i]);
	fprintf(stderr, "('udaudit %s --help' lists the options)\n", c->name);
	return EXIT_USAGE;
}

int cli_usage_error(const struct cli_args *a, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vusage_error(a->cmd, fmt, ap);
	va_end(ap);
	return rc;
}

static int usage_err(const struct cli_command *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int usage_err(const struct cli_command *c, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vusage_error(c, fmt, ap);
	va_end(ap);
	return rc;
}

const char *cli_get(const struct cli_args *a, int opt)
{
	const char *v = NULL;

	for (int i = 0; i < a->nvals; i++)
		if (a->vals[i].opt == opt)
			v = a->vals[i].value ? a->vals[i].value : "";
	return v;
}

int cli_count(const struct cli_args *a, int opt)
{
	int n = 0;

	for (int i = 0; i < a->nvals; i++)
		n += a->vals[i].opt == opt;
	return n;
}

/* The shared validators: one message for each kind of value. */
static int check_value(const struct cli_command *c, const struct cli_opt *o, const char *v)
{
	long long day;
	char end[TIME_DATE_LEN];

	switch (o->check) {
	case CLI_DATE:
		if (time_parse_date(v, &day))
			return usage_err(c, "bad date '%s' for --%s (expected YYYY-MM-DD)", v, o->name);
		break;
	case CLI_QUARTER:
		if (quarter_end(v, end))
			return usage_err(c, "bad quarter '%s' (expected YYYYQn)", v);
		break;
	case CLI_CLASS:
		if (finding_class_from_name(v) < 0) {
			char hint[400];
			finding_class_hint(v, hint, sizeof(hint));
			return usage_err(c, "bad class '%s' for --%s%s", v, o->name, hint);
		}
		break;
	case CLI_TYPE:
		if (finding_type_from_name(v) < 0) {
			char hint[400];
			finding_type_hint(v, hint, sizeof(hint));
			return usage_err(c, "bad finding type '%s' for --%s%s", v, o->name, hint);
		}
		break;
	case CLI_ANY:
		break;
	}
	return -1;
}

/* getopt_long over the table (permuting: options anywhere; `--` ends
 * them). -1 to go on, else an exit code (help printed, usage error). */
static int parse(const struct cli_command *c, int argc, char **argv, struct cli_args *a)
{
	int n = 0, ch, idx;
	char shorts[64] = ":hq";
	size_t ns = 3;

	while (c->opts[n].name)
		n++;
	struct option *lo = xcalloc((size_t)n + 3, sizeof(*lo));
	for (int i = 0; i < n; i++) {
		lo[i] = (struct option){ c->opts[i].name, c->opts[i].arg ? required_argument :
					 no_argument, NULL, 256 + i };
		if (c->opts[i].letter && ns + 3 < sizeof(shorts)) {
			shorts[ns++] = c->opts[i].letter;
			if (c->opts[i].arg)
				shorts[ns++] = ':';
		}
	}
	shorts[ns] = '\0';
	lo[n] = (struct option){ "help", no_argument, NULL, 'h' };
	lo[n + 1] = (struct option){ "quiet", no_argument, NULL, 'q' };
	a->vals = xcalloc((size_t)argc + 1, sizeof(*a->vals));
	a->pos = xcalloc((size_t)argc + 1, sizeof(*a->pos));
	optind = 0;
	opterr = 0;
	int rc = -1;
	while (rc < 0 && (ch = getopt_long(argc, argv, shorts, lo, &idx)) != -1) {
		int opt = ch >= 256 ? ch - 256 : -1;   /* a long option, else by letter */
		if (ch == 'h') {
			cli_help(stdout, c);
			rc = EXIT_OK;
			break;
		} else if (ch == 'q') {
			diag_set_quiet(1);
			continue;
		} else if (ch == '?' || ch == ':') {
			const char *what = argv[optind - 1];
			if (optopt && optopt < 256)
				rc = usage_err(c, ch == ':' ? "option '-%c' needs a value" :
					       "unknown option '-%c'", optopt);
			else
				rc = usage_err(c, ch == ':' ? "option '%s' needs a value" :
					       "unknown option '%s'", what);
			break;
		}
		for (int i = 0; opt < 0 && i < n; i++)
			if (c->opts[i].letter == ch)
				opt = i;
		if (opt < 0)
			continue;
		if (c->opts[opt].arg)
			rc = check_value(c, &c->opts[opt], optarg);
		a->vals[a->nvals++] = (struct cli_val){ opt, c->opts[opt].arg ? optarg : NULL };
	}
	free(lo);
	if (rc >= 0)
		return rc;
	while (optind < argc)
		a->pos[a->npos++] = argv[optind++];
	for (int i = 0; i < n; i++)
		if (c->opts[i].required && !cli_count(a, i))
			return usage_err(c, "--%s is required", c->opts[i].name);
	return -1;
}

int cli_no_args(struct cli_args *a)
{
	return a->npos ? cli_usage_error(a, "unexpected argument '%s'", a->pos[0]) : -1;
}

static int db_option(const struct cli_command *c)
{
	for (int i = 0; c->opts[i].name; i++)
		if (!strcmp(c->opts[i].name, "db"))
			return i;
	return -1;
}

int cli_run(const struct cli_command *c, int argc, char **argv)
{
	struct cli_args a = { c, argc, argv, NULL, 0, NULL, 0, NULL };
	int rc = -1;

	if (!c->opts)           /* parses its own arguments (subcommands) */
		return c->run(&a);
	rc = parse(c, argc, argv, &a);
	if (rc < 0 && c->validate)
		rc = c->validate(&a);
	if (rc < 0 && (c->setup & CLI_DB)) {
		int d = db_option(c);
		const char *db = d >= 0 ? cli_get(&a, d) : NULL;
		if (!db)
			rc = usage_err(c, "--db is required");
		else if (!(a.st = c->setup & CLI_DB_READONLY ? store_open_audit_readonly(db) :
				  store_open(db, (c->setup & CLI_DB_CREATE) != 0)))
			rc = EXIT_DB;
	}
	if (rc < 0)
		rc = c->run(&a);
	store_close(a.st);
	free(a.vals);
	free(a.pos);
	return rc;
}
