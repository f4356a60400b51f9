# A compliance store is hostile input (spec 7, issue 13): lengths capped,
# generated columns and views refused, bad text and bad retention_days
# skipped and named, a -wal read from a private copy and hashed into the
# manifest, nothing created beside a store; --db onto a non-audit file refused.
. tests/cli/lib.sh

python3 - "$T" <<'EOF2'
import sqlite3, sys
d = sys.argv[1]
schema = ("CREATE TABLE messages (message_id TEXT PRIMARY KEY, app TEXT NOT NULL,"
          " account TEXT NOT NULL, conversation_id TEXT, sent_at TEXT NOT NULL,"
          " captured_at TEXT NOT NULL, sha256 TEXT, purged_at TEXT, purge_reason TEXT)")
def ok(mid, app='wickr'):
    return (mid, app, 'wickr:a', None, '2021-01-01T00:00:00Z', '2021-01-01T00:00:01Z',
            None, None, None)
def mk(name, rows, extra=""):
    c = sqlite3.connect(d + "/" + name)
    c.execute(schema)
    for r in rows:
        c.execute("INSERT INTO messages VALUES (?,?,?,?,?,?,?,?,?)", r)
    c.executescript(extra)
    c.commit()
    c.close()
mk("huge.sqlite", [ok("m1"), ok("x" * (64 << 20)), ok("m3")])
mk("long.sqlite", [ok("m1"), ok("y" * 100000), ok("m3")])
mk("bad.sqlite", [ok("m1"), ok("m2", app=''), ok("a\0b"), ok("m5")],
   "INSERT INTO messages VALUES (CAST(x'ff41' AS TEXT), 'wickr', 'wickr:a', NULL,"
   " '2021-01-01T00:00:00Z', '2021-01-01T00:00:01Z', NULL, NULL, NULL);"
   "CREATE TABLE retention_policies (app TEXT NOT NULL, role TEXT,"
   " retention_days INTEGER, effective_on TEXT);"
   "INSERT INTO retention_policies VALUES ('wickr', NULL, -5, NULL),"
   " ('wickr', NULL, 'abc', NULL), ('wickr', 'standard', 30, NULL),"
   " ('', NULL, 3, NULL), ('wickr', 'capstone', '60', NULL), ('wickr', 'support', 1.5, NULL);")
c = sqlite3.connect(d + "/gen.sqlite")
c.execute("CREATE TABLE messages (message_id TEXT GENERATED ALWAYS AS"
          " (hex(zeroblob(400000000))), app TEXT NOT NULL, account TEXT NOT NULL,"
          " conversation_id TEXT, sent_at TEXT NOT NULL, captured_at TEXT NOT NULL,"
          " sha256 TEXT, purged_at TEXT, purge_reason TEXT)")
c.execute("INSERT INTO messages (app, account, sent_at, captured_at) VALUES"
          " ('wickr', 'wickr:a', '2021-01-01T00:00:00Z', '2021-01-01T00:00:01Z')")
c.commit()
c.close()
c = sqlite3.connect(d + "/view.sqlite")
c.execute(schema.replace("messages", "m"))
c.execute("CREATE VIEW messages AS SELECT * FROM m")
c.commit()
c.close()
EOF2

# a 64 MiB message_id: refused by the 1 MiB value cap, in little memory
/usr/bin/time -f %M -o "$T/rss" "$UDAUDIT" ingest --db "$T/h.db" compliance "$T/huge.sqlite" \
	>"$T/out" 2>"$T/err"
rc=$?
t_eq "huge value: exit" "$rc" 3
t_contains "huge value: said" "$T/err" "string or blob too big"
t_contains "huge value: where" "$T/err" "messages: cannot read the row after row 1"
t_eq "huge value: under 60 MB" "$([ "$(tail -n 1 "$T/rss")" -lt 60000 ] && echo yes)" yes

# a 100 kB message_id is a bad row, skipped and named
run ingest --db "$T/l.db" compliance "$T/long.sqlite"
t_eq "long value: exit" "$rc" 0
t_contains "long value: named" "$T/err" "long.sqlite:2: error: messages row 2: longer than 65536 bytes in 'message_id'"
t_eq "long value: the others" "$(sql "$T/l.db" "SELECT group_concat(message_id) FROM store_messages")" "m1,m3"

