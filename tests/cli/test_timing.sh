# UDAUDIT_TIMING=1: run prints the wall and CPU seconds of each of its
# phases on stderr (each input's hashing and load, the cross-file checks,
# analyze's phases, each report), and nothing else changes; unset, none.
# Only that the lines are there and well formed: no time is asserted.
. tests/cli/lib.sh
sample_audit "$T"
(cd "$T" && UDAUDIT_TIMING=1 "$UDAUDIT" run samples/audit.ini >run.out 2>run.err); rc=$?
t_eq "run exit 0" "$rc" 0
for p in "run: config and rules" "run: open audit DB" "ingest accounts: hash" \
	"ingest accounts: load" "ingest accounts: commit" "ingest usage: load" \
	"ingest usage:   read (thread)" "ingest usage:   insert" "ingest compliance: load" \
	"ingest compliance:   read (thread)" "ingest compliance: commit" \
	"run: cross-file checks" "analyze: store scan" "analyze: usage scan" \
	"analyze: message findings" "analyze: commit" "run: summary and coverage" \
	"run: 2021Q3-findings.xlsx" "run: 2021Q3-tracker.xlsx" "run: UD-2019-0001-incident.pdf" \
	"run: close"; do
	t_ok "phase '$p' printed once" test "$(grep -c "^udaudit: $p  *[0-9.]* s  cpu  *[0-9.]* s\$" "$T/run.err")" = 1
done
# the parts of a phase follow its line
t_eq "usage's parts after its load" "$(grep -A2 '^udaudit: ingest usage: load ' "$T/run.err" |
	sed 's/  *[0-9.]* s  cpu.*//')" "udaudit: ingest usage: load
udaudit: ingest usage:   read (thread)
udaudit: ingest usage:   insert"

# the same run without it: the same output, no phase
rm -rf "$T/out"
(cd "$T" && "$UDAUDIT" run samples/audit.ini >run2.out 2>run2.err); rc=$?
t_eq "run without timing: exit 0" "$rc" 0
t_eq "the same output" "$(diff "$T/run.out" "$T/run2.out")" ""
t_eq "no phase printed" "$(grep -c ' s  cpu ' "$T/run2.err")" 0
t_eq "the other messages the same" "$(grep -v ' s  cpu ' "$T/run.err" | diff - "$T/run2.err")" ""

# analyze alone: its cross-file checks and phases
(cd "$T" && UDAUDIT_TIMING=1 "$UDAUDIT" analyze --db out/audit.db --rules rules >an.out 2>an.err); rc=$?
t_eq "analyze exit 0" "$rc" 0
t_contains "analyze: cross-file checks" "$T/an.err" "udaudit: analyze: cross-file checks"
t_contains "analyze: other findings" "$T/an.err" "udaudit: analyze: other findings"
t_done
