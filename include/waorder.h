/* waorder: the date order of a WhatsApp export, from all of its headers
 * (README, "Date order"): the dates when they decide, then the layout of
 * the headers; else a guess that the caller says with a warning naming
 * --date-order. */
#ifndef UDAUDIT_WAORDER_H
#define UDAUDIT_WAORDER_H

#include "localdate.h"

struct wa_header;

/* What the dates of a file say about each order: headers whose date
 * cannot exist, steps back in time, changes of the year field (a chat's
 * year changes least), years before WhatsApp (2009), and changes of the
 * day field (it changes more often than the month). */
struct wa_order_score {
	unsigned long invalid, backwards, year_changes, early, day_changes;
	long long prev;                 /* previous valid day, -1 none */
};

struct wa_dates {
	struct wa_order_score score[DO_COUNT];
	char prevf[3][12];              /* the previous header's date fields */
	int have_prev;
	unsigned long headers, ampm;    /* every header; those with AM/PM */
	unsigned long scored;           /* headers with a numeric date */
	unsigned long differ[2];        /* headers d/m vs m/d, y/m/d vs y/d/m read apart */
	/* their layout: bracketed (iOS), a 4-digit last field, day or month
	   written "03", or "3", dotted */
	unsigned long bracketed, year4, padded, unpadded, dotted;
};

void wa_dates_init(struct wa_dates *d);
/* One header of the file, in file order. */
void wa_dates_add(struct wa_dates *d, const struct wa_header *h);

/* The order the file's headers are read in. lang_order: the order of the
 * language of its notices ("dmy", ...; NULL none). *layout: what in the
 * headers' layout decided it (said in the summary), *guess: what a guess
 * went by (said with a warning naming --date-order); both NULL when the
 * dates decided. */
enum date_order wa_dates_pick(const struct wa_dates *d, const char *lang_order,
			      const char **layout, const char **guess);

#endif
