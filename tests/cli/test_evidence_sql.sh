# What each evidence row records (event, message id, time, day) is written
# by the pass that read its line; for an input whose lines came out of
# order, or a line in two tables, analyze resolves it afterwards by an SQL
# join instead (src/analyze/evidence.c). Two implementations of one fact:
# UDAUDIT_TEST_EVIDENCE_SQL has the join resolve every row, and the rows
# must be the same, on the sample audit (usage, the compliance store,
# WhatsApp and Wickr exports, devices, accounts) and on a generated one.
. tests/cli/lib.sh
BENCH=${BENCH:-build/bench}
EV="SELECT f.type, e.finding_id, e.input_id, e.line, e.event, e.message_id, e.ts, e.day
 FROM evidence e JOIN findings f ON f.run_id = e.run_id AND f.finding_id = e.finding_id
 ORDER BY 1, 2, 3, 4"

# compare DB AS_OF LABEL: analyze twice, the scans' facts and the join's
compare() {
	"$UDAUDIT" -q analyze --db "$1" --as-of "$2" --rules rules >/dev/null 2>"$T/a1.err"
	t_eq "$3: analyze exit 0" "$?" 0
	sql "$1" "$EV" >"$T/scans.txt"
	UDAUDIT_TEST_EVIDENCE_SQL=1 "$UDAUDIT" -q analyze --db "$1" --as-of "$2" --rules rules \
		>/dev/null 2>"$T/a2.err"
	t_eq "$3: analyze by SQL exit 0" "$?" 0
	sql "$1" "$EV" >"$T/sql.txt"
	n=$(wc -l <"$T/scans.txt")
	t_ok "$3: evidence rows ($n)" test "$n" -gt 0
	t_ok "$3: every row has its event" test "$(grep -c '^[^|]*|[^|]*|[^|]*|[^|]*||' "$T/scans.txt")" = 0
	if cmp -s "$T/scans.txt" "$T/sql.txt"; then
		t_ok "$3: the join gives the scans' rows" true
	else
		t_ok "$3: the join gives the scans' rows" false
		diff "$T/scans.txt" "$T/sql.txt" | head -20 >&2
	fi
}

sample_audit "$T/s"
(cd "$T/s" && "$UDAUDIT" -q run samples/audit.ini >run.out 2>run.err); rc=$?
t_eq "sample run exit 0" "$rc" 0
compare "$T/s/out/audit.db" 2021-09-24 "sample audit"

t_ok "bench generator built" test -x "$BENCH"
mkdir -p "$T/g"
"$BENCH" gen 20000 "$T/g" >"$T/gen.out" 2>&1
t_eq "generate 20,000 events" "$?" 0
DB=$T/g.db
for k in accounts devices device-apps; do
	"$UDAUDIT" -q ingest --db "$DB" "$k" "$T/g/$(echo $k | tr - _).csv" >/dev/null 2>&1
done
"$UDAUDIT" -q ingest --db "$DB" usage "$T/g/usage.jsonl" >/dev/null 2>&1
"$UDAUDIT" -q ingest --db "$DB" compliance "$T/g/compliance.sqlite" >/dev/null 2>&1
compare "$DB" 2021-09-30 "generated audit"
t_done
