/* ad_rsmf: RSMF 2.0 (Relativity Short Message Format) into compliance-store
 * records and deletion events (spec §6, formats.md §5.1). Reads
 * rsmf_manifest.json, or the zip (rsmf.zip) that holds it. The manifest is
 * one JSON document: participants and conversations are indexed first,
 * then each message event becomes a store record; a reference to an
 * unknown participant or conversation is a bad record named by its JSON
 * path (e.g. events[12].participant), and the event is skipped. */
#include "adapters.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hash.h"
#include "json.h"
#include "mime.h"
#include "records.h"
#include "strbuf.h"
#include "timeutil.h"
#include "tzguess.h"
#include "utf8.h"
#include "xalloc.h"
#include "zipin.h"

#define RSMF_MAX_FILE (64UL << 20)     /* jansson needs ~10x that in memory */
/* jansson's tree costs ~230 bytes an object or array and ~40-90 a scalar
 * (80x the text for "{}"): these bound it to about 500 MB, above a real
 * 64 MiB manifest (~250,000 messages, ~2.5 million values) */
#define RSMF_MAX_CONTAINERS 1000000UL
#define RSMF_MAX_VALUES 4000000UL
#define RSMF_MAX_HANDLE 256

struct participant {
	const char *id;                 /* borrowed from the document */
	const char *handle;             /* account_id, else email, else id */
	size_t at;                      /* index in participants[] */
};

struct conversation {
	const char *id;
	char app[64];                   /* platform as an app key */
	size_t at;
	const struct json *obj;
};

struct rsmf {
	struct ingest_ctx *ctx;
	struct participant *part;
	size_t npart;
	struct conversation *conv;
	size_t nconv;
	unsigned long other_events;
	struct tz_guess tz;             /* timestamps without a zone */
};

/* A bad record named by its JSON path; no line (jansson keeps none for
 * values). */
#define bad(r, ...) bad_record(&(r)->ctx->bad, 0, 0, __VA_ARGS__)

static const char *str_field(const struct json *o, const char *key)
{
	return json_str(json_get(o, key));
}

static int is_array(const struct json *v)
{
	return v && json_type_of(v) == JT_ARRAY;
}

/* A platform name as an app key of rules/apps.ini: lower case, runs of
 * other characters as '_', and the names vendors use for a few apps. */
static void app_key(const char *platform, char *out, size_t n)
{
	static const struct { const char *name, *key; } alias[] = {
		{ "microsoft_teams", "teams" }, { "ms_teams", "teams" },
		{ "aws_wickr", "wickr" }, { "wickr_enterprise", "wickr" },
		{ "wickr_pro", "wickr" }, { "wickrgov", "wickr" },
		{ "whatsapp_messenger", "whatsapp" }, { "imessage_sms", "imessage" },
		{ "sms_imessage", "imessage" }, { "apple_messages", "imessage" },
		{ "sms", "sms" }, { "mms", "sms" }, { "sms_mms", "sms" }, { "text_message", "sms" },
		{ "native_messages", "sms" }, { "android_messages", "sms" },
	};
	size_t k = 0;
	int sep = 0;

	for (const char *p = platform; *p && k + 2 < n; p++) {
		unsigned char c = (unsigned char)*p;
		if (isalnum(c)) {
			if (sep && k)
				out[k++] = '_';
			out[k++] = (char)tolower(c);
			sep = 0;
		} else {
			sep = 1;
		}
	}
	out[k] = '\0';
	for (size_t i = 0; i < sizeof(alias) / sizeof(alias[0]); i++)
		if (!strcmp(out, alias[i].name))
			snprintf(out, n, "%s", alias[i].key);
}

/* Both tables are sorted by id (then by position, so the first of two
 * duplicates wins) and searched by bisection. */
static int cmp_part(const void *a, const void *b)
{
	const struct participant *x = a, *y = b;
	int c = strcmp(x->id, y->id);
	return c ? c : x->at < y->at ? -1 : x->at > y->at;
}

static int cmp_conv(const void *a, const void *b)
{
	const struct conversation *x = a, *y = b;
	int c = strcmp(x->id, y->id);
	return c ? c : x->at < y->at ? -1 : x->at > y->at;
}

static int key_part(const void *k, const void *e)
{
	return strcmp(k, ((const struct participant *)e)->id);
}

