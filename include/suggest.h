/* suggest: enumerated values accepted in any case, and the "did you mean"
 * hint of an error: the nearest valid word by edit distance. */
#ifndef UDAUDIT_SUGGEST_H
#define UDAUDIT_SUGGEST_H

#include <stddef.h>

/* Index of s in words (NULL-ended), ignoring ASCII case; -1 if absent. */
int word_index(const char *s, const char *const *words);
/* Index of the word nearest to s (case-insensitive Levenshtein distance),
 * when it is close enough to be a likely typo (distance at most 1 for
 * short words, a quarter of the length for longer); -1 otherwise. */
int word_nearest(const char *s, const char *const *words);
/* "a, b or c" into out (cut to size). */
void words_join(const char *const *words, char *out, size_t size);
/* The hint for a bad value: " (expected a, b or c; did you mean 'b'?)"
 * or " (expected a, b or c)"; into out. */
void words_hint(const char *s, const char *const *words, char *out, size_t size);

#endif
