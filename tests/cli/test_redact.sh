# --redact and [output] redact = yes (issue #10): run writes a redacted copy
# beside every report; no name, handle, phone number or e-mail address of
# the sample inputs (accounts, usage, exports, Wickr files, tracker, case
# file: tests/cli/redact_terms.py) is left in any of them, read as PDF text
# (pdftotext, and the document info) and as the XLSX XML; the internal
# copies still have them (so the check can fail); readable pseudonyms, the
# "Redacted copy" mark, and a manifest whose digests still verify.
. tests/cli/lib.sh
PY=/usr/bin/python3

W=$T/w
sample_audit "$W"
sed -i 's/^\[output\]$/[output]\nredact = yes/' "$W/samples/audit.ini"
"$UDAUDIT" run "$W/samples/audit.ini" >"$T/run.out" 2>"$T/run.err"
t_eq "run exit" "$?" 0
O=$W/out
for f in UD-2019-0001-incident UD-2019-0001-status 2021Q3-findings 2021Q3-tracker; do
	ext=pdf
	case $f in 2021*) ext=xlsx ;; esac
	t_ok "internal $f" test -s "$O/$f.$ext"
	t_ok "redacted $f" test -s "$O/$f-redacted.$ext"
	t_contains "run names the redacted $f" "$T/run.out" "redacted copy   $O/$f-redacted.$ext"
done

