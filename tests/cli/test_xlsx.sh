# the findings workbook (issue #5): sheets, counts equal to the DB, real
# dates, formula-looking text kept as text, --redact, byte-identical output,
# the quarter-over-quarter trend over two runs. Findings rows are inserted
# with SQL so the test does not depend on the detectors.
. tests/cli/lib.sh
PY=/usr/bin/python3
DUMP="$PY tests/cli/xlsx_dump.py"
DB=$T/a.db

mkdir -p "$T/rules"
printf '; apps\n[whatsapp]\nclass = restricted\nids    = ^net\\.whatsapp\n' >"$T/rules/apps.ini"
printf '[roles]\nstandard = 2555\n' >"$T/rules/retention.ini"
printf 'case_id,status\nUD-2021-0001,Open\n' >"$T/cases.csv"
run tracker import --db "$DB" --cases "$T/cases.csv"        # creates the audit DB
t_eq "db created" "$rc" 0

# two quarters' runs; run 2 has one finding of each class, a formula-looking
# detail, a name and a handle in the detail (for --redact), evidence rows
$PY - "$DB" "$T/rules" <<'EOF'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("INSERT INTO runs (run_id, as_of, quarter, rules_dir, rules_sha256) VALUES"
          " (1, '2021-09-30', '2021Q3', ?1, 'r1'), (2, '2021-12-31', '2021Q4', ?1, 'r2')",
          (sys.argv[2],))
c.execute("INSERT INTO accounts (account, app, custodian_id, custodian_name, office)"
          " VALUES ('whatsapp:+15550100001', 'whatsapp', 'C-001', 'Alice Example', 'EOC')")
c.execute("INSERT INTO inputs (input_id, kind, path, size, sha256, records, loaded_at)"
          " VALUES (10, 'usage', 'usage.jsonl', 123, ?, 5, '2026-01-01T00:00:00Z')", ("ab" * 32,))
types = ["UNCAPTURED_DELETION", "ACCOUNT_DELETION", "CAPTURE_GAP", "PROHIBITED_APP"]
classes = ["actual", "impending", "threatened", "policy"]
sev = {"actual": "high", "impending": "high", "threatened": "medium", "policy": "low"}
for run, n in ((1, 3), (2, 5)):
    for i in range(n):
        detail = ('=HYPERLINK("http://x","y")' if i == 0 else
                  "Alice Example (whatsapp:+15550100001) deleted %d messages" % (i + 1))
        c.execute("INSERT INTO findings VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                  (run, "F-%d-%03d" % (run, i), types[i % 4], classes[i % 4], sev[classes[i % 4]],
                   "EOC" if i % 2 else None, "C-001", "whatsapp:+15550100001", "whatsapp",
                   "D-1", 1539353002 + i * 86400, 1539353002 + i * 90000, i + 1, 1, detail))
# with what each row records, as analyze stores it (findings.h)
c.execute("INSERT INTO evidence (run_id, finding_id, input_id, line, event, message_id, ts) VALUES"
          " (2, 'F-2-000', 10, 7, 'sent', 'm-1', 1539353002),"
          " (2, 'F-2-000', 10, 9, 'deleted', 'm-1', 1539353100),"
          " (2, 'F-2-001', 10, 3, 'received', 'm-2', 1539440000)")
import hashlib, os   # the rule packs as analyze stores them with a run
for f in ("apps.ini", "retention.ini"):
    t = open(os.path.join(sys.argv[2], f)).read()
    c.execute("INSERT INTO run_rules VALUES (2, ?, ?, ?, ?)",
              (f, len(t), hashlib.sha256(t.encode()).hexdigest(), t))
# the events behind the evidence lines
c.execute("INSERT INTO usage (input_id, line, ts, event, app, account, message_id) VALUES"
          " (10, 7, 1539353002, 'sent', 'whatsapp', 'whatsapp:+15550100001', 'm-1'),"
          " (10, 9, 1539353100, 'deleted', 'whatsapp', 'whatsapp:+15550100001', 'm-1'),"
          " (10, 3, 1539440000, 'received', 'whatsapp', 'whatsapp:+15550100001', 'm-2')")
