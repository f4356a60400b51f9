/* jsondoc: top-level JSON values cut out of a stream by bracket depth,
 * with their lines. */
#include "jsondoc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "json.h"
#include "strbuf.h"
#include "xalloc.h"

#define CHUNK (1 << 16)

struct jsondoc {
	FILE *fp;                       /* NULL for memory */
	char *name;
	char *chunk;
	size_t chunk_len, pos;
	int eof, started;
	unsigned long line, col;        /* of the next byte */
	struct strbuf val;              /* the value being cut out */
};

static struct jsondoc *alloc_doc(const char *name)
{
	struct jsondoc *d = xcalloc(1, sizeof(*d));
	d->name = xstrdup(name);
	d->line = d->col = 1;
	strbuf_init(&d->val, JSONDOC_MAX_VALUE);
	return d;
}

struct jsondoc *jsondoc_open(const char *path)
{
	struct src_loc at = { path, 0, 0 };
	FILE *fp = fopen(path, "rb");
	struct jsondoc *d;

	if (!fp) {
		diag_error(&at, "cannot open: %s", strerror(errno));
		return NULL;
	}
	d = alloc_doc(path);
	d->fp = fp;
	d->chunk = xmalloc(CHUNK);
	return d;
}

struct jsondoc *jsondoc_new_mem(const char *buf, size_t len, const char *name)
{
	struct jsondoc *d = alloc_doc(name);
	d->chunk = (char *)buf;         /* never written */
	d->chunk_len = len;
	d->eof = 1;
	return d;
}

void jsondoc_free(struct jsondoc *d)
{
	if (!d)
		return;
	if (d->fp) {
		fclose(d->fp);
		free(d->chunk);
	}
	strbuf_release(&d->val);
	free(d->name);
	free(d);
}

/* Make the next byte available: 1, 0 at the end, -1 on a read error
 * (printed). */
static int fill(struct jsondoc *d)
{
	if (d->pos < d->chunk_len)
		return 1;
	if (d->eof)
		return 0;
	d->chunk_len = fread(d->chunk, 1, CHUNK, d->fp);
	d->pos = 0;
	if (d->chunk_len < CHUNK) {
		if (ferror(d->fp)) {
			struct src_loc at = { d->name, 0, 0 };
			diag_error(&at, "read error: %s", strerror(errno));
			return -1;
		}
		d->eof = 1;
	}
	return d->chunk_len > 0;
}

/* The next byte (advancing line/col), or -1 at the end, -2 on a read
 * error (printed). */
static int next_byte(struct jsondoc *d)
{
	int c, rc = fill(d);

	if (rc <= 0)
		return rc < 0 ? -2 : -1;
	c = (unsigned char)d->chunk[d->pos++];
	if (c == '\n') {
		d->line++;
		d->col = 1;
	} else if ((c & 0xC0) != 0x80) {
		d->col++;               /* columns count characters */
	}
	return c;
}

static int bad(struct jsondoc_value *v, unsigned long line, unsigned long col, const char *why)
{
	v->line = line;
	v->col = col;
	v->err = why;
	v->text = NULL;
	v->len = 0;
	return JSONDOC_BAD;
}

/* Skip to the end of the line (after text that is not JSON). */
static int skip_line(struct jsondoc *d)
{
	int c;
	while ((c = next_byte(d)) >= 0 && c != '\n')
		;
	return c == -2 ? -1 : 0;
}

