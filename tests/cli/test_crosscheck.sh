# The cross-file checks (crosscheck.c): accounts, app keys and devices that
# usage or the compliance store names and accounts.csv, apps.ini or
# devices.csv lacks, and custodians with devices but no account. Fed by the
# analyzer's scans (`run`, `analyze`) or read alone (--strict): the same
# warnings, counts, first file:line and hints either way, events after
# as_of and rows the analysis skips counted too.
. tests/cli/lib.sh
RULES=$(pwd)/rules

A="$T/a"
mkdir -p "$A"
cat >"$A/accounts.csv" <<'EOF'
account,app,custodian_id,custodian_name,office,role,official,capture,approved_on,opened_on,closed_on
teams:amy,teams,C-1,Amy Ng,Ops,standard,yes,archiver,,2020-01-01,
signal:+15550001,signal,C-2,Bo Li,Ops,standard,yes,manual,,2020-01-01,
EOF
cat >"$A/devices.csv" <<'EOF'
device_id,custodian_id,platform,model,ownership,managed,status,status_on,replaced_by,enrolled_on
D-1,C-1,ios,iPhone 12,gfe,yes,active,,,2020-01-01
D-2,C-2,android,Pixel 4,gfe,yes,active,,,2020-01-01
D-3,C-9,android,Pixel 5,gfe,yes,active,,,2020-01-01
D-4,C-9,android,Pixel 5,gfe,yes,active,,,2020-01-01
EOF
# line 2: an unknown account (its handle is teams:amy's); 3: a device in
# another case; 4: an unknown app key; 5-7: after as_of (2021-09-30), one
# account known nowhere else; 8: the unknown account again, same device
cat >"$A/usage.jsonl" <<'EOF'
{"ts":"2021-08-02T14:00:00Z","app":"teams","account":"teams:amy","device_id":"D-1","event":"sent","message_id":"m1","conversation_id":"c1"}
{"ts":"2021-08-02T14:01:00Z","app":"teams","account":"msteams:amy","device_id":"D-1","event":"sent","message_id":"m2","conversation_id":"c1"}
{"ts":"2021-08-02T14:02:00Z","app":"teams","account":"teams:amy","device_id":"d-1","event":"received","message_id":"m3","conversation_id":"c1"}
{"ts":"2021-08-02T14:03:00Z","app":"teamz","account":"teams:amy","device_id":"D-1","event":"sent","message_id":"m4","conversation_id":"c1"}
{"ts":"2021-10-05T09:00:00Z","app":"teams","account":"msteams:amy","device_id":"D-1","event":"sent","message_id":"m5","conversation_id":"c1"}
{"ts":"2021-10-05T09:01:00Z","app":"teams","account":"teams:zed","device_id":"D-77","event":"sent","message_id":"m6","conversation_id":"c2"}
{"ts":"2021-10-05T09:02:00Z","app":"teams","account":"teams:amy","device_id":"d-1","event":"sent","message_id":"m7","conversation_id":"c1"}
{"ts":"2021-08-03T10:00:00Z","app":"teams","account":"msteams:amy","device_id":"D-1","event":"deleted","message_id":"m8","conversation_id":"c1"}
EOF
# rows 2, 3: an unknown account (row 3 a message_id loaded again, skipped by
# the analysis); 4: an unknown app key; 5: captured after as_of; a policy of
# an unknown app key (its row 2)
python3 -c "import sqlite3,sys
c = sqlite3.connect(sys.argv[1])
c.executescript('''
CREATE TABLE messages (message_id TEXT, app TEXT NOT NULL, account TEXT NOT NULL,
  conversation_id TEXT, sent_at TEXT NOT NULL, captured_at TEXT NOT NULL, sha256 TEXT,
  purged_at TEXT, purge_reason TEXT);
CREATE TABLE retention_policies (app TEXT NOT NULL, role TEXT, retention_days INTEGER,
  effective_on TEXT);
INSERT INTO retention_policies VALUES ('teams', NULL, NULL, '2019-01-01');
INSERT INTO retention_policies VALUES ('signall', NULL, NULL, '2019-01-01');
INSERT INTO messages VALUES ('m1', 'teams', 'teams:amy', 'c1', '2021-08-02T14:00:00Z', '2021-08-02T14:00:05Z', NULL, NULL, NULL);
INSERT INTO messages VALUES ('s2', 'teams', 'teams:bob', 'c3', '2021-08-02T15:00:00Z', '2021-08-02T15:00:05Z', NULL, NULL, NULL);
INSERT INTO messages VALUES ('s2', 'teams', 'teams:bob', 'c3', '2021-08-02T15:00:00Z', '2021-08-02T15:00:05Z', NULL, NULL, NULL);
INSERT INTO messages VALUES ('s4', 'teamz', 'teams:amy', 'c1', '2021-08-02T16:00:00Z', '2021-08-02T16:00:05Z', NULL, NULL, NULL);
INSERT INTO messages VALUES ('s5', 'teams', 'msteams:amy', 'c1', '2021-10-02T16:00:00Z', '2021-10-02T16:00:05Z', NULL, NULL, NULL);
''')
c.commit()" "$A/compliance.sqlite"
cat >"$A/audit.ini" <<EOF
[audit]
as_of = 2021-09-30

