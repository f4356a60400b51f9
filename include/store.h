/* store: the audit database and read-only compliance stores, through SQLite
 * (store.c is the only file that includes sqlite3.h). Other modules write
 * their SQL against this small statement API; every error is printed here
 * with sqlite3_errmsg and returned as -1 (or NULL).
 *
 * Errors are sticky, as in sqlite3_exec: a failed prepare, bind, step or
 * exec marks the store failed until store_rollback(), so a loop written
 * `while (stmt_step(s) == 1)` cannot end silently: store_commit() refuses to
 * commit a failed store, and writers check store_failed() before putting a
 * report in place. */
#ifndef UDAUDIT_STORE_H
#define UDAUDIT_STORE_H

#include <stddef.h>

struct store;
struct stmt;

/* Open (creating with mode 0600 when create is set) the audit database and
 * bring its schema to the current version (PRAGMA user_version). An
 * existing SQLite file that is not an audit database is refused.
 * ":memory:" opens a private in-memory database (tests, fuzzers). */
struct store *store_open(const char *path, int create);
/* What was read with a compliance store: its -wal or hot -journal when
 * that held changes (suffix NULL when none), and the SHA-256 of its bytes;
 * then the store was read from a private copy, whose SHA-256 is copy_sha256
 * ("" when the store was read in place). */
struct store_log {
	const char *suffix;
	long long size;
	char sha256[65];
	char copy_sha256[65];
};
/* Open a compliance store: read-only and immutable (nothing is created
 * beside it), with its lengths, schema and cost limited (store.c). A store
 * with a non-empty -wal or hot -journal is read from a private copy. */
struct store *store_open_compliance(const char *path, struct store_log *log);
/* A second, read-only connection to the audit database (URI mode=ro). */
struct store *store_open_readonly(const char *path);
/* A read-only connection to st's database for a thread beside the caller's;
 * NULL when there is to be none (a private ":memory:" database, or
 * UDAUDIT_THREADS=0): the caller does the work itself. */
struct store *store_open_beside(const struct store *st);
/* The audit database opened read-only, for the commands that only read it
 * (reports, listings): refused, said, when it is missing, not an audit
 * database, or of another schema version (an older one is upgraded by the
 * commands that write: ingest, analyze, run). */
struct store *store_open_audit_readonly(const char *path);
void store_close(struct store *st);     /* finalizes what is still prepared */
/* The path the store was opened with (":memory:" for a private one); borrowed. */
const char *store_path(const struct store *st);

/* What went wrong on a store, worst first wins: the input's fault (a
 * constraint, a value too big) or the database's (corrupt, I/O error, disk
 * full, locked, ...): exit 4. */
enum store_failure { STORE_OK = 0, STORE_FAIL_DATA = 1, STORE_FAIL_DB = 2 };
enum store_failure store_failed(const struct store *st);
/* The failures seen on any read-write store of this process, or-ed (main()
 * turns STORE_FAIL_DB into exit 4 whatever the command returned). */
int store_failures_seen(void);

int store_exec(struct store *st, const char *sql);     /* 0 or -1 */
int store_begin(struct store *st);      /* BEGIN IMMEDIATE */
int store_commit(struct store *st);     /* refused (-1, rolled back) when failed */
/* Quiet when no transaction; clears the failed mark: the work is undone. */
int store_rollback(struct store *st);
long long store_last_rowid(struct store *st);
int store_changes(struct store *st);
int store_schema_version(struct store *st);
/* 1 when the (main) database has that table, 0 if not, -1 on error. */
int store_has_table(struct store *st, const char *table);
/* 1 when table has that column. */
int store_has_column(struct store *st, const char *table, const char *column);

/* Statements. Parameters and columns are 1-based and 0-based as in SQLite. */
struct stmt *stmt_prepare(struct store *st, const char *sql);
void stmt_free(struct stmt *s);
int stmt_bind_text(struct stmt *s, int idx, const char *v);    /* NULL binds NULL; copied */
int stmt_bind_textn(struct stmt *s, int idx, const char *v, int len);
/* Not copied (len -1: up to the NUL): v must stay valid until the
 * statement has been stepped and reset. The hot insert loops. */
int stmt_bind_text_borrowed(struct stmt *s, int idx, const char *v, int len);
int stmt_bind_int(struct stmt *s, int idx, long long v);
int stmt_bind_double(struct stmt *s, int idx, double v);
int stmt_bind_null(struct stmt *s, int idx);
/* 1 a row, 0 done, -1 error (printed). */
int stmt_step(struct stmt *s);
int stmt_reset(struct stmt *s);         /* also clears bindings */
/* Reset, the bindings left as they are: for a writer that binds again
 * what changed before each step (clearing hundreds of them is wasted). */
int stmt_rewind(struct stmt *s);
int stmt_columns(struct stmt *s);
int stmt_is_null(struct stmt *s, int col);
const char *stmt_text(struct stmt *s, int col);        /* NULL for NULL; borrowed until next step */
/* Bytes of the column's text, as read by stmt_text() just before (a NUL
 * inside makes it longer than strlen). */
int stmt_text_len(struct stmt *s, int col);
/* Both at once: the text (NULL for NULL), its bytes into *len (0 for NULL). */
const char *stmt_text_n(struct stmt *s, int col, size_t *len);
int stmt_is_int(struct stmt *s, int col);      /* stored as an INTEGER */
long long stmt_int(struct stmt *s, int col);
double stmt_double(struct stmt *s, int col);
/* Run a statement that must return one integer (e.g. SELECT count(*)). */
int store_query_int(struct store *st, const char *sql, long long *out);

#endif
