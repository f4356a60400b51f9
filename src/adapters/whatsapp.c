/* ad_whatsapp: WhatsApp "Export chat" text, or the zip that holds it, into
 * usage events (spec §6, formats.md §2). An export is one custodian's copy
 * of one conversation: the exporter's lines are `sent` on the exporting
 * account, everyone else's `received` on it. Two passes over the text: the
 * first learns the date order and the header layouts in use, the second
 * writes the events. */
#include "adapters.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hash.h"
#include "hashmap.h"
#include "localdate.h"
#include "records.h"
#include "strbuf.h"
#include "textin.h"
#include "timeutil.h"
#include "utf8.h"
#include "waheader.h"
#include "walocale.h"
#include "waorder.h"
#include "xalloc.h"
#include "zipin.h"

#define WA_MAX_BODY (1 << 20)           /* a longer message is cut (and noted) */
#define WA_MAX_AUTHOR 256

/* The message being collected (continuation lines join it). */
struct pending {
	int kind;                       /* P_NONE, P_MESSAGE, P_SKIP */
	unsigned long line;
	long long ts;
	int self, deleted, cut;
	struct strbuf author, body;
};
enum { P_NONE, P_MESSAGE, P_SKIP };

struct wa {
	struct ingest_ctx *ctx;
	struct wa_grammar *grammar;
	const struct walocale *loc;
	struct wa_scan *scan;
	const char *account, *self, *device, *conv, *app;
	char app_buf[64];
	char *conv_owned;
	long long tz;                   /* seconds east of UTC */
	enum date_order order;
	int order_given;                /* --date-order */
	int pass;
	/* pass 1 */
	struct wa_dates dates;
	unsigned long sig_count[WA_NSIG], h24_headers;
	unsigned long cal_headers[WA_NCAL];     /* headers in each calendar */
	unsigned long *lang_hits;       /* lines in each language of whatsapp.ini */
	unsigned long *month_hits;      /* month names of the file in each language */
	unsigned long *ampm_hits;       /* AM/PM words of one language, in each */
	unsigned long unknown_notices;  /* U+200E lines that match no notice */
	int lang;                       /* most of the notices' language, -1 none */
	int month_lang;                 /* the language of the file's month names, -1 none */
	const char *why_layout;         /* the layout of the headers decided the order */
	char *other;                    /* the one other author, if only one */
	int others;                     /* 0, 1, or 2 = more than one */
	/* pass 2 */
	struct strbuf self_clean;       /* self, cleaned like an author */
	struct wa_line ln;
	struct pending p;
	struct hashmap occ;             /* occurrences of (ts, author, body) by digest */
	int seen_header;
};

static long long header_ts(const struct wa *w, const struct wa_header *h, long long day)
{
	int hh = h->hh;

	if (h->ampm && !h->h24)
		hh = hh % 12 + (h->ampm == 'p' ? 12 : 0);
	return day * 86400 + hh * 3600LL + h->mm * 60LL + h->ss - w->tz;
}

/* ---- what a line says ---- */

enum line_kind { L_MESSAGE, L_TOMBSTONE, L_TIMER, L_SYSTEM };

static int starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* What a line's text is, from the strings of rules/whatsapp.ini. notice:
 * the line has no author, or iOS marked it with U+200E. */
static enum line_kind classify(struct wa *w, const char *text, int notice,
			       struct wa_hit *hit)
{
	switch (walocale_match(w->loc, w->scan, text, strlen(text), notice, hit)) {
	case WC_TIMER:
		return L_TIMER;
	case WC_DELETED:
	case WC_YOU_DELETED:
		return L_TOMBSTONE;
	case WC_MISSED:
	case WC_SYSTEM:
		return L_SYSTEM;
	default:
		return L_MESSAGE;       /* media placeholders are messages too */
	}
}

/* Split "Author: body" at the first ": " (or a final ':'). Names with a
 * quote are system text ('X created group "a: b"'). 0 when no author. */
static int split_author(const char *rest, size_t *alen, size_t *body)
{
	const char *c = rest;

	while ((c = strchr(c, ':')) != NULL) {
		if (c[1] == ' ' || !c[1])
			break;
		c++;
	}
	if (!c || c == rest || (size_t)(c - rest) > WA_MAX_AUTHOR)
		return 0;
	for (const char *q = rest; q < c; q++)
		if (*q == '"' || starts_with(q, "\xE2\x80\x9C"))   /* " or left quote */
			return 0;
	*alen = (size_t)(c - rest);
	*body = (size_t)(c - rest) + (c[1] ? 2 : 1);
	return 1;
}

