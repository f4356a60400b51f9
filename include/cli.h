/* cli: the subcommands (one file each, cmd_<name>.c) and what they share:
 * exit codes, usage printing, option helpers. */
#ifndef UDAUDIT_CLI_H
#define UDAUDIT_CLI_H

#include <stdio.h>

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

struct ingest_result;
/* One line per loaded file (ingest and run). */
void ingest_print_result(const char *kind, const char *path, const struct ingest_result *res);

/* Create a directory and its parents (mode 0700 for new ones); 0 or -1. */
int make_dirs(const char *path);

/* Each command parses its own options (getopt_long, optind reset) and
 * returns an exit code; argv[0] is the command name. */
int cmd_ingest(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_analyze(int argc, char **argv);
int cmd_findings(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_tracker(int argc, char **argv);
int cmd_report(int argc, char **argv);

#endif
