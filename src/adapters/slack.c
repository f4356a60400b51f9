/* ad_slack: a Slack workspace export (the zip an owner or admin downloads:
 * users.json; channels.json, groups.json, dms.json, mpims.json; one folder
 * per conversation of daily YYYY-MM-DD.json files) into usage events and,
 * when the export is the agency's record copy (option record_copy=yes),
 * compliance-store records (spec §6). A message is the pair (conversation,
 * ts): its id is "<conversation id>:<ts>". Bad records are named
 * "export.zip(folder/2016-01-14.json):LINE". */
#include "adapters.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dirin.h"
#include "hash.h"
#include "json.h"
#include "jsondoc.h"
#include "records.h"
#include "timeutil.h"
#include "xalloc.h"
#include "zipin.h"

#define SLACK_MAX_ID 128
#define SLACK_MAX_HANDLE 256

struct slack_user {
	char *id, *handle;
	int bot;
};

struct slack_conv {
	char *folder, *id;
};

/* The message of a conversation seen so far: who sent it (for a
 * message_deleted without previous_message), and the thread parents that
 * replies name (for tombstones). */
struct seen {
	char ts[32];
	char user_buf[SLACK_MAX_ID];
};

struct tombstone {
	char ts[32];
	char *where;                    /* member name, for the message */
	unsigned long line;
};

struct slack {
	struct ingest_ctx *ctx;
	struct zipin *z;                /* the export zip, or */
	struct dirin *d;                /* the folder it unzips to */
	char *root;                     /* folder prefix of users.json in the zip */
	char **ws;                      /* Enterprise Grid: workspace folders, "eoc/" */
	size_t nws, ws_alloc;
	struct slack_user *users;
	size_t nusers, users_alloc;
	struct slack_conv *convs;
	size_t nconvs;
	int record_copy;
	/* per conversation */
	struct seen *seen;
	size_t nseen, seen_alloc;
	struct seen *parents;           /* thread_ts -> parent_user_id */
	size_t nparents, parents_alloc;
	struct tombstone *tombs;
	size_t ntombs, tombs_alloc;
	unsigned long system, bots, edits, unknown_users, orphan_tombs, no_listing;
	char first_unknown[SLACK_MAX_ID];
};

static const char *str_field(const struct json *o, const char *key)
{
	return json_str(json_get(o, key));
}

/* ---- reading members ---- */

/* The export's members: a zip's entries or the folder's files. */
static const char *ex_name(const struct slack *s, long i)
{
	return s->z ? zipin_name(s->z, i) : dirin_name(s->d, (size_t)i);
}

static long ex_find(struct slack *s, int (*match)(const char *name, void *user), void *user)
{
	if (s->z)
		return zipin_find(s->z, match, user);
	for (size_t i = 0; i < dirin_count(s->d); i++)
		if (match(dirin_name(s->d, i), user))
			return (long)i;
	return -1;
}

static int ex_read(struct slack *s, long i, char **buf, size_t *len)
{
	return s->z ? zipin_read(s->z, i, buf, len) : dirin_read(s->d, (size_t)i, buf, len);
}

struct member_doc {
	char *buf, *name;
	size_t len;
	struct jsondoc *d;
	struct jsondoc_value v;
	struct json *root;
};

/* Say what is wrong with a member: a bad record of a daily file (the rest
 * of the export loads), or an error that fails the file. */
static int member_bad(struct slack *s, struct member_doc *m, int as_bad, unsigned long line,
		      unsigned long col, const char *what, const char *detail)
{
	const char *saved = s->ctx->bad.path;
	struct src_loc at = { m->name, line, col };
	int rc;

	if (!as_bad)
		return diag_error(&at, "%s%s", what, detail);
	s->ctx->bad.path = m->name;
	rc = bad_record(&s->ctx->bad, line, col, "%s%s", what, detail);
	s->ctx->bad.path = saved;
	return rc < 0 ? -1 : 1;
}

/* Read and parse a member holding one JSON value: 0; 1 when it is absent
 * or (as_bad) was a bad record; -1 on an error that fails the file
 * (printed). */
