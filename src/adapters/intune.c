/* ad_intune: Microsoft Intune exports into the device inventory (spec §6,
 * formats.md §3.1–3.2): "All devices → Export" (DevicesWithInventory) into
 * devices, and the discovered-apps export (AppInvRawData, AppInvByDevice,
 * DevicesByAppInv) into device apps. Headers are matched by name, with the
 * portal's display names ("Device ID"), the report API's names
 * ("DeviceId") and the older "Azure AD" names all accepted. */
#include "adapters.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "localdate.h"
#include "records.h"
#include "timeutil.h"

/* A column of ours and the header names it may have. */
struct alias {
	int field;
	const char *name;
};

/* ---- shared ---- */

static int lower_has(const char *v, const char *word)
{
	return strcasestr(v, word) != NULL;
}

/* The first non-empty value among a field's aliases. */
static const char *pick(const struct alias *a, int n, const char *const *val, int field)
{
	for (int i = 0; i < n; i++)
		if (a[i].field == field && *val[i])
			return val[i];
	return "";
}

/* The date order of the portal's local dates: m/d/y as Intune writes
 * them, or d/m/y after a re-save by Excel in such a locale. Given (option
 * date_order, --date-order) or read from the whole file first. */
static enum date_order local_order = DO_MDY;

/* The portal's local form "1/8/2024 2:03:11 PM" (also "13/01/2024 14:03"):
 * the two leading fields, the year and the seconds of the day; 0, or -1
 * when v is not that form. */
static int parse_local(const char *v, int *a, int *b, int *y, long long *secs)
{
	int h = 0, mi = 0, s = 0, n = 0;
	const char *p;

	if (sscanf(v, "%2d/%2d/%4d%n", a, b, y, &n) != 3 || *y < 1970 || *a < 0 || *b < 0)
		return -1;
	p = v + n;
	if (*p == ',')
		p++;
	while (*p == ' ')
		p++;
	if (*p) {
		int k = 0;
		if (sscanf(p, "%2d:%2d%n", &h, &mi, &k) != 2)
			return -1;
		p += k;
		if (*p == ':') {
			if (sscanf(p, ":%2d%n", &s, &k) != 1)
				return -1;
			p += k;
		}
		while (*p == ' ')
			p++;
		if (*p) {
			char ampm[3] = "";
			if (sscanf(p, "%2[AaPpMm]%n", ampm, &k) != 1 || p[k])
				return -1;
			if (h < 1 || h > 12)
				return -1;
			h = h % 12 + (tolower((unsigned char)ampm[0]) == 'p' ? 12 : 0);
		}
	}
	if (h > 23 || mi > 59 || s > 60)
		return -1;
	*secs = h * 3600LL + mi * 60LL + s;
	return 0;
}

/* Intune's dates: "2024-01-08 14:03:11.000000" (UTC), ISO 8601 with a
 * zone, or the local form read in local_order. 0, -1 not a date, -2 a date
 * that cannot exist in local_order. */
static int parse_when(const char *v, long long *ts)
{
	int a, b, y;
	char fa[8], fb[8], fy[8];
	const char *f[3];
	long long day, secs;

	if (!time_parse(v, ts, NULL))
		return 0;
	if (parse_local(v, &a, &b, &y, &secs))
		return -1;
	snprintf(fa, sizeof(fa), "%d", a);
	snprintf(fb, sizeof(fb), "%d", b);
	snprintf(fy, sizeof(fy), "%d", y);
	f[0] = fa;
	f[1] = fb;
	f[2] = fy;
	day = localdate_day(f, local_order);
	if (day < 0)
		return -2;
	*ts = day * 86400 + secs;
	return 0;
}

/* A bad date as a bad record: one that cannot exist in the assumed order
 * names the option. */
static int bad_date(struct ingest_ctx *ctx, unsigned long line, const char *what,
		    const char *v, int why)
{
	if (why == -2)
		return bad_record(&ctx->bad, line, 0, "bad %s '%s': no such date in %s order"
				  " (see --date-order)", what, v, date_order_name(local_order));
	return bad_record(&ctx->bad, line, 0, "bad %s '%s'", what, v);
}

static int to_date(const char *v, char out[TIME_DATE_LEN])
{
	long long ts;
	int rc;

	out[0] = '\0';
	if (!*v)
		return 0;
	if ((rc = parse_when(v, &ts)) != 0)
		return rc;
	time_fmt_day(ts, out);
	return 0;
}

