/* udaudit rules check [DIR]: load every rule pack of DIR the way analyze
 * does and print each error with its file and line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "config.h"
#include "rules.h"

static const char *const rules_synopsis[] = { "udaudit rules check [DIR]", NULL };

static const char *const rules_notes[] = {
	"Validates DIR/apps.ini, DIR/retention.ini and DIR/exclusions.ini (default",
	"DIR: the installation's rules). Every error names its file and line; exit 3 when any.",
	NULL
};

static const struct cli_opt rules_opts[] = { { NULL, 0, NULL, NULL, CLI_ANY, 0 } };

static int rules_run(struct cli_args *a)
{
	char *inst = NULL;
	const char *dir = NULL;
	struct rules *r;

	if (a->npos < 1 || strcmp(a->pos[0], "check"))
		return cli_usage_error(a, "expected 'check'");
	if (a->npos > 2)
		return cli_usage_error(a, "too many arguments");
	if (a->npos == 2)
		dir = a->pos[1];
	if (!dir) {
		inst = data_dir("rules");      /* the installation's, never ./rules */
		dir = inst ? inst : "rules";
	}
	r = rules_load(dir);
	if (!r) {
		free(inst);
		return EXIT_INPUT;
	}
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
	free(inst);
	return EXIT_OK;
}

const struct cli_command cmd_rules = {
	"rules", rules_run, "check the rule packs (file:line errors)",
	rules_synopsis, rules_opts, rules_notes, NULL, NULL, 0,
};
