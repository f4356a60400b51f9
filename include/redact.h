/* redact: stable pseudonyms for people and accounts in reports that leave
 * the agency (--redact). The same id always gives the same pseudonym, so
 * rows about one custodian still group together:
 *
 *   custodian id or name "C-0042"    -> "custodian-1a2b3c4d"
 *   account "whatsapp:+15550100001"  -> "whatsapp:acct-5e6f7a8b"
 *
 * The pseudonym is the first 8 hex digits of SHA-256(salt + id). Without a
 * salt, anyone holding the list of ids (or able to enumerate phone numbers)
 * can recompute the mapping; set UDAUDIT_REDACT_SALT to a secret kept in
 * the agency to prevent that. Shared by the XLSX and PDF writers. */
#ifndef UDAUDIT_REDACT_H
#define UDAUDIT_REDACT_H

#include <stddef.h>

#define REDACT_LEN 64           /* enough for any pseudonym + app prefix */

/* "custodian-XXXXXXXX" for a custodian id or name; "" stays "". */
void redact_custodian(const char *id, char out[REDACT_LEN]);
/* "app:acct-XXXXXXXX" for "app:handle" (the app key is kept, truncated to
 * 32 bytes); an id without ':' gives "acct-XXXXXXXX"; "" stays "". */
void redact_account(const char *account, char out[REDACT_LEN]);

/* A copy of text with every occurrence of each of the n strings in from[]
 * replaced by the matching to[] (longest first, so a handle inside an
 * account does not break the account's replacement). Empty from[] entries
 * are skipped. Caller frees. */
char *redact_text(const char *text, const char *const *from, const char *const *to, int n);

#endif