/* Which column names the device: option device_id = id (default), name or
 * serial, so the ids match the device_id of the usage events. */
static int device_key(struct ingest_ctx *ctx, int *key)
{
	const char *v = ingest_opt(ctx, "device_id");
	struct src_loc at = { ctx->path, 0, 0 };

	*key = 0;
	if (!v || !strcmp(v, "id"))
		return 0;
	if (!strcmp(v, "name"))
		*key = 1;
	else if (!strcmp(v, "serial"))
		*key = 2;
	else
		return diag_error(&at, "bad device_id option '%s' (expected id, name or serial)", v);
	return 0;
}

/* ---- devices (DevicesWithInventory) ---- */

enum {
	DF_ID, DF_NAME, DF_SERIAL, DF_ENROLLED, DF_CHECKIN, DF_OS, DF_MODEL, DF_UPN,
	DF_EMAIL, DF_OWNERSHIP, DF_AGENT, DF_COMPLIANCE, DF_STATE
};

static const struct alias dev_alias[] = {
	{ DF_ID, "Device ID" }, { DF_ID, "DeviceId" },
	{ DF_NAME, "Device name" }, { DF_NAME, "DeviceName" },
	{ DF_SERIAL, "Serial number" }, { DF_SERIAL, "SerialNumber" },
	{ DF_ENROLLED, "Enrollment date" }, { DF_ENROLLED, "CreatedDate" },
	{ DF_CHECKIN, "Last check-in" }, { DF_CHECKIN, "LastContact" },
	{ DF_OS, "OS" }, { DF_OS, "DeviceType" }, { DF_OS, "DeviceType_loc" },
	{ DF_OS, "OSDescription" },
	{ DF_MODEL, "Model" },
	{ DF_UPN, "Primary user UPN" }, { DF_UPN, "UPN" },
	{ DF_EMAIL, "Primary user email address" }, { DF_EMAIL, "UserEmail" },
	{ DF_OWNERSHIP, "Ownership" }, { DF_OWNERSHIP, "OwnerType" },
	{ DF_OWNERSHIP, "OwnerType_loc" },
	{ DF_AGENT, "Managed by" }, { DF_AGENT, "ManagementAgent" },
	{ DF_AGENT, "ManagementAgents_loc" }, { DF_AGENT, "ManagementAgents" },
	{ DF_COMPLIANCE, "Compliance" }, { DF_COMPLIANCE, "ComplianceState" },
	{ DF_COMPLIANCE, "CompliantState" },
	{ DF_STATE, "Device state" }, { DF_STATE, "ManagementState" },
};
#define NDEV ((int)(sizeof(dev_alias) / sizeof(dev_alias[0])))

static struct csv_col dev_cols[NDEV];

static const char *platform_of(const char *os)
{
	if (lower_has(os, "ios") || lower_has(os, "ipados"))
		return "ios";
	if (lower_has(os, "android"))
		return "android";
	if (lower_has(os, "windows"))
		return "windows";
	if (lower_has(os, "macos") || lower_has(os, "mac os") || lower_has(os, "osx"))
		return "macos";
	return "";
}

/* The portal writes Corporate/Personal; the report API (DeviceCompliance
 * and the like) writes OwnerType as Intune's enum, 1 company and 2
 * personal, with OwnerType_loc as Company/Personal. */
static const char *ownership_of(const char *v)
{
	if (!strcasecmp(v, "Corporate") || !strcasecmp(v, "company") || !strcmp(v, "1"))
		return "gfe";
	if (!strcasecmp(v, "Personal") || !strcmp(v, "2"))
		return "byod";
	return "";                      /* "Unknown", 0 */
}

/* The first alias of a field whose value maps: the report API's numbers
 * may stand where the portal has words, with the words in *_loc. */
static const char *pick_mapped(const char *const *val, int field,
			       const char *(*map)(const char *))
{
	for (int i = 0; i < NDEV; i++)
		if (dev_alias[i].field == field && *val[i] && *map(val[i]))
			return map(val[i]);
	return "";
}

/* Managed from the device state (ManagementState), else from the agent. */
static int managed_of(const char *state, const char *agent)
{
	if (*state) {
		if (lower_has(state, "discovered") || !strcasecmp(state, "retired") ||
		    !strcasecmp(state, "wiped"))
			return 0;
		return 1;               /* managed, unhealthy, an action pending */
	}
	if (!*agent)
		return -1;
	if (lower_has(agent, "intune") || lower_has(agent, "mdm") ||
	    lower_has(agent, "configmgr") || lower_has(agent, "co-managed") ||
	    lower_has(agent, "jamf") || lower_has(agent, "google"))
		return 1;
	return 0;                       /* EAS only, none, unknown */
}

