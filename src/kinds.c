/* kinds: every input kind, in the order `ingest --help` lists them. */
#include "kinds.h"

#include <string.h>

#include "adapters.h"
#include "tracker.h"

const struct ingest_kind ingest_kinds[] = {
	{ "accounts", load_accounts, "messaging accounts (accounts.csv, spec 3.1)" },
	{ "devices", load_devices, "device inventory (devices.csv, spec 3.2)" },
	{ "device-apps", load_device_apps, "app inventory (device_apps.csv, spec 3.3)" },
	{ "usage", load_usage, "app-usage events (usage.jsonl, spec 3.4)" },
	{ "compliance", load_compliance, "compliance store (SQLite, read-only, spec 3.5)" },
	{ "whatsapp", load_whatsapp, "WhatsApp \"Export chat\" text or zip -> usage events (spec 6)" },
	{ "wickr", load_wickr, "AWS Wickr data-retention JSON lines -> compliance store, deletions (spec 6)" },
	{ "rsmf", load_rsmf, "RSMF 2.0 manifest or zip -> compliance store, deletions (spec 6)" },
	{ "intune-devices", load_intune_devices, "Intune 'All devices' export CSV -> devices (spec 6)" },
	{ "intune-apps", load_intune_apps, "Intune discovered-apps export CSV -> device apps (spec 6)" },
	{ "purview", load_purview, "Purview audit log CSV, Teams messages -> usage events (spec 6)" },
	{ "teams", load_teams, "Teams messages, Graph export API pages (JSON) -> usage events, retained -> store (spec 6)" },
	{ "slack", load_slack, "Slack workspace export zip -> usage events, record_copy=yes -> store (spec 6)" },
	{ "jamf", load_jamf, "Jamf Pro inventory (Pro API JSON, Classic JSON/XML, Advanced Search CSV) -> devices, device apps (spec 6)" },
	{ "recommendations", load_recommendations, "tracker: OIG/GAO/NARA recommendations (spec 3.6)" },
	{ "actions", load_actions, "tracker: corrective actions (spec 3.6; after recommendations, cases)" },
	{ "updates", load_updates, "tracker: dated status updates (spec 3.6; after actions)" },
	{ "cases", load_cases, "tracker: NARA unauthorized-disposition cases (spec 3.6)" },
	{ NULL, NULL, NULL },
};

const struct ingest_kind *ingest_find_kind(const char *name)
{
	for (const struct ingest_kind *k = ingest_kinds; k->name; k++)
		if (!strcmp(k->name, name))
			return k;
	return NULL;
}
