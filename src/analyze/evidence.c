/* The facts of the run's evidence rows: what each input row records (its
 * event, message and time; findings.h), written with the row so that the
 * writers print them and never read the input tables again. The passes
 * that read a row know its facts (usage.c a line's, store_detect.c a store
 * row's); the small tables' lines are loaded here. They are exact when the
 * input came in line order and the line is in no table that comes before
 * its own (usage, store_messages, devices, device_events, accounts,
 * device_apps; a
 * retention policy row records only that it is one, whatever else has its
 * line): the
 * inputs where that is not so (an adapter writing a line to two tables,
 * events of a line out of order) have their rows' facts resolved after the
 * findings by SQL, one scan of each input table those inputs have rows in,
 * joined on (input, line). */
#include "an.h"

#include <stdlib.h>
#include <string.h>
#include "xalloc.h"

struct in_state *in_get(struct an *a, long long input_id)
{
	int is_new;
	uint64_t *slot = hashmap_slot(&a->in_map, (uint64_t)input_id, &is_new);
	if (is_new) {
		a->ins = xgrow(a->ins, a->nins + 1, &a->ins_alloc, sizeof(*a->ins));
		struct in_state *s = &a->ins[a->nins];
		memset(s, 0, sizeof(*s));
		s->input_id = input_id;
		s->usage_line = s->store_line = LLONG_MIN;
		*slot = a->nins++;
	}
	return &a->ins[*slot];
}

static const struct in_state *in_find(const struct an *a, long long input_id)
{
	const uint64_t *i = hashmap_get(&a->in_map, (uint64_t)input_id);
	return i ? &a->ins[*i] : NULL;
}

const char *an_event_name(struct an *a, const char *text)
{
	int is_new;
	if (!text)
		return NULL;
	size_t *slot = strmap_slot(&a->ev_names, text, &is_new);
	if (is_new) {
		a->ev_name = xgrow(a->ev_name, a->nev_names + 1, &a->ev_names_alloc,
				   sizeof(*a->ev_name));
		a->ev_name[a->nev_names] = xstrdup(text);
		*slot = a->nev_names++;
	}
	return a->ev_name[*slot];
}

/* The exact key of a line (0: none; a line beyond these bounds goes to
   the SQL). */
static uint64_t line_key(long long input_id, long long line)
{
	if (input_id <= 0 || input_id >= (1LL << 23) || line < 0 || line >= (1LL << 40))
		return 0;
	return ((uint64_t)input_id << 40) | (uint64_t)line;
}

/* The lines of the small tables, the first row of a line (load order) in
   the order of the tables. */
int small_facts_load(struct an *a)
{
	static const struct { const char *sql; unsigned bit; } q[] = {
		{ "SELECT input_id, line, 'device ' || coalesce(status, '?'), status_on"
		  " FROM devices ORDER BY rowid", IN_DEVICES },
		{ "SELECT input_id, line, 'device ' || status, status_on FROM device_events"
		  " ORDER BY rowid", IN_DEVICE_EVENTS },
		{ "SELECT input_id, line, CASE WHEN closed_on IS NOT NULL THEN 'account closes'"
		  " ELSE 'account' END, closed_on FROM accounts ORDER BY rowid", IN_ACCOUNTS },
		{ "SELECT input_id, line, 'app on device: ' || app_id, first_seen FROM device_apps"
		  " ORDER BY rowid", IN_DEVICE_APPS },
	};
	for (size_t t = 0; t < sizeof(q) / sizeof(q[0]); t++) {
		struct stmt *s = stmt_prepare(a->st, q[t].sql);
		int rc;
		if (!s)
			return -1;
		while ((rc = stmt_step(s)) == 1) {
			if (stmt_is_null(s, 0) || stmt_is_null(s, 1))
				continue;       /* matches no evidence row */
			long long in = stmt_int(s, 0), line = stmt_int(s, 1);
			in_get(a, in)->mask |= q[t].bit;
			uint64_t key = line_key(in, line);
			int is_new;
			if (!key)
				continue;
			uint64_t *slot = hashmap_slot(&a->small_map, key, &is_new);
			if (!is_new)
				continue;
			a->smalls = xgrow(a->smalls, a->nsmalls + 1, &a->smalls_alloc,
					  sizeof(*a->smalls));
			struct small_fact *sf = &a->smalls[a->nsmalls];
			sf->input_id = in;
			sf->line = line;
			sf->event = an_event_name(a, stmt_text(s, 2));
			sf->day = stmt_is_null(s, 3) ? NULL : xstrdup(stmt_text(s, 3));
			*slot = a->nsmalls++;
		}
		stmt_free(s);
		if (rc < 0)
			return -1;
	}
	return 0;
}

