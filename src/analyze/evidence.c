/* The facts of the run's evidence rows: what each input row records (its
 * event, message and time), stored with the row (evidence.event,
 * message_id, ts, day; findings.h) so that the writers print them and
 * never read the input tables again. One scan of each input table, joined
 * on (input, line) through a temporary index on the run's evidence rows:
 * no index on the large tables is needed. */
#include "an.h"

static const char *const facts[] = {
	/* usage events (a line may hold two: a message and its deletion) */
	"INSERT OR IGNORE INTO temp.evf SELECT k.rid, group_concat(DISTINCT u.event),"
	" min(u.message_id), min(u.ts), NULL FROM main.usage u CROSS JOIN temp.evk k"
	" ON k.input_id = u.input_id AND k.line = u.line GROUP BY k.rid",
	"INSERT OR IGNORE INTO temp.evf SELECT k.rid, CASE WHEN m.purged_ts IS NOT NULL"
	" THEN 'purged from the store' ELSE 'captured in the store' END, m.message_id,"
	" coalesce(m.purged_ts, m.captured_ts), NULL FROM main.store_messages m"
	" CROSS JOIN temp.evk k ON k.input_id = m.input_id AND k.line = m.line",
	"INSERT OR IGNORE INTO temp.evf SELECT k.rid, 'device ' || coalesce(d.status, '?'),"
	" NULL, NULL, d.status_on FROM main.devices d CROSS JOIN temp.evk k"
	" ON k.input_id = d.input_id AND k.line = d.line",
	"INSERT OR IGNORE INTO temp.evf SELECT k.rid, 'device ' || e.status, NULL, NULL,"
	" e.status_on FROM main.device_events e CROSS JOIN temp.evk k"
	" ON k.input_id = e.input_id AND k.line = e.line",
	"INSERT OR IGNORE INTO temp.evf SELECT k.rid, CASE WHEN a.closed_on IS NOT NULL"
	" THEN 'account closes' ELSE 'account' END, NULL, NULL, a.closed_on FROM main.accounts a"
	" CROSS JOIN temp.evk k ON k.input_id = a.input_id AND k.line = a.line",
	"INSERT OR IGNORE INTO temp.evf SELECT k.rid, 'app on device: ' || p.app_id, NULL,"
	" NULL, p.first_seen FROM main.device_apps p CROSS JOIN temp.evk k"
	" ON k.input_id = p.input_id AND k.line = p.line",
};

int evidence_facts(struct an *a)
{
	struct stmt *s;
	long long n = 0;
	int rc;

	if (store_exec(a->st, "DROP TABLE IF EXISTS temp.evk; DROP TABLE IF EXISTS temp.evf;"
		       "CREATE TEMP TABLE evk (rid INTEGER PRIMARY KEY, input_id INTEGER,"
		       "  line INTEGER);"
		       "CREATE TEMP TABLE evf (rid INTEGER PRIMARY KEY, event TEXT,"
		       "  message_id TEXT, ts INTEGER, day TEXT);"))
		return -1;
	s = stmt_prepare(a->st, "INSERT INTO temp.evk SELECT rowid, input_id, line FROM evidence"
			 " WHERE run_id = ?1");
	if (!s)
		return -1;
	stmt_bind_int(s, 1, a->run_id);
	rc = stmt_step(s);
	stmt_free(s);
	if (rc < 0 || store_exec(a->st, "CREATE INDEX temp.evk_src ON evk (input_id, line);") ||
	    store_query_int(a->st, "SELECT count(*) FROM temp.evk", &n))
		return -1;
	for (size_t i = 0; n && i < sizeof(facts) / sizeof(facts[0]); i++)
		if (store_exec(a->st, facts[i]))
			return -1;
	if (n && store_exec(a->st, "UPDATE evidence SET event = f.event,"
			    " message_id = f.message_id, ts = f.ts, day = f.day FROM temp.evf f"
			    " WHERE evidence.rowid = f.rid;"))
		return -1;
	return store_exec(a->st, "DROP TABLE temp.evk; DROP TABLE temp.evf;");
}
