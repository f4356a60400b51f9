/* waorder: the date order of a WhatsApp export (waorder.h). */
#include "waorder.h"

#include <string.h>

#include "waheader.h"

void wa_dates_init(struct wa_dates *d)
{
	memset(d, 0, sizeof(*d));
	for (int o = 0; o < DO_COUNT; o++)
		d->score[o].prev = -1;
}

void wa_dates_add(struct wa_dates *d, const struct wa_header *h)
{
	long long days[DO_COUNT];

	d->headers++;
	d->ampm += h->ampm && h->ampm_latin;   /* the 12-hour clock of US exports */
	if (h->named)
		return;                 /* a month name: its order is known */
	d->scored++;
	d->bracketed += h->sig & 1;
	d->year4 += strlen(h->f[2]) >= 4;       /* 2024, 2565 BE */
	d->padded += (h->f[0][0] == '0' && h->f[0][1]) || (h->f[1][0] == '0' && h->f[1][1]);
	d->unpadded += !h->f[0][1] || !h->f[1][1];
	d->dotted += h->dsep == '.';
	for (int o = 0; o < DO_COUNT; o++) {
		struct wa_order_score *sc = &d->score[o];
		long long day = days[o] = wa_header_day(h, (enum date_order)o);
		int y, m, dd;
		date_order_pos((enum date_order)o, &y, &m, &dd);
		if (day < 0) {
			sc->invalid++;
			continue;
		}
		if (sc->prev >= 0 && day < sc->prev)
			sc->backwards++;        /* a chat runs forward in time */
		if (d->have_prev && strcmp(h->f[y], d->prevf[y]))
			sc->year_changes++;
		if (wa_year_of(h->f[y]) < 2009)
			sc->early++;
		/* the day field of a chat changes more often than the month */
		if (d->have_prev && strcmp(h->f[dd], d->prevf[dd]))
			sc->day_changes++;
		sc->prev = day;
	}
	/* headers that d/m and m/d (or y/m/d and y/d/m) read differently */
	if (days[DO_DMY] >= 0 && days[DO_MDY] >= 0 && days[DO_DMY] != days[DO_MDY])
		d->differ[0]++;
	if (days[DO_YMD] >= 0 && days[DO_YDM] >= 0 && days[DO_YMD] != days[DO_YDM])
		d->differ[1]++;
	_Static_assert(sizeof(d->prevf) == sizeof(h->f), "the fields of a header");
	memcpy(d->prevf, h->f, sizeof(d->prevf));
	d->have_prev = 1;
}

/* -1, 0, 1: which of two orders the dates of the file favour. An order
 * under which headers cannot exist, go back in time, change year often or
 * fall before 2009 costs; so that one impossible header (2/30/19 in an m/d/yy
 * export) never makes an order that re-dates every message (y/m/d read
 * as 2001-2030) look better: that one costs a change of year per day. */
static int cmp_score(const struct wa_order_score *a, const struct wa_order_score *b)
{
	unsigned long ca = a->invalid + a->backwards + a->year_changes + a->early;
	unsigned long cb = b->invalid + b->backwards + b->year_changes + b->early;

	if (ca != cb)
		return ca < cb ? -1 : 1;
	if (a->invalid != b->invalid)
		return a->invalid < b->invalid ? -1 : 1;
	if (a->day_changes != b->day_changes)
		return a->day_changes > b->day_changes ? -1 : 1;
	return 0;
}

/* d/m from the layout of the headers when every numeric header has it,
 * else NULL: iOS writes a region's short date, and the regions that put
 * the month first write it unpadded with two digits for the year (en-US
 * "3/21/19", also with a 24-hour clock), so a bracketed "[21/03/2019, ...]"
 * with a four-digit year and a zero-padded field is d/m; and no locale
 * writes month.day.year with dots. */
static const char *layout_dmy(const struct wa_dates *d)
{
	if (d->bracketed == d->scored && d->year4 == d->scored && d->padded && !d->unpadded)
		return "its iOS layout [dd/mm/yyyy, ...]; month-first regions write [m/d/yy, ...]";
	if (d->dotted == d->scored)
		return "its dotted dates; no month-first locale writes dots";
	return NULL;
}

/* After the dates and the layout, the guesses: the language of the file's
 * notices, the 12-hour clock of US exports, then d/m. */
enum date_order wa_dates_pick(const struct wa_dates *d, const char *lang_order,
			      const char **layout, const char **guess)
{
	int best = 0, tied[DO_COUNT], ntied = 0;

	*layout = *guess = NULL;
	for (int o = 1; o < DO_COUNT; o++)
		if (cmp_score(&d->score[o], &d->score[best]) < 0)
			best = o;
	for (int o = 0; o < DO_COUNT; o++)
		if (!cmp_score(&d->score[o], &d->score[best]))
			tied[ntied++] = o;
	if (ntied == 1 || !d->scored)
		return (enum date_order)best;
	/* a tie between d/m and m/d matters only if some date differs */
	if (ntied == 2 && tied[0] == DO_DMY && tied[1] == DO_MDY && !d->differ[0])
		return (enum date_order)best;
	if (ntied == 2 && tied[0] == DO_YMD && tied[1] == DO_YDM && !d->differ[1])
		return (enum date_order)best;
	if (ntied == 2 && tied[0] == DO_DMY && tied[1] == DO_MDY && (*layout = layout_dmy(d)))
		return DO_DMY;
	for (int i = 0; lang_order && i < ntied; i++)
		if (!strcmp(date_order_name((enum date_order)tied[i]), lang_order)) {
			*guess = "the language of its notices";
			return (enum date_order)tied[i];
		}
	if (d->ampm * 2 > d->headers)
		for (int i = 0; i < ntied; i++)
			if (tied[i] == DO_MDY) {
				*guess = "its 12-hour clock (US exports write m/d)";
				return DO_MDY;
			}
	*guess = "nothing in the file";
	return (enum date_order)tied[0];
}
