/* Message findings: spec 4.1, one finding a copy at most, first match
 * wins, with the facts of each copy (findings.h). */
#include "an.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "records.h"
#include "rowbatch.h"
#include "xalloc.h"

/* ---- message findings (spec 4.1) ---- */

enum { ROW_DELETION, ROW_DEVICE, ROW_CLOSED, ROW_IMPENDING, ROW_GAP, ROW_NOT_FWD,
       ROW_LATE, ROW_COUNT };

static const enum finding_type row_type[ROW_COUNT] = {
	FT_UNCAPTURED_DELETION, FT_DEVICE_LOSS, FT_ACCOUNT_DELETION, FT_ACCOUNT_DELETION,
	FT_CAPTURE_GAP, FT_NOT_FORWARDED, FT_LATE_FORWARD,
};
static const enum finding_class row_class[ROW_COUNT] = {
	FC_ACTUAL, FC_ACTUAL, FC_ACTUAL, FC_IMPENDING, FC_THREATENED, FC_THREATENED, FC_POLICY,
};

struct group {
	char *account, *device;
	struct acct *ac;
	struct finding_acc f[ROW_COUNT];
	long long loss_first[ROW_COUNT], loss_last[ROW_COUNT];  /* loss events */
	long long retained_max_days[ROW_COUNT];
};

static char *msg_detail(const struct an *a, const struct group *g, int row, const struct finding_acc *f)
{
	char d1[TIME_DATE_LEN], d2[TIME_DATE_LEN], l1[TIME_DATE_LEN], l2[TIME_DATE_LEN];
	const struct acct *ac = g->ac;
	const char *app = ac->app;
	char on[200];
	unsigned long long n = f->count;
	const char *msgs = plural(n, "message", "messages");
	const char *dev = g->device && *g->device ? g->device : NULL;

	fmt_day(f->first_ts, d1);
	fmt_day(f->last_ts, d2);
	fmt_day(g->loss_first[row], l1);
	fmt_day(g->loss_last[row], l2);
	if (dev)
		snprintf(on, sizeof(on), "%s on device %s", ac->account, dev);
	else
		snprintf(on, sizeof(on), "%s", ac->account);
	switch (row) {
	case ROW_DELETION:
		return xasprintf("%llu %s %s of %s (sent or received %s to %s) %s deleted,"
			" expired or burned on the device between %s and %s without a copy in"
			" any recordkeeping system.", n, app, msgs, on, d1, d2,
			plural(n, "was", "were"), l1, l2);
	case ROW_DEVICE: {
		const struct device *d = dev ? dev_get(a, dev) : NULL;
		return xasprintf("The device %s was %s on %s holding %llu %s %s of %s"
			" (%s to %s) never captured.", dev ? dev : "?",
			d && d->status ? d->status : "lost", l1, n, app, msgs, ac->account, d1, d2);
	}
	case ROW_CLOSED:
		return xasprintf("The account %s was closed on %s with %llu %s %s (%s to %s)"
			" never captured.", ac->account, l1, n, app, msgs, d1, d2);
	case ROW_IMPENDING: {
		char c[TIME_DATE_LEN];
		time_fmt_date(ac->closed_day, c);
		return xasprintf("The account %s is scheduled for deletion on %s and holds"
			" %llu %s %s (%s to %s) never captured or exported.",
			ac->account, c, n, app, msgs, d1, d2);
	}
	case ROW_GAP:
		return xasprintf("%llu %s %s of %s (%s to %s) %s missing from the compliance"
			" store although the account is captured by the archiver.",
			n, app, msgs, on, d1, d2, plural(n, "is", "are"));
	case ROW_NOT_FWD:
		return xasprintf("%llu %s %s of %s (%s to %s) %s not forwarded or exported to"
			" an official account within %d days (44 U.S.C. 2911).",
			n, app, msgs, on, d1, d2, plural(n, "was", "were"), a->r->window_days);
	default:
		return xasprintf("%llu %s %s of %s (%s to %s) reached official recordkeeping"
			" more than %d days after they were sent, up to %lld days (44 U.S.C. 2911).",
			n, app, msgs, on, d1, d2, a->r->window_days, g->retained_max_days[row]);
	}
}

