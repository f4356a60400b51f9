/* ad_jamf: Jamf Pro inventory into devices and device apps (spec §6), as
 * intune-devices and intune-apps do for Intune. Reads, recognised by their
 * first byte:
 *   JSON  the Jamf Pro API (/api/v2/mobile-devices/detail,
 *         /api/v1/computers-inventory: {"totalCount", "results": [...]},
 *         or one device's detail) and the Classic API (/JSSResource/
 *         mobiledevices/id/N, computers/id/N: {"mobile_device": {...}},
 *         {"computer": {...}}, and their lists);
 *   XML   the Classic API's XML of the same;
 *   CSV   an Advanced Search export (columns as the search displays them).
 * Both trees are read through one small accessor (struct node), so the
 * mapping is written once per shape. */
#include "adapters.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "json.h"
#include "jsondoc.h"
#include "records.h"
#include "timeutil.h"
#include "xmlin.h"

#define JAMF_MAX_VALUE 512

/* ---- a JSON value or an XML element ---- */

struct node {
	const struct json *j;
	const struct xml_node *x;
};

static const struct node NONE = { NULL, NULL };

static int is_none(struct node n)
{
	return !n.j && !n.x;
}

static struct node child(struct node n, const char *key)
{
	struct node c = NONE;
	if (n.j)
		c.j = json_get(n.j, key);
	else if (n.x)
		c.x = xml_child(n.x, key);
	return c;
}

/* A dotted path: "general.remote_management.managed". */
static struct node at(struct node n, const char *path)
{
	char key[64];

	while (*path && !is_none(n)) {
		size_t k = strcspn(path, ".");
		if (k >= sizeof(key))
			return NONE;
		memcpy(key, path, k);
		key[k] = '\0';
		n = child(n, key);
		path += k + (path[k] == '.');
	}
	return n;
}

/* The value as text (JSON strings, integers, booleans; XML text). */
static const char *text(struct node n, char *buf, size_t len)
{
	long long v;

	buf[0] = '\0';
	if (n.x)
		return xml_text(n.x, buf, len);
	if (!n.j)
		return buf;
	switch (json_type_of(n.j)) {
	case JT_STRING:
		snprintf(buf, len, "%s", json_str(n.j));
		break;
	case JT_INT:
		if (!json_int(n.j, &v))
			snprintf(buf, len, "%lld", v);
		break;
	case JT_BOOL:
		snprintf(buf, len, "%s", json_bool(n.j) ? "true" : "false");
		break;
	default:
		break;
	}
	return buf;
}

/* The first non-empty of several paths (NULL-terminated). */
static const char *first(struct node n, const char *const *paths, char *buf, size_t len)
{
	buf[0] = '\0';
	for (; *paths; paths++)
		if (*text(at(n, *paths), buf, len))
			return buf;
	return buf;
}

/* The elements of a list: a JSON array, or an XML element's children
 * (Classic XML lists start with a <size> element). */
struct iter {
	struct node list;
	size_t i;
	const struct xml_node *x;
};

static int next_item(struct iter *it, struct node *out)
{
	*out = NONE;
	if (it->list.j) {
		if (it->i >= json_len(it->list.j))
			return 0;
		out->j = json_at(it->list.j, it->i++);
		return 1;
	}
	if (!it->list.x)
		return 0;
	it->x = it->i++ ? xml_next(it->x) : xml_child(it->list.x, NULL);
	while (it->x && !strcmp(xml_name(it->x), "size"))
		it->x = xml_next(it->x);
	out->x = it->x;
	return it->x != NULL;
}

/* ---- mapping ---- */

/* The paths of one field in each of the four shapes. */
enum shape { CLASSIC_MOBILE, CLASSIC_COMPUTER, PRO_MOBILE, PRO_COMPUTER, NSHAPE };
enum field {
	F_ID, F_NAME, F_SERIAL, F_UDID, F_MODEL, F_OS, F_MANAGED, F_OWNER, F_EMAIL, F_USER,
	F_ENROLLED, F_SEEN, F_LOST, F_LOST_ON, F_MGMT, F_APPS, NFIELD
};

