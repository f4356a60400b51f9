# What analyze stores for the writers (findings.h): the facts of each copy
# (direction, loss and its time, retention, where it survives) and the rule
# packs of the run, which the findings workbook's Rules sheet prints even
# after rules/ changed.
. tests/cli/lib.sh
. tests/cli/detect_lib.sh
PY=/usr/bin/python3
HDR='whatsapp,C1,Ann,EOC,standard,no,manual,2018-01-01,,'
facts() { sql "$T/a.db" "SELECT f.type, c.account, c.direction, coalesce(c.loss, '-'), coalesce(c.loss_ts, '-'), coalesce(c.retained, '-'), coalesce(c.retained_ts, '-'), c.survives FROM finding_copies c JOIN findings f USING (run_id, finding_id) WHERE c.message_id = '$1' ORDER BY c.account"; }

# --- group chat: A deletes its sent copy, B still holds the received one ---
d_reset
d_acct "whatsapp:+1001,$HDR"
d_acct 'whatsapp:+1002,whatsapp,C2,Bob,EOC,standard,no,manual,2018-01-01,,'
d_ev '{"ts":"2021-03-01T10:00:00Z","account":"whatsapp:+1001","device_id":"D1","event":"sent","message_id":"m1","conversation_id":"g1"}'
d_ev '{"ts":"2021-03-01T10:00:05Z","account":"whatsapp:+1002","device_id":"D2","event":"received","message_id":"m1","conversation_id":"g1"}'
d_ev '{"ts":"2021-03-02T08:00:00Z","account":"whatsapp:+1001","device_id":"D1","event":"expired","message_id":"m1"}'
d_analyze 2021-06-30
t_eq "analyze exit" "$rc" 0
t_eq "deleted copy and kept copy" "$(facts m1)" "UNCAPTURED_DELETION|whatsapp:+1001|sent|expired|1614672000|-|-|16
NOT_FORWARDED|whatsapp:+1002|received|-|-|-|-|8"

# --- device loss (date-only: 00:00 UTC), account closure, scheduled deletion ---
d_reset
d_acct "whatsapp:+1001,$HDR"
d_acct 'whatsapp:+1002,whatsapp,C2,Bob,EOC,standard,no,manual,2018-01-01,,2021-04-10'
d_acct 'whatsapp:+1003,whatsapp,C3,Cy,EOC,standard,no,manual,2018-01-01,,2021-12-31'
d_dev 'D1,C1,ios,x,gfe,yes,stolen,2021-03-05,,'
d_ev '{"ts":"2021-03-01T10:00:00Z","account":"whatsapp:+1001","device_id":"D1","event":"received","message_id":"m2","conversation_id":"g2"}'
d_ev '{"ts":"2021-03-01T11:00:00Z","account":"whatsapp:+1002","device_id":"D2","event":"sent","message_id":"m3","conversation_id":"g3"}'
d_ev '{"ts":"2021-03-01T12:00:00Z","account":"whatsapp:+1003","device_id":"D3","event":"sent","message_id":"m4","conversation_id":"g4"}'
d_ev '{"ts":"2021-03-01T13:00:00Z","account":"whatsapp:+1002","device_id":"D2","event":"sent","message_id":"m5","conversation_id":"g3"}'
d_ev '{"ts":"2021-03-03T09:30:00Z","account":"whatsapp:+1002","event":"account_deleted"}'
d_analyze 2021-06-30
t_eq "device stolen" "$(facts m2)" "DEVICE_LOSS|whatsapp:+1001|received|device_stolen|1614902400|-|-|0"
t_eq "account_deleted event before closed_on" "$(facts m3)" "ACCOUNT_DELETION|whatsapp:+1002|sent|account_deleted|1614763800|-|-|0"
t_eq "scheduled deletion" "$(facts m4)" "ACCOUNT_DELETION|whatsapp:+1003|sent|scheduled_deletion|1640908800|-|-|8"

# --- retained late: by forward, by export; the store keeps what it captured ---
d_reset
d_acct "whatsapp:+1001,$HDR"
d_ev '{"ts":"2021-03-01T10:00:00Z","account":"whatsapp:+1001","device_id":"D1","event":"sent","message_id":"m6","conversation_id":"g6"}'
d_ev '{"ts":"2021-04-01T10:00:00Z","account":"whatsapp:+1001","event":"forwarded","message_id":"m6","to_account":"wickr:ann"}'
d_ev '{"ts":"2021-03-01T10:00:00Z","account":"whatsapp:+1001","device_id":"D1","event":"sent","message_id":"m7","conversation_id":"g7"}'
d_ev '{"ts":"2021-04-02T10:00:00Z","account":"whatsapp:+1001","event":"exported","conversation_id":"g7"}'
d_ev '{"ts":"2021-03-01T10:00:00Z","account":"whatsapp:+1001","device_id":"D1","event":"sent","message_id":"m8","conversation_id":"g8"}'
d_store 'm8|whatsapp|whatsapp:+1001|g8|2021-03-01T10:00:00Z|2021-04-05T00:00:00Z'
d_analyze 2021-06-30
t_eq "late forward" "$(facts m6)" "LATE_FORWARD|whatsapp:+1001|sent|-|-|forward|1617271200|10"
t_eq "late export" "$(facts m7)" "LATE_FORWARD|whatsapp:+1001|sent|-|-|export|1617357600|12"
t_eq "late store capture (day)" "$(facts m8)" "LATE_FORWARD|whatsapp:+1001|sent|-|-|store|1617580800|9"