$PY tests/cli/redact_terms.py "$W/samples" >"$T/terms"
t_ok "terms found" test "$(wc -l <"$T/terms")" -gt 80
# the text of each file: PDF text and info, XLSX parts
text_of() {
	case $1 in
	*.pdf) pdftotext "$1" -; pdfinfo "$1" ;;
	*.xlsx) unzip -p "$1" ;;
	esac
}
for f in "$O"/*-redacted*; do
	text_of "$f" >"$T/r.txt"
	grep -o -w -F -f "$T/terms" "$T/r.txt" | sort -u >"$T/leaks"
	t_eq "no personal data in $(basename "$f")" "$(tr '\n' ' ' <"$T/leaks")" ""
done
# the check can fail: the internal copies name people
for f in UD-2019-0001-incident.pdf UD-2019-0001-status.pdf 2021Q3-findings.xlsx 2021Q3-tracker.xlsx; do
	text_of "$O/$f" >"$T/i.txt"
	t_ok "internal $f has names" test "$(grep -o -w -F -f "$T/terms" "$T/i.txt" | sort -u | wc -l)" -gt 0
done

# readable pseudonyms, the same in every copy
pdftotext "$O/UD-2019-0001-incident-redacted.pdf" - | tr '\n' ' ' | tr -s ' ' >"$T/inc.txt"
pdftotext "$O/UD-2019-0001-status-redacted.pdf" - | tr '\n' ' ' | tr -s ' ' >"$T/st.txt"
t_contains "mark on page 1" "$T/inc.txt" "Redacted copy. Names, accounts, phone numbers"
t_contains "custodians" "$T/inc.txt" "Custodian A"
t_contains "accounts keep the app" "$T/inc.txt" "whatsapp:B-1"
t_contains "the note of a tracker update" "$T/st.txt" "exported by Custodian B"
t_contains "an official" "$T/st.txt" "Official "
# NARA's addressee is no agency official: a pseudonym of its own
t_contains "addressee" "$T/inc.txt" "Dear Addressee:"
t_contains "addressee in the legend" "$T/inc.txt" "Addressee for the addressee"
t_eq "status letter's addressee" "$(grep -c 'Dear Addressee:' "$T/st.txt")" 1
t_contains "pdf title" "$(pdfinfo "$O/UD-2019-0001-incident-redacted.pdf" >"$T/info"; echo "$T/info")" "(Redacted copy)"
t_contains "running header" "$T/inc.txt" "Redacted copy · Unauthorized disposition report"
unzip -p "$O/2021Q3-findings-redacted.xlsx" docProps/core.xml >"$T/core.xml"
t_contains "xlsx title" "$T/core.xml" "Findings workbook (Redacted copy)"
unzip -p "$O/2021Q3-tracker-redacted.xlsx" docProps/core.xml >"$T/core2.xml"
t_contains "tracker xlsx title" "$T/core2.xml" "Corrective-action tracker (Redacted copy)"

# the manifest: names replaced, digests kept and verifiable
t_contains "manifest note" "$T/inc.txt" "the file names of the inputs are replaced"
t_contains "... the rule packs keep theirs, which name no one" "$T/inc.txt" "the rule packs keep theirs, which name no one"
t_contains "manifest file name" "$T/inc.txt" "input-7.txt"
sha=$(sha256sum "$W/samples/exports/natarajan-castillo.txt" | cut -c1-64)
t_contains "digest of the renamed file kept, on one line" "$T/inc.txt" "$sha"
unzip -p "$O/2021Q3-findings-redacted.xlsx" >"$T/inputs.xml"
t_contains "workbook manifest digest" "$T/inputs.xml" "$sha"
t_contains "workbook manifest note" "$T/inputs.xml" "file names are replaced"

# same bytes twice
"$UDAUDIT" report incident --db "$O/audit.db" --case "$W/samples/cases/UD-2019-0001.ini" \
	-o "$T/again.pdf" --redact >/dev/null 2>&1
t_ok "redacted incident: same bytes as run's" cmp -s "$T/again.pdf" "$O/UD-2019-0001-incident-redacted.pdf"

# bad value
sed 's/^redact = yes/redact = maybe/' "$W/samples/audit.ini" >"$W/samples/bad.ini"
run run "$W/samples/bad.ini"
t_eq "bad redact value: exit 3" "$rc" 3
t_contains "bad redact value: file:line" "$T/err" "bad.ini:"
t_contains "bad redact value: message" "$T/err" "bad value 'maybe' for 'redact' (expected yes or no)"
# the Data quality sheet: its values are accounts (an account seen only
# in usage, one only in the compliance store), files and lines; redacted
# like every cell (the internal copy has them, so the check can fail)
Q=$T/q
sample_audit "$Q"
sed -i 's/^\[output\]$/[output]\nredact = yes/' "$Q/samples/audit.ini"
echo '{"ts":"2021-08-02T15:04:05Z","app":"whatsapp","account":"whatsapp:+15559990123","device_id":"D-0001","event":"sent","message_id":"wa-zz-1","conversation_id":"wa-conv-zz","peer":"+15559990177"}' >>"$Q/samples/usage.jsonl"
"$UDAUDIT" run "$Q/samples/audit.ini" >"$T/q.out" 2>"$T/q.err"
t_eq "run with an account only in usage" "$?" 0
$PY tests/cli/redact_terms.py "$Q/samples" >"$T/qterms"
t_contains "the usage-only handle is a term" "$T/qterms" "+15559990123"
quality() { $PY tests/cli/xlsx_dump.py "$1" | grep '^Data quality!' | sed 's/^[^=]*=[a-z]://'; }
quality "$Q/out/2021Q3-findings-redacted.xlsx" >"$T/q.red"
quality "$Q/out/2021Q3-findings.xlsx" >"$T/q.int"
t_eq "Data quality: the same rows" "$(grep -c '^unknown_account$' "$T/q.red")" 2
t_eq "Data quality, internal: the usage-only account" "$(grep -c -x 'whatsapp:+15559990123' "$T/q.int")" 1
t_ok "Data quality, internal: names people" test "$(grep -o -w -F -f "$T/qterms" "$T/q.int" | sort -u | wc -l)" -gt 0
t_eq "Data quality, redacted: no name, handle or number" \
	"$(grep -o -w -F -f "$T/qterms" "$T/q.red" | sort -u | tr '\n' ' ')" ""
t_contains "Data quality, redacted: the account's pseudonym" "$T/q.red" "whatsapp:Counterpart"
t_done
