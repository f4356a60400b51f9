/* The compliance store reader (load_compliance through ingest_file) over a
 * SQLite file made of the fuzz input: a hostile store (spec 7). Seeds are
 * small real stores; libFuzzer mutates their pages, schema and rows. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_ingest("compliance", ".sqlite", data, size, NULL, 0);
}
