/* usage_in: the usage.jsonl reader (spec §3.4), the one input that grows to
 * tens of millions of lines. A parser thread reads and validates lines
 * (yajl's event parser, jsonflat.c) into batches, each event as the values
 * of its row, while the caller's thread inserts them (SQLite, the larger
 * half): the two halves of the work run on two cores. The queue holds a
 * fixed number of batches, so memory does not grow with the input. */
#include "adapters.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crosscheck.h"
#include "jsonflat.h"
#include "pipeline.h"
#include "records.h"
#include "suggest.h"
#include "textin.h"
#include "timeutil.h"
#include "tzguess.h"
#include "utf8.h"
#include "xalloc.h"

#define BATCH_RECORDS 4096
#define BATCH_BYTES (4 * TEXTIN_MAX_LINE)      /* strings of one batch */
#define QUEUE_BATCHES 4

enum { F_APP, F_ACCOUNT, F_DEVICE, F_MESSAGE, F_CONVERSATION, F_PEER, F_TO, F_COUNT };

static const char *const field_names[F_COUNT] = {
	"app", "account", "device_id", "message_id", "conversation_id", "peer", "to_account"
};

/* An event as the inserter writes it: its values are made on the parser
 * thread (records_usage_values), their texts in the batch's strings. */
struct usage_item {
	unsigned long line;
	struct rowbatch_val v[RECORDS_USAGE_VALUES];
};

struct batch {
	struct usage_item item[BATCH_RECORDS];
	size_t n;
	char *strings;
	size_t used;
};

/* Unknown event names, each with its first line and count (spec 7: named,
 * not only counted); names past UNKNOWN_NAMES are counted together. */
#define UNKNOWN_NAMES 32

struct unknown_event {
	char name[64];
	unsigned long line, count;
};

/* The event names seen, as spelled, with their kind (or -1): most lines
 * repeat a few spellings, and usage_kind_from_name compares without case. */
#define KIND_CACHE 16

struct kind_seen {
	char name[24];
	size_t len;
	int kind;
};

struct usage_load {
	struct ingest_ctx *ctx;
	struct textin *in;
	int any_line;
	/* written by the parser thread, read after it has finished */
	struct unknown_event unknown[UNKNOWN_NAMES];
	int nunknown;
	unsigned long unknown_other;
	struct tz_guess tz;             /* zone-less times: tz=, or said */
	struct kind_seen kinds[KIND_CACHE];
	int nkinds;
};

static int event_kind(struct usage_load *u, const char *name, size_t len)
{
	for (int i = 0; i < u->nkinds; i++)
		if (u->kinds[i].len == len && !memcmp(u->kinds[i].name, name, len))
			return u->kinds[i].kind;
	int kind = usage_kind_from_name(name);
	if (u->nkinds < KIND_CACHE && len < sizeof(u->kinds[0].name)) {
		struct kind_seen *k = &u->kinds[u->nkinds++];
		memcpy(k->name, name, len + 1);
		k->len = len;
		k->kind = kind;
	}
	return kind;
}

static void note_unknown_event(struct usage_load *u, const char *name, unsigned long line)
{
	for (int i = 0; i < u->nunknown; i++) {
		if (!strcmp(u->unknown[i].name, name)) {
			u->unknown[i].count++;
			return;
		}
	}
	if (u->nunknown == UNKNOWN_NAMES || strlen(name) >= sizeof(u->unknown[0].name)) {
		u->unknown_other++;
		return;
	}
	struct unknown_event *e = &u->unknown[u->nunknown++];
	snprintf(e->name, sizeof(e->name), "%s", name);
	e->line = line;
	e->count = 1;
}

/* The members of one line, copied into the batch's strings as they come
 * (yajl's pointers are valid only during its callback). */
