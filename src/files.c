/* files: safe opening of inputs and creation of outputs. */
#include "files.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "xalloc.h"

FILE *file_open_input(const char *path)
{
	struct src_loc at = { path, 0, 0 };
	struct stat sb;
	FILE *fp;
	/* O_NONBLOCK: opening a FIFO must not wait for a writer */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);

	if (fd < 0) {
		diag_error(&at, "cannot open: %s", strerror(errno));
		return NULL;
	}
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		diag_error(&at, "not a regular file (a folder, device or FIFO is not an input)");
		return NULL;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	fp = fdopen(fd, "rb");
	if (!fp) {
		close(fd);
		diag_error(&at, "cannot open: %s", strerror(errno));
	}
	return fp;
}

/* 0 when path is absent, a regular file or a symlink (which rename
 * replaces, not follows); else said. */
static int replaceable(const char *path)
{
	struct stat sb;

	if (lstat(path, &sb) != 0 || S_ISREG(sb.st_mode) || S_ISLNK(sb.st_mode))
		return 0;
	return diag_error(NULL, "cannot write '%s': it exists and is not a regular file;"
			  " not replaced", path);
}

int file_create_tmp(const char *path, char **tmp)
{
	const int flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC;
	struct stat sb;
	int fd;

	*tmp = NULL;
	if (replaceable(path))
		return -1;
	*tmp = xasprintf("%s.tmp", path);
	fd = open(*tmp, flags, 0600);
	/* a .tmp left by a crash, or planted: remove the name (a symlink's
	   target is not touched), then create it new */
	if (fd < 0 && errno == EEXIST && lstat(*tmp, &sb) == 0 &&
	    (S_ISREG(sb.st_mode) || S_ISLNK(sb.st_mode)) && unlink(*tmp) == 0)
		fd = open(*tmp, flags, 0600);
	if (fd < 0) {
		diag_error(NULL, "cannot write '%s': %s", *tmp, strerror(errno));
		free(*tmp);
		*tmp = NULL;
		return -1;
	}
	return fd;      /* 0600, which no umask widens: reports hold personal data */
}

int file_commit_tmp(const char *tmp, const char *path)
{
	if (replaceable(path)) {
		unlink(tmp);
		return -1;
	}
	if (rename(tmp, path) != 0) {
		int err = errno;
		unlink(tmp);
		return diag_error(NULL, "cannot rename '%s' to '%s': %s", tmp, path, strerror(err));
	}
	return 0;
}
