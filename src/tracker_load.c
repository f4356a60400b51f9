/* tracker_load: the four tracker CSVs (spec §3.6) as ingest kinds:
 * recommendations, cases, actions, updates. A dated update always
 * outranks a file's undated status; a row whose reference does not
 * resolve is kept (tracker_pending) and loaded when the reference appears.
 * See tracker.h for the rules. */
#include "tracker.h"
#include "tracker_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "ingest.h"
#include "store.h"
#include "strbuf.h"
#include "timeutil.h"
#include "xalloc.h"

static int bad_enum(struct ingest_ctx *ctx, unsigned long line, const char *col,
		    const char *v, const char *const *allowed)
{
	char words[200];

	tracker_word_list(allowed, words, sizeof(words));
	return bad_record(&ctx->bad, line, 0, "bad value '%s' for '%s' (expected %s)", v, col,
			  words);
}

static int bad_date(struct ingest_ctx *ctx, unsigned long line, const char *col, const char *v)
{
	return bad_record(&ctx->bad, line, 0, "bad date '%s' for '%s' (expected YYYY-MM-DD)",
			  v, col);
}

static const char *norm_source(const char *v)
{
	for (int i = 0; tracker_sources[i]; i++)
		if (!strcasecmp(v, tracker_sources[i]))
			return tracker_sources[i];
	return NULL;
}

/* Prepared statements are cached in ctx->put (freed by ingest.c when the
 * file is done; records.c does not use them for these kinds). */
static struct stmt *cached(struct ingest_ctx *ctx, int slot, const char *sql)
{
	if (!ctx->put[slot])
		ctx->put[slot] = stmt_prepare(ctx->st, sql);
	return ctx->put[slot];
}

static int step_once(struct stmt *s)
{
	int rc = stmt_step(s);
	stmt_reset(s);
	return rc < 0 ? -1 : 0;
}

static const char *opt_text(const char *v)
{
	return *v ? v : NULL;
}

/* A status the file gives, checked against the recorded history: a dated
 * update outranks the file's undated status column (and an older date).
 * Returns the status to keep (the file's when nothing outranks it), and
 * says a conflict with file:line, what was kept and why. */
static const char *ranked_status(struct ingest_ctx *ctx, unsigned long line, enum tracker_kind k,
				 const char *id, const char *file_status, const char *file_on,
				 const struct latest *l)
{
	struct src_loc at = { ctx->path, line, 0 };

	if (!l->found || (file_on && *file_on && strcmp(file_on, l->on) >= 0))
		return file_status;
	if (file_status && strcmp(file_status, l->status))
		diag_warn(&at, "%s '%s': the file's status '%s'%s%s conflicts with the update of %s"
			  " ('%s', %s); kept '%s' (record a change with 'udaudit tracker update'"
			  " or updates.csv)", tracker_kind_name(k), id, file_status,
			  file_on && *file_on ? " of " : "", file_on && *file_on ? file_on : "",
			  l->on, l->status, l->from, l->status);
	return l->status;
}

/* ---- rows skipped for a reference that did not resolve ----
 *
 * Such a row is kept (its fields, in tracker_pending) and loaded when the
 * reference appears: after each recommendations or cases file, and each
 * actions file (for updates). */

#define FIELD_SEP '\x1f'