struct line_fields {
	struct batch *b;
	size_t field[F_COUNT];          /* offsets; 0 = absent, null or "" */
	size_t len[F_COUNT];
	size_t ts, event, event_len;
	long long ttl;
	int ttl_given;                  /* 1 an integer, -1 another type */
	const char *wrong_type;         /* a string member given as another type */
	unsigned long unknown;
};

static size_t keep(struct batch *b, const char *s, size_t n)
{
	size_t at = b->used;

	if (!n)
		return 0;               /* offset 0 is the shared "" */
	memcpy(b->strings + at, s, n);
	b->strings[at + n] = '\0';
	b->used += n + 1;
	return at;
}

/* Which member a key names: its field, or F_TS, F_EVENT, F_TTL, -1. */
enum { F_TS = F_COUNT, F_EVENT, F_TTL };

static int member_of(const char *key, size_t klen)
{
	/* by length first: one compare per member (the lengths differ but for
	   message_id and to_account) */
	switch (klen) {
	case 2: return !memcmp(key, "ts", 2) ? F_TS : -1;
	case 3: return !memcmp(key, "app", 3) ? F_APP : -1;
	case 4: return !memcmp(key, "peer", 4) ? F_PEER : -1;
	case 5: return !memcmp(key, "event", 5) ? F_EVENT : -1;
	case 7: return !memcmp(key, "account", 7) ? F_ACCOUNT : -1;
	case 9: return !memcmp(key, "device_id", 9) ? F_DEVICE : -1;
	case 10:
		return !memcmp(key, "message_id", 10) ? F_MESSAGE :
		       !memcmp(key, "to_account", 10) ? F_TO : -1;
	case 11: return !memcmp(key, "ttl_seconds", 11) ? F_TTL : -1;
	case 15: return !memcmp(key, "conversation_id", 15) ? F_CONVERSATION : -1;
	default: return -1;
	}
}

static int on_member(void *user, const char *key, size_t klen, enum jf_type type,
		     const char *str, size_t slen, long long num)
{
	struct line_fields *lf = user;
	int f = member_of(key, klen);
	size_t *slot;

	if (f == F_TTL) {
		lf->ttl = num;
		lf->ttl_given = type == JF_INT ? 1 : -1;
		return 0;
	}
	if (f < 0) {
		lf->unknown++;
		return 0;
	}
	slot = f == F_TS ? &lf->ts : f == F_EVENT ? &lf->event : &lf->field[f];
	if (type == JF_STRING) {
		*slot = keep(lf->b, str, slen);
		if (f == F_EVENT)
			lf->event_len = slen;
		else if (f < F_COUNT)
			lf->len[f] = slen;
	}
	else if (!lf->wrong_type)
		lf->wrong_type = f == F_TS ? "ts" : f == F_EVENT ? "event" : field_names[f];
	return 0;
}

/* Why a parsed line cannot be a usage event, or NULL. */
static const char *check_event(enum usage_kind event, const char *const *s,
			       const struct line_fields *lf)
{
	if (event != EV_EXPORTED && !*s[F_ACCOUNT])
		return "missing 'account'";
	if (*s[F_ACCOUNT] && check_account(s[F_ACCOUNT]))
		return "bad account (expected app:handle)";
	if (event <= EV_FORWARDED && !*s[F_MESSAGE])
		return "missing 'message_id'";
	if (event == EV_EXPORTED && !*s[F_CONVERSATION])
		return "missing 'conversation_id'";
	if (event == EV_TIMER_SET && (lf->ttl_given != 1 || lf->ttl < 0))
		return "'ttl_seconds' missing or not a whole number >= 0";
	return NULL;
}

/* A good line's event (ts its time, as read) into b, with its values for
 * the inserter. */
