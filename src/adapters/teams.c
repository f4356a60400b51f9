/* ad_teams: Microsoft Teams messages from the Graph export APIs
 * (getAllMessages, getAllRetainedMessages of chats and channels) into usage
 * events and, for retained messages, compliance-store records (spec §6).
 * A file holds what the API returned: one page {"@odata.context", "value":
 * [chatMessage...], "@odata.nextLink"}, several pages (concatenated or one
 * per line, as a paging loop appends them), an array of pages, or an array
 * of chatMessages (Get-MgChatMessage | ConvertTo-Json). Each chatMessage
 * is named by the line it starts on. A chatMessage id is unique only
 * within its chat or channel (it is the creation time in milliseconds):
 * the message id stored is "<chatId or channelId>:<id>", as purview.c
 * writes the same message ("<ChatThreadId>:<MessageId>"). */
#include "adapters.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csvin.h"
#include "hash.h"
#include "json.h"
#include "jsondoc.h"
#include "records.h"
#include "textin.h"
#include "timeutil.h"
#include "tzguess.h"
#include "xalloc.h"

#define TEAMS_MAX_ID 256

struct user_map {
	char *id, *handle;              /* lower case */
};

struct teams {
	struct ingest_ctx *ctx;
	int retained;                   /* -1 not said, 0 no, 1 yes */
	int retained_opt;               /* the option gave it */
	unsigned long retained_line;    /* the page that named the API */
	unsigned long loaded;           /* messages loaded so far */
	struct user_map *map;
	size_t nmap;
	unsigned long system, apps, unmapped, no_conv;
	char first_unmapped[TEAMS_MAX_ID];
	struct tz_guess tz;             /* Graph times carry a zone: one without is said */
};

static const char *str_field(const struct json *o, const char *key)
{
	return json_str(json_get(o, key));
}

static void lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

/* ---- the users option: Entra ID object ids to user principal names ---- */

static int cmp_map(const void *a, const void *b)
{
	return strcmp(((const struct user_map *)a)->id, ((const struct user_map *)b)->id);
}

static int find_col(const struct csv_header *h, const char *const *names)
{
	int i = -1;
	for (; *names && i < 0; names++)
		i = csv_header_find(h, *names);
	return i;
}

/* A CSV with an object id and a principal name per user: the Entra admin
 * center's "Download users" (id, userPrincipalName) or a Graph /users
 * listing saved as CSV. */
static int load_users(struct teams *t, const char *path)
{
	static const char *const id_names[] = { "id", "objectId", "Object ID", "ObjectId", NULL };
	static const char *const upn_names[] = { "userPrincipalName", "User principal name",
						 "UPN", "mail", NULL };
	struct textin *in = textin_open(path);
	struct csv_reader *r;
	struct csv_header h = { 0, NULL };
	struct csv_row row;
	const char *err;
	size_t alloc = 0;
	int rc, ci, cu, status = 0;

	if (!in)
		return -1;
	r = csv_reader_new(in);
	rc = csv_next(r, &row, &err);
	if (rc != 1) {
		struct src_loc at = { path, 1, 0 };
		csv_reader_free(r);
		return rc == -2 ? -1 : diag_error(&at, "users file: no header row");
	}
	csv_header_init(&h, &row);
	ci = find_col(&h, id_names);
	cu = find_col(&h, upn_names);
	if (ci < 0 || cu < 0) {
		struct src_loc at = { path, 1, 0 };
		status = diag_error(&at, "users file: needs the columns 'id' (or 'objectId') and"
				    " 'userPrincipalName'");
		goto out;
	}
	while ((rc = csv_next(r, &row, &err)) != 0) {
		const char *id, *upn;
		struct src_loc at = { path, row.line, 0 };
		if (rc == -2) {
			status = -1;
			break;
		}
		if (rc == -1) {
			diag_warn(&at, "users file: %s (row skipped)", err);
			continue;
		}
		id = csv_field(&row, ci);
		upn = csv_field(&row, cu);
		if (!id || !*id || !upn || !*upn)
			continue;
		if (strlen(id) >= TEAMS_MAX_ID || strlen(upn) >= TEAMS_MAX_ID) {
			diag_warn(&at, "users file: value longer than %d bytes (row skipped)",
				  TEAMS_MAX_ID - 1);
			continue;
		}
		t->map = xgrow(t->map, t->nmap + 1, &alloc, sizeof(*t->map));
		t->map[t->nmap].id = xstrdup(id);
		t->map[t->nmap].handle = xstrdup(upn);
		lower(t->map[t->nmap].id);
		lower(t->map[t->nmap++].handle);
	}
	if (t->nmap)
		qsort(t->map, t->nmap, sizeof(*t->map), cmp_map);
out:
	csv_header_release(&h);
	csv_reader_free(r);
	return status;
}

/* The account handle of a sender: its principal name from the users
 * file, else its object id (lower case). */
