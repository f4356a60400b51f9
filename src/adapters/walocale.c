/* walocale: rules/whatsapp.ini and the matcher of its templates.
 *
 * A template is literal text with three kinds of holes: `*` any text
 * (possibly empty), `{n}` a number, `{dur}` a number and a unit word of the
 * language (dur_* keys). A space matches any run of spaces, or none (long
 * values are continued on indented lines, which conf.c joins with one
 * space, also in scripts without spaces). ASCII letters match in any case,
 * typographic quotes match straight ones, and a final full stop is
 * optional on both sides. Tombstones and missed calls must match the whole
 * text; media placeholders may follow a file name (suffix); timer notices
 * and long system notices are matched as prefixes (the app appends "Tap to
 * change", "except when kept" and the like). */
#include "walocale.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "conf.h"
#include "diag.h"
#include "strbuf.h"
#include "xalloc.h"

#define WL_MAX_LANGS 255
#define WL_MAX_TEXT 2048        /* longer texts are messages, never notices */
#define WL_MAX_MONTHS 6         /* names of one month in one language */
#define WL_LONG_SYSTEM 40       /* bytes from which a system notice is a prefix */

enum mode { M_WHOLE, M_PREFIX, M_SUFFIX };

struct tpl {
	char *pat;                      /* with '*' added for the mode */
	enum wa_cat cat;
	unsigned char lang, mode, lead_star, long_sys;
	long long unit;                 /* timer: seconds per {n}; 0 off; -1 default */
	char *lit;                      /* the longest literal run, for a quick reject */
	size_t litlen;
	unsigned short bg[3];           /* bigrams of lit the text must have */
	int nbg;
};

/* The byte pairs of the text being matched, stamped with a generation
 * number: a template whose literal has a pair the text lacks is skipped
 * without matching (the table is never cleared); and the templates the
 * pairs of the text index (walocale.index), in the order they are tried. */
struct wa_scan {
	unsigned gen;
	unsigned stamp[65536];
	uint64_t *mark;                 /* a bit per rank: the templates to try */
	size_t nmark;                   /* words */
};

struct lang {
	char *code, *order;
	char *dur[5][4];                /* unit words of {dur}: s, min, h, d, w */
	char *months[12][WL_MAX_MONTHS]; /* names and abbreviations */
	char *month_word[WL_MAX_MONTHS]; /* a word before the month's number (vi "thg 3") */
};

/* Each template under the rarest byte pair of its literal (the text must
 * have that pair for the template to match): a text is matched against
 * the templates of its own pairs, a few dozen of the thousands. Templates
 * with no literal of two bytes are always tried. CSR: the templates of
 * pair b are item[start[b]] .. item[start[b + 1] - 1]. */
struct tpl_index {
	unsigned *start, *item, *always;
	size_t nalways;
};

/* A day-period word of a clock ("PM", "오후", "μ.μ."; "น." after a 24-hour
 * time): 'a', 'p' or 'n' (none). */
struct ampm {
	char *word;
	char kind;
	int lang;                       /* its language, -1 when several have it */
};

struct walocale {
	struct tpl *t;
	struct ampm *ampm;
	size_t nampm, aampm;
	size_t n, alloc;
	struct tpl_index index;
	unsigned *rank;                 /* per template: its place in the order of trying */
	unsigned *by_rank;              /* the template at each place */
	struct lang *lang;
	size_t nlang, alang;
	const char *path;
	int bad;
};

static const long long unit_secs[5] = { 1, 60, 3600, 86400, 604800 };
static const char *const unit_names[5] = { "seconds", "minutes", "hours", "days", "weeks" };

/* ---- matching ---- */

/* Compare one template byte (or a straight quote) with the text at s:
 * bytes of text consumed, or 0. */
