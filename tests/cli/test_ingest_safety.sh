# The audit DB's safety: created 0600; re-ingesting a file (known by its
# SHA-256) changes nothing; a kill -9 in the middle of a large ingest leaves
# the DB as it was (one transaction per file).
. tests/cli/lib.sh
D=tests/data/ingest

# counts DB: one line with the row count of every loaded table
counts() {
	sql "$1" "SELECT (SELECT count(*) FROM inputs) || ' ' || (SELECT count(*) FROM accounts)
		|| ' ' || (SELECT count(*) FROM devices) || ' ' || (SELECT count(*) FROM usage)"
}

# ---- mode 0600, whatever the umask ----

(umask 000; "$UDAUDIT" ingest --db "$T/open.db" accounts $D/accounts-good.csv >/dev/null 2>&1)
t_eq "DB mode under umask 000" "$(stat -c %a "$T/open.db")" 600
run ingest --db "$T/a.db" accounts $D/accounts-good.csv
t_eq "first load: exit" "$rc" 0
t_eq "DB mode" "$(stat -c %a "$T/a.db")" 600
# a DB whose first load failed is still created 0600 and stays unchanged
run ingest --db "$T/failed.db" accounts $D/accounts-no-column.csv
t_eq "failed first load: exit" "$rc" 3
t_eq "failed first load: DB mode" "$(stat -c %a "$T/failed.db")" 600
# no journal or WAL left beside the DB, readable by others
t_eq "no other files" "$(ls "$T" | grep -c '^a\.db-')" 0

# ---- re-ingest: nothing added, and it says so ----

run ingest --db "$T/a.db" usage $D/usage-good.jsonl
run ingest --db "$T/a.db" devices $D/devices-good.csv
before=$(counts "$T/a.db")
t_eq "before re-ingest" "$before" "3 4 3 7"
manifest=$(sql "$T/a.db" "SELECT input_id, kind, path, sha256, records, loaded_at FROM inputs ORDER BY input_id")
run ingest --db "$T/a.db" usage $D/usage-good.jsonl
t_eq "re-ingest: exit" "$rc" 0
t_contains "re-ingest: already loaded" "$T/out" "already loaded (sha256"
t_contains "re-ingest: nothing added" "$T/out" "nothing added"
t_eq "re-ingest: counts" "$(counts "$T/a.db")" "$before"
t_eq "re-ingest: manifest unchanged" "$(sql "$T/a.db" "SELECT input_id, kind, path, sha256, records, loaded_at FROM inputs ORDER BY input_id")" "$manifest"
# the same bytes under another name are the same input
cp $D/accounts-good.csv "$T/copy-of-accounts.csv"
run ingest --db "$T/a.db" accounts "$T/copy-of-accounts.csv" $D/accounts-good.csv
t_eq "copy: exit" "$rc" 0
t_eq "copy: both already loaded" "$(grep -c 'already loaded' "$T/out")" 2
t_eq "copy: counts" "$(counts "$T/a.db")" "$before"
# the same file twice on one command line loads once
run ingest --db "$T/twice.db" devices $D/devices-good.csv $D/devices-good.csv
t_eq "twice: exit" "$rc" 0
t_eq "twice: loaded once" "$(counts "$T/twice.db")" "1 0 3 0"
t_contains "twice: second already loaded" "$T/out" "already loaded"
# a changed file is a new input
{ cat $D/devices-good.csv; echo "D-0099,C-009,ios,iPhone 12,gfe,yes,active,2021-01-01,,"; } >"$T/devices-2.csv"
run ingest --db "$T/a.db" devices "$T/devices-2.csv"
t_eq "changed file: exit" "$rc" 0
t_eq "changed file: loaded" "$(counts "$T/a.db")" "4 4 4 7"

# ---- kill -9 in the middle of a large ingest ----

before=$(counts "$T/a.db")
digest=$(sql "$T/a.db" "SELECT group_concat(event_id || ':' || ts || ':' || message_id, ',') FROM usage")
awk 'BEGIN { for (i = 0; i < 2000000; i++)
	printf "{\"ts\":\"2019-01-%02dT%02d:%02d:%02dZ\",\"account\":\"whatsapp:+1555%07d\",\"event\":\"sent\",\"message_id\":\"m%d\",\"conversation_id\":\"c%d\"}\n",
		i % 28 + 1, i % 24, i % 60, i % 60, i % 1000, i, i % 5000 }' >"$T/big.jsonl"
size0=$(stat -c %s "$T/a.db")
"$UDAUDIT" ingest --db "$T/a.db" usage "$T/big.jsonl" >"$T/kill.out" 2>"$T/kill.err" &
pid=$!
# wait until it writes: a rollback journal (or WAL) exists, then until the
# DB itself grows (the page cache spilled) or 4 s have passed
journal=0 grew=0 waited=0
while [ $waited -lt 300 ] && kill -0 $pid 2>/dev/null; do
	if [ -s "$T/a.db-journal" ] || [ -s "$T/a.db-wal" ]; then
		journal=$((journal + 1))
		[ "$(stat -c %s "$T/a.db")" -gt $((size0 + 1048576)) ] && { grew=1; break; }
		[ $journal -ge 80 ] && break
	fi
	sleep 0.05
	waited=$((waited + 1))
done
if kill -0 $pid 2>/dev/null; then alive=yes; else alive=no; fi
kill -9 $pid 2>/dev/null
{ wait $pid; krc=$?; } 2>/dev/null
t_eq "kill -9: ingest was still running" "$alive" yes
t_eq "kill -9: it had started writing" "$([ $journal -gt 0 ] && echo yes || echo no)" yes
t_eq "kill -9: exit status" "$krc" 137
echo "(kill -9 after $waited polls; DB grew: $grew)"
# the next open rolls the half-done transaction back
t_eq "after kill: integrity" "$(sql "$T/a.db" "PRAGMA integrity_check")" ok
t_eq "after kill: counts as before" "$(counts "$T/a.db")" "$before"
t_eq "after kill: usage rows as before" "$(sql "$T/a.db" "SELECT group_concat(event_id || ':' || ts || ':' || message_id, ',') FROM usage")" "$digest"
t_eq "after kill: no manifest row for it" "$(sql "$T/a.db" "SELECT count(*) FROM inputs WHERE path = '$T/big.jsonl'")" 0
t_eq "after kill: mode" "$(stat -c %a "$T/a.db")" 600
# and the DB keeps working: verify, and a later load
run verify --db "$T/a.db"
t_eq "after kill: verify" "$rc" 0
head -n 1000 "$T/big.jsonl" >"$T/small.jsonl"
rm -f "$T/big.jsonl"
run ingest --db "$T/a.db" usage "$T/small.jsonl"
t_eq "after kill: a later load" "$rc" 0
t_eq "after kill: later load counted" "$(sql "$T/a.db" "SELECT count(*) FROM usage")" 1007
t_eq "after kill: integrity at the end" "$(sql "$T/a.db" "PRAGMA integrity_check")" ok
# (a journal whose header was never synced is not hot and may stay until
# the next write; after that write none is left)
t_eq "after kill: no journal left" "$(ls "$T" | grep -c '^a\.db-')" 0

t_done
