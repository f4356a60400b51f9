/* kinds: the table of input kinds that `ingest`, `run`, `tracker import` and
 * audit.ini name: each kind's loader and one-line summary. It sits above
 * the ingest engine, which takes a kind and knows none by name. */
#ifndef UDAUDIT_KINDS_H
#define UDAUDIT_KINDS_H

#include "ingest.h"

extern const struct ingest_kind ingest_kinds[];        /* ends with {NULL} */
/* The kind of that name, or NULL. */
const struct ingest_kind *ingest_find_kind(const char *name);

#endif
