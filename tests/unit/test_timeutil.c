/* timeutil: ISO 8601 timestamps normalised to UTC, dates, leap days,
 * invalid dates, fractions, zones; formatting round trips. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "timeutil.h"

/* time_parse s and format the result back as UTC ISO ("ERR" on failure). */
static const char *iso(const char *s)
{
	static char out[TIME_ISO_LEN + 8];
	long long t;
	if (time_parse(s, &t, NULL))
		return "ERR";
	time_fmt_iso(t, out);
	return out;
}

static void test_timestamps(void)
{
	long long t;
	int date_only = -1;

	CHECK(time_parse("2018-10-12T14:03:22Z", &t, &date_only) == 0);
	CHECK(t == 1539353002LL);
	CHECK(date_only == 0);
	CHECK(time_parse("1970-01-01T00:00:00Z", &t, NULL) == 0 && t == 0);
	/* past year 9999 in UTC: refused, never printed as 0000-00-00 */
	CHECK(time_parse("9999-12-31T23:59:59-14:00", &t, NULL) == -1);
	CHECK(time_parse("9999-12-31T23:59:60Z", &t, NULL) == -1);
	CHECK(time_parse("9999-12-31T23:59:59Z", &t, NULL) == 0 && t == 253402300799LL);
	CHECK(time_parse("9999-12-31T23:59:59+14:00", &t, NULL) == 0);

	/* offsets are normalised to UTC */
	CHECK_STR(iso("2018-10-12T14:03:22Z"), "2018-10-12T14:03:22Z");
	CHECK_STR(iso("2018-10-12T09:03:22-05:00"), "2018-10-12T14:03:22Z");
	CHECK_STR(iso("2018-10-12T19:33:22+05:30"), "2018-10-12T14:03:22Z");
	CHECK_STR(iso("2018-10-12T19:33:22+0530"), "2018-10-12T14:03:22Z");
	CHECK_STR(iso("2018-10-12T14:03:22+00:00"), "2018-10-12T14:03:22Z");
	CHECK_STR(iso("2018-10-12T14:03:22-00:00"), "2018-10-12T14:03:22Z");
	/* ... across a day, a month and a year */
	CHECK_STR(iso("2018-10-12T22:30:00-05:00"), "2018-10-13T03:30:00Z");
	CHECK_STR(iso("2019-01-01T01:00:00+02:00"), "2018-12-31T23:00:00Z");
	CHECK_STR(iso("2018-12-31T20:00:00-04:00"), "2019-01-01T00:00:00Z");
	CHECK_STR(iso("2020-03-01T00:30:00+01:00"), "2020-02-29T23:30:00Z");
	/* no zone: taken as UTC; lowercase t/z; a space for T */
	CHECK_STR(iso("2018-10-12T14:03:22"), "2018-10-12T14:03:22Z");
	CHECK_STR(iso("2018-10-12 14:03:22Z"), "2018-10-12T14:03:22Z");
	CHECK_STR(iso("2018-10-12t14:03:22z"), "2018-10-12T14:03:22Z");
	/* minutes without seconds */
	CHECK_STR(iso("2018-10-12T14:03Z"), "2018-10-12T14:03:00Z");
	CHECK_STR(iso("2018-10-12T14:03+01:00"), "2018-10-12T13:03:00Z");
	/* fractions are dropped (truncated, not rounded) */
	CHECK_STR(iso("2018-10-12T14:03:22.999Z"), "2018-10-12T14:03:22Z");
	CHECK_STR(iso("2018-10-12T14:03:22,5+01:00"), "2018-10-12T13:03:22Z");
	CHECK_STR(iso("2018-10-12T14:03:22.123456789Z"), "2018-10-12T14:03:22Z");
	CHECK_STR(iso("2018-10-12T14:03:22.Z"), "ERR");
	CHECK_STR(iso("2018-10-12T14:03.5Z"), "ERR");
	/* a leap second is accepted (it lands on the next minute) */
	CHECK_STR(iso("2016-12-31T23:59:60Z"), "2017-01-01T00:00:00Z");

	/* bad ones */
	static const char *const bad[] = {
		"", "2018", "2018-10-12T", "2018-10-12T14", "2018-10-12T14:03:",
		"2018-10-12T24:00:00Z", "2018-10-12T14:60:00Z", "2018-10-12T14:03:61Z",
		"2018-10-12T14:03:22+24:00", "2018-10-12T14:03:22+05:60", "2018-10-12T14:03:22+05",
		"2018-10-12T14:03:22+5:00", "2018-10-12T14:03:22 Z", "2018-10-12T14:03:22ZZ",
		"2018-10-12T14:03:22Zjunk", "2018-10-12X14:03:22Z", "2018/10/12T14:03:22Z",
		"18-10-12T14:03:22Z", "2018-1-12T14:03:22Z", "2018-10-12T4:03:22Z",
		"2018-10-12T14:03:22.5.5Z", " 2018-10-12T14:03:22Z", "2018-10-12T14:03:22Z ",
		"2018-10-12T-1:03:22Z", "2018-13-01T00:00:00Z", "1539353002", NULL,
	};
	for (int i = 0; bad[i]; i++) {
		t = 12345;
		if (time_parse(bad[i], &t, NULL) != -1) {
			t_fail++;
			fprintf(stderr, "accepted bad timestamp '%s'\n", bad[i]);
		} else {
			t_pass++;
		}
	}
	CHECK(time_parse(NULL, &t, NULL) == -1);
}

