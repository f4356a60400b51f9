/* hash: SHA-256 with OpenSSL's libcrypto, the hash every Debian machine
 * already has and that FIPS-minded agencies recognise. */
#include "hash.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "diag.h"
#include "files.h"

static void to_hex(const unsigned char *md, unsigned n, char hex[SHA256_HEX_LEN])
{
	static const char digits[] = "0123456789abcdef";
	for (unsigned i = 0; i < n && i < 32; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 15];
	}
	hex[64] = '\0';
}

int sha256_file(const char *path, char hex[SHA256_HEX_LEN], long long *size)
{
	struct src_loc at = { path, 0, 0 };
	unsigned char buf[1 << 16], md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;
	long long total = 0;
	size_t n;
	int rc = -1;
	FILE *fp = file_open_input(path);
	EVP_MD_CTX *ctx;

	if (!fp)
		return -1;
	ctx = EVP_MD_CTX_new();
	if (!ctx || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1)
		goto out;
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0) {
		EVP_DigestUpdate(ctx, buf, n);
		total += (long long)n;
	}
	if (ferror(fp)) {
		diag_error(&at, "read error: %s", strerror(errno));
		goto out;
	}
	if (EVP_DigestFinal_ex(ctx, md, &mdlen) != 1)
		goto out;
	to_hex(md, mdlen, hex);
	if (size)
		*size = total;
	rc = 0;
out:
	if (rc && !ferror(fp))
		diag_error(&at, "cannot compute SHA-256");
	EVP_MD_CTX_free(ctx);
	fclose(fp);
	return rc;
}

void sha256_mem(const void *data, size_t len, char hex[SHA256_HEX_LEN])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;

	EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL);
	to_hex(md, mdlen, hex);
}
