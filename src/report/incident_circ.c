/* incident_circ: sections 3 and 4 of the incident report (see incident.h). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "findings.h"
#include "hashmap.h"
#include "incident.h"
#include "pdf.h"
#include "store.h"
#include "strbuf.h"
#include "xalloc.h"

/* ---- 3. Circumstances ------------------------------------------------------- */

/* How each finding type is grouped into sentences: one per app (all its
 * custodians together), device, account, or finding. */
struct type_group {
	const char *type, *class;      /* class NULL: any */
	const char *key;               /* column of case_findings and case_copies */
};

static const struct type_group groups[] = {
	{ "UNCAPTURED_DELETION", NULL, "app" },
	{ "DEVICE_LOSS", NULL, "device_id" },
	{ "ACCOUNT_DELETION", "actual", "account" },
	{ "ACCOUNT_DELETION", "impending", "account" },
	{ "EARLY_PURGE", NULL, "account" },
	{ "CAPTURE_GAP", NULL, "app" },
	{ "CAPTURE_OUTAGE", NULL, "finding_id" },
	{ "NOT_FORWARDED", NULL, "app" },
	{ "RETENTION_SHORTFALL", NULL, "finding_id" },
	{ "EPHEMERAL_ENABLED", NULL, "account" },
	{ "LATE_FORWARD", NULL, "app" },
	{ "PROHIBITED_APP", NULL, "finding_id" },
	{ "UNAPPROVED_APP", NULL, "app" },
};

/* What analyze stored about the losses of the case's copies, by group key
 * (app or account), findings.h. lo..hi: the loss times. By app
 * (UNCAPTURED_DELETION): the deletions' times, and how many copies each
 * event took (deleted by the custodian, by the sender, expired, burned)
 * and how many have no date. By account (ACCOUNT_DELETION): lo the closure or
 * account_deleted event, -1 when none, and which it was; hi the closed_on
 * date (also a scheduled one), 0 when none. */
enum { EV_SELF, EV_OTHER, EV_EXPIRED, EV_BURNED, EV_COUNT };

struct loss_stat {
	long long lo, hi;
	long long n[EV_COUNT], undated;
	long long bound;                /* copies sent no later than ts (findings.h ts_bound) */
	enum copy_loss lo_kind;         /* the loss at lo */
};

struct loss_map {
	struct strmap idx;              /* key -> index in v */
	struct loss_stat *v;
	size_t n, alloc;
};

static struct loss_stat *loss_slot(struct loss_map *m, const char *key)
{
	int is_new;
	size_t *i = strmap_slot(&m->idx, key ? key : "", &is_new);

	if (is_new) {
		m->v = xgrow(m->v, m->n + 1, &m->alloc, sizeof(*m->v));
		memset(&m->v[m->n], 0, sizeof(m->v[m->n]));
		m->v[m->n].lo = -1;
		*i = m->n++;
	}
	return &m->v[*i];
}

static const struct loss_stat *loss_find(const struct loss_map *m, const char *key)
{
	const size_t *i = strmap_get(&m->idx, key ? key : "");
	return i ? &m->v[*i] : NULL;
}

static void loss_map_free(struct loss_map *m)
{
	strmap_clear(&m->idx);
	free(m->v);
}

/* The event of a deletion as analyze stored it (findings.h). */
static int deletion_event(const struct finding_copy_row *r)
{
	if (r->loss == LOSS_EXPIRED)
		return EV_EXPIRED;
	if (r->loss == LOSS_BURNED)
		return EV_BURNED;
	return r->loss == LOSS_DELETED_BY_SENDER ? EV_OTHER : EV_SELF;
}

/* One copy's loss into its group's stat. */
static void add_loss(struct loss_stat *ls, const struct finding_copy_row *r, int by_account)
{
	long long t = r->loss_ts;

	if (!by_account) {
		ls->n[deletion_event(r)]++;
		ls->bound += r->ts_bound != 0;
		if (t == FINDING_NO_TS) {
			ls->undated++;
		} else {
			ls->hi = ls->lo < 0 || t > ls->hi ? t : ls->hi;
			ls->lo = ls->lo < 0 || t < ls->lo ? t : ls->lo;
		}
		return;
	}
	if (t == FINDING_NO_TS)
		return;
	if ((r->loss == LOSS_ACCOUNT_CLOSED || r->loss == LOSS_ACCOUNT_DELETED) &&
	    (ls->lo < 0 || t < ls->lo)) {
		ls->lo = t;
		ls->lo_kind = r->loss;
	}
	if ((r->loss == LOSS_ACCOUNT_CLOSED || r->loss == LOSS_SCHEDULED_DELETION) && t > ls->hi)
		ls->hi = t;
}