/* A display name as the audit keeps it: no "~ " of a non-contact, trimmed,
 * and a phone number as +digits. */
static void clean_author(const char *a, size_t n, struct strbuf *out)
{
	int phone = 1, digits = 0;

	while (n && (*a == ' ' || *a == '~')) {
		a++;
		n--;
	}
	while (n && a[n - 1] == ' ')
		n--;
	for (size_t i = 0; i < n; i++) {
		if (isdigit((unsigned char)a[i]))
			digits++;
		else if (!strchr("+ -()", a[i]))
			phone = 0;
	}
	strbuf_reset(out);
	if (phone && digits >= 5 && a[0] == '+') {
		for (size_t i = 0; i < n; i++)
			if (a[i] == '+' || isdigit((unsigned char)a[i]))
				strbuf_addch(out, a[i]);
		return;
	}
	strbuf_add(out, a, n);
}

static int is_self(const struct wa *w, const char *author)
{
	return !strcasecmp(author, "You") || !strcasecmp(author, w->self_clean.buf);
}

/* ---- occurrence counter ---- */

static uint64_t hex64(const char *hex)
{
	uint64_t v = 0;
	for (int i = 0; i < 16; i++)
		v = v << 4 | (uint64_t)(hex[i] <= '9' ? hex[i] - '0' : hex[i] - 'a' + 10);
	return v;
}

/* 1 for the first (ts, author, body) of a digest, 2 for the second, ... */
static unsigned occ_next(struct hashmap *occ, uint64_t key)
{
	int is_new;
	uint64_t *n = hashmap_slot(occ, key, &is_new);

	return (unsigned)++*n;
}

/* ---- pass 1: the other party ---- */

static void note_author(struct wa *w, const char *author)
{
	if (is_self(w, author) || w->others > 1)
		return;
	if (!w->others) {
		w->other = xstrdup(author);
		w->others = 1;
	} else if (strcmp(w->other, author)) {
		w->others = 2;
	}
}

/* The language with the most hits (the file's notices, or its month
 * names), prefer on a tie, or -1. */
static int top_lang(const struct wa *w, const unsigned long *hits, int prefer)
{
	unsigned long top = 0;
	int lang = -1;

	for (int i = 0; i < walocale_langs(w->loc); i++)
		if (hits[i] > top || (hits[i] && hits[i] == top && i == prefer)) {
			top = hits[i];
			lang = i;
		}
	return lang;
}

/* ---- pass 2: events ---- */

static int put_event(struct wa *w, enum usage_kind ev, long long ts, unsigned long line,
		     const char *message_id, const char *peer, long long ttl)
{
	struct usage_rec r = {
		.ts = ts, .event = ev, .app = w->app, .account = w->account,
		.device_id = w->device, .message_id = message_id,
		.conversation_id = w->conv, .peer = peer, .to_account = NULL,
		.ttl_seconds = ttl,
	};
	return records_put_usage(w->ctx, line, &r);
}

static int flush(struct wa *w)
{
	struct pending *p = &w->p;
	struct strbuf key = STRBUF_INIT;
	char iso[TIME_ISO_LEN], hex[SHA256_HEX_LEN], id[3 + 16 + 1];
	const char *peer;
	unsigned occ;
	int rc = 0;

	if (p->kind != P_MESSAGE) {
		p->kind = P_NONE;
		return 0;
	}
	p->kind = P_NONE;
	time_fmt_iso(p->ts, iso);
	/* occurrence of this (ts, author, body) in the file: identical lines in
	   one minute are distinct messages */
	strbuf_addstr(&key, iso);
	strbuf_addch(&key, '\0');
	strbuf_add(&key, p->author.buf, p->author.len + 1);
	strbuf_add(&key, p->body.buf, p->body.len);
	sha256_mem(key.buf, key.len, hex);
	occ = occ_next(&w->occ, hex64(hex));
	/* id = sha256(conversation NUL ts NUL author NUL body NUL occurrence) */
	strbuf_reset(&key);
	strbuf_addstr(&key, w->conv);
	strbuf_addch(&key, '\0');
	strbuf_addstr(&key, iso);
	strbuf_addch(&key, '\0');
	strbuf_add(&key, p->author.buf, p->author.len + 1);
	strbuf_add(&key, p->body.buf, p->body.len);
	strbuf_addch(&key, '\0');
	strbuf_addf(&key, "%u", occ);
	sha256_mem(key.buf, key.len, hex);
	strbuf_release(&key);
	snprintf(id, sizeof(id), "wa-%.16s", hex);
	peer = p->self ? (w->others == 1 ? w->other : NULL) : p->author.buf;
	if (put_event(w, p->self ? EV_SENT : EV_RECEIVED, p->ts, p->line, id, peer, -1))
		return -1;
	if (p->deleted)
		rc = put_event(w, EV_DELETED, p->ts, p->line, id, NULL, -1);
	if (!rc && p->cut) {
		struct src_loc at = { w->ctx->path, p->line, 0 };
		diag_warn(&at, "message longer than %d bytes: cut for its id", WA_MAX_BODY);
	}
	return rc;
}

