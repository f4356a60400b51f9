# GNU-style command lines: options anywhere among the arguments, `--` ends
# them, -q on every command; --help of every command and subcommand; the
# shared validators of --as-of, --quarter, --fail-on and --db.
. tests/cli/lib.sh
D=$(pwd)/tests/data/ingest
W=$(pwd)/tests/data/adapters/whatsapp
RULES=$(pwd)/rules

# options after the kind and among the files
run ingest accounts "$D/accounts-good.csv" --db "$T/a.db"
t_eq "ingest KIND FILE --db DB: exit" "$rc" 0
t_contains "ingest KIND FILE --db DB: loaded" "$T/out" "accounts-good.csv"
wa=$(ls "$W"/*.txt 2>/dev/null | head -n 1)
if [ -n "$wa" ]; then
	run ingest --db "$T/w.db" whatsapp --account whatsapp:+15550100001 --self "Dana Reyes" "$wa" --tz -05:00
	t_eq "ingest --db DB whatsapp --account A FILE: exit" "$rc" 0
	t_not_contains "--account is not a file name" "$T/err" "--account: cannot open"
	t_eq "whatsapp: events loaded" "$(sql "$T/w.db" "SELECT count(*) > 0 FROM usage")" 1
fi

# `--` ends the options: a file whose name starts with '-'
cp "$D/accounts-good.csv" "$T/-accounts.csv"
(cd "$T" && "$UDAUDIT" ingest --db b.db accounts -- -accounts.csv) >"$T/out" 2>"$T/err"; rc=$?
t_eq "ingest -- -FILE: exit" "$rc" 0
t_eq "ingest -- -FILE: loaded" "$(sql "$T/b.db" "SELECT path FROM inputs")" "-accounts.csv"
(cd "$T" && "$UDAUDIT" ingest --db c.db accounts -accounts.csv) >"$T/out" 2>"$T/err"; rc=$?
t_eq "ingest -FILE without --: usage error" "$rc" 2
t_contains "ingest -FILE without --: named" "$T/err" "udaudit: error: unknown option '-a'"
t_eq "usage error: no DB created" "$(ls "$T/c.db" 2>/dev/null)" ""

# -q after the command, and options after run's config
S=$T/s         # the sample audit (its out/ would collide with run()'s $T/out)
sample_audit "$S"
(cd "$S" && "$UDAUDIT" run samples/audit.ini --fail-on actual -q >run.out 2>run.err); rc=$?
t_eq "run CONFIG --fail-on actual -q: exit 1 (actual findings)" "$rc" 1
t_contains "run --fail-on after the config: said" "$S/run.out" "findings at or above 'actual': exit 1 (--fail-on)"
t_not_contains "run -q: no notes" "$S/run.err" "message headers"
DB=$S/out/audit.db

# report KIND anywhere, -o anywhere
run report --db "$DB" findings -o "$T/f.xlsx" --as-of 2021-09-24
t_eq "report --db DB findings -o F: exit" "$rc" 0
t_eq "report: written" "$(ls "$T/f.xlsx")" "$T/f.xlsx"
run findings --format csv --db "$DB" --class actual
t_eq "findings options in any order: exit" "$rc" 0

# --help of every command and subcommand: exit 0, on stdout, nothing on stderr
for c in "run" "ingest" "analyze" "findings" "verify" "report" "rules" "rules check" \
	 "tracker" "tracker import" "tracker update" "tracker list"; do
	# shellcheck disable=SC2086
	run $c --help
	t_eq "$c --help: exit" "$rc" 0
	t_eq "$c --help: usage line" "$(head -n 1 "$T/out" | cut -c1-15)" "usage: udaudit "
	t_eq "$c --help: stderr" "$(cat "$T/err")" ""
done
run rules check --help
t_contains "rules check --help: the synopsis" "$T/out" "usage: udaudit rules check [DIR]"
run ingest --help
t_contains "ingest --help: lists the kinds" "$T/out" "input kinds:"
for k in accounts usage compliance whatsapp wickr rsmf purview cases; do
	t_eq "ingest --help lists $k" "$(grep -cE "^  $k " "$T/out")" 1
done
run --help
t_contains "--help: report's letters" "$T/out" "incident, status letter (PDF)"
run report --help
t_contains "report --help: incident kind" "$T/out" "  incident   the 36 CFR 1230.14 report"
t_contains "report --help: status kind" "$T/out" "  status     the status-update letter"

# the shared validators: one message each, exit 2, before any DB is made
run analyze --db "$T/v.db" --as-of 2021-02-30
t_eq "--as-of bad date: exit 2" "$rc" 2
t_contains "--as-of bad date: message" "$T/err" "udaudit: error: bad date '2021-02-30' for --as-of (expected YYYY-MM-DD)"
run analyze --db "$T/v.db" --quarter 2021Q5
t_eq "--quarter bad: exit 2" "$rc" 2
t_contains "--quarter bad: message" "$T/err" "udaudit: error: bad quarter '2021Q5' (expected YYYYQn)"
run run --fail-on severe "$S/samples/audit.ini"
t_eq "--fail-on bad class: exit 2" "$rc" 2
t_contains "--fail-on bad class: message" "$T/err" "bad class 'severe' for --fail-on (expected policy, threatened, impending or actual)"
run tracker list --db "$DB" --as-of yesterday
t_eq "tracker list --as-of bad: exit 2" "$rc" 2
run report findings -o "$T/g.xlsx" --db "$DB" --as-of 2021-13-01
t_eq "report --as-of bad: exit 2" "$rc" 2
t_eq "report --as-of bad: nothing written" "$(ls "$T/g.xlsx" 2>/dev/null)" ""
run findings
t_eq "findings without --db: exit 2" "$rc" 2
t_contains "findings without --db: message" "$T/err" "udaudit: error: --db is required"
run analyze --db
t_eq "--db without a value: exit 2" "$rc" 2
t_contains "--db without a value: message" "$T/err" "udaudit: error: option '--db' needs a value"
t_eq "no DB made by usage errors" "$(ls "$T/v.db" 2>/dev/null)" ""

t_done
