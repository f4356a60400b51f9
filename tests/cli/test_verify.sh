# udaudit verify: re-hashes every input in the manifest; a changed or
# missing input is named, with exit 3; an unchanged manifest exits 0.
. tests/cli/lib.sh
D=tests/data/ingest

cp $D/accounts-good.csv "$T/accounts.csv"
cp $D/devices-good.csv "$T/devices.csv"
cp $D/usage-good.jsonl "$T/usage.jsonl"
run ingest --db "$T/a.db" accounts "$T/accounts.csv"
run ingest --db "$T/a.db" devices "$T/devices.csv"
run ingest --db "$T/a.db" usage "$T/usage.jsonl"

run verify --db "$T/a.db"
t_eq "unchanged: exit" "$rc" 0
t_eq "unchanged: report" "$(cat "$T/out")" "ok       accounts        $T/accounts.csv
ok       devices         $T/devices.csv
ok       usage           $T/usage.jsonl
3 inputs checked, all unchanged"
t_eq "unchanged: stderr" "$(cat "$T/err")" ""

# one byte changed, same size: CHANGED, exit 3
sed 's/Dana Reyes/Dana Reyez/' $D/accounts-good.csv >"$T/accounts.csv"
run verify --db "$T/a.db"
t_eq "changed: exit" "$rc" 3
t_contains "changed: named" "$T/out" "CHANGED  accounts        $T/accounts.csv (sha256 was "
t_contains "changed: same size" "$T/out" "size was 525, is 525)"
t_contains "changed: others ok" "$T/out" "ok       devices         $T/devices.csv"
t_contains "changed: summary" "$T/out" "3 inputs checked, some changed or missing"
# the stored hash is the one of the original file
want=$(sha256sum $D/accounts-good.csv | cut -c1-12)
t_contains "changed: old hash shown" "$T/out" "sha256 was $want"

# appended to: CHANGED with the new size
cp $D/accounts-good.csv "$T/accounts.csv"
echo '{"ts":"2018-10-18T09:00:00Z","account":"signal:+15550100003","event":"sent","message_id":"s-1"}' >>"$T/usage.jsonl"
run verify --db "$T/a.db"
t_eq "appended: exit" "$rc" 3
t_contains "appended: named" "$T/out" "CHANGED  usage           $T/usage.jsonl"
t_contains "appended: restored one ok" "$T/out" "ok       accounts        $T/accounts.csv"
cp $D/usage-good.jsonl "$T/usage.jsonl"

# missing: MISSING, exit 3
rm "$T/devices.csv"
run verify --db "$T/a.db"
t_eq "missing: exit" "$rc" 3
t_contains "missing: named" "$T/out" "MISSING  devices         $T/devices.csv"
t_contains "missing: summary" "$T/out" "3 inputs checked, some changed or missing"
# unreadable is not possible to test as root; a directory in its place
mkdir "$T/devices.csv"
run verify --db "$T/a.db"
t_eq "replaced by a directory: exit" "$rc" 3
t_not_contains "replaced by a directory: not ok" "$T/out" "ok       devices"
rmdir "$T/devices.csv"
cp $D/devices-good.csv "$T/devices.csv"
run verify --db "$T/a.db"
t_eq "all restored: exit" "$rc" 0

# verify does not write: the DB is byte for byte the same
sum=$(sha256sum "$T/a.db")
run verify --db "$T/a.db"
t_eq "verify writes nothing" "$(sha256sum "$T/a.db")" "$sum"

# a DB with no inputs yet
run ingest --db "$T/empty.db" accounts $D/accounts-no-column.csv
run verify --db "$T/empty.db"
t_eq "empty manifest: exit" "$rc" 0
t_eq "empty manifest: report" "$(cat "$T/out")" "0 inputs checked, all unchanged"

# loaded with a relative path, verified from another directory: the
# manifest keeps where the file was, so it is still found
mkdir -p "$T/rel/sub"
cp $D/accounts-good.csv "$T/rel/accounts.csv"
(cd "$T/rel" && "$UDAUDIT" ingest --db "$T/rel.db" accounts accounts.csv >/dev/null 2>&1)
t_eq "relative path kept for reports" "$(sql "$T/rel.db" "SELECT path FROM inputs")" "accounts.csv"
(cd "$T/rel/sub" && "$UDAUDIT" verify --db "$T/rel.db" >"$T/out" 2>"$T/err"); rc=$?
t_eq "verify from elsewhere: exit" "$rc" 0
t_contains "verify from elsewhere: ok" "$T/out" "ok       accounts        accounts.csv"
echo "x" >>"$T/rel/accounts.csv"
(cd / && "$UDAUDIT" verify --db "$T/rel.db" >"$T/out" 2>"$T/err"); rc=$?
t_eq "verify from elsewhere, changed: exit" "$rc" 3
t_contains "verify from elsewhere: changed" "$T/out" "CHANGED  accounts        accounts.csv"

# usage errors and a missing DB
run verify
t_eq "no --db: exit" "$rc" 2
t_contains "no --db: message" "$T/err" "udaudit: error: --db is required"
run verify --db "$T/a.db" extra
t_eq "extra argument: exit" "$rc" 2
run verify --db "$T/nothing.db"
t_eq "no such DB: exit" "$rc" 4
t_contains "no such DB: message" "$T/err" "no such database"
t_eq "no such DB: not created" "$(ls "$T" | grep -c '^nothing')" 0
run verify --help
t_eq "help: exit" "$rc" 0
t_contains "help: usage" "$T/out" "usage: udaudit verify --db DB"

t_done
