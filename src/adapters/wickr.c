/* ad_wickr: AWS Wickr data-retention (Wickr Enterprise compliance) bot
 * output into compliance-store records and deletion events (spec §6,
 * formats.md §1). The output is a stream of JSON objects, one per line as
 * written, but pretty-printed objects are accepted too: objects are cut out
 * of the text by brace depth, then parsed one by one, so a broken object
 * costs one bad record with its file:line:col. */
#include "adapters.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "hash.h"
#include "json.h"
#include "records.h"
#include "strbuf.h"
#include "textin.h"
#include "timeutil.h"
#include "utf8.h"

#define WICKR_MAX_OBJECT (16 << 20)     /* bytes of one JSON object */

struct wickr {
	struct ingest_ctx *ctx;
	struct strbuf obj;              /* the object being cut out */
	unsigned long line, col;        /* where it starts */
	int depth, in_str, esc, open;
	unsigned long unknown, controls, edits, others;
};

/* ---- fields ---- */

/* A string field, NULL when absent or not a string. */
static const char *str_field(const struct json *o, const char *key)
{
	return json_str(json_get(o, key));
}

/* "1718001000.123456" (any number of fraction digits, maybe none) into
 * whole seconds, without going through a float. */
static int parse_epoch(const char *s, long long *out)
{
	long long v = 0;
	int n = 0;

	for (; isdigit((unsigned char)*s); s++, n++) {
		if (n >= 12)
			return -1;
		v = v * 10 + (*s - '0');
	}
	if (!n)
		return -1;
	if (*s == '.') {
		s++;
		while (isdigit((unsigned char)*s))
			s++;
	}
	if (*s)
		return -1;
	*out = v;
	return 0;
}

/* msg_ts (a string, or a number in hand-made files), else time_iso
 * ("YYYY-MM-DD hh:mm:ss.mmm", no zone: UTC). */
static int event_ts(const struct json *o, long long *ts)
{
	const struct json *v = json_get(o, "msg_ts");
	const char *iso;

	if (v && json_type_of(v) == JT_STRING && !parse_epoch(json_str(v), ts))
		return 0;
	if (v && json_type_of(v) == JT_INT && !json_int(v, ts) && *ts >= 0)
		return 0;
	iso = str_field(o, "time_iso");
	if (iso && !time_parse(iso, ts, NULL))
		return 0;
	return -1;
}

/* ---- one event ---- */

static int store_msg(struct wickr *w, const struct json *o, long msgtype, long long ts,
		     const char *account, unsigned long line)
{
	const char *id = str_field(o, "message_id"), *vgroup = str_field(o, "vgroupid");
	const char *body = NULL;
	char hex[SHA256_HEX_LEN];
	struct store_msg_rec r;

	if (!id || !*id)
		return bad_record(&w->ctx->bad, line, w->col, "msgtype %ld without 'message_id'", msgtype);
	if (msgtype == 1000)
		body = str_field(o, "message");
	else if (msgtype == 6000)
		body = str_field(json_get(o, "file"), "guid");
	r = (struct store_msg_rec){
		.message_id = id, .app = "wickr", .account = account,
		.conversation_id = vgroup, .sent_ts = ts, .captured_ts = ts,
		.purged_ts = -1, .sha256 = NULL, .purge_reason = NULL,
	};
	if (body) {
		sha256_mem(body, strlen(body), hex);
		r.sha256 = hex;
	}
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
	return records_put_usage(w->ctx, line, &r);
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
	if (event_ts(o, &ts)) {
		rc = bad_record(&w->ctx->bad, line, w->col,
				"msgtype %lld without a usable 'msg_ts' or 'time_iso'", msgtype);
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
	if (rc < 0)
		return -1;
	if (ctx->ignored)
		diag_note("%s: ignored %lu edits/reactions/receipts, %lu room controls, "
			  "%lu verifications, %lu unknown message types", ctx->path, w.edits,
			  w.controls, w.others, w.unknown);
	return 0;
}
