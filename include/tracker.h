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
/* Days past due as of as_of_days (0 when not pending, no valid due date,
 * or not yet due). */
long long tracker_days_overdue(enum tracker_kind k, const char *status, const char *due,
			       long long as_of_days);

/* A dated status change of one item. */
struct tracker_update {
	enum tracker_kind kind;
	const char *id;         /* action_id, "REPORT#N" or case id */
	const char *status;     /* any accepted spelling */
	const char *on;         /* YYYY-MM-DD */
	const char *note, *evidence;    /* may be NULL or "" */
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

/* Which item an id names: an action if one has that id, else a
 * recommendation "REPORT#N", else a case. 0, or -1 when none does. */
int tracker_find_item(struct store *st, const char *id, enum tracker_kind *kind);

/* Ingest loaders (ingest.c's kind table). */
int load_recommendations(struct ingest_ctx *ctx);
int load_actions(struct ingest_ctx *ctx);
int load_updates(struct ingest_ctx *ctx);
int load_cases(struct ingest_ctx *ctx);

/* The tracker kinds in the order they must be loaded. */
extern const char *const tracker_load_order[4];

#endif
