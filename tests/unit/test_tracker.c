/* tracker: status vocabularies, closing rule, overdue days. */
#include "tracker.h"

#include <stdlib.h>

#include "check.h"
#include "store.h"
#include "timeutil.h"

static void test_status(void)
{
	CHECK_STR(tracker_norm_status(TK_RECOMMENDATION, "Open - Resolved"), "Open - Resolved");
	CHECK_STR(tracker_norm_status(TK_RECOMMENDATION, "open \xE2\x80\x93 unresolved"),
		  "Open - Unresolved");
	CHECK_STR(tracker_norm_status(TK_RECOMMENDATION, "Open-Resolved"), "Open - Resolved");
	CHECK_STR(tracker_norm_status(TK_RECOMMENDATION, "resolved and open"), "Open - Resolved");
	CHECK_STR(tracker_norm_status(TK_RECOMMENDATION, "Closed \xE2\x80\x94 Not Implemented"),
		  "Closed - Not Implemented");
	CHECK(tracker_norm_status(TK_RECOMMENDATION, "Closed") == NULL);
	CHECK(tracker_norm_status(TK_RECOMMENDATION, "") == NULL);
	CHECK_STR(tracker_norm_status(TK_ACTION, "in progress"), "In progress");
	CHECK_STR(tracker_norm_status(TK_ACTION, "NOT STARTED"), "Not started");
	CHECK_STR(tracker_norm_status(TK_ACTION, "completed"), "Complete");
	CHECK(tracker_norm_status(TK_ACTION, "Open") == NULL);
	CHECK_STR(tracker_norm_status(TK_CASE, "closed"), "Closed");
	CHECK(tracker_is_closed("Closed - Implemented"));
	CHECK(tracker_is_closed("Closed"));
	CHECK(!tracker_is_closed("Complete"));
	CHECK(!tracker_is_closed(NULL));
	CHECK(!tracker_is_pending(TK_ACTION, "Complete"));
	CHECK(tracker_is_pending(TK_RECOMMENDATION, "Open - Resolved"));
	/* every vocabulary is short ASCII: it feeds an inline dropdown list */
	for (int k = TK_ACTION; k <= TK_CASE; k++) {
		size_t total = 0;
		for (const char *const *v = tracker_statuses((enum tracker_kind)k); *v; v++)
			for (const char *p = *v; *p; p++, total++)
				CHECK((unsigned char)*p < 0x80 && *p != ',');
		CHECK(total < 200);
	}
}

static void test_overdue(void)
{
	long long d;

	time_parse_date("2022-04-01", &d);
	CHECK(tracker_days_overdue(TK_ACTION, "In progress", "2022-02-28", d) == 32);
	CHECK(tracker_days_overdue(TK_ACTION, "Complete", "2022-02-28", d) == 0);
	CHECK(tracker_days_overdue(TK_ACTION, "In progress", "2022-04-01", d) == 0);
	CHECK(tracker_days_overdue(TK_ACTION, "In progress", "", d) == 0);
	CHECK(tracker_days_overdue(TK_ACTION, NULL, "2022-03-31", d) == 1);
	CHECK(tracker_days_overdue(TK_CASE, "Closed", "2021-11-15", d) == 0);

	struct tracker_standing sd;
	tracker_standing(TK_RECOMMENDATION, "Open - Resolved", "2021-03-31", NULL, 1, d, &sd);
	CHECK_STR(sd.state, "awaiting closure");
	CHECK(sd.days == 0);
	tracker_standing(TK_RECOMMENDATION, "Open - Resolved", "2021-03-31", NULL, 0, d, &sd);
	CHECK_STR(sd.state, "overdue");
	CHECK(sd.days == 366);
	tracker_standing(TK_CASE, "Open", "2021-11-15", "2021-11-20", 0, d, &sd);
	CHECK_STR(sd.state, "report sent");
	CHECK(sd.days == 0);
	/* sent after the day counted to: still overdue that day */
	tracker_standing(TK_CASE, "Open", "2021-11-15", "2022-05-01", 0, d, &sd);
	CHECK_STR(sd.state, "overdue");
	tracker_standing(TK_ACTION, "Complete", "2021-11-15", NULL, 0, d, &sd);
	CHECK_STR(sd.state, "complete");
	tracker_standing(TK_ACTION, "In progress", "2022-12-31", NULL, 0, d, &sd);
	CHECK_STR(sd.state, "on schedule");
}

static void test_update(void)
{
	struct store *st = store_open(":memory:", 1);
	char why[256];
	struct tracker_update u = { .kind = TK_ACTION, .id = "CA-1", .status = "Closed",
				    .on = "2022-01-01", .percent = -1, .input_id = -1 };

	CHECK(st != NULL);
	if (!st)
		return;
	CHECK(tracker_apply_update(st, &u, why, sizeof(why)) == TU_REFUSED);
	CHECK_STR(why, "no action 'CA-1' in the tracker");
	CHECK(store_exec(st, "INSERT INTO actions (action_id, status) VALUES ('CA-1', 'In progress')") == 0);
	CHECK(tracker_apply_update(st, &u, why, sizeof(why)) == TU_REFUSED);
	CHECK_STR(why, "cannot close action 'CA-1' without evidence");
	u.evidence = "memo";
	CHECK(tracker_apply_update(st, &u, why, sizeof(why)) == TU_APPLIED);
	CHECK(tracker_apply_update(st, &u, why, sizeof(why)) == TU_DUPLICATE);
	/* back-dated: history only, the current status stays */
	u.status = "In progress";
	u.on = "2021-06-01";
	u.evidence = NULL;
	CHECK(tracker_apply_update(st, &u, why, sizeof(why)) == TU_APPLIED);
	long long n = -1;
	CHECK(store_query_int(st, "SELECT count(*) FROM actions WHERE status = 'Closed'"
			      " AND evidence = 'memo'", &n) == 0 && n == 1);
	CHECK(store_query_int(st, "SELECT count(*) FROM status_updates", &n) == 0 && n == 2);
	u.status = "Finished";
	CHECK(tracker_apply_update(st, &u, why, sizeof(why)) == TU_REFUSED);
	store_close(st);
}

int main(void)
{
	test_status();
	test_overdue();
	test_update();
	return CHECK_DONE();
}
