/* udaudit verify: re-hash every input in the manifest. Records are
 * evidence: a changed or missing input is said, with exit 3. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "diag.h"
#include "dirin.h"
#include "hash.h"
#include "store.h"
#include "xalloc.h"

static const struct cli_opt verify_opts[] = {
	{ "db", 0, "DB", "the audit database", CLI_ANY, 0 },
	{ NULL, 0, NULL, NULL, CLI_ANY, 0 },
};

static const char *const verify_synopsis[] = { "udaudit verify --db DB", NULL };

static const char *const verify_notes[] = {
	"Prints each input with 'ok', 'CHANGED' or 'MISSING', and after it each file",
	"an option of it named (a side file, as teams users=FILE); exit 3 if any",
	"input or side file changed or is missing.",
	NULL
};

enum file_state { FILE_OK, FILE_MISSING, FILE_UNREADABLE, FILE_CHANGED };

/* The line of one input or side file (label: its kind, or "kind option=");
 * 1 when it is not ok. got and is: the digest and size now (FILE_CHANGED). */
static int say_file(enum file_state fs, const char *label, const char *path, const char *want,
		    const char *got, long long was, long long is)
{
	switch (fs) {
	case FILE_OK:
		printf("ok       %-15s %s\n", label, path);
		return 0;
	case FILE_MISSING:
		printf("MISSING  %-15s %s\n", label, path);
		break;
	case FILE_UNREADABLE:
		printf("MISSING  %-15s %s (cannot read)\n", label, path);
		break;
	case FILE_CHANGED:
		printf("CHANGED  %-15s %s (sha256 was %.12s, is %.12s; size was %lld, is %lld)\n",
		       label, path, want, got, was, is);
		break;
	}
	return 1;
}

/* A changed folder input (an unzipped export): which of its files changed,
 * went missing or are new, against the files the manifest listed
 * (input_files); both lists are in byte order of the names. */
static void folder_changes(struct store *st, long long input_id, const char *where)
{
	struct dirin *d = dirin_open(where);
	struct stmt *s = d ? stmt_prepare(st, "SELECT path, sha256 FROM input_files"
					 " WHERE input_id = ?1 ORDER BY path") : NULL;
	char **name = NULL, **sha = NULL, hex[SHA256_HEX_LEN];
	size_t n = 0, alloc = 0, alloc2 = 0, i = 0, k = 0;
	long long size;

	if (s && !dirin_hash(d, hex, &size)) {
		stmt_bind_int(s, 1, input_id);
		while (stmt_step(s) == 1) {
			name = xgrow(name, n + 1, &alloc, sizeof(*name));
			sha = xgrow(sha, n + 1, &alloc2, sizeof(*sha));
			name[n] = xstrdup(stmt_text(s, 0));
			sha[n++] = xstrdup(stmt_text(s, 1));
		}
		while (k < n || i < dirin_count(d)) {
			int c = k >= n ? 1 : i >= dirin_count(d) ? -1 : strcmp(name[k], dirin_name(d, i));
			if (c < 0)
				printf("           missing  %s\n", name[k++]);
			else if (c > 0)
				printf("           new      %s\n", dirin_name(d, i++));
			else if (strcmp(sha[k++], dirin_file_sha256(d, i++)))
				printf("           changed  %s\n", name[k - 1]);
		}
	}
	for (size_t m = 0; m < n; m++) {
		free(name[m]);
		free(sha[m]);
	}
	free(name);
	free(sha);
	stmt_free(s);
	dirin_close(d);
}

/* The side files of an input (a file an option named, as teams'
 * users=FILE), each re-hashed as the inputs are: 1 when one changed or is
 * missing. *n counts them. */
static int side_files(struct store *st, long long input_id, const char *kind, int *n)
{
	struct stmt *s = stmt_prepare(st, "SELECT option, path, size, sha256,"
				      " coalesce(abs_path, path) FROM input_files"
				      " WHERE input_id = ?1 AND option IS NOT NULL ORDER BY option");
	int bad = 0;

	if (!s)
		return 1;
	stmt_bind_int(s, 1, input_id);
	while (stmt_step(s) == 1) {
		const char *path = stmt_text(s, 1), *want = stmt_text(s, 3);
		const char *where = stmt_text(s, 4);
		char label[64], got[SHA256_HEX_LEN] = "";
		long long size = 0;
		snprintf(label, sizeof(label), "%s %s=", kind, stmt_text(s, 0));
		(*n)++;
		enum file_state fs = access(where, R_OK) != 0 || dirin_is_dir(where) == 1 ?
			FILE_MISSING : sha256_file(where, got, &size) ? FILE_UNREADABLE :
			strcmp(got, want) ? FILE_CHANGED : FILE_OK;
		bad |= say_file(fs, label, path, want, got, stmt_int(s, 2), size);
	}
	stmt_free(s);
	return bad;
}

static int verify_run(struct cli_args *a)
{
	struct store *st = a->st;
	struct stmt *s;
	int rc, bad = 0, n = 0, nside = 0;

	/* the absolute path recorded at load time finds the file from any
	   directory; databases from before it have only the path as given */
	s = stmt_prepare(st, "SELECT kind, path, size, sha256, coalesce(abs_path, path),"
			 " input_id FROM inputs ORDER BY input_id");
	if (!s)
		return EXIT_DB;
	while ((rc = stmt_step(s)) == 1) {
		const char *kind = stmt_text(s, 0), *path = stmt_text(s, 1);
		const char *want = stmt_text(s, 3), *where = stmt_text(s, 4);
		char got[SHA256_HEX_LEN] = "";
		long long size = 0;
		n++;
		enum file_state fs = access(where, R_OK) != 0 ? FILE_MISSING :
			dirin_sha256_input(where, got, &size) ? FILE_UNREADABLE :
			strcmp(got, want) ? FILE_CHANGED : FILE_OK;
		bad |= say_file(fs, kind, path, want, got, stmt_int(s, 2), size);
		if (fs == FILE_CHANGED && dirin_is_dir(where) == 1)
			folder_changes(st, stmt_int(s, 5), where);
		bad |= side_files(st, stmt_int(s, 5), kind, &nside);
	}
	stmt_free(s);
	if (rc < 0)
		return EXIT_DB;
	printf("%d input%s", n, n == 1 ? "" : "s");
	if (nside)
		printf(" and %d side file%s", nside, nside == 1 ? "" : "s");
	printf(" checked, %s\n", bad ? "some changed or missing" : "all unchanged");
	return bad ? EXIT_INPUT : EXIT_OK;
}

const struct cli_command cmd_verify = {
	"verify", verify_run, "re-hash every input in the manifest and say which changed",
	verify_synopsis, verify_opts, verify_notes, NULL, cli_no_args, CLI_DB,
};