/* The losses of the case's copies of one type (see struct loss_stat). */
static int stored_losses(struct case_ctx *c, const char *type, int by_account,
			 struct loss_map *m)
{
	const char *types[1] = { type };
	struct finding_filter flt = c->flt;
	struct finding_copy_row r;
	struct findings_cursor *cur;
	int rc;

	flt.types = types;
	flt.ntypes = 1;
	if (!(cur = finding_copies_open(c->st, &flt, NULL)))
		return -1;
	while ((rc = finding_copies_next(cur, &r)) == 1)
		if (r.loss != LOSS_NONE)
			add_loss(loss_slot(m, by_account ? r.account : r.app), &r, by_account);
	findings_close(cur);
	return rc < 0 ? -1 : 0;
}

/* "Dana Reyes", "Dana Reyes, Marcus Bell and Priya Natarajan", or "7
 * custodians" for a group of findings. */
static void custodians_phrase(struct case_ctx *c, const struct type_group *g, const char *key,
			      long long n, struct strbuf *out)
{
	char buf[64];
	struct strbuf sql = STRBUF_INIT;
	struct stmt *s;
	int i = 0;

	strbuf_reset(out);
	if (n < 1 || n > MAX_NAMES_LISTED) {
		strbuf_addstr(out, casereport_count(c, buf, sizeof(buf), n, "custodian",
						    "custodians"));
		return;
	}
	strbuf_addf(&sql, "SELECT coalesce(" INC_CUSTODIAN_NAME("f") ", f.custodian_id) AS nm"
		    " FROM temp.case_findings f WHERE f.type = ?1 AND (?2 IS NULL OR f.class = ?2)"
		    " AND coalesce(f.%s, '') = ?3 AND f.custodian_id IS NOT NULL"
		    " GROUP BY f.custodian_id ORDER BY min(f.first_ts), f.custodian_id", g->key);
	s = stmt_prepare(c->st, sql.buf);
	strbuf_release(&sql);
	if (!s)
		return;
	stmt_bind_text(s, 1, g->type);
	stmt_bind_text(s, 2, g->class);
	stmt_bind_text(s, 3, key);
	while (stmt_step(s) == 1) {
		const char *nm = stmt_text(s, 0);
		if (i++)
			strbuf_addstr(out, i == n ? " and " : ", ");
		strbuf_addstr(out, nm ? nm : "");
	}
	stmt_free(s);
	if (n > 1) {
		/* "3 custodians (A, B and C)" */
		char *names = strbuf_detach(out);
		strbuf_addf(out, "%s (%s)", casereport_count(c, buf, sizeof(buf), n, "custodian",
							      "custodians"), names);
		free(names);
	}
}

/* The template of a type: "TYPE.class", else "TYPE". */
static const char *template_key(struct case_ctx *c, const char *type, const char *class,
				char *buf, size_t len)
{
	snprintf(buf, len, "%s.%s", type, class);
	if (reportdef_count(c->def, "circumstances", buf))
		return buf;
	return type;
}

/* One group of findings of a type, as the group query gives it. */
struct group_row {
	const char *key, *class, *device, *account, *app, *status, *status_on, *model;
	long long nf, n, ncust, first, last, nmsg, conv;
	int dated;                      /* first/last known */
};

/* The groups of one type: counts, dates, who and the device. */
static struct stmt *group_stmt(struct case_ctx *c, const struct type_group *g)
{
	struct strbuf sql = STRBUF_INIT;
	struct stmt *s;

