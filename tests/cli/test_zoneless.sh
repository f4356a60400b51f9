# Timestamps without a zone, in every input that carries zoned times (spec
# 7: never silently UTC), by the rule of usage.jsonl: a warning with
# file:line, the first value and the count, a data_quality row (so --strict
# fails the run), and the input option tz= that reads them in an offset
# (tz=+00:00 accepts them as UTC, with no warning).
. tests/cli/lib.sh
A=$(pwd)/tests/data/adapters
PY=/usr/bin/python3
tz_msg="has no time zone: taken as UTC"
hint="give the input option tz=+00:00 to accept them as UTC, or their offset)"

# zoned FILE KIND LABEL WANT-WARNING: ingest as is (a warning, a row), with
# tz=+00:00 (silent, same times) and tz=-04:00 (shifted 4 hours)
quality() { sql "$1" "SELECT check_name || '|' || subject || '|' || count || '|' || coalesce(line, '') FROM data_quality"; }

# ---- device_apps.csv: first_seen / last_seen kept as the UTC date ----
printf 'device_id,app_id,first_seen,last_seen\nD-1,com.whatsapp,2024-04-01T10:00:00Z,2024-04-02\nD-1,com.wickr.pro,2024-04-01,2024-06-30T22:30:00\n' >"$T/da.csv"
run ingest --db "$T/da.db" device-apps "$T/da.csv"
t_eq "device-apps: exit" "$rc" 0
t_eq "device-apps: warning" "$(cat "$T/err")" \
	"udaudit: $T/da.csv:3: warning: timestamp '2024-06-30T22:30:00' $tz_msg (1 such; $hint"
t_eq "device-apps: data_quality row" "$(quality "$T/da.db")" "time_without_zone|2024-06-30T22:30:00|1|3"
t_eq "device-apps: taken as UTC" "$(sql "$T/da.db" "SELECT last_seen FROM device_apps WHERE app_id = 'com.wickr.pro'")" "2024-06-30"
run ingest --db "$T/da2.db" --tz -04:00 device-apps "$T/da.csv"
t_eq "device-apps tz=-04:00: silent" "$(cat "$T/err")" ""
t_eq "device-apps tz=-04:00: the next UTC day" "$(sql "$T/da2.db" "SELECT last_seen FROM device_apps WHERE app_id = 'com.wickr.pro'")" "2024-07-01"
t_eq "device-apps tz: zoned times unchanged" "$(sql "$T/da2.db" "SELECT first_seen FROM device_apps WHERE app_id = 'com.whatsapp'")" "2024-04-01"
t_eq "device-apps tz: nothing stored" "$(sql "$T/da2.db" "SELECT count(*) FROM data_quality")" 0

# ---- the compliance store: sent_at, captured_at, purged_at ----
cat >"$T/cs.sql" <<'EOF'
CREATE TABLE messages (message_id TEXT PRIMARY KEY, app TEXT NOT NULL, account TEXT NOT NULL,
  conversation_id TEXT, sent_at TEXT NOT NULL, captured_at TEXT NOT NULL, sha256 TEXT,
  purged_at TEXT, purge_reason TEXT);
INSERT INTO messages VALUES ('m-1','wickr','wickr:a','c','2021-08-01T10:00:00Z','2021-08-01T10:00:01Z',NULL,NULL,NULL);
INSERT INTO messages VALUES ('m-2','wickr','wickr:a','c','2021-08-01T11:00:00','2021-08-01T11:00:01',NULL,NULL,NULL);
INSERT INTO messages VALUES ('m-3','wickr','wickr:a','c','2021-08-01T12:00:00+02:00','2021-08-01T12:00:01+02:00',NULL,'2021-09-01T00:00:00',NULL);
EOF
$PY -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.executescript(open(sys.argv[2]).read()); c.commit()" "$T/cs.sqlite" "$T/cs.sql"
run ingest --db "$T/cs.db" compliance "$T/cs.sqlite"
t_eq "compliance: exit" "$rc" 0
t_eq "compliance: warning at the row" "$(cat "$T/err")" \
	"udaudit: $T/cs.sqlite:2: warning: timestamp '2021-08-01T11:00:00' $tz_msg (3 such; $hint"
t_eq "compliance: data_quality row" "$(quality "$T/cs.db")" "time_without_zone|2021-08-01T11:00:00|3|2"
t_eq "compliance: taken as UTC" "$(sql "$T/cs.db" "SELECT datetime(sent_ts, 'unixepoch') FROM store_messages WHERE message_id = 'm-2'")" "2021-08-01 11:00:00"
run ingest --db "$T/cs2.db" --tz=-04:00 compliance "$T/cs.sqlite"
t_eq "compliance tz=-04:00: silent" "$(cat "$T/err")" ""
t_eq "compliance tz=-04:00: shifted; zoned kept" \
	"$(sql "$T/cs2.db" "SELECT message_id, datetime(sent_ts, 'unixepoch'), coalesce(datetime(purged_ts, 'unixepoch'), '') FROM store_messages ORDER BY message_id")" \
	"m-1|2021-08-01 10:00:00|
m-2|2021-08-01 15:00:00|
m-3|2021-08-01 10:00:00|2021-09-01 04:00:00"
run ingest --db "$T/cs3.db" --tz +00:00 compliance "$T/cs.sqlite"
t_eq "compliance tz=+00:00: accepted as UTC, silent" "$(cat "$T/err")" ""
t_eq "compliance tz=+00:00: UTC" "$(sql "$T/cs3.db" "SELECT datetime(sent_ts, 'unixepoch') FROM store_messages WHERE message_id = 'm-2'")" "2021-08-01 11:00:00"

