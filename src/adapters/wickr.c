/* ad_wickr: AWS Wickr data-retention (Wickr Enterprise compliance) bot
 * output into compliance-store records and deletion events (spec §6,
 * formats.md §1). The output is a stream of JSON objects, one per line as
 * written, but pretty-printed objects are accepted too: objects are cut out
 * of the text by brace depth, then parsed one by one, so a broken object
 * costs one bad record with its file:line:col. */
#include "adapters.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crosscheck.h"
#include "hash.h"
#include "json.h"
#include "localdate.h"
#include "records.h"
#include "strbuf.h"
#include "textin.h"
#include "timeutil.h"
#include "utf8.h"
#include "xalloc.h"

#define WICKR_MAX_OBJECT (16 << 20)     /* bytes of one JSON object */

struct wickr {
	struct ingest_ctx *ctx;
	struct strbuf obj;              /* the object being cut out */
	unsigned long line, col;        /* where it starts */
	int depth, in_str, esc, open;
	unsigned long unknown, controls, edits, others;
	long long tz;                   /* of time_iso, option tz */
	unsigned long iso_only, derived;
	unsigned long iso_line;         /* the first record read by time_iso */
	char iso_first[40];
	/* the message ids this file captured, and its deletions: a deletion of
	   a message the file never captured is a copy that existed (below) */
	char **ids;
	size_t nids, aids;
	struct deletion *dels;
	size_t ndels, adels;
};

struct deletion {
	char *target, *account, *conv;
	long long ts;
	unsigned long line;
};

/* ---- fields ---- */

/* A string field, NULL when absent or not a string. */
static const char *str_field(const struct json *o, const char *key)
{
	return json_str(json_get(o, key));
}

/* msg_ts: a string of epoch seconds, or a number in hand-made files. It
 * is the server's UTC time. time_iso is a display time of the bot's host
 * (no zone): it is used only when msg_ts is absent, read in option tz, and
 * counted (a note says so). A msg_ts that is there but unusable is an
 * error, never replaced by time_iso. 0, -1 bad msg_ts, -2 no time at all. */
static int event_ts(struct wickr *w, const struct json *o, long long *ts)
{
	const struct json *v = json_get(o, "msg_ts");
	const char *iso;
	double d;

	if (v) {
		if (json_type_of(v) == JT_STRING)
			return time_parse_epoch(json_str(v), ts);
		if (!json_number(v, &d) && d >= 0 && d < 1e12) {
			*ts = (long long)d;
			return 0;
		}
		return -1;
	}
	iso = str_field(o, "time_iso");
	if (iso && !time_parse(iso, ts, NULL)) {
		if (time_zoneless(iso))
			*ts -= w->tz;
		if (!w->iso_only++) {
			w->iso_line = w->line;
			snprintf(w->iso_first, sizeof(w->iso_first), "%s", iso);
		}
		return 0;
	}
	return -2;
}

/* ---- one event ---- */

/* A message without message_id (the Wickr Enterprise guide's own
 * Appendix B example has none): "wickr-" + 16 hex digits of the SHA-256 of
 * sender, msg_ts as written, conversation, type and body, so the same
 * output gives the same id. */
static void derive_id(const struct json *o, long msgtype, const char *body, char out[32])
{
	struct strbuf sb = STRBUF_INIT;
	const struct json *ts = json_get(o, "msg_ts");
	const char *f[3] = { str_field(o, "sender"), json_str(ts) ? json_str(ts) :
			     str_field(o, "time_iso"), str_field(o, "vgroupid") };
	char hex[SHA256_HEX_LEN];

	for (int i = 0; i < 3; i++)
		strbuf_add(&sb, f[i] ? f[i] : "", strlen(f[i] ? f[i] : "") + 1);
	strbuf_addf(&sb, "%ld", msgtype);
	strbuf_add(&sb, "", 1);
	strbuf_addstr(&sb, body ? body : "");
	sha256_mem(sb.buf, sb.len, hex);
	strbuf_release(&sb);
	snprintf(out, 32, "wickr-%.16s", hex);
}

