/* jsonflat: yajl events -> top-level members of one object. Nested values
 * are reported as JF_OTHER and their contents skipped. The common line (a
 * flat object of plain strings, integers, true, false and null) is read by
 * a scanner of its own first, a third of yajl's cost; any other line, and
 * every error, goes to yajl, so what is accepted and every message are
 * yajl's. */
#include "jsonflat.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <yajl/yajl_parse.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "utf8.h"

#define JF_MAX_DEPTH 64
#define JF_MAX_KEY 256          /* bytes of a key, its NUL included */

struct jf_state {
	jf_member cb;
	void *user;
	int depth;              /* 0 outside, 1 inside the top object */
	int top_seen;
	const char *err;
	char key[JF_MAX_KEY];
	size_t klen;
};

static int emit(struct jf_state *s, enum jf_type t, const char *str, size_t n, long long v)
{
	if (s->depth != 1)
		return 1;       /* inside a nested value: skipped */
	if (t == JF_STRING && memchr(str, '\0', n)) {
		s->err = "NUL character in a string";
		return 0;
	}
	/* yajl turns a \u escape of a lone surrogate (\udfff) into bytes
	   that are not UTF-8 */
	if (t == JF_STRING && utf8_check(str, n)) {
		s->err = "invalid UTF-8 in a string (a \\u escape of a lone surrogate?)";
		return 0;
	}
	if (s->cb(s->user, s->key, s->klen, t, str, n, v)) {
		s->err = "stopped";
		return 0;
	}
	return 1;
}

static int top_scalar(struct jf_state *s)
{
	if (s->depth == 0) {
		s->err = "expected a JSON object";
		return 0;
	}
	return 1;
}

static int on_null(void *ctx)
{
	struct jf_state *s = ctx;
	return top_scalar(s) && emit(s, JF_OTHER, NULL, 0, 0);
}

static int on_bool(void *ctx, int b)
{
	struct jf_state *s = ctx;
	(void)b;
	return top_scalar(s) && emit(s, JF_OTHER, NULL, 0, 0);
}

static int on_int(void *ctx, long long v)
{
	struct jf_state *s = ctx;
	return top_scalar(s) && emit(s, JF_INT, NULL, 0, v);
}

static int on_double(void *ctx, double v)
{
	struct jf_state *s = ctx;
	(void)v;
	return top_scalar(s) && emit(s, JF_OTHER, NULL, 0, 0);
}

static int on_string(void *ctx, const unsigned char *v, size_t n)
{
	struct jf_state *s = ctx;
	return top_scalar(s) && emit(s, JF_STRING, (const char *)v, n, 0);
}

static int on_start(void *ctx)
{
	struct jf_state *s = ctx;

	if (s->depth == 0) {
		if (s->top_seen) {
			s->err = "more than one JSON value on the line";
			return 0;
		}
		s->top_seen = 1;
	} else if (s->depth == 1) {
		if (!emit(s, JF_OTHER, NULL, 0, 0))
			return 0;
	}
	if (++s->depth > JF_MAX_DEPTH) {
		s->err = "nested too deeply";
		return 0;
	}
	return 1;
}

static int on_array_start(void *ctx)
{
	struct jf_state *s = ctx;
	if (s->depth == 0) {
		s->err = "expected a JSON object";
		return 0;
	}
	return on_start(ctx);
}

static int on_end(void *ctx)
{
	struct jf_state *s = ctx;
	s->depth--;
	return 1;
}

static int on_key(void *ctx, const unsigned char *k, size_t n)
{
	struct jf_state *s = ctx;

	if (s->depth != 1)
		return 1;
	if (n >= JF_MAX_KEY) {
		s->err = "key too long";
		return 0;
	}
	if (utf8_check((const char *)k, n) || memchr(k, '\0', n)) {
		s->err = "invalid UTF-8 or NUL in a key";
		return 0;
	}
	memcpy(s->key, k, n);
	s->key[n] = '\0';
	s->klen = n;
	return 1;
}

/* ---- the fast path ---- */

#define FAST_MEMBERS 32

