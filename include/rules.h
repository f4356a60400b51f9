/* rules: the detection rule packs of a rules directory (spec 4.4), read
 * with conf (inih) and compiled with pattern (PCRE2):
 *   apps.ini        app keys: ids/names patterns, class, records, ephemeral
 *   retention.ini   required retention per role, window_days, outage_hours
 *   exclusions.ini  personal-communication patterns on account, peer and
 *                   conversation
 * Every error is printed as FILE:LINE: error: ... and the load fails. */
#ifndef UDAUDIT_RULES_H
#define UDAUDIT_RULES_H

#include <stddef.h>
#include <stdint.h>

enum app_class { APP_APPROVED, APP_RESTRICTED, APP_PROHIBITED };
extern const char *const app_class_names[3];

enum role_kind { ROLE_CAPSTONE, ROLE_STANDARD, ROLE_SUPPORT, ROLE_COUNT };
extern const char *const role_names[ROLE_COUNT];
/* Role of an accounts.csv value; NULL, "" or unknown is ROLE_STANDARD. */
enum role_kind role_from_name(const char *name);

struct pattern;

struct rule_app {
	char *key;
	enum app_class cls;
	int transitory;                 /* records = transitory */
	int ephemeral;
	struct pattern **ids, **names;
	size_t nids, nnames;
	unsigned long line;             /* first key of its section */
};

enum excl_field { EX_ACCOUNT, EX_PEER, EX_CONVERSATION, EX_FIELDS };

/* One [section] of exclusions.ini; a field with no patterns is not tested. */
struct rule_exclusion {
	char *name;
	struct pattern **pat[EX_FIELDS];
	size_t npat[EX_FIELDS];
	unsigned long line;
};

#define RULES_MAX_EXCLUSIONS 64         /* one bit each in a uint64_t */

struct rules {
	char *dir;
	struct rule_app *apps;
	size_t napps;
	long long retention_days[ROLE_COUNT];   /* -1 = permanent */
	int window_days;                        /* default 20 */
	long long outage_seconds;               /* outage_hours * 3600 */
	struct rule_exclusion *excl;
	size_t nexcl;
	char sha256[65];        /* of the pack files' digests: what was used */
	/* the packs as read, in that order (the run's snapshot; a missing
	   optional pack is left out) */
	struct rule_pack {
		const char *file;       /* "apps.ini", ... */
		char sha256[65];
		char *text;
		size_t len;
	} packs[3];
	size_t npacks;
};

/* Load DIR/apps.ini (required), DIR/retention.ini and DIR/exclusions.ini
 * (optional: defaults / none). NULL after printing every error. */
struct rules *rules_load(const char *dir);
/* The same over in-memory texts (tests); a NULL text is a missing file. */
struct rules *rules_load_mem(const char *apps, const char *retention,
			     const char *exclusions);
void rules_free(struct rules *r);

/* The app of a key, or NULL when apps.ini does not know it. */
const struct rule_app *rules_app(const struct rules *r, const char *key);
/* The app of an inventory row: first app whose ids match app_id, else the
 * first whose names match app_name; NULL when none. */
const struct rule_app *rules_app_for_id(const struct rules *r, const char *app_id,
					const char *app_name);
/* Bit i set when exclusion rule i has patterns for field f and one of them
 * matches s (NULL or "" matches nothing). */
uint64_t rules_excl_match(const struct rules *r, enum excl_field f, const char *s);
/* 1 when masks (one per field, from rules_excl_match) satisfy some rule:
 * every field the rule names matched. */
int rules_excluded(const struct rules *r, const uint64_t masks[EX_FIELDS]);
/* Pattern matches that gave up (match, depth or heap limit) so far. */
unsigned long rules_gave_up(const struct rules *r);
/* Patterns disabled so far (PATTERN_MAX_GIVE_UPS give-ups each). */
unsigned long rules_disabled(const struct rules *r);

#endif
