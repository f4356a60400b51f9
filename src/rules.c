/* rules: the rule packs. Each file is read through conf (inih with real
 * line numbers and joined continuation lines); every pattern is compiled
 * once with pattern_new (PCRE2, limits). Errors name file and line and do
 * not stop the load, so `rules check` shows them all at once. */
#include "rules.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "conf.h"
#include "diag.h"
#include "hash.h"
#include "pattern.h"
#include "strbuf.h"
#include "xalloc.h"

const char *const app_class_names[3] = { "approved", "restricted", "prohibited" };
const char *const role_names[ROLE_COUNT] = { "capstone", "standard", "support" };

enum role_kind role_from_name(const char *name)
{
	for (int i = 0; name && i < ROLE_COUNT; i++)
		if (!strcmp(name, role_names[i]))
			return (enum role_kind)i;
	return ROLE_STANDARD;   /* spec 4.2: an unknown account counts as standard */
}

struct loader {
	struct rules *r;
	const char *path;               /* for messages */
	int failed;
	size_t napps_alloc, nexcl_alloc;
	unsigned char *has_class;       /* per app: 0 no, 1 yes, 2 a bad one (reported) */
	unsigned char excl_bad[RULES_MAX_EXCLUSIONS];   /* a bad pattern was reported */
};

/* Print FILE:LINE: error: ... and mark the load failed; returns -1. */
#define fail(l, line, ...) \
	((l)->failed = 1, diag_error(&(struct src_loc){ (l)->path, (line), 0 }, __VA_ARGS__))

static int add_pattern(struct loader *l, unsigned long line, const char *what,
		       const char *name, const char *src, unsigned flags,
		       struct pattern ***arr, size_t *n)
{
	char err[300];
	struct pattern *p;

	if (!*src)
		return fail(l, line, "%s '%s': empty pattern", what, name);
	p = pattern_new(src, flags, err, sizeof(err));
	if (!p)
		return fail(l, line, "%s '%s': bad pattern: %s", what, name, err);
	pattern_set_origin(p, l->path, line);
	*arr = xrealloc(*arr, (*n + 1) * sizeof(**arr));
	(*arr)[(*n)++] = p;
	return 0;
}

static int yes_no(const char *v)
{
	return !strcmp(v, "yes") ? 1 : !strcmp(v, "no") ? 0 : -1;
}

/* ---- apps.ini ---- */

static struct rule_app *find_or_add_app(struct loader *l, const char *key, unsigned long line)
{
	struct rules *r = l->r;

	for (size_t i = 0; i < r->napps; i++)
		if (!strcmp(r->apps[i].key, key))
			return &r->apps[i];
	size_t old = l->napps_alloc;
	r->apps = xgrow(r->apps, r->napps + 1, &l->napps_alloc, sizeof(*r->apps));
	if (l->napps_alloc != old) {
		l->has_class = xrealloc(l->has_class, l->napps_alloc);
	}
	struct rule_app *a = &r->apps[r->napps];
	memset(a, 0, sizeof(*a));
	a->key = xstrdup(key);
	a->line = line;
	l->has_class[r->napps] = 0;
	r->napps++;
	return a;
}

static int valid_app_key(const char *k)
{
	if (!*k)
		return 0;
	for (const char *p = k; *p; p++)
		if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) && *p != '_')
			return 0;
	return 1;
}

static int on_app(void *user, const char *section, const char *key, const char *value,
		  unsigned long line)
{
	struct loader *l = user;
	struct rule_app *a;

	if (!*section)
		return fail(l, line, "key '%s' outside an [app] section", key);
	if (!valid_app_key(section))
		return fail(l, line, "bad app key '%s' (expected lowercase letters, digits and _)",
			    section);
	a = find_or_add_app(l, section, line);
	if (!strcmp(key, "ids"))
		return add_pattern(l, line, "app", section, value, PAT_CASELESS, &a->ids, &a->nids);
	if (!strcmp(key, "names"))
		return add_pattern(l, line, "app", section, value, PAT_CASELESS, &a->names,
				   &a->nnames);
	if (!strcmp(key, "class")) {
		size_t idx = (size_t)(a - l->r->apps);
		if (l->has_class[idx])
			return fail(l, line, "app '%s': 'class' given twice", section);
		for (int i = 0; i < 3; i++) {
			if (!strcmp(value, app_class_names[i])) {
				a->cls = (enum app_class)i;
				l->has_class[idx] = 1;
				return 0;
			}
		}
		l->has_class[idx] = 2;
		return fail(l, line, "app '%s': bad class '%s' (expected approved, restricted or prohibited)",
			    section, value);
	}
	if (!strcmp(key, "records")) {
		if (!strcmp(value, "yes") || !strcmp(value, "transitory")) {
			a->transitory = !strcmp(value, "transitory");
			return 0;
		}
		return fail(l, line, "app '%s': bad records '%s' (expected yes or transitory)",
			    section, value);
	}
	if (!strcmp(key, "ephemeral")) {
		int v = yes_no(value);
		if (v < 0)
			return fail(l, line, "app '%s': bad ephemeral '%s' (expected yes or no)",
				    section, value);
		a->ephemeral = v;
		return 0;
	}
	return fail(l, line, "app '%s': unknown key '%s' (expected ids, names, class, records or ephemeral)",
		    section, key);
}

