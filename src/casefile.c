/* casefile: case files (see casefile.h), validated key by key so every
 * mistake names its file and line. */
#include "casefile.h"

#include <stdlib.h>
#include <string.h>

#include "analyze.h"
#include "conf.h"
#include "diag.h"
#include "timeutil.h"
#include "xalloc.h"

#define CASE_MAX_LIST 1000      /* values of one repeated key */

const char *const case_filter_columns[CF_COUNT] = {
	"office", "app", "custodian_id", "account", "device_id", "type", "class"
};
static const char *const filter_keys[CF_COUNT] = {
	"office", "app", "custodian", "account", "device", "type", "class"
};

/* For the "did you mean" of an unknown key (conf_unknown_key). */
static const char *const case_sections[] = {
	"case", "scope", "addressee", "signatory", "narrative", NULL
};
static const char *const case_keys[] = {
	"id", "title", "opened_on", "nara_letter_on", "response_due_on", "last_update_on", NULL
};
static const char *const scope_keys[] = {
	"office", "app", "custodian", "account", "device", "type", "class", "from", "to", NULL
};
static const char *const addressee_keys[] = {
	"name", "title", "organization", "office", "address", "email", "cc", NULL
};
static const char *const signatory_keys[] = { "name", "title", "phone", "email", NULL };
static const char *const narrative_keys[] = { "circumstances", "safeguards", "salvage", NULL };

struct case_loader {
	struct case_file *cf;
	const char *path;
	int seen_case, seen_sig;
};

int case_id_valid(const char *id)
{
	static const char pat[] = "UD-9999-9999";
	if (!id || strlen(id) != sizeof(pat) - 1)
		return 0;
	for (size_t i = 0; pat[i]; i++) {
		if (pat[i] == '9' ? (id[i] < '0' || id[i] > '9') : id[i] != pat[i])
			return 0;
	}
	return 1;
}

static int list_add(struct case_list *l, const char *v, const struct src_loc *at, const char *key)
{
	if (l->n >= CASE_MAX_LIST)
		return diag_error(at, "'%s' repeated more than %d times", key, CASE_MAX_LIST);
	l->v = xgrow(l->v, l->n + 1, &l->alloc, sizeof(*l->v));
	l->v[l->n++] = xstrdup(v);
	return 0;
}

