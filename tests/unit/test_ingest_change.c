/* ingest: a file that changes after it was hashed is not loaded under a
 * digest that is not of what was read (issue 13). The change is made by a
 * loader that alters the file and then runs the real compliance loader, so
 * the race is deterministic: a store read from a private copy (it has a
 * -wal) is checked by the copy's digest; one read in place by its inode,
 * size and modification time. Nothing of a changed file is loaded. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "adapters.h"
#include "capture.h"
#include "check.h"
#include "hash.h"
#include "ingest.h"
#include "store.h"
#include "xalloc.h"

static char dir[] = "/tmp/udaudit-test-change-XXXXXX";
static void (*change)(const char *path);

static int changing_loader(struct ingest_ctx *ctx)
{
	if (change)
		change(ctx->path);
	return load_compliance(ctx);
}

static const struct ingest_kind kind = { "compliance", changing_loader, "test", 0, 0, NULL };

static void copy(const char *from, const char *to)
{
	char buf[1 << 14];
	FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
	size_t n;

	CHECK(in != NULL && out != NULL);
	while (in && out && (n = fread(buf, 1, sizeof(buf), in)) > 0)
		CHECK(fwrite(buf, 1, n, out) == n);
	if (in)
		fclose(in);
	if (out)
		fclose(out);
}

/* A store of one message at path; with_wal: the message is in its -wal. */
static void make_store(const char *path, int with_wal)
{
	char *live = xasprintf("%s/live.sqlite", dir), *wal = xasprintf("%s-wal", live);
	char *to = xasprintf("%s-wal", path);
	struct store *st = store_open(live, 1);

	CHECK(st != NULL);
	CHECK(store_exec(st, "CREATE TABLE messages (message_id TEXT PRIMARY KEY, app TEXT"
			 " NOT NULL, account TEXT NOT NULL, conversation_id TEXT, sent_at TEXT"
			 " NOT NULL, captured_at TEXT NOT NULL, sha256 TEXT, purged_at TEXT,"
			 " purge_reason TEXT)") == 0);
	if (with_wal)
		CHECK(store_exec(st, "PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0") == 0);
	CHECK(store_exec(st, "INSERT INTO messages VALUES ('w1', 'wickr', 'wickr:a', NULL,"
			 " '2021-01-01T00:00:00Z', '2021-01-01T00:00:01Z', NULL, NULL, NULL)") == 0);
	copy(live, path);
	if (with_wal)
		copy(wal, to);          /* while open: the -wal still holds w1 */
	store_close(st);
	unlink(live);
	unlink(wal);
	free(live);
	free(wal);
	free(to);
}

static void append_page(const char *path)
{
	static const char zero[4096];
	FILE *fp = fopen(path, "ab");

	CHECK(fp != NULL && fwrite(zero, 1, sizeof(zero), fp) == sizeof(zero));
	if (fp)
		fclose(fp);
}

/* rewrite the first byte as it is: the content is the same, its time not */
static void rewrite_in_place(const char *path)
{
	int fd = open(path, O_RDWR);
	char c;

	CHECK(fd >= 0 && pread(fd, &c, 1, 0) == 1 && pwrite(fd, &c, 1, 0) == 1);
	if (fd >= 0)
		close(fd);
}

/* another file, of the same bytes, renamed over it */
static void replace(const char *path)
{
	char *other = xasprintf("%s.new", path);

	copy(path, other);
	CHECK(rename(other, path) == 0);
	free(other);
}

/* Ingest path into a fresh audit DB: 0 or -1, what it said in *said,
 * the rows it kept in *rows. */
static int ingest(const char *path, const char **said, long long *rows)
{
	struct ingest_opts opts = { 0 };
	struct ingest_result res;
	struct store *st = store_open(":memory:", 1);
	long long inputs = -1;
	int rc;

	CHECK(st != NULL);
	capture_begin();
	rc = ingest_file(st, &kind, path, &opts, &res);
	*said = capture_end();
	*rows = -1;
	CHECK(store_query_int(st, "SELECT count(*) FROM store_messages", rows) == 0);
	CHECK(store_query_int(st, "SELECT count(*) FROM inputs", &inputs) == 0);
	if (rc)
		CHECK(*rows == 0 && inputs == 0);      /* nothing of it kept */
	store_close(st);
	return rc;
}

/* the file's mtime, set in the past: a change made now is seen whatever
   the file system's time resolution */
static void age(const char *path)
{
	struct timespec t[2] = { { 1577836800, 0 }, { 1577836800, 0 } };

	CHECK(utimensat(AT_FDCWD, path, t, 0) == 0);
}

int main(void)
{
	char hashed[SHA256_HEX_LEN], copied[SHA256_HEX_LEN], want[512];
	const char *said;
	long long rows;

	CHECK(mkdtemp(dir) != NULL);
	char *cs = xasprintf("%s/cs.sqlite", dir), *wal = xasprintf("%s-wal", cs);

	/* unchanged: loaded, from the private copy (the -wal holds w1) */
	make_store(cs, 1);
	CHECK(ingest(cs, &said, &rows) == 0);
	CHECK(rows == 1);
	CHECK(strstr(said, "read with its -wal") != NULL);

	/* the store changes between its hashing and its private copy: the
	   copy's digest is not the one hashed */
	CHECK(sha256_file(cs, hashed, NULL) == 0);
	append_page(cs);
	CHECK(sha256_file(cs, copied, NULL) == 0);
	unlink(cs);
	make_store(cs, 1);
	change = append_page;
	CHECK(ingest(cs, &said, &rows) == -1);
	snprintf(want, sizeof(want), "udaudit: %s: error: changed while it was read (SHA-256"
		 " %.12s when hashed, %.12s when copied to be read); load it when nothing"
		 " writes to it\n", cs, hashed, copied);
	CHECK(strstr(said, want) != NULL);
	CHECK(strstr(said, "not loaded; the audit database is unchanged") != NULL);
	unlink(cs);
	unlink(wal);

	/* read in place (no -wal): unchanged, loaded */
	make_store(cs, 0);
	change = NULL;
	CHECK(ingest(cs, &said, &rows) == 0);
	CHECK(rows == 1);
	CHECK(strstr(said, "read with its") == NULL);

	/* written to (same bytes, a new modification time), then replaced by
	   another file of the same bytes: both seen */
	snprintf(want, sizeof(want), "udaudit: %s: error: changed while it was read (its size,"
		 " modification time or inode is not what it was when hashed); load it when"
		 " nothing writes to it\n", cs);
	age(cs);
	change = rewrite_in_place;
	CHECK(ingest(cs, &said, &rows) == -1);
	CHECK(strstr(said, want) != NULL);
	age(cs);
	change = replace;
	CHECK(ingest(cs, &said, &rows) == -1);
	CHECK(strstr(said, want) != NULL);
	change = append_page;
	CHECK(ingest(cs, &said, &rows) == -1);
	CHECK(strstr(said, want) != NULL);

	unlink(cs);
	rmdir(dir);
	free(cs);
	free(wal);
	return CHECK_DONE();
}
