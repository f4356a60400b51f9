/* redact: stable pseudonyms (see redact.h). */
#include "redact.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "strbuf.h"
#include "xalloc.h"

/* 8 hex digits of SHA-256(salt + id). The salt is read once from the
 * environment, so every report of one run uses the same mapping. */
static void pseudo_hex(const char *id, char out[9])
{
	const char *salt = getenv("UDAUDIT_REDACT_SALT");
	char hex[SHA256_HEX_LEN];
	char *buf;

	if (!salt)
		salt = "";
	buf = xasprintf("%s%s", salt, id);
	sha256_mem(buf, strlen(buf), hex);
	free(buf);
	memcpy(out, hex, 8);
	out[8] = '\0';
}

void redact_custodian(const char *id, char out[REDACT_LEN])
{
	char hex[9];

	if (!id || !*id) {
		out[0] = '\0';
		return;
	}
	pseudo_hex(id, hex);
	snprintf(out, REDACT_LEN, "custodian-%s", hex);
}

void redact_account(const char *account, char out[REDACT_LEN])
{
	const char *colon;
	char hex[9];
	int applen;

	if (!account || !*account) {
		out[0] = '\0';
		return;
	}
	pseudo_hex(account, hex);
	colon = strchr(account, ':');
	applen = colon ? (int)(colon - account) : 0;
	if (applen > 32)
		applen = 32;
	if (colon)
		snprintf(out, REDACT_LEN, "%.*s:acct-%s", applen, account, hex);
	else
		snprintf(out, REDACT_LEN, "acct-%s", hex);
}

char *redact_text(const char *text, const char *const *from, const char *const *to, int n)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p = text;

	if (!text)
		return NULL;
	while (*p) {
		int best = -1;
		size_t best_len = 0;
		for (int i = 0; i < n; i++) {
			size_t len = from[i] ? strlen(from[i]) : 0;
			if (len > best_len && !strncmp(p, from[i], len)) {
				best = i;
				best_len = len;
			}
		}
		if (best >= 0) {
			strbuf_addstr(&sb, to[best]);
			p += best_len;
		} else {
			strbuf_addch(&sb, *p++);
		}
	}
	return strbuf_detach(&sb);
}
