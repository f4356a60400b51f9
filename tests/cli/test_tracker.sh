# tracker import / update / list and the tracker workbook (issue #5)
. tests/cli/lib.sh
PY=/usr/bin/python3
DUMP="$PY tests/cli/xlsx_dump.py"

cat >"$T/recs.csv" <<'EOF'
report_id,report_title,issued_on,source,rec_no,text,concurrence,target_on,status,status_on,priority
OIG-21-62,CBP Targeted Americans,2021-09-20,OIG,1,Update the TECS directive,Concur,2022-03-31,Open - Resolved,2021-09-20,
OIG-21-62,CBP Targeted Americans,2021-09-20,OIG,2,Develop lookout procedures,Concur,2022-06-30,resolved and open,2021-09-20,
GAO-22-100,Records management,2022-01-10,gao,1,Capture WhatsApp messages,Concur,2022-12-31,Open – Unresolved,2022-01-10,Priority
GAO-22-100,Records management,2022-01-10,GAO,2,Closed without evidence,Concur,2022-12-31,Closed - Implemented,2022-05-10,
GAO-22-100,Records management,2022-01-10,GAO,3,Bad status,Concur,2022-12-31,Done,2022-05-10,
EOF
cat >"$T/cases.csv" <<'EOF'
case_id,agency,opened_on,closed_on,status,records,nara_letter_on,response_due_on
UD-2021-0042,Example Agency,2021-10-15,,Open,WhatsApp messages of four officials,2021-10-15,2021-11-15
UD-21-1,Bad id,2021-10-15,,Open,x,,
EOF
cat >"$T/actions.csv" <<'EOF'
action_id,refs,title,owner_office,owner,due_on,revised_due_on,status,percent,evidence
CA-1,OIG-21-62#1,Revise directive 4320-003,Office of Field Operations,J. Smith,2022-03-31,,In progress,40,
CA-2,OIG-21-62#2; UD-2021-0042,"=HYPERLINK(""http://x"",""y"")",Records Office,A. Jones,2021-12-31,2022-02-28,Not started,0,
CA-3,GAO-22-100#1,Deploy capture,CIO,B. Lee,2022-06-30,,Closed,100,
CA-4,OIG-21-62#9,Bad ref,X,Y,2022-01-01,,Not started,,
CA-5,UD-2021-0042,Respond to NARA,Records Office,A. Jones,2021-11-15,,Complete,100,letter 2021-11-10
CA-6,GAO-22-100#1,Bad date,CIO,B. Lee,2022-02-30,,Not started,,
EOF
cat >"$T/updates.csv" <<'EOF'
action_id,on,status,note
CA-1,2021-12-01,In progress,Draft circulated
CA-1,2021-10-01,Not started,Planning
CA-2,2022-01-15,In progress,Started
CA-5,2021-11-20,Closed,Closeout letter sent
CA-9,2021-11-20,Closed,no such action
CA-2,2022-01-16,Finished,bad status
EOF
DB=$T/t.db

# ---- import: validated with file:line, closing without evidence refused ----
run tracker import --db "$DB" --updates "$T/updates.csv" --actions "$T/actions.csv" \
	--cases "$T/cases.csv" --recommendations "$T/recs.csv"
t_eq "import exit" "$rc" 0
t_contains "cases loaded" "$T/out" "cases"
t_contains "bad case id" "$T/err" "cases.csv:3: error: bad case id 'UD-21-1' (expected UD-YYYY-NNNN)"
t_contains "rec closed without evidence" "$T/err" \
	"recs.csv:5: error: cannot close recommendation 'GAO-22-100#2' without evidence"
t_contains "rec bad status" "$T/err" "recs.csv:6: error: bad value 'Done' for 'status'"
t_contains "action closed without evidence" "$T/err" \
	"actions.csv:4: error: cannot close action 'CA-3' without evidence"
