/* diag: the one place that formats messages for the user.
 *
 *   udaudit: FILE:LINE[:COL]: error: what is wrong
 *   udaudit: FILE: 7 bad records skipped (first at line 42; use --strict to fail)
 *
 * Messages start in lowercase, have no full stop, quote their subject. */
#ifndef UDAUDIT_DIAG_H
#define UDAUDIT_DIAG_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#define DIAG_MAX_SHOWN 20       /* bad records shown per input file */

struct src_loc {
	const char *path;       /* NULL: no file */
	unsigned long line;     /* 0: unknown */
	unsigned long col;      /* 0: unknown */
};

/* Print an error (prefix "udaudit: [loc: ]error: "); always returns -1 so
 * callers can write `return diag_error(...)`. */
int diag_error(const struct src_loc *at, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void diag_warn(const struct src_loc *at, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A plain note: "udaudit: text" on stderr, nothing when quiet. */
void diag_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void diag_set_quiet(int quiet);

/* Write n bytes of s as a terminal shows them safely: control characters
 * (C0, DEL, C1) and bytes that are not UTF-8 as \xHH (C1 as \u00HH), the
 * rest as is. Every message of diag goes through it; so do tables of
 * input values printed to a terminal. */
void diag_put_safe(FILE *fp, const char *s, size_t n);

/* Bad records of one input file: skipped and counted, the first
 * DIAG_MAX_SHOWN printed, a summary at the end; strict makes the first one
 * fatal. */
struct bad_records {
	const char *path;       /* borrowed, must outlive the struct */
	unsigned long count;
	unsigned long first_line;
	int strict;
};

void bad_records_init(struct bad_records *b, const char *path, int strict);
/* Report a bad record at line/col (0 = unknown). Returns -1 when strict
 * (the caller stops the file), 0 otherwise (skip the record and go on). */
int bad_record(struct bad_records *b, unsigned long line, unsigned long col,
	       const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Print "FILE: N bad records skipped (first at line L; ...)" when count > 0. */
void bad_records_summary(const struct bad_records *b);

#endif
