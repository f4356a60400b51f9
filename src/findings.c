/* findings: the vocabulary, the write API and the read cursors (see
 * findings.h for what each table and column means). */
#include "findings.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hash.h"
#include "rowbatch.h"
#include "store.h"
#include "strbuf.h"
#include "suggest.h"
#include "timeutil.h"
#include "xalloc.h"

/* ---- vocabulary ---- */

const char *const finding_type_names[FT_COUNT] = {
	"UNCAPTURED_DELETION", "DEVICE_LOSS", "ACCOUNT_DELETION", "CAPTURE_GAP",
	"NOT_FORWARDED", "LATE_FORWARD", "EARLY_PURGE", "RETENTION_SHORTFALL",
	"CAPTURE_OUTAGE", "EPHEMERAL_ENABLED", "PROHIBITED_APP", "UNAPPROVED_APP",
};
const char *const finding_type_labels[FT_COUNT] = {
	"Uncaptured deletion", "Device loss", "Account deletion", "Capture gap",
	"Not forwarded", "Late forward", "Early purge", "Retention shortfall",
	"Capture outage", "Ephemeral messaging enabled", "Prohibited app", "Unapproved app",
};
const char *const finding_class_names[FC_COUNT] = {
	"policy", "threatened", "impending", "actual"
};
const char *const finding_class_labels[FC_COUNT] = {
	"Policy", "Threatened", "Impending", "Actual"
};
const enum finding_class finding_class_order[FC_COUNT] = {
	FC_ACTUAL, FC_IMPENDING, FC_THREATENED, FC_POLICY
};
const char *const copy_loss_names[LOSS_COUNT] = {
	NULL, "deleted", "expired", "burned", "device_replaced", "device_wiped",
	"device_retired", "device_lost", "device_stolen", "account_closed", "account_deleted",
	"scheduled_deletion", "deleted_by_sender",
};
const char *const copy_retained_names[RET_COUNT] = { NULL, "store", "forward", "export" };

/* Enumerated values in any case (DEVICE_LOSS, device_loss; Actual): the
 * stored and printed spelling stays the canonical one. */
int finding_type_from_name(const char *name)
{
	for (int i = 0; name && i < FT_COUNT; i++)
		if (!strcasecmp(name, finding_type_names[i]))
			return i;
	return -1;
}

const char *finding_label(const char *type, const char *class)
{
	int t = finding_type_from_name(type);

	if (t < 0)
		return type ? type : "";
	if (t == FT_ACCOUNT_DELETION && class && !strcmp(class, "impending"))
		return "Account scheduled for deletion";
	return finding_type_labels[t];
}

int finding_class_from_name(const char *name)
{
	for (int i = 0; name && i < FC_COUNT; i++)
		if (!strcasecmp(name, finding_class_names[i]))
			return i;
	return -1;
}

void finding_type_hint(const char *name, char *out, size_t size)
{
	const char *words[FT_COUNT + 1];

	for (int i = 0; i < FT_COUNT; i++)
		words[i] = finding_type_names[i];
	words[FT_COUNT] = NULL;
	words_hint(name, words, out, size);
}

void finding_class_hint(const char *name, char *out, size_t size)
{
	const char *words[FC_COUNT + 1];

	for (int i = 0; i < FC_COUNT; i++)
		words[i] = finding_class_names[i];     /* by rank, as --fail-on */
	words[FC_COUNT] = NULL;
	words_hint(name, words, out, size);
}

const char *finding_severity(enum finding_class c)
{
	return c >= FC_IMPENDING ? "high" : c == FC_THREATENED ? "medium" : "low";
}

int finding_class_rank(const char *name)
{
	int c = finding_class_from_name(name);
	for (int i = 0; c >= 0 && i < FC_COUNT; i++)
		if (finding_class_order[i] == (enum finding_class)c)
			return i;
	return FC_COUNT;
}

const char *finding_class_order_sql(const char *col, char *buf, size_t len)
{
	int n = snprintf(buf, len, "CASE %s", col);
	for (int i = 0; i < FC_COUNT && n > 0 && (size_t)n < len; i++)
		n += snprintf(buf + n, len - (size_t)n, " WHEN '%s' THEN %d",
			      finding_class_names[finding_class_order[i]], i);
	if (n > 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, " ELSE %d END", FC_COUNT);
	return buf;
}