	strbuf_addf(&sql,
		"SELECT g.k, g.class, g.nf, g.n, g.ncust, g.first, g.last, g.device, g.account,"
		" g.app, d.nmsg, g.conv, g.cust,"
		" (SELECT status FROM main.device_state v WHERE v.device_id = g.device),"
		" (SELECT status_on FROM main.device_state v WHERE v.device_id = g.device),"
		" (SELECT model FROM main.device_state v WHERE v.device_id = g.device)"
		" FROM (SELECT coalesce(%s, '') AS k, min(class) AS class, count(*) AS nf,"
		"  sum(message_count) AS n, count(DISTINCT custodian_id) AS ncust,"
		"  min(first_ts) AS first, max(last_ts) AS last, min(device_id) AS device,"
		"  min(account) AS account, min(app) AS app, sum(conversation_count) AS conv,"
		"  min(custodian_id) AS cust"
		"  FROM temp.case_findings WHERE type = ?1 AND (?2 IS NULL OR class = ?2)"
		"  GROUP BY k) g"
		" LEFT JOIN (SELECT coalesce(%s, '') AS k, count(DISTINCT message_id) AS nmsg"
		"  FROM temp.case_copies WHERE type = ?1 AND (?2 IS NULL OR class = ?2)"
		"  GROUP BY k) d ON d.k = g.k"
		" ORDER BY g.first, g.k", g->key, g->key);
	s = stmt_prepare(c->st, sql.buf);
	strbuf_release(&sql);
	if (s) {
		stmt_bind_text(s, 1, g->type);
		stmt_bind_text(s, 2, g->class);
	}
	return s;
}

static void read_group_row(struct stmt *s, struct group_row *r)
{
	r->key = stmt_text(s, 0);
	r->class = stmt_text(s, 1);
	r->nf = stmt_int(s, 2);
	r->n = stmt_int(s, 3);
	r->ncust = stmt_int(s, 4);
	r->dated = !stmt_is_null(s, 5);
	r->first = stmt_int(s, 5);
	r->last = stmt_int(s, 6);
	r->device = stmt_text(s, 7);
	r->account = stmt_text(s, 8);
	r->app = stmt_text(s, 9);
	r->nmsg = stmt_int(s, 10);
	r->conv = stmt_int(s, 11);
	r->status = stmt_text(s, 13);
	r->status_on = stmt_text(s, 14);
	r->model = stmt_text(s, 15);
}

/* {n_messages} {count} {n_store_rows} {were} {are} {n_group_findings}
 * {distinct_note} {n_group_conversations} {custodians_of} */
static void group_count_vars(struct case_ctx *c, const struct type_group *g,
			     const struct group_row *r, struct strbuf *who)
{
	char buf[96];

	/* copies and messages never mixed: "526 message copies (513 messages)"
	   when a message has several copies, else "13 messages" */
	if (r->nmsg && r->nmsg < r->n) {
		casereport_var(c, "n_messages", casereport_count(c, buf, sizeof(buf), r->n, "copy",
								 "copies"));
		casereport_varf(c, "distinct_note", " (%s)", casereport_count(c, buf,
				sizeof(buf), r->nmsg, "message", "messages"));
	} else {
		casereport_var(c, "n_messages", casereport_count(c, buf, sizeof(buf), r->n,
								 "message", "messages"));
		casereport_var(c, "distinct_note", "");
	}
	casereport_varf(c, "count", "%lld", r->n);
	casereport_var(c, "n_store_rows", casereport_count(c, buf, sizeof(buf), r->n,
							   "store row", "store rows"));
	casereport_var(c, "were", r->n == 1 ? "was" : "were");
	casereport_var(c, "are", r->n == 1 ? "is" : "are");
	casereport_var(c, "their", r->n == 1 ? "its" : "their");
	casereport_var(c, "n_copies", casereport_count(c, buf, sizeof(buf), r->n, "copy",
						       "copies"));
	casereport_var(c, "n_group_findings", casereport_count(c, buf, sizeof(buf), r->nf,
							       "finding", "findings"));
	casereport_var(c, "n_group_conversations", casereport_count(c, buf, sizeof(buf),
		       r->conv, "conversation", "conversations"));
	custodians_phrase(c, g, r->key, r->ncust, who);
	casereport_var(c, "custodians_of", who->buf);
}