int an_evidence(struct an *a, struct finding_acc *f, long long input_id, long long line,
		enum ev_src src, const struct line_facts *lf)
{
	struct finding_evidence_facts fx = { NULL, NULL, NULL, FINDING_NO_TS };
	int exact;

	if (input_id <= 0)
		return 0;
	const struct in_state *st = in_find(a, input_id);
	unsigned mask = st ? st->mask : 0, disorder = st ? st->disorder : 0;
	if (src == EVS_USAGE || src == EVS_STORE) {
		exact = src == EVS_USAGE ? !(disorder & IN_USAGE) :
			!(mask & IN_USAGE) && !(disorder & IN_STORE);
		fx.event = lf->event;
		fx.message_id = lf->mid;
		fx.ts = lf->ts;
	} else if (src == EVS_POLICY) {
		/* said, so that the SQL of an input out of line order, which
		   resolves the rows that record nothing yet, leaves it alone:
		   the store row of the same number is another row */
		exact = 1;
		fx.event = "retention policy";
	} else {
		uint64_t key = line_key(input_id, line);
		exact = key && !(mask & (IN_USAGE | IN_STORE));
		const uint64_t *i = exact ? hashmap_get(&a->small_map, key) : NULL;
		if (i) {
			fx.event = a->smalls[*i].event;
			fx.day = a->smalls[*i].day;
		}
	}
	if (a->all_by_sql && src != EVS_POLICY)
		exact = 0;
	if (!exact)
		hashmap_add(&a->fallback, (uint64_t)input_id);
	return finding_evidence(&a->w, f, input_id, line, exact ? &fx : NULL);
}

static const struct { unsigned bit; const char *sql; } facts[] = {
	/* usage events (a line may hold two: a message and its deletion) */
	{ IN_USAGE, "INSERT OR IGNORE INTO temp.evf SELECT k.rid, group_concat(DISTINCT u.event),"
	  " min(u.message_id), min(u.ts), NULL FROM main.usage u CROSS JOIN temp.evk k"
	  " ON k.input_id = u.input_id AND k.line = u.line GROUP BY k.rid" },
	{ IN_STORE, "INSERT OR IGNORE INTO temp.evf SELECT k.rid, CASE WHEN m.purged_ts IS NOT NULL"
	  " THEN 'purged from the store' ELSE 'captured in the store' END, m.message_id,"
	  " coalesce(m.purged_ts, m.captured_ts), NULL FROM main.store_messages m"
	  " CROSS JOIN temp.evk k ON k.input_id = m.input_id AND k.line = m.line" },
	{ IN_DEVICES, "INSERT OR IGNORE INTO temp.evf SELECT k.rid, 'device ' ||"
	  " coalesce(d.status, '?'), NULL, NULL, d.status_on FROM main.devices d"
	  " CROSS JOIN temp.evk k ON k.input_id = d.input_id AND k.line = d.line" },
	{ IN_DEVICE_EVENTS, "INSERT OR IGNORE INTO temp.evf SELECT k.rid, 'device ' || e.status,"
	  " NULL, NULL, e.status_on FROM main.device_events e CROSS JOIN temp.evk k"
	  " ON k.input_id = e.input_id AND k.line = e.line" },
	{ IN_ACCOUNTS, "INSERT OR IGNORE INTO temp.evf SELECT k.rid, CASE WHEN a.closed_on IS NOT"
	  " NULL THEN 'account closes' ELSE 'account' END, NULL, NULL, a.closed_on"
	  " FROM main.accounts a CROSS JOIN temp.evk k ON k.input_id = a.input_id"
	  " AND k.line = a.line" },
	{ IN_DEVICE_APPS, "INSERT OR IGNORE INTO temp.evf SELECT k.rid, 'app on device: ' ||"
	  " p.app_id, NULL, NULL, p.first_seen FROM main.device_apps p CROSS JOIN temp.evk k"
	  " ON k.input_id = p.input_id AND k.line = p.line" },
};

