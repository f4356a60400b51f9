# Database and output errors stop the command with exit 4 and leave no
# report behind (store errors are sticky: a query that fails part-way cannot
# pass for the end of its rows). The failures are injected: corrupted pages
# in copies of the sample audit DB, a file-size limit under the DB (what a
# full disk looks like to SQLite), /dev/full as stdout.
. tests/cli/lib.sh
A=$T/a         # the sample audit (its out/ would collide with run()'s $T/out)
sample_audit "$A"
(cd "$A" && "$UDAUDIT" run samples/audit.ini >run.out 2>run.err); rc=$?
t_eq "sample run exit 0" "$rc" 0
DB=$A/out/audit.db
CASE=$A/samples/cases/UD-2019-0001.ini

# corrupt TABLE [N]: a copy of the DB whose N-th leaf page of TABLE (default:
# the last) has a garbage header; prints the copy's path
corrupt() {
	c=$T/bad-$1.db
	cp "$DB" "$c"
	python3 - "$c" "$1" "${2:-0}" <<'PY'
import sqlite3, sys
path, table, nth = sys.argv[1], sys.argv[2], int(sys.argv[3])
db = sqlite3.connect(path)
size = db.execute("PRAGMA page_size").fetchone()[0]
root = db.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
db.close()
# the table's pages: the root, and when it is an interior page, its children
data = bytearray(open(path, 'rb').read())
def page(n): return (n - 1) * size + (100 if n == 1 else 0)
pages = [root]
if data[page(root)] == 0x05:
    h = page(root); ncell = int.from_bytes(data[h + 3:h + 5], 'big')
    kids = [int.from_bytes(data[(root - 1) * size + int.from_bytes(data[h + 12 + 2 * i:h + 14 + 2 * i], 'big'):][:4], 'big')
            for i in range(ncell)]
    kids.append(int.from_bytes(data[h + 8:h + 12], 'big'))
    pages = kids
n = pages[nth] if nth < len(pages) else pages[-1]
data[page(n):page(n) + 8] = b'\xff' * 8
open(path, 'wb').write(data)
PY
	echo "$c"
}

# findings: one page, so every query of it fails
BAD=$(corrupt findings)
run report findings --db "$BAD" -o "$T/f.xlsx"
t_eq "report findings, corrupt findings: exit 4" "$rc" 4
t_contains "report findings: SQLite's message" "$T/err" "database disk image is malformed"
t_eq "report findings: no workbook, no temp file" "$(ls "$T" | grep -c '^f\.xlsx')" 0
run report incident --db "$BAD" -o "$T/i.pdf" --case "$CASE"
t_eq "report incident, corrupt findings: exit 4" "$rc" 4
t_eq "report incident: no PDF, no temp file" "$(ls "$T" | grep -c '^i\.pdf')" 0
run findings --db "$BAD"
t_eq "findings, corrupt findings: exit 4" "$rc" 4

# the copies behind the findings: the letter reads the findings, then fails
BAD=$(corrupt finding_copies)
run report incident --db "$BAD" -o "$T/i2.pdf" --case "$CASE"
t_eq "report incident, corrupt finding_copies: exit 4" "$rc" 4
t_eq "report incident, corrupt finding_copies: no PDF" "$(ls "$T" | grep -c '^i2\.pdf')" 0
t_eq "report incident, corrupt finding_copies: no enclosure workbook" "$(ls "$T" | grep -c 'enclosure')" 0

# usage: the second of three leaf pages, so a scan reads rows, then fails
BAD=$(corrupt usage 1)
before=$(sql "$BAD" "SELECT count(*), max(run_id) FROM findings" 2>/dev/null)
run analyze --db "$BAD" --rules "$A/rules" --as-of 2021-09-24
t_eq "analyze, corrupt usage page: exit 4" "$rc" 4
t_contains "analyze: SQLite's message" "$T/err" "database disk image is malformed"
t_eq "analyze: findings of the DB unchanged" "$(sql "$BAD" "SELECT count(*), max(run_id) FROM findings" 2>/dev/null)" "$before"

# a write error on stdout is exit 4 (it was 0)
if [ -w /dev/full ]; then
	"$UDAUDIT" findings --db "$DB" --format csv >/dev/full 2>"$T/err"; rc=$?
	t_eq "findings > /dev/full: exit 4" "$rc" 4
	t_contains "findings > /dev/full: says so" "$T/err" "write error on standard output: No space left on device"
	"$UDAUDIT" --help >/dev/full 2>/dev/null; rc=$?
	t_eq "--help > /dev/full: exit 4" "$rc" 4
fi