/* A wipe or retire that was issued (or done) is the device's status; an
 * action still pending is not. */
static const char *status_of(const char *state)
{
	if (lower_has(state, "pending") || lower_has(state, "failed") ||
	    lower_has(state, "cancel"))
		return "active";
	if (lower_has(state, "wipe"))
		return "wiped";
	if (lower_has(state, "retire"))
		return "retired";
	return "active";
}

struct dev_opts {
	int key;
	long long stale_days, newest;   /* stale_days 0 = off */
};
static struct dev_opts dev_opt;

/* What the local dates of a file say about their order: rows with a date
 * that only d/m (or only m/d) can read, the first of each, and dates
 * either order reads, differently. */
struct order_votes {
	unsigned long rows[2], first[2], either, either_line;
	char example[2][32], either_ex[32];
	long long newest[DO_COUNT];     /* the newest check-in read in each order */
};
static struct order_votes votes;

static void vote(const char *v, unsigned long line, int *mask, int checkin)
{
	int a, b, y;
	long long secs, ts;

	if (!time_parse(v, &ts, NULL)) {
		for (int o = 0; checkin && o < DO_COUNT; o++)
			if (ts > votes.newest[o])
				votes.newest[o] = ts;
		return;
	}
	if (parse_local(v, &a, &b, &y, &secs))
		return;
	for (int o = 0; checkin && o < DO_COUNT; o++) {
		char fa[8], fb[8], fy[8];
		const char *f[3] = { fa, fb, fy };
		long long day;
		snprintf(fa, sizeof(fa), "%d", a);
		snprintf(fb, sizeof(fb), "%d", b);
		snprintf(fy, sizeof(fy), "%d", y);
		day = localdate_day(f, (enum date_order)o);
		if (day >= 0 && day * 86400 + secs > votes.newest[o])
			votes.newest[o] = day * 86400 + secs;
	}
	if (a >= 1 && a <= 31 && b >= 1 && b <= 12 && a > 12) {
		*mask |= 1 << DO_DMY;
		if (!votes.example[DO_DMY][0])
			snprintf(votes.example[DO_DMY], sizeof(votes.example[0]), "%s", v);
	} else if (a >= 1 && a <= 12 && b >= 1 && b <= 31 && b > 12) {
		*mask |= 1 << DO_MDY;
		if (!votes.example[DO_MDY][0])
			snprintf(votes.example[DO_MDY], sizeof(votes.example[0]), "%s", v);
	} else if (a != b && a >= 1 && a <= 12 && b >= 1 && b <= 12 && !votes.either++) {
		votes.either_line = line;
		snprintf(votes.either_ex, sizeof(votes.either_ex), "%s", v);
	}
}

/* The pre-pass over the rows: the votes, and the newest check-in (which
 * stands for the export's date). */
static int device_scan(struct ingest_ctx *ctx, const char *const *val, unsigned long line)
{
	int mask = 0;

	(void)ctx;
	vote(pick(dev_alias, NDEV, val, DF_ENROLLED), line, &mask, 0);
	vote(pick(dev_alias, NDEV, val, DF_CHECKIN), line, &mask, 1);
	for (int o = DO_DMY; o <= DO_MDY; o++)
		if (mask & 1 << o && !votes.rows[o]++)
			votes.first[o] = line;
	return 0;
}

/* The order of the file's local dates, as WhatsApp's are read: a date only
 * one order can read decides; rows of both kinds are said, and the
 * minority become bad records naming --date-order; dates either order
 * reads (1/8/2024) are read m/d as Intune writes them, with a warning. */
static void pick_order(struct ingest_ctx *ctx)
{
	struct src_loc at = { ctx->path, 0, 0 };
	const unsigned long *n = votes.rows;

	local_order = n[DO_DMY] > n[DO_MDY] ? DO_DMY : DO_MDY;
	if (n[DO_DMY] && n[DO_MDY])
		diag_warn(&at, "%lu row%s write%s dates day first (line %lu: '%s') and %lu month"
			  " first (line %lu: '%s'): read as %s, the others are bad records;"
			  " give --date-order if that is wrong", n[DO_DMY], n[DO_DMY] == 1 ? "" : "s",
			  n[DO_DMY] == 1 ? "s" : "", votes.first[DO_DMY], votes.example[DO_DMY],
			  n[DO_MDY], votes.first[DO_MDY], votes.example[DO_MDY],
			  date_order_name(local_order));
	else if (n[local_order])
		diag_note("%s: local dates read as %s (line %lu: '%s')", ctx->path,
			  date_order_name(local_order), votes.first[local_order],
			  votes.example[local_order]);
	else if (votes.either)
		diag_warn(&at, "the dates do not tell d/m from m/d (line %lu: '%s'): read as mdy,"
			  " as Intune writes them; give --date-order if that is wrong",
			  votes.either_line, votes.either_ex);
}

