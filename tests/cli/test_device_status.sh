# A device's status, whatever the order the inputs are loaded in: a wipe
# from a Jamf device history or MDM command list is a status event of its
# own (device_events) that a later inventory does not overwrite; the
# analysis uses the latest of the inventory's status and the events'
# (device_state), and a disagreement between inputs is said with
# file:line and kept in data_quality.
. tests/cli/lib.sh
D=tests/data/adapters/jamf
state() { sql "$1" "SELECT device_id, status, status_on FROM device_state ORDER BY device_id"; }

# Jamf Pro API MDM commands (GET /api/v2/mdm/commands): 8 commands, three
# erases acknowledged (the MacBook C02XX0000001 on 2024-05-20, the iPhone
# F2LXX0000001 on 2024-06-12, and a Mac whose inventory record is bad:
# C02XX0000002, 2024-05-28), one erase pending, one failed; a lock, Lost
# Mode, an inventory update are no wipes. The commands name the device by
# its managementId, which the inventory gives.
rm -f "$T/a.db"
run ingest --db "$T/a.db" jamf $D/pro_mdm_commands.json
t_eq "commands: exit" "$rc" 0
t_contains "commands: summary" "$T/out" "3 records      0 skipped"
t_contains "commands: said" "$T/err" "pro_mdm_commands.json: 8 MDM commands, 3 wipes (2 erase commands not acknowledged: no wipe)"
t_eq "commands: the wipes, by managementId" "$(sql "$T/a.db" "SELECT device_ref, status, status_on, line FROM device_events ORDER BY line")" \
"4f5c6a1e-0000-4000-8000-000000000021|wiped|2024-05-20|4
7a1e2b3c-0000-4000-8000-000000000011|wiped|2024-06-12|37
4f5c6a1e-0000-4000-8000-000000000022|wiped|2024-05-28|75"
run ingest --db "$T/a.db" jamf $D/pro_mobile_devices.json $D/pro_computers.json
t_eq "commands then inventory: the status used" "$(state "$T/a.db")" \
"4f5c6a1e-0000-4000-8000-000000000022|wiped|2024-05-28
C02XX0000001|wiped|2024-05-20
F2LXX0000001|wiped|2024-06-12
F2LXX0000002|active|
F2LXX0000003|lost|2024-04-30"

# the same inputs the other way round
rm -f "$T/b.db"
run ingest --db "$T/b.db" jamf $D/pro_mobile_devices.json $D/pro_computers.json
t_eq "inventory alone" "$(state "$T/b.db")" \
"C02XX0000001|active|
F2LXX0000001|active|
F2LXX0000002|active|
F2LXX0000003|lost|2024-04-30"
run ingest --db "$T/b.db" jamf $D/pro_mdm_commands.json
t_eq "inventory then commands: the same" "$(state "$T/b.db")" "$(state "$T/a.db")"

# messages on the two wiped devices: before the wipe (lost with it), after
# (not lost: a copy made on the device after it was erased)
cat >"$T/acc.csv" <<CSV
account,app,custodian_id,custodian_name,office,role,official,capture,approved_on,opened_on,closed_on
whatsapp:+15550100001,whatsapp,j.doe@example.gov,Jane Doe,OPS,standard,yes,manual,,2018-01-01,
slack:T1/U1,slack,p.lee@example.gov,Pat Lee,OPS,standard,yes,manual,,2018-01-01,
CSV
{
	printf '{"ts":"2024-06-01T10:00:00Z","app":"whatsapp","account":"whatsapp:+15550100001","device_id":"F2LXX0000001","event":"sent","message_id":"m1","conversation_id":"c1"}\n'
	printf '{"ts":"2024-06-11T23:00:00Z","app":"whatsapp","account":"whatsapp:+15550100001","device_id":"F2LXX0000001","event":"received","message_id":"m2","conversation_id":"c1"}\n'
	printf '{"ts":"2024-06-13T09:00:00Z","app":"whatsapp","account":"whatsapp:+15550100001","device_id":"F2LXX0000001","event":"sent","message_id":"m3","conversation_id":"c1"}\n'
	printf '{"ts":"2024-05-02T12:00:00Z","app":"slack","account":"slack:T1/U1","device_id":"C02XX0000001","event":"sent","message_id":"s1","conversation_id":"C1"}\n'
} >"$T/u.jsonl"
for db in a b; do
	run ingest --db "$T/$db.db" accounts "$T/acc.csv"
	run ingest --db "$T/$db.db" usage "$T/u.jsonl"
	run analyze --db "$T/$db.db" --as-of 2024-07-31
	cp "$T/err" "$T/analyze_$db.err"
	run findings --db "$T/$db.db" --format csv
	cut -d, -f2- "$T/out" >"$T/findings_$db.csv"
