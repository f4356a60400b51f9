# rules check (exact messages), findings formats, re-runs, --fail-on.
. tests/cli/lib.sh
. tests/cli/detect_lib.sh

# --- rules check ---
run rules check rules
t_eq "shipped rules check" "$rc" 0
t_contains "shipped rules summary" "$T/out" "rules: ok: 18 apps (4 approved, 7 restricted, 7 prohibited"
mkdir -p "$T/bad"
printf '; bad pack\n[x]\nids = (abc\nclass = approved\n[y]\nclass = allowed\ncolour = red\n[Bad]\nclass = approved\n[z]\nnames = ^z$\n' >"$T/bad/apps.ini"
printf '[retention]\nstandard = 7y\nboss = 1\n[detection]\noutage_hours = 0\n' >"$T/bad/retention.ini"
printf '[p]\nbody = x\n[q]\npeer = a[\nids = %s\n' "$(printf '%0210d' 0)" >"$T/bad/exclusions.ini"
(cd "$T" && "$UDAUDIT" rules check bad >out 2>err); rc=$?
t_eq "bad rules: exit 3" "$rc" 3
cat >"$T/want" <<'TXT'
udaudit: bad/apps.ini:3: error: app 'x': bad pattern: missing closing parenthesis at offset 4
udaudit: bad/apps.ini:6: error: app 'y': bad class 'allowed' (expected approved, restricted or prohibited)
udaudit: bad/apps.ini:7: error: app 'y': unknown key 'colour' (expected ids, names, class, records or ephemeral)
udaudit: bad/apps.ini:9: error: bad app key 'Bad' (expected lowercase letters, digits and _)
udaudit: bad/apps.ini:11: error: app 'z': no 'class'
udaudit: bad/retention.ini:2: error: bad retention '7y' for 'standard' (expected a number of days or permanent)
udaudit: bad/retention.ini:3: error: unknown role 'boss' in [retention] (expected capstone, standard or support)
udaudit: bad/retention.ini:5: error: bad outage_hours '0' (expected 1 to 87600)
udaudit: bad/exclusions.ini:2: error: exclusion 'p': unknown key 'body' (expected account, peer or conversation)
udaudit: bad/exclusions.ini:5: error: line longer than 198 characters (continue a long value on the next lines, each indented)
udaudit: bad/exclusions.ini:4: error: exclusion 'q': bad pattern: missing terminating ] for character class at offset 2
TXT
t_eq "bad rules: exact messages" "$(cat "$T/err")" "$(cat "$T/want")"
run rules check "$T/none"
t_eq "missing dir: exit 3" "$rc" 3
t_contains "missing apps.ini named" "$T/err" "$T/none/apps.ini: error: cannot open"
run analyze --db "$T/x.db" --rules "$T/bad"
t_eq "analyze with bad rules: exit 3" "$rc" 3

# --- a small audit ---
d_reset
d_acct 'whatsapp:+1,whatsapp,C1,"Ann, Jr.",EOC,standard,no,manual,2018-01-01,,'
d_acct 'wickr:a,wickr,C1,"Ann, Jr.",EOC,standard,yes,archiver,,,'
d_ev '{"ts":"2021-03-01T10:00:00Z","account":"whatsapp:+1","device_id":"D1","event":"sent","message_id":"m1","conversation_id":"g"}'
d_ev '{"ts":"2021-03-01T10:00:00Z","account":"wickr:a","device_id":"D1","event":"sent","message_id":"w1","conversation_id":"r"}'
d_analyze 2021-06-30
t_eq "analyze exit 0" "$rc" 0
t_contains "summary by class" "$T/analyze.out" "  threatened      2 findings"
t_contains "summary by type" "$T/analyze.out" "    NOT_FORWARDED             1  (1 messages)"
run findings --db "$T/a.db" --format csv
t_eq "csv header exact" "$(head -n 1 "$T/out")" "finding_id,type,class,severity,office,custodian_id,account,app,device_id,first_ts,last_ts,message_count,conversation_count,detail"
t_eq "csv rows" "$(wc -l <"$T/out")" 3
id1=$(sed -n 2p "$T/out" | cut -d, -f1)
t_eq "finding_id is 16 hex" "$(printf '%s' "$id1" | grep -cE '^[0-9a-f]{16}$')" 1
run findings --db "$T/a.db" --format json --type CAPTURE_GAP
t_eq "json: one line" "$(wc -l <"$T/out")" 1
t_eq "json keys in order" "$(python3 -c 'import json,sys; print(",".join(json.loads(open(sys.argv[1]).readline()).keys()))' "$T/out")" "finding_id,type,class,severity,office,custodian_id,account,app,device_id,first_ts,last_ts,message_count,conversation_count,detail"
t_contains "json values" "$T/out" '"first_ts":"2021-03-01T10:00:00Z"'
t_contains "json numbers" "$T/out" '"message_count":1,'
run findings --db "$T/a.db" --class policy
t_contains "table, filtered: none" "$T/out" "0 findings"
run findings --db "$T/a.db" --office EOC
t_contains "table" "$T/out" "2 findings"
run findings --db "$T/a.db" --format xml
t_eq "bad format: usage" "$rc" 2

