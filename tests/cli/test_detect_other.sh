# Spec 4.2 (EARLY_PURGE, RETENTION_SHORTFALL, CAPTURE_OUTAGE,
# EPHEMERAL_ENABLED, PROHIBITED_APP, UNAPPROVED_APP), exclusions and
# transitory apps.
. tests/cli/lib.sh
. tests/cli/detect_lib.sh

# --- EARLY_PURGE: capstone never, standard 2555 days, unknown = standard ---
d_reset
d_acct 'wickr:cap,wickr,C1,Ann,EOC,capstone,yes,archiver,,,'
d_acct 'wickr:std,wickr,C2,Bob,EOC,standard,yes,archiver,,,'
d_store 'c1|wickr|wickr:cap|r1|2010-01-01T00:00:00Z|2010-01-01T00:00:05Z|2021-05-01T00:00:00Z'
d_store 's1|wickr|wickr:std|r2|2010-01-01T00:00:00Z|2010-01-01T00:00:05Z|2021-05-01T00:00:00Z'
d_store 's2|wickr|wickr:std|r2|2021-01-01T00:00:00Z|2021-01-01T00:00:05Z|2021-05-01T00:00:00Z'
d_store 's3|wickr|wickr:std|r2|2021-01-01T00:00:00Z|2021-01-01T00:00:05Z|2021-07-01T00:00:00Z'
d_store 'x1|teams|teams:ext|t9|2021-01-01T00:00:00Z|2021-01-01T00:00:05Z|2021-05-01T00:00:00Z'
d_analyze 2021-06-30
d_row "capstone: any purge is early" 'EARLY_PURGE,actual,high,EOC,C1,wickr:cap,wickr,,2010-01-01T00:00:00Z,2010-01-01T00:00:00Z,1,1'
d_row "standard: purged after 4 months; not after 11 years, not after as_of" 'EARLY_PURGE,actual,high,EOC,C2,wickr:std,wickr,,2021-01-01T00:00:00Z,2021-01-01T00:00:00Z,1,1'
d_row "an account not in accounts.csv counts as standard" 'EARLY_PURGE,actual,high,,,teams:ext,teams,,2021-01-01T00:00:00Z,2021-01-01T00:00:00Z,1,1'
d_total "three purges" 3

# --- RETENTION_SHORTFALL: policy in force at as_of vs the role ---
d_reset
d_acct 'wickr:cap,wickr,C1,Ann,EOC,capstone,yes,archiver,,,'
d_acct 'wickr:std,wickr,C2,Bob,EOC,standard,yes,archiver,,,'
d_acct 'wickr:sup,wickr,C3,Cy,EOC,support,yes,archiver,,,'
d_acct 'teams:std,teams,C2,Bob,EOC,standard,yes,archiver,,,'
d_store 'a|wickr|wickr:cap|r1|2021-01-01T00:00:00Z|2021-01-01T00:00:05Z'
d_store 'b|wickr|wickr:std|r1|2021-01-02T00:00:00Z|2021-01-02T00:00:05Z'
d_store 'c|wickr|wickr:std|r2|2021-01-03T00:00:00Z|2021-01-03T00:00:05Z'
d_store 'd|wickr|wickr:sup|r1|2021-01-03T00:00:00Z|2021-01-03T00:00:05Z'
d_store 'e|teams|teams:std|t1|2021-01-03T00:00:00Z|2021-01-03T00:00:05Z'
d_policy 'wickr||1095|2020-01-01'
d_policy 'teams||365|2020-01-01'
d_policy 'teams||3000|2021-01-01'
d_policy 'wickr|capstone|100|2022-01-01'
d_analyze 2021-06-30
d_row "capstone needs permanent" 'RETENTION_SHORTFALL,threatened,medium,,,,wickr,,2021-01-01T00:00:00Z,2021-01-01T00:00:00Z,1,1'
d_row "standard needs 2555 days" 'RETENTION_SHORTFALL,threatened,medium,,,,wickr,,2021-01-02T00:00:00Z,2021-01-03T00:00:00Z,2,2'
d_total "support 1095 is enough; teams fixed since 2021-01-01" 2
# the policy row is the compliance store's row 1, as is message a: the
# evidence of a policy says it is one, and records no message
t_eq "policy evidence: a policy, no message" "$(sql "$T/a.db" "SELECT group_concat(x, ' ') FROM (SELECT e.line || ':' || coalesce(e.event, '-') || ':' || coalesce(e.message_id, '-') AS x FROM evidence e JOIN findings f USING (run_id, finding_id) WHERE f.type = 'RETENTION_SHORTFALL' ORDER BY f.finding_id)")" "1:retention policy:- 1:retention policy:-"

