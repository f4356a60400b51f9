/* ingest: one input file, one transaction, one manifest row. A file whose
 * SHA-256 is already in the manifest (for that kind) adds nothing. */
#include "ingest.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "csvin.h"
#include "dirin.h"
#include "hash.h"
#include "records.h"
#include "store.h"
#include "suggest.h"
#include "textin.h"
#include "timeutil.h"
#include "timing.h"
#include "utf8.h"
#include "xalloc.h"

const char *ingest_opt(const struct ingest_ctx *ctx, const char *key)
{
	for (int i = 0; i < ctx->opts->nopt; i++)
		if (!strcmp(ctx->opts->opt[i].key, key))
			return ctx->opts->opt[i].value;
	return NULL;
}

int check_enum(const char *v, const char *const *allowed)
{
	if (!v || !*v)
		return 0;
	return word_index(v, allowed) >= 0 ? 0 : -1;     /* any case */
}

int check_account(const char *v)
{
	const char *colon = strchr(v, ':');
	return colon && colon > v && colon[1] ? 0 : -1;
}

int check_date(const char *v)
{
	long long days;
	return !v || !*v ? 0 : time_parse_date(v, &days);
}

/* The manifest row of an input already loaded, and how many of its
 * records were skipped then (said again: a re-import adds nothing). */
static int find_input(struct store *st, const char *kind, const char *sha, long long *id,
		      unsigned long *skipped)
{
	struct stmt *s = stmt_prepare(st,
		"SELECT input_id, skipped FROM inputs WHERE kind = ?1 AND sha256 = ?2");
	int rc;

	if (!s)
		return -1;
	stmt_bind_text(s, 1, kind);
	stmt_bind_text(s, 2, sha);
	rc = stmt_step(s);
	if (rc == 1) {
		*id = stmt_int(s, 0);
		*skipped = (unsigned long)stmt_int(s, 1);
	}
	stmt_free(s);
	return rc;
}

/* The new row's id comes after every id ever used, the superseded ones
 * too, so evidence of an earlier run never points at a newer file. */
static int add_input(struct ingest_ctx *ctx, long long size, const char *sha)
{
	struct stmt *s = stmt_prepare(ctx->st,
		"INSERT INTO inputs (input_id, kind, path, size, sha256, loaded_at, abs_path,"
		" config_key) VALUES ((SELECT coalesce(max(m), 0) + 1 FROM"
		" (SELECT max(input_id) m FROM inputs UNION ALL SELECT max(input_id) FROM input_history)),"
		" ?1, ?2, ?3, ?4, ?5, ?6, ?7)");
	char now[TIME_ISO_LEN];
	char *abs = realpath(ctx->path, NULL);
	int rc;

	if (!s) {
		free(abs);
		return -1;
	}
	time_fmt_iso((long long)time(NULL), now);
	stmt_bind_text(s, 1, ctx->kind);
	stmt_bind_text(s, 2, ctx->opts->manifest_path ? ctx->opts->manifest_path : ctx->path);
	stmt_bind_int(s, 3, size);
	stmt_bind_text(s, 4, sha);
	stmt_bind_text(s, 5, now);
	stmt_bind_text(s, 6, abs);      /* NULL when it cannot be resolved */
	stmt_bind_text(s, 7, ctx->opts->config_key);
	free(abs);
	rc = stmt_step(s);
	stmt_free(s);
	if (rc < 0)
		return -1;
	ctx->input_id = store_last_rowid(ctx->st);
	return 0;
}

/* The tables whose rows carry the input they came from (records.c,
 * crosscheck.c); the tracker's are not here (keep_versions). */
static const char *const record_tables[] = {
	"accounts", "devices", "device_apps", "usage", "store_messages",
	"retention_policies", "data_quality", "device_events", "device_ids",
};