static void list_free(struct case_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static int set_once(char **slot, const char *value, const struct src_loc *at, const char *key)
{
	if (*slot)
		return diag_error(at, "'%s' given twice", key);
	*slot = xstrdup(value);
	return 0;
}

/* A date key: empty is allowed (stored as NULL) unless required. */
static int set_date(char **slot, const char *value, const struct src_loc *at, const char *key)
{
	long long d;
	if (*slot)
		return diag_error(at, "'%s' given twice", key);
	if (!*value)
		return 0;
	if (time_parse_date(value, &d))
		return diag_error(at, "bad date '%s' for '%s' (expected YYYY-MM-DD)", value, key);
	*slot = xstrdup(value);
	return 0;
}

static int on_case(struct case_loader *l, const char *key, const char *value,
		   const struct src_loc *at)
{
	struct case_file *cf = l->cf;

	l->seen_case = 1;
	if (!strcmp(key, "id")) {
		if (!case_id_valid(value))
			return diag_error(at, "bad case id '%s' (expected UD-YYYY-NNNN)", value);
		return set_once(&cf->id, value, at, key);
	}
	if (!strcmp(key, "title"))
		return set_once(&cf->title, value, at, key);
	if (!strcmp(key, "opened_on"))
		return set_date(&cf->opened_on, value, at, key);
	if (!strcmp(key, "nara_letter_on"))
		return set_date(&cf->nara_letter_on, value, at, key);
	if (!strcmp(key, "response_due_on"))
		return set_date(&cf->response_due_on, value, at, key);
	if (!strcmp(key, "last_update_on"))
		return set_date(&cf->last_update_on, value, at, key);
	return conf_unknown_key(at->path, at->line, "case", key, case_keys);
}

static int on_scope(struct case_loader *l, const char *key, const char *value,
		    const struct src_loc *at)
{
	struct case_file *cf = l->cf;

	if (!strcmp(key, "from"))
		return set_date(&cf->from, value, at, key);
	if (!strcmp(key, "to"))
		return set_date(&cf->to, value, at, key);
	for (int i = 0; i < CF_COUNT; i++) {
		if (strcmp(key, filter_keys[i]))
			continue;
		if (!*value)
			return diag_error(at, "empty '%s'", key);
		/* types and classes in any case, kept as the findings store them */
		char hint[400];
		int t = i == CF_TYPE ? finding_type_from_name(value) : 0;
		int c = i == CF_CLASS ? finding_class_from_name(value) : 0;
		if (t < 0) {
			finding_type_hint(value, hint, sizeof(hint));
			return diag_error(at, "unknown finding type '%s'%s", value, hint);
		}
		if (c < 0) {
			finding_class_hint(value, hint, sizeof(hint));
			return diag_error(at, "unknown class '%s'%s", value, hint);
		}
		return list_add(&cf->scope[i], i == CF_TYPE ? finding_type_names[t] :
				i == CF_CLASS ? finding_class_names[c] : value, at, key);
	}
	return conf_unknown_key(at->path, at->line, "scope", key, scope_keys);
}

static int on_key(void *user, const char *section, const char *key, const char *value,
		  unsigned long line)
{
	struct case_loader *l = user;
	struct case_file *cf = l->cf;
	struct src_loc at = { l->path, line, 0 };

	if (!strcmp(section, "case"))
		return on_case(l, key, value, &at);
	if (!strcmp(section, "scope"))
		return on_scope(l, key, value, &at);
	if (!strcmp(section, "addressee")) {
		if (!strcmp(key, "name"))
			return set_once(&cf->to_name, value, &at, key);
		if (!strcmp(key, "title"))
			return set_once(&cf->to_title, value, &at, key);
		if (!strcmp(key, "organization"))
			return set_once(&cf->to_org, value, &at, key);
		if (!strcmp(key, "office"))
			return set_once(&cf->to_office, value, &at, key);
		if (!strcmp(key, "email"))
			return set_once(&cf->to_email, value, &at, key);
		if (!strcmp(key, "address"))
			return list_add(&cf->to_address, value, &at, key);
		if (!strcmp(key, "cc"))
			return list_add(&cf->cc, value, &at, key);
		return conf_unknown_key(l->path, line, section, key, addressee_keys);
	}
	if (!strcmp(section, "signatory")) {
		l->seen_sig = 1;
		if (!strcmp(key, "name"))
			return set_once(&cf->sig_name, value, &at, key);
		if (!strcmp(key, "title"))
			return set_once(&cf->sig_title, value, &at, key);
		if (!strcmp(key, "phone"))
			return set_once(&cf->sig_phone, value, &at, key);
		if (!strcmp(key, "email"))
			return set_once(&cf->sig_email, value, &at, key);
		return conf_unknown_key(l->path, line, section, key, signatory_keys);
	}
	if (!strcmp(section, "narrative")) {
		struct case_list *const lists[] = { &cf->circumstances, &cf->safeguards, &cf->salvage };
		int k = -1;
		for (int i = 0; narrative_keys[i]; i++)
			if (!strcmp(key, narrative_keys[i]))
				k = i;
		if (k < 0)
			return conf_unknown_key(l->path, line, section, key, narrative_keys);
		return *value ? list_add(lists[k], value, &at, key) : 0;
	}
	return conf_unknown_section(l->path, line, section, case_sections);
}

/* What a whole file must have; checked after parsing (no line to name). */
static int check_complete(struct case_loader *l)
{
	struct case_file *cf = l->cf;
	struct src_loc at = { l->path, 0, 0 };
	int rc = 0;
	long long a, b;

	if (!cf->id)
		rc = diag_error(&at, "missing 'id' in [case]");
	if (!cf->sig_name || !cf->sig_title)
		rc = diag_error(&at, "missing '%s' in [signatory] (the official authorized to"
				" sign records schedules, 36 CFR 1220.34(b))",
				!cf->sig_name ? "name" : "title");
	if (!cf->to_name && !cf->to_org)
		rc = diag_error(&at, "[addressee] needs a 'name' or an 'organization'");
	if (cf->from && cf->to && !time_parse_date(cf->from, &a) &&
	    !time_parse_date(cf->to, &b) && a > b)
		rc = diag_error(&at, "[scope] 'from' %s is after 'to' %s", cf->from, cf->to);
	return rc;
}

static int finish(struct case_loader *l, int rc)
{
	if (!rc)
		rc = check_complete(l);
	if (rc)
		case_release(l->cf);
	return rc ? -1 : 0;
}

int case_load(const char *path, struct case_file *cf)
{
	struct case_loader l = { cf, path, 0, 0 };
	memset(cf, 0, sizeof(*cf));
	cf->path = xstrdup(path);
	return finish(&l, conf_parse_file(path, on_key, &l));
}

int case_load_mem(const char *buf, size_t len, const char *name, struct case_file *cf)
{
	struct case_loader l = { cf, name, 0, 0 };
	memset(cf, 0, sizeof(*cf));
	cf->path = xstrdup(name);
	return finish(&l, conf_parse_mem(buf, len, name, on_key, &l));
}

void case_release(struct case_file *cf)
{
	char **strs[] = {
		&cf->path, &cf->id, &cf->title, &cf->opened_on, &cf->nara_letter_on,
		&cf->response_due_on, &cf->last_update_on, &cf->from, &cf->to,
		&cf->to_name, &cf->to_title, &cf->to_org, &cf->to_office, &cf->to_email,
		&cf->sig_name, &cf->sig_title, &cf->sig_phone, &cf->sig_email,
	};
	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
		free(*strs[i]);
		*strs[i] = NULL;
	}
	for (int i = 0; i < CF_COUNT; i++)
		list_free(&cf->scope[i]);
	list_free(&cf->to_address);
	list_free(&cf->cc);
	list_free(&cf->circumstances);
	list_free(&cf->safeguards);
	list_free(&cf->salvage);
}
