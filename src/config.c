/* config: audit.ini through conf (inih), validated with file:line errors. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf.h"
#include "diag.h"
#include "kinds.h"
#include "suggest.h"
#include "timeutil.h"
#include "xalloc.h"

char *path_dirname(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

/* Drop "." segments and fold "name/.." pairs, lexically (no symlinks are
 * followed): "samples/../out/audit.db" is "out/audit.db", so manifests and
 * messages show the path a person would write. */
static void path_normalize(char *p)
{
	char *seg[256];
	int n = 0, abs = p[0] == '/';
	char *save = NULL, *out = p;

	if (!*p)
		return;                 /* "" has no room for "." (and stays an empty path) */
	for (char *s = strtok_r(p, "/", &save); s; s = strtok_r(NULL, "/", &save)) {
		if (!strcmp(s, "."))
			continue;
		if (!strcmp(s, "..") && n > 0 && strcmp(seg[n - 1], ".."))
			n--;
		else if (!strcmp(s, "..") && abs)
			continue;               /* "/.." is "/" */
		else if (n < 256)
			seg[n++] = s;
	}
	/* segments point into p, in order, so copying forward is safe */
	if (abs)
		*out++ = '/';
	for (int i = 0; i < n; i++) {
		size_t len = strlen(seg[i]);
		if (i)
			*out++ = '/';
		memmove(out, seg[i], len);
		out += len;
	}
	if (out == p)
		*out++ = '.';
	*out = '\0';
}

char *path_resolve(const char *dir, const char *path)
{
	char *p;

	if (path[0] == '/' || !strcmp(dir, "."))
		p = xstrdup(path);
	else
		p = xasprintf("%s/%s", dir, path);
	path_normalize(p);
	return p;
}

