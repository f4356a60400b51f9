/* The canonical 'devices' loader, through ingest_file(), over arbitrary bytes. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_ingest("devices", ".csv", data, size, NULL, 0);
}
