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
#include "localdate.h"
#include "pattern.h"
#include "records.h"
#include "strbuf.h"
#include "textin.h"
#include "timeutil.h"
#include "utf8.h"
#include "walocale.h"
#include "xalloc.h"
#include "zipin.h"

#define WA_MAX_BODY (1 << 20)           /* a longer message is cut (and noted) */
#define WA_MAX_AUTHOR 256
#define WA_MAX_MARKS 8
#define WA_HEADER_REGION 48        /* bytes in which header digits are normalized */

/* The header grammars of formats.md §2.2, matched on a line with its
 * Unicode marks removed, NBSP/NNBSP turned into spaces and, in the header,
 * the digits of other scripts into ASCII:
 *  - date first: [?  date (three fields of 1-4 digits, one separator - / .
 *    with an optional space; a year may be "2565 BE" or a Japanese era
 *    "R4")  .?  ,?  an optional word (Finnish "klo"; the Korean, Chinese or
 *    Japanese AM/PM that goes before the time)  time h:mm[:ss] (or
 *    h.mm.ss)  optional AM/PM (a.m., p. m., PM, Arabic ص/م)  ]?  " -"
 *    (after any spaces) or ":"?  one space  rest
 *  - time first (Vietnamese iOS): [21:41:35, 3/27/22] ...
 *  - a month name (formats.md §2.2; the medium date of the phone's locale):
 *    day first "21 Sep 2013", "21. Sep. 2013", "21 de set. de 2013",
 *    "21 сент. 2013 г."; month first "Sep 21, 2013" (en-US); year first
 *    "2013. szept. 21." (hu); the time before or after the date */
#define RE_FIELD "(\\d{1,4}(?: BE)?|[RHST]\\d{1,2})"
#define RE_TIME "(\\d{1,2})([:.])(\\d{2})(?:[:.](\\d{2}))?"
#define RE_AMPM "(?: ?([AaPp]\\.? ?[Mm]\\.?|\xD8\xB5|\xD9\x85))?"
#define RE_END "(\\])?(\\s*-|:)? (.*)$"
/* a month name, then "." or the abbreviation marks ॰ (hi) and ׳ (he) */
#define RE_MONTH "(\\p{L}[\\p{L}\\p{M}]{1,13})(?:\\.|\xE0\xA5\xB0|\xD7\xB3)?"
#define RE_OF "(?:de |d['\xE2\x80\x99])?"     /* pt, es, ca: "21 de set. de 2013" */
#define RE_DMY "(\\d{1,2})\\.? " RE_OF RE_MONTH ",? " RE_OF "(\\d{4})(?:\\.| ?\\p{L}\\.)?"
#define RE_MDY RE_MONTH " (\\d{1,2}),? (\\d{4})"
#define RE_YMD "(\\d{4})\\. " RE_MONTH " (\\d{1,2})\\.?"
#define RE_AT ",? (?:\\p{L}{1,4} )?"            /* "klo", "à", "um" before the time */
static const char *const header_res[] = {
	"^(\\[)?" RE_FIELD "([-/.]) ?" RE_FIELD "\\3 ?" RE_FIELD "\\.?(,)? ?"
	"(?:([^\\d\\s\\[\\]]{1,6}) )?" RE_TIME RE_AMPM RE_END,
	"^(\\[)?" RE_TIME RE_AMPM ",? " RE_FIELD "([-/.]) ?" RE_FIELD "\\8 ?" RE_FIELD RE_END,
	"^(\\[)?" RE_TIME RE_AMPM ",? " RE_DMY RE_END,
	"^(\\[)?" RE_DMY RE_AT RE_TIME RE_AMPM RE_END,
	"^(\\[)?" RE_TIME RE_AMPM ",? " RE_MDY RE_END,
	"^(\\[)?" RE_MDY RE_AT RE_TIME RE_AMPM RE_END,
	"^(\\[)?" RE_YMD RE_AT RE_TIME RE_AMPM RE_END,
	"^(\\[)?" RE_TIME RE_AMPM ",? " RE_YMD RE_END,
};
#define NPAT 8
#define NAMED 2                         /* the patterns from here have a month name */

/* The groups of each pattern: bracket, three date fields, date separator,
 * comma, word, hh, time separator, mm, ss, am/pm, close, header separator,
 * rest; -1 where a pattern has none. In the month-name patterns the fields
 * are day, month (a name) and year. */