static int is_dir(const char *p)
{
	struct stat sb;
	return stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

char *data_dir(const char *name)
{
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *bin, *p = NULL;

	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	bin = path_dirname(exe);
	/* installed; the build tree's ./udaudit; its build-san/, build-clang/ */
	for (int i = 0; !p && i < 3; i++) {
		p = i == 0 ? xasprintf("%s/../share/udaudit/%s", bin, name)
		  : i == 1 ? xasprintf("%s/%s", bin, name) : xasprintf("%s/../%s", bin, name);
		path_normalize(p);
		if (!is_dir(p)) {
			free(p);
			p = NULL;
		}
	}
	free(bin);
	return p;
}

char *config_data_dir(const struct audit_config *cfg, const char *name)
{
	for (int i = 0; i < 2; i++) {
		char *p = xasprintf("%s/%s%s", cfg->dir, i ? "../" : "", name);
		path_normalize(p);
		if (is_dir(p))
			return p;
		free(p);
	}
	return data_dir(name);
}

int quarter_end(const char *q, char *out)
{
	static const char *const ends[] = { "03-31", "06-30", "09-30", "12-31" };
	if (strlen(q) != 6 || q[4] != 'Q' || q[5] < '1' || q[5] > '4')
		return -1;
	for (int i = 0; i < 4; i++)
		if (q[i] < '0' || q[i] > '9')
			return -1;
	snprintf(out, TIME_DATE_LEN, "%.4s-%s", q, ends[q[5] - '1']);
	return 0;
}

/* Split "PATH [key=value ...]" into words; double quotes group. */
static int split_words(const char *v, char ***words, int *n)
{
	size_t alloc = 0;
	*words = NULL;
	*n = 0;
	while (*v) {
		char *w, *o;
		while (*v == ' ' || *v == '\t')
			v++;
		if (!*v)
			break;
		w = o = xmalloc(strlen(v) + 1);
		int quoted = 0;
		while (*v && (quoted || (*v != ' ' && *v != '\t'))) {
			if (*v == '"')
				quoted = !quoted;
			else
				*o++ = *v;
			v++;
		}
		*o = '\0';
		if (quoted) {
			free(w);
			return -1;
		}
		*words = xgrow(*words, (size_t)*n + 1, &alloc, sizeof(**words));
		(*words)[(*n)++] = w;
	}
	return 0;
}

static void free_words(char **w, int n)
{
	for (int i = 0; i < n; i++)
		free(w[i]);
	free(w);
}

struct loader {
	struct audit_config *cfg;
};

static int set_once(char **slot, const char *value, const struct src_loc *at, const char *key)
{
	if (*slot)
		return diag_error(at, "'%s' given twice", key);
	*slot = xstrdup(value);
	return 0;
}

static int add_input(struct audit_config *cfg, const char *key, const char *value,
		     const struct src_loc *at)
{
	char kind[64], **w;
	int n;
	struct audit_input *in;

	snprintf(kind, sizeof(kind), "%s", key);
	for (char *p = kind; *p; p++)
		if (*p == '_')
			*p = '-';
	const struct ingest_kind *k = ingest_find_kind(kind);
	if (!k) {
		char hint[600];
		ingest_kind_hint(kind, hint, sizeof(hint));
		return diag_error(at, "unknown input kind '%s'%s", key, hint);
	}
	int unterminated = split_words(value, &w, &n);
	if (unterminated || n == 0) {
		if (w)
			free_words(w, n);
		return diag_error(at, unterminated ? "input '%s': unterminated quote" :
				  "input '%s' has no file", key);
	}
	for (int i = 1; i < n; i++) {
		if (!strchr(w[i], '=') || w[i][0] == '=') {
			diag_error(at, "input option '%s' is not key=value", w[i]);
			free_words(w, n);
			return -1;
		}
	}
	cfg->inputs = xgrow(cfg->inputs, cfg->ninputs + 1, &cfg->inputs_alloc, sizeof(*in));
	in = &cfg->inputs[cfg->ninputs++];
	memset(in, 0, sizeof(*in));     /* config_key is set later, or never */
	in->kind = xstrdup(k->name);    /* the kind's own spelling, e.g. device-apps */
	in->path = path_resolve(cfg->dir, w[0]);
	in->given = path_resolve(".", w[0]);
	in->line = at->line;
	in->nopt = n - 1;
	in->opt = xcalloc((size_t)n, sizeof(*in->opt));
	in->opt_given = xcalloc((size_t)n, sizeof(*in->opt_given));
	for (int i = 1; i < n; i++) {
		char *eq = strchr(w[i], '=');
		int is_path;
		in->opt[i - 1].key = xstrndup(w[i], (size_t)(eq - w[i]));
		/* a file option is relative to audit.ini, as the input is; the
		   manifest names it as written, as it names the input */
		is_path = eq[1] && ingest_option_is_path(k, in->opt[i - 1].key);
		in->opt[i - 1].value = is_path ? path_resolve(cfg->dir, eq + 1) : xstrdup(eq + 1);
		in->opt_given[i - 1] = is_path ? path_resolve(".", eq + 1) : NULL;
	}
	free_words(w, n);
	return ingest_check_options(k, in->opt, in->nopt, at);
}

/* The sections and keys audit.ini takes (an unknown one is an error that
 * names the nearest: a typo never drops a setting silently). */
static const char *const sections[] = { "audit", "inputs", "rules", "tracker", "output", NULL };
static const char *const audit_keys[] = { "agency", "component", "quarter", "as_of", "db", NULL };
static const char *const rules_keys[] = { "dir", NULL };
static const char *const tracker_keys[TRACK_COUNT + 1] = {
	"recommendations", "actions", "updates", "cases", NULL
};
static const char *const output_keys[] = {
	"dir", "cases", "case", "redact", "letter_date", NULL
};

static int set_path(char **slot, const struct audit_config *c, const char *value,
		    const struct src_loc *at, const char *key)
{
	if (*slot)
		return diag_error(at, "'%s' given twice", key);
	*slot = path_resolve(c->dir, value);
	return 0;
}

static int on_audit(struct audit_config *c, const char *key, const char *value,
		    const struct src_loc *at)
{
	long long d;
	char end[TIME_DATE_LEN];

	switch (word_index(key, audit_keys)) {
	case 0:
		return set_once(&c->agency, value, at, key);
	case 1:
		return set_once(&c->component, value, at, key);
	case 2:
		if (quarter_end(value, end))
			return diag_error(at, "bad quarter '%s' (expected YYYYQn)", value);
		return set_once(&c->quarter, value, at, key);
	case 3:
		if (time_parse_date(value, &d))
			return diag_error(at, "bad date '%s' for 'as_of' (expected YYYY-MM-DD)", value);
		return set_once(&c->as_of, value, at, key);
	case 4:
		return set_path(&c->db, c, value, at, key);
	}
	return conf_unknown_key(at->path, at->line, "audit", key, audit_keys);
}

static int on_output(struct audit_config *c, const char *key, const char *value,
		     const struct src_loc *at)
{
	long long d;

	switch (word_index(key, output_keys)) {
	case 0:
		return set_path(&c->output_dir, c, value, at, key);
	case 1:
	case 2:
		c->cases = xgrow(c->cases, c->ncases + 1, &c->cases_alloc, sizeof(*c->cases));
		c->cases[c->ncases++] = path_resolve(c->dir, value);
		return 0;
	case 3:
		if (strcmp(value, "yes") && strcmp(value, "no"))
			return diag_error(at, "bad value '%s' for 'redact' (expected yes or no)", value);
		c->redact = !strcmp(value, "yes");
		return 0;
	case 4:
		if (c->letter_date)
			return diag_error(at, "'letter_date' given twice");
		if (time_parse_date(value, &d))
			return diag_error(at, "bad date '%s' for 'letter_date' (expected"
					  " YYYY-MM-DD)", value);
		c->letter_date = xstrdup(value);
		return 0;
	}
	return conf_unknown_key(at->path, at->line, "output", key, output_keys);
}

static int on_key(void *user, const char *section, const char *key, const char *value,
		  unsigned long line)
{
	struct loader *l = user;
	struct audit_config *c = l->cfg;
	struct src_loc at = { c->path, line, 0 };
	int i;

	switch (word_index(section, sections)) {
	case 0:
		return on_audit(c, key, value, &at);
	case 1:
		return add_input(c, key, value, &at);
	case 2:
		if (word_index(key, rules_keys) == 0)
			return set_path(&c->rules_dir, c, value, &at, key);
		return conf_unknown_key(c->path, line, section, key, rules_keys);
	case 3:
		i = word_index(key, tracker_keys);
		if (i < 0)
			return conf_unknown_key(c->path, line, section, key, tracker_keys);
		if (c->tracker[i])
			return diag_error(&at, "'%s' given twice", key);
		if (!*value)
			return diag_error(&at, "'%s' has no file", key);
		c->tracker[i] = path_resolve(c->dir, value);
		c->tracker_given[i] = path_resolve(".", value);
		return 0;
	case 4:
		return on_output(c, key, value, &at);
	}
	return conf_unknown_section(c->path, line, section, sections);
}

/* An [inputs] key used once names its input: a new file under it
 * supersedes the old one (ingest.h, config_key). */
static void set_config_keys(struct audit_config *cfg)
{
	char *abs = realpath(cfg->path, NULL);

	for (size_t i = 0; abs && i < cfg->ninputs; i++) {
		size_t uses = 0;
		for (size_t j = 0; j < cfg->ninputs; j++)
			uses += !strcmp(cfg->inputs[i].kind, cfg->inputs[j].kind);
		if (uses == 1)
			cfg->inputs[i].config_key = xasprintf("%s#%s", abs, cfg->inputs[i].kind);
	}
	free(abs);
}

int config_load(const char *path, struct audit_config *cfg)
{
	struct loader l = { cfg };
	int rc;

	memset(cfg, 0, sizeof(*cfg));
	cfg->path = xstrdup(path);
	cfg->dir = path_dirname(path);
	rc = conf_parse_file(path, on_key, &l);
	if (rc) {
		config_release(cfg);    /* nothing half-loaded for the caller to free */
		return -1;
	}
	set_config_keys(cfg);
	if (!cfg->as_of && cfg->quarter) {
		char end[TIME_DATE_LEN];
		quarter_end(cfg->quarter, end);
		cfg->as_of = xstrdup(end);      /* spec 4: default, end of the quarter */
	}
	if (!cfg->rules_dir)
		cfg->rules_dir = config_data_dir(cfg, "rules");   /* never ./rules */
	if (!cfg->db)
		cfg->db = path_resolve(cfg->dir, "out/audit.db");
	if (!cfg->output_dir)
		cfg->output_dir = path_resolve(cfg->dir, "out");
	return 0;
}

void config_release(struct audit_config *c)
{
	for (size_t i = 0; i < c->ninputs; i++) {
		struct audit_input *in = &c->inputs[i];
		for (int k = 0; k < in->nopt; k++) {
			free((char *)in->opt[k].key);
			free((char *)in->opt[k].value);
			free(in->opt_given ? in->opt_given[k] : NULL);
		}
		free(in->opt);
		free(in->opt_given);
		free(in->kind);
		free(in->path);
		free(in->given);
		free(in->config_key);
	}
	free(c->inputs);
	for (size_t i = 0; i < c->ncases; i++)
		free(c->cases[i]);
	free(c->cases);
	for (int i = 0; i < TRACK_COUNT; i++) {
		free(c->tracker[i]);
		free(c->tracker_given[i]);
	}
	free(c->path);
	free(c->dir);
	free(c->agency);
	free(c->component);
	free(c->quarter);
	free(c->as_of);
	free(c->db);
	free(c->rules_dir);
	free(c->output_dir);
	free(c->letter_date);
	memset(c, 0, sizeof(*c));
}
