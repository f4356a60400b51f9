/* tzguess: zone-less timestamps, read in tz= or said (see tzguess.h). */
#include "tzguess.h"

#include <stdio.h>
#include <string.h>

#include "crosscheck.h"
#include "diag.h"
#include "timeutil.h"

int tz_guess_init(struct tz_guess *g, const struct ingest_ctx *ctx)
{
	const char *tz = ingest_opt(ctx, "tz");

	memset(g, 0, sizeof(*g));
	if (!tz)
		return 0;
	if (time_parse_zone(tz, &g->tz)) {
		struct src_loc at = { ctx->path, 0, 0 };
		return diag_error(&at, "bad tz '%s' (expected Z, UTC or an offset like -05:00)", tz);
	}
	g->given = 1;
	return 0;
}

void tz_guess_apply(struct tz_guess *g, const char *s, long long *ts, unsigned long line,
		    const char *where)
{
	if (!s || !time_zoneless(s))
		return;
	if (g->given) {
		*ts -= g->tz;
	} else if (!g->count++) {
		g->line = line;
		snprintf(g->first, sizeof(g->first), "%s", s);
		snprintf(g->first_where, sizeof(g->first_where), "%s%s%s", where ? " (" : "",
			 where ? where : "", where ? ")" : "");
	}
}

int tz_guess_report(const struct tz_guess *g, struct ingest_ctx *ctx)
{
	struct src_loc at = { ctx->path, g->line, 0 };

	if (!g->count)
		return 0;
	diag_warn(&at, "timestamp '%s'%s has no time zone: taken as UTC (%lu such; give the"
		  " input option tz=+00:00 to accept them as UTC, or their offset)",
		  g->first, g->first_where, g->count);
	return quality_add(ctx->st, "time_without_zone", "timestamp without a time zone, taken as UTC",
			   g->first, NULL, (long long)g->count, "timestamps", ctx->input_id,
			   g->line, 1);
}
