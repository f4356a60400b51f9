/* utf8: validation of text from inputs. */
#ifndef UDAUDIT_UTF8_H
#define UDAUDIT_UTF8_H

#include <stddef.h>

/* Returns 0 when s[0..len) is valid UTF-8 (no overlongs, no surrogates),
 * else 1 + the byte offset of the first bad byte (for a column number). */
size_t utf8_check(const char *s, size_t len);

/* The length of the longest prefix of s[0..len) of at most max bytes that
 * does not cut a UTF-8 character in half (for excerpts in messages). */
size_t utf8_cut(const char *s, size_t len, size_t max);

#endif
