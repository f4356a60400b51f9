/* The intune-devices adapter through ingest_file(); stale_days set so the
 * extra pass over the file runs too. */
#include "fuzz.h"

static const struct ingest_opt opts[] = { { "stale_days", "30" } };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_ingest("intune-devices", ".csv", data, size, opts, 1);
}
