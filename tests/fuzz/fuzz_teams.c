/* The 'teams' adapter through ingest_file(), over arbitrary bytes. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_ingest("teams", ".json", data, size, NULL, 0);
}
