# Usage events and store messages are written 64 to a statement
# (records.c): files of 150 records (two full batches and a partial one)
# load every record with its own line and values, a bad record inside a
# batch is skipped without taking its neighbours, and a batch the audit
# database refuses fails the file with the lines it held, the database
# unchanged.
. tests/cli/lib.sh

python3 - "$T" <<'EOF'
import json, sqlite3, sys
t = sys.argv[1]
with open(t + "/usage.jsonl", "w") as f:
    for i in range(1, 151):
        if i == 70:             # inside the second batch
            f.write('{"ts":"2021-02-30T00:00:00Z","app":"wickr","event":"sent"}\n')
            continue
        ev = {"ts": "2021-03-01T10:%02d:%02dZ" % (i // 60, i % 60), "app": "wickr",
              "account": "wickr:u%d@example.gov" % (i % 7), "device_id": "D-%d" % (i % 3),
              "event": "timer_set" if i % 50 == 0 else "sent", "message_id": "m%d" % i,
              "conversation_id": "c%d" % (i % 5)}
        if i % 50 == 0:
            ev["ttl_seconds"] = i * 10
        if i % 11 == 0:
            ev["peer"] = ""             # "" is unknown: NULL
        f.write(json.dumps(ev) + "\n")
c = sqlite3.connect(t + "/cs.sqlite")
c.execute("CREATE TABLE messages (message_id TEXT PRIMARY KEY, app TEXT NOT NULL,"
          " account TEXT NOT NULL, conversation_id TEXT, sent_at TEXT NOT NULL,"
          " captured_at TEXT NOT NULL, sha256 TEXT, purged_at TEXT, purge_reason TEXT)")
for i in range(1, 151):
    c.execute("INSERT INTO messages VALUES (?,?,?,?,?,?,?,?,?)",
              ("m%d" % i, "wickr", "wickr:u%d@example.gov" % (i % 7),
               None if i % 9 == 0 else "c%d" % (i % 5), "2021-03-01T10:00:00Z",
               "2021-03-01T10:00:%02dZ" % (i % 60), None,
               "2021-06-01" if i % 40 == 0 else None, "offboarding" if i % 40 == 0 else None))
c.commit()
EOF

run ingest --db "$T/a.db" usage "$T/usage.jsonl"
t_eq "usage: exit" "$rc" 0
t_eq "usage: the bad record named" "$(cat "$T/err")" \
"udaudit: $T/usage.jsonl:70: error: bad timestamp '2021-02-30T00:00:00Z' (expected ISO 8601)
udaudit: $T/usage.jsonl: 1 bad record skipped (first at line 70; use --strict to fail)"
t_eq "usage: every other record, its own line" \
"$(sql "$T/a.db" "SELECT count(*), min(line), max(line), sum(line), count(DISTINCT event_id) FROM usage")" \
"149|1|150|11255|149"
t_eq "usage: rows in file order" \
"$(sql "$T/a.db" "SELECT count(*) FROM usage u JOIN usage v ON v.event_id = u.event_id + 1 WHERE v.line <= u.line")" 0
t_eq "usage: the partial last batch" \
"$(sql "$T/a.db" "SELECT line, ts, event, account, device_id, message_id, conversation_id, peer IS NULL, ttl FROM usage WHERE line IN (129, 149, 150) ORDER BY line")" \
"129|1614592929|sent|wickr:u3@example.gov|D-0|m129|c4|1|
149|1614592949|sent|wickr:u2@example.gov|D-2|m149|c4|1|
150|1614592950|timer_set|wickr:u3@example.gov|D-0|m150|c0|1|1500"
t_eq "usage: empty peer is NULL" "$(sql "$T/a.db" "SELECT count(*) FROM usage WHERE peer = ''")" 0
t_eq "usage: manifest" "$(sql "$T/a.db" "SELECT records, skipped FROM inputs")" "149|1"

run ingest --db "$T/a.db" compliance "$T/cs.sqlite"
t_eq "store: exit" "$rc" 0
t_eq "store: stderr" "$(cat "$T/err")" ""
t_eq "store: every message" \
"$(sql "$T/a.db" "SELECT count(*), sum(line), count(conversation_id), count(purged_ts), sum(captured_ts - sent_ts) FROM store_messages")" \
"150|11325|134|3|4005"
t_eq "store: the partial last batch" \
"$(sql "$T/a.db" "SELECT line, message_id, account, conversation_id, purged_ts, purge_reason FROM store_messages WHERE line IN (129, 144, 150) ORDER BY line")" \
"129|m129|wickr:u3@example.gov|c4||
144|m144|wickr:u4@example.gov|||
150|m150|wickr:u3@example.gov|c0||"

# A batch the database refuses (a trigger stands in for a full disk): the
# file fails with its batch's lines, nothing of it is kept.
rm -f "$T/b.db"
run ingest --db "$T/b.db" accounts tests/data/ingest/accounts-good.csv
sql "$T/b.db" "CREATE TRIGGER refuse BEFORE INSERT ON usage WHEN NEW.line = 100
  BEGIN SELECT RAISE(FAIL, 'refused for the test'); END" >/dev/null
run ingest --db "$T/b.db" usage "$T/usage.jsonl"
t_eq "refused: exit (bad input: the file)" "$rc" 3
t_contains "refused: the database's reason" "$T/err" "refused for the test"
t_contains "refused: the batch's lines" "$T/err" \
"udaudit: $T/usage.jsonl:65: error: one of the 64 records of lines 65 to 129 was refused by the audit database"
t_contains "refused: the file not loaded" "$T/err" \
"udaudit: $T/usage.jsonl: error: not loaded; the audit database is unchanged"
t_eq "refused: no usage row kept" "$(sql "$T/b.db" "SELECT count(*) FROM usage")" 0
t_eq "refused: no manifest row" "$(sql "$T/b.db" "SELECT count(*) FROM inputs WHERE kind = 'usage'")" 0

# Refused in the partial last batch: said at the flush.
sql "$T/b.db" "DROP TRIGGER refuse" >/dev/null
sql "$T/b.db" "CREATE TRIGGER refuse BEFORE INSERT ON usage WHEN NEW.line = 140
  BEGIN SELECT RAISE(FAIL, 'refused for the test'); END" >/dev/null
run ingest --db "$T/b.db" usage "$T/usage.jsonl"
t_eq "refused at the flush: exit" "$rc" 3
t_contains "refused at the flush: the batch's lines" "$T/err" \
"udaudit: $T/usage.jsonl:130: error: one of the 21 records of lines 130 to 150 was refused by the audit database"
t_eq "refused at the flush: no usage row kept" "$(sql "$T/b.db" "SELECT count(*) FROM usage")" 0

# Long lines fill the reader's batches by bytes, not by count (usage_in.c):
# one ends inside a statement's 64 rows, whose texts the reader's batch
# held (records_unhold copies them before the batch is reused).
python3 - "$T" <<'EOF'
import json, sys
with open(sys.argv[1] + "/long.jsonl", "w") as f:
    for i in range(1, 9001):
        f.write(json.dumps({"ts": "2021-03-01T10:00:00Z", "event": "sent",
                            "account": "wickr:u%d" % (i % 7), "message_id": "m%d" % i,
                            "peer": "p%d-" % i + "y" * (i % 1500)}) + "\n")
EOF
run ingest --db "$T/c.db" usage "$T/long.jsonl"
t_eq "long lines: exit" "$rc" 0
t_eq "long lines: each row its own texts" "$(sql "$T/c.db" "SELECT count(*),
  sum(peer = 'p' || line || '-' || replace(hex(zeroblob(line % 1500)), '00', 'y')),
  sum(message_id = 'm' || line), sum(app = 'wickr') FROM usage")" "9000|9000|9000|9000"

t_done