static void keep_id(struct wickr *w, const char *id)
{
	w->ids = xgrow(w->ids, w->nids + 1, &w->aids, sizeof(*w->ids));
	w->ids[w->nids++] = xstrdup(id);
}

static int store_msg(struct wickr *w, const struct json *o, long msgtype, long long ts,
		     const char *account, unsigned long line)
{
	const char *id = str_field(o, "message_id"), *vgroup = str_field(o, "vgroupid");
	const char *body = NULL;
	char hex[SHA256_HEX_LEN], idbuf[32];
	struct store_msg_rec r;

	if (msgtype == 1000)
		body = str_field(o, "message");
	else if (msgtype == 6000)
		body = str_field(json_get(o, "file"), "guid");
	if (!id || !*id) {
		if (msgtype != 1000 || !body)
			return bad_record(&w->ctx->bad, line, w->col,
					  "msgtype %ld without 'message_id'", msgtype);
		derive_id(o, msgtype, body, idbuf);
		id = idbuf;
		w->derived++;
	}
	r = (struct store_msg_rec){
		.message_id = id, .app = "wickr", .account = account,
		.conversation_id = vgroup, .sent_ts = ts, .captured_ts = ts,
		.purged_ts = -1, .sha256 = NULL, .purge_reason = NULL,
	};
	if (body) {
		sha256_mem(body, strlen(body), hex);
		r.sha256 = hex;
	}
	keep_id(w, id);
	return records_put_store_msg(w->ctx, line, &r);
}