/* A header line: returns 0 or -1 (database error or strict). */
static int on_header(struct wa *w, const struct wa_header *h, long long ts, unsigned long line,
		     int pass)
{
	const char *rest = w->ln.norm.buf + h->rest;
	size_t alen, body;
	int authored = split_author(rest, &alen, &body);
	const char *text = authored ? rest + body : rest;
	int lrm = authored && wa_mark_at(&w->ln, h->rest + body);
	struct wa_hit hit;
	enum line_kind kind = classify(w, text, !authored || lrm, &hit);
	struct strbuf author = STRBUF_INIT;
	int self;

	if (authored)
		clean_author(rest, alen, &author);
	else
		strbuf_addstr(&author, "You");
	self = is_self(w, author.buf);
	if (pass == 1) {
		if (authored && (kind == L_MESSAGE || kind == L_TOMBSTONE))
			note_author(w, author.buf);
		if (hit.cat != WC_NONE)
			w->lang_hits[hit.lang]++;
		else if (lrm)
			w->unknown_notices++;   /* kept as a message: said at the end */
		strbuf_release(&author);
		return 0;
	}
	if (flush(w)) {
		strbuf_release(&author);
		return -1;
	}
	if (kind == L_TIMER) {
		/* the actor is the name the notice starts with ("Pat turned
		   on..."; on iOS the line's author is the chat); a notice without
		   one ("You turned on...") is the exporter's */
		int rc;
		if (hit.has_actor) {
			clean_author(text + hit.actor, hit.actor_len, &author);
		} else {
			strbuf_reset(&author);
			strbuf_addstr(&author, w->self);
		}
		self = is_self(w, author.buf);
		w->p.kind = P_SKIP;
		rc = put_event(w, EV_TIMER_SET, ts, line, NULL, self ? NULL : author.buf, hit.ttl);
		strbuf_release(&author);
		return rc;
	}
	if (kind == L_SYSTEM || (!authored && hit.cat != WC_YOU_DELETED)) {
		w->ctx->ignored++;      /* system notices are no messages */
		w->p.kind = P_SKIP;
		strbuf_release(&author);
		return 0;
	}
	w->p.kind = P_MESSAGE;
	w->p.line = line;
	w->p.ts = ts;
	w->p.self = self;
	w->p.deleted = kind == L_TOMBSTONE;
	w->p.cut = 0;
	strbuf_reset(&w->p.author);
	strbuf_reset(&w->p.body);
	strbuf_add(&w->p.author, author.buf, author.len);
	if (strbuf_addstr(&w->p.body, text))
		w->p.cut = 1;
	strbuf_release(&author);
	return 0;
}

static void on_continuation(struct wa *w)
{
	if (w->p.kind != P_MESSAGE || w->p.cut)
		return;
	if (strbuf_addch(&w->p.body, '\n') || strbuf_add(&w->p.body, w->ln.norm.buf, w->ln.norm.len))
		w->p.cut = 1;
}

static int sig_accepted(const struct wa *w, unsigned sig)
{
	/* a layout seen in under 2% of the headers is a date in a message body */
	return w->sig_count[sig] * 50 >= w->dates.headers;
}

/* A header line of pass 2: its message, or a bad record when its date
 * cannot exist in the order read (a header of the file's layout: never
 * glued to the message above). 1 when it is no header of the file. */
