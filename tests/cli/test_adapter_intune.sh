# The intune-devices and intune-apps adapters (spec §6, formats.md §3.1-3.2):
# the portal's and the report API's header layouts, the value mappings.
. tests/cli/lib.sh
D=tests/data/adapters/intune

rm -f "$T/d.db"
run ingest --db "$T/d.db" intune-devices $D/devices_portal.csv $D/devices_api.csv
t_eq "devices: exit" "$rc" 0
t_contains "devices portal: summary" "$T/out" "4 records      2 skipped"
t_contains "devices api: summary" "$T/out" "2 records      0 skipped"
t_contains "devices: no id" "$T/err" "udaudit: $D/devices_portal.csv:6: error: no device id"
t_contains "devices: bad date" "$T/err" "udaudit: $D/devices_portal.csv:7: error: bad enrollment date 'yesterday'"
t_eq "devices: rows" "$(sql "$T/d.db" "SELECT device_id, custodian_id, platform, model, ownership,
	managed, status, status_on, enrolled_on FROM devices ORDER BY device_id")" \
"7d1c2b3a-0000-4000-8000-00000000a001|j.doe@example.gov|ios|iPhone 14|gfe|1|active||2024-01-08
7d1c2b3a-0000-4000-8000-00000000a002|a.smith@example.gov|android|Pixel 7|byod|1|wiped|2024-02-01|2023-11-02
7d1c2b3a-0000-4000-8000-00000000a003|k.ray@example.gov|windows|Latitude 7440|gfe|1|active||2022-05-05
7d1c2b3a-0000-4000-8000-00000000a004|p.lee@example.gov|macos|MacBook Air||0|active||2024-03-01
7d1c2b3a-0000-4000-8000-00000000b001|m.cruz@example.gov|ios|iPhone 15|gfe|1|active||2024-01-08
7d1c2b3a-0000-4000-8000-00000000b002|t.ng@example.gov|android|Galaxy S23|byod|0|active||2024-01-08"

rm -f "$T/n.db"
run ingest --db "$T/n.db" --opt device_id=name --opt stale_days=90 intune-devices $D/devices_portal.csv
t_eq "devices by name, stale: rows" "$(sql "$T/n.db" "SELECT device_id, status, status_on FROM devices ORDER BY device_id")" \
"GOV-AND-0007|wiped|2024-02-01
GOV-IPH-0042|active|
GOV-MAC-0001|active|
GOV-NOID-0001|active|
GOV-WIN-0100|active|"
rm -f "$T/n.db"
run ingest --db "$T/n.db" --opt stale_days=30 intune-devices $D/devices_portal.csv
t_eq "stale_days=30: the Mac gone dark is retired" "$(sql "$T/n.db" "SELECT status, status_on FROM devices WHERE device_id LIKE '%a004'")" \
	"retired|2024-05-01"
run ingest --db "$T/n.db" --opt device_id=imei intune-devices $D/devices_api.csv
t_eq "bad device_id option: exit" "$rc" 3

rm -f "$T/a.db"
run ingest --db "$T/a.db" --opt seen_on=2024-06-10 intune-apps $D/apps_raw.csv
t_eq "apps: exit" "$rc" 0
t_contains "apps: summary" "$T/out" "4 records      1 skipped"
t_eq "apps: rows" "$(sql "$T/a.db" "SELECT substr(device_id, 33), app_id, app_name, version, first_seen, last_seen
	FROM device_apps ORDER BY line")" \
"a001|WhatsApp|WhatsApp|24.11.85|2024-06-10|2024-06-10
a002|net.whatsapp.WhatsApp|WhatsApp|24.11.85|2024-06-10|2024-06-10
a002|com.tencent.mm|WeChat|8.0.49|2024-06-10|2024-06-10
a003|Microsoft Teams|Microsoft Teams|24124.1412|2024-06-10|2024-06-10"
run ingest --db "$T/a.db" intune-apps $D/apps_aggregate.csv
t_eq "aggregate report: exit" "$rc" 3
t_contains "aggregate report: message" "$T/err" "udaudit: $D/apps_aggregate.csv:1: error: an aggregate apps report (AppInvAggregate) has no devices"
run ingest --db "$T/a.db" intune-apps $D/devices_api.csv
t_contains "apps: a devices export is refused" "$T/out" "FAILED"
# ---- the report API (DeviceCompliance and similar): OwnerType as Intune's
# enum 1/2 with OwnerType_loc, numeric DeviceType with DeviceType_loc ----
rm -f "$T/r.db"
run ingest --db "$T/r.db" intune-devices $D/devices_compliance_report.csv
t_eq "report api: exit" "$rc" 0
t_eq "report api: devices" "$(sql "$T/r.db" "SELECT device_id, custodian_id, platform, ownership, managed FROM devices ORDER BY device_id")" \
"7d1c2b3a-0000-4000-8000-00000000c001|p.lee@example.gov|ios|gfe|1
7d1c2b3a-0000-4000-8000-00000000c002|k.ray@example.gov|android|byod|1
7d1c2b3a-0000-4000-8000-00000000c003|s.ortiz@example.gov|windows||0"

# ---- device_id=name on an export without a Device ID column ----
rm -f "$T/nm.db"
run ingest --db "$T/nm.db" --opt device_id=name intune-devices $D/devices_by_name.csv
t_eq "by name: exit" "$rc" 0
t_eq "by name: devices" "$(sql "$T/nm.db" "SELECT device_id, ownership FROM devices ORDER BY device_id")" \
"GOV-AND-0007|byod
GOV-IPH-0042|gfe"
run ingest --db "$T/nm2.db" intune-devices $D/devices_by_name.csv
t_eq "by name, no option: exit" "$rc" 3
t_contains "by name, no option: message" "$T/err" "no column 'Device ID' (or 'DeviceId')"

