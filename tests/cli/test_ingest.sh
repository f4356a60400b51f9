# udaudit ingest: each canonical CSV/JSONL reader on good input, and on
# broken input with ONE flaw per file (tests/data/ingest/): the exact
# "udaudit: FILE:LINE[:COL]: error: ..." message, the exit code, and that
# the good records around the bad one were loaded.
. tests/cli/lib.sh
D=tests/data/ingest

# ingest_one NAME KIND FILE [OPTIONS]: a fresh DB $T/NAME.db
ingest_one() {
	name=$1 kind=$2 file=$3; shift 3
	rm -f "$T/$name.db"
	run ingest --db "$T/$name.db" "$@" "$kind" "$file"
}
# t_err DESC WANT: stderr is exactly WANT
t_err() { t_eq "$1: stderr" "$(cat "$T/err")" "$2"; }

# ---- good input ----

ingest_one acc accounts $D/accounts-good.csv
t_eq "accounts good: exit" "$rc" 0
t_err "accounts good" ""
t_contains "accounts good: summary" "$T/out" "4 records      0 skipped"
# header in another order, mixed case, an extra column; quoted commas,
# doubled quotes, an embedded newline (the next row keeps its own line)
t_eq "accounts good: rows" "$(sql "$T/acc.db" "SELECT line, account, app, custodian_id FROM accounts ORDER BY line")" \
"2|whatsapp:+15550100001|whatsapp|C-001
3|wickr:m.bell@example.gov|wickr|C-002
4|signal:+15550100003|signal|C-003
6|teams:j.doe@example.gov|teams|C-004"
t_eq "accounts good: quoted comma" "$(sql "$T/acc.db" "SELECT custodian_name FROM accounts WHERE custodian_id = 'C-002'")" "Bell, Marcus"
t_eq "accounts good: doubled quotes" "$(sql "$T/acc.db" "SELECT office FROM accounts WHERE custodian_id = 'C-002'")" 'Office of "Field" Operations'
t_eq "accounts good: embedded newline" "$(sql "$T/acc.db" "SELECT custodian_name = 'Priya' || char(10) || 'Natarajan' FROM accounts WHERE custodian_id = 'C-003'")" 1
t_eq "accounts good: values" "$(sql "$T/acc.db" "SELECT role, official, capture, approved_on, opened_on, closed_on FROM accounts ORDER BY line")" \
"capstone|0|manual|2018-09-28|2016-05-12|
standard|1|archiver||2020-07-01|2021-12-31
support|0|none|||
|||||"
t_eq "accounts good: empty is NULL" "$(sql "$T/acc.db" "SELECT count(*) FROM accounts WHERE office IS NULL AND role IS NULL AND official IS NULL")" 1
t_eq "accounts good: manifest" "$(sql "$T/acc.db" "SELECT kind, path, records, skipped, length(sha256) FROM inputs")" \
"accounts|$D/accounts-good.csv|4|0|64"

ingest_one dev devices $D/devices-good.csv
t_eq "devices good: exit" "$rc" 0
t_err "devices good" ""
t_eq "devices good: rows" "$(sql "$T/dev.db" "SELECT line, device_id, platform, ownership, managed, status, status_on, replaced_by FROM devices ORDER BY line")" \
"2|D-0001|android|gfe|1|active|2018-09-10|
3|D-0002|ios|gfe|1|replaced|2019-02-19|D-0012
4|D-0012|ios|byod|0|active|2019-02-19|"

ingest_one apps device-apps $D/device_apps-good.csv
t_eq "device-apps good: exit" "$rc" 0
t_err "device-apps good" ""
# a timestamp is kept as its UTC date (23:30 at -04:00 is the next day)
t_eq "device-apps good: rows" "$(sql "$T/apps.db" "SELECT line, device_id, app_id, first_seen, last_seen FROM device_apps ORDER BY line")" \
"2|D-0001|com.whatsapp|2018-10-01|2021-09-20
3|D-0001|com.wickr.pro|2020-06-11|2021-09-20
4|D-0002|org.telegram.messenger||"

