/* textin: lines from a file or memory, capped, with physical line numbers. */
#include "textin.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "files.h"
#include "xalloc.h"

#define CHUNK (1 << 16)

struct textin {
	char *name;
	FILE *fp;               /* NULL for memory */
	const char *mem;
	size_t mem_len, mem_pos;
	char *chunk;            /* file input buffer */
	size_t chunk_len, chunk_pos;
	char *line;             /* the current line */
	size_t line_len, line_alloc;
	unsigned long lineno;
	int too_long, eof, started;
};

static struct textin *textin_alloc(const char *name)
{
	struct textin *t = xcalloc(1, sizeof(*t));
	t->name = xstrdup(name);
	return t;
}

struct textin *textin_open(const char *path)
{
	FILE *fp = file_open_input(path);
	struct textin *t;

	if (!fp)
		return NULL;
	t = textin_alloc(path);
	t->fp = fp;
	t->chunk = xmalloc(CHUNK);
	return t;
}

struct textin *textin_new_mem(const char *buf, size_t len, const char *name)
{
	struct textin *t = textin_alloc(name);
	t->mem = buf;
	t->mem_len = len;
	return t;
}

void textin_free(struct textin *t)
{
	if (!t)
		return;
	if (t->fp)
		fclose(t->fp);
	free(t->chunk);
	free(t->line);
	free(t->name);
	free(t);
}

/* The next span of input: a pointer and length, or 0 at the end. */
static int fill(struct textin *t, const char **p, size_t *n)
{
	if (!t->fp) {
		if (t->mem_pos >= t->mem_len)
			return 0;
		*p = t->mem + t->mem_pos;
		*n = t->mem_len - t->mem_pos;
		return 1;
	}
	if (t->chunk_pos >= t->chunk_len) {
		t->chunk_len = fread(t->chunk, 1, CHUNK, t->fp);
		t->chunk_pos = 0;
		if (!t->chunk_len) {
			if (ferror(t->fp)) {
				struct src_loc at = { t->name, t->lineno + 1, 0 };
				return diag_error(&at, "read error: %s", strerror(errno));
			}
			return 0;
		}
	}
	*p = t->chunk + t->chunk_pos;
	*n = t->chunk_len - t->chunk_pos;
	return 1;
}

static void consume(struct textin *t, size_t n)
{
	if (t->fp)
		t->chunk_pos += n;
	else
		t->mem_pos += n;
}

static void append(struct textin *t, const char *p, size_t n)
{
	if (t->too_long)
		return;
	if (t->line_len + n > TEXTIN_MAX_LINE) {
		t->too_long = 1;
		t->line_len = 0;
		return;
	}
	t->line = xgrow(t->line, t->line_len + n + 1, &t->line_alloc, 1);
	memcpy(t->line + t->line_len, p, n);
	t->line_len += n;
}

int textin_next(struct textin *t, const char **line, size_t *len)
{
	const char *p = "";
	size_t n = 0;
	int got = 0, rc;

	if (t->eof)
		return 0;
	t->line_len = 0;
	t->too_long = 0;
	while ((rc = fill(t, &p, &n)) > 0) {
		const char *nl = memchr(p, '\n', n);
		size_t take = nl ? (size_t)(nl - p) : n;
		append(t, p, take);
		consume(t, nl ? take + 1 : take);
		got = 1;
		if (nl)
			break;
	}
	if (rc < 0)
		return -1;
	if (!got) {
		t->eof = 1;
		return 0;
	}
	t->lineno++;
	if (!t->line)
		t->line = xgrow(NULL, 1, &t->line_alloc, 1);
	if (t->line_len && t->line[t->line_len - 1] == '\r')
		t->line_len--;
	t->line[t->line_len] = '\0';
	*line = t->line;
	*len = t->line_len;
	if (!t->started) {
		t->started = 1;
		if (t->line_len >= 3 && !memcmp(t->line, "\xEF\xBB\xBF", 3)) {
			*line += 3;
			*len -= 3;
		}
	}
	return 1;
}

unsigned long textin_lineno(const struct textin *t)
{
	return t->lineno;
}

int textin_too_long(const struct textin *t)
{
	return t->too_long;
}

const char *textin_name(const struct textin *t)
{
	return t->name;
}
