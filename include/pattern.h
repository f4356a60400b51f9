/* pattern: PCRE2 (the only file that includes pcre2.h). Compiled once with
 * UTF + MATCH_INVALID_UTF + NEVER_BACKSLASH_C, JIT when available, matched
 * under match, depth and heap limits; a match that hits a limit gives up:
 * it counts as no match and is counted on the pattern. After
 * PATTERN_MAX_GIVE_UPS give-ups the pattern is disabled (a warning says so,
 * with its origin): it matches nothing for the rest of the run. */
#ifndef UDAUDIT_PATTERN_H
#define UDAUDIT_PATTERN_H

#include <stddef.h>

#define PATTERN_MAX_LEN 4096
#define PATTERN_MAX_GROUPS 16
#define PATTERN_MAX_GIVE_UPS 100

enum pattern_flags { PAT_CASELESS = 1 << 0, PAT_ANCHORED = 1 << 1 };

struct pattern;

/* Compile; NULL on error with a message like "missing closing parenthesis
 * at offset 4" written into err (size errlen). */
struct pattern *pattern_new(const char *re, unsigned flags, char *err, size_t errlen);
void pattern_free(struct pattern *p);

/* 1 match, 0 no match or gave up. */
int pattern_match(struct pattern *p, const char *s, size_t len);
/* Like pattern_match, and fills up to max (start, end) byte offsets of the
 * groups (index 0 = whole match; unset groups get -1). Returns the number of
 * pairs filled (>= 1) on a match, 0 otherwise. */
int pattern_match_groups(struct pattern *p, const char *s, size_t len,
			 long *ofs, int max);
unsigned long pattern_gave_up(const struct pattern *p);
int pattern_disabled(const struct pattern *p);  /* 1 after PATTERN_MAX_GIVE_UPS */
/* Where the pattern was written (file, line), for the warning; copied. */
void pattern_set_origin(struct pattern *p, const char *file, unsigned long line);
const char *pattern_source(const struct pattern *p);
/* The match limit for patterns compiled after this call (default 1000000). */
void pattern_set_match_limit(unsigned long limit);

#endif
