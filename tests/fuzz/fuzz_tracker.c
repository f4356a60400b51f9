/* The tracker CSV loaders (spec 3.6) through ingest_file: the first byte
 * picks recommendations, actions, updates or cases; the rest is the file. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const kinds[] = { "recommendations", "actions", "updates", "cases" };

	if (!size)
		return 0;
	return fuzz_ingest(kinds[data[0] & 3], ".csv", data + 1, size - 1, NULL, 0);
}
