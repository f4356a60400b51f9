/* devstatus: the disagreements between the inputs on a device's status
 * (devstatus.h). The devices with status events are few (wipes, losses):
 * these queries read device_events and the devices they name. */
#include "devstatus.h"

#include <stdio.h>
#include <string.h>

#include "crosscheck.h"
#include "store.h"

/* Each input's say on each device with events: the inventory's status
 * when it is one ('active' or none yields to any event, never
 * disagrees), and each input's latest event; with the status used
 * (device_state) and the input's path. Ordered by device, latest first. */
static const char sources_sql[] =
	"WITH ev AS (SELECT * FROM (SELECT r.*, row_number() OVER (PARTITION BY r.device_id,"
	"    r.input_id ORDER BY r.status_on DESC, r.status, r.line) AS k"
	"    FROM device_events_resolved r) WHERE k = 1),"
	" src AS (SELECT device_id, status, coalesce(status_on, '') AS status_on, input_id, line"
	"    FROM devices WHERE status IS NOT NULL AND status <> 'active'"
	"    AND device_id IN (SELECT device_id FROM ev)"
	"  UNION ALL SELECT device_id, status, status_on, input_id, line FROM ev),"
	" split AS (SELECT device_id FROM src GROUP BY device_id"
	"    HAVING count(DISTINCT status || ' ' || status_on) > 1)"
	" SELECT s.device_id, s.status, s.status_on, i.path, s.line, v.status,"
	"  coalesce(v.status_on, ''), v.input_id, v.line"
	" FROM src s JOIN split USING (device_id) JOIN device_state v USING (device_id)"
	" LEFT JOIN inputs i ON i.input_id = s.input_id"
	" ORDER BY s.device_id, s.status_on DESC, s.status, s.input_id, s.line";

/* The status used and the latest other, for one device. */
struct split {
	char device[256], used[300], other[600];
	long long input_id, line, n;
};

static int flush(struct store *st, struct split *sp)
{
	char subject[1200];

	if (!sp->device[0])
		return 0;
	snprintf(subject, sizeof(subject), "%s: %s; not %s", sp->device, sp->used, sp->other);
	sp->device[0] = '\0';
	return quality_add(st, "device_status_conflict", "inputs disagree on the device's"
			   " status (the latest is used)", subject, NULL, sp->n, "statuses",
			   sp->input_id, (unsigned long)sp->line, 0);
}

static int conflicts(struct store *st)
{
	struct stmt *s = stmt_prepare(st, sources_sql);
	struct split sp;
	int rc, err = 0;

	if (!s)
		return -1;
	memset(&sp, 0, sizeof(sp));
	while (!err && (rc = stmt_step(s)) == 1) {
		const char *dev = stmt_text(s, 0), *status = stmt_text(s, 1), *on = stmt_text(s, 2);
		const char *used = stmt_text(s, 5), *used_on = stmt_text(s, 6);
		if (strcmp(dev, sp.device)) {
			err = flush(st, &sp);
			snprintf(sp.device, sizeof(sp.device), "%s", dev);
			snprintf(sp.used, sizeof(sp.used), "%s on %s", used ? used : "?", used_on);
			sp.other[0] = '\0';
			sp.input_id = stmt_int(s, 7);
			sp.line = stmt_int(s, 8);
			sp.n = 1;
		}
		if (used && !strcmp(status, used) && !strcmp(on, used_on))
			continue;               /* the one used, or one that agrees with it */
		if (!sp.other[0])
			snprintf(sp.other, sizeof(sp.other), "%s on %s (%s:%lld)", status, on,
				 stmt_text(s, 3) ? stmt_text(s, 3) : "?", stmt_int(s, 4));
		sp.n++;
	}
	stmt_free(s);
	if (!err)
		err = flush(st, &sp);
	return rc < 0 || err ? -1 : 0;
}

/* Events of devices no inventory lists: by the reference the input gave. */
static int without_inventory(struct store *st)
{
	struct stmt *s = stmt_prepare(st,
		"SELECT device_ref, count(*), min(input_id * 4294967296 + line)"
		" FROM device_events_resolved r"
		" WHERE NOT EXISTS (SELECT 1 FROM devices d WHERE d.device_id = r.device_id)"
		" GROUP BY device_ref ORDER BY device_ref");
	int rc;

	if (!s)
		return -1;
	while ((rc = stmt_step(s)) == 1) {
		long long loc = stmt_int(s, 2);
		if (quality_add(st, "device_without_inventory", "device status of a device no"
				" inventory lists (load its inventory)", stmt_text(s, 0), NULL,
				stmt_int(s, 1), "status events", loc >> 32,
				(unsigned long)(loc & 0xffffffffLL), 0)) {
			rc = -1;
			break;
		}
	}
	stmt_free(s);
	return rc < 0 ? -1 : 0;
}

int devstatus_check(struct store *st)
{
	return conflicts(st) || without_inventory(st) ? -1 : 0;
}
