/* conf: INI files through Debian's inih (r55; the only file that includes
 * ini.h). It fixes what that build lacks: real line numbers for the
 * handler, over-long lines reported instead of split, and continuation
 * lines joined (an indented line continues the previous value, joined with
 * one space). Section names of 49 characters or more are rejected. */
#ifndef UDAUDIT_CONF_H
#define UDAUDIT_CONF_H

#include <stddef.h>

#define CONF_MAX_LINE 199       /* characters a line may have (inih r55) */

/* Called once per key with the joined value. line is the key's line.
 * Return 0 to go on, -1 after printing an error (parsing goes on, the file
 * fails at the end). */
typedef int (*conf_handler)(void *user, const char *section, const char *key,
			    const char *value, unsigned long line);

/* Parse a file. Returns 0, or -1 when the file could not be read or any
 * line was bad (each bad line printed with path:line). */
int conf_parse_file(const char *path, conf_handler h, void *user);
/* Read a whole file (at most CONF_MAX_FILE bytes, NUL-terminated): the
 * buffer (caller frees) and its length, or NULL (printed as path: ...). */
char *conf_read_file(const char *path, size_t *len);
/* A key or section the file's handler does not know, printed at
 * path:line with the valid ones and the nearest ("did you mean 'agency'?"):
 *   unknown key 'agncy' in [audit] (expected agency, ...; did you mean ...)
 * valid is NULL-ended. Both return -1. */
int conf_unknown_key(const char *path, unsigned long line, const char *section,
		     const char *key, const char *const *valid);
int conf_unknown_section(const char *path, unsigned long line, const char *section,
			 const char *const *valid);
/* The same over a memory buffer (for tests and fuzzing). */
int conf_parse_mem(const char *buf, size_t len, const char *name,
		   conf_handler h, void *user);

#endif