static int deletion(struct wickr *w, const struct json *o, long long ts, const char *account,
		    unsigned long line)
{
	const struct json *control = json_get(o, "control");
	const char *target = str_field(control, "msgid");
	struct usage_rec r;

	if (!target || !*target)
		target = str_field(control, "message_id");
	if (!target || !*target)
		return bad_record(&w->ctx->bad, line, w->col,
				  "msgtype 4011 without 'control.msgid' or 'control.message_id'");
	r = (struct usage_rec){
		.ts = ts, .event = EV_DELETED, .app = "wickr", .account = account,
		.message_id = target, .conversation_id = str_field(o, "vgroupid"),
		.ttl_seconds = -1,
	};
	w->dels = xgrow(w->dels, w->ndels + 1, &w->adels, sizeof(*w->dels));
	w->dels[w->ndels++] = (struct deletion){
		xstrdup(target), xstrdup(account), r.conversation_id ? xstrdup(r.conversation_id) : NULL,
		ts, line,
	};
	return records_put_usage(w->ctx, line, &r);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A deletion (4011) of a message this file never captured is evidence that
 * a message existed which the archive does not hold: the deleter held a
 * copy. It becomes a `received` copy on the deleter's account at the
 * deletion's time (its sent time is unknown: no later than that), so that
 * the analysis judges it like any other copy: retained (the store of
 * another file has it) means no finding; not retained, deleted: an
 * UNCAPTURED_DELETION. */
static int uncaptured_copies(struct wickr *w)
{
	unsigned long n = 0;

	if (w->nids)            /* qsort of a NULL array is undefined, even of 0 items */
		qsort(w->ids, w->nids, sizeof(*w->ids), cmp_str);
	for (size_t i = 0; i < w->ndels; i++) {
		const struct deletion *d = &w->dels[i];
		struct usage_rec r;
		if (w->nids && bsearch(&d->target, w->ids, w->nids, sizeof(*w->ids), cmp_str))
			continue;
		r = (struct usage_rec){
			.ts = d->ts, .event = EV_RECEIVED, .app = "wickr", .account = d->account,
			.message_id = d->target, .conversation_id = d->conv, .ttl_seconds = -1,
			.ts_bound = 1,
		};
		if (records_put_usage(w->ctx, d->line, &r))
			return -1;
		n++;
	}
	if (n)
		diag_note("%s: %lu deletion%s of messages not captured in this file: each is a copy"
			  " on the deleter's account at the deletion's time (its sent time is unknown)",
			  w->ctx->path, n, n == 1 ? "" : "s");
	return 0;
}

static int on_object(struct wickr *w, const char *text, size_t len)
{
	unsigned long line = w->line;
	struct json *o;
	const char *err, *sender;
	unsigned long ecol;
	long long msgtype, ts;
	char account[512];
	int rc = 0;

	o = json_parse(text, len, &ecol, &err);
	if (!o) {
		/* jansson's position is a byte offset into the object: make it a
		   line and column of the file */
		unsigned long l = line, c = w->col;
		for (size_t i = 0; i + 1 < ecol && i < len; i++) {
			if (text[i] == '\n') {
				l++;
				c = 1;
			} else {
				c++;
			}
		}
		return bad_record(&w->ctx->bad, l, c, "bad JSON: %s", err);
	}
	if (json_type_of(o) != JT_OBJECT) {
		rc = bad_record(&w->ctx->bad, line, w->col, "expected a JSON object");
		goto out;
	}
	if (json_int(json_get(o, "msgtype"), &msgtype)) {
		rc = bad_record(&w->ctx->bad, line, w->col, "missing or bad 'msgtype'");
		goto out;
	}
	switch (msgtype) {
	case 1000: case 6000: case 7000: case 8000: case 4011:
		break;
	case 9000: case 9100: case 9200:
		w->edits++;             /* edits, reactions, read receipts */
		w->ctx->ignored++;
		goto out;
	default:
		if (msgtype >= 4000 && msgtype < 5000)
			w->controls++;
		else if (msgtype == 3000)
			w->others++;
		else
			w->unknown++;
		w->ctx->ignored++;
		goto out;
	}
	sender = str_field(o, "sender");
	if (!sender || !*sender) {
		rc = bad_record(&w->ctx->bad, line, w->col, "msgtype %lld without 'sender'", msgtype);
		goto out;
	}
	switch (event_ts(w, o, &ts)) {
	case 0:
		break;
	case -1:
		rc = bad_record(&w->ctx->bad, line, w->col, "msgtype %lld: bad 'msg_ts'", msgtype);
		goto out;
	default:
		rc = bad_record(&w->ctx->bad, line, w->col,
				"msgtype %lld without 'msg_ts' (or 'time_iso')", msgtype);
		goto out;
	}
	if ((size_t)snprintf(account, sizeof(account), "wickr:%s", sender) >= sizeof(account)) {
		rc = bad_record(&w->ctx->bad, line, w->col, "'sender' too long");
		goto out;
	}
	if (msgtype == 4011)
		rc = deletion(w, o, ts, account, line);
	else
		rc = store_msg(w, o, (long)msgtype, ts, account, line);
out:
	json_free(o);
	return rc;
}

/* ---- cutting objects out of the text ---- */

static int object_bad(struct wickr *w, const char *why)
{
	int rc = bad_record(&w->ctx->bad, w->line, w->col, "%s", why);
	strbuf_reset(&w->obj);
	w->open = w->depth = w->in_str = w->esc = 0;
	return rc;
}

/* Feed one line; objects that end in it are parsed. */
static int feed(struct wickr *w, const char *s, size_t len, unsigned long lineno)
{
	size_t start = 0;

	if (w->open) {
		if (s[0] == '{' && !w->in_str) {
			/* a new object at column 1 while one is open: the open one
			   was cut short (one object per line is the norm) */
			if (object_bad(w, "unterminated JSON object"))
				return -1;
		} else if (strbuf_addch(&w->obj, '\n')) {
			return object_bad(w, "JSON object too large");
		}
	}
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (!w->open) {
			if (c == ' ' || c == '\t' || c == '\r')
				continue;
			if (c != '{') {
				/* not an object: the rest of the line is one bad record */
				return bad_record(&w->ctx->bad, lineno, i + 1,
						  "expected a JSON object, not '%c'",
						  isprint((unsigned char)c) ? c : '?');
			}
			w->open = 1;
			w->line = lineno;
			w->col = i + 1;
			start = i;
		}
		if (w->in_str) {
			if (w->esc)
				w->esc = 0;
			else if (c == '\\')
				w->esc = 1;
			else if (c == '"')
				w->in_str = 0;
			continue;
		}
		if (c == '"') {
			w->in_str = 1;
		} else if (c == '{' || c == '[') {
			w->depth++;
		} else if ((c == '}' || c == ']') && --w->depth == 0) {
			int rc;
			if (strbuf_add(&w->obj, s + start, i + 1 - start))
				return object_bad(w, "JSON object too large");
			rc = on_object(w, w->obj.buf, w->obj.len);
			strbuf_reset(&w->obj);
			w->open = 0;
			if (rc)
				return -1;
		}
	}
	if (w->open) {
		if (w->in_str)          /* JSON strings do not span lines */
			return object_bad(w, "unterminated string in JSON object");
		if (strbuf_add(&w->obj, s + start, len - start))
			return object_bad(w, "JSON object too large");
	}
	return 0;
}

