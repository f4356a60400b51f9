/* records: the one writer of canonical records into the audit store. Each
 * row keeps its evidence (input_id, line). Statements are prepared once
 * per input file and cached in the ingest context; usage events and store
 * messages, the millions, go 64 rows to a statement (rowbatch.h). */
#include "records.h"

#include <string.h>
#include <strings.h>

#include "diag.h"
#include "ingest.h"
#include "rowbatch.h"
#include "store.h"

const char *const usage_kind_names[EV_COUNT + 1] = {
	"sent", "received", "deleted", "expired", "burned", "forwarded",
	"exported", "timer_set", "account_deleted", NULL,
};

int usage_kind_from_name(const char *name)
{
	for (int i = 0; i < EV_COUNT; i++)
		if (!strcasecmp(name, usage_kind_names[i]))    /* "Sent" is sent */
			return i;
	return -1;
}

enum put_slot {
	PUT_ACCOUNT, PUT_DEVICE, PUT_DEVICE_KEEP, PUT_DEVICE_EVENT, PUT_DEVICE_ID, PUT_DEVICE_APP,
	PUT_RETENTION
};

static const char *const put_sql[] = {
	[PUT_ACCOUNT] = "INSERT OR REPLACE INTO accounts (account, app, custodian_id,"
		" custodian_name, office, role, official, capture, approved_on, opened_on,"
		" closed_on, input_id, line) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13)",
	[PUT_DEVICE] = "INSERT OR REPLACE INTO devices (device_id, custodian_id, platform,"
		" model, ownership, managed, status, status_on, replaced_by, enrolled_on,"
		" input_id, line) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)",
	/* the status another input gave the device, before this row replaces
	   it: kept as that input's status event (records.h) */
	[PUT_DEVICE_KEEP] = "INSERT INTO device_events (device_ref, status, status_on, input_id,"
		" line) SELECT device_id, status, coalesce(status_on, ''), input_id, line"
		" FROM devices WHERE device_id = ?1 AND input_id IS NOT ?2 AND status IS NOT NULL"
		" AND status <> 'active'",
	[PUT_DEVICE_EVENT] = "INSERT INTO device_events (device_ref, status, status_on, input_id,"
		" line) VALUES (?1,?2,?3,?4,?5)",
	[PUT_DEVICE_ID] = "INSERT INTO device_ids (alias, device_id, input_id, line)"
		" VALUES (?1,?2,?3,?4)",
	[PUT_DEVICE_APP] = "INSERT OR REPLACE INTO device_apps (device_id, app_id, app_name,"
		" version, first_seen, last_seen, input_id, line)"
		" VALUES (?1,?2,?3,?4,?5,?6,?7,?8)",
	/* one statement in two literals (parentheses: not two elements) */
	[PUT_RETENTION] = ("INSERT INTO retention_policies (app, role, retention_days,"
		" effective_on, input_id, line) VALUES (?1,?2,?3,?4,?5,?6)"),
};

static struct stmt *put_stmt(struct ingest_ctx *ctx, enum put_slot slot)
{
	if (!ctx->put[slot])
		ctx->put[slot] = stmt_prepare(ctx->st, put_sql[slot]);
	return ctx->put[slot];
}

/* "" is unknown: store NULL */
static int bind_opt(struct stmt *s, int idx, const char *v)
{
	return stmt_bind_text(s, idx, v && *v ? v : NULL);
}

static int bind_tristate(struct stmt *s, int idx, int v)
{
	return v < 0 ? stmt_bind_null(s, idx) : stmt_bind_int(s, idx, v);
}

static int finish(struct ingest_ctx *ctx, struct stmt *s, int nparam, unsigned long line)
{
	int rc;

	stmt_bind_int(s, nparam - 1, ctx->input_id);
	stmt_bind_int(s, nparam, (long long)line);
	rc = stmt_step(s);
	stmt_reset(s);
	if (rc < 0)
		return -1;
	ctx->records++;
	return 0;
}

