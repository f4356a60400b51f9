/* rules: loading packs from memory, app ids, exclusions, and a
 * catastrophic pattern that gives up (counted) instead of hanging, and is
 * disabled when it keeps giving up. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "capture.h"
#include "check.h"
#include "pattern.h"
#include "rules.h"

static const char apps[] =
	"; test pack\n"
	"[whatsapp]\nclass = restricted\nids = ^com\\.whatsapp(\\.beta)?$\n"
	"ids = ^net\\.whatsapp\\.WhatsApp$\nnames = ^whatsapp$\n"
	"[whatsapp_business]\nclass = restricted\nids = ^com\\.whatsapp\\.w4b$\n"
	"[sms]\nclass = approved\nrecords = transitory\nephemeral = no\n"
	"[telegram]\nclass = prohibited\nids = ^org\\.telegram\\.messenger\n"
	"  (\\.web)?$\n";     /* a continuation line, joined with one space */

int main(void)
{
	struct rules *r = rules_load_mem(apps, "[retention]\nsupport = 30\n[detection]\noutage_hours = 2\n",
		"[bomb]\nconversation = (a+)+$\n[pair]\naccount = ^x$\npeer = ^y$\n");
	const struct rule_app *a;

	CHECK(r != NULL);
	if (!r)
		return CHECK_DONE();
	CHECK(r->napps == 4);
	a = rules_app_for_id(r, "COM.WHATSAPP", NULL);
	CHECK(a && !strcmp(a->key, "whatsapp"));
	a = rules_app_for_id(r, "com.whatsapp.beta", NULL);
	CHECK(a && !strcmp(a->key, "whatsapp"));
	a = rules_app_for_id(r, "com.whatsapp.w4b", NULL);
	CHECK(a && !strcmp(a->key, "whatsapp_business"));
	a = rules_app_for_id(r, "com.example", "WhatsApp");
	CHECK(a && !strcmp(a->key, "whatsapp"));
	CHECK(rules_app_for_id(r, "com.whatsapp.other", NULL) == NULL);
	/* "^org\.telegram\.messenger (\.web)?$" after the join: a space */
	CHECK(rules_app_for_id(r, "org.telegram.messenger ", NULL) != NULL);
	a = rules_app(r, "sms");
	CHECK(a && a->transitory && a->cls == APP_APPROVED);
	CHECK(r->retention_days[ROLE_SUPPORT] == 30);
	CHECK(r->retention_days[ROLE_CAPSTONE] == -1);
	CHECK(r->retention_days[ROLE_STANDARD] == 2555);
	CHECK(r->outage_seconds == 7200);
	CHECK(r->window_days == 20);
	CHECK(role_from_name(NULL) == ROLE_STANDARD);
	CHECK(role_from_name("capstone") == ROLE_CAPSTONE);

	/* AND within a rule, OR across rules */
	uint64_t m[EX_FIELDS] = { rules_excl_match(r, EX_ACCOUNT, "x"), 0, 0 };
	CHECK(!rules_excluded(r, m));
	m[EX_PEER] = rules_excl_match(r, EX_PEER, "y");
	CHECK(rules_excluded(r, m));

	/* catastrophic backtracking: (a+)+$ on 5000 'a' and a 'b' gives up at
	   the match limit (counted) instead of running for ages */
	size_t n = 5000;
	char *s = malloc(n + 2);
	memset(s, 'a', n);
	s[n] = 'b';
	s[n + 1] = '\0';
	uint64_t hit = rules_excl_match(r, EX_CONVERSATION, s);
	CHECK(hit == 0);
	CHECK(rules_gave_up(r) == 1);
	CHECK(rules_disabled(r) == 0);
	free(s);
	rules_free(r);

	/* a pattern that keeps giving up is disabled after PATTERN_MAX_GIVE_UPS,
	   and that is said with its file and line: 1000 values cost 100
	   give-ups, not 1000 */
	r = rules_load_mem(apps, NULL, "; x\n[catastrophic]\nconversation = ^(a+)+$\n");
	CHECK(r != NULL);
	char bad[40];
	memset(bad, 'a', 32);
	strcpy(bad + 32, "b");
	capture_begin();
	for (int i = 0; i < 1000; i++)
		CHECK(rules_excl_match(r, EX_CONVERSATION, bad) == 0);
	const char *said = capture_end();
	CHECK(rules_gave_up(r) == PATTERN_MAX_GIVE_UPS);
	CHECK(rules_disabled(r) == 1);
	CHECK(strstr(said, "udaudit: exclusions.ini:3: warning: pattern '^(a+)+$' gave up 100 times"
		     " (match, depth or heap limit): disabled for the rest of the run") != NULL);
	CHECK(strstr(strstr(said, "gave up") + 1, "gave up 100") == NULL);     /* said once */
	rules_free(r);

	/* errors: NULL, with file:line messages on stderr */
	CHECK(rules_load_mem("[x]\nclass = approved\nids = (abc\n", NULL, NULL) == NULL);
	CHECK(rules_load_mem("[x]\nclass = nope\n", NULL, NULL) == NULL);
	CHECK(rules_load_mem("[x]\nclass = approved\ncolor = red\n", NULL, NULL) == NULL);
	CHECK(rules_load_mem("[x]\nids = ^x$\n", NULL, NULL) == NULL);
	CHECK(rules_load_mem("[x]\nclass = approved\n", "[retention]\nstandard = -1\n", NULL) == NULL);
	CHECK(rules_load_mem("[x]\nclass = approved\n", NULL, "[e]\nwho = x\n") == NULL);
	return CHECK_DONE();
}
