/* strbuf: a growable string with an optional cap (git's strbuf, curl's
 * limit), so input can never grow a buffer without bound. buf is always
 * NUL-terminated; an untouched STRBUF_INIT has buf == "" (not heap). */
#ifndef UDAUDIT_STRBUF_H
#define UDAUDIT_STRBUF_H

#include <stddef.h>

struct strbuf {
	char *buf;
	size_t len, alloc;
	size_t limit;           /* 0 = no cap; else len never exceeds it */
};

extern char strbuf_empty[];
#define STRBUF_INIT { strbuf_empty, 0, 0, 0 }

void strbuf_init(struct strbuf *sb, size_t limit);
void strbuf_release(struct strbuf *sb);
void strbuf_reset(struct strbuf *sb);   /* len = 0, keeps memory */
/* Appends return 0, or -1 (nothing appended) when the cap would be passed. */
int strbuf_add(struct strbuf *sb, const char *data, size_t len);
int strbuf_addstr(struct strbuf *sb, const char *s);
int strbuf_addch(struct strbuf *sb, int c);
int strbuf_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Hand the heap string to the caller (who frees it); sb is reset. */
char *strbuf_detach(struct strbuf *sb);

#endif