/* Up to three paths per field and shape, tried in order. */
static const char *const paths[NSHAPE][NFIELD][4] = {
	[CLASSIC_MOBILE] = {
		[F_ID] = { "general.id", "id" },
		[F_NAME] = { "general.name", "general.device_name", "name", "device_name" },
		[F_SERIAL] = { "general.serial_number", "serial_number" },
		[F_UDID] = { "general.udid", "udid" },
		[F_MODEL] = { "general.model", "model", "general.model_display" },
		[F_OS] = { "general.os_type", "os_type" },
		[F_MANAGED] = { "general.managed", "managed" },
		[F_OWNER] = { "general.device_ownership_level", "device_ownership_level" },
		[F_EMAIL] = { "location.email_address", "email_address" },
		[F_USER] = { "location.username", "username" },
		[F_ENROLLED] = { "general.last_enrollment_utc", "general.initial_entry_date_utc" },
		[F_SEEN] = { "general.last_inventory_update_utc" },
		[F_LOST] = { "security.lost_mode_enabled" },
		[F_LOST_ON] = { "security.lost_mode_enable_issued_utc",
				"security.lost_mode_enable_issued_epoch" },
		[F_MGMT] = { "general.management_id" },
		[F_APPS] = { "applications" },
	},
	[CLASSIC_COMPUTER] = {
		[F_ID] = { "general.id", "id" },
		[F_NAME] = { "general.name", "name" },
		[F_SERIAL] = { "general.serial_number", "serial_number" },
		[F_UDID] = { "general.udid", "udid" },
		[F_MODEL] = { "hardware.model", "model" },
		[F_OS] = { "hardware.os_name", "general.platform" },
		[F_MANAGED] = { "general.remote_management.managed", "managed" },
		[F_EMAIL] = { "location.email_address", "email_address" },
		[F_USER] = { "location.username", "username" },
		[F_ENROLLED] = { "general.last_enrolled_date_utc", "general.initial_entry_date_utc" },
		[F_SEEN] = { "general.report_date_utc", "general.last_contact_time_utc" },
		[F_APPS] = { "software.applications" },
	},
	[PRO_MOBILE] = {
		[F_ID] = { "mobileDeviceId", "id" },
		[F_NAME] = { "general.displayName", "name" },
		[F_SERIAL] = { "hardware.serialNumber", "serialNumber" },
		[F_UDID] = { "general.udid", "udid" },
		[F_MODEL] = { "hardware.model", "model" },
		[F_OS] = { "deviceType", "ios.general.osType" },
		[F_MANAGED] = { "general.managed", "managed" },
		[F_OWNER] = { "general.deviceOwnershipType", "ownershipType" },
		[F_EMAIL] = { "userAndLocation.emailAddress", "emailAddress" },
		[F_USER] = { "userAndLocation.username", "username" },
		[F_ENROLLED] = { "general.lastEnrolledDate", "general.initialEntryTimestamp" },
		[F_SEEN] = { "general.lastInventoryUpdateDate", "lastInventoryUpdateDate" },
		[F_LOST] = { "security.lostModeEnabled", "lostModeEnabled" },
		[F_LOST_ON] = { "security.lostModeEnabledDate", "lostModeEnabledDate" },
		[F_MGMT] = { "managementId", "general.managementId" },
		[F_APPS] = { "applications" },
	},
	[PRO_COMPUTER] = {
		[F_ID] = { "id" },
		[F_NAME] = { "general.name" },
		[F_SERIAL] = { "hardware.serialNumber" },
		[F_UDID] = { "udid" },
		[F_MODEL] = { "hardware.model" },
		[F_OS] = { "operatingSystem.name", "general.platform" },
		[F_MANAGED] = { "general.remoteManagement.managed" },
		[F_OWNER] = { "general.enrolledViaAutomatedDeviceEnrollment" },
		[F_EMAIL] = { "userAndLocation.email" },
		[F_USER] = { "userAndLocation.username" },
		[F_ENROLLED] = { "general.lastEnrolledDate", "general.initialEntryDate" },
		[F_SEEN] = { "general.reportDate", "general.lastContactTime" },
		[F_MGMT] = { "general.managementId" },
		[F_APPS] = { "applications" },
	},
};

/* App fields: identifier, name, short version, version. */
static const char *const app_paths[NSHAPE][4][3] = {
	[CLASSIC_MOBILE] = { { "identifier" }, { "application_name", "name" },
			     { "application_short_version" }, { "application_version", "version" } },
	[CLASSIC_COMPUTER] = { { "bundle_id" }, { "name" }, { NULL }, { "version" } },
	[PRO_MOBILE] = { { "identifier" }, { "name" }, { "shortVersion" }, { "version" } },
	[PRO_COMPUTER] = { { "bundleId" }, { "name" }, { NULL }, { "version" } },
};

enum key { KEY_SERIAL, KEY_UDID, KEY_NAME, KEY_ID };

