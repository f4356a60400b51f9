/* udaudit verify: re-hash every input in the manifest. Records are
 * evidence: a changed or missing input is said, with exit 3. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "diag.h"
#include "hash.h"
#include "store.h"

static const char *const verify_usage[] = {
	"udaudit verify --db DB",
	"",
	"  --db DB    the audit database",
	"",
	"Prints each input with 'ok', 'CHANGED' or 'MISSING'; exit 3 if any input",
	"changed or is missing.",
	NULL
};

int cmd_verify(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db = NULL;
	struct store *st;
	struct stmt *s;
	int c, rc, bad = 0, n = 0;

	optind = 0;
	while ((c = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'h':
			usage_print(stdout, verify_usage);
			return EXIT_OK;
		default:
			usage_print(stderr, verify_usage);
			return EXIT_USAGE;
		}
	}
	if (!db)
		return usage_error(verify_usage, "--db is required");
	if (optind < argc)
		return usage_error(verify_usage, "unexpected argument '%s'", argv[optind]);
	st = store_open(db, 0);
	if (!st)
		return EXIT_DB;
	/* the absolute path recorded at load time finds the file from any
	   directory; databases from before it have only the path as given */
	s = stmt_prepare(st, "SELECT kind, path, size, sha256, coalesce(abs_path, path)"
			 " FROM inputs ORDER BY input_id");
	if (!s) {
		store_close(st);
		return EXIT_DB;
	}
	while ((rc = stmt_step(s)) == 1) {
		const char *kind = stmt_text(s, 0), *path = stmt_text(s, 1);
		const char *want = stmt_text(s, 3), *where = stmt_text(s, 4);
		char got[SHA256_HEX_LEN];
		long long size;
		n++;
		if (access(where, R_OK) != 0) {
			printf("MISSING  %-15s %s\n", kind, path);
			bad = 1;
		} else if (sha256_file(where, got, &size)) {
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
	store_close(st);
	if (rc < 0)
		return EXIT_DB;
	printf("%d input%s checked, %s\n", n, n == 1 ? "" : "s",
	       bad ? "some changed or missing" : "all unchanged");
	return bad ? EXIT_INPUT : EXIT_OK;
}
