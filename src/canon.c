/* canon: the readers of the canonical inputs of spec §3.1–3.5. Each value is
 * validated; a bad record is skipped and counted with its file:line. */
#include "adapters.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "csvin.h"
#include "pipeline.h"
#include "records.h"
#include "store.h"
#include "suggest.h"
#include "timeutil.h"
#include "tzguess.h"
#include "diag.h"
#include "utf8.h"
#include "xalloc.h"

static const char *const roles[] = { "capstone", "standard", "support", NULL };
static const char *const yes_no[] = { "yes", "no", NULL };
static const char *const captures[] = { "archiver", "manual", "none", NULL };
static const char *const platforms[] = { "ios", "android", "windows", "macos", NULL };
static const char *const ownerships[] = { "gfe", "byod", NULL };
static const char *const statuses[] = {
	"active", "replaced", "wiped", "retired", "lost", "stolen", NULL
};

static int tristate(const char *v)
{
	return !*v ? -1 : !strcmp(v, "yes");
}

/* App keys are lowercase words (apps.ini's sections); any case is
 * accepted and folded, in accounts.csv as in usage.jsonl. "" stays "". */
static int app_key(const char *v, char out[64])
{
	size_t n = strlen(v);

	if (n >= 64)
		return -1;
	for (size_t i = 0; i <= n; i++) {
		out[i] = (char)tolower((unsigned char)v[i]);
		if (out[i] && !islower((unsigned char)out[i]) && !isdigit((unsigned char)out[i]) &&
		    out[i] != '_')
			return -1;
	}
	return 0;
}

/* Every problem of one row, reported together as one bad record. */
struct row_errors {
	char msg[1024];
	size_t len;
};