/* "August 10, 2021 at 00:00 UTC" ([words] at). */
static const char *long_time(struct case_ctx *c, long long ts, char *buf, size_t len)
{
	char day[48], iso[TIME_ISO_LEN];
	const char *at = reportdef_nth(c->def, "words", "at", 0);

	casereport_long_day(ts, day, sizeof(day));
	time_fmt_iso(ts, iso);          /* YYYY-MM-DDTHH:MM:SSZ */
	snprintf(buf, len, "%s %s %.5s UTC", day, at ? at : "at", iso + 11);
	return buf;
}

/* {group_first} {group_last} {group_range} {first_time} {last_time} {hours}
 * {first_when} {last_when} */
static void group_date_vars(struct case_ctx *c, const struct group_row *r)
{
	char d1[TIME_DATE_LEN], d2[TIME_DATE_LEN], t1[TIME_ISO_LEN] = "", t2[TIME_ISO_LEN] = "";
	char l1[64], l2[64], range[160];

	inc_day(r->first, d1, !r->dated);
	inc_day(r->last, d2, !r->dated);
	casereport_var(c, "group_first", d1);
	casereport_var(c, "group_last", d2);
	casereport_long_day(r->first, l1, sizeof(l1));
	casereport_long_day(r->last, l2, sizeof(l2));
	casereport_var(c, "group_range", r->dated ? casereport_range(c, l1, l2, range,
								    sizeof(range)) : "");
	if (r->dated) {
		time_fmt_iso(r->first, t1);
		time_fmt_iso(r->last, t2);
	}
	casereport_var(c, "first_time", t1);
	casereport_var(c, "last_time", t2);
	/* in prose: "August 10, 2021 at 00:00 UTC" */
	casereport_var(c, "first_when", r->dated ? long_time(c, r->first, l1, sizeof(l1)) : "");
	casereport_var(c, "last_when", r->dated ? long_time(c, r->last, l2, sizeof(l2)) : "");
	casereport_varf(c, "hours", "%.1f", r->dated ? (double)(r->last - r->first) / 3600.0
			: 0.0);
}

/* {device} {account} {app} {device_status} {device_status_on} {device_model}
 * {model_note} {device_when} */
static void group_device_vars(struct case_ctx *c, const struct group_row *r)
{
	char l1[64], w[96];

	casereport_var(c, "device", r->device ? r->device : "");
	casereport_var(c, "account", r->account ? r->account : "");
	casereport_var(c, "app", inc_app_name(c, r->app));
	casereport_var(c, "device_status", r->status ? r->status : "lost");
	casereport_var(c, "device_status_on", r->status_on ? r->status_on : "");
	casereport_var(c, "device_model", r->model ? r->model : "");
	if (r->model && *r->model)
		casereport_varf(c, "model_note", " (%s)", r->model);
	else
		casereport_var(c, "model_note", "");
	casereport_long_date(r->status_on, l1, sizeof(l1));
	snprintf(w, sizeof(w), "on %s", l1);
	casereport_var(c, "device_when", r->status_on && *r->status_on ? w :
		       reportdef_get(c->def, "circumstances", "date_unknown"));
}

/* {loss_events}: "9 deleted by the custodian who held them, 4 deleted by
 * the other party ... and 1 expired" ([circumstances] event_*). */
static void loss_events_var(struct case_ctx *c, const struct loss_stat *ls)
{
	static const char *const keys[EV_COUNT] = {
		"event_deleted_self", "event_deleted_other", "event_expired", "event_burned"
	};
	struct strbuf out = STRBUF_INIT;
	int parts = 0, done = 0;
	char num[W_NUM];

	for (int i = 0; i < EV_COUNT; i++)
		parts += ls && ls->n[i] > 0;
	for (int i = 0; ls && i < EV_COUNT; i++) {
		char *t;
		if (!ls->n[i])
			continue;
		casereport_var(c, "k", casereport_num(num, sizeof(num), ls->n[i]));
		casereport_var(c, "them", ls->n[i] == 1 ? "it" : "them");
		t = casereport_text(c, "circumstances", keys[i], 0);
		done++;
		strbuf_addf(&out, "%s%s", done == 1 ? "" : done == parts ? " and " : ", ",
			    t ? t : "");
		free(t);
	}
	casereport_var(c, "loss_events", out.buf ? out.buf : "");
	strbuf_release(&out);
}