static const char *handle_of(struct teams *t, char *id)
{
	struct user_map key = { id, NULL }, *m;

	lower(id);
	m = t->nmap ? bsearch(&key, t->map, t->nmap, sizeof(*t->map), cmp_map) : NULL;
	if (m)
		return m->handle;
	if (!t->unmapped++)
		snprintf(t->first_unmapped, sizeof(t->first_unmapped), "%s", id);
	return id;
}

/* ---- one chatMessage ---- */

static int message_time(struct teams *t, const struct json *m, const char *key,
			unsigned long line, long long *ts)
{
	const char *v = str_field(m, key);

	if (!v || !*v)
		return 1;       /* absent or null */
	if (time_parse(v, ts, NULL))
		return -1;
	tz_guess_apply(&t->tz, v, ts, line, NULL);
	return 0;
}

static int on_message(struct teams *t, const struct json *m, unsigned long line)
{
	struct ingest_ctx *ctx = t->ctx;
	const char *id = str_field(m, "id"), *type = str_field(m, "messageType");
	const struct json *user = json_get(json_get(m, "from"), "user");
	const char *uid = str_field(user, "id"), *conv = str_field(m, "chatId");
	const char *body = str_field(json_get(m, "body"), "content");
	char idbuf[TEAMS_MAX_ID], account[TEAMS_MAX_ID + 8], hex[SHA256_HEX_LEN];
	char mid[2 * TEAMS_MAX_ID + 2];
	long long sent, deleted;
	int drc;

	if (json_type_of(m) != JT_OBJECT)
		return bad_record(&ctx->bad, line, 0, "expected a chatMessage object");
	if (type && strcmp(type, "message")) {
		t->system++;            /* systemEventMessage, chatEvent, typing, ... */
		ctx->ignored++;
		return 0;
	}
	if (!id || !*id)
		return bad_record(&ctx->bad, line, 0, "chatMessage without 'id'");
	if (strlen(id) >= TEAMS_MAX_ID)
		return bad_record(&ctx->bad, line, 0, "'id' longer than %d bytes", TEAMS_MAX_ID - 1);
	if (message_time(t, m, "createdDateTime", line, &sent))
		return bad_record(&ctx->bad, line, 0, "message '%s': missing or bad 'createdDateTime'", id);
	drc = message_time(t, m, "deletedDateTime", line, &deleted);
	if (drc < 0)
		return bad_record(&ctx->bad, line, 0, "message '%s': bad 'deletedDateTime' '%s'", id,
				  str_field(m, "deletedDateTime"));
	if (!uid || !*uid) {
		/* from.application (bots, connectors, webhooks) or no sender */
		t->apps++;
		ctx->ignored++;
		return 0;
	}
	if (strlen(uid) >= TEAMS_MAX_ID)
		return bad_record(&ctx->bad, line, 0, "'from.user.id' longer than %d bytes",
				  TEAMS_MAX_ID - 1);
	if (!conv || !*conv)
		conv = str_field(json_get(m, "channelIdentity"), "channelId");
	if (conv && strlen(conv) >= TEAMS_MAX_ID)
		return bad_record(&ctx->bad, line, 0, "'chatId' longer than %d bytes",
				  TEAMS_MAX_ID - 1);
	if (conv && *conv)
		snprintf(mid, sizeof(mid), "%s:%s", conv, id);
	else
		snprintf(mid, sizeof(mid), "%s", id);   /* counted: may meet another chat's */
	t->no_conv += !conv || !*conv;
	snprintf(idbuf, sizeof(idbuf), "%s", uid);
	snprintf(account, sizeof(account), "teams:%s", handle_of(t, idbuf));

	struct usage_rec u = {
		.ts = sent, .event = EV_SENT, .app = "teams", .account = account,
		.message_id = mid, .conversation_id = conv, .ttl_seconds = -1,
	};
	if (records_put_usage(ctx, line, &u))
		return -1;
	if (!drc) {
		u.ts = deleted;
		u.event = EV_DELETED;
		if (records_put_usage(ctx, line, &u))
			return -1;
	}
	if (t->retained == 1) {
		struct store_msg_rec r = {
			.message_id = mid, .app = "teams", .account = account,
			.conversation_id = conv, .sent_ts = sent, .captured_ts = sent,
			.purged_ts = -1, .sha256 = NULL, .purge_reason = NULL,
		};
		if (body && *body) {
			sha256_mem(body, strlen(body), hex);
			r.sha256 = hex;
		}
		if (records_put_store_msg(ctx, line, &r))
			return -1;
	}
	t->loaded++;
	return 0;
}

/* ---- pages ---- */

static int names_retained(const struct json *page, const char *key)
{
	const char *v = str_field(page, key);
	return v && strcasestr(v, "getAllRetainedMessages") != NULL;
}

static int on_page(struct teams *t, const struct json *page, const unsigned long *lines,
		   size_t nlines, unsigned long line)
{
	const struct json *msgs = json_get(page, "value");
	size_t n = json_len(msgs);

	if (t->retained < 0 && !t->retained_opt &&
	    (names_retained(page, "@odata.context") || names_retained(page, "@odata.nextLink"))) {
		struct src_loc at = { t->ctx->path, line, 0 };
		if (t->loaded)
			diag_warn(&at, "this page is of getAllRetainedMessages, the %lu messages"
				  " before it were read as getAllMessages (give retained=yes)",
				  t->loaded);
		t->retained = 1;
		t->retained_line = line;
	}
	for (size_t i = 0; i < n; i++)
		if (on_message(t, json_at(msgs, i), lines && i < nlines ? lines[i] : line))
			return -1;
	return 0;
}

