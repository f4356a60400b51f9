# Data quality (spec 7: "nothing is silent"): mismatches between inputs,
# unknown event names, zone-less timestamps and enumerations in any case,
# on a small audit (tests/data/quality/README.md lists its flaws).
. tests/cli/lib.sh
D=$(pwd)/tests/data/quality
RULES=$(pwd)/rules
PY=/usr/bin/python3

mkdir -p "$T/a"
cp $D/*.csv $D/*.jsonl "$T/a/"
cat >"$T/a/audit.ini" <<EOF
[audit]
quarter = 2021Q3
as_of   = 2021-09-24

[inputs]
accounts = accounts.csv
devices  = devices.csv
usage    = usage.jsonl

[rules]
dir = $RULES
EOF

(cd "$T/a" && "$UDAUDIT" run audit.ini >"$T/out" 2>"$T/err"); rc=$?
t_eq "run: exit" "$rc" 0
# enumerations in any case are accepted, stored in the spec's spelling
t_eq "enums: accounts" "$(sql "$T/a/out/audit.db" "SELECT account, app, role, official, capture FROM accounts ORDER BY line")" \
"msteams:bortiz|msteams|standard|1|archiver
whatsapp:+15550100001|whatsapp|capstone|0|manual"
t_eq "enums: devices" "$(sql "$T/a/out/audit.db" "SELECT platform, ownership, status FROM devices WHERE device_id = 'D-0010'")" "ios|gfe|active"
t_eq "enums: 'Sent' is sent" "$(sql "$T/a/out/audit.db" "SELECT event FROM usage WHERE line = 2")" "sent"

# each warning with file:line and the count, in run's summary
t_contains "summary: count" "$T/out" "data quality: 6 warnings (also on the findings workbook's \"Data quality\" sheet)"
t_contains "summary: teams:bortiz" "$T/out" \
  "  usage.jsonl:1: account not in accounts.csv: 'teams:bortiz' (2 usage events; did you mean 'msteams:bortiz'?)"
t_contains "summary: app key" "$T/out" \
  "  accounts.csv:2: app key not in apps.ini: 'msteams' (1 records; did you mean 'teams'?)"
t_contains "summary: device" "$T/out" "  usage.jsonl:3: device not in devices.csv: 'D-0099' (1 records)"
t_contains "summary: custodian" "$T/out" \
  "  devices.csv:4: custodian with devices but no account in accounts.csv: 'C-099' (1 devices)"
t_contains "summary: unknown event" "$T/out" \
  "  usage.jsonl:5: unknown event name, ignored: 'snet' (1 usage lines; did you mean 'sent'?)"
t_contains "summary: zone-less time" "$T/out" \
  "  usage.jsonl:4: timestamp without a time zone, taken as UTC: '2021-08-03T09:01:00' (1 timestamps)"
# the ingest warnings are said on stderr as they are found
t_contains "stderr: unknown event" "$T/err" \
  "udaudit: usage.jsonl:5: warning: unknown event 'snet' ignored (1 line) (expected sent, received, deleted, expired, burned, forwarded, exported, timer_set or account_deleted; did you mean 'sent'?)"
t_contains "stderr: zone-less" "$T/err" \
  "udaudit: usage.jsonl:4: warning: timestamp '2021-08-03T09:01:00' has no time zone: taken as UTC (1 such; give the input option tz=+00:00 to accept them as UTC, or their offset)"

# the findings workbook prints what was stored
$PY tests/cli/xlsx_dump.py "$T/a/out/2021Q3-findings.xlsx" >"$T/x" 2>&1
t_contains "sheet: listed" "$T/x" "|Data quality"
t_contains "sheet: header" "$T/x" "Data quality!header=Check|Warning|Value|Did you mean|Count|Of|File|Line"
t_eq "sheet: rows" "$(grep -c '^Data quality!A[0-9]' "$T/x")" 7
t_eq "sheet: account" "$(grep -c '^Data quality!C[0-9]*=s:teams:bortiz$' "$T/x")" 1
t_eq "sheet: hint" "$(grep -c '^Data quality!D[0-9]*=s:msteams:bortiz$' "$T/x")" 1
t_eq "sheet: same as stored" "$(grep '^Data quality!A' "$T/x" | sed 's/.*=s://' | sort | tr '\n' ' ')" \
  "$( (echo Check; sql "$T/a/out/audit.db" "SELECT check_name FROM data_quality") | sort | tr '\n' ' ')"

# --strict: any data-quality warning is fatal, nothing analyzed
rm -rf "$T/a/out"
run run --strict "$T/a/audit.ini"
t_eq "strict run: exit" "$rc" 3
t_contains "strict run: said" "$T/err" "udaudit: error: 6 data-quality warnings and --strict: nothing analyzed"
t_eq "strict run: no findings" "$(sql "$T/a/out/audit.db" "SELECT count(*) FROM runs")" 0
run analyze --db "$T/a/out/audit.db" --rules "$RULES" --as-of 2021-09-24 --strict
t_eq "strict analyze: exit" "$rc" 3
t_contains "strict analyze: warning on stderr" "$T/err" \
  "warning: account not in accounts.csv: 'teams:bortiz' (2 usage events; did you mean 'msteams:bortiz'?)"
run analyze --db "$T/a/out/audit.db" --rules "$RULES" --as-of 2021-09-24
t_eq "analyze: exit" "$rc" 0
t_contains "analyze: warnings said" "$T/err" "warning: device not in devices.csv: 'D-0099'"

# the compliance store's accounts are checked too
cat >"$T/cs.sql" <<'EOF'
CREATE TABLE messages (message_id TEXT PRIMARY KEY, app TEXT NOT NULL, account TEXT NOT NULL,
  conversation_id TEXT, sent_at TEXT NOT NULL, captured_at TEXT NOT NULL, sha256 TEXT,
  purged_at TEXT, purge_reason TEXT);
INSERT INTO messages VALUES ('m-1','wickr','wickr:ghost@example.gov','c','2021-08-01T10:00:00Z','2021-08-01T10:00:01Z',NULL,NULL,NULL);
EOF
$PY -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.executescript(open(sys.argv[2]).read()); c.commit()" "$T/cs.sqlite" "$T/cs.sql"
run ingest --db "$T/a/out/audit.db" compliance "$T/cs.sqlite"
run analyze --db "$T/a/out/audit.db" --rules "$RULES" --as-of 2021-09-24
t_contains "store account" "$T/err" \
  "warning: account not in accounts.csv: 'wickr:ghost@example.gov' (1 compliance-store messages)"

# tz= on the input: zone-less times in that offset, no warning
mkdir -p "$T/b"
printf '%s\n' '{"ts":"2021-08-03T09:01:00","account":"whatsapp:+15550100001","event":"sent","message_id":"w-2"}' >"$T/b/u.jsonl"
run ingest --db "$T/b/a.db" --tz -04:00 usage "$T/b/u.jsonl"
t_eq "tz: exit" "$rc" 0
t_not_contains "tz: no warning" "$T/err" "no time zone"
t_eq "tz: shifted to UTC" "$(sql "$T/b/a.db" "SELECT datetime(ts, 'unixepoch') FROM usage")" "2021-08-03 13:01:00"
t_eq "tz: nothing stored" "$(sql "$T/b/a.db" "SELECT count(*) FROM data_quality")" 0
run ingest --db "$T/b/b.db" --tz bogus usage "$T/b/u.jsonl"
t_eq "bad tz: exit" "$rc" 3
t_contains "bad tz: said" "$T/err" "error: bad tz 'bogus' (expected Z, UTC or an offset like -05:00)"

# every error of a row, not only the first, with the nearest valid value
printf 'account,custodian_id,role,official,capture,opened_on\nwickr:x,C-1,captsone,maybe,archivr,2020-13-01\n' >"$T/bad.csv"
run ingest --db "$T/c.db" accounts "$T/bad.csv"
t_contains "row errors: all of them" "$T/err" \
  "udaudit: $T/bad.csv:2: error: bad value 'captsone' for 'role' (expected capstone, standard or support; did you mean 'capstone'?); bad value 'maybe' for 'official' (expected yes or no); bad value 'archivr' for 'capture' (expected archiver, manual or none; did you mean 'archiver'?); bad date '2020-13-01' for 'opened_on' (expected YYYY-MM-DD)"
t_contains "row errors: one bad record" "$T/err" "error: no usable records (1 bad)"

# an unknown option on an [inputs] line is an error with file:line, before
# anything is loaded; --opt too
mkdir -p "$T/o"
cp $D/usage.jsonl "$T/o/"
printf '[audit]\nquarter = 2021Q3\n\n[inputs]\nusage = usage.jsonl timezone=-04:00\nwickr = w.jsonl tx=Z\n' >"$T/o/audit.ini"
run run "$T/o/audit.ini"
t_eq "option typo: exit" "$rc" 3
t_contains "option typo: timezone" "$T/err" \
  "udaudit: $T/o/audit.ini:5: error: unknown option 'timezone' for input kind 'usage' (did you mean 'tz'?)"
t_contains "option typo: tx" "$T/err" \
  "udaudit: $T/o/audit.ini:6: error: unknown option 'tx' for input kind 'wickr' (expected tz; did you mean 'tz'?)"
t_eq "option typo: nothing loaded" "$(ls "$T/o")" "audit.ini
usage.jsonl"
run ingest --db "$T/o/x.db" --opt colour=red accounts $D/accounts.csv
t_eq "--opt unknown: exit" "$rc" 2
t_contains "--opt unknown: said" "$T/err" "error: unknown option 'colour' for input kind 'accounts' (it takes no options)"
run ingest --db "$T/o/x.db" --account whatsapp:+1 usage $D/usage.jsonl
t_eq "--account on usage: exit" "$rc" 2
t_contains "--account on usage: said" "$T/err" "error: unknown option 'account' for input kind 'usage' (expected tz)"
printf '[inputs]\ndevics = devices.csv\n' >"$T/o/k.ini"
run run "$T/o/k.ini"
t_contains "kind typo: nearest" "$T/err" "$T/o/k.ini:2: error: unknown input kind 'devics' (expected accounts,"
t_contains "kind typo: did you mean" "$T/err" "did you mean 'devices'?)"

# the hints: the first account (in byte order) with the handle in any case
# under another app key; a device id in another case
mkdir -p "$T/h"
printf 'account,app,custodian_id,custodian_name,office,role,official,capture,approved_on,opened_on,closed_on\nteams:Amy,teams,C-1,Amy,O,standard,yes,archiver,,2020-01-01,\nsignal:amy,signal,C-1,Amy,O,standard,no,none,,2020-01-01,\n' >"$T/h/accounts.csv"
printf 'device_id,custodian_id,platform,model,ownership,managed,status,status_on,replaced_by,enrolled_on\nD-00AB,C-1,ios,x,gfe,yes,active,,,2020-01-01\n' >"$T/h/devices.csv"
printf '{"ts":"2021-08-02T14:00:00Z","app":"wickr","account":"wickr:AMY","device_id":"d-00ab","event":"sent","message_id":"m-1"}\n' >"$T/h/usage.jsonl"
run ingest --db "$T/h/a.db" accounts "$T/h/accounts.csv"
run ingest --db "$T/h/a.db" devices "$T/h/devices.csv"
run ingest --db "$T/h/a.db" usage "$T/h/usage.jsonl"
run analyze --db "$T/h/a.db" --as-of 2021-09-30 --rules "$RULES"
t_eq "hints: analyze exit" "$rc" 0
t_eq "hints: stored" "$(sql "$T/h/a.db" "SELECT check_name, subject, suggestion, count, line FROM data_quality ORDER BY check_name")" \
"unknown_account|wickr:AMY|signal:amy|1|1
unknown_device|d-00ab|D-00AB|1|1"

t_done