# copies: m-1 on two accounts (a group message) and in two findings: 3
# distinct messages, 5 copies
for fid, acct, mid in (("F-2-000", "whatsapp:+15550100001", "m-1"),
                       ("F-2-000", "whatsapp:+15550100002", "m-1"),
                       ("F-2-001", "whatsapp:+15550100001", "m-2"),
                       ("F-2-002", "whatsapp:+15550100001", "m-3"),
                       ("F-2-002", "whatsapp:+15550100001", "m-1")):
    c.execute("INSERT INTO finding_copies (run_id, finding_id, account, message_id, ts, conversation_id)"
              " VALUES (2, ?, ?, ?, 1539353002, 'conv')", (fid, acct, mid))
# an earlier quarter, then none for 2021Q2
c.execute("INSERT INTO runs (run_id, as_of, quarter) VALUES (3, '2021-03-31', '2021Q1')")
c.execute("INSERT INTO findings SELECT 3, finding_id, type, class, severity, office, custodian_id,"
          " account, app, device_id, first_ts, last_ts, message_count, conversation_count, detail"
          " FROM findings WHERE run_id = 1 AND finding_id = 'F-1-000'")
c.commit()
EOF
# a NARA case covering the first deletion only
cat >"$T/case.ini" <<'EOF'
[case]
id = UD-2021-0001
[scope]
type = UNCAPTURED_DELETION
to = 2018-10-13
[addressee]
organization = National Archives and Records Administration
[signatory]
name = Evelyn Brandt
title = Agency Records Officer
EOF

run report findings --db "$DB" -o "$T/f.xlsx" --case "$T/case.ini"
t_eq "report findings exit" "$rc" 0
t_contains "said where" "$T/out" "report findings: wrote $T/f.xlsx"
t_eq "no temporary left" "$(ls "$T" | grep -c '\.tmp$')" 0
$DUMP "$T/f.xlsx" >"$T/dump" 2>"$T/dump.err"
t_eq "workbook reads back" "$?" 0
t_contains "sheets" "$T/dump" "sheets=Summary|Findings|Evidence|Inputs|Rules"
t_contains "findings header (spec 4.3, readable, UTC, custodian name)" "$T/dump" \
	"Findings!header=Finding|Type|Class|Severity|Office|Custodian ID|Custodian|Account|App|Device|First (UTC)|Last (UTC)|Messages|Conversations|Detail|NARA case|Evidence"
latest=$(sql "$DB" 'SELECT count(*) FROM findings WHERE run_id = 2')
t_eq "findings rows = DB (latest run)" "$(grep -c '^Findings!A[0-9]*=' "$T/dump")" "$((latest + 1))"
if "$UDAUDIT" findings --help >/dev/null 2>&1; then
	"$UDAUDIT" findings --db "$DB" --format csv >"$T/findings.csv" 2>/dev/null
	t_eq "findings rows = udaudit findings" "$(grep -c '^Findings!A[0-9]*=' "$T/dump")" \
		"$(wc -l <"$T/findings.csv" | tr -d ' ')"
fi
t_contains "autofilter" "$T/dump" "Findings!filter=A1:Q6"
t_contains "frozen header" "$T/dump" "Findings!freeze=A2"
t_contains "custodian name" "$T/dump" "Findings!G2=s:Alice Example"
t_contains "first_ts is a date" "$T/dump" "Findings!K2=d:2018-10-12 14:03:22"
t_contains "last_ts is a date" "$T/dump" "Findings!L3=d:2018-10-16 18:03:22"
t_contains "counts are numbers" "$T/dump" "Findings!M3=n:5"
t_contains "formula-looking detail stays text" "$T/dump" 'Findings!O2=s:=HYPERLINK("http://x","y")'
t_contains "actual first, then impending" "$T/dump" "Findings!A4=s:F-2-001"
t_contains "covered by the case" "$T/dump" "Findings!P2=s:UD-2021-0001"
t_contains "actual, no case: flagged" "$T/dump" "Findings!P3=s:not yet reported"
t_contains "impending, no case: flagged" "$T/dump" "Findings!P4=s:not yet reported"
t_not_contains "threatened: not flagged" "$T/dump" "Findings!P5=s:not yet reported"
t_contains "link to the evidence rows" "$T/dump" "Findings!link:Q2='Evidence'!A2"
t_contains "link: the next finding's rows" "$T/dump" "Findings!link:Q4='Evidence'!A4"
t_contains "no evidence: none" "$T/dump" "Findings!Q3=s:none"
t_contains "the link is a HYPERLINK formula holding the count" "$T/dump" \
	"Findings!Q2=f:=HYPERLINK(\"#'Evidence'!A2\",2)"