static size_t eq_at(char pc, const char *s, size_t n)
{
	if (!n)
		return 0;
	if (n >= 3 && (unsigned char)s[0] == 0xE2 && (unsigned char)s[1] == 0x80) {
		unsigned char c = (unsigned char)s[2];
		if (pc == '\'' && (c == 0x98 || c == 0x99))
			return 3;
		if (pc == '"' && (c == 0x9C || c == 0x9D))
			return 3;
	}
	if ((unsigned char)pc < 0x80 && (unsigned char)s[0] < 0x80)
		return tolower((unsigned char)pc) == tolower((unsigned char)s[0]) ? 1 : 0;
	return pc == s[0] ? 1 : 0;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* A {dur}: digits, spaces, a unit word of the language. */
static size_t match_dur(const struct lang *lg, const char *s, size_t n, long long *ttl)
{
	size_t i = 0, w;
	long long v = 0;

	while (i < n && isdigit((unsigned char)s[i]) && i < 9)
		v = v * 10 + (s[i++] - '0');
	if (!i)
		return 0;
	while (i < n && is_space(s[i]))
		i++;
	for (w = i; w < n && !is_space(s[w]) && s[w] != '.' && s[w] != ','; w++)
		;
	for (int u = 0; u < 5; u++)
		for (int k = 0; k < 4 && lg->dur[u][k]; k++)
			if (strlen(lg->dur[u][k]) == w - i && !strncasecmp(lg->dur[u][k], s + i, w - i)) {
				*ttl = v * unit_secs[u];
				return w;
			}
	return 0;
}

static unsigned short bigram(const char *p)
{
	return (unsigned short)(tolower((unsigned char)p[0]) << 8 | tolower((unsigned char)p[1]));
}

struct wa_scan *walocale_scan_new(void)
{
	return xcalloc(1, sizeof(struct wa_scan));
}

void walocale_scan_free(struct wa_scan *sc)
{
	if (sc)
		free(sc->mark);
	free(sc);
}

/* memmem, ASCII letters in any case. */
static const char *memcase(const char *h, size_t hn, const char *nd, size_t nn)
{
	for (size_t i = 0; i + nn <= hn; i++)
		if (tolower((unsigned char)h[i]) == tolower((unsigned char)nd[0]) &&
		    !strncasecmp(h + i, nd, nn))
			return h + i;
	return NULL;
}

/* The glob of the header comment, with one backtracking point (the last
 * '*'), as wildcard matchers do: time linear in text x template. */
static int glob(const struct walocale *l, const struct tpl *t, const char *s, size_t n,
		long long *num, long long *dur)
{
	const char *p = t->pat, *star_p = NULL;
	size_t i = 0, star_i = 0;

	for (;;) {
		if (*p == '*') {
			star_p = ++p;
			star_i = i;
			continue;
		}
		if (i == n && !*p)
			return 1;
		if (*p == ' ') {
			while (i < n && is_space(s[i]))
				i++;
			p++;
			continue;
		}
		if (*p == '{' && !strncmp(p, "{n}", 3) && i < n && isdigit((unsigned char)s[i])) {
			long long v = 0;
			size_t k = 0;
			while (i < n && isdigit((unsigned char)s[i]) && k++ < 9)
				v = v * 10 + (s[i++] - '0');
			*num = v;
			p += 3;
			continue;
		}
		if (*p == '{' && !strncmp(p, "{dur}", 5)) {
			size_t k = match_dur(&l->lang[t->lang], s + i, n - i, dur);
			if (k) {
				i += k;
				p += 5;
				continue;
			}
		} else if (*p && i < n) {
			size_t k = eq_at(*p, s + i, n - i);
			if (k) {
				i += k;
				p++;
				continue;
			}
		}
		if (!star_p || star_i >= n)
			return 0;
		/* backtrack: the last '*' takes one more character */
		do
			star_i++;
		while (star_i < n && ((unsigned char)s[star_i] & 0xC0) == 0x80);
		i = star_i;
		p = star_p;
	}
}

/* The name a "* did this" template starts with: the text before the
 * template's first literal. 0 when not found. */
static size_t actor_len(const struct tpl *t, const char *s, size_t n)
{
	const char *lit = t->pat + 1;
	size_t ln = strcspn(lit, "*{");
	const char *at;

	while (ln && lit[ln - 1] == ' ')
		ln--;
	if (!ln || ln > n)
		return 0;
	at = memmem(s, n, lit, ln);
	return at ? (size_t)(at - s) : 0;
}

/* The categories in the order they are tried: a timer notice before a
 * system notice it also matches, and so on. */
static const enum wa_cat cat_order[] = { WC_TIMER, WC_DELETED, WC_YOU_DELETED, WC_MISSED,
					 WC_SYSTEM, WC_MEDIA };
#define NCAT (sizeof(cat_order) / sizeof(cat_order[0]))

static void mark(const struct walocale *l, struct wa_scan *sc, const unsigned *item, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned r = l->rank[item[i]];
		sc->mark[r >> 6] |= (uint64_t)1 << (r & 63);
	}
}

/* Stamp the pairs of the text and mark the templates they index (by rank,
 * their place in the order of trying). */