ingest_one use usage $D/usage-good.jsonl
t_eq "usage good: exit" "$rc" 0
t_err "usage good" ""
t_contains "usage good: summary" "$T/out" "7 records      0 skipped"
# offsets normalised to UTC; a date alone is the start of its day; the app
# is the account's prefix when not given; a blank line is skipped
t_eq "usage good: rows" "$(sql "$T/use.db" "SELECT line, ts, event, app, account, message_id, ttl FROM usage ORDER BY line")" \
"1|1539353002|sent|whatsapp|whatsapp:+15550100001|wa-7f3c|
2|1539353100|received|whatsapp|whatsapp:+15550100002|wa-7f3c|
4|1539421200|deleted|whatsapp|whatsapp:+15550100001|wa-7f3c|
5|1539507600|forwarded|whatsapp|whatsapp:+15550100002|wa-7f3c|
6|1539594000|exported|whatsapp|||
7|1539680400|timer_set|signal|signal:+15550100003||604800
8|1539734400|account_deleted|signal|signal:+15550100003||"
t_eq "usage good: fields" "$(sql "$T/use.db" "SELECT device_id, conversation_id, peer FROM usage WHERE line = 2")" \
"D-0002|wa-grp-17|+15550100001"
t_eq "usage good: to_account" "$(sql "$T/use.db" "SELECT to_account FROM usage WHERE line = 5")" "teams:m.bell@example.gov"

# ---- one flaw per file: the bad record is named, the others load ----

ingest_one a1 accounts $D/accounts-bad-enum.csv
t_eq "bad enum: exit" "$rc" 0
t_err "bad enum" "udaudit: $D/accounts-bad-enum.csv:3: error: bad value 'boss' for 'role' (expected capstone, standard or support)
udaudit: $D/accounts-bad-enum.csv: 1 bad record skipped (first at line 3; use --strict to fail)"
t_eq "bad enum: good rows loaded" "$(sql "$T/a1.db" "SELECT line, custodian_id FROM accounts ORDER BY line")" "2|C-001
4|C-003"
t_eq "bad enum: manifest counts" "$(sql "$T/a1.db" "SELECT records, skipped FROM inputs")" "2|1"
t_contains "bad enum: stdout" "$T/out" "2 records      1 skipped"

ingest_one a2 accounts $D/accounts-bad-date.csv
t_eq "bad date: exit" "$rc" 0
t_err "bad date" "udaudit: $D/accounts-bad-date.csv:3: error: bad date '2021-02-29' for 'approved_on' (expected YYYY-MM-DD)
udaudit: $D/accounts-bad-date.csv: 1 bad record skipped (first at line 3; use --strict to fail)"
t_eq "bad date: good rows loaded" "$(sql "$T/a2.db" "SELECT line, custodian_id FROM accounts ORDER BY line")" "2|C-001
4|C-003"

ingest_one a3 accounts $D/accounts-unterminated.csv
t_eq "unterminated quote: exit" "$rc" 0
t_err "unterminated quote" "udaudit: $D/accounts-unterminated.csv:3: error: unterminated quoted field
udaudit: $D/accounts-unterminated.csv: 1 bad record skipped (first at line 3; use --strict to fail)"
# the reader resyncs: the rows after it (one with a quoted field) still
# come, with their own line numbers
t_eq "unterminated quote: good rows loaded" "$(sql "$T/a3.db" "SELECT line, custodian_id, custodian_name FROM accounts ORDER BY line")" "2|C-001|Dana Reyes
4|C-003|Natarajan, Priya
5|C-004|Lee Park"

ingest_one a4 accounts $D/accounts-bad-utf8.csv
t_eq "bad UTF-8 csv: exit" "$rc" 0
t_err "bad UTF-8 csv" "udaudit: $D/accounts-bad-utf8.csv:3: error: invalid UTF-8 in column 'custodian_name'
udaudit: $D/accounts-bad-utf8.csv: 1 bad record skipped (first at line 3; use --strict to fail)"
t_eq "bad UTF-8 csv: good rows loaded" "$(sql "$T/a4.db" "SELECT line FROM accounts ORDER BY line")" "2
4"