static void add_event(struct usage_load *u, struct batch *b, const struct line_fields *lf,
		      long long ts, enum usage_kind kind, unsigned long lineno)
{
	struct usage_item *it = &b->item[b->n++];
	const char *s[F_COUNT];
	size_t len[F_COUNT], app = lf->field[F_APP];

	tz_guess_apply(&u->tz, b->strings + lf->ts, &ts, lineno, NULL);
	memcpy(len, lf->len, sizeof(len));
	if (!app && lf->field[F_ACCOUNT]) {
		/* the app is the account's prefix when not given */
		const char *account = b->strings + lf->field[F_ACCOUNT];
		len[F_APP] = (size_t)(strchr(account, ':') - account);
		app = keep(b, account, len[F_APP]);
	}
	/* app keys in any case, as in accounts.csv */
	for (char *p = b->strings + app; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	for (int i = 0; i < F_COUNT; i++)
		s[i] = b->strings + (i == F_APP ? app : lf->field[i]);
	struct usage_rec r = {
		.ts = ts, .event = kind, .ttl_seconds = kind == EV_TIMER_SET ? lf->ttl : -1,
		.app = s[F_APP], .account = s[F_ACCOUNT], .device_id = s[F_DEVICE],
		.message_id = s[F_MESSAGE], .conversation_id = s[F_CONVERSATION],
		.peer = s[F_PEER], .to_account = s[F_TO],
	};
	records_usage_values(u->ctx, lineno, &r, len, it->v);
	it->line = lineno;
}

/* Parse one line into b. 0 ok or skipped (bad records counted), -1 stop. */
static int parse_line(struct usage_load *u, struct batch *b, const char *line,
		      size_t len, unsigned long lineno)
{
	struct ingest_ctx *ctx = u->ctx;
	struct line_fields lf;
	size_t mark = b->used;
	unsigned long col;
	const char *err, *s[F_COUNT], *event, *ts, *problem;
	long long epoch;
	int kind, rc;

	memset(&lf, 0, sizeof(lf));
	lf.b = b;
	/* a line the fast path reads is valid UTF-8; yajl checks only the byte
	   pattern of UTF-8 in strings (overlongs and surrogates pass it, and
	   its column is past the bad byte): the line is checked first */
	if (!jsonflat_parse_fast(line, len, on_member, &lf, &err, &col, &rc)) {
		col = utf8_check(line, len);
		if (col)
			return bad_record(&ctx->bad, lineno, col, "invalid UTF-8");
		rc = jsonflat_parse_yajl(line, len, on_member, &lf, &err, &col);
	}
	if (rc) {
		b->used = mark;
		return bad_record(&ctx->bad, lineno, col, "bad JSON: %s", err);
	}
	ts = b->strings + lf.ts;
	event = b->strings + lf.event;
	for (int i = 0; i < F_COUNT; i++)
		s[i] = b->strings + lf.field[i];
	if (lf.wrong_type)
		rc = bad_record(&ctx->bad, lineno, 0, "'%s' is not a string", lf.wrong_type);
	else if (!*ts || !*event)
		rc = bad_record(&ctx->bad, lineno, 0, "missing '%s'", !*ts ? "ts" : "event");
	else if (time_parse(ts, &epoch, NULL))
		rc = bad_record(&ctx->bad, lineno, 0, "bad timestamp '%s' (expected ISO 8601)", ts);
	else if ((kind = event_kind(u, event, lf.event_len)) < 0) {
		ctx->ignored++;         /* spec 3.4: unknown events are counted, not errors */
		note_unknown_event(u, event, lineno);
		rc = 0;
	} else if (!(problem = check_event((enum usage_kind)kind, s, &lf))) {
		add_event(u, b, &lf, epoch, (enum usage_kind)kind, lineno);
		ctx->ignored_fields += lf.unknown;
		return 0;
	} else {
		rc = bad_record(&ctx->bad, lineno, 0, "'%s' event: %s", event, problem);
	}
	b->used = mark;
	return rc;
}

/* Parser thread: one batch. 1 full, 0 input ended, -1 failed. */
static int fill_batch(void *user, void *slot)
{
	struct usage_load *u = user;
	struct batch *b = slot;
	const char *line;
	size_t len;
	int rc = 1;

	b->n = 0;
	b->used = 1;            /* offset 0 is "" */
	b->strings[0] = '\0';
	while (b->n < BATCH_RECORDS && b->used + TEXTIN_MAX_LINE + 1 < BATCH_BYTES) {
		rc = textin_next(u->in, &line, &len);
		if (rc <= 0)
			break;
		unsigned long lineno = textin_lineno(u->in);
		u->any_line = 1;
		if (textin_too_long(u->in)) {
			rc = bad_record(&u->ctx->bad, lineno, 0, "line longer than %d bytes",
					TEXTIN_MAX_LINE);
		} else {
			size_t i = 0;
			while (i < len && (line[i] == ' ' || line[i] == '\t'))
				i++;
			rc = i == len ? 0 : parse_line(u, b, line, len, lineno);
		}
		if (rc < 0)
			break;
		rc = 1;
	}
	return rc;
}

static int insert_batch(void *user, void *slot)
{
	struct ingest_ctx *ctx = ((struct usage_load *)user)->ctx;
	const struct batch *b = slot;

	for (size_t i = 0; i < b->n; i++)
		if (records_put_usage_values(ctx, b->item[i].line, b->item[i].v))
			return -1;
	records_unhold(ctx);    /* the reader refills b next */
	return 0;
}

/* After the load: each unknown event name and the zone-less times, said
 * with file:line and kept in data_quality with the input. */
static int report_guesses(struct usage_load *u)
{
	struct ingest_ctx *ctx = u->ctx;

	for (int i = 0; i < u->nunknown; i++) {
		const struct unknown_event *e = &u->unknown[i];
		struct src_loc at = { ctx->path, e->line, 0 };
		char hint[400];
		words_hint(e->name, usage_kind_names, hint, sizeof(hint));
		diag_warn(&at, "unknown event '%s' ignored (%lu line%s)%s", e->name, e->count,
			  e->count == 1 ? "" : "s", hint);
		int near = word_nearest(e->name, usage_kind_names);
		if (quality_add(ctx->st, "unknown_event", "unknown event name, ignored", e->name,
				near >= 0 ? usage_kind_names[near] : NULL, (long long)e->count,
				"usage lines", ctx->input_id, e->line, 1))
			return -1;
	}
	if (u->unknown_other) {
		struct src_loc at = { ctx->path, 0, 0 };
		diag_warn(&at, "%lu more lines with other unknown event names ignored",
			  u->unknown_other);
	}
	return tz_guess_report(&u->tz, ctx);
}

int load_usage(struct ingest_ctx *ctx)
{
	struct usage_load u = { .ctx = ctx };
	void *slot[QUEUE_BATCHES];
	int rc;

	if (tz_guess_init(&u.tz, ctx))
		return -1;
	u.in = textin_open(ctx->path);
	if (!u.in)
		return -1;
	for (int i = 0; i < QUEUE_BATCHES; i++) {
		struct batch *b = xmalloc(sizeof(*b));
		b->strings = xmalloc(BATCH_BYTES);
		slot[i] = b;
	}
	rc = pipeline_run(slot, QUEUE_BATCHES, fill_batch, insert_batch, &u);
	for (int i = 0; i < QUEUE_BATCHES; i++) {
		free(((struct batch *)slot[i])->strings);
		free(slot[i]);
	}
	textin_free(u.in);
	if (rc)
		return -1;
	if (!u.any_line) {
		struct src_loc at = { ctx->path, 0, 0 };
		return diag_error(&at, "file is empty");
	}
	if (report_guesses(&u))
		return -1;
	if (ctx->ignored || ctx->ignored_fields)
		diag_note("%s: ignored %lu unknown event%s and %lu unknown field%s", ctx->path,
			  ctx->ignored, ctx->ignored == 1 ? "" : "s",
			  ctx->ignored_fields, ctx->ignored_fields == 1 ? "" : "s");
	return 0;
}
