/* findings: the middle stage of readers -> store -> detectors -> findings
 * -> writers. The vocabulary of findings (types, classes, severities,
 * their order and labels), the write API the detectors use
 * (src/analyze/), and the read cursors the report writers use: they print
 * what the analysis stored and derive nothing again.
 *
 * ---- What is stored (the contract between the analysis and the writers) ----
 *
 * runs: one row per as_of date. A re-run with the same as_of deletes that
 *   run's findings, evidence, finding_copies and run_rules and writes them
 *   again under the same run_id; runs of other dates are kept
 *   (quarter-over-quarter trends: GROUP BY run_id, order by as_of).
 *     run_id, as_of 'YYYY-MM-DD', quarter 'YYYYQn' (from --quarter or
 *     derived from as_of), rules_dir, rules_sha256 (of the pack files),
 *     copies (message copies judged), excluded (copies left out by
 *     exclusions.ini or a transitory app), gave_up (pattern give-ups);
 *     agency, component (migration 2) are set by `run`, not by analyze.
 *
 * run_rules (migration 6): the rule packs the run used, as read:
 *     run_id, file ('apps.ini', 'retention.ini', 'exclusions.ini'; a
 *     missing optional pack has no row), size (bytes), sha256 (of text),
 *     text (the whole file). rules_sha256 of runs is the SHA-256 of the
 *     lines "FILE SHA256\n" of these rows in this order.
 *
 * findings: one row per finding, key (run_id, finding_id).
 *     finding_id  16 lowercase hex chars: the first 64 bits of SHA-256 of
 *                 "TYPE|class|" + the grouping key below; stable across runs
 *                 while the grouping key is the same
 *     type        UNCAPTURED_DELETION DEVICE_LOSS ACCOUNT_DELETION
 *                 CAPTURE_GAP NOT_FORWARDED LATE_FORWARD (message findings,
 *                 grouped by type, class, account, device_id) and
 *                 EARLY_PURGE (key account), RETENTION_SHORTFALL (app,
 *                 role), CAPTURE_OUTAGE (app + first copy's ts, account,
 *                 message_id), EPHEMERAL_ENABLED (account), PROHIBITED_APP
 *                 (device_id, app), UNAPPROVED_APP (custodian_id, app; an
 *                 account without a custodian stands for one)
 *     class       actual | impending | threatened | policy
 *     severity    high (actual, impending) | medium (threatened) | low
 *     office, custodian_id, account, app, device_id: NULL when not one
 *                 value. Message findings: all five (device_id NULL when the
 *                 event had none). EARLY_PURGE, EPHEMERAL_ENABLED: no
 *                 device_id. CAPTURE_OUTAGE, RETENTION_SHORTFALL: app only.
 *                 PROHIBITED_APP: device_id, app, the device's custodian and
 *                 office. UNAPPROVED_APP: custodian_id, office, app (account
 *                 instead of custodian_id when the account has no custodian)
 *     first_ts, last_ts  Unix seconds UTC; message findings: times of the
 *                 first and last copy; EARLY_PURGE / RETENTION_SHORTFALL:
 *                 sent_at range of the rows; EPHEMERAL_ENABLED: timer_set
 *                 events; PROHIBITED/UNAPPROVED_APP: first and last seen
 *                 (dates as 00:00 UTC) or use; NULL when unknown
 *     message_count  message findings and CAPTURE_OUTAGE: copies (for one
 *                 account that is also distinct messages); EARLY_PURGE and
 *                 RETENTION_SHORTFALL: store rows; others 0
 *     conversation_count  distinct conversation_id of those copies/rows
 *     detail      one sentence
 *
 * evidence: (run_id, finding_id, input_id, line): the input rows behind a
 *   finding (inputs.input_id; line is the file line, or the rowid of the
 *   compliance store's table). Distinct rows, at most FINDINGS_MAX_EVIDENCE
 *   per finding (the copy events, the loss event: deletion, device row,
 *   account row or account_deleted event; forwards/exports; store rows;
 *   inventory rows; policy rows).
 *   What the row records (migration 10), stored with the row by the
 *   analysis (src/analyze/evidence.c), NULL when the row is in no input
 *   table below (a retention policy row records none), or the run was
 *   analyzed before migration 10; a line in several of them has the facts
 *   of the first of usage, store_messages, devices, device_events,
 *   accounts, device_apps:
 *     event       usage: the line's events ("sent", "received,deleted");
 *                 a store row: 'captured in the store' | 'purged from the
 *                 store'; 'device STATUS'; 'account' | 'account closes';
 *                 'app on device: APP_ID'
 *     message_id  usage and store rows
 *     ts          usage: the line's first event; store: purged_ts, else
 *                 captured_ts (Unix seconds UTC)
 *     day         devices.status_on, device_events.status_on,
 *                 accounts.closed_on, device_apps first_seen (YYYY-MM-DD)
 *                 for rows with a date only
 *
 * finding_copies: every message copy behind a message finding (not capped;
 *   one row per copy). CAPTURE_OUTAGE copies are not repeated here (they
 *   are the CAPTURE_GAP copies of that app and period). The distinct
 *   message_id over a set of findings is the number of messages.
 *     run_id, finding_id, account, message_id, conversation_id
 *     ts          the copy's time (its first sent/received event)
 *     ts_bound    (migration 8) 1 when ts is only an upper bound: the copy
 *                 existed no later than ts and its sent time is unknown
 *                 (a Wickr deletion, 4011, of a message no input captured:
 *                 the copy is on the deleter's account at the deletion's
 *                 time). Write "sent no later than <ts>", never "sent at
 *                 <ts>". 0 = ts is the copy's event time. From the usage
 *                 row's ts_bound (records.h usage_rec.ts_bound)
 *   Per-copy facts (migration 6), all decided by the analysis (spec 4.1):
 *     direction   'sent' | 'received': the copy's event
 *     loss        how the copy left its device, NULL when it did not (or
 *                 not yet): 'deleted' | 'expired' | 'burned' (the
 *                 account's event, row 1: the custodian's doing);
 *                 'deleted_by_sender' (row 1: a received copy whose
 *                 deletion was read from the same chat export as the copy,
 *                 a "This message was deleted" tombstone: the counterpart
 *                 deleted it for everyone); 'device_replaced' |
 *                 'device_wiped' | 'device_retired' | 'device_lost' |
 *                 'device_stolen' (the device's status, row 2);
 *                 'account_closed' (closed_on) | 'account_deleted' (the
 *                 event) (row 3); 'scheduled_deletion' (closed_on after
 *                 as_of, row 4: the loss is impending)
 *     loss_ts     when: the event's time, or 00:00 UTC of a date-only
 *                 input (status_on, closed_on); NULL = date unknown (the
 *                 input gave none)
 *     retained    how the message reached recordkeeping first (earliest;
 *                 ties: store, forward, export): 'store' | 'forward' |
 *                 'export'; NULL = not retained (every type but
 *                 LATE_FORWARD)
 *     retained_ts when: the forward's or export's time; for the store the
 *                 day of captured_at (00:00 UTC: the store index keeps
 *                 days); NULL when not retained
 *     survives    where a copy of the message still exists at as_of, a
 *                 bit set (FINDING_SURVIVES_*): 1 the compliance store (its
 *                 first row captured and not purged by as_of), 2 a
 *                 forward, 4 an export: an `exported` event of the
 *                 conversation at or after the copy, or the copy was read
 *                 from an ingested chat export (inputs of kind whatsapp,
 *                 slack, teams) that holds it, not only its tombstone (a
 *                 deletion read from the same file), 8 this copy itself (not lost: still on the
 *                 device or account, rows 4-7), 16 another account's copy
 *                 of the same message_id that is not lost (judged, not
 *                 excluded); 0 = survives nowhere known
 */
