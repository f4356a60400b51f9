# Helpers for the detection tests (sourced after lib.sh). Each test builds a
# tiny audit in $T/in with these, then runs d_analyze and checks $T/f.csv.
#   d_acct 'account,app,custodian_id,name,office,role,official,capture,approved_on,opened_on,closed_on'
#   d_dev  'device_id,custodian_id,platform,model,ownership,managed,status,status_on,replaced_by,enrolled_on'
#   d_app  'device_id,app_id,app_name,version,first_seen,last_seen'
#   d_ev   '{json usage event}'
#   d_store 'message_id|app|account|conversation|sent_at|captured_at|purged_at'
#   d_policy 'app|role|days|effective_on'   (empty role or days = NULL)
#   d_analyze AS_OF [RULES_DIR]     ingest, analyze, findings CSV -> $T/f.csv
#   d_has DESC 'TYPE,class,...' pattern: a CSV line of $T/f.csv starts with
#         finding_id then contains ",TYPE,class,"... (see d_row)
R=$(pwd)/rules
mkdir -p "$T/in"
d_reset() {
	rm -rf "$T/in" "$T/a.db" "$T/a.db-wal" "$T/a.db-shm"
	mkdir -p "$T/in"
	echo 'account,app,custodian_id,custodian_name,office,role,official,capture,approved_on,opened_on,closed_on' >"$T/in/accounts.csv"
	echo 'device_id,custodian_id,platform,model,ownership,managed,status,status_on,replaced_by,enrolled_on' >"$T/in/devices.csv"
	echo 'device_id,app_id,app_name,version,first_seen,last_seen' >"$T/in/device_apps.csv"
	: >"$T/in/usage.jsonl"
	: >"$T/in/store.txt"
	: >"$T/in/policies.txt"
}
d_acct() { echo "$1" >>"$T/in/accounts.csv"; }
d_dev() { echo "$1" >>"$T/in/devices.csv"; }
d_app() { echo "$1" >>"$T/in/device_apps.csv"; }
d_ev() { echo "$1" >>"$T/in/usage.jsonl"; }
d_store() { echo "$1" >>"$T/in/store.txt"; }
d_policy() { echo "$1" >>"$T/in/policies.txt"; }
d_mkstore() {
	python3 - "$T/in/compliance.sqlite" "$T/in/store.txt" "$T/in/policies.txt" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.executescript('''CREATE TABLE messages (message_id TEXT PRIMARY KEY, app TEXT NOT NULL,
 account TEXT NOT NULL, conversation_id TEXT, sent_at TEXT NOT NULL, captured_at TEXT NOT NULL,
 sha256 TEXT, purged_at TEXT, purge_reason TEXT);
CREATE TABLE retention_policies (app TEXT NOT NULL, role TEXT, retention_days INTEGER, effective_on TEXT);''')
for line in open(sys.argv[2]):
    f = line.rstrip('\n').split('|')
    if len(f) < 6: continue
    purged = f[6] if len(f) > 6 and f[6] else None
    c.execute('INSERT INTO messages VALUES (?,?,?,?,?,?,NULL,?,?)', (f[0], f[1], f[2], f[3] or None, f[4], f[5], purged, 'policy' if purged else None))
for line in open(sys.argv[3]):
    f = line.rstrip('\n').split('|')
    if len(f) < 4: continue
    c.execute('INSERT INTO retention_policies VALUES (?,?,?,?)', (f[0], f[1] or None, int(f[2]) if f[2] else None, f[3] or None))
c.commit()
PY
}
d_analyze() {
	d_mkstore
	db=$T/a.db
	for k in accounts devices device-apps; do
		f=$T/in/$(echo $k | tr - _).csv
		[ "$(wc -l <"$f")" -gt 1 ] && "$UDAUDIT" -q ingest --db "$db" "$k" "$f" >/dev/null
	done
	[ -s "$T/in/usage.jsonl" ] && "$UDAUDIT" -q ingest --db "$db" usage "$T/in/usage.jsonl" >/dev/null
	"$UDAUDIT" -q ingest --db "$db" compliance "$T/in/compliance.sqlite" >/dev/null
	"$UDAUDIT" -q analyze --db "$db" --as-of "$1" --rules "${2:-$R}" >"$T/analyze.out" 2>"$T/analyze.err"
	rc=$?
	"$UDAUDIT" findings --db "$db" --format csv | cut -d, -f2- >"$T/f.csv"
}
# d_row DESC 'TYPE,class,severity,office,custodian,account,app,device,first,last,msgs,convs'
# (the CSV columns after finding_id, without detail): that line exists
d_row() {
	if awk -v p="$2," 'index($0, p) == 1 { found = 1 } END { exit !found }' "$T/f.csv"; then
		t_pass=$((t_pass + 1))
	else
		_t_fail "$1: no finding '$2'"
		sed 's/^/    | /' "$T/f.csv" >&2
	fi
}
# d_count DESC TYPE N: N findings of TYPE
d_count() { t_eq "$1" "$(grep -c "^$2," "$T/f.csv")" "$3"; }
# d_total DESC N: N findings in all
d_total() { t_eq "$1" "$(($(wc -l <"$T/f.csv") - 1))" "$2"; }
