/* The 'rsmf' adapter over an EML message (a .rsmf as delivered: GMime,
 * then the attached zip, then the manifest), through ingest_file(). */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_ingest("rsmf", ".rsmf", data, size, NULL, 0);
}