# --- re-runs: same as_of replaces, another as_of is kept ---
"$UDAUDIT" -q analyze --db "$T/a.db" --as-of 2021-06-30 --rules "$R" >/dev/null
t_eq "re-run: one run" "$(sql "$T/a.db" "SELECT count(*) FROM runs")" 1
t_eq "re-run: same findings, same ids" "$(sql "$T/a.db" "SELECT count(*) FROM findings WHERE finding_id = '$id1'")" 1
t_eq "re-run: copies not doubled" "$(sql "$T/a.db" "SELECT count(*) FROM finding_copies")" 2
"$UDAUDIT" -q analyze --db "$T/a.db" --as-of 2021-03-15 --quarter 2021Q1 --rules "$R" >/dev/null
t_eq "another as_of kept" "$(sql "$T/a.db" "SELECT group_concat(as_of || ' ' || quarter, ';') FROM (SELECT * FROM runs ORDER BY as_of)")" "2021-03-15 2021Q1;2021-06-30 2021Q2"
run findings --db "$T/a.db" --format csv --as-of 2021-03-15
t_eq "findings of the earlier run: capture gap only" "$(cut -d, -f2 "$T/out" | tail -n +2)" "CAPTURE_GAP"

# --- --fail-on: policy < threatened < impending < actual ---
run analyze --db "$T/a.db" --as-of 2021-06-30 --rules "$R" --fail-on threatened
t_eq "fail-on threatened with threatened findings: 1" "$rc" 1
run analyze --db "$T/a.db" --as-of 2021-06-30 --rules "$R" --fail-on impending
t_eq "fail-on impending: 0" "$rc" 0
run analyze --db "$T/a.db" --as-of 2021-06-30 --rules "$R" --fail-on bogus
t_eq "fail-on bad class: usage" "$rc" 2
run analyze --db "$T/a.db" --as-of 2021-02-30 --rules "$R"
t_eq "bad as-of: usage" "$rc" 2
run analyze --db "$T/a.db" --quarter 2021Q5 --rules "$R"
t_eq "bad quarter: usage" "$rc" 2

# --- a pattern that gives up is counted and reported, never hangs ---
d_reset
mkdir -p "$T/bomb"
cp "$R/apps.ini" "$R/retention.ini" "$T/bomb/"
printf '[bomb]\nconversation = (a+)+$\n' >"$T/bomb/exclusions.ini"
d_acct 'whatsapp:+1,whatsapp,C1,Ann,EOC,standard,no,manual,2018-01-01,,'
d_ev "{\"ts\":\"2021-03-01T10:00:00Z\",\"account\":\"whatsapp:+1\",\"device_id\":\"D1\",\"event\":\"sent\",\"message_id\":\"m1\",\"conversation_id\":\"$(printf '%03000d' 0 | tr 0 a)b\"}"
d_analyze 2021-06-30 "$T/bomb"
t_eq "give-up: analyze still succeeds" "$rc" 0
t_contains "give-up reported" "$T/analyze.err" "udaudit: warning: patterns gave up on 1 matches"
t_eq "give-up in runs" "$(sql "$T/a.db" "SELECT gave_up FROM runs")" 1
d_count "give-up counts as no match: the copy is judged" NOT_FORWARDED 1

# --- a pattern that keeps giving up is disabled after 100 give-ups, and the
# summary of analyze and of run says how many were (issue 13) ---
d_reset
long=$(printf '%03000d' 0 | tr 0 a)b
i=0
while [ $i -lt 150 ]; do
	d_ev "{\"ts\":\"2021-03-01T10:00:00Z\",\"account\":\"whatsapp:+1\",\"device_id\":\"D1\",\"event\":\"sent\",\"message_id\":\"m$i\",\"conversation_id\":\"c$i$long\"}"
	i=$((i + 1))
done
d_acct 'whatsapp:+1,whatsapp,C1,Ann,EOC,standard,no,manual,2018-01-01,,'
d_analyze 2021-06-30 "$T/bomb"
t_eq "disabled: analyze still succeeds" "$rc" 0
t_contains "disabled: said where" "$T/analyze.err" "udaudit: $T/bomb/exclusions.ini:2: warning: pattern '(a+)+\$' gave up 100 times (match, depth or heap limit): disabled for the rest of the run"
t_contains "disabled: counted in analyze's summary" "$T/analyze.err" "udaudit: warning: patterns gave up on 100 matches (match, depth or heap limit); those values counted as not matching; 1 pattern disabled for the run after 100 give-ups each"
t_eq "disabled: 100 give-ups in runs, not 150" "$(sql "$T/a.db" "SELECT gave_up FROM runs")" 100
t_eq "disabled: every copy judged" "$(sql "$T/a.db" "SELECT count(*) FROM finding_copies")" 150
mkdir -p "$T/runa"
cat >"$T/runa/audit.ini" <<EOF
[audit]
as_of = 2021-06-30
db    = audit.db
[inputs]
accounts = $T/in/accounts.csv
usage    = $T/in/usage.jsonl
[rules]
dir = $T/bomb
[output]
dir = out
EOF
run run "$T/runa/audit.ini"
t_eq "disabled: run succeeds" "$rc" 0
t_contains "disabled: counted in run's summary" "$T/err" "udaudit: warning: patterns gave up on 100 matches (match, depth or heap limit); those values counted as not matching; 1 pattern disabled for the run after 100 give-ups each"
t_done
