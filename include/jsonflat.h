/* jsonflat: one JSON object per line, read with yajl's event parser (the
 * only file that includes yajl headers). It serves the one hot path, the
 * usage log (tens of millions of lines): no tree is built, nothing is
 * allocated per value. Documents with a structure go through json.h. */
#ifndef UDAUDIT_JSONFLAT_H
#define UDAUDIT_JSONFLAT_H

#include <stddef.h>

enum jf_type { JF_STRING, JF_INT, JF_OTHER };  /* OTHER: null, bool, real, array, object */

/* One top-level member. key/str are NOT NUL-terminated and are borrowed
 * for the call only. Return 0 to go on, -1 to stop (the parse fails with
 * err "stopped"). */
typedef int (*jf_member)(void *user, const char *key, size_t klen, enum jf_type type,
			 const char *str, size_t slen, long long num);

/* Parse buf[0..len) as exactly one JSON object. Strings are UTF-8
 * validated by yajl; a string holding a NUL (\u0000) is an error. Returns 0,
 * or -1 with *err (static text) and *col (1-based byte column). */
int jsonflat_parse(const char *buf, size_t len, jf_member cb, void *user,
		   const char **err, unsigned long *col);
/* The fast path alone: 1 when it read the line (*rc 0, or -1 with *err
 * and *col), 0 when the line is not a flat object of plain values (then
 * nothing was called back: yajl reads it). A line it reads is valid UTF-8
 * throughout (its strings checked, its other bytes ASCII). */
int jsonflat_parse_fast(const char *buf, size_t len, jf_member cb, void *user,
			const char **err, unsigned long *col, int *rc);
/* The same through yajl alone, without the fast path for flat lines (the
 * tests compare the two). */
int jsonflat_parse_yajl(const char *buf, size_t len, jf_member cb, void *user,
			const char **err, unsigned long *col);

#endif
