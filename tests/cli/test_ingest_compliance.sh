# udaudit ingest compliance: a real SQLite compliance store (spec 3.5 schema)
# built here with python3's sqlite3; loaded with its bad rows named and
# skipped; opened read-only (its bytes and mtime unchanged, no journal left
# next to it); a file that is not SQLite gives a clear error.
. tests/cli/lib.sh

mkdir -p "$T/cs"
CS=$T/cs/compliance.sqlite
python3 - "$CS" <<'EOF'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.executescript('''
CREATE TABLE messages (
  message_id      TEXT PRIMARY KEY,
  app             TEXT NOT NULL,
  account         TEXT NOT NULL,
  conversation_id TEXT,
  sent_at         TEXT NOT NULL,
  captured_at     TEXT NOT NULL,
  sha256          TEXT,
  purged_at       TEXT,
  purge_reason    TEXT
);
CREATE TABLE retention_policies (
  app TEXT NOT NULL, role TEXT,
  retention_days INTEGER,
  effective_on TEXT
);
INSERT INTO messages VALUES ('m1', 'wickr', 'wickr:d.reyes@example.gov', 'c1',
  '2020-07-01T15:00:00Z', '2020-07-01T15:00:02Z', 'ab12', NULL, NULL);
INSERT INTO messages VALUES ('m2', 'wickr', 'wickr:m.bell@example.gov', 'c1',
  '2020-07-01T10:04:10-05:00', '2020-07-01T15:04:12Z', NULL, '2021-05-03', 'offboarding');
INSERT INTO messages VALUES ('m3', 'wickr', 'wickr:m.bell@example.gov', 'c1',
  '2020-02-30T10:00:00Z', '2020-07-01T15:05:00Z', NULL, NULL, NULL);
INSERT INTO messages VALUES ('m4', 'teams', 'teams:j.doe@example.gov', NULL,
  '2021-01-04T09:00:00Z', '2021-01-04T09:00:01Z', NULL, NULL, NULL);
INSERT INTO messages VALUES ('m5', 'teams', 'no-colon', NULL,
  '2021-01-04T09:00:00Z', '2021-01-04T09:00:01Z', NULL, NULL, NULL);
INSERT INTO retention_policies VALUES ('wickr', NULL, 1095, '2020-07-01');
INSERT INTO retention_policies VALUES ('teams', 'capstone', NULL, '2019-01-01');
INSERT INTO retention_policies VALUES ('teams', 'boss', 10, '2019-01-01');
''')
c.commit()
c.close()
EOF
chmod 0444 "$CS"
before_sum=$(sha256sum "$CS")
before_stat=$(stat -c '%s %y %a' "$CS")
before_ls=$(ls -A "$T/cs")

run ingest --db "$T/a.db" compliance "$CS"
t_eq "compliance: exit" "$rc" 0
t_eq "compliance: stderr" "$(cat "$T/err")" "udaudit: $CS:3: error: messages row 3: bad 'sent_at'
udaudit: $CS:5: error: messages row 5: bad 'app' or 'account'
udaudit: $CS:3: error: retention_policies row 3: bad app, role or effective_on
udaudit: $CS: 3 bad records skipped (first at line 3; use --strict to fail)"
t_eq "compliance: messages" "$(sql "$T/a.db" "SELECT message_id, app, account, conversation_id, sent_ts, captured_ts, sha256, purged_ts, purge_reason, line FROM store_messages ORDER BY line")" \
"m1|wickr|wickr:d.reyes@example.gov|c1|1593615600|1593615602|ab12|||1
m2|wickr|wickr:m.bell@example.gov|c1|1593615850|1593615852||1620000000|offboarding|2
m4|teams|teams:j.doe@example.gov||1609750800|1609750801||||4"
t_eq "compliance: policies" "$(sql "$T/a.db" "SELECT app, role, retention_days, effective_on FROM retention_policies ORDER BY line")" \
"wickr||1095|2020-07-01
teams|capstone||2019-01-01"
t_eq "compliance: manifest" "$(sql "$T/a.db" "SELECT kind, records, skipped FROM inputs")" "compliance|5|3"

# read-only: the store is byte for byte the same, same mtime, nothing new
# beside it (no -journal, -wal or -shm)
t_eq "read-only: bytes" "$(sha256sum "$CS")" "$before_sum"
t_eq "read-only: size, mtime, mode" "$(stat -c '%s %y %a' "$CS")" "$before_stat"
t_eq "read-only: no files beside it" "$(ls -A "$T/cs")" "$before_ls"

# loading it again adds nothing, and still does not touch it
run ingest --db "$T/a.db" compliance "$CS"
t_eq "again: exit" "$rc" 0
t_contains "again: already loaded" "$T/out" "already loaded"
t_eq "again: bytes" "$(sha256sum "$CS")" "$before_sum"
t_eq "again: mtime" "$(stat -c '%s %y %a' "$CS")" "$before_stat"

# even a writable store in a writable folder is not written: make it
# writable and check again
chmod 0644 "$CS"
before_stat=$(stat -c '%s %y' "$CS")
run ingest --db "$T/b.db" compliance "$CS"
t_eq "writable store: exit" "$rc" 0
t_eq "writable store: bytes" "$(sha256sum "$CS")" "$before_sum"
t_eq "writable store: mtime" "$(stat -c '%s %y' "$CS")" "$before_stat"
t_eq "writable store: no files beside it" "$(ls -A "$T/cs")" "$before_ls"

