/* crosscheck: the checks across input files (spec 7: "a mismatch between
 * inputs ... is said with file:line"), over the audit database after
 * loading, by `run` and `analyze` (fed by the analysis's scans, or alone
 * before the analysis with --strict):
 *
 *   unknown_account    an account in usage or the compliance store that
 *                      accounts.csv lacks (hint: the same handle under
 *                      another app key)
 *   unknown_app        an app key not in the rules' apps.ini
 *   unknown_device     a device in usage or device_apps that devices.csv lacks
 *   custodian_without_account  a custodian with devices but no account
 *   device_status_conflict, device_without_inventory  (devstatus.h)
 *
 * Each warning is one row of `data_quality` per check and value, with the
 * count and the file:line of the first occurrence; ingest adds the
 * warnings of one input there too (unknown_event, time_without_zone),
 * which go with the input when it is superseded. The findings workbook's
 * "Data quality" sheet prints what is stored. */
#ifndef UDAUDIT_CROSSCHECK_H
#define UDAUDIT_CROSSCHECK_H

#include <stdint.h>
#include <stdio.h>

struct store;
struct rules;

/* Replace the cross-file warnings by a fresh check (one transaction).
 * Returns the number of data-quality warnings now stored (cross-file and
 * per input), or -1 on a database error (printed). */
long crosscheck_run(struct store *st, const struct rules *r);

/* The same checks fed by the analyzer's two scans (analyze.h), so that
 * usage and store_messages are not read again (issue #15): begin, one call
 * per row of both tables (EVERY row: those after as_of too), end. A scan
 * that failed or was not fed completely leaves end to check alone, as
 * crosscheck_run does; the warnings are the same either way. */
struct crosscheck;

/* A usage account's rows, kept by the caller with the account (zeroed at
 * first): their count and first location, and the app and device its last
 * row named that are known (crosscheck's strings), so that a row like the
 * one before costs a string compare, not a lookup. */
struct crosscheck_acct {
	unsigned long long n;
	long long loc;
	const char *app, *device;
};

/* The known accounts, devices and app keys (r may be NULL: no app check).
 * NULL on a database error (printed). */
struct crosscheck *crosscheck_begin(struct store *st, const struct rules *r);
/* A usage row whose account the caller keeps m for (m->n counts it). */
void crosscheck_usage_acct(struct crosscheck *c, struct crosscheck_acct *m, const char *app,
			   const char *device, long long input_id, long long line);
/* After the scan: the account m was kept for (each once). */
void crosscheck_usage_acct_end(struct crosscheck *c, const char *account,
			       const struct crosscheck_acct *m);
/* Any other usage row (account may be NULL). */
void crosscheck_usage_row(struct crosscheck *c, const char *account, const char *app,
			  const char *device, long long input_id, long long line);
/* A store_messages row; account_h: hash_str64(account), 0 for NULL. */
void crosscheck_store_row(struct crosscheck *c, const char *account, uint64_t account_h,
			  const char *app, long long input_id, long long line);
/* Before the rows: the hashes of the store accounts some rows ahead
 * (far) and fewer (near), 0 when not known: their lookups fetched. */
void crosscheck_store_ahead(struct crosscheck *c, uint64_t far, uint64_t near);
/* Both tables were fed completely (each row once). */
void crosscheck_fed(struct crosscheck *c);
/* Store the warnings as crosscheck_run does (its own transaction; alone
 * when not fed) and free c. As crosscheck_run; NULL c: crosscheck_run. */
long crosscheck_end(struct crosscheck *c, struct store *st, const struct rules *r);

/* Print the stored warnings: on stderr as "udaudit: FILE:LINE: warning:
 * ..." (stream NULL), or as indented summary lines on stream. At most
 * DIAG_MAX_SHOWN per check, then how many more. Returns the count or -1. */
long crosscheck_print(struct store *st, FILE *stream);

/* Record one warning of the input being loaded (from_input), or of a
 * check. 0 or -1. */
int quality_add(struct store *st, const char *check, const char *message,
		const char *subject, const char *suggestion, long long count,
		const char *unit, long long input_id, unsigned long line, int from_input);

#endif
