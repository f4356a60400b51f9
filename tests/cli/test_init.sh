# udaudit init DIR: a new quarter's skeleton that passes the config checks
# as written, runs once filled in (init, then run), has the headers the
# readers take, and never overwrites a file (all or nothing, exit 2).
. tests/cli/lib.sh

Q=$T/2024Q2
run init --quarter 2024Q2 --agency "Example Agency" "$Q"
t_eq "init: exit" "$rc" 0
t_contains "init: says what it wrote" "$T/out" "udaudit init: $Q, a skeleton for 2024Q2"
t_eq "init: the files" "$(cd "$Q" && find . -type f | sort)" "./accounts.csv
./audit.ini
./cases/UD-2024-0001.ini
./compliance-schema.sql
./device_apps.csv
./devices.csv
./tracker/actions.csv
./tracker/cases.csv
./tracker/recommendations.csv
./tracker/updates.csv"
t_eq "init: files are private (0600)" "$(stat -c %a "$Q/audit.ini")" 600
t_eq "accounts.csv header (spec 3.1)" "$(cat "$Q/accounts.csv")" \
	"account,app,custodian_id,custodian_name,office,role,official,capture,approved_on,opened_on,closed_on"
t_eq "devices.csv header (spec 3.2)" "$(cat "$Q/devices.csv")" \
	"device_id,custodian_id,platform,model,ownership,managed,status,status_on,replaced_by,enrolled_on"
t_eq "device_apps.csv header (spec 3.3)" "$(cat "$Q/device_apps.csv")" \
	"device_id,app_id,app_name,version,first_seen,last_seen"
t_contains "cases.csv header (spec 3.6)" "$Q/tracker/cases.csv" \
	"case_id,agency,opened_on,closed_on,status,records,nara_letter_on,response_due_on"
t_contains "updates.csv header (spec 3.6)" "$Q/tracker/updates.csv" "action_id,on,status,note"
t_contains "audit.ini: the agency given" "$Q/audit.ini" "agency    = Example Agency"
t_contains "audit.ini: the quarter" "$Q/audit.ini" "quarter   = 2024Q2"
t_contains "audit.ini: as_of explained" "$Q/audit.ini" "; as_of     = 2024-06-30"
t_contains "audit.ini: adapters listed with options" "$Q/audit.ini" "; wickr = FILE [tz=...]"
t_contains "audit.ini: the case file, to name" "$Q/audit.ini" "; cases = cases/UD-2024-0001.ini"
t_contains "case file: narrative on continuation lines" "$Q/cases/UD-2024-0001.ini" "    used which app for what business"
t_contains "case file: scope of the quarter" "$Q/cases/UD-2024-0001.ini" "; from = 2024-04-01"
for s in audit inputs rules tracker output; do
	t_ok "audit.ini: [$s]" grep -q "^\[$s\]$" "$Q/audit.ini"
done
for k in agency component quarter as_of db accounts devices device_apps usage compliance \
	dir recommendations actions updates cases redact letter_date; do
	t_ok "audit.ini: key $k explained" grep -q "^;* *$k *=" "$Q/audit.ini"
done
awk 'length > 198 { bad = 1 } END { exit bad }' "$Q/audit.ini" "$Q/cases/UD-2024-0001.ini"
t_eq "no line over the INI limit" "$?" 0

# as written: the config checks pass and run works (empty inputs, no findings)
(cd "$T" && "$UDAUDIT" run 2024Q2/audit.ini >run0.out 2>run0.err); rc=$?
t_eq "run on the skeleton as written: exit" "$rc" 0
t_contains "run on the skeleton: analysed" "$T/run0.out" "0 findings"
t_eq "run on the skeleton: no warning" "$(cat "$T/run0.err")" ""
t_ok "run on the skeleton: findings workbook" test -f "$Q/out/2024Q2-findings.xlsx"

# never overwrites: all or nothing, the existing file named
sum=$(cat "$Q/audit.ini" "$Q/accounts.csv" | sha256sum)
run init --quarter 2024Q2 "$Q"
t_eq "init over a skeleton: exit 2" "$rc" 2
t_eq "init over a skeleton: names the file" "$(cat "$T/err")" \
	"udaudit: error: '$Q/audit.ini' exists: init never overwrites a file (give a new folder)"