static int group_flush(struct an *a, struct group *g)
{
	int rc = 0;

	for (int row = 0; row < ROW_COUNT; row++) {
		if (!g->f[row].used)
			continue;
		char *detail = msg_detail(a, g, row, &g->f[row]);
		if (finding_end(&a->w, &g->f[row], detail))
			rc = -1;
		free(detail);
	}
	free(g->account);
	free(g->device);
	g->account = g->device = NULL;
	return rc;
}

/* The copy's device "" and NULL are the same group. */
static int same_group(const struct group *g, const char *account, const char *device)
{
	if (!g->account || strcmp(g->account, account))
		return 0;
	const char *gd = g->device ? g->device : "";
	return !strcmp(gd, device ? device : "");
}

/* One candidate copy as the resolving query gives it (column order of
   CAND_SQL). */
struct cand {
	const char *account, *device, *mid, *conv, *app;
	long long ts, day, input_id, line;
	int received, bound;
	int has_store, store_kept, has_del, has_fwd, has_exp;
	long long store_day, del_ts, del_in, del_line, fwd_ts, fwd_in, fwd_line;
	long long exp_ts, exp_in, exp_line;
	int del_kind;
	/* the facts of the copy's, the deletion's, the forward's and the
	   export's lines (an.h), resolved */
	struct line_facts lf, del_lf, fwd_lf, exp_lf;
};

/* What 4.1 decides for a copy: its row (-1: no finding), the loss or
   retention behind it (evidence), and the facts stored with the copy. */
struct verdict {
	int row;
	long long loss;                 /* LLONG_MAX: no loss event (rows 4-7) */
	long long ev_in, ev_line;       /* the loss or retaining event's row */
	enum ev_src ev_src;             /* its table and facts */
	struct line_facts ev_lf;
	long long retained_days;        /* row 7: day(retained) - day(t) */
	struct finding_copy_facts facts;
};

/* The facts at columns i..i+2 (fev, fmid, fts), the row's own when NULL
   (a line of one row, an.h). */
static void read_facts(struct stmt *s, int i, struct line_facts *lf, const char *event,
		       const char *mid, long long ts)
{
	int own = stmt_is_null(s, i);
	lf->event = own ? event : stmt_text(s, i);
	lf->mid = own ? mid : stmt_text(s, i + 1);
	lf->ts = own ? ts : stmt_is_null(s, i + 2) ? FINDING_NO_TS : stmt_int(s, i + 2);
}

static void read_cand(struct stmt *s, struct cand *c)
{
	memset(c, 0, sizeof(*c));
	c->account = stmt_text(s, 0);
	c->device = stmt_text(s, 1);
	c->mid = stmt_text(s, 2);
	c->ts = stmt_int(s, 3);
	c->day = time_day(c->ts);
	c->conv = stmt_text(s, 4);
	c->input_id = stmt_int(s, 5);
	c->line = stmt_int(s, 6);
	c->has_store = !stmt_is_null(s, 7);
	c->store_day = stmt_int(s, 7);
	c->app = stmt_text(s, 8);
	c->received = stmt_int(s, 9) == EV_RECEIVED;
	c->store_kept = stmt_int(s, 10) != 0;
	c->bound = stmt_int(s, 11) != 0;
	read_facts(s, 12, &c->lf, c->received ? "received" : "sent", c->mid, c->ts);
}

/* The forward or the export of the copy: a row of FWD_SQL or EXP_SQL. */
static void read_fwd(struct stmt *s, struct cand *c)
{
	c->has_fwd = 1;
	c->fwd_ts = stmt_int(s, 0);
	c->fwd_in = stmt_int(s, 1);
	c->fwd_line = stmt_int(s, 2);
	read_facts(s, 3, &c->fwd_lf, "forwarded", c->mid, c->fwd_ts);
}

static void read_exp(struct stmt *s, struct cand *c)
{
	c->has_exp = 1;
	c->exp_ts = stmt_int(s, 0);
	c->exp_in = stmt_int(s, 1);
	c->exp_line = stmt_int(s, 2);
	read_facts(s, 3, &c->exp_lf, NULL, NULL, FINDING_NO_TS);
}