static void test_dates(void)
{
	long long t, d;
	int date_only = 0;
	char out[TIME_DATE_LEN];

	/* date alone: the start of its day, date_only set */
	CHECK(time_parse("2021-09-24", &t, &date_only) == 0);
	CHECK(date_only == 1);
	CHECK(t == 1632441600LL);
	CHECK_STR(iso("2021-09-24"), "2021-09-24T00:00:00Z");

	CHECK(time_parse_date("1970-01-01", &d) == 0 && d == 0);
	CHECK(time_parse_date("2021-09-24", &d) == 0 && d == 18894);
	time_fmt_date(18894, out);
	CHECK_STR(out, "2021-09-24");

	/* leap days */
	CHECK(time_parse_date("2020-02-29", &d) == 0);
	CHECK(time_parse_date("2000-02-29", &d) == 0);          /* divisible by 400 */
	CHECK(time_parse_date("2024-02-29", &d) == 0);
	CHECK(time_parse_date("2021-02-29", &d) == -1);
	CHECK(time_parse_date("2019-02-29", &d) == -1);
	CHECK(time_parse_date("1900-02-29", &d) == -1);         /* divisible by 100 */
	CHECK(time_parse_date("2100-02-29", &d) == -1);
	CHECK(time_parse("2021-02-29T10:00:00Z", &t, NULL) == -1);
	CHECK(time_parse("2021-02-29", &t, NULL) == -1);
	CHECK(time_parse_date("2020-02-30", &d) == -1);
	CHECK(time_parse_date("2020-02-28", &d) == 0);
	{
		long long a, b;
		time_parse_date("2020-02-28", &a);
		time_parse_date("2020-03-01", &b);
		CHECK(b - a == 2);
		time_parse_date("2021-02-28", &a);
		time_parse_date("2021-03-01", &b);
		CHECK(b - a == 1);
	}

	/* invalid dates */
	static const char *const bad[] = {
		"2021-04-31", "2021-06-31", "2021-09-31", "2021-11-31", "2021-00-10",
		"2021-13-01", "2021-01-00", "2021-01-32", "2021-1-01", "2021-01-1",
		"21-01-01", "2021/01/01", "2021-01-01T00:00:00Z", "2021-01-01 ", "",
		"abcd-ef-gh", "1899-12-31", "2021-01-01x", NULL,
	};
	for (int i = 0; bad[i]; i++) {
		if (time_parse_date(bad[i], &d) != -1) {
			t_fail++;
			fprintf(stderr, "accepted bad date '%s'\n", bad[i]);
		} else {
			t_pass++;
		}
	}
	CHECK(time_parse_date(NULL, &d) == -1);
	CHECK(time_parse_date("2021-12-31", &d) == 0);
	CHECK(time_parse_date("9999-12-31", &d) == 0);
}