static void candidates(const struct walocale *l, struct wa_scan *sc, const char *text,
		       size_t len)
{
	const struct tpl_index *ix = &l->index;
	size_t words = (l->n + 63) / 64;

	if (++sc->gen == 0) {
		memset(sc->stamp, 0, sizeof(sc->stamp));
		sc->gen = 1;
	}
	if (sc->nmark < words) {
		free(sc->mark);
		sc->mark = xcalloc(words, sizeof(*sc->mark));
		sc->nmark = words;
	}
	for (size_t i = 0; i + 1 < len; i++) {
		unsigned short b = bigram(text + i);
		if (sc->stamp[b] == sc->gen)
			continue;
		sc->stamp[b] = sc->gen;
		mark(l, sc, ix->item + ix->start[b], ix->start[b + 1] - ix->start[b]);
	}
	mark(l, sc, ix->always, ix->nalways);
}

/* One template against the text: 1 and hit filled when it matches. */
static int try_tpl(const struct walocale *l, const struct tpl *t, const struct wa_scan *sc,
		   const char *text, size_t len, int notice, struct wa_hit *hit)
{
	long long num = -1, dur = -1;

	if (t->cat == WC_SYSTEM && !notice && !t->long_sys)
		return 0;
	for (int b = 0; b < t->nbg; b++)
		if (sc->stamp[t->bg[b]] != sc->gen)
			return 0;
	if (t->litlen && (t->litlen > len || !memcase(text, len, t->lit, t->litlen)))
		return 0;
	if (!glob(l, t, text, len, &num, &dur))
		return 0;
	hit->cat = t->cat;
	hit->lang = t->lang;
	if (t->cat == WC_TIMER) {
		hit->ttl = t->unit == -1 ? 604800 : t->unit == -2 ? dur :
			   t->unit == 0 ? 0 : num * t->unit;
		if (hit->ttl < 0)
			return 0;
		if (t->lead_star && (hit->actor_len = actor_len(t, text, len)) != 0)
			hit->has_actor = 1;
	}
	return 1;
}

enum wa_cat walocale_match(const struct walocale *l, struct wa_scan *sc, const char *text,
			   size_t len, int notice, struct wa_hit *hit)
{
	memset(hit, 0, sizeof(*hit));
	while (len && is_space(text[len - 1]))
		len--;
	if (len && text[len - 1] == '.')
		len--;
	else if (len >= 3 && !memcmp(text + len - 3, "\xE3\x80\x82", 3))      /* 。 */
		len -= 3;
	if (!l || !len || len > WL_MAX_TEXT)
		return WC_NONE;
	candidates(l, sc, text, len);
	for (size_t w = 0; w < sc->nmark; w++)
		while (sc->mark[w]) {
			unsigned r = (unsigned)(w * 64) + (unsigned)__builtin_ctzll(sc->mark[w]);
			const struct tpl *t = &l->t[l->by_rank[r]];
			sc->mark[w] &= sc->mark[w] - 1;
			if (try_tpl(l, t, sc, text, len, notice, hit)) {
				memset(sc->mark, 0, sc->nmark * sizeof(*sc->mark));
				return t->cat;
			}
			memset(hit, 0, sizeof(*hit));
		}
	return WC_NONE;
}

/* ---- loading ---- */

static int lang_of(struct walocale *l, const char *section)
{
	for (size_t i = 0; i < l->nlang; i++)
		if (!strcmp(l->lang[i].code, section))
			return (int)i;
	if (l->nlang >= WL_MAX_LANGS)
		return -1;
	l->lang = xgrow(l->lang, l->nlang + 1, &l->alang, sizeof(*l->lang));
	memset(&l->lang[l->nlang], 0, sizeof(*l->lang));
	l->lang[l->nlang].code = xstrdup(section);
	return (int)l->nlang++;
}

static int add_word(char **slot, int max, const char *w, size_t n)
{
	for (int k = 0; k < max; k++)
		if (!slot[k]) {
			slot[k] = xasprintf("%.*s", (int)n, w);
			return 0;
		}
	return -1;
}

static void longest_literal(struct tpl *t)
{
	const char *p = t->pat, *best = NULL;
	size_t bestn = 0;

	while (*p) {
		size_t n = strcspn(p, "* {");
		/* a literal with a quote may be written typographically */
		int quote = memchr(p, '\'', n) || memchr(p, '"', n);
		if (n > bestn && !quote) {
			best = p;
			bestn = n;
		}
		p += n;
		if (*p == '{')
			p += strcspn(p, "}") + (p[strcspn(p, "}")] ? 1 : 0);
		else if (*p)
			p++;
	}
	t->lit = bestn ? xasprintf("%.*s", (int)bestn, best) : NULL;
	t->litlen = bestn;
	if (bestn >= 2) {
		t->bg[t->nbg++] = bigram(best);
		t->bg[t->nbg++] = bigram(best + bestn / 2 - (bestn / 2 == bestn - 1));
		t->bg[t->nbg++] = bigram(best + bestn - 2);
	}
}

