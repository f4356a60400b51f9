# Enumerated values in any case (issue 12): finding types and classes in
# `findings --type/--class`, `--fail-on` and case files select the same
# findings as the canonical spelling; an unknown one lists the valid values
# and names the nearest. [tracker] paths are stored as written in audit.ini,
# the same from any folder, like [inputs].
. tests/cli/lib.sh

S=$T/s
sample_audit "$S"
(cd "$S" && "$UDAUDIT" run -q samples/audit.ini >run.out 2>run.err); rc=$?
t_eq "sample run: exit" "$rc" 0
DB=$S/out/audit.db

# findings --type / --class in any case
run findings --db "$DB" --format csv --type DEVICE_LOSS --class actual
t_eq "canonical: exit" "$rc" 0
cp "$T/out" "$T/canonical.csv"
t_eq "canonical: one DEVICE_LOSS finding" "$(($(wc -l <"$T/canonical.csv") - 1))" 1
run findings --db "$DB" --format csv --type device_loss --class Actual
t_eq "any case: exit" "$rc" 0
t_eq "any case: the same findings" "$(cat "$T/out")" "$(cat "$T/canonical.csv")"
run findings --db "$DB" --format csv --class THREATENED
t_eq "--class THREATENED: 14 findings" "$(($(wc -l <"$T/out") - 1))" 14

# --format and report kinds too
run findings --db "$DB" --format CSV --type DEVICE_LOSS --class actual
t_eq "--format CSV: exit" "$rc" 0
t_eq "--format CSV: the same as csv" "$(cat "$T/out")" "$(cat "$T/canonical.csv")"
run report Findings --db "$DB" -o "$T/anycase.xlsx"
t_eq "report Findings: exit" "$rc" 0
t_ok "report Findings: written" test -s "$T/anycase.xlsx"

run findings --db "$DB" --type DEVICE_LOS
t_eq "unknown type: exit 2" "$rc" 2
t_contains "unknown type: valid values and the nearest" "$T/err" "udaudit: error: bad finding type 'DEVICE_LOS' for --type (expected UNCAPTURED_DELETION, DEVICE_LOSS, ACCOUNT_DELETION, CAPTURE_GAP, NOT_FORWARDED, LATE_FORWARD, EARLY_PURGE, RETENTION_SHORTFALL, CAPTURE_OUTAGE, EPHEMERAL_ENABLED, PROHIBITED_APP or UNAPPROVED_APP; did you mean 'DEVICE_LOSS'?)"
run findings --db "$DB" --class actul
t_eq "unknown class: exit 2" "$rc" 2
t_contains "unknown class: nearest" "$T/err" "udaudit: error: bad class 'actul' for --class (expected policy, threatened, impending or actual; did you mean 'actual'?)"

# --fail-on in any case
(cd "$S" && "$UDAUDIT" run -q --fail-on Actual samples/audit.ini >run.out 2>run.err); rc=$?
t_eq "--fail-on Actual: exit 1" "$rc" 1
t_contains "--fail-on Actual: said canonically" "$S/run.out" "findings at or above 'actual': exit 1 (--fail-on)"
run analyze --db "$DB" --as-of 2021-09-24 --fail-on POLICY
t_eq "analyze --fail-on POLICY: exit 1" "$rc" 1
run analyze --db "$DB" --as-of 2021-09-24 --fail-on impendng
t_eq "analyze --fail-on typo: exit 2" "$rc" 2
t_contains "analyze --fail-on typo: nearest" "$T/err" "did you mean 'impending'?)"

# a case file in any case selects the same findings as the sample's
CASE=$S/samples/cases/UD-2019-0001.ini
sed -e 's/^type = DEVICE_LOSS$/type = device_loss/' -e 's/^class = actual$/class = Actual/' \
	-e 's/^type = UNCAPTURED_DELETION$/type = Uncaptured_Deletion/' "$CASE" >"$T/lower.ini"
