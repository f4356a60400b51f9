# The tracker never loses or misstates what was recorded (issue 11): a
# re-imported actions.csv never undoes a dated update and says the conflict;
# rows skipped for a reference load when it appears; awaiting closure;
# --percent; a case is overdue until its report is sent (--sent,
# report_sent_on); the workbook is dated by the audit's as_of and counts
# each overdue item once.
. tests/cli/lib.sh
PY=/usr/bin/python3
DUMP="$PY tests/cli/xlsx_dump.py"
DB=$T/t.db

cat >"$T/recs.csv" <<'EOF'
report_id,report_title,issued_on,source,rec_no,text,concurrence,target_on,status,status_on,priority
OIG-21-50,Records,2021-01-10,OIG,1,Issue the messaging directive,Concur,2021-06-30,Open - Resolved,2021-01-10,
OIG-21-50,Records,2021-01-10,OIG,2,Capture the messages,Concur,2021-06-30,Open - Resolved,2021-01-10,
EOF
cat >"$T/cases.csv" <<'EOF'
case_id,agency,opened_on,closed_on,status,records,nara_letter_on,response_due_on,report_sent_on
UD-2021-0001,Example Agency,2021-10-15,,Open,WhatsApp messages,2021-10-15,2021-11-15,
UD-2021-0002,Example Agency,2021-03-01,,Open,Wickr messages,2021-03-01,2021-03-31,2021-03-25
EOF
cat >"$T/actions.csv" <<'EOF'
action_id,refs,title,owner_office,owner,due_on,revised_due_on,status,percent,evidence,risk,resources
A-1,OIG-21-50#1,Write the directive,Records Office,J. Smith,2021-08-31,,In progress,40,,High,0.5 FTE
A-2,OIG-21-50#2,Deploy capture,CIO,B. Lee,2021-06-30,2021-12-31,In progress,20,,Moderate,
A-3,OIG-21-50#3,Train the officials,Records Office,J. Smith,2021-10-31,,Not started,0,,,
A-4,UD-2021-0001,Answer NARA,Records Office,J. Smith,2021-11-15,,In progress,50,,,
EOF
run tracker import --db "$DB" --recommendations "$T/recs.csv" --cases "$T/cases.csv" --actions "$T/actions.csv"
t_eq "import exit" "$rc" 0
t_contains "unresolved ref: kept for later" "$T/err" \
	"actions.csv:4: error: ref 'OIG-21-50#3' does not resolve (no such recommendation; load recommendations first; the row is kept and loads when it appears)"
t_eq "report_sent_on read from cases.csv" "$(sql "$DB" "SELECT report_sent_on FROM cases WHERE case_id = 'UD-2021-0002'")" 2021-03-25
t_eq "risk and resources" "$(sql "$DB" "SELECT risk || '|' || resources FROM actions WHERE action_id = 'A-1'")" "High|0.5 FTE"

# ---- a recorded update survives an edited actions.csv ----
run tracker update --db "$DB" --action A-1 --status Complete --on 2021-09-01 --evidence "Directive EA-1 signed"
t_eq "update Complete" "$rc" 0
t_eq "Complete means 100 %" "$(sql "$DB" "SELECT percent FROM actions WHERE action_id = 'A-1'")" 100
run tracker update --db "$DB" --action A-1 --status Closed --on 2021-09-02
t_eq "update Closed (on the evidence recorded)" "$rc" 0
sed -e 's/^A-1,.*$/A-1,OIG-21-50#1,Write the directive (rev),Records Office,J. Smith,2021-09-30,,Not started,0,,High,1 FTE/' \
	"$T/actions.csv" >"$T/actions2.csv"
run tracker import --db "$DB" --actions "$T/actions2.csv"
t_eq "re-import exit" "$rc" 0
t_contains "conflict said with file:line and what was kept" "$T/err" \
	"actions2.csv:2: warning: action 'A-1': the file's status 'Not started' conflicts with the update of 2021-09-02 ('Closed', udaudit tracker update); kept 'Closed'"