static int member_open(struct slack *s, long idx, struct member_doc *m, int as_bad)
{
	unsigned long line, col;
	const char *err;
	int rc;

	memset(m, 0, sizeof(*m));
	if (idx < 0)
		return 1;
	m->name = xasprintf(s->z ? "%s(%s)" : "%s/%s", s->ctx->path, ex_name(s, idx));
	if (ex_read(s, idx, &m->buf, &m->len))
		return -1;
	m->d = jsondoc_new_mem(m->buf, m->len, m->name);
	rc = jsondoc_next(m->d, &m->v);
	if (rc == JSONDOC_VALUE) {
		m->root = jsondoc_parse(&m->v, &line, &col, &err);
		if (m->root)
			return 0;
		return member_bad(s, m, as_bad, line, col, "bad JSON: ", err);
	}
	if (rc == JSONDOC_BAD)
		return member_bad(s, m, as_bad, m->v.line, m->v.col, m->v.err, "");
	if (rc == JSONDOC_END)
		return member_bad(s, m, as_bad, 0, 0, "empty (expected a JSON array)", "");
	return -1;
}

static void member_close(struct member_doc *m)
{
	json_free(m->root);
	jsondoc_free(m->d);
	free(m->buf);
	free(m->name);
	memset(m, 0, sizeof(*m));
}

struct find_name {
	const char *root, *ws, *base;
};

static int match_root_file(const char *name, void *user)
{
	const struct find_name *f = user;
	size_t rl = strlen(f->root), wl = strlen(f->ws);
	return !strncmp(name, f->root, rl) && !strncmp(name + rl, f->ws, wl) &&
	       !strcmp(name + rl + wl, f->base);
}

/* ROOT/WS/BASE (ws "" for the root's own). */
static long find_member(struct slack *s, const char *ws, const char *base)
{
	struct find_name f = { s->root, ws, base };
	return ex_find(s, match_root_file, &f);
}

/* The member list: users.json, or org_users.json in an Enterprise Grid
 * org export (Slack's "How to read Slack data exports"), at the root or in
 * the one folder a re-zipped export has: the shallowest (an org export's,
 * not a workspace's). -1 when none. */
static long find_users(const struct slack *s)
{
	const char *name;
	long best = -1;
	int best_depth = 2;

	for (long i = 0; i < (long)ZIPIN_MAX_ENTRIES && (name = ex_name(s, i)); i++) {
		const char *slash = strrchr(name, '/');
		int depth = 0;
		const char *base = slash ? slash + 1 : name;
		if (strcmp(base, "users.json") && strcmp(base, "org_users.json"))
			continue;
		for (const char *p = name; *p; p++)
			depth += *p == '/';
		if (depth < best_depth) {
			best = i;
			best_depth = depth;
		}
	}
	return best;
}

static const char *const listings[] = { "channels.json", "groups.json", "dms.json",
					"mpims.json", "users.json", NULL };

/* The workspace folder of REST (a name under the root) when REST is one
 * of the folder's listings: "teams/NAME/", where an Enterprise Grid org
 * export keeps each workspace as an export of its own (its users.json,
 * listings and conversation folders; the org's users, DMs, group DMs and
 * multi-workspace channels are at the root), as Mattermost's mmetl
 * grid-transform reads it; or a folder right under the root holding a
 * listing. Its length, else 0. */
static size_t workspace_of(const char *rest)
{
	size_t pre = strncmp(rest, "teams/", 6) ? 0 : 6;
	const char *slash = strchr(rest + pre, '/');

	if (!slash || slash == rest + pre || strchr(slash + 1, '/'))
		return 0;
	for (int j = 0; listings[j]; j++)
		if (!strcmp(slash + 1, listings[j]))
			return (size_t)(slash - rest) + 1;
	return 0;
}

static void find_workspaces(struct slack *s)
{
	size_t rl = strlen(s->root);
	const char *name;

	for (long i = 0; i < (long)ZIPIN_MAX_ENTRIES && (name = ex_name(s, i)); i++) {
		size_t w, k;
		if (strncmp(name, s->root, rl))
			continue;       /* a shorter name: nothing past its end is read */
		if (!(w = workspace_of(name + rl)))
			continue;
		for (k = 0; k < s->nws; k++)
			if (strlen(s->ws[k]) == w && !strncmp(s->ws[k], name + rl, w))
				break;
		if (k < s->nws)
			continue;
		s->ws = xgrow(s->ws, s->nws + 1, &s->ws_alloc, sizeof(*s->ws));
		s->ws[s->nws++] = xstrndup(name + rl, w);
	}
}

