/* ad_purview: the Microsoft Purview (unified) audit log CSV export into
 * usage events for Teams message operations (spec §6, formats.md §4). Both
 * header layouts are read: the classic "CreationDate,UserIds,Operations,
 * AuditData" and the current "RecordId,CreationDate,RecordType,Operation,
 * UserId,AuditData,...". AuditData is a JSON object inside a CSV cell. */
#include "adapters.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "crosscheck.h"
#include "hash.h"
#include "json.h"
#include "records.h"
#include "strbuf.h"
#include "timeutil.h"
#include "tzguess.h"

enum { PF_DATE, PF_USER, PF_USERS, PF_OP, PF_OPS, PF_TYPE, PF_AUDIT, PF_COUNT };

static const struct csv_col cols[PF_COUNT] = {
	[PF_DATE] = { "CreationDate", 1 }, [PF_USER] = { "UserId", 0 },
	[PF_USERS] = { "UserIds", 0 }, [PF_OP] = { "Operation", 0 },
	[PF_OPS] = { "Operations", 0 }, [PF_TYPE] = { "RecordType", 0 },
	[PF_AUDIT] = { "AuditData", 1 },
};

/* Teams operations that say a message exists on, or left, the account.
 * The rest (edits, reads of lists, membership, sessions) are ignored. */
static const struct {
	const char *op;
	enum usage_kind ev;
} ops[] = {
	{ "MessageSent", EV_SENT },
	{ "MessageCreatedHasLink", EV_SENT },
	{ "MessageRead", EV_RECEIVED },
	{ "MessageDeleted", EV_DELETED },
};

static const char *str_field(const struct json *o, const char *key)
{
	return json_str(json_get(o, key));
}

/* A Teams record: RecordType 25 (or "MicrosoftTeams"), or Workload. */
static int is_teams(const char *type_col, const struct json *audit)
{
	const char *wl = str_field(audit, "Workload");
	long long rt;

	if (*type_col)
		return !strcasecmp(type_col, "MicrosoftTeams") || !strcmp(type_col, "25");
	if (wl)
		return !strcasecmp(wl, "MicrosoftTeams");
	return !json_int(json_get(audit, "RecordType"), &rt) && rt == 25;
}

/* A string, or a whole number written as one into buf. */
static const char *id_value(const struct json *v, char *buf, size_t n)
{
	long long i;

	if (v && json_type_of(v) == JT_INT && !json_int(v, &i)) {
		snprintf(buf, n, "%lld", i);
		return buf;
	}
	return json_str(v) && *json_str(v) ? json_str(v) : NULL;
}

/* The first item of Messages[] carries the ids when the top level does
 * not. The result may be buf. */
static const char *msg_field(const struct json *audit, const char *top, const char *inner,
			     char *buf, size_t n)
{
	const char *v = id_value(json_get(audit, top), buf, n);

	if (v)
		return v;
	return id_value(json_get(json_at(json_get(audit, "Messages"), 0), inner), buf, n);
}

/* A value without the spaces around it (real exports have CreationDate
 * values with a trailing space). */
static const char *trimmed(const char *v, char *buf, size_t n)
{
	size_t len;

	while (*v == ' ' || *v == '\t')
		v++;
	len = strlen(v);
	while (len && (v[len - 1] == ' ' || v[len - 1] == '\t' || v[len - 1] == '\r'))
		len--;
	if (len >= n)
		len = n - 1;
	memcpy(buf, v, len);
	buf[len] = '\0';
	return buf;
}

/* A MessageSent (or MessageCreatedHasLink) without MessageId still says a
 * message was sent: its id is derived as RSMF's are, "purview-" + 16 hex
 * digits of the SHA-256 of user, time, conversation and the audit record's
 * own Id, so the same export gives the same ids. */
static void derive_id(const char *user, const char *when, const char *conv,
		      const char *record_id, char out[32])
{
	struct strbuf sb = STRBUF_INIT;
	const char *f[4] = { user, when, conv ? conv : "", record_id ? record_id : "" };
	char hex[SHA256_HEX_LEN];

	for (int i = 0; i < 4; i++)
		strbuf_add(&sb, f[i], strlen(f[i]) + 1);
	sha256_mem(sb.buf, sb.len, hex);
	strbuf_release(&sb);
	snprintf(out, 32, "purview-%.16s", hex);
}

