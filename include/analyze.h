/* analyze: the detectors of spec 4, run over the audit database, writing one
 * analysis run (the findings of one as_of date).
 *
 * Design (spec 8): two sequential scans and a few sorted passes, no
 * per-event queries. (1) store_messages is scanned once, in rowid (load)
 * order, into a compact in-memory index (64-bit hash of message_id ->
 * capture day, about 17 bytes a row: the only memory that grows, and with
 * the store, not the events) and the EARLY_PURGE / RETENTION_SHORTFALL
 * aggregates. store_messages has no key (schema migration 3): a message_id
 * loaded twice (compliance.sqlite and a Wickr export, say) is judged and
 * counted once, by its first row, as the former key's INSERT OR IGNORE did. (2) usage is scanned
 * once in rowid order: a copy retained by the store in time is settled on
 * the spot; the rest (candidates) and the deletion, forward, export events
 * go to temp tables, which are indexed and resolved in one sorted query.
 * Retained archiver copies are kept as a per-app bitmap of seconds for
 * CAPTURE_OUTAGE (memory grows with the time span, not the events). The
 * two scans are read ahead by a reader thread on a second, read-only
 * connection (UDAUDIT_THREADS=0 turns it off); the audit database is only
 * written after that connection is closed.
 *
 * ---- What is stored (the contract for the report writers) ----
 *
 * runs: one row per as_of date. A re-run with the same as_of deletes that
 *   run's findings, evidence and finding_copies and writes them again under
 *   the same run_id; runs of other dates are kept (quarter-over-quarter
 *   trends: GROUP BY run_id, order by as_of).
 *     run_id, as_of 'YYYY-MM-DD', quarter 'YYYYQn' (from --quarter or
 *     derived from as_of), rules_dir, rules_sha256 (of the pack files),
 *     copies (message copies judged), excluded (copies left out by
 *     exclusions.ini or a transitory app), gave_up (pattern give-ups);
 *     agency, component (migration 2) are set by `run`, not by analyze.
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
 *   compliance store's table). Distinct rows, at most ANALYZE_MAX_EVIDENCE
 *   per finding (the copy events, the loss event: deletion, device row,
 *   account row or account_deleted event; forwards/exports; store rows;
 *   inventory rows; policy rows).
 *
 * finding_copies: (run_id, finding_id, account, message_id, ts,
 *   conversation_id): every message copy behind a message finding (not
 *   capped; one row per copy, ts = the copy's time). The distinct
 *   message_id over a set of findings is the number of messages; copies of
 *   the same message_id in NOT_FORWARDED, CAPTURE_GAP, ACCOUNT_DELETION
 *   (impending) or LATE_FORWARD findings are the surviving copies for the
 *   salvage section. CAPTURE_OUTAGE copies are not repeated here (they are
 *   the CAPTURE_GAP copies of that app and period). */
#ifndef UDAUDIT_ANALYZE_H
#define UDAUDIT_ANALYZE_H

#define ANALYZE_MAX_EVIDENCE 1000

enum finding_type {
	FT_UNCAPTURED_DELETION, FT_DEVICE_LOSS, FT_ACCOUNT_DELETION, FT_CAPTURE_GAP,
	FT_NOT_FORWARDED, FT_LATE_FORWARD, FT_EARLY_PURGE, FT_RETENTION_SHORTFALL,
	FT_CAPTURE_OUTAGE, FT_EPHEMERAL_ENABLED, FT_PROHIBITED_APP, FT_UNAPPROVED_APP,
	FT_COUNT
};
extern const char *const finding_type_names[FT_COUNT];

/* Ordered by severity for --fail-on: policy < threatened < impending < actual */
enum finding_class { FC_POLICY, FC_THREATENED, FC_IMPENDING, FC_ACTUAL, FC_COUNT };
extern const char *const finding_class_names[FC_COUNT];
int finding_class_from_name(const char *name);          /* -1 if unknown */
const char *finding_severity(enum finding_class c);     /* high/medium/low */

struct store;
struct rules;

struct analyze_opts {
	const char *as_of;      /* YYYY-MM-DD; NULL: end of quarter, else the
				 * day of the latest usage event */
	const char *quarter;    /* YYYYQn; NULL: from as_of */
	const char *rules_dir;  /* recorded in runs */
};

struct analyze_summary {
	long long run_id;
	char as_of[11], quarter[8];
	unsigned long events, copies, excluded, candidates, gave_up;
	unsigned long findings;
	unsigned long count[FT_COUNT][FC_COUNT];        /* findings by type, class */
	unsigned long long messages[FT_COUNT][FC_COUNT];/* their message_count */
};

/* Run every detector and replace the run of that as_of, in one
 * transaction. 0, or -1 (printed; the database is unchanged). */
int analyze_run(struct store *st, const struct rules *r, const struct analyze_opts *o,
		struct analyze_summary *sum);

/* Print the summary by class and type (run, analyze). */
void analyze_print_summary(const struct analyze_summary *sum);
/* The highest class with a finding in this run (enum finding_class), or -1
 * when none: --fail-on CLASS exits 1 when this is >= CLASS. */
int analyze_worst_class(const struct analyze_summary *sum);

#endif
