/* kinds: the table of input kinds that `ingest`, `run`, `tracker import` and
 * audit.ini name: each kind's loader and one-line summary. It sits above
 * the ingest engine, which takes a kind and knows none by name. */
#ifndef UDAUDIT_KINDS_H
#define UDAUDIT_KINDS_H

#include <stddef.h>

#include "ingest.h"

extern const struct ingest_kind ingest_kinds[];        /* ends with {NULL} */
/* The kind of that name (in any case: "Usage" is usage), or NULL. */
const struct ingest_kind *ingest_find_kind(const char *name);

/* The hint for an unknown kind name: " (expected ...; did you mean 'x'?)". */
void ingest_kind_hint(const char *name, char *out, size_t size);
/* The options (key=value on an [inputs] line, --opt on the command line)
 * that kind takes; NULL-ended, empty for none. */
const char *const *ingest_kind_options(const struct ingest_kind *k);
/* 1 when that option of kind k names a file (teams users=): audit.ini
 * resolves it relative to itself, as every [inputs] path. */
int ingest_option_is_path(const struct ingest_kind *k, const char *key);
/* Every option must be one the kind takes: an unknown one ("timezone" for
 * "tz") would change the results silently. 0, or -1 after printing each
 * unknown option at `at` (may be NULL) with the valid ones. */
int ingest_check_options(const struct ingest_kind *k, const struct ingest_opt *opt, int n,
			 const struct src_loc *at);

#endif
