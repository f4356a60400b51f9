# The audit reflects the current version of each input (spec 7): a fixed
# file supersedes the broken one in one transaction, the manifest lists the
# current version (history kept), verify checks current inputs; `inputs
# list|retire` for what the config no longer names; paths are stored as
# audit.ini writes them, whatever folder the tool runs from.
. tests/cli/lib.sh
D=$(pwd)/tests/data/quality
RULES=$(pwd)/rules

mkdir -p "$T/a/data"
cp $D/accounts.csv $D/usage.jsonl "$T/a/data/"
# a devices.csv with one bad row (a status that is no status)
sed 's/^D-0011,C-011,android,Pixel 4,gfe,yes,active/D-0011,C-011,android,Pixel 4,gfe,yes,broken/' \
	$D/devices.csv >"$T/a/data/devices.csv"
cat >"$T/a/audit.ini" <<EOF
[audit]
quarter = 2021Q3
as_of   = 2021-09-24

[inputs]
accounts = data/accounts.csv
devices  = data/devices.csv
usage    = data/usage.jsonl

[rules]
dir = $RULES
EOF
DB=$T/a/out/audit.db

(cd / && "$UDAUDIT" run "$T/a/audit.ini" >"$T/out" 2>"$T/err"); rc=$?
t_eq "broken: exit" "$rc" 0
t_contains "broken: the bad row said" "$T/err" "devices.csv:3: error: bad value 'broken' for 'status'"
t_eq "broken: 2 devices" "$(sql "$DB" "SELECT count(*) FROM devices")" 2
# the manifest has the path as audit.ini writes it, run from / with an absolute config
t_eq "manifest: paths as in audit.ini" "$(sql "$DB" "SELECT kind, path FROM inputs ORDER BY input_id")" \
"accounts|data/accounts.csv
devices|data/devices.csv
usage|data/usage.jsonl"

# fixed and run again, from the config's folder: one version in the manifest
cp $D/devices.csv "$T/a/data/devices.csv"
(cd "$T/a" && "$UDAUDIT" run audit.ini >"$T/out" 2>"$T/err"); rc=$?
t_eq "fixed: exit" "$rc" 0
new=$(sha256sum "$T/a/data/devices.csv" | cut -c1-12)
t_contains "fixed: says it replaces" "$T/out" "sha256 $new, replaces "
t_eq "fixed: one devices input" "$(sql "$DB" "SELECT count(*) FROM inputs WHERE kind = 'devices'")" 1
t_eq "fixed: the current one" "$(sql "$DB" "SELECT substr(sha256, 1, 12), path, records, skipped FROM inputs WHERE kind = 'devices'")" \
"$new|data/devices.csv|3|0"
t_eq "fixed: history kept" "$(sql "$DB" "SELECT kind, reason, superseded_by = (SELECT input_id FROM inputs WHERE kind = 'devices') FROM input_history")" \
"devices|superseded|1"
t_eq "fixed: records replaced" "$(sql "$DB" "SELECT count(*), count(DISTINCT input_id) FROM devices")" "3|1"
t_eq "fixed: others still already loaded" "$(grep -c 'already loaded' "$T/out")" 2
t_eq "fixed: new id after every old one" "$(sql "$DB" "SELECT input_id FROM inputs WHERE kind = 'devices'")" 4
(cd "$T" && "$UDAUDIT" verify --db "$DB" >"$T/out" 2>"$T/err"); rc=$?
t_eq "verify: green" "$rc" 0
t_contains "verify: current inputs" "$T/out" "3 inputs checked, all unchanged"
# the workbook's manifest lists the current version only
/usr/bin/python3 tests/cli/xlsx_dump.py "$T/a/out/2021Q3-findings.xlsx" >"$T/x"
t_eq "workbook: one devices row" "$(grep -c '^Inputs!A[0-9]*=s:devices$' "$T/x")" 1

