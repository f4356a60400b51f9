/* udaudit verify: re-hash every input in the manifest. Records are
 * evidence: a changed or missing input is said, with exit 3. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "diag.h"
#include "dirin.h"
#include "hash.h"
#include "store.h"

static const struct cli_opt verify_opts[] = {
	{ "db", 0, "DB", "the audit database", CLI_ANY, 0 },
	{ NULL, 0, NULL, NULL, CLI_ANY, 0 },
};

static const char *const verify_synopsis[] = { "udaudit verify --db DB", NULL };

static const char *const verify_notes[] = {
	"Prints each input with 'ok', 'CHANGED' or 'MISSING'; exit 3 if any input",
	"changed or is missing.",
	NULL
};

static int verify_run(struct cli_args *a)
{
	struct store *st = a->st;
	struct stmt *s;
	int rc, bad = 0, n = 0;

	/* the absolute path recorded at load time finds the file from any
	   directory; databases from before it have only the path as given */
	s = stmt_prepare(st, "SELECT kind, path, size, sha256, coalesce(abs_path, path)"
			 " FROM inputs ORDER BY input_id");
	if (!s)
		return EXIT_DB;
	while ((rc = stmt_step(s)) == 1) {
		const char *kind = stmt_text(s, 0), *path = stmt_text(s, 1);
		const char *want = stmt_text(s, 3), *where = stmt_text(s, 4);
		char got[SHA256_HEX_LEN];
		long long size;
		n++;
		if (access(where, R_OK) != 0) {
			printf("MISSING  %-15s %s\n", kind, path);
			bad = 1;
		} else if (dirin_sha256_input(where, got, &size)) {
			printf("MISSING  %-15s %s (cannot read)\n", kind, path);
			bad = 1;
		} else if (strcmp(got, want)) {
			printf("CHANGED  %-15s %s (sha256 was %.12s, is %.12s; size was %lld, is %lld)\n",
			       kind, path, want, got, stmt_int(s, 2), size);
			bad = 1;
		} else {
			printf("ok       %-15s %s\n", kind, path);
		}
	}
	stmt_free(s);
	if (rc < 0)
		return EXIT_DB;
	printf("%d input%s checked, %s\n", n, n == 1 ? "" : "s",
	       bad ? "some changed or missing" : "all unchanged");
	return bad ? EXIT_INPUT : EXIT_OK;
}

const struct cli_command cmd_verify = {
	"verify", verify_run, "re-hash every input in the manifest and say which changed",
	verify_synopsis, verify_opts, verify_notes, NULL, cli_no_args, CLI_DB,
};