/* A page has "value"; anything else with a createdDateTime or messageType
 * is taken for a chatMessage. */
static int is_page(const struct json *o)
{
	const struct json *v = json_get(o, "value");
	return v && json_type_of(v) == JT_ARRAY;
}

static int on_value(struct teams *t, const struct jsondoc_value *v)
{
	unsigned long line, col, *lines = NULL;
	const char *err;
	size_t n;
	int rc = 0;
	struct json *j = jsondoc_parse(v, &line, &col, &err);

	if (!j)
		return bad_record(&t->ctx->bad, line, col, "bad JSON: %s", err);
	if (json_type_of(j) == JT_OBJECT && is_page(j)) {
		lines = jsondoc_lines(v, "value", &n);
		rc = on_page(t, j, lines, n, v->line);
	} else if (json_type_of(j) == JT_OBJECT) {
		rc = on_message(t, j, v->line);
	} else {
		lines = jsondoc_lines(v, NULL, &n);
		for (size_t i = 0; i < json_len(j) && !rc; i++) {
			const struct json *e = json_at(j, i);
			unsigned long at = i < n ? lines[i] : v->line;
			rc = is_page(e) ? on_page(t, e, NULL, 0, at) : on_message(t, e, at);
		}
	}
	free(lines);
	json_free(j);
	return rc;
}

static int retained_option(struct teams *t)
{
	const char *v = ingest_opt(t->ctx, "retained");
	struct src_loc at = { t->ctx->path, 0, 0 };

	t->retained = -1;
	if (!v)
		return 0;
	t->retained_opt = 1;
	if (!strcmp(v, "yes"))
		t->retained = 1;
	else if (!strcmp(v, "no"))
		t->retained = 0;
	else
		return diag_error(&at, "bad retained option '%s' (expected yes or no)", v);
	return 0;
}

int load_teams(struct ingest_ctx *ctx)
{
	struct teams t;
	struct jsondoc *d;
	struct jsondoc_value v;
	const char *users = ingest_opt(ctx, "users");
	unsigned long values = 0;
	int rc = 0;

	memset(&t, 0, sizeof(t));
	t.ctx = ctx;
	if (tz_guess_init(&t.tz, ctx) || retained_option(&t) || (users && load_users(&t, users))) {
		rc = -1;
		goto out;
	}
	d = jsondoc_open(ctx->path);
	if (!d) {
		rc = -1;
		goto out;
	}
	while (!rc && (rc = jsondoc_next(d, &v)) != JSONDOC_END) {
		if (rc == JSONDOC_ERROR)
			break;
		values++;
		rc = rc == JSONDOC_BAD ? bad_record(&ctx->bad, v.line, v.col, "%s", v.err)
				       : on_value(&t, &v);
	}
	jsondoc_free(d);
	if (rc)
		goto out;
	if (!values) {
		struct src_loc at = { ctx->path, 0, 0 };
		rc = diag_error(&at, "empty file (expected a Graph page of chatMessages)");
		goto out;
	}
	if (t.system || t.apps)
		diag_note("%s: ignored %lu system-event messages and %lu messages from"
			  " applications or bots", ctx->path, t.system, t.apps);
	if (t.no_conv) {
		struct src_loc at = { ctx->path, 0, 0 };
		diag_warn(&at, "%lu messages without 'chatId' or 'channelIdentity': their ids are"
			  " not qualified by a conversation and may meet another chat's", t.no_conv);
	}
	if (t.unmapped && !users) {
		diag_note("%s: no users file: the accounts of %lu messages are teams:<object id>"
			  " (the first '%s'); Purview and accounts.csv name senders by principal"
			  " name: give users=FILE to map them", ctx->path, t.unmapped,
			  t.first_unmapped);
	} else if (t.unmapped) {
		struct src_loc at = { ctx->path, 0, 0 };
		diag_warn(&at, "%lu messages from users not in the users file (first '%s'):"
			  " their accounts are teams:<object id>", t.unmapped, t.first_unmapped);
	}
	if (tz_guess_report(&t.tz, ctx)) {
		rc = -1;
		goto out;
	}
	if (t.retained == 1 && !t.retained_opt)
		diag_note("%s: read as getAllRetainedMessages (the page at line %lu names it):"
			  " messages also go to the compliance store", ctx->path, t.retained_line);
	else if (t.retained < 0 && t.loaded)
		diag_note("%s: no page names getAllRetainedMessages: usage events only"
			  " (give retained=yes for a retained-messages export)", ctx->path);
out:
	for (size_t i = 0; i < t.nmap; i++) {
		free(t.map[i].id);
		free(t.map[i].handle);
	}
	free(t.map);
	return rc ? -1 : 0;
}
