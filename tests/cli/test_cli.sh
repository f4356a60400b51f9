# The command line: --version, --help, every command's --help, usage errors
# (exit 2), and `run` on audit.ini: FILE:LINE errors (unknown key, a line
# too long for inih), repeated input keys, paths relative to the config.
. tests/cli/lib.sh
D=$(pwd)/tests/data/ingest
RULES=$(pwd)/rules

run --version
t_eq "--version: exit" "$rc" 0
t_eq "--version: output" "$(grep -cE '^udaudit [0-9]+\.[0-9]+\.[0-9]+' "$T/out")" 1
run --help
t_eq "--help: exit" "$rc" 0
t_contains "--help: usage" "$T/out" "usage: udaudit [--version] [--help]"
t_contains "--help: exit codes" "$T/out" "2 usage error; 3 bad input or rules; 4 database or output error"
run help
t_eq "help: exit" "$rc" 0

# every command in the help has its own --help, exit 0, on stdout
cmds=$(sed -n '/^commands:/,/^$/p' "$T/out" | awk 'NR > 1 && NF { print $1 }')
for want in run ingest verify; do
	t_eq "command listed: $want" "$(echo "$cmds" | grep -cx "$want")" 1
done
for c in $cmds; do
	run "$c" --help
	t_eq "$c --help: exit" "$rc" 0
	t_eq "$c --help: usage line" "$(head -n 1 "$T/out" | cut -c1-15)" "usage: udaudit "
	t_eq "$c --help: stderr" "$(cat "$T/err")" ""
done

# usage errors: exit 2
run
t_eq "no command: exit" "$rc" 2
run frobnicate
t_eq "unknown command: exit" "$rc" 2
t_contains "unknown command: message" "$T/err" "udaudit: error: unknown command 'frobnicate'"
run --frobnicate
t_eq "unknown option: exit" "$rc" 2
run ingest accounts $D/accounts-good.csv
t_eq "ingest without --db: exit" "$rc" 2
t_contains "ingest without --db: message" "$T/err" "udaudit: error: --db is required"
run verify
t_eq "verify without --db: exit" "$rc" 2
run ingest --db "$T/x.db" --no-such-option accounts $D/accounts-good.csv
t_eq "ingest unknown option: exit" "$rc" 2
run ingest --db "$T/x.db" --opt novalue accounts $D/accounts-good.csv
t_eq "ingest --opt without =: exit" "$rc" 2
run run
t_eq "run without config: exit" "$rc" 2
run run "$T/a.ini" "$T/b.ini"
t_eq "run with two configs: exit" "$rc" 2
run run "$T/missing.ini"
t_eq "run missing config: exit" "$rc" 3
t_contains "run missing config: message" "$T/err" "$T/missing.ini: error: cannot open"

# ---- run: config errors name FILE:LINE ----

mkdir -p "$T/audit/data/more" "$T/audit/out"
cat >"$T/audit/unknown-key.ini" <<EOF
[audit]
agency  = Example Agency
quarter = 2021Q3

[inputs]
acounts = data/accounts.csv
EOF
run run "$T/audit/unknown-key.ini"
t_eq "unknown key: exit" "$rc" 3
t_eq "unknown key: stderr" "$(cat "$T/err")" "udaudit: $T/audit/unknown-key.ini:6: error: unknown input kind 'acounts' (expected accounts, devices, device-apps, usage, compliance, whatsapp, wickr, rsmf, intune-devices, intune-apps, purview, teams, slack, jamf, recommendations, actions, updates or cases; did you mean 'accounts'?)"
t_eq "unknown key: no DB made" "$(ls "$T/audit/out")" ""

printf '[audit]\nagency = A\n; a comment\nagnecy = B\n' >"$T/audit/typo.ini"
run run "$T/audit/typo.ini"
t_eq "typo in [audit]: exit" "$rc" 3
t_eq "typo in [audit]: stderr" "$(cat "$T/err")" "udaudit: $T/audit/typo.ini:4: error: unknown key 'agnecy' in [audit] (expected agency, component, quarter, as_of or db; did you mean 'agency'?)"