struct jamf {
	struct ingest_ctx *ctx;
	enum key key;
	unsigned long devices, apps, unmanaged, wiped, lost, histories, commands, undone, by_sent;
	unsigned long by_sent_line;
};

static int truthy(const char *v)
{
	return !strcasecmp(v, "true") || !strcmp(v, "1") || !strcasecmp(v, "yes") ||
	       !strcasecmp(v, "enabled");
}

static int falsy(const char *v)
{
	return !strcasecmp(v, "false") || !strcmp(v, "0") || !strcasecmp(v, "no") ||
	       !strcasecmp(v, "disabled");
}

static const char *platform_of(enum shape s, const char *os)
{
	if (s == CLASSIC_COMPUTER || s == PRO_COMPUTER)
		return !*os || strcasestr(os, "mac") || strcasestr(os, "os x") ? "macos" : "";
	if (!*os || !strncasecmp(os, "iOS", 3) || !strncasecmp(os, "iPadOS", 6))
		return "ios";           /* a Jamf mobile device is an iPhone or iPad */
	return "";                      /* tvOS, watchOS, visionOS */
}

/* Jamf's ownership: Institutional (and account-driven device enrollment)
 * is the agency's; a personal profile or user enrollment is BYOD. For
 * computers only an Automated Device Enrollment says the agency owns it. */
static const char *ownership_of(enum shape s, const char *v)
{
	if (s == PRO_COMPUTER)
		return truthy(v) ? "gfe" : "";
	if (!strcasecmp(v, "Institutional") || !strcasecmp(v, "AccountDrivenDeviceEnrollment"))
		return "gfe";
	if (!strcasecmp(v, "Personal") || !strcasecmp(v, "PersonalDeviceProfile") ||
	    !strcasecmp(v, "UserEnrollment") || !strcasecmp(v, "User Enrollment") ||
	    !strcasecmp(v, "AccountDrivenUserEnrollment"))
		return "byod";
	return "";
}

/* A date of Jamf's: ISO 8601 ("2021-03-29T12:38:30.710+0000" in Classic,
 * "2024-01-08T14:03:11.123Z" in the Pro API), or epoch milliseconds. */
static int to_date(const char *v, char out[TIME_DATE_LEN])
{
	long long ts;
	char *end;

	out[0] = '\0';
	if (!*v)
		return 0;
	if (!time_parse(v, &ts, NULL)) {
		time_fmt_day(ts, out);
		return 0;
	}
	errno = 0;
	ts = strtoll(v, &end, 10);
	if (!*end && !errno && ts > 0 && ts < 253402300800000LL) {
		time_fmt_day(ts / 1000, out);
		return 0;
	}
	return -1;
}

/* A computer's app without a bundle id is known by its name, "Slack.app"
 * as "Slack" (rules/apps.ini matches names). */
static void app_name_key(char *name)
{
	size_t n = strlen(name);
	if (n > 4 && !strcasecmp(name + n - 4, ".app"))
		name[n - 4] = '\0';
}

static int put_apps(struct jamf *j, struct node d, enum shape s, const char *device,
		    const char *seen, unsigned long line)
{
	struct iter it = { at(d, paths[s][F_APPS][0]), 0, NULL };
	struct node a;
	char id[JAMF_MAX_VALUE], name[JAMF_MAX_VALUE], ver[JAMF_MAX_VALUE];

	while (next_item(&it, &a)) {
		struct device_app_rec r;
		const char *key;
		first(a, app_paths[s][0], id, sizeof(id));
		first(a, app_paths[s][1], name, sizeof(name));
		if (!app_paths[s][2][0] || !*first(a, app_paths[s][2], ver, sizeof(ver)))
			first(a, app_paths[s][3], ver, sizeof(ver));
		key = id;
		if (!*key) {
			app_name_key(name);
			key = name;
		}
		if (!*key) {
			if (bad_record(&j->ctx->bad, line, 0, "device '%s': an app without identifier"
				       " or name", device))
				return -1;
			continue;
		}
		r = (struct device_app_rec){
			.device_id = device, .app_id = key, .app_name = name, .version = ver,
			.first_seen = seen, .last_seen = seen,
		};
		if (records_put_device_app(j->ctx, line, &r))
			return -1;
		j->apps++;
	}
	return 0;
}

/* ---- wipes: the management history ---- */

/* The completed commands of the Classic API's device histories
 * (/JSSResource/mobiledevicehistory: management_commands; computerhistory:
 * commands), in a history document or merged into a device record. */
