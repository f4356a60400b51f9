/* capture.h: catch what a function prints on stderr, for tests that
 * assert exact diagnostics. */
#ifndef UDAUDIT_CAPTURE_H
#define UDAUDIT_CAPTURE_H

#include <stdio.h>
#include <unistd.h>

static FILE *cap;
static int saved_fd = -1;

static void capture_begin(void)
{
	fflush(stderr);
	cap = tmpfile();
	saved_fd = dup(2);
	dup2(fileno(cap), 2);
}

/* The captured text (static buffer, valid until the next capture_end). */
static const char *capture_end(void)
{
	static char buf[8192];
	size_t n;

	fflush(stderr);
	dup2(saved_fd, 2);
	close(saved_fd);
	rewind(cap);
	n = fread(buf, 1, sizeof(buf) - 1, cap);
	buf[n] = '\0';
	fclose(cap);
	return buf;
}

#endif