t_contains "... shown as rows" "$T/dump" 'Findings!numfmt:Q2=[=1]0" row";#,##0" rows"'
t_contains "a wrapped header: its row is taller" "$T/dump" "Summary!height:13="
t_contains "print: landscape, one page wide, header repeated" "$T/dump" \
	"Findings!print=landscape|fit=1:0|titles=\$1:\$1"
t_contains "numbers' headers right-aligned" "$T/dump" "Findings!align:M1=right"
t_contains "summary: agency row" "$T/dump" "Summary!A2=s:Agency"
t_contains "summary total" "$T/dump" "Summary!B6=n:5"
distinct=$(sql "$DB" 'SELECT count(DISTINCT message_id) FROM finding_copies WHERE run_id = 2')
copies=$(sql "$DB" 'SELECT count(*) FROM finding_copies WHERE run_id = 2')
t_eq "distinct messages in the DB (test data)" "$distinct|$copies" "3|5"
t_contains "messages affected = distinct message ids" "$T/dump" "Summary!B7=n:$distinct"
t_contains "copies beside it" "$T/dump" "Summary!B8=n:$copies"
t_contains "not yet reported: counted" "$T/dump" "Summary!B9=n:2"
t_contains "not yet reported: said" "$T/dump" \
	"Summary!C9=s:1 actual and 1 impending findings covered by no NARA case (1 case file): report them (36 CFR 1230.14)"
t_contains "summary by class: human label" "$T/dump" "Summary!A14=s:Actual"
t_contains "summary actual count" "$T/dump" "Summary!B14=n:2"
t_contains "class messages: distinct over its copies" "$T/dump" "Summary!C14=n:1"
t_contains "class copies" "$T/dump" "Summary!D14=n:2"
t_contains "class total row" "$T/dump" "Summary!A18=s:Total"
t_contains "class total: distinct, not a sum" "$T/dump" "Summary!C18=n:3"
t_contains "summary by type: the vocabulary's label" "$T/dump" "=s:Uncaptured deletion"
t_contains "summary by office" "$T/dump" "s:EOC"
t_contains "summary charts" "$T/dump" "Summary!charts=3"
t_contains "trend: a missing quarter said" "$T/dump" "=s:no analysis run for this quarter"
# new this quarter / all: Q1 1/1, Q2 missing, Q3 2/3 (F-1-000 seen in Q1), Q4 5/5
t_eq "trend: new findings of each quarter and the state" "$($PY -c '
import openpyxl, sys
ws = openpyxl.load_workbook(sys.argv[1])["Summary"]
rows = [r for r in ws.iter_rows(values_only=True) if r[0] in ("2021Q1", "2021Q2", "2021Q3", "2021Q4")]
print(" ".join("%s:%s/%s" % (r[0], r[2], r[7]) for r in rows))' "$T/f.xlsx")" \
	"2021Q1:1/1 2021Q2:no analysis run for this quarter/None 2021Q3:2/3 2021Q4:5/5"
