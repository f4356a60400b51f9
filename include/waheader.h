/* waheader: the lines of a WhatsApp export and the header grammars of
 * formats.md §2.2 (numeric dates in every order, the time first, month
 * names), for the whatsapp adapter. */
#ifndef UDAUDIT_WAHEADER_H
#define UDAUDIT_WAHEADER_H

#include <stddef.h>

#include "localdate.h"
#include "strbuf.h"

struct walocale;

#define WA_MAX_MARKS 8
#define WA_NSIG (9 << 9)                /* layout signatures (struct wa_header.sig) */

/* A line as the grammars read it: Unicode marks removed (their offsets
 * kept), no-break spaces as spaces, the header's digits in ASCII. */
struct wa_line {
	struct strbuf norm;
	size_t marks[WA_MAX_MARKS];     /* normalized offsets where marks were */
	int nmarks;
};

/* A header line, parsed. */
struct wa_header {
	unsigned sig;                   /* layout signature, < WA_NSIG */
	char f[3][12];                  /* the three date fields as written */
	int named;                      /* the pattern fixes the order (a month name,
					   年月日): fields are d, m, y */
	int cal;                        /* WA_CAL_*: a non-Gregorian year field */
	int hh, mm, ss, ampm;           /* ampm: 0 none, 'a', 'p' */
	int h24;                        /* an hour of 0 or 13-23 with AM/PM */
	int ampm_lang;                  /* the language of its day-period word, or -1 */
	int ampm_latin;                 /* the word is AM, a.m., p. m. (not 午後, μ.μ.) */
	char dsep;                      /* the date separator as written */
	size_t rest;                    /* offset of the text after the header */
};

/* How month names are read: the strings, the language to prefer (-1
 * none), and when hits is not NULL the count of names in each language
 * (walocale_month). */
struct wa_months {
	const struct walocale *loc;
	int lang;
	unsigned long *hits;
};

/* The compiled grammars; NULL when they cannot be compiled (printed). */
struct wa_grammar;
struct wa_grammar *wa_grammar_new(const struct walocale *loc);
void wa_grammar_free(struct wa_grammar *gr);

/* Normalize line into ln (0, or -1 out of memory). */
int wa_normalize(struct wa_line *ln, const char *line, size_t len);
/* 1 when a mark was removed at normalized offset ofs. */
int wa_mark_at(const struct wa_line *ln, size_t ofs);
/* 1 and h filled when ln is a header line, else 0. */
int wa_parse_header(const struct wa_grammar *gr, const struct wa_line *ln,
		    const struct wa_months *mo, struct wa_header *h);

/* The calendars of a year field. */
enum { WA_CAL_GREGORIAN, WA_CAL_BUDDHIST, WA_CAL_JAPANESE, WA_CAL_PERSIAN, WA_CAL_HIJRI,
       WA_NCAL };
/* A year field: 2 or 4 digits (20yy), "2565 BE" and the Buddhist years of
 * Thai phones (2565, 65), a Japanese era "R4", the Persian calendar's
 * "1401 AP" or 1401: its Gregorian year (a Persian year's first), or -1
 * when it is none of these or in the Islamic calendar. */
int wa_year_of(const char *f);
/* The calendar of a year field (WA_CAL_*). */
int wa_year_calendar(const char *f);
/* The day number of a header's date read in order o, or -1 when it cannot
 * exist so; a header with a month name has its own order. */
long long wa_header_day(const struct wa_header *h, enum date_order o);

#endif