t_eq "init over a skeleton: nothing changed" "$(cat "$Q/audit.ini" "$Q/accounts.csv" | sha256sum)" "$sum"
mkdir -p "$T/part/tracker" && echo keep >"$T/part/tracker/cases.csv"
run init "$T/part"
t_eq "one existing file: exit 2" "$rc" 2
t_contains "one existing file: named" "$T/err" "'$T/part/tracker/cases.csv' exists"
t_eq "one existing file: nothing written" "$(cd "$T/part" && find . -type f)" "./tracker/cases.csv"
t_eq "one existing file: kept" "$(cat "$T/part/tracker/cases.csv")" "keep"
run init
t_eq "init without DIR: exit 2" "$rc" 2
t_contains "init without DIR: said" "$T/err" "udaudit: error: the folder to create is required"
run init --quarter 2024Q5 "$T/x"
t_eq "init bad quarter: exit 2" "$rc" 2
run init --agency "A ; B" "$T/x"
t_eq "init agency with ';': exit 2" "$rc" 2
t_eq "usage errors write nothing" "$(ls "$T/x" 2>/dev/null)" ""
run init --help
t_contains "init --help" "$T/out" "usage: udaudit init [--quarter YYYYQn] [--agency NAME] [--component NAME] DIR"
run --help
t_contains "udaudit --help lists init" "$T/out" "  init "

# filled in: a few rows, the store built from the schema, the case named
cat >>"$Q/accounts.csv" <<'EOF'
whatsapp:+15550100001,whatsapp,C-001,Dana Reyes,Emergency Operations Center,capstone,no,manual,2024-03-01,2020-01-01,
EOF
cat >>"$Q/devices.csv" <<'EOF'
D-0001,C-001,android,Pixel 8,gfe,yes,active,2024-01-10,,2024-01-10
EOF
cat >"$Q/usage.jsonl" <<'EOF'
{"ts":"2024-04-02T14:03:22Z","app":"whatsapp","account":"whatsapp:+15550100001","device_id":"D-0001","event":"sent","message_id":"wa-1","conversation_id":"c-1","peer":"+525500000000"}
{"ts":"2024-04-03T09:00:00Z","app":"whatsapp","account":"whatsapp:+15550100001","device_id":"D-0001","event":"deleted","message_id":"wa-1"}
EOF
python3 -c "import sqlite3,sys
c = sqlite3.connect(sys.argv[1]); c.executescript(open(sys.argv[2]).read())
c.execute(\"INSERT INTO retention_policies VALUES ('whatsapp', NULL, NULL, '2020-01-01')\"); c.commit()" \
	"$Q/compliance.sqlite" "$Q/compliance-schema.sql"
sed -i -e 's/^; usage       = /usage       = /' -e 's/^; compliance  = /compliance  = /' \
	-e 's/^; cases = /cases = /' "$Q/audit.ini"
echo "UD-2024-0001,Example Agency,2024-06-01,,Open,WhatsApp messages,," >>"$Q/tracker/cases.csv"
(cd / && "$UDAUDIT" run "$Q/audit.ini" >"$T/run1.out" 2>"$T/run1.err"); rc=$?
t_eq "init, fill in, run: exit" "$rc" 0
t_contains "run: usage loaded" "$T/run1.out" "2 records"
t_contains "run: the finding" "$T/run1.out" "UNCAPTURED_DELETION       1  (1 messages)"
t_ok "run: the incident report" test -f "$Q/out/UD-2024-0001-incident.pdf"
pdftotext "$Q/out/UD-2024-0001-incident.pdf" - | tr '\n' ' ' >"$T/inc.txt"
t_contains "incident: the continued narrative, joined" "$T/inc.txt" "disposition: who used which app for what business, how the messages were lost"
t_contains "incident: the agency" "$T/inc.txt" "Example Agency"

# a narrative line over the limit: the error says how to continue it
long=$(printf '%0260d' 0 | tr 0 x)
sed "s/^salvage = .*/salvage = $long/" "$Q/cases/UD-2024-0001.ini" >"$T/long.ini"
line=$(grep -n '^salvage' "$T/long.ini" | cut -d: -f1)
run report incident --db "$Q/out/audit.db" --case "$T/long.ini" -o "$T/long.pdf"
t_eq "long narrative line: exit 3" "$rc" 3
t_contains "long narrative line: how to continue it" "$T/err" \
	"$T/long.ini:$line: error: line longer than 198 characters (continue a long value on the next lines, each indented)"

t_done
