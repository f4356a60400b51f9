/* jsonflat: the fast path for flat lines must give exactly what yajl gives:
 * the same members (key, type, value) in the same order, the same result,
 * error and column, on hand-picked lines and on many mutations of them;
 * and a line the fast path reads alone is valid UTF-8 (usage_in.c checks
 * only the others). */
#include "check.h"

#include <stdint.h>
#include <stdlib.h>

#include "jsonflat.h"
#include "utf8.h"

struct trace {
	char buf[8192];
	size_t n;
};

static int record(void *user, const char *key, size_t klen, enum jf_type type,
		  const char *str, size_t slen, long long num)
{
	struct trace *t = user;
	int w = snprintf(t->buf + t->n, sizeof(t->buf) - t->n, "[%.*s|%d|%.*s|%lld]",
			 (int)klen, key, (int)type, (int)slen, str ? str : "", num);
	if (w > 0 && (size_t)w < sizeof(t->buf) - t->n)
		t->n += (size_t)w;
	return 0;
}

/* The trace of one parse, result, error and column included. */
static void parse(int (*fn)(const char *, size_t, jf_member, void *, const char **,
			    unsigned long *), const char *line, size_t len, struct trace *t)
{
	const char *err = NULL;
	unsigned long col = 0;

	t->n = 0;
	t->buf[0] = '\0';
	int rc = fn(line, len, record, t, &err, &col);
	char tail[300];
	snprintf(tail, sizeof(tail), "=%d %s %lu", rc, rc ? err : "", rc ? col : 0);
	snprintf(t->buf + t->n, sizeof(t->buf) - t->n, "%s", tail);
}

/* jsonflat_parse_fast in parse()'s shape: a line it does not read is -2 */
static int fast_only(const char *line, size_t len, jf_member cb, void *user, const char **err,
		     unsigned long *col)
{
	int rc;
	return jsonflat_parse_fast(line, len, cb, user, err, col, &rc) ? rc : -2;
}

static int same(const char *line, size_t len)
{
	static struct trace a, b, c;

	parse(fast_only, line, len, &c);
	if (strncmp(c.buf, "=-2 ", 4) && utf8_check(line, len)) {
		fprintf(stderr, "line '%.*s': read by the fast path, not UTF-8\n", (int)len, line);
		return 0;
	}
	if (strncmp(c.buf, "=-2 ", 4) == 0 && c.n) {
		fprintf(stderr, "line '%.*s': not read by the fast path, yet called back\n",
			(int)len, line);
		return 0;
	}
	parse(jsonflat_parse, line, len, &a);
	parse(jsonflat_parse_yajl, line, len, &b);
	if (strcmp(a.buf, b.buf)) {
		fprintf(stderr, "line '%.*s':\n  fast %s\n  yajl %s\n", (int)len, line, a.buf, b.buf);
		return 0;
	}
	return 1;
}

static const char *const lines[] = {
	"{\"ts\":\"2021-07-01T00:00:00Z\",\"app\":\"teams\",\"account\":\"teams:u1574\","
	"\"device_id\":\"D-1574\",\"event\":\"sent\",\"message_id\":\"t0000000000\"}",
	"{}", " { } ", "{\"a\":1}", "{\"a\":-1}", "{\"a\":-0}", "{\"a\":0}", "{\"a\":01}",
	"{\"a\":1.5}", "{\"a\":1e3}", "{\"a\":1E3}", "{\"a\":-}", "{\"a\":123456789012345678}",
	"{\"a\":1234567890123456789}", "{\"a\":99999999999999999999}", "{\"a\":true}",
	"{\"a\":false}", "{\"a\":null}", "{\"a\":nul}", "{\"a\":truex}", "{\"a\":[1,2]}",
	"{\"a\":{\"b\":1}}", "{\"a\":\"x\\\"y\"}", "{\"a\":\"\\u00e9\"}", "{\"a\":\"\xc3\xa9\"}",
	"{\"a\":\"\xc3\"}", "{\"a\":\"\xed\xa0\x80\"}", "{\"a\":\"\xc0\xaf\"}", "{\"a\":\"\x7f\"}",
	"{\"a\":\"\t\"}", "{\"a\":1,}", "{,\"a\":1}", "{\"a\" : 1 , \"b\" :\t\"c\" }",
	"{\"a\":1}}", "{\"a\":1} {\"b\":2}", "{\"a\":1}x", "[1]", "\"a\"", "1", "", "   ",
	"{\"a\":1", "{\"a\"", "{\"a\":", "{\"\":\"\"}", "{\"a\":\"1\",\"a\":\"2\"}",
	"{\"a\":\"\"}", "{a:1}", "{'a':1}", "{\"a\":1 2}", "{\"a\":\"x\" \"y\"}",
	"{\"ttl_seconds\":86400,\"event\":\"timer_set\"}", "{\"a\":\r\n1}", "{\"a\":\v1}",
	"{\"a\":\f1}", "{\"a\":+1}", "{\"a\":.5}", "{\"a\":-.5}", "{\"a\":0x10}", "{\"a\":NaN}",
	"{\"a\":\"\xf4\x90\x80\x80\"}", "{\"\xc3\xa9\":1}", "{\"\xff\":1}",
};

