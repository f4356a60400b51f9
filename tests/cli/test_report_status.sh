# the NARA status-update letter (issue #4, spec 5.2): the sample case
# UD-2019-0001 read back with pdftotext: the case dates, each linked
# corrective action with its status at the last update and now, the dated
# changes since then (checked against status_updates with SQL), what
# remains open; qpdf, fonts, byte-identical output, --redact, and no letter
# for a closed case.
. tests/cli/lib.sh
PY=/usr/bin/python3

W=$T/w
sample_audit "$W"
"$UDAUDIT" run "$W/samples/audit.ini" >"$T/run.out" 2>"$T/run.err"
t_eq "run exit" "$?" 0
DB=$W/out/audit.db
PDF=$W/out/UD-2019-0001-status.pdf
CASE=$W/samples/cases/UD-2019-0001.ini
t_contains "run names the status letter" "$T/run.out" "/UD-2019-0001-status.pdf"
t_ok "status letter written by run (case open)" test -s "$PDF"

pdftotext -layout "$PDF" "$T/st.txt"
pdftotext "$PDF" - | tr '\n' ' ' | tr -s ' ' >"$T/flat.txt"
t_contains "subject" "$T/flat.txt" "Status update on NARA unauthorized disposition case UD-2019-0001"
t_contains "case" "$T/st.txt" "NARA case"
if grep -Eq '^Opened +2019-03-08' "$T/st.txt"; then t_pass=$((t_pass + 1)); else _t_fail "opened"; fi
if grep -Eq '^NARA letter +2019-03-01' "$T/st.txt"; then t_pass=$((t_pass + 1)); else _t_fail "nara letter"; fi
if grep -Eq '^Response due +2019-03-31' "$T/st.txt"; then t_pass=$((t_pass + 1)); else _t_fail "due"; fi
if grep -Eq '^Case status +Open' "$T/st.txt"; then t_pass=$((t_pass + 1)); else _t_fail "status"; fi
# default "last update": the case's latest tracker update (opened 2019-03-08)
if grep -Eq '^Last update +2019-03-08' "$T/st.txt"; then t_pass=$((t_pass + 1)); else _t_fail "last update"; fi
prev=0
for h in "Corrective actions" "Changes since the last update" "What remains open"; do
	n=$(grep -n -F -- "$h" "$T/st.txt" | head -1 | cut -d: -f1)
	[ -n "$n" ] || n=0
	if [ "$n" -gt "$prev" ]; then t_pass=$((t_pass + 1)); else _t_fail "heading '$h' missing or out of order"; fi
	prev=$n
done

