# The findings workbook's Evidence sheet is written on a thread of its own
# (issue #15): the workbook is byte for byte the one written on one thread
# (UDAUDIT_THREADS=0), redacted or not; and when the evidence passes
# Excel's last row it goes on in "Evidence (2)", added after the other
# sheets, with each finding's link pointing at its first row there. The
# million-row audit runs in the plain pass only (said).
. tests/cli/lib.sh
PY=/usr/bin/python3

# ---- the sample audit: threads or not, the same bytes ----
sample_audit "$T/s"
(cd "$T/s" && "$UDAUDIT" -q run samples/audit.ini >run.out 2>run.err); rc=$?
t_eq "sample run exit 0" "$rc" 0
DB=$T/s/out/audit.db
for redact in "" --redact; do
	run report findings --db "$DB" -o "$T/t.xlsx" $redact
	t_eq "report findings $redact: exit 0" "$rc" 0
	UDAUDIT_THREADS=0 "$UDAUDIT" report findings --db "$DB" -o "$T/one.xlsx" $redact \
		>/dev/null 2>&1
	t_ok "report findings $redact: one thread, the same bytes" cmp -s "$T/t.xlsx" "$T/one.xlsx"
done
# the sheet was written on its thread (UDAUDIT_TIMING names its part), and
# with UDAUDIT_THREADS=0 on the main one
(cd "$T/s" && rm -rf out && UDAUDIT_TIMING=1 "$UDAUDIT" -q run samples/audit.ini >/dev/null 2>timing.err)
t_contains "run: the Evidence sheet on its own thread" "$T/s/timing.err" "Evidence sheet (thread)"
(cd "$T/s" && rm -rf out && UDAUDIT_THREADS=0 UDAUDIT_TIMING=1 "$UDAUDIT" -q run samples/audit.ini \
	>/dev/null 2>timing0.err)
t_not_contains "... not with UDAUDIT_THREADS=0" "$T/s/timing0.err" "Evidence sheet (thread)"
t_contains "... which still writes the workbook" "$T/s/timing0.err" "findings.xlsx"
$PY tests/cli/xlsx_dump.py "$T/t.xlsx" >"$T/t.dump"
t_contains "the sheets in their order" "$T/t.dump" \
	"sheets=Summary|Findings|Evidence|Inputs|Rules|Data quality"
ev=$(sql "$DB" "SELECT count(*) FROM evidence WHERE run_id = (SELECT max(run_id) FROM runs)")
t_contains "every evidence row" "$T/t.dump" "Evidence!rows=$((ev + 1))"

if [ "${TEST_LABEL:-plain}" != plain ]; then
	echo "skipped: the million-row Evidence sheet is built in the plain pass only" \
		"(TEST_LABEL=$TEST_LABEL)"
	t_done
	exit 0
fi

# ---- past Excel's last row: three findings, F1 with 1,048,574 evidence
# rows (the first part holds 1,048,575 below its header), F2 with 3 (its
# first row is the part's last), F3 with 2 ----
BIG=$T/big.db
printf 'case_id,status\nUD-2021-0001,Open\n' >"$T/cases.csv"
run tracker import --db "$BIG" --cases "$T/cases.csv"
$PY - "$BIG" <<'EOF'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("INSERT INTO runs (run_id, as_of, quarter) VALUES (1, '2021-09-30', '2021Q3')")
c.execute("INSERT INTO inputs (input_id, kind, path, size, sha256, records, loaded_at)"
          " VALUES (100, 'usage', 'usage.jsonl', 1, '00', 1, '2021-10-01T00:00:00Z')")
for fid, n in (("F1", 1048574), ("F2", 3), ("F3", 2)):
    c.execute("INSERT INTO findings VALUES (1, ?, 'UNCAPTURED_DELETION', 'actual', 'high', 'EOC',"
              " 'C-1', 'whatsapp:+15550100001', 'whatsapp', 'D-1', 1539353002, 1539353002, ?, 1,"
              " 'deleted')", (fid, n))
    c.execute("""WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < ?2)
    INSERT INTO evidence (run_id, finding_id, input_id, line, event, message_id, ts)
     SELECT 1, ?1, 100, i, 'deleted', ?1 || '-' || i, 1539353002 + i FROM k""", (fid, n))
c.commit()
EOF
run report findings --db "$BIG" -o "$T/big.xlsx"
t_eq "1,048,579 evidence rows: written" "$rc" 0
UDAUDIT_THREADS=0 "$UDAUDIT" report findings --db "$BIG" -o "$T/big1.xlsx" >/dev/null 2>&1
t_ok "... one thread, the same bytes" cmp -s "$T/big.xlsx" "$T/big1.xlsx"
# the sheets' XML (openpyxl would take minutes on a million rows)
$PY - "$T/big.xlsx" >"$T/big.out" <<'EOF'
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
names = re.findall(r'<sheet name="([^"]*)"', z.read("xl/workbook.xml").decode())
print("sheets=" + "|".join(names))
def sheet(n):
    return z.read("xl/worksheets/sheet%d.xml" % n).decode()
fx, ev1, ev2 = sheet(2), sheet(3), sheet(names.index("Evidence (2)") + 1)
for row, to in re.findall(r"<c r=\"Q(\d+)\"[^>]*><f>HYPERLINK\(\"#([^\"]*)\"", fx):
    print("link %s %s" % (row, to))
cell = r'<c r="C(\d+)"[^>]*t="inlineStr"[^>]*><is><t>([^<]*)</t>'
last = re.findall(cell, ev1)[-1]
print("Evidence last C%s %s" % last)
print("Evidence (2) " + " ".join("C%s=%s" % c for c in re.findall(cell, ev2)))
EOF
t_contains "Evidence (2) comes after the other sheets" "$T/big.out" \
	"sheets=Summary|Findings|Evidence|Inputs|Rules|Data quality|Evidence (2)"
t_contains "F1 links to the first part's first row" "$T/big.out" "link 2 'Evidence'!A2"
t_contains "F2 to its last" "$T/big.out" "link 3 'Evidence'!A1048576"
t_contains "F3 to the second part" "$T/big.out" "link 4 'Evidence (2)'!A4"
t_contains "the first part ends with F2's first row" "$T/big.out" "Evidence last C1048576 F2-1"
t_contains "the second holds the rest, in order" "$T/big.out" \
	"Evidence (2) C1=Message id C2=F2-2 C3=F2-3 C4=F3-1 C5=F3-2"
t_done
