/* walocale: the strings WhatsApp writes into "Export chat" text, per
 * language, read from rules/whatsapp.ini (data, not code): tombstones,
 * media placeholders, missed calls, system notices and disappearing-message
 * timer notices with their ttl. A line's text is matched against every
 * language (exports mix them when a phone's language changed). */
#ifndef UDAUDIT_WALOCALE_H
#define UDAUDIT_WALOCALE_H

#include <stddef.h>

enum wa_cat {
	WC_NONE, WC_DELETED, WC_YOU_DELETED, WC_MEDIA, WC_MISSED, WC_SYSTEM, WC_TIMER
};

struct wa_hit {
	enum wa_cat cat;
	int lang;                       /* index of the language */
	long long ttl;                  /* WC_TIMER: seconds, 0 = off */
	size_t actor, actor_len;        /* WC_TIMER: the name a template starts with */
	int has_actor;
};

struct walocale;

/* Load rules_dir/whatsapp.ini ("rules" when rules_dir is NULL); loaded
 * once per path and kept for the process. NULL when it cannot be read or
 * is bad (printed with file:line). */
const struct walocale *walocale_get(const char *rules_dir);
/* Load a file afresh (tests); free with walocale_free. */
struct walocale *walocale_load(const char *path);
void walocale_free(struct walocale *l);

/* What the text after a header says. notice: the line has no author, or
 * its text begins with U+200E (how iOS marks its notices): then short
 * system notices count too; otherwise only long ones (the end-to-end
 * notice), so that a message such as "You left" stays a message. */
struct wa_scan;
/* Scratch space for matching (one per reader). */
struct wa_scan *walocale_scan_new(void);
void walocale_scan_free(struct wa_scan *sc);
enum wa_cat walocale_match(const struct walocale *l, struct wa_scan *sc, const char *text,
			   size_t len, int notice, struct wa_hit *hit);

int walocale_langs(const struct walocale *l);
const char *walocale_lang_code(const struct walocale *l, int lang);
/* The date order the language suggests ("dmy", "mdy", "ymd"), or NULL. */
const char *walocale_lang_order(const struct walocale *l, int lang);
/* Month number (1-12) of a month name or abbreviation, in language lang
 * when it has the name, else in the first language that has it; 0 when
 * none has. hits (when not NULL): +1 for each language that has the name
 * (the same abbreviation may be two months in two languages: hr "lis" is
 * October, pl and cs "lis" November). */
int walocale_month(const struct walocale *l, const char *name, size_t len, int lang,
		   unsigned long *hits);
/* (A name with a space is a month_word and the month's number: vi "thg 3".) */

/* The day-period words of every language (am, pm and hours keys): the
 * number of them, and each; walocale_ampm: 'a', 'p', 'n' (a word after a
 * 24-hour time, th "น.") for a word as written, or 0, and in *lang the
 * language of the word (-1 when several languages write it). */
#define WA_MAX_AMPM_WORD 32     /* bytes of a day-period word */
size_t walocale_ampm_count(const struct walocale *l);
const char *walocale_ampm_word(const struct walocale *l, size_t i);
int walocale_ampm(const struct walocale *l, const char *word, size_t len, int *lang);
#endif