/* The template keys: their category, how they match, the timer's unit. */
static const struct tpl_key {
	const char *key;
	enum wa_cat cat;
	enum mode mode;
	long long unit;
} tpl_keys[] = {
	{ "deleted", WC_DELETED, M_WHOLE, 0 }, { "you_deleted", WC_YOU_DELETED, M_WHOLE, 0 },
	{ "media", WC_MEDIA, M_SUFFIX, 0 }, { "attached", WC_MEDIA, M_SUFFIX, 0 },
	{ "missed_call", WC_MISSED, M_WHOLE, 0 }, { "system", WC_SYSTEM, M_WHOLE, 0 },
	{ "timer_seconds", WC_TIMER, M_PREFIX, 1 }, { "timer_minutes", WC_TIMER, M_PREFIX, 60 },
	{ "timer_hours", WC_TIMER, M_PREFIX, 3600 }, { "timer_days", WC_TIMER, M_PREFIX, 86400 },
	{ "timer_weeks", WC_TIMER, M_PREFIX, 604800 }, { "timer", WC_TIMER, M_PREFIX, -2 },
	{ "timer_default", WC_TIMER, M_WHOLE, -1 }, { "timer_off", WC_TIMER, M_PREFIX, 0 },
};

static int add_template(struct walocale *l, int lg, const struct tpl_key *k, const char *value,
			const struct src_loc *at)
{
	struct strbuf sb = STRBUF_INIT;
	size_t n = strlen(value);
	struct tpl *t;

	while (n && (value[n - 1] == '.' || value[n - 1] == ' '))
		n--;
	if (!n || n > WL_MAX_TEXT)
		return diag_error(at, "%s: empty or longer than %d bytes", k->key, WL_MAX_TEXT);
	l->t = xgrow(l->t, l->n + 1, &l->alloc, sizeof(*l->t));
	t = &l->t[l->n++];
	memset(t, 0, sizeof(*t));
	t->cat = k->cat;
	t->unit = k->unit;
	t->lang = (unsigned char)lg;
	t->mode = k->mode;
	if (t->cat == WC_SYSTEM && value[0] != '*' && n >= WL_LONG_SYSTEM) {
		t->mode = M_PREFIX;
		t->long_sys = 1;
	}
	t->lead_star = value[0] == '*';
	if (t->mode == M_SUFFIX && value[0] != '*')
		strbuf_addch(&sb, '*');
	strbuf_add(&sb, value, n);
	if (t->mode == M_PREFIX)
		strbuf_addch(&sb, '*');
	t->pat = strbuf_detach(&sb);
	longest_literal(t);
	return 0;
}

/* months: twelve names, separated by spaces; the key repeats for
 * abbreviations. */
static int add_months(struct lang *lg, const char *p, const struct src_loc *at)
{
	for (int m = 0; m < 12; m++) {
		size_t n;
		while (*p == ' ')
			p++;
		n = strcspn(p, " ");
		if (!n)
			return diag_error(at, "months: expected 12 names");
		if (add_word(lg->months[m], WL_MAX_MONTHS, p, n))
			return diag_error(at, "months: at most %d lists per language", WL_MAX_MONTHS);
		p += n;
	}
	return 0;
}

/* am, pm, hours: a day-period word, in the header as written (a word two
 * languages share is kept once). */
static int add_ampm(struct walocale *l, int lg, char kind, const char *value,
		    const struct src_loc *at)
{
	size_t n = strlen(value);

	if (!n || n > WA_MAX_AMPM_WORD || strpbrk(value, "0123456789[]-:*"))
		return diag_error(at, "%s: a word of 1 to %d bytes without digits, brackets,"
				  " '-', ':' or '*'", kind == 'n' ? "hours" : kind == 'a' ? "am" : "pm",
				  WA_MAX_AMPM_WORD);
	for (size_t i = 0; i < l->nampm; i++)
		if (!strcmp(l->ampm[i].word, value)) {
			if (l->ampm[i].kind != kind)
				return diag_error(at, "'%s' is already a word of another day period", value);
			if (l->ampm[i].lang != lg)
				l->ampm[i].lang = -1;
			return 0;
		}
	l->ampm = xgrow(l->ampm, l->nampm + 1, &l->aampm, sizeof(*l->ampm));
	l->ampm[l->nampm].word = xstrdup(value);
	l->ampm[l->nampm].lang = lg;
	l->ampm[l->nampm++].kind = kind;
	return 0;
}

