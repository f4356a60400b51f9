/* json: the jansson wrapper: values, iteration in document order, and
 * errors with the 1-based byte column of where the parser stopped. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "json.h"

static struct json *parse(const char *s)
{
	unsigned long col = 0;
	const char *err = NULL;
	return json_parse(s, strlen(s), &col, &err);
}

/* Parse s, which must fail; check the column and that err contains want. */
static void check_error(const char *s, unsigned long want_col, const char *want)
{
	unsigned long col = 0;
	const char *err = NULL;
	struct json *doc = json_parse(s, strlen(s), &col, &err);

	CHECK(doc == NULL);
	json_free(doc);
	CHECK(col == want_col);
	if (col != want_col)
		fprintf(stderr, "  for %s: column %lu, want %lu\n", s, col, want_col);
	CHECK(err && strstr(err, want));
	if (err && !strstr(err, want))
		fprintf(stderr, "  for %s: error '%s', want '%s'\n", s, err, want);
}

static void test_values(void)
{
	struct json *doc = parse("{\"s\":\"caf\\u00e9\",\"i\":42,\"r\":2.0,\"f\":2.5,"
				 "\"n\":null,\"t\":true,\"a\":[1,\"x\"],\"ds\":\"-17\","
				 "\"big\":1e300,\"o\":{\"k\":1}}");
	long long v;

	CHECK(doc != NULL);
	if (!doc)
		return;
	CHECK(json_type_of(doc) == JT_OBJECT);
	CHECK(json_size(doc) == 10);
	CHECK_STR(json_str(json_get(doc, "s")), "caf\xC3\xA9");
	CHECK(json_str(json_get(doc, "i")) == NULL);
	CHECK(json_get(doc, "missing") == NULL);
	CHECK(json_get(json_get(doc, "s"), "x") == NULL);       /* not an object */
	CHECK(json_int(json_get(doc, "i"), &v) == 0 && v == 42);
	CHECK(json_int(json_get(doc, "r"), &v) == 0 && v == 2);
	CHECK(json_int(json_get(doc, "f"), &v) == -1);
	CHECK(json_int(json_get(doc, "ds"), &v) == 0 && v == -17);
	CHECK(json_int(json_get(doc, "s"), &v) == -1);
	CHECK(json_int(json_get(doc, "big"), &v) == -1);        /* out of range */
	CHECK(json_int(json_get(doc, "missing"), &v) == -1);
	CHECK(json_int(NULL, &v) == -1);
	CHECK(json_type_of(json_get(doc, "n")) == JT_NULL);
	CHECK(json_type_of(json_get(doc, "r")) == JT_REAL);
	CHECK(json_type_of(json_get(doc, "i")) == JT_INT);
	CHECK(json_bool(json_get(doc, "t")) == 1);
	CHECK(json_bool(json_get(doc, "i")) == 0);
	CHECK(json_len(json_get(doc, "a")) == 2);
	CHECK_STR(json_str(json_at(json_get(doc, "a"), 1)), "x");
	CHECK(json_at(json_get(doc, "a"), 2) == NULL);
	CHECK(json_len(doc) == 0);
	CHECK(json_int(json_get(json_get(doc, "o"), "k"), &v) == 0 && v == 1);

	/* keys in document order */
	{
		void *it = NULL;
		struct json *val;
		const char *key;
		char keys[128] = "";
		while ((key = json_iter(doc, &it, &val)) != NULL) {
			strcat(keys, key);
			strcat(keys, ",");
		}
		CHECK_STR(keys, "s,i,r,f,n,t,a,ds,big,o,");
	}
	json_free(doc);

	/* digit strings: too long, empty, signs */
	doc = parse("{\"a\":\"1234567890123456789\",\"b\":\"\",\"c\":\"-\",\"d\":\"+5\",\"e\":\"007\"}");
	CHECK(doc != NULL);
	CHECK(json_int(json_get(doc, "a"), &v) == -1);
	CHECK(json_int(json_get(doc, "b"), &v) == -1);
	CHECK(json_int(json_get(doc, "c"), &v) == -1);
	CHECK(json_int(json_get(doc, "d"), &v) == -1);
	CHECK(json_int(json_get(doc, "e"), &v) == 0 && v == 7);
	json_free(doc);

	/* white space around, arrays at the top, duplicate keys (last wins) */
	doc = parse("  {\"a\":1,\"a\":2}  ");
	CHECK(doc && json_int(json_get(doc, "a"), &v) == 0 && v == 2);
	json_free(doc);
	doc = parse("[1,2,3]");
	CHECK(doc && json_type_of(doc) == JT_ARRAY && json_len(doc) == 3);
	json_free(doc);
	json_free(NULL);
}

static void test_errors(void)
{
	/* truncated: the column is where the input ended */
	check_error("{\"ts\":\"2018", 11, "premature end of input");
	check_error("{\"a\":1", 6, "'}' expected");
	check_error("{\"a\":1,}", 8, "string or '}' expected");
	check_error("{\"a\" 1}", 6, "':' expected");
	check_error("{\"a\":1} x", 9, "end of file expected");
	check_error("{\"a\":tru}", 8, "invalid token");
	/* byte columns: two 2-byte characters before the bad token */
	check_error("{\"\xC3\xA9\":\"\xC3\xBC\",\"b\":x}", 16, "invalid token");
	/* a bare string, or nothing at all, is not a document */
	check_error("\"str\"", 5, "'[' or '{' expected");
	check_error("", 1, "'[' or '{' expected");
	/* bad escapes and raw bytes */
	check_error("{\"a\":\"\\ud800\"}", 13, "invalid Unicode");
	check_error("{\"a\":\"\\u0000\"}", 13, "\\u0000 is not allowed");
	check_error("{\"a\":\"\xFF\"}", 6, "unable to decode byte 0xff");
	/* NUL in the input */
	{
		static const char buf[] = "{\"a\":1}\0{";
		unsigned long col = 0;
		const char *err = NULL;
		CHECK(json_parse(buf, sizeof(buf) - 1, &col, &err) == NULL);
		CHECK(col == 8);
	}
	/* very deep nesting fails cleanly */
	{
		char deep[8192];
		memset(deep, '[', sizeof(deep));
		unsigned long col = 0;
		const char *err = NULL;
		CHECK(json_parse(deep, sizeof(deep), &col, &err) == NULL);
		CHECK(err != NULL && col > 0);
	}
}

int main(void)
{
	test_values();
	test_errors();
	return CHECK_DONE();
}