/* The deletion of the copy: a row of DEL_SQL or DEL_ONE_SQL. */
static void read_del(struct stmt *s, struct cand *c)
{
	c->has_del = 1;
	c->del_ts = stmt_int(s, 2);
	c->del_in = stmt_int(s, 3);
	c->del_line = stmt_int(s, 4);
	c->del_kind = (int)stmt_int(s, 5);
	read_facts(s, 6, &c->del_lf, c->del_kind >= 0 && c->del_kind < EV_COUNT ?
		   usage_kind_names[c->del_kind] : NULL, c->mid, c->del_ts);
}

static void set_loss(struct verdict *v, int row, long long ts, enum copy_loss kind,
		     long long in, long long line, enum ev_src src, const struct line_facts *lf)
{
	v->row = row;
	v->loss = ts;
	v->facts.loss = kind;
	v->facts.loss_ts = ts;
	v->ev_in = in;
	v->ev_line = line;
	v->ev_src = src;
	if (lf)
		v->ev_lf = *lf;
}

/* Rows 1-6 for a copy no recordkeeping system has: the earliest loss event
   wins, ties to the lower row; a date-only input is the start of its day. */
static void judge_lost(const struct an *a, const struct acct *ac, const struct cand *c,
		       struct verdict *v)
{
	if (c->has_del)
		set_loss(v, ROW_DELETION, c->del_ts, c->del_kind == EV_EXPIRED ? LOSS_EXPIRED :
			 c->del_kind == EV_BURNED ? LOSS_BURNED : LOSS_DELETED, c->del_in,
			 c->del_line, EVS_USAGE, &c->del_lf);
	const struct device *d = c->device ? dev_get(a, c->device) : NULL;
	if (d && d->lost && d->status_day != NO_DAY && d->status_day >= c->day &&
	    d->status_day <= a->asof_day && d->status_day * DAY < v->loss)
		set_loss(v, ROW_DEVICE, d->status_day * DAY, copy_loss_of_device_status(d->status),
			 d->input_id, d->line, EVS_OTHER, NULL);
	if (ac->closed_day != NO_DAY && ac->closed_day >= c->day &&
	    ac->closed_day <= a->asof_day && ac->closed_day * DAY < v->loss)
		set_loss(v, ROW_CLOSED, ac->closed_day * DAY, LOSS_ACCOUNT_CLOSED, ac->input_id,
			 ac->line, EVS_OTHER, NULL);
	for (size_t k = 0; k < ac->ndeleted; k++) {
		const struct ev_ref *e = &ac->deleted[k];
		if (e->ts >= c->ts && e->ts < v->loss) {
			struct line_facts lf = { e->event, e->mid, e->fts };
			set_loss(v, ROW_CLOSED, e->ts, LOSS_ACCOUNT_DELETED, e->input_id, e->line,
				 e->src, &lf);
		}
	}
	if (v->row >= 0)
		return;
	v->facts.survives |= FINDING_SURVIVES_DEVICE;
	if (ac->closed_day != NO_DAY && ac->closed_day > a->asof_day) {
		v->row = ROW_IMPENDING;
		v->facts.loss = LOSS_SCHEDULED_DELETION;
		v->facts.loss_ts = ac->closed_day * DAY;
	} else if (ac->capture == CAP_ARCHIVER) {
		v->row = ROW_GAP;
	} else if (a->asof_day - c->day > a->r->window_days) {
		v->row = ROW_NOT_FWD;
	}
}

/* Row 7 for a retained copy: the earliest of the store's capture day, the
   forward and the export (ties: that order). */
static void judge_retained(const struct an *a, const struct acct *ac, const struct cand *c,
			   struct verdict *v)
{
	long long rday = LLONG_MAX;

	if (c->has_store) {
		rday = c->store_day;
		v->facts.retained = RET_STORE;
		v->facts.retained_ts = c->store_day * DAY;
	}
	if (c->has_fwd && time_day(c->fwd_ts) < rday) {
		rday = time_day(c->fwd_ts);
		v->facts.retained = RET_FORWARD;
		v->facts.retained_ts = c->fwd_ts;
		v->ev_in = c->fwd_in;
		v->ev_line = c->fwd_line;
		v->ev_src = EVS_USAGE;
		v->ev_lf = c->fwd_lf;
	}
	if (c->has_exp && time_day(c->exp_ts) < rday) {
		rday = time_day(c->exp_ts);
		v->facts.retained = RET_EXPORT;
		v->facts.retained_ts = c->exp_ts;
		v->ev_in = c->exp_in;
		v->ev_line = c->exp_line;
		v->ev_src = EVS_USAGE;
		v->ev_lf = c->exp_lf;
	}
	v->facts.survives |= FINDING_SURVIVES_DEVICE;
	if (ac->capture != CAP_ARCHIVER && rday - c->day > a->r->window_days) {
		v->row = ROW_LATE;
		v->retained_days = rday - c->day;
	}
}

