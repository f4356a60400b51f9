/* The audit configuration, audit.ini (config_load, spec 3.7), over
 * arbitrary bytes written to a file (the loader resolves paths against its
 * folder). */
#include "fuzz.h"

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_path(".ini");
	struct audit_config cfg;
	FILE *fp;

	diag_set_quiet(1);
	fp = fopen(path, "wb");
	if (!fp || (size && fwrite(data, 1, size, fp) != size) || fclose(fp))
		abort();
	if (config_load(path, &cfg) == 0)
		config_release(&cfg);
	unlink(path);
	return 0;
}