t_eq "status, percent and evidence kept" \
	"$(sql "$DB" "SELECT status || '|' || percent || '|' || evidence FROM actions WHERE action_id = 'A-1'")" \
	"Closed|100|Directive EA-1 signed"
t_eq "what the file owns changes" \
	"$(sql "$DB" "SELECT title || '|' || due_on || '|' || resources FROM actions WHERE action_id = 'A-1'")" \
	"Write the directive (rev)|2021-09-30|1 FTE"
t_eq "the due-date change is kept as a milestone change" \
	"$(sql "$DB" "SELECT field || ' ' || old_on || ' ' || new_on FROM due_changes WHERE action_id = 'A-1'")" \
	"due_on 2021-08-31 2021-09-30"
t_eq "history intact" "$(sql "$DB" "SELECT count(*) FROM status_updates WHERE item_id = 'A-1'")" 2

# an updates.csv update outranks the file too
printf 'action_id,on,status,note,percent\nA-2,2021-09-15,In progress,Connector ordered,60\n' >"$T/updates.csv"
run tracker import --db "$DB" --updates "$T/updates.csv"
t_eq "updates with percent" "$(sql "$DB" "SELECT percent FROM actions WHERE action_id = 'A-2'")" 60
sed -e 's/^A-2,OIG-21-50#2,Deploy capture,/A-2,OIG-21-50#2,Deploy the capture,/' "$T/actions.csv" >"$T/actions3.csv"
run tracker import --db "$DB" --actions "$T/actions3.csv"
t_contains "an undated file's percent yields to the dated one" "$T/err" \
	"actions3.csv:3: warning: action 'A-2': the file's percent 20 conflicts with the update of 2021-09-15 (60 %); kept 60 %"
t_eq "A-2 keeps 60" "$(sql "$DB" "SELECT status || '|' || percent FROM actions WHERE action_id = 'A-2'")" "In progress|60"
t_eq "A-1 still closed" "$(sql "$DB" "SELECT status FROM actions WHERE action_id = 'A-1'")" Closed

# ---- --percent ----
run tracker update --db "$DB" --action A-2 --percent 70 --on 2021-09-20 --note "pilot"
t_eq "--percent alone" "$rc" 0
t_eq "--percent keeps the status" "$(sql "$DB" "SELECT status || '|' || percent FROM actions WHERE action_id = 'A-2'")" "In progress|70"
run tracker update --db "$DB" --action A-2 --percent 50 --status Complete --on 2021-09-21
t_eq "Complete at 50 %: refused" "$rc" 3
t_contains "Complete at 50 %: said" "$T/err" "action 'A-2' Complete means 100 % complete, not 50 %"
run tracker update --db "$DB" --action A-2 --percent 101 --on 2021-09-21
t_eq "bad percent: usage" "$rc" 2

# ---- rows skipped for a reference load when it appears ----
cp "$T/recs.csv" "$T/recs2.csv"
echo "OIG-21-50,Records,2021-01-10,OIG,3,Train the officials,Concur,2021-10-31,Open - Resolved,2021-01-10," >>"$T/recs2.csv"
run tracker import --db "$DB" --recommendations "$T/recs2.csv"
t_eq "fixed recommendations" "$rc" 0
t_contains "the skipped row loads now" "$T/err" \
	"actions3.csv:4: the row skipped earlier for 'OIG-21-50#3' is loaded now (OIG-21-50#3 resolves)"
t_not_contains "an older version of the row is not loaded" "$T/err" "actions.csv:4: the row"
t_eq "A-3 loaded, from its own file and line" \
	"$(sql "$DB" "SELECT a.title || '|' || i.path || ':' || a.line FROM actions a JOIN inputs i USING (input_id) WHERE action_id = 'A-3'")" \
	"Train the officials|$T/actions3.csv:4"
run tracker import --db "$DB" --actions "$T/actions.csv"
t_contains "already loaded says what was skipped" "$T/out" "nothing added; 1 record was skipped then"

