/* crosscheck: what one input file names and another does not know. The
 * checks are SQL over the audit database, so they cost a scan of the
 * large tables and no memory that grows with them (spec 8). */
#include "crosscheck.h"

#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "rules.h"
#include "store.h"
#include "suggest.h"
#include "xalloc.h"

/* Each query returns the unknown value, its count and its first occurrence
 * as input_id * 2^32 + line. */
#define LOC "min(input_id * 4294967296 + line)"

enum hint { HINT_NONE, HINT_ACCOUNT, HINT_APP, HINT_DEVICE };

static const struct check {
	const char *name, *message, *unit;
	enum hint hint;
	const char *sql;
} checks[] = {
	{ "unknown_account", "account not in accounts.csv", "usage events", HINT_ACCOUNT,
	  "SELECT account, count(*), " LOC " FROM usage u WHERE account IS NOT NULL"
	  " AND NOT EXISTS (SELECT 1 FROM accounts a WHERE a.account = u.account)"
	  " GROUP BY account" },
	{ "unknown_account", "account not in accounts.csv", "compliance-store messages",
	  HINT_ACCOUNT,
	  "SELECT account, count(*), " LOC " FROM store_messages m"
	  " WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.account = m.account)"
	  " GROUP BY account" },
	{ "unknown_app", "app key not in apps.ini", "records", HINT_APP,
	  "SELECT app, count(*), " LOC " FROM ("
	  " SELECT app, input_id, line FROM accounts UNION ALL"
	  " SELECT app, input_id, line FROM usage UNION ALL"
	  " SELECT app, input_id, line FROM store_messages UNION ALL"
	  " SELECT app, input_id, line FROM retention_policies)"
	  " WHERE app IS NOT NULL AND app NOT IN (SELECT key FROM temp.known_apps)"
	  " GROUP BY app" },
	{ "unknown_device", "device not in devices.csv", "records", HINT_DEVICE,
	  "SELECT device_id, count(*), " LOC " FROM ("
	  " SELECT device_id, input_id, line FROM usage UNION ALL"
	  " SELECT device_id, input_id, line FROM device_apps) x"
	  " WHERE device_id IS NOT NULL"
	  " AND NOT EXISTS (SELECT 1 FROM devices d WHERE d.device_id = x.device_id)"
	  " GROUP BY device_id" },
	{ "custodian_without_account", "custodian with devices but no account in accounts.csv",
	  "devices", HINT_NONE,
	  "SELECT custodian_id, count(*), " LOC " FROM devices d WHERE custodian_id IS NOT NULL"
	  " AND NOT EXISTS (SELECT 1 FROM accounts a WHERE a.custodian_id = d.custodian_id)"
	  " GROUP BY custodian_id" },
};

int quality_add(struct store *st, const char *check, const char *message,
		const char *subject, const char *suggestion, long long count,
		const char *unit, long long input_id, unsigned long line, int from_input)
{
	struct stmt *s = stmt_prepare(st,
		"INSERT INTO data_quality (check_name, message, subject, suggestion, count,"
		" unit, input_id, line, from_input) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)");
	int rc;

	if (!s)
		return -1;
	stmt_bind_text(s, 1, check);
	stmt_bind_text(s, 2, message);
	stmt_bind_text(s, 3, subject);
	stmt_bind_text(s, 4, suggestion);
	stmt_bind_int(s, 5, count);
	stmt_bind_text(s, 6, unit);
	if (input_id > 0)
		stmt_bind_int(s, 7, input_id);
	if (line)
		stmt_bind_int(s, 8, (long long)line);
	stmt_bind_int(s, 9, from_input);
	rc = stmt_step(s);
	stmt_free(s);
	return rc < 0 ? -1 : 0;
}

/* The same handle under another app key ("teams:x" for "msteams:x"), or
 * the same id in another case; a new string or NULL. */
static char *hint_sql(struct store *st, const char *sql, const char *v)
{
	struct stmt *s = stmt_prepare(st, sql);
	char *out = NULL;

	if (!s)
		return NULL;
	stmt_bind_text(s, 1, v);
	if (stmt_step(s) == 1 && stmt_text(s, 0))
		out = xstrdup(stmt_text(s, 0));
	stmt_free(s);
	return out;
}

static char *hint_for(struct store *st, const struct rules *r, enum hint h, const char *v,
		      const char *const *app_keys)
{
	switch (h) {
	case HINT_ACCOUNT:
		return hint_sql(st, "SELECT account FROM accounts WHERE instr(?1, ':') > 0 AND"
				" lower(substr(account, instr(account, ':') + 1)) ="
				" lower(substr(?1, instr(?1, ':') + 1)) ORDER BY account LIMIT 1", v);
	case HINT_DEVICE:
		return hint_sql(st, "SELECT device_id FROM devices WHERE device_id = ?1"
				" COLLATE NOCASE ORDER BY device_id LIMIT 1", v);
	case HINT_APP: {
		int i = r ? word_nearest(v, app_keys) : -1;
		return i >= 0 ? xstrdup(app_keys[i]) : NULL;
	}
	case HINT_NONE:
		break;
	}
	return NULL;
}

