# Both workbooks of the sample audit read back with openpyxl (issue 11):
# what no NARA case covers yet (six actual and two impending, in `run`'s
# output, the Summary and the Findings sheet), distinct messages equal to
# the audit DB's, the tracker's standing, and the layout rules of both
# workbooks (frozen header, autofilter, print setup, row heights) on every
# table sheet. Runs on a copy, so nothing is written into the tree.
. tests/cli/lib.sh
PY=/usr/bin/python3
sample_audit "$T"
(cd "$T" && "$UDAUDIT" run samples/audit.ini >run.out 2>run.err); rc=$?
t_eq "run exit 0" "$rc" 0
DB=$T/out/audit.db
F=$T/out/2021Q3-findings.xlsx
K=$T/out/2021Q3-tracker.xlsx
t_contains "run says what is not yet reported" "$T/run.out" \
	"not yet reported to NARA: 6 actual and 2 impending findings covered by no NARA case (1 case file): report them (36 CFR 1230.14)"
$PY tests/cli/xlsx_dump.py "$F" >"$T/f.dump"
$PY tests/cli/xlsx_dump.py "$K" >"$T/k.dump"
t_contains "summary: agency" "$T/f.dump" "Summary!B2=s:Example Agency"
t_contains "summary: component" "$T/f.dump" "Summary!B3=s:Office of Field Operations"
t_contains "summary: not yet reported" "$T/f.dump" "Summary!B9=n:8"
t_eq "findings sheet: eight not yet reported" "$(grep -c '^Findings!P[0-9]*=s:not yet reported$' "$T/f.dump")" 8
t_eq "... six of them actual" "$($PY -c '
import openpyxl, sys
ws = openpyxl.load_workbook(sys.argv[1])["Findings"]
print(sum(1 for r in ws.iter_rows(min_row=2, values_only=True) if r[15] == "not yet reported" and r[2] == "actual"))' "$F")" 6
distinct=$(sql "$DB" "SELECT count(DISTINCT message_id) FROM finding_copies WHERE run_id = (SELECT max(run_id) FROM runs)")
copies=$(sql "$DB" "SELECT count(*) FROM finding_copies WHERE run_id = (SELECT max(run_id) FROM runs)")
t_contains "messages affected = distinct message ids of the DB" "$T/f.dump" "Summary!B7=n:$distinct"
t_contains "copies = the DB's" "$T/f.dump" "Summary!B8=n:$copies"
t_eq "messages by class add up to no more than copies" "$($PY -c '
import openpyxl, sys
ws = openpyxl.load_workbook(sys.argv[1])["Summary"]
rows = {r[0]: r for r in ws.iter_rows(values_only=True) if r[0] in ("Actual", "Total")}
print(rows["Total"][2] <= rows["Total"][3])' "$F")" True
t_contains "tracker: awaiting closure" "$T/k.dump" "Recommendations!Q6=s:awaiting closure"
t_contains "tracker: dated by the audit" "$T/k.dump" "Summary!B2=d:2021-09-24 00:00:00"
t_contains "tracker: counted once" "$T/k.dump" "Summary!A15=s:Total overdue (each item once)"

# every table sheet: frozen header, autofilter, printed landscape with the
# header repeated; wrapped rows have a height
$PY - "$F" "$K" >"$T/layout" <<'PY'
import sys, openpyxl
for path in sys.argv[1:]:
    wb = openpyxl.load_workbook(path)
    for ws in wb:
        if ws.title in ("Summary", "Rules"):
            continue
        ok = (ws.freeze_panes == "A2" and ws.auto_filter.ref and ws.page_setup.orientation == "landscape"
              and ws.print_title_rows == "$1:$1" and ws.sheet_properties.pageSetUpPr.fitToPage)
        print("%s %s" % (ws.title, "ok" if ok else "BAD"))
        for row in ws.iter_rows(min_row=1):
            for c in row:
                if c.alignment.wrap_text and isinstance(c.value, str) and len(c.value) > 2 * (ws.column_dimensions[c.column_letter].width or 8):
                    h = ws.row_dimensions[c.row].height
                    if not h or h < 30:
                        print("%s %s short row %s" % (ws.title, c.coordinate, h))
PY
t_not_contains "layout on every table sheet" "$T/layout" "BAD"
t_not_contains "wrapped text gets a tall row" "$T/layout" "short row"
t_eq "table sheets checked" "$(grep -c " ok$" "$T/layout")" 10
# the Rules sheet: its table (the rule keys) comes below the pack table;
# that header is frozen, filtered and repeated on every page
$PY - "$F" >"$T/rules.chk" <<'PY'
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])["Rules"]
hdr = [c.row for c in ws["A"] if c.value == "File"][-1]
last = max(c.row for c in ws["A"] if c.value is not None)
print("header", [c.value for c in ws[hdr]])
print("freeze", ws.freeze_panes == "A%d" % (hdr + 1))
print("filter", ws.auto_filter.ref == "A%d:E%d" % (hdr, last))
print("titles", ws.print_title_rows == "$%d:$%d" % (hdr, hdr))
print("print", ws.page_setup.orientation, bool(ws.sheet_properties.pageSetUpPr.fitToPage), ws.page_setup.fitToHeight)
print("packs", [(r[0].value, r[3].value[:8]) for r in ws.iter_rows(min_row=5, max_row=hdr - 2)])
PY
t_contains "rules: key table header" "$T/rules.chk" "header ['File', 'Line', 'Section', 'Key', 'Value']"
t_contains "rules: frozen under it" "$T/rules.chk" "freeze True"
t_contains "rules: autofilter over the keys" "$T/rules.chk" "filter True"
t_contains "rules: header on every page" "$T/rules.chk" "titles True"
t_contains "rules: landscape, one page wide" "$T/rules.chk" "print landscape True 0"
t_contains "rules: the packs, their digests beside" "$T/rules.chk" \
	"packs [('apps.ini', '5d85597a'), ('exclusions.ini', '5e6a2722'), ('retention.ini', '6f193381')]"
t_done