int copy_loss_from_name(const char *name)
{
	if (!name)
		return LOSS_NONE;
	for (int i = 1; i < LOSS_COUNT; i++)
		if (!strcmp(name, copy_loss_names[i]))
			return i;
	return -1;
}

enum copy_loss copy_loss_of_device_status(const char *status)
{
	static const char *const st[] = { "replaced", "wiped", "retired", "lost", "stolen" };
	for (int i = 0; status && i < 5; i++)
		if (!strcmp(status, st[i]))
			return (enum copy_loss)(LOSS_DEVICE_REPLACED + i);
	return LOSS_NONE;
}

static int retained_from_name(const char *name)
{
	for (int i = 1; name && i < RET_COUNT; i++)
		if (!strcmp(name, copy_retained_names[i]))
			return i;
	return RET_NONE;
}

/* ---- writing ---- */

/* The copies of the run as finding_copy writes them, until
   findings_copies_commit moves them into finding_copies in this order. */
#define STAGE_COLS "finding_id, account, message_id, ts, conversation_id, direction, loss," \
	" loss_ts, retained, retained_ts, survives, ts_bound"
#define STAGE_TABLE "temp.findings_staged_copies"

/* Rows a multi-row INSERT: past 32 the gain is a few per cent */
#define WRITE_BATCH 64

int findings_writer_open(struct findings_writer *w, struct store *st, long long run_id)
{
	memset(w, 0, sizeof(*w));
	w->st = st;
	w->run_id = run_id;
	w->ins_finding = stmt_prepare(st,
		"INSERT INTO findings (run_id, finding_id, type, class, severity, office,"
		" custodian_id, account, app, device_id, first_ts, last_ts, message_count,"
		" conversation_count, detail) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,"
		" 0, 0, '')");
	w->upd_finding = stmt_prepare(st,
		"UPDATE findings SET first_ts = ?3, last_ts = ?4, message_count = ?5,"
		" conversation_count = ?6, detail = ?7 WHERE run_id = ?1 AND finding_id = ?2");
	if (w->ins_finding && w->upd_finding &&
	    !store_exec(st, "DROP TABLE IF EXISTS " STAGE_TABLE "; CREATE TEMP TABLE"
			" findings_staged_copies (finding_id TEXT, account TEXT, message_id TEXT,"
			" ts INTEGER, conversation_id TEXT, direction TEXT, loss TEXT,"
			" loss_ts INTEGER, retained TEXT, retained_ts INTEGER, survives INTEGER,"
			" ts_bound INTEGER)")) {
		w->evidence = rowbatch_open(st, "INSERT INTO evidence (run_id, finding_id, input_id,"
					    " line, event, message_id, ts, day)", 8, WRITE_BATCH);
		w->copies = rowbatch_open(st, "INSERT INTO " STAGE_TABLE " (" STAGE_COLS ")", 12,
					  WRITE_BATCH);
		return 0;
	}
	findings_writer_close(w);
	return -1;
}

void findings_writer_close(struct findings_writer *w)
{
	stmt_free(w->ins_finding);
	stmt_free(w->upd_finding);
	rowbatch_free(w->evidence);
	if (w->copies)
		store_exec(w->st, "DROP TABLE IF EXISTS " STAGE_TABLE);
	rowbatch_free(w->copies);
	w->ins_finding = w->upd_finding = NULL;
	w->evidence = w->copies = NULL;
}

int findings_copies_commit(struct findings_writer *w, const char *survives_or)
{
	char *sql;
	int rc;

	if (rowbatch_flush(w->copies))
		return -1;
	if (!w->staged)
		return 0;
	sql = xasprintf("INSERT INTO main.finding_copies (run_id, " STAGE_COLS ") SELECT %lld,"
			" c.finding_id, c.account, c.message_id, c.ts, c.conversation_id,"
			" c.direction, c.loss, c.loss_ts, c.retained, c.retained_ts,"
			" c.survives | (%s), c.ts_bound FROM " STAGE_TABLE " c ORDER BY c.rowid;"
			" DELETE FROM " STAGE_TABLE, w->run_id, survives_or ? survives_or : "0");
	rc = store_exec(w->st, sql);
	free(sql);
	w->staged = 0;
	return rc;
}

