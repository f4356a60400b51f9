/* ingest: load one input file of one kind into the audit store, as one
 * transaction, recorded in the manifest by SHA-256 (a file already loaded
 * adds nothing). The engine knows no kind: the table of kinds (kinds.h)
 * lives above it and gives each kind's loader (adapters.h, tracker.h). */
#ifndef UDAUDIT_INGEST_H
#define UDAUDIT_INGEST_H

#include "diag.h"

struct store;
struct stmt;
struct rowbatch;

/* key=value options of one input (whatsapp --account/--self, ...). */
struct ingest_opt {
	const char *key, *value;
};

struct ingest_opts {
	int strict;                     /* the first bad record is fatal */
	const char *rules_dir;          /* for adapters that map app ids; may be NULL */
	const struct ingest_opt *opt;   /* kind-specific options */
	int nopt;
	/* how the manifest names the file (NULL: as opened): `run` gives the
	   path as written in audit.ini, the same from any directory */
	const char *manifest_path;
	/* "CONFIG#key" when an audit.ini key names this one input: a new file
	   under the key supersedes the old one even under another name */
	const char *config_key;
	/* per opt[i], how the manifest names the file a file option names
	   (NULL, or a NULL entry: its value): `run` gives it as written */
	const char *const *opt_given;
};

enum { BATCH_USAGE, BATCH_STORE_MSG, RECORD_BATCHES };

struct ingest_ctx {
	struct store *st;
	const char *kind, *path;
	long long input_id;             /* row of this file in `inputs` */
	const struct ingest_opts *opts;
	struct bad_records bad;
	unsigned long records;          /* records loaded (the loader counts) */
	unsigned long kept;             /* bad rows kept to load later (tracker.c) */
	unsigned long ignored;          /* unknown events ignored, counted */
	unsigned long ignored_fields;   /* unknown fields ignored, counted */
	struct stmt *put[9];            /* statements cached by records.c */
	struct record_batch {           /* rows not yet written (records.c) */
		struct rowbatch *rows;
		unsigned long first_line, last_line;    /* lowest, highest */
	} batch[RECORD_BATCHES];
	void *user;                     /* the loader's own state, for its row callbacks */
	/* the SHA-256 of what the loader read when it read a copy of the file
	   ("" when it read the file itself): ingest_file checks that it is the
	   digest the manifest records, else the file changed after hashing */
	char read_sha256[65];
};

/* A loader reads ctx->path and calls records_put_*. It returns 0, or -1 to
 * fail the file (then nothing of it is kept). Bad records go through
 * bad_record(&ctx->bad, ...) and, when that returns -1 (strict), the loader
 * returns -1. */
typedef int (*ingest_loader)(struct ingest_ctx *ctx);

/* One input kind; the table of them is in kinds.h. */
struct ingest_kind {
	const char *name;
	ingest_loader load;
	const char *summary;
	/* 1: versions are kept side by side, never superseded (the tracker
	   kinds: a re-import never undoes a dated update, issue 11) */
	int keep_versions;
	/* 1: the input may be a folder (an unzipped export): hashed as
	   dirin.h says, its files listed in input_files */
	int reads_folder;
	/* the options whose value names a file the loader reads (NULL-ended,
	   or NULL): each is hashed into input_files beside the input, a new
	   version of it is a new version of the input, verify checks it */
	const char *const *file_options;
};

/* The option's value or NULL. */
const char *ingest_opt(const struct ingest_ctx *ctx, const char *key);

enum ingest_status { INGEST_LOADED, INGEST_ALREADY, INGEST_FAILED };

struct ingest_result {
	enum ingest_status status;
	unsigned long records, skipped, ignored;
	char sha256[65];
	long long size;
	unsigned superseded;            /* earlier versions this one replaced */
	char old_sha256[65];            /* the (last) one replaced */
	/* the file is the one replaced, its side file (this option's) is
	   not: NULL when the input itself changed */
	const char *side_changed;
};

/* Load one file as kind (from kinds.h; not NULL). Prints its own errors. Returns 0 (loaded or already
 * there: see res->status) or -1 (failed: the DB is as it was). */
int ingest_file(struct store *st, const struct ingest_kind *kind, const char *path,
		const struct ingest_opts *opts, struct ingest_result *res);

/* Take input id out of the audit: its records are deleted and its
 * manifest row moves to input_history (kept, not reported) with reason
 * ("superseded" by input `by`, or "retired"). Within the caller's
 * transaction. 0 or -1. */
int ingest_retire(struct store *st, long long id, long long by, const char *reason);

/* 1 when the header row of the input's CSV has a column named one of
 * names (case-insensitive, NULL-ended), 0 when not, -1 when the file
 * cannot be read (printed). A file without a readable header row counts
 * as having it: ingest_csv then says what is wrong. For an adapter that
 * refuses a file that is not its export before reading a row. */
int ingest_csv_has_column(struct ingest_ctx *ctx, const char *const *names);

/* CSV inputs: find columns by header name (any order, case-insensitive),
 * call row() for each data row with the values in the order of cols ("" for
 * an empty or missing column). A required column missing from the header
 * fails the file at line 1; rows with bad UTF-8 or bad quoting are bad
 * records. row() returns 0, or -1 to fail the file; it reports its own bad
 * records through bad_record(). */
struct csv_col {
	const char *name;
	int required;
};
typedef int (*csv_row_fn)(struct ingest_ctx *ctx, const char *const *val,
			  unsigned long line);
int ingest_csv(struct ingest_ctx *ctx, const struct csv_col *cols, int ncols,
	       csv_row_fn row);

/* Helpers for validating fields; each returns 0 when valid. */
int check_enum(const char *v, const char *const *allowed);     /* "" is valid */
int check_date(const char *v);                                  /* "" is valid */
int check_account(const char *v);       /* "app:handle", both non-empty */

#endif