done
t_eq "DEVICE_LOSS: one per device, the copies before each wipe" "$(sql "$T/a.db" "SELECT f.device_id,
	f.message_count, group_concat(c.message_id), strftime('%Y-%m-%d', min(c.loss_ts), 'unixepoch')
	FROM findings f JOIN finding_copies c USING (run_id, finding_id) WHERE f.type = 'DEVICE_LOSS'
	GROUP BY f.finding_id ORDER BY f.device_id")" \
"C02XX0000001|1|s1|2024-05-20
F2LXX0000001|2|m1,m2|2024-06-12"
t_eq "the copy after the wipe: not lost with it" "$(sql "$T/a.db" "SELECT f.type FROM findings f
	JOIN finding_copies c USING (run_id, finding_id) WHERE c.message_id = 'm3'")" NOT_FORWARDED
t_eq "both load orders: the same findings" "$(cat "$T/findings_b.csv")" "$(cat "$T/findings_a.csv")"
t_eq "both load orders: the same evidence lines" "$(sql "$T/b.db" "SELECT f.type, f.device_id, i.path, e.line, e.event, e.day
	FROM evidence e JOIN findings f USING (run_id, finding_id) JOIN inputs i USING (input_id)
	WHERE f.type = 'DEVICE_LOSS' AND i.kind = 'jamf' ORDER BY 2")" "$(sql "$T/a.db" "SELECT f.type, f.device_id, i.path,
	e.line, e.event, e.day FROM evidence e JOIN findings f USING (run_id, finding_id) JOIN inputs i USING (input_id)
	WHERE f.type = 'DEVICE_LOSS' AND i.kind = 'jamf' ORDER BY 2")"
t_eq "the wipe is the evidence" "$(sql "$T/a.db" "SELECT f.device_id, e.line, e.event, e.day FROM evidence e
	JOIN findings f USING (run_id, finding_id) JOIN inputs i USING (input_id)
	WHERE f.type = 'DEVICE_LOSS' AND i.kind = 'jamf' ORDER BY 1")" \
"C02XX0000001|4|device wiped|2024-05-20
F2LXX0000001|37|device wiped|2024-06-12"
for db in a b; do
	t_contains "$db: the wipe of a Mac no inventory lists, said" "$T/analyze_$db.err" \
		"pro_mdm_commands.json:75: warning: device status of a device no inventory lists (load its inventory): '4f5c6a1e-0000-4000-8000-000000000022' (1 status events)"
	t_not_contains "$db: no disagreement" "$T/analyze_$db.err" "inputs disagree"
done
t_eq "data_quality rows" "$(sql "$T/a.db" "SELECT check_name, subject, count, unit FROM data_quality
	WHERE check_name LIKE 'device_%'")" \
	"device_without_inventory|4f5c6a1e-0000-4000-8000-000000000022|1|status events"

# a new version of the inventory (the same file, edited, loaded again:
# it supersedes the old) keeps the wipe; so does a devices.csv that says
# the device is active
cp $D/pro_mobile_devices.json "$T/inventory.json"
rm -f "$T/r.db"
run ingest --db "$T/r.db" jamf "$T/inventory.json" $D/pro_mdm_commands.json
sed -i 's/"iPhone 14 Pro"/"iPhone 14 Pro Max"/' "$T/inventory.json"
run ingest --db "$T/r.db" jamf "$T/inventory.json"
t_contains "re-load: superseded" "$T/out" "replaces 8c9c28046487"
t_eq "re-load: the wipe kept" "$(sql "$T/r.db" "SELECT model, status, status_on FROM device_state
	WHERE device_id = 'F2LXX0000001'")" "iPhone 14 Pro Max|wiped|2024-06-12"
cat >"$T/devices.csv" <<CSV
device_id,custodian_id,platform,model,ownership,managed,status,status_on,replaced_by,enrolled_on
F2LXX0000001,j.doe@example.gov,ios,iPhone 14 Pro,gfe,yes,active,,,2024-01-08
F2LXX0000003,k.ray@example.gov,ios,iPhone 13,gfe,yes,retired,2024-06-20,,2022-05-05
CSV
run ingest --db "$T/r.db" devices "$T/devices.csv"
t_eq "devices.csv after: active yields to the wipe" "$(sql "$T/r.db" "SELECT status, status_on FROM device_state
	WHERE device_id = 'F2LXX0000001'")" "wiped|2024-06-12"

