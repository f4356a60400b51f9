/* jsondoc: the top-level JSON values of a file or a buffer (one document,
 * or several: concatenated, one per line, pretty-printed), cut out by
 * bracket depth and read in chunks, so a file of many pages needs memory
 * for one page only. Each value knows the line it starts on, and
 * jsondoc_lines() gives the line of each element of one of its arrays
 * (jansson keeps no positions), so adapters name bad records file:line.
 * Values are parsed through json.h. */
#ifndef UDAUDIT_JSONDOC_H
#define UDAUDIT_JSONDOC_H

#include <stddef.h>

#define JSONDOC_MAX_VALUE (64UL << 20) /* bytes of one top-level value */

struct json;
struct jsondoc;

struct jsondoc_value {
	const char *text;               /* borrowed until the next call */
	size_t len;
	unsigned long line, col;        /* where it starts (or, when bad, what) */
	const char *err;                /* JSONDOC_BAD: what is wrong (static) */
};

enum { JSONDOC_ERROR = -1, JSONDOC_END = 0, JSONDOC_VALUE = 1, JSONDOC_BAD = 2 };

/* Read a file (NULL, printed, when it cannot be opened) or a buffer
 * (borrowed until jsondoc_free). name is for messages. */
struct jsondoc *jsondoc_open(const char *path);
struct jsondoc *jsondoc_new_mem(const char *buf, size_t len, const char *name);
void jsondoc_free(struct jsondoc *d);

/* The next top-level value: JSONDOC_VALUE; JSONDOC_END; JSONDOC_ERROR (a
 * read error, printed); or JSONDOC_BAD with v->line, v->col and v->err
 * (text that is not an object or array, an unterminated value, one too
 * large): the caller reports it and calls again, the reader goes on after
 * it. A UTF-8 byte order mark at the start is skipped. */
int jsondoc_next(struct jsondoc *d, struct jsondoc_value *v);

/* Parse a value; NULL on bad JSON with *line, *col (of the file) and *err
 * (static, valid until the next call) set. */
struct json *jsondoc_parse(const struct jsondoc_value *v, unsigned long *line,
			   unsigned long *col, const char **err);

/* The line of each element of an array of v: v itself when key is NULL,
 * else its top-level member key (the last one, as jansson keeps). A heap
 * array of *n lines (the caller frees), NULL when there is none. */
unsigned long *jsondoc_lines(const struct jsondoc_value *v, const char *key, size_t *n);

#endif
