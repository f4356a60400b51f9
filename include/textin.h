/* textin: a line reader over a file or a memory buffer, with a cap on the
 * line length, physical line numbers, and CR/LF handling. */
#ifndef UDAUDIT_TEXTIN_H
#define UDAUDIT_TEXTIN_H

#include <stddef.h>

#define TEXTIN_MAX_LINE (1 << 20)       /* 1 MiB: longer lines are an error */

struct textin;

/* Open a file ("-" is not special). NULL (printed) when it cannot be read. */
struct textin *textin_open(const char *path);
/* Read from memory; buf is borrowed until textin_free. name is for messages. */
struct textin *textin_new_mem(const char *buf, size_t len, const char *name);
void textin_free(struct textin *t);

/* Next line, without its "\n" or "\r\n"; *len set; NUL-terminated (a NUL
 * inside the line shows in len). Returns 1 for a line, 0 at end, -1 for a
 * read error (printed). A line over the cap is returned as an empty line
 * with textin_too_long() true; the rest of it is skipped. Borrowed until the
 * next call. A UTF-8 byte order mark at the start of the file is dropped. */
int textin_next(struct textin *t, const char **line, size_t *len);
unsigned long textin_lineno(const struct textin *t);  /* of the last line */
int textin_too_long(const struct textin *t);
const char *textin_name(const struct textin *t);

#endif