static int key_conv(const void *k, const void *e)
{
	return strcmp(k, ((const struct conversation *)e)->id);
}

static const struct participant *find_part(const struct rsmf *r, const char *id)
{
	return id && r->npart ? bsearch(id, r->part, r->npart, sizeof(*r->part), key_part) : NULL;
}

static const struct conversation *find_conv(const struct rsmf *r, const char *id)
{
	return id && r->nconv ? bsearch(id, r->conv, r->nconv, sizeof(*r->conv), key_conv) : NULL;
}

/* ---- the three arrays ---- */

static int index_participants(struct rsmf *r, const struct json *arr)
{
	size_t n = json_len(arr), k = 0;

	r->part = xcalloc(n ? n : 1, sizeof(*r->part));
	for (size_t i = 0; i < n; i++) {
		const struct json *p = json_at(arr, i);
		const char *id = str_field(p, "id"), *h;
		if (!id || !*id) {
			if (bad(r, "participants[%zu].id: missing or not a string", i))
				return -1;
			continue;
		}
		h = str_field(p, "account_id");
		if (!h || !*h)
			h = str_field(p, "email");
		if (!h || !*h)
			h = id;
		if (strlen(h) > RSMF_MAX_HANDLE) {
			if (bad(r, "participants[%zu]: account longer than %d bytes", i,
				RSMF_MAX_HANDLE))
				return -1;
			continue;
		}
		r->part[r->npart].id = id;
		r->part[r->npart].at = i;
		r->part[r->npart++].handle = h;
	}
	qsort(r->part, r->npart, sizeof(*r->part), cmp_part);
	for (size_t i = 0; i < r->npart; i++) {
		if (k && !strcmp(r->part[k - 1].id, r->part[i].id)) {
			if (bad(r, "participants[%zu].id: duplicate id '%s'", r->part[i].at,
				r->part[i].id))
				return -1;
			continue;
		}
		r->part[k++] = r->part[i];
	}
	r->npart = k;
	return 0;
}

static int index_conversations(struct rsmf *r, const struct json *arr)
{
	size_t n = json_len(arr), k = 0;

	r->conv = xcalloc(n ? n : 1, sizeof(*r->conv));
	for (size_t i = 0; i < n; i++) {
		const struct json *c = json_at(arr, i);
		const char *id = str_field(c, "id"), *platform = str_field(c, "platform");
		struct conversation *cv = &r->conv[r->nconv];
		if (!id || !*id) {
			if (bad(r, "conversations[%zu].id: missing or not a string", i))
				return -1;
			continue;
		}
		app_key(platform ? platform : "", cv->app, sizeof(cv->app));
		if (!cv->app[0]) {
			if (bad(r, "conversations[%zu].platform: missing or empty", i))
				return -1;
			continue;
		}
		cv->id = id;
		cv->at = i;
		cv->obj = c;
		r->nconv++;
	}
	qsort(r->conv, r->nconv, sizeof(*r->conv), cmp_conv);
	for (size_t i = 0; i < r->nconv; i++) {
		if (k && !strcmp(r->conv[k - 1].id, r->conv[i].id)) {
			if (bad(r, "conversations[%zu].id: duplicate id '%s'", r->conv[i].at,
				r->conv[i].id))
				return -1;
			continue;
		}
		r->conv[k++] = r->conv[i];
	}
	r->nconv = k;
	/* references to nobody are reported; the conversation stays */
	for (size_t i = 0; i < r->nconv; i++) {
		const struct json *ps = json_get(r->conv[i].obj, "participants");
		const char *cust = str_field(r->conv[i].obj, "custodian");
		for (size_t j = 0; j < json_len(ps); j++) {
			const char *pid = json_str(json_at(ps, j));
			if (!find_part(r, pid) &&
			    bad(r, "conversations[%zu].participants[%zu]: unknown participant '%s'",
				r->conv[i].at, j, pid ? pid : "(not a string)"))
				return -1;
		}
		if (cust && !find_part(r, cust) &&
		    bad(r, "conversations[%zu].custodian: unknown participant '%s'",
			r->conv[i].at, cust))
			return -1;
	}
	return 0;
}

/* RSMF timestamps are ISO 8601, sometimes without a zone: read in tz=,
 * or taken as UTC and said (tzguess.h). */
