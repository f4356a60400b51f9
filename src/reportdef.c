/* reportdef: report definitions (see reportdef.h). */
#include "reportdef.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "diag.h"
#include "strbuf.h"
#include "suggest.h"
#include "xalloc.h"

#define REPORTDEF_MAX_KEYS 2000
#define REPORTDEF_MAX_OUT  (1L << 20)   /* bytes of one expanded text */
#define VAR_MAX_NAME 48

struct rd_entry {
	char *section, *key, *value;
	unsigned long line;
};

struct reportdef {
	char *path;
	struct rd_entry *e;
	size_t n, alloc;
};

static int on_key(void *user, const char *section, const char *key, const char *value,
		  unsigned long line)
{
	struct reportdef *d = user;
	struct rd_entry *e;

	if (d->n >= REPORTDEF_MAX_KEYS) {
		struct src_loc at = { d->path, line, 0 };
		return diag_error(&at, "more than %d keys", REPORTDEF_MAX_KEYS);
	}
	d->e = xgrow(d->e, d->n + 1, &d->alloc, sizeof(*d->e));
	e = &d->e[d->n++];
	e->section = xstrdup(section);
	e->key = xstrdup(key);
	e->value = xstrdup(value);
	e->line = line;
	return 0;
}

struct reportdef *reportdef_load(const char *dir, const char *name)
{
	struct reportdef *d = xcalloc(1, sizeof(*d));
	d->path = xasprintf("%s/%s", dir, name);
	if (conf_parse_file(d->path, on_key, d)) {
		reportdef_free(d);
		return NULL;
	}
	return d;
}

struct reportdef *reportdef_load_mem(const char *buf, size_t len, const char *name)
{
	struct reportdef *d = xcalloc(1, sizeof(*d));
	d->path = xstrdup(name);
	if (conf_parse_mem(buf, len, name, on_key, d)) {
		reportdef_free(d);
		return NULL;
	}
	return d;
}

void reportdef_free(struct reportdef *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++) {
		free(d->e[i].section);
		free(d->e[i].key);
		free(d->e[i].value);
	}
	free(d->e);
	free(d->path);
	free(d);
}

static const struct rd_entry *find(const struct reportdef *d, const char *section,
				   const char *key, size_t i)
{
	for (size_t k = 0; k < d->n; k++)
		if (!strcmp(d->e[k].section, section) && !strcmp(d->e[k].key, key) && i-- == 0)
			return &d->e[k];
	return NULL;
}

size_t reportdef_count(const struct reportdef *d, const char *section, const char *key)
{
	size_t n = 0;
	for (size_t k = 0; k < d->n; k++)
		n += !strcmp(d->e[k].section, section) && !strcmp(d->e[k].key, key);
	return n;
}

const char *reportdef_nth(const struct reportdef *d, const char *section, const char *key,
			  size_t i)
{
	const struct rd_entry *e = find(d, section, key, i);
	return e ? e->value : NULL;
}

/* A key of section near the missing key (a typo the definition has
 * instead: "titel" for "title"), or NULL. */
static const struct rd_entry *near_key(const struct reportdef *d, const char *section,
				       const char *key)
{
	for (size_t k = 0; k < d->n; k++) {
		const char *one[2] = { d->e[k].key, NULL };
		if (!strcmp(d->e[k].section, section) && word_nearest(key, one) == 0)
			return &d->e[k];
	}
	return NULL;
}

const char *reportdef_get(const struct reportdef *d, const char *section, const char *key)
{
	const struct rd_entry *e = find(d, section, key, 0);
	if (!e) {
		const struct rd_entry *typo = near_key(d, section, key);
		struct src_loc at = { d->path, typo ? typo->line : 0, 0 };
		if (typo)
			diag_error(&at, "missing key '%s' in [%s]: '%s' here is not a key (a typo"
				   " of '%s'?)", key, section, typo->key, key);
		else
			diag_error(&at, "missing key '%s' in [%s]", key, section);
		return NULL;
	}
	return e->value;
}

int reportdef_require(const struct reportdef *d, const char *const *keys)
{
	int rc = 0;
	for (; *keys; keys++) {
		const char *dot = strchr(*keys, '.');
		char section[64];
		if (!dot || (size_t)(dot - *keys) >= sizeof(section))
			continue;
		snprintf(section, sizeof(section), "%.*s", (int)(dot - *keys), *keys);
		if (!find(d, section, dot + 1, 0))
			rc = (reportdef_get(d, section, dot + 1), -1);
	}
	return rc;
}

static int is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

char *reportdef_expand_nth(const struct reportdef *d, const char *section, const char *key,
			   size_t i, const struct rvar *vars, size_t n)
{
	const struct rd_entry *e = find(d, section, key, i);
	struct strbuf sb;
	const char *p;

	if (!e) {
		reportdef_get(d, section, key);
		return NULL;
	}
	strbuf_init(&sb, (size_t)REPORTDEF_MAX_OUT);
	for (p = e->value; *p; ) {
		size_t len = 0;
		if (*p == '{') {
			while (len < VAR_MAX_NAME && is_name_char(p[1 + len]))
				len++;
		}
		if (len == 0 || p[1 + len] != '}') {
			strbuf_addch(&sb, *p++);
			continue;
		}
		size_t k;
		for (k = 0; k < n; k++)
			if (strlen(vars[k].name) == len && !memcmp(vars[k].name, p + 1, len))
				break;
		if (k == n) {
			struct src_loc at = { d->path, e->line, 0 };
			diag_error(&at, "unknown placeholder '{%.*s}' in [%s] '%s'", (int)len, p + 1,
				   section, key);
			strbuf_release(&sb);
			return NULL;
		}
		/* a text over the cap is cut: the PDF layer caps it again */
		strbuf_addstr(&sb, vars[k].value ? vars[k].value : "");
		p += len + 2;
	}
	return strbuf_detach(&sb);
}

char *reportdef_expand(const struct reportdef *d, const char *section, const char *key,
		       const struct rvar *vars, size_t n)
{
	return reportdef_expand_nth(d, section, key, 0, vars, n);
}
