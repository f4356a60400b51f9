/* strbuf: growable strings with a cap against unbounded input. */
#include "strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

char strbuf_empty[1];

void strbuf_init(struct strbuf *sb, size_t limit)
{
	sb->buf = strbuf_empty;
	sb->len = sb->alloc = 0;
	sb->limit = limit;
}

void strbuf_release(struct strbuf *sb)
{
	if (sb->alloc)
		free(sb->buf);
	strbuf_init(sb, sb->limit);
}

void strbuf_reset(struct strbuf *sb)
{
	sb->len = 0;
	sb->buf[0] = '\0';
}

static int grow(struct strbuf *sb, size_t extra)
{
	size_t need = sb->len + extra;

	if (sb->limit && need > sb->limit)
		return -1;
	if (need + 1 > sb->alloc) {
		char *old = sb->alloc ? sb->buf : NULL;
		sb->buf = xgrow(old, need + 1, &sb->alloc, 1);
		if (!old)
			sb->buf[0] = '\0';
	}
	return 0;
}

int strbuf_add(struct strbuf *sb, const char *data, size_t len)
{
	if (grow(sb, len) < 0)
		return -1;
	memcpy(sb->buf + sb->len, data, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
	return 0;
}

int strbuf_addstr(struct strbuf *sb, const char *s)
{
	return strbuf_add(sb, s, strlen(s));
}

int strbuf_addch(struct strbuf *sb, int c)
{
	char ch = (char)c;
	return strbuf_add(sb, &ch, 1);
}

int strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || grow(sb, (size_t)n) < 0)
		return -1;
	va_start(ap, fmt);
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb->len += (size_t)n;
	return 0;
}

char *strbuf_detach(struct strbuf *sb)
{
	char *s = sb->alloc ? sb->buf : xstrdup("");
	strbuf_init(sb, sb->limit);
	return s;
}