struct fast_member {
	const char *key, *str;
	size_t klen, slen;
	enum jf_type type;
	long long num;
};

static int json_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static const char *skip_space(const char *p, const char *end)
{
	while (p < end && json_space(*p))
		p++;
	return p;
}

/* The first byte at or after p that is '"', '\\', a control (< 0x20) or
 * not ASCII (>= 0x80), or end. Eight bytes at a time: in each of the word
 * tests ("has a zero byte") the lowest flag is exact, so the first flagged
 * byte is the first special one, found without a branch per byte (the
 * strings of a usage line are short: the byte loop's exit mispredicted). */
static const char *next_special(const char *p, const char *end)
{
#if defined(__SSE2__)
	/* sixteen at a time: a signed compare with ' ' flags the controls and
	   the bytes >= 0x80 (negative) together */
	const __m128i quotes = _mm_set1_epi8('"'), bslashes = _mm_set1_epi8('\\'),
		      spaces = _mm_set1_epi8(' ');

	while (end - p >= 16) {
		__m128i w = _mm_loadu_si128((const __m128i *)(const void *)p);
		__m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(w, quotes),
							_mm_cmpeq_epi8(w, bslashes)),
					   _mm_cmplt_epi8(w, spaces));
		int mask = _mm_movemask_epi8(hit);
		if (mask)
			return p + __builtin_ctz((unsigned)mask);
		p += 16;
	}
#endif
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;

	while (end - p >= 8) {
		uint64_t w, quote, bslash, flags;
		memcpy(&w, p, 8);
		quote = w ^ (ones * '"');
		bslash = w ^ (ones * '\\');
		flags = (w | ((w - ones * 0x20) & ~w) | ((quote - ones) & ~quote) |
			 ((bslash - ones) & ~bslash)) & highs;
		if (flags)
			return p + __builtin_ctzll(flags) / 8;
		p += 8;
	}
#endif
	while (p < end && *p != '"' && *p != '\\' && (unsigned char)*p >= 0x20 &&
	       (unsigned char)*p < 0x80)
		p++;
	return p;
}

/* A string without escapes at p (the opening quote): its contents
 * in s and n, the position after it; NULL for anything else (yajl decides). */
static const char *fast_string(const char *p, const char *end, const char **s, size_t *n)
{
	const char *q = ++p;
	unsigned char high = 0;

	for (;;) {
		q = next_special(q, end);
		if (q == end || *q == '"')
			break;
		unsigned char c = (unsigned char)*q++;
		if (c < 0x20 || c == '\\')
			return NULL;
		high |= c;
	}
	if (q == end || ((high & 0x80) && utf8_check(p, (size_t)(q - p))))
		return NULL;
	*s = p;
	*n = (size_t)(q - p);
	return q + 1;
}

/* An integer of at most 18 digits (yajl's grammar: no leading zero, not
 * followed by a fraction or exponent); NULL for anything else. */
static const char *fast_int(const char *p, const char *end, long long *v)
{
	int neg = 0, digits = 0;
	long long n = 0;

	if (*p == '-') {
		neg = 1;
		p++;
	}
	if (p == end || *p < '0' || *p > '9' || (*p == '0' && p + 1 < end && p[1] >= '0' && p[1] <= '9'))
		return NULL;
	while (p < end && *p >= '0' && *p <= '9' && digits++ < 18)
		n = n * 10 + (*p++ - '0');
	if (p < end && ((*p >= '0' && *p <= '9') || *p == '.' || *p == 'e' || *p == 'E'))
		return NULL;
	*v = neg ? -n : n;
	return p;
}

/* One value into m; NULL when the fast path does not take it. */
static const char *fast_value(const char *p, const char *end, struct fast_member *m)
{
	static const char *const words[] = { "true", "false", "null" };

	m->str = NULL;
	m->slen = 0;
	m->num = 0;
	if (*p == '"') {
		m->type = JF_STRING;
		return fast_string(p, end, &m->str, &m->slen);
	}
	if (*p == '-' || (*p >= '0' && *p <= '9')) {
		m->type = JF_INT;
		return fast_int(p, end, &m->num);
	}
	for (int i = 0; i < 3; i++) {
		size_t n = strlen(words[i]);
		if ((size_t)(end - p) >= n && !memcmp(p, words[i], n)) {
			m->type = JF_OTHER;
			return p + n;
		}
	}
	return NULL;
}