#ifndef UDAUDIT_FINDINGS_H
#define UDAUDIT_FINDINGS_H

#include <stddef.h>
#include <stdint.h>

#include "hashmap.h"

#define FINDINGS_MAX_EVIDENCE 1000

/* ---- vocabulary ---- */

enum finding_type {
	FT_UNCAPTURED_DELETION, FT_DEVICE_LOSS, FT_ACCOUNT_DELETION, FT_CAPTURE_GAP,
	FT_NOT_FORWARDED, FT_LATE_FORWARD, FT_EARLY_PURGE, FT_RETENTION_SHORTFALL,
	FT_CAPTURE_OUTAGE, FT_EPHEMERAL_ENABLED, FT_PROHIBITED_APP, FT_UNAPPROVED_APP,
	FT_COUNT
};
extern const char *const finding_type_names[FT_COUNT];
/* "Uncaptured deletion", ... */
extern const char *const finding_type_labels[FT_COUNT];
/* The type or class of a name in any case ("device_loss", "Actual"); -1
 * if unknown. */
int finding_type_from_name(const char *name);           /* -1 if unknown */
/* The hint for an unknown name, " (expected A, B or C; did you mean 'B'?)",
 * into out (at least 400 bytes for the types). */
void finding_type_hint(const char *name, char *out, size_t size);
/* The label of a type in a class, the one vocabulary of every report:
 * finding_type_labels, but "Account scheduled for deletion" for an
 * impending ACCOUNT_DELETION. The name itself for a type this build does
 * not know (NULL: ""). */
