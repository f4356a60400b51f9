/* Replays a fuzz target's corpus without libFuzzer: each file (or each
 * file of each directory) given goes through LLVMFuzzerTestOneInput once,
 * under the sanitizer build, so a crash found once stays fixed. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static int run_file(const char *path)
{
	FILE *fp = fopen(path, "rb");
	unsigned char *buf;
	long n;

	if (!fp) {
		perror(path);
		return -1;
	}
	if (fseek(fp, 0, SEEK_END) || (n = ftell(fp)) < 0 || fseek(fp, 0, SEEK_SET)) {
		fclose(fp);
		perror(path);
		return -1;
	}
	buf = malloc((size_t)n + 1);
	if (!buf || fread(buf, 1, (size_t)n, fp) != (size_t)n) {
		free(buf);
		fclose(fp);
		perror(path);
		return -1;
	}
	fclose(fp);
	LLVMFuzzerTestOneInput(buf, (size_t)n);
	free(buf);
	return 0;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
	unsigned long ran = 0;
	int status = 0;

	for (int i = 1; i < argc; i++) {
		struct stat sb;
		if (stat(argv[i], &sb)) {
			perror(argv[i]);
			return 1;
		}
		if (!S_ISDIR(sb.st_mode)) {
			status |= run_file(argv[i]) ? 1 : 0;
			ran++;
			continue;
		}
		DIR *d = opendir(argv[i]);
		struct dirent *e;
		char **names = NULL;
		size_t n = 0;
		if (!d) {
			perror(argv[i]);
			return 1;
		}
		while ((e = readdir(d)) != NULL) {
			if (e->d_name[0] == '.')
				continue;
			names = realloc(names, (n + 1) * sizeof(*names));
			if (!names)
				abort();
			names[n] = malloc(strlen(argv[i]) + strlen(e->d_name) + 2);
			if (!names[n])
				abort();
			sprintf(names[n++], "%s/%s", argv[i], e->d_name);
		}
		closedir(d);
		qsort(names, n, sizeof(*names), cmp);   /* same order every run */
		for (size_t k = 0; k < n; k++) {
			status |= run_file(names[k]) ? 1 : 0;
			ran++;
			free(names[k]);
		}
		free(names);
	}
	printf("%s: %lu inputs replayed\n", argv[0], ran);
	return status;
}
