/* zipin: read members of a zip archive through libzip (zipin.c is the only
 * file that includes zip.h). A member is read whole into memory, capped
 * (ZIPIN_MAX_MEMBER) whatever its header claims, and refused when it
 * inflates beyond ZIPIN_MAX_RATIO times its compressed size (zip bombs). */
#ifndef UDAUDIT_ZIPIN_H
#define UDAUDIT_ZIPIN_H

#include <stddef.h>

#define ZIPIN_MAX_MEMBER (256UL << 20)  /* 256 MiB */
#define ZIPIN_MAX_RATIO 1100UL          /* deflate's own limit is ~1032:1 */
#define ZIPIN_MAX_ENTRIES 100000UL      /* entries looked at by zipin_find */

struct zipin;

/* 1 when the file starts like a zip archive ("PK\3\4" or an empty
 * archive's "PK\5\6"), 0 when not, -1 when it cannot be read (printed). */
int zipin_is_zip(const char *path);

/* Open an archive read-only, with libzip's consistency checks. NULL when it
 * cannot be opened (printed with the path). */
struct zipin *zipin_open(const char *path);
/* The same over an archive in memory (buf borrowed until zipin_close);
 * name is for messages. */
struct zipin *zipin_open_mem(const char *buf, size_t len, const char *name);
void zipin_close(struct zipin *z);

/* Call match(name, user) on the entry names in archive order (directories
 * skipped; name borrowed for the call); the first entry it returns nonzero
 * for is the result: its index (>= 0), or -1 when none matched. */
long zipin_find(struct zipin *z, int (*match)(const char *name, void *user), void *user);
/* The name of entry idx (borrowed until zipin_close), or NULL. */
const char *zipin_name(struct zipin *z, long idx);

/* Read entry idx whole: *buf (heap, NUL-terminated, the caller frees) and
 * *len. 0, or -1 (printed: too large, too compressed, encrypted, corrupt). */
int zipin_read(struct zipin *z, long idx, char **buf, size_t *len);

#endif