static int on_header_line(struct wa *w, const struct wa_header *h, unsigned long lineno)
{
	long long day = wa_header_day(h, w->order);

	if (!sig_accepted(w, h->sig))
		return 1;
	w->seen_header = 1;
	if (day >= 0)
		return on_header(w, h, header_ts(w, h, day), lineno, 2);
	if (flush(w))
		return -1;
	w->p.kind = P_SKIP;
	if (h->cal == WA_CAL_HIJRI)
		return bad_record(&w->ctx->bad, lineno, 0, "date '%s%c%s%c%s' is in the Islamic (Hijri)"
				  " calendar, which is not read: export the chat with the phone set to"
				  " the Gregorian calendar", h->f[0], h->dsep, h->f[1], h->dsep, h->f[2]);
	return bad_record(&w->ctx->bad, lineno, 0, "date '%s%c%s%c%s' cannot exist in %s order"
			  " (see --date-order)", h->f[0], h->dsep, h->f[1], h->dsep, h->f[2],
			  date_order_name(w->order));
}

/* One line of valid UTF-8, normalized in w->ln. */
static int on_line(struct wa *w, unsigned long lineno, int pass)
{
	struct wa_months mo = { w->loc, w->month_lang, pass == 1 ? w->month_hits : NULL };
	struct wa_header h;
	int rc;

	if (wa_parse_header(w->grammar, &w->ln, &mo, &h)) {
		if (pass == 1) {
			w->sig_count[h.sig]++;
			w->h24_headers += h.h24 != 0;
			w->cal_headers[h.cal]++;
			if (h.ampm_lang >= 0)
				w->ampm_hits[h.ampm_lang]++;
			wa_dates_add(&w->dates, &h);
			return on_header(w, &h, 0, lineno, 1);
		}
		if ((rc = on_header_line(w, &h, lineno)) <= 0)
			return rc;
	}
	if (pass == 1)
		return 0;
	if (w->seen_header) {
		on_continuation(w);
		return 0;
	}
	if (!w->ln.norm.len || strspn(w->ln.norm.buf, " \t") == w->ln.norm.len)
		return 0;       /* blank lines before the first message */
	return bad_record(&w->ctx->bad, lineno, 0, "not a WhatsApp message header: '%.*s'",
			  (int)utf8_cut(w->ln.norm.buf, w->ln.norm.len, 60), w->ln.norm.buf);
}

static int run_pass(struct wa *w, struct textin *t, int pass)
{
	const char *line;
	size_t len;
	int rc;

	w->pass = pass;
	while ((rc = textin_next(t, &line, &len)) > 0) {
		unsigned long lineno = textin_lineno(t);
		size_t bad;

		if (textin_too_long(t)) {
			if (pass == 2 && bad_record(&w->ctx->bad, lineno, 0,
						    "line longer than %d bytes", TEXTIN_MAX_LINE))
				return -1;
			continue;
		}
		bad = utf8_check(line, len);
		if (!bad && memchr(line, '\0', len))
			bad = (size_t)((const char *)memchr(line, '\0', len) - line) + 1;
		if (bad) {
			if (pass == 2 && bad_record(&w->ctx->bad, lineno, bad, "invalid UTF-8"))
				return -1;
			continue;
		}
		if (wa_normalize(&w->ln, line, len))
			continue;       /* cannot happen: norm is capped above a line */
		if (on_line(w, lineno, pass))
			return -1;
	}
	if (rc < 0)
		return -1;
	return pass == 2 ? flush(w) : 0;
}

/* ---- options, the zip, the file ---- */

static int chat_member(const char *name, void *user)
{
	const char *base = strrchr(name, '/');
	size_t n;

	(void)user;
	if (!strncmp(name, "__MACOSX/", 9))
		return 0;               /* macOS's AppleDouble copies, not the chat */
	base = base ? base + 1 : name;
	n = strlen(base);
	if (n < 4 || strcasecmp(base + n - 4, ".txt"))
		return 0;
	return !strcmp(base, "_chat.txt") || !strncmp(base, "WhatsApp Chat", 13);
}

static int any_txt(const char *name, void *user)
{
	size_t n = strlen(name);
	(void)user;
	return n >= 4 && !strcasecmp(name + n - 4, ".txt") && strncmp(name, "__MACOSX/", 9);
}

/* The conversation id from the file name: "whatsapp:" + base name without
 * its extension. */
static char *conv_from_path(const char *path)
{
	const char *base = strrchr(path, '/');
	const char *dot;

	base = base ? base + 1 : path;
	dot = strrchr(base, '.');
	return xasprintf("whatsapp:%.*s", (int)(dot && dot > base ? dot - base : (long)strlen(base)),
			 base);
}

