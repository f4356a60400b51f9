/* udaudit rules check [DIR]: load every rule pack of DIR the way analyze
 * does and print each error with its file and line. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "rules.h"

static const char *const rules_usage[] = {
	"udaudit rules check [DIR]",
	"",
	"Validates DIR/apps.ini, DIR/retention.ini and DIR/exclusions.ini (default",
	"DIR: rules). Every error names its file and line; exit 3 when any.",
	NULL
};

int cmd_rules(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = "rules";
	struct rules *r;
	int c;

	optind = 0;
	while ((c = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		if (c == 'h') {
			usage_print(stdout, rules_usage);
			return EXIT_OK;
		}
		usage_print(stderr, rules_usage);
		return EXIT_USAGE;
	}
	if (optind >= argc || strcmp(argv[optind], "check"))
		return usage_error(rules_usage, "expected 'check'");
	optind++;
	if (optind < argc)
		dir = argv[optind++];
	if (optind < argc)
		return usage_error(rules_usage, "too many arguments");
	r = rules_load(dir);
	if (!r)
		return EXIT_INPUT;
	size_t ids = 0, cls[3] = { 0, 0, 0 };
	for (size_t i = 0; i < r->napps; i++) {
		ids += r->apps[i].nids;
		cls[r->apps[i].cls]++;
	}
	char keep[ROLE_COUNT][40];
	for (int i = 0; i < ROLE_COUNT; i++) {
		if (r->retention_days[i] < 0)
			snprintf(keep[i], sizeof(keep[i]), "permanent");
		else
			snprintf(keep[i], sizeof(keep[i]), "%lld days", r->retention_days[i]);
	}
	printf("%s: ok: %zu apps (%zu approved, %zu restricted, %zu prohibited; %zu id patterns),"
	       " %zu exclusion rule%s; retention capstone %s, standard %s, support %s;"
	       " window %d days; outage %lld hours\n",
	       dir, r->napps, cls[0], cls[1], cls[2], ids, r->nexcl, r->nexcl == 1 ? "" : "s",
	       keep[ROLE_CAPSTONE], keep[ROLE_STANDARD], keep[ROLE_SUPPORT],
	       r->window_days, r->outage_seconds / 3600);
	rules_free(r);
	return EXIT_OK;
}
