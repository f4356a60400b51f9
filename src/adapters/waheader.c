/* waheader: the lines of a WhatsApp export as the reader sees them (marks
 * removed, digits of other scripts in the header as ASCII) and the header
 * grammars that tell a message's first line from its continuation. */
#include "waheader.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "pattern.h"
#include "timeutil.h"
#include "walocale.h"
#include "xalloc.h"

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
#define NPAT 8                          /* WA_NSIG counts on it */
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

struct wa_grammar {
	struct pattern *re[NPAT];
};

struct wa_grammar *wa_grammar_new(void)
{
	struct wa_grammar *gr = xcalloc(1, sizeof(*gr));
	char err[256];

	for (int k = 0; k < NPAT; k++) {
		gr->re[k] = pattern_new(header_res[k], 0, err, sizeof(err));
		if (!gr->re[k]) {
			diag_error(NULL, "whatsapp header pattern %d: %s", k, err);
			wa_grammar_free(gr);
			return NULL;
		}
	}
	return gr;
}

void wa_grammar_free(struct wa_grammar *gr)
{
	if (!gr)
		return;
	for (int k = 0; k < NPAT; k++)
		pattern_free(gr->re[k]);
	free(gr);
}

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

int wa_normalize(struct wa_line *w, const char *line, size_t len)
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

int wa_mark_at(const struct wa_line *w, size_t ofs)
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
static int parse_with(const struct wa_grammar *gr, const struct wa_line *w, int k,
		      const struct wa_months *mo, struct wa_header *h)
{
	const char *s = w->norm.buf;
	const signed char *g = groups[k];
	long ofs[2 * PATTERN_MAX_GROUPS];
	static const char dseps[] = "-/.";
	int gi[X_COUNT];

	if (!pattern_match_groups(gr->re[k], s, w->norm.len, ofs, PATTERN_MAX_GROUPS))
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
			int m = walocale_month(mo->loc, s + ofs[2 * gi[X_F2]], n, mo->lang, mo->hits);
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

int wa_parse_header(const struct wa_grammar *gr, const struct wa_line *ln,
		    const struct wa_months *mo, struct wa_header *h)
{
	for (int k = 0; k < NPAT; k++)
		if (parse_with(gr, ln, k, mo, h))
			return 1;
	return 0;
}

/* A year field: 2 or 4 digits, "2565 BE" (Buddhist era: 543 years ahead)
 * or a Japanese era (R4: Reiwa 4 = 2022; H Heisei, S Showa, T Taisho).
 * -1 when it is none of these. */
int wa_year_of(const char *f)
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
long long wa_header_day(const struct wa_header *h, enum date_order o)
{
	const char *ys, *ms, *ds;
	int y, m, d, yi, mi, di;

	date_order_pos(h->named ? DO_DMY : o, &yi, &mi, &di);
	ys = h->f[yi];
	ms = h->f[mi];
	ds = h->f[di];
	if (!plain_digits(ms) || !plain_digits(ds))
		return -1;
	y = wa_year_of(ys);
	m = atoi(ms);
	d = atoi(ds);
	if (y < 1970 || y > 9999)
		return -1;
	if (m < 1 || m > 12 || d < 1 || d > localdate_days_in_month(y, m))
		return -1;
	return time_days_from_civil(y, (unsigned)m, (unsigned)d);
}