const char *finding_label(const char *type, const char *class);

/* Ordered by severity for --fail-on: policy < threatened < impending < actual */
enum finding_class { FC_POLICY, FC_THREATENED, FC_IMPENDING, FC_ACTUAL, FC_COUNT };
extern const char *const finding_class_names[FC_COUNT];
/* "Actual", "Impending", "Threatened", "Policy" */
extern const char *const finding_class_labels[FC_COUNT];
int finding_class_from_name(const char *name);          /* -1 if unknown */
void finding_class_hint(const char *name, char *out, size_t size);
const char *finding_severity(enum finding_class c);     /* high/medium/low */
/* The report order: the most serious class first (actual 0 .. policy 3);
 * FC_COUNT for an unknown name. */
int finding_class_rank(const char *name);
/* The classes in report order (actual, impending, threatened, policy). */
extern const enum finding_class finding_class_order[FC_COUNT];
/* The same order for SQL over findings.class, e.g. "ORDER BY " and this
 * with col "f.class": "CASE f.class WHEN 'actual' THEN 0 ... ELSE 4 END".
 * Writes into buf (at least 120 + 4 * strlen(col) bytes); returns buf. */
const char *finding_class_order_sql(const char *col, char *buf, size_t len);

/* Loss kinds of a copy (finding_copies.loss). */
enum copy_loss {
	LOSS_NONE, LOSS_DELETED, LOSS_EXPIRED, LOSS_BURNED, LOSS_DEVICE_REPLACED,
	LOSS_DEVICE_WIPED, LOSS_DEVICE_RETIRED, LOSS_DEVICE_LOST, LOSS_DEVICE_STOLEN,
	LOSS_ACCOUNT_CLOSED, LOSS_ACCOUNT_DELETED, LOSS_SCHEDULED_DELETION,
	LOSS_DELETED_BY_SENDER, LOSS_COUNT
};
extern const char *const copy_loss_names[LOSS_COUNT];  /* [LOSS_NONE] = NULL */
int copy_loss_from_name(const char *name);               /* NULL: LOSS_NONE; -1 unknown */
/* The device loss of a devices.status ("replaced" -> LOSS_DEVICE_REPLACED),
 * LOSS_NONE for "active", unknown or NULL. */
enum copy_loss copy_loss_of_device_status(const char *status);

enum copy_direction { COPY_SENT, COPY_RECEIVED };
enum copy_retained { RET_NONE, RET_STORE, RET_FORWARD, RET_EXPORT, RET_COUNT };
extern const char *const copy_retained_names[RET_COUNT]; /* [RET_NONE] = NULL */

#define FINDING_SURVIVES_STORE   1u
#define FINDING_SURVIVES_FORWARD 2u
#define FINDING_SURVIVES_EXPORT  4u
#define FINDING_SURVIVES_DEVICE  8u      /* this copy, not lost */
#define FINDING_SURVIVES_OTHER   16u     /* another account's copy, not lost */

/* A time that is not known (NULL in the database). */
#define FINDING_NO_TS INT64_MIN

struct store;

/* ---- writing (the detectors) ---- */

/* Who a finding is about (NULL: not one value). */
struct finding_who {
	const char *office, *custodian_id, *account, *app, *device_id;
};

/* One message copy of a finding, with its facts. */
struct finding_copy_facts {
	const char *account, *message_id, *conversation_id;
	long long ts;
	int ts_bound;                   /* 1: ts is "no later than" (sent time unknown) */
	enum copy_direction direction;
	enum copy_loss loss;
	long long loss_ts;              /* FINDING_NO_TS: unknown */
	enum copy_retained retained;
	long long retained_ts;          /* FINDING_NO_TS when RET_NONE */
	unsigned survives;              /* FINDING_SURVIVES_* */
};