static void judge(const struct an *a, const struct acct *ac, const struct cand *c,
		  struct verdict *v)
{
	memset(v, 0, sizeof(*v));
	v->row = -1;
	v->loss = LLONG_MAX;
	v->facts.account = c->account;
	v->facts.message_id = c->mid;
	v->facts.conversation_id = c->conv;
	v->facts.ts = c->ts;
	v->facts.ts_bound = c->bound;
	v->facts.direction = c->received ? COPY_RECEIVED : COPY_SENT;
	v->facts.loss_ts = FINDING_NO_TS;
	v->facts.retained_ts = FINDING_NO_TS;
	if (c->has_store && c->store_kept)
		v->facts.survives |= FINDING_SURVIVES_STORE;
	if (c->has_fwd)
		v->facts.survives |= FINDING_SURVIVES_FORWARD;
	if (c->has_exp)
		v->facts.survives |= FINDING_SURVIVES_EXPORT;
	if (c->has_store || c->has_fwd || c->has_exp)
		judge_retained(a, ac, c, v);
	else
		judge_lost(a, ac, c, v);
}

/* Add the copy to the group's finding of its row (begun on first use). */
static int add_copy(struct an *a, struct group *g, const struct verdict *v,
		    const struct cand *c)
{
	int row = v->row;
	struct finding_acc *f = &g->f[row];

	if (!f->used) {
		const struct acct *ac = g->ac;
		char *key = xasprintf("%s|%s", g->account, g->device ? g->device : "");
		struct finding_who w = { ac->office, ac->custodian_id, ac->account, ac->app,
					 g->device && *g->device ? g->device : NULL };
		int rc = finding_begin(&a->w, f, row_type[row], row_class[row], key, &w);
		free(key);
		g->loss_first[row] = LLONG_MAX;
		g->loss_last[row] = LLONG_MIN;
		g->retained_max_days[row] = 0;
		if (rc)
			return -1;
		if (ac->known && row >= ROW_CLOSED &&
		    an_evidence(a, f, ac->input_id, ac->line, EVS_OTHER, NULL))
			return -1;
	}
	if (finding_copy(&a->w, f, &v->facts) ||
	    an_evidence(a, f, c->input_id, c->line, EVS_USAGE, &c->lf))
		return -1;
	if (row == ROW_LATE && v->retained_days > g->retained_max_days[row])
		g->retained_max_days[row] = v->retained_days;
	if (v->loss != LLONG_MAX) {
		if (v->loss < g->loss_first[row])
			g->loss_first[row] = v->loss;
		if (v->loss > g->loss_last[row])
			g->loss_last[row] = v->loss;
	}
	if (v->loss != LLONG_MAX || row == ROW_LATE)
		return an_evidence(a, f, v->ev_in, v->ev_line, v->ev_src, &v->ev_lf);
	return 0;
}

/* The candidates in (account, mid) order (one sort for the whole query),
   the earliest event of each account and message first (ties: load
   order): the pass judges that one and skips the others (msg_repeat), one
   row per copy; a plain sort, not a GROUP BY, whose aggregate step per row
   cost a third more. The device groups of one account are kept side by
   side in C, so no second sort is needed, and the deletions are merged in
   (DEL_SQL). An account seen twice would fail loudly on the findings key,
   never split a finding silently. */
#define CAND_SQL \
	"SELECT account, device, mid, ts, conv, input_id, line, store_day, app, dir," \
	" store_kept, bound, fev, fmid, fts FROM an_cand ORDER BY account, mid, ts, rowid"

/* The first forward of the copy's message, and the first export of its
   conversation at or after the copy: looked up only when the usage pass
   saw one for that message or conversation (struct an's filters). */
#define FWD_SQL "SELECT ts, input_id, line, fev, fmid, fts FROM an_fwd WHERE mid = ?1" \
	" ORDER BY ts, rowid LIMIT 1"
