/* crosscheck: what one input file names and another does not know: one
 * scan of each table over the audit database; memory follows the number
 * of accounts, devices and unknown values, never the events (spec 8). */
#include "crosscheck.h"

#include <stdlib.h>
#include <string.h>

#include "devstatus.h"
#include "diag.h"
#include "hashmap.h"
#include "rules.h"
#include "store.h"
#include "suggest.h"
#include "xalloc.h"

/* Each table is read once, its values counted in C against the known
 * accounts, devices and app keys (a query a check read usage three times);
 * usage and store_messages are read by the analyzer's scans, which feed
 * the rows here (crosscheck_begin .. _end), and only read here when those
 * scans did not run (--strict) or did not finish. */
enum tally_kind { T_ACCOUNT_USAGE, T_ACCOUNT_STORE, T_APP, T_DEVICE, T_COUNT };

enum hint { HINT_NONE, HINT_ACCOUNT, HINT_APP, HINT_DEVICE };

static const struct check {
	const char *name, *message, *unit;
	enum hint hint;
} checks[T_COUNT] = {
	{ "unknown_account", "account not in accounts.csv", "usage events", HINT_ACCOUNT },
	{ "unknown_account", "account not in accounts.csv", "compliance-store messages",
	  HINT_ACCOUNT },
	{ "unknown_app", "app key not in apps.ini", "records", HINT_APP },
	{ "unknown_device", "device not in devices.csv", "records", HINT_DEVICE },
};

/* the value, its count and its first occurrence as input_id * 2^32 + line */
#define LOC "min(input_id * 4294967296 + line)"
#define LOC_OF(input_id, line) ((input_id) * 4294967296LL + (line))

/* NOT IN over the custodians of accounts.csv, built once as an index (a
   correlated NOT EXISTS scanned accounts for every device: 1.6 s at 28,000
   accounts); the NULLs are left out of the list, or NOT IN is never true */
static const char custodian_sql[] =
	"SELECT custodian_id, count(*), " LOC " FROM devices WHERE custodian_id IS NOT NULL"
	" AND custodian_id NOT IN (SELECT custodian_id FROM accounts"
	" WHERE custodian_id IS NOT NULL)"
	" GROUP BY custodian_id";

struct tally_val {
	long long count, loc;
};

struct tally {
	struct strmap m;                /* value -> index in v (= its entry) */
	struct tally_val *v;
	size_t alloc;
};