t_contains "unresolved ref" "$T/err" "actions.csv:5: error: ref 'OIG-21-62#9' does not resolve"
t_contains "bad date" "$T/err" "actions.csv:7: error: bad date '2022-02-30' for 'due_on'"
t_contains "unknown update item" "$T/err" "updates.csv:6: error: 'CA-9' does not resolve"
t_contains "bad update status" "$T/err" "updates.csv:7: error: bad status 'Finished' for action 'CA-2'"
t_eq "recommendations" "$(sql "$DB" 'SELECT count(*) FROM recommendations')" 3
t_eq "aliases canonical" "$(sql "$DB" "SELECT group_concat(status, ',') FROM (SELECT status FROM recommendations ORDER BY report_id, rec_no)")" \
	"Open - Unresolved,Open - Resolved,Open - Resolved"
t_eq "source canonical" "$(sql "$DB" "SELECT source FROM recommendations WHERE report_id = 'GAO-22-100'")" GAO
t_eq "actions" "$(sql "$DB" 'SELECT group_concat(action_id) FROM (SELECT action_id FROM actions ORDER BY 1)')" "CA-1,CA-2,CA-5"
t_eq "refs of CA-2" "$(sql "$DB" "SELECT group_concat(ref, ' ') FROM (SELECT ref FROM action_refs WHERE action_id = 'CA-2' ORDER BY ref)")" \
	"OIG-21-62#2 UD-2021-0042"
t_eq "cases" "$(sql "$DB" 'SELECT count(*) FROM cases')" 1
t_eq "manifest has the tracker files" "$(sql "$DB" "SELECT group_concat(kind) FROM (SELECT kind FROM inputs ORDER BY input_id)")" \
	"cases,recommendations,actions,updates"
t_eq "latest update is current" "$(sql "$DB" "SELECT status FROM actions WHERE action_id = 'CA-1'")" "In progress"
t_eq "update closes with the action's evidence" "$(sql "$DB" "SELECT status FROM actions WHERE action_id = 'CA-5'")" "Closed"
hist=$(sql "$DB" 'SELECT count(*) FROM status_updates')

# ---- idempotent: the same files add nothing; a grown file adds only its new line ----
run tracker import --db "$DB" --recommendations "$T/recs.csv" --actions "$T/actions.csv" \
	--updates "$T/updates.csv" --cases "$T/cases.csv"
t_eq "re-import exit" "$rc" 0
t_eq "re-import: all already loaded" "$(grep -c 'already loaded' "$T/out")" 4
t_eq "re-import adds no history" "$(sql "$DB" 'SELECT count(*) FROM status_updates')" "$hist"
t_eq "re-import adds no inputs" "$(sql "$DB" 'SELECT count(*) FROM inputs')" 4
head -n 4 "$T/updates.csv" >"$T/updates2.csv"
echo "CA-2,2022-02-01,In progress,Contract signed" >>"$T/updates2.csv"
run tracker import --db "$DB" --updates "$T/updates2.csv"
t_eq "grown updates file" "$rc" 0
t_eq "only the new line adds history" "$(sql "$DB" 'SELECT count(*) FROM status_updates')" "$((hist + 1))"

# ---- --strict: a bad record fails the file, the DB is unchanged ----
cp "$T/actions.csv" "$T/actions3.csv"
echo "CA-8,GAO-22-100#1,New action,CIO,B. Lee,2022-09-30,,In progress,10," >>"$T/actions3.csv"
run tracker import --db "$DB" --strict --actions "$T/actions3.csv"
t_eq "strict exit" "$rc" 3
t_eq "strict leaves inputs" "$(sql "$DB" 'SELECT count(*) FROM inputs')" 5
t_eq "strict adds no action" "$(sql "$DB" "SELECT count(*) FROM actions WHERE action_id = 'CA-8'")" 0
t_contains "strict names the line" "$T/err" "actions3.csv:4: error: cannot close action 'CA-3' without evidence"

