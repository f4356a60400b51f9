/* The detectors on an in-memory audit database: small hand-built cases,
 * one per row of spec 4.1 (precedence and ties included) and per type of
 * 4.2, checked through the findings cursors the writers use. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze.h"
#include "check.h"
#include "findings.h"
#include "hashmap.h"
#include "rules.h"
#include "store.h"
#include "timeutil.h"

static struct store *st;
static struct rules *r;

static void reset(void)
{
	store_close(st);
	st = store_open(":memory:", 1);
}

static void sql(const char *q)
{
	int rc = store_exec(st, q);
	CHECK(rc == 0);
}

static long long ts(const char *iso)
{
	long long t = 0;
	int date_only;
	time_parse(iso, &t, &date_only);
	return t;
}

/* account, capture, closed_on ("" = none); custodian C-<account tail> */
static void acct(const char *account, const char *capture, const char *closed,
		 const char *approved)
{
	char q[600];
	const char *app = strncmp(account, "wickr", 5) ? "whatsapp" : "wickr";
	snprintf(q, sizeof(q), "INSERT INTO accounts (account, app, custodian_id, custodian_name,"
		 " office, role, capture, approved_on, closed_on, input_id, line) VALUES ('%s', '%s',"
		 " 'C-%s', 'Name %s', 'EOC', 'standard', '%s', nullif('%s', ''), nullif('%s', ''), 1, 2)",
		 account, app, account + strlen(account) - 1, account + strlen(account) - 1, capture,
		 approved, closed);
	sql(q);
}

static int line_no = 1;
static void ev(const char *when, const char *event, const char *account, const char *device,
	       const char *mid, const char *conv)
{
	char q[600];
	snprintf(q, sizeof(q), "INSERT INTO usage (input_id, line, ts, event, account, device_id,"
		 " message_id, conversation_id, ttl) VALUES (2, %d, %lld, '%s', '%s',"
		 " nullif('%s', ''), nullif('%s', ''), nullif('%s', ''), %d)", line_no++, ts(when),
		 event, account, device, mid, conv, strcmp(event, "timer_set") ? 0 : 3600);
	sql(q);
}

static int analyze(const char *as_of)
{
	struct analyze_opts o = { as_of, NULL, "(memory)", NULL };
	struct analyze_summary sum;
	return analyze_run(st, r, &o, &sum);
}

/* The message_count of the finding of TYPE, class and account (NULL: any
 * account), -1 when there is none; *n: how many such findings. */
static long long finding(const char *type, const char *cls, const char *account, int *n)
{
	const char *t[1] = { type }, *c[1] = { cls }, *a[1] = { account };
	struct finding_filter f = { 1, t, c, NULL, NULL, NULL, account ? a : NULL, NULL,
				    1, 1, 0, 0, 0, account ? 1 : 0, 0, NULL, NULL };
	struct finding_row row;
	struct findings_cursor *cur = findings_open(st, &f);
	long long count = -1;
	int k = 0;
	while (cur && findings_next(cur, &row) == 1) {
		count = row.message_count;
		k++;
	}
	findings_close(cur);
	if (n)
		*n = k;
	return count;
}

/* The facts of the copy of mid held by account. */
static int copy_of(const char *mid, const char *account, struct finding_copy_row *out,
		   char *loss_kind, size_t len)
{
	struct finding_filter f = { 1, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
				    0, 0, 0, 0, 0, 0, 0, NULL, NULL };
	struct finding_copy_row row;
	struct findings_cursor *cur = finding_copies_open(st, &f, NULL);
	int found = 0;
	while (cur && finding_copies_next(cur, &row) == 1) {
		if (strcmp(row.message_id, mid) || strcmp(row.account, account))
			continue;
		*out = row;
		snprintf(loss_kind, len, "%s", row.loss ? copy_loss_names[row.loss] : "-");
		found = 1;
	}
	findings_close(cur);
	return found;
}