enum { X_BR, X_F1, X_F2, X_F3, X_DSEP, X_COMMA, X_WORD, X_HH, X_TSEP, X_MM, X_SS, X_AMPM,
       X_CLOSE, X_HSEP, X_REST, X_COUNT };
static const signed char groups[NPAT][X_COUNT] = {
	{ 1, 2, 4, 5, 3, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 },
	{ 1, 7, 9, 10, 8, -1, -1, 2, 3, 4, 5, 6, 11, 12, 13 },
	{ 1, 7, 8, 9, -1, -1, -1, 2, 3, 4, 5, 6, 10, 11, 12 },
	{ 1, 2, 3, 4, -1, -1, -1, 5, 6, 7, 8, 9, 10, 11, 12 },
	{ 1, 8, 7, 9, -1, -1, -1, 2, 3, 4, 5, 6, 10, 11, 12 },
	{ 1, 3, 2, 4, -1, -1, -1, 5, 6, 7, 8, 9, 10, 11, 12 },
	{ 1, 4, 3, 2, -1, -1, -1, 5, 6, 7, 8, 9, 10, 11, 12 },
	{ 1, 9, 8, 7, -1, -1, -1, 2, 3, 4, 5, 6, 10, 11, 12 },
};

#define NSIG (NPAT << 9)

static const struct order {
	const char *name;
	int y, m, d;
} orders[6] = {
	{ "dmy", 2, 1, 0 }, { "mdy", 2, 0, 1 }, { "ymd", 0, 1, 2 },
	{ "ydm", 0, 2, 1 }, { "myd", 1, 0, 2 }, { "dym", 1, 2, 0 },
};

/* What the dates of a file say about each order: headers whose date
 * cannot exist, steps back in time, changes of the year field (a chat's
 * year changes least), years before WhatsApp (2009), and changes of the
 * day field (it changes more often than the month). */
struct order_score {
	unsigned long invalid, backwards, year_changes, early, day_changes;
	long long prev;                 /* previous valid day, -1 none */
};

