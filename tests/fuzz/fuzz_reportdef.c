/* Report definitions (reports/<kind>.ini, spec 5) over arbitrary bytes:
 * load, then count, read and expand the keys the letters use, with vars
 * that are set, empty and unset. */
#include "fuzz.h"

#include "reportdef.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct rvar vars[] = {
		{ "case_id", "UD-2019-0001" }, { "agency", "Example Agency" }, { "n", "3" },
		{ "empty", "" }, { "unset", NULL },
	};
	static const char *const keys[][2] = {
		{ "letter", "subject" }, { "letter", "intro" }, { "letter", "closing" },
		{ "section1", "volume" }, { "narrative", "circumstances" }, { "citations", "cite" },
		{ "status", "intro" }, { "x", "y" },
	};
	static const char *const required[] = { "letter.subject", "letter.intro", NULL };
	struct reportdef *d;

	diag_set_quiet(1);
	d = reportdef_load_mem((const char *)data, size, "fuzz.ini");
	if (!d)
		return 0;
	(void)reportdef_require(d, required);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		size_t n = reportdef_count(d, keys[i][0], keys[i][1]);
		(void)reportdef_get(d, keys[i][0], keys[i][1]);
		for (size_t k = 0; k < n; k++) {
			(void)reportdef_nth(d, keys[i][0], keys[i][1], k);
			free(reportdef_expand_nth(d, keys[i][0], keys[i][1], k, vars, 5));
		}
		free(reportdef_expand(d, keys[i][0], keys[i][1], vars, 5));
	}
	reportdef_free(d);
	return 0;
}