/* The prepared statements of one run being written. Evidence rows are
 * written in batches (rowbatch.h), copies first to a temp table
 * (findings_copies_commit): both reach their tables at
 * findings_writer_flush at the latest. */
struct rowbatch;
struct findings_writer {
	struct store *st;
	long long run_id;
	struct stmt *ins_finding, *upd_finding;
	struct rowbatch *evidence, *copies;
	unsigned long long staged;      /* copies in the temp table */
	/* what was written, for the summary */
	unsigned long findings;
	unsigned long count[FT_COUNT][FC_COUNT];
	unsigned long long messages[FT_COUNT][FC_COUNT];
};

/* One finding being built: begun, given copies, evidence and times, then
 * ended with its sentence. */
struct finding_acc {
	int used;
	enum finding_type type;
	enum finding_class cls;
	char id[17];
	unsigned long long count;       /* message_count */
	long long first_ts, last_ts;    /* LLONG_MAX / LLONG_MIN: none yet */
	struct strmap convs;            /* the conversations, exact (never merged on a hash) */
	struct hashmap ev;              /* evidence rows */
	size_t nev;
};

/* 0 or -1 (printed). */
int findings_writer_open(struct findings_writer *w, struct store *st, long long run_id);
/* Write what is batched or staged (copies with no more survives bits): the
 * evidence and finding_copies tables are complete after it. 0 or -1. */
int findings_writer_flush(struct findings_writer *w);
/* Rows not flushed are dropped (the analysis failed). */
void findings_writer_close(struct findings_writer *w);
/* Move the staged copies into finding_copies, OR-ing into survives the
 * value of survives_or (NULL: none), an SQL expression over the staged row
 * aliased c (c.account, c.message_id): bits only known once every copy is
 * judged (another account still holds the message). 0 or -1. */
int findings_copies_commit(struct findings_writer *w, const char *survives_or);

/* The finding id of a type, class and grouping key (the contract above). */
void finding_make_id(char out[17], enum finding_type t, enum finding_class c, const char *key);
/* Insert the finding row (its counts are filled by finding_end). */
int finding_begin(struct findings_writer *w, struct finding_acc *f, enum finding_type t,
		  enum finding_class c, const char *key, const struct finding_who *who);
/* What an evidence row records (the evidence columns above; NULL and
 * FINDING_NO_TS: not known). */
struct finding_evidence_facts {
	const char *event, *message_id, *day;
	long long ts;
};
/* An input row behind the finding, with what it records (facts NULL: all
 * NULL) (input_id <= 0, a repeat, or past FINDINGS_MAX_EVIDENCE: ignored). */
int finding_evidence(struct findings_writer *w, struct finding_acc *f, long long input_id,
		     long long line, const struct finding_evidence_facts *facts);
void finding_time(struct finding_acc *f, long long ts);
void finding_conv(struct finding_acc *f, const char *conv);
/* Tests only: the hash of the findings' conversation sets (NULL:
   hash_str64), to force collisions. */
void findings_test_conv_hash(uint64_t (*h)(const char *));
/* A message copy: counted, timed, its conversation counted, and its row
 * with the facts staged for finding_copies (findings_copies_commit). */
int finding_copy(struct findings_writer *w, struct finding_acc *f,
		 const struct finding_copy_facts *c);
/* Write the counts and the sentence; the finding is no longer used. */
int finding_end(struct findings_writer *w, struct finding_acc *f, const char *detail);
/* Free what a finding that will not be ended holds. */
void finding_drop(struct finding_acc *f);

/* Delete the findings, evidence, copies and rule snapshot of a run. */
int findings_clear_run(struct store *st, long long run_id);
/* Store one rule pack of the run (run_rules). */
int findings_store_rule_pack(struct store *st, long long run_id, const char *file,
			     const char *sha256, const char *text, size_t len);

/* ---- reading (the writers) ---- */

/* Which findings: every non-empty list is "any of"; all must hold. */
struct finding_filter {
	long long run_id;
	const char *const *types, *const *classes, *const *offices, *const *apps,
		*const *custodians, *const *accounts, *const *devices;
	size_t ntypes, nclasses, noffices, napps, ncustodians, naccounts, ndevices;
	/* a period, YYYY-MM-DD or NULL: findings whose first..last overlaps
	   [from 00:00, to 24:00) UTC, with their whole volume */
	const char *from, *to;
};