int ingest_retire(struct store *st, long long id, long long by, const char *reason)
{
	char now[TIME_ISO_LEN], sql[128];
	struct stmt *s;
	int rc = 0;

	for (size_t i = 0; !rc && i < sizeof(record_tables) / sizeof(record_tables[0]); i++) {
		snprintf(sql, sizeof(sql), "DELETE FROM %s WHERE input_id = ?1", record_tables[i]);
		s = stmt_prepare(st, sql);
		if (!s)
			return -1;
		stmt_bind_int(s, 1, id);
		rc = stmt_step(s) < 0 ? -1 : 0;
		stmt_free(s);
	}
	if (rc)
		return -1;
	s = stmt_prepare(st, "INSERT INTO input_history (input_id, kind, path, size, sha256,"
			 " records, skipped, ignored, loaded_at, abs_path, config_key, retired_at,"
			 " superseded_by, reason) SELECT input_id, kind, path, size, sha256, records,"
			 " skipped, ignored, loaded_at, abs_path, config_key, ?2, ?3, ?4"
			 " FROM inputs WHERE input_id = ?1");
	if (!s)
		return -1;
	time_fmt_iso((long long)time(NULL), now);
	stmt_bind_int(s, 1, id);
	stmt_bind_text(s, 2, now);
	if (by > 0)
		stmt_bind_int(s, 3, by);
	stmt_bind_text(s, 4, reason);
	rc = stmt_step(s) < 0 ? -1 : 0;
	stmt_free(s);
	if (rc)
		return -1;
	s = stmt_prepare(st, "DELETE FROM inputs WHERE input_id = ?1");
	if (!s)
		return -1;
	stmt_bind_int(s, 1, id);
	rc = stmt_step(s) < 0 ? -1 : 0;
	stmt_free(s);
	return rc;
}

/* The audit reflects the current version of each input (spec 7): the
 * loaded file replaces the earlier versions of the same kind and file, or
 * of the same audit.ini key, in this transaction. */
static int supersede(struct ingest_ctx *ctx, struct ingest_result *res)
{
	struct stmt *s = stmt_prepare(ctx->st,
		"SELECT input_id, sha256 FROM inputs WHERE kind = ?1 AND input_id != ?2 AND"
		" ((abs_path IS NOT NULL AND abs_path = (SELECT abs_path FROM inputs WHERE input_id = ?2))"
		" OR (?3 IS NOT NULL AND config_key = ?3)) ORDER BY input_id");
	long long ids[64];
	int n = 0, rc;

	if (!s)
		return -1;
	stmt_bind_text(s, 1, ctx->kind);
	stmt_bind_int(s, 2, ctx->input_id);
	stmt_bind_text(s, 3, ctx->opts->config_key);
	while ((rc = stmt_step(s)) == 1 && n < 64) {
		ids[n++] = stmt_int(s, 0);
		snprintf(res->old_sha256, sizeof(res->old_sha256), "%s", stmt_text(s, 1));
	}
	stmt_free(s);
	if (rc < 0)
		return -1;
	for (int i = 0; i < n; i++)
		if (ingest_retire(ctx->st, ids[i], ctx->input_id, "superseded"))
			return -1;
	res->superseded += (unsigned)n;
	return 0;
}

static int close_input(struct ingest_ctx *ctx)
{
	struct stmt *s = stmt_prepare(ctx->st,
		"UPDATE inputs SET records = ?1, skipped = ?2, ignored = ?3"
		" WHERE input_id = ?4");
	int rc;

	if (!s)
		return -1;
	stmt_bind_int(s, 1, (long long)ctx->records);
	stmt_bind_int(s, 2, (long long)ctx->bad.count);
	stmt_bind_int(s, 3, (long long)(ctx->ignored + ctx->ignored_fields));
	stmt_bind_int(s, 4, ctx->input_id);
	rc = stmt_step(s);
	stmt_free(s);
	return rc < 0 ? -1 : 0;
}

/* A large file's SHA-256 is computed on a thread of its own while the file
 * loads (it took a sixth of the loading thread's time, spec 8), when no
 * input of its kind has its size: then it cannot be one already loaded,
 * whatever its hash. The manifest row gets the hash before the commit. */
#define SHA_CONCURRENT_BYTES (64LL << 20)

struct sha_job {
	pthread_t tid;
	const char *path;
	char hex[SHA256_HEX_LEN];
	long long size;
	int rc;
	double busy, cpu;               /* its time, for timing.h */
};

static void *sha_main(void *arg)
{
	struct sha_job *j = arg;
	double start = timing_now(CLOCK_MONOTONIC);

	j->rc = sha256_file(j->path, j->hex, &j->size);
	j->busy = timing_now(CLOCK_MONOTONIC) - start;
	j->cpu = timing_now(CLOCK_THREAD_CPUTIME_ID);
	return NULL;
}

/* 1 when path is a large readable regular file whose size no input of
 * this kind has (*size set), 0 when not, -1 on a database error. */
