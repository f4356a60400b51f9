/* diag: the message format of every error the user sees. */
#include "diag.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int quiet;

void diag_set_quiet(int q)
{
	quiet = q;
}

/* The length of the UTF-8 sequence at s (at most n bytes) that prints as
 * itself, or 0: a control character (C0, DEL, C1) or not UTF-8. */
static size_t printable_seq(const unsigned char *s, size_t n)
{
	size_t len = s[0] < 0x80 ? 1 : s[0] >= 0xC2 && s[0] <= 0xDF ? 2 :
		     s[0] >= 0xE0 && s[0] <= 0xEF ? 3 : s[0] >= 0xF0 && s[0] <= 0xF4 ? 4 : 0;

	if (!len || len > n || s[0] < 0x20 || s[0] == 0x7f)
		return 0;
	for (size_t i = 1; i < len; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	if (s[0] == 0xC2 && s[1] < 0xA0)        /* U+0080..U+009F: C1 controls */
		return 0;
	return len;
}

void diag_put_safe(FILE *fp, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;

	for (size_t i = 0; i < n; ) {
		size_t len = printable_seq(p + i, n - i);
		if (len) {
			fwrite(p + i, 1, len, fp);
			i += len;
		} else if (p[i] == 0xC2 && i + 1 < n && p[i + 1] >= 0x80 && p[i + 1] < 0xA0) {
			fprintf(fp, "\\u%04x", p[i + 1]);
			i += 2;
		} else {
			fprintf(fp, "\\x%02x", p[i]);
			i++;
		}
	}
}

static void print_loc(const struct src_loc *at)
{
	if (!at || !at->path)
		return;
	diag_put_safe(stderr, at->path, strlen(at->path));
	fputc(':', stderr);
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
	char buf[1024], *msg = buf;
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	if (n >= (int)sizeof(buf) && (msg = malloc((size_t)n + 1)) != NULL)
		vsnprintf(msg, (size_t)n + 1, fmt, ap2);
	va_end(ap2);
	if (!msg) {             /* no memory for a long message: its start */
		msg = buf;
		n = (int)sizeof(buf) - 1;
	}
	fputs("udaudit: ", stderr);
	print_loc(at);
	if (level)              /* NULL: a note */
		fprintf(stderr, "%s: ", level);
	/* the values quoted come from inputs: their escape sequences and
	   control characters are shown, never sent to the terminal */
	diag_put_safe(stderr, msg, n > 0 ? (size_t)n : 0);
	fputc('\n', stderr);
	if (msg != buf)
		free(msg);
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
	vreport(NULL, NULL, fmt, ap);
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
	fputs("udaudit: ", stderr);
	diag_put_safe(stderr, b->path, strlen(b->path));
	fprintf(stderr, ": %lu bad record%s skipped (first at line %lu",
		b->count, b->count == 1 ? "" : "s", b->first_line);
	if (b->count > DIAG_MAX_SHOWN)
		fprintf(stderr, "; %lu not shown", b->count - DIAG_MAX_SHOWN);
	fputs("; use --strict to fail)\n", stderr);
}