/* ---- users and conversations ---- */

static int cmp_user(const void *a, const void *b)
{
	return strcmp(((const struct slack_user *)a)->id, ((const struct slack_user *)b)->id);
}

static int cmp_conv(const void *a, const void *b)
{
	return strcmp(((const struct slack_conv *)a)->folder, ((const struct slack_conv *)b)->folder);
}

/* The account handle: the e-mail address when the export has it (paid
 * plans export profile.email), else the user id. */
static int load_users(struct slack *s, long idx)
{
	struct member_doc m;
	int rc = member_open(s, idx, &m, 0);

	if (rc) {
		member_close(&m);
		return rc > 0 ? 0 : -1;
	}
	for (size_t i = 0; i < json_len(m.root); i++) {
		const struct json *u = json_at(m.root, i);
		const char *id = str_field(u, "id");
		const char *mail = str_field(json_get(u, "profile"), "email");
		if (!id || !*id || strlen(id) >= SLACK_MAX_ID) {
			struct src_loc at = { m.name, 0, 0 };
			diag_warn(&at, "users[%zu]: no usable 'id' (skipped)", i);
			continue;
		}
		if (!mail || !*mail || strlen(mail) >= SLACK_MAX_HANDLE)
			mail = NULL;
		s->users = xgrow(s->users, s->nusers + 1, &s->users_alloc, sizeof(*s->users));
		s->users[s->nusers].id = xstrdup(id);
		s->users[s->nusers].handle = xstrdup(mail ? mail : id);
		if (mail)
			for (char *p = s->users[s->nusers].handle; *p; p++)
				*p = (char)tolower((unsigned char)*p);
		s->users[s->nusers++].bot = json_bool(json_get(u, "is_bot")) ||
					    !strcmp(id, "USLACKBOT");
	}
	if (s->nusers)
		qsort(s->users, s->nusers, sizeof(*s->users), cmp_user);
	member_close(&m);
	return 0;
}

static const struct slack_user *find_user(const struct slack *s, const char *id)
{
	struct slack_user key = { (char *)id, NULL, 0 };
	return s->nusers ? bsearch(&key, s->users, s->nusers, sizeof(*s->users), cmp_user) : NULL;
}

/* channels.json and groups.json name their folders by channel name;
 * dms.json by id; mpims.json by name. A workspace's folders are in its
 * folder (ws, "" at the root). */
static int load_convs(struct slack *s, const char *ws, const char *base, int by_id,
		      size_t *alloc)
{
	struct member_doc m;
	int rc = member_open(s, find_member(s, ws, base), &m, 0);

	if (rc) {
		member_close(&m);
		return rc > 0 ? 0 : -1;
	}
	for (size_t i = 0; i < json_len(m.root); i++) {
		const struct json *c = json_at(m.root, i);
		const char *id = str_field(c, "id"), *name = str_field(c, "name");
		const char *folder = by_id ? id : name;
		if (!id || !*id || !folder || !*folder || strlen(id) >= SLACK_MAX_ID) {
			struct src_loc at = { m.name, 0, 0 };
			diag_warn(&at, "[%zu]: no usable 'id' or 'name' (skipped)", i);
			continue;
		}
		s->convs = xgrow(s->convs, s->nconvs + 1, alloc, sizeof(*s->convs));
		s->convs[s->nconvs].folder = xasprintf("%s%s", ws, folder);
		s->convs[s->nconvs++].id = xstrdup(id);
	}
	member_close(&m);
	return 0;
}

/* The conversation of a folder: its workspace's listing names it, else
 * (a workspace folder without a listing of it) the root's. */
static const char *conv_id(const struct slack *s, const char *folder)
{
	struct slack_conv key = { (char *)folder, NULL }, *c;

	c = s->nconvs ? bsearch(&key, s->convs, s->nconvs, sizeof(*s->convs), cmp_conv) : NULL;
	for (size_t k = 0; !c && k < s->nws; k++)
		if (!strncmp(folder, s->ws[k], strlen(s->ws[k]))) {
			key.folder = (char *)folder + strlen(s->ws[k]);
			c = s->nconvs ? bsearch(&key, s->convs, s->nconvs, sizeof(*s->convs),
						cmp_conv) : NULL;
		}
	return c ? c->id : NULL;
}