#define EXP_SQL "SELECT ts, input_id, line, fev, fmid, fts FROM an_exp WHERE conv = ?1" \
	" AND ts >= ?2 ORDER BY ts, rowid LIMIT 1"

/* The first deletion by the copy's account of its message at or after the
   copy: read alongside the candidates in the same (account, mid) order
   (and by time, then load order, as the index gives them); one lookup a
   copy (DEL_ONE_SQL) should the candidates come in another order. */
#define DEL_COLS "account, mid, ts, input_id, line, kind, fev, fmid, fts FROM an_del"
#define DEL_SQL "SELECT " DEL_COLS " ORDER BY account, mid, ts, rowid"
#define DEL_ONE_SQL "SELECT " DEL_COLS " WHERE account = ?1 AND mid = ?2 AND ts >= ?3" \
	" ORDER BY ts, rowid LIMIT 1"

/* The statements of the message pass. */
struct msg_pass {
	struct stmt *cand;
	struct rowbatch *gap, *alive;   /* written in batches, flushed after the pass */
	struct stmt *del, *del_one, *fwd, *exp;
	int del_row;                    /* del is on a row (1), at its end (0) */
	int merge;                      /* 0: the candidates left (account, mid) order */
	char *prev_mid;                 /* the previous candidate's */
	size_t prev_alloc;
	char *key_mid;                  /* the mid of the copy judged last */
	size_t key_alloc;
	struct group *groups;
	size_t ngroups, galloc;
	char *cur;                      /* the account of groups[] */
	long long *exports;             /* input_ids of chat exports */
	size_t nexports, xalloc;
};

/* The inputs whose files are chat exports the agency holds: a message read
 * from one survives in it (the file is the copy), unless the file shows
 * only its tombstone (a deletion from the same file). */
static const char *const EXPORT_KINDS_SQL =
	"SELECT input_id FROM main.inputs WHERE kind IN ('whatsapp', 'slack', 'teams')";

static int load_exports(struct an *a, struct msg_pass *p)
{
	struct stmt *s = stmt_prepare(a->st, EXPORT_KINDS_SQL);
	int rc;

	if (!s)
		return -1;
	while ((rc = stmt_step(s)) == 1) {
		p->exports = xgrow(p->exports, p->nexports + 1, &p->xalloc, sizeof(*p->exports));
		p->exports[p->nexports++] = stmt_int(s, 0);
	}
	stmt_free(s);
	return rc < 0 ? -1 : 0;
}

static int export_input(const struct msg_pass *p, long long input_id)
{
	for (size_t i = 0; i < p->nexports; i++)
		if (p->exports[i] == input_id)
			return 1;
	return 0;
}

/* The export's facts of a copy read from it: it survives there, unless the
 * file holds only its tombstone; a tombstone of a received copy is the
 * sender's deletion ("This message was deleted"), not the custodian's. */
static void export_facts(const struct msg_pass *p, const struct cand *c, struct verdict *v)
{
	if (!export_input(p, c->input_id))
		return;
	if (!c->has_del || c->del_in != c->input_id)
		v->facts.survives |= FINDING_SURVIVES_EXPORT;
	else if (c->received && v->facts.loss == LOSS_DELETED)
		v->facts.loss = LOSS_DELETED_BY_SENDER;
}

static void msg_pass_free(struct msg_pass *p)
{
	for (size_t i = 0; i < p->ngroups; i++) {
		free(p->groups[i].account);
		free(p->groups[i].device);
		for (int r = 0; r < ROW_COUNT; r++)
			finding_drop(&p->groups[i].f[r]);
	}
	free(p->groups);
	free(p->cur);
	free(p->exports);
	stmt_free(p->cand);
	rowbatch_free(p->gap);
	rowbatch_free(p->alive);
	stmt_free(p->del);
	stmt_free(p->del_one);
	stmt_free(p->fwd);
	stmt_free(p->exp);
	free(p->prev_mid);
	free(p->key_mid);
}

/* The group of the copy's account and device; the groups of the previous
   account are flushed first. NULL on error. */