/* A row's ids that cannot meet the same message from a Graph export:
 * counted, with the first value and line. */
struct unmatched {
	unsigned long count, line;
	char first[64];
	const char *field;              /* the first one's field */
};

struct purview {
	struct tz_guess tz;
	unsigned long derived;          /* ids derived in this file */
	struct unmatched not_thread;    /* a conversation that is no thread id */
	struct unmatched no_conv;       /* no conversation at all */
};

static void unmatched_add(struct unmatched *u, const char *field, const char *value,
			  unsigned long line)
{
	if (!u->count++) {
		u->line = line;
		u->field = field;
		snprintf(u->first, sizeof(u->first), "%s", value);
	}
}

/* A Teams thread id, as Graph writes chatId and channelIdentity.channelId:
 * "19:…@thread.tacv2", "19:…@thread.skype", "19:…@thread.v2",
 * "19:…@unq.gbl.spaces". */
static int is_thread_id(const char *v)
{
	return !strncmp(v, "19:", 3) && strchr(v, '@');
}

/* The conversation the row names: ChatThreadId, else ChannelGuid (each at
 * the top of AuditData, else in Messages[0]); NULL when neither. A value
 * that is no thread id (a ChannelGuid that is a bare GUID, as the schema's
 * Edm.Guid type allows) still qualifies the id but cannot meet Graph's:
 * counted. The result may be buf. */
static const char *row_conv(struct purview *p, const struct json *audit, char *buf, size_t n,
			    unsigned long line)
{
	const char *field = "ChatThreadId";
	const char *conv = msg_field(audit, field, field, buf, n);

	if (!conv) {
		field = "ChannelGuid";
		conv = msg_field(audit, field, field, buf, n);
	}
	if (conv && !is_thread_id(conv))
		unmatched_add(&p->not_thread, field, conv, line);
	return conv;
}

/* The CSV's CreationDate carries a zone (one without is said); else
 * AuditData's CreationTime, UTC without one by Microsoft's schema. 0: read;
 * 1: the row is a bad record, *rc what bad_record() said. */
static int row_time(struct ingest_ctx *ctx, const char *const *val, struct json *audit,
		    unsigned long line, long long *ts, int *rc)
{
	const char *created = str_field(audit, "CreationTime");
	char datebuf[64];

	if (!time_parse(trimmed(val[PF_DATE], datebuf, sizeof(datebuf)), ts, NULL)) {
		tz_guess_apply(&((struct purview *)ctx->user)->tz, datebuf, ts, line, NULL);
		return 0;
	}
	if (!created || time_parse(created, ts, NULL)) {
		*rc = bad_record(&ctx->bad, line, 0, "bad CreationDate '%s'", val[PF_DATE]);
		return 1;
	}
	return 0;
}