t_contains "summary prints at a scale, blocks kept on a page" "$T/dump" "Summary!print=landscape|fit=-|titles=None|scale="
t_contains "evidence header" "$T/dump" "Evidence!header=Finding|Event|Message id|Time (UTC)|Input kind|Input path|Line"
t_contains "evidence: the event" "$T/dump" "Evidence!B2=s:sent"
t_contains "evidence: its message" "$T/dump" "Evidence!C2=s:m-1"
t_contains "evidence: its time" "$T/dump" "Evidence!D2=d:2018-10-12 14:03:22"
t_contains "evidence in Findings order" "$T/dump" "Evidence!A4=s:F-2-001"
t_eq "evidence rows = DB" "$(grep -c '^Evidence!A[0-9]*=' "$T/dump")" \
	"$(($(sql "$DB" 'SELECT count(*) FROM evidence WHERE run_id = 2') + 1))"
t_contains "inputs header (no loaded_at)" "$T/dump" "Inputs!header=Kind|Path|Size (bytes)|Records|Skipped|Ignored|SHA-256"
t_contains "inputs sha256" "$T/dump" "s:abababababababab"
t_contains "rules files" "$T/dump" "s:apps.ini"
t_contains "rules keys" "$T/dump" "s:^net\\.whatsapp"
t_contains "document date from the run" "$T/dump" "Summary!B4=d:2021-12-31 00:00:00"
unzip -p "$T/f.xlsx" docProps/core.xml >"$T/core.xml"
t_contains "docProps created = as_of" "$T/core.xml" "2021-12-31T00:00:00Z"

# ---- byte-identical: twice, a second apart ----
sleep 1.1
run report findings --db "$DB" -o "$T/f2.xlsx" --case "$T/case.ini"
t_ok "byte-identical findings workbook" cmp -s "$T/f.xlsx" "$T/f2.xlsx"
SOURCE_DATE_EPOCH=1700000000 "$UDAUDIT" report findings --db "$DB" -o "$T/s1.xlsx" >/dev/null
sleep 1.1
SOURCE_DATE_EPOCH=1700000000 "$UDAUDIT" report findings --db "$DB" -o "$T/s2.xlsx" >/dev/null
t_ok "byte-identical with SOURCE_DATE_EPOCH" cmp -s "$T/s1.xlsx" "$T/s2.xlsx"
unzip -p "$T/s1.xlsx" docProps/core.xml >"$T/core2.xml"
t_contains "SOURCE_DATE_EPOCH is the document date" "$T/core2.xml" "2023-11-14T22:13:20Z"

# ---- --as-of picks the run; a second quarter's run shows both quarters ----
run report findings --db "$DB" -o "$T/q3.xlsx" --as-of 2021-10-15
t_eq "as-of exit" "$rc" 0
$DUMP "$T/q3.xlsx" >"$T/dump3"
t_eq "as-of: the run before it" "$(grep -c '^Findings!A[0-9]*=' "$T/dump3")" 4
t_contains "as-of: its quarter" "$T/dump3" "Summary!B5=s:2021Q3"
t_contains "as-of: no case file, coverage not checked" "$T/dump3" "Summary!C9=s:not checked: no case file"
run report findings --db "$DB" -o "$T/none.xlsx" --as-of 2020-01-01
t_eq "no run before as-of: still a workbook" "$rc" 0
t_contains "no run: warned" "$T/err" "no analysis run on or before 2020-01-01"

# ---- --redact ----
run report findings --db "$DB" -o "$T/r.xlsx" --redact
t_eq "redact exit" "$rc" 0
$DUMP "$T/r.xlsx" >"$T/dumpr"
t_not_contains "no custodian name" "$T/dumpr" "Alice Example"
t_not_contains "no handle" "$T/dumpr" "15550100001"
t_not_contains "no custodian id" "$T/dumpr" "C-001"
t_contains "custodian pseudonym" "$T/dumpr" "Findings!F2=s:Custodian "
t_contains "account pseudonym keeps the app" "$T/dumpr" "Findings!H2=s:whatsapp:"
pseudo=$(grep '^Findings!F2=' "$T/dumpr" | sed 's/.*=s://')
acct=$(grep '^Findings!H2=' "$T/dumpr" | sed 's/.*=s://')
t_contains "the name in the detail is the same pseudonym" "$T/dumpr" "$pseudo ($acct"

