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
#include "pattern.h"
#include "records.h"
#include "strbuf.h"
#include "textin.h"
#include "timeutil.h"
#include "utf8.h"
#include "xalloc.h"
#include "zipin.h"

#define WA_MAX_BODY (1 << 20)           /* a longer message is cut (and noted) */
#define WA_MAX_AUTHOR 256
#define WA_MAX_MARKS 8

/* The header grammar of formats.md §2.2, matched on a line with its Unicode
 * marks removed and NBSP/NNBSP turned into spaces:
 *   [?  date (1-4 digits, one separator - / . with optional space)  .?  ,?
 *   an optional word (Finnish "klo"; the Korean, Chinese or Japanese
 *   AM/PM that goes before the time)  time h:mm[:ss] (or h.mm.ss)
 *   optional AM/PM (a.m., p. m., PM...)  ]?  " -" or ":"?  one space  rest */
static const char header_re[] =
	"^(\\[)?(\\d{1,4})([-/.]) ?(\\d{1,4})\\3 ?(\\d{1,4})\\.?(,)? ?"
	"(?:([^\\d\\s\\[\\]]{1,6}) )?"
	"(\\d{1,2})([:.])(\\d{2})(?:[:.](\\d{2}))?"
	"(?: ?([AaPp])\\.? ?[Mm]\\.?)?(\\])?( -|:)? (.*)$";

enum {
	G_BRACKET = 1, G_D1, G_DSEP, G_D2, G_D3, G_COMMA, G_WORD, G_HH, G_TSEP, G_MM, G_SS,
	G_AMPM, G_CLOSE, G_HSEP, G_REST, G_COUNT
};

#define NSIG 512

/* The six ways to read the three date fields: positions of y, m, d. In
 * the order of preference when the file does not decide. */
static const struct order {
	const char *name;
	int y, m, d;
} orders[6] = {
	{ "dmy", 2, 1, 0 }, { "mdy", 2, 0, 1 }, { "ymd", 0, 1, 2 },
	{ "ydm", 0, 2, 1 }, { "myd", 1, 0, 2 }, { "dym", 1, 2, 0 },
};

struct order_score {
	unsigned long invalid, backwards, day_changes;
	long long prev;                 /* previous valid day, -1 none */
};

/* A header line, parsed. */
struct header {
	unsigned sig;                   /* layout signature */
	char f[3][5];                   /* the three date fields as written */
	int hh, mm, ss, ampm;           /* ampm: 0 none, 'a', 'p' */
	size_t rest;                    /* offset of the text after the header */
};

/* The message being collected (continuation lines join it). */
struct pending {
	int kind;                       /* P_NONE, P_MESSAGE, P_SKIP */
	unsigned long line;
	long long ts;
	int self, deleted, cut;
	struct strbuf author, body;
};
enum { P_NONE, P_MESSAGE, P_SKIP };

/* occurrence counts of (ts, author, body), by a 64-bit digest */
struct occ_table {
	uint64_t *key;
	unsigned *count;
	size_t n, alloc;
};

struct wa {
	struct ingest_ctx *ctx;
	struct pattern *re;
	const char *account, *self, *device, *conv, *app;
	char app_buf[64];
	char *conv_owned;
	long long tz;                   /* seconds east of UTC */
	int order;                      /* index into orders */
	/* pass 1 */
	unsigned long sig_count[NSIG], headers, ampm_headers;
	struct order_score score[6];
	char prevf[3][5];               /* the previous header's date fields */
	int have_prev;
	char *other;                    /* the one other author, if only one */
	int others;                     /* 0, 1, or 2 = more than one */
	/* pass 2 */
	struct strbuf self_clean;       /* self, cleaned like an author */
	struct strbuf norm;
	size_t marks[WA_MAX_MARKS];     /* normalized offsets where marks were */
	int nmarks;
	struct pending p;
	struct occ_table occ;
	int seen_header;
};

/* ---- text normalization ---- */

/* Invisible marks WhatsApp scatters in exports (formats.md §2.5): they go;
 * no-break spaces become spaces. Returns the UTF-8 length of what is at s
 * when it is one of them (and *space whether it becomes a space), else 0. */