static int hash_later(struct store *st, const char *kind, const char *path, long long *size)
{
	struct stat sb;
	int rc;

	if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size < SHA_CONCURRENT_BYTES ||
	    access(path, R_OK) != 0)
		return 0;
	struct stmt *s = stmt_prepare(st, "SELECT 1 FROM inputs WHERE kind = ?1 AND size = ?2");
	if (!s)
		return -1;
	stmt_bind_text(s, 1, kind);
	stmt_bind_int(s, 2, (long long)sb.st_size);
	rc = stmt_step(s);
	stmt_free(s);
	*size = (long long)sb.st_size;
	return rc < 0 ? -1 : !rc;
}

static int set_input_sha(struct ingest_ctx *ctx, const struct sha_job *j)
{
	struct stmt *s = stmt_prepare(ctx->st,
		"UPDATE inputs SET sha256 = ?1, size = ?2 WHERE input_id = ?3");
	int rc;

	if (!s)
		return -1;
	stmt_bind_text(s, 1, j->hex);
	stmt_bind_int(s, 2, j->size);
	stmt_bind_int(s, 3, ctx->input_id);
	rc = stmt_step(s);
	stmt_free(s);
	return rc < 0 ? -1 : 0;
}

/* Hash the input into res: now, or a large file on a second thread
 * (*later: the caller joins job); a folder (of a kind that reads one):
 * its digest (dirin.h), *folder its files for input_files. 0 or -1. */
static int hash_input(struct store *st, const struct ingest_kind *k, const char *path,
		      struct ingest_result *res, struct sha_job *job, int *later,
		      struct dirin **folder)
{
	struct stat sb;

	*folder = NULL;
	if (k->reads_folder && stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
		*later = 0;
		if (!(*folder = dirin_open(path)))
			return -1;
		return dirin_hash(*folder, res->sha256, &res->size);
	}
	*later = hash_later(st, k->name, path, &res->size);
	if (*later < 0)
		return -1;
	if (*later) {
		job->path = path;
		/* unique within the transaction; replaced before the commit */
		snprintf(res->sha256, sizeof(res->sha256), "pending");
		if (pthread_create(&job->tid, NULL, sha_main, job) != 0)
			*later = 0;
	}
	return *later ? 0 : sha256_file(path, res->sha256, &res->size);
}

/* The files of a folder input, each with its size and SHA-256 (the
 * folder's digest in inputs is over this list). */
static int put_input_files(struct ingest_ctx *ctx, const struct dirin *d)
{
	struct stmt *s = stmt_prepare(ctx->st, "INSERT INTO input_files (input_id, path, size,"
				      " sha256) VALUES (?1,?2,?3,?4)");
	int rc = s ? 0 : -1;

	for (size_t i = 0; !rc && i < dirin_count(d); i++) {
		stmt_bind_int(s, 1, ctx->input_id);
		stmt_bind_text(s, 2, dirin_name(d, i));
		stmt_bind_int(s, 3, dirin_file_size(d, i));
		stmt_bind_text(s, 4, dirin_file_sha256(d, i));
		rc = stmt_step(s) < 0 ? -1 : 0;
		stmt_reset(s);
	}
	stmt_free(s);
	return rc;
}

/* ---- side files: files an option names and the loader reads ---------- */

#define MAX_SIDE 4

struct side_file {
	const char *option, *path, *given;
	char sha256[SHA256_HEX_LEN];
	long long size;
	struct stat st;                 /* when hashed: see same_stat */
};

struct sides {
	struct side_file f[MAX_SIDE];
	int n;
};

/* Hash each file an option of the kind's file_options names (the first
 * value of each, as ingest_opt reads it). 0, or -1 (said). */
static int hash_sides(const struct ingest_kind *k, const struct ingest_opts *o,
		      struct sides *sd)
{
	sd->n = 0;
	for (const char *const *f = k->file_options; f && *f && sd->n < MAX_SIDE; f++) {
		int i = 0;
		while (i < o->nopt && strcmp(o->opt[i].key, *f))
			i++;
		if (i == o->nopt || !*o->opt[i].value)
			continue;
		struct side_file *s = &sd->f[sd->n++];
		s->option = *f;
		s->path = o->opt[i].value;
		s->given = o->opt_given && o->opt_given[i] ? o->opt_given[i] : s->path;
		if (stat(s->path, &s->st))
			memset(&s->st, 0, sizeof(s->st));
		if (sha256_file(s->path, s->sha256, &s->size))
			return -1;
	}
	return 0;
}

