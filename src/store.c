/* store: SQLite behind a small statement API; the only file that includes
 * sqlite3.h. The audit DB is created 0600 and migrated by user_version;
 * compliance stores are opened read-only and immutable, with limits. */
#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "diag.h"
#include "hash.h"
#include "schema.h"
#include "strbuf.h"
#include "xalloc.h"

struct store {
	sqlite3 *db;
	char *path;
	unsigned long long ops, budget;        /* read-only stores: VM instructions */
	int stopped;                            /* the budget ran out (said once) */
	char *copy;                             /* private copy of a store, removed at close */
	int writable;
	enum store_failure failed;
};

static atomic_int failures_seen;        /* stores of any thread */

/* Mark the store failed by SQLite's last error (kept: worst first). */
static void mark_failed(struct store *st)
{
	int code = sqlite3_extended_errcode(st->db) & 0xff;
	enum store_failure f = code == SQLITE_CONSTRAINT || code == SQLITE_TOOBIG ||
			       code == SQLITE_MISMATCH ? STORE_FAIL_DATA : STORE_FAIL_DB;

	if (f > st->failed)
		st->failed = f;
	if (st->writable)
		atomic_fetch_or(&failures_seen, (int)f);
}

enum store_failure store_failed(const struct store *st)
{
	return st->failed;
}

int store_failures_seen(void)
{
	return atomic_load(&failures_seen);
}

struct stmt {
	struct store *st;
	sqlite3_stmt *s;
};

static int db_error(struct store *st, const char *what)
{
	mark_failed(st);
	if (st->stopped)	/* the budget's error said why: "interrupted" adds nothing */
		return -1;
	return diag_error(NULL, "%s: %s: %s", st->path, what, sqlite3_errmsg(st->db));
}

/* An existing file that is not an audit DB (a compliance store given as
 * --db, say) must not get the audit tables added: 0 when it is one, or is
 * new (no tables, user_version 0). */
static int check_audit_db(struct store *st)
{
	long long v, tables, inputs;

	if (store_query_int(st, "PRAGMA user_version", &v) ||
	    store_query_int(st, "SELECT count(*) FROM sqlite_master", &tables) ||
	    store_query_int(st, "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
			    " AND name = 'inputs'", &inputs))
		return -1;
	if ((v == 0 && tables > 0) || (v > 0 && inputs == 0))
		return diag_error(NULL, "%s: not an audit database (an SQLite file with tables"
				  " of its own); give --db a new file or an audit database",
				  st->path);
	return 0;
}

static int migrate(struct store *st)
{
	long long v;
	int n = 0;

	if (store_query_int(st, "PRAGMA user_version", &v))
		return -1;
	while (schema_migrations[n])
		n++;
	if (v > n)
		return diag_error(NULL, "%s: schema version %lld is newer than this udaudit (%d)",
				  st->path, v, n);
	for (int i = (int)v; i < n; i++) {
		char pragma[40];
		if (store_begin(st))
			return -1;
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", i + 1);
		if (store_exec(st, schema_migrations[i]) || store_exec(st, pragma)) {
			store_rollback(st);
			return -1;
		}
		if (store_commit(st))
			return -1;
	}
	return 0;
}

/* Before the first connection: no memory statistics (they take a global
 * mutex on every allocation, 10-20 % of an ingest); connections are never
 * shared between threads (NOMUTEX), so no serialized mode either. */
static void sqlite_setup(void)
{
	sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static struct store *open_db(const char *path, const char *uri, int flags)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	struct store *st;

	pthread_once(&once, sqlite_setup);
	st = xcalloc(1, sizeof(*st));

	st->path = xstrdup(path);
	if (sqlite3_open_v2(uri, &st->db, flags, NULL) != SQLITE_OK) {
		diag_error(NULL, "%s: cannot open database: %s", path,
			   st->db ? sqlite3_errmsg(st->db) : "out of memory");
		store_close(st);
		return NULL;
	}
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, 5000);
	return st;
}

struct store *store_open(const char *path, int create)
{
	struct store *st;
	struct stat sb;

