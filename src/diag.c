/* diag: the message format of every error the user sees. */
#include "diag.h"

#include <stdio.h>

static int quiet;

void diag_set_quiet(int q)
{
	quiet = q;
}

static void print_loc(const struct src_loc *at)
{
	if (!at || !at->path)
		return;
	fprintf(stderr, "%s:", at->path);
	if (at->line) {
		fprintf(stderr, "%lu:", at->line);
		if (at->col)
			fprintf(stderr, "%lu:", at->col);
	}
	fputc(' ', stderr);
}

static void vreport(const struct src_loc *at, const char *level,
		    const char *fmt, va_list ap) __attribute__((format(printf, 3, 0)));
static void vreport(const struct src_loc *at, const char *level,
		    const char *fmt, va_list ap)
{
	fputs("udaudit: ", stderr);
	print_loc(at);
	fprintf(stderr, "%s: ", level);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

int diag_error(const struct src_loc *at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(at, "error", fmt, ap);
	va_end(ap);
	return -1;
}

void diag_warn(const struct src_loc *at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(at, "warning", fmt, ap);
	va_end(ap);
}

void diag_note(const char *fmt, ...)
{
	va_list ap;
	if (quiet)
		return;
	va_start(ap, fmt);
	fputs("udaudit: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

void bad_records_init(struct bad_records *b, const char *path, int strict)
{
	b->path = path;
	b->count = 0;
	b->first_line = 0;
	b->strict = strict;
}

int bad_record(struct bad_records *b, unsigned long line, unsigned long col,
	       const char *fmt, ...)
{
	struct src_loc at = { b->path, line, col };
	va_list ap;

	if (!b->count)
		b->first_line = line;
	b->count++;
	if (b->count <= DIAG_MAX_SHOWN || b->strict) {
		va_start(ap, fmt);
		vreport(&at, "error", fmt, ap);
		va_end(ap);
	}
	return b->strict ? -1 : 0;
}

void bad_records_summary(const struct bad_records *b)
{
	if (!b->count || b->strict)
		return;
	fprintf(stderr, "udaudit: %s: %lu bad record%s skipped (first at line %lu",
		b->path, b->count, b->count == 1 ? "" : "s", b->first_line);
	if (b->count > DIAG_MAX_SHOWN)
		fprintf(stderr, "; %lu not shown", b->count - DIAG_MAX_SHOWN);
	fputs("; use --strict to fail)\n", stderr);
}
