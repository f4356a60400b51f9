# The incident report at scale (issue #10): a case of every finding of a
# generated 1 M-event audit (build/bench gen, as make bench) is a letter of
# at most 12 pages, and every number it prints is still exact: checked
# against `udaudit findings --format csv` and the audit DB. The audit takes
# minutes under the sanitizers, so that pass skips it (said).
. tests/cli/lib.sh
BENCH=${BENCH:-build/bench}
N=${SCALE_EVENTS:-1000000}
if [ "${TEST_LABEL:-plain}" != plain ]; then
	echo "skipped: the $N-event audit runs in the plain pass only (TEST_LABEL=$TEST_LABEL)"
	t_done
	exit 0
fi
t_ok "bench generator built" test -x "$BENCH"
D=$T/gen
mkdir -p "$D"
"$BENCH" gen "$N" "$D" >"$T/gen.out" 2>&1
t_eq "generate $N events" "$?" 0
DB=$T/a.db
for k in accounts devices device-apps; do
	"$UDAUDIT" -q ingest --db "$DB" "$k" "$D/$(echo $k | tr - _).csv" >/dev/null 2>>"$T/ingest.err"
done
"$UDAUDIT" -q ingest --db "$DB" usage "$D/usage.jsonl" >/dev/null 2>>"$T/ingest.err"
"$UDAUDIT" -q ingest --db "$DB" compliance "$D/compliance.sqlite" >/dev/null 2>>"$T/ingest.err"
"$UDAUDIT" -q analyze --db "$DB" --as-of 2021-09-30 --rules rules >/dev/null 2>"$T/analyze.err"
t_eq "analyze exit" "$?" 0
cat >"$T/all.ini" <<'INI'
[case]
id = UD-2021-0100
title = Every finding of the generated audit
opened_on = 2021-09-01
[scope]
class = actual
class = impending
class = threatened
class = policy
[addressee]
organization = National Archives and Records Administration
[signatory]
name = Test Signer
title = Agency Records Officer
INI
# analyze names no agency (run takes it from audit.ini): the letterhead's
mkdir -p "$T/rep" && cp reports/*.ini "$T/rep/"
sed -i 's/^\[letterhead\]$/[letterhead]\nagency = Bench Agency/' "$T/rep/incident.ini"
run report incident --db "$DB" --case "$T/all.ini" -o "$T/all.pdf" --reports "$T/rep"
t_eq "report exit" "$rc" 0
pages=$(pdfinfo "$T/all.pdf" | sed -n 's/^Pages: *//p')
t_ok "a letter of at most 12 pages ($pages)" test "$pages" -le 12
pdftotext -layout "$T/all.pdf" "$T/all.txt"
pdftotext "$T/all.pdf" - | tr '\n' ' ' | tr -s ' ' >"$T/flat.txt"

# the figures, from `udaudit findings` and the DB
"$UDAUDIT" findings --db "$DB" --format csv >"$T/f.csv"
num() { printf "%s" "$1" | sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/' -e 'ta'; }
csvsum() { awk -F, -v t="$1" 'NR > 1 && (t == "" || index(t, "|" $2 "|")) { s += $12 } END { print s + 0 }' "$T/f.csv"; }
MSG='|UNCAPTURED_DELETION|DEVICE_LOSS|ACCOUNT_DELETION|CAPTURE_GAP|NOT_FORWARDED|LATE_FORWARD|'
nf=$(($(wc -l <"$T/f.csv") - 1))
copies=$(csvsum "$MSG")
rows=$(csvsum '|EARLY_PURGE|RETENTION_SHORTFALL|')
msgs=$(sql "$DB" "SELECT count(DISTINCT message_id) FROM finding_copies")
t_eq "finding_copies = the message findings' message_count" "$(sql "$DB" "SELECT count(*) FROM finding_copies")" "$copies"
t_ok "a large case ($nf findings)" test "$nf" -gt 5000
t_contains "intro: findings, copies, messages" "$T/flat.txt" \
	"$(num "$nf") findings of that audit, covering $(num "$copies") message copies of $(num "$msgs") messages"
t_contains "store rows said apart" "$T/flat.txt" "In addition, $(num "$rows") messages kept in the compliance store"
if grep -Eq "^Total \(messages counted once\) +$(num "$nf") +$(num "$copies") +$(num "$msgs") *$" "$T/all.txt"; then
	t_pass=$((t_pass + 1)); else _t_fail "totals row: $nf $copies $msgs"; fi
# table 1.1: per type and class, the findings of `udaudit findings`
awk -F, 'NR > 1 { n[$2 "," $3]++ } END { for (k in n) print k "," n[k] }' "$T/f.csv" >"$T/by_type"
bad=0
while IFS=, read -r ty cl n; do
	label=$(grep -F "$ty" <<-'L' | cut -d'|' -f2
	UNCAPTURED_DELETION|Uncaptured deletion
	DEVICE_LOSS|Device loss
	ACCOUNT_DELETION|Account deletion
	CAPTURE_GAP|Capture gap
	NOT_FORWARDED|Not forwarded
	LATE_FORWARD|Late forward
	EARLY_PURGE|Early purge
	RETENTION_SHORTFALL|Retention shortfall
	CAPTURE_OUTAGE|Capture outage
	EPHEMERAL_ENABLED|Ephemeral messaging enabled
	PROHIBITED_APP|Prohibited app
	UNAPPROVED_APP|Unapproved app
	L
	)
	[ "$ty,$cl" = "ACCOUNT_DELETION,impending" ] && label="Account scheduled for deletion"
	grep -Eq "^$label +$cl +$(num "$n")( |$)" "$T/all.txt" || { bad=$((bad + 1)); echo "type row $ty $cl $n" >&2; }
done <"$T/by_type"
t_eq "every type row exact" "$bad" 0
# salvage: the places add up to the affected messages
surv=$(sed -n 's/.*Survive in at least one place (each message counted once) *\([0-9,]*\).*/\1/p' "$T/all.txt" | tr -d ,)
lost=$(sed -n 's/.*Not known to survive anywhere *\([0-9,]*\).*/\1/p' "$T/all.txt" | tr -d ,)
t_eq "salvage: surviving + lost = messages" "$((surv + lost))" "$msgs"
t_eq "salvage: surviving (SQL)" "$surv" "$(sql "$DB" "SELECT count(*) FROM (SELECT message_id FROM finding_copies GROUP BY message_id HAVING max(survives) > 0)")"
# the sections cut their lists and send the reader to Enclosure A
t_contains "top rows, then the rest in the workbook" "$T/flat.txt" "$(num $((nf - 25))) more findings, in the workbook"
t_contains "enclosure A holds every finding" "$T/flat.txt" "UD-2021-0100-enclosure-a.xlsx"
t_eq "every finding in the enclosure" "$(/usr/bin/python3 tests/cli/xlsx_dump.py "$T/UD-2021-0100-enclosure-a.xlsx" | grep -c '^Affected records!A[0-9]*=')" $((nf + 1))
t_not_contains "no '-' in the prose" "$T/flat.txt" " - "
t_ok "qpdf --check" sh -c "qpdf --check '$T/all.pdf' >/dev/null 2>&1"
t_done
