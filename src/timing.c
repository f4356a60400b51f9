/* timing: the phases of a command (UDAUDIT_TIMING=1, make bench). */
#include "timing.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define MAX_PARTS 8

static int on = -1;
static int started;
static char stage_name[64] = "run";
static double last_wall, last_cpu;
static char parts[MAX_PARTS][256];      /* printed after their phase */
static int nparts;

int timing_on(void)
{
	if (on < 0)
		on = getenv("UDAUDIT_TIMING") != NULL;
	return on;
}

double timing_now(int clock_id)
{
	struct timespec t;

	clock_gettime((clockid_t)clock_id, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void restart(void)
{
	last_wall = timing_now(CLOCK_MONOTONIC);
	last_cpu = timing_now(CLOCK_PROCESS_CPUTIME_ID);
	started = 1;
}

void phase_stage(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(stage_name, sizeof(stage_name), fmt, ap);
	va_end(ap);
	if (!started)
		restart();
}

/* One line: "udaudit: STAGE: NAME  wall s  cpu s", into out (the
 * figures in columns). */
static void format_line(char *out, size_t size, double wall, double cpu, const char *indent,
			const char *fmt, va_list ap) __attribute__((format(printf, 6, 0)));

static void format_line(char *out, size_t size, double wall, double cpu, const char *indent,
			const char *fmt, va_list ap)
{
	char name[100], label[180];

	vsnprintf(name, sizeof(name), fmt, ap);
	snprintf(label, sizeof(label), "%s: %s%s", stage_name, indent, name);
	snprintf(out, size, "udaudit: %-42s %7.2f s  cpu %7.2f s\n", label, wall, cpu);
}

void phase(const char *fmt, ...)
{
	double wall = last_wall, cpu = last_cpu;
	char line[256];
	va_list ap;
	int had = started;

	restart();
	if (!had || !fmt || !timing_on()) {
		nparts = 0;
		return;
	}
	va_start(ap, fmt);
	format_line(line, sizeof(line), last_wall - wall, last_cpu - cpu, "", fmt, ap);
	va_end(ap);
	fputs(line, stderr);
	for (int i = 0; i < nparts; i++)
		fputs(parts[i], stderr);
	nparts = 0;
}

void phase_part(double wall, double cpu, const char *fmt, ...)
{
	va_list ap;

	if (!timing_on() || nparts == MAX_PARTS)
		return;
	va_start(ap, fmt);
	format_line(parts[nparts++], sizeof(parts[0]), wall, cpu, "  ", fmt, ap);
	va_end(ap);
}
