/* Rule packs (spec 4.4): inih and PCRE2 compile over arbitrary bytes, split
 * into apps.ini, retention.ini and exclusions.ini at the first two "\n%%\n";
 * then a few app ids and exclusion values are matched, under a low match
 * limit so that a catastrophic pattern gives up quickly. */
#include "fuzz.h"

#include <string.h>

#include "pattern.h"
#include "rules.h"

static char *part(const char **p, const char *end)
{
	const char *sep = NULL;
	char *out;

	for (const char *q = *p; q + 4 <= end; q++)
		if (!memcmp(q, "\n%%\n", 4)) {
			sep = q;
			break;
		}
	if (!sep)
		sep = end;
	out = malloc((size_t)(sep - *p) + 1);
	if (!out)
		abort();
	memcpy(out, *p, (size_t)(sep - *p));
	out[sep - *p] = '\0';
	*p = sep < end ? sep + 4 : end;
	return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size;
	char *apps, *retention, *exclusions;
	struct rules *r;

	diag_set_quiet(1);
	pattern_set_match_limit(10000);
	apps = part(&p, end);
	retention = part(&p, end);
	exclusions = part(&p, end);
	r = rules_load_mem(apps, *retention ? retention : NULL, *exclusions ? exclusions : NULL);
	if (r) {
		static const char *const values[] = {
			"com.whatsapp", "org.telegram.messenger", "WhatsApp", "aaaaaaaaaaaaaaaaaaaab",
			"personal-1", "whatsapp:+15550100001", "",
		};
		for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
			(void)rules_app_for_id(r, values[i], values[i]);
			(void)rules_app(r, values[i]);
			for (int f = 0; f < EX_FIELDS; f++)
				(void)rules_excl_match(r, (enum excl_field)f, values[i]);
		}
		rules_free(r);
	}
	free(apps);
	free(retention);
	free(exclusions);
	return 0;
}