static int keep_pending(struct ingest_ctx *ctx, unsigned long line, const char *ref,
			const char *const *v, int n)
{
	struct strbuf sb = STRBUF_INIT;
	struct stmt *s;
	int rc;

	for (int i = 0; i < n; i++) {
		if (strchr(v[i], FIELD_SEP)) {
			strbuf_release(&sb);
			return 0;               /* cannot keep it: it stays skipped */
		}
		if (i)
			strbuf_addch(&sb, FIELD_SEP);
		strbuf_addstr(&sb, v[i]);
	}
	/* a newer version of the row replaces the one kept from an older file */
	s = stmt_prepare(ctx->st, "DELETE FROM tracker_pending WHERE kind = ?1 AND loaded_by IS NULL"
			 " AND (fields = ?2 OR (kind = 'actions' AND substr(fields, 1, length(?3) + 1)"
			 " = ?3 || char(31)))");
	if (!s) {
		strbuf_release(&sb);
		return -1;
	}
	stmt_bind_text(s, 1, ctx->kind);
	stmt_bind_text(s, 2, sb.buf);
	stmt_bind_text(s, 3, v[0]);
	rc = stmt_step(s);
	stmt_free(s);
	if (rc < 0) {
		strbuf_release(&sb);
		return -1;
	}
	s = stmt_prepare(ctx->st, "INSERT OR REPLACE INTO tracker_pending (input_id, line, kind,"
			 " ref, fields) VALUES (?1, ?2, ?3, ?4, ?5)");
	if (!s) {
		strbuf_release(&sb);
		return -1;
	}
	stmt_bind_int(s, 1, ctx->input_id);
	stmt_bind_int(s, 2, (long long)line);
	stmt_bind_text(s, 3, ctx->kind);
	stmt_bind_text(s, 4, ref);
	stmt_bind_text(s, 5, sb.buf);
	rc = stmt_step(s);
	stmt_free(s);
	strbuf_release(&sb);
	if (rc < 0)
		return -1;
	ctx->kept++;
	return 0;
}

static int action_row(struct ingest_ctx *ctx, const char *const *v, unsigned long line);
static int update_row(struct ingest_ctx *ctx, const char *const *v, unsigned long line);

#define MAX_FIELDS 16

/* A kept row, read before any is loaded (loading one changes the table). */
struct pending {
	long long input_id;
	unsigned long line;
	char *ref, *fields, *path;
};

/* Load the kept rows of `kind` whose reference now resolves. */
static int pending_read(struct store *st, const char *kind, struct pending **out, size_t *n)
{
	struct stmt *s = stmt_prepare(st,
		"SELECT p.input_id, p.line, p.ref, p.fields, i.path FROM tracker_pending p"
		" JOIN inputs i USING (input_id) WHERE p.kind = ?1 AND p.loaded_by IS NULL"
		" ORDER BY p.input_id, p.line");
	size_t alloc = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (!s)
		return -1;
	stmt_bind_text(s, 1, kind);
	while ((rc = stmt_step(s)) == 1) {
		*out = xgrow(*out, *n + 1, &alloc, sizeof(**out));
		(*out)[(*n)++] = (struct pending){ stmt_int(s, 0), (unsigned long)stmt_int(s, 1),
						   xstrdup(stmt_text(s, 2)), xstrdup(stmt_text(s, 3)),
						   xstrdup(stmt_text(s, 4)) };
	}
	stmt_free(s);
	return rc < 0 ? -1 : 0;
}

/* Does a kept row's reference resolve now? 1, 0 (it waits, silently: it
 * was said), -1 error. */
static int pending_resolves(struct store *st, const char *kind, const char *ref)
{
	enum tracker_kind k;
	struct item it;

	if (!strcmp(kind, "updates"))
		return !tracker_find_item(st, ref, &k);
	k = strchr(ref, '#') ? TK_RECOMMENDATION : TK_CASE;
	if (tracker_item_load(st, k, ref, &it))
		return -1;
	tracker_item_release(&it);
	return it.found;
}

/* Load a kept row as a row of its own file and line; marked loaded by
 * the input being loaded. 1 loaded, 0 skipped again, -1 error. */
static int pending_load(struct ingest_ctx *ctx, const char *kind, int nfields,
			struct pending *p)
{
	struct ingest_ctx r = *ctx;
	const char *v[MAX_FIELDS];
	struct stmt *s;
	int nv = 0, rc;

