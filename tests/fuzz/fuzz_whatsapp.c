/* The whatsapp adapter (text or zip, told apart by the bytes) through
 * ingest_file(), over arbitrary bytes. */
#include "fuzz.h"

static const struct ingest_opt opts[] = {
	{ "account", "whatsapp:+15550100001" }, { "self", "Dana Reyes" },
	{ "device", "D-0001" }, { "tz", "-05:00" },
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_ingest("whatsapp", ".txt", data, size, opts, 4);
}