# ---- an update skipped for its action loads when the action does ----
# A-5's row is bad (a bad status), so the update of A-5 cannot resolve
cp "$T/actions3.csv" "$T/actions4.csv"
echo "A-5,OIG-21-50#2,Test the capture,CIO,B. Lee,2021-12-31,,Started,10,,," >>"$T/actions4.csv"
run tracker import --db "$DB" --actions "$T/actions4.csv"
t_contains "the bad action row" "$T/err" "actions4.csv:6: error: bad value 'Started' for 'status'"
printf 'action_id,on,status,note,percent\nA-5,2021-09-25,In progress,Test plan written,30\n' >"$T/updates2.csv"
run tracker import --db "$DB" --updates "$T/updates2.csv"
t_contains "the update does not resolve: kept" "$T/err" \
	"updates2.csv:2: error: 'A-5' does not resolve (no such action, recommendation or case; load actions first; the row is kept and loads when it appears)"
run tracker import --db "$DB" --updates "$T/updates2.csv"
t_contains "updates already loaded says what was skipped" "$T/out" \
	"already loaded (sha256 $(sha256sum "$T/updates2.csv" | cut -c1-12)), nothing added; 1 record was skipped then (rows skipped for a reference load when it appears)"
sed -e 's/,Started,10,/,Not started,0,/' "$T/actions4.csv" >"$T/actions5.csv"
run tracker import --db "$DB" --actions "$T/actions5.csv"
t_eq "fixed actions" "$rc" 0
t_contains "the skipped update loads now" "$T/err" \
	"updates2.csv:2: the row skipped earlier for 'A-5' is loaded now (A-5 resolves)"
t_eq "the update is recorded, from its file and line" \
	"$(sql "$DB" "SELECT u.status || '|' || u.percent || '|' || u.note || '|' || i.path || ':' || u.line FROM status_updates u JOIN inputs i USING (input_id) WHERE item_id = 'A-5'")" \
	"In progress|30|Test plan written|$T/updates2.csv:2"
t_eq "the dated update outranks the file's status" \
	"$(sql "$DB" "SELECT status || '|' || percent FROM actions WHERE action_id = 'A-5'")" "In progress|30"
run tracker import --db "$DB" --actions "$T/actions5.csv"
t_not_contains "loaded once" "$T/err" "updates2.csv:2: the row"
t_eq "one update row" "$(sql "$DB" "SELECT count(*) FROM status_updates WHERE item_id = 'A-5'")" 1

# ---- awaiting closure, report sent ----
run tracker list --db "$DB" --as-of 2021-12-01
t_contains "recommendation with all actions closed: awaiting closure" "$T/out" "OIG-21-50#1"
t_eq "awaiting closure, not overdue" "$(grep 'OIG-21-50#1' "$T/out" | grep -c 'awaiting closure')" 1
t_eq "a case overdue until its report is sent" "$(grep 'UD-2021-0001' "$T/out" | awk '{print $5, $6}')" "16 d"
t_eq "report sent: not overdue" "$(grep -c 'UD-2021-0002.*report sent' "$T/out")" 1
run tracker update --db "$DB" --case UD-2021-0001 --sent 2021-11-20 --note "1230.14 report"
t_eq "--sent" "$rc" 0
t_contains "--sent: the first letter is the report" "$T/out" "case 'UD-2021-0001': the report sent to NARA on 2021-11-20 recorded"
run tracker update --db "$DB" --case UD-2021-0001 --sent 2021-12-20
t_contains "--sent: then status letters" "$T/out" "a status letter sent to NARA on 2021-12-20 recorded"
run tracker update --db "$DB" --case UD-2021-0001 --sent 2021-12-20
t_contains "--sent twice" "$T/out" "already recorded"
run tracker update --db "$DB" --action A-2 --sent 2021-12-20
t_eq "--sent needs --case" "$rc" 2
t_eq "report_sent_on set" "$(sql "$DB" "SELECT report_sent_on FROM cases WHERE case_id = 'UD-2021-0001'")" 2021-11-20
run tracker list --db "$DB" --as-of 2021-12-01
t_eq "no longer overdue" "$(grep -c 'UD-2021-0001.*report sent' "$T/out")" 1