	for (char *q = p->fields; q && nv < MAX_FIELDS; nv++) {
		char *sep = strchr(q, FIELD_SEP);
		v[nv] = q;
		if (sep)
			*sep++ = '\0';
		q = sep;
	}
	while (nv < nfields && nv < MAX_FIELDS)
		v[nv++] = "";
	memset(r.put, 0, sizeof(r.put));
	r.input_id = p->input_id;
	r.path = p->path;
	r.kind = kind;
	r.records = 0;
	bad_records_init(&r.bad, p->path, 0);
	rc = !strcmp(kind, "updates") ? update_row(&r, v, p->line) : action_row(&r, v, p->line);
	for (size_t i = 0; i < sizeof(r.put) / sizeof(r.put[0]); i++)
		stmt_free(r.put[i]);
	if (rc || !r.records)
		return rc ? -1 : 0;
	s = stmt_prepare(ctx->st, "UPDATE tracker_pending SET loaded_by = ?3"
			 " WHERE input_id = ?1 AND line = ?2");
	if (!s)
		return -1;
	stmt_bind_int(s, 1, r.input_id);
	stmt_bind_int(s, 2, (long long)p->line);
	stmt_bind_int(s, 3, ctx->input_id);
	rc = stmt_step(s);
	stmt_free(s);
	return rc < 0 ? -1 : 1;
}

static int retry_pending(struct ingest_ctx *ctx, const char *kind, int nfields)
{
	struct pending *p;
	size_t n;
	int status = pending_read(ctx->st, kind, &p, &n);

	for (size_t j = 0; j < n && !status; j++) {
		int rc = pending_resolves(ctx->st, kind, p[j].ref);
		if (rc > 0)
			rc = pending_load(ctx, kind, nfields, &p[j]);
		if (rc < 0)
			status = -1;
		else if (rc)
			diag_note("%s:%lu: the row skipped earlier for '%s' is loaded now (%s resolves)",
				  p[j].path, p[j].line, p[j].ref, p[j].ref);
	}
	for (size_t j = 0; j < n; j++) {
		free(p[j].ref);
		free(p[j].fields);
		free(p[j].path);
	}
	free(p);
	return status;
}

/* ---- recommendations.csv ---- */

static const struct csv_col rec_cols[] = {
	{ "report_id", 1 }, { "report_title", 0 }, { "issued_on", 0 }, { "source", 0 },
	{ "rec_no", 1 }, { "text", 0 }, { "concurrence", 0 }, { "target_on", 0 },
	{ "status", 0 }, { "status_on", 0 }, { "priority", 0 }, { "evidence", 0 },
};