# ---- update ----
run tracker update --db "$DB" --action CA-1 --status Closed --on 2022-04-02
t_eq "close without evidence: exit" "$rc" 3
t_eq "close without evidence: message" "$(cat "$T/err")" \
	"udaudit: error: cannot close action 'CA-1' without evidence (give --evidence REF)"
t_eq "refused update changes nothing" "$(sql "$DB" "SELECT status FROM actions WHERE action_id = 'CA-1'")" "In progress"
run tracker update --db "$DB" --recommendation OIG-21-62#1 --status "Closed - Implemented" --on 2022-04-03
t_eq "close rec without evidence: exit" "$rc" 3
t_contains "close rec without evidence: message" "$T/err" \
	"cannot close recommendation 'OIG-21-62#1' without evidence"
run tracker update --db "$DB" --action CA-1 --status closed --on 2022-04-02 --evidence "memo 22-01" --note "directive signed"
t_eq "close with evidence" "$rc" 0
t_contains "close with evidence: said" "$T/out" "action 'CA-1': Closed on 2022-04-02 recorded"
t_eq "closed" "$(sql "$DB" "SELECT status || '|' || evidence FROM actions WHERE action_id = 'CA-1'")" "Closed|memo 22-01"
t_eq "history kept" "$(sql "$DB" "SELECT group_concat(on_date || ' ' || status, ', ') FROM (SELECT * FROM status_updates WHERE item_id = 'CA-1' ORDER BY on_date)")" \
	"2021-10-01 Not started, 2021-12-01 In progress, 2022-04-02 Closed"
run tracker update --db "$DB" --action CA-1 --status closed --on 2022-04-02 --evidence "memo 22-01" --note "directive signed"
t_eq "same update twice" "$rc" 0
t_contains "same update twice: said" "$T/out" "already recorded; nothing added"
run tracker update --db "$DB" --recommendation OIG-21-62#1 --status "closed – implemented" --on 2022-04-03
t_eq "rec closes on its action's evidence" "$rc" 0
t_eq "rec status and date" "$(sql "$DB" "SELECT status || '|' || status_on FROM recommendations WHERE rec_no = '1' AND report_id = 'OIG-21-62'")" \
	"Closed - Implemented|2022-04-03"
run tracker update --db "$DB" --action CA-2 --status Done --on 2022-04-02
t_eq "bad status: exit" "$rc" 3
t_contains "bad status: message" "$T/err" "bad status 'Done' for action 'CA-2' (expected 'Not started', 'In progress', 'Complete' or 'Closed')"
run tracker update --db "$DB" --action CA-77 --status Closed --on 2022-04-02 --evidence x
t_eq "unknown action: exit" "$rc" 3
t_contains "unknown action: message" "$T/err" "no action 'CA-77' in the tracker"
run tracker update --db "$DB" --action CA-2 --status "In progress" --on 2022-13-01
t_eq "bad date: exit" "$rc" 3
run tracker update --db "$DB" --action CA-2 --status "In progress"
t_eq "missing --on: usage" "$rc" 2
run tracker update --db "$DB" --action CA-2 --case UD-2021-0042 --status Open --on 2022-01-01
t_eq "two items: usage" "$rc" 2
run tracker update --db "$DB" --case UD-2021-0042 --status Open --on 2022-03-01 --note "status letter sent"
t_eq "case update" "$rc" 0

# ---- list: open items, overdue first, with days overdue ----
run tracker list --db "$DB" --as-of 2022-04-01
t_eq "list exit" "$rc" 0
t_eq "most overdue first" "$(sed -n 2p "$T/out" | awk '{print $1, $2, $5, $6}')" "case UD-2021-0042 137 d"
t_eq "then" "$(sed -n 3p "$T/out" | awk '{print $1, $2}')" "action CA-2"
t_contains "days overdue of CA-2 (revised due)" "$T/out" "32 d"
t_not_contains "closed items left out" "$T/out" "CA-1 "
t_contains "summary line" "$T/out" "4 open items, 2 overdue as of 2022-04-01"
run tracker list --db "$DB" --as-of 2022-04-01 --all
t_contains "--all shows closed" "$T/out" "CA-1"