struct crosscheck {
	struct store *st;
	const struct rules *r;
	struct strmap accounts, apps, devices;  /* the known values */
	struct tally t[T_COUNT];
	/* the last known value of the fed rows (the app, mostly, repeats) */
	const char *usage_app, *usage_device, *store_app;
	int loaded, fed, hints;
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

/* The hints' lookups, indexed: the handles of accounts.csv (lowercased,
 * after the app key; the first account of each) and its device ids without
 * case, so a hint costs a lookup, not a scan of accounts (a quarter of an
 * unknown app's accounts would otherwise be a scan each). Made for the
 * first hint only: most runs have none to give. */
static const char *const hint_tables[] = {
	"DROP TABLE IF EXISTS temp.cc_handle",
	"DROP TABLE IF EXISTS temp.cc_device",
	"CREATE TEMP TABLE cc_handle (handle TEXT PRIMARY KEY, account TEXT) WITHOUT ROWID",
	"INSERT INTO temp.cc_handle SELECT lower(substr(account, instr(account, ':') + 1)),"
	" min(account) FROM accounts WHERE account IS NOT NULL GROUP BY 1",
	"CREATE TEMP TABLE cc_device (k TEXT COLLATE NOCASE PRIMARY KEY, device_id TEXT)"
	" WITHOUT ROWID",
	"INSERT INTO temp.cc_device SELECT min(device_id), min(device_id) FROM devices"
	" WHERE device_id IS NOT NULL GROUP BY device_id COLLATE NOCASE",
	NULL
};

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

/* The hint of v, in *out (a new string or NULL). 0 or -1. */
static int hint_for(struct crosscheck *c, enum hint h, const char *v,
		    const char *const *app_keys, char **out)
{
	*out = NULL;
	if ((h == HINT_ACCOUNT || h == HINT_DEVICE) && !c->hints) {
		for (int i = 0; hint_tables[i]; i++)
			if (store_exec(c->st, hint_tables[i]))
				return -1;
		c->hints = 1;
	}
	switch (h) {
	case HINT_ACCOUNT:
		*out = hint_sql(c->st, "SELECT account FROM temp.cc_handle WHERE instr(?1, ':') > 0"
				" AND handle = lower(substr(?1, instr(?1, ':') + 1))", v);
		break;
	case HINT_DEVICE:
		*out = hint_sql(c->st, "SELECT device_id FROM temp.cc_device WHERE k = ?1", v);
		break;
	case HINT_APP: {
		int i = c->r ? word_nearest(v, app_keys) : -1;
		*out = i >= 0 ? xstrdup(app_keys[i]) : NULL;
		break;
	}
	case HINT_NONE:
		break;
	}
	return 0;
}

/* The values of column 0 of sql, as a set (each maps to its entry). */
static int load_set(struct store *st, const char *sql, struct strmap *m)
{
	struct stmt *s = stmt_prepare(st, sql);
	int rc, is_new;

	if (!s)
		return -1;
	while ((rc = stmt_step(s)) == 1)
		if (stmt_text(s, 0)) {
			size_t *slot = strmap_slot(m, stmt_text(s, 0), &is_new);
			if (is_new)
				*slot = m->n - 1;
		}
	stmt_free(s);
	return rc < 0 ? -1 : 0;
}

/* Count v n times (the first at loc), a value the known set lacks. */
static void tally(struct tally *t, const char *v, long long loc, unsigned long long n)
{
	int is_new;
	size_t *slot = strmap_slot(&t->m, v, &is_new);

	if (is_new) {
		t->v = xgrow(t->v, t->m.n, &t->alloc, sizeof(*t->v));
		*slot = t->m.n - 1;
		t->v[*slot] = (struct tally_val){ 0, loc };
	}
	t->v[*slot].count += (long long)n;
	if (loc < t->v[*slot].loc)
		t->v[*slot].loc = loc;
}

static const struct strmap *known_set(const struct crosscheck *c, int t)
{
	return t == T_APP ? &c->apps : t == T_DEVICE ? &c->devices : &c->accounts;
}

/* The rule: v (not NULL) of tally t at loc is known, and its known string
   (stable) is returned, or it is counted and NULL returned. */
static const char *check_value(struct crosscheck *c, int t, const char *v, long long loc)
{
	const struct strmap *known = known_set(c, t);
	const size_t *e = strmap_get(known, v);

	if (e)
		return strmap_key(known, *e);
	tally(&c->t[t], v, loc, 1);
	return NULL;
}

/* check_value, unless v is *last (the value the row before found known). */
static void check_last(struct crosscheck *c, int t, const char *v, long long loc,
		       const char **last)
{
	const char *k;

	if (!v || (t == T_APP && !c->r))
		return;         /* no rules, nothing to check app keys against */
	if (*last && !strcmp(v, *last))
		return;
	k = check_value(c, t, v, loc);
	if (k)
		*last = k;
}

/* One scan of a table: for each row, column k against the known set of
 * tally cols[k]; the last two columns are input_id and line. */
static int scan(struct crosscheck *c, const char *sql, const int *cols, int ncols)
{
	struct stmt *s = stmt_prepare(c->st, sql);
	const char *last[3] = { NULL, NULL, NULL };
	int rc;

	if (!s)
		return -1;
	while ((rc = stmt_step(s)) == 1) {
		long long loc = LOC_OF(stmt_int(s, ncols), stmt_int(s, ncols + 1));
		for (int k = 0; k < ncols && k < 3; k++)
			check_last(c, cols[k], stmt_text(s, k), loc, &last[k]);
	}
	stmt_free(s);
	return rc < 0 ? -1 : 0;
}

void crosscheck_usage_acct(struct crosscheck *c, struct crosscheck_acct *m, const char *app,
			   const char *device, long long input_id, long long line)
{
	long long loc = LOC_OF(input_id, line);

	if (!m->n++ || loc < m->loc)
		m->loc = loc;
	check_last(c, T_APP, app, loc, &m->app);
	check_last(c, T_DEVICE, device, loc, &m->device);
}

void crosscheck_usage_acct_end(struct crosscheck *c, const char *account,
			       const struct crosscheck_acct *m)
{
	if (m->n && account && !strmap_get(&c->accounts, account))
		tally(&c->t[T_ACCOUNT_USAGE], account, m->loc, m->n);
}

void crosscheck_usage_row(struct crosscheck *c, const char *account, const char *app,
			  const char *device, long long input_id, long long line)
{
	long long loc = LOC_OF(input_id, line);

	if (account && !strmap_get(&c->accounts, account))
		tally(&c->t[T_ACCOUNT_USAGE], account, loc, 1);
	check_last(c, T_APP, app, loc, &c->usage_app);
	check_last(c, T_DEVICE, device, loc, &c->usage_device);
}

void crosscheck_store_row(struct crosscheck *c, const char *account, uint64_t account_h,
			  const char *app, long long input_id, long long line)
{
	long long loc = LOC_OF(input_id, line);

	/* the accounts of the store rarely repeat row to row: the hash the
	   reader computed spares the one of the lookup */
	if (account && !strmap_get_h(&c->accounts, account, account_h))
		tally(&c->t[T_ACCOUNT_STORE], account, loc, 1);
	check_last(c, T_APP, app, loc, &c->store_app);
}

void crosscheck_store_ahead(struct crosscheck *c, uint64_t far, uint64_t near)
{
	strmap_prefetch(&c->accounts, far, 0);
	strmap_prefetch(&c->accounts, near, 1);
}

void crosscheck_fed(struct crosscheck *c)
{
	c->fed = 1;
}

static int cmp_key(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* The warnings of one tally, in the order of the values. */
static int emit(struct crosscheck *c, int t, const char *const *app_keys)
{
	const struct check *k = &checks[t];
	struct tally *ty = &c->t[t];
	const char **e = xcalloc(ty->m.n + 1, sizeof(*e));
	int rc = 0;

	for (size_t i = 0; i < ty->m.n; i++)
		e[i] = strmap_key(&ty->m, i);
	qsort(e, ty->m.n, sizeof(*e), cmp_key);
	for (size_t i = 0; !rc && i < ty->m.n; i++) {
		const struct tally_val *v = &ty->v[*strmap_get(&ty->m, e[i])];
		char *hint;
		rc = hint_for(c, k->hint, e[i], app_keys, &hint);
		if (!rc)
			rc = quality_add(c->st, k->name, k->message, e[i], hint, v->count, k->unit,
					 v->loc >> 32, (unsigned long)(v->loc & 0xffffffffLL), 0);
		free(hint);
	}
	free(e);
	return rc;
}

/* custodian_without_account: over devices.csv, a small table. */
static int custodians(struct store *st)
{
	struct stmt *s = stmt_prepare(st, custodian_sql);
	int rc;

	if (!s)
		return -1;
	while ((rc = stmt_step(s)) == 1) {
		long long loc = stmt_int(s, 2);
		rc = quality_add(st, "custodian_without_account",
				 "custodian with devices but no account in accounts.csv",
				 stmt_text(s, 0) ? stmt_text(s, 0) : "", NULL, stmt_int(s, 1),
				 "devices", loc >> 32, (unsigned long)(loc & 0xffffffffLL), 0);
		if (rc)
			break;
	}
	stmt_free(s);
	return rc < 0 ? -1 : 0;
}

/* The known values. */
static int cc_load(struct crosscheck *c)
{
	c->loaded = 1;
	if (load_set(c->st, "SELECT account FROM accounts", &c->accounts) ||
	    load_set(c->st, "SELECT device_id FROM devices", &c->devices))
		return -1;
	for (size_t i = 0; c->r && i < c->r->napps; i++) {
		int is_new;
		size_t *slot = strmap_slot(&c->apps, c->r->apps[i].key, &is_new);
		if (is_new)
			*slot = c->apps.n - 1;
	}
	return 0;
}

/* usage and store_messages, when no scan of the analyzer fed them. */
static int cc_scan_big(struct crosscheck *c)
{
	static const int usage_cols[] = { T_ACCOUNT_USAGE, T_APP, T_DEVICE };
	static const int store_cols[] = { T_ACCOUNT_STORE, T_APP };

	return scan(c, "SELECT account, app, device_id, input_id, line FROM usage", usage_cols, 3) ||
	       scan(c, "SELECT account, app, input_id, line FROM store_messages", store_cols, 2)
	       ? -1 : 0;
}

/* The small tables, then every warning. */
static int cc_finish(struct crosscheck *c, const char *const *app_keys)
{
	static const int app_col[] = { T_APP }, dev_col[] = { T_DEVICE };

	if (scan(c, "SELECT app, input_id, line FROM accounts", app_col, 1) ||
	    scan(c, "SELECT app, input_id, line FROM retention_policies", app_col, 1) ||
	    scan(c, "SELECT device_id, input_id, line FROM device_apps", dev_col, 1))
		return -1;
	for (int t = 0; t < T_COUNT; t++)
		if (emit(c, t, app_keys))
			return -1;
	return custodians(c->st) || devstatus_check(c->st) ? -1 : 0;
}

static void cc_free(struct crosscheck *c)
{
	strmap_clear(&c->accounts);
	strmap_clear(&c->apps);
	strmap_clear(&c->devices);
	for (int t = 0; t < T_COUNT; t++) {
		strmap_clear(&c->t[t].m);
		free(c->t[t].v);
	}
	if (c->hints) {
		store_exec(c->st, "DROP TABLE IF EXISTS temp.cc_handle");
		store_exec(c->st, "DROP TABLE IF EXISTS temp.cc_device");
	}
}

/* One transaction: the old cross-file warnings out, c's (the big tables
   read here unless fed) in; then the number stored, or -1. */
static long cc_store(struct crosscheck *c)
{
	const struct rules *r = c->r;
	struct store *st = c->st;
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
	if (!rc && !c->loaded)
		rc = cc_load(c);        /* not begun (crosscheck_run) */
	if (!rc && !c->fed)
		rc = cc_scan_big(c);
	if (!rc)
		rc = cc_finish(c, keys);
	cc_free(c);
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

long crosscheck_run(struct store *st, const struct rules *r)
{
	struct crosscheck c;

	memset(&c, 0, sizeof(c));
	c.st = st;
	c.r = r;
	return cc_store(&c);
}

struct crosscheck *crosscheck_begin(struct store *st, const struct rules *r)
{
	struct crosscheck *c = xcalloc(1, sizeof(*c));

	c->st = st;
	c->r = r;
	if (cc_load(c)) {
		cc_free(c);
		free(c);
		return NULL;
	}
	return c;
}

long crosscheck_end(struct crosscheck *c, struct store *st, const struct rules *r)
{
	long n;

	if (!c)
		return crosscheck_run(st, r);
	if (!c->fed) {
		/* the scans did not finish: their counts are partial */
		for (int t = 0; t < T_COUNT; t++) {
			strmap_clear(&c->t[t].m);
			free(c->t[t].v);
			c->t[t].v = NULL;
			c->t[t].alloc = 0;
		}
	}
	c->st = st;
	c->r = r;
	n = cc_store(c);
	free(c);
	return n;
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