# --- CAPTURE_OUTAGE: runs just under and just over outage_hours ---
d_reset
d_acct 'wickr:a,wickr,C1,Ann,EOC,standard,yes,archiver,,,'
d_acct 'wickr:b,wickr,C2,Bob,EOC,standard,yes,archiver,,,'
ev() { d_ev "{\"ts\":\"$1\",\"account\":\"wickr:$2\",\"device_id\":\"D$2\",\"event\":\"sent\",\"message_id\":\"$3\",\"conversation_id\":\"r\"}"; }
# run 1: 23:59:59 long -> no outage
ev 2021-03-01T00:00:00Z a u1; ev 2021-03-01T12:00:00Z b u2; ev 2021-03-01T23:59:59Z a u3
# a captured copy breaks the run
ev 2021-03-02T06:00:00Z b ok1; d_store 'ok1|wickr|wickr:b|r|2021-03-02T06:00:00Z|2021-03-02T06:00:05Z'
# run 2: exactly 24 hours, across two accounts -> outage
ev 2021-03-03T00:00:00Z a v1; ev 2021-03-03T10:00:00Z b v2; ev 2021-03-04T00:00:00Z b v3
d_analyze 2021-03-31
d_row "run of 24 h is an outage" 'CAPTURE_OUTAGE,threatened,medium,,,,wickr,,2021-03-03T00:00:00Z,2021-03-04T00:00:00Z,3,1'
d_count "run of 23:59:59 is not" CAPTURE_OUTAGE 1
d_count "copies keep their CAPTURE_GAP" CAPTURE_GAP 2
t_eq "outage copies also in CAPTURE_GAP" "$(sql "$T/a.db" "SELECT sum(message_count) FROM findings WHERE type = 'CAPTURE_GAP'")" 6

# --- EPHEMERAL_ENABLED ---
d_reset
d_acct 'whatsapp:+1,whatsapp,C1,Ann,EOC,standard,no,manual,2018-01-01,,'
d_acct 'whatsapp:+2,whatsapp,C2,Bob,EOC,standard,no,manual,2018-01-01,,'
d_acct 'wickr:a,wickr,C1,Ann,EOC,standard,yes,archiver,,,'
d_ev '{"ts":"2021-03-01T10:00:00Z","account":"whatsapp:+1","event":"timer_set","ttl_seconds":604800}'
d_ev '{"ts":"2021-03-02T10:00:00Z","account":"whatsapp:+1","event":"timer_set","ttl_seconds":0}'
d_ev '{"ts":"2021-03-01T10:00:00Z","account":"whatsapp:+2","event":"timer_set","ttl_seconds":0}'
d_ev '{"ts":"2021-03-01T10:00:00Z","account":"wickr:a","event":"timer_set","ttl_seconds":3600}'
d_analyze 2021-03-31
d_row "timer on a manual account" 'EPHEMERAL_ENABLED,threatened,medium,EOC,C1,whatsapp:+1,whatsapp,,2021-03-01T10:00:00Z,2021-03-01T10:00:00Z,0,0'
d_total "ttl 0 and archiver accounts: none" 1