static int device_row(struct ingest_ctx *ctx, const char *const *val, unsigned long line)
{
	static const int key_field[3] = { DF_ID, DF_NAME, DF_SERIAL };
	const char *id = pick(dev_alias, NDEV, val, key_field[dev_opt.key]);
	const char *state = pick(dev_alias, NDEV, val, DF_STATE);
	const char *checkin = pick(dev_alias, NDEV, val, DF_CHECKIN);
	const char *owner = pick(dev_alias, NDEV, val, DF_UPN);
	char enrolled[TIME_DATE_LEN], seen[TIME_DATE_LEN];
	struct device_rec r;
	long long ts = 0;
	int why;

	if (!*id)
		return bad_record(&ctx->bad, line, 0, "no device %s", dev_opt.key == 1 ? "name" :
				  dev_opt.key == 2 ? "serial number" : "id");
	if ((why = to_date(pick(dev_alias, NDEV, val, DF_ENROLLED), enrolled)) != 0)
		return bad_date(ctx, line, "enrollment date", pick(dev_alias, NDEV, val, DF_ENROLLED),
				why);
	if (*checkin && (why = parse_when(checkin, &ts)) != 0)
		return bad_date(ctx, line, "last check-in", checkin, why);
	seen[0] = '\0';
	if (*checkin)
		time_fmt_day(ts, seen);
	if (!*owner)
		owner = pick(dev_alias, NDEV, val, DF_EMAIL);
	r = (struct device_rec){
		.device_id = id, .custodian_id = owner,
		.platform = pick_mapped(val, DF_OS, platform_of),
		.model = pick(dev_alias, NDEV, val, DF_MODEL),
		.ownership = pick_mapped(val, DF_OWNERSHIP, ownership_of),
		.managed = managed_of(state, pick(dev_alias, NDEV, val, DF_AGENT)),
		.status = status_of(state), .status_on = "", .replaced_by = "",
		.enrolled_on = enrolled,
	};
	if (strcmp(r.status, "active"))
		r.status_on = seen;     /* the last contact before the wipe/retire */
	else if (dev_opt.stale_days && *checkin &&
		 dev_opt.newest - ts > dev_opt.stale_days * 86400) {
		r.status = "retired";   /* gone dark: option stale_days */
		r.status_on = seen;
	}
	return records_put_device(ctx, line, &r);
}

int load_intune_devices(struct ingest_ctx *ctx)
{
	static const char *const ids[3][3] = {
		{ "Device ID", "DeviceId", NULL }, { "Device name", "DeviceName", NULL },
		{ "Serial number", "SerialNumber", NULL },
	};
	static const char *const what[3] = { "'Device ID' (or 'DeviceId')",
		"'Device name' (or 'DeviceName')", "'Serial number' (or 'SerialNumber')" };
	const char *stale = ingest_opt(ctx, "stale_days");
	struct src_loc at = { ctx->path, 1, 0 };
	struct bad_records saved;
	int has, not_given, rc;

	memset(&dev_opt, 0, sizeof(dev_opt));
	memset(&votes, 0, sizeof(votes));
	if (device_key(ctx, &dev_opt.key) || (not_given = localdate_order_opt(ctx, &local_order)) < 0)
		return -1;
	if (stale) {
		char *end;
		dev_opt.stale_days = strtoll(stale, &end, 10);
		if (*end || dev_opt.stale_days <= 0 || dev_opt.stale_days > 36500)
			return diag_error(&at, "bad stale_days option '%s' (expected days > 0)", stale);
	}
	has = ingest_csv_has_column(ctx, ids[dev_opt.key]);
	if (has <= 0)
		return has < 0 ? -1 : diag_error(&at, "not an Intune devices export: no column %s",
						 what[dev_opt.key]);
	for (int i = 0; i < NDEV; i++)
		dev_cols[i] = (struct csv_col){ dev_alias[i].name, 0 };
	/* the pre-pass prints no bad record (the real pass does): it starts
	   past the count shown, and is never strict */
	saved = ctx->bad;
	ctx->bad.count = DIAG_MAX_SHOWN + 1;
	ctx->bad.strict = 0;
	rc = ingest_csv(ctx, dev_cols, NDEV, device_scan);
	ctx->bad = saved;
	if (rc)
		return -1;
	if (not_given)
		pick_order(ctx);
	dev_opt.newest = votes.newest[local_order];
	return ingest_csv(ctx, dev_cols, NDEV, device_row);
}