# in an audit: the warning is in run's summary, and --strict fails the run
mkdir -p "$T/r"
cp "$T/cs.sqlite" "$T/r/store.sqlite"
printf 'account,app,custodian_id,capture\nwickr:a,wickr,C-1,archiver\n' >"$T/r/accounts.csv"
printf '[audit]\nquarter = 2021Q3\n\n[inputs]\naccounts = accounts.csv\ncompliance = store.sqlite\n' >"$T/r/audit.ini"
(cd "$T/r" && "$UDAUDIT" run audit.ini >run.out 2>run.err); rc=$?
t_eq "run: exit" "$rc" 0
t_contains "run: in the summary" "$T/r/run.out" \
	"  store.sqlite:2: timestamp without a time zone, taken as UTC: '2021-08-01T11:00:00' (3 timestamps)"
rm -rf "$T/r/out"
(cd "$T/r" && "$UDAUDIT" run --strict audit.ini >run.out 2>run.err); rc=$?
t_eq "run --strict: exit 3" "$rc" 3
t_contains "run --strict: said" "$T/r/run.err" "data-quality warning and --strict: nothing analyzed"
printf '[audit]\nquarter = 2021Q3\n\n[inputs]\naccounts = accounts.csv\ncompliance = store.sqlite tz=+00:00\n' >"$T/r/audit.ini"
rm -rf "$T/r/out"
(cd "$T/r" && "$UDAUDIT" run --strict audit.ini >run.out 2>run.err); rc=$?
t_eq "run --strict, tz=+00:00 on the [inputs] line: exit 0" "$rc" 0

# ---- RSMF: event timestamps ----
sed 's/"timestamp": "2024-06-10T06:34:00Z"/"timestamp": "2024-06-10T06:34:00"/' \
	"$A/rsmf/rsmf_manifest.json" >"$T/rsmf.json"
t_ok "rsmf fixture has one zone-less time" grep -q '"2024-06-10T06:34:00"' "$T/rsmf.json"
run ingest --db "$T/rs.db" rsmf "$T/rsmf.json"
t_eq "rsmf: exit" "$rc" 0
t_contains "rsmf: warning with the event" "$T/err" \
	"udaudit: $T/rsmf.json: warning: timestamp '2024-06-10T06:34:00' (events[2].timestamp) $tz_msg (1 such; $hint"
t_eq "rsmf: data_quality row" "$(quality "$T/rs.db")" "time_without_zone|2024-06-10T06:34:00|1|"
run ingest --db "$T/rs2.db" --tz -04:00 rsmf "$T/rsmf.json"
t_not_contains "rsmf tz: silent" "$T/err" "no time zone"
t_eq "rsmf tz=-04:00: shifted" "$(sql "$T/rs2.db" "SELECT count(*) FROM store_messages WHERE datetime(sent_ts, 'unixepoch') = '2024-06-10 10:34:00'")" 1
run ingest --db "$T/rs3.db" rsmf "$A/rsmf/rsmf_manifest.json"
t_not_contains "rsmf zoned: silent" "$T/err" "no time zone"

# ---- Teams (Graph): createdDateTime, deletedDateTime ----
sed 's/"createdDateTime": "2021-05-25T20:12:14.864Z"/"createdDateTime": "2021-05-25T20:12:14.864"/' \
	"$A/teams/chats_getallmessages.json" >"$T/teams.json"
run ingest --db "$T/tm.db" teams "$T/teams.json"
t_eq "teams: exit" "$rc" 0
line=$(grep -n '"createdDateTime": "2021-05-25T20:12:14.864"' "$T/teams.json" | cut -d: -f1)
t_contains "teams: warning" "$T/err" "warning: timestamp '2021-05-25T20:12:14.864' $tz_msg (1 such; $hint"
t_eq "teams: data_quality row" "$(quality "$T/tm.db" | cut -d'|' -f1-3)" "time_without_zone|2021-05-25T20:12:14.864|1"
run ingest --db "$T/tm2.db" --tz +00:00 teams "$T/teams.json"
t_not_contains "teams tz=+00:00: silent" "$T/err" "no time zone"
run ingest --db "$T/tm3.db" teams "$A/teams/chats_getallmessages.json"
t_not_contains "teams zoned: silent" "$T/err" "no time zone"

# ---- Purview: the CSV's CreationDate ----
sed '3s/,2024-06-10T13:06:00.0000000Z,/,2024-06-10T13:06:00.0000000,/' "$A/purview/audit_new.csv" >"$T/pv.csv"
run ingest --db "$T/pv.db" purview "$T/pv.csv"
t_eq "purview: exit" "$rc" 0
t_contains "purview: warning at the line" "$T/err" \
	"udaudit: $T/pv.csv:3: warning: timestamp '2024-06-10T13:06:00.0000000' $tz_msg (1 such; $hint"
run ingest --db "$T/pv2.db" --tz -04:00 purview "$T/pv.csv"
t_not_contains "purview tz: silent" "$T/err" "no time zone"
t_eq "purview tz=-04:00: shifted" "$(sql "$T/pv2.db" "SELECT datetime(ts, 'unixepoch') FROM usage WHERE line = 3")" "2024-06-10 17:06:00"
run ingest --db "$T/pv3.db" purview "$A/purview/audit_new.csv"
t_not_contains "purview zoned: silent" "$T/err" "no time zone"

# ---- an input that takes no tz ----
run ingest --db "$T/x.db" --tz +00:00 accounts "$T/r/accounts.csv"
t_eq "tz on a kind without times: exit 2" "$rc" 2

t_done