# ---- the tracker workbook ----
run report tracker --db "$DB" -o "$T/tr.xlsx" --as-of 2022-04-01
t_eq "report tracker exit" "$rc" 0
t_eq "no temporary left" "$(ls "$T" | grep -c '\.tmp$')" 0
$DUMP "$T/tr.xlsx" >"$T/dump" 2>"$T/dump.err"
t_eq "workbook reads back" "$?" 0
t_contains "sheets" "$T/dump" "sheets=Recommendations|Corrective Actions|Closed Actions|Status History|NARA Cases|Summary|Inputs"
t_contains "actions header (POA&M)" "$T/dump" \
	"Corrective Actions!header=ID|Weakness or recommendation|Source|Linked items|Original detection date|Corrective action|Owner office|Owner|Resources required|Risk rating|Due|Revised due|Milestones (status history)|Changes to milestones|Status|% complete|Last update|Evidence|Comments|Standing|Days overdue"
t_contains "closed actions: same columns" "$T/dump" "Closed Actions!header=ID|Weakness or recommendation|Source|Linked items"
t_contains "recommendations header" "$T/dump" "Recommendations!header=Report|Report title|Source|Issued|Rec no|Recommendation"
t_contains "history header" "$T/dump" "Status History!header=Item kind|Item|Date|Status|% complete|Note|Evidence|Recorded from"
t_eq "history: 'recommendation' fits its column" "$(/usr/bin/python3 -c "import openpyxl,sys; ws=openpyxl.load_workbook(sys.argv[1])['Status History']; print(ws.column_dimensions['A'].width >= 16)" "$T/tr.xlsx")" True
t_contains "cases header" "$T/dump" "NARA Cases!header=Case|Agency|Opened|Closed|Status|Records|NARA letter|Response due"
t_eq "open action rows = DB" "$(grep -c '^Corrective Actions!A[0-9]*=' "$T/dump")" \
	"$(($(sql "$DB" "SELECT count(*) FROM actions WHERE status <> 'Closed'") + 1))"
t_eq "closed action rows = DB" "$(grep -c '^Closed Actions!A[0-9]*=' "$T/dump")" \
	"$(($(sql "$DB" "SELECT count(*) FROM actions WHERE status = 'Closed'") + 1))"
t_contains "closed items on their own sheet" "$T/dump" "Closed Actions!A2=s:CA-1"
t_contains "the weakness is the recommendation's text" "$T/dump" \
	"Corrective Actions!B2=s:OIG-21-62#2: Develop lookout procedures"
t_contains "linked items by id" "$T/dump" "Corrective Actions!D2=s:OIG-21-62#2; UD-2021-0042"
t_contains "original detection date" "$T/dump" "Corrective Actions!E2=d:2021-09-20 00:00:00"
t_contains "milestones: the status history" "$T/dump" "Corrective Actions!M2=s:2022-01-15 In progress: Started"
t_contains "changes to milestones" "$T/dump" "Corrective Actions!N2=s:due 2021-12-31 revised to 2022-02-28"
t_contains "percent is a percent cell" "$T/dump" "Corrective Actions!numfmt:P2=0%"
t_contains "closed means 100 %" "$T/dump" "Closed Actions!P2=n:1"
t_contains "standing" "$T/dump" "Corrective Actions!T2=s:overdue"
t_contains "linked actions of a recommendation by id" "$T/dump" "Recommendations!O3=s:CA-1"
t_contains "rec no is a number" "$T/dump" "Recommendations!E3=n:1"
t_contains "linked actions of a case by id" "$T/dump" "NARA Cases!K2=s:CA-2; CA-5"
t_contains "manifest sheet" "$T/dump" "Inputs!header=Kind|Path|Size (bytes)|Records|Skipped|Ignored|SHA-256"
t_eq "manifest rows = DB" "$(grep -c '^Inputs!A[0-9]*=' "$T/dump")" "$(($(sql "$DB" 'SELECT count(*) FROM inputs') + 1))"
t_contains "print: landscape, one page wide, header repeated" "$T/dump" \
	"Corrective Actions!print=landscape|fit=1:0|titles=\$1:\$1"