int findings_writer_flush(struct findings_writer *w)
{
	return rowbatch_flush(w->evidence) || findings_copies_commit(w, NULL) ? -1 : 0;
}

static int step_done(struct stmt *s)
{
	int rc = stmt_step(s);
	stmt_reset(s);
	return rc < 0 ? -1 : 0;
}

void finding_make_id(char out[17], enum finding_type t, enum finding_class c, const char *key)
{
	char hex[SHA256_HEX_LEN];
	char *buf = xasprintf("%s|%s|%s", finding_type_names[t], finding_class_names[c], key);
	sha256_mem(buf, strlen(buf), hex);
	memcpy(out, hex, 16);
	out[16] = '\0';
	free(buf);
}

static uint64_t (*conv_hash)(const char *);     /* NULL: hash_str64 */

void findings_test_conv_hash(uint64_t (*h)(const char *))
{
	conv_hash = h;
}

int finding_begin(struct findings_writer *w, struct finding_acc *f, enum finding_type t,
		  enum finding_class c, const char *key, const struct finding_who *who)
{
	struct stmt *s = w->ins_finding;

	memset(f, 0, sizeof(*f));
	f->convs.hash = conv_hash;
	f->used = 1;
	f->type = t;
	f->cls = c;
	f->first_ts = LLONG_MAX;
	f->last_ts = LLONG_MIN;
	finding_make_id(f->id, t, c, key);
	stmt_bind_int(s, 1, w->run_id);
	stmt_bind_text(s, 2, f->id);
	stmt_bind_text(s, 3, finding_type_names[t]);
	stmt_bind_text(s, 4, finding_class_names[c]);
	stmt_bind_text(s, 5, finding_severity(c));
	stmt_bind_text(s, 6, who->office);
	stmt_bind_text(s, 7, who->custodian_id);
	stmt_bind_text(s, 8, who->account);
	stmt_bind_text(s, 9, who->app);
	stmt_bind_text(s, 10, who->device_id);
	return step_done(s);
}

/* A time column: NULL when not known. */
static void add_ts(struct rowbatch *b, long long ts)
{
	if (ts != FINDING_NO_TS)
		rowbatch_int(b, ts);
	else
		rowbatch_null(b);
}

int finding_evidence(struct findings_writer *w, struct finding_acc *f, long long input_id,
		     long long line, const struct finding_evidence_facts *facts)
{
	struct rowbatch *b = w->evidence;

	if (input_id <= 0 || f->nev >= FINDINGS_MAX_EVIDENCE)
		return 0;
	if (!hashmap_add(&f->ev, ((uint64_t)input_id << 40) ^ (uint64_t)line))
		return 0;
	f->nev++;
	rowbatch_int(b, w->run_id);
	rowbatch_text(b, f->id);
	rowbatch_int(b, input_id);
	rowbatch_int(b, line);
	rowbatch_text(b, facts ? facts->event : NULL);
	rowbatch_text(b, facts ? facts->message_id : NULL);
	add_ts(b, facts ? facts->ts : FINDING_NO_TS);
	rowbatch_text(b, facts ? facts->day : NULL);
	return rowbatch_row(b);
}

void finding_time(struct finding_acc *f, long long ts)
{
	if (ts == LLONG_MAX || ts == LLONG_MIN)
		return;
	if (ts < f->first_ts)
		f->first_ts = ts;
	if (ts > f->last_ts)
		f->last_ts = ts;
}

void finding_conv(struct finding_acc *f, const char *conv)
{
	if (conv && *conv)
		strmap_add(&f->convs, conv);
}