static struct group *msg_group(struct an *a, struct msg_pass *p, const struct cand *c)
{
	if (!p->cur || strcmp(p->cur, c->account)) {
		for (size_t i = 0; i < p->ngroups; i++)
			if (group_flush(a, &p->groups[i]))
				return NULL;
		p->ngroups = 0;
		free(p->cur);
		p->cur = xstrdup(c->account);
	}
	for (size_t i = 0; i < p->ngroups; i++)
		if (same_group(&p->groups[i], c->account, c->device))
			return &p->groups[i];
	p->groups = xgrow(p->groups, p->ngroups + 1, &p->galloc, sizeof(*p->groups));
	struct group *g = &p->groups[p->ngroups++];
	memset(g, 0, sizeof(*g));
	g->account = xstrdup(c->account);
	g->device = xstrdup(c->device);
	g->ac = acct_get(a, c->account, NULL);
	return g;
}

/* 1 when the candidate is a later event of the copy judged last (the same
   account, in p->cur, and mid): CAND_SQL gives the earliest first. */
static int msg_repeat(struct msg_pass *p, const struct cand *c)
{
	if (p->cur && p->key_mid && !strcmp(p->key_mid, c->mid) && !strcmp(p->cur, c->account))
		return 1;
	size_t len = strlen(c->mid) + 1;
	p->key_mid = xgrow(p->key_mid, len, &p->key_alloc, 1);
	memcpy(p->key_mid, c->mid, len);
	return 0;
}

/* The side rows of a copy: a missing archiver copy for CAPTURE_OUTAGE, a
   copy still held for the survives bits of the other accounts' copies. */
static int msg_side_rows(struct msg_pass *p, const struct acct *ac, const struct cand *c,
			 const struct verdict *v)
{
	int retained = c->has_store || c->has_fwd || c->has_exp;

	if (!retained && ac->capture == CAP_ARCHIVER && c->app) {
		struct rowbatch *b = p->gap;
		rowbatch_text(b, c->app);
		rowbatch_int(b, c->ts);
		rowbatch_text(b, c->account);
		rowbatch_text(b, c->mid);
		rowbatch_text(b, c->conv);
		rowbatch_int(b, c->input_id);
		rowbatch_int(b, c->line);
		rowbatch_text(b, c->lf.event);
		rowbatch_text(b, c->lf.mid);
		rowbatch_int(b, c->lf.ts);
		if (rowbatch_row(b))
			return -1;
	}
	if (v->facts.survives & FINDING_SURVIVES_DEVICE) {
		rowbatch_text(p->alive, c->mid);
		rowbatch_text(p->alive, c->account);
		if (rowbatch_row(p->alive))
			return -1;
	}
	return 0;
}

/* One lookup of a copy's deletion, forward or export: its row is read into
   c and stays the statement's (its texts valid) until the next lookup. */
static int msg_lookup(struct stmt *s, const char *k1, const char *k2, long long ts,
		      struct cand *c, void (*read)(struct stmt *, struct cand *))
{
	int i = 1;
	stmt_reset(s);
	stmt_bind_text(s, i++, k1);
	if (k2)
		stmt_bind_text(s, i++, k2);
	if (ts != LLONG_MIN)
		stmt_bind_int(s, i, ts);
	int rc = stmt_step(s);
	if (rc == 1)
		read(s, c);
	return rc < 0 ? -1 : 0;
}

/* (account, mid) against the deletion cursor's row: SQLite's BINARY
   order, which strcmp gives for texts without NUL. */
static int key_cmp(const char *acc, const char *mid, struct stmt *d)
{
	int c = strcmp(acc, stmt_text(d, 0));
	return c ? c : strcmp(mid, stmt_text(d, 1));
}

/* The copy's deletion (c->has_del), merged or looked up. */
static int msg_deletion(struct msg_pass *p, struct cand *c)
{
	if (p->merge && p->prev_mid) {
		int o = strcmp(p->cur, c->account);
		if (o > 0 || (o == 0 && strcmp(p->prev_mid, c->mid) >= 0))
			p->merge = 0;
	}
	if (!p->merge)
		return msg_lookup(p->del_one, c->account, c->mid, c->ts, c, read_del);
	size_t len = strlen(c->mid) + 1;
	p->prev_mid = xgrow(p->prev_mid, len, &p->prev_alloc, 1);
	memcpy(p->prev_mid, c->mid, len);
	int k = -1;
	while (p->del_row == 1 && ((k = key_cmp(c->account, c->mid, p->del)) > 0 ||
				   (k == 0 && stmt_int(p->del, 2) < c->ts)))
		p->del_row = stmt_step(p->del);
	if (p->del_row < 0)
		return -1;
	if (p->del_row == 1 && k == 0)
		read_del(p->del, c);
	return 0;
}

