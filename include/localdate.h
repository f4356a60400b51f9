/* localdate: what the adapters with local (zone-less, locale-ordered)
 * dates share: the `tz` and `date_order` options, and reading a numeric
 * date "a/b/c" in a given order. A date that cannot exist in the assumed
 * order is the caller's error, naming --date-order. */
#ifndef UDAUDIT_LOCALDATE_H
#define UDAUDIT_LOCALDATE_H

struct ingest_ctx;

/* The six ways to read three date fields, in the order of preference when
 * a file does not decide. */
enum date_order { DO_DMY, DO_MDY, DO_YMD, DO_YDM, DO_MYD, DO_DYM, DO_COUNT };

/* "dmy", "mdy", ... */
const char *date_order_name(enum date_order o);
/* Positions of year, month and day in the three fields. */
void date_order_pos(enum date_order o, int *y, int *m, int *d);

/* Option date_order (--date-order): 0 and *o set, 1 when not given, -1 bad
 * (printed with the file's name). */
int localdate_order_opt(struct ingest_ctx *ctx, enum date_order *o);
/* Option tz (--tz): seconds east of UTC in *tz (0 when not given); 0, or
 * -1 bad (printed). */
int localdate_tz_opt(struct ingest_ctx *ctx, long long *tz);
/* "+HH:MM", "-HHMM", "+HH", "Z", "UTC": 0 or -1. */
int localdate_parse_tz(const char *s, long long *out);

/* The day number (days since 1970-01-01) of the date written as the three
 * digit strings f[0..2] read in order o, or -1 when it cannot exist in that
 * order. Years of two digits are 20yy; four-digit years from 1970. */
long long localdate_day(const char *const f[3], enum date_order o);
int localdate_days_in_month(int y, int m);

#endif