static int rec_row(struct ingest_ctx *ctx, const char *const *v, unsigned long line)
{
	const char *source = NULL, *status = NULL, *keep;
	char ref[512];
	struct item it;
	struct latest l;
	struct stmt *s;
	char *evidence;
	int closed_ok;

	if (!*v[0] || !*v[4])
		return bad_record(&ctx->bad, line, 0, "empty '%s'", !*v[0] ? "report_id" : "rec_no");
	if (strchr(v[0], '#') || strchr(v[4], '#') || strchr(v[0], ';') || strchr(v[4], ';'))
		return bad_record(&ctx->bad, line, 0, "'#' or ';' in report_id or rec_no '%s#%s'",
				  v[0], v[4]);
	if (*v[3] && !(source = norm_source(v[3])))
		return bad_enum(ctx, line, "source", v[3], tracker_sources);
	if (*v[8] && !(status = tracker_norm_status(TK_RECOMMENDATION, v[8])))
		return bad_enum(ctx, line, "status", v[8], tracker_rec_statuses);
	if (check_date(v[2]))
		return bad_date(ctx, line, "issued_on", v[2]);
	if (check_date(v[7]))
		return bad_date(ctx, line, "target_on", v[7]);
	if (check_date(v[9]))
		return bad_date(ctx, line, "status_on", v[9]);
	snprintf(ref, sizeof(ref), "%s#%s", v[0], v[4]);
	if (tracker_item_load(ctx->st, TK_RECOMMENDATION, ref, &it))
		return -1;
	closed_ok = *v[11] || (it.evidence && *it.evidence) || it.linked_evidence;
	tracker_item_release(&it);
	if (tracker_is_closed(status) && !closed_ok)
		return bad_record(&ctx->bad, line, 0,
				  "cannot close recommendation '%s' without evidence", ref);
	/* the dated status in the file is part of the history */
	if (status && *v[9] && tracker_add_history(ctx->st, TK_RECOMMENDATION, ref, v[9], status, NULL,
					   opt_text(v[11]), -1, ctx->input_id, line) < 0)
		return -1;
	if (tracker_latest_update(ctx->st, TK_RECOMMENDATION, ref, &l))
		return -1;
	keep = ranked_status(ctx, line, TK_RECOMMENDATION, ref, status, v[9], &l);
	evidence = tracker_update_evidence(ctx->st, TK_RECOMMENDATION, ref, v[11]);
	s = cached(ctx, 0,
		"INSERT INTO recommendations (report_id, rec_no, report_title, issued_on,"
		" source, text, concurrence, target_on, status, status_on, priority, evidence,"
		" input_id, line) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14)"
		" ON CONFLICT (report_id, rec_no) DO UPDATE SET report_title = ?3,"
		" issued_on = ?4, source = ?5, text = ?6, concurrence = ?7, target_on = ?8,"
		" status = ?9, status_on = ?10, priority = ?11,"
		" evidence = coalesce(?12, evidence), input_id = ?13, line = ?14");
	if (!s) {
		free(evidence);
		return -1;
	}
	stmt_bind_text(s, 1, v[0]);
	stmt_bind_text(s, 2, v[4]);
	stmt_bind_text(s, 3, opt_text(v[1]));
	stmt_bind_text(s, 4, opt_text(v[2]));
	stmt_bind_text(s, 5, source);
	stmt_bind_text(s, 6, opt_text(v[5]));
	stmt_bind_text(s, 7, opt_text(v[6]));
	stmt_bind_text(s, 8, opt_text(v[7]));
	stmt_bind_text(s, 9, keep);
	stmt_bind_text(s, 10, keep == status ? opt_text(v[9]) : l.on);
	stmt_bind_text(s, 11, opt_text(v[10]));
	stmt_bind_text(s, 12, evidence);
	stmt_bind_int(s, 13, ctx->input_id);
	stmt_bind_int(s, 14, (long long)line);
	free(evidence);
	if (step_once(s))
		return -1;
	ctx->records++;
	return 0;
}

int load_recommendations(struct ingest_ctx *ctx)
{
	int rc = ingest_csv(ctx, rec_cols, 12, rec_row);
	return rc ? rc : retry_pending(ctx, "actions", 13);
}

/* ---- cases.csv ---- */

static const struct csv_col case_cols[] = {
	{ "case_id", 1 }, { "agency", 0 }, { "opened_on", 0 }, { "closed_on", 0 },
	{ "status", 0 }, { "records", 0 }, { "nara_letter_on", 0 }, { "response_due_on", 0 },
	{ "report_sent_on", 0 },
};