# --- what each evidence row records is stored by analyze: the Evidence
# sheet prints it even when the input tables no longer hold the rows ---
t_eq "evidence facts stored" "$(sql "$T/a.db" "SELECT group_concat(x, ' ') FROM (SELECT coalesce(e.event, '-') || '|' || coalesce(e.message_id, '-') || '|' || coalesce(e.ts, e.day, '-') AS x FROM evidence e JOIN inputs i USING (input_id) ORDER BY i.kind, e.line)")" \
	"account|-|- sent|m6|1614592800 forwarded|m6|1617271200 sent|m7|1614592800 exported|-|1617357600 sent|m8|1614592800"
run report findings --db "$T/a.db" -o "$T/ev1.xlsx"
cp "$T/a.db" "$T/b.db"
python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute("DELETE FROM usage"); c.execute("DELETE FROM store_messages"); c.commit()' "$T/b.db"
run report findings --db "$T/b.db" -o "$T/ev2.xlsx"
t_eq "workbook without the input rows" "$rc" 0
$PY tests/cli/xlsx_dump.py "$T/ev1.xlsx" | grep '^Evidence!' >"$T/ev1"
$PY tests/cli/xlsx_dump.py "$T/ev2.xlsx" | grep '^Evidence!' >"$T/ev2"
t_contains "Evidence: the event" "$T/ev1" "=s:forwarded"
t_contains "Evidence: the message" "$T/ev1" "=s:m6"
t_contains "Evidence: the time" "$T/ev1" "=d:2021-04-01 10:00:00"
t_ok "Evidence sheet the same without usage and store rows" cmp -s "$T/ev1" "$T/ev2"

# --- a message read from a chat export survives in it; its tombstone does not, and
# a tombstone of a received message is the sender's deletion ---
d_reset
d_acct "whatsapp:+1001,$HDR"
printf '[3/1/21, 10:00:00 AM] Ann: Kept in the export\n[3/1/21, 10:05:00 AM] Bob: This message was deleted\n[3/1/21, 10:06:00 AM] Ann: You deleted this message\n' >"$T/in/chat.txt"
"$UDAUDIT" -q ingest --db "$T/a.db" whatsapp "$T/in/chat.txt" --account whatsapp:+1001 --self Ann --device D1 >/dev/null 2>&1
d_analyze 2021-06-30
t_eq "analyze exit (export)" "$rc" 0
t_eq "export copies: kept one survives in the export (4) and on the device (8)" \
	"$(sql "$T/a.db" "SELECT f.type, c.direction, coalesce(c.loss, '-'), c.survives FROM finding_copies c JOIN findings f USING (run_id, finding_id) ORDER BY c.ts")" \
	"NOT_FORWARDED|sent|-|12
UNCAPTURED_DELETION|received|deleted_by_sender|0
UNCAPTURED_DELETION|sent|deleted|0"
t_eq "evidence of a line of two events records both" "$(sql "$T/a.db" "SELECT group_concat(x, ' ') FROM (SELECT e.line || ':' || e.event || ':' || e.ts AS x FROM evidence e JOIN inputs i USING (input_id) WHERE i.kind = 'whatsapp' ORDER BY e.line)")" \
	"1:sent:1614592800 2:received,deleted:1614593100 3:sent,deleted:1614593160"

# --- the rule packs of the run: stored, and the Rules sheet never re-reads them ---
mkdir -p "$T/rules"
rm -f "$T/in/compliance.sqlite"
cp "$R"/apps.ini "$R"/retention.ini "$R"/exclusions.ini "$T/rules/"
d_analyze 2021-06-30 "$T/rules"
t_eq "three packs stored" "$(sql "$T/a.db" "SELECT group_concat(file || ':' || size, ' ') FROM (SELECT file, size FROM run_rules ORDER BY rowid)")" \
	"apps.ini:$(wc -c <"$T/rules/apps.ini" | tr -d ' ') retention.ini:$(wc -c <"$T/rules/retention.ini" | tr -d ' ') exclusions.ini:$(wc -c <"$T/rules/exclusions.ini" | tr -d ' ')"
t_eq "stored text is the file" "$(sql "$T/a.db" "SELECT text FROM run_rules WHERE file = 'retention.ini'")" "$(cat "$T/rules/retention.ini")"
t_eq "pack digest" "$(sql "$T/a.db" "SELECT sha256 FROM run_rules WHERE file = 'apps.ini'")" \
	"$(sha256sum "$T/rules/apps.ini" | cut -d' ' -f1)"
run report findings --db "$T/a.db" -o "$T/before.xlsx"
t_eq "workbook before" "$rc" 0
printf '\n[edited_later]\nclass = approved\nids = ^gov\\.example\\.edited\n' >>"$T/rules/apps.ini"
rm "$T/rules/exclusions.ini"
run report findings --db "$T/a.db" -o "$T/after.xlsx"
t_eq "workbook after" "$rc" 0
$PY tests/cli/xlsx_dump.py "$T/before.xlsx" | grep '^Rules!' >"$T/rules.before"
$PY tests/cli/xlsx_dump.py "$T/after.xlsx" | grep '^Rules!' >"$T/rules.after"
t_contains "Rules sheet lists the packs" "$T/rules.before" "=s:exclusions.ini"
t_contains "Rules sheet lists the keys" "$T/rules.before" "=s:outage_hours"
t_ok "Rules sheet unchanged after editing rules/" cmp -s "$T/rules.before" "$T/rules.after"
t_not_contains "the edit is not shown" "$T/rules.after" "edited_later"
t_done
