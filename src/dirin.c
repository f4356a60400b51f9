/* dirin: an export folder's files, listed, read and hashed (dirin.h). */
#include "dirin.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "diag.h"
#include "files.h"
#include "strbuf.h"
#include "xalloc.h"

struct dirin_file {
	char *name;                     /* relative to the folder */
	char sha[SHA256_HEX_LEN];
	long long size;
};

struct dirin {
	char *root;
	struct dirin_file *f;
	size_t n, alloc;
};

int dirin_is_dir(const char *path)
{
	struct stat sb;
	struct src_loc at = { path, 0, 0 };

	if (stat(path, &sb) != 0)
		return diag_error(&at, "cannot open: %s", strerror(errno));
	return S_ISDIR(sb.st_mode) ? 1 : 0;
}

static int cmp_file(const void *a, const void *b)
{
	return strcmp(((const struct dirin_file *)a)->name, ((const struct dirin_file *)b)->name);
}

/* Add the regular files under root/rel ("" = the folder itself). */
static int walk(struct dirin *d, const char *rel, int depth)
{
	char *dir = *rel ? xasprintf("%s/%s", d->root, rel) : xstrdup(d->root);
	struct src_loc at = { dir, 0, 0 };
	DIR *dp = opendir(dir);
	struct dirent *e;
	int rc = 0;

	if (!dp) {
		rc = diag_error(&at, "cannot read the folder: %s", strerror(errno));
		free(dir);
		return rc;
	}
	while (!rc && (e = readdir(dp))) {
		struct stat sb;
		char *name, *full;
		if (e->d_name[0] == '.')
			continue;       /* ., .., and hidden entries */
		name = *rel ? xasprintf("%s/%s", rel, e->d_name) : xstrdup(e->d_name);
		full = xasprintf("%s/%s", d->root, name);
		if (lstat(full, &sb) != 0) {
			rc = diag_error(&at, "cannot look at '%s': %s", e->d_name, strerror(errno));
		} else if (S_ISDIR(sb.st_mode)) {
			if (depth >= DIRIN_MAX_DEPTH)
				rc = diag_error(&at, "folders nested deeper than %d", DIRIN_MAX_DEPTH);
			else
				rc = walk(d, name, depth + 1);
		} else if (S_ISREG(sb.st_mode)) {
			if (d->n >= DIRIN_MAX_FILES) {
				rc = diag_error(&at, "more than %lu files", DIRIN_MAX_FILES);
			} else {
				d->f = xgrow(d->f, d->n + 1, &d->alloc, sizeof(*d->f));
				d->f[d->n] = (struct dirin_file){ name, "", (long long)sb.st_size };
				d->n++;
				name = NULL;
			}
		}                       /* links, devices, FIFOs: not followed */
		free(name);
		free(full);
	}
	closedir(dp);
	free(dir);
	return rc;
}

struct dirin *dirin_open(const char *path)
{
	struct dirin *d = xcalloc(1, sizeof(*d));
	size_t n = strlen(path);

	while (n > 1 && path[n - 1] == '/')
		n--;
	d->root = xstrndup(path, n);
	if (walk(d, "", 0)) {
		dirin_close(d);
		return NULL;
	}
	if (d->n)
		qsort(d->f, d->n, sizeof(*d->f), cmp_file);
	return d;
}

void dirin_close(struct dirin *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++)
		free(d->f[i].name);
	free(d->f);
	free(d->root);
	free(d);
}

size_t dirin_count(const struct dirin *d)
{
	return d->n;
}

const char *dirin_name(const struct dirin *d, size_t i)
{
	return i < d->n ? d->f[i].name : NULL;
}

int dirin_read(struct dirin *d, size_t i, char **buf, size_t *len)
{
	char *full = xasprintf("%s/%s", d->root, d->f[i].name);
	struct src_loc at = { full, 0, 0 };
	struct strbuf sb = STRBUF_INIT;
	FILE *fp = file_open_input(full);
	char chunk[65536];
	size_t got;
	int rc = 0;

	*buf = NULL;
	*len = 0;
	if (!fp) {
		free(full);
		return -1;
	}
	strbuf_init(&sb, DIRIN_MAX_FILE);
	while (!rc && (got = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		if (strbuf_add(&sb, chunk, got))
			rc = diag_error(&at, "larger than %lu MiB", DIRIN_MAX_FILE >> 20);
	if (!rc && ferror(fp))
		rc = diag_error(&at, "read error: %s", strerror(errno));
	fclose(fp);
	free(full);
	if (rc) {
		strbuf_release(&sb);
		return -1;
	}
	*len = sb.len;
	*buf = strbuf_detach(&sb);
	return 0;
}

int dirin_hash(struct dirin *d, char hex[SHA256_HEX_LEN], long long *size)
{
	struct strbuf list = STRBUF_INIT;

	*size = 0;
	for (size_t i = 0; i < d->n; i++) {
		char *full = xasprintf("%s/%s", d->root, d->f[i].name);
		int rc = sha256_file(full, d->f[i].sha, &d->f[i].size);
		free(full);
		if (rc) {
			strbuf_release(&list);
			return -1;
		}
		*size += d->f[i].size;
		strbuf_addf(&list, "%s  %s\n", d->f[i].sha, d->f[i].name);
	}
	sha256_mem(list.buf ? list.buf : "", list.len, hex);
	strbuf_release(&list);
	return 0;
}

const char *dirin_file_sha256(const struct dirin *d, size_t i)
{
	return i < d->n ? d->f[i].sha : NULL;
}

long long dirin_file_size(const struct dirin *d, size_t i)
{
	return i < d->n ? d->f[i].size : -1;
}

int dirin_sha256_input(const char *path, char hex[SHA256_HEX_LEN], long long *size)
{
	struct dirin *d;
	int rc = dirin_is_dir(path);

	if (rc <= 0)
		return rc < 0 ? -1 : sha256_file(path, hex, size);
	if (!(d = dirin_open(path)))
		return -1;
	rc = dirin_hash(d, hex, size);
	dirin_close(d);
	return rc;
}
