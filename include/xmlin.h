/* xmlin: reading XML documents through libxml2 (xmlin.c is the only file
 * that includes libxml headers), safely for hostile input: no network, no
 * DTD loaded, no entity substituted, and a document with a DOCTYPE is
 * refused (the exports we read have none; a DTD is where entity bombs and
 * external entities live). Nodes are borrowed from their document. */
#ifndef UDAUDIT_XMLIN_H
#define UDAUDIT_XMLIN_H

#include <stddef.h>

#define XMLIN_MAX_DOC (64UL << 20)

struct xmlin;
struct xml_node;

/* Parse len bytes. NULL on error with *line (0 unknown) and *err (static,
 * valid until the next call) set. */
struct xmlin *xmlin_parse(const char *buf, size_t len, unsigned long *line, const char **err);
/* The same for a file (at most XMLIN_MAX_DOC bytes). */
struct xmlin *xmlin_parse_file(const char *path, unsigned long *line, const char **err);
void xmlin_free(struct xmlin *doc);

const struct xml_node *xmlin_root(const struct xmlin *doc);
const char *xml_name(const struct xml_node *n);
/* The first element child named name (NULL: any), the next element
 * sibling; NULL when none. */
const struct xml_node *xml_child(const struct xml_node *n, const char *name);
const struct xml_node *xml_next(const struct xml_node *n);
/* The text of an element (its text and CDATA children, joined) into buf
 * (cut to n - 1 bytes); "" when it has none. */
const char *xml_text(const struct xml_node *node, char *buf, size_t n);
unsigned long xml_line(const struct xml_node *n);

#endif