static int case_row(struct ingest_ctx *ctx, const char *const *v, unsigned long line)
{
	static const char *const date_cols[] = {
		NULL, NULL, "opened_on", "closed_on", NULL, NULL, "nara_letter_on", "response_due_on",
		"report_sent_on",
	};
	const char *status = NULL, *keep;
	struct latest l;
	struct stmt *s;

	if (!tracker_is_case_id(v[0]))
		return bad_record(&ctx->bad, line, 0, "bad case id '%s' (expected UD-YYYY-NNNN)", v[0]);
	if (*v[4] && !(status = tracker_norm_status(TK_CASE, v[4])))
		return bad_enum(ctx, line, "status", v[4], tracker_case_statuses);
	for (int i = 0; i < 9; i++)
		if (date_cols[i] && check_date(v[i]))
			return bad_date(ctx, line, date_cols[i], v[i]);
	if ((*v[2] && tracker_add_history(ctx->st, TK_CASE, v[0], v[2], "Open", "case opened", NULL, -1,
				  ctx->input_id, line) < 0) ||
	    (*v[3] && tracker_add_history(ctx->st, TK_CASE, v[0], v[3], "Closed", "case closed", NULL, -1,
				  ctx->input_id, line) < 0))
		return -1;
	if (tracker_latest_update(ctx->st, TK_CASE, v[0], &l))
		return -1;
	/* the file's own opened/closed dates are in the history: only an
	 * update recorded some other way can outrank its status column */
	keep = ranked_status(ctx, line, TK_CASE, v[0], status, *v[3] ? v[3] : NULL, &l);
	/* closed_on and report_sent_on are never cleared by a re-import */
	s = cached(ctx, 0,
		"INSERT INTO cases (case_id, agency, opened_on, closed_on, status, records,"
		" nara_letter_on, response_due_on, input_id, line, report_sent_on)"
		" VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11) ON CONFLICT (case_id) DO UPDATE SET"
		" agency = ?2, opened_on = ?3, closed_on = coalesce(?4, closed_on), status = ?5,"
		" records = ?6, nara_letter_on = ?7, response_due_on = ?8, input_id = ?9, line = ?10,"
		" report_sent_on = coalesce(?11, report_sent_on)");
	if (!s)
		return -1;
	stmt_bind_text(s, 1, v[0]);
	for (int i = 1; i < 8; i++)
		stmt_bind_text(s, i + 1, i == 4 ? keep : opt_text(v[i]));
	stmt_bind_int(s, 9, ctx->input_id);
	stmt_bind_int(s, 10, (long long)line);
	stmt_bind_text(s, 11, opt_text(v[8]));
	if (step_once(s))
		return -1;
	ctx->records++;
	return 0;
}

int load_cases(struct ingest_ctx *ctx)
{
	int rc = ingest_csv(ctx, case_cols, 9, case_row);
	return rc ? rc : retry_pending(ctx, "actions", 13);
}

/* ---- actions.csv ---- */

static const struct csv_col action_cols[] = {
	{ "action_id", 1 }, { "refs", 0 }, { "title", 0 }, { "owner_office", 0 },
	{ "owner", 0 }, { "due_on", 0 }, { "revised_due_on", 0 }, { "status", 0 },
	{ "percent", 0 }, { "evidence", 0 }, { "risk", 0 }, { "resources", 0 },
	{ "comments", 0 },
};

#define MAX_REFS 32

/* Split refs at ';', trimmed; empty pieces dropped. Returns the count, or
 * -1 when there are more than MAX_REFS. The strings point into buf. */
static int split_refs(char *buf, char **ref)
{
	int n = 0;

	for (char *p = buf; p; ) {
		char *semi = strchr(p, ';'), *end;
		if (semi)
			*semi = '\0';
		while (isspace((unsigned char)*p))
			p++;
		end = p + strlen(p);
		while (end > p && isspace((unsigned char)end[-1]))
			*--end = '\0';
		if (*p) {
			if (n >= MAX_REFS)
				return -1;
			ref[n++] = p;
		}
		p = semi ? semi + 1 : NULL;
	}
	return n;
}

/* 0..100, "" = unknown (-1); a trailing '%' is allowed. */
static int parse_percent(const char *v, long long *out)
{
	char *end;
	long n;

	*out = -1;
	if (!*v)
		return 0;
	n = strtol(v, &end, 10);
	if (end == v || (*end == '%' ? end[1] : *end) || n < 0 || n > 100)
		return -1;
	*out = n;
	return 0;
}

int tracker_parse_percent(const char *v, long long *out)
{
	return parse_percent(v, out) || *out < 0 ? -1 : 0;
}

/* A due date the file changes on an action already tracked is a milestone
 * change, kept (POA&M "changes to milestones"). */