static int options(struct wa *w)
{
	struct ingest_ctx *ctx = w->ctx;
	struct src_loc at = { ctx->path, 0, 0 };
	const char *tz = ingest_opt(ctx, "tz");
	const char *colon;
	int rc;

	w->account = ingest_opt(ctx, "account");
	w->self = ingest_opt(ctx, "self");
	w->device = ingest_opt(ctx, "device");
	w->conv = ingest_opt(ctx, "conversation");
	if (!w->account || !*w->account)
		return diag_error(&at, "whatsapp: the exporting account is required"
				  " (--account, or account= in [inputs])");
	colon = strchr(w->account, ':');
	if (!colon || colon == w->account || !colon[1] ||
	    (size_t)(colon - w->account) >= sizeof(w->app_buf))
		return diag_error(&at, "whatsapp: bad account '%s' (expected app:handle)",
				  w->account);
	if (!w->self || !*w->self)
		return diag_error(&at, "whatsapp: the exporter's display name is required"
				  " (--self, or self= in [inputs])");
	clean_author(w->self, strlen(w->self), &w->self_clean);
	snprintf(w->app_buf, sizeof(w->app_buf), "%.*s", (int)(colon - w->account), w->account);
	w->app = w->app_buf;
	if (!w->conv || !*w->conv)
		w->conv = w->conv_owned = conv_from_path(ctx->path);
	if (tz && localdate_parse_tz(tz, &w->tz))
		return diag_error(&at, "whatsapp: bad tz '%s' (expected +HH:MM or -HH:MM)", tz);
	rc = localdate_order_opt(ctx, &w->order);
	if (rc < 0)
		return -1;
	w->order_given = rc == 0;
	w->loc = walocale_get(ctx->opts ? ctx->opts->rules_dir : NULL);
	if (!w->loc)
		return diag_error(&at, "whatsapp: cannot read the WhatsApp strings (whatsapp.ini in"
				  " the rules directory, --rules DIR)");
	w->lang_hits = xcalloc((size_t)walocale_langs(w->loc) + 1, sizeof(*w->lang_hits));
	w->month_hits = xcalloc((size_t)walocale_langs(w->loc) + 1, sizeof(*w->month_hits));
	w->ampm_hits = xcalloc((size_t)walocale_langs(w->loc) + 1, sizeof(*w->ampm_hits));
	w->scan = walocale_scan_new();
	return 0;
}

static struct textin *open_text(struct wa *w, const char *buf, size_t len, const char *name)
{
	return buf ? textin_new_mem(buf, len, name) : textin_open(w->ctx->path);
}

/* The chat text of a zip into *buf (*name: "zip(member)"); 0 or -1. */
static int read_zip(struct ingest_ctx *ctx, char **buf, size_t *len, char **name)
{
	struct zipin *z = zipin_open(ctx->path);
	long idx;
	int rc;

	if (!z)
		return -1;
	idx = zipin_find(z, chat_member, NULL);
	if (idx < 0)
		idx = zipin_find(z, any_txt, NULL);
	if (idx < 0) {
		struct src_loc at = { ctx->path, 0, 0 };
		zipin_close(z);
		return diag_error(&at, "no chat text in the zip (expected _chat.txt or"
				  " 'WhatsApp Chat with ….txt')");
	}
	*name = xasprintf("%s(%s)", ctx->path, zipin_name(z, idx));
	rc = zipin_read(z, idx, buf, len);
	zipin_close(z);
	return rc;
}

/* After pass 1: the languages of the file and its date order (a guess
 * said with a warning naming --date-order). */
static void settle(struct wa *w)
{
	const char *guess = NULL, *lang_order;
	int lang, by_words = 0;

	w->lang = top_lang(w, w->lang_hits, -1);
	w->month_lang = top_lang(w, w->month_hits, w->lang);
	if (w->order_given)
		return;
	lang = w->lang;
	lang_order = lang >= 0 ? walocale_lang_order(w->loc, lang) : NULL;
	if (!lang_order && (lang = top_lang(w, w->ampm_hits, -1)) >= 0) {
		/* no notice says it: the language of the AM/PM words ("오후") */
		lang_order = walocale_lang_order(w->loc, lang);
		by_words = 1;
	}
	w->order = wa_dates_pick(&w->dates, lang_order, &w->why_layout, &guess);
	if (guess) {
		int by_lang = !strcmp(guess, "the language of its notices");
		struct src_loc at = { w->ctx->bad.path, 0, 0 };
		diag_warn(&at, "the dates do not tell d/m from m/d: read as %s from %s%s%s%s;"
			  " give --date-order if that is wrong", date_order_name(w->order),
			  by_lang && by_words ? "the language of its AM/PM words" : guess,
			  by_lang ? " (" : "", by_lang ? walocale_lang_code(w->loc, lang) : "",
			  by_lang ? ")" : "");
	}
}