/* The members of a flat object filling buf, into m; their number, or -1
 * when the line is not of that shape (then yajl reads it). */
static int fast_scan(const char *buf, size_t len, struct fast_member *m)
{
	const char *p = buf, *end = buf + len;
	int n = 0;

	p = skip_space(p, end);
	if (p == end || *p++ != '{')
		return -1;
	p = skip_space(p, end);
	if (p < end && *p == '}')
		return skip_space(p + 1, end) == end ? 0 : -1;
	for (;;) {
		if (n == FAST_MEMBERS || p == end || *p != '"')
			return -1;
		p = fast_string(p, end, &m[n].key, &m[n].klen);
		if (!p || m[n].klen >= JF_MAX_KEY)
			return -1;
		p = skip_space(p, end);
		if (p == end || *p++ != ':')
			return -1;
		p = skip_space(p, end);
		if (p == end || !(p = fast_value(p, end, &m[n])))
			return -1;
		n++;
		p = skip_space(p, end);
		if (p == end)
			return -1;
		if (*p == '}')
			return skip_space(p + 1, end) == end ? n : -1;
		if (*p++ != ',')
			return -1;
		p = skip_space(p, end);
	}
}

int jsonflat_parse_fast(const char *buf, size_t len, jf_member cb, void *user,
			const char **err, unsigned long *col, int *rc)
{
	struct fast_member m[FAST_MEMBERS];
	int n = fast_scan(buf, len, m);

	if (n < 0)
		return 0;
	*rc = 0;
	for (int i = 0; i < n; i++) {
		if (cb(user, m[i].key, m[i].klen, m[i].type, m[i].str, m[i].slen, m[i].num)) {
			*err = "stopped";
			*col = (unsigned long)(m[i].key - buf);
			*rc = -1;
			break;
		}
	}
	return 1;
}

static const yajl_callbacks callbacks = {
	on_null, on_bool, on_int, on_double, NULL, on_string,
	on_start, on_key, on_end, on_array_start, on_end,
};

int jsonflat_parse(const char *buf, size_t len, jf_member cb, void *user,
		   const char **err, unsigned long *col)
{
	int rc;

	if (jsonflat_parse_fast(buf, len, cb, user, err, col, &rc))
		return rc;
	return jsonflat_parse_yajl(buf, len, cb, user, err, col);
}

int jsonflat_parse_yajl(const char *buf, size_t len, jf_member cb, void *user,
			const char **err, unsigned long *col)
{
	static char msg[160];
	struct jf_state s;
	yajl_handle h;
	yajl_status st;

	memset(&s, 0, sizeof(s));
	s.cb = cb;
	s.user = user;
	h = yajl_alloc(&callbacks, NULL, &s);
	if (!h) {
		*err = "out of memory";
		*col = 1;
		return -1;
	}
	int at_end = 0;
	st = yajl_parse(h, (const unsigned char *)buf, len);
	if (st == yajl_status_ok) {
		at_end = 1;     /* an error now is a truncated value */
		st = yajl_complete_parse(h);
	}
	if (st == yajl_status_ok && !s.top_seen) {
		s.err = "expected a JSON object";
		st = yajl_status_error;
	}
	if (st != yajl_status_ok) {
		size_t at = at_end ? len : yajl_get_bytes_consumed(h);
		if (s.err) {
			*err = s.err;
		} else {
			unsigned char *e = yajl_get_error(h, 0, (const unsigned char *)buf, len);
			snprintf(msg, sizeof(msg), "%s", e ? (const char *)e : "parse error");
			/* yajl ends its message with a newline */
			msg[strcspn(msg, "\n")] = '\0';
			if (e)
				yajl_free_error(h, e);
			*err = msg;
		}
		*col = (unsigned long)(at < len ? at + 1 : len ? len : 1);
		yajl_free(h);
		return -1;
	}
	yajl_free(h);
	return 0;
}