ingest_one a5 accounts $D/accounts-no-column.csv
t_eq "missing column: exit" "$rc" 3
t_err "missing column" "udaudit: $D/accounts-no-column.csv:1: error: header has no column 'custodian_id'
udaudit: $D/accounts-no-column.csv: error: not loaded; the audit database is unchanged"
t_eq "missing column: nothing loaded" "$(sql "$T/a5.db" "SELECT (SELECT count(*) FROM accounts) + (SELECT count(*) FROM inputs)")" 0
t_contains "missing column: stdout" "$T/out" "FAILED (not loaded)"

ingest_one a6 accounts $D/accounts-empty.csv
t_eq "empty csv: exit" "$rc" 3
t_err "empty csv" "udaudit: $D/accounts-empty.csv:1: error: file is empty (expected a header row)
udaudit: $D/accounts-empty.csv: error: not loaded; the audit database is unchanged"

ingest_one d1 devices $D/devices-bad-enum.csv
t_eq "devices bad enum: exit" "$rc" 0
t_err "devices bad enum" "udaudit: $D/devices-bad-enum.csv:3: error: bad value 'destroyed' for 'status' (expected active, replaced, wiped, retired, lost or stolen)
udaudit: $D/devices-bad-enum.csv: 1 bad record skipped (first at line 3; use --strict to fail)"
t_eq "devices bad enum: good rows" "$(sql "$T/d1.db" "SELECT line, device_id FROM devices ORDER BY line")" "2|D-0001
4|D-0003"

ingest_one d2 devices $D/devices-bad-date.csv
t_eq "devices bad date: exit" "$rc" 0
t_err "devices bad date" "udaudit: $D/devices-bad-date.csv:3: error: bad date '2019-13-01' for 'status_on' (expected YYYY-MM-DD)
udaudit: $D/devices-bad-date.csv: 1 bad record skipped (first at line 3; use --strict to fail)"
t_eq "devices bad date: good rows" "$(sql "$T/d2.db" "SELECT line FROM devices ORDER BY line")" "2
4"

ingest_one p1 device-apps $D/device_apps-bad-date.csv
t_eq "device-apps bad date: exit" "$rc" 0
t_err "device-apps bad date" "udaudit: $D/device_apps-bad-date.csv:3: error: bad date '2020-06-31' for 'first_seen'
udaudit: $D/device_apps-bad-date.csv: 1 bad record skipped (first at line 3; use --strict to fail)"
t_eq "device-apps bad date: good rows" "$(sql "$T/p1.db" "SELECT line, app_id FROM device_apps ORDER BY line")" "2|com.whatsapp
4|org.telegram.messenger"

ingest_one p3 device-apps $D/device_apps-nul.csv
t_eq "NUL byte csv: exit" "$rc" 0
t_err "NUL byte csv" "udaudit: $D/device_apps-nul.csv:3: error: NUL byte in column 'app_id'
udaudit: $D/device_apps-nul.csv: 1 bad record skipped (first at line 3; use --strict to fail)"
t_eq "NUL byte csv: good rows" "$(sql "$T/p3.db" "SELECT line, app_id FROM device_apps ORDER BY line")" "2|com.a
4|com.c"

ingest_one p2 device-apps $D/device_apps-no-column.csv
t_eq "device-apps missing column: exit" "$rc" 3
t_err "device-apps missing column" "udaudit: $D/device_apps-no-column.csv:1: error: header has no column 'app_id'
udaudit: $D/device_apps-no-column.csv: error: not loaded; the audit database is unchanged"

ingest_one u1 usage $D/usage-truncated.jsonl
t_eq "truncated JSON: exit" "$rc" 0
t_err "truncated JSON" "udaudit: $D/usage-truncated.jsonl:3:80: error: bad JSON: parse error: premature EOF
udaudit: $D/usage-truncated.jsonl: 1 bad record skipped (first at line 3; use --strict to fail)"
t_eq "truncated JSON: good rows" "$(sql "$T/u1.db" "SELECT line, message_id FROM usage ORDER BY line")" "1|wa-0001
2|wa-0002
4|wa-0004"

