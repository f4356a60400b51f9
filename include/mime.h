/* mime: MIME (RFC 2045, EML) messages through GMime 3.0 (mime.c is the
 * only file that includes gmime.h): the one attachment an RSMF file
 * carries. */
#ifndef UDAUDIT_MIME_H
#define UDAUDIT_MIME_H

#include <stddef.h>

#define MIME_MAX_PART (256UL << 20)     /* bytes of a decoded attachment */

/* 1 when buf looks like the start of a MIME message (header lines before
 * a blank line, one of them MIME-Version or Content-Type), 0 when not. */
int mime_looks_like(const char *buf, size_t len);

/* Parse the message in buf (name is for messages) and decode the first
 * attachment whose file name is want (case-insensitive), else the first
 * whose name ends in ".zip" or whose type is application/zip. *out (heap,
 * the caller frees) and *outlen. *header_value, when header is not NULL,
 * gets that header of the message (heap, or NULL when absent). Returns 0,
 * 1 when no such attachment (printed), -1 when the message cannot be read
 * (printed). */
int mime_attachment(const char *buf, size_t len, const char *name, const char *want,
		    char **out, size_t *outlen, const char *header, char **header_value);

#endif
