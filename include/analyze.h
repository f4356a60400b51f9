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
 * What is stored, and what each table and column means: findings.h. */
#ifndef UDAUDIT_ANALYZE_H
#define UDAUDIT_ANALYZE_H

#include "findings.h"

struct store;
struct rules;
struct crosscheck;

struct analyze_opts {
	const char *as_of;      /* YYYY-MM-DD; NULL: end of quarter, else the
				 * day of the latest usage event */
	const char *quarter;    /* YYYYQn; NULL: from as_of */
	const char *rules_dir;  /* recorded in runs */
	struct crosscheck *cc;  /* NULL, or fed every row of the two scans
				 * (crosscheck.h): marked fed when both finish */
};

struct analyze_summary {
	long long run_id;
	char as_of[11], quarter[8];
	unsigned long events, copies, excluded, candidates, gave_up;
	unsigned long disabled;         /* patterns disabled by their give-ups */
	unsigned long findings;
	unsigned long count[FT_COUNT][FC_COUNT];        /* findings by type, class */
	unsigned long long messages[FT_COUNT][FC_COUNT];/* their message_count */
};

/* Run every detector and replace the run of that as_of, in one
 * transaction. 0, or -1 (printed; the database is unchanged). */
int analyze_run(struct store *st, const struct rules *r, const struct analyze_opts *o,
		struct analyze_summary *sum);

/* Print the summary by class and type (run, analyze). */
/* For tests: the hash the store index keys message ids by (NULL: the
 * default, hash_str64); one that collides shows the ids kept apart. */
void analyze_test_key_hash(uint64_t (*h)(const char *));

void analyze_print_summary(const struct analyze_summary *sum);
/* The highest class with a finding in this run (enum finding_class), or -1
 * when none: --fail-on CLASS exits 1 when this is >= CLASS. */
int analyze_worst_class(const struct analyze_summary *sum);

#endif
