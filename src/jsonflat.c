/* jsonflat: yajl events -> top-level members of one object. Nested values
 * are reported as JF_OTHER and their contents skipped. */
#include "jsonflat.h"

#include <stdio.h>
#include <string.h>

#include <yajl/yajl_parse.h>

#include "utf8.h"

#define JF_MAX_DEPTH 64

struct jf_state {
	jf_member cb;
	void *user;
	int depth;              /* 0 outside, 1 inside the top object */
	int top_seen;
	const char *err;
	char key[256];
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
	if (n >= sizeof(s->key)) {
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

static const yajl_callbacks callbacks = {
	on_null, on_bool, on_int, on_double, NULL, on_string,
	on_start, on_key, on_end, on_array_start, on_end,
};

int jsonflat_parse(const char *buf, size_t len, jf_member cb, void *user,
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
