/* timeutil: ISO 8601 timestamps and dates, all in UTC.
 * Timestamps are Unix seconds (long long); dates are days since 1970-01-01. */
#ifndef UDAUDIT_TIMEUTIL_H
#define UDAUDIT_TIMEUTIL_H

#define TIME_ISO_LEN 21         /* "2018-10-12T14:03:22Z" + NUL */
#define TIME_DATE_LEN 11        /* "2018-10-12" + NUL */

/* Parse "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS[.frac]]" with "Z", "+HH:MM",
 * "+HHMM" or no zone (taken as UTC); a space may stand for "T". A date alone
 * is the start of its day and sets *date_only (may be NULL). Returns 0 or -1
 * (nothing printed). */
int time_parse(const char *s, long long *epoch, int *date_only);
/* 1 when s (already parsed by time_parse) has a time of day but no zone:
 * time_parse took it as UTC, a guess to be said (spec 7). */
int time_zoneless(const char *s);
/* A zone option: "Z", "UTC", "+HH:MM", "-HHMM" or "+HH" into seconds east
 * of UTC; 0 or -1. */
int time_parse_zone(const char *s, long long *seconds);
/* Epoch seconds as Wickr's msg_ts and Slack's ts write them:
 * "1452837318.000002" (up to 12 digits, any fraction, maybe none) into
 * whole seconds, without a float. 0, or -1 (NULL or not that form). */
int time_parse_epoch(const char *s, long long *epoch);
/* Parse exactly "YYYY-MM-DD" (a real calendar date) into days. */
int time_parse_date(const char *s, long long *days);
long long time_days_from_civil(int y, unsigned m, unsigned d);
void time_civil_from_days(long long days, int *y, unsigned *m, unsigned *d);
/* Day number of a timestamp (floor division, so negatives work). */
long long time_day(long long epoch);
void time_fmt_iso(long long epoch, char out[TIME_ISO_LEN]);
void time_fmt_date(long long days, char out[TIME_DATE_LEN]);
/* Date of a timestamp, "YYYY-MM-DD". */
void time_fmt_day(long long epoch, char out[TIME_DATE_LEN]);

#endif