static int note_due_change(struct ingest_ctx *ctx, unsigned long line, const char *id,
			   const char *field, const char *old, const char *now)
{
	struct stmt *s;
	int rc;

	if (!strcmp(old ? old : "", now ? now : ""))
		return 0;
	s = stmt_prepare(ctx->st, "INSERT INTO due_changes (action_id, field, old_on, new_on,"
			 " input_id, line) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
	if (!s)
		return -1;
	stmt_bind_text(s, 1, id);
	stmt_bind_text(s, 2, field);
	stmt_bind_text(s, 3, old && *old ? old : NULL);
	stmt_bind_text(s, 4, now && *now ? now : NULL);
	stmt_bind_int(s, 5, ctx->input_id);
	stmt_bind_int(s, 6, (long long)line);
	rc = stmt_step(s);
	stmt_free(s);
	return rc < 0 ? -1 : 0;
}

/* Each ref of an action row must resolve; a row whose ref does not is
 * skipped and kept to load when it appears. 1 all resolve, 0 skipped,
 * -1 error (or --strict). */
static int action_refs_resolve(struct ingest_ctx *ctx, const char *const *v, unsigned long line,
			       char *const *ref, int nref)
{
	for (int i = 0; i < nref; i++) {
		enum tracker_kind k = strchr(ref[i], '#') ? TK_RECOMMENDATION : TK_CASE;
		struct item it;
		int rc;

		if (k == TK_CASE && !tracker_is_case_id(ref[i]))
			return bad_record(&ctx->bad, line, 0, "bad ref '%s' (expected REPORT#N or a"
					  " case id UD-YYYY-NNNN)", ref[i]);
		if (tracker_item_load(ctx->st, k, ref[i], &it))
			return -1;
		tracker_item_release(&it);
		if (!it.found) {
			rc = bad_record(&ctx->bad, line, 0, "ref '%s' does not resolve (no such %s;"
					" load %s first; the row is kept and loads when it appears)",
					ref[i], tracker_kind_name(k),
					k == TK_CASE ? "cases" : "recommendations");
			return rc ? rc : keep_pending(ctx, line, ref[i], v, 13);
		}
	}
	return 1;
}

/* What an action row leaves of the recorded history: its undated status
 * yields to a dated update, and so does its percent; its evidence adds to
 * what the updates brought; Complete and Closed mean 100 %. */
struct action_kept {
	const char *status;     /* may point into l */
	long long percent;
	char *evidence;         /* owned */
	struct latest l;        /* the latest dated update */
};

/* 1 kept, 0 skipped (closed without evidence), -1 error. */
static int action_keep(struct ingest_ctx *ctx, const char *const *v, unsigned long line,
		       const char *status, long long percent, struct action_kept *k)
{
	struct src_loc at = { ctx->path, line, 0 };
	const struct latest *l = &k->l;

	if (tracker_latest_update(ctx->st, TK_ACTION, v[0], &k->l))
		return -1;
	k->status = ranked_status(ctx, line, TK_ACTION, v[0], status, NULL, l);
	if (l->pct >= 0) {
		if (percent >= 0 && percent != l->pct)
			diag_warn(&at, "action '%s': the file's percent %lld conflicts with the update"
				  " of %s (%lld %%); kept %lld %%", v[0], percent, l->pct_on, l->pct,
				  l->pct);
		percent = l->pct;
	}
	if (tracker_implied_percent(TK_ACTION, k->status, percent) != percent) {
		if (percent >= 0)
			diag_warn(&at, "action '%s' is %s: percent %lld read as 100", v[0], k->status,
				  percent);
		percent = 100;
	}
	k->percent = percent;
	k->evidence = tracker_update_evidence(ctx->st, TK_ACTION, v[0], v[9]);
	if (tracker_is_closed(k->status) && !k->evidence) {
		struct item it;
		/* closed by a dated update on the evidence it had then: keep it */
		if (l->found && !tracker_item_load(ctx->st, TK_ACTION, v[0], &it)) {
			k->evidence = it.evidence;
			it.evidence = NULL;
			tracker_item_release(&it);
		}
		if (!k->evidence)
			return bad_record(&ctx->bad, line, 0,
					  "cannot close action '%s' without evidence", v[0]);
	}
	return 1;
}

/* Due dates the file changes on an action already tracked are milestone
 * changes. */
static int action_due_changes(struct ingest_ctx *ctx, const char *const *v, unsigned long line)
{
	struct stmt *s = stmt_prepare(ctx->st, "SELECT due_on, revised_due_on FROM actions"
				      " WHERE action_id = ?1");
	int rc = 0;

	if (!s)
		return -1;
	stmt_bind_text(s, 1, v[0]);
	if (stmt_step(s) == 1 &&
	    (note_due_change(ctx, line, v[0], "due_on", stmt_text(s, 0), v[5]) ||
	     note_due_change(ctx, line, v[0], "revised_due_on", stmt_text(s, 1), v[6])))
		rc = -1;
	stmt_free(s);
	return rc;
}

/* The file's refs replace the action's refs; a row of it kept from an
 * older file must not come back. */
static int action_refs_store(struct ingest_ctx *ctx, const char *const *v, unsigned long line,
			     char *const *ref, int nref)
{
	struct stmt *del = cached(ctx, 1, "DELETE FROM action_refs WHERE action_id = ?1");
	struct stmt *ins = cached(ctx, 2, "INSERT OR IGNORE INTO action_refs (action_id, ref)"
				  " VALUES (?1, ?2)");
	struct stmt *drop = cached(ctx, 3,
		"DELETE FROM tracker_pending WHERE kind = 'actions' AND loaded_by IS NULL"
		" AND substr(fields, 1, length(?1) + 1) = ?1 || char(31)"
		" AND NOT (input_id = ?2 AND line = ?3)");
	int rc;

	if (!del || !ins || !drop)
		return -1;
	stmt_bind_text(del, 1, v[0]);
	rc = step_once(del);
	for (int i = 0; i < nref && !rc; i++) {
		stmt_bind_text(ins, 1, v[0]);
		stmt_bind_text(ins, 2, ref[i]);
		rc = step_once(ins);
	}
	if (rc)
		return -1;
	stmt_bind_text(drop, 1, v[0]);
	stmt_bind_int(drop, 2, ctx->input_id);
	stmt_bind_int(drop, 3, (long long)line);
	return step_once(drop);
}

static int action_store(struct ingest_ctx *ctx, const char *const *v, unsigned long line,
			const struct action_kept *k)
{
	struct stmt *s;

	if (action_due_changes(ctx, v, line))
		return -1;
	s = cached(ctx, 0,
		"INSERT INTO actions (action_id, title, owner_office, owner, due_on,"
		" revised_due_on, status, percent, evidence, input_id, line, risk, resources,"
		" comments) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14)"
		" ON CONFLICT (action_id) DO UPDATE"
		" SET title = ?2, owner_office = ?3, owner = ?4, due_on = ?5,"
		" revised_due_on = ?6, status = ?7, percent = ?8, evidence = ?9,"
		" input_id = ?10, line = ?11, risk = ?12, resources = ?13, comments = ?14");
	if (!s)
		return -1;
	stmt_bind_text(s, 1, v[0]);
	for (int i = 2; i <= 6; i++)
		stmt_bind_text(s, i, opt_text(v[i]));
	stmt_bind_text(s, 7, k->status);
	if (k->percent >= 0)
		stmt_bind_int(s, 8, k->percent);
	else
		stmt_bind_null(s, 8);
	stmt_bind_text(s, 9, k->evidence);
	stmt_bind_int(s, 10, ctx->input_id);
	stmt_bind_int(s, 11, (long long)line);
	for (int i = 10; i <= 12; i++)
		stmt_bind_text(s, i + 2, opt_text(v[i]));
	return step_once(s);
}

static int action_row(struct ingest_ctx *ctx, const char *const *v, unsigned long line)
{
	const char *status = NULL;
	struct action_kept k = { .percent = -1 };
	char *refbuf, *ref[MAX_REFS];
	long long percent;
	int nref, rc;

	if (!*v[0])
		return bad_record(&ctx->bad, line, 0, "empty 'action_id'");
	if (*v[7] && !(status = tracker_norm_status(TK_ACTION, v[7])))
		return bad_enum(ctx, line, "status", v[7], tracker_action_statuses);
	if (check_date(v[5]))
		return bad_date(ctx, line, "due_on", v[5]);
	if (check_date(v[6]))
		return bad_date(ctx, line, "revised_due_on", v[6]);
	if (parse_percent(v[8], &percent))
		return bad_record(&ctx->bad, line, 0, "bad percent '%s' (expected 0 to 100)", v[8]);
	refbuf = xstrdup(v[1]);
	nref = split_refs(refbuf, ref);
	if (nref < 0)
		rc = bad_record(&ctx->bad, line, 0, "more than %d refs", MAX_REFS);
	else if ((rc = action_refs_resolve(ctx, v, line, ref, nref)) == 1 &&
		 (rc = action_keep(ctx, v, line, status, percent, &k)) == 1)
		rc = action_store(ctx, v, line, &k) || action_refs_store(ctx, v, line, ref, nref)
		     ? -1 : 1;
	free(k.evidence);
	free(refbuf);
	if (rc == 1)
		ctx->records++;
	return rc < 0 ? -1 : 0;
}

int load_actions(struct ingest_ctx *ctx)
{
	int rc = ingest_csv(ctx, action_cols, 13, action_row);
	return rc ? rc : retry_pending(ctx, "updates", 6);
}

/* ---- updates.csv ---- */

static const struct csv_col update_cols[] = {
	{ "action_id", 1 }, { "on", 1 }, { "status", 1 }, { "note", 0 }, { "evidence", 0 },
	{ "percent", 0 },
};

static int update_row(struct ingest_ctx *ctx, const char *const *v, unsigned long line)
{
	struct tracker_update u = {
		.id = v[0], .on = v[1], .status = v[2], .note = v[3], .evidence = v[4],
		.percent = -1, .input_id = ctx->input_id, .line = line,
	};
	char why[512];

	if (!*v[0])
		return bad_record(&ctx->bad, line, 0, "empty 'action_id'");
	if (parse_percent(v[5], &u.percent))
		return bad_record(&ctx->bad, line, 0, "bad percent '%s' (expected 0 to 100)", v[5]);
	/* usually an action; a recommendation "REPORT#N" or a case id works too */
	if (tracker_find_item(ctx->st, v[0], &u.kind)) {
		int rc = bad_record(&ctx->bad, line, 0, "'%s' does not resolve (no such action,"
				    " recommendation or case; load actions first; the row is kept"
				    " and loads when it appears)", v[0]);
		return rc ? rc : keep_pending(ctx, line, v[0], v, 6);
	}
	switch (tracker_apply_update(ctx->st, &u, why, sizeof(why))) {
	case TU_ERROR:
		return -1;
	case TU_REFUSED:
		return bad_record(&ctx->bad, line, 0, "%s", why);
	case TU_APPLIED:
	case TU_DUPLICATE:
		break;
	}
	ctx->records++;
	return 0;
}

int load_updates(struct ingest_ctx *ctx)
{
	return ingest_csv(ctx, update_cols, 6, update_row);
}

int tracker_csv_columns(const char *kind, const struct csv_col **cols)
{
	static const struct {
		const char *kind;
		const struct csv_col *cols;
		size_t n;
	} tables[] = {
		{ "recommendations", rec_cols, sizeof(rec_cols) / sizeof(rec_cols[0]) },
		{ "actions", action_cols, sizeof(action_cols) / sizeof(action_cols[0]) },
		{ "updates", update_cols, sizeof(update_cols) / sizeof(update_cols[0]) },
		{ "cases", case_cols, sizeof(case_cols) / sizeof(case_cols[0]) },
	};

	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		if (!strcmp(kind, tables[i].kind)) {
			*cols = tables[i].cols;
			return (int)tables[i].n;
		}
	}
	return 0;
}