t_contains "wrapped header row is tall enough" "$T/dump" "Corrective Actions!height:1="
t_contains "numbers' headers right-aligned" "$T/dump" "Corrective Actions!align:U1=right"
t_eq "recommendation rows = DB" "$(grep -c '^Recommendations!A[0-9]*=' "$T/dump")" \
	"$(($(sql "$DB" 'SELECT count(*) FROM recommendations') + 1))"
t_eq "history rows = DB" "$(grep -c '^Status History!A[0-9]*=' "$T/dump")" \
	"$(($(sql "$DB" 'SELECT count(*) FROM status_updates') + 1))"
t_contains "formula-looking title stays text" "$T/dump" 'Corrective Actions!F2=s:=HYPERLINK("http://x","y")'
t_contains "due is a real date" "$T/dump" "Corrective Actions!K2=d:2021-12-31 00:00:00"
t_contains "revised due is a real date" "$T/dump" "Corrective Actions!L2=d:2022-02-28 00:00:00"
t_contains "days overdue" "$T/dump" "Corrective Actions!U2=n:32"
t_contains "action status dropdown, whole column" "$T/dump" 'Corrective Actions!dv=O2:O1048576:"Not started,In progress,Complete,Closed"'
t_contains "recommendation status dropdown" "$T/dump" \
	'Recommendations!dv=L2:L1048576:"Open - Unresolved,Open - Resolved,Closed - Implemented,Closed - Not Implemented"'
t_contains "case status dropdown" "$T/dump" 'NARA Cases!dv=E2:E1048576:"Open,Closed"'
t_contains "overdue highlight" "$T/dump" 'Corrective Actions!cf=A2:U2:$U2>0'
t_contains "overdue highlight on cases" "$T/dump" 'NARA Cases!cf=A2:N2:$N2>0'
t_contains "frozen header" "$T/dump" "Corrective Actions!freeze=A2"
t_contains "summary chart" "$T/dump" "Summary!charts=1"
t_contains "summary OIG open recommendations" "$T/dump" "Summary!B5=n:1"
t_contains "summary OIG closed recommendations" "$T/dump" "Summary!C5=n:1"
t_contains "history from the file, with line" "$T/dump" "updates.csv:2"
t_contains "history from the command" "$T/dump" "udaudit tracker update"

# ---- deterministic: the same DB and date give the same bytes ----
sleep 1.1
run report tracker --db "$DB" -o "$T/tr2.xlsx" --as-of 2022-04-01
t_ok "byte-identical tracker workbook" cmp -s "$T/tr.xlsx" "$T/tr2.xlsx"

# ---- run imports [tracker] and writes both workbooks ----
mkdir -p "$T/audit/tracker"
cp "$T/recs.csv" "$T/audit/tracker/recommendations.csv"
cp "$T/cases.csv" "$T/audit/tracker/cases.csv"
cp "$T/actions.csv" "$T/audit/tracker/actions.csv"
cat >"$T/audit/audit.ini" <<'EOF'
[audit]
agency  = Example Agency
quarter = 2022Q1
db      = out/audit.db
[tracker]
recommendations = tracker/recommendations.csv
actions         = tracker/actions.csv
cases           = tracker/cases.csv
[output]
dir = out
EOF
run run "$T/audit/audit.ini"
t_eq "run exit" "$rc" 0
t_contains "run imports actions" "$T/out" "tracker/actions.csv"
t_ok "run wrote the tracker workbook" test -s "$T/audit/out/2022Q1-tracker.xlsx"
t_ok "run wrote the findings workbook" test -s "$T/audit/out/2022Q1-findings.xlsx"
t_eq "run: actions in the DB" "$(sql "$T/audit/out/audit.db" 'SELECT count(*) FROM actions')" 3
t_done
