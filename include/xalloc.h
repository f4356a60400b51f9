/* xalloc: allocation that dies on out-of-memory (the one exit() outside
 * main.c), so allocation failure is not an untested branch everywhere. */
#ifndef UDAUDIT_XALLOC_H
#define UDAUDIT_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);           /* NULL stays NULL */
char *xstrndup(const char *s, size_t n);
/* printf into a new string; caller frees. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Grow *arr (of *alloc elements of size elem) to hold at least need. */
void *xgrow(void *arr, size_t need, size_t *alloc, size_t elem);

#endif