ingest_one u2 usage $D/usage-bad-utf8.jsonl
t_eq "bad UTF-8 jsonl: exit" "$rc" 0
t_err "bad UTF-8 jsonl" "udaudit: $D/usage-bad-utf8.jsonl:2:96: error: invalid UTF-8
udaudit: $D/usage-bad-utf8.jsonl: 1 bad record skipped (first at line 2; use --strict to fail)"
t_eq "bad UTF-8 jsonl: good rows" "$(sql "$T/u2.db" "SELECT line FROM usage ORDER BY line")" "1
3"

ingest_one u3 usage $D/usage-bad-date.jsonl
t_eq "bad timestamp: exit" "$rc" 0
t_err "bad timestamp" "udaudit: $D/usage-bad-date.jsonl:3: error: bad timestamp '2019-02-29T08:00:00Z' (expected ISO 8601)
udaudit: $D/usage-bad-date.jsonl: 1 bad record skipped (first at line 3; use --strict to fail)"
t_eq "bad timestamp: good rows" "$(sql "$T/u3.db" "SELECT line FROM usage ORDER BY line")" "1
2
4"

ingest_one u6 usage $D/usage-no-ttl.jsonl
t_eq "timer_set without ttl: exit" "$rc" 0
t_err "timer_set without ttl" "udaudit: $D/usage-no-ttl.jsonl:2: error: 'timer_set' event: 'ttl_seconds' missing or not a whole number >= 0
udaudit: $D/usage-no-ttl.jsonl: 1 bad record skipped (first at line 2; use --strict to fail)"
t_eq "timer_set without ttl: good rows" "$(sql "$T/u6.db" "SELECT line, ttl FROM usage ORDER BY line")" "1|0
3|86400"

ingest_one u4 usage $D/usage-empty.jsonl
t_eq "empty jsonl: exit" "$rc" 3
t_err "empty jsonl" "udaudit: $D/usage-empty.jsonl: error: file is empty
udaudit: $D/usage-empty.jsonl: error: not loaded; the audit database is unchanged"
t_eq "empty jsonl: nothing loaded" "$(sql "$T/u4.db" "SELECT count(*) FROM inputs")" 0

# unknown events and fields are counted, not errors
ingest_one u5 usage $D/usage-unknown.jsonl
t_eq "unknown events: exit" "$rc" 0
# each unknown name is said with its line and the valid names (spec 7)
t_err "unknown events" "udaudit: $D/usage-unknown.jsonl:2: warning: unknown event 'reacted' ignored (1 line) (expected sent, received, deleted, expired, burned, forwarded, exported, timer_set or account_deleted)
udaudit: $D/usage-unknown.jsonl:3: warning: unknown event 'typing' ignored (1 line) (expected sent, received, deleted, expired, burned, forwarded, exported, timer_set or account_deleted)
udaudit: $D/usage-unknown.jsonl: ignored 2 unknown events and 3 unknown fields"
t_eq "unknown events: kept as data-quality warnings" "$(sql "$T/u5.db" "SELECT check_name, subject, count, line FROM data_quality ORDER BY line")" "unknown_event|reacted|1|2
unknown_event|typing|1|3"
t_eq "unknown events: known ones loaded" "$(sql "$T/u5.db" "SELECT line, event FROM usage ORDER BY line")" "1|sent
4|received"
t_eq "unknown events: manifest" "$(sql "$T/u5.db" "SELECT records, skipped, ignored FROM inputs")" "2|0|5"
run -q ingest --db "$T/u5q.db" usage $D/usage-unknown.jsonl
t_not_contains "unknown events, -q: no note" "$T/err" "ignored 2 unknown events"
t_contains "unknown events, -q: warnings stay" "$T/err" "unknown event 'typing'"

# ---- a line of 1 MB (generated: too big to keep in git) ----

