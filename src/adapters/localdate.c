/* localdate: the tz and date_order options and numeric local dates. */
#include "localdate.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ingest.h"
#include "timeutil.h"

static const struct {
	const char *name;
	int y, m, d;
} orders[DO_COUNT] = {
	[DO_DMY] = { "dmy", 2, 1, 0 }, [DO_MDY] = { "mdy", 2, 0, 1 },
	[DO_YMD] = { "ymd", 0, 1, 2 }, [DO_YDM] = { "ydm", 0, 2, 1 },
	[DO_MYD] = { "myd", 1, 0, 2 }, [DO_DYM] = { "dym", 1, 2, 0 },
};

const char *date_order_name(enum date_order o)
{
	return orders[o].name;
}

void date_order_pos(enum date_order o, int *y, int *m, int *d)
{
	*y = orders[o].y;
	*m = orders[o].m;
	*d = orders[o].d;
}

int localdate_order_opt(struct ingest_ctx *ctx, enum date_order *o)
{
	const char *v = ingest_opt(ctx, "date_order");
	struct src_loc at = { ctx->path, 0, 0 };

	if (!v)
		return 1;
	for (int i = 0; i < DO_COUNT; i++)
		if (!strcasecmp(v, orders[i].name)) {
			*o = (enum date_order)i;
			return 0;
		}
	return diag_error(&at, "bad --date-order '%s' (expected dmy, mdy or ymd)", v);
}

int localdate_parse_tz(const char *s, long long *out)
{
	int sign, hh, mm = 0;

	if (!strcmp(s, "Z") || !strcasecmp(s, "UTC")) {
		*out = 0;
		return 0;
	}
	if ((s[0] != '+' && s[0] != '-') || !isdigit((unsigned char)s[1]) ||
	    !isdigit((unsigned char)s[2]))
		return -1;
	sign = s[0] == '-' ? -1 : 1;
	hh = (s[1] - '0') * 10 + (s[2] - '0');
	s += 3;
	if (*s == ':')
		s++;
	if (*s) {
		if (!isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]) || s[2])
			return -1;
		mm = (s[0] - '0') * 10 + (s[1] - '0');
	}
	if (hh > 14 || mm > 59)
		return -1;
	*out = sign * (hh * 3600LL + mm * 60LL);
	return 0;
}

int localdate_tz_opt(struct ingest_ctx *ctx, long long *tz)
{
	const char *v = ingest_opt(ctx, "tz");
	struct src_loc at = { ctx->path, 0, 0 };

	*tz = 0;
	if (v && localdate_parse_tz(v, tz))
		return diag_error(&at, "bad tz '%s' (expected +HH:MM or -HH:MM)", v);
	return 0;
}

int localdate_days_in_month(int y, int m)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : dm[m - 1];
}

long long localdate_day(const char *const f[3], enum date_order o)
{
	const char *ys = f[orders[o].y], *ms = f[orders[o].m], *ds = f[orders[o].d];
	size_t yl = strlen(ys);
	int y = atoi(ys), m = atoi(ms), d = atoi(ds);

	if (strlen(ms) > 2 || strlen(ds) > 2 || !*ms || !*ds)
		return -1;
	if (yl && yl <= 2)
		y += 2000;              /* two-digit years are 20yy */
	else if (yl != 4 || y < 1970)
		return -1;
	if (m < 1 || m > 12 || d < 1 || d > localdate_days_in_month(y, m))
		return -1;
	return time_days_from_civil(y, (unsigned)m, (unsigned)d);
}