static void messages(void)
{
	struct finding_copy_row c;
	char kind[32];
	int n;

	/* row 1 and a group chat: A deletes, B still holds it */
	reset();
	acct("whatsapp:+1", "manual", "", "2018-01-01");
	acct("whatsapp:+2", "manual", "", "2018-01-01");
	ev("2021-03-01T10:00:00Z", "sent", "whatsapp:+1", "D1", "m1", "g1");
	ev("2021-03-01T10:00:05Z", "received", "whatsapp:+2", "D2", "m1", "g1");
	ev("2021-03-02T08:00:00Z", "deleted", "whatsapp:+1", "D1", "m1", "");
	CHECK(analyze("2021-06-30") == 0);
	CHECK(finding("UNCAPTURED_DELETION", "actual", "whatsapp:+1", NULL) == 1);
	CHECK(finding("NOT_FORWARDED", "threatened", "whatsapp:+2", NULL) == 1);
	CHECK(copy_of("m1", "whatsapp:+1", &c, kind, sizeof(kind)));
	CHECK_STR(kind, "deleted");
	CHECK(c.loss_ts == ts("2021-03-02T08:00:00Z"));
	CHECK(c.direction == COPY_SENT);
	CHECK(c.survives == FINDING_SURVIVES_OTHER);
	CHECK(copy_of("m1", "whatsapp:+2", &c, kind, sizeof(kind)));
	CHECK(c.direction == COPY_RECEIVED && c.survives == FINDING_SURVIVES_DEVICE);
	CHECK(c.ts_bound == 0);

	/* a copy known only by its deletion (usage.ts_bound): its time is "no
	   later than"; an account's real copy of the message is its time */
	reset();
	acct("wickr:a", "archiver", "", "2018-01-01");
	acct("wickr:b", "archiver", "", "2018-01-01");
	sql("INSERT INTO usage (input_id, line, ts, event, account, message_id, ts_bound) VALUES"
	    " (2, 1, 1614600000, 'received', 'wickr:a', 'w1', 1),"
	    " (2, 1, 1614600000, 'deleted', 'wickr:a', 'w1', NULL),"
	    " (2, 2, 1614500000, 'sent', 'wickr:b', 'w2', NULL),"
	    " (2, 3, 1614600000, 'received', 'wickr:b', 'w2', 1),"
	    " (2, 3, 1614600000, 'deleted', 'wickr:b', 'w2', NULL)");
	CHECK(analyze("2021-06-30") == 0);
	CHECK(copy_of("w1", "wickr:a", &c, kind, sizeof(kind)));
	CHECK(c.ts_bound == 1 && c.ts == 1614600000 && c.loss_ts == 1614600000);
	CHECK(copy_of("w2", "wickr:b", &c, kind, sizeof(kind)));
	CHECK(c.ts_bound == 0 && c.ts == 1614500000);

	/* rows 1-3 compete: the earliest loss wins; a tie goes to the lower row */
	reset();
	acct("whatsapp:+1", "manual", "2021-03-20", "2018-01-01");
	sql("INSERT INTO devices (device_id, custodian_id, status, status_on, input_id, line)"
	    " VALUES ('D1', 'C-1', 'replaced', '2021-03-05', 3, 2)");
	ev("2021-03-01T10:00:00Z", "sent", "whatsapp:+1", "D1", "m1", "g1");
	ev("2021-03-06T08:00:00Z", "deleted", "whatsapp:+1", "D1", "m1", "");
	ev("2021-03-01T11:00:00Z", "sent", "whatsapp:+1", "D1", "m2", "g1");
	ev("2021-03-05T00:00:00Z", "expired", "whatsapp:+1", "D1", "m2", "");
	ev("2021-03-01T12:00:00Z", "sent", "whatsapp:+1", "D9", "m3", "g1");
	CHECK(analyze("2021-06-30") == 0);
	CHECK(finding("DEVICE_LOSS", "actual", "whatsapp:+1", NULL) == 1);
	CHECK(copy_of("m1", "whatsapp:+1", &c, kind, sizeof(kind)));
	CHECK_STR(kind, "device_replaced");
	CHECK(c.loss_ts == ts("2021-03-05T00:00:00Z"));
	CHECK(finding("UNCAPTURED_DELETION", "actual", "whatsapp:+1", NULL) == 1);
	CHECK(copy_of("m2", "whatsapp:+1", &c, kind, sizeof(kind)));
	CHECK_STR(kind, "expired");
	CHECK(finding("ACCOUNT_DELETION", "actual", "whatsapp:+1", NULL) == 1);
	CHECK(copy_of("m3", "whatsapp:+1", &c, kind, sizeof(kind)));
	CHECK_STR(kind, "account_closed");

	/* row 4 (closed after as_of), row 5 (archiver), row 6 and its window */
	reset();
	acct("whatsapp:+1", "manual", "2021-12-31", "2018-01-01");
	acct("whatsapp:+2", "archiver", "", "2018-01-01");
	acct("whatsapp:+3", "none", "", "2018-01-01");
	ev("2021-03-01T10:00:00Z", "sent", "whatsapp:+1", "D1", "m1", "g1");
	ev("2021-03-01T10:00:00Z", "sent", "whatsapp:+2", "D2", "m2", "g2");
	ev("2021-06-09T23:00:00Z", "sent", "whatsapp:+3", "D3", "m3", "g3");   /* 21 days */
	ev("2021-06-10T10:00:00Z", "sent", "whatsapp:+3", "D3", "m4", "g3");   /* 20 days */
	CHECK(analyze("2021-06-30") == 0);
	CHECK(finding("ACCOUNT_DELETION", "impending", "whatsapp:+1", NULL) == 1);
	CHECK(copy_of("m1", "whatsapp:+1", &c, kind, sizeof(kind)));
	CHECK_STR(kind, "scheduled_deletion");
	CHECK(c.loss_ts == ts("2021-12-31T00:00:00Z"));
	CHECK(finding("CAPTURE_GAP", "threatened", "whatsapp:+2", NULL) == 1);
	CHECK(finding("NOT_FORWARDED", "threatened", "whatsapp:+3", NULL) == 1);
	CHECK(!copy_of("m4", "whatsapp:+3", &c, kind, sizeof(kind)));

	/* row 7: retained, but more than 20 days late (forward, export, store) */
	reset();
	acct("whatsapp:+1", "manual", "", "2018-01-01");
	ev("2021-03-01T10:00:00Z", "sent", "whatsapp:+1", "D1", "m1", "g1");
	ev("2021-04-01T10:00:00Z", "forwarded", "whatsapp:+1", "", "m1", "");
	ev("2021-03-01T10:00:00Z", "sent", "whatsapp:+1", "D1", "m2", "g2");
	ev("2021-03-15T10:00:00Z", "forwarded", "whatsapp:+1", "", "m2", "");
	sql("INSERT INTO store_messages (message_id, app, account, conversation_id, sent_ts,"
	    " captured_ts, input_id, line) VALUES ('m1', 'whatsapp', 'whatsapp:+1', 'g1', 1614592800,"
	    " 1620000000, 4, 1)");
	CHECK(analyze("2021-06-30") == 0);
	CHECK(finding("LATE_FORWARD", "policy", "whatsapp:+1", &n) == 1);
	CHECK(n == 1);
	CHECK(copy_of("m1", "whatsapp:+1", &c, kind, sizeof(kind)));
	CHECK(c.retained == RET_FORWARD && c.retained_ts == ts("2021-04-01T10:00:00Z"));
	CHECK(c.survives == (FINDING_SURVIVES_STORE | FINDING_SURVIVES_FORWARD |
			     FINDING_SURVIVES_DEVICE));
}