python3 - "$T" <<'EOF'
import sys
t = sys.argv[1]
ev = '{"ts":"2018-10-12T14:0%d:00Z","account":"whatsapp:+1","event":"sent","message_id":"m%d"}\n'
with open(t + "/long.jsonl", "w") as f:
    f.write(ev % (1, 1))
    f.write('{"ts":"2018-10-12T14:02:00Z","account":"whatsapp:+1","event":"sent","message_id":"m2","peer":"' + "x" * (1 << 20) + '"}\n')
    f.write(ev % (3, 3))
hdr = "device_id,app_id,app_name,version,first_seen,last_seen\n"
with open(t + "/long.csv", "w") as f:
    f.write(hdr + "D-1,com.a,A,1,,\n")
    f.write("D-2,com.b," + "y" * (1 << 20) + ",1,,\n")
    f.write("D-3,com.c,C,1,,\n")
EOF
run ingest --db "$T/long.db" usage "$T/long.jsonl"
t_eq "1 MB jsonl line: exit" "$rc" 0
t_err "1 MB jsonl line" "udaudit: $T/long.jsonl:2: error: line longer than 1048576 bytes
udaudit: $T/long.jsonl: 1 bad record skipped (first at line 2; use --strict to fail)"
t_eq "1 MB jsonl line: good rows" "$(sql "$T/long.db" "SELECT line, message_id FROM usage ORDER BY line")" "1|m1
3|m3"
run ingest --db "$T/long.db" device-apps "$T/long.csv"
t_eq "1 MB csv line: exit" "$rc" 0
t_err "1 MB csv line" "udaudit: $T/long.csv:3: error: line too long
udaudit: $T/long.csv: 1 bad record skipped (first at line 3; use --strict to fail)"
t_eq "1 MB csv line: good rows" "$(sql "$T/long.db" "SELECT line, device_id FROM device_apps ORDER BY line")" "2|D-1
4|D-3"

# ---- --strict: the first bad record is fatal, exit 3, nothing loaded ----

ingest_one s1 accounts $D/accounts-bad-enum.csv --strict
t_eq "strict csv: exit" "$rc" 3
t_err "strict csv" "udaudit: $D/accounts-bad-enum.csv:3: error: bad value 'boss' for 'role' (expected capstone, standard or support)
udaudit: $D/accounts-bad-enum.csv: error: not loaded; the audit database is unchanged"
t_eq "strict csv: nothing loaded" "$(sql "$T/s1.db" "SELECT (SELECT count(*) FROM accounts) || '/' || (SELECT count(*) FROM inputs)")" "0/0"

ingest_one s2 usage $D/usage-truncated.jsonl --strict
t_eq "strict jsonl: exit" "$rc" 3
t_err "strict jsonl" "udaudit: $D/usage-truncated.jsonl:3:80: error: bad JSON: parse error: premature EOF
udaudit: $D/usage-truncated.jsonl: error: not loaded; the audit database is unchanged"
t_eq "strict jsonl: nothing loaded" "$(sql "$T/s2.db" "SELECT (SELECT count(*) FROM usage) || '/' || (SELECT count(*) FROM inputs)")" "0/0"

# a strict failure does not undo the files loaded before it
rm -f "$T/s3.db"
run ingest --db "$T/s3.db" --strict accounts $D/accounts-good.csv $D/accounts-bad-date.csv
t_eq "strict, two files: exit" "$rc" 3
t_eq "strict, two files: first kept" "$(sql "$T/s3.db" "SELECT count(*), (SELECT group_concat(path) FROM inputs) FROM accounts")" "4|$D/accounts-good.csv"

# ---- more than 20 bad records: the first 20 shown, then the summary ----

{
	echo "device_id,custodian_id,platform"
	echo "D-000,C-1,ios"
	i=1
	while [ $i -le 25 ]; do echo "D-$i,C-1,blackberry"; i=$((i + 1)); done
	echo "D-999,C-1,android"
} >"$T/many.csv"
run ingest --db "$T/many.db" devices "$T/many.csv"
t_eq "25 bad: exit" "$rc" 0
t_eq "25 bad: 20 shown" "$(grep -c ': error: bad value' "$T/err")" 20
t_eq "25 bad: first shown" "$(head -n 1 "$T/err")" \
	"udaudit: $T/many.csv:3: error: bad value 'blackberry' for 'platform' (expected ios, android, windows or macos)"
