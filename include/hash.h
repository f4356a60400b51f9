/* hash: SHA-256 through OpenSSL's libcrypto (the only file that includes
 * openssl headers). Hex digests are 64 lowercase characters. */
#ifndef UDAUDIT_HASH_H
#define UDAUDIT_HASH_H

#include <stddef.h>

#define SHA256_HEX_LEN 65

/* Hash a whole file, streaming; also returns its size. 0 or -1 (printed). */
int sha256_file(const char *path, char hex[SHA256_HEX_LEN], long long *size);
void sha256_mem(const void *data, size_t len, char hex[SHA256_HEX_LEN]);

#endif