# ---- errors ----
run report findings --db "$DB" -o "$T/no/such/dir/f.xlsx"
t_eq "unwritable output: exit 4" "$rc" 4
t_contains "unwritable output: message" "$T/err" "cannot write '$T/no/such/dir/f.xlsx.tmp'"
run report findings --db "$DB" -o "$T/x.xlsx" --as-of 2021-02-30
t_eq "bad --as-of: usage" "$rc" 2
run report pie --db "$DB" -o "$T/x.xlsx"
t_eq "unknown kind: usage" "$rc" 2
t_contains "unknown kind: lists kinds" "$T/err" "tracker"
run report findings -o "$T/x.xlsx"
t_eq "no --db: usage" "$rc" 2
run report findings --db "$T/missing.db" -o "$T/x.xlsx"
t_eq "missing DB: exit 4" "$rc" 4
# ---- more findings than Excel allows hyperlinks on a sheet (65,530) ----
# 70,000 findings, finding i with 1 + i % 3 evidence rows: each one links
# to its first evidence row (HYPERLINK formulas have no such limit)
N=70000
run tracker import --db "$T/big.db" --cases "$T/cases.csv"
$PY - "$T/big.db" "$N" <<'EOF'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
n = int(sys.argv[2])
c.execute("INSERT INTO runs (run_id, as_of, quarter) VALUES (1, '2021-09-30', '2021Q3')")
c.execute("INSERT INTO inputs (input_id, kind, path, size, sha256, records, loaded_at)"
          " VALUES (100, 'usage', 'usage.jsonl', 1, '00', 1, '2021-10-01T00:00:00Z')")
c.execute("""WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i < ?1 - 1)
INSERT INTO findings SELECT 1, printf('F%08d', i), 'UNCAPTURED_DELETION', 'actual', 'high',
 'EOC', 'C-1', 'whatsapp:+15550100001', 'whatsapp', 'D-1', 1539353002 + i, 1539353002 + i,
 1, 1, 'deleted' FROM k""", (n,))
c.execute("""WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i < ?1 - 1),
 j(x) AS (VALUES (0), (1), (2))
INSERT INTO evidence (run_id, finding_id, input_id, line, event, message_id, ts)
 SELECT 1, printf('F%08d', i), 100, i * 3 + x + 1, 'deleted', 'm', 1539353002 FROM k, j
 WHERE x <= i % 3""", (n,))
c.commit()
EOF
run report findings --db "$T/big.db" -o "$T/big.xlsx"
t_eq "70,000 findings: written" "$rc" 0
# the sheets' XML (openpyxl would take minutes on 210,000 rows)
$PY - "$T/big.xlsx" >"$T/big.links" <<'EOF'
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
def sheet(n):
    return z.read("xl/worksheets/sheet%d.xml" % n).decode()
assert re.search(r'<sheet name="Findings" sheetId="2"', z.read("xl/workbook.xml").decode())
fx, ev = sheet(2), sheet(3)
links = re.findall(r"<c r=\"Q(\d+)\"[^>]*><f>HYPERLINK\(\"#'Evidence'!A(\d+)\",(\d+)\)</f><v>(\d+)</v>", fx)
print("links", len(links))
cell = r'<c r="A(\d+)"[^>]*t="inlineStr"[^>]*><is><t>([^<]*)</t>'
first, ids = dict(re.findall(cell, ev)), dict(re.findall(cell, fx))
bad, at = 0, 2
for row, to, shown, cached in links:
    want = 1 + (int(row) - 2) % 3
    if int(to) != at or int(shown) != want or int(cached) != want or first.get(to) != ids.get(row):
        bad += 1
    at += want
print("bad", bad)
print("last", links[-1][0], links[-1][1], first.get(links[-1][1]))
EOF
t_contains "every finding links to its evidence" "$T/big.links" "links $N"
t_contains "... each to its own first row, with its count" "$T/big.links" "bad 0"
t_contains "... past 65,530" "$T/big.links" "last 70001 140000 F00069999"
t_done
