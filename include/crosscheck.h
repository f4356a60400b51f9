/* crosscheck: the checks across input files (spec 7: "a mismatch between
 * inputs ... is said with file:line"), run over the audit database after
 * loading and before analysis, by `run` and `analyze`:
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

#include <stdio.h>

struct store;
struct rules;

/* Replace the cross-file warnings by a fresh check (one transaction).
 * Returns the number of data-quality warnings now stored (cross-file and
 * per input), or -1 on a database error (printed). */
long crosscheck_run(struct store *st, const struct rules *r);

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