static size_t mark_len(const unsigned char *s, size_t n, int *space)
{
	*space = 0;
	if (n >= 2 && s[0] == 0xC2 && s[1] == 0xA0) {
		*space = 1;
		return 2;
	}
	if (n < 3)
		return 0;
	if (s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
		return 3;                                       /* BOM */
	if (s[0] != 0xE2)
		return 0;
	if (s[1] == 0x80) {
		if (s[2] == 0x8E || s[2] == 0x8F)               /* LRM, RLM */
			return 3;
		if (s[2] >= 0xAA && s[2] <= 0xAE)               /* LRE..RLO */
			return 3;
		if (s[2] == 0xAF || s[2] == 0x87) {             /* NNBSP, figure space */
			*space = 1;
			return 3;
		}
	}
	if (s[1] == 0x81 && s[2] >= 0xA6 && s[2] <= 0xA9)      /* isolates */
		return 3;
	return 0;
}

static int normalize(struct wa *w, const char *line, size_t len)
{
	const unsigned char *s = (const unsigned char *)line;
	size_t i = 0, start = 0;

	strbuf_reset(&w->norm);
	w->nmarks = 0;
	while (i < len) {
		int space;
		size_t m = mark_len(s + i, len - i, &space);
		if (!m) {
			i++;
			continue;
		}
		if (strbuf_add(&w->norm, line + start, i - start))
			return -1;
		if (space) {
			if (strbuf_addch(&w->norm, ' '))
				return -1;
		} else if (w->nmarks < WA_MAX_MARKS) {
			w->marks[w->nmarks++] = w->norm.len;
		}
		i += m;
		start = i;
	}
	return strbuf_add(&w->norm, line + start, len - start);
}

static int mark_at(const struct wa *w, size_t ofs)
{
	for (int i = 0; i < w->nmarks; i++)
		if (w->marks[i] == ofs)
			return 1;
	return 0;
}

/* ---- header parsing ---- */

static int group_int(const char *s, const long *ofs, int g)
{
	int v = 0;
	if (ofs[2 * g] < 0)
		return -1;
	for (long i = ofs[2 * g]; i < ofs[2 * g + 1]; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

/* AM/PM words written before the time (ko, zh, ja): 'a', 'p' or 0 */
static int word_ampm(const char *w, size_t n)
{
	static const struct { const char *word; char ampm; } words[] = {
		{ "\xEC\x98\xA4\xEC\xA0\x84", 'a' }, { "\xEC\x98\xA4\xED\x9B\x84", 'p' },   /* 오전 오후 */
		{ "\xE4\xB8\x8A\xE5\x8D\x88", 'a' }, { "\xE4\xB8\x8B\xE5\x8D\x88", 'p' },   /* 上午 下午 */
		{ "\xE5\x8D\x88\xE5\x89\x8D", 'a' }, { "\xE5\x8D\x88\xE5\xBE\x8C", 'p' },   /* 午前 午後 */
	};
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strlen(words[i].word) == n && !memcmp(w, words[i].word, n))
			return words[i].ampm;
	return 0;
}

static int parse_header(struct wa *w, struct header *h)
{
	const char *s = w->norm.buf;
	long ofs[2 * G_COUNT];
	static const int dg[3] = { G_D1, G_D2, G_D3 };
	static const char dseps[] = "-/.";
	const char *dsep;

	if (pattern_match_groups(w->re, s, w->norm.len, ofs, G_COUNT) < G_COUNT - 1)
		return 0;
	if (ofs[2 * G_REST] < 0)
		return 0;
	for (int i = 0; i < 3; i++) {
		long n = ofs[2 * dg[i] + 1] - ofs[2 * dg[i]];
		memcpy(h->f[i], s + ofs[2 * dg[i]], (size_t)n);
		h->f[i][n] = '\0';
	}
	h->hh = group_int(s, ofs, G_HH);
	h->mm = group_int(s, ofs, G_MM);
	h->ss = ofs[2 * G_SS] >= 0 ? group_int(s, ofs, G_SS) : 0;
	h->ampm = ofs[2 * G_AMPM] >= 0 ? tolower((unsigned char)s[ofs[2 * G_AMPM]]) : 0;
	if (!h->ampm && ofs[2 * G_WORD] >= 0)
		h->ampm = word_ampm(s + ofs[2 * G_WORD], (size_t)(ofs[2 * G_WORD + 1] - ofs[2 * G_WORD]));
	h->rest = (size_t)ofs[2 * G_REST];
	if (h->mm > 59 || h->ss > 59)
		return 0;
	if (h->ampm ? h->hh < 1 || h->hh > 12 : h->hh > 23)
		return 0;
	dsep = strchr(dseps, s[ofs[2 * G_DSEP]]);
	h->sig = (ofs[2 * G_BRACKET] >= 0) | (ofs[2 * G_COMMA] >= 0) << 1 |
		 (ofs[2 * G_SS] >= 0) << 2 | (h->ampm != 0) << 3 |
		 (unsigned)(dsep - dseps) << 4 | (s[ofs[2 * G_TSEP]] == '.') << 6 |
		 (ofs[2 * G_HSEP] < 0 ? 0U : s[ofs[2 * G_HSEP]] == ':' ? 2U : 1U) << 7;
	return 1;
}

static int days_in_month(int y, int m)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : dm[m - 1];
}

/* The day number of a header's date read in order o, or -1 if invalid. */
static long long header_day(const struct header *h, const struct order *o)
{
	const char *ys = h->f[o->y];
	size_t yl = strlen(ys);
	int y = atoi(ys), m = atoi(h->f[o->m]), d = atoi(h->f[o->d]);

	if (strlen(h->f[o->m]) > 2 || strlen(h->f[o->d]) > 2)
		return -1;
	if (yl <= 2)
		y += 2000;              /* two-digit years are 20yy, as WhatsApp writes them */
	else if (yl != 4 || y < 1970)
		return -1;
	if (m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
		return -1;
	return time_days_from_civil(y, (unsigned)m, (unsigned)d);
}

static long long header_ts(const struct wa *w, const struct header *h, long long day)
{
	int hh = h->hh;

	if (h->ampm)
		hh = hh % 12 + (h->ampm == 'p' ? 12 : 0);
	return day * 86400 + hh * 3600LL + h->mm * 60LL + h->ss - w->tz;
}

/* ---- what a line says ---- */

enum line_kind { L_MESSAGE, L_TOMBSTONE, L_TIMER, L_SYSTEM };

static int starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* s equals word, optionally followed by a full stop */
static int is_phrase(const char *s, const char *word)
{
	size_t n = strlen(word);
	return !strncmp(s, word, n) && (!s[n] || (s[n] == '.' && !s[n + 1]));
}

static int is_e2e_notice(const char *s)
{
	return starts_with(s, "Messages and calls are end-to-end encrypted") ||
	       starts_with(s, "Messages to this group are now secured") ||
	       starts_with(s, "Messages you send to this group are now secured") ||
	       starts_with(s, "Messages to this chat and calls are now secured") ||
	       starts_with(s, "Messages you send to this chat and calls are now secured");
}

/* English, and the wording of a few common locales */
static const char *const tombstones[] = {
	"This message was deleted", "You deleted this message",
	"Se eliminó este mensaje", "Eliminaste este mensaje",
	"Diese Nachricht wurde gelöscht", "Du hast diese Nachricht gelöscht",
	"Ce message a été supprimé", "Vous avez supprimé ce message",
	"Esta mensagem foi apagada", "Você apagou esta mensagem",
	NULL
};

static int is_tombstone(const char *s)
{
	for (int i = 0; tombstones[i]; i++)
		if (is_phrase(s, tombstones[i]))
			return 1;
	return starts_with(s, "This message was deleted by admin");
}

/* the exporter's own deletion (odd entries of tombstones[]) */
static int is_self_tombstone(const char *s)
{
	for (int i = 1; tombstones[i - 1] && tombstones[i]; i += 2)
		if (is_phrase(s, tombstones[i]))
			return 1;
	return 0;
}

static int is_media(const char *s)
{
	static const char *const omitted[] = {
		"<Media omitted>", "image omitted", "video omitted", "audio omitted",
		"sticker omitted", "GIF omitted", "document omitted", "Contact card omitted",
		NULL
	};
	/* iOS marks these with U+200E too, and they are messages */
	if (starts_with(s, "<attached: ") || starts_with(s, "POLL:") || starts_with(s, "Location: "))
		return 1;
	for (int i = 0; omitted[i]; i++)
		if (starts_with(s, omitted[i]))
			return 1;
	return strstr(s, " omitted") != NULL || strstr(s, "(file attached)") != NULL;
}

static enum line_kind classify(const char *text, int lrm_first)
{
	if (strstr(text, "turned on disappearing messages") ||
	    strstr(text, "turned off disappearing messages"))
		return L_TIMER;
	if (is_e2e_notice(text))
		return L_SYSTEM;
	if (is_tombstone(text))
		return L_TOMBSTONE;
	if (is_phrase(text, "Missed voice call") || is_phrase(text, "Missed video call") ||
	    is_phrase(text, "Missed group voice call") || is_phrase(text, "Missed group video call"))
		return L_SYSTEM;
	/* iOS writes system lines as "<chat name>: \u200E<notice>"; media and
	   tombstones carry the mark too but are messages */
	if (lrm_first && !is_media(text))
		return L_SYSTEM;
	return L_MESSAGE;
}

/* Seconds of a disappearing-messages notice: "24 hours", "7 days", "90
 * days" (formats.md §2.3); 7 days, the first and default setting, when the
 * text names none; 0 when turned off. */
static long long timer_ttl(const char *text)
{
	if (strstr(text, "turned off disappearing messages"))
		return 0;
	for (const char *p = text; *p; p++) {
		char *end;
		long n;
		if (!isdigit((unsigned char)*p) || (p > text && isdigit((unsigned char)p[-1])))
			continue;
		n = strtol(p, &end, 10);
		if (n <= 0 || n > 3650 || *end != ' ')
			continue;
		end++;
		if (starts_with(end, "hour"))
			return n * 3600LL;
		if (starts_with(end, "day"))
			return n * 86400LL;
		if (starts_with(end, "week"))
			return n * 604800LL;
	}
	return 604800;
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

static unsigned occ_next(struct occ_table *t, uint64_t key)
{
	size_t i;

	if ((t->n + 1) * 2 > t->alloc) {
		struct occ_table nt = { NULL, NULL, 0, t->alloc ? t->alloc * 2 : 256 };
		nt.key = xcalloc(nt.alloc, sizeof(*nt.key));
		nt.count = xcalloc(nt.alloc, sizeof(*nt.count));
		for (size_t k = 0; k < t->alloc; k++) {
			if (!t->count[k])
				continue;
			for (i = t->key[k] & (nt.alloc - 1); nt.count[i]; i = (i + 1) & (nt.alloc - 1))
				;
			nt.key[i] = t->key[k];
			nt.count[i] = t->count[k];
		}
		nt.n = t->n;
		free(t->key);
		free(t->count);
		*t = nt;
	}
	for (i = key & (t->alloc - 1); t->count[i]; i = (i + 1) & (t->alloc - 1))
		if (t->key[i] == key)
			return ++t->count[i];
	t->key[i] = key;
	t->count[i] = 1;
	t->n++;
	return 1;
}

/* ---- pass 1: date order, layouts, the other party ---- */

static void score_header(struct wa *w, const struct header *h)
{
	for (int o = 0; o < 6; o++) {
		struct order_score *sc = &w->score[o];
		long long day = header_day(h, &orders[o]);
		int d = orders[o].d;
		if (day < 0) {
			sc->invalid++;
			continue;
		}
		if (sc->prev >= 0 && day < sc->prev)
			sc->backwards++;        /* a chat runs forward in time */
		/* the day field of a chat changes more often than the month */
		if (w->have_prev && strcmp(h->f[d], w->prevf[d]))
			sc->day_changes++;
		sc->prev = day;
	}
	memcpy(w->prevf, h->f, sizeof(w->prevf));
	w->have_prev = 1;
}

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

static int pick_order(struct wa *w)
{
	int best = w->ampm_headers * 2 > w->headers ? 1 : 0;     /* US 12 h: m/d */

	for (int o = 0; o < 6; o++) {
		const struct order_score *a = &w->score[o], *b = &w->score[best];
		if (a->invalid != b->invalid ? a->invalid < b->invalid :
		    a->backwards != b->backwards ? a->backwards < b->backwards :
		    a->day_changes > b->day_changes)
			best = o;
	}
	return best;
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
static int on_header(struct wa *w, const struct header *h, long long ts, unsigned long line,
		     int pass)
{
	const char *rest = w->norm.buf + h->rest;
	size_t alen, body;
	int authored = split_author(rest, &alen, &body);
	const char *text = authored ? rest + body : rest;
	enum line_kind kind = classify(text, authored && mark_at(w, h->rest + body));
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
		strbuf_release(&author);
		return 0;
	}
	if (flush(w)) {
		strbuf_release(&author);
		return -1;
	}
	if (kind == L_TIMER) {
		/* the actor is the name before " turned" (on iOS the line's author
		   is the chat), else the line's author */
		const char *t = strstr(text, " turned ");
		int rc;
		if (t && t > text)
			clean_author(text, (size_t)(t - text), &author);
		else if (!authored) {
			strbuf_reset(&author);
			strbuf_addstr(&author, w->self);
		}
		self = is_self(w, author.buf);
		w->p.kind = P_SKIP;
		rc = put_event(w, EV_TIMER_SET, ts, line, NULL, self ? NULL : author.buf,
			       timer_ttl(text));
		strbuf_release(&author);
		return rc;
	}
	if (kind == L_SYSTEM || (!authored && !is_self_tombstone(text))) {
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
	if (strbuf_addch(&w->p.body, '\n') || strbuf_add(&w->p.body, w->norm.buf, w->norm.len))
		w->p.cut = 1;
}

static int sig_accepted(const struct wa *w, unsigned sig)
{
	/* a layout seen in under 2% of the headers is a date in a message body */
	return w->sig_count[sig] * 50 >= w->headers;
}

static int run_pass(struct wa *w, struct textin *t, int pass)
{
	const char *line;
	size_t len;
	int rc;

	while ((rc = textin_next(t, &line, &len)) > 0) {
		unsigned long lineno = textin_lineno(t);
		struct header h;
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
		if (normalize(w, line, len))
			continue;       /* cannot happen: norm is capped above a line */
		if (parse_header(w, &h)) {
			if (pass == 1) {
				w->headers++;
				w->sig_count[h.sig]++;
				if (h.ampm)
					w->ampm_headers++;
				score_header(w, &h);
				if (on_header(w, &h, 0, lineno, 1))
					return -1;
				continue;
			}
			long long day = header_day(&h, &orders[w->order]);
			if (day >= 0 && sig_accepted(w, h.sig)) {
				w->seen_header = 1;
				if (on_header(w, &h, header_ts(w, &h, day), lineno, 2))
					return -1;
				continue;
			}
		}
		if (pass == 1)
			continue;
		if (w->seen_header) {
			on_continuation(w);
			continue;
		}
		if (!w->norm.len || strspn(w->norm.buf, " \t") == w->norm.len)
			continue;       /* blank lines before the first message */
		if (bad_record(&w->ctx->bad, lineno, 0, "not a WhatsApp message header: '%.60s'",
			       w->norm.buf))
			return -1;
	}
	if (rc < 0)
		return -1;
	return pass == 2 ? flush(w) : 0;
}

/* ---- options, the zip, the file ---- */

/* "+HH:MM", "-HHMM", "+HH", "Z", "UTC" into seconds east of UTC */
static int parse_tz(const char *s, long long *out)
{
	int sign, hh, mm = 0;

	if (!strcmp(s, "Z") || !strcasecmp(s, "UTC")) {
		*out = 0;
		return 0;
	}
	if ((s[0] != '+' && s[0] != '-') || !isdigit((unsigned char)s[1]) ||
	    !isdigit((unsigned char)s[2]))
		return -1;
	sign = s[0] == '-' ? -1 : 1;
	hh = (s[1] - '0') * 10 + (s[2] - '0');
	s += 3;
	if (*s == ':')
		s++;
	if (*s) {
		if (!isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]) || s[2])
			return -1;
		mm = (s[0] - '0') * 10 + (s[1] - '0');
	}
	if (hh > 14 || mm > 59)
		return -1;
	*out = sign * (hh * 3600LL + mm * 60LL);
	return 0;
}

static int chat_member(const char *name, void *user)
{
	const char *base = strrchr(name, '/');
	size_t n;

	(void)user;
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
	return n >= 4 && !strcasecmp(name + n - 4, ".txt");
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
	const char *tz = ingest_opt(ctx, "tz"), *order = ingest_opt(ctx, "date_order");
	const char *colon;

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
	if (tz && parse_tz(tz, &w->tz))
		return diag_error(&at, "whatsapp: bad tz '%s' (expected +HH:MM or -HH:MM)", tz);
	w->order = -1;
	if (order) {
		for (int o = 0; o < 6; o++)
			if (!strcasecmp(order, orders[o].name))
				w->order = o;
		if (w->order < 0)
			return diag_error(&at, "whatsapp: bad date_order '%s' (expected dmy, mdy or ymd)",
					  order);
	}
	return 0;
}

static struct textin *open_text(struct wa *w, const char *buf, size_t len, const char *name)
{
	return buf ? textin_new_mem(buf, len, name) : textin_open(w->ctx->path);
}

int load_whatsapp(struct ingest_ctx *ctx)
{
	struct wa *w = xcalloc(1, sizeof(*w));
	char err[256], *buf = NULL, *name = NULL;
	size_t len = 0;
	const char *saved_path = ctx->bad.path;
	struct textin *t;
	int rc = -1, zip;

	w->ctx = ctx;
	strbuf_init(&w->norm, TEXTIN_MAX_LINE + 16);
	strbuf_init(&w->self_clean, WA_MAX_AUTHOR * 4);
	strbuf_init(&w->p.author, WA_MAX_AUTHOR * 2);
	strbuf_init(&w->p.body, WA_MAX_BODY);
	if (options(w))
		goto out;
	w->re = pattern_new(header_re, 0, err, sizeof(err));
	if (!w->re) {
		diag_error(NULL, "whatsapp header pattern: %s", err);
		goto out;
	}
	zip = zipin_is_zip(ctx->path);
	if (zip < 0)
		goto out;
	if (zip) {
		struct zipin *z = zipin_open(ctx->path);
		long idx;
		if (!z)
			goto out;
		idx = zipin_find(z, chat_member, NULL);
		if (idx < 0)
			idx = zipin_find(z, any_txt, NULL);
		if (idx < 0) {
			struct src_loc at = { ctx->path, 0, 0 };
			diag_error(&at, "no chat text in the zip (expected _chat.txt or"
				   " 'WhatsApp Chat with ….txt')");
			zipin_close(z);
			goto out;
		}
		name = xasprintf("%s(%s)", ctx->path, zipin_name(z, idx));
		if (zipin_read(z, idx, &buf, &len)) {
			zipin_close(z);
			goto out;
		}
		zipin_close(z);
		ctx->bad.path = name;   /* bad records name the member */
	}
	for (int o = 0; o < 6; o++)
		w->score[o].prev = -1;
	t = open_text(w, buf, len, name);
	if (!t)
		goto out;
	rc = run_pass(w, t, 1);
	textin_free(t);
	if (rc)
		goto out;
	if (w->order < 0)
		w->order = pick_order(w);
	t = open_text(w, buf, len, name);
	if (!t) {
		rc = -1;
		goto out;
	}
	rc = run_pass(w, t, 2);
	textin_free(t);
	if (!rc && w->headers)
		diag_note("%s: %lu message header%s, dates read as %s, %lu system line%s ignored",
			  ctx->path, w->headers, w->headers == 1 ? "" : "s", orders[w->order].name,
			  ctx->ignored, ctx->ignored == 1 ? "" : "s");
	if (!rc && !w->headers) {
		struct src_loc at = { ctx->path, 0, 0 };
		rc = diag_error(&at, "no WhatsApp message found");
	}
out:
	ctx->bad.path = saved_path;
	pattern_free(w->re);
	strbuf_release(&w->norm);
	strbuf_release(&w->self_clean);
	strbuf_release(&w->p.author);
	strbuf_release(&w->p.body);
	free(w->occ.key);
	free(w->occ.count);
	free(w->other);
	free(w->conv_owned);
	free(buf);
	free(name);
	free(w);
	return rc;
}