/* ---- discovered apps (AppInvRawData and the per-device reports) ---- */

enum { AF_DEVICE, AF_DEVNAME, AF_KEY, AF_NAME, AF_SHORTVER, AF_VERSION };

static const struct alias app_alias[] = {
	{ AF_DEVICE, "DeviceId" }, { AF_DEVICE, "Device ID" },
	{ AF_DEVNAME, "DeviceName" }, { AF_DEVNAME, "Device name" },
	{ AF_KEY, "ApplicationKey" }, { AF_KEY, "Application key" }, { AF_KEY, "App ID" },
	{ AF_NAME, "ApplicationName" }, { AF_NAME, "Application name" }, { AF_NAME, "App name" },
	{ AF_SHORTVER, "ApplicationShortVersion" }, { AF_SHORTVER, "Application short version" },
	{ AF_VERSION, "ApplicationVersion" }, { AF_VERSION, "Application version" },
	{ AF_VERSION, "Version" },
};
#define NAPP ((int)(sizeof(app_alias) / sizeof(app_alias[0])))

static struct csv_col app_cols[NAPP];
static int app_key_by_name;
static char app_seen[TIME_DATE_LEN];

/* A bundle id or package name: dotted, no spaces or braces (Windows keys
 * are GUIDs, and some mobile rows carry only a display name). */
static int looks_like_bundle(const char *v)
{
	return strchr(v, '.') && !strpbrk(v, " {}\\/") && v[0] != '.';
}

static int app_row(struct ingest_ctx *ctx, const char *const *val, unsigned long line)
{
	const char *dev = pick(app_alias, NAPP, val, app_key_by_name ? AF_DEVNAME : AF_DEVICE);
	const char *key = pick(app_alias, NAPP, val, AF_KEY);
	const char *name = pick(app_alias, NAPP, val, AF_NAME);
	const char *ver = pick(app_alias, NAPP, val, AF_SHORTVER);
	struct device_app_rec r;

	if (!*dev)
		return bad_record(&ctx->bad, line, 0, "no device %s", app_key_by_name ? "name" : "id");
	if (!looks_like_bundle(key))
		key = *name ? name : key;
	if (!*key)
		return bad_record(&ctx->bad, line, 0, "no application key or name");
	if (!*ver)
		ver = pick(app_alias, NAPP, val, AF_VERSION);
	r = (struct device_app_rec){
		.device_id = dev, .app_id = key, .app_name = name, .version = ver,
		.first_seen = app_seen, .last_seen = app_seen,
	};
	return records_put_device_app(ctx, line, &r);
}

int load_intune_apps(struct ingest_ctx *ctx)
{
	static const char *const ids[] = { "DeviceId", "Device ID", NULL };
	static const char *const apps[] = { "ApplicationKey", "ApplicationName", NULL };
	const char *seen = ingest_opt(ctx, "seen_on");
	struct src_loc at = { ctx->path, 1, 0 };
	long long days;
	int key, has;

	if (device_key(ctx, &key))
		return -1;
	if (key == 2)
		return diag_error(&at, "device_id=serial: the apps export has no serial numbers");
	app_key_by_name = key == 1;
	app_seen[0] = '\0';
	if (seen) {
		if (time_parse_date(seen, &days))
			return diag_error(&at, "bad seen_on option '%s' (expected YYYY-MM-DD)", seen);
		snprintf(app_seen, sizeof(app_seen), "%s", seen);
	}
	has = ingest_csv_has_column(ctx, ids);
	if (has < 0)
		return -1;
	if (!has) {
		has = ingest_csv_has_column(ctx, apps);
		return diag_error(&at, has > 0 ? "an aggregate apps report (AppInvAggregate) has no"
				  " devices; export AppInvRawData" :
				  "not an Intune discovered-apps export: no column 'DeviceId'");
	}
	for (int i = 0; i < NAPP; i++)
		app_cols[i] = (struct csv_col){ app_alias[i].name, 0 };
	return ingest_csv(ctx, app_cols, NAPP, app_row);
}