# a generated column (computed by the store's SQL) and a view are refused
# at once, before any row is computed
/usr/bin/time -f %M -o "$T/rss" "$UDAUDIT" ingest --db "$T/g.db" compliance "$T/gen.sqlite" \
	>"$T/out" 2>"$T/err"
rc=$?
t_eq "generated: exit" "$rc" 3
t_contains "generated: said" "$T/err" "gen.sqlite: error: column 'message_id' of 'messages' is generated or hidden (a compliance store is plain tables)"
t_eq "generated: under 60 MB" "$([ "$(tail -n 1 "$T/rss")" -lt 60000 ] && echo yes)" yes
run ingest --db "$T/v.db" compliance "$T/view.sqlite"
t_eq "view: exit" "$rc" 3
t_contains "view: said" "$T/err" "view.sqlite: error: 'messages' is a view, not a table (a compliance store is plain tables)"

# a store whose reading costs more SQLite instructions than its budget is
# stopped there and not loaded (the budget, 100 M + 64 a byte, is lowered
# for the test by UDAUDIT_TEST_STORE_BUDGET; a real store that costs that
# much computes its values, see gen.sqlite above)
python3 - "$T/many.sqlite" <<'EOF2'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("CREATE TABLE messages (message_id TEXT PRIMARY KEY, app TEXT NOT NULL,"
          " account TEXT NOT NULL, conversation_id TEXT, sent_at TEXT NOT NULL,"
          " captured_at TEXT NOT NULL, sha256 TEXT, purged_at TEXT, purge_reason TEXT)")
c.executemany("INSERT INTO messages VALUES (?, 'wickr', 'wickr:a', NULL,"
              " '2021-01-01T00:00:00Z', '2021-01-01T00:00:01Z', NULL, NULL, NULL)",
              [("m%d" % i,) for i in range(3000)])
c.commit()
EOF2
UDAUDIT_TEST_STORE_BUDGET=20000 "$UDAUDIT" ingest --db "$T/o.db" compliance "$T/many.sqlite" \
	>"$T/out" 2>"$T/err"
rc=$?
t_eq "budget: exit" "$rc" 3
t_contains "budget: said, the store named" "$T/err" "udaudit: $T/many.sqlite: error: stopped after 21000 SQLite instructions, its budget (20000, from UDAUDIT_TEST_STORE_BUDGET); a compliance store must be plain tables"
t_eq "budget: said once, no SQLite 'interrupted' after it" "$(grep -c 'interrupted' "$T/err")" 0
t_contains "budget: not loaded" "$T/err" "udaudit: $T/many.sqlite: error: not loaded; the audit database is unchanged"
t_eq "budget: no message kept" "$(sql "$T/o.db" "SELECT count(*) FROM store_messages")" 0
t_eq "budget: not in the manifest" "$(sql "$T/o.db" "SELECT count(*) FROM inputs")" 0
run ingest --db "$T/o.db" compliance "$T/many.sqlite"
t_eq "budget: the real budget reads it" "$rc" 0
t_eq "budget: all kept" "$(sql "$T/o.db" "SELECT count(*) FROM store_messages")" 3000

# bad text, an empty app, bad retention_days: bad records, named
run ingest --db "$T/b.db" compliance "$T/bad.sqlite"
t_eq "bad rows: exit" "$rc" 0
t_eq "bad rows: stderr" "$(cat "$T/err")" "udaudit: $T/bad.sqlite:2: error: messages row 2: bad 'app' or 'account'
udaudit: $T/bad.sqlite:3: error: messages row 3: NUL byte in 'message_id'
udaudit: $T/bad.sqlite:5: error: messages row 5: invalid UTF-8 in 'message_id'
udaudit: $T/bad.sqlite:1: error: retention_policies row 1: bad 'retention_days' (expected a whole number of days, 0 or more, or NULL)
udaudit: $T/bad.sqlite:2: error: retention_policies row 2: bad 'retention_days' (expected a whole number of days, 0 or more, or NULL)
udaudit: $T/bad.sqlite:4: error: retention_policies row 4: bad app, role or effective_on
udaudit: $T/bad.sqlite:6: error: retention_policies row 6: bad 'retention_days' (expected a whole number of days, 0 or more, or NULL)
udaudit: $T/bad.sqlite: 7 bad records skipped (first at line 2; use --strict to fail)"
t_eq "bad rows: messages kept" "$(sql "$T/b.db" "SELECT group_concat(message_id) FROM store_messages")" "m1,m5"
t_eq "bad rows: policies kept" "$(sql "$T/b.db" "SELECT group_concat(role || '=' || retention_days) FROM retention_policies")" "standard=30,capstone=60"