/* ---- messages ---- */

static void account_of(struct slack *s, const char *uid, char *out, size_t n)
{
	const struct slack_user *u = find_user(s, uid);

	if (!u && !s->unknown_users++)
		snprintf(s->first_unknown, sizeof(s->first_unknown), "%s", uid);
	snprintf(out, n, "slack:%s", u ? u->handle : uid);
}

static int cmp_seen(const void *a, const void *b)
{
	return strcmp(((const struct seen *)a)->ts, ((const struct seen *)b)->ts);
}

static void remember(struct seen **arr, size_t *n, size_t *alloc, const char *ts, const char *user)
{
	*arr = xgrow(*arr, *n + 1, alloc, sizeof(**arr));
	snprintf((*arr)[*n].ts, sizeof((*arr)[*n].ts), "%s", ts);
	snprintf((*arr)[*n].user_buf, sizeof((*arr)[*n].user_buf), "%s", user);
	(*n)++;
}

static const char *recall(struct seen *arr, size_t n, const char *ts)
{
	struct seen key, *hit = NULL;

	snprintf(key.ts, sizeof(key.ts), "%s", ts);
	/* linear: a conversation's deletions are few, and arr is unsorted */
	for (size_t i = 0; i < n && !hit; i++)
		if (!cmp_seen(&arr[i], &key))
			hit = &arr[i];
	return hit ? hit->user_buf : NULL;
}

static int put_message(struct slack *s, const char *conv, const char *ts_s, long long ts,
		       const char *account, const char *text, int deleted, long long del_ts,
		       unsigned long line)
{
	char id[SLACK_MAX_ID * 2 + 40], hex[SHA256_HEX_LEN];
	struct usage_rec u = {
		.ts = ts, .event = EV_SENT, .app = "slack", .account = account,
		.message_id = id, .conversation_id = conv, .ttl_seconds = -1,
	};

	snprintf(id, sizeof(id), "%s:%s", conv, ts_s);
	if (records_put_usage(s->ctx, line, &u))
		return -1;
	if (deleted) {
		u.event = EV_DELETED;
		u.ts = del_ts;
		return records_put_usage(s->ctx, line, &u);
	}
	if (s->record_copy) {
		struct store_msg_rec r = {
			.message_id = id, .app = "slack", .account = account,
			.conversation_id = conv, .sent_ts = ts, .captured_ts = ts,
			.purged_ts = -1, .sha256 = NULL, .purge_reason = NULL,
		};
		if (text && *text) {
			sha256_mem(text, strlen(text), hex);
			r.sha256 = hex;
		}
		return records_put_store_msg(s->ctx, line, &r);
	}
	return 0;
}

static int is_user_content(const char *subtype)
{
	static const char *const kinds[] = {
		"thread_broadcast", "reply_broadcast", "file_share", "file_comment",
		"me_message", NULL,
	};
	if (!subtype)
		return 1;
	for (int i = 0; kinds[i]; i++)
		if (!strcmp(subtype, kinds[i]))
			return 1;
	return 0;
}

static int on_deleted(struct slack *s, const struct json *m, const char *conv, unsigned long line)
{
	const char *target = str_field(m, "deleted_ts"), *ts_s = str_field(m, "ts");
	const char *uid = str_field(json_get(m, "previous_message"), "user");
	char account[SLACK_MAX_HANDLE + 8], id[SLACK_MAX_ID * 2 + 40];
	long long ts, t0;

	if (time_parse_epoch(ts_s, &ts) || time_parse_epoch(target, &t0))
		return bad_record(&s->ctx->bad, line, 0, "message_deleted without a usable"
				  " 'ts' and 'deleted_ts'");
	if (!uid || !*uid)
		uid = recall(s->seen, s->nseen, target);
	if (!uid || !*uid || strlen(uid) >= SLACK_MAX_ID)
		return bad_record(&s->ctx->bad, line, 0, "message_deleted of message '%s', whose"
				  " sender is not in the export", target);
	account_of(s, uid, account, sizeof(account));
	snprintf(id, sizeof(id), "%s:%s", conv, target);
	struct usage_rec u = {
		.ts = ts, .event = EV_DELETED, .app = "slack", .account = account,
		.message_id = id, .conversation_id = conv, .ttl_seconds = -1,
	};
	return records_put_usage(s->ctx, line, &u);
}

