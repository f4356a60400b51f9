# The jamf adapter (spec §6): Jamf Pro inventory (Jamf Pro API JSON,
# Classic API JSON and XML, Advanced Search CSV) into devices and device
# apps, as intune-devices and intune-apps do for Intune.
. tests/cli/lib.sh
D=tests/data/adapters/jamf
devices() { sql "$1" "SELECT device_id, custodian_id, platform, model, ownership, managed, status,
	status_on, enrolled_on FROM devices ORDER BY device_id"; }

# Classic API, one mobile device (Jamf's sample record): 1 iPad, 18 apps
for f in classic_mobile_device.json classic_mobile_device.xml; do
	rm -f "$T/c.db"
	run ingest --db "$T/c.db" jamf $D/$f
	t_eq "$f: exit" "$rc" 0
	t_contains "$f: summary" "$T/out" "19 records      0 skipped"
	t_contains "$f: counts said" "$T/err" "1 devices (0 wiped, 0 lost, 0 not managed: retired), 18 apps"
	t_eq "$f: device" "$(devices "$T/c.db")" \
		"AB44F4D060A3|User28@email.com|ios|iPad 3rd Generation (Wi-Fi)|gfe|1|active||2021-03-29"
	t_eq "$f: apps, seen on the inventory date" "$(sql "$T/c.db" "SELECT count(*), count(DISTINCT app_id),
		min(first_seen), max(last_seen) FROM device_apps")" "18|18|2021-03-29|2021-03-29"
	t_eq "$f: an app" "$(sql "$T/c.db" "SELECT app_id, app_name, version FROM device_apps WHERE app_name = 'YouTube'")" \
		"com.google.ios.youtube|YouTube|2.10.2.11369"
done

# Classic XML list of two, one in Lost Mode: lost on the day the command
# enabling it was issued (lost_mode_enable_issued_utc, 04:15 at -05:00);
# the other's "Unsupervised Device" is no Lost Mode
rm -f "$T/l.db"
run ingest --db "$T/l.db" jamf $D/classic_mobile_devices.xml
t_contains "XML list: summary" "$T/out" "22 records      0 skipped"
t_eq "XML list: the lost one" "$(sql "$T/l.db" "SELECT device_id, custodian_id, status, status_on FROM devices WHERE status != 'active'")" \
	"AB44F4D060A4|j.doe@example.gov|lost|2021-04-02"
# its management history (/JSSResource/mobiledevicehistory): wiped
# (EraseDevice completed 2021-05-03 09:02 at -05:00), later than Lost
# Mode: the status the analysis uses (device_state), the history its
# evidence; the inventory's row keeps what the inventory said
run ingest --db "$T/l.db" jamf $D/classic_mobile_device_history.json
t_eq "history: exit" "$rc" 0
t_contains "history: summary" "$T/out" "1 records      0 skipped"
t_contains "history: said" "$T/err" "1 device histories, 1 wipes"
t_eq "history: wiped" "$(sql "$T/l.db" "SELECT d.device_id, d.status, d.status_on, d.model, i.kind,
	substr(i.path, length(i.path) - 33) FROM device_state d JOIN inputs i USING (input_id)
	WHERE d.status != 'active'")" \
	"AB44F4D060A4|wiped|2021-05-03|iPad 3rd Generation (Wi-Fi)|jamf|classic_mobile_device_history.json"
t_eq "history: the inventory's row as it said" "$(sql "$T/l.db" "SELECT status, status_on FROM devices
	WHERE device_id = 'AB44F4D060A4'")" "lost|2021-04-02"
t_eq "history: the other device untouched" "$(sql "$T/l.db" "SELECT status FROM device_state WHERE device_id = 'AB44F4D060A3'")" active
# a history of a device no inventory loaded is kept (its inventory may
# come later: tests/cli/test_device_status.sh); a wipe without a date
sed 's/AB44F4D060A4/ZZ0000000000/' $D/classic_mobile_device_history.json >"$T/h_unknown.json"
run ingest --db "$T/l.db" jamf "$T/h_unknown.json"
t_eq "history of an unknown device: loaded" "$rc" 0
t_contains "history of an unknown device: said" "$T/err" "h_unknown.json: 1 device histories, 1 wipes"
grep -v 'date_time_completed_utc": "2021-05-03\|date_time_completed_epoch": 1620050531000' $D/classic_mobile_device_history.json |
	sed 's/"date_time_completed": "2021\/05\/03 at 9:02 AM",/"date_time_completed": "2021\/05\/03 at 9:02 AM"/' >"$T/h_nodate.json"
run ingest --db "$T/l.db" jamf "$T/h_nodate.json"
t_contains "a wipe without a date" "$T/err" "udaudit: $T/h_nodate.json:1: error: device 'AB44F4D060A4': a wipe ('EraseDevice') without a completion date"
# and the analysis sees the loss: a message on the device before the wipe
cat >"$T/acc.csv" <<CSV
account,app,custodian_id,custodian_name,office,role,official,capture,approved_on,opened_on,closed_on
whatsapp:+15550100001,whatsapp,j.doe@example.gov,Jane Doe,OPS,standard,yes,manual,,2018-01-01,
CSV
printf '{"ts":"2021-04-01T10:00:00Z","app":"whatsapp","account":"whatsapp:+15550100001","device_id":"AB44F4D060A4","event":"sent","message_id":"m1","conversation_id":"c1"}\n' >"$T/u.jsonl"
run ingest --db "$T/l.db" accounts "$T/acc.csv"
run ingest --db "$T/l.db" usage "$T/u.jsonl"
run analyze --db "$T/l.db" --as-of 2021-06-30
t_eq "history: DEVICE_LOSS by the wipe" "$(sql "$T/l.db" "SELECT f.type, c.loss, strftime('%Y-%m-%d', c.loss_ts, 'unixepoch')
	FROM finding_copies c JOIN findings f USING (run_id, finding_id)")" "DEVICE_LOSS|device_wiped|2021-05-03"
# said: the inventory's Lost Mode and the history's wipe disagree (the
# latest is used); the unknown device's wipe has no inventory
t_contains "history: the disagreement said" "$T/err" "classic_mobile_device_history.json:1: warning: inputs disagree on the device's status (the latest is used): 'AB44F4D060A4: wiped on 2021-05-03; not lost on 2021-04-02 ($D/classic_mobile_devices.xml:"
t_contains "history: no inventory said" "$T/err" "h_unknown.json:1: warning: device status of a device no inventory lists (load its inventory): 'ZZ0000000000' (1 status events)"

# a computer's history (/JSSResource/computerhistory, XML): the Mac wiped
rm -f "$T/w.db"
run ingest --db "$T/w.db" jamf $D/classic_computer.json $D/classic_computer_history.xml
t_eq "computer history: exit" "$rc" 0
# (2014-11-03), before the inventory's last report unmanaged (retired,
# 2021-03-29): the latest is used, and the disagreement said
t_eq "computer history: the latest used" "$(sql "$T/w.db" "SELECT device_id, status, status_on FROM device_state")" \
	"AB40F81C60A1|retired|2021-03-29"
t_eq "computer history: its wipe kept" "$(sql "$T/w.db" "SELECT device_ref, status, status_on FROM device_events")" \
	"AB40F81C60A1|wiped|2014-11-03"
run analyze --db "$T/w.db" --as-of 2021-06-30
t_contains "computer history: disagreement" "$T/err" "classic_computer.json:1: warning: inputs disagree on the device's status (the latest is used): 'AB40F81C60A1: retired on 2021-03-29; not wiped on 2014-11-03 ($D/classic_computer_history.xml:"
t_eq "XML list: its apps" "$(sql "$T/l.db" "SELECT group_concat(app_id) FROM device_apps WHERE device_id = 'AB44F4D060A4'")" \
	"net.whatsapp.WhatsApp,org.whispersystems.signal"

# Classic API computer: a Mac, not managed (Jamf keeps the record of a
# device whose management was removed: retired, on its last inventory),
# apps known by name
rm -f "$T/m.db"
run ingest --db "$T/m.db" jamf $D/classic_computer.json
t_contains "classic computer: summary" "$T/out" "8 records      0 skipped"
t_contains "classic computer: said" "$T/err" "1 devices (0 wiped, 0 lost, 1 not managed: retired), 7 apps"
t_eq "classic computer: device" "$(devices "$T/m.db")" \
	"AB40F81C60A1|User91@email.com|macos|13-inch MacBook Pro (Mid 2012)||0|retired|2021-03-29|2014-10-24"
t_eq "classic computer: apps by name" "$(sql "$T/m.db" "SELECT group_concat(app_id, '|') FROM device_apps")" \
	"Activity Monitor|App Store|Calendar|FaceTime|Mail|Messages|Safari"

# Jamf Pro API: mobile devices (4, one without a serial number) and computers
rm -f "$T/p.db"
run ingest --db "$T/p.db" jamf $D/pro_mobile_devices.json $D/pro_computers.json
t_eq "pro: exit" "$rc" 0
t_contains "pro mobile: summary" "$T/out" "8 records      1 skipped"
t_contains "pro computers: summary" "$T/out" "4 records      1 skipped"
t_contains "pro mobile: no serial" "$T/err" "udaudit: $D/pro_mobile_devices.json:"
t_contains "pro mobile: no serial, what" "$T/err" "error: device without a serial number"
t_contains "pro computers: bad date" "$T/err" "error: device 'C02XX0000002': bad inventory date 'yesterday'"
t_eq "pro: devices" "$(devices "$T/p.db")" \
"C02XX0000001|p.lee@example.gov|macos|MacBook Air (M2, 2022)|gfe|1|active||2024-03-01
F2LXX0000001|j.doe@example.gov|ios|iPhone 14 Pro|gfe|1|active||2024-01-08
F2LXX0000002|a.smith@example.gov|ios|iPad Air (5th generation)|byod|1|active||2023-11-02
F2LXX0000003|k.ray@example.gov|ios|iPhone 13|gfe|1|lost|2024-04-30|2022-05-05"
t_eq "pro: apps" "$(sql "$T/p.db" "SELECT device_id, app_id, version, last_seen FROM device_apps ORDER BY device_id, app_id")" \
"C02XX0000001|Telegram|10.13|2024-06-10
C02XX0000001|com.apple.Safari|17.5|2024-06-10
C02XX0000001|com.tinyspeck.slackmacgap|4.38.125|2024-06-10
F2LXX0000001|com.microsoft.skype.teams|6.12.1|2024-06-10
F2LXX0000001|com.tinyspeck.chatlyio|24.06.10|2024-06-10
F2LXX0000001|net.whatsapp.WhatsApp|24.11.85|2024-06-10
F2LXX0000002|org.whispersystems.signal|7.10|2024-06-09
F2LXX0000003|com.tencent.xin|8.0.49|2024-04-30"
run analyze --db "$T/p.db" --as-of 2024-06-30 --rules rules
run findings --db "$T/p.db" --format csv --type PROHIBITED_APP
t_eq "pro: prohibited apps found" "$(tail -n +2 "$T/out" | cut -d, -f8,9 | sort)" \
"telegram,C02XX0000001
wechat,F2LXX0000003"
rm -f "$T/u.db"
run ingest --db "$T/u.db" --opt device_id=udid jamf $D/pro_mobile_devices.json
t_contains "device_id=udid: the Apple TV has one" "$T/out" "9 records      0 skipped"
run ingest --db "$T/u.db" --opt device_id=imei jamf $D/pro_computers.json
t_contains "bad device_id option" "$T/err" "bad device_id option 'imei' (expected serial, udid, name or id)"

# Advanced Search CSV: one row per app
rm -f "$T/s.db"
run ingest --db "$T/s.db" jamf $D/advanced_search.csv
t_contains "csv: summary" "$T/out" "6 records      2 skipped"
t_contains "csv: no serial" "$T/err" "udaudit: $D/advanced_search.csv:5: error: device without a serial number"
t_contains "csv: bad date" "$T/err" "udaudit: $D/advanced_search.csv:6: error: device 'F2LXX0000009': bad inventory date 'June 2024'"
t_eq "csv: devices" "$(sql "$T/s.db" "SELECT device_id, platform, custodian_id, managed FROM devices ORDER BY 1")" \
"C02XX0000001|macos|p.lee@example.gov|1
F2LXX0000001|ios|j.doe@example.gov|1"
t_eq "csv: apps" "$(sql "$T/s.db" "SELECT device_id, app_id FROM device_apps ORDER BY 1, 2")" \
"C02XX0000001|Telegram
F2LXX0000001|com.microsoft.skype.teams
F2LXX0000001|net.whatsapp.WhatsApp"

# cut short, a DOCTYPE, not Jamf
rm -f "$T/b.db"
run ingest --db "$T/b.db" jamf $D/truncated.json
t_eq "truncated JSON: exit" "$rc" 3
t_contains "truncated JSON: where" "$T/err" "udaudit: $D/truncated.json:1:1: error: unterminated JSON value (the file ends inside it)"
t_contains "truncated JSON: nothing loaded" "$T/err" "not loaded; the audit database is unchanged"
run ingest --db "$T/b.db" jamf $D/truncated.xml
t_eq "truncated XML: exit" "$rc" 3
t_contains "truncated XML: where" "$T/err" "udaudit: $D/truncated.xml:"
t_contains "truncated XML: what" "$T/err" "error: bad XML: "
run ingest --db "$T/b.db" jamf $D/doctype.xml
t_eq "DOCTYPE: exit" "$rc" 3
t_contains "DOCTYPE: refused" "$T/err" "udaudit: $D/doctype.xml:2: error: bad XML: a DOCTYPE is not accepted"
printf '<?xml version="1.0"?>\n<users><user/></users>\n' >"$T/users.xml"
run ingest --db "$T/b.db" jamf "$T/users.xml"
t_contains "not Jamf XML" "$T/err" "not a Jamf Classic API document (root <users>"
printf '{"users": []}\n' >"$T/users.json"
run ingest --db "$T/b.db" jamf "$T/users.json"
t_contains "not Jamf JSON" "$T/err" "udaudit: $T/users.json:1:1: error: not a Jamf inventory response"
printf 'Name,Color\nx,y\n' >"$T/other.csv"
run ingest --db "$T/b.db" jamf "$T/other.csv"
t_contains "not Jamf CSV" "$T/err" "udaudit: $T/other.csv:1: error: not a Jamf Advanced Search export: no column 'Serial Number' (see the device_id option)"

# the three new kinds from [inputs] of audit.ini, with their options
P=$(pwd)
cat >"$T/audit.ini" <<INI
[audit]
agency = Example Agency
quarter = 2024Q2
db = audit.db

[inputs]
teams = $P/tests/data/adapters/teams/retained_pages.jsonl users=$P/tests/data/adapters/teams/users.csv
slack = $P/tests/data/adapters/slack/agency_export.zip record_copy=yes
jamf  = $P/$D/pro_mobile_devices.json device_id=serial

[rules]
dir = $P/rules

[output]
dir = reports
INI
run run "$T/audit.ini"
t_eq "inputs: exit" "$rc" 0
t_contains "inputs: teams" "$T/out" "7 records      2 skipped"
t_contains "inputs: slack" "$T/out" "24 records      2 skipped"
t_contains "inputs: jamf" "$T/out" "8 records      1 skipped"
t_eq "inputs: what each gave" "$(sql "$T/audit.db" "SELECT kind, records, skipped FROM inputs ORDER BY input_id")" \
"teams|7|2
slack|24|2
jamf|8|1"
t_contains "inputs: the prohibited app" "$T/out" "PROHIBITED_APP            1"
t_done
