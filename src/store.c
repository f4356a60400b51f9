/* store: SQLite behind a small statement API; the only file that includes
 * sqlite3.h. The audit DB is created 0600 and migrated by user_version;
 * compliance stores are opened read-only through a mode=ro URI. */
#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "diag.h"
#include "schema.h"
#include "strbuf.h"
#include "xalloc.h"

struct store {
	sqlite3 *db;
	char *path;
};

struct stmt {
	struct store *st;
	sqlite3_stmt *s;
};

static int db_error(struct store *st, const char *what)
{
	return diag_error(NULL, "%s: %s: %s", st->path, what, sqlite3_errmsg(st->db));
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
	sqlite3_db_config(st->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
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

/* 1 for a WAL-mode database (header bytes 18 and 19 are 2) with no -wal
 * file beside it: all its content is in the file, and opening it plainly,
 * even read-only, would create -wal and -shm files next to it. */
static int wal_without_log(const char *path)
{
	unsigned char h[20];
	char *wal = xasprintf("%s-wal", path);
	FILE *fp = fopen(path, "rb");
	int rc = fp && fread(h, 1, sizeof(h), fp) == sizeof(h) && h[18] == 2 &&
		 h[19] == 2 && access(wal, F_OK) != 0;

	if (fp)
		fclose(fp);
	free(wal);
	return rc;
}

struct store *store_open_readonly(const char *path)
{
	struct strbuf uri = STRBUF_INIT;
	struct store *st;
	static const char hex[] = "0123456789ABCDEF";

	/* percent-encode what a URI path cannot hold as is */
	strbuf_addstr(&uri, "file:");
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if (*p == '%' || *p == '?' || *p == '#' || *p <= ' ' || *p >= 0x7f) {
			strbuf_addch(&uri, '%');
			strbuf_addch(&uri, hex[*p >> 4]);
			strbuf_addch(&uri, hex[*p & 15]);
		} else {
			strbuf_addch(&uri, *p);
		}
	}
	/* immutable: no locks, no -shm; safe only when there is no WAL to read */
	strbuf_addstr(&uri, wal_without_log(path) ? "?mode=ro&immutable=1" : "?mode=ro");
	st = open_db(path, uri.buf, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX);
	strbuf_release(&uri);
	if (st)
		sqlite3_db_config(st->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
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
	free(st->path);
	free(st);
}

int store_exec(struct store *st, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
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
	return store_exec(st, "COMMIT");
}

int store_rollback(struct store *st)
{
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
