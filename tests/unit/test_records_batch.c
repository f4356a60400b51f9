/* records: usage rows go to the audit DB 64 to a statement; a batch the
 * database refuses is said with the range of lines it held, from the
 * lowest, also when an adapter wrote its rows out of line order (RSMF,
 * Slack). A trigger stands in for the refusal. */
#include <stdio.h>
#include <string.h>

#include "capture.h"
#include "check.h"
#include "ingest.h"
#include "records.h"
#include "store.h"

static int put(struct ingest_ctx *ctx, unsigned long line)
{
	char mid[32];
	struct usage_rec r = { 1614592800 + (long long)line, EV_SENT, "wickr", "wickr:a@x.gov",
			       "D-1", mid, "c1", NULL, NULL, -1, 0 };

	snprintf(mid, sizeof(mid), "m%lu", line);
	return records_put_usage(ctx, line, &r);
}

int main(void)
{
	struct store *st = store_open(":memory:", 1);
	struct ingest_ctx ctx;
	const char *err;
	int rc = 0;

	CHECK(st != NULL);
	CHECK(store_exec(st, "CREATE TRIGGER refuse BEFORE INSERT ON usage WHEN NEW.line = 7"
			 " BEGIN SELECT RAISE(FAIL, 'refused for the test'); END") == 0);
	memset(&ctx, 0, sizeof(ctx));
	ctx.st = st;
	ctx.kind = "usage";
	ctx.path = "export.json";
	ctx.input_id = 1;
	/* lines out of order, within one batch */
	capture_begin();
	for (unsigned long line = 10; line >= 5 && !rc; line--)
		rc = put(&ctx, line == 6 ? 12 : line);
	if (!rc)
		rc = records_flush(&ctx);
	err = capture_end();
	CHECK(rc == -1);
	CHECK(strstr(err, "refused for the test") != NULL);
	CHECK(strstr(err, "export.json:5: error: one of the 6 records of lines 5 to 12 was refused"
			  " by the audit database") != NULL);
	records_release(&ctx);
	store_close(st);
	return CHECK_DONE();
}