/* {bound_note}: the copies known only from their deletion (a Wickr 4011 of
 * a message no input captured): sent no later than it, never "at". */
static void bound_note_var(struct case_ctx *c, const struct loss_stat *ls)
{
	char num[W_NUM], *t;

	casereport_var(c, "bound_note", "");
	if (!ls || !ls->bound)
		return;
	casereport_var(c, "k", casereport_num(num, sizeof(num), ls->bound));
	casereport_var(c, "its_their", ls->bound == 1 ? "its" : "their");
	t = casereport_text(c, "circumstances", "bound_note", 0);
	casereport_varf(c, "bound_note", " %s", t ? t : "");
	free(t);
}

/* {loss_first} {loss_last} {loss_when} {loss_events}: the deletions of the
 * group's app; "date of deletion unknown" for the copies the inputs gave
 * no time for. */
static void group_loss_vars(struct case_ctx *c, const struct loss_map *loss,
			    const struct group_row *r)
{
	const struct loss_stat *ls = loss_find(loss, r->app);
	int dated = ls && ls->lo >= 0;
	char d1[TIME_DATE_LEN] = "", d2[TIME_DATE_LEN] = "", l1[64], l2[64], range[160];

	if (dated) {
		inc_day(ls->lo, d1, 0);
		inc_day(ls->hi, d2, 0);
		casereport_long_day(ls->lo, l1, sizeof(l1));
		casereport_long_day(ls->hi, l2, sizeof(l2));
	}
	casereport_var(c, "loss_first", d1);
	casereport_var(c, "loss_last", d2);
	if (!dated) {
		casereport_var(c, "loss_when",
			       reportdef_get(c->def, "circumstances", "deletion_unknown"));
	} else if (ls->undated) {
		char num[W_NUM], *t;
		casereport_var(c, "range", casereport_range(c, l1, l2, range, sizeof(range)));
		casereport_var(c, "k", casereport_num(num, sizeof(num), ls->undated));
		t = casereport_text(c, "circumstances", "partly_undated", 0);
		casereport_var(c, "loss_when", t ? t : "");
		free(t);
	} else {
		casereport_var(c, "loss_when", casereport_range(c, l1, l2, range, sizeof(range)));
	}
	loss_events_var(c, ls);
	bound_note_var(c, ls);
}

/* {after_nara}: a closure after NARA's letter is said, with the days. */
static void after_nara_var(struct case_ctx *c, long long lo)
{
	long long nd, ld = lo / 86400;

	casereport_var(c, "after_nara", "");
	if (lo >= 0 && c->cf.nara_letter_on && !time_parse_date(c->cf.nara_letter_on, &nd) &&
	    ld > nd) {
		char *an;
		casereport_varf(c, "days_after", "%lld", ld - nd);
		an = casereport_text(c, "circumstances", "after_nara", 0);
		casereport_varf(c, "after_nara", " %s", an ? an : "");
		free(an);
	}
}

/* {closed_on} {closes_on} {closed_when} {closes_when} {after_nara}: the
 * closure of the group's account */
static void group_closure_vars(struct case_ctx *c, const struct loss_map *closure,
			       const struct group_row *r)
{
	const struct loss_stat *ls = loss_find(closure, r->account);
	long long lo = ls ? ls->lo : 0, hi = ls ? ls->hi : 0;
	const char *unknown = reportdef_get(c->def, "circumstances", "date_unknown");
	const char *event = reportdef_get(c->def, "circumstances", ls &&
					  ls->lo_kind == LOSS_ACCOUNT_DELETED ? "account_deleted_event"
					  : "account_closed_event");
	char d1[TIME_DATE_LEN] = "", d2[TIME_DATE_LEN] = "", l1[64], w[96];

	if (ls) {
		inc_day(lo, d1, lo < 0);
		inc_day(hi, d2, hi == 0);
	}
	casereport_var(c, "closed_on", d1);
	casereport_var(c, "closes_on", d2);
	casereport_var(c, "closure_event", event);
	casereport_long_day(lo, l1, sizeof(l1));
	snprintf(w, sizeof(w), "on %s", l1);
	casereport_var(c, "closed_when", ls && lo >= 0 ? w : unknown);
	casereport_var(c, "after_nara", "");
	if (ls)
		after_nara_var(c, lo);
	casereport_long_day(hi, l1, sizeof(l1));
	snprintf(w, sizeof(w), "on %s", l1);
	casereport_var(c, "closes_when", ls && hi ? w : unknown);
}

