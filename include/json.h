/* json: a small reading API over jansson (the only file that includes
 * jansson.h). Values are borrowed from their document. */
#ifndef UDAUDIT_JSON_H
#define UDAUDIT_JSON_H

#include <stddef.h>

#define JSON_MAX_DEPTH 64

struct json;            /* a document or any value inside it */

enum json_type { JT_NULL, JT_BOOL, JT_INT, JT_REAL, JT_STRING, JT_ARRAY, JT_OBJECT };

/* Parse one JSON text of len bytes. NULL on error with *err_col (1-based
 * byte column) and err (static buffer, valid until the next call) set. */
struct json *json_parse(const char *buf, size_t len, unsigned long *err_col,
			const char **err);
void json_free(struct json *doc);       /* only for what json_parse returned */

enum json_type json_type_of(const struct json *v);
struct json *json_get(const struct json *obj, const char *key); /* NULL if absent or not an object */
/* String value or NULL (not a string). */
const char *json_str(const struct json *v);
/* Integer value of an int, a real with no fraction, or a string of digits;
 * 0 on success, -1 otherwise. */
int json_int(const struct json *v, long long *out);
/* The value of any number (an int or a real); 0 or -1 (not a number). */
int json_number(const struct json *v, double *out);
int json_bool(const struct json *v);    /* 1 true, 0 false or not bool */
size_t json_len(const struct json *arr);        /* array length, 0 if not array */
struct json *json_at(const struct json *arr, size_t i);
/* Iterate an object's keys in document order: it starts at NULL. Returns the
 * key (borrowed) and sets *val, or NULL at the end. */
const char *json_iter(const struct json *obj, void **it, struct json **val);
/* Number of keys of an object. */
size_t json_size(const struct json *obj);

#endif