int finding_copy(struct findings_writer *w, struct finding_acc *f,
		 const struct finding_copy_facts *c)
{
	struct rowbatch *b = w->copies;
	const char *conv = c->conversation_id && *c->conversation_id ? c->conversation_id : NULL;
	int retained = c->retained > RET_NONE && c->retained < RET_COUNT;

	f->count++;
	finding_time(f, c->ts);
	finding_conv(f, c->conversation_id);
	rowbatch_text(b, f->id);
	rowbatch_text(b, c->account);
	rowbatch_text(b, c->message_id);
	rowbatch_int(b, c->ts);
	rowbatch_text(b, conv);
	rowbatch_text(b, c->direction == COPY_RECEIVED ? "received" : "sent");
	rowbatch_text(b, c->loss > LOSS_NONE && c->loss < LOSS_COUNT ?
		      copy_loss_names[c->loss] : NULL);
	add_ts(b, c->loss != LOSS_NONE ? c->loss_ts : FINDING_NO_TS);
	rowbatch_text(b, retained ? copy_retained_names[c->retained] : NULL);
	add_ts(b, retained ? c->retained_ts : FINDING_NO_TS);
	rowbatch_int(b, c->survives);
	rowbatch_int(b, c->ts_bound != 0);
	w->staged++;
	return rowbatch_row(b);
}

void finding_drop(struct finding_acc *f)
{
	strmap_clear(&f->convs);
	hashmap_clear(&f->ev);
	f->used = 0;
}

int finding_end(struct findings_writer *w, struct finding_acc *f, const char *detail)
{
	struct stmt *s = w->upd_finding;
	int rc;

	if (!f->used)
		return 0;
	stmt_bind_int(s, 1, w->run_id);
	stmt_bind_text(s, 2, f->id);
	if (f->first_ts != LLONG_MAX) {
		stmt_bind_int(s, 3, f->first_ts);
		stmt_bind_int(s, 4, f->last_ts);
	}
	stmt_bind_int(s, 5, (long long)f->count);
	stmt_bind_int(s, 6, (long long)f->convs.n);
	stmt_bind_text(s, 7, detail);
	rc = step_done(s);
	w->findings++;
	w->count[f->type][f->cls]++;
	w->messages[f->type][f->cls] += f->count;
	finding_drop(f);
	return rc;
}

int findings_clear_run(struct store *st, long long run_id)
{
	static const char *const tables[] = { "evidence", "finding_copies", "findings",
					      "run_rules" };
	char sql[120];
	for (int i = 0; i < 4; i++) {
		snprintf(sql, sizeof(sql), "DELETE FROM %s WHERE run_id = %lld", tables[i], run_id);
		if (store_exec(st, sql))
			return -1;
	}
	return 0;
}

int findings_store_rule_pack(struct store *st, long long run_id, const char *file,
			     const char *sha256, const char *text, size_t len)
{
	struct stmt *s = stmt_prepare(st,
		"INSERT INTO run_rules (run_id, file, size, sha256, text) VALUES (?1,?2,?3,?4,?5)");
	if (!s)
		return -1;
	stmt_bind_int(s, 1, run_id);
	stmt_bind_text(s, 2, file);
	stmt_bind_int(s, 3, (long long)len);
	stmt_bind_text(s, 4, sha256);
	stmt_bind_textn(s, 5, text, (int)len);
	int rc = stmt_step(s);
	stmt_free(s);
	return rc < 0 ? -1 : 0;
}

/* ---- reading ---- */

struct findings_cursor {
	struct stmt *s;
};

static void add_list(struct strbuf *sql, const char *col, size_t n)
{
	if (!n)
		return;
	strbuf_addf(sql, " AND %s IN (", col);
	for (size_t i = 0; i < n; i++)
		strbuf_addf(sql, "%s?", i ? ", " : "");
	strbuf_addch(sql, ')');
}

/* " WHERE ..." over findings aliased f (parameters in the order bind_filter
 * binds them). */
static void filter_sql(struct strbuf *sql, const struct finding_filter *f)
{
	strbuf_addstr(sql, " WHERE f.run_id = ?");
	add_list(sql, "f.type", f->ntypes);
	add_list(sql, "f.class", f->nclasses);
	add_list(sql, "f.office", f->noffices);
	add_list(sql, "f.app", f->napps);
	add_list(sql, "f.custodian_id", f->ncustodians);
	add_list(sql, "f.account", f->naccounts);
	add_list(sql, "f.device_id", f->ndevices);
	if (f->from)
		strbuf_addstr(sql, " AND f.last_ts >= ?");
	if (f->to)
		strbuf_addstr(sql, " AND f.first_ts < ?");
}