/* The evidence rows of the inputs in a->fallback, resolved by SQL; one
   scan of each table those inputs have rows in. */
int evidence_fallback(struct an *a)
{
	struct stmt *s;
	unsigned mask = 0;
	int rc = 0;

	/* the rows are read here, and by every report */
	if (findings_writer_flush(&a->w))
		return -1;
	if (!a->fallback.n)
		return 0;
	if (store_exec(a->st, "DROP TABLE IF EXISTS temp.evk; DROP TABLE IF EXISTS temp.evf;"
		       "DROP TABLE IF EXISTS temp.evin;"
		       "CREATE TEMP TABLE evin (input_id INTEGER PRIMARY KEY);"
		       "CREATE TEMP TABLE evk (rid INTEGER PRIMARY KEY, input_id INTEGER,"
		       "  line INTEGER);"
		       "CREATE TEMP TABLE evf (rid INTEGER PRIMARY KEY, event TEXT,"
		       "  message_id TEXT, ts INTEGER, day TEXT);"))
		return -1;
	s = stmt_prepare(a->st, "INSERT INTO temp.evin VALUES (?1)");
	if (!s)
		return -1;
	uint64_t in;
	for (size_t pos = 0; rc == 0 && hashmap_next(&a->fallback, &pos, &in, NULL); ) {
		const struct in_state *st = in_find(a, (long long)in);
		mask |= st ? st->mask : 0;
		stmt_bind_int(s, 1, (long long)in);
		rc = step_done(s);
	}
	stmt_free(s);
	if (rc)
		return -1;
	s = stmt_prepare(a->st, "INSERT INTO temp.evk SELECT rowid, input_id, line FROM evidence"
			 " WHERE run_id = ?1 AND event IS NULL"
			 " AND input_id IN (SELECT input_id FROM temp.evin)");
	if (!s)
		return -1;
	stmt_bind_int(s, 1, a->run_id);
	rc = stmt_step(s);
	stmt_free(s);
	if (rc < 0 || store_exec(a->st, "CREATE INDEX temp.evk_src ON evk (input_id, line);"))
		return -1;
	for (size_t i = 0; i < sizeof(facts) / sizeof(facts[0]); i++)
		if ((mask & facts[i].bit) && store_exec(a->st, facts[i].sql))
			return -1;
	if (store_exec(a->st, "UPDATE evidence SET event = f.event,"
		       " message_id = f.message_id, ts = f.ts, day = f.day FROM temp.evf f"
		       " WHERE evidence.rowid = f.rid;"))
		return -1;
	return store_exec(a->st, "DROP TABLE temp.evk; DROP TABLE temp.evf; DROP TABLE temp.evin;");
}

void evidence_release(struct an *a)
{
	free(a->ins);
	hashmap_clear(&a->in_map);
	for (size_t i = 0; i < a->nsmalls; i++)
		free(a->smalls[i].day);
	free(a->smalls);
	hashmap_clear(&a->small_map);
	for (size_t i = 0; i < a->nev_names; i++)
		free(a->ev_name[i]);
	free(a->ev_name);
	strmap_clear(&a->ev_names);
	hashmap_clear(&a->fallback);
}
