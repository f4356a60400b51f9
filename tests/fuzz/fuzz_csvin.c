/* csvin over arbitrary bytes: rows, bad rows, header mapping. */
#include "fuzz.h"

#include "csvin.h"
#include "textin.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct csv_reader *r = csv_reader_new(textin_new_mem((const char *)data, size, "fuzz"));
	struct csv_header h = { 0, NULL };
	struct csv_row row;
	const char *err;
	int rc, first = 1;

	while ((rc = csv_next(r, &row, &err)) != 0 && rc != -2) {
		if (rc < 0)
			continue;
		if (first) {
			csv_header_init(&h, &row);
			first = 0;
		}
		(void)csv_header_find(&h, "device_id");
		for (size_t i = 0; i <= row.n; i++)
			(void)csv_field(&row, (int)i);
	}
	csv_header_release(&h);
	csv_reader_free(r);
	return 0;
}