# ---- the workbook: dated by the audit, standing, counted once ----
run report tracker --db "$DB" -o "$T/a.xlsx"
t_eq "no run: dated by the tracker" "$rc" 0
t_contains "no run: said" "$T/err" "no analysis run in the audit database: dated 2021-12-20, the latest tracker update (give --as-of DATE)"
python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute("INSERT INTO runs (as_of, quarter) VALUES (?, ?)", ("2021-12-01", "2021Q4")); c.commit()' "$DB"
run report tracker --db "$DB" -o "$T/b.xlsx"
t_eq "report tracker" "$rc" 0
$DUMP "$T/b.xlsx" >"$T/dump"
t_contains "dated by the audit's as_of" "$T/dump" "Summary!B2=d:2021-12-01 00:00:00"
t_contains "awaiting closure in the workbook" "$T/dump" "Recommendations!Q2=s:awaiting closure"
t_contains "awaiting closure: 0 days" "$T/dump" "Recommendations!R2=n:0"
t_contains "report sent in the workbook" "$T/dump" "NARA Cases!I2=d:2021-11-20 00:00:00"
t_contains "letters sent" "$T/dump" "NARA Cases!J2=s:2021-11-20 report; 2021-12-20 status"
t_contains "revised due replaces the original" "$T/dump" "Corrective Actions!U2=n:0"
t_contains "percent cell" "$T/dump" "Corrective Actions!P2=n:0.7"
t_contains "risk rating" "$T/dump" "Corrective Actions!J2=s:Moderate"
t_contains "closed action on its own sheet" "$T/dump" "Closed Actions!A2=s:A-1"
t_contains "changes to milestones" "$T/dump" "Closed Actions!N2=s:due 2021-08-31 changed to 2021-09-30"
# overdue as of 2021-12-01: OIG-21-50#2 (target 2021-06-30), OIG-21-50#3 (2021-10-31),
# A-3 (2021-10-31, under #3), A-4 (2021-11-15; its case's report is sent):
# three items, A-3 counted once
t_contains "recommendations overdue" "$T/dump" "Summary!B11=n:2"
t_contains "actions overdue" "$T/dump" "Summary!B12=n:2"
t_contains "of them under an overdue recommendation" "$T/dump" "Summary!B13=n:1"
t_contains "each item once" "$T/dump" "Summary!B15=n:3"
t_contains "a case whose report is sent is not overdue" "$T/dump" "Summary!B14=n:0"
t_eq "... its standing: report sent" "$(grep -c "^NARA Cases!M[0-9]*=s:report sent$" "$T/dump")" 2
t_contains "awaiting closure counted" "$T/dump" "Summary!B18=n:1"
run report tracker --db "$DB" -o "$T/c.xlsx" --as-of 2021-10-01
$DUMP "$T/c.xlsx" >"$T/dump2"
t_contains "--as-of wins" "$T/dump2" "Summary!B2=d:2021-10-01 00:00:00"
# as of a day between the response due date and the report: overdue
run report tracker --db "$DB" -o "$T/d.xlsx" --as-of 2021-11-18
$DUMP "$T/d.xlsx" >"$T/dump3"
t_contains "before the report is sent: overdue" "$T/dump3" "NARA Cases!M2=s:overdue"
t_contains "... by the days since the response was due" "$T/dump3" "NARA Cases!N2=n:3"
t_contains "... counted in the Summary" "$T/dump3" "Summary!B14=n:1"
run tracker list --db "$DB" --as-of 2021-11-18
t_eq "tracker list agrees" "$(grep 'UD-2021-0001' "$T/out" | awk '{print $5, $6}')" "3 d"
t_done
