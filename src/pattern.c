/* pattern: PCRE2 compiled once, JIT when it can, matched under limits so
 * no pattern can hang a run; a give-up is counted, never fatal. */
#include "pattern.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "diag.h"
#include "xalloc.h"

enum { PAT_RE_OPTS = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_NEVER_BACKSLASH_C };

static unsigned long match_limit = 1000000;

struct pattern {
	pcre2_code *re;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	char *source;
	char *origin;                   /* "file" of pattern_set_origin, or NULL */
	unsigned long line;
	unsigned long gave_up;
	int disabled;                   /* PATTERN_MAX_GIVE_UPS reached */
};

void pattern_set_match_limit(unsigned long limit)
{
	match_limit = limit ? limit : 1;
}

struct pattern *pattern_new(const char *src, unsigned flags, char *err, size_t errlen)
{
	pcre2_compile_context *cctx = pcre2_compile_context_create(NULL);
	struct pattern *p;
	uint32_t opts = PAT_RE_OPTS;
	int code;
	PCRE2_SIZE offset;
	pcre2_code *re;

	if (!cctx) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (flags & PAT_CASELESS)
		opts |= PCRE2_CASELESS;
	if (flags & PAT_ANCHORED)
		opts |= PCRE2_ANCHORED;
	pcre2_set_max_pattern_length(cctx, PATTERN_MAX_LEN);
	pcre2_set_parens_nest_limit(cctx, 64);
	re = pcre2_compile((PCRE2_SPTR)src, PCRE2_ZERO_TERMINATED, opts, &code,
			   &offset, cctx);
	pcre2_compile_context_free(cctx);
	if (!re) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(code, msg, sizeof(msg));
		snprintf(err, errlen, "%s at offset %lu", (const char *)msg,
			 (unsigned long)offset);
		return NULL;
	}
	/* JIT is an optimisation: without it the interpreter does the same */
	(void)pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
	p = xcalloc(1, sizeof(*p));
	p->re = re;
	p->md = pcre2_match_data_create(PATTERN_MAX_GROUPS, NULL);
	p->mctx = pcre2_match_context_create(NULL);
	if (!p->md || !p->mctx) {
		pattern_free(p);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	pcre2_set_match_limit(p->mctx, (uint32_t)match_limit);
	pcre2_set_depth_limit(p->mctx, 10000);
	pcre2_set_heap_limit(p->mctx, 65536);  /* KiB; Debian's default is huge */
	p->source = xstrdup(src);
	return p;
}

void pattern_free(struct pattern *p)
{
	if (!p)
		return;
	pcre2_match_data_free(p->md);
	pcre2_match_context_free(p->mctx);
	pcre2_code_free(p->re);
	free(p->source);
	free(p->origin);
	free(p);
}

void pattern_set_origin(struct pattern *p, const char *file, unsigned long line)
{
	free(p->origin);
	p->origin = xstrdup(file);
	p->line = line;
}

static int run(struct pattern *p, const char *s, size_t len)
{
	int rc;

	if (p->disabled)
		return 0;
	rc = pcre2_match(p->re, (PCRE2_SPTR)s, len, 0, 0, p->md, p->mctx);
	if (rc >= 0)
		return rc ? rc : PATTERN_MAX_GROUPS;
	if (rc == PCRE2_ERROR_NOMATCH || rc == PCRE2_ERROR_PARTIAL)
		return 0;
	/* a limit (or bad input): counted, not fatal; a pattern that keeps
	   hitting its limits would cost its limit on every value of a run of
	   millions, so it is turned off, and that is said */
	if (++p->gave_up >= PATTERN_MAX_GIVE_UPS) {
		struct src_loc at = { p->origin, p->line, 0 };
		p->disabled = 1;
		diag_warn(p->origin ? &at : NULL, "pattern '%s' gave up %d times (match, depth or"
			  " heap limit): disabled for the rest of the run, so the values it would"
			  " test count as not matching", p->source, PATTERN_MAX_GIVE_UPS);
	}
	return 0;
}

int pattern_match(struct pattern *p, const char *s, size_t len)
{
	return run(p, s, len) > 0;
}

int pattern_match_groups(struct pattern *p, const char *s, size_t len,
			 long *ofs, int max)
{
	int rc = run(p, s, len);
	PCRE2_SIZE *ov;
	int n;

	if (rc <= 0)
		return 0;
	ov = pcre2_get_ovector_pointer(p->md);
	n = (int)pcre2_get_ovector_count(p->md);
	if (n > max)
		n = max;
	for (int i = 0; i < n; i++) {
		if (i >= rc || ov[2 * i] == PCRE2_UNSET) {
			ofs[2 * i] = ofs[2 * i + 1] = -1;
		} else {
			ofs[2 * i] = (long)ov[2 * i];
			ofs[2 * i + 1] = (long)ov[2 * i + 1];
		}
	}
	for (int i = n; i < max; i++)
		ofs[2 * i] = ofs[2 * i + 1] = -1;
	return n;
}

unsigned long pattern_gave_up(const struct pattern *p)
{
	return p->gave_up;
}

int pattern_disabled(const struct pattern *p)
{
	return p->disabled;
}

const char *pattern_source(const struct pattern *p)
{
	return p->source;
}
