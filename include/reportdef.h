/* reportdef: report definitions, reports/<kind>.ini (spec §5): the
 * headings, boiler-plate paragraphs, sentence templates, citations and
 * column titles of a report, so an agency can adapt the wording without
 * recompiling. Read through conf (inih): a value may continue on indented
 * lines, and a key may repeat (a list, e.g. citations).
 *
 * Templates hold placeholders "{name}" (lowercase letters, digits, '_')
 * that the report substitutes; any other '{' is printed as is. A
 * placeholder the report does not know is an error naming the file and
 * line of the key, so a typo never reaches NARA. */
#ifndef UDAUDIT_REPORTDEF_H
#define UDAUDIT_REPORTDEF_H

#include <stddef.h>

struct reportdef;

struct rvar {
	const char *name;
	const char *value;      /* NULL counts as "" */
};

/* Load DIR/NAME. NULL after printing FILE:LINE errors (or "cannot read"). */
struct reportdef *reportdef_load(const char *dir, const char *name);
struct reportdef *reportdef_load_mem(const char *buf, size_t len, const char *name);
void reportdef_free(struct reportdef *d);      /* NULL is fine */

/* Values of section.key: how many, and the i-th (borrowed until
 * reportdef_free). reportdef_get prints "missing key" and returns NULL
 * when there is none. */
size_t reportdef_count(const struct reportdef *d, const char *section, const char *key);
const char *reportdef_nth(const struct reportdef *d, const char *section, const char *key,
			  size_t i);
const char *reportdef_get(const struct reportdef *d, const char *section, const char *key);

/* The i-th value of section.key with its placeholders replaced by vars (n
 * of them). A new string the caller frees, or NULL (printed: missing key,
 * unknown placeholder). */
char *reportdef_expand_nth(const struct reportdef *d, const char *section, const char *key,
			   size_t i, const struct rvar *vars, size_t n);
char *reportdef_expand(const struct reportdef *d, const char *section, const char *key,
		       const struct rvar *vars, size_t n);

/* Check that every key in keys[] (NULL-ended "section.key" strings) is
 * present: 0, or -1 after printing each missing one. */
int reportdef_require(const struct reportdef *d, const char *const *keys);

#endif
