/* kinds: every input kind, in the order `ingest --help` lists them. */
#include "kinds.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "suggest.h"

#include "adapters.h"
#include "tracker.h"

/* The options that name a file the loader reads (ingest.h, file_options). */
static const char *const teams_files[] = { "users", NULL };

/* The tracker kinds keep every version (keep_versions = 1): their rows
 * follow issue 11's re-import rules, and a dated update is never undone. */
const struct ingest_kind ingest_kinds[] = {
	{ "accounts", load_accounts, "messaging accounts (accounts.csv, spec 3.1)", 0, 0, NULL },
	{ "devices", load_devices, "device inventory (devices.csv, spec 3.2)", 0, 0, NULL },
	{ "device-apps", load_device_apps, "app inventory (device_apps.csv, spec 3.3)", 0, 0, NULL },
	{ "usage", load_usage, "app-usage events (usage.jsonl, spec 3.4)", 0, 0, NULL },
	{ "compliance", load_compliance, "compliance store (SQLite, read-only, spec 3.5)", 0, 0, NULL },
	{ "whatsapp", load_whatsapp, "WhatsApp \"Export chat\" text or zip -> usage events (spec 6)", 0, 0, NULL },
	{ "wickr", load_wickr, "AWS Wickr data-retention JSON lines -> compliance store, deletions (spec 6)", 0, 0, NULL },
	{ "rsmf", load_rsmf, "RSMF 2.0 manifest or zip -> compliance store, deletions (spec 6)", 0, 0, NULL },
	{ "intune-devices", load_intune_devices, "Intune 'All devices' export CSV -> devices (spec 6)", 0, 0, NULL },
	{ "intune-apps", load_intune_apps, "Intune discovered-apps export CSV -> device apps (spec 6)", 0, 0, NULL },
	{ "purview", load_purview, "Purview audit log CSV, Teams messages -> usage events (spec 6)", 0, 0, NULL },
	{ "teams", load_teams, "Teams messages, Graph export API pages (JSON) -> usage events, retained -> store (spec 6)", 0, 0, teams_files },
	{ "slack", load_slack, "Slack workspace or Enterprise Grid export, zip or folder -> usage events, record_copy=yes -> store (spec 6)", 0, 1, NULL },
	{ "jamf", load_jamf, "Jamf Pro inventory (Pro API JSON, Classic JSON/XML, Advanced Search CSV; device histories, MDM commands) -> devices, device apps, wipes (spec 6)", 0, 0, NULL },
	{ "recommendations", load_recommendations, "tracker: OIG/GAO/NARA recommendations (spec 3.6)", 1, 0, NULL },
	{ "actions", load_actions, "tracker: corrective actions (spec 3.6; after recommendations, cases)", 1, 0, NULL },
	{ "updates", load_updates, "tracker: dated status updates (spec 3.6; after actions)", 1, 0, NULL },
	{ "cases", load_cases, "tracker: NARA unauthorized-disposition cases (spec 3.6)", 1, 0, NULL },
	{ NULL, NULL, NULL, 0, 0, NULL },
};

const struct ingest_kind *ingest_find_kind(const char *name)
{
	for (const struct ingest_kind *k = ingest_kinds; k->name; k++)
		if (!strcasecmp(k->name, name))         /* any case, as every enumeration */
			return k;
	return NULL;
}

/* "unknown input kind 'x' (expected accounts, ...; did you mean 'y'?)" */
void ingest_kind_hint(const char *name, char *out, size_t size)
{
	const char *names[64];
	size_t n = 0;

	for (const struct ingest_kind *k = ingest_kinds; k->name && n < 63; k++)
		names[n++] = k->name;
	names[n] = NULL;
	words_hint(name, names, out, size);
}

/* The options each adapter reads through ingest_opt(); a new option goes
 * here too, or `run` refuses it. */
static const struct {
	const char *kind;
	const char *const options[8];
} kind_options[] = {
	{ "usage", { "tz", NULL } },
	{ "device-apps", { "tz", NULL } },
	{ "compliance", { "tz", NULL } },
	{ "whatsapp", { "account", "self", "device", "conversation", "tz", "date_order", NULL } },
	{ "wickr", { "tz", NULL } },
	{ "intune-devices", { "device_id", "stale_days", "date_order", NULL } },
	{ "intune-apps", { "device_id", "seen_on", NULL } },
	{ "rsmf", { "tz", NULL } },
	{ "purview", { "tz", NULL } },
	{ "teams", { "users", "retained", "tz", NULL } },
	{ "slack", { "record_copy", NULL } },
	{ "jamf", { "device_id", NULL } },
};

/* Options whose value is a file: in audit.ini it is relative to the
 * file, like the input's own path. */
int ingest_option_is_path(const struct ingest_kind *k, const char *key)
{
	for (const char *const *f = k->file_options; f && *f; f++)
		if (!strcmp(*f, key))
			return 1;
	return 0;
}

const char *const *ingest_kind_options(const struct ingest_kind *k)
{
	static const char *const none[] = { NULL };

	for (size_t i = 0; i < sizeof(kind_options) / sizeof(kind_options[0]); i++)
		if (!strcmp(kind_options[i].kind, k->name))
			return kind_options[i].options;
	return none;
}

int ingest_check_options(const struct ingest_kind *k, const struct ingest_opt *opt, int n,
			 const struct src_loc *at)
{
	const char *const *valid = ingest_kind_options(k);
	int rc = 0;

	for (int i = 0; i < n; i++) {
		char hint[400];
		if (word_index(opt[i].key, valid) >= 0 && !strcmp(valid[word_index(opt[i].key, valid)],
								   opt[i].key))
			continue;
		if (!valid[0])
			snprintf(hint, sizeof(hint), " (it takes no options)");
		else if (!strcmp(opt[i].key, "timezone") && word_index("tz", valid) >= 0)
			snprintf(hint, sizeof(hint), " (did you mean 'tz'?)");
		else
			words_hint(opt[i].key, valid, hint, sizeof(hint));
		rc = diag_error(at, "unknown option '%s' for input kind '%s'%s", opt[i].key,
				k->name, hint);
	}
	return rc;
}