static int row(struct ingest_ctx *ctx, const char *const *val, unsigned long line)
{
	const char *op = *val[PF_OP] ? val[PF_OP] : val[PF_OPS];
	const char *user = *val[PF_USER] ? val[PF_USER] : val[PF_USERS];
	const char *msgid, *conv;
	struct json *audit;
	const char *err;
	unsigned long col;
	struct purview *p = ctx->user;
	char account[320], idbuf[32], convbuf[32], derived[32], qual[640];
	struct usage_rec r;
	int rc = 0, k = -1;
	size_t n;

	audit = json_parse(val[PF_AUDIT], strlen(val[PF_AUDIT]), &col, &err);
	if (!audit)
		return bad_record(&ctx->bad, line, 0, "AuditData: bad JSON at byte %lu: %s", col, err);
	if (json_type_of(audit) != JT_OBJECT) {
		rc = bad_record(&ctx->bad, line, 0, "AuditData: not a JSON object");
		goto out;
	}
	if (!*op)
		op = str_field(audit, "Operation") ? str_field(audit, "Operation") : "";
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (!strcmp(op, ops[i].op))
			k = (int)i;
	if (k < 0 || !is_teams(val[PF_TYPE], audit)) {
		ctx->ignored++;         /* another workload or operation */
		goto out;
	}
	if (!*user)
		user = str_field(audit, "UserId") ? str_field(audit, "UserId") : "";
	if (!*user) {
		rc = bad_record(&ctx->bad, line, 0, "%s without a UserId", op);
		goto out;
	}
	memset(&r, 0, sizeof(r));
	r.ttl_seconds = -1;
	if (row_time(ctx, val, audit, line, &r.ts, &rc))
		goto out;
	conv = row_conv(p, audit, convbuf, sizeof(convbuf), line);
	msgid = msg_field(audit, "MessageId", "Id", idbuf, sizeof(idbuf));
	if (!msgid && ops[k].ev == EV_SENT) {
		char iso[TIME_ISO_LEN];
		time_fmt_iso(r.ts, iso);
		derive_id(user, iso, conv, str_field(audit, "Id"), derived);
		msgid = derived;
		p->derived++;
	}
	if (!msgid) {
		rc = bad_record(&ctx->bad, line, 0, "%s without a MessageId", op);
		goto out;
	}
	/* a MessageId is unique only within its chat: qualified by the chat,
	   as teams.c writes the same message from the Graph export */
	if (msgid != derived && conv && *conv) {
		snprintf(qual, sizeof(qual), "%s:%s", conv, msgid);
		msgid = qual;
	} else if (msgid != derived) {
		unmatched_add(&p->no_conv, "MessageId", msgid, line);
	}
	/* accounts are UPNs, which are case-insensitive: keep them lower case */
	n = (size_t)snprintf(account, sizeof(account), "teams:%s", user);
	if (n >= sizeof(account)) {
		rc = bad_record(&ctx->bad, line, 0, "UserId too long");
		goto out;
	}
	for (size_t i = 6; i < n; i++)
		account[i] = (char)tolower((unsigned char)account[i]);
	r.event = ops[k].ev;
	r.app = "teams";
	r.account = account;
	r.message_id = msgid;
	r.conversation_id = conv;
	rc = records_put_usage(ctx, line, &r);
out:
	json_free(audit);
	return rc;
}

/* The rows whose ids cannot meet a Graph export's: a warning at the
 * first one's line with the count, and a data_quality row (spec 7: a
 * mismatch between inputs is never silent). 0 or -1. */
static int unmatched_report(struct ingest_ctx *ctx, const struct unmatched *u, int no_conv)
{
	struct src_loc at = { ctx->path, u->line, 0 };
	int one = u->count == 1;

	if (!u->count)
		return 0;
	if (no_conv)
		diag_warn(&at, "%lu Teams message%s without ChatThreadId or ChannelGuid (%s"
			  " '%s'%s): %s not qualified by a conversation and cannot be matched to"
			  " the same message from a Graph export", u->count, one ? "" : "s", u->field,
			  u->first, one ? "" : " the first", one ? "its id is" : "their ids are");
	else
		diag_warn(&at, "%lu Teams message%s whose conversation is not a Teams thread id"
			  " (%s '%s'%s; a Graph export names it 19:…@thread…): %s cannot"
			  " be matched to the same message from a Graph export", u->count,
			  one ? "" : "s", u->field, u->first, one ? "" : " the first",
			  one ? "it" : "they");
	return quality_add(ctx->st, "teams_id_unmatched", no_conv ? "Teams message without a"
			   " conversation: cannot be matched to a Graph export" : "Teams conversation"
			   " that is not a thread id: cannot be matched to a Graph export", u->first,
			   NULL, (long long)u->count, "messages", ctx->input_id, u->line, 1);
}

int load_purview(struct ingest_ctx *ctx)
{
	struct purview p;
	int rc;

	memset(&p, 0, sizeof(p));
	if (tz_guess_init(&p.tz, ctx))
		return -1;
	ctx->user = &p;
	rc = ingest_csv(ctx, cols, PF_COUNT, row);
	ctx->user = NULL;
	if (!rc)
		rc = tz_guess_report(&p.tz, ctx);
	if (!rc)
		rc = unmatched_report(ctx, &p.not_thread, 0);
	if (!rc)
		rc = unmatched_report(ctx, &p.no_conv, 1);
	if (!rc && p.derived)
		diag_note("%s: %lu message%s sent without a MessageId: id derived (purview-…)",
			  ctx->path, p.derived, p.derived == 1 ? "" : "s");

	if (!rc && ctx->ignored)
		diag_note("%s: ignored %lu records that are not Teams message operations",
			  ctx->path, ctx->ignored);
	return rc;
}
