/* report: what the report writers share. */
#include "report.h"

#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "diag.h"
#include "store.h"

int report_doc_time(const char *as_of, const char *fallback, long long *created,
		    char date[TIME_DATE_LEN])
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	long long days;

	if (as_of) {
		if (time_parse_date(as_of, &days))
			return diag_error(NULL, "bad date '%s' for --as-of (expected YYYY-MM-DD)", as_of);
		*created = days * 86400;
	} else if (sde && *sde) {
		char *end;
		errno = 0;
		long long v = strtoll(sde, &end, 10);
		if (errno || *end || v < 0 || v > 253402300799LL)
			return diag_error(NULL, "bad SOURCE_DATE_EPOCH '%s' (expected Unix seconds)", sde);
		*created = v;
	} else if (fallback && !time_parse_date(fallback, &days)) {
		*created = days * 86400;
	} else {
		/* no date given anywhere: today, at midnight, so two reports of
		 * one day are still the same bytes */
		*created = time_day((long long)time(NULL)) * 86400;
	}
	time_fmt_day(*created, date);
	/* libxlsxwriter reads created == 0 as "now" */
	if (*created <= 0)
		*created = 1;
	return 0;
}

int report_store_ok(const struct store *st, const char *out)
{
	if (!store_failed(st))
		return 0;
	return diag_error(NULL, "%s: not written: a query of the audit database failed", out);
}