t_ok "case file rewritten in other cases" grep -q '^class = Actual$' "$T/lower.ini"
run report incident --db "$DB" --case "$CASE" -o "$T/a.pdf" --letter-date 2019-04-02
t_eq "incident, canonical case file: exit" "$rc" 0
run report incident --db "$DB" --case "$T/lower.ini" -o "$T/b.pdf" --letter-date 2019-04-02
t_eq "incident, case file in other cases: exit" "$rc" 0
pdftotext -layout "$T/a.pdf" "$T/a.txt" && pdftotext -layout "$T/b.pdf" "$T/b.txt"
t_eq "incident: the same report text" "$(cat "$T/b.txt")" "$(cat "$T/a.txt")"
t_contains "incident: findings counted" "$T/b.txt" "UD-2019-0001"
sed 's/^class = actual$/class = actuall/' "$CASE" >"$T/typo.ini"
run report incident --db "$DB" --case "$T/typo.ini" -o "$T/c.pdf"
t_eq "case file class typo: exit 3" "$rc" 3
t_contains "case file class typo: file:line and nearest" "$T/err" "$T/typo.ini:25: error: unknown class 'actuall' (expected policy, threatened, impending or actual; did you mean 'actual'?)"
sed 's/^opened_on = /opend_on = /' "$CASE" >"$T/key.ini"
run report incident --db "$DB" --case "$T/key.ini" -o "$T/c.pdf"
t_eq "case file key typo: exit 3" "$rc" 3
t_contains "case file key typo: nearest key" "$T/err" "$T/key.ini:8: error: unknown key 'opend_on' in [case] (expected id, title, opened_on, nara_letter_on, response_due_on or last_update_on; did you mean 'opened_on'?)"

# input kinds in any case, on the command line and in [inputs]; stored as
# the kind's own name
run ingest --db "$T/k.db" Accounts "$S/samples/accounts.csv" --strict
t_eq "ingest Accounts: exit" "$rc" 0
t_contains "ingest Accounts: printed as accounts" "$T/out" "accounts        $S/samples/accounts.csv"
mkdir -p "$T/kc"
cp "$S/samples/devices.csv" "$S/samples/device_apps.csv" "$T/kc/"
printf '[audit]\nquarter = 2021Q3\n\n[inputs]\nDevices = devices.csv\nDevice_Apps = device_apps.csv\n' >"$T/kc/audit.ini"
(cd "$T/kc" && "$UDAUDIT" run -q audit.ini >run.out 2>run.err); rc=$?
t_eq "[inputs] Devices, Device_Apps: exit" "$rc" 0
t_eq "kinds stored in their own spelling" \
	"$(sql "$T/k.db" "SELECT kind FROM inputs"; sql "$T/kc/out/audit.db" "SELECT kind FROM inputs ORDER BY input_id")" \
	"accounts
devices
device-apps"
run ingest --db "$T/k2.db" acounts "$S/samples/accounts.csv"
t_eq "unknown kind: exit 2" "$rc" 2
t_contains "unknown kind: nearest" "$T/err" "did you mean 'accounts'?)"
run ingest --help
t_contains "ingest --help: the options of each kind" "$T/out" "                  options: users, retained, tz"

# [tracker] paths: as written in audit.ini, whatever folder run starts from
(cd "$S/samples" && "$UDAUDIT" run -q audit.ini >../run2.out 2>../run2.err); rc=$?
t_eq "run from the config's folder: exit" "$rc" 0
(cd / && "$UDAUDIT" run -q "$S/samples/audit.ini" >"$S/run3.out" 2>"$S/run3.err"); rc=$?
t_eq "run from /: exit" "$rc" 0
t_eq "tracker: one version of each file" \
	"$(sql "$DB" "SELECT kind || ' ' || path FROM inputs WHERE kind IN ('cases', 'recommendations', 'actions', 'updates') ORDER BY kind")" \
	"actions tracker/actions.csv
cases tracker/cases.csv
recommendations tracker/recommendations.csv
updates tracker/updates.csv"
t_eq "tracker: nothing superseded or retired" "$(sql "$DB" "SELECT count(*) FROM input_history")" 0
t_contains "tracker: already loaded the second time" "$S/run3.out" "tracker/actions.csv"

t_done
