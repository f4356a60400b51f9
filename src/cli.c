/* cli: what the subcommands share. */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "diag.h"
#include "xalloc.h"

void usage_print(FILE *fp, const char *const *usage)
{
	fprintf(fp, "usage: %s\n", usage[0]);
	for (int i = 1; usage[i]; i++)
		fprintf(fp, "%s\n", usage[i]);
}

int usage_error(const char *const *usage, const char *fmt, ...)
{
	va_list ap;

	fputs("udaudit: error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	usage_print(stderr, usage);
	return EXIT_USAGE;
}

int make_dirs(const char *path)
{
	char *p = xstrdup(path);
	int rc = 0;

	for (char *s = p + 1; ; s++) {
		if (*s == '/' || !*s) {
			char c = *s;
			*s = '\0';
			if (mkdir(p, 0700) != 0 && errno != EEXIST) {
				rc = diag_error(NULL, "cannot create directory '%s': %s", p, strerror(errno));
				break;
			}
			*s = c;
			if (!c)
				break;
		}
	}
	free(p);
	return rc;
}