static void row_error(struct row_errors *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void row_error(struct row_errors *e, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (e->len >= sizeof(e->msg) - 1)
		return;
	if (e->len)
		e->len += (size_t)snprintf(e->msg + e->len, sizeof(e->msg) - e->len, "; ");
	if (e->len >= sizeof(e->msg) - 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(e->msg + e->len, sizeof(e->msg) - e->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		e->len += (size_t)n;
	if (e->len >= sizeof(e->msg))
		e->len = sizeof(e->msg) - 1;
}

/* The allowed word for v in any case ("Yes" is yes), "" for "", or NULL
 * after noting "bad value 'x' for 'role' (expected capstone, standard or
 * support; did you mean ...?)". */
static const char *enum_value(struct row_errors *e, const char *col, const char *v,
			      const char *const *allowed)
{
	char hint[400];
	int i;

	if (!*v)
		return v;
	i = word_index(v, allowed);
	if (i >= 0)
		return allowed[i];
	words_hint(v, allowed, hint, sizeof(hint));
	row_error(e, "bad value '%s' for '%s'%s", v, col, hint);
	return NULL;
}

static void date_value(struct row_errors *e, const char *col, const char *v)
{
	if (check_date(v))
		row_error(e, "bad date '%s' for '%s' (expected YYYY-MM-DD)", v, col);
}

static int row_done(struct ingest_ctx *ctx, const struct row_errors *e, unsigned long line)
{
	return bad_record(&ctx->bad, line, 0, "%s", e->msg);
}

/* ---- accounts.csv (3.1) ---- */

static const struct csv_col account_cols[] = {
	{ "account", 1 }, { "app", 0 }, { "custodian_id", 1 }, { "custodian_name", 0 },
	{ "office", 0 }, { "role", 0 }, { "official", 0 }, { "capture", 0 },
	{ "approved_on", 0 }, { "opened_on", 0 }, { "closed_on", 0 },
};

static int account_row(struct ingest_ctx *ctx, const char *const *v, unsigned long line)
{
	struct row_errors e = { "", 0 };
	struct account_rec r;
	char app[64] = "";
	const char *role, *official, *capture;

	if (!*v[0])
		row_error(&e, "empty 'account'");
	else if (check_account(v[0]))
		row_error(&e, "bad account '%s' (expected app:handle)", v[0]);
	else if (!*v[1])
		/* an empty app is the account's prefix */
		snprintf(app, sizeof(app), "%.*s", (int)(strchr(v[0], ':') - v[0]), v[0]);
	if (*v[1] && app_key(v[1], app))
		row_error(&e, "bad app key '%s' (expected a word of letters, digits and _)", v[1]);
	else if (!*v[1] && *app && app_key(app, app))
		row_error(&e, "bad app key '%s' in account '%s'", app, v[0]);
	role = enum_value(&e, "role", v[5], roles);
	official = enum_value(&e, "official", v[6], yes_no);
	capture = enum_value(&e, "capture", v[7], captures);
	date_value(&e, "approved_on", v[8]);
	date_value(&e, "opened_on", v[9]);
	date_value(&e, "closed_on", v[10]);
	if (e.len)
		return row_done(ctx, &e, line);
	r = (struct account_rec){
		.account = v[0], .app = app, .custodian_id = v[2],
		.custodian_name = v[3], .office = v[4], .role = role,
		.official = tristate(official), .capture = capture, .approved_on = v[8],
		.opened_on = v[9], .closed_on = v[10],
	};
	return records_put_account(ctx, line, &r);
}

int load_accounts(struct ingest_ctx *ctx)
{
	return ingest_csv(ctx, account_cols, 11, account_row);
}

/* ---- devices.csv (3.2) ---- */

static const struct csv_col device_cols[] = {
	{ "device_id", 1 }, { "custodian_id", 0 }, { "platform", 0 }, { "model", 0 },
	{ "ownership", 0 }, { "managed", 0 }, { "status", 0 }, { "status_on", 0 },
	{ "replaced_by", 0 }, { "enrolled_on", 0 },
};

static int device_row(struct ingest_ctx *ctx, const char *const *v, unsigned long line)
{
	struct row_errors e = { "", 0 };
	struct device_rec r;
	const char *platform, *ownership, *managed, *status;

	if (!*v[0])
		row_error(&e, "empty 'device_id'");
	platform = enum_value(&e, "platform", v[2], platforms);
	ownership = enum_value(&e, "ownership", v[4], ownerships);
	managed = enum_value(&e, "managed", v[5], yes_no);
	status = enum_value(&e, "status", v[6], statuses);
	date_value(&e, "status_on", v[7]);
	date_value(&e, "enrolled_on", v[9]);
	if (e.len)
		return row_done(ctx, &e, line);
	r = (struct device_rec){
		.device_id = v[0], .custodian_id = v[1], .platform = platform, .model = v[3],
		.ownership = ownership, .managed = tristate(managed), .status = status,
		.status_on = v[7], .replaced_by = v[8], .enrolled_on = v[9],
	};
	return records_put_device(ctx, line, &r);
}

int load_devices(struct ingest_ctx *ctx)
{
	return ingest_csv(ctx, device_cols, 10, device_row);
}

/* ---- device_apps.csv (3.3) ---- */

static const struct csv_col device_app_cols[] = {
	{ "device_id", 1 }, { "app_id", 1 }, { "app_name", 0 }, { "version", 0 },
	{ "first_seen", 0 }, { "last_seen", 0 },
};

/* A date or a timestamp, kept as the UTC date; "" stays "". A timestamp
 * without a zone is read in tz=, or taken as UTC and said (tzguess.h). */
static int seen_date(struct ingest_ctx *ctx, const char *v, unsigned long line,
		     char out[TIME_DATE_LEN])
{
	long long ts;

	out[0] = '\0';
	if (!*v)
		return 0;
	if (time_parse(v, &ts, NULL))
		return -1;
	tz_guess_apply(ctx->user, v, &ts, line, NULL);
	time_fmt_day(ts, out);
	return 0;
}

static int device_app_row(struct ingest_ctx *ctx, const char *const *v, unsigned long line)
{
	struct device_app_rec r;
	char first[TIME_DATE_LEN], last[TIME_DATE_LEN];

	if (!*v[0] || !*v[1])
		return bad_record(&ctx->bad, line, 0, "empty '%s'", *v[0] ? "app_id" : "device_id");
	if (seen_date(ctx, v[4], line, first))
		return bad_record(&ctx->bad, line, 0, "bad date '%s' for 'first_seen'", v[4]);
	if (seen_date(ctx, v[5], line, last))
		return bad_record(&ctx->bad, line, 0, "bad date '%s' for 'last_seen'", v[5]);
	r = (struct device_app_rec){
		.device_id = v[0], .app_id = v[1], .app_name = v[2], .version = v[3],
		.first_seen = first, .last_seen = last,
	};
	return records_put_device_app(ctx, line, &r);
}

int load_device_apps(struct ingest_ctx *ctx)
{
	struct tz_guess tz;
	int rc;

	if (tz_guess_init(&tz, ctx))
		return -1;
	ctx->user = &tz;
	rc = ingest_csv(ctx, device_app_cols, 6, device_app_row);
	ctx->user = NULL;
	return rc ? rc : tz_guess_report(&tz, ctx);
}

int canon_csv_columns(const char *kind, const struct csv_col **cols)
{
	static const struct {
		const char *kind;
		const struct csv_col *cols;
		size_t n;
	} tables[] = {
		{ "accounts", account_cols, sizeof(account_cols) / sizeof(account_cols[0]) },
		{ "devices", device_cols, sizeof(device_cols) / sizeof(device_cols[0]) },
		{ "device-apps", device_app_cols, sizeof(device_app_cols) / sizeof(device_app_cols[0]) },
	};

	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		if (!strcmp(kind, tables[i].kind)) {
			*cols = tables[i].cols;
			return (int)tables[i].n;
		}
	}
	return 0;
}

/* ---- compliance store (3.5), read-only ---- */

/* A store timestamp column: NULL is -1 (when allowed), else ISO 8601; one
 * without a zone is read in tz=, or taken as UTC and said (tzguess.h). */
static int store_time(struct tz_guess *tz, const char *v, unsigned long row, long long *out)
{
	if (!v) {
		*out = -1;
		return 0;
	}
	if (time_parse(v, out, NULL))
		return -1;
	tz_guess_apply(tz, v, out, row, NULL);
	return 0;
}

/* 1 when each of the n bytes at v is ASCII and not NUL: eight at a time
 * (the exact "has a zero byte" word test), as nearly every store value is. */
static int plain_ascii(const char *v, size_t n)
{
	const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
	uint64_t w, any = 0;

	if (n < 8) {
		for (size_t i = 0; i < n; i++)
			any |= (unsigned char)v[i] - 1u >= 0x7f;
		return !any;
	}
	for (size_t i = 0; i + 8 < n; i += 8) {
		memcpy(&w, v + i, 8);
		any |= w | ((w - ones) & ~w);
	}
	memcpy(&w, v + n - 8, 8);       /* the last eight, overlapping */
	any |= w | ((w - ones) & ~w);
	return !(any & highs);
}

/* A store text value: NULL, or valid UTF-8 without NUL of at most
 * CSV_MAX_FIELD bytes like a CSV field; else what is wrong with it. */
static const char *store_text_bad(const char *v, size_t n)
{
	if (!v)
		return NULL;
	if (n > CSV_MAX_FIELD)
		return "longer than 65536 bytes";
	if (plain_ascii(v, n))
		return NULL;
	if (memchr(v, '\0', n))
		return "NUL byte";
	return utf8_check(v, n) ? "invalid UTF-8" : NULL;
}

/* The first bad text column of a row (columns 1..ncol-1 of the SELECT,
 * named by names[col]): 0 when all are good. Each column's text and length
 * into v and n (read once: valid until the next step). */
static int store_row_text(struct ingest_ctx *ctx, struct stmt *s, const char *table,
			  unsigned long row, const char *const *names, int ncol,
			  const char **v, size_t *n, int *stop)
{
	for (int col = 1; col < ncol; col++) {
		v[col] = stmt_text_n(s, col, &n[col]);
		const char *why = store_text_bad(v[col], n[col]);
		if (why) {
			*stop = bad_record(&ctx->bad, row, 0, "%s row %lu: %s in '%s'", table,
					   row, why, names[col]);
			return -1;
		}
	}
	return 0;
}

/* The messages table is as large as the event log: a reader thread reads
 * and checks its rows (SQLite decoding, ISO 8601 times) into batches while
 * the caller's thread inserts them (pipeline.c), as usage_in.c does. The
 * ring holds a fixed number of batches, so memory does not grow with the store. */
#define SM_ROWS 4096
#define SM_QUEUE 4

enum { SM_MID, SM_APP, SM_ACCOUNT, SM_CONV, SM_SHA, SM_REASON, SM_NSTR };

struct sm_item {
	unsigned long row;
	long long sent, captured, purged;
	size_t str[SM_NSTR];            /* offset + 1 into strings; 0 = NULL */
	size_t len[SM_NSTR];            /* their lengths, for records_put_store_msg_held */
};

struct sm_batch {
	struct sm_item item[SM_ROWS];
	size_t n;
	char *strings;
	size_t used, alloc;
};

struct sm_load {
	struct ingest_ctx *ctx;
	struct stmt *s;
	unsigned long last;             /* rowid of the last row read */
};

/* Room for need more bytes of strings in b. */
static void sm_reserve(struct sm_batch *b, size_t need)
{
	if (b->used + need <= b->alloc)
		return;
	while (b->used + need > b->alloc)
		b->alloc = b->alloc ? b->alloc * 2 : 1 << 20;
	b->strings = xrealloc(b->strings, b->alloc);
}

/* v (len bytes) into b, which has room (sm_reserve): its offset + 1, 0 for NULL. */
static size_t sm_keep(struct sm_batch *b, const char *v, size_t len)
{
	if (!v)
		return 0;
	size_t at = b->used;
	memcpy(b->strings + at, v, len);
	b->strings[at + len] = '\0';
	b->used += len + 1;
	return at + 1;
}

static const char *const sm_cols[] = {
	"rowid", "message_id", "app", "account", "conversation_id", "sent_at",
	"captured_at", "sha256", "purged_at", "purge_reason",
};

/* The columns of a row kept as strings (the others are times). */
static const int sm_kept[SM_NSTR] = { 1, 2, 3, 4, 7, 9 };

/* Check one row (rowid row) into b (0), skip it (0, counted), or stop (-1). */
static int sm_row(struct ingest_ctx *ctx, struct stmt *s, unsigned long row, struct sm_batch *b)
{
	struct sm_item *it = &b->item[b->n];
	const char *v[10], *mid, *app, *account;
	const char *bad = NULL;
	size_t n[10];
	int stop = 0;

	if (store_row_text(ctx, s, "messages", row, sm_cols, 10, v, n, &stop))
		return stop;
	mid = v[1];
	app = v[2];
	account = v[3];
	if (!mid || !*mid)
		bad = "empty 'message_id'";
	else if (!app || !*app || !account || check_account(account))
		bad = "bad 'app' or 'account'";
	else if (store_time(ctx->user, v[5], row, &it->sent) || it->sent < 0)
		bad = "bad 'sent_at'";
	else if (store_time(ctx->user, v[6], row, &it->captured) || it->captured < 0)
		bad = "bad 'captured_at'";
	else if (store_time(ctx->user, v[8], row, &it->purged))
		bad = "bad 'purged_at'";
	if (bad)
		return bad_record(&ctx->bad, row, 0, "messages row %lu: %s", row, bad) ? -1 : 0;
	it->row = row;
	size_t need = 0;
	for (int i = 0; i < SM_NSTR; i++)
		need += n[sm_kept[i]] + 1;
	sm_reserve(b, need);
	for (int i = 0; i < SM_NSTR; i++) {
		it->str[i] = sm_keep(b, v[sm_kept[i]], n[sm_kept[i]]);
		it->len[i] = n[sm_kept[i]];
	}
	b->n++;
	return 0;
}

/* Reader thread: one batch. 1 full, 0 end of table, -1 failed. */
static int sm_fill(void *user, void *slot)
{
	struct sm_load *l = user;
	struct sm_batch *b = slot;
	int rc = 1;

	b->n = 0;
	b->used = 0;
	while (b->n < SM_ROWS) {
		rc = stmt_step(l->s);           /* 1 row, 0 end, -1 error */
		if (rc < 0) {
			struct src_loc at = { l->ctx->path, 0, 0 };
			diag_error(&at, "messages: cannot read the row after row %lu", l->last);
		}
		if (rc == 1) {
			l->last = (unsigned long)stmt_int(l->s, 0);
			if (sm_row(l->ctx, l->s, l->last, b))
				rc = -1;        /* strict: the first bad row fails */
		}
		if (rc != 1)
			break;
	}
	return rc;
}

static const char *sm_str(const struct sm_batch *b, size_t ofs)
{
	return ofs ? b->strings + ofs - 1 : NULL;
}

static int sm_insert(void *user, void *slot)
{
	struct ingest_ctx *ctx = ((struct sm_load *)user)->ctx;
	const struct sm_batch *b = slot;

	for (size_t i = 0; i < b->n; i++) {
		const struct sm_item *it = &b->item[i];
		struct store_msg_rec r = {
			.message_id = sm_str(b, it->str[SM_MID]), .app = sm_str(b, it->str[SM_APP]),
			.account = sm_str(b, it->str[SM_ACCOUNT]),
			.conversation_id = sm_str(b, it->str[SM_CONV]),
			.sha256 = sm_str(b, it->str[SM_SHA]),
			.purge_reason = sm_str(b, it->str[SM_REASON]),
			.sent_ts = it->sent, .captured_ts = it->captured, .purged_ts = it->purged,
		};
		if (records_put_store_msg_held(ctx, it->row, &r, it->len))
			return -1;
	}
	records_unhold(ctx);    /* the reader refills b next */
	return 0;
}

static int load_store_messages(struct ingest_ctx *ctx, struct store *cs)
{
	struct sm_load l = { ctx, NULL, 0 };
	void *slot[SM_QUEUE];
	int rc;

	l.s = stmt_prepare(cs,
		"SELECT rowid, message_id, app, account, conversation_id, sent_at,"
		" captured_at, sha256, purged_at, purge_reason FROM messages ORDER BY rowid");
	if (!l.s)
		return -1;
	for (int i = 0; i < SM_QUEUE; i++)
		slot[i] = xcalloc(1, sizeof(struct sm_batch));
	rc = pipeline_run(slot, SM_QUEUE, sm_fill, sm_insert, &l);
	for (int i = 0; i < SM_QUEUE; i++) {
		free(((struct sm_batch *)slot[i])->strings);
		free(slot[i]);
	}
	stmt_free(l.s);
	return rc;
}

static const char *const rp_cols[] = {
	"rowid", "app", "role", "retention_days", "effective_on",
};

static int load_policies(struct ingest_ctx *ctx, struct store *cs)
{
	struct stmt *s = stmt_prepare(cs,
		"SELECT rowid, app, role, retention_days, effective_on FROM retention_policies"
		" ORDER BY rowid");
	int rc, stop = 0;

	if (!s)
		return -1;
	while ((rc = stmt_step(s)) == 1) {
		unsigned long row = (unsigned long)stmt_int(s, 0);
		const char *v[5];
		size_t n[5];
		if (store_row_text(ctx, s, "retention_policies", row, rp_cols, 5, v, n, &stop)) {
			if (stop)
				break;
			continue;
		}
		struct retention_rec r = {
			.app = stmt_text(s, 1), .role = stmt_text(s, 2),
			.retention_days = stmt_is_null(s, 3) ? -1 : stmt_int(s, 3),
			.effective_on = stmt_text(s, 4),
		};
		const char *bad = NULL;
		/* NULL is "keep indefinitely": a negative or non-numeric value
		   must not become that, nor 0 */
		if (!stmt_is_null(s, 3) && (!stmt_is_int(s, 3) || r.retention_days < 0))
			bad = "bad 'retention_days' (expected a whole number of days, 0 or more, or NULL)";
		else if (!r.app || !*r.app || check_enum(r.role, roles) ||
			 (r.effective_on && check_date(r.effective_on)))
			bad = "bad app, role or effective_on";
		if (bad) {
			if (bad_record(&ctx->bad, row, 0, "retention_policies row %lu: %s", row, bad))
				break;
			continue;
		}
		if (r.role && *r.role)
			r.role = roles[word_index(r.role, roles)];      /* any case */
		if (records_put_retention(ctx, row, &r)) {
			rc = -1;
			break;
		}
	}
	stmt_free(s);
	return rc == 0 || (rc == 1 && !ctx->bad.strict) ? 0 : -1;
}

/* 1 when the store has table as a plain table, 0 when it has none; -1 (said)
 * for a view, a virtual table or generated or hidden columns: their values
 * would be computed by the store's own SQL, not read (spec 7). */
static int store_table(struct ingest_ctx *ctx, struct store *cs, const char *table)
{
	struct src_loc at = { ctx->path, 0, 0 };
	struct stmt *s = stmt_prepare(cs,
		"SELECT type, coalesce(sql, '') LIKE 'CREATE VIRTUAL%' FROM sqlite_master"
		" WHERE name = ?1 COLLATE NOCASE AND type IN ('table', 'view')");
	int rc;

	if (!s)
		return -1;
	stmt_bind_text(s, 1, table);
	rc = stmt_step(s);
	if (rc == 1 && (strcmp(stmt_text(s, 0), "table") || stmt_int(s, 1)))
		rc = diag_error(&at, "'%s' is a %s, not a table (a compliance store is plain tables)",
				table, strcmp(stmt_text(s, 0), "table") ? "view" : "virtual table");
	stmt_free(s);
	if (rc != 1)
		return rc;
	s = stmt_prepare(cs, "SELECT name FROM pragma_table_xinfo(?1) WHERE hidden <> 0");
	if (!s)
		return -1;
	stmt_bind_text(s, 1, table);
	rc = stmt_step(s);
	if (rc == 1)
		diag_error(&at, "column '%s' of '%s' is generated or hidden (a compliance store"
			   " is plain tables)", stmt_text(s, 0), table);
	stmt_free(s);
	return rc == 0 ? 1 : -1;
}

/* 1 when the file starts with SQLite's 16-byte header string. */
static int is_sqlite_file(const char *path)
{
	char head[16];
	FILE *fp = fopen(path, "rb");
	size_t n = fp ? fread(head, 1, sizeof(head), fp) : 0;

	if (fp)
		fclose(fp);
	return n == sizeof(head) && !memcmp(head, "SQLite format 3", sizeof(head));
}

/* The store's -wal or hot -journal, read with it, is evidence too: its own
 * manifest row (kind compliance-wal or compliance-journal, no records), so
 * that the report shows it and verify re-hashes it. */
static int add_log_input(struct ingest_ctx *ctx, const struct store_log *log)
{
	char *side = xasprintf("%s%s", ctx->path, log->suffix);
	char *kind = xasprintf("compliance%s", log->suffix);
	char *abs = realpath(side, NULL);
	char now[TIME_ISO_LEN];
	struct stmt *s = stmt_prepare(ctx->st,
		"INSERT OR IGNORE INTO inputs (kind, path, size, sha256, loaded_at, abs_path)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
	int rc = -1;

	time_fmt_iso((long long)time(NULL), now);
	if (s) {
		stmt_bind_text(s, 1, kind);
		stmt_bind_text(s, 2, side);
		stmt_bind_int(s, 3, log->size);
		stmt_bind_text(s, 4, log->sha256);
		stmt_bind_text(s, 5, now);
		stmt_bind_text(s, 6, abs);
		rc = stmt_step(s) < 0 ? -1 : 0;
	}
	if (!rc)
		diag_note("%s: read with its %s (%lld bytes, sha256 %.12s)", ctx->path,
			  log->suffix, log->size, log->sha256);
	stmt_free(s);
	free(abs);
	free(kind);
	free(side);
	return rc;
}

int load_compliance(struct ingest_ctx *ctx)
{
	struct src_loc at = { ctx->path, 0, 0 };
	struct store_log log;
	struct store *cs;
	struct tz_guess tz;
	int rc = -1, has;

	/* say so plainly, rather than SQLite's "file is not a database" on
	   the first statement (an empty file would even open as an empty DB) */
	if (!is_sqlite_file(ctx->path))
		return diag_error(&at, "not an SQLite database (a compliance store is an SQLite file)");
	if (tz_guess_init(&tz, ctx))
		return -1;
	cs = store_open_compliance(ctx->path, &log);
	if (!cs || (log.suffix && add_log_input(ctx, &log))) {
		store_close(cs);
		return -1;
	}
	ctx->user = &tz;        /* for the rows' times (sm_row) */
	/* read from a private copy: ingest checks it is what it hashed */
	if (log.copy_sha256[0])
		memcpy(ctx->read_sha256, log.copy_sha256, sizeof(ctx->read_sha256));
	has = store_table(ctx, cs, "messages");
	if (has == 0)
		diag_error(&at, "not a compliance store: no table 'messages'");
	else if (has == 1 && !load_store_messages(ctx, cs)) {
		has = store_table(ctx, cs, "retention_policies");
		rc = has == 1 ? load_policies(ctx, cs) : has == 0 ? 0 : -1;
	}
	store_close(cs);
	ctx->user = NULL;
	return rc ? rc : tz_guess_report(&tz, ctx);
}