# the linked actions (action_refs) and nothing else
linked=$(sql "$DB" "SELECT group_concat(action_id, ' ') FROM (SELECT action_id FROM action_refs WHERE ref = 'UD-2019-0001' ORDER BY action_id)")
t_eq "linked actions (SQL)" "$linked" "CA-05 CA-06"
for a in $linked; do t_contains "action $a listed" "$T/st.txt" "$a"; done
t_not_contains "unlinked CA-01" "$T/st.txt" "CA-01"
# every dated update since the last update, one line each
n=$(sql "$DB" "SELECT count(*) FROM status_updates WHERE item_kind = 'action' AND on_date > '2019-03-08'
 AND on_date <= '2021-09-24' AND item_id IN (SELECT action_id FROM action_refs WHERE ref = 'UD-2019-0001')")
t_eq "dated changes (SQL)" "$n" 10
# in prose, dates read "September 20, 2021" (ISO only in the tables)
DL='^ +(January|February|March|April|May|June|July|August|September|October|November|December) [0-9]{1,2}, 20[0-9]{2}: '
t_eq "dated change lines" "$(grep -cE "$DL" "$T/st.txt")" "$n"
t_contains "a change with its note" "$T/flat.txt" "September 20, 2021: In progress. Wickr store retention found set to 1095 days"
# what remains: CA-06 (In progress, revised due 2021-11-30), not CA-05 (Closed)
t_contains "remaining CA-06" "$T/flat.txt" "CA-06, In progress, 55% complete, due November 30, 2021."
t_contains "no status then: said, not '-'" "$T/st.txt" "None"
t_not_contains "no '-' cell or sentence" "$T/flat.txt" " - "
t_not_contains "closed CA-05 not remaining" "$T/flat.txt" "CA-05, Closed"
t_contains "signatory" "$T/flat.txt" "Evelyn Brandt"

# last_update_on in the case file: changes counted from there
sed 's/^response_due_on = 2019-03-31/response_due_on = 2019-03-31\nlast_update_on = 2021-06-14/' "$CASE" >"$T/case2.ini"
run report status --db "$DB" --case "$T/case2.ini" -o "$T/s2.pdf"
t_eq "status exit" "$rc" 0
pdftotext -layout "$T/s2.pdf" "$T/s2.txt"
t_eq "changes after 2021-06-14" "$(grep -cE "$DL" "$T/s2.txt")" 2
if grep -Eq '^CA-05 .* Closed +Closed .* 0 *$' "$T/s2.txt"; then t_pass=$((t_pass + 1)); else _t_fail "CA-05 unchanged since 2021-06-14"; fi
if grep -Eq '^CA-06 .* In progress +In progress .* 2 *$' "$T/s2.txt"; then t_pass=$((t_pass + 1)); else _t_fail "CA-06 changed"; fi

# PDF quality, determinism
t_ok "qpdf --check" sh -c "qpdf --check '$PDF' >/dev/null 2>&1"
pdffonts "$PDF" >"$T/fonts" 2>&1
t_eq "every font embedded" "$(tail -n +3 "$T/fonts" | awk '{ if ($(NF-4) != "yes") n++ } END { print n + 0 }')" 0
run report status --db "$DB" --case "$CASE" -o "$T/a.pdf"
run report status --db "$DB" --case "$CASE" -o "$T/b.pdf"
t_ok "same bytes twice" cmp -s "$T/a.pdf" "$T/b.pdf"
t_ok "same bytes as run's" cmp -s "$T/a.pdf" "$PDF"

# --redact: a tracker note names a custodian ("exported by Marcus Bell")
t_contains "note names a custodian" "$T/flat.txt" "Marcus Bell"
run report status --db "$DB" --case "$CASE" -o "$T/r.pdf" --redact
pdftotext "$T/r.pdf" "$T/r.txt"
leaks=0
for s in "Dana Reyes" "Marcus Bell" "Priya Natarajan" "Tomás Alvarez" "Grace Whitfield" "Lee Park" "Jordan Hale"; do
	grep -qiF -- "$s" "$T/r.txt" && { leaks=$((leaks + 1)); echo "leak: $s" >&2; }
done
t_eq "no custodian name with --redact" "$leaks" 0
t_contains "pseudonym in the note" "$T/r.txt" "exported by Custodian B"

# a closed case gets no status letter from run
W2=$T/w2
sample_audit "$W2"
$PY - "$W2/samples/tracker/cases.csv" <<'EOF'
import sys
p = sys.argv[1]
s = open(p).read().replace("2019-03-08,,Open,", "2019-03-08,2021-09-01,Closed,")
open(p, "w").write(s)
EOF
"$UDAUDIT" run "$W2/samples/audit.ini" >"$T/run2.out" 2>"$T/run2.err"
t_eq "run (closed case) exit" "$?" 0
t_ok "incident report still written" test -s "$W2/out/UD-2019-0001-incident.pdf"
t_ok "no status letter for a closed case" test ! -e "$W2/out/UD-2019-0001-status.pdf"

# the manifest, closed actions' evidence, what remains quantified
t_contains "manifest enclosed" "$T/flat.txt" "Enclosure. Input manifest"
t_contains "manifest digest on one line" "$T/flat.txt" "$(sql "$DB" "SELECT sha256 FROM inputs WHERE kind = 'accounts'")"
t_contains "the rule packs in the manifest" "$T/flat.txt" "retention.ini rule pack, $(sql "$DB" "SELECT printf('%,d', size) FROM run_rules WHERE file = 'retention.ini' AND run_id = (SELECT max(run_id) FROM runs)") bytes $(sql "$DB" "SELECT sha256 FROM run_rules WHERE file = 'retention.ini' AND run_id = (SELECT max(run_id) FROM runs)")"
t_contains "closed action's evidence" "$T/flat.txt" "CA-05, Issue the electronic messaging records directive and deploy Wickr with data retention: Directive EA-2140-05"
t_contains "impending deletions quantified" "$T/flat.txt" "Still at risk: 2 accounts scheduled for deletion on December 31, 2021 hold 9 messages"
t_contains "authority line" "$T/flat.txt" "Authorized to sign records schedules, 36 CFR 1220.34(b)"
# changes count from the last letter recorded as sent, not the opening date
cp "$DB" "$T/sent.db"
"$UDAUDIT" tracker update --db "$T/sent.db" --case UD-2019-0001 --sent 2019-03-20 >/dev/null 2>&1
"$UDAUDIT" tracker update --db "$T/sent.db" --case UD-2019-0001 --sent 2021-06-30 >/dev/null 2>&1
run report status --db "$T/sent.db" --case "$CASE" -o "$T/sent.pdf"
t_eq "after letters sent: exit" "$rc" 0
pdftotext "$T/sent.pdf" - | tr '\n' ' ' | tr -s ' ' >"$T/sent.txt"
t_contains "since the last letter sent" "$T/sent.txt" "with the changes since our last update of June 30, 2021"
t_not_contains "older changes left out" "$T/sent.txt" "June 14, 2021: In progress"
t_contains "newer changes in" "$T/sent.txt" "August 16, 2021: In progress"
t_contains "percent then" "$T/sent.txt" "In progress (55%)"
# a case opened after the audit date gets no status letter from run
W3=$T/w3
sample_audit "$W3"
sed -i 's/^opened_on = 2019-03-08/opened_on = 2021-10-01/' "$W3/samples/cases/UD-2019-0001.ini"
sed -i 's/^nara_letter_on = 2019-03-01/nara_letter_on = 2021-09-30/' "$W3/samples/cases/UD-2019-0001.ini"
"$UDAUDIT" run "$W3/samples/audit.ini" >"$T/run3.out" 2>"$T/run3.err"
t_eq "case opened after as_of: run exits by its findings" "$?" 0
t_ok "case opened after as_of: no status letter" test ! -e "$W3/out/UD-2019-0001-status.pdf"
t_ok "case opened after as_of: no incident report" test ! -e "$W3/out/UD-2019-0001-incident.pdf"
t_ok "case opened after as_of: no enclosure" test ! -e "$W3/out/UD-2019-0001-enclosure-a.xlsx"
t_ok "case opened after as_of: the workbooks still written" test -s "$W3/out/2021Q3-findings.xlsx"
t_contains "case opened after as_of: said" "$T/run3.out" "none for case UD-2019-0001: the letter date 2021-09-24 is before NARA's letter of 2021-09-30"
t_not_contains "case opened after as_of: no error" "$T/run3.err" "error"
# the report commands still refuse it, with a clear error
run report status --db "$W3/out/audit.db" --case "$W3/samples/cases/UD-2019-0001.ini" -o "$T/s3.pdf"
t_eq "report status, case opened later: exit 3" "$rc" 3
t_contains "report status, case opened later: why" "$T/err" "the letter date 2021-09-24 is before NARA's letter of 2021-09-30"
sed -i 's/^nara_letter_on = .*/nara_letter_on =/' "$W3/samples/cases/UD-2019-0001.ini"
"$UDAUDIT" run "$W3/samples/audit.ini" >"$T/run4.out" 2>"$T/run4.err"
t_eq "opened after as_of (no NARA letter): run exit" "$?" 0
t_contains "opened after as_of: said" "$T/run4.out" "the letter date 2021-09-24 is before the case was opened on 2021-10-01"

# a field a letter cannot go without: an error naming the file and key,
# before anything is written
sed -e 's/^id = UD-2019-0001/id = UD-2021-0007/' -e '/^opened_on = /d' "$CASE" >"$T/noopen.ini"
run report status --db "$DB" --case "$T/noopen.ini" -o "$T/n.pdf"
t_eq "no opened_on: exit 3" "$rc" 3
t_contains "no opened_on: file and key" "$T/err" "$T/noopen.ini: error: missing 'opened_on' in [case]"
t_ok "no opened_on: nothing written" test ! -e "$T/n.pdf"
awk '/^\[addressee\]/ { skip = 1; next } /^\[/ { skip = 0 } !skip' "$CASE" >"$T/noaddr.ini"
run report status --db "$DB" --case "$T/noaddr.ini" -o "$T/n.pdf"
t_contains "no addressee: file and section" "$T/err" "$T/noaddr.ini: error: [addressee] needs a 'name' or an 'organization'"
grep -v '^title = Agency Records' "$CASE" >"$T/nosig.ini"
run report incident --db "$DB" --case "$T/nosig.ini" -o "$T/n.pdf"
t_contains "no signatory title: file and key" "$T/err" "$T/nosig.ini: error: missing 'title' in [signatory]"
cp "$DB" "$T/noagency.db"
$PY -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute("UPDATE runs SET agency = NULL"); c.commit()' "$T/noagency.db"
sed 's/^id = UD-2019-0001/id = UD-2021-0008/' "$CASE" >"$T/other.ini"
for k in incident status; do
	run report $k --db "$T/noagency.db" --case "$T/other.ini" -o "$T/n-$k.pdf"
	t_eq "no agency ($k): exit 3" "$rc" 3
	t_contains "no agency ($k): the key" "$T/err" "no agency to write the letter for: set 'agency' under [audit] in audit.ini"
	t_ok "no agency ($k): nothing written" test ! -e "$T/n-$k.pdf"
done
t_ok "no agency: no enclosure either" test ! -e "$T/UD-2021-0008-enclosure-a.xlsx"

t_done
