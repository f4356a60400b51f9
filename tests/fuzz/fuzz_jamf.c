/* The 'jamf' adapter through ingest_file(), over arbitrary bytes: JSON,
 * XML (libxml2, network and DTDs off) or CSV, chosen by the first byte. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_ingest("jamf", ".json", data, size, NULL, 0);
}
