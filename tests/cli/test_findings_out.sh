# `udaudit findings` output that is safe to open and to print: CSV cells a
# spreadsheet would run as formulas are quoted (OWASP CSV injection), the
# table escapes terminal control sequences from the inputs and fits the
# width ($COLUMNS, else the terminal, else 160).
. tests/cli/lib.sh
S=$T/s
sample_audit "$S"
(cd "$S" && "$UDAUDIT" run samples/audit.ini >run.out 2>run.err); rc=$?
t_eq "sample run: exit 0" "$rc" 0
DB=$S/out/audit.db

# hostile values in the stored findings, as inputs could have put them there
id=$(sql "$DB" "SELECT finding_id FROM findings ORDER BY finding_id LIMIT 1")
python3 - "$DB" "$id" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("UPDATE findings SET office = '=HYPERLINK(\"http://x.example\")', custodian_id = '+C-1',"
           " account = '@acct', device_id = '-D', detail = '\tTab first \x1b[31mred\x1b[0m and \x07 bell'"
           " WHERE finding_id = ?", (sys.argv[2],))
db.commit()
PY

run findings --db "$DB" --format csv
t_eq "csv: exit" "$rc" 0
python3 - "$T/out" "$id" >"$T/cells" <<'PY'
import csv, sys
for row in csv.DictReader(open(sys.argv[1], newline='')):
    if row['finding_id'] == sys.argv[2]:
        for k in ('office', 'custodian_id', 'account', 'device_id', 'detail'):
            print(k, repr(row[k]))
PY
t_eq "csv: formula cells quoted" "$(cat "$T/cells")" "office '\\'=HYPERLINK(\"http://x.example\")'
custodian_id \"'+C-1\"
account \"'@acct\"
device_id \"'-D\"
detail \"'\\tTab first \\x1b[31mred\\x1b[0m and \\x07 bell\""
t_eq "csv: other cells as they are" "$(grep -c "^[0-9a-f]\{16\},'" "$T/out")" 0

# the table: no raw escape or control byte reaches the terminal
COLUMNS=100 "$UDAUDIT" findings --db "$DB" >"$T/table" 2>"$T/err"; rc=$?
t_eq "table: exit" "$rc" 0
t_eq "table: no ESC or BEL byte" "$(tr -d '\n' <"$T/table" | tr -dc '\033\007\t' | wc -c)" 0
t_contains "table: the escape shown" "$T/table" 'Tab first \x1b[31mred\x1b[0m and \x07 bell'
t_eq "table: <= 100 columns" "$(python3 -c 'import sys; print(max(len(l.rstrip("\n")) for l in open(sys.argv[1], encoding="utf-8")) <= 100)' "$T/table")" True
t_contains "table: office and custodian shown (narrow: second line)" "$T/table" 'office =HYPERLINK("http://x.example")  custodian +C-1'
t_contains "table: count" "$T/table" "37 findings"

COLUMNS=200 "$UDAUDIT" findings --db "$DB" >"$T/wide" 2>&1
t_contains "wide table: office and custodian columns" "$T/wide" "FINDING          CLASS      TYPE                OFFICE"
t_eq "wide table: <= 200 columns" "$(python3 -c 'import sys; print(max(len(l.rstrip("\n")) for l in open(sys.argv[1], encoding="utf-8")) <= 200)' "$T/wide")" True
t_eq "wide table: a row per finding, a detail line under it" "$(grep -c '^[0-9a-f]\{16\} ' "$T/wide")" 37

# not a terminal, no COLUMNS: 160 (documented default)
env -u COLUMNS "$UDAUDIT" findings --db "$DB" >"$T/def" 2>&1
t_eq "default width: <= 160" "$(python3 -c 'import sys; print(max(len(l.rstrip("\n")) for l in open(sys.argv[1], encoding="utf-8")) <= 160)' "$T/def")" True
t_contains "default width: wide layout" "$T/def" "CUSTODIAN"

# diagnostics: a value from an input with an escape sequence is shown escaped
printf 'custodian_id,office,account,app,role,approved_on\nC-1,Ops,whatsapp:+1,whatsapp,standard,2021\033[2J\n' >"$T/acc.csv"
run ingest --db "$T/x.db" accounts "$T/acc.csv"
t_eq "diag: no ESC byte on stderr" "$(tr -dc '\033' <"$T/err" | wc -c)" 0
t_contains "diag: the value escaped" "$T/err" "'2021\x1b[2J'"

t_done
