/* tracker: OIG/GAO/NARA recommendations, corrective actions, NARA cases and
 * their dated status history (spec §3.6), over the tables of schema.c
 * (recommendations, actions, action_refs, cases, status_updates).
 *
 * The four tracker CSVs are ingest kinds (`recommendations`, `actions`,
 * `updates`, `cases`), so they are hashed into the input manifest and a
 * file loaded twice adds nothing. Load cases and recommendations before
 * actions (an action's refs must resolve), and actions before updates.
 *
 * Closing rule (regulations.md §5, §7.6): a recommendation may not be
 * "Closed - ..." and an action may not be "Closed" without evidence: the
 * item's own evidence, the update's, or (for a recommendation) the evidence
 * of a corrective action linked to it. */
#ifndef UDAUDIT_TRACKER_H
#define UDAUDIT_TRACKER_H

#include <stddef.h>

#include "timeutil.h"

struct ingest_ctx;
struct store;

enum tracker_kind { TK_ACTION, TK_RECOMMENDATION, TK_CASE };

/* The vocabularies of spec §3.6, NULL-ended, ASCII (they feed the status
 * dropdowns of the tracker workbook). */
extern const char *const tracker_rec_statuses[];
extern const char *const tracker_action_statuses[];
extern const char *const tracker_case_statuses[];
extern const char *const tracker_sources[];

/* "action", "recommendation", "case": the item_kind of status_updates. */
const char *tracker_kind_name(enum tracker_kind k);
const char *const *tracker_statuses(enum tracker_kind k);

/* The canonical status for s, or NULL. Case, spacing and dashes are
 * forgiven ("open – resolved" is "Open - Resolved"), and DHS wording is
 * understood ("resolved and open"). */
const char *tracker_norm_status(enum tracker_kind k, const char *s);
/* 1 when status closes the item (needs evidence for actions and
 * recommendations): "Closed*". */
int tracker_is_closed(const char *status);
/* 1 when an item in this status can be overdue: not closed, and for an
 * action not "Complete". */
int tracker_is_pending(enum tracker_kind k, const char *status);

/* Where an item stands as of a day (one rule for the workbook, the list
 * and the letters):
 *   "closed", "complete"   done (never overdue)
 *   "awaiting closure"     a recommendation whose linked actions are all
 *                          Closed with evidence (actions_done): the work
 *                          is done, the auditor has to close it
 *   "report sent"          a case whose report went to NARA on or before
 *                          the day (report_sent_on): not overdue
 *   "overdue"              past due (days > 0); due is the revised due date
 *                          when there is one (it replaces the original)
 *   "on schedule", "no due date" */
struct tracker_standing {
	const char *state;      /* static text */
	long long days;         /* days overdue, 0 unless "overdue" */
};
void tracker_standing(enum tracker_kind k, const char *status, const char *due,
		      const char *report_sent_on, int actions_done, long long as_of_days,
		      struct tracker_standing *out);
/* Days overdue of an item whose standing needs no more than its status
 * and due date (an action's): tracker_standing(...).days. */
long long tracker_days_overdue(enum tracker_kind k, const char *status, const char *due,
			       long long as_of_days);
/* SQL for actions_done of the recommendation whose "REPORT#N" is the
 * expression REF. */
#define TRACKER_ACTIONS_DONE_SQL(REF)                                              \
	"(SELECT count(*) > 0 AND count(*) = sum(a.status = 'Closed' AND"           \
	" coalesce(a.evidence, '') <> '') FROM action_refs x JOIN actions a"        \
	" USING (action_id) WHERE x.ref = " REF ")"

/* The day tracker figures are counted to, and the document date: --as-of
 * (opt) when given, else the audit's as_of (the latest analysis run's),
 * else the latest date the tracker records (said), never the clock.
 * 0 or -1 (printed). */
int tracker_as_of(struct store *st, const char *opt, long long *created,
		  char date[TIME_DATE_LEN]);

/* The date of the latest letter sent to NARA on a case ("" when none):
 * the status letter counts its changes from it. 0 or -1. */
int tracker_last_letter(struct store *st, const char *case_id, char out[TIME_DATE_LEN]);

/* 0..100 (a trailing '%' allowed) into *out; -1 when not. */
int tracker_parse_percent(const char *v, long long *out);

/* A dated status change of one item. */
struct tracker_update {
	enum tracker_kind kind;
	const char *id;         /* action_id, "REPORT#N" or case id */
	const char *status;     /* any accepted spelling */
	const char *on;         /* YYYY-MM-DD */
	const char *note, *evidence;    /* may be NULL or "" */
	long long percent;      /* actions: % complete, -1 none; with no status the
				 * current status stays (Not started becomes In
				 * progress above 0) */
	long long input_id;     /* -1: from the command line */
	unsigned long line;
};

enum tracker_result { TU_APPLIED, TU_DUPLICATE, TU_REFUSED, TU_ERROR = -1 };

/* Validate and record an update: a status_updates row, and the item's
 * current status when no later update exists. TU_REFUSED puts the reason in
 * why (e.g. "cannot close action 'CA-3' without evidence"); TU_DUPLICATE
 * means the same update is already in the history (nothing added). */
enum tracker_result tracker_apply_update(struct store *st, const struct tracker_update *u,
					 char *why, size_t whylen);

/* Record that a letter on case_id was sent to NARA on `on`: the first is
 * the case's report (sets report_sent_on), the next ones status letters;
 * *kind says which ("report" or "status"). TU_DUPLICATE when a letter of
 * that date is recorded already. */
enum tracker_result tracker_record_letter(struct store *st, const char *case_id, const char *on,
					  const char *note, char *why, size_t whylen,
					  const char **kind);

/* Which item an id names: an action if one has that id, else a
 * recommendation "REPORT#N", else a case. 0, or -1 when none does. */
int tracker_find_item(struct store *st, const char *id, enum tracker_kind *kind);

/* Ingest loaders (ingest.c's kind table). */
int load_recommendations(struct ingest_ctx *ctx);
int load_actions(struct ingest_ctx *ctx);
int load_updates(struct ingest_ctx *ctx);
int load_cases(struct ingest_ctx *ctx);
struct csv_col;
/* The columns a tracker CSV kind's loader reads (the header `init`
 * writes): how many, or 0 for another kind. */
int tracker_csv_columns(const char *kind, const struct csv_col **cols);

/* The tracker kinds in the order they must be loaded. */
extern const char *const tracker_load_order[4];

#endif