int main(void)
{
	uint64_t seed = 0x9e3779b97f4a7c15ULL;
	char buf[512];

	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		CHECK(same(lines[i], strlen(lines[i])));
	/* a NUL byte inside the buffer */
	CHECK(same("{\"a\":\"x\0y\"}", 11));
	CHECK(same("{\"a\":1}\0", 8));
	/* a key of 255 bytes is read, one of 256 is too long (yajl's message) */
	for (int klen = 254; klen <= 257; klen++) {
		int n = snprintf(buf, sizeof(buf), "{\"%0*d\":1}", klen, 7);
		CHECK(same(buf, (size_t)n));
	}
	/* the fast path scans strings 16 or 8 bytes at a time: each special
	   byte (quote, backslash, control, DEL, non-ASCII, bad UTF-8) at each
	   offset of strings of up to 40 bytes, and lines cut short anywhere
	   (an unterminated string near the end of the buffer) */
	static const char *const specials[] = { "\"", "\\", "\\n", "\x01", "\x1f", "\x7f",
		"\xc3\xa9", "\xc3", "\xe2\x82\xac", "\xed\xa0\x80", "\xff", " " };
	for (size_t sp = 0; sp < sizeof(specials) / sizeof(specials[0]); sp++) {
		for (int slen = 0; slen <= 40; slen++) {
			for (int at = 0; at <= slen; at++) {
				int n = snprintf(buf, sizeof(buf), "{\"k\":\"%.*s%s%.*s\",\"b\":1}",
						 at, "abcdefghijklmnopqrstuvwxyz0123456789abcdef", specials[sp],
						 slen - at, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEF");
				CHECK(same(buf, (size_t)n));
				for (int cut = 1; cut < n; cut++)
					CHECK(same(buf, (size_t)cut));
			}
		}
	}
	/* mutations: a byte replaced, inserted or removed, from bytes that
	   matter to JSON */
	static const char alphabet[] = "{}[]:,\"\\ -0123456789.eEtrufalsn\t\r\n\x7f\xc3\xa9\x01";
	int mismatches = 0;
	for (int round = 0; round < 200000; round++) {
		const char *src = lines[round % (sizeof(lines) / sizeof(lines[0]))];
		size_t len = strlen(src);
		if (len + 4 >= sizeof(buf))
			continue;
		memcpy(buf, src, len);
		for (int k = 0; k < 1 + round % 3; k++) {
			seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
			size_t at = len ? (size_t)(seed >> 33) % (len + 1) : 0;
			char c = alphabet[(seed >> 20) % (sizeof(alphabet) - 1)];
			switch ((seed >> 10) % 3) {
			case 0:
				if (at < len)
					buf[at] = c;
				break;
			case 1:
				memmove(buf + at + 1, buf + at, len - at);
				buf[at] = c;
				len++;
				break;
			default:
				if (at < len) {
					memmove(buf + at, buf + at + 1, len - at - 1);
					len--;
				}
			}
		}
		if (!same(buf, len) && ++mismatches > 10)
			break;
	}
	CHECK(mismatches == 0);
	return CHECK_DONE();
}