static int bind_filter(struct stmt *s, int idx, const struct finding_filter *f)
{
	const char *const *lists[] = { f->types, f->classes, f->offices, f->apps, f->custodians,
				       f->accounts, f->devices };
	size_t ns[] = { f->ntypes, f->nclasses, f->noffices, f->napps, f->ncustodians,
			f->naccounts, f->ndevices };
	long long d;

	stmt_bind_int(s, idx++, f->run_id);
	for (int l = 0; l < 7; l++)
		for (size_t i = 0; i < ns[l]; i++)
			stmt_bind_text(s, idx++, lists[l][i]);
	if (f->from)
		stmt_bind_int(s, idx++, time_parse_date(f->from, &d) ? LLONG_MIN : d * 86400);
	if (f->to)      /* the whole day */
		stmt_bind_int(s, idx++, time_parse_date(f->to, &d) ? LLONG_MAX : (d + 1) * 86400);
	return idx;
}

static struct findings_cursor *cursor_open(struct store *st, struct strbuf *sql,
					   const struct finding_filter *f, const char *finding_id)
{
	struct findings_cursor *c;
	struct stmt *s = stmt_prepare(st, sql->buf);

	strbuf_release(sql);
	if (!s)
		return NULL;
	int idx = bind_filter(s, 1, f);
	if (finding_id)
		stmt_bind_text(s, idx, finding_id);
	c = xcalloc(1, sizeof(*c));
	c->s = s;
	return c;
}

void findings_close(struct findings_cursor *c)
{
	if (!c)
		return;
	stmt_free(c->s);
	free(c);
}

static long long col_ts(struct stmt *s, int col)
{
	return stmt_is_null(s, col) ? FINDING_NO_TS : stmt_int(s, col);
}

struct findings_cursor *findings_open(struct store *st, const struct finding_filter *f)
{
	struct strbuf sql = STRBUF_INIT;
	char order[200];

	strbuf_addstr(&sql,
		"SELECT f.finding_id, f.type, f.class, f.severity, f.office, f.custodian_id,"
		" f.account, f.app, f.device_id, f.detail, f.first_ts, f.last_ts,"
		" f.message_count, f.conversation_count FROM findings f");
	filter_sql(&sql, f);
	strbuf_addf(&sql, " ORDER BY %s, f.type, coalesce(f.office, ''),"
		    " coalesce(f.custodian_id, ''), coalesce(f.account, ''),"
		    " coalesce(f.device_id, ''), f.first_ts, f.finding_id",
		    finding_class_order_sql("f.class", order, sizeof(order)));
	return cursor_open(st, &sql, f, NULL);
}

int findings_next(struct findings_cursor *c, struct finding_row *out)
{
	struct stmt *s = c->s;
	int rc = stmt_step(s);
	if (rc != 1)
		return rc;
	const char **str[] = { &out->finding_id, &out->type, &out->class, &out->severity,
			       &out->office, &out->custodian_id, &out->account, &out->app,
			       &out->device_id, &out->detail };
	for (int i = 0; i < 10; i++)
		*str[i] = stmt_text(s, i);
	int t = finding_type_from_name(out->type), k = finding_class_from_name(out->class);
	out->t = t < 0 ? FT_COUNT : (enum finding_type)t;
	out->c = k < 0 ? FC_POLICY : (enum finding_class)k;
	out->first_ts = col_ts(s, 10);
	out->last_ts = col_ts(s, 11);
	out->message_count = stmt_int(s, 12);
	out->conversation_count = stmt_int(s, 13);
	return 1;
}

/* CROSS JOIN: the selected findings drive, finding_copies is probed by its
 * (run_id, finding_id) index; the other order would scan every copy. */
struct findings_cursor *finding_copies_open(struct store *st, const struct finding_filter *f,
					    const char *finding_id)
{
	struct strbuf sql = STRBUF_INIT;

	strbuf_addstr(&sql,
		"SELECT c.finding_id, c.account, c.message_id, c.conversation_id, f.type, f.class,"
		" f.office, f.custodian_id, f.app, f.device_id, c.ts, c.direction, c.loss,"
		" c.loss_ts, c.retained, c.retained_ts, c.survives, c.ts_bound"
		" FROM findings f CROSS JOIN finding_copies c"
		"  ON c.run_id = f.run_id AND c.finding_id = f.finding_id");
	filter_sql(&sql, f);
	if (finding_id)
		strbuf_addstr(&sql, " AND f.finding_id = ?");
	strbuf_addstr(&sql, " ORDER BY c.finding_id, c.account, c.message_id");
	return cursor_open(st, &sql, f, finding_id);
}