static int on_message(struct slack *s, const struct json *m, const char *conv, const char *where,
		      unsigned long line)
{
	const char *type = str_field(m, "type"), *subtype = str_field(m, "subtype");
	const char *uid = str_field(m, "user"), *ts_s = str_field(m, "ts");
	const char *parent = str_field(m, "parent_user_id"), *thread = str_field(m, "thread_ts");
	const struct slack_user *u;
	char account[SLACK_MAX_HANDLE + 8];
	long long ts;

	if (json_type_of(m) != JT_OBJECT)
		return bad_record(&s->ctx->bad, line, 0, "expected a message object");
	if (type && strcmp(type, "message")) {
		s->system++;
		s->ctx->ignored++;
		return 0;
	}
	if (subtype && !strcmp(subtype, "message_deleted"))
		return on_deleted(s, m, conv, line);
	if (subtype && !strcmp(subtype, "message_changed")) {
		s->edits++;             /* an edit is not a new message */
		s->ctx->ignored++;
		return 0;
	}
	if (time_parse_epoch(ts_s, &ts) || strlen(ts_s) >= sizeof(s->seen->ts))
		return bad_record(&s->ctx->bad, line, 0, "message without a usable 'ts'");
	if (thread && parent && *parent && strlen(thread) < sizeof(s->seen->ts) &&
	    strlen(parent) < SLACK_MAX_ID)
		remember(&s->parents, &s->nparents, &s->parents_alloc, thread, parent);
	if (subtype && !strcmp(subtype, "tombstone")) {
		/* a deleted thread parent kept for its replies: its sender is
		   known from the replies' parent_user_id, read to the end */
		s->tombs = xgrow(s->tombs, s->ntombs + 1, &s->tombs_alloc, sizeof(*s->tombs));
		snprintf(s->tombs[s->ntombs].ts, sizeof(s->tombs->ts), "%s", ts_s);
		s->tombs[s->ntombs].where = xstrdup(where);
		s->tombs[s->ntombs++].line = line;
		return 0;
	}
	if (subtype && !strcmp(subtype, "bot_message")) {
		s->bots++;
		s->ctx->ignored++;
		return 0;
	}
	if (!is_user_content(subtype)) {
		s->system++;            /* joins, leaves, topics, pins, integrations */
		s->ctx->ignored++;
		return 0;
	}
	if ((!uid || !*uid) && subtype && !strcmp(subtype, "file_comment"))
		uid = str_field(json_get(m, "comment"), "user");       /* legacy comments */
	if (!uid || !*uid)
		return bad_record(&s->ctx->bad, line, 0, "message '%s' without 'user'", ts_s);
	if (strlen(uid) >= SLACK_MAX_ID)
		return bad_record(&s->ctx->bad, line, 0, "'user' longer than %d bytes",
				  SLACK_MAX_ID - 1);
	u = find_user(s, uid);
	if (u && u->bot) {
		s->bots++;
		s->ctx->ignored++;
		return 0;
	}
	if (json_get(m, "edited"))
		s->edits++;
	remember(&s->seen, &s->nseen, &s->seen_alloc, ts_s, uid);
	account_of(s, uid, account, sizeof(account));
	return put_message(s, conv, ts_s, ts, account, str_field(m, "text"), 0, 0, line);
}

static void drop_conversation(struct slack *s)
{
	for (size_t i = 0; i < s->ntombs; i++)
		free(s->tombs[i].where);
	s->ntombs = s->nseen = s->nparents = 0;
}

/* The end of a conversation: its tombstones get their senders. The export
 * has no deletion time: the deleted event carries the message's own time,
 * the earliest the deletion can have been. */
static int end_conversation(struct slack *s, const char *conv)
{
	const char *saved = s->ctx->bad.path;
	int rc = 0;

	for (size_t i = 0; i < s->ntombs && !rc; i++) {
		struct tombstone *t = &s->tombs[i];
		const char *uid = recall(s->parents, s->nparents, t->ts);
		long long ts;
		char account[SLACK_MAX_HANDLE + 8];
		if (!uid || time_parse_epoch(t->ts, &ts)) {
			struct src_loc at = { t->where, t->line, 0 };
			if (!s->orphan_tombs++)
				diag_warn(&at, "deleted message (tombstone) whose sender no reply"
					  " names: not counted");
			s->ctx->ignored++;
			continue;
		}
		account_of(s, uid, account, sizeof(account));
		s->ctx->bad.path = t->where;
		rc = put_message(s, conv, t->ts, ts, account, NULL, 1, ts, t->line);
		s->ctx->bad.path = saved;
	}
	drop_conversation(s);
	return rc;
}

