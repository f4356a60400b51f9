/* Case files (casefile) and report definitions (reportdef) over arbitrary
 * bytes: load, validate, and expand a few templates. */
#include "fuzz.h"

#include "casefile.h"
#include "reportdef.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct rvar vars[] = { { "case_id", "UD-2019-0001" }, { "n", NULL } };
	struct case_file cf;
	struct reportdef *d;

	diag_set_quiet(1);
	if (case_load_mem((const char *)data, size, "fuzz.ini", &cf) == 0)
		case_release(&cf);
	d = reportdef_load_mem((const char *)data, size, "fuzz.ini");
	if (d) {
		static const char *const keys[][2] = {
			{ "case", "id" }, { "letter", "intro" }, { "section1", "volume" },
			{ "narrative", "circumstances" },
		};
		for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
			size_t n = reportdef_count(d, keys[i][0], keys[i][1]);
			for (size_t k = 0; k < n; k++)
				free(reportdef_expand_nth(d, keys[i][0], keys[i][1], k, vars, 2));
		}
		reportdef_free(d);
	}
	return 0;
}