static const char *const hist_paths[NSHAPE] = {
	[CLASSIC_MOBILE] = "management_commands.completed",
	[CLASSIC_COMPUTER] = "commands.completed",
};

/* "EraseDevice", "Erase Device", "ERASE_DEVICE", "Wipe Device", "Wipe
 * Computer": the command that erases the device. */
static int is_wipe(const char *name)
{
	char k[32];
	size_t n = 0;

	for (; *name && n + 1 < sizeof(k); name++)
		if (isalnum((unsigned char)*name))
			k[n++] = (char)tolower((unsigned char)*name);
	k[n] = '\0';
	return !strncmp(k, "erase", 5) || !strncmp(k, "wipe", 4);
}

/* The day of the last completed wipe in d's history into out ("" none).
 * 0, 1 a wipe without a usable date (the record is skipped), -1 strict. */
static int wipe_day(struct jamf *j, struct node d, enum shape s, const char *id,
		    unsigned long line, char out[TIME_DATE_LEN])
{
	static const char *const when[] = { "date_time_completed_utc", "date_time_completed_epoch",
					    "completed_utc", "completed_epoch", NULL };
	struct iter it = { hist_paths[s] ? at(d, hist_paths[s]) : NONE, 0, NULL };
	struct node c;
	char name[64], v[JAMF_MAX_VALUE], day[TIME_DATE_LEN];

	out[0] = '\0';
	while (next_item(&it, &c)) {
		if (!is_none(child(c, "command")))
			c = child(c, "command");        /* the XML's wrapper, kept in JSON */
		if (!is_wipe(text(child(c, "name"), name, sizeof(name))))
			continue;
		first(c, when, v, sizeof(v));
		if (to_date(strcmp(v, "0") ? v : "", day) || !*day)
			return bad_record(&j->ctx->bad, line, 0, "device '%s': a wipe ('%s') without a"
					  " completion date", id, name) < 0 ? -1 : 1;
		if (strcmp(day, out) > 0)
			memcpy(out, day, TIME_DATE_LEN);
	}
	return 0;
}

/* The field of each device_id option (enum key). */
static const enum field key_field[] = { F_SERIAL, F_UDID, F_NAME, F_ID };

/* One device's values, from a tree or a CSV row. */
struct vals {
	char v[NFIELD][JAMF_MAX_VALUE];
};

/* The device's status (spec 3.2) from what Jamf reports of it, the first
 * that holds: a completed wipe in its management history (wiped, on that
 * day); Lost Mode (lost, on the day the command enabling it was issued,
 * else the last inventory before); not managed (retired: Jamf keeps the
 * record of a device whose MDM profile was removed, "unmanaged"; dated by
 * its last inventory, the last report under management). 0; a bad Lost
 * Mode date: 1 (the record is skipped), -1 (strict). */
static int status_of(struct jamf *j, struct vals *x, const char *id, const char *wiped,
		     const char *seen, struct device_rec *r, char lost_on[TIME_DATE_LEN],
		     unsigned long line)
{
	const char *lost = x->v[F_LOST_ON];

	if (*wiped) {
		r->status = "wiped";
		r->status_on = wiped;
		j->wiped++;
	} else if (truthy(x->v[F_LOST])) {
		if (to_date(strcmp(lost, "0") ? lost : "", lost_on))
			return bad_record(&j->ctx->bad, line, 0, "device '%s': bad Lost Mode date '%s'",
					  id, lost) < 0 ? -1 : 1;
		r->status = "lost";
		r->status_on = *lost_on ? lost_on : seen;
		j->lost++;
	} else if (r->managed == 0) {
		r->status = "retired";
		r->status_on = seen;
		j->unmanaged++;
	}
	return 0;
}

