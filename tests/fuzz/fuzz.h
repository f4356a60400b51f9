/* Shared by the libFuzzer targets (tests/fuzz/fuzz_*.c) and the corpus
 * replay driver (replay.c): the entry point, and a helper that runs one
 * ingest kind over the input through the real ingest_file() path, into a
 * private in-memory audit database. */
#ifndef UDAUDIT_FUZZ_H
#define UDAUDIT_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "diag.h"
#include "ingest.h"
#include "kinds.h"
#include "store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Loaders read files: write the input under /dev/shm (memory, fast) or
 * $TMPDIR, one file per process so parallel jobs do not collide. */
static inline const char *fuzz_path(const char *suffix)
{
	static char path[256];
	const char *dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : getenv("TMPDIR");

	snprintf(path, sizeof(path), "%s/udaudit-fuzz-%ld%s", dir ? dir : "/tmp",
		 (long)getpid(), suffix);
	return path;
}

/* Delete every row of every table, so the next input sees a fresh DB. */
static inline void fuzz_empty(struct store *st)
{
	struct stmt *s = stmt_prepare(st, "SELECT name FROM sqlite_master WHERE type = 'table'"
				      " AND name NOT LIKE 'sqlite_%'");
	char sql[256];

	if (!s)
		abort();
	while (stmt_step(s) == 1) {
		snprintf(sql, sizeof(sql), "DELETE FROM \"%s\"", stmt_text(s, 0));
		if (store_exec(st, sql))
			abort();
	}
	stmt_free(s);
}

static inline int fuzz_ingest(const char *kind, const char *suffix, const uint8_t *data,
			      size_t size, const struct ingest_opt *opt, int nopt)
{
	const char *path = fuzz_path(suffix);
	struct ingest_opts opts = { 0, NULL, opt, nopt, NULL, NULL, NULL };
	struct ingest_result res;
	static struct store *st;
	FILE *fp;

	diag_set_quiet(1);
	fp = fopen(path, "wb");
	if (!fp)
		abort();        /* the harness itself is broken: say so loudly */
	if (size && fwrite(data, 1, size, fp) != size)
		abort();
	if (fclose(fp))
		abort();
	/* one in-memory database for the process, emptied after each input
	   (creating the schema each time would cost more than the input) */
	if (!st && !(st = store_open(":memory:", 1)))
		abort();
	(void)ingest_file(st, ingest_find_kind(kind), path, &opts, &res);
	unlink(path);
	fuzz_empty(st);
	return 0;
}

#endif
