/* conf (inih with our line reader) over arbitrary bytes. */
#include "fuzz.h"

#include <string.h>

#include "conf.h"

static int on_key(void *user, const char *section, const char *key, const char *value,
		  unsigned long line)
{
	size_t *n = user;
	*n += strlen(section) + strlen(key) + strlen(value) + line;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t n = 0;

	diag_set_quiet(1);
	(void)conf_parse_mem((const char *)data, size, "fuzz.ini", on_key, &n);
	return 0;
}
