/* udaudit: find and report the unauthorized disposition of federal records
 * kept in messaging apps. main() only dispatches (git-style table). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "diag.h"
#include "store.h"

/* Each command declares its options, help and setup (cli.h): main() only
 * picks it. */
static const struct cli_command *const commands[] = {
	&cmd_init, &cmd_run, &cmd_ingest, &cmd_analyze, &cmd_findings, &cmd_rules, &cmd_verify, &cmd_inputs,
	&cmd_tracker, &cmd_report, NULL,
};

static void print_help(FILE *fp)
{
	fputs("usage: udaudit [--version] [--help] [-q] COMMAND [ARGS]\n\n"
	      "Find and report the unauthorized disposition of records kept in\n"
	      "messaging apps (36 CFR 1230, 44 U.S.C. 3106 and 2911).\n\ncommands:\n", fp);
	for (const struct cli_command *const *c = commands; *c; c++)
		fprintf(fp, "  %-10s %s\n", (*c)->name, (*c)->summary);
	fputs("\n'udaudit COMMAND --help' shows a command's options.\n\n"
	      "exit codes: 0 success; 1 findings at or above --fail-on CLASS;\n"
	      "2 usage error; 3 bad input or rules; 4 database or output error\n", fp);
}

/* As git's run_builtin: what a command printed must have reached stdout (a
 * full disk, a closed pipe), and an error of the audit database is exit 4
 * whatever the command made of it (a bad-input code, a silent loop end). */
static int finish(int rc)
{
	int bad, e;

	errno = 0;
	bad = fflush(stdout) != 0 || ferror(stdout);
	e = errno;
	if (fclose(stdout) != 0 && !bad) {
		bad = 1;
		e = errno;
	}
	if (bad) {
		diag_error(NULL, "write error on standard output: %s",
			   e ? strerror(e) : "unknown error");
		return EXIT_DB;
	}
	if (rc != EXIT_USAGE && (store_failures_seen() & STORE_FAIL_DB))
		return EXIT_DB;
	return rc;
}

static int dispatch(int argc, char **argv)
{
	int i = 1;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--version")) {
			printf("udaudit %s\n", UDAUDIT_VERSION);
			return EXIT_OK;
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			print_help(stdout);
			return EXIT_OK;
		} else if (!strcmp(argv[i], "-q") || !strcmp(argv[i], "--quiet")) {
			diag_set_quiet(1);
		} else {
			fprintf(stderr, "udaudit: error: unknown option '%s'\n", argv[i]);
			print_help(stderr);
			return EXIT_USAGE;
		}
	}
	if (i >= argc) {
		print_help(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[i], "help")) {
		print_help(stdout);
		return EXIT_OK;
	}
	for (const struct cli_command *const *c = commands; *c; c++)
		if (!strcmp(argv[i], (*c)->name))
			return cli_run(*c, argc - i, argv + i);
	fprintf(stderr, "udaudit: error: unknown command '%s'\n", argv[i]);
	print_help(stderr);
	return EXIT_USAGE;
}

int main(int argc, char **argv)
{
	return finish(dispatch(argc, argv));
}