int records_put_account(struct ingest_ctx *ctx, unsigned long line, const struct account_rec *r)
{
	struct stmt *s = put_stmt(ctx, PUT_ACCOUNT);
	if (!s)
		return -1;
	bind_opt(s, 1, r->account);
	bind_opt(s, 2, r->app);
	bind_opt(s, 3, r->custodian_id);
	bind_opt(s, 4, r->custodian_name);
	bind_opt(s, 5, r->office);
	bind_opt(s, 6, r->role);
	bind_tristate(s, 7, r->official);
	bind_opt(s, 8, r->capture);
	bind_opt(s, 9, r->approved_on);
	bind_opt(s, 10, r->opened_on);
	bind_opt(s, 11, r->closed_on);
	return finish(ctx, s, 13, line);
}

int records_put_device(struct ingest_ctx *ctx, unsigned long line, const struct device_rec *r)
{
	struct stmt *keep = put_stmt(ctx, PUT_DEVICE_KEEP), *s = put_stmt(ctx, PUT_DEVICE);
	int rc;

	if (!keep || !s)
		return -1;
	bind_opt(keep, 1, r->device_id);
	stmt_bind_int(keep, 2, ctx->input_id);
	rc = stmt_step(keep);
	stmt_reset(keep);
	if (rc < 0)
		return -1;
	bind_opt(s, 1, r->device_id);
	bind_opt(s, 2, r->custodian_id);
	bind_opt(s, 3, r->platform);
	bind_opt(s, 4, r->model);
	bind_opt(s, 5, r->ownership);
	bind_tristate(s, 6, r->managed);
	bind_opt(s, 7, r->status);
	bind_opt(s, 8, r->status_on);
	bind_opt(s, 9, r->replaced_by);
	bind_opt(s, 10, r->enrolled_on);
	return finish(ctx, s, 12, line);
}

int records_put_device_event(struct ingest_ctx *ctx, unsigned long line, const char *device_ref,
			     const char *status, const char *status_on)
{
	struct stmt *s = put_stmt(ctx, PUT_DEVICE_EVENT);
	if (!s)
		return -1;
	bind_opt(s, 1, device_ref);
	bind_opt(s, 2, status);
	bind_opt(s, 3, status_on);
	return finish(ctx, s, 5, line);
}

int records_put_device_id(struct ingest_ctx *ctx, unsigned long line, const char *alias,
			  const char *device_id)
{
	struct stmt *s = put_stmt(ctx, PUT_DEVICE_ID);
	int rc;

	if (!s)
		return -1;
	bind_opt(s, 1, alias);
	bind_opt(s, 2, device_id);
	stmt_bind_int(s, 3, ctx->input_id);
	stmt_bind_int(s, 4, (long long)line);
	rc = stmt_step(s);
	stmt_reset(s);
	return rc < 0 ? -1 : 0;         /* not a record of its own: the device's row is */
}

int records_put_device_app(struct ingest_ctx *ctx, unsigned long line, const struct device_app_rec *r)
{
	struct stmt *s = put_stmt(ctx, PUT_DEVICE_APP);
	if (!s)
		return -1;
	bind_opt(s, 1, r->device_id);
	bind_opt(s, 2, r->app_id);
	bind_opt(s, 3, r->app_name);
	bind_opt(s, 4, r->version);
	bind_opt(s, 5, r->first_seen);
	bind_opt(s, 6, r->last_seen);
	return finish(ctx, s, 8, line);
}

/* The many-row tables, written a batch at a time. OR FAIL: a refused row
   fails the file, whose transaction is rolled back (ingest.c), so the
   statement needs no journal of its own to undo its earlier rows. */
enum { BATCH_ROWS = 64 };