/* The copy's forward and export, where the filters say one may exist. */
static int msg_retained(const struct an *a, struct msg_pass *p, struct cand *c)
{
	if (filter_may(&a->fwd_keys, an_key_hash(c->mid)) &&
	    msg_lookup(p->fwd, c->mid, NULL, LLONG_MIN, c, read_fwd))
		return -1;
	if (c->conv && filter_may(&a->exp_keys, hash_str64(c->conv)) &&
	    msg_lookup(p->exp, c->conv, NULL, c->ts, c, read_exp))
		return -1;
	return 0;
}

/* After the pass: a copy whose message another account still holds (all
   the accounts of a message are known only then), OR-ed in as the staged
   copies move into finding_copies. */
static int mark_other_holders(struct an *a)
{
	char expr[200];

	if (store_exec(a->st, "CREATE INDEX temp.an_alive_i ON an_alive (mid, account)"))
		return -1;
	snprintf(expr, sizeof(expr), "CASE WHEN EXISTS (SELECT 1 FROM temp.an_alive x"
		 " WHERE x.mid = c.message_id AND x.account != c.account) THEN %u ELSE 0 END",
		 FINDING_SURVIVES_OTHER);
	return findings_copies_commit(&a->w, expr);
}

int message_findings(struct an *a)
{
	static const char *const prep[] = {
		"CREATE INDEX temp.an_del_i ON an_del (account, mid, ts)",
		"CREATE INDEX temp.an_fwd_i ON an_fwd (mid, ts)",
		"CREATE INDEX temp.an_exp_i ON an_exp (conv, ts)",
		NULL
	};
	struct msg_pass p;
	int rc;

	for (int i = 0; prep[i]; i++)
		if (store_exec(a->st, prep[i]))
			return -1;
	phase("  candidate indexes");
	memset(&p, 0, sizeof(p));
	p.cand = stmt_prepare(a->st, CAND_SQL);
	p.gap = rowbatch_open(a->st, "INSERT INTO temp.an_gap (app, ts, account, mid, conv,"
			      " input_id, line, fev, fmid, fts)", 10, 64);
	p.alive = rowbatch_open(a->st, "INSERT INTO temp.an_alive (mid, account)", 2, 256);
	p.del = stmt_prepare(a->st, DEL_SQL);
	p.del_one = stmt_prepare(a->st, DEL_ONE_SQL);
	p.fwd = stmt_prepare(a->st, FWD_SQL);
	p.exp = stmt_prepare(a->st, EXP_SQL);
	p.merge = 1;
	if (!p.cand || !p.del || !p.del_one || !p.fwd || !p.exp ||
	    load_exports(a, &p) ||
	    (p.del_row = stmt_step(p.del)) < 0) {
		msg_pass_free(&p);
		return -1;
	}
	while ((rc = stmt_step(p.cand)) == 1) {
		struct cand c;
		struct verdict v;
		read_cand(p.cand, &c);
		if (msg_repeat(&p, &c))
			continue;
		if (msg_deletion(&p, &c) || msg_retained(a, &p, &c))
			break;
		struct group *g = msg_group(a, &p, &c);
		if (!g)
			break;
		judge(a, g->ac, &c, &v);
		export_facts(&p, &c, &v);
		if (c.has_store || c.has_fwd || c.has_exp) {
			if (g->ac->capture == CAP_ARCHIVER && c.app)
				secmap_set(app_secs(a, c.app), c.ts);
		}
		if (msg_side_rows(&p, g->ac, &c, &v) ||
		    (v.row >= 0 && add_copy(a, g, &v, &c)))
			break;
	}
	if (rc == 0) {
		for (size_t i = 0; i < p.ngroups && rc == 0; i++)
			rc = group_flush(a, &p.groups[i]);
		p.ngroups = 0;
		if (rc == 0 && (rowbatch_flush(p.gap) || rowbatch_flush(p.alive)))
			rc = -1;
	} else {
		rc = -1;
	}
	msg_pass_free(&p);
	return rc ? -1 : mark_other_holders(a);
}

