/* cli: the subcommands (one file each, cmd_<name>.c) and what they share:
 * exit codes, usage printing, option helpers. */
#ifndef UDAUDIT_CLI_H
#define UDAUDIT_CLI_H

#include <stdio.h>

struct store;

#define UDAUDIT_VERSION "0.1.0"

enum exit_code {
	EXIT_OK = 0,
	EXIT_FINDINGS = 1,      /* findings at or above --fail-on CLASS */
	EXIT_USAGE = 2,
	EXIT_INPUT = 3,         /* bad input or rules */
	EXIT_DB = 4,            /* database or output error */
};

/* A usage array: first line is the synopsis, then option lines; NULL-ended. */
void usage_print(FILE *fp, const char *const *usage);
/* "udaudit: error: MESSAGE" then the usage on stderr; returns EXIT_USAGE. */
int usage_error(const char *const *usage, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Options: each command has one table of them, which both parses (GNU
 * style: options anywhere among the arguments, `--` ends them) and prints
 * its --help. Every command also takes -h/--help and -q/--quiet. */
enum cli_check {
	CLI_ANY = 0,
	CLI_DATE,               /* YYYY-MM-DD */
	CLI_QUARTER,            /* YYYYQn */
	CLI_CLASS,              /* a finding class: policy ... actual, any case */
	CLI_TYPE,               /* a finding type: DEVICE_LOSS ..., any case */
};

struct cli_opt {
	const char *name;       /* long name, without "--"; NULL ends a table */
	char letter;            /* short option, or 0 */
	const char *arg;        /* its argument in the help ("DB"); NULL: a flag */
	const char *help;       /* '\n' continues on the next line */
	enum cli_check check;
	int required;           /* "--NAME is required" when missing */
};

struct cli_args;

/* A command: its options and help, what it needs before it runs (a --db
 * opened, or created), and a check of the arguments that runs before the
 * database is opened (so a usage error creates nothing). */
enum cli_setup {
	CLI_DB = 1 << 0,        /* --db DB is required and opened */
	CLI_DB_CREATE = 1 << 1, /* ... created (mode 0600) when missing */
	CLI_DB_READONLY = 1 << 2, /* ... opened read-only (never upgraded) */
};

struct cli_command {
	const char *name;
	int (*run)(struct cli_args *a);
	const char *summary;
	const char *const *synopsis;    /* usage lines; NULL-ended */
	const struct cli_opt *opts;     /* NULL: the command parses argv itself */
	const char *const *notes;       /* help text after the options; may be NULL */
	void (*more_help)(FILE *fp);    /* e.g. the input kinds; may be NULL */
	int (*validate)(struct cli_args *a);    /* -1 to go on, else an exit code */
	unsigned setup;                 /* enum cli_setup */
};

struct cli_val {
	int opt;                /* index in the command's table */
	const char *value;      /* NULL for a flag */
};

struct cli_args {
	const struct cli_command *cmd;
	int argc;               /* the command's whole argv (argv[0]: its name) */
	char **argv;
	struct cli_val *vals;   /* every option given, in order */
	int nvals;
	char **pos;             /* the other arguments, in order */
	int npos;
	struct store *st;       /* opened for CLI_DB */
};

/* Parse, validate, set up, run, close: an exit code. */
int cli_run(const struct cli_command *c, int argc, char **argv);
/* The last value given for option opt, or NULL. */
const char *cli_get(const struct cli_args *a, int opt);
/* How many times option opt was given. */
int cli_count(const struct cli_args *a, int opt);
/* "udaudit: error: MESSAGE", the command's usage on stderr; EXIT_USAGE. */
int cli_usage_error(const struct cli_args *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void cli_help(FILE *fp, const struct cli_command *c);
/* A validate hook for commands without positional arguments. */
int cli_no_args(struct cli_args *a);

struct ingest_result;
/* One line per loaded file (ingest and run). */
void ingest_print_result(const char *kind, const char *path, const struct ingest_result *res);

/* Create a directory and its parents (mode 0700 for new ones); 0 or -1. */
int make_dirs(const char *path);

/* The commands (src/cmd/), in the order `udaudit --help` lists them. */
extern const struct cli_command cmd_run, cmd_ingest, cmd_analyze, cmd_findings, cmd_rules,
	cmd_verify, cmd_inputs, cmd_tracker, cmd_report, cmd_init;

#endif