t_contains "25 bad: last shown is line 22" "$T/err" "$T/many.csv:22: error:"
t_not_contains "25 bad: line 23 not shown" "$T/err" "$T/many.csv:23:"
t_eq "25 bad: summary last" "$(tail -n 1 "$T/err")" \
	"udaudit: $T/many.csv: 25 bad records skipped (first at line 3; 5 not shown; use --strict to fail)"
t_eq "25 bad: stderr lines" "$(wc -l <"$T/err" | tr -d ' ')" 21
t_eq "25 bad: good rows" "$(sql "$T/many.db" "SELECT group_concat(device_id) FROM devices")" "D-000,D-999"
t_eq "25 bad: manifest" "$(sql "$T/many.db" "SELECT records, skipped FROM inputs")" "2|25"

# the same for usage.jsonl (parsed on its own thread, in batches): 25 bad
# lines among 10 000, spread over several batches; every good line keeps
# its own line number
awk 'BEGIN { for (i = 1; i <= 10000; i++)
	if (i % 400 == 0)
		printf "{\"ts\":\"2019-02-30T00:00:00Z\",\"account\":\"a:b\",\"event\":\"sent\",\"message_id\":\"m%d\"}\n", i
	else
		printf "{\"ts\":\"2019-01-01T00:00:00Z\",\"account\":\"a:b\",\"event\":\"sent\",\"message_id\":\"m%d\"}\n", i }' >"$T/many.jsonl"
run ingest --db "$T/manyu.db" usage "$T/many.jsonl"
t_eq "usage 25 bad: exit" "$rc" 0
t_eq "usage 25 bad: 20 shown" "$(grep -c ': error: bad timestamp' "$T/err")" 20
t_eq "usage 25 bad: first shown" "$(head -n 1 "$T/err")" \
	"udaudit: $T/many.jsonl:400: error: bad timestamp '2019-02-30T00:00:00Z' (expected ISO 8601)"
t_contains "usage 25 bad: 20th shown" "$T/err" "$T/many.jsonl:8000: error:"
t_not_contains "usage 25 bad: 21st not shown" "$T/err" "$T/many.jsonl:8400:"
t_eq "usage 25 bad: summary" "$(tail -n 1 "$T/err")" \
	"udaudit: $T/many.jsonl: 25 bad records skipped (first at line 400; 5 not shown; use --strict to fail)"
t_eq "usage 25 bad: good lines, own numbers" \
	"$(sql "$T/manyu.db" "SELECT count(*), sum(line), sum(line % 400 = 0), sum('m' || line = message_id) FROM usage")" \
	"9975|49875000|0|9975"

# only bad records: nothing usable, the file fails
{ echo "device_id,platform"; echo "D-1,palm"; echo "D-2,palm"; } >"$T/allbad.csv"
run ingest --db "$T/allbad.db" devices "$T/allbad.csv"
t_eq "all bad: exit" "$rc" 3
t_contains "all bad: says so" "$T/err" "udaudit: $T/allbad.csv: error: no usable records (2 bad)"
t_eq "all bad: nothing loaded" "$(sql "$T/allbad.db" "SELECT count(*) FROM inputs")" 0

# ---- usage errors of the command ----

run ingest --db "$T/x.db" messages $D/accounts-good.csv
t_eq "unknown kind: exit" "$rc" 2
t_contains "unknown kind: message" "$T/err" "udaudit: error: unknown input kind 'messages'"
t_contains "unknown kind: lists kinds" "$T/err" "device-apps"
run ingest --db "$T/x.db" accounts
t_eq "no file: exit" "$rc" 2
run ingest --db "$T/x.db" accounts "$T/does-not-exist.csv"
t_eq "missing file: exit" "$rc" 3
t_contains "missing file: message" "$T/err" "$T/does-not-exist.csv"

t_done
