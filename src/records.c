/* records: the one writer of canonical records into the audit store. Each
 * row keeps its evidence (input_id, line). Statements are prepared once
 * per input file and cached in the ingest context. */
#include "records.h"

#include <string.h>
#include <strings.h>

#include "ingest.h"
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
	PUT_USAGE, PUT_STORE_MSG, PUT_RETENTION
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
	[PUT_USAGE] = "INSERT INTO usage (input_id, line, ts, event, app, account,"
		" device_id, message_id, conversation_id, peer, to_account, ttl, ts_bound)"
		" VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13)",
	[PUT_STORE_MSG] = "INSERT INTO store_messages (message_id, app, account,"
		" conversation_id, sent_ts, captured_ts, sha256, purged_ts, purge_reason,"
		" input_id, line) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)",
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

/* "" is unknown: NULL; not copied (valid for the call, which steps and
 * resets the statement) */
static int bind_opt_borrowed(struct stmt *s, int idx, const char *v)
{
	return stmt_bind_text_borrowed(s, idx, v && *v ? v : NULL, -1);
}

int records_put_usage(struct ingest_ctx *ctx, unsigned long line, const struct usage_rec *r)
{
	struct stmt *s = put_stmt(ctx, PUT_USAGE);
	if (!s)
		return -1;
	/* usage has input_id, line first: bind them here, not in finish() */
	stmt_bind_int(s, 1, ctx->input_id);
	stmt_bind_int(s, 2, (long long)line);
	stmt_bind_int(s, 3, r->ts);
	stmt_bind_text_borrowed(s, 4, usage_kind_names[r->event], -1);
	bind_opt_borrowed(s, 5, r->app);
	bind_opt_borrowed(s, 6, r->account);
	bind_opt_borrowed(s, 7, r->device_id);
	bind_opt_borrowed(s, 8, r->message_id);
	bind_opt_borrowed(s, 9, r->conversation_id);
	bind_opt_borrowed(s, 10, r->peer);
	bind_opt_borrowed(s, 11, r->to_account);
	if (r->event == EV_TIMER_SET && r->ttl_seconds >= 0)
		stmt_bind_int(s, 12, r->ttl_seconds);
	if (r->ts_bound && (r->event == EV_SENT || r->event == EV_RECEIVED))
		stmt_bind_int(s, 13, 1);
	int rc = stmt_step(s);
	stmt_reset(s);
	if (rc < 0)
		return -1;
	ctx->records++;
	return 0;
}

int records_put_store_msg(struct ingest_ctx *ctx, unsigned long line, const struct store_msg_rec *r)
{
	struct stmt *s = put_stmt(ctx, PUT_STORE_MSG);
	if (!s)
		return -1;
	bind_opt_borrowed(s, 1, r->message_id);
	bind_opt_borrowed(s, 2, r->app);
	bind_opt_borrowed(s, 3, r->account);
	bind_opt_borrowed(s, 4, r->conversation_id);
	stmt_bind_int(s, 5, r->sent_ts);
	stmt_bind_int(s, 6, r->captured_ts);
	bind_opt_borrowed(s, 7, r->sha256);
	if (r->purged_ts >= 0)
		stmt_bind_int(s, 8, r->purged_ts);
	bind_opt_borrowed(s, 9, r->purge_reason);
	return finish(ctx, s, 11, line);
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
