/* timeutil: ISO 8601 in UTC, with Howard Hinnant's civil-date algorithms
 * (no timegm, no TZ environment, same result everywhere). */
#include "timeutil.h"

#include <stdio.h>
#include <string.h>

long long time_days_from_civil(int y, unsigned m, unsigned d)
{
	long long yy = (long long)y - (m <= 2);
	long long era = (yy >= 0 ? yy : yy - 399) / 400;
	unsigned yoe = (unsigned)(yy - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long long)doe - 719468;
}

void time_civil_from_days(long long z, int *y, unsigned *m, unsigned *d)
{
	z += 719468;
	long long era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static int digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

static int days_in_month(int y, int m)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : dm[m - 1];
}

/* "YYYY-MM-DD" at s; 0 or -1. */
static int parse_ymd(const char *s, long long *days)
{
	int y, m, d;

	if (digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &m) ||
	    s[7] != '-' || digits(s + 8, 2, &d))
		return -1;
	if (y < 1900 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
		return -1;
	*days = time_days_from_civil(y, (unsigned)m, (unsigned)d);
	return 0;
}

int time_parse_date(const char *s, long long *days)
{
	if (!s || strlen(s) != 10)
		return -1;
	return parse_ymd(s, days);
}

/* 9999-12-31T23:59:59-14:00 is in year 10000 UTC, which no date of the
 * reports can show */
#define TIME_END (253402300800LL)       /* 10000-01-01T00:00:00Z */

static int is_digit(char c)
{
	return (unsigned)(c - '0') <= 9;
}

static int two(const char *s)
{
	return (s[0] - '0') * 10 + (s[1] - '0');
}

/* The form nearly every input writes, "YYYY-MM-DDTHH:MM:SSZ": 1 when s is
 * exactly that (the same checks and result as the general parse below), 0
 * to leave s to it. Its length known, its bytes are checked without a
 * branch each. */
static int parse_utc_seconds(const char *s, long long *epoch)
{
	int y, m, d, hh, mm, ss;

	if (strlen(s) != 20)
		return 0;
	if (!(is_digit(s[0]) & is_digit(s[1]) & is_digit(s[2]) & is_digit(s[3]) &
	      (s[4] == '-') & is_digit(s[5]) & is_digit(s[6]) & (s[7] == '-') &
	      is_digit(s[8]) & is_digit(s[9]) & (s[10] == 'T') & is_digit(s[11]) &
	      is_digit(s[12]) & (s[13] == ':') & is_digit(s[14]) & is_digit(s[15]) &
	      (s[16] == ':') & is_digit(s[17]) & is_digit(s[18]) & (s[19] == 'Z')))
		return 0;
	y = two(s) * 100 + two(s + 2);
	m = two(s + 5);
	d = two(s + 8);
	hh = two(s + 11);
	mm = two(s + 14);
	ss = two(s + 17);
	if (y < 1900 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m) || hh > 23 ||
	    mm > 59 || ss > 60)
		return 0;
	*epoch = time_days_from_civil(y, (unsigned)m, (unsigned)d) * 86400 + hh * 3600LL +
		 mm * 60LL + ss;
	return *epoch < TIME_END;
}

int time_parse(const char *s, long long *epoch, int *date_only)
{
	long long days;
	int hh, mm, ss = 0;
	long long offset = 0;
	const char *p;

	if (s && parse_utc_seconds(s, epoch)) {
		if (date_only)
			*date_only = 0;
		return 0;
	}
	if (!s || strlen(s) < 10 || parse_ymd(s, &days))
		return -1;
	p = s + 10;
	if (!*p) {
		*epoch = days * 86400;
		if (date_only)
			*date_only = 1;
		return 0;
	}
	if (*p != 'T' && *p != 't' && *p != ' ')
		return -1;
	p++;
	if (digits(p, 2, &hh) || p[2] != ':' || digits(p + 3, 2, &mm))
		return -1;
	p += 5;
	if (*p == ':') {
		if (digits(p + 1, 2, &ss))
			return -1;
		p += 3;
		if (*p == '.' || *p == ',') {
			p++;
			if (*p < '0' || *p > '9')
				return -1;
			while (*p >= '0' && *p <= '9')
				p++;
		}
	}
	if (hh > 23 || mm > 59 || ss > 60)
		return -1;
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		int oh, om;
		int sign = *p == '-' ? -1 : 1;
		p++;
		if (digits(p, 2, &oh))
			return -1;
		p += 2;
		if (*p == ':')
			p++;
		if (digits(p, 2, &om))
			return -1;
		p += 2;
		if (oh > 23 || om > 59)
			return -1;
		offset = sign * (oh * 3600LL + om * 60LL);
	}
	if (*p)
		return -1;
	*epoch = days * 86400 + hh * 3600LL + mm * 60LL + ss - offset;
	if (*epoch >= TIME_END)
		return -1;
	if (date_only)
		*date_only = 0;
	return 0;
}

int time_zoneless(const char *s)
{
	size_t n = strlen(s);

	if (n <= 10 || s[n - 1] == 'Z' || s[n - 1] == 'z')
		return 0;
	return !strpbrk(s + 11, "+-");
}

int time_parse_zone(const char *s, long long *seconds)
{
	int sign, hh, mm = 0;

	if (!strcmp(s, "Z") || !strcmp(s, "z") || !strcmp(s, "UTC") || !strcmp(s, "utc")) {
		*seconds = 0;
		return 0;
	}
	if ((s[0] != '+' && s[0] != '-') || digits(s + 1, 2, &hh))
		return -1;
	sign = s[0] == '-' ? -1 : 1;
	s += 3;
	if (*s == ':')
		s++;
	if (*s && (digits(s, 2, &mm) || s[2]))
		return -1;
	if (hh > 14 || mm > 59)
		return -1;
	*seconds = sign * (hh * 3600LL + mm * 60LL);
	return 0;
}

long long time_day(long long epoch)
{
	return epoch >= 0 ? epoch / 86400 : -((-epoch + 86399) / 86400);
}

void time_fmt_date(long long days, char out[TIME_DATE_LEN])
{
	int y;
	unsigned m, d;

	time_civil_from_days(days, &y, &m, &d);
	if (y < 0 || y > 9999) {
		snprintf(out, TIME_DATE_LEN, "0000-00-00");
		return;
	}
	snprintf(out, TIME_DATE_LEN, "%04d-%02u-%02u", y, m, d);
}

void time_fmt_day(long long epoch, char out[TIME_DATE_LEN])
{
	time_fmt_date(time_day(epoch), out);
}

void time_fmt_iso(long long epoch, char out[TIME_ISO_LEN])
{
	char date[TIME_DATE_LEN];
	unsigned secs = (unsigned)(epoch - time_day(epoch) * 86400);

	time_fmt_day(epoch, date);
	snprintf(out, TIME_ISO_LEN, "%.10sT%02u:%02u:%02uZ", date,
		 (secs / 3600) % 24, (secs / 60) % 60, secs % 60);
}

int time_parse_epoch(const char *s, long long *epoch)
{
	long long v = 0;
	int n = 0;

	if (!s)
		return -1;
	for (; *s >= '0' && *s <= '9'; s++, n++) {
		if (n >= 12)
			return -1;
		v = v * 10 + (*s - '0');
	}
	if (!n)
		return -1;
	if (*s == '.')
		for (s++; *s >= '0' && *s <= '9'; s++)
			;
	if (*s)
		return -1;
	*epoch = v;
	return 0;
}