static int on_key(void *user, const char *section, const char *key, const char *value,
		  unsigned long line)
{
	struct walocale *l = user;
	struct src_loc at = { l->path, line, 0 };
	int lg = lang_of(l, section);

	if (lg < 0)
		return diag_error(&at, "too many languages (at most %d)", WL_MAX_LANGS);
	if (!strcmp(key, "name"))
		return 0;
	if (!strcmp(key, "date_order")) {
		if (strcmp(value, "dmy") && strcmp(value, "mdy") && strcmp(value, "ymd"))
			return diag_error(&at, "date_order: expected dmy, mdy or ymd, not '%s'", value);
		free(l->lang[lg].order);
		l->lang[lg].order = xstrdup(value);
		return 0;
	}
	if (!strncmp(key, "dur_", 4)) {
		for (int u = 0; u < 5; u++)
			if (!strcmp(key + 4, unit_names[u])) {
				if (add_word(l->lang[lg].dur[u], 4, value, strlen(value)))
					return diag_error(&at, "%s: at most 4 words", key);
				return 0;
			}
		return diag_error(&at, "unknown key '%s'", key);
	}
	if (!strcmp(key, "months"))
		return add_months(&l->lang[lg], value, &at);
	if (!strcmp(key, "am") || !strcmp(key, "pm") || !strcmp(key, "hours"))
		return add_ampm(l, lg, key[0] == 'h' ? 'n' : key[0], value, &at);
	if (!strcmp(key, "month_word"))
		return add_word(l->lang[lg].month_word, WL_MAX_MONTHS, value, strlen(value)) ?
		       diag_error(&at, "month_word: at most %d per language", WL_MAX_MONTHS) : 0;
	for (size_t k = 0; k < sizeof(tpl_keys) / sizeof(tpl_keys[0]); k++)
		if (!strcmp(key, tpl_keys[k].key))
			return add_template(l, lg, &tpl_keys[k], value, &at);
	return diag_error(&at, "unknown key '%s' (see the comment at the top)", key);
}

/* The index of struct tpl_index and the order of trying. */
static void build_index(struct walocale *l)
{
	struct tpl_index *ix = &l->index;
	unsigned *freq = xcalloc(65536, sizeof(*freq));
	unsigned *key = xcalloc(l->n + 1, sizeof(*key));
	unsigned r = 0;

	for (size_t i = 0; i < l->n; i++)
		for (size_t k = 0; k + 1 < l->t[i].litlen; k++)
			freq[bigram(l->t[i].lit + k)]++;
	ix->start = xcalloc(65537, sizeof(*ix->start));
	ix->always = xcalloc(l->n + 1, sizeof(*ix->always));
	for (size_t i = 0; i < l->n; i++) {
		const struct tpl *t = &l->t[i];
		unsigned best = 65536;
		for (size_t k = 0; k + 1 < t->litlen; k++)
			if (best == 65536 || freq[bigram(t->lit + k)] < freq[best])
				best = bigram(t->lit + k);
		key[i] = best;
		if (best == 65536)
			ix->always[ix->nalways++] = (unsigned)i;
		else
			ix->start[best + 1]++;
	}
	for (unsigned b = 0; b < 65536; b++)
		ix->start[b + 1] += ix->start[b];
	ix->item = xcalloc(l->n + 1, sizeof(*ix->item));
	memset(freq, 0, 65536 * sizeof(*freq));         /* now: filled per pair */
	for (size_t i = 0; i < l->n; i++)
		if (key[i] != 65536)
			ix->item[ix->start[key[i]] + freq[key[i]]++] = (unsigned)i;
	l->rank = xcalloc(l->n + 1, sizeof(*l->rank));
	l->by_rank = xcalloc(l->n + 1, sizeof(*l->by_rank));
	for (size_t c = 0; c < NCAT; c++)
		for (size_t i = 0; i < l->n; i++)
			if (l->t[i].cat == cat_order[c]) {
				l->rank[i] = r;
				l->by_rank[r++] = (unsigned)i;
			}
	free(freq);
	free(key);
}

struct walocale *walocale_load(const char *path)
{
	struct walocale *l = xcalloc(1, sizeof(*l));