/* What the file was read as. */
static void summary(const struct wa *w)
{
	static const char *const cal_names[WA_NCAL] = {
		[WA_CAL_BUDDHIST] = "Buddhist era (2565 BE, or 65, is 2022)",
		[WA_CAL_JAPANESE] = "Japanese era (R4 is 2022)",
		[WA_CAL_PERSIAN] = "Persian (Solar Hijri) calendar (1401/1/7 is 2022-03-27)",
	};
	const char *path = w->ctx->path;
	unsigned long n = w->dates.headers, ign = w->ctx->ignored, u = w->unknown_notices;

	diag_note("%s: %lu message header%s, dates read as %s%s%s%s%s, %lu system line%s ignored",
		  path, n, n == 1 ? "" : "s",
		  w->dates.scored ? date_order_name(w->order) : "written (month names, 年月日)",
		  w->order_given ? " (--date-order)" : "", w->why_layout ? " (from " : "",
		  w->why_layout ? w->why_layout : "", w->why_layout ? ")" : "", ign,
		  ign == 1 ? "" : "s");
	if (w->h24_headers)
		diag_note("%s: %lu header%s with a 24-hour hour and AM/PM (\"00:04 AM\", \"23:59 PM\"):"
			  " read as 24-hour times", path, w->h24_headers,
			  w->h24_headers == 1 ? "" : "s");
	for (int c = WA_CAL_BUDDHIST; c < WA_CAL_HIJRI; c++)
		if (w->cal_headers[c])
			diag_note("%s: %lu header%s in the %s: converted to the Gregorian calendar", path,
				  w->cal_headers[c], w->cal_headers[c] == 1 ? "" : "s", cal_names[c]);
	if (u)
		diag_note("%s: %lu message%s begin%s with U+200E (as iOS marks its notices) but"
			  " match%s no notice of whatsapp.ini: kept as message%s", path, u,
			  u == 1 ? "" : "s", u == 1 ? "s" : "", u == 1 ? "es" : "", u == 1 ? "" : "s");
}

/* Both passes over the text (buf, or the file when NULL). */
static int read_chat(struct wa *w, const char *buf, size_t len, const char *name)
{
	struct textin *t = open_text(w, buf, len, name);
	int rc;

	if (!t)
		return -1;
	rc = run_pass(w, t, 1);
	textin_free(t);
	if (rc)
		return -1;
	settle(w);
	if (!(t = open_text(w, buf, len, name)))
		return -1;
	rc = run_pass(w, t, 2);
	textin_free(t);
	if (rc)
		return -1;
	if (!w->dates.headers) {
		struct src_loc at = { w->ctx->path, 0, 0 };
		return diag_error(&at, "no WhatsApp message found");
	}
	summary(w);
	return 0;
}

int load_whatsapp(struct ingest_ctx *ctx)
{
	struct wa *w = xcalloc(1, sizeof(*w));
	char *buf = NULL, *name = NULL;
	size_t len = 0;
	const char *saved_path = ctx->bad.path;
	int rc = -1, zip;

	w->ctx = ctx;
	w->lang = w->month_lang = -1;
	wa_dates_init(&w->dates);
	strbuf_init(&w->ln.norm, TEXTIN_MAX_LINE + 16);
	strbuf_init(&w->self_clean, WA_MAX_AUTHOR * 4);
	strbuf_init(&w->p.author, WA_MAX_AUTHOR * 2);
	strbuf_init(&w->p.body, WA_MAX_BODY);
	if (options(w) || !(w->grammar = wa_grammar_new(w->loc)))
		goto out;
	zip = zipin_is_zip(ctx->path);
	if (zip < 0 || (zip && read_zip(ctx, &buf, &len, &name)))
		goto out;
	if (zip)
		ctx->bad.path = name;   /* bad records name the member */
	rc = read_chat(w, buf, len, name);
out:
	ctx->bad.path = saved_path;
	wa_grammar_free(w->grammar);
	free(w->lang_hits);
	free(w->month_hits);
	free(w->ampm_hits);
	walocale_scan_free(w->scan);
	strbuf_release(&w->ln.norm);
	strbuf_release(&w->self_clean);
	strbuf_release(&w->p.author);
	strbuf_release(&w->p.body);
	hashmap_clear(&w->occ);
	free(w->other);
	free(w->conv_owned);
	free(buf);
	free(name);
	free(w);
	return rc;
}