	if (!strcmp(path, ":memory:")) {
		/* tests and fuzzers: nothing on disk */
	} else if (create && stat(path, &sb) != 0) {
		/* create it ourselves so the mode is 0600 from the first byte */
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
		if (fd < 0 && errno != EEXIST) {
			diag_error(NULL, "%s: cannot create database: %s", path, strerror(errno));
			return NULL;
		}
		if (fd >= 0)
			close(fd);
	} else if (!create && stat(path, &sb) != 0) {
		diag_error(NULL, "%s: no such database (run 'udaudit ingest' or 'udaudit run' first)",
			   path);
		return NULL;
	}
	/* one thread per connection: no SQLite mutexes (a few per cent of ingest) */
	st = open_db(path, path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX);
	if (!st)
		return NULL;
	st->writable = 1;
	sqlite3_db_config(st->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	if (check_audit_db(st)) {
		store_close(st);
		return NULL;
	}
	/* page_size applies to a new (empty) file only: 16 KiB pages mean a
	   quarter of the page writes and shallower b-trees for the large
	   tables (spec 8) */
	if (store_exec(st, "PRAGMA page_size = 16384") ||
	    store_exec(st, "PRAGMA journal_mode = DELETE") ||
	    store_exec(st, "PRAGMA synchronous = NORMAL") ||
	    store_exec(st, "PRAGMA foreign_keys = ON") ||
	    store_exec(st, "PRAGMA temp_store = FILE") ||
	    store_exec(st, "PRAGMA cache_size = -65536") ||
	    migrate(st)) {
		store_close(st);
		return NULL;
	}
	return st;
}

/* A compliance store is hostile input (spec 7): these bound what one can
 * cost. No value may be longer than STORE_MAX_VALUE (a longer one fails the
 * statement with "string or blob too big"); the schema may not run
 * functions that are not innocuous, nor triggers or views; and a store may
 * run at most STORE_OPS_BASE + STORE_OPS_PER_BYTE x its size SQLite VM
 * instructions in all (reading a plain table costs well under 1 a byte). */
#define STORE_MAX_VALUE (1 << 20)
#define STORE_OPS_BASE 100000000ULL
#define STORE_OPS_PER_BYTE 64ULL
#define STORE_OPS_TICK 1000

/* for the tests only: a lower budget, so that a small store can exceed it */
#define STORE_BUDGET_ENV "UDAUDIT_TEST_STORE_BUDGET"

static int over_budget(void *arg)
{
	struct store *st = arg;
	struct src_loc at = { st->path, 0, 0 };

	st->ops += STORE_OPS_TICK;
	if (st->ops <= st->budget)
		return 0;
	if (!st->stopped && getenv(STORE_BUDGET_ENV))
		diag_error(&at, "stopped after %llu SQLite instructions, its budget (%llu, from "
			   STORE_BUDGET_ENV "); a compliance store must be plain tables",
			   st->ops, st->budget);
	else if (!st->stopped)
		diag_error(&at, "stopped after %llu SQLite instructions, its budget (%llu + %llu"
			   " a byte of the file); a compliance store must be plain tables",
			   st->ops, STORE_OPS_BASE, STORE_OPS_PER_BYTE);
	st->stopped = 1;
	return 1;
}

static unsigned long long store_budget(long long size)
{
	const char *env = getenv(STORE_BUDGET_ENV);
	char *end;
	unsigned long long n;

	if (env && *env) {
		errno = 0;
		n = strtoull(env, &end, 10);
		if (!errno && !*end && n > 0)
			return n;
	}
	return STORE_OPS_BASE + STORE_OPS_PER_BYTE * (unsigned long long)(size > 0 ? size : 0);
}

static void harden(struct store *st, long long size)
{
	static const int limits[][2] = {
		{ SQLITE_LIMIT_LENGTH, STORE_MAX_VALUE },
		{ SQLITE_LIMIT_SQL_LENGTH, 1 << 20 },
		{ SQLITE_LIMIT_COLUMN, 256 },
		{ SQLITE_LIMIT_EXPR_DEPTH, 100 },
		{ SQLITE_LIMIT_COMPOUND_SELECT, 8 },
		{ SQLITE_LIMIT_FUNCTION_ARG, 8 },
		{ SQLITE_LIMIT_ATTACHED, 0 },
		{ SQLITE_LIMIT_LIKE_PATTERN_LENGTH, 256 },
		{ SQLITE_LIMIT_VARIABLE_NUMBER, 32 },
		{ SQLITE_LIMIT_TRIGGER_DEPTH, 1 },
	};
	static const int off[] = {
		SQLITE_DBCONFIG_TRUSTED_SCHEMA, SQLITE_DBCONFIG_ENABLE_TRIGGER,
		SQLITE_DBCONFIG_ENABLE_VIEW, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION,
		SQLITE_DBCONFIG_DQS_DDL, SQLITE_DBCONFIG_DQS_DML,
	};

	for (size_t i = 0; i < sizeof(limits) / sizeof(limits[0]); i++)
		sqlite3_limit(st->db, limits[i][0], limits[i][1]);
	for (size_t i = 0; i < sizeof(off) / sizeof(off[0]); i++)
		sqlite3_db_config(st->db, off[i], 0, NULL);
	sqlite3_db_config(st->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	st->budget = store_budget(size);
	sqlite3_progress_handler(st->db, STORE_OPS_TICK, over_budget, st);
	/* a corrupt page is an error, not a loop over garbage */
	sqlite3_exec(st->db, "PRAGMA cell_size_check = ON", NULL, NULL, NULL);
}

/* Copy src to dst, a new file of mode 0600. 0 or -1 (said). */
static int copy_file(const char *src, const char *dst)
{
	char buf[1 << 16];
	int in = open(src, O_RDONLY | O_CLOEXEC), out = -1, rc = -1;
	ssize_t n;

	if (in >= 0)
		out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (in < 0 || out < 0) {
		diag_error(NULL, "%s: cannot copy: %s", src, strerror(errno));
		goto out;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			break;
	if (n != 0) {
		diag_error(NULL, "%s: cannot copy: %s", src, n < 0 ? strerror(errno) : "short write");
		goto out;
	}
	rc = 0;
out:
	if (in >= 0)
		close(in);
	if (out >= 0 && close(out) && !rc)
		rc = diag_error(NULL, "%s: cannot copy: %s", dst, strerror(errno));
	return rc;
}

/* A store with a -wal or hot -journal beside it that holds changes (is not
 * empty) is copied, with that file, into a private folder and read there:
 * SQLite applies the log to the copy, nothing is created beside the store,
 * log->sha256 is the digest of the log bytes read and log->copy_sha256 that
 * of the store's (the caller checks it is the digest it recorded: the store
 * may have changed since it hashed it). NULL with log->suffix NULL when
 * there is no such log, "" when the copy failed. */
static char *private_copy(const char *path, struct store_log *log)
{
	static const char *const suffixes[] = { "-wal", "-journal" };
	const char *tmpdir = getenv("TMPDIR");
	char *dir, *copy = NULL, *side = NULL, *side_copy = NULL;
	struct stat sb;

	for (size_t i = 0; i < 2 && !side; i++) {
		side = xasprintf("%s%s", path, suffixes[i]);
		if (stat(side, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > 0) {
			log->suffix = suffixes[i];
		} else {
			free(side);
			side = NULL;
		}
	}
	if (!side)
		return NULL;
	dir = xasprintf("%s/udaudit-store-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
	if (!mkdtemp(dir)) {
		diag_error(NULL, "%s: cannot make a private copy to read its %s: %s", path,
			   log->suffix, strerror(errno));
		free(dir);
		free(side);
		log->suffix = "";
		return NULL;
	}
	copy = xasprintf("%s/store", dir);
	side_copy = xasprintf("%s%s", copy, log->suffix);
	if (copy_file(path, copy) || copy_file(side, side_copy) ||
	    sha256_file(copy, log->copy_sha256, NULL) ||
	    sha256_file(side_copy, log->sha256, &log->size)) {
		unlink(copy);
		unlink(side_copy);
		rmdir(dir);
		free(copy);
		copy = NULL;
		log->suffix = "";
	}
	free(side);
	free(side_copy);
	free(dir);
	return copy;
}

/* The private copy's files and folder, at close. */
static void remove_copy(const char *copy)
{
	static const char *const suffixes[] = { "", "-wal", "-journal", "-shm" };
	char *dir = xstrdup(copy), *slash = strrchr(dir, '/');

	for (size_t i = 0; i < 4; i++) {
		char *f = xasprintf("%s%s", copy, suffixes[i]);
		unlink(f);
		free(f);
	}
	if (slash) {
		*slash = '\0';
		rmdir(dir);
	}
	free(dir);
}

/* percent-encode what a URI path cannot hold as is */
static void add_uri_path(struct strbuf *uri, const char *path)
{
	static const char hex[] = "0123456789ABCDEF";

	strbuf_addstr(uri, "file:");
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if (*p == '%' || *p == '?' || *p == '#' || *p <= ' ' || *p >= 0x7f) {
			strbuf_addch(uri, '%');
			strbuf_addch(uri, hex[*p >> 4]);
			strbuf_addch(uri, hex[*p & 15]);
		} else {
			strbuf_addch(uri, *p);
		}
	}
}

struct store *store_open_readonly(const char *path)
{
	struct strbuf uri = STRBUF_INIT;
	struct store *st;

	add_uri_path(&uri, path);
	strbuf_addstr(&uri, "?mode=ro");
	st = open_db(path, uri.buf, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX);
	strbuf_release(&uri);
	if (st)
		sqlite3_db_config(st->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	return st;
}

struct store *store_open_beside(const struct store *st)
{
	const char *env = getenv("UDAUDIT_THREADS");

	if (!st->path || !strcmp(st->path, ":memory:") || (env && !strcmp(env, "0")))
		return NULL;
	return store_open_readonly(st->path);
}

/* Whether the first read of a fresh read-only connection met a hot rollback
 * journal (a writer died mid-transaction), which only a writer can roll back. */
static int meets_hot_journal(struct store *st)
{
	return sqlite3_exec(st->db, "PRAGMA schema_version", NULL, NULL, NULL) != SQLITE_OK &&
	       sqlite3_extended_errcode(st->db) == SQLITE_READONLY_ROLLBACK;
}

/* Roll back what an interrupted writer left half done, as any writer's
 * first read would: the database is then as its last committed command
 * left it, which is what a report must read. Said, either way. 0 or -1. */
static int roll_back_interrupted(const char *path)
{
	struct strbuf uri = STRBUF_INIT;
	struct store *st;
	int rc = -1;

	add_uri_path(&uri, path);
	strbuf_addstr(&uri, "?mode=rw");
	st = open_db(path, uri.buf, SQLITE_OPEN_READWRITE | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX);
	strbuf_release(&uri);
	if (st && sqlite3_exec(st->db, "PRAGMA schema_version", NULL, NULL, NULL) == SQLITE_OK)
		rc = 0;
	if (rc == 0)
		diag_warn(NULL, "%s: a command that was interrupted while writing left its"
			  " rollback journal (%s-journal): rolled back, the audit database is"
			  " as the last command that finished left it", path, path);
	else
		diag_error(NULL, "%s: a command that was interrupted while writing left its"
			   " rollback journal (%s-journal), and it cannot be rolled back here"
			   " (%s): run 'udaudit analyze' on it where it is writable", path, path,
			   st ? sqlite3_errmsg(st->db) : "cannot open it to write");
	store_close(st);
	return rc;
}

struct store *store_open_audit_readonly(const char *path)
{
	struct store *st;
	struct stat sb;
	long long v;
	int n = 0;

	if (stat(path, &sb) != 0) {
		diag_error(NULL, "%s: no such database (run 'udaudit ingest' or 'udaudit run' first)",
			   path);
		return NULL;
	}
	st = store_open_readonly(path);
	if (st && meets_hot_journal(st)) {
		store_close(st);
		st = roll_back_interrupted(path) ? NULL : store_open_readonly(path);
	}
	if (!st || check_audit_db(st) || store_query_int(st, "PRAGMA user_version", &v)) {
		store_close(st);
		return NULL;
	}
	while (schema_migrations[n])
		n++;
	if (v != n) {
		if (v == 0)
			diag_error(NULL, "%s: the audit database is empty (run 'udaudit ingest' or"
				   " 'udaudit run' first)", path);
		else if (v > n)
			diag_error(NULL, "%s: schema version %lld is newer than this udaudit (%d)",
				   path, v, n);
		else
			diag_error(NULL, "%s: schema version %lld is older than this udaudit's (%d),"
				   " and this command only reads it: run 'udaudit analyze' or"
				   " 'udaudit ingest' on it first, which upgrade it", path, v, n);
		store_close(st);
		return NULL;
	}
	/* as store_open's: a sorter or temp table spills to a file */
	if (store_exec(st, "PRAGMA temp_store = FILE")) {
		store_close(st);
		return NULL;
	}
	return st;
}

struct store *store_open_compliance(const char *path, struct store_log *log)
{
	struct strbuf uri = STRBUF_INIT;
	struct store *st;
	struct stat sb;
	char *copy;

	memset(log, 0, sizeof(*log));
	if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		diag_error(NULL, "%s: not a regular file", path);
		return NULL;
	}
	copy = private_copy(path, log);
	if (log->suffix && !copy)
		return NULL;
	add_uri_path(&uri, copy ? copy : path);
	/* the store itself is opened immutable: no locks, no -shm or -journal
	   beside it, and it works on read-only media; the private copy
	   read-write, so that SQLite can apply its log */
	if (!copy)
		strbuf_addstr(&uri, "?mode=ro&immutable=1");
	st = open_db(path, uri.buf, (copy ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY) |
		     SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX);
	strbuf_release(&uri);
	if (!st) {
		if (copy)
			remove_copy(copy);
		free(copy);
		return NULL;
	}
	st->copy = copy;
	harden(st, (long long)sb.st_size);
	return st;
}

const char *store_path(const struct store *st)
{
	return st->path;
}

void store_close(struct store *st)
{
	sqlite3_stmt *s;

	if (!st)
		return;
	if (st->db) {
		while ((s = sqlite3_next_stmt(st->db, NULL)) != NULL)
			sqlite3_finalize(s);
		sqlite3_close(st->db);
	}
	if (st->copy)
		remove_copy(st->copy);
	free(st->copy);
	free(st->path);
	free(st);
}

int store_exec(struct store *st, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		mark_failed(st);
		diag_error(NULL, "%s: %s", st->path, msg ? msg : sqlite3_errmsg(st->db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

int store_begin(struct store *st)
{
	return store_exec(st, "BEGIN IMMEDIATE");
}

int store_commit(struct store *st)
{
	if (st->failed) {
		diag_error(NULL, "%s: not committed: a statement of the transaction failed",
			   st->path);
		store_rollback(st);
		return -1;
	}
	return store_exec(st, "COMMIT");
}

int store_rollback(struct store *st)
{
	st->failed = STORE_OK;
	if (sqlite3_get_autocommit(st->db))
		return 0;
	return sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

long long store_last_rowid(struct store *st)
{
	return sqlite3_last_insert_rowid(st->db);
}

int store_changes(struct store *st)
{
	return sqlite3_changes(st->db);
}

int store_schema_version(struct store *st)
{
	long long v = -1;
	store_query_int(st, "PRAGMA user_version", &v);
	return (int)v;
}

int store_has_table(struct store *st, const char *table)
{
	struct stmt *s = stmt_prepare(st,
		"SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1");
	int rc;

	if (!s)
		return -1;
	stmt_bind_text(s, 1, table);
	rc = stmt_step(s);
	stmt_free(s);
	return rc;
}

int store_has_column(struct store *st, const char *table, const char *column)
{
	struct stmt *s = stmt_prepare(st,
		"SELECT 1 FROM pragma_table_info(?1) WHERE name = ?2 COLLATE NOCASE");
	int rc;

	if (!s)
		return -1;
	stmt_bind_text(s, 1, table);
	stmt_bind_text(s, 2, column);
	rc = stmt_step(s);
	stmt_free(s);
	return rc;
}

struct stmt *stmt_prepare(struct store *st, const char *sql)
{
	sqlite3_stmt *s;
	struct stmt *out;

	if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL) != SQLITE_OK) {
		int ofs = sqlite3_error_offset(st->db);
		mark_failed(st);
		if (ofs >= 0)
			diag_error(NULL, "%s: %s (at offset %d of the SQL)", st->path,
				   sqlite3_errmsg(st->db), ofs);
		else
			db_error(st, "cannot prepare statement");
		return NULL;
	}
	out = xmalloc(sizeof(*out));
	out->st = st;
	out->s = s;
	return out;
}

void stmt_free(struct stmt *s)
{
	if (!s)
		return;
	sqlite3_finalize(s->s);
	free(s);
}

static int bind_rc(struct stmt *s, int rc)
{
	return rc == SQLITE_OK ? 0 : db_error(s->st, "cannot bind");
}

int stmt_bind_text(struct stmt *s, int idx, const char *v)
{
	if (!v)
		return stmt_bind_null(s, idx);
	return bind_rc(s, sqlite3_bind_text(s->s, idx, v, -1, SQLITE_TRANSIENT));
}

int stmt_bind_textn(struct stmt *s, int idx, const char *v, int len)
{
	if (!v)
		return stmt_bind_null(s, idx);
	return bind_rc(s, sqlite3_bind_text(s->s, idx, v, len, SQLITE_TRANSIENT));
}

int stmt_bind_text_borrowed(struct stmt *s, int idx, const char *v, int len)
{
	if (!v)
		return stmt_bind_null(s, idx);
	return bind_rc(s, sqlite3_bind_text(s->s, idx, v, len, SQLITE_STATIC));
}

int stmt_bind_int(struct stmt *s, int idx, long long v)
{
	return bind_rc(s, sqlite3_bind_int64(s->s, idx, v));
}

int stmt_bind_double(struct stmt *s, int idx, double v)
{
	return bind_rc(s, sqlite3_bind_double(s->s, idx, v));
}

int stmt_bind_null(struct stmt *s, int idx)
{
	return bind_rc(s, sqlite3_bind_null(s->s, idx));
}

int stmt_step(struct stmt *s)
{
	int rc = sqlite3_step(s->s);

	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	db_error(s->st, "query failed");
	return -1;
}

int stmt_reset(struct stmt *s)
{
	sqlite3_reset(s->s);
	sqlite3_clear_bindings(s->s);
	return 0;
}

int stmt_rewind(struct stmt *s)
{
	sqlite3_reset(s->s);
	return 0;
}

int stmt_columns(struct stmt *s)
{
	return sqlite3_column_count(s->s);
}

int stmt_is_null(struct stmt *s, int col)
{
	return sqlite3_column_type(s->s, col) == SQLITE_NULL;
}

const char *stmt_text(struct stmt *s, int col)
{
	return (const char *)sqlite3_column_text(s->s, col);
}

int stmt_text_len(struct stmt *s, int col)
{
	return sqlite3_column_bytes(s->s, col);
}

const char *stmt_text_n(struct stmt *s, int col, size_t *len)
{
	/* the column's value looked up once, not by _text and _bytes each; a
	   connection has one thread (NOMUTEX), so reading the unprotected
	   value is safe */
	sqlite3_value *v = sqlite3_column_value(s->s, col);
	const char *t = (const char *)sqlite3_value_text(v);

	*len = t ? (size_t)sqlite3_value_bytes(v) : 0;
	return t;
}

int stmt_is_int(struct stmt *s, int col)
{
	return sqlite3_column_type(s->s, col) == SQLITE_INTEGER;
}

long long stmt_int(struct stmt *s, int col)
{
	return sqlite3_column_int64(s->s, col);
}

double stmt_double(struct stmt *s, int col)
{
	return sqlite3_column_double(s->s, col);
}

int store_query_int(struct store *st, const char *sql, long long *out)
{
	struct stmt *s = stmt_prepare(st, sql);
	int rc;

	if (!s)
		return -1;
	rc = stmt_step(s);
	if (rc == 1)
		*out = stmt_int(s, 0);
	stmt_free(s);
	return rc == 1 ? 0 : -1;
}