# a full disk under the audit DB (here a file-size limit: SQLite's writes fail
# with EFBIG) is a database error, exit 4, not bad input
F=$T/full.db
"$UDAUDIT" ingest --db "$F" accounts "$A/samples/accounts.csv" >/dev/null 2>&1
awk 'BEGIN { for (i = 0; i < 5000; i++) printf "{\"ts\":\"2021-07-01T10:00:00Z\",\"app\":\"whatsapp\",\"account\":\"whatsapp:+15550100001\",\"device_id\":\"D-0001\",\"event\":\"sent\",\"message_id\":\"m%d\",\"conversation_id\":\"c1\"}\n", i }' >"$T/big.jsonl"
kb=$(( $(wc -c <"$F") / 1024 ))
(trap '' XFSZ; ulimit -f "$kb" && exec "$UDAUDIT" ingest --db "$F" usage "$T/big.jsonl") >"$T/out" 2>"$T/err"; rc=$?
t_eq "ingest onto a full disk: exit 4 (was 3)" "$rc" 4
t_contains "full disk: the file is not loaded" "$T/err" "not loaded; the audit database is unchanged"
t_eq "full disk: nothing of it kept" "$(sql "$F" "SELECT count(*) FROM usage")" 0

# the commands that only read the audit DB (report, findings) open it
# read-only: an older one is not upgraded behind the user's back, it is
# refused, said, and left as it was; a newer one and an empty file too
V=$(sql "$DB" "PRAGMA user_version")
OLD=$T/old.db
cp "$DB" "$OLD"
python3 -c 'import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute("PRAGMA user_version = %d" % (int(sys.argv[2]) - 1)); c.commit()' "$OLD" "$V"
before=$(sha256sum <"$OLD")
run report findings --db "$OLD" -o "$T/old.xlsx"
t_eq "report on an older audit DB: exit 4" "$rc" 4
t_contains "... said, with what to do" "$T/err" \
	"$OLD: schema version $((V - 1)) is older than this udaudit's ($V), and this command only reads it: run 'udaudit analyze' or 'udaudit ingest' on it first, which upgrade it"
t_ok "... no report" test ! -e "$T/old.xlsx"
run findings --db "$OLD"
t_eq "findings on an older audit DB: exit 4" "$rc" 4
t_eq "... the DB is not changed" "$(sha256sum <"$OLD")" "$before"
t_eq "... not upgraded" "$(sql "$OLD" "PRAGMA user_version")" "$((V - 1))"
python3 -c 'import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute("PRAGMA user_version = %d" % (int(sys.argv[2]) + 1)); c.commit()' "$OLD" "$V"
run report findings --db "$OLD" -o "$T/old.xlsx"
t_contains "a newer audit DB: said" "$T/err" "$OLD: schema version $((V + 1)) is newer than this udaudit ($V)"
: >"$T/empty.db"
run findings --db "$T/empty.db"
t_eq "an empty file: exit 4" "$rc" 4
t_contains "... said" "$T/err" "$T/empty.db: the audit database is empty (run 'udaudit ingest' or 'udaudit run' first)"
t_eq "... and left empty" "$(wc -c <"$T/empty.db")" 0
run report findings --db "$T/none.db" -o "$T/x.xlsx"
t_contains "a missing audit DB: said" "$T/err" "$T/none.db: no such database"
t_ok "... and not created" test ! -e "$T/none.db"
run findings --db "$DB"
t_eq "the current audit DB: read" "$rc" 0

# a command killed while writing leaves a hot rollback journal, which a
# read-only connection cannot roll back: the report rolls it back, says
# so, and reads what the last finished command left
HOT=$T/hot.db
cp "$DB" "$HOT"
n=$(sql "$HOT" "SELECT count(*) FROM findings")
python3 - "$HOT" <<'PY'
import os, sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("PRAGMA cache_size = 1")      # spill: the deletes reach the file
c.execute("BEGIN")
c.execute("DELETE FROM evidence")
c.execute("DELETE FROM findings")
os._exit(0)                             # killed before COMMIT
PY
t_ok "a killed writer left its journal" test -s "$HOT-journal"
run findings --db "$HOT"
t_eq "findings over a hot journal: read (was exit 4, SQLite's 'attempt to write a readonly database')" "$rc" 0
t_contains "... the rollback said" "$T/err" \
	"$HOT: a command that was interrupted while writing left its rollback journal ($HOT-journal): rolled back, the audit database is as the last command that finished left it"
t_ok "... the journal is gone" test ! -e "$HOT-journal"
t_eq "... the findings are the committed ones" "$(sql "$HOT" "SELECT count(*) FROM findings")" "$n"
t_ok "... there are some" test "$n" -gt 0

t_done