# ---- dates re-saved by Excel in d/m order: read from the whole file (a
# date only d/m can read decides), or given with --date-order ----
rm -f "$T/x.db"
run ingest --db "$T/x.db" intune-devices $D/devices_excel_dmy.csv
t_eq "excel dmy: exit" "$rc" 0
t_eq "excel dmy: dates" "$(sql "$T/x.db" "SELECT device_id, enrolled_on FROM devices ORDER BY device_id")" \
"7d1c2b3a-0000-4000-8000-00000000d001|2024-01-13
7d1c2b3a-0000-4000-8000-00000000d002|2024-03-02"
t_contains "excel dmy: said" "$T/err" "devices_excel_dmy.csv: local dates read as dmy (line 2: '13/01/2024 14:03')"
t_not_contains "excel dmy: no warning" "$T/err" "warning"
rm -f "$T/x.db"
run ingest --db "$T/x.db" --date-order dmy intune-devices $D/devices_excel_dmy.csv
t_eq "excel dmy, given: dates" "$(sql "$T/x.db" "SELECT group_concat(enrolled_on) FROM devices")" "2024-01-13,2024-03-02"
t_not_contains "excel dmy, given: nothing said" "$T/err" "read as"
# given m/d against the file: a date that cannot exist is a bad record
# naming the option
rm -f "$T/x2.db"
run ingest --db "$T/x2.db" --date-order mdy intune-devices $D/devices_excel_dmy.csv
t_contains "excel dmy as mdy: names the option" "$T/err" "devices_excel_dmy.csv:2: error: bad enrollment date '13/01/2024 14:03': no such date in mdy order (see --date-order)"
t_contains "excel dmy as mdy: counted" "$T/out" "1 records      1 skipped"
# rows of both kinds: the majority decides, the others are bad records
# naming the option, and the disagreement is said
rm -f "$T/mx.db"
run ingest --db "$T/mx.db" intune-devices $D/devices_mixed_order.csv
t_eq "mixed orders: exit" "$rc" 0
t_contains "mixed orders: warning" "$T/err" "devices_mixed_order.csv: warning: 2 rows write dates day first (line 2: '13/01/2024 14:03') and 1 month first (line 4: '1/20/2024 8:15 AM'): read as dmy, the others are bad records; give --date-order if that is wrong"
t_contains "mixed orders: the m/d row" "$T/err" "devices_mixed_order.csv:4: error: bad enrollment date '1/20/2024 8:15 AM': no such date in dmy order (see --date-order)"
t_eq "mixed orders: devices" "$(sql "$T/mx.db" "SELECT substr(device_id, 33), enrolled_on FROM devices ORDER BY device_id")" \
"e001|2024-01-13
e002|2024-03-02
e004|2024-02-21"
rm -f "$T/mx.db"
run ingest --db "$T/mx.db" --strict intune-devices $D/devices_mixed_order.csv
t_eq "mixed orders --strict: exit" "$rc" 3
t_eq "mixed orders --strict: nothing kept" "$(sql "$T/mx.db" "SELECT count(*) FROM devices")" 0
# nothing decides: m/d as Intune writes, with a warning naming the option
rm -f "$T/u.db"
run ingest --db "$T/u.db" intune-devices $D/devices_undecidable.csv
t_eq "undecidable: exit" "$rc" 0
t_contains "undecidable: warning" "$T/err" "devices_undecidable.csv: warning: the dates do not tell d/m from m/d (line 3: '02/03/2024 09:00'): read as mdy, as Intune writes them; give --date-order if that is wrong"
t_eq "undecidable: read m/d" "$(sql "$T/u.db" "SELECT group_concat(enrolled_on) FROM devices")" "2024-01-08,2024-02-03,2024-05-05"
rm -f "$T/u.db"
run ingest --db "$T/u.db" --date-order dmy intune-devices $D/devices_undecidable.csv
t_not_contains "undecidable, given: no warning" "$T/err" "warning"
t_eq "undecidable, given dmy" "$(sql "$T/u.db" "SELECT group_concat(enrolled_on) FROM devices")" "2024-01-08,2024-03-02,2024-05-05"
# the UTC dates of the portal export say nothing
rm -f "$T/p.db"
run ingest --db "$T/p.db" intune-devices $D/devices_portal.csv
t_not_contains "portal (UTC dates): no warning" "$T/err" "warning"
t_not_contains "portal (UTC dates): no note" "$T/err" "read as"
# stale_days counts from the newest check-in read in the file's order
# (25/06/2024, which m/d cannot read): the device last seen 04/05 is retired
rm -f "$T/s.db"
run ingest --db "$T/s.db" --opt stale_days=30 intune-devices $D/devices_excel_dmy.csv
t_eq "stale_days in d/m: the device silent since 04/05 is retired" "$(sql "$T/s.db" "SELECT substr(device_id, 33), status, status_on FROM devices ORDER BY device_id")" \
"d001|active|
d002|retired|2024-05-04"
run ingest --db "$T/x3.db" --date-order xyz intune-devices $D/devices_excel_dmy.csv
t_contains "bad --date-order" "$T/err" "bad --date-order 'xyz'"
t_done