# text is checked eight bytes at a time: a NUL, a byte that is not UTF-8
# or a good non-ASCII byte at each offset of values of 1 to 24 bytes, each
# bad one skipped and named as before (NUL first; the first 20 shown),
# each good one kept as it was
python3 - "$T" <<'EOF2'
import sqlite3, sys
d = sys.argv[1]
c = sqlite3.connect(d + "/bytes.sqlite")
c.execute("CREATE TABLE messages (message_id TEXT PRIMARY KEY, app TEXT NOT NULL,"
          " account TEXT NOT NULL, conversation_id TEXT, sent_at TEXT NOT NULL,"
          " captured_at TEXT NOT NULL, sha256 TEXT, purged_at TEXT, purge_reason TEXT)")
inserts = {b"\0": "NUL byte", b"\x80": "invalid UTF-8", b"\xc3": "invalid UTF-8",
           b"\xff": "invalid UTF-8", b"\xed\xa0\x80": "invalid UTF-8",
           b"\xff\0": "NUL byte", b"\x7f": None, b"\x01": None, b"\xc3\xa9": None,
           b"\xe2\x82\xac": None}
want, kept, row = [], [], 0
for n in range(1, 25):
    for at in range(n):
        for ins, why in inserts.items():
            row += 1
            v = b"abcdefghijklmnopqrstuvwxyz"[:at] + ins + b"ABCDEFGHIJKLMNOPQRSTUVWXYZ"[:n - at - 1]
            c.execute("INSERT INTO messages VALUES (?, 'wickr', 'wickr:a', NULL,"
                      " '2021-01-01T00:00:00Z', '2021-01-01T00:00:01Z', NULL, NULL,"
                      " CAST(? AS TEXT))", ("m%d" % row, v))
            if why:
                want.append("udaudit: %s/bytes.sqlite:%d: error: messages row %d: %s in"
                            " 'purge_reason'" % (d, row, row, why))
            else:
                kept.append(v.hex())
c.commit()
open(d + "/bytes.want", "w").write("\n".join(want[:20]) + "\n")
open(d + "/bytes.count", "w").write("%d bad records skipped (first at line %s; %d not shown"
                                    % (len(want), want[0].split(":")[2], len(want) - 20))
open(d + "/bytes.kept", "w").write("\n".join(kept) + "\n")
EOF2
run ingest --db "$T/y.db" compliance "$T/bytes.sqlite"
t_eq "bytes: exit" "$rc" 0
grep ': error: messages row' "$T/err" >"$T/bytes.got"
t_ok "bytes: the bad values named" cmp -s "$T/bytes.got" "$T/bytes.want"
t_contains "bytes: each bad value counted" "$T/err" "$(cat "$T/bytes.count")"
sql "$T/y.db" "SELECT hex(purge_reason) FROM store_messages ORDER BY line" |
	tr 'A-F' 'a-f' >"$T/bytes.have"
t_ok "bytes: each good value kept" cmp -s "$T/bytes.have" "$T/bytes.kept"

# a WAL store whose -wal holds messages: read from a private copy, nothing
# created beside it, and the -wal is in the manifest with its SHA-256
mkdir -p "$T/wal"
python3 - "$T/wal" <<'EOF2'
import shutil, sqlite3, sys
d = sys.argv[1]
c = sqlite3.connect(d + "/live.sqlite")
c.execute("PRAGMA journal_mode=WAL")
c.execute("CREATE TABLE messages (message_id TEXT PRIMARY KEY, app TEXT NOT NULL,"
          " account TEXT NOT NULL, conversation_id TEXT, sent_at TEXT NOT NULL,"
          " captured_at TEXT NOT NULL, sha256 TEXT, purged_at TEXT, purge_reason TEXT)")
