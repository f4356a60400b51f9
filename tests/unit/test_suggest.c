/* suggest: case-insensitive lookup, nearest-word hints, and time zones. */
#include <string.h>

#include "check.h"
#include "suggest.h"
#include "timeutil.h"

int main(void)
{
	static const char *const events[] = { "sent", "received", "deleted", "timer_set", NULL };
	static const char *const yn[] = { "yes", "no", NULL };
	char buf[200];
	long long off;

	CHECK(word_index("Sent", events) == 0);
	CHECK(word_index("RECEIVED", events) == 1);
	CHECK(word_index("sen", events) == -1);
	CHECK(word_index(NULL, events) == -1);
	CHECK(word_nearest("snet", events) == 0);               /* a swap is one edit */
	CHECK(word_nearest("recieved", events) == 1);
	CHECK(word_nearest("timerset", events) == 3);
	CHECK(word_nearest("typing", events) == -1);            /* not a typo of anything */
	CHECK(word_nearest("reacted", events) == -1);
	CHECK(word_nearest("maybe", yn) == -1);
	words_join(events, buf, sizeof(buf));
	CHECK_STR(buf, "sent, received, deleted or timer_set");
	words_join(yn, buf, sizeof(buf));
	CHECK_STR(buf, "yes or no");
	words_hint("Noo", yn, buf, sizeof(buf));
	CHECK_STR(buf, " (expected yes or no; did you mean 'no'?)");
	words_hint("x", events, buf, 12);                       /* cut, still a string */
	CHECK(strlen(buf) == 11);

	CHECK(time_zoneless("2021-08-03T09:01:00") == 1);
	CHECK(time_zoneless("2021-08-03 09:01") == 1);
	CHECK(time_zoneless("2021-08-03T09:01:00Z") == 0);
	CHECK(time_zoneless("2021-08-03T09:01:00-04:00") == 0);
	CHECK(time_zoneless("2021-08-03T09:01:00+0530") == 0);
	CHECK(time_zoneless("2021-08-03") == 0);                /* a date has no time to zone */
	CHECK(time_parse_zone("-04:00", &off) == 0 && off == -4 * 3600);
	CHECK(time_parse_zone("+0530", &off) == 0 && off == 5 * 3600 + 1800);
	CHECK(time_parse_zone("+02", &off) == 0 && off == 7200);
	CHECK(time_parse_zone("UTC", &off) == 0 && off == 0);
	CHECK(time_parse_zone("Z", &off) == 0 && off == 0);
	CHECK(time_parse_zone("-4", &off) == -1);
	CHECK(time_parse_zone("+15:00", &off) == -1);
	CHECK(time_parse_zone("+05:0x", &off) == -1);
	CHECK(time_parse_zone("", &off) == -1);
	return CHECK_DONE();
}