/* ---- daily files ---- */

struct daily {
	char *name;                     /* member name */
	long idx;
};

static int cmp_daily(const void *a, const void *b)
{
	return strcmp(((const struct daily *)a)->name, ((const struct daily *)b)->name);
}

/* ROOT/FOLDER/YYYY-MM-DD.json or ROOT/WS/FOLDER/YYYY-MM-DD.json of a
 * workspace WS: the length of FOLDER or WS/FOLDER, else 0. */
static size_t daily_folder(const struct slack *s, const char *name)
{
	size_t rl = strlen(s->root), n;
	const char *rest = name + rl, *slash;
	long long days;
	char date[TIME_DATE_LEN];

	if (strncmp(name, s->root, rl))
		return 0;
	for (size_t k = 0; k < s->nws; k++)
		if (!strncmp(rest, s->ws[k], strlen(s->ws[k]))) {
			rest += strlen(s->ws[k]);
			break;
		}
	if (!(slash = strchr(rest, '/')) || slash == rest || strchr(slash + 1, '/'))
		return 0;
	n = strlen(slash + 1);
	if (n != 15 || strcmp(slash + 11, ".json"))
		return 0;
	memcpy(date, slash + 1, 10);
	date[10] = '\0';
	return time_parse_date(date, &days) ? 0 : (size_t)(slash - (name + rl));
}

static int read_daily(struct slack *s, const struct daily *dl, const char *conv)
{
	struct member_doc m;
	const char *saved = s->ctx->bad.path;
	unsigned long *lines;
	size_t n;
	int rc = member_open(s, dl->idx, &m, 1);

	if (!rc && json_type_of(m.root) != JT_ARRAY)
		rc = member_bad(s, &m, 1, m.v.line, m.v.col, "expected a JSON array of messages", "");
	if (rc) {
		member_close(&m);
		return rc < 0 ? -1 : 0;
	}
	lines = jsondoc_lines(&m.v, NULL, &n);
	s->ctx->bad.path = m.name;
	for (size_t i = 0; i < json_len(m.root) && !rc; i++)
		rc = on_message(s, json_at(m.root, i), conv, m.name, i < n ? lines[i] : m.v.line);
	s->ctx->bad.path = saved;
	free(lines);
	member_close(&m);
	return rc;
}

static int read_conversations(struct slack *s)
{
	struct daily *dl = NULL;
	size_t n = 0, alloc = 0, rl = strlen(s->root);
	const char *name;
	int rc = 0;

	for (long i = 0; i < (long)ZIPIN_MAX_ENTRIES && (name = ex_name(s, i)); i++) {
		if (!daily_folder(s, name))
			continue;
		dl = xgrow(dl, n + 1, &alloc, sizeof(*dl));
		dl[n].name = xstrdup(name);
		dl[n++].idx = i;
	}
	if (n)
		qsort(dl, n, sizeof(*dl), cmp_daily);   /* by folder, then date */
	for (size_t i = 0; i < n && !rc;) {
		size_t fl = daily_folder(s, dl[i].name), j = i;
		char folder[SLACK_MAX_ID * 2];
		const char *conv;
		snprintf(folder, sizeof(folder), "%.*s", (int)fl, dl[i].name + rl);
		conv = conv_id(s, folder);
		if (!conv) {
			struct src_loc at = { s->ctx->path, 0, 0 };
			if (!s->no_listing++)
				diag_warn(&at, "folder '%s' is in no channels/groups/dms/mpims"
					  " listing: its name is the conversation id", folder);
			conv = folder;
		}
		for (; j < n && daily_folder(s, dl[j].name) == fl &&
		       !strncmp(dl[j].name, dl[i].name, rl + fl + 1); j++)
			if (!rc)
				rc = read_daily(s, &dl[j], conv);
		if (!rc)
			rc = end_conversation(s, conv);
		i = j;
	}
	for (size_t i = 0; i < n; i++)
		free(dl[i].name);
	free(dl);
	return rc;
}

