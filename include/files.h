/* files: opening inputs and creating outputs safely (spec 7). An input
 * must be a regular file (a device or FIFO would never end, or block); an
 * output is written to PATH.tmp, created new (O_EXCL, never through a
 * symlink) with mode 0600 whatever the umask, and renamed over PATH, which
 * must not be anything but a regular file or a symlink. */
#ifndef UDAUDIT_FILES_H
#define UDAUDIT_FILES_H

#include <stdio.h>

/* Open a regular file for reading; NULL when it cannot be opened or is
 * not a regular file (said as "PATH: error: ..."). */
FILE *file_open_input(const char *path);

/* Create PATH.tmp for writing (a stale PATH.tmp, file or symlink, is
 * removed first, not followed). Returns the descriptor and sets *tmp (to
 * free) or -1 (said). */
int file_create_tmp(const char *path, char **tmp);
/* Rename tmp over path, when path is still not a device, FIFO or folder;
 * tmp is removed on failure. 0 or -1 (said). */
int file_commit_tmp(const char *tmp, const char *path);

#endif