/* ---- retention.ini ---- */

static int parse_whole(const char *v, long long lo, long long hi, long long *out)
{
	char *end;
	long long n;

	if (!*v || !isdigit((unsigned char)*v))
		return -1;
	errno = 0;
	n = strtoll(v, &end, 10);
	if (errno || *end || n < lo || n > hi)
		return -1;
	*out = n;
	return 0;
}

static int on_retention(void *user, const char *section, const char *key, const char *value,
			unsigned long line)
{
	struct loader *l = user;
	long long n;

	if (!strcmp(section, "retention")) {
		for (int i = 0; i < ROLE_COUNT; i++) {
			if (strcmp(key, role_names[i]))
				continue;
			if (!strcmp(value, "permanent")) {
				l->r->retention_days[i] = -1;
				return 0;
			}
			if (parse_whole(value, 1, 1000000, &n))
				return fail(l, line, "bad retention '%s' for '%s' (expected a number of days or permanent)",
					    value, key);
			l->r->retention_days[i] = n;
			return 0;
		}
		return fail(l, line, "unknown role '%s' in [retention] (expected capstone, standard or support)",
			    key);
	}
	if (!strcmp(section, "detection")) {
		if (!strcmp(key, "window_days")) {
			if (parse_whole(value, 0, 3650, &n))
				return fail(l, line, "bad window_days '%s' (expected 0 to 3650)", value);
			l->r->window_days = (int)n;
			return 0;
		}
		if (!strcmp(key, "outage_hours")) {
			if (parse_whole(value, 1, 87600, &n))
				return fail(l, line, "bad outage_hours '%s' (expected 1 to 87600)", value);
			l->r->outage_seconds = n * 3600;
			return 0;
		}
		return fail(l, line, "unknown key '%s' in [detection] (expected window_days or outage_hours)",
			    key);
	}
	if (!*section)
		return fail(l, line, "key '%s' outside a section", key);
	return fail(l, line, "unknown section '[%s]' (expected [retention] or [detection])", section);
}

/* ---- exclusions.ini ---- */

static const char *const excl_keys[EX_FIELDS] = { "account", "peer", "conversation" };

static int on_exclusion(void *user, const char *section, const char *key, const char *value,
			unsigned long line)
{
	struct loader *l = user;
	struct rules *r = l->r;
	struct rule_exclusion *e = NULL;

	if (!*section)
		return fail(l, line, "key '%s' outside an [exclusion] section", key);
	for (size_t i = 0; i < r->nexcl; i++)
		if (!strcmp(r->excl[i].name, section))
			e = &r->excl[i];
	if (!e) {
		if (r->nexcl >= RULES_MAX_EXCLUSIONS)
			return fail(l, line, "more than %d exclusion rules", RULES_MAX_EXCLUSIONS);
		r->excl = xgrow(r->excl, r->nexcl + 1, &l->nexcl_alloc, sizeof(*r->excl));
		e = &r->excl[r->nexcl++];
		memset(e, 0, sizeof(*e));
		e->name = xstrdup(section);
		e->line = line;
	}
	for (int f = 0; f < EX_FIELDS; f++) {
		if (strcmp(key, excl_keys[f]))
			continue;
		if (add_pattern(l, line, "exclusion", section, value, 0, &e->pat[f], &e->npat[f])) {
			l->excl_bad[e - r->excl] = 1;
			return -1;
		}
		return 0;
	}
	l->excl_bad[e - r->excl] = 1;
	return fail(l, line, "exclusion '%s': unknown key '%s' (expected account, peer or conversation)",
		    section, key);
}

