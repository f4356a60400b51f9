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
 *    with an optional space; a year may be "2565 BE", "1401 AP", "1443 AH"
 *    or a Japanese era "R4")  .?  ,?  an optional word (Finnish "klo"; the
 *    day period that ko, zh, ja, tr, hu write before the time, with or
 *    without a space: "오후 9:41", "下午9:41")  time h:mm[:ss] (or h.mm.ss)
 *    an optional day period (AM, a.m., p. m., or a word of whatsapp.ini:
 *    "PTG", "μ.μ.", "ص")  ]?  " -" (after any spaces) or ":"?  one space
 *    rest
 *  - time first (Vietnamese iOS): [21:41:35, 3/27/22] ...
 *  - ja, zh, ko with the date in words: "2022年3月27日 21:41", "2022년 3월
 *    27일 오후 9:41" (always y, m, d)
 *  - a month name (formats.md §2.2; the medium date of the phone's locale):
 *    day first "21 Sep 2013", "21. Sep. 2013", "21 de set. de 2013",
 *    "21 сент. 2013 г.", "27 มี.ค. 2565", "27 thg 3, 2022"; month first
 *    "Sep 21, 2013" (en-US); year first "2013. szept. 21." (hu); the time
 *    before or after the date
 * "@W" stands for the day-period words of whatsapp.ini (wa_grammar_new). */
#define RE_FIELD "(\\d{1,4}(?: BE| AP| AH| \xD9\x87\xD9\x80)?|[RHST]\\d{1,2})"  /* هـ */
#define RE_TIME "(\\d{1,2})([:.])(\\d{2})(?:[:.](\\d{2}))?"
/* (the lookahead spares the alternatives the "]" and " -" of 24-hour headers) */
#define RE_AMPM "(?: ?(?=[^\\]\\s:,-])(@W[AaPp]\\.? ?[Mm]\\.?))?"
#define RE_PRE "(?:([^\\d\\s\\[\\]]{1,10}) ?)?"  /* "klo", or the day period before the time */
#define RE_END "(\\])?(\\s*-|:)? (.*)$"
/* a month name, then "." or the abbreviation marks ॰ (hi) and ׳ (he); or
 * a name with inner dots (th "มี.ค."), or a word and the number (vi "thg 3") */
#define RE_MONTH "(\\p{L}[\\p{L}\\p{M}]{1,13}(?: \\d{1,2})?|\\p{L}[\\p{L}\\p{M}]{0,5}(?:\\.\\p{L}[\\p{L}\\p{M}]{0,5})+)" \
	"(?:\\.|\xE0\xA5\xB0|\xD7\xB3)?"
#define RE_OF "(?:de |d['\xE2\x80\x99])?"     /* pt, es, ca: "21 de set. de 2013" */
#define RE_DMY "(\\d{1,2})\\.? " RE_OF RE_MONTH ",? " RE_OF "(\\d{4})(?:\\.| ?\\p{L}\\.)?"
#define RE_MDY RE_MONTH " (\\d{1,2}),? (\\d{4})"
#define RE_YMD "(\\d{4})\\. " RE_MONTH " (\\d{1,2})\\.?"
#define RE_AT ",? (?:(\\p{L}[^\\d\\s\\[\\]]{0,9}) ?)?"   /* "klo", "à", "um", "ÖÖ" before the time */
/* 年 月 日, 년 월 일 */
#define RE_CJK "(\\d{4}) ?(?:\xE5\xB9\xB4|\xEB\x85\x84) ?(\\d{1,2}) ?(?:\xE6\x9C\x88|\xEC\x9B\x94) ?" \
	"(\\d{1,2}) ?(?:\xE6\x97\xA5|\xEC\x9D\xBC)"
static const char *const header_res[] = {
	"^(\\[)?" RE_FIELD "([-/.]) ?" RE_FIELD "\\3 ?" RE_FIELD "\\.?(,)? ?" RE_PRE RE_TIME RE_AMPM RE_END,
	"^(\\[)?" RE_TIME RE_AMPM ",? " RE_FIELD "([-/.]) ?" RE_FIELD "\\8 ?" RE_FIELD RE_END,
	"^(\\[)?" RE_CJK "(,)? ?" RE_PRE RE_TIME RE_AMPM RE_END,
	"^(\\[)?" RE_TIME RE_AMPM ",? " RE_DMY RE_END,
	"^(\\[)?" RE_DMY RE_AT RE_TIME RE_AMPM RE_END,
	"^(\\[)?" RE_TIME RE_AMPM ",? " RE_MDY RE_END,
	"^(\\[)?" RE_MDY RE_AT RE_TIME RE_AMPM RE_END,
	"^(\\[)?" RE_YMD RE_AT RE_TIME RE_AMPM RE_END,
	"^(\\[)?" RE_TIME RE_AMPM ",? " RE_YMD RE_END,
};
#define NPAT 9                          /* WA_NSIG counts on it */
#define CJK 2                           /* the pattern of 年月日 */
#define NAMED 3                         /* the patterns from here have a month name */

/* The groups of each pattern: bracket, three date fields, date separator,
 * comma, word, hh, time separator, mm, ss, am/pm, close, header separator,
 * rest; -1 where a pattern has none. In the 年月日 and month-name patterns
 * the fields are day, month (a name) and year. */
enum { X_BR, X_F1, X_F2, X_F3, X_DSEP, X_COMMA, X_WORD, X_HH, X_TSEP, X_MM, X_SS, X_AMPM,
       X_CLOSE, X_HSEP, X_REST, X_COUNT };
static const signed char groups[NPAT][X_COUNT] = {
	{ 1, 2, 4, 5, 3, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 },
	{ 1, 7, 9, 10, 8, -1, -1, 2, 3, 4, 5, 6, 11, 12, 13 },
	{ 1, 4, 3, 2, -1, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14 },
	{ 1, 7, 8, 9, -1, -1, -1, 2, 3, 4, 5, 6, 10, 11, 12 },
	{ 1, 2, 3, 4, -1, -1, 5, 6, 7, 8, 9, 10, 11, 12, 13 },
	{ 1, 8, 7, 9, -1, -1, -1, 2, 3, 4, 5, 6, 10, 11, 12 },
	{ 1, 3, 2, 4, -1, -1, 5, 6, 7, 8, 9, 10, 11, 12, 13 },
	{ 1, 4, 3, 2, -1, -1, 5, 6, 7, 8, 9, 10, 11, 12, 13 },
	{ 1, 9, 8, 7, -1, -1, -1, 2, 3, 4, 5, 6, 10, 11, 12 },
};

struct wa_grammar {
	struct pattern *re[NPAT];
	const struct walocale *loc;
};

/* The day-period words of whatsapp.ini as alternatives of a pattern
 * ("PTG|PG|..."): longest first, regex characters escaped. */
static void ampm_alternatives(const struct walocale *loc, struct strbuf *out)
{
	size_t n = walocale_ampm_count(loc);

	for (size_t len = WA_MAX_AMPM_WORD; len > 0; len--)
		for (size_t i = 0; i < n; i++) {
			const char *w = walocale_ampm_word(loc, i);
			if (strlen(w) != len)
				continue;
			for (; *w; w++) {
				if ((unsigned char)*w < 0x80 && !isalnum((unsigned char)*w) && *w != ' ')
					strbuf_addch(out, '\\');
				strbuf_addch(out, *w);
			}
			strbuf_addch(out, '|');
		}
}

/* A pattern of header_res with its "@W" replaced. */
static char *expand(const char *re, const char *words)
{
	struct strbuf sb = STRBUF_INIT;
	const char *at;

	while ((at = strstr(re, "@W")) != NULL) {
		strbuf_add(&sb, re, (size_t)(at - re));
		strbuf_addstr(&sb, words);
		re = at + 2;
	}
	strbuf_addstr(&sb, re);
	return strbuf_detach(&sb);
}

struct wa_grammar *wa_grammar_new(const struct walocale *loc)
{
	struct wa_grammar *gr = xcalloc(1, sizeof(*gr));
	struct strbuf words = STRBUF_INIT;
	char err[256];

	gr->loc = loc;
	ampm_alternatives(loc, &words);
	for (int k = 0; k < NPAT; k++) {
		char *re = expand(header_res[k], words.buf);
		gr->re[k] = pattern_new(re, 0, err, sizeof(err));
		free(re);
		if (!gr->re[k]) {
			diag_error(NULL, "whatsapp header pattern %d: %s", k, err);
			strbuf_release(&words);
			wa_grammar_free(gr);
			return NULL;
		}
	}
	strbuf_release(&words);
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
 * Persian, Devanagari, Bengali, Gujarati, Thai) or of the Arabic comma,
 * else 0; *v: the digit, or ',' */
static size_t native_digit(const unsigned char *s, size_t n, char *v)
{
	if (n >= 2 && ((s[0] == 0xD9 && s[1] >= 0xA0 && s[1] <= 0xA9) ||
		       (s[0] == 0xDB && s[1] >= 0xB0 && s[1] <= 0xB9))) {
		*v = (char)('0' + (s[1] & 0x0F));
		return 2;
	}
	if (n >= 2 && s[0] == 0xD8 && s[1] == 0x8C) {
		*v = ',';
		return 2;
	}
	if (n >= 3 && s[0] == 0xE0 && (s[1] == 0xA5 || s[1] == 0xA7 || s[1] == 0xAB) &&
	    s[2] >= 0xA6 && s[2] <= 0xAF) {
		*v = (char)('0' + (s[2] - 0xA6));
		return 3;
	}
	if (n >= 3 && s[0] == 0xE0 && s[1] == 0xB9 && s[2] >= 0x90 && s[2] <= 0x99) {
		*v = (char)('0' + (s[2] - 0x90));       /* ๐-๙ */
		return 3;
	}
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
		char v = 0;
		size_t d = !m && s[i] >= 0xD8 && w->norm.len + (i - start) < WA_HEADER_REGION ?
			   native_digit(s + i, len - i, &v) : 0;
		if (d) {
			/* in the header, as ASCII */
			if (strbuf_add(&w->norm, line + start, i - start) || strbuf_addch(&w->norm, v))
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

static size_t group_len(const long *ofs, int g)
{
	return ofs[2 * g] < 0 ? 0 : (size_t)(ofs[2 * g + 1] - ofs[2 * g]);
}

/* The day period of a word as written: whatsapp.ini's, else a generic
 * "AM", "p. m."; 'a', 'p', 'n' (a word that says nothing, th "น.") or 0. */
static int ampm_of(const struct walocale *loc, const char *w, size_t n, int *lang)
{
	int kind = walocale_ampm(loc, w, n, lang);

	if (kind || !n)
		return kind;
	return w[0] == 'a' || w[0] == 'A' ? 'a' : w[0] == 'p' || w[0] == 'P' ? 'p' : 0;
}

/* The three date fields of a match into h (a month name as its number). */
static int fields(const char *s, const long *ofs, const int *gi, int k,
		  const struct wa_months *mo, struct wa_header *h)
{
	for (int i = 0; i < 3; i++) {
		size_t n = group_len(ofs, gi[X_F1 + i]);
		if (k >= NAMED && i == 1) {
			/* a month name: into its number, the fields as d, m, y */
			int m = walocale_month(mo->loc, s + ofs[2 * gi[X_F2]], n, mo->lang, mo->hits);
			if (!m)
				return 0;
			snprintf(h->f[1], sizeof(h->f[1]), "%d", m);
			continue;
		}
		if (n >= sizeof(h->f[i]))
			return 0;
		memcpy(h->f[i], s + ofs[2 * gi[X_F1 + i]], n);
		h->f[i][n] = '\0';
	}
	h->named = k >= CJK;
	for (int i = 0; i < 3; i++) {
		int cal = wa_year_calendar(h->f[i]);
		if (cal != WA_CAL_GREGORIAN)
			h->cal = cal;
	}
	return 1;
}

/* The day period, before the time (ko, zh, ja, tr, hu) or after it. */
static void day_period(const char *s, const long *ofs, const int *gi,
		       const struct walocale *loc, struct wa_header *h)
{
	int after = 0, kind = 0;

	h->ampm_lang = -1;
	if (ofs[2 * gi[X_AMPM]] >= 0) {
		const char *a = s + ofs[2 * gi[X_AMPM]];
		kind = ampm_of(loc, a, group_len(ofs, gi[X_AMPM]), &h->ampm_lang);
		after = 1;
		h->ampm_latin = strchr("AaPp", a[0]) && strpbrk(a, "Mm") &&
				(size_t)(strpbrk(a, "Mm") - a) < group_len(ofs, gi[X_AMPM]);
	}
	if (!kind && gi[X_WORD] >= 0 && ofs[2 * gi[X_WORD]] >= 0)
		kind = walocale_ampm(loc, s + ofs[2 * gi[X_WORD]], group_len(ofs, gi[X_WORD]),
				     &h->ampm_lang);
	h->ampm = kind == 'n' ? 0 : kind;
	/* real exports have "00:04 AM" and "23:59 PM": a 24-hour hour with
	   the marker; it is read as the 24-hour time (and counted). Japanese
	   counts 午後0:30 from 0 (ICU's K): that is 12:30 */
	if (h->ampm && (h->hh > 12 || (h->hh == 0 && after)))
		h->h24 = 1;
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
	if (!fields(s, ofs, gi, k, mo, h))
		return 0;
	h->hh = group_int(s, ofs, gi[X_HH]);
	h->mm = group_int(s, ofs, gi[X_MM]);
	h->ss = ofs[2 * gi[X_SS]] >= 0 ? group_int(s, ofs, gi[X_SS]) : 0;
	h->rest = (size_t)ofs[2 * gi[X_REST]];
	if (h->mm > 59 || h->ss > 59 || h->hh > 23)
		return 0;
	day_period(s, ofs, gi, gr->loc, h);
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

/* A year field's calendar and its year in that calendar, or -1 when it is
 * no year: 2 or 4 digits; "2565 BE" (Buddhist era: 543 years ahead), and
 * the Buddhist years a Thai phone writes without the era (2565, or 65:
 * WhatsApp exists since 2009, 2552 BE, so 2400-2699 and 52-99 are no
 * Gregorian years); a Japanese era (R4: Reiwa 4 = 2022; H Heisei, S Showa,
 * T Taisho); "1401 AP" and 1354-1420 (1975-2041): the Persian (Solar Hijri)
 * calendar of an Iranian iPhone; "1443 AH" and 1421-1500: the Islamic
 * (Hijri) calendar, not read. */
static int year_in(const char *f, int *cal)
{
	static const struct { char era; int base; } eras[] = {
		{ 'R', 2018 }, { 'H', 1988 }, { 'S', 1925 }, { 'T', 1911 },
	};
	size_t n = strlen(f);
	int v = 0;

	for (const char *p = f; *p >= '0' && *p <= '9'; p++)
		v = v * 10 + (*p - '0');       /* at most 4 digits: no atoi in the hot path */
	*cal = WA_CAL_GREGORIAN;
	for (size_t i = 0; i < sizeof(eras) / sizeof(eras[0]); i++)
		if (f[0] == eras[i].era) {
			v = f[1] >= '0' && f[1] <= '9' ? atoi(f + 1) : 0;
			*cal = WA_CAL_JAPANESE;
			return v >= 1 ? eras[i].base + v : -1;
		}
	if (n > 5 && f[4] == ' ')
		*cal = !strcmp(f + 5, "BE") ? WA_CAL_BUDDHIST : !strcmp(f + 5, "AP") ? WA_CAL_PERSIAN :
		       WA_CAL_HIJRI;           /* AH, هـ */
	else if (n <= 2)
		*cal = v >= 52 ? WA_CAL_BUDDHIST : WA_CAL_GREGORIAN;
	else if (n == 4)
		*cal = v >= 2400 && v < 2700 ? WA_CAL_BUDDHIST : v >= 1354 && v <= 1420 ? WA_CAL_PERSIAN :
		       v > 1420 && v <= 1500 ? WA_CAL_HIJRI : WA_CAL_GREGORIAN;
	else
		return -1;
	if (*cal == WA_CAL_HIJRI)
		return -1;
	if (n <= 2)
		return *cal == WA_CAL_BUDDHIST ? 2500 + v - 543 : 2000 + v;  /* 20yy, as WhatsApp writes */
	return *cal == WA_CAL_BUDDHIST ? v - 543 : v;
}

int wa_year_calendar(const char *f)
{
	int cal;
	(void)year_in(f, &cal);
	return cal;
}

int wa_year_of(const char *f)
{
	int cal, y = year_in(f, &cal);
	return y >= 0 && cal == WA_CAL_PERSIAN ? y + 621 : y;
}

/* The day number of a Persian date, as ICU computes it (the 33-year
 * arithmetic of its PersianCalendar), or -1 when it cannot exist. */
static long long persian_day(int y, int m, int d)
{
	static const int start[12] = { 0, 31, 62, 93, 124, 155, 186, 216, 246, 276, 306, 336 };
	int leap = (25 * y + 11) % 33 < 8;
	int len = m <= 6 ? 31 : m <= 11 ? 30 : 29 + leap;

	if (m < 1 || m > 12 || d < 1 || d > len)
		return -1;
	/* Julian day 1948320 is 1 Farvardin 1; 2440588 is 1970-01-01 */
	return 1948320LL - 1 + 365LL * (y - 1) + (8LL * y + 21) / 33 + start[m - 1] + d - 2440588;
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
	int y, m, d, yi, mi, di, cal;

	date_order_pos(h->named ? DO_DMY : o, &yi, &mi, &di);
	ys = h->f[yi];
	ms = h->f[mi];
	ds = h->f[di];
	if (!plain_digits(ms) || !plain_digits(ds))
		return -1;
	y = year_in(ys, &cal);
	m = ms[1] ? (ms[0] - '0') * 10 + ms[1] - '0' : ms[0] - '0';  /* plain_digits: 1 or 2 */
	d = ds[1] ? (ds[0] - '0') * 10 + ds[1] - '0' : ds[0] - '0';
	if (y >= 0 && cal == WA_CAL_PERSIAN)
		return persian_day(y, m, d);
	if (y < 1970 || y > 9999)
		return -1;
	if (m < 1 || m > 12 || d < 1 || d > localdate_days_in_month(y, m))
		return -1;
	return time_days_from_civil(y, (unsigned)m, (unsigned)d);
}