# a 250-character line: named at its own line; the line after it is read
# at its own line (Debian's inih would split it and shift every number)
long=$(printf '%0242d' 0 | tr 0 x)
printf '[audit]\nagency = A\n\n[inputs]\naccounts = %s.csv\nusage = data/usage.jsonl\nbogus = 1\n' "$long" >"$T/audit/long.ini"
run run "$T/audit/long.ini"
t_eq "250-char line: exit" "$rc" 3
t_eq "250-char line: stderr" "$(cat "$T/err")" "udaudit: $T/audit/long.ini:5: error: line longer than 198 characters (continue a long value on the next lines, each indented)
udaudit: $T/audit/long.ini:7: error: unknown input kind 'bogus' (expected accounts, devices, device-apps, usage, compliance, whatsapp, wickr, rsmf, intune-devices, intune-apps, purview, teams, slack, jamf, recommendations, actions, updates or cases)"

printf '[audit]\nas_of = 2021-02-29\n[output]\ndir\n' >"$T/audit/bad.ini"
run run "$T/audit/bad.ini"
t_eq "bad values: exit" "$rc" 3
t_contains "bad values: date" "$T/err" "$T/audit/bad.ini:2: error: bad date '2021-02-29' for 'as_of'"
t_contains "bad values: syntax" "$T/err" "$T/audit/bad.ini:4: error: syntax error"

# ---- run: repeated input keys both load; paths relative to the config ----

cp $D/accounts-good.csv "$T/audit/data/accounts.csv"
cp $D/usage-good.jsonl "$T/audit/data/usage.jsonl"
cp $D/usage-unknown.jsonl "$T/audit/data/more/usage-2.jsonl"
cp $D/devices-good.csv "$T/audit/data/devices.csv"
cat >"$T/audit/audit.ini" <<EOF
; paths are relative to this file, wherever udaudit runs from
[audit]
agency      = Example Agency
component   = Office of Field Operations
quarter     = 2021Q3
as_of       = 2021-09-24
db          = out/audit.db

[inputs]                  ; a key may repeat
accounts    = data/accounts.csv
usage       = data/usage.jsonl
devices     = data/devices.csv ; an inline comment
usage       = data/more/usage-2.jsonl

[rules]
dir = $RULES

[output]
dir = out
EOF
# run from another directory: the paths still resolve against the config
(cd / && "$UDAUDIT" run "$T/audit/audit.ini") >"$T/out" 2>"$T/err"
rc=$?
t_eq "run: exit" "$rc" 0
t_eq "run: DB where the config says" "$(stat -c %a "$T/audit/out/audit.db" 2>&1)" 600
t_contains "run: accounts line" "$T/out" "$T/audit/data/accounts.csv"
t_contains "run: first usage line" "$T/out" "$T/audit/data/usage.jsonl"
t_contains "run: second usage line" "$T/out" "$T/audit/data/more/usage-2.jsonl"
# the manifest keeps the paths as audit.ini writes them, from any folder
t_eq "run: manifest" "$(sql "$T/audit/out/audit.db" "SELECT kind, path, records FROM inputs ORDER BY input_id")" \
"accounts|data/accounts.csv|4
usage|data/usage.jsonl|7
devices|data/devices.csv|3
usage|data/more/usage-2.jsonl|2"
t_eq "run: both usage files loaded" "$(sql "$T/audit/out/audit.db" "SELECT count(*) FROM usage")" 9

# a second run adds nothing
(cd / && "$UDAUDIT" run "$T/audit/audit.ini") >"$T/out" 2>"$T/err"
rc=$?
t_eq "run again: exit" "$rc" 0
t_eq "run again: all already loaded" "$(grep -c 'already loaded' "$T/out")" 4
t_eq "run again: counts" "$(sql "$T/audit/out/audit.db" "SELECT count(*) FROM usage")" 9

# a relative config path works from the directory it is relative to
(cd "$T" && "$UDAUDIT" run audit/audit.ini) >"$T/out" 2>"$T/err"
rc=$?
t_eq "relative config path: exit" "$rc" 0
t_eq "relative config path: same DB" "$(grep -c 'already loaded' "$T/out")" 4

# an input that fails: exit 3, the others still load
cat >"$T/audit/partial.ini" <<EOF
[audit]
quarter = 2021Q3
db = out/partial.db
[inputs]
accounts = data/accounts.csv
devices = data/missing.csv
[rules]
dir = $RULES
EOF
run run "$T/audit/partial.ini"
t_eq "failed input: exit" "$rc" 3
t_contains "failed input: named" "$T/err" "$T/audit/data/missing.csv"
t_eq "failed input: others loaded" "$(sql "$T/audit/out/partial.db" "SELECT count(*) FROM accounts")" 4

t_done