static int known_apps(struct store *st, const struct rules *r)
{
	struct stmt *s;

	if (store_exec(st, "CREATE TEMP TABLE IF NOT EXISTS known_apps (key TEXT PRIMARY KEY);"
		       "DELETE FROM temp.known_apps;"))
		return -1;
	s = stmt_prepare(st, "INSERT OR IGNORE INTO temp.known_apps (key) VALUES (?1)");
	if (!s)
		return -1;
	for (size_t i = 0; r && i < r->napps; i++) {
		stmt_bind_text(s, 1, r->apps[i].key);
		if (stmt_step(s) < 0) {
			stmt_free(s);
			return -1;
		}
		stmt_reset(s);
	}
	stmt_free(s);
	return 0;
}

static int run_check(struct store *st, const struct rules *r, const struct check *c,
		     const char *const *app_keys)
{
	struct stmt *s;
	int rc;

	if (c->hint == HINT_APP && !r)
		return 0;               /* no rules, nothing to check app keys against */
	s = stmt_prepare(st, c->sql);
	if (!s)
		return -1;
	while ((rc = stmt_step(s)) == 1) {
		long long loc = stmt_int(s, 2);
		char *v = xstrdup(stmt_text(s, 0) ? stmt_text(s, 0) : "");
		char *hint = hint_for(st, r, c->hint, v, app_keys);
		rc = quality_add(st, c->name, c->message, v, hint, stmt_int(s, 1), c->unit,
				 loc >> 32, (unsigned long)(loc & 0xffffffffLL), 0);
		free(v);
		free(hint);
		if (rc)
			break;
	}
	stmt_free(s);
	return rc < 0 ? -1 : 0;
}

long crosscheck_run(struct store *st, const struct rules *r)
{
	const char **keys = xcalloc((r ? r->napps : 0) + 1, sizeof(*keys));
	long long n = -1;
	int rc;

	for (size_t i = 0; r && i < r->napps; i++)
		keys[i] = r->apps[i].key;
	if (store_begin(st)) {
		free(keys);
		return -1;
	}
	rc = store_exec(st, "DELETE FROM data_quality WHERE from_input = 0");
	if (!rc)
		rc = known_apps(st, r);
	for (size_t i = 0; !rc && i < sizeof(checks) / sizeof(checks[0]); i++)
		rc = run_check(st, r, &checks[i], keys);
	free(keys);
	if (!rc)
		rc = store_commit(st);
	if (rc) {
		store_rollback(st);
		return -1;
	}
	if (store_query_int(st, "SELECT count(*) FROM data_quality", &n))
		return -1;
	return (long)n;
}

long crosscheck_print(struct store *st, FILE *stream)
{
	struct stmt *s = stmt_prepare(st,
		"SELECT q.check_name, q.message, q.subject, q.suggestion, q.count, q.unit,"
		" coalesce(i.path, h.path), q.line"
		" FROM data_quality q LEFT JOIN inputs i ON i.input_id = q.input_id"
		" LEFT JOIN input_history h ON h.input_id = q.input_id"
		" ORDER BY q.check_name, q.input_id, q.line, q.subject");
	char last[64] = "";
	long n = 0, shown = 0, hidden = 0;
	int rc;

	if (!s)
		return -1;
	while ((rc = stmt_step(s)) == 1) {
		const char *check = stmt_text(s, 0), *sugg = stmt_text(s, 3);
		struct src_loc at = { stmt_text(s, 6), (unsigned long)stmt_int(s, 7), 0 };
		char hint[300] = "";
		n++;
		if (strcmp(last, check)) {
			if (hidden && stream)
				fprintf(stream, "  ... and %ld more of '%s'\n", hidden, last);
			else if (hidden)
				diag_warn(NULL, "... and %ld more of '%s'", hidden, last);
			snprintf(last, sizeof(last), "%s", check);
			shown = hidden = 0;
		}
		if (shown >= DIAG_MAX_SHOWN) {
			hidden++;
			continue;
		}
		shown++;
		if (sugg)
			snprintf(hint, sizeof(hint), "; did you mean '%s'?", sugg);
		if (!stream) {
			diag_warn(&at, "%s: '%s' (%lld %s%s)", stmt_text(s, 1), stmt_text(s, 2),
				  stmt_int(s, 4), stmt_text(s, 5), hint);
			continue;
		}
		fputs("  ", stream);
		if (at.path && at.line)
			fprintf(stream, "%s:%lu: ", at.path, at.line);
		else if (at.path)
			fprintf(stream, "%s: ", at.path);
		fprintf(stream, "%s: '%s' (%lld %s%s)\n", stmt_text(s, 1), stmt_text(s, 2),
			stmt_int(s, 4), stmt_text(s, 5), hint);
	}
	stmt_free(s);
	if (hidden && stream)
		fprintf(stream, "  ... and %ld more of '%s'\n", hidden, last);
	else if (hidden)
		diag_warn(NULL, "... and %ld more of '%s'", hidden, last);
	return rc < 0 ? -1 : n;
}