/* ---- loading ---- */

static struct rules *rules_new(const char *dir)
{
	struct rules *r = xcalloc(1, sizeof(*r));

	r->dir = xstrdup(dir);
	r->retention_days[ROLE_CAPSTONE] = -1;
	r->retention_days[ROLE_STANDARD] = 2555;
	r->retention_days[ROLE_SUPPORT] = 1095;
	r->window_days = 20;
	r->outage_seconds = 24 * 3600;
	return r;
}

static void check_apps(struct loader *l)
{
	for (size_t i = 0; i < l->r->napps; i++)
		if (!l->has_class[i])
			fail(l, l->r->apps[i].line, "app '%s': no 'class'", l->r->apps[i].key);
}

static void check_exclusions(struct loader *l)
{
	for (size_t i = 0; i < l->r->nexcl; i++) {
		const struct rule_exclusion *e = &l->r->excl[i];
		if (!e->npat[0] && !e->npat[1] && !e->npat[2] && !l->excl_bad[i])
			fail(l, e->line, "exclusion '%s': no pattern", e->name);
	}
}



struct rules *rules_load(const char *dir)
{
	static const char *const files[] = { "apps.ini", "retention.ini", "exclusions.ini" };
	static const conf_handler handlers[] = { on_app, on_retention, on_exclusion };
	struct rules *r = rules_new(dir);
	struct loader l = { r, NULL, 0, 0, 0, NULL, { 0 } };
	struct strbuf digests = STRBUF_INIT;
	struct stat sb;

	for (int i = 0; i < 3; i++) {
		char *path = xasprintf("%s/%s", dir, files[i]);
		char hex[SHA256_HEX_LEN];

		l.path = path;
		if (stat(path, &sb) != 0) {
			if (i == 0) {
				struct src_loc at = { path, 0, 0 };
				diag_error(&at, "cannot open: %s (a rules directory needs apps.ini)",
					   strerror(errno));
				l.failed = 1;
			}
			free(path);
			continue;
		}
		if (!S_ISREG(sb.st_mode)) {
			/* a folder or device where a pack file should be: fatal
			   (exit 3), never read as an empty pack */
			struct src_loc at = { path, 0, 0 };
			diag_error(&at, "not a regular file (a rule pack file must be one)");
			l.failed = 1;
			free(path);
			continue;
		}
		/* read once: what is parsed is what is hashed and kept */
		size_t len;
		char *text = conf_read_file(path, &len);
		if (!text || conf_parse_mem(text, len, path, handlers[i], &l))
			l.failed = 1;
		if (i == 0)
			check_apps(&l);
		if (i == 2)
			check_exclusions(&l);
		if (text) {
			struct rule_pack *p = &r->packs[r->npacks++];
			sha256_mem(text, len, hex);
			strbuf_addf(&digests, "%s %s\n", files[i], hex);
			p->file = files[i];
			memcpy(p->sha256, hex, sizeof(p->sha256));
			p->text = text;
			p->len = len;
		}
		free(path);
	}
	sha256_mem(digests.buf, digests.len, r->sha256);
	strbuf_release(&digests);
	free(l.has_class);
	if (l.failed) {
		rules_free(r);
		return NULL;
	}
	return r;
}

struct rules *rules_load_mem(const char *apps, const char *retention, const char *exclusions)
{
	const char *texts[3] = { apps, retention, exclusions };
	static const char *const names[] = { "apps.ini", "retention.ini", "exclusions.ini" };
	static const conf_handler handlers[] = { on_app, on_retention, on_exclusion };
	struct rules *r = rules_new("(memory)");
	struct loader l = { r, NULL, 0, 0, 0, NULL, { 0 } };

	for (int i = 0; i < 3; i++) {
		if (!texts[i])
			continue;
		l.path = names[i];
		if (conf_parse_mem(texts[i], strlen(texts[i]), names[i], handlers[i], &l))
			l.failed = 1;
		struct rule_pack *p = &r->packs[r->npacks++];
		p->file = names[i];
		p->len = strlen(texts[i]);
		p->text = xstrndup(texts[i], p->len);
		sha256_mem(p->text, p->len, p->sha256);
		if (i == 0)
			check_apps(&l);
		if (i == 2)
			check_exclusions(&l);
	}
	free(l.has_class);
	if (l.failed) {
		rules_free(r);
		return NULL;
	}
	return r;
}

