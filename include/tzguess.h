/* tzguess: timestamps without a zone in an input (spec 7: a guess of a
 * time zone is said, never silent). One rule for every reader of zoned
 * times (usage.jsonl, device_apps.csv, the compliance store, the adapters
 * of zoned exports): the input's option tz= gives the offset of its
 * zone-less times (tz=+00:00 accepts them as UTC); without it each is
 * taken as UTC, and after the load one warning names the first, its
 * file:line and how many, with a row in data_quality (time_without_zone),
 * so --strict fails the run on it. */
#ifndef UDAUDIT_TZGUESS_H
#define UDAUDIT_TZGUESS_H

#include "ingest.h"

struct tz_guess {
	long long tz;                   /* tz=, seconds east of UTC */
	int given;                      /* tz= was given */
	unsigned long count, line;      /* zone-less times taken as UTC; the first's line */
	char first[40];
	char first_where[48];           /* its place when it has no line, e.g. a JSON path */
};

/* Read the input's tz= option. 0, or -1 after printing a bad value. */
int tz_guess_init(struct tz_guess *g, const struct ingest_ctx *ctx);
/* s has been parsed by time_parse into *ts: when s has a time but no
 * zone, read it in tz= (when given), else count it (taken as UTC). line
 * is its line in the file (0: none; then where, if not NULL, names it,
 * e.g. "events[3].timestamp"). */
void tz_guess_apply(struct tz_guess *g, const char *s, long long *ts, unsigned long line,
		    const char *where);
/* After the load: the warning and the data_quality row, when any time was
 * taken as UTC. 0, or -1 on a database error. */
int tz_guess_report(const struct tz_guess *g, struct ingest_ctx *ctx);

#endif
