/* check.h: a few-line test harness. Each test file's main() ends with
 * `return CHECK_DONE();`, which prints "N passed, N failed". */
#ifndef UDAUDIT_CHECK_H
#define UDAUDIT_CHECK_H

#include <stdio.h>
#include <string.h>

static int t_pass, t_fail;
#define CHECK(cond) do { if (cond) t_pass++; else { t_fail++;                  \
	fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); } \
} while (0)
#define CHECK_STR(got, want) do { const char *g_ = (got), *w_ = (want);          \
	if (g_ && w_ && !strcmp(g_, w_)) t_pass++; else { t_fail++;              \
	fprintf(stderr, "%s:%d: got '%s', want '%s'\n", __FILE__, __LINE__,      \
		g_ ? g_ : "(null)", w_ ? w_ : "(null)"); } } while (0)
#define CHECK_DONE() (printf("%d passed, %d failed\n", t_pass, t_fail), t_fail != 0)

#endif