/* The "N more findings of the same kind" bullet after MAX_GROUP_SENTENCES:
 * their volume in the type's unit (copies, store rows; none for the
 * findings without messages). */
static int more_groups_bullet(struct case_ctx *c, const struct type_group *g,
			      long long more_groups, long long more_n)
{
	int rows = !strcmp(g->type, "EARLY_PURGE") || !strcmp(g->type, "RETENTION_SHORTFALL");
	char buf[96];
	char *t;

	casereport_var(c, "more_groups", casereport_num(buf, sizeof(buf), more_groups));
	casereport_var(c, "n_messages", rows ? casereport_count(c, buf, sizeof(buf), more_n,
		       "store row", "store rows") : casereport_count(c, buf, sizeof(buf), more_n,
		       "message", "messages"));
	t = casereport_text(c, "circumstances", more_n ? "more" : "more_none", 0);
	if (!t)
		return -1;
	int rc = pdf_bullet(c->doc, t);
	free(t);
	return rc;
}

/* One sentence per group of a type's findings (the top ones; the rest in
 * one more sentence). */
static int group_sentences(struct case_ctx *c, const struct type_group *g,
			   const struct loss_map *loss, const struct loss_map *closure, int *nsent)
{
	struct strbuf who = STRBUF_INIT;
	struct stmt *s = group_stmt(c, g);
	int rc = 0, ngroups = 0;
	long long more_groups = 0, more_n = 0;

	if (!s)
		return -1;
	while (rc == 0 && stmt_step(s) == 1) {
		struct group_row r;
		char tk[64];
		char *t;
		read_group_row(s, &r);
		if (ngroups++ >= MAX_GROUP_SENTENCES) {
			/* a letter, not a listing: the table has every finding */
			more_groups++;
			more_n += r.n;
			continue;
		}
		group_count_vars(c, g, &r, &who);
		group_date_vars(c, &r);
		group_device_vars(c, &r);
		group_loss_vars(c, loss, &r);
		group_closure_vars(c, closure, &r);
		t = casereport_text(c, "circumstances",
				    template_key(c, g->type, r.class, tk, sizeof(tk)), 0);
		rc = t ? pdf_bullet(c->doc, t) : -1;
		free(t);
		(*nsent)++;
	}
	stmt_free(s);
	strbuf_release(&who);
	if (rc == 0 && more_groups)
		rc = more_groups_bullet(c, g, more_groups, more_n);
	return rc;
}

int incident_section3(struct case_ctx *c, const struct figures *f)
{
	struct loss_map loss = { STRMAP_INIT, NULL, 0, 0 }, closure = { STRMAP_INIT, NULL, 0, 0 };
	int rc = casereport_heading(c, 1, "section3", "heading");
	int nsent = 0;

	if (!rc && f->findings)
		rc = casereport_pars(c, "section3", "intro");
	if (!rc && f->findings)
		rc = stored_losses(c, "UNCAPTURED_DELETION", 0, &loss) |
		     stored_losses(c, "ACCOUNT_DELETION", 1, &closure);
	for (size_t i = 0; !rc && i < sizeof(groups) / sizeof(groups[0]); i++)
		rc = group_sentences(c, &groups[i], &loss, &closure, &nsent);
	loss_map_free(&loss);
	loss_map_free(&closure);
	if (!rc && nsent)
		rc = pdf_space(c->doc, 6);
	if (!rc && !nsent)
		rc = casereport_pars(c, "section1", "none");
	if (!rc && c->cf.circumstances.n) {
		rc = casereport_pars(c, "section3", "narrative_intro");
		for (size_t i = 0; !rc && i < c->cf.circumstances.n; i++)
			rc = casereport_par(c, c->cf.circumstances.v[i]);
	}
	return rc;
}

/* ---- 4. Safeguards ------------------------------------------------------------ */

/* The finding types that say a capture safeguard does not hold. */
static const char *const safeguard_types[] = {
	"CAPTURE_OUTAGE", "CAPTURE_GAP", "RETENTION_SHORTFALL", "EARLY_PURGE"
};