[inputs]
accounts   = accounts.csv
devices    = devices.csv
usage      = usage.jsonl
compliance = compliance.sqlite

[rules]
dir = $RULES
EOF

# what run says: the warnings in order, each with its first file:line
cat >"$T/want" <<'EOF'
data quality: 9 warnings (also on the findings workbook's "Data quality" sheet)
  devices.csv:4: custodian with devices but no account in accounts.csv: 'C-9' (2 devices)
  usage.jsonl:2: account not in accounts.csv: 'msteams:amy' (3 usage events; did you mean 'teams:amy'?)
  usage.jsonl:6: account not in accounts.csv: 'teams:zed' (1 usage events)
  compliance.sqlite:2: account not in accounts.csv: 'teams:bob' (2 compliance-store messages)
  compliance.sqlite:5: account not in accounts.csv: 'msteams:amy' (1 compliance-store messages; did you mean 'teams:amy'?)
  usage.jsonl:4: app key not in apps.ini: 'teamz' (2 records; did you mean 'teams'?)
  compliance.sqlite:2: app key not in apps.ini: 'signall' (1 records; did you mean 'signal'?)
  usage.jsonl:3: device not in devices.csv: 'd-1' (2 records; did you mean 'D-1'?)
  usage.jsonl:6: device not in devices.csv: 'D-77' (1 records)
EOF
(cd "$A" && "$UDAUDIT" run audit.ini >"$T/out" 2>"$T/err"); rc=$?
t_eq "run: exit" "$rc" 0
grep -E '^(data quality|  )' "$T/out" | grep -vE '^  (actual|impending|threatened|policy|  )' >"$T/got"
t_eq "run: the warnings" "$(cat "$T/got")" "$(cat "$T/want")"
# said before the analysis's summary, as when the checks came first
t_eq "run: order" "$(grep -nE '^(data quality|analysis as of)' "$T/out" | cut -d: -f2 | cut -c1-8 | tr '\n' ' ')" \
	"data qua analysis "
DQ="SELECT check_name, message, subject, coalesce(suggestion, ''), count, unit, input_id, line,
    from_input FROM data_quality ORDER BY rowid"
sql "$A/out/audit.db" "$DQ" >"$T/dq-run"
t_eq "run: stored" "$(wc -l <"$T/dq-run" | tr -d ' ')" 9

# analyze: the same rows, the warnings on stderr (file:line: warning: ...)
run analyze --db "$A/out/audit.db" --rules "$RULES" --as-of 2021-09-30
t_eq "analyze: exit" "$rc" 0
sql "$A/out/audit.db" "$DQ" >"$T/dq-analyze"
t_eq "analyze: stored as run" "$(cat "$T/dq-analyze")" "$(cat "$T/dq-run")"
t_contains "analyze: stderr" "$T/err" \
	"udaudit: usage.jsonl:2: warning: account not in accounts.csv: 'msteams:amy' (3 usage events; did you mean 'teams:amy'?)"
t_contains "analyze: stderr store" "$T/err" \
	"udaudit: compliance.sqlite:2: warning: account not in accounts.csv: 'teams:bob' (2 compliance-store messages)"
t_eq "analyze: warnings" "$(grep -c ': warning: ' "$T/err")" 9

# the reader thread off: the scans read directly, the same
UDAUDIT_THREADS=0 "$UDAUDIT" analyze --db "$A/out/audit.db" --rules "$RULES" --as-of 2021-09-30 \
	>"$T/out" 2>"$T/err"; rc=$?
t_eq "no thread: exit" "$rc" 0
t_eq "no thread: stored as run" "$(sql "$A/out/audit.db" "$DQ")" "$(cat "$T/dq-run")"

# an earlier as_of skips more events in the analysis, never in the checks
run analyze --db "$A/out/audit.db" --rules "$RULES" --as-of 2021-08-01
t_eq "early as_of: exit" "$rc" 0
t_eq "early as_of: stored as run" "$(sql "$A/out/audit.db" "$DQ")" "$(cat "$T/dq-run")"

# --strict: the checks alone, before the analysis (nothing analyzed)
run analyze --db "$A/out/audit.db" --rules "$RULES" --as-of 2021-09-30 --strict
t_eq "analyze --strict: exit" "$rc" 3
t_eq "analyze --strict: stored as run" "$(sql "$A/out/audit.db" "$DQ")" "$(cat "$T/dq-run")"
t_contains "analyze --strict: said" "$T/err" "9 data-quality warnings and --strict: nothing analyzed"
t_not_contains "analyze --strict: no analysis" "$T/out" "analysis as of"

rm -rf "$A/out"
(cd "$A" && "$UDAUDIT" run --strict audit.ini >"$T/out" 2>"$T/err"); rc=$?
t_eq "run --strict: exit" "$rc" 3
grep -E '^(data quality|  )' "$T/out" >"$T/got"
t_eq "run --strict: the warnings" "$(cat "$T/got")" "$(cat "$T/want")"
t_eq "run --strict: stored as run" "$(sql "$A/out/audit.db" "$DQ")" "$(cat "$T/dq-run")"
t_not_contains "run --strict: no analysis" "$T/out" "analysis as of"

t_done