static int put_vals(struct jamf *j, struct vals *x, enum shape s, unsigned long line,
		    char seen[TIME_DATE_LEN], const char *wiped)
{
	static const char *const key_name[] = { "serial number", "UDID", "name", "Jamf id" };
	const char *id = x->v[key_field[j->key]], *managed = x->v[F_MANAGED];
	char enrolled[TIME_DATE_LEN], lost_on[TIME_DATE_LEN];
	struct device_rec r;
	int rc;

	if (!*id)
		return bad_record(&j->ctx->bad, line, 0, "device without a %s", key_name[j->key]);
	if (to_date(x->v[F_ENROLLED], enrolled))
		return bad_record(&j->ctx->bad, line, 0, "device '%s': bad enrollment date '%s'", id,
				  x->v[F_ENROLLED]);
	if (to_date(x->v[F_SEEN], seen))
		return bad_record(&j->ctx->bad, line, 0, "device '%s': bad inventory date '%s'", id,
				  x->v[F_SEEN]);
	r = (struct device_rec){
		.device_id = id, .custodian_id = *x->v[F_EMAIL] ? x->v[F_EMAIL] : x->v[F_USER],
		.platform = platform_of(s, x->v[F_OS]), .model = x->v[F_MODEL],
		.ownership = ownership_of(s, x->v[F_OWNER]),
		.managed = truthy(managed) ? 1 : falsy(managed) ? 0 : -1,
		.status = "active", .status_on = "", .replaced_by = "", .enrolled_on = enrolled,
	};
	rc = status_of(j, x, id, wiped, seen, &r, lost_on, line);
	if (rc)
		return rc < 0 ? -1 : 0;
	if (records_put_device(j->ctx, line, &r) ||
	    (*x->v[F_MGMT] && records_put_device_id(j->ctx, line, x->v[F_MGMT], id)))
		return -1;
	j->devices++;
	return 1;
}

static int put_device(struct jamf *j, struct node d, enum shape s, unsigned long line)
{
	static struct vals x;           /* 7 KiB: not on the stack */
	char seen[TIME_DATE_LEN], wiped[TIME_DATE_LEN];
	int rc;

	for (int f = 0; f < NFIELD; f++)
		first(d, paths[s][f], x.v[f], sizeof(x.v[f]));
	rc = wipe_day(j, d, s, x.v[key_field[j->key]], line, wiped);
	if (rc)
		return rc < 0 ? -1 : 0;
	rc = put_vals(j, &x, s, line, seen, wiped);
	if (rc <= 0)
		return rc;
	return put_apps(j, d, s, x.v[key_field[j->key]], seen, line);
}

/* A wipe that is not in the device's inventory record (a history, an MDM
 * command): a status event of its own, which the analysis applies to the
 * device the inventory lists, whichever is loaded first (records.h). */
static int put_wipe(struct jamf *j, const char *device_ref, const char *day, unsigned long line)
{
	if (records_put_device_event(j->ctx, line, device_ref, "wiped", day))
		return -1;
	j->wiped++;
	return 0;
}

/* A device history document on its own (it has no model, user, apps). */
static int put_history(struct jamf *j, struct node d, enum shape s, unsigned long line)
{
	char id[JAMF_MAX_VALUE], wiped[TIME_DATE_LEN];
	int rc;

	if (!*first(d, paths[s][key_field[j->key]], id, sizeof(id)))
		return bad_record(&j->ctx->bad, line, 0, "device history without a %s",
				  j->key == KEY_SERIAL ? "serial number" : j->key == KEY_UDID ? "UDID" :
				  j->key == KEY_NAME ? "name" : "Jamf id");
	rc = wipe_day(j, d, s, id, line, wiped);
	if (rc)
		return rc < 0 ? -1 : 0;
	j->histories++;
	return *wiped ? put_wipe(j, id, wiped, line) : 0;
}

/* One command of the Jamf Pro API's MDM command list (GET /api/v2/mdm/
 * commands, /api/preview/mdm/commands): an erase the device acknowledged
 * is a wipe of the device its client.managementId names, on the day of
 * its dateCompleted (the preview API has none: its dateSent, said). A
 * pending, refused or failed erase did not wipe. */
static int put_command(struct jamf *j, const struct json *c, unsigned long line)
{
	struct node n = { c, NULL };
	static const char *const state[] = { "commandState", "status", NULL };
	char type[64], st[32], ref[JAMF_MAX_VALUE], v[JAMF_MAX_VALUE], day[TIME_DATE_LEN];

	j->commands++;
	if (!is_wipe(text(child(n, "commandType"), type, sizeof(type))))
		return 0;
	first(n, state, st, sizeof(st));
	if (strcasecmp(st, "ACKNOWLEDGED") && strcasecmp(st, "COMPLETED")) {
		j->undone++;
		return 0;
	}
	if (!*text(at(n, "client.managementId"), ref, sizeof(ref)))
		return bad_record(&j->ctx->bad, line, 0, "an MDM command ('%s') without"
				  " client.managementId", type);
	if (!*text(child(n, "dateCompleted"), v, sizeof(v)) && *text(child(n, "dateSent"), v, sizeof(v)))
		if (!j->by_sent++)
			j->by_sent_line = line;
	if (to_date(v, day) || !*day)
		return bad_record(&j->ctx->bad, line, 0, "device '%s': a wipe ('%s') without a"
				  " completion date", ref, type);
	return put_wipe(j, ref, day, line);
}

