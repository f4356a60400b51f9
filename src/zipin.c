/* zipin: libzip behind a small read-only API with caps, so a hostile
 * archive costs at most ZIPIN_MAX_MEMBER bytes and never a hang. */
#include "zipin.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <zip.h>

#include "diag.h"
#include "files.h"
#include "xalloc.h"

struct zipin {
	zip_t *za;
	char *path;
	unsigned long long size;        /* of the archive file */
};

int zipin_is_zip(const char *path)
{
	unsigned char magic[4];
	FILE *fp = file_open_input(path);
	size_t n;

	if (!fp)
		return -1;
	n = fread(magic, 1, sizeof(magic), fp);
	fclose(fp);
	return n == 4 && magic[0] == 'P' && magic[1] == 'K' &&
	       ((magic[2] == 3 && magic[3] == 4) || (magic[2] == 5 && magic[3] == 6));
}

/* Open with libzip's consistency checks; an archive whose local and
 * central headers disagree (macOS Archive Utility writes such zips; libzip
 * accepts them from 1.10.1, Debian 12 has 1.7.3) is opened again without
 * them, and said: the member caps and the bomb check still apply. */
static zip_t *open_za(const char *path, const char *buf, size_t len, int *err)
{
	for (int pass = 0; pass < 2; pass++) {
		int flags = ZIP_RDONLY | (pass ? 0 : ZIP_CHECKCONS);
		zip_t *za;
		if (buf) {
			zip_error_t ze;
			zip_source_t *src;
			zip_error_init(&ze);
			src = zip_source_buffer_create(buf, len, 0, &ze);
			za = src ? zip_open_from_source(src, flags, &ze) : NULL;
			*err = zip_error_code_zip(&ze);
			if (!za && src)
				zip_source_free(src);
			zip_error_fini(&ze);
		} else {
			za = zip_open(path, flags, err);
		}
		if (za) {
			if (pass) {
				struct src_loc at = { path, 0, 0 };
				diag_warn(&at, "zip archive with local and central headers that disagree"
					  " (as macOS Archive Utility writes them): read without the"
					  " consistency check");
			}
			return za;
		}
		if (*err != ZIP_ER_INCONS)
			return NULL;
	}
	return NULL;
}

static struct zipin *zipin_new(const char *path, const char *buf, size_t len)
{
	struct src_loc at = { path, 0, 0 };
	struct zipin *z;
	struct stat sb;
	zip_error_t ze;
	int err = 0;
	zip_t *za = open_za(path, buf, len, &err);

	if (!za) {
		zip_error_init_with_code(&ze, err);
		diag_error(&at, "not a readable zip archive: %s", zip_error_strerror(&ze));
		zip_error_fini(&ze);
		return NULL;
	}
	z = xcalloc(1, sizeof(*z));
	z->za = za;
	z->path = xstrdup(path);
	if (buf)
		z->size = len;
	else if (!stat(path, &sb))
		z->size = (unsigned long long)sb.st_size;
	return z;
}

struct zipin *zipin_open(const char *path)
{
	return zipin_new(path, NULL, 0);
}

struct zipin *zipin_open_mem(const char *buf, size_t len, const char *name)
{
	return zipin_new(name, buf, len);
}

void zipin_close(struct zipin *z)
{
	if (!z)
		return;
	zip_discard(z->za);     /* read-only: never write anything back */
	free(z->path);
	free(z);
}

const char *zipin_name(struct zipin *z, long idx)
{
	if (idx < 0)
		return NULL;
	return zip_get_name(z->za, (zip_uint64_t)idx, ZIP_FL_ENC_GUESS);
}

long zipin_find(struct zipin *z, int (*match)(const char *name, void *user), void *user)
{
	zip_int64_t n = zip_get_num_entries(z->za, 0);

	if (n > (zip_int64_t)ZIPIN_MAX_ENTRIES)
		n = (zip_int64_t)ZIPIN_MAX_ENTRIES;
	for (zip_int64_t i = 0; i < n; i++) {
		const char *name = zip_get_name(z->za, (zip_uint64_t)i, ZIP_FL_ENC_GUESS);
		size_t len;
		if (!name || !(len = strlen(name)) || name[len - 1] == '/')
			continue;
		if (match(name, user))
			return (long)i;
	}
	return -1;
}

int zipin_read(struct zipin *z, long idx, char **buf, size_t *len)
{
	const char *name = zipin_name(z, idx);
	struct src_loc at = { z->path, 0, 0 };
	zip_stat_t sb;
	zip_file_t *f;
	size_t have = 0, alloc = 0;
	char *out = NULL;
	zip_uint64_t comp = 0;

	*buf = NULL;
	*len = 0;
	if (!name)
		return diag_error(&at, "no zip entry %ld", idx);
	zip_stat_init(&sb);
	if (zip_stat_index(z->za, (zip_uint64_t)idx, 0, &sb))
		return diag_error(&at, "zip entry '%s': %s", name, zip_strerror(z->za));
	if ((sb.valid & ZIP_STAT_SIZE) && sb.size > ZIPIN_MAX_MEMBER)
		return diag_error(&at, "zip entry '%s' is too large (%llu bytes; max %lu)",
				  name, (unsigned long long)sb.size, ZIPIN_MAX_MEMBER);
	if (sb.valid & ZIP_STAT_COMP_SIZE)
		comp = sb.comp_size;
	if (!comp || comp > z->size)
		comp = z->size;         /* the header may lie; the file cannot */
	f = zip_fopen_index(z->za, (zip_uint64_t)idx, 0);
	if (!f)
		return diag_error(&at, "zip entry '%s': %s", name, zip_strerror(z->za));
	for (;;) {
		zip_int64_t n;
		if (alloc - have < 65536) {
			/* the size in the header may lie: grow as data arrives */
			out = xgrow(out, have + 65536 + 1, &alloc, 1);
		}
		n = zip_fread(f, out + have, alloc - have - 1);
		if (n < 0) {
			diag_error(&at, "zip entry '%s': %s", name, zip_file_strerror(f));
			goto fail;
		}
		if (n == 0)
			break;
		have += (size_t)n;
		if (have > ZIPIN_MAX_MEMBER) {
			diag_error(&at, "zip entry '%s' inflates beyond %lu bytes", name,
				   ZIPIN_MAX_MEMBER);
			goto fail;
		}
		if (have > (1UL << 20) && have / ZIPIN_MAX_RATIO > comp) {
			diag_error(&at, "zip entry '%s' inflates more than %lu:1 (a zip bomb?)",
				   name, ZIPIN_MAX_RATIO);
			goto fail;
		}
	}
	zip_fclose(f);
	if (!out)
		out = xmalloc(1);
	out[have] = '\0';
	*buf = out;
	*len = have;
	return 0;
fail:
	zip_fclose(f);
	free(out);
	return -1;
}