void rules_free(struct rules *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->npacks; i++)
		free(r->packs[i].text);
	for (size_t i = 0; i < r->napps; i++) {
		struct rule_app *a = &r->apps[i];
		for (size_t k = 0; k < a->nids; k++)
			pattern_free(a->ids[k]);
		for (size_t k = 0; k < a->nnames; k++)
			pattern_free(a->names[k]);
		free(a->ids);
		free(a->names);
		free(a->key);
	}
	free(r->apps);
	for (size_t i = 0; i < r->nexcl; i++) {
		for (int f = 0; f < EX_FIELDS; f++) {
			for (size_t k = 0; k < r->excl[i].npat[f]; k++)
				pattern_free(r->excl[i].pat[f][k]);
			free(r->excl[i].pat[f]);
		}
		free(r->excl[i].name);
	}
	free(r->excl);
	free(r->dir);
	free(r);
}

const struct rule_app *rules_app(const struct rules *r, const char *key)
{
	if (!key)
		return NULL;
	for (size_t i = 0; i < r->napps; i++)
		if (!strcmp(r->apps[i].key, key))
			return &r->apps[i];
	return NULL;
}

static int any_match(struct pattern *const *p, size_t n, const char *s)
{
	size_t len = strlen(s);
	for (size_t i = 0; i < n; i++)
		if (pattern_match(p[i], s, len))
			return 1;
	return 0;
}

const struct rule_app *rules_app_for_id(const struct rules *r, const char *app_id,
					const char *app_name)
{
	if (app_id && *app_id)
		for (size_t i = 0; i < r->napps; i++)
			if (any_match(r->apps[i].ids, r->apps[i].nids, app_id))
				return &r->apps[i];
	if (app_name && *app_name)
		for (size_t i = 0; i < r->napps; i++)
			if (any_match(r->apps[i].names, r->apps[i].nnames, app_name))
				return &r->apps[i];
	return NULL;
}

uint64_t rules_excl_match(const struct rules *r, enum excl_field f, const char *s)
{
	uint64_t m = 0;

	if (!s || !*s)
		return 0;
	for (size_t i = 0; i < r->nexcl; i++)
		if (r->excl[i].npat[f] && any_match(r->excl[i].pat[f], r->excl[i].npat[f], s))
			m |= (uint64_t)1 << i;
	return m;
}

int rules_excluded(const struct rules *r, const uint64_t masks[EX_FIELDS])
{
	for (size_t i = 0; i < r->nexcl; i++) {
		uint64_t bit = (uint64_t)1 << i;
		int ok = 1;
		for (int f = 0; f < EX_FIELDS && ok; f++)
			if (r->excl[i].npat[f] && !(masks[f] & bit))
				ok = 0;
		if (ok)
			return 1;
	}
	return 0;
}

unsigned long rules_gave_up(const struct rules *r)
{
	unsigned long n = 0;

	for (size_t i = 0; i < r->napps; i++) {
		for (size_t k = 0; k < r->apps[i].nids; k++)
			n += pattern_gave_up(r->apps[i].ids[k]);
		for (size_t k = 0; k < r->apps[i].nnames; k++)
			n += pattern_gave_up(r->apps[i].names[k]);
	}
	for (size_t i = 0; i < r->nexcl; i++)
		for (int f = 0; f < EX_FIELDS; f++)
			for (size_t k = 0; k < r->excl[i].npat[f]; k++)
				n += pattern_gave_up(r->excl[i].pat[f][k]);
	return n;
}

unsigned long rules_disabled(const struct rules *r)
{
	unsigned long n = 0;

	for (size_t i = 0; i < r->napps; i++) {
		for (size_t k = 0; k < r->apps[i].nids; k++)
			n += (unsigned long)pattern_disabled(r->apps[i].ids[k]);
		for (size_t k = 0; k < r->apps[i].nnames; k++)
			n += (unsigned long)pattern_disabled(r->apps[i].names[k]);
	}
	for (size_t i = 0; i < r->nexcl; i++)
		for (int f = 0; f < EX_FIELDS; f++)
			for (size_t k = 0; k < r->excl[i].npat[f]; k++)
				n += (unsigned long)pattern_disabled(r->excl[i].pat[f][k]);
	return n;
}
