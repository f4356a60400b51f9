/* The 'slack' adapter through ingest_file(), over arbitrary bytes (a zip
 * is recognised by its first bytes, so the seeds are small exports). */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_ingest("slack", ".zip", data, size, NULL, 0);
}