static int event_time(struct rsmf *r, const char *s, size_t i, long long *ts)
{
	char where[48];

	if (!s || time_parse(s, ts, NULL))
		return -1;
	snprintf(where, sizeof(where), "events[%zu].timestamp", i);
	tz_guess_apply(&r->tz, s, ts, 0, where);
	return 0;
}

/* An event without an id (only threads need one): one derived from what it
 * says and its place in the file, "rsmf-" + 16 hex digits of SHA-256. */
static void derive_id(const char *conv, const char *pid, const char *when, const char *body,
		      size_t i, char out[32])
{
	struct strbuf sb = STRBUF_INIT;
	char hex[SHA256_HEX_LEN];

	strbuf_add(&sb, conv, strlen(conv) + 1);
	strbuf_add(&sb, pid, strlen(pid) + 1);
	strbuf_add(&sb, when, strlen(when) + 1);
	strbuf_add(&sb, body, strlen(body) + 1);
	strbuf_addf(&sb, "%zu", i);
	sha256_mem(sb.buf, sb.len, hex);
	strbuf_release(&sb);
	snprintf(out, 32, "rsmf-%.16s", hex);
}

static int on_event(struct rsmf *r, const struct json *e, size_t i)
{
	const char *type = str_field(e, "type"), *pid = str_field(e, "participant");
	const char *cid = str_field(e, "conversation"), *id = str_field(e, "id");
	const char *body = str_field(e, "body"), *when = str_field(e, "timestamp");
	const struct json *edits = json_get(e, "edits");
	const struct participant *p;
	const struct conversation *c;
	char account[RSMF_MAX_HANDLE + 80], idbuf[32], bodyhex[SHA256_HEX_LEN];
	struct store_msg_rec rec;
	long long ts;
	const struct json *del = json_get(e, "deleted");
	int deleted = 0;
	unsigned long line = (unsigned long)i + 1;     /* evidence: the event's number */

	if (!type) {
		return bad(r, "events[%zu].type: missing or not a string", i);
	}
	if (strcmp(type, "message")) {
		r->other_events++;      /* join, leave, history, disclaimer, unknown */
		r->ctx->ignored++;
		return 0;
	}
	/* the schema says boolean; producers also write "true"/"false" as
	   strings: read those, refuse anything else rather than take it as
	   not deleted */
	if (del && json_type_of(del) == JT_BOOL)
		deleted = json_bool(del) == 1;
	else if (del && json_str(del) && !strcasecmp(json_str(del), "true"))
		deleted = 1;
	else if (del && json_type_of(del) != JT_NULL &&
		 !(json_str(del) && !strcasecmp(json_str(del), "false")))
		return bad(r, "events[%zu].deleted: not true or false", i);
	if (!(p = find_part(r, pid)))
		return bad(r, "events[%zu].participant: unknown participant '%s'", i,
			   pid ? pid : "(missing)");
	if (!(c = find_conv(r, cid)))
		return bad(r, "events[%zu].conversation: unknown conversation '%s'", i,
			   cid ? cid : "(missing)");
	if (event_time(r, when, i, &ts))
		return bad(r, "events[%zu].timestamp: missing or not ISO 8601", i);
	for (size_t k = 0; k < json_len(edits); k++) {
		const char *ep = str_field(json_at(edits, k), "participant");
		if (!find_part(r, ep) &&
		    bad(r, "events[%zu].edits[%zu].participant: unknown participant '%s'",
			i, k, ep ? ep : "(missing)"))
			return -1;
	}
	snprintf(account, sizeof(account), "%s:%s", c->app, p->handle);
	if (!id || !*id) {
		derive_id(c->id, p->id, when, body ? body : "", i, idbuf);
		id = idbuf;
	}
	rec = (struct store_msg_rec){
		.message_id = id, .app = c->app, .account = account,
		.conversation_id = c->id, .sent_ts = ts, .captured_ts = ts,
		.purged_ts = -1, .sha256 = NULL, .purge_reason = NULL,
	};
	if (body && *body) {
		sha256_mem(body, strlen(body), bodyhex);
		rec.sha256 = bodyhex;
	}
	if (records_put_store_msg(r->ctx, line, &rec))
		return -1;
	if (deleted) {
		struct usage_rec u = {
			.ts = ts, .event = EV_DELETED, .app = c->app, .account = account,
			.message_id = id, .conversation_id = c->id, .ttl_seconds = -1,
		};
		if (records_put_usage(r->ctx, line, &u))
			return -1;
	}
	return 0;
}

