/* The audit database. Timestamps are INTEGER Unix seconds UTC (`*_ts`,
 * `ts`); dates are TEXT 'YYYY-MM-DD' (`*_on`, first_seen, last_seen).
 * Every loaded row keeps its evidence: input_id and line. */
#include "schema.h"

#include <stddef.h>

const char *const schema_migrations[] = {
	/* 1: inputs, canonical records, findings, tracker */
	"CREATE TABLE inputs ("
	"  input_id INTEGER PRIMARY KEY,"
	"  kind TEXT NOT NULL, path TEXT NOT NULL, size INTEGER NOT NULL,"
	"  sha256 TEXT NOT NULL, records INTEGER NOT NULL DEFAULT 0,"
	"  skipped INTEGER NOT NULL DEFAULT 0, ignored INTEGER NOT NULL DEFAULT 0,"
	"  loaded_at TEXT NOT NULL,"
	"  UNIQUE (kind, sha256));"
	"CREATE TABLE accounts ("
	"  account TEXT PRIMARY KEY, app TEXT, custodian_id TEXT,"
	"  custodian_name TEXT, office TEXT, role TEXT, official INTEGER,"
	"  capture TEXT, approved_on TEXT, opened_on TEXT, closed_on TEXT,"
	"  input_id INTEGER, line INTEGER);"
	"CREATE TABLE devices ("
	"  device_id TEXT PRIMARY KEY, custodian_id TEXT, platform TEXT,"
	"  model TEXT, ownership TEXT, managed INTEGER, status TEXT,"
	"  status_on TEXT, replaced_by TEXT, enrolled_on TEXT,"
	"  input_id INTEGER, line INTEGER);"
	"CREATE TABLE device_apps ("
	"  device_id TEXT NOT NULL, app_id TEXT NOT NULL, app_name TEXT,"
	"  version TEXT, first_seen TEXT, last_seen TEXT,"
	"  input_id INTEGER, line INTEGER,"
	"  PRIMARY KEY (device_id, app_id));"
	"CREATE TABLE usage ("
	"  event_id INTEGER PRIMARY KEY, input_id INTEGER NOT NULL,"
	"  line INTEGER NOT NULL, ts INTEGER NOT NULL, event TEXT NOT NULL,"
	"  app TEXT, account TEXT, device_id TEXT, message_id TEXT,"
	"  conversation_id TEXT, peer TEXT, to_account TEXT, ttl INTEGER);"
	"CREATE TABLE store_messages ("
	"  message_id TEXT PRIMARY KEY, app TEXT NOT NULL, account TEXT NOT NULL,"
	"  conversation_id TEXT, sent_ts INTEGER NOT NULL,"
	"  captured_ts INTEGER NOT NULL, sha256 TEXT, purged_ts INTEGER,"
	"  purge_reason TEXT, input_id INTEGER, line INTEGER);"
	"CREATE TABLE retention_policies ("
	"  app TEXT NOT NULL, role TEXT, retention_days INTEGER,"
	"  effective_on TEXT, input_id INTEGER, line INTEGER);"
	/* analysis runs: one per as_of; a re-run replaces its findings */
	"CREATE TABLE runs ("
	"  run_id INTEGER PRIMARY KEY, as_of TEXT NOT NULL UNIQUE,"
	"  quarter TEXT, rules_dir TEXT, rules_sha256 TEXT,"
	"  copies INTEGER, excluded INTEGER, gave_up INTEGER);"
	"CREATE TABLE findings ("
	"  run_id INTEGER NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,"
	"  finding_id TEXT NOT NULL, type TEXT NOT NULL, class TEXT NOT NULL,"
	"  severity TEXT NOT NULL, office TEXT, custodian_id TEXT, account TEXT,"
	"  app TEXT, device_id TEXT, first_ts INTEGER, last_ts INTEGER,"
	"  message_count INTEGER NOT NULL, conversation_count INTEGER NOT NULL,"
	"  detail TEXT NOT NULL,"
	"  PRIMARY KEY (run_id, finding_id));"
	"CREATE TABLE evidence ("
	"  run_id INTEGER NOT NULL, finding_id TEXT NOT NULL,"
	"  input_id INTEGER NOT NULL, line INTEGER NOT NULL,"
	"  FOREIGN KEY (run_id, finding_id) REFERENCES findings ON DELETE CASCADE);"
	"CREATE INDEX evidence_finding ON evidence (run_id, finding_id);"
	/* the message copies behind each message finding (reports count
	   distinct messages and surviving copies from them) */
	"CREATE TABLE finding_copies ("
	"  run_id INTEGER NOT NULL, finding_id TEXT NOT NULL,"
	"  account TEXT NOT NULL, message_id TEXT NOT NULL, ts INTEGER NOT NULL,"
	"  conversation_id TEXT,"
	"  FOREIGN KEY (run_id, finding_id) REFERENCES findings ON DELETE CASCADE);"
	"CREATE INDEX finding_copies_finding ON finding_copies (run_id, finding_id);"
	/* tracker (spec §3.6) */
	"CREATE TABLE recommendations ("
	"  report_id TEXT NOT NULL, rec_no TEXT NOT NULL, report_title TEXT,"
	"  issued_on TEXT, source TEXT, text TEXT, concurrence TEXT,"
	"  target_on TEXT, status TEXT, status_on TEXT, priority TEXT,"
	"  evidence TEXT, input_id INTEGER, line INTEGER,"
	"  PRIMARY KEY (report_id, rec_no));"
	"CREATE TABLE actions ("
	"  action_id TEXT PRIMARY KEY, title TEXT, owner_office TEXT, owner TEXT,"
	"  due_on TEXT, revised_due_on TEXT, status TEXT, percent INTEGER,"
	"  evidence TEXT, input_id INTEGER, line INTEGER);"
	"CREATE TABLE action_refs ("
	"  action_id TEXT NOT NULL REFERENCES actions ON DELETE CASCADE,"
	"  ref TEXT NOT NULL, PRIMARY KEY (action_id, ref));"
	"CREATE TABLE cases ("
	"  case_id TEXT PRIMARY KEY, agency TEXT, opened_on TEXT, closed_on TEXT,"
	"  status TEXT, records TEXT, nara_letter_on TEXT, response_due_on TEXT,"
	"  input_id INTEGER, line INTEGER);"
	/* dated status changes of an action, recommendation or case */
	"CREATE TABLE status_updates ("
	"  update_id INTEGER PRIMARY KEY, item_kind TEXT NOT NULL,"
	"  item_id TEXT NOT NULL, on_date TEXT NOT NULL, status TEXT NOT NULL,"
	"  note TEXT, evidence TEXT, input_id INTEGER, line INTEGER);"
	"CREATE INDEX status_updates_item ON status_updates (item_kind, item_id, on_date);",
	/* 2: the agency and component of the audit (audit.ini [audit]), set by
	   `run`, so the PDF letters written later from the DB alone carry the
	   right letterhead */
	"ALTER TABLE runs ADD COLUMN agency TEXT;"
	"ALTER TABLE runs ADD COLUMN component TEXT;",
	/* 3: store_messages is a plain rowid table in load order (spec 8: the
	   message_id key made every insert a descent and a write into a
	   second b-tree, at random places for random ids). A
	   message_id loaded twice keeps both rows; readers take the first by
	   rowid, as the key's INSERT OR IGNORE did (analyze.h). */
	"CREATE TABLE store_messages_v3 ("
	"  message_id TEXT, app TEXT NOT NULL, account TEXT NOT NULL,"
	"  conversation_id TEXT, sent_ts INTEGER NOT NULL,"
	"  captured_ts INTEGER NOT NULL, sha256 TEXT, purged_ts INTEGER,"
	"  purge_reason TEXT, input_id INTEGER, line INTEGER);"
	"INSERT INTO store_messages_v3 SELECT message_id, app, account, conversation_id,"
	"  sent_ts, captured_ts, sha256, purged_ts, purge_reason, input_id, line"
	"  FROM store_messages ORDER BY rowid;"
	"DROP TABLE store_messages;"
	"ALTER TABLE store_messages_v3 RENAME TO store_messages;",
	/* 4: where the input was, absolute, so `verify` finds it from any
	   directory; `path` stays as given, for the reports */
	"ALTER TABLE inputs ADD COLUMN abs_path TEXT;",
	/* 5: the tracker keeps what was recorded (issue 11): the percent of a
	   dated update; when the NARA report of a case was sent, and every
	   letter sent on it; the POA&M columns of an action; the due-date
	   changes an edited actions.csv made; rows skipped for a reference
	   that did not resolve, kept to be loaded when it appears */
	"ALTER TABLE status_updates ADD COLUMN percent INTEGER;"
	"ALTER TABLE cases ADD COLUMN report_sent_on TEXT;"
	"CREATE TABLE case_letters ("
	"  letter_id INTEGER PRIMARY KEY, case_id TEXT NOT NULL,"
	"  sent_on TEXT NOT NULL, kind TEXT NOT NULL, note TEXT,"
	"  input_id INTEGER, line INTEGER);"
	"ALTER TABLE actions ADD COLUMN risk TEXT;"
	"ALTER TABLE actions ADD COLUMN resources TEXT;"
	"ALTER TABLE actions ADD COLUMN comments TEXT;"
	"CREATE TABLE due_changes ("
	"  change_id INTEGER PRIMARY KEY, action_id TEXT NOT NULL,"
	"  field TEXT NOT NULL, old_on TEXT, new_on TEXT,"
	"  input_id INTEGER, line INTEGER);"
	"CREATE TABLE tracker_pending ("
	"  input_id INTEGER NOT NULL, line INTEGER NOT NULL, kind TEXT NOT NULL,"
	"  ref TEXT NOT NULL, fields TEXT NOT NULL, loaded_by INTEGER,"
	"  PRIMARY KEY (input_id, line));",
	/* 6: what the writers print is what the analysis decided (findings.h):
	   the facts of each copy, and the rule packs a run used */
	"ALTER TABLE finding_copies ADD COLUMN direction TEXT;"
	"ALTER TABLE finding_copies ADD COLUMN loss TEXT;"
	"ALTER TABLE finding_copies ADD COLUMN loss_ts INTEGER;"
	"ALTER TABLE finding_copies ADD COLUMN retained TEXT;"
	"ALTER TABLE finding_copies ADD COLUMN retained_ts INTEGER;"
	"ALTER TABLE finding_copies ADD COLUMN survives INTEGER NOT NULL DEFAULT 0;"
	"CREATE TABLE run_rules ("
	"  run_id INTEGER NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,"
	"  file TEXT NOT NULL, size INTEGER NOT NULL, sha256 TEXT NOT NULL,"
	"  text TEXT NOT NULL);",
	/* 7: data-quality warnings (crosscheck.c: one row per check and
	   value, with its first file:line and a count; rows of an input's own
	   warnings go with it, from_input = 1), and the versions of inputs
	   that a newer version superseded or `inputs retire` retired: `inputs`
	   holds the current version of each, which is what reports and
	   verify show; config_key names the audit.ini key that loaded it */
	"CREATE TABLE data_quality ("
	"  check_name TEXT NOT NULL, message TEXT NOT NULL, subject TEXT NOT NULL,"
	"  suggestion TEXT, count INTEGER NOT NULL, unit TEXT NOT NULL,"
	"  input_id INTEGER, line INTEGER,"
	"  from_input INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE input_history ("
	"  input_id INTEGER PRIMARY KEY, kind TEXT NOT NULL, path TEXT NOT NULL,"
	"  size INTEGER NOT NULL, sha256 TEXT NOT NULL, records INTEGER, skipped INTEGER,"
	"  ignored INTEGER, loaded_at TEXT NOT NULL, abs_path TEXT, config_key TEXT,"
	"  retired_at TEXT NOT NULL, superseded_by INTEGER, reason TEXT NOT NULL);"
	"ALTER TABLE inputs ADD COLUMN config_key TEXT;",
	/* 8: a copy whose time is only an upper bound (a Wickr deletion of a
	   message no file captured: it existed no later than the deletion),
	   kept from the usage event to the finding's copy, so the letters say
	   "no later than" instead of giving the deletion time as sent time */
	"ALTER TABLE usage ADD COLUMN ts_bound INTEGER;"
	"ALTER TABLE finding_copies ADD COLUMN ts_bound INTEGER NOT NULL DEFAULT 0;",
	/* 9: the files of a folder input (an unzipped Slack export): inputs
	   has the folder's digest over them (dirin.h), this each file */
	"CREATE TABLE input_files ("
	"  input_id INTEGER NOT NULL, path TEXT NOT NULL, size INTEGER NOT NULL,"
	"  sha256 TEXT NOT NULL, PRIMARY KEY (input_id, path));",
	/* 10: what each evidence row records (its event, message and time),
	   stored by the analysis so that no writer reads usage or
	   store_messages (findings.h) */
	"ALTER TABLE evidence ADD COLUMN event TEXT;"
	"ALTER TABLE evidence ADD COLUMN message_id TEXT;"
	"ALTER TABLE evidence ADD COLUMN ts INTEGER;"
	"ALTER TABLE evidence ADD COLUMN day TEXT;",
	/* 11: a device's status from an input that is not its inventory (a
	   Jamf device history, a list of MDM commands) is a row of its own,
	   so no inventory loaded before or after it overwrites it;
	   device_ids maps another id of a device (Jamf's managementId, which
	   MDM commands name) to its device_id. device_state is the status the
	   analysis uses, whatever the load order: the latest of the
	   inventory's status and the events' (an event on the same day wins;
	   an inventory's 'active' or no status yields to any event); a device
	   only an event names is there too. crosscheck says where they
	   disagree (devstatus.c). */
	"CREATE TABLE device_events ("
	"  device_ref TEXT NOT NULL, status TEXT NOT NULL, status_on TEXT NOT NULL,"
	"  input_id INTEGER, line INTEGER);"
	"CREATE TABLE device_ids ("
	"  alias TEXT NOT NULL, device_id TEXT NOT NULL, input_id INTEGER, line INTEGER);"
	"CREATE INDEX device_ids_alias ON device_ids (alias);"
	"CREATE VIEW device_events_resolved AS"
	"  SELECT coalesce((SELECT min(a.device_id) FROM device_ids a WHERE a.alias = e.device_ref),"
	"    e.device_ref) AS device_id, e.device_ref, e.status, e.status_on, e.input_id, e.line"
	"  FROM device_events e;"
	"CREATE VIEW device_state AS"
	"  WITH last AS (SELECT * FROM (SELECT r.*, row_number() OVER (PARTITION BY r.device_id"
	"      ORDER BY r.status_on DESC, r.status, r.input_id, r.line) AS k"
	"    FROM device_events_resolved r) WHERE k = 1),"
	"  src AS (SELECT d.device_id, d.custodian_id, d.platform, d.model, d.ownership, d.managed,"
	"      d.replaced_by, d.enrolled_on, d.status AS inv_status, d.status_on AS inv_on,"
	"      d.input_id AS inv_input, d.line AS inv_line, l.status AS ev_status,"
	"      l.status_on AS ev_on, l.input_id AS ev_input, l.line AS ev_line"
	"    FROM devices d LEFT JOIN last l ON l.device_id = d.device_id"
	"    UNION ALL SELECT l.device_id, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
	"      NULL, NULL, l.status, l.status_on, l.input_id, l.line FROM last l"
	"    WHERE NOT EXISTS (SELECT 1 FROM devices d WHERE d.device_id = l.device_id)),"
	"  pick AS (SELECT src.*, ev_status IS NOT NULL AND (inv_status IS NULL"
	"      OR inv_status = 'active' OR ev_on >= coalesce(inv_on, '')) AS by_event FROM src)"
	"  SELECT device_id, custodian_id, platform, model, ownership, managed, replaced_by,"
	"    enrolled_on, CASE WHEN by_event THEN ev_status ELSE inv_status END AS status,"
	"    CASE WHEN by_event THEN ev_on ELSE inv_on END AS status_on,"
	"    CASE WHEN by_event THEN ev_input ELSE inv_input END AS input_id,"
	"    CASE WHEN by_event THEN ev_line ELSE inv_line END AS line, by_event"
	"  FROM pick;",
	/* 12: the side files of an input (a file an option names and the
	   loader reads, as teams' users=FILE): a row with the option's name
	   and the file's own path (abs_path finds it from any directory); a
	   folder's files have option NULL */
	"ALTER TABLE input_files ADD COLUMN option TEXT;"
	"ALTER TABLE input_files ADD COLUMN abs_path TEXT;",
	NULL
};