/* ---- JSON ---- */

static enum shape pro_shape(const struct json *o)
{
	return json_get(o, "mobileDeviceId") || json_get(o, "deviceType") ? PRO_MOBILE : PRO_COMPUTER;
}

static int on_json(struct jamf *j, const struct jsondoc_value *v)
{
	static const struct { const char *list, *one; enum shape s; } classic[] = {
		{ "mobile_devices", "mobile_device", CLASSIC_MOBILE },
		{ "computers", "computer", CLASSIC_COMPUTER },
	};
	unsigned long line, col, *lines = NULL;
	const char *err;
	size_t n = 0;
	int rc = 0;
	struct json *o = jsondoc_parse(v, &line, &col, &err);
	const struct json *hist;

	if (!o)
		return bad_record(&j->ctx->bad, line, col, "bad JSON: %s", err);
	if (json_type_of(o) != JT_OBJECT) {
		rc = bad_record(&j->ctx->bad, v->line, v->col, "expected a Jamf API response object");
		goto out;
	}
	if ((hist = json_get(o, "mobile_device_history")) || (hist = json_get(o, "computer_history"))) {
		rc = put_history(j, (struct node){ hist, NULL }, json_get(o, "computer_history") ?
				 CLASSIC_COMPUTER : CLASSIC_MOBILE, v->line);
		goto out;
	}
	for (size_t k = 0; k < 2; k++) {
		const struct json *one = json_get(o, classic[k].one);
		const struct json *list = json_get(o, classic[k].list);
		if (one) {
			rc = put_device(j, (struct node){ one, NULL }, classic[k].s, v->line);
			goto out;
		}
		if (list && json_type_of(list) == JT_ARRAY) {
			lines = jsondoc_lines(v, classic[k].list, &n);
			for (size_t i = 0; i < json_len(list) && !rc; i++) {
				const struct json *e = json_at(list, i);
				/* a list of full records, as a script that fetches each
				   one saves them, or the list's summaries */
				const struct json *in = json_get(e, classic[k].one);
				rc = put_device(j, (struct node){ in ? in : e, NULL }, classic[k].s,
						lines && i < n ? lines[i] : v->line);
			}
			goto out;
		}
	}
	if (json_get(o, "results") && json_type_of(json_get(o, "results")) == JT_ARRAY) {
		const struct json *list = json_get(o, "results");
		lines = jsondoc_lines(v, "results", &n);
		for (size_t i = 0; i < json_len(list) && !rc; i++) {
			const struct json *e = json_at(list, i);
			unsigned long at_line = lines && i < n ? lines[i] : v->line;
			rc = json_get(e, "commandType") ? put_command(j, e, at_line)
				: put_device(j, (struct node){ e, NULL }, pro_shape(e), at_line);
		}
	} else if (json_get(o, "general") || json_get(o, "hardware")) {
		rc = put_device(j, (struct node){ o, NULL }, pro_shape(o), v->line);
	} else {
		rc = bad_record(&j->ctx->bad, v->line, v->col, "not a Jamf inventory response (no"
				" 'results', 'mobile_device' or 'computer')");
	}
out:
	free(lines);
	json_free(o);
	return rc;
}

static int load_json(struct jamf *j)
{
	struct jsondoc *d = jsondoc_open(j->ctx->path);
	struct jsondoc_value v;
	int rc = 0;

	if (!d)
		return -1;
	while (!rc && (rc = jsondoc_next(d, &v)) != JSONDOC_END) {
		if (rc == JSONDOC_ERROR)
			break;
		rc = rc == JSONDOC_BAD ? bad_record(&j->ctx->bad, v.line, v.col, "%s", v.err)
				       : on_json(j, &v);
	}
	jsondoc_free(d);
	return rc ? -1 : 0;
}

/* ---- XML (Classic API) ---- */