c.commit()
c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
c.execute("INSERT INTO messages VALUES ('w1', 'wickr', 'wickr:a', NULL,"
          " '2021-01-01T00:00:00Z', '2021-01-01T00:00:01Z', NULL, NULL, NULL)")
c.commit()
shutil.copy(d + "/live.sqlite", d + "/cs.sqlite")
shutil.copy(d + "/live.sqlite-wal", d + "/cs.sqlite-wal")
c.close()
EOF2
rm -f "$T/wal/live.sqlite"*
chmod 0444 "$T/wal/"*
before=$(ls -A "$T/wal")
wal_sum=$(sha256sum <"$T/wal/cs.sqlite-wal" | cut -d' ' -f1)
run ingest --db "$T/w.db" compliance "$T/wal/cs.sqlite"
t_eq "wal: exit" "$rc" 0
t_eq "wal: read" "$(sql "$T/w.db" "SELECT group_concat(message_id) FROM store_messages")" "w1"
t_eq "wal: nothing beside it" "$(ls -A "$T/wal")" "$before"
t_eq "wal: in the manifest" "$(sql "$T/w.db" "SELECT kind, path, sha256 FROM inputs WHERE kind = 'compliance-wal'")" \
	"compliance-wal|$T/wal/cs.sqlite-wal|$wal_sum"
t_contains "wal: said" "$T/err" "cs.sqlite: read with its -wal"
run verify --db "$T/w.db"
t_eq "wal: verify" "$rc" 0
t_eq "wal: no private copy left" "$(ls -d "${TMPDIR:-/tmp}"/udaudit-store-* 2>/dev/null | wc -l)" 0

# on read-only media (a read-only bind mount where the machine allows one,
# else, when not root, a folder without write permission): a store and a
# store with a -wal are read, and nothing is created beside them
mkdir -p "$T/ro"
cp "$T/long.sqlite" "$T/ro/plain.sqlite"
cp "$T/wal/cs.sqlite" "$T/wal/cs.sqlite-wal" "$T/ro/"
ro_before=$(ls -A "$T/ro")
ro_ok=1
if unshare -m sh -c "mount --bind -o ro '$T/ro' '$T/ro' && ! touch '$T/ro/probe'" 2>/dev/null; then
	ro_run() { unshare -m sh -c 'mount --bind -o ro "$1" "$1" && shift && exec "$@"' sh "$T/ro" "$@"; }
elif [ "$(id -u)" != 0 ]; then
	chmod a-w "$T/ro"
	ro_run() { "$@"; }
else
	ro_ok=0
	echo "read-only media: skipped (root, and no mount namespace here)" >&2
fi
if [ "$ro_ok" = 1 ]; then
	ro_run "$UDAUDIT" ingest --db "$T/ro1.db" compliance "$T/ro/plain.sqlite" >"$T/out" 2>"$T/err"
	t_eq "read-only media: store read" "$?" 0
	ro_run "$UDAUDIT" ingest --db "$T/ro2.db" compliance "$T/ro/cs.sqlite" >"$T/out" 2>"$T/err"
	t_eq "read-only media: store with a -wal read" "$?" 0
	t_eq "read-only media: its messages" "$(sql "$T/ro2.db" "SELECT group_concat(message_id) FROM store_messages")" "w1"
	t_eq "read-only media: nothing created" "$(ls -A "$T/ro")" "$ro_before"
	chmod u+w "$T/ro"
fi

# --db onto an SQLite file that is not an audit DB: refused, unchanged
cp "$T/long.sqlite" "$T/notaudit.sqlite"
sum=$(sha256sum <"$T/notaudit.sqlite")
run ingest --db "$T/notaudit.sqlite" compliance "$T/bad.sqlite"
t_eq "--db not audit: exit" "$rc" 4
t_contains "--db not audit: said" "$T/err" "$T/notaudit.sqlite: not an audit database (an SQLite file with tables of its own); give --db a new file or an audit database"
t_eq "--db not audit: unchanged" "$(sha256sum <"$T/notaudit.sqlite")" "$sum"
t_eq "--db not audit: no audit tables" "$(sql "$T/notaudit.sqlite" "SELECT count(*) FROM sqlite_master WHERE name = 'inputs'")" 0

t_done