/* ---- the file ---- */

static int manifest_member(const char *name, void *user)
{
	const char *base = strrchr(name, '/');
	(void)user;
	return !strcmp(base ? base + 1 : name, "rsmf_manifest.json");
}

static int read_file(const char *path, unsigned long cap, char **buf, size_t *len)
{
	struct src_loc at = { path, 0, 0 };
	FILE *fp = fopen(path, "rb");
	size_t have = 0, alloc = 0;
	char *out = NULL;

	if (!fp)
		return diag_error(&at, "cannot open: %s", strerror(errno));
	for (;;) {
		size_t n;
		out = xgrow(out, have + 65536 + 1, &alloc, 1);
		n = fread(out + have, 1, alloc - have - 1, fp);
		have += n;
		if (have > cap) {
			fclose(fp);
			free(out);
			return diag_error(&at, "larger than %lu bytes", cap);
		}
		if (n == 0)
			break;
	}
	if (ferror(fp)) {
		fclose(fp);
		free(out);
		return diag_error(&at, "read error: %s", strerror(errno));
	}
	fclose(fp);
	out[have] = '\0';
	*buf = out;
	*len = have;
	return 0;
}

/* rsmf_manifest.json out of a zip (opened from the file or from memory). */
static int from_zip(struct zipin *z, const char *label, char **buf, size_t *len, char **name)
{
	long idx;
	int rc;

	if (!z)
		return -1;
	idx = zipin_find(z, manifest_member, NULL);
	if (idx < 0) {
		struct src_loc at = { label, 0, 0 };
		zipin_close(z);
		return diag_error(&at, "no rsmf_manifest.json in the zip");
	}
	*name = xasprintf("%s(%s)", label, zipin_name(z, idx));
	rc = zipin_read(z, idx, buf, len);
	zipin_close(z);
	if (!rc && *len > RSMF_MAX_FILE) {
		struct src_loc at = { *name, 0, 0 };
		rc = diag_error(&at, "manifest larger than %lu bytes", RSMF_MAX_FILE);
	}
	return rc;
}

/* Load the manifest text: the file itself; or rsmf_manifest.json from the
 * zip; or, for a .rsmf as Relativity and vendors deliver it (an EML
 * message, RFC 5322, whose attachment rsmf.zip is base64), from the zip
 * attached to it. *name is what errors are reported against. */
static int load_text(struct ingest_ctx *ctx, char **buf, size_t *len, char **name)
{
	int zip = zipin_is_zip(ctx->path);
	char *eml = NULL, *att = NULL, *version = NULL, *label;
	size_t emllen = 0, attlen = 0;
	int rc;

	*name = NULL;
	if (zip < 0)
		return -1;
	if (zip)
		return from_zip(zipin_open(ctx->path), ctx->path, buf, len, name);
	if (read_file(ctx->path, MIME_MAX_PART, &eml, &emllen))
		return -1;
	if (!mime_looks_like(eml, emllen)) {
		if (emllen > RSMF_MAX_FILE) {
			struct src_loc at = { ctx->path, 0, 0 };
			free(eml);
			return diag_error(&at, "manifest larger than %lu bytes", RSMF_MAX_FILE);
		}
		*buf = eml;             /* the manifest itself */
		*len = emllen;
		return 0;
	}
	rc = mime_attachment(eml, emllen, ctx->path, "rsmf.zip", &att, &attlen,
			     "X-RSMF-Version", &version);
	free(eml);
	if (rc)
		return -1;
	if (!version) {
		struct src_loc at = { ctx->path, 0, 0 };
		diag_warn(&at, "no X-RSMF-Version header: read as RSMF 2.0");
	}
	free(version);
	label = xasprintf("%s(rsmf.zip)", ctx->path);
	rc = from_zip(zipin_open_mem(att, attlen, label), label, buf, len, name);
	free(label);
	free(att);
	return rc;
}

/* Count the objects and arrays, and (an upper bound) all values, of a JSON
 * text before jansson builds its tree: 0, or -1 past a cap (said). */