/* 1 when input id was loaded with the same side files (by option and
 * SHA-256), 0 when not: then this is another version of it. -1 on error. */
static int same_sides(struct store *st, long long id, const struct sides *sd)
{
	struct stmt *s = stmt_prepare(st, "SELECT option, sha256 FROM input_files"
				      " WHERE input_id = ?1 AND option IS NOT NULL");
	int rc, rows = 0, same = 1;

	if (!s)
		return -1;
	stmt_bind_int(s, 1, id);
	while ((rc = stmt_step(s)) == 1) {
		int found = 0;
		for (int i = 0; i < sd->n; i++)
			found |= !strcmp(sd->f[i].option, stmt_text(s, 0)) &&
				 !strcmp(sd->f[i].sha256, stmt_text(s, 1));
		same &= found;
		rows++;
	}
	stmt_free(s);
	return rc < 0 ? -1 : same && rows == sd->n;
}

static int put_sides(struct ingest_ctx *ctx, const struct sides *sd)
{
	struct stmt *s = stmt_prepare(ctx->st, "INSERT INTO input_files (input_id, path, size,"
				      " sha256, option, abs_path) VALUES (?1,?2,?3,?4,?5,?6)");
	int rc = s ? 0 : -1;

	for (int i = 0; !rc && i < sd->n; i++) {
		char *abs = realpath(sd->f[i].path, NULL);
		stmt_bind_int(s, 1, ctx->input_id);
		stmt_bind_text(s, 2, sd->f[i].given);
		stmt_bind_int(s, 3, sd->f[i].size);
		stmt_bind_text(s, 4, sd->f[i].sha256);
		stmt_bind_text(s, 5, sd->f[i].option);
		stmt_bind_text(s, 6, abs);
		free(abs);
		rc = stmt_step(s) < 0 ? -1 : 0;
		stmt_reset(s);
	}
	stmt_free(s);
	return rc;
}

/* The file is still the one that was hashed: same inode, size and
 * modification time. */
static int same_stat(const char *path, const struct stat *hashed)
{
	struct stat now;

	return !stat(path, &now) && now.st_dev == hashed->st_dev &&
	       now.st_ino == hashed->st_ino && now.st_size == hashed->st_size &&
	       now.st_mtim.tv_sec == hashed->st_mtim.tv_sec &&
	       now.st_mtim.tv_nsec == hashed->st_mtim.tv_nsec;
}

static int check_sides_unchanged(const struct sides *sd)
{
	for (int i = 0; i < sd->n; i++) {
		struct src_loc at = { sd->f[i].path, 0, 0 };
		if (!same_stat(sd->f[i].path, &sd->f[i].st))
			return diag_error(&at, "changed while it was read (its size, modification"
					  " time or inode is not what it was when hashed); load it"
					  " when nothing writes to it");
	}
	return 0;
}

/* The manifest records the digest of the file as hashed; what the loader
 * read must be the same bytes. A copy the loader read has a digest to
 * compare; a file read in place must still be the file that was hashed
 * (same inode, size and modification time). 0, or -1 (said). */
static int check_unchanged(const struct ingest_ctx *ctx, const struct stat *hashed,
			   const char *sha256)
{
	struct src_loc at = { ctx->path, 0, 0 };

	if (ctx->read_sha256[0] && strcmp(ctx->read_sha256, sha256))
		return diag_error(&at, "changed while it was read (SHA-256 %.12s when hashed,"
				  " %.12s when copied to be read); load it when nothing writes to it",
				  sha256, ctx->read_sha256);
	if (ctx->read_sha256[0])
		return 0;
	if (!same_stat(ctx->path, hashed))
		return diag_error(&at, "changed while it was read (its size, modification time"
				  " or inode is not what it was when hashed); load it when nothing"
				  " writes to it");
	return 0;
}

/* The hash of the second thread, once the load (rc) is done: into the
 * manifest row and res. rc, or -1. */
static int join_hash(struct ingest_ctx *ctx, struct sha_job *job, struct ingest_result *res,
		     int rc)
{
	pthread_join(job->tid, NULL);
	phase_part(job->busy, job->cpu, "hash (thread)");
	if (rc || job->rc)
		return -1;
	memcpy(res->sha256, job->hex, sizeof(res->sha256));
	res->size = job->size;
	return set_input_sha(ctx, job);
}