/* Records without msg_ts were read by time_iso, a local time of the bot's
 * host: in tz= when given (said), else taken as UTC, a guess said with
 * its first file:line and count and kept in data_quality as every
 * zone-less time is (tzguess.h). 0 or -1. */
static int iso_report(const struct wickr *w)
{
	struct ingest_ctx *ctx = w->ctx;
	struct src_loc at = { ctx->path, w->iso_line, 0 };
	const char *tz = ingest_opt(ctx, "tz");
	const char *s = w->iso_only == 1 ? "" : "s";

	if (tz) {
		diag_note("%s:%lu: %lu record%s without msg_ts: time_iso (a local time) read as %s"
			  " (the first '%s')", ctx->path, w->iso_line, w->iso_only, s, tz,
			  w->iso_first);
		return 0;
	}
	diag_warn(&at, "%lu record%s without msg_ts: time_iso (a local time of the bot's host,"
		  " the first '%s') taken as UTC; give the input option tz= with its offset",
		  w->iso_only, s, w->iso_first);
	return quality_add(ctx->st, "time_without_zone", "Wickr time_iso without msg_ts, taken"
			   " as UTC", w->iso_first, NULL, (long long)w->iso_only, "records",
			   ctx->input_id, w->iso_line, 1);
}

int load_wickr(struct ingest_ctx *ctx)
{
	struct textin *t = textin_open(ctx->path);
	struct wickr w;
	const char *line;
	size_t len;
	int rc;

	if (!t)
		return -1;
	memset(&w, 0, sizeof(w));
	w.ctx = ctx;
	if (localdate_tz_opt(ctx, &w.tz)) {
		textin_free(t);
		return -1;
	}
	strbuf_init(&w.obj, WICKR_MAX_OBJECT);
	while ((rc = textin_next(t, &line, &len)) > 0) {
		unsigned long lineno = textin_lineno(t);
		size_t bad;
		if (textin_too_long(t)) {
			rc = w.open ? object_bad(&w, "JSON object with a line too long")
				    : bad_record(&ctx->bad, lineno, 0, "line longer than %d bytes",
						 TEXTIN_MAX_LINE);
		} else if ((bad = utf8_check(line, len)) != 0) {
			if (w.open && object_bad(&w, "invalid UTF-8 in JSON object"))
				rc = -1;
			else
				rc = bad_record(&ctx->bad, lineno, bad, "invalid UTF-8");
		} else {
			rc = feed(&w, line, len, lineno);
		}
		if (rc < 0)
			break;
	}
	if (rc == 0 && w.open)
		rc = object_bad(&w, "unterminated JSON object at the end of the file");
	textin_free(t);
	strbuf_release(&w.obj);
	if (rc == 0)
		rc = uncaptured_copies(&w);
	for (size_t i = 0; i < w.nids; i++)
		free(w.ids[i]);
	for (size_t i = 0; i < w.ndels; i++) {
		free(w.dels[i].target);
		free(w.dels[i].account);
		free(w.dels[i].conv);
	}
	free(w.ids);
	free(w.dels);
	if (rc < 0)
		return -1;
	if (w.iso_only && iso_report(&w))
		return -1;
	if (w.derived)
		diag_note("%s: %lu text message%s without message_id: id derived (wickr-…)",
			  ctx->path, w.derived, w.derived == 1 ? "" : "s");
	if (ctx->ignored)
		diag_note("%s: ignored %lu edits/reactions/receipts, %lu room controls, "
			  "%lu verifications, %lu unknown message types", ctx->path, w.edits,
			  w.controls, w.others, w.unknown);
	return 0;
}
