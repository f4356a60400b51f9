/* devstatus: where the inputs disagree on a device's status. A device's
 * status comes from its inventory row and from status events of other
 * inputs (a Jamf device history, an MDM erase command, or the status an
 * inventory of another input gave before a later one replaced its row:
 * device_events);
 * the analysis uses the latest (schema.c, view device_state), whatever
 * the load order. Run by crosscheck_run with the cross-file checks:
 *
 *   device_status_conflict    two inputs give the device different
 *                             statuses or dates: the one used and the
 *                             latest other, each with its file:line
 *   device_without_inventory  a status event of a device that no
 *                             inventory lists (the analysis still uses it)
 *
 * One data_quality row per device or device reference. */
#ifndef UDAUDIT_DEVSTATUS_H
#define UDAUDIT_DEVSTATUS_H

struct store;

/* 0 or -1 (database error, printed). */
int devstatus_check(struct store *st);

#endif