/* A folder read in place: its files hashed again must give the digest
 * the manifest records (a file written meanwhile would not). */
static int check_folder_unchanged(const struct ingest_ctx *ctx, const char *sha256)
{
	struct src_loc at = { ctx->path, 0, 0 };
	char now[SHA256_HEX_LEN];
	long long size;

	if (dirin_sha256_input(ctx->path, now, &size))
		return -1;
	if (strcmp(now, sha256))
		return diag_error(&at, "changed while it was read (SHA-256 %.12s when hashed,"
				  " %.12s after); load it when nothing writes to it", sha256, now);
	return 0;
}

/* The manifest row of the file being loaded, with its folder's files and
 * its side files. replaced: the same bytes loaded with other side files
 * (side names the kind's): a kind has one row per SHA-256, so that
 * version is retired first, then marked superseded by this one. */
static int start_input(struct ingest_ctx *ctx, struct ingest_result *res,
		       const struct dirin *folder, const struct sides *sd, long long replaced,
		       const char *side)
{
	struct stmt *s;
	int rc = replaced ? ingest_retire(ctx->st, replaced, 0, "superseded") : 0;

	if (!rc)
		rc = add_input(ctx, res->size, res->sha256);
	if (!rc && folder)
		rc = put_input_files(ctx, folder);
	if (!rc)
		rc = put_sides(ctx, sd);
	if (rc || !replaced)
		return rc;
	s = stmt_prepare(ctx->st, "UPDATE input_history SET superseded_by = ?1 WHERE input_id = ?2");
	if (!s)
		return -1;
	stmt_bind_int(s, 1, ctx->input_id);
	stmt_bind_int(s, 2, replaced);
	rc = stmt_step(s) < 0 ? -1 : 0;
	stmt_free(s);
	res->superseded = 1;
	memcpy(res->old_sha256, res->sha256, sizeof(res->old_sha256));
	res->side_changed = side;
	return rc;
}

/* After the load: what was read is what was hashed. */
static int check_read(const struct ingest_ctx *ctx, int is_folder, const struct stat *hashed,
		      const char *sha256, const struct sides *sd)
{
	int rc = is_folder ? check_folder_unchanged(ctx, sha256)
			   : check_unchanged(ctx, hashed, sha256);
	return rc ? rc : check_sides_unchanged(sd);
}

/* 1 when this file, with the same side files, is loaded already; 0 when
 * not (*existing: the version it replaces, or 0); -1 on an error. */
static int already_loaded(struct store *st, const struct ingest_kind *k,
			  struct ingest_result *res, const struct sides *sd, long long *existing)
{
	int rc = find_input(st, k->name, res->sha256, existing, &res->skipped);

	if (rc == 1)            /* the same file with other side files is new */
		return same_sides(st, *existing, sd);
	*existing = 0;
	return rc;
}

int ingest_file(struct store *st, const struct ingest_kind *k, const char *path,
		const struct ingest_opts *opts, struct ingest_result *res)
{
	struct ingest_ctx ctx;
	struct sha_job job = { 0 };
	struct stat hashed;
	struct dirin *folder;
	struct sides sd;
	long long existing = 0;
	int rc, later, is_folder;

	memset(res, 0, sizeof(*res));
	res->status = INGEST_FAILED;
	phase_stage("ingest %s", k->name);
	if (hash_sides(k, opts, &sd))
		return -1;
	if (stat(path, &hashed))        /* before hashing: see check_unchanged */
		memset(&hashed, 0, sizeof(hashed));
	rc = hash_input(st, k, path, res, &job, &later, &folder);
	if (!later)
		phase("hash");
	if (!rc && !later)
		rc = already_loaded(st, k, res, &sd, &existing);
	if (rc == 1) {
		dirin_close(folder);
		res->status = INGEST_ALREADY;
		return 0;
	}
	if (rc < 0) {
		dirin_close(folder);
		return -1;
	}
	memset(&ctx, 0, sizeof(ctx));
	ctx.st = st;
	ctx.kind = k->name;
	ctx.path = path;
	ctx.opts = opts;
	bad_records_init(&ctx.bad, path, opts->strict);
	if (store_begin(st)) {
		if (later)
			pthread_join(job.tid, NULL);
		dirin_close(folder);
		return -1;
	}
	rc = start_input(&ctx, res, folder, &sd, existing,
			 k->file_options ? k->file_options[0] : NULL);
	is_folder = folder != NULL;
	dirin_close(folder);
	if (!rc && (k->load(&ctx) || records_flush(&ctx)))
		rc = -1;
	if (later)
		rc = join_hash(&ctx, &job, res, rc);
	phase("load");
	if (!rc)
		rc = check_read(&ctx, is_folder, &hashed, res->sha256, &sd);
	/* a file whose rows all wait for a reference is loaded: they are kept */
	if (!rc && !ctx.records && !ctx.kept && ctx.bad.count) {
		struct src_loc at = { path, 0, 0 };
		rc = diag_error(&at, "no usable records (%lu bad)", ctx.bad.count);
	}
	if (!rc)
		rc = close_input(&ctx);
	records_release(&ctx);
	if (!rc && !k->keep_versions)
		rc = supersede(&ctx, res);
	if (!rc)
		rc = store_commit(st);
	if (rc) {
		store_rollback(st);
		struct src_loc at = { path, 0, 0 };
		diag_error(&at, "not loaded; the audit database is unchanged");
		return -1;
	}
	phase("commit");
	bad_records_summary(&ctx.bad);
	res->status = INGEST_LOADED;
	res->records = ctx.records;
	res->skipped = ctx.bad.count;
	res->ignored = ctx.ignored + ctx.ignored_fields;
	return 0;
}