static void test_civil(void)
{
	/* every day from 1900 to 2100 round-trips and is consecutive */
	long long first = time_days_from_civil(1900, 1, 1), prev = first - 1;
	unsigned long bad = 0;
	for (int y = 1900; y <= 2100; y++) {
		for (unsigned m = 1; m <= 12; m++) {
			static const unsigned dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
			unsigned n = dm[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
			for (unsigned d = 1; d <= n; d++) {
				long long days = time_days_from_civil(y, m, d);
				int yy;
				unsigned mm, dd;
				time_civil_from_days(days, &yy, &mm, &dd);
				if (days != prev + 1 || yy != y || mm != m || dd != d)
					bad++;
				prev = days;
			}
		}
	}
	CHECK(bad == 0);
	CHECK(first == -25567);

	/* day numbers of timestamps, negatives included */
	CHECK(time_day(0) == 0);
	CHECK(time_day(86399) == 0);
	CHECK(time_day(86400) == 1);
	CHECK(time_day(-1) == -1);
	CHECK(time_day(-86400) == -1);
	CHECK(time_day(-86401) == -2);

	char out[TIME_ISO_LEN], day[TIME_DATE_LEN];
	time_fmt_iso(-1, out);
	CHECK_STR(out, "1969-12-31T23:59:59Z");
	time_fmt_day(1539353002LL, day);
	CHECK_STR(day, "2018-10-12");
	time_fmt_date(time_days_from_civil(10000, 1, 1), day);
	CHECK_STR(day, "0000-00-00");                           /* out of range */
	/* 1900 works (as far back as inputs may go) */
	CHECK_STR(iso("1900-01-01T00:00:00Z"), "1900-01-01T00:00:00Z");
}

/* Wickr's msg_ts and Slack's ts: epoch seconds with a fraction */
static void test_epoch(void)
{
	long long t = 7;

	CHECK(time_parse_epoch("1452837318.000002", &t) == 0 && t == 1452837318);
	CHECK(time_parse_epoch("1539894402.527447", &t) == 0 && t == 1539894402);
	CHECK(time_parse_epoch("1718001000", &t) == 0 && t == 1718001000);
	CHECK(time_parse_epoch("1718001000.", &t) == 0 && t == 1718001000);
	CHECK(time_parse_epoch("999999999999", &t) == 0 && t == 999999999999LL);
	t = 7;
	CHECK(time_parse_epoch("1000000000000", &t) == -1 && t == 7);    /* 13 digits */
	CHECK(time_parse_epoch("", &t) == -1);
	CHECK(time_parse_epoch(".5", &t) == -1);
	CHECK(time_parse_epoch("-1", &t) == -1);
	CHECK(time_parse_epoch("12 ", &t) == -1);
	CHECK(time_parse_epoch("1.2.3", &t) == -1);
	CHECK(time_parse_epoch("10/18/18 8:30 PM", &t) == -1);
	CHECK(time_parse_epoch(NULL, &t) == -1 && t == 7);
}

/* "...Z" of 20 bytes is parsed by a path of its own: it must give what the
 * general parse gives for the same time written "+00:00", on the forms
 * nearest it (each byte replaced, the string cut or lengthened) and over
 * every day of some years (leap years, the first and last years read). */
static int same_as_offset(const char *s)
{
	char alt[64];
	long long a = 111, b = 111;
	size_t n = strlen(s);
	int ra, rb;

	if (n == 0 || n > 40 || s[n - 1] != 'Z')
		return 1;
	snprintf(alt, sizeof(alt), "%.*s+00:00", (int)(n - 1), s);
	ra = time_parse(s, &a, NULL);
	rb = time_parse(alt, &b, NULL);
	if (ra != rb || (ra == 0 && a != b)) {
		fprintf(stderr, "'%s' %d %lld, '%s' %d %lld\n", s, ra, a, alt, rb, b);
		return 0;
	}
	return 1;
}

static void test_utc_seconds(void)
{
	static const char bytes[] = "0123456789-:TtZz .+\x7f\xc3";
	static const char *const bases[] = {
		"2021-07-01T00:00:00Z", "2020-02-29T23:59:60Z", "1900-01-01T00:00:00Z",
		"9999-12-31T23:59:59Z", "9999-12-31T23:59:60Z", "2100-02-28T12:34:56Z",
	};
	char s[64];
	int bad = 0;

	for (size_t k = 0; k < sizeof(bases) / sizeof(bases[0]); k++) {
		for (size_t i = 0; i < 20; i++) {
			for (size_t c = 0; c < sizeof(bytes) - 1; c++) {
				snprintf(s, sizeof(s), "%s", bases[k]);
				s[i] = bytes[c];
				bad += !same_as_offset(s);
				snprintf(s, sizeof(s), "%.*sZ", (int)i, bases[k]);
				bad += !same_as_offset(s);
				snprintf(s, sizeof(s), "%.*s%c%sZ", (int)i, bases[k], bytes[c], bases[k] + i);
				s[strlen(s) - 1] = 'Z';
				bad += !same_as_offset(s);
			}
		}
	}
	static const int years[] = { 1899, 1900, 1970, 2000, 2020, 2021, 2100, 9999 };
	for (size_t y = 0; y < sizeof(years) / sizeof(years[0]); y++) {
		for (int m = 0; m <= 13; m++) {
			for (int d = 0; d <= 32; d++) {
				snprintf(s, sizeof(s), "%04d-%02d-%02dT%02d:%02d:%02dZ", years[y], m, d,
					 (m * 7 + d) % 25, (d * 13) % 61, (m + d * 3) % 62);
				bad += !same_as_offset(s);
			}
		}
	}
	CHECK(bad == 0);
}

int main(void)
{
	test_utc_seconds();
	test_epoch();
	test_timestamps();
	test_dates();
	test_civil();
	return CHECK_DONE();
}
