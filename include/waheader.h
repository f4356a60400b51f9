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
#define WA_NSIG (8 << 9)                /* layout signatures (struct wa_header.sig) */

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
	char f[3][8];                   /* the three date fields as written */
	int named;                      /* the month was a name: fields are d, m, y */
	int hh, mm, ss, ampm;           /* ampm: 0 none, 'a', 'p' */
	int h24;                        /* an hour of 0 or 13-23 with AM/PM */
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
struct wa_grammar *wa_grammar_new(void);
void wa_grammar_free(struct wa_grammar *gr);

/* Normalize line into ln (0, or -1 out of memory). */
int wa_normalize(struct wa_line *ln, const char *line, size_t len);
/* 1 when a mark was removed at normalized offset ofs. */
int wa_mark_at(const struct wa_line *ln, size_t ofs);
/* 1 and h filled when ln is a header line, else 0. */
int wa_parse_header(const struct wa_grammar *gr, const struct wa_line *ln,
		    const struct wa_months *mo, struct wa_header *h);

/* A year field: 2 or 4 digits (20yy), "2565 BE", a Japanese era "R4"; -1
 * when none of these. */
int wa_year_of(const char *f);
/* The day number of a header's date read in order o, or -1 when it cannot
 * exist so; a header with a month name has its own order. */
long long wa_header_day(const struct wa_header *h, enum date_order o);

#endif
