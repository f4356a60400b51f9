/* The intune-apps adapter through ingest_file(). */
#include "fuzz.h"

static const struct ingest_opt opts[] = { { "seen_on", "2024-06-10" } };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_ingest("intune-apps", ".csv", data, size, opts, 1);
}