int jsondoc_next(struct jsondoc *d, struct jsondoc_value *v)
{
	int c, depth = 0, in_str = 0, esc = 0, over = 0;
	unsigned long line, col;

	memset(v, 0, sizeof(*v));
	strbuf_reset(&d->val);
	if (!d->started) {
		d->started = 1;
		/* a byte order mark (PowerShell's Out-File writes one); the
		   first chunk holds all of it */
		if (fill(d) < 0)
			return JSONDOC_ERROR;
		if (d->chunk_len - d->pos >= 3 && !memcmp(d->chunk + d->pos, "\xEF\xBB\xBF", 3))
			d->pos += 3;
	}
	for (;;) {
		col = d->col;
		line = d->line;
		c = next_byte(d);
		if (c == -2)
			return JSONDOC_ERROR;
		if (c == -1)
			return JSONDOC_END;
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
			continue;
		if (c == '{' || c == '[')
			break;
		if (skip_line(d))
			return JSONDOC_ERROR;
		return bad(v, line, col, "expected a JSON object or array");
	}
	v->line = line;
	v->col = col;
	for (;;) {
		if (!over && strbuf_addch(&d->val, c))
			over = 1;       /* keep scanning to its end, then say so */
		if (in_str) {
			if (esc)
				esc = 0;
			else if (c == '\\')
				esc = 1;
			else if (c == '"')
				in_str = 0;
		} else if (c == '"') {
			in_str = 1;
		} else if (c == '{' || c == '[') {
			depth++;
		} else if ((c == '}' || c == ']') && --depth == 0) {
			break;
		}
		c = next_byte(d);
		if (c == -2)
			return JSONDOC_ERROR;
		if (c == -1)
			return bad(v, line, col, "unterminated JSON value (the file ends inside it)");
	}
	if (over)
		return bad(v, line, col, "JSON value larger than 64 MiB");
	v->text = d->val.buf;
	v->len = d->val.len;
	return JSONDOC_VALUE;
}

/* Line and column of byte off of a value. */
static void locate(const struct jsondoc_value *v, size_t off, unsigned long *line,
		   unsigned long *col)
{
	*line = v->line;
	*col = v->col;
	for (size_t i = 0; i < off && i < v->len; i++) {
		if (v->text[i] == '\n') {
			(*line)++;
			*col = 1;
		} else if (((unsigned char)v->text[i] & 0xC0) != 0x80) {
			(*col)++;
		}
	}
}

struct json *jsondoc_parse(const struct jsondoc_value *v, unsigned long *line,
			   unsigned long *col, const char **err)
{
	unsigned long ecol = 1;
	struct json *j = json_parse(v->text, v->len, &ecol, err);

	if (!j)
		locate(v, ecol ? ecol - 1 : 0, line, col);
	return j;
}

unsigned long *jsondoc_lines(const struct jsondoc_value *v, const char *key, size_t *n)
{
	const char *s = v->text;
	size_t klen = key ? strlen(key) : 0, alloc = 0, key_start = 0, key_end = 0;
	unsigned long line = v->line, *out = NULL;
	int depth = 0, in_str = 0, esc = 0, target = 0, want = 0, last_key = 0;

	*n = 0;
	if (!v->len || (key ? s[0] != '{' : s[0] != '['))
		return NULL;
	for (size_t i = 0; i < v->len; i++) {
		char c = s[i];
		if (in_str) {
			if (esc) {
				esc = 0;
			} else if (c == '\\') {
				esc = 1;
			} else if (c == '"') {
				in_str = 0;
				key_end = i;
			}
			continue;
		}
		if (c == '\n')
			line++;
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
			continue;
		if (want && c != ']') {
			out = xgrow(out, *n + 1, &alloc, sizeof(*out));
			out[(*n)++] = line;
		}
		want = 0;
		if (c == '"') {
			in_str = 1;
			key_start = i + 1;
		} else if (c == ':' && depth == 1 && key) {
			last_key = key_end - key_start == klen && !memcmp(s + key_start, key, klen);
		} else if (c == '{' || c == '[') {
			depth++;
			if (c == '[' && ((!key && depth == 1) || (key && depth == 2 && last_key))) {
				target = 1;
				want = 1;
				*n = 0;         /* a later member of that name wins */
			}
		} else if (c == '}' || c == ']') {
			if (target && depth == (key ? 2 : 1))
				target = 0;
			depth--;
		} else if (c == ',' && target && depth == (key ? 2 : 1)) {
			want = 1;
		} else if (c == ',' && depth == 1) {
			last_key = 0;
		}
	}
	if (!*n) {
		free(out);
		return NULL;
	}
	return out;
}