static int load_xml(struct jamf *j)
{
	struct src_loc at_file = { j->ctx->path, 0, 0 };
	unsigned long line;
	const char *err;
	struct xmlin *doc = xmlin_parse_file(j->ctx->path, &line, &err);
	const struct xml_node *root;
	const char *name;
	int rc = 0;

	if (!doc) {
		at_file.line = line;
		return diag_error(&at_file, "bad XML: %s", err);
	}
	root = xmlin_root(doc);
	name = xml_name(root);
	if (!strcmp(name, "mobile_device") || !strcmp(name, "computer")) {
		rc = put_device(j, (struct node){ NULL, root },
				*name == 'm' ? CLASSIC_MOBILE : CLASSIC_COMPUTER, xml_line(root));
	} else if (!strcmp(name, "mobile_device_history") || !strcmp(name, "computer_history")) {
		rc = put_history(j, (struct node){ NULL, root },
				 *name == 'm' ? CLASSIC_MOBILE : CLASSIC_COMPUTER, xml_line(root));
	} else if (!strcmp(name, "mobile_devices") || !strcmp(name, "computers")) {
		struct iter it = { { NULL, root }, 0, NULL };
		struct node e;
		while (!rc && next_item(&it, &e))
			rc = put_device(j, e, *name == 'm' ? CLASSIC_MOBILE : CLASSIC_COMPUTER,
					xml_line(e.x));
	} else {
		rc = diag_error(&at_file, "not a Jamf Classic API document (root <%s>, expected"
				" <mobile_device>, <computer>, their lists or histories)", name);
	}
	xmlin_free(doc);
	return rc;
}

/* ---- CSV (Advanced Search export) ---- */

/* The columns an Advanced Search may display, by Jamf's display names. */
enum { C_APP_ID = NFIELD, C_APP_NAME, C_APP_VERSION, NCSVF };

struct alias {
	int field;
	const char *name;
};

static const struct alias csv_alias[] = {
	{ F_SERIAL, "Serial Number" }, { F_UDID, "UDID" },
	{ F_NAME, "Mobile Device Name" }, { F_NAME, "Computer Name" }, { F_NAME, "Display Name" },
	{ F_NAME, "Device Name" }, { F_NAME, "Name" },
	{ F_ID, "Mobile Device ID" }, { F_ID, "Jamf Pro Computer ID" }, { F_ID, "Computer ID" },
	{ F_ID, "ID" },
	{ F_MODEL, "Model" }, { F_OS, "Operating System" }, { F_OS, "Operating System Name" },
	{ F_OS, "OS Type" }, { F_OS, "Device Type" }, { F_OS, "Platform" },
	{ F_MANAGED, "Managed" }, { F_OWNER, "Device Ownership Type" },
	{ F_OWNER, "Device Ownership Level" }, { F_OWNER, "Ownership Type" },
	{ F_EMAIL, "Email Address" }, { F_EMAIL, "Email" }, { F_USER, "Username" },
	{ F_ENROLLED, "Last Enrollment" }, { F_ENROLLED, "Last Enrolled Date" },
	{ F_ENROLLED, "Initial Entry Date" },
	{ F_SEEN, "Last Inventory Update" }, { F_SEEN, "Report Date" },
	{ F_SEEN, "Last Check-in" }, { F_LOST, "Lost Mode Enabled" },
	{ C_APP_ID, "App Identifier" }, { C_APP_ID, "Bundle ID" }, { C_APP_ID, "Application Bundle ID" },
	{ C_APP_NAME, "App Name" }, { C_APP_NAME, "Application Title" },
	{ C_APP_NAME, "Application Name" },
	{ C_APP_VERSION, "App Short Version" }, { C_APP_VERSION, "App Version" },
	{ C_APP_VERSION, "Application Version" },
};
#define NALIAS ((int)(sizeof(csv_alias) / sizeof(csv_alias[0])))

static struct csv_col csv_cols[NALIAS];
static struct jamf *csv_jamf;

static const char *pick(const char *const *val, int f)
{
	for (int i = 0; i < NALIAS; i++)
		if (csv_alias[i].field == f && *val[i])
			return val[i];
	return "";
}

/* Advanced searches mix iPhones and Macs: the OS column says which. */
static enum shape csv_shape(const char *os)
{
	return strcasestr(os, "mac") || strcasestr(os, "os x") ? CLASSIC_COMPUTER : CLASSIC_MOBILE;
}