	l->path = path;
	if (conf_parse_file(path, on_key, l)) {
		walocale_free(l);
		return NULL;
	}
	l->path = NULL;
	build_index(l);
	return l;
}

void walocale_free(struct walocale *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++) {
		free(l->t[i].pat);
		free(l->t[i].lit);
	}
	for (size_t i = 0; i < l->nlang; i++) {
		free(l->lang[i].code);
		free(l->lang[i].order);
		for (int u = 0; u < 5; u++)
			for (int k = 0; k < 4; k++)
				free(l->lang[i].dur[u][k]);
		for (int m = 0; m < 12; m++)
			for (int k = 0; k < WL_MAX_MONTHS; k++)
				free(l->lang[i].months[m][k]);
		for (int k = 0; k < WL_MAX_MONTHS; k++)
			free(l->lang[i].month_word[k]);
	}
	for (size_t i = 0; i < l->nampm; i++)
		free(l->ampm[i].word);
	free(l->ampm);
	free(l->t);
	free(l->lang);
	free(l->index.start);
	free(l->index.item);
	free(l->index.always);
	free(l->rank);
	free(l->by_rank);
	free(l);
}

const struct walocale *walocale_get(const char *rules_dir)
{
	static struct walocale *cached;
	static char *cached_path;
	char *path = xasprintf("%s/whatsapp.ini", rules_dir ? rules_dir : "rules");

	if (cached && !strcmp(path, cached_path)) {
		free(path);
		return cached;
	}
	walocale_free(cached);
	free(cached_path);
	cached = walocale_load(path);
	cached_path = path;
	return cached;
}

int walocale_langs(const struct walocale *l)
{
	return l ? (int)l->nlang : 0;
}

const char *walocale_lang_code(const struct walocale *l, int lang)
{
	return l->lang[lang].code;
}

const char *walocale_lang_order(const struct walocale *l, int lang)
{
	return l->lang[lang].order;
}

/* A month as a word and its number ("thg 3", "tháng 3"): the number, or 0. */
static int month_numbered(const struct walocale *l, const char *name, size_t len, int lang,
			  unsigned long *hits)
{
	const char *sp = memchr(name, ' ', len);
	int m = 0, found = 0;

	if (!sp || len - (size_t)(sp + 1 - name) > 2)
		return 0;
	for (const char *p = sp + 1; p < name + len; p++) {
		if (!isdigit((unsigned char)*p))
			return 0;
		m = m * 10 + (*p - '0');
	}
	if (m < 1 || m > 12)
		return 0;
	for (size_t i = 0; i < l->nlang; i++)
		for (int k = 0; k < WL_MAX_MONTHS && l->lang[i].month_word[k]; k++)
			if (strlen(l->lang[i].month_word[k]) == (size_t)(sp - name) &&
			    !strncasecmp(l->lang[i].month_word[k], name, (size_t)(sp - name))) {
				found = m;
				if (hits)
					hits[i]++;
				if ((int)i == lang || !hits)
					return m;
				break;
			}
	return found;
}

int walocale_month(const struct walocale *l, const char *name, size_t len, int lang,
		   unsigned long *hits)
{
	int found = 0;

	if (!l)
		return 0;
	if (memchr(name, ' ', len))
		return month_numbered(l, name, len, lang, hits);
	for (size_t i = 0; i < l->nlang; i++)
		for (int m = 0; m < 12; m++)
			for (int k = 0; k < WL_MAX_MONTHS && l->lang[i].months[m][k]; k++)
				if (strlen(l->lang[i].months[m][k]) == len &&
				    !strncasecmp(l->lang[i].months[m][k], name, len)) {
					if ((int)i == lang)
						return m + 1;
					if (!found)
						found = m + 1;
					if (hits) {
						hits[i]++;
						m = 12;         /* once per language */
						break;
					}
				}
	return found;
}

size_t walocale_ampm_count(const struct walocale *l)
{
	return l ? l->nampm : 0;
}

const char *walocale_ampm_word(const struct walocale *l, size_t i)
{
	return l->ampm[i].word;
}

int walocale_ampm(const struct walocale *l, const char *word, size_t len, int *lang)
{
	*lang = -1;
	for (size_t i = 0; l && i < l->nampm; i++)
		if (strlen(l->ampm[i].word) == len && !memcmp(l->ampm[i].word, word, len)) {
			*lang = l->ampm[i].lang;
			return l->ampm[i].kind;
		}
	return 0;
}