static void others(void)
{
	int n;

	/* EARLY_PURGE: purged a day after it was sent (standard: 2555 days);
	   RETENTION_SHORTFALL: a 30-day policy for the app of an account */
	reset();
	acct("whatsapp:+1", "archiver", "", "2018-01-01");
	sql("INSERT INTO store_messages (message_id, app, account, conversation_id, sent_ts,"
	    " captured_ts, purged_ts, input_id, line) VALUES"
	    " ('s1', 'whatsapp', 'whatsapp:+1', 'g1', 1614592800, 1614592900, 1614679200, 4, 1),"
	    " ('s2', 'whatsapp', 'whatsapp:+1', 'g1', 1614592800, 1614592900, NULL, 4, 2)");
	sql("INSERT INTO retention_policies (app, role, retention_days, input_id, line)"
	    " VALUES ('whatsapp', NULL, 30, 4, 9)");
	CHECK(analyze("2021-06-30") == 0);
	CHECK(finding("EARLY_PURGE", "actual", "whatsapp:+1", NULL) == 1);
	CHECK(finding("RETENTION_SHORTFALL", "threatened", NULL, &n) == 2);
	CHECK(n == 1);

	/* CAPTURE_OUTAGE: three missing archiver copies over 30 hours */
	reset();
	acct("whatsapp:+1", "archiver", "", "2018-01-01");
	ev("2021-03-01T00:00:00Z", "sent", "whatsapp:+1", "D1", "m1", "g1");
	ev("2021-03-01T12:00:00Z", "sent", "whatsapp:+1", "D1", "m2", "g1");
	ev("2021-03-02T06:00:00Z", "sent", "whatsapp:+1", "D1", "m3", "g1");
	CHECK(analyze("2021-06-30") == 0);
	CHECK(finding("CAPTURE_OUTAGE", "threatened", NULL, &n) == 3);
	CHECK(n == 1);
	CHECK(finding("CAPTURE_GAP", "threatened", "whatsapp:+1", NULL) == 3);

	/* EPHEMERAL_ENABLED, UNAPPROVED_APP (approved after first use),
	   PROHIBITED_APP (an inventory row) */
	reset();
	acct("whatsapp:+1", "manual", "", "2021-04-01");
	acct("whatsapp:+2", "manual", "", "2018-01-01");
	ev("2021-03-01T10:00:00Z", "timer_set", "whatsapp:+1", "D1", "", "");
	ev("2021-03-01T10:00:00Z", "timer_set", "whatsapp:+2", "D2", "", "");
	sql("INSERT INTO devices (device_id, custodian_id, status, input_id, line)"
	    " VALUES ('D1', 'C-1', 'active', 3, 2)");
	sql("INSERT INTO device_apps (device_id, app_id, app_name, first_seen, input_id, line)"
	    " VALUES ('D1', 'org.telegram.messenger', 'Telegram', '2021-02-01', 5, 2)");
	CHECK(analyze("2021-06-30") == 0);
	CHECK(finding("EPHEMERAL_ENABLED", "threatened", NULL, &n) == 0);
	CHECK(n == 2);
	CHECK(finding("UNAPPROVED_APP", "policy", NULL, &n) == 0);
	CHECK(n == 1);
	CHECK(finding("PROHIBITED_APP", "policy", NULL, &n) == 0);
	CHECK(n == 1);
}