static int csv_row(struct ingest_ctx *ctx, const char *const *val, unsigned long line)
{
	static struct vals x;
	struct jamf *j = csv_jamf;
	char seen[TIME_DATE_LEN];
	const char *app_id = pick(val, C_APP_ID), *app_name = pick(val, C_APP_NAME);
	struct device_app_rec a;
	int rc;

	(void)ctx;
	for (int f = 0; f < NFIELD; f++)
		snprintf(x.v[f], sizeof(x.v[f]), "%s", pick(val, f));
	rc = put_vals(j, &x, csv_shape(x.v[F_OS]), line, seen, "");
	if (rc <= 0 || (!*app_id && !*app_name))
		return rc < 0 ? -1 : 0;
	a = (struct device_app_rec){
		.device_id = x.v[key_field[j->key]],
		.app_id = *app_id ? app_id : app_name, .app_name = app_name,
		.version = pick(val, C_APP_VERSION), .first_seen = seen, .last_seen = seen,
	};
	if (records_put_device_app(j->ctx, line, &a))
		return -1;
	j->apps++;
	return 0;
}

/* 1 when the header row has a column of the device key (the export's
 * columns are the search's choice), 0 when not, -1 when unreadable. */
static int csv_has_key(struct jamf *j)
{
	const char *names[NALIAS + 1];
	int n = 0;

	for (int i = 0; i < NALIAS; i++)
		if (csv_alias[i].field == (int)key_field[j->key])
			names[n++] = csv_alias[i].name;
	names[n] = NULL;
	return ingest_csv_has_column(j->ctx, names);
}

static int load_csv(struct jamf *j)
{
	static const char *const what[] = { "'Serial Number'", "'UDID'",
					    "a name ('Mobile Device Name', 'Computer Name', ...)",
					    "an id ('Mobile Device ID', 'Jamf Pro Computer ID', ...)" };
	int has = csv_has_key(j);

	if (has <= 0) {
		struct src_loc at = { j->ctx->path, 1, 0 };
		return has < 0 ? -1 : diag_error(&at, "not a Jamf Advanced Search export: no column"
						 " %s (see the device_id option)", what[j->key]);
	}
	for (int i = 0; i < NALIAS; i++)
		csv_cols[i] = (struct csv_col){ csv_alias[i].name, 0 };
	csv_jamf = j;
	return ingest_csv(j->ctx, csv_cols, NALIAS, csv_row);
}

/* ---- the file ---- */

/* The first byte that is not white space (after a byte order mark). */
static int first_byte(const char *path)
{
	struct src_loc at = { path, 0, 0 };
	FILE *fp = fopen(path, "rb");
	int c, n = 0;

	if (!fp)
		return diag_error(&at, "cannot open: %s", strerror(errno));
	while ((c = getc(fp)) != EOF && (isspace(c) || (n < 3 && (c == 0xEF || c == 0xBB || c == 0xBF))))
		n++;
	fclose(fp);
	return c == EOF ? 0 : c;
}

static int key_option(struct jamf *j)
{
	static const char *const names[] = { "serial", "udid", "name", "id" };
	const char *v = ingest_opt(j->ctx, "device_id");
	struct src_loc at = { j->ctx->path, 0, 0 };

	j->key = KEY_SERIAL;
	if (!v)
		return 0;
	for (int i = 0; i < 4; i++)
		if (!strcmp(v, names[i])) {
			j->key = (enum key)i;
			return 0;
		}
	return diag_error(&at, "bad device_id option '%s' (expected serial, udid, name or id)", v);
}

int load_jamf(struct ingest_ctx *ctx)
{
	struct jamf j;
	struct src_loc at = { ctx->path, 0, 0 };
	int c, rc;

	memset(&j, 0, sizeof(j));
	j.ctx = ctx;
	if (key_option(&j))
		return -1;
	c = first_byte(ctx->path);
	if (c < 0)
		return -1;
	if (!c)
		return diag_error(&at, "empty file (expected a Jamf API response or an Advanced"
				  " Search export)");
	rc = c == '{' || c == '[' ? load_json(&j) : c == '<' ? load_xml(&j) : load_csv(&j);
	if (rc)
		return -1;
	if (j.devices)
		diag_note("%s: %lu devices (%lu wiped, %lu lost, %lu not managed: retired), %lu apps",
			  ctx->path, j.devices, j.wiped, j.lost, j.unmanaged, j.apps);
	else if (j.histories)
		diag_note("%s: %lu device histories, %lu wipes", ctx->path, j.histories, j.wiped);
	else if (j.commands)
		diag_note("%s: %lu MDM commands, %lu wipes (%lu erase commands not acknowledged:"
			  " no wipe)", ctx->path, j.commands, j.wiped, j.undone);
	if (j.by_sent) {
		struct src_loc w = { ctx->path, j.by_sent_line, 0 };
		diag_warn(&w, "%lu wipes dated by their dateSent: the commands have no"
			  " dateCompleted (the preview API's)", j.by_sent);
	}
	return 0;
}
