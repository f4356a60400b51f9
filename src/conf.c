/* conf: Debian's inih r55 with our own line reader (ini_parse_stream), so
 * that (1) the handler knows the real line, (2) a line over inih's 199-byte
 * buffer is an error instead of being split into a phantom line, and
 * (3) continuation lines are joined into one value. */
#include "conf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ini.h>

#include "diag.h"
#include "files.h"
#include "strbuf.h"
#include "suggest.h"
#include "xalloc.h"

#define CONF_MAX_FILE (4 << 20)
#define CONF_MAX_VALUE (64 * 1024)
#define CONF_MAX_SECTION 48     /* inih r55 keeps 49 bytes of a section name */

struct conf_src {
	const char *name;
	const char *buf;
	size_t len, pos;
	unsigned long line;
	int indented;           /* the last line began with white space */
	int failed;
	conf_handler handler;
	void *user;
	/* the key waiting for continuation lines */
	char *p_section, *p_key;
	struct strbuf p_value;
	unsigned long p_line;
	int pending;
	int p_overflow;         /* its value passed the cap (said once) */
};

static void conf_err(struct conf_src *src, unsigned long line, const char *msg)
{
	struct src_loc at = { src->name, line, 0 };
	diag_error(&at, "%s", msg);
	src->failed = 1;
}

static char *conf_read(char *buf, int size, void *stream)
{
	struct conf_src *src = stream;
	const char *p, *nl;
	size_t n, take;

	if (src->pos >= src->len)
		return NULL;
	p = src->buf + src->pos;
	nl = memchr(p, '\n', src->len - src->pos);
	n = nl ? (size_t)(nl - p) + 1 : src->len - src->pos;
	src->pos += n;
	src->line++;
	src->indented = n && (p[0] == ' ' || p[0] == '\t');
	if (n > (size_t)size - 1) {
		char msg[128];
		snprintf(msg, sizeof(msg), "line longer than %d characters (continue a long value"
			 " on the next lines, each indented)", CONF_MAX_LINE - 1);
		conf_err(src, src->line, msg);
		buf[0] = '\n';          /* inih sees a blank line: no phantom key */
		buf[1] = '\0';
		return buf;
	}
	take = n;
	memcpy(buf, p, take);
	buf[take] = '\0';
	if (memchr(p, '\0', take)) {
		conf_err(src, src->line, "NUL byte in line");
		buf[0] = '\n';
		buf[1] = '\0';
		return buf;
	}
	/* a section header whose name inih would truncate */
	const char *s = buf;
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '[') {
		const char *end = strchr(s, ']');
		size_t len = end ? (size_t)(end - s - 1) : strlen(s + 1);
		if (len > CONF_MAX_SECTION) {
			char msg[64];
			snprintf(msg, sizeof(msg), "section name longer than %d characters",
				 CONF_MAX_SECTION);
			conf_err(src, src->line, msg);
			buf[0] = '\n';
			buf[1] = '\0';
		}
	}
	return buf;
}

static int flush(struct conf_src *src)
{
	int rc = 0;

	if (!src->pending)
		return 0;
	src->pending = 0;
	if (src->handler(src->user, src->p_section, src->p_key, src->p_value.buf,
			 src->p_line) < 0) {
		src->failed = 1;
		rc = -1;
	}
	free(src->p_section);
	free(src->p_key);
	src->p_section = src->p_key = NULL;
	strbuf_reset(&src->p_value);
	return rc;
}

static int on_key(void *user, const char *section, const char *name, const char *value)
{
	struct conf_src *src = user;

	if (src->pending && src->indented && !strcmp(name, src->p_key) &&
	    !strcmp(section, src->p_section)) {
		/* inih r55 leaves an inline " ;" comment on a continuation
		   line (r56 strips it): strip it as on the key's own line */
		size_t n = 0;
		for (int was_space = 0; value[n]; n++) {
			if (was_space && value[n] == ';')
				break;
			was_space = value[n] == ' ' || value[n] == '\t';
		}
		while (n && (value[n - 1] == ' ' || value[n - 1] == '\t'))
			n--;
		if (!src->p_overflow &&
		    ((src->p_value.len && n && strbuf_addch(&src->p_value, ' ')) ||
		     strbuf_add(&src->p_value, value, n))) {
			conf_err(src, src->line, "value too long");
			src->p_overflow = 1;
		}
		return 1;
	}
	flush(src);
	src->p_section = xstrdup(section);
	src->p_key = xstrdup(name);
	src->p_line = src->line;
	src->p_overflow = 0;
	if (strbuf_addstr(&src->p_value, value))
		conf_err(src, src->line, "value too long");
	src->pending = 1;
	return 1;       /* our errors are counted in src->failed */
}

int conf_parse_mem(const char *buf, size_t len, const char *name,
		   conf_handler h, void *user)
{
	struct conf_src src;
	int rc;

	memset(&src, 0, sizeof(src));
	src.name = name;
	src.buf = buf;
	src.len = len;
	src.handler = h;
	src.user = user;
	strbuf_init(&src.p_value, CONF_MAX_VALUE);
	rc = ini_parse_stream(conf_read, &src, on_key, &src);
	flush(&src);
	strbuf_release(&src.p_value);
	/* our handler never fails, so a line number from inih is a syntax
	   error; inih r55 reports only the first one */
	if (rc > 0)
		conf_err(&src, (unsigned long)rc,
			 "syntax error (expected '[section]' or 'key = value')");
	if (rc == -2)
		return diag_error(NULL, "%s: out of memory", name);
	return src.failed || rc ? -1 : 0;
}

char *conf_read_file(const char *path, size_t *len)
{
	struct src_loc at = { path, 0, 0 };
	FILE *fp = file_open_input(path);
	char *buf;
	size_t n;
	int err;

	if (!fp)
		return NULL;
	buf = xmalloc(CONF_MAX_FILE + 1);
	n = fread(buf, 1, CONF_MAX_FILE + 1, fp);
	err = ferror(fp) ? errno : 0;
	fclose(fp);
	if (err) {
		free(buf);
		diag_error(&at, "read error: %s", strerror(err));
		return NULL;
	}
	if (n > CONF_MAX_FILE) {
		free(buf);
		diag_error(&at, "file larger than %d bytes", CONF_MAX_FILE);
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

int conf_parse_file(const char *path, conf_handler h, void *user)
{
	size_t n;
	char *buf = conf_read_file(path, &n);
	int rc;

	if (!buf)
		return -1;
	rc = conf_parse_mem(buf, n, path, h, user);
	free(buf);
	return rc;
}

int conf_unknown_key(const char *path, unsigned long line, const char *section,
		     const char *key, const char *const *valid)
{
	struct src_loc at = { path, line, 0 };
	char hint[600];

	words_hint(key, valid, hint, sizeof(hint));
	return diag_error(&at, "unknown key '%s' in [%s]%s", key, section, hint);
}

int conf_unknown_section(const char *path, unsigned long line, const char *section,
			 const char *const *valid)
{
	struct src_loc at = { path, line, 0 };
	char hint[600];

	words_hint(section, valid, hint, sizeof(hint));
	return diag_error(&at, "unknown section '[%s]'%s", section, hint);
}