/* "m-b" hashes as "m-a" (and "g-b" as "g-a"): the store index and the
   sets of conversations must still tell them apart */
static uint64_t colliding(const char *s)
{
	return hash_str64(!strcmp(s, "m-b") ? "m-a" : !strcmp(s, "g-b") ? "g-a" : s);
}

static void collisions(void)
{
	static const char store_row[] = "INSERT INTO store_messages (message_id, app, account,"
		" conversation_id, sent_ts, captured_ts, input_id, line) VALUES ('%s', 'whatsapp',"
		" 'whatsapp:+1', 'g1', %lld, %lld, 4, %d)";
	char q[400];

	CHECK(colliding("m-a") == colliding("m-b"));
	analyze_test_key_hash(colliding);
	/* a usage id colliding with a stored one is not retained by it */
	reset();
	acct("whatsapp:+1", "manual", "", "2018-01-01");
	snprintf(q, sizeof(q), store_row, "m-a", ts("2021-03-01T10:00:00Z"),
		 ts("2021-03-01T10:00:05Z"), 1);
	sql(q);
	ev("2021-03-01T10:00:00Z", "sent", "whatsapp:+1", "D1", "m-a", "g1");
	ev("2021-03-01T11:00:00Z", "sent", "whatsapp:+1", "D1", "m-b", "g1");
	ev("2021-03-02T08:00:00Z", "deleted", "whatsapp:+1", "D1", "m-b", "");
	/* nor by a forward of the id it collides with (the filter of
	   forwarded ids may say "maybe"; the lookup compares the ids) */
	ev("2021-03-01T10:30:00Z", "forwarded", "whatsapp:+1", "D1", "m-a", "");
	CHECK(analyze("2021-06-30") == 0);
	CHECK(finding("UNCAPTURED_DELETION", "actual", "whatsapp:+1", NULL) == 1);
	struct finding_copy_row c;
	char kind[32];
	CHECK(copy_of("m-b", "whatsapp:+1", &c, kind, sizeof(kind)));
	CHECK(!copy_of("m-a", "whatsapp:+1", &c, kind, sizeof(kind)));
	/* two stored ids that collide are two messages, not one loaded twice
	   (m-a is captured after as_of: m-b, in time, keeps its own day) */
	reset();
	acct("whatsapp:+1", "manual", "", "2018-01-01");
	snprintf(q, sizeof(q), store_row, "m-a", ts("2021-03-01T10:00:00Z"),
		 ts("2021-08-01T00:00:00Z"), 1);
	sql(q);
	snprintf(q, sizeof(q), store_row, "m-b", ts("2021-03-01T11:00:00Z"),
		 ts("2021-03-01T11:00:05Z"), 2);
	sql(q);
	ev("2021-03-01T10:00:00Z", "sent", "whatsapp:+1", "D1", "m-a", "g1");
	ev("2021-03-01T11:00:00Z", "sent", "whatsapp:+1", "D1", "m-b", "g1");
	CHECK(analyze("2021-06-30") == 0);
	CHECK(finding("NOT_FORWARDED", "threatened", "whatsapp:+1", NULL) == 1);
	CHECK(copy_of("m-a", "whatsapp:+1", &c, kind, sizeof(kind)));
	CHECK(!copy_of("m-b", "whatsapp:+1", &c, kind, sizeof(kind)));
	/* two conversations whose hashes collide are two conversations of
	   one finding */
	findings_test_conv_hash(colliding);
	reset();
	acct("whatsapp:+1", "manual", "", "2018-01-01");
	ev("2021-03-01T10:00:00Z", "sent", "whatsapp:+1", "D1", "m-1", "g-a");
	ev("2021-03-01T11:00:00Z", "sent", "whatsapp:+1", "D1", "m-2", "g-b");
	CHECK(analyze("2021-06-30") == 0);
	CHECK(finding("NOT_FORWARDED", "threatened", "whatsapp:+1", NULL) == 2);
	long long n = -1;
	CHECK(store_query_int(st, "SELECT conversation_count FROM findings"
			      " WHERE type = 'NOT_FORWARDED'", &n) == 0 && n == 2);
	findings_test_conv_hash(NULL);
	analyze_test_key_hash(NULL);
}

int main(void)
{
	r = rules_load_mem("[whatsapp]\nclass = restricted\nids = ^com\\.whatsapp$\n"
			   "[wickr]\nclass = approved\n"
			   "[telegram]\nclass = prohibited\nids = ^org\\.telegram\\.messenger$\n",
			   NULL, NULL);
	CHECK(r != NULL);
	if (!r)
		return CHECK_DONE();
	messages();
	others();
	collisions();
	CHECK(finding_class_rank("actual") == 0 && finding_class_rank("policy") == 3);
	CHECK_STR(finding_type_labels[FT_UNCAPTURED_DELETION], "Uncaptured deletion");
	CHECK_STR(finding_class_labels[FC_ACTUAL], "Actual");
	store_close(st);
	rules_free(r);
	return CHECK_DONE();
}
