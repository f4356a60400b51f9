/* records: the canonical records of spec §3 and the one place that writes
 * them into the audit store. Canonical readers and the adapters of §6 both
 * fill these structs and call records_put_*; strings are borrowed for the
 * call only (records.c binds or copies them before it returns). NULL or
 * "" = unknown. Dates are "YYYY-MM-DD",
 * timestamps Unix seconds UTC. */
#ifndef UDAUDIT_RECORDS_H
#define UDAUDIT_RECORDS_H

#include <stddef.h>

#include "rowbatch.h"

struct ingest_ctx;

struct account_rec {
	const char *account, *app, *custodian_id, *custodian_name, *office;
	const char *role;               /* capstone | standard | support */
	int official;                   /* 1 yes, 0 no, -1 unknown */
	const char *capture;            /* archiver | manual | none */
	const char *approved_on, *opened_on, *closed_on;
};

struct device_rec {
	const char *device_id, *custodian_id, *platform, *model, *ownership;
	int managed;                    /* 1, 0, -1 unknown */
	const char *status, *status_on, *replaced_by, *enrolled_on;
};

struct device_app_rec {
	const char *device_id, *app_id, *app_name, *version;
	const char *first_seen, *last_seen;     /* dates */
};

enum usage_kind {
	EV_SENT, EV_RECEIVED, EV_DELETED, EV_EXPIRED, EV_BURNED, EV_FORWARDED,
	EV_EXPORTED, EV_TIMER_SET, EV_ACCOUNT_DELETED, EV_COUNT
};
/* The event names of spec §3.4, indexed by enum usage_kind; NULL-ended. */
extern const char *const usage_kind_names[EV_COUNT + 1];
int usage_kind_from_name(const char *name);     /* -1 if unknown */

struct usage_rec {
	long long ts;
	enum usage_kind event;
	const char *app, *account, *device_id, *message_id, *conversation_id;
	const char *peer, *to_account;
	long long ttl_seconds;          /* timer_set only; -1 otherwise */
	int ts_bound;                   /* sent/received: 1 when ts is only "no later
					   than" (the sent time is unknown) */
};

struct store_msg_rec {
	const char *message_id, *app, *account, *conversation_id;
	long long sent_ts, captured_ts;
	long long purged_ts;            /* -1 = not purged */
	const char *sha256, *purge_reason;
};

struct retention_rec {
	const char *app, *role;         /* role NULL = all roles */
	long long retention_days;       /* -1 = keep indefinitely */
	const char *effective_on;
};

/* Each writes one record for the current input and line of ctx (the
 * evidence); 0 or -1 (database error, printed). */
int records_put_account(struct ingest_ctx *ctx, unsigned long line, const struct account_rec *r);
/* A device row replaces the row another input gave the same device_id
 * (INSERT OR REPLACE); a status that row had (not 'active') is kept as
 * that input's status event, so no inventory loaded later erases it. */
int records_put_device(struct ingest_ctx *ctx, unsigned long line, const struct device_rec *r);
/* A device's status from an input that is not its inventory (a wipe in a
 * device's history, an MDM erase command): its own row (device_events),
 * which the analysis applies to the device whatever the load order
 * (schema.c, device_state). device_ref is the device_id or an alias of
 * it (records_put_device_id). */
int records_put_device_event(struct ingest_ctx *ctx, unsigned long line, const char *device_ref,
			     const char *status, const char *status_on);
/* Another id of a device an inventory lists (Jamf's managementId, which
 * MDM commands name). */
int records_put_device_id(struct ingest_ctx *ctx, unsigned long line, const char *alias,
			  const char *device_id);
int records_put_device_app(struct ingest_ctx *ctx, unsigned long line, const struct device_app_rec *r);
/* Usage events and store messages are written 64 to a statement: the
 * table has them after records_flush, and a refused one fails a later
 * call or the flush (said with the lines of its batch). */
int records_put_usage(struct ingest_ctx *ctx, unsigned long line, const struct usage_rec *r);
int records_put_store_msg(struct ingest_ctx *ctx, unsigned long line, const struct store_msg_rec *r);
/* The same for a reader that holds its strings in batches: each must stay
 * as it is until records_unhold, which the reader calls before it reuses
 * them. A store message's len[] gives the lengths of its strings, in the
 * order message_id, app, account, conversation_id, sha256, purge_reason
 * (0 is ""). A usage event's values are made beforehand, on the reader's
 * thread (records_usage_values, which changes nothing: len[] the lengths
 * of app, account, device_id, message_id, conversation_id, peer,
 * to_account, or NULL for their strlen), and written on the inserter's. */
int records_put_store_msg_held(struct ingest_ctx *ctx, unsigned long line,
			       const struct store_msg_rec *r, const size_t *len);
#define RECORDS_USAGE_VALUES 13
#define RECORDS_STORE_MSG_VALUES 11
void records_usage_values(const struct ingest_ctx *ctx, unsigned long line,
			  const struct usage_rec *r, const size_t *len, struct rowbatch_val *v);
int records_put_usage_values(struct ingest_ctx *ctx, unsigned long line,
			     const struct rowbatch_val *v);
/* The held strings of the records not yet written are copied. */
void records_unhold(struct ingest_ctx *ctx);
int records_put_retention(struct ingest_ctx *ctx, unsigned long line, const struct retention_rec *r);
/* Write the records not yet written (the loader is done). 0 or -1. */
int records_flush(struct ingest_ctx *ctx);
/* Free the cached statements and batches; rows not flushed are dropped
 * (the file failed). */
void records_release(struct ingest_ctx *ctx);

#endif