int finding_copies_next(struct findings_cursor *c, struct finding_copy_row *out)
{
	struct stmt *s = c->s;
	int rc = stmt_step(s);
	if (rc != 1)
		return rc;
	const char **str[] = { &out->finding_id, &out->account, &out->message_id,
			       &out->conversation_id, &out->type, &out->class, &out->office,
			       &out->custodian_id, &out->app, &out->device_id };
	for (int i = 0; i < 10; i++)
		*str[i] = stmt_text(s, i);
	out->ts = stmt_int(s, 10);
	out->direction = stmt_text(s, 11) && !strcmp(stmt_text(s, 11), "received") ?
			 COPY_RECEIVED : COPY_SENT;
	int loss = copy_loss_from_name(stmt_text(s, 12));
	out->loss = loss < 0 ? LOSS_NONE : (enum copy_loss)loss;
	out->loss_ts = col_ts(s, 13);
	out->retained = (enum copy_retained)retained_from_name(stmt_text(s, 14));
	out->retained_ts = col_ts(s, 15);
	out->survives = (unsigned)stmt_int(s, 16);
	out->ts_bound = stmt_int(s, 17) != 0;
	return 1;
}

struct findings_cursor *finding_messages_open(struct store *st, const struct finding_filter *f)
{
	struct strbuf sql = STRBUF_INIT;

	/* bit_or is not in SQLite: OR the five bits one by one */
	strbuf_addstr(&sql,
		"SELECT c.message_id, max(c.survives & 1) | max(c.survives & 2)"
		" | max(c.survives & 4) | max(c.survives & 8) | max(c.survives & 16), count(*)"
		" FROM findings f CROSS JOIN finding_copies c"
		"  ON c.run_id = f.run_id AND c.finding_id = f.finding_id");
	filter_sql(&sql, f);
	strbuf_addstr(&sql, " GROUP BY c.message_id ORDER BY c.message_id");
	return cursor_open(st, &sql, f, NULL);
}

int finding_messages_next(struct findings_cursor *c, struct finding_message_row *out)
{
	int rc = stmt_step(c->s);
	if (rc != 1)
		return rc;
	out->message_id = stmt_text(c->s, 0);
	out->survives = (unsigned)stmt_int(c->s, 1);
	out->copies = stmt_int(c->s, 2);
	return 1;
}

struct findings_cursor *finding_evidence_open(struct store *st, const struct finding_filter *f,
					      const char *finding_id)
{
	struct strbuf sql = STRBUF_INIT;

	strbuf_addstr(&sql,
		"SELECT e.finding_id, f.type, i.kind, i.path, i.sha256, e.input_id, e.line,"
		" e.event, e.message_id, e.day, e.ts FROM findings f CROSS JOIN evidence e"
		"  ON e.run_id = f.run_id AND e.finding_id = f.finding_id"
		" LEFT JOIN inputs i ON i.input_id = e.input_id");
	filter_sql(&sql, f);
	if (finding_id)
		strbuf_addstr(&sql, " AND f.finding_id = ?");
	strbuf_addstr(&sql, " ORDER BY e.finding_id, i.path, e.line");
	return cursor_open(st, &sql, f, finding_id);
}

int finding_evidence_next(struct findings_cursor *c, struct finding_evidence_row *out)
{
	struct stmt *s = c->s;
	int rc = stmt_step(s);
	if (rc != 1)
		return rc;
	out->finding_id = stmt_text(s, 0);
	out->type = stmt_text(s, 1);
	out->kind = stmt_text(s, 2);
	out->path = stmt_text(s, 3);
	out->sha256 = stmt_text(s, 4);
	out->input_id = stmt_int(s, 5);
	out->line = stmt_int(s, 6);
	out->event = stmt_text(s, 7);
	out->message_id = stmt_text(s, 8);
	out->day = stmt_text(s, 9);
	out->ts = col_ts(s, 10);
	return 1;
}