# a new file under the same audit.ini key supersedes the old one too
cp $D/devices.csv "$T/a/data/devices-v2.csv"
echo "D-0013,C-011,ios,iPhone 13,gfe,yes,active,,,2021-01-01" >>"$T/a/data/devices-v2.csv"
sed -i 's|data/devices.csv|data/devices-v2.csv|' "$T/a/audit.ini"
run run "$T/a/audit.ini"
t_eq "renamed: exit" "$rc" 0
t_eq "renamed: one devices input" "$(sql "$DB" "SELECT path, records FROM inputs WHERE kind = 'devices'")" "data/devices-v2.csv|4"
t_eq "renamed: 4 devices" "$(sql "$DB" "SELECT count(*) FROM devices")" 4

# an input the config no longer names stays until retired
sed -i '/^usage/d' "$T/a/audit.ini"
run inputs list --db "$DB" "$T/a/audit.ini"
t_eq "list: exit" "$rc" 0
t_contains "list: marked" "$T/out" "data/usage.jsonl  (not in $T/a/audit.ini)"
t_contains "list: advice" "$T/out" "1 input not named by $T/a/audit.ini"
uid=$(sql "$DB" "SELECT input_id FROM inputs WHERE kind = 'usage'")
run inputs list --db "$DB" --history
t_contains "list --history: superseded shown" "$T/out" "(superseded by"
run inputs retire --db "$DB" "$uid"
t_eq "retire: exit" "$rc" 0
t_contains "retire: said" "$T/out" "retired $uid  usage"
t_eq "retire: events gone" "$(sql "$DB" "SELECT count(*) FROM usage")" 0
t_eq "retire: its warnings gone" "$(sql "$DB" "SELECT count(*) FROM data_quality WHERE from_input = 1")" 0
t_eq "retire: in the history" "$(sql "$DB" "SELECT reason FROM input_history WHERE input_id = $uid")" "retired"
run verify --db "$DB"
t_eq "retire: verify green" "$rc" 0
run inputs retire --db "$DB" "$uid"
t_eq "retire again: exit" "$rc" 3
t_contains "retire again: said" "$T/err" "error: no current input $uid"
run inputs retire --db "$DB" x
t_eq "retire bad id: exit" "$rc" 2
run inputs frob --db "$DB"
t_eq "unknown verb: exit" "$rc" 2

# tracker files keep every version (a re-import never undoes a recorded update)
printf 'case_id,agency,opened_on,status\nUD-2021-0001,Example Agency,2021-08-01,Open\n' >"$T/c1.csv"
run ingest --db "$T/t.db" cases "$T/c1.csv"
printf 'case_id,agency,opened_on,status\nUD-2021-0001,Example Agency,2021-08-02,Open\n' >"$T/c1.csv"
run ingest --db "$T/t.db" cases "$T/c1.csv"
t_eq "tracker: both versions kept" "$(sql "$T/t.db" "SELECT count(*) FROM inputs WHERE kind = 'cases'")" 2
t_eq "tracker: nothing superseded" "$(sql "$T/t.db" "SELECT count(*) FROM input_history")" 0
tid=$(sql "$T/t.db" "SELECT min(input_id) FROM inputs")
run inputs retire --db "$T/t.db" "$tid"
t_eq "tracker: not retired" "$rc" 3
t_contains "tracker: why" "$T/err" "tracker inputs are never retired"

# ingest on the command line: the same file changed supersedes too
cp $D/accounts.csv "$T/acc.csv"
run ingest --db "$T/i.db" accounts "$T/acc.csv"
sed -i 's/Bea Ortiz/Beatriz Ortiz/' "$T/acc.csv"
run ingest --db "$T/i.db" accounts "$T/acc.csv"
t_contains "ingest: replaces" "$T/out" ", replaces "
t_eq "ingest: current name" "$(sql "$T/i.db" "SELECT custodian_name FROM accounts WHERE account = 'msteams:bortiz'")" "Beatriz Ortiz"
t_eq "ingest: one input" "$(sql "$T/i.db" "SELECT count(*) FROM inputs")" 1

t_done