# --strict: the first bad row fails the store, nothing loaded
run ingest --db "$T/s.db" --strict compliance "$CS"
t_eq "strict: exit" "$rc" 3
t_eq "strict: stderr" "$(cat "$T/err")" "udaudit: $CS:3: error: messages row 3: bad 'sent_at'
udaudit: $CS: error: not loaded; the audit database is unchanged"
t_eq "strict: nothing loaded" "$(sql "$T/s.db" "SELECT (SELECT count(*) FROM store_messages) || '/' || (SELECT count(*) FROM inputs)")" "0/0"

# not an SQLite file: a clear error, exit 3
printf 'message_id,app\nm1,wickr\n' >"$T/cs/export.csv"
run ingest --db "$T/n.db" compliance "$T/cs/export.csv"
t_eq "not SQLite: exit" "$rc" 3
t_eq "not SQLite: stderr" "$(cat "$T/err")" "udaudit: $T/cs/export.csv: error: not an SQLite database (a compliance store is an SQLite file)
udaudit: $T/cs/export.csv: error: not loaded; the audit database is unchanged"
: >"$T/cs/empty.sqlite"
run ingest --db "$T/n.db" compliance "$T/cs/empty.sqlite"
t_eq "empty file: exit" "$rc" 3
t_contains "empty file: not SQLite" "$T/err" "$T/cs/empty.sqlite: error: not an SQLite database"
t_eq "empty file: still empty" "$(stat -c %s "$T/cs/empty.sqlite")" 0

# SQLite, but not a compliance store
python3 -c 'import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute("CREATE TABLE notes (t TEXT)"); c.commit()' "$T/cs/other.sqlite"
run ingest --db "$T/n.db" compliance "$T/cs/other.sqlite"
t_eq "no messages table: exit" "$rc" 3
t_contains "no messages table: message" "$T/err" "udaudit: $T/cs/other.sqlite: error: not a compliance store: no table 'messages'"
t_eq "no messages table: nothing loaded" "$(sql "$T/n.db" "SELECT count(*) FROM inputs")" 0

# a store without retention_policies is fine
python3 -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("CREATE TABLE messages (message_id TEXT PRIMARY KEY, app TEXT NOT NULL, account TEXT NOT NULL, conversation_id TEXT, sent_at TEXT NOT NULL, captured_at TEXT NOT NULL, sha256 TEXT, purged_at TEXT, purge_reason TEXT)")
c.execute("INSERT INTO messages VALUES (\"x1\", \"teams\", \"teams:a\", NULL, \"2021-01-01T00:00:00Z\", \"2021-01-01T00:00:00Z\", NULL, NULL, NULL)")
c.commit()' "$T/cs/nopol.sqlite"
run ingest --db "$T/p.db" compliance "$T/cs/nopol.sqlite"
t_eq "no policies table: exit" "$rc" 0
t_eq "no policies table: loaded" "$(sql "$T/p.db" "SELECT count(*) FROM store_messages")" 1

# a WAL-mode store: with no -wal file beside it, nothing is created next to
# it (SQLite would make -wal and -shm even read-only); with a -wal file
# holding messages not yet in the main file, those are read too
mkdir -p "$T/wal" "$T/wal2"
python3 - "$T/wal" "$T/wal2" <<'EOF2'
import shutil, sqlite3, sys
schema = ("CREATE TABLE messages (message_id TEXT PRIMARY KEY, app TEXT NOT NULL,"
          " account TEXT NOT NULL, conversation_id TEXT, sent_at TEXT NOT NULL,"
          " captured_at TEXT NOT NULL, sha256 TEXT, purged_at TEXT, purge_reason TEXT)")
row = "INSERT INTO messages VALUES (?, 'wickr', 'wickr:a', NULL, '2021-01-01T00:00:00Z', '2021-01-01T00:00:01Z', NULL, NULL, NULL)"
c = sqlite3.connect(sys.argv[1] + "/cs.sqlite")
c.execute("PRAGMA journal_mode=WAL")
c.execute(schema)
c.execute(row, ("w1",))
c.commit()
c.close()                               # checkpointed; the -wal is removed
c = sqlite3.connect(sys.argv[2] + "/cs.sqlite")
c.execute("PRAGMA journal_mode=WAL")
c.execute(schema)
c.commit()
c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
c.execute(row, ("w1",))
c.execute(row, ("w2",))
c.commit()                              # these two are only in the -wal
shutil.copy(sys.argv[2] + "/cs.sqlite", sys.argv[2] + "/copy.sqlite")
shutil.copy(sys.argv[2] + "/cs.sqlite-wal", sys.argv[2] + "/copy.sqlite-wal")
c.close()
EOF2
t_eq "WAL store: no -wal to start with" "$(ls -A "$T/wal")" "cs.sqlite"
wal_sum=$(sha256sum "$T/wal/cs.sqlite")
run ingest --db "$T/w.db" compliance "$T/wal/cs.sqlite"
t_eq "WAL store: exit" "$rc" 0
t_eq "WAL store: loaded" "$(sql "$T/w.db" "SELECT message_id FROM store_messages")" "w1"
t_eq "WAL store: nothing created beside it" "$(ls -A "$T/wal")" "cs.sqlite"
t_eq "WAL store: bytes" "$(sha256sum "$T/wal/cs.sqlite")" "$wal_sum"
run ingest --db "$T/w2.db" compliance "$T/wal2/copy.sqlite"
t_eq "WAL store with a log: exit" "$rc" 0
t_eq "WAL store with a log: its messages read" "$(sql "$T/w2.db" "SELECT group_concat(message_id) FROM store_messages")" "w1,w2"

t_done
