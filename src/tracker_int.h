/* tracker_int: what tracker.c (the model: statuses, standing, dated
 * updates, letters) and tracker_load.c (the four CSV loaders) share.
 * Private to those two files. */
#ifndef UDAUDIT_TRACKER_INT_H
#define UDAUDIT_TRACKER_INT_H

#include "tracker.h"

/* An item's current status and evidence (tracker_item_load). */
struct item {
	int found;
	char *status, *evidence;
	int linked_evidence;    /* a recommendation with a linked action's evidence */
	long long percent;      /* actions; -1 unknown */
};

/* The latest dated update of an item (the one that sets its status):
 * found 0 when it has none. */
struct latest {
	int found;
	char status[40], on[TIME_DATE_LEN], from[300];
	long long percent;              /* -1: the update gave none */
	char pct_on[TIME_DATE_LEN];     /* the latest update that gave a percent */
	long long pct;
};

/* "'a', 'b', 'c' or 'd'" for messages */
void tracker_word_list(const char *const *w, char *out, size_t outlen);
/* 1 when s is a case id UD-YYYY-NNNN */
int tracker_is_case_id(const char *s);

/* Load item id of kind k: it->found 0 when there is none. 0 or -1; free
 * with tracker_item_release. */
int tracker_item_load(struct store *st, enum tracker_kind k, const char *id, struct item *it);
void tracker_item_release(struct item *it);
/* The latest dated update of an item (l->found 0: none). 0 or -1. */
int tracker_latest_update(struct store *st, enum tracker_kind k, const char *id, struct latest *l);
/* Record one history row unless the same one is there (input_id -1: not
 * from a file). 1 added, 0 there, -1 error. */
int tracker_add_history(struct store *st, enum tracker_kind k, const char *id, const char *on,
			const char *status, const char *note, const char *evidence,
			long long percent, long long input_id, unsigned long line);
/* The evidence the dated updates of an item brought, merged onto base.
 * Caller frees. */
char *tracker_update_evidence(struct store *st, enum tracker_kind k, const char *id,
			      const char *base);
/* Complete and Closed mean the work is done: 100 %; else percent. */
long long tracker_implied_percent(enum tracker_kind k, const char *status, long long percent);

#endif