int ingest_csv_has_column(struct ingest_ctx *ctx, const char *const *names)
{
	struct textin *t = textin_open(ctx->path);
	struct csv_reader *r;
	struct csv_header h = { 0, NULL };
	struct csv_row row;
	const char *err;
	int found = 0;

	if (!t)
		return -1;
	r = csv_reader_new(t);
	if (csv_next(r, &row, &err) == 1) {
		csv_header_init(&h, &row);
		for (int i = 0; names[i] && !found; i++)
			found = csv_header_find(&h, names[i]) >= 0;
		csv_header_release(&h);
	} else {
		found = 1;              /* ingest_csv says what is wrong */
	}
	csv_reader_free(r);
	return found;
}

int ingest_csv(struct ingest_ctx *ctx, const struct csv_col *cols, int ncols,
	       csv_row_fn row_fn)
{
	struct textin *t = textin_open(ctx->path);
	struct csv_reader *r;
	struct csv_header h = { 0, NULL };
	struct csv_row row;
	const char *err;
	int idx[64], rc, status = 0;
	const char *val[64];

	if (!t)
		return -1;
	if (ncols > 64)
		ncols = 64;
	r = csv_reader_new(t);
	rc = csv_next(r, &row, &err);
	if (rc <= 0) {
		struct src_loc at = { ctx->path, rc == 0 ? 1 : row.line, 0 };
		csv_reader_free(r);
		if (rc == -2)
			return -1;
		return diag_error(&at, rc == 0 ? "file is empty (expected a header row)"
				  : "bad header row: %s", err);
	}
	csv_header_init(&h, &row);
	for (int i = 0; i < ncols; i++) {
		idx[i] = csv_header_find(&h, cols[i].name);
		if (idx[i] < 0 && cols[i].required) {
			struct src_loc at = { ctx->path, row.line, 0 };
			status = diag_error(&at, "header has no column '%s'", cols[i].name);
		}
	}
	if (status)
		goto out;
	while ((rc = csv_next(r, &row, &err)) != 0) {
		if (rc == -2) {
			status = -1;
			break;
		}
		if (rc == -1) {
			if (bad_record(&ctx->bad, row.line, 0, "%s", err)) {
				status = -1;
				break;
			}
			continue;
		}
		int bad = 0;
		for (size_t i = 0; i < row.n && !bad; i++) {
			size_t at = utf8_check(row.field[i], row.len[i]);
			if (at || memchr(row.field[i], '\0', row.len[i])) {
				const char *name = i < h.n ? h.name[i] : "?";
				bad = 1;
				if (bad_record(&ctx->bad, row.line, 0, "%s in column '%s'",
					       at ? "invalid UTF-8" : "NUL byte", name))
					status = -1;
			}
		}
		if (status)
			break;
		if (bad)
			continue;
		for (int i = 0; i < ncols; i++) {
			const char *v = csv_field(&row, idx[i]);
			val[i] = v ? v : "";
		}
		if (row_fn(ctx, val, row.line)) {
			status = -1;
			break;
		}
	}
out:
	csv_header_release(&h);
	csv_reader_free(r);
	return status;
}