# --- PROHIBITED_APP and UNAPPROVED_APP ---
d_reset
d_acct 'whatsapp:+1,whatsapp,C1,Ann,EOC,standard,no,manual,2021-02-01,,'
d_acct 'whatsapp:+2,whatsapp,C2,Bob,OPS,standard,no,manual,2020-12-31,,'
d_dev 'D1,C1,ios,x,gfe,yes,active,,,'
d_dev 'D2,C2,ios,x,gfe,yes,active,,,'
d_dev 'D3,C3,ios,x,gfe,yes,active,,,'
d_app 'D1,ORG.TELEGRAM.MESSENGER,Telegram,1,2021-01-05,2021-03-01'
d_app 'D1,com.whatsapp,WhatsApp,1,2021-01-01,2021-03-01'
d_app 'D2,net.whatsapp.WhatsApp,WhatsApp,1,2021-01-01,2021-03-01'
d_app 'D2,com.wickr.pro.beta,Wickr,1,2021-01-01,2021-03-01'
d_app 'D3,com.example.unknown,Signal,1,2021-01-01,2021-03-01'
d_analyze 2021-03-31
d_row "prohibited app, id matched case-insensitively" 'PROHIBITED_APP,policy,low,EOC,C1,,telegram,D1,2021-01-05T00:00:00Z,2021-03-01T00:00:00Z,0,0'
d_row "approved after first use" 'UNAPPROVED_APP,policy,low,EOC,C1,,whatsapp,,2021-01-01T00:00:00Z,2021-01-01T00:00:00Z,0,0'
d_row "restricted app found by its name, no account" 'UNAPPROVED_APP,policy,low,,C3,,signal,,2021-01-01T00:00:00Z,2021-01-01T00:00:00Z,0,0'
d_total "approved before first use, approved app: none" 3

# --- exclusions (AND within a rule) and transitory apps ---
d_reset
mkdir -p "$T/rules"
cp "$R/apps.ini" "$R/retention.ini" "$T/rules/"
cat >>"$T/rules/apps.ini" <<'INI'

[pager]
class   = approved
records = transitory
ids     = ^com\.example\.pager$
INI
cat >"$T/rules/exclusions.ini" <<'INI'
[spouse]
peer = ^\+1999$
[family-chat]
account      = ^whatsapp:\+1$
conversation = ^fam-
INI
d_acct 'whatsapp:+1,whatsapp,C1,Ann,EOC,standard,no,manual,2018-01-01,,'
d_acct 'whatsapp:+2,whatsapp,C2,Bob,EOC,standard,no,manual,2018-01-01,,'
d_acct 'pager:+1,pager,C1,Ann,EOC,standard,no,none,,,'
m() { d_ev "{\"ts\":\"2021-03-01T10:00:00Z\",\"account\":\"$1\",\"device_id\":\"D1\",\"event\":\"sent\",\"message_id\":\"$2\",\"conversation_id\":\"$3\",\"peer\":\"$4\"}"; }
m whatsapp:+1 e1 c1 +1999
m whatsapp:+1 e2 fam-1 +1555
m whatsapp:+2 e3 fam-1 +1555
m whatsapp:+1 e4 c1 +1555
m pager:+1 e5 c1 +1555
d_analyze 2021-06-30 "$T/rules"
d_row "only the copies no rule excludes" 'NOT_FORWARDED,threatened,medium,EOC,C1,whatsapp:+1,whatsapp,D1,2021-03-01T10:00:00Z,2021-03-01T10:00:00Z,1,1'
d_row "a rule needs all its fields" 'NOT_FORWARDED,threatened,medium,EOC,C2,whatsapp:+2,whatsapp,D1,2021-03-01T10:00:00Z,2021-03-01T10:00:00Z,1,1'
d_total "excluded and transitory copies have no finding" 2
t_eq "runs.excluded counts them" "$(sql "$T/a.db" "SELECT copies, excluded FROM runs")" "2|3"
t_done