static int check_json_size(const char *path, const char *buf, size_t len)
{
	struct src_loc at = { path, 0, 0 };
	unsigned long containers = 0, values = 1;
	int in_str = 0;

	for (size_t i = 0; i < len; i++) {
		char c = buf[i];
		if (in_str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = 0;
		} else if (c == '"') {
			in_str = 1;
		} else if (c == '{' || c == '[') {
			containers++;
			values++;
		} else if (c == ',') {
			values++;
		}
	}
	if (containers > RSMF_MAX_CONTAINERS || values > RSMF_MAX_VALUES)
		return diag_error(&at, "manifest too large to read: more than %lu objects and"
				  " arrays or %lu values", RSMF_MAX_CONTAINERS, RSMF_MAX_VALUES);
	return 0;
}

/* The manifest's text as JSON: a UTF-8 BOM (as Windows tools write) is
 * dropped; invalid UTF-8, a NUL, an oversized document or bad JSON is an
 * error at its line and column (path names the file or member). NULL on
 * error (printed). */
static struct json *parse_manifest(const char *path, char *buf, size_t len)
{
	struct json *doc;
	const char *err;
	unsigned long ecol;
	size_t badpos;

	if (len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3)) {
		memmove(buf, buf + 3, len - 3 + 1);
		len -= 3;
	}
	badpos = utf8_check(buf, len);
	if (badpos || memchr(buf, '\0', len)) {
		struct src_loc at = { path, 1, 1 };
		size_t upto = badpos ? badpos - 1 : (size_t)((char *)memchr(buf, '\0', len) - buf);
		for (size_t i = 0; i < upto; i++, at.col++)
			if (buf[i] == '\n') {
				at.line++;
				at.col = 0;
			}
		diag_error(&at, "invalid UTF-8");
		return NULL;
	}
	if (check_json_size(path, buf, len))
		return NULL;
	doc = json_parse(buf, len, &ecol, &err);
	if (!doc) {
		/* a byte offset into the file: make it line and column */
		struct src_loc at = { path, 1, 1 };
		for (size_t i = 0; i + 1 < ecol && i < len; i++, at.col++)
			if (buf[i] == '\n') {
				at.line++;
				at.col = 0;
			}
		diag_error(&at, "bad JSON: %s", err);
	}
	return doc;
}

int load_rsmf(struct ingest_ctx *ctx)
{
	struct rsmf r;
	struct json *doc = NULL;
	const struct json *events;
	const char *version, *saved = ctx->bad.path;
	char *buf = NULL, *name = NULL;
	size_t len = 0;
	int rc = -1;

	memset(&r, 0, sizeof(r));
	r.ctx = ctx;
	if (tz_guess_init(&r.tz, ctx) || load_text(ctx, &buf, &len, &name) || !buf)
		goto out;
	if (name)
		ctx->bad.path = name;
	if (!(doc = parse_manifest(ctx->bad.path, buf, len)))
		goto out;
	if (json_type_of(doc) != JT_OBJECT) {
		struct src_loc at = { ctx->bad.path, 0, 0 };
		diag_error(&at, "not an RSMF manifest (expected a JSON object)");
		goto out;
	}
	version = str_field(doc, "version");
	events = json_get(doc, "events");
	if (!is_array(events) || !is_array(json_get(doc, "participants")) ||
	    !is_array(json_get(doc, "conversations"))) {
		struct src_loc at = { ctx->bad.path, 0, 0 };
		diag_error(&at, "not an RSMF manifest (needs the arrays 'participants',"
			   " 'conversations' and 'events')");
		goto out;
	}
	if (version && strncmp(version, "2.", 2)) {
		struct src_loc at = { ctx->bad.path, 0, 0 };
		diag_warn(&at, "RSMF version '%s': read as 2.0", version);
	}
	if (index_participants(&r, json_get(doc, "participants")) ||
	    index_conversations(&r, json_get(doc, "conversations")))
		goto out;
	rc = 0;
	for (size_t i = 0; i < json_len(events) && !rc; i++)
		rc = on_event(&r, json_at(events, i), i);
	if (!rc && r.other_events)
		diag_note("%s: ignored %lu events that are not messages", ctx->path, r.other_events);
	if (!rc)
		rc = tz_guess_report(&r.tz, ctx);
out:
	ctx->bad.path = saved;
	json_free(doc);
	free(r.part);
	free(r.conv);
	free(buf);
	free(name);
	return rc;
}