const char *finding_type_order_sql(const char *col, char *buf, size_t len)
{
	int n = snprintf(buf, len, "CASE %s", col);
	for (int i = 0; i < FT_COUNT && n > 0 && (size_t)n < len; i++)
		n += snprintf(buf + n, len - (size_t)n, " WHEN '%s' THEN %d", finding_type_names[i], i);
	if (n > 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, " ELSE %d END", FT_COUNT);
	return buf;
}

const char *finding_workbook_order_sql(char *buf, size_t len)
{
	char cls[160], type[640];

	snprintf(buf, len, "%s, %s, f.type, f.office, f.custodian_id, f.account, f.finding_id",
		 finding_class_order_sql("f.class", cls, sizeof(cls)),
		 finding_type_order_sql("f.type", type, sizeof(type)));
	return buf;
}

int finding_workbook_order(struct store *st, long long run_id)
{
	struct strbuf sql = STRBUF_INIT;
	char order[1024];
	struct stmt *s;
	int rc;

	if (store_exec(st, "DROP TABLE IF EXISTS temp.workbook_order;"
		       "CREATE TEMP TABLE workbook_order (ord INTEGER PRIMARY KEY,"
		       "  finding_id TEXT NOT NULL, type TEXT NOT NULL);"))
		return -1;
	/* the order ends with finding_id: a total order, so ord is exact */
	strbuf_addf(&sql, "INSERT INTO temp.workbook_order SELECT row_number() OVER (ORDER BY %s),"
		    " f.finding_id, f.type FROM main.findings f WHERE f.run_id = ?1",
		    finding_workbook_order_sql(order, sizeof(order)));
	s = stmt_prepare(st, sql.buf);
	strbuf_release(&sql);
	if (!s)
		return -1;
	stmt_bind_int(s, 1, run_id);
	rc = stmt_step(s);
	stmt_free(s);
	return rc < 0 ? -1 : 0;
}

int finding_workbook_counts(struct store *st, long long run_id, long long *findings,
			    long long *evidence)
{
	/* the same join as finding_evidence_workbook_open's */
	struct stmt *s = stmt_prepare(st,
		"SELECT (SELECT count(*) FROM temp.workbook_order),"
		" (SELECT count(*) FROM temp.workbook_order o CROSS JOIN main.evidence e"
		"  ON e.run_id = ?1 AND e.finding_id = o.finding_id)");
	int rc;

	*findings = *evidence = 0;
	if (!s)
		return -1;
	stmt_bind_int(s, 1, run_id);
	rc = stmt_step(s);
	if (rc == 1) {
		*findings = stmt_int(s, 0);
		*evidence = stmt_int(s, 1);
	}
	stmt_free(s);
	return rc == 1 ? 0 : -1;
}

struct findings_cursor *finding_evidence_workbook_open(struct store *st, long long run_id)
{
	struct finding_filter f = { .run_id = run_id };
	struct strbuf sql = STRBUF_INIT;

	/* by ord, then each finding's few rows sorted apart ("RIGHT PART OF
	 * ORDER BY"); evidence rows are distinct by (input_id, line) */
	strbuf_addstr(&sql,
		"SELECT e.finding_id, o.type, i.kind, i.path, i.sha256, e.input_id, e.line,"
		" e.event, e.message_id, e.day, e.ts FROM temp.workbook_order o"
		" CROSS JOIN main.evidence e ON e.run_id = ?1 AND e.finding_id = o.finding_id"
		" LEFT JOIN main.inputs i ON i.input_id = e.input_id"
		" ORDER BY o.ord, e.input_id, e.line");
	return cursor_open(st, &sql, &f, NULL);
}

struct findings_cursor *run_rules_open(struct store *st, long long run_id)
{
	struct stmt *s = stmt_prepare(st,
		"SELECT file, sha256, text, size FROM run_rules WHERE run_id = ?1 ORDER BY file");
	struct findings_cursor *c;

	if (!s)
		return NULL;
	stmt_bind_int(s, 1, run_id);
	c = xcalloc(1, sizeof(*c));
	c->s = s;
	return c;
}

int run_rules_next(struct findings_cursor *c, struct rule_pack_row *out)
{
	int rc = stmt_step(c->s);
	if (rc != 1)
		return rc;
	out->file = stmt_text(c->s, 0);
	out->sha256 = stmt_text(c->s, 1);
	out->text = stmt_text(c->s, 2);
	out->size = stmt_int(c->s, 3);
	return 1;
}