static const struct batch_def {
	const char *insert;
	int ncols;
} batch_defs[RECORD_BATCHES] = {
	[BATCH_USAGE] = { "INSERT OR FAIL INTO usage (input_id, line, ts, event, app, account,"
			  " device_id, message_id, conversation_id, peer, to_account, ttl,"
			  " ts_bound)", RECORDS_USAGE_VALUES },
	[BATCH_STORE_MSG] = { "INSERT OR FAIL INTO store_messages (message_id, app, account,"
			      " conversation_id, sent_ts, captured_ts, sha256, purged_ts,"
			      " purge_reason, input_id, line)", RECORDS_STORE_MSG_VALUES },
};

static struct rowbatch *batch_for(struct ingest_ctx *ctx, int which, unsigned long line)
{
	struct record_batch *rb = &ctx->batch[which];
	if (!rb->rows)
		rb->rows = rowbatch_open(ctx->st, batch_defs[which].insert,
					 batch_defs[which].ncols, BATCH_ROWS);
	/* the lowest and highest: an adapter may write rows out of line order */
	if (!rowbatch_pending(rb->rows) || line < rb->first_line)
		rb->first_line = line;
	if (!rowbatch_pending(rb->rows) || line > rb->last_line)
		rb->last_line = line;
	return rb->rows;
}

/* A refused batch is said with the range of lines it held, from its
   lowest (the database's reason is printed above). */
static int refused(const struct ingest_ctx *ctx, const struct record_batch *rb, size_t n)
{
	struct src_loc at = { ctx->path, rb->first_line, 0 };
	return diag_error(&at, "one of the %zu records of lines %lu to %lu was refused by the"
			  " audit database", n, rb->first_line, rb->last_line);
}

/* A row of values: written when its batch is full. copy: its held
   strings are copied now (the caller's go after the call). */
static int put_values(struct ingest_ctx *ctx, int which, unsigned long line,
		      const struct rowbatch_val *v, int copy)
{
	struct rowbatch *b = batch_for(ctx, which, line);
	struct record_batch *rb = &ctx->batch[which];
	size_t n = rowbatch_pending(b) + 1;

	if (rowbatch_row_values(b, v, copy))
		return refused(ctx, rb, n);
	ctx->records++;
	return 0;
}

static void val_int(struct rowbatch_val *v, long long i)
{
	v->type = ROWBATCH_INT;
	v->u.i = i;
}

/* A string of the caller's, held, of length len[i] (len NULL: strlen);
   NULL and "" are NULL (unknown). */
static void val_str(struct rowbatch_val *v, const char *s, const size_t *len, int i)
{
	size_t n = !s ? 0 : len ? len[i] : strlen(s);

	v->type = n ? ROWBATCH_HELD : ROWBATCH_NULL;
	v->u.p = s;
	v->len = n;
}

/* strlen of each usage_kind_names[] */
static const size_t kind_len[] = {
	sizeof("sent") - 1, sizeof("received") - 1, sizeof("deleted") - 1,
	sizeof("expired") - 1, sizeof("burned") - 1, sizeof("forwarded") - 1,
	sizeof("exported") - 1, sizeof("timer_set") - 1, sizeof("account_deleted") - 1,
};
_Static_assert(sizeof(kind_len) / sizeof(kind_len[0]) == EV_COUNT, "a length for each kind");

void records_usage_values(const struct ingest_ctx *ctx, unsigned long line,
			  const struct usage_rec *r, const size_t *len, struct rowbatch_val *v)
{
	const char *const str[] = { r->app, r->account, r->device_id, r->message_id,
				    r->conversation_id, r->peer, r->to_account };

	val_int(&v[0], ctx->input_id);
	val_int(&v[1], (long long)line);
	val_int(&v[2], r->ts);
	v[3].type = ROWBATCH_STATIC;
	v[3].u.p = usage_kind_names[r->event];
	v[3].len = kind_len[r->event];
	for (int i = 0; i < 7; i++)
		val_str(&v[4 + i], str[i], len, i);
	val_int(&v[11], r->ttl_seconds);
	if (r->event != EV_TIMER_SET || r->ttl_seconds < 0)
		v[11].type = ROWBATCH_NULL;
	val_int(&v[12], 1);
	if (!r->ts_bound || (r->event != EV_SENT && r->event != EV_RECEIVED))
		v[12].type = ROWBATCH_NULL;
}

