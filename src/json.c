/* json: jansson behind a small reading API. Jansson is Debian's well-kept
 * JSON library; it reports line and column and decodes \u escapes
 * (surrogate pairs included). */
#include "json.h"

#include <stdio.h>
#include <string.h>

#include <jansson.h>

#define J(v) ((json_t *)(v))

static char errbuf[JSON_ERROR_TEXT_LENGTH + 1];

struct json *json_parse(const char *buf, size_t len, unsigned long *err_col,
			const char **err)
{
	json_error_t e;
	json_t *doc = json_loadb(buf, len, 0, &e);

	if (!doc) {
		snprintf(errbuf, sizeof(errbuf), "%s", e.text);
		if (err)
			*err = errbuf;
		if (err_col)
			*err_col = e.position > 0 ? (unsigned long)e.position : 1;
		return NULL;
	}
	return (struct json *)doc;
}

void json_free(struct json *doc)
{
	if (doc)
		json_decref(J(doc));
}

enum json_type json_type_of(const struct json *v)
{
	switch (json_typeof(J(v))) {
	case JSON_OBJECT: return JT_OBJECT;
	case JSON_ARRAY: return JT_ARRAY;
	case JSON_STRING: return JT_STRING;
	case JSON_INTEGER: return JT_INT;
	case JSON_REAL: return JT_REAL;
	case JSON_TRUE:
	case JSON_FALSE: return JT_BOOL;
	default: return JT_NULL;
	}
}

struct json *json_get(const struct json *obj, const char *key)
{
	if (!obj || !json_is_object(J(obj)))
		return NULL;
	return (struct json *)json_object_get(J(obj), key);
}

const char *json_str(const struct json *v)
{
	return v && json_is_string(J(v)) ? json_string_value(J(v)) : NULL;
}

int json_int(const struct json *v, long long *out)
{
	if (!v)
		return -1;
	if (json_is_integer(J(v))) {
		*out = json_integer_value(J(v));
		return 0;
	}
	if (json_is_real(J(v))) {
		double d = json_real_value(J(v));
		/* range first: converting an out-of-range double is undefined */
		if (!(d >= -9.2e18 && d <= 9.2e18) || d != (double)(long long)d)
			return -1;
		*out = (long long)d;
		return 0;
	}
	if (json_is_string(J(v))) {
		const char *s = json_string_value(J(v));
		long long n = 0;
		int neg = 0;
		if (*s == '-') {
			neg = 1;
			s++;
		}
		if (!*s || strlen(s) > 18)
			return -1;
		for (; *s; s++) {
			if (*s < '0' || *s > '9')
				return -1;
			n = n * 10 + (*s - '0');
		}
		*out = neg ? -n : n;
		return 0;
	}
	return -1;
}

int json_number(const struct json *v, double *out)
{
	if (!v || !json_is_number(J(v)))
		return -1;
	*out = json_number_value(J(v));
	return 0;
}

int json_bool(const struct json *v)
{
	return v && json_is_true(J(v));
}

size_t json_len(const struct json *arr)
{
	return arr && json_is_array(J(arr)) ? json_array_size(J(arr)) : 0;
}

struct json *json_at(const struct json *arr, size_t i)
{
	if (!arr || !json_is_array(J(arr)))
		return NULL;
	return (struct json *)json_array_get(J(arr), i);
}

const char *json_iter(const struct json *obj, void **it, struct json **val)
{
	if (!obj || !json_is_object(J(obj)))
		return NULL;
	*it = *it ? json_object_iter_next(J(obj), *it) : json_object_iter(J(obj));
	if (!*it)
		return NULL;
	*val = (struct json *)json_object_iter_value(*it);
	return json_object_iter_key(*it);
}

size_t json_size(const struct json *obj)
{
	return obj && json_is_object(J(obj)) ? json_object_size(J(obj)) : 0;
}
