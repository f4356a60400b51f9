/* dirin: an unzipped export folder read like an archive (zipin.h): its
 * regular files, found recursively, named by their path relative to the
 * folder ("general/2016-01-14.json"), in byte order of those names.
 * Symbolic links are not followed (a link could lead out of the folder),
 * and neither are hidden entries (".DS_Store", ".git/"). A file is read
 * whole, capped at DIRIN_MAX_FILE.
 *
 * The folder's digest (what the manifest records for it, and `verify`
 * checks): the SHA-256 of its listing in sha256sum's format, one line
 * "SHA256  NAME\n" per file in that order; its size is the sum of the
 * files' sizes. The same digest by hand, in the folder:
 *   find . -type f ! -path '*[/].*' -printf '%P\n' | LC_ALL=C sort |
 *     while IFS= read -r f; do sha256sum "$f"; done | sha256sum       */
#ifndef UDAUDIT_DIRIN_H
#define UDAUDIT_DIRIN_H

#include <stddef.h>

#include "hash.h"

#define DIRIN_MAX_FILE (256UL << 20)    /* as ZIPIN_MAX_MEMBER */
#define DIRIN_MAX_FILES 100000UL
#define DIRIN_MAX_DEPTH 8

struct dirin;

/* 1 when path is a folder, 0 when not, -1 when it cannot be looked at
 * (printed). */
int dirin_is_dir(const char *path);

/* List the folder. NULL when it cannot be read, is too deep or holds too
 * many files (printed with the path). */
struct dirin *dirin_open(const char *path);
void dirin_close(struct dirin *d);

/* The number of files, and the name of file i (borrowed until
 * dirin_close; NULL past the end). */
size_t dirin_count(const struct dirin *d);
const char *dirin_name(const struct dirin *d, size_t i);

/* Read file i whole: *buf (heap, NUL-terminated, the caller frees) and
 * *len. 0 or -1 (printed). */
int dirin_read(struct dirin *d, size_t i, char **buf, size_t *len);

/* Hash every file, and the folder's digest and size (above). After it,
 * dirin_file_sha256 and dirin_file_size give each file's. 0 or -1
 * (printed). */
int dirin_hash(struct dirin *d, char hex[SHA256_HEX_LEN], long long *size);
const char *dirin_file_sha256(const struct dirin *d, size_t i);
long long dirin_file_size(const struct dirin *d, size_t i);

/* The SHA-256 and size of an input: a regular file's (sha256_file), or a
 * folder's digest. 0 or -1 (printed). */
int dirin_sha256_input(const char *path, char hex[SHA256_HEX_LEN], long long *size);

#endif