int records_put_usage(struct ingest_ctx *ctx, unsigned long line, const struct usage_rec *r)
{
	struct rowbatch_val v[RECORDS_USAGE_VALUES];

	records_usage_values(ctx, line, r, NULL, v);
	return put_values(ctx, BATCH_USAGE, line, v, 1);
}

int records_put_usage_values(struct ingest_ctx *ctx, unsigned long line,
			     const struct rowbatch_val *v)
{
	return put_values(ctx, BATCH_USAGE, line, v, 0);
}

static void store_msg_values(const struct ingest_ctx *ctx, unsigned long line,
			     const struct store_msg_rec *r, const size_t *len,
			     struct rowbatch_val *v)
{
	val_str(&v[0], r->message_id, len, 0);
	val_str(&v[1], r->app, len, 1);
	val_str(&v[2], r->account, len, 2);
	val_str(&v[3], r->conversation_id, len, 3);
	val_int(&v[4], r->sent_ts);
	val_int(&v[5], r->captured_ts);
	val_str(&v[6], r->sha256, len, 4);
	val_int(&v[7], r->purged_ts);
	if (r->purged_ts < 0)
		v[7].type = ROWBATCH_NULL;
	val_str(&v[8], r->purge_reason, len, 5);
	val_int(&v[9], ctx->input_id);
	val_int(&v[10], (long long)line);
}

int records_put_store_msg(struct ingest_ctx *ctx, unsigned long line, const struct store_msg_rec *r)
{
	struct rowbatch_val v[RECORDS_STORE_MSG_VALUES];

	store_msg_values(ctx, line, r, NULL, v);
	return put_values(ctx, BATCH_STORE_MSG, line, v, 1);
}

int records_put_store_msg_held(struct ingest_ctx *ctx, unsigned long line,
			       const struct store_msg_rec *r, const size_t *len)
{
	struct rowbatch_val v[RECORDS_STORE_MSG_VALUES];

	store_msg_values(ctx, line, r, len, v);
	return put_values(ctx, BATCH_STORE_MSG, line, v, 0);
}

void records_unhold(struct ingest_ctx *ctx)
{
	for (int i = 0; i < RECORD_BATCHES; i++)
		if (ctx->batch[i].rows)
			rowbatch_unhold(ctx->batch[i].rows);
}

int records_flush(struct ingest_ctx *ctx)
{
	for (int i = 0; i < RECORD_BATCHES; i++) {
		struct record_batch *rb = &ctx->batch[i];
		size_t n = rb->rows ? rowbatch_pending(rb->rows) : 0;
		if (n && rowbatch_flush(rb->rows))
			return refused(ctx, rb, n);
	}
	return 0;
}

void records_release(struct ingest_ctx *ctx)
{
	for (size_t i = 0; i < sizeof(ctx->put) / sizeof(ctx->put[0]); i++) {
		stmt_free(ctx->put[i]);
		ctx->put[i] = NULL;
	}
	for (int i = 0; i < RECORD_BATCHES; i++) {
		rowbatch_free(ctx->batch[i].rows);
		ctx->batch[i].rows = NULL;
	}
}

int records_put_retention(struct ingest_ctx *ctx, unsigned long line, const struct retention_rec *r)
{
	struct stmt *s = put_stmt(ctx, PUT_RETENTION);
	if (!s)
		return -1;
	bind_opt(s, 1, r->app);
	bind_opt(s, 2, r->role);
	if (r->retention_days >= 0)
		stmt_bind_int(s, 3, r->retention_days);
	bind_opt(s, 4, r->effective_on);
	return finish(ctx, s, 6, line);
}