/* Does the narrative name the app (its key or display name, as a word)? */
static int names_app(const char *text, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = text; n && (p = strcasestr(p, word)) != NULL; p += n) {
		int before = p == text || !isalnum((unsigned char)p[-1]);
		int after = !isalnum((unsigned char)p[n]);
		if (before && after)
			return 1;
	}
	return 0;
}

/* The letter never contradicts the audit: what the safeguards narrative
 * presents as a safeguard comes with the run's open findings on it
 * (whatever the case's scope) that say its capture does not hold: every
 * such finding on an app the narrative names, and the store-wide ones
 * (early purges, retention shortfalls, of any app) when it names the
 * compliance store. */
static int safeguard_caveats(struct case_ctx *c)
{
	struct strbuf narr = STRBUF_INIT;
	struct stmt *q;
	int rc = 0, said = 0, store_named;

	for (size_t i = 0; i < c->cf.safeguards.n; i++)
		strbuf_addf(&narr, "%s ", c->cf.safeguards.v[i]);
	if (!narr.len)
		return 0;
	store_named = strcasestr(narr.buf, "compliance store") != NULL;
	q = stmt_prepare(c->st,
		"SELECT app, count(*), sum(message_count), min(first_ts), max(last_ts),"
		" count(DISTINCT account) FROM main.findings WHERE run_id = ?1 AND type = ?2"
		" AND app IS NOT NULL GROUP BY app ORDER BY app");
	if (!q) {
		strbuf_release(&narr);
		return -1;
	}
	for (size_t i = 0; rc == 0 && i < sizeof(safeguard_types) / sizeof(safeguard_types[0]);
	     i++) {
		int store_wide = !strcmp(safeguard_types[i], "EARLY_PURGE") ||
				 !strcmp(safeguard_types[i], "RETENTION_SHORTFALL");
		stmt_reset(q);
		stmt_bind_int(q, 1, c->run_id);
		stmt_bind_text(q, 2, safeguard_types[i]);
		while (rc == 0 && stmt_step(q) == 1) {
			const char *key = stmt_text(q, 0), *name = inc_app_name(c, key);
			char buf[64], d1[64], d2[64], range[160];
			char *t;
			if (!(store_wide && store_named) && !names_app(narr.buf, key) &&
			    !names_app(narr.buf, name))
				continue;
			if (!said++) {
				t = casereport_text(c, "safeguards", "caveat", 0);
				rc = t ? pdf_paragraph(c->doc, t) : -1;
				free(t);
			}
			casereport_var(c, "app", name);
			casereport_var(c, "n_findings", casereport_count(c, buf, sizeof(buf),
				       stmt_int(q, 1), "finding", "findings"));
			casereport_var(c, "n_copies", casereport_count(c, buf, sizeof(buf),
				       stmt_int(q, 2), "copy", "copies"));
			casereport_var(c, "n_rows", casereport_count(c, buf, sizeof(buf),
				       stmt_int(q, 2), "store row", "store rows"));
			casereport_var(c, "n_accounts", casereport_count(c, buf, sizeof(buf),
				       stmt_int(q, 5), "account", "accounts"));
			casereport_long_day(stmt_int(q, 3), d1, sizeof(d1));
			casereport_long_day(stmt_int(q, 4), d2, sizeof(d2));
			casereport_var(c, "range", casereport_range(c, d1, d2, range, sizeof(range)));
			t = rc ? NULL : casereport_text(c, "safeguards", safeguard_types[i], 0);
			rc = rc ? rc : t ? pdf_bullet(c->doc, t) : -1;
			free(t);
		}
	}
	stmt_free(q);
	strbuf_release(&narr);
	if (!rc && said)
		rc = pdf_space(c->doc, 6);
	return rc;
}

int incident_section4(struct case_ctx *c)
{
	int rc = casereport_heading(c, 1, "section4", "heading");

	for (size_t i = 0; !rc && i < c->cf.safeguards.n; i++)
		rc = casereport_par(c, c->cf.safeguards.v[i]);
	if (!rc)
		rc = safeguard_caveats(c);
	if (!rc)
		rc = casereport_pars(c, "section4", "actions_pointer");
	return rc;
}