/* One finding as stored. Strings are borrowed until the next step. */
struct finding_row {
	const char *finding_id, *type, *class, *severity, *office, *custodian_id, *account,
		*app, *device_id, *detail;
	enum finding_type t;            /* FT_COUNT for a type this build does not know */
	enum finding_class c;
	long long first_ts, last_ts;    /* FINDING_NO_TS: unknown */
	long long message_count, conversation_count;
};

/* One copy with its facts and its finding's type, class and who. */
struct finding_copy_row {
	const char *finding_id, *account, *message_id, *conversation_id;
	const char *type, *class, *office, *custodian_id, *app, *device_id;
	long long ts;
	int ts_bound;                   /* 1: ts is "no later than" (sent time unknown) */
	enum copy_direction direction;
	enum copy_loss loss;
	long long loss_ts;              /* FINDING_NO_TS: unknown or no loss */
	enum copy_retained retained;
	long long retained_ts;
	unsigned survives;
};

/* One distinct message of the selected copies: where it survives (the OR
 * of its copies' survives bits) and how many selected copies it has. */
struct finding_message_row {
	const char *message_id;
	unsigned survives;
	long long copies;
};

/* One evidence row with its input and what the row records (NULL or
 * FINDING_NO_TS: not known; see evidence above). */
struct finding_evidence_row {
	const char *finding_id, *type, *kind, *path, *sha256;
	long long input_id, line;
	const char *event, *message_id, *day;
	long long ts;
};

struct findings_cursor;

/* Findings of the filter, the most serious class first, then type, office,
 * custodian, account, finding_id. NULL on error (printed). */
struct findings_cursor *findings_open(struct store *st, const struct finding_filter *f);
int findings_next(struct findings_cursor *c, struct finding_row *out);  /* 1, 0 end, -1 */

/* The copies of the filter's findings (finding_id NULL) or of one finding,
 * ordered by finding_id, account, message_id. */
struct findings_cursor *finding_copies_open(struct store *st, const struct finding_filter *f,
					    const char *finding_id);
int finding_copies_next(struct findings_cursor *c, struct finding_copy_row *out);

/* The distinct messages of the filter's copies, by message_id. */
struct findings_cursor *finding_messages_open(struct store *st, const struct finding_filter *f);
int finding_messages_next(struct findings_cursor *c, struct finding_message_row *out);

/* Evidence of the filter's findings (finding_id NULL) or of one finding,
 * ordered by finding_id, input, line. */
struct findings_cursor *finding_evidence_open(struct store *st, const struct finding_filter *f,
					      const char *finding_id);
int finding_evidence_next(struct findings_cursor *c, struct finding_evidence_row *out);

/* The same for findings.type: the vocabulary's order, FT_COUNT for an
 * unknown type (buf: at least 600 + 12 * strlen(col) bytes). */
const char *finding_type_order_sql(const char *col, char *buf, size_t len);
/* The workbook order of findings (aliased f): the most serious class
 * first, the types in the vocabulary's order, then office, custodian,
 * account, finding_id. Writes it into buf (at least 1024 bytes); returns
 * buf. */
const char *finding_workbook_order_sql(char *buf, size_t len);
/* The findings of run_id in the workbook order, numbered from 1, as the
 * temporary table temp.workbook_order (ord, finding_id, type): the sheets
 * that follow that order read it by ord, and SQLite sorts only the rows of
 * one finding at a time, not all of them. 0 or -1. */
int finding_workbook_order(struct store *st, long long run_id);
/* The rows of the two sheets that follow it: the findings of
 * temp.workbook_order, and the evidence rows finding_evidence_workbook_open
 * reads (so a writer knows beforehand how many parts each sheet takes).
 * 0 or -1. */
int finding_workbook_counts(struct store *st, long long run_id, long long *findings,
			    long long *evidence);
/* Every evidence row of a run, its findings in the workbook order, then
 * by input and line (finding_evidence_next reads them); after
 * finding_workbook_order. */
struct findings_cursor *finding_evidence_workbook_open(struct store *st, long long run_id);

/* The rule packs of a run's snapshot, by file name. */
struct rule_pack_row {
	const char *file, *sha256, *text;
	long long size;
};
struct findings_cursor *run_rules_open(struct store *st, long long run_id);
int run_rules_next(struct findings_cursor *c, struct rule_pack_row *out);

void findings_close(struct findings_cursor *c);

#endif