# an Intune inventory loaded after the wipe (the same iPhone, known by
# its name in both: GOV-IPH-0042) replaces the device's row, not its wipe
rm -f "$T/i.db"
run ingest --db "$T/i.db" --opt device_id=name jamf $D/pro_mobile_devices.json
run ingest --db "$T/i.db" jamf $D/pro_mdm_commands.json
run ingest --db "$T/i.db" --opt device_id=name intune-devices tests/data/adapters/intune/devices_by_name.csv
t_eq "intune after: its row" "$(sql "$T/i.db" "SELECT d.status, i.kind FROM devices d JOIN inputs i USING (input_id)
	WHERE device_id = 'GOV-IPH-0042'")" "active|intune-devices"
t_eq "intune after: the wipe kept" "$(sql "$T/i.db" "SELECT status, status_on FROM device_state
	WHERE device_id = 'GOV-IPH-0042'")" "wiped|2024-06-12"

# two inventories of the same device: the row of the one loaded last,
# the status of both (Jamf's Lost Mode of F2LXX0000003 on 2024-04-30 is
# kept when devices.csv replaces its row), whatever the order
t_eq "two inventories: the other's status kept" "$(sql "$T/r.db" "SELECT device_ref, status, status_on FROM device_events
	WHERE device_ref = 'F2LXX0000003'")" "F2LXX0000003|lost|2024-04-30"
t_eq "two inventories: the latest used" "$(sql "$T/r.db" "SELECT status, status_on FROM device_state
	WHERE device_id = 'F2LXX0000003'")" "retired|2024-06-20"
rm -f "$T/o.db"
run ingest --db "$T/o.db" devices "$T/devices.csv"
run ingest --db "$T/o.db" jamf "$T/inventory.json" $D/pro_mdm_commands.json
t_eq "two inventories the other way round: the same" "$(state "$T/o.db" | grep -v '^4f5c')" "$(state "$T/r.db" | grep -v '^4f5c')"
printf 'device_id,status\nF2LXX0000003,active\n' >"$T/active.csv"
rm -f "$T/k.db"
run ingest --db "$T/k.db" jamf "$T/inventory.json"
run ingest --db "$T/k.db" devices "$T/active.csv"
t_eq "an inventory saying active: Lost Mode kept" "$(sql "$T/k.db" "SELECT status, status_on FROM device_state
	WHERE device_id = 'F2LXX0000003'")" "lost|2024-04-30"

# three inputs that disagree: devices.csv says retired on 2024-06-20, the
# Jamf inventory lost on 2024-04-30, a history wiped on 2024-06-25 (the
# latest is used), each named
sed 's/AB44F4D060A4/F2LXX0000003/; s/2021-05-03T/2024-06-25T/; s/1620050531000/1719306131000/' \
	$D/classic_mobile_device_history.json >"$T/history.json"
run ingest --db "$T/r.db" jamf "$T/history.json"
run analyze --db "$T/r.db" --as-of 2024-07-31
t_eq "disagreement: the latest used" "$(sql "$T/r.db" "SELECT status, status_on FROM device_state
	WHERE device_id = 'F2LXX0000003'")" "wiped|2024-06-25"
t_contains "disagreement: said with both" "$T/err" "udaudit: $T/history.json:1: warning: inputs disagree on the device's status (the latest is used): 'F2LXX0000003: wiped on 2024-06-25; not retired on 2024-06-20 ($T/devices.csv:3)' (3 statuses)"
t_eq "disagreement: its data_quality row" "$(sql "$T/r.db" "SELECT q.check_name, q.count, q.line, i.path = '$T/history.json'
	FROM data_quality q JOIN inputs i USING (input_id) WHERE q.check_name = 'device_status_conflict'")" \
	"device_status_conflict|3|1|1"
# the history taken out of the audit: its wipe goes with it
hid=$(sql "$T/r.db" "SELECT input_id FROM inputs WHERE path = '$T/history.json'")
run inputs retire --db "$T/r.db" "$hid"
t_eq "history retired: the inventory's status again" "$(sql "$T/r.db" "SELECT status, status_on FROM device_state
	WHERE device_id = 'F2LXX0000003'")" "retired|2024-06-20"
t_done