/* A header line, parsed. */
struct header {
	unsigned sig;                   /* layout signature */
	char f[3][8];                   /* the three date fields as written */
	int named;                      /* the month was a name: fields are d, m, y */
	int hh, mm, ss, ampm;           /* ampm: 0 none, 'a', 'p' */
	int h24;                        /* an hour of 0 or 13-23 with AM/PM */
	char dsep;                      /* the date separator as written */
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
	struct pattern *re[NPAT];
	const struct walocale *loc;
	struct wa_scan *scan;
	const char *account, *self, *device, *conv, *app;
	char app_buf[64];
	char *conv_owned;
	long long tz;                   /* seconds east of UTC */
	int order;                      /* index into orders */
	int order_given;                /* --date-order */
	/* pass 1 */
	unsigned long sig_count[NSIG], headers, ampm_headers, h24_headers;
	unsigned long *lang_hits;       /* lines in each language of whatsapp.ini */
	struct order_score score[6];
	char prevf[3][8];               /* the previous header's date fields */
	int have_prev;
	unsigned long unknown_notices;  /* U+200E lines that match no notice */
	unsigned long differ[2];        /* headers d/m vs m/d, y/m/d vs y/d/m read apart */
	const char *why_lang;
	int lang;                       /* most of the notices' language, -1 none (pass 2) */
	unsigned long *month_hits;      /* month names of the file in each language (pass 1) */
	int month_lang;                 /* the language of the file's month names, -1 none */
	int pass;
	unsigned long scored;           /* headers with a numeric date */
	/* their layout, for a file whose dates do not tell d/m from m/d:
	   bracketed (iOS), a 4-digit last field, day or month written "03",
	   or "3", dotted */
	unsigned long bracketed, year4, padded, unpadded, dotted;
	const char *why_layout;         /* the layout decided the order */
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

/* The UTF-8 length of a digit of another script at s (Arabic-Indic,
 * Persian, Devanagari, Bengali, Gujarati) or of the Arabic comma, else 0. */
static size_t native_digit(const unsigned char *s, size_t n)
{
	if (n >= 2 && ((s[0] == 0xD9 && s[1] >= 0xA0 && s[1] <= 0xA9) ||
		       (s[0] == 0xDB && s[1] >= 0xB0 && s[1] <= 0xB9) ||
		       (s[0] == 0xD8 && s[1] == 0x8C)))
		return 2;
	if (n >= 3 && s[0] == 0xE0 && (s[1] == 0xA5 || s[1] == 0xA7 || s[1] == 0xAB) &&
	    s[2] >= 0xA6 && s[2] <= 0xAF)
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
		size_t d = !m && w->norm.len + (i - start) < WA_HEADER_REGION ?
			   native_digit(s + i, len - i) : 0;
		if (d) {
			/* in the header, as ASCII */
			if (strbuf_add(&w->norm, line + start, i - start) ||
			    strbuf_addch(&w->norm, d == 2 && s[i] == 0xD8 ? ',' : d == 3 ?
					 '0' + (s[i + 2] - 0xA6) : '0' + (s[i + 1] & 0x0F)))
				return -1;
			i += d;
			start = i;
			continue;
		}
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

static size_t group_len(const long *ofs, int g)
{
	return ofs[2 * g] < 0 ? 0 : (size_t)(ofs[2 * g + 1] - ofs[2 * g]);
}

/* One pattern's match into h; 0 when it does not fit. */
static int parse_with(struct wa *w, int k, struct header *h)
{
	const char *s = w->norm.buf;
	const signed char *g = groups[k];
	long ofs[2 * PATTERN_MAX_GROUPS];
	static const char dseps[] = "-/.";
	int gi[X_COUNT];

	if (!pattern_match_groups(w->re[k], s, w->norm.len, ofs, PATTERN_MAX_GROUPS))
		return 0;
	for (int x = 0; x < X_COUNT; x++)
		gi[x] = g[x] < 0 ? -1 : g[x];
	if (ofs[2 * gi[X_REST]] < 0)
		return 0;
	memset(h, 0, sizeof(*h));
	for (int i = 0; i < 3; i++) {
		size_t n = group_len(ofs, gi[X_F1 + i]);
		if (k >= NAMED && i == 1) {
			/* a month name: into its number, the fields as d, m, y */
			int m = walocale_month(w->loc, s + ofs[2 * gi[X_F2]], n, w->month_lang,
					       w->pass == 1 ? w->month_hits : NULL);
			if (!m)
				return 0;
			snprintf(h->f[1], sizeof(h->f[1]), "%d", m);
			h->named = 1;
			continue;
		}
		if (n >= sizeof(h->f[i]))
			return 0;
		memcpy(h->f[i], s + ofs[2 * gi[X_F1 + i]], n);
		h->f[i][n] = '\0';
	}
	h->hh = group_int(s, ofs, gi[X_HH]);
	h->mm = group_int(s, ofs, gi[X_MM]);
	h->ss = ofs[2 * gi[X_SS]] >= 0 ? group_int(s, ofs, gi[X_SS]) : 0;
	if (ofs[2 * gi[X_AMPM]] >= 0) {
		const unsigned char *a = (const unsigned char *)s + ofs[2 * gi[X_AMPM]];
		h->ampm = a[0] == 0xD8 ? 'a' : a[0] == 0xD9 ? 'p' : tolower(a[0]);  /* ص م */
	}
	if (!h->ampm && gi[X_WORD] >= 0 && ofs[2 * gi[X_WORD]] >= 0)
		h->ampm = word_ampm(s + ofs[2 * gi[X_WORD]], group_len(ofs, gi[X_WORD]));
	h->rest = (size_t)ofs[2 * gi[X_REST]];
	if (h->mm > 59 || h->ss > 59 || h->hh > 23)
		return 0;
	/* real exports have "00:04 AM" and "23:59 PM": a 24-hour hour with
	   the marker; it is read as the 24-hour time (and counted) */
	if (h->ampm && (h->hh == 0 || h->hh > 12))
		h->h24 = 1;
	h->dsep = gi[X_DSEP] >= 0 ? s[ofs[2 * gi[X_DSEP]]] : ' ';
	h->sig = (unsigned)k << 9 | (ofs[2 * gi[X_BR]] >= 0) |
		 (gi[X_COMMA] >= 0 && ofs[2 * gi[X_COMMA]] >= 0) << 1 |
		 (ofs[2 * gi[X_SS]] >= 0) << 2 | (h->ampm != 0) << 3 |
		 (gi[X_DSEP] >= 0 ? (unsigned)(strchr(dseps, s[ofs[2 * gi[X_DSEP]]]) - dseps) : 3U) << 4 |
		 (s[ofs[2 * gi[X_TSEP]]] == '.') << 6 |
		 (ofs[2 * gi[X_HSEP]] < 0 ? 0U : s[ofs[2 * gi[X_HSEP] + 1] - 1] == ':' ? 2U : 1U) << 7;
	return 1;
}

static int parse_header(struct wa *w, struct header *h)
{
	for (int k = 0; k < NPAT; k++)
		if (parse_with(w, k, h))
			return 1;
	return 0;
}

/* A year field: 2 or 4 digits, "2565 BE" (Buddhist era: 543 years ahead)
 * or a Japanese era (R4: Reiwa 4 = 2022; H Heisei, S Showa, T Taisho).
 * -1 when it is none of these. */
static int year_of(const char *f)
{
	static const struct { char era; int base; } eras[] = {
		{ 'R', 2018 }, { 'H', 1988 }, { 'S', 1925 }, { 'T', 1911 },
	};
	size_t n = strlen(f);

	for (size_t i = 0; i < sizeof(eras) / sizeof(eras[0]); i++)
		if (f[0] == eras[i].era) {
			int v = atoi(f + 1);
			return v >= 1 ? eras[i].base + v : -1;
		}
	if (n == 7 && !strcmp(f + 4, " BE"))
		return atoi(f) - 543;
	if (n <= 2)
		return 2000 + atoi(f);  /* two-digit years are 20yy, as WhatsApp writes them */
	if (n == 4)
		return atoi(f);
	return -1;
}

static int plain_digits(const char *f)
{
	size_t n = strlen(f);
	return n >= 1 && n <= 2 && strspn(f, "0123456789") == n;
}

/* The day number of a header's date read in order o, or -1 if invalid.
 * A header with a month name has its own order. */
static long long header_day(const struct header *h, const struct order *o)
{
	const char *ys, *ms, *ds;
	int y, m, d;

	if (h->named)
		o = &orders[0];
	ys = h->f[o->y];
	ms = h->f[o->m];
	ds = h->f[o->d];
	if (!plain_digits(ms) || !plain_digits(ds))
		return -1;
	y = year_of(ys);
	m = atoi(ms);
	d = atoi(ds);
	if (y < 1970 || y > 9999)
		return -1;
	if (m < 1 || m > 12 || d < 1 || d > localdate_days_in_month(y, m))
		return -1;
	return time_days_from_civil(y, (unsigned)m, (unsigned)d);
}

static long long header_ts(const struct wa *w, const struct header *h, long long day)
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
	long long days[6];

	if (h->named)
		return;                 /* a month name: its order is known */
	w->scored++;
	w->bracketed += h->sig & 1;
	w->year4 += strlen(h->f[2]) == 4 || strlen(h->f[2]) == 7;      /* 2024, 2565 BE */
	w->padded += (h->f[0][0] == '0' && h->f[0][1]) || (h->f[1][0] == '0' && h->f[1][1]);
	w->unpadded += !h->f[0][1] || !h->f[1][1];
	w->dotted += h->dsep == '.';
	for (int o = 0; o < 6; o++) {
		struct order_score *sc = &w->score[o];
		long long day = days[o] = header_day(h, &orders[o]);
		int d = orders[o].d, y = orders[o].y;
		if (day < 0) {
			sc->invalid++;
			continue;
		}
		if (sc->prev >= 0 && day < sc->prev)
			sc->backwards++;        /* a chat runs forward in time */
		if (w->have_prev && strcmp(h->f[y], w->prevf[y]))
			sc->year_changes++;
		if (year_of(h->f[y]) < 2009)
			sc->early++;
		/* the day field of a chat changes more often than the month */
		if (w->have_prev && strcmp(h->f[d], w->prevf[d]))
			sc->day_changes++;
		sc->prev = day;
	}
	/* headers that d/m and m/d (or y/m/d and y/d/m) read differently */
	if (days[0] >= 0 && days[1] >= 0 && days[0] != days[1])
		w->differ[0]++;
	if (days[2] >= 0 && days[3] >= 0 && days[2] != days[3])
		w->differ[1]++;
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

/* -1, 0, 1: which of two orders the dates of the file favour. An order
 * under which headers cannot exist, go back in time, change year often or
 * fall before 2009 costs; so that one impossible header (2/30/19 in an m/d/yy
 * export) never makes an order that re-dates every message (y/m/d read
 * as 2001-2030) look better: that one costs a change of year per day. */
static int cmp_score(const struct order_score *a, const struct order_score *b)
{
	unsigned long ca = a->invalid + a->backwards + a->year_changes + a->early;
	unsigned long cb = b->invalid + b->backwards + b->year_changes + b->early;

	if (ca != cb)
		return ca < cb ? -1 : 1;
	if (a->invalid != b->invalid)
		return a->invalid < b->invalid ? -1 : 1;
	if (a->day_changes != b->day_changes)
		return a->day_changes > b->day_changes ? -1 : 1;
	return 0;
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

/* d/m from the layout of the headers when every numeric header has it
 * (README, "Date order"), else NULL: iOS writes a region's short date,
 * and the regions that put the month first write it unpadded with two
 * digits for the year (en-US "3/21/19", also with a 24-hour clock), so a
 * bracketed "[21/03/2019, ...]" with a four-digit year and a zero-padded
 * field is d/m; and no locale writes month.day.year with dots. */
static const char *layout_dmy(const struct wa *w)
{
	if (w->bracketed == w->scored && w->year4 == w->scored && w->padded && !w->unpadded)
		return "its iOS layout [dd/mm/yyyy, ...]; month-first regions write [m/d/yy, ...]";
	if (w->dotted == w->scored)
		return "its dotted dates; no month-first locale writes dots";
	return NULL;
}

/* The date order: from the dates when they decide, then from the layout
 * of the headers (said in the summary); else a guess, said with a warning
 * naming --date-order (*why): the language of the file's notices, the
 * 12-hour clock of US exports, then d/m. */
static int pick_order(struct wa *w, const char **why)
{
	int best = 0, tied[6], ntied = 0, lang;

	*why = NULL;
	for (int o = 1; o < 6; o++)
		if (cmp_score(&w->score[o], &w->score[best]) < 0)
			best = o;
	for (int o = 0; o < 6; o++)
		if (!cmp_score(&w->score[o], &w->score[best]))
			tied[ntied++] = o;
	if (ntied == 1 || !w->scored)
		return best;
	/* a tie between d/m and m/d matters only if some date differs */
	if (ntied == 2 && tied[0] == 0 && tied[1] == 1 && !w->differ[0])
		return best;
	if (ntied == 2 && tied[0] == 2 && tied[1] == 3 && !w->differ[1])
		return best;
	if (ntied == 2 && tied[0] == 0 && tied[1] == 1 && (w->why_layout = layout_dmy(w)) != NULL)
		return 0;
	lang = w->lang;
	if (lang >= 0 && walocale_lang_order(w->loc, lang)) {
		for (int i = 0; i < ntied; i++)
			if (!strcmp(orders[tied[i]].name, walocale_lang_order(w->loc, lang))) {
				*why = "the language of its notices";
				w->why_lang = walocale_lang_code(w->loc, lang);
				return tied[i];
			}
	}
	if (w->ampm_headers * 2 > w->headers)
		for (int i = 0; i < ntied; i++)
			if (tied[i] == 1) {
				*why = "its 12-hour clock (US exports write m/d)";
				return 1;
			}
	*why = "nothing in the file";
	return tied[0];
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
	int lrm = authored && mark_at(w, h->rest + body);
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

	w->pass = pass;
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
				if (h.h24)
					w->h24_headers++;
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
			if (sig_accepted(w, h.sig)) {
				/* a header of the file's layout whose date cannot exist in
				   the order read: a bad record (with what follows it), never
				   glued to the message above */
				char sep = h.dsep;
				w->seen_header = 1;
				if (flush(w))
					return -1;
				w->p.kind = P_SKIP;
				if (bad_record(&w->ctx->bad, lineno, 0, "date '%s%c%s%c%s' cannot exist"
					       " in %s order (see --date-order)", h.f[0], sep, h.f[1],
					       sep, h.f[2], orders[w->order].name))
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
		if (bad_record(&w->ctx->bad, lineno, 0, "not a WhatsApp message header: '%.*s'",
			       (int)utf8_cut(w->norm.buf, w->norm.len, 60), w->norm.buf))
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
	enum date_order given;
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
	w->order = -1;
	rc = localdate_order_opt(ctx, &given);
	if (rc < 0)
		return -1;
	if (rc == 0) {
		w->order = (int)given;  /* the orders[] of this file are enum date_order's */
		w->order_given = 1;
	}
	w->loc = walocale_get(ctx->opts ? ctx->opts->rules_dir : NULL);
	if (!w->loc)
		return diag_error(&at, "whatsapp: cannot read the WhatsApp strings (whatsapp.ini in"
				  " the rules directory, --rules DIR)");
	w->lang_hits = xcalloc((size_t)walocale_langs(w->loc) + 1, sizeof(*w->lang_hits));
	w->month_hits = xcalloc((size_t)walocale_langs(w->loc) + 1, sizeof(*w->month_hits));
	w->scan = walocale_scan_new();
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
	w->lang = w->month_lang = -1;
	strbuf_init(&w->norm, TEXTIN_MAX_LINE + 16);
	strbuf_init(&w->self_clean, WA_MAX_AUTHOR * 4);
	strbuf_init(&w->p.author, WA_MAX_AUTHOR * 2);
	strbuf_init(&w->p.body, WA_MAX_BODY);
	if (options(w))
		goto out;
	for (int k = 0; k < NPAT; k++) {
		w->re[k] = pattern_new(header_res[k], 0, err, sizeof(err));
		if (!w->re[k]) {
			diag_error(NULL, "whatsapp header pattern %d: %s", k, err);
			goto out;
		}
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
	w->lang = top_lang(w, w->lang_hits, -1);
	w->month_lang = top_lang(w, w->month_hits, w->lang);
	if (w->order < 0) {
		const char *why;
		w->order = pick_order(w, &why);
		if (why) {
			struct src_loc at = { ctx->bad.path, 0, 0 };
			diag_warn(&at, "the dates do not tell d/m from m/d: read as %s from %s%s%s%s;"
				  " give --date-order if that is wrong", orders[w->order].name, why,
				  w->why_lang ? " (" : "", w->why_lang ? w->why_lang : "",
				  w->why_lang ? ")" : "");
		}
	}
	t = open_text(w, buf, len, name);
	if (!t) {
		rc = -1;
		goto out;
	}
	rc = run_pass(w, t, 2);
	textin_free(t);
	if (!rc && w->headers)
		diag_note("%s: %lu message header%s, dates read as %s%s%s%s%s, %lu system line%s ignored",
			  ctx->path, w->headers, w->headers == 1 ? "" : "s", orders[w->order].name,
			  w->order_given ? " (--date-order)" : "", w->why_layout ? " (from " : "",
			  w->why_layout ? w->why_layout : "", w->why_layout ? ")" : "", ctx->ignored,
			  ctx->ignored == 1 ? "" : "s");
	if (!rc && w->h24_headers)
		diag_note("%s: %lu header%s with a 24-hour hour and AM/PM (\"00:04 AM\", \"23:59 PM\"):"
			  " read as 24-hour times", ctx->path, w->h24_headers,
			  w->h24_headers == 1 ? "" : "s");
	if (!rc && w->unknown_notices)
		diag_note("%s: %lu message%s begin%s with U+200E (as iOS marks its notices) but"
			  " match%s no notice of whatsapp.ini: kept as message%s", ctx->path,
			  w->unknown_notices, w->unknown_notices == 1 ? "" : "s",
			  w->unknown_notices == 1 ? "s" : "", w->unknown_notices == 1 ? "es" : "",
			  w->unknown_notices == 1 ? "" : "s");
	if (!rc && !w->headers) {
		struct src_loc at = { ctx->path, 0, 0 };
		rc = diag_error(&at, "no WhatsApp message found");
	}
out:
	ctx->bad.path = saved_path;
	for (int k = 0; k < NPAT; k++)
		pattern_free(w->re[k]);
	free(w->lang_hits);
	free(w->month_hits);
	walocale_scan_free(w->scan);
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