static int options(struct slack *s)
{
	const char *v = ingest_opt(s->ctx, "record_copy");
	struct src_loc at = { s->ctx->path, 0, 0 };

	if (!v || !strcmp(v, "no"))
		return 0;
	if (strcmp(v, "yes"))
		return diag_error(&at, "bad record_copy option '%s' (expected yes or no)", v);
	s->record_copy = 1;
	return 0;
}

/* Open the export: the zip, or the folder it unzips to. */
static int open_export(struct slack *s)
{
	struct src_loc at = { s->ctx->path, 0, 0 };
	int dir = dirin_is_dir(s->ctx->path), zip;

	if (dir < 0)
		return -1;
	if (dir)
		return (s->d = dirin_open(s->ctx->path)) ? 0 : -1;
	zip = zipin_is_zip(s->ctx->path);
	if (zip == 0)
		diag_error(&at, "not a zip archive (expected the Slack export zip or its folder)");
	if (zip <= 0)
		return -1;
	return (s->z = zipin_open(s->ctx->path)) ? 0 : -1;
}

/* users.json and the conversation listings of the root and of each
 * workspace. */
static int load_listings(struct slack *s)
{
	struct src_loc at = { s->ctx->path, 0, 0 };
	size_t conv_alloc = 0;
	long users = find_users(s);
	const char *un, *slash;

	if (users < 0) {
		diag_error(&at, "no users.json (org_users.json of an Enterprise Grid org) in the %s:"
			   " not a Slack workspace export", s->z ? "zip" : "folder");
		return -1;
	}
	un = ex_name(s, users);
	slash = strrchr(un, '/');
	s->root = xstrndup(un, slash ? (size_t)(slash - un + 1) : 0);
	find_workspaces(s);
	for (size_t k = 0; k <= s->nws; k++) {
		const char *ws = k ? s->ws[k - 1] : "";
		if (load_users(s, find_member(s, ws, "users.json")) ||
		    load_users(s, find_member(s, ws, "org_users.json")))
			return -1;
		for (int i = 0; i < 4; i++)
			if (load_convs(s, ws, listings[i], !strcmp(listings[i], "dms.json"),
				       &conv_alloc))
				return -1;
	}
	if (s->nconvs)
		qsort(s->convs, s->nconvs, sizeof(*s->convs), cmp_conv);
	return 0;
}

static void summary(struct slack *s)
{
	struct src_loc at = { s->ctx->path, 0, 0 };

	if (s->nws)
		diag_note("%s: an Enterprise Grid export: %zu workspaces", s->ctx->path, s->nws);
	if (s->system || s->bots || s->edits)
		diag_note("%s: ignored %lu system messages (joins, topics, ...), %lu bot"
			  " messages; %lu edits (not new messages)", s->ctx->path, s->system, s->bots,
			  s->edits);
	if (s->unknown_users)
		diag_warn(&at, "%lu messages from users not in users.json (first '%s'): their"
			  " accounts are slack:<user id>", s->unknown_users, s->first_unknown);
	if (s->orphan_tombs > 1)
		diag_warn(&at, "%lu deleted messages (tombstones) have no known sender",
			  s->orphan_tombs);
	if (s->no_listing > 1)
		diag_warn(&at, "%lu folders are in no conversation listing", s->no_listing);
}

int load_slack(struct ingest_ctx *ctx)
{
	struct slack s;
	int rc = -1;

	memset(&s, 0, sizeof(s));
	s.ctx = ctx;
	if (options(&s))
		return -1;
	if (open_export(&s))
		return -1;
	if (load_listings(&s))
		goto out;
	rc = read_conversations(&s);
	if (!rc)
		summary(&s);
out:
	drop_conversation(&s);          /* what a failed conversation left */
	for (size_t i = 0; i < s.nusers; i++) {
		free(s.users[i].id);
		free(s.users[i].handle);
	}
	for (size_t i = 0; i < s.nconvs; i++) {
		free(s.convs[i].folder);
		free(s.convs[i].id);
	}
	for (size_t i = 0; i < s.nws; i++)
		free(s.ws[i]);
	free(s.ws);
	free(s.users);
	free(s.convs);
	free(s.seen);
	free(s.parents);
	free(s.tombs);
	free(s.root);
	zipin_close(s.z);
	dirin_close(s.d);
	return rc;
}
