# Spec 4.1, one scenario per row and edge: precedence, ties, day precision,
# the 20-day calendar rule, per-copy judgement, events after as_of.
. tests/cli/lib.sh
. tests/cli/detect_lib.sh
HDR='whatsapp,C1,Ann,EOC,standard,no,manual,2018-01-01,,'

# --- row 1 + group chat: A deletes, B keeps the same message ---
d_reset
d_acct "whatsapp:+1001,$HDR"
d_acct 'whatsapp:+1002,whatsapp,C2,Bob,EOC,standard,no,manual,2018-01-01,,'
d_dev 'D1,C1,ios,x,gfe,yes,active,,,'
d_dev 'D2,C2,ios,x,gfe,yes,active,,,'
d_ev '{"ts":"2021-03-01T10:00:00Z","account":"whatsapp:+1001","device_id":"D1","event":"sent","message_id":"m1","conversation_id":"g1","peer":"+52"}'
d_ev '{"ts":"2021-03-01T10:00:05Z","account":"whatsapp:+1002","device_id":"D2","event":"received","message_id":"m1","conversation_id":"g1","peer":"+1001"}'
d_ev '{"ts":"2021-03-02T08:00:00Z","account":"whatsapp:+1001","device_id":"D1","event":"deleted","message_id":"m1"}'
d_analyze 2021-06-30
t_eq "analyze exit" "$rc" 0
d_row "row 1: deleted, not retained" 'UNCAPTURED_DELETION,actual,high,EOC,C1,whatsapp:+1001,whatsapp,D1,2021-03-01T10:00:00Z,2021-03-01T10:00:00Z,1,1'
d_row "group chat: the kept copy" 'NOT_FORWARDED,threatened,medium,EOC,C2,whatsapp:+1002,whatsapp,D2,2021-03-01T10:00:05Z,2021-03-01T10:00:05Z,1,1'
d_total "group chat: two findings" 2
t_eq "finding_copies: one copy each" "$(sql "$T/a.db" "SELECT count(*), count(DISTINCT message_id) FROM finding_copies")" "2|1"
t_eq "evidence of row 1: copy and deletion lines" "$(sql "$T/a.db" "SELECT group_concat(line) FROM (SELECT e.line FROM evidence e JOIN findings f USING (run_id, finding_id) WHERE f.type = 'UNCAPTURED_DELETION' ORDER BY e.line)")" "1,3"

# --- row 2: a loss on the message's own day (date-only, day precision) ---
d_reset
d_acct "whatsapp:+1001,$HDR"
d_dev 'D1,C1,ios,x,gfe,yes,replaced,2021-03-01,D9,'
d_ev '{"ts":"2021-03-01T15:00:00Z","account":"whatsapp:+1001","device_id":"D1","event":"sent","message_id":"m1","conversation_id":"g1"}'
d_ev '{"ts":"2021-02-20T15:00:00Z","account":"whatsapp:+1001","device_id":"D1","event":"sent","message_id":"m0","conversation_id":"g1"}'
d_ev '{"ts":"2021-03-02T15:00:00Z","account":"whatsapp:+1001","device_id":"D1","event":"sent","message_id":"m2","conversation_id":"g1"}'
d_analyze 2021-06-30
d_row "row 2: replaced the same day" 'DEVICE_LOSS,actual,high,EOC,C1,whatsapp:+1001,whatsapp,D1,2021-02-20T15:00:00Z,2021-03-01T15:00:00Z,2,1'
d_row "row 2: a copy after the loss is not lost" 'NOT_FORWARDED,threatened,medium,EOC,C1,whatsapp:+1001,whatsapp,D1,2021-03-02T15:00:00Z,2021-03-02T15:00:00Z,1,1'

# --- rows 1-3 compete: earliest loss wins, a date is the start of its day,
#     ties go to the lower row ---
d_reset
for i in 1 2 3 4 5 6; do
	closed=
	[ $i = 4 ] && closed=2021-04-05
	[ $i = 5 ] && closed=2021-04-04
	d_acct "whatsapp:+100$i,whatsapp,C$i,P$i,EOC,standard,no,manual,2018-01-01,,$closed"
	d_dev "D$i,C$i,ios,x,gfe,yes,lost,2021-04-05,,"
	d_ev "{\"ts\":\"2021-04-01T09:00:00Z\",\"account\":\"whatsapp:+100$i\",\"device_id\":\"D$i\",\"event\":\"sent\",\"message_id\":\"m$i\",\"conversation_id\":\"g\"}"
done
# 1: deleted at noon of the loss day: the device (00:00) is earlier
d_ev '{"ts":"2021-04-05T12:00:00Z","account":"whatsapp:+1001","event":"deleted","message_id":"m1"}'
# 2: deleted at 00:00:00 of the loss day: a tie, row 1 wins
d_ev '{"ts":"2021-04-05T00:00:00Z","account":"whatsapp:+1002","event":"deleted","message_id":"m2"}'
# 3: deleted the day before: row 1
d_ev '{"ts":"2021-04-04T23:59:59Z","account":"whatsapp:+1003","event":"deleted","message_id":"m3"}'
# 4: closed_on the loss day: tie between rows 2 and 3, row 2 wins
# 5: closed the day before: row 3
# 6: account_deleted event before the loss day: row 3
d_ev '{"ts":"2021-04-04T22:00:00Z","account":"whatsapp:+1006","event":"account_deleted"}'
d_analyze 2021-06-30
d_row "loss at 00:00 beats a deletion at noon" 'DEVICE_LOSS,actual,high,EOC,C1,whatsapp:+1001,whatsapp,D1'
d_row "deletion at 00:00 ties the device loss: row 1" 'UNCAPTURED_DELETION,actual,high,EOC,C2,whatsapp:+1002,whatsapp,D2'
d_row "deletion the day before: row 1" 'UNCAPTURED_DELETION,actual,high,EOC,C3,whatsapp:+1003,whatsapp,D3'
d_row "closed the loss day: tie, row 2" 'DEVICE_LOSS,actual,high,EOC,C4,whatsapp:+1004,whatsapp,D4'
d_row "closed the day before: row 3" 'ACCOUNT_DELETION,actual,high,EOC,C5,whatsapp:+1005,whatsapp,D5'
d_row "account_deleted event before: row 3" 'ACCOUNT_DELETION,actual,high,EOC,C6,whatsapp:+1006,whatsapp,D6'
d_total "six findings" 6

# --- row 4: closing after as_of is impending (before row 6) ---
d_reset
d_acct 'wickr:old,wickr,C1,Ann,EOC,standard,yes,none,,,2021-12-31'
d_ev '{"ts":"2021-01-10T10:00:00Z","account":"wickr:old","device_id":"D1","event":"sent","message_id":"k1","conversation_id":"r1"}'
d_analyze 2021-06-30
d_row "row 4: impending" 'ACCOUNT_DELETION,impending,high,EOC,C1,wickr:old,wickr,D1,2021-01-10T10:00:00Z,2021-01-10T10:00:00Z,1,1'

# --- row 5: archiver account, message missing from the store ---
d_reset
d_acct 'wickr:ann,wickr,C1,Ann,EOC,standard,yes,archiver,,,'
d_ev '{"ts":"2021-06-29T10:00:00Z","account":"wickr:ann","device_id":"D1","event":"sent","message_id":"w1","conversation_id":"r1"}'
d_ev '{"ts":"2021-06-29T10:00:00Z","account":"wickr:ann","device_id":"D1","event":"sent","message_id":"w2","conversation_id":"r1"}'
d_ev '{"ts":"2021-06-29T11:00:00Z","account":"wickr:ann","device_id":"D1","event":"burned","message_id":"w2"}'
d_store 'w2|wickr|wickr:ann|r1|2021-06-29T10:00:00Z|2021-06-29T10:00:01Z'
d_analyze 2021-06-30
d_row "row 5: capture gap (even inside the window)" 'CAPTURE_GAP,threatened,medium,EOC,C1,wickr:ann,wickr,D1,2021-06-29T10:00:00Z,2021-06-29T10:00:00Z,1,1'
d_total "a burned but captured message is no finding" 1

# --- row 6 and the 20-day calendar rule ---
d_reset
d_acct "whatsapp:+1001,$HDR"
d_ev '{"ts":"2021-06-10T23:59:59Z","account":"whatsapp:+1001","device_id":"D1","event":"sent","message_id":"in20","conversation_id":"g"}'
d_ev '{"ts":"2021-06-09T00:00:00Z","account":"whatsapp:+1001","device_id":"D1","event":"sent","message_id":"at21","conversation_id":"g"}'
d_ev '{"ts":"2021-06-10T20:00:00-04:00","account":"whatsapp:+1001","device_id":"D1","event":"sent","message_id":"utc11","conversation_id":"g"}'
d_analyze 2021-06-30
d_row "21 days: not forwarded" 'NOT_FORWARDED,threatened,medium,EOC,C1,whatsapp:+1001,whatsapp,D1,2021-06-09T00:00:00Z,2021-06-09T00:00:00Z,1,1'
d_total "exactly 20 days, or 19 in UTC: no finding" 1

# --- row 7: forwarded or exported late; retained in time is fine ---
d_reset
d_acct "whatsapp:+1001,$HDR"
d_ev '{"ts":"2021-05-01T10:00:00Z","account":"whatsapp:+1001","device_id":"D1","event":"sent","message_id":"f20","conversation_id":"g"}'
d_ev '{"ts":"2021-05-21T23:00:00Z","account":"whatsapp:+1001","event":"forwarded","message_id":"f20","to_account":"wickr:ann"}'
d_ev '{"ts":"2021-05-02T10:00:00Z","account":"whatsapp:+1001","device_id":"D1","event":"sent","message_id":"f21","conversation_id":"g"}'
d_ev '{"ts":"2021-05-23T01:00:00Z","account":"whatsapp:+1001","event":"forwarded","message_id":"f21","to_account":"wickr:ann"}'
d_ev '{"ts":"2021-05-05T10:00:00Z","account":"whatsapp:+1001","device_id":"D1","event":"received","message_id":"x1","conversation_id":"gx"}'
d_ev '{"ts":"2021-05-30T10:00:00Z","event":"exported","conversation_id":"gx"}'
d_ev '{"ts":"2021-05-31T10:00:00Z","account":"whatsapp:+1001","device_id":"D1","event":"received","message_id":"x2","conversation_id":"gx"}'
d_ev '{"ts":"2021-05-03T10:00:00Z","account":"whatsapp:+1001","device_id":"D1","event":"sent","message_id":"s5","conversation_id":"g"}'
d_store 's5|whatsapp|whatsapp:+1001|g|2021-05-03T10:00:00Z|2021-05-08T10:00:00Z'
d_analyze 2021-06-30
d_row "row 7: forward after 21 days, export after 25" 'LATE_FORWARD,policy,low,EOC,C1,whatsapp:+1001,whatsapp,D1,2021-05-02T10:00:00Z,2021-05-05T10:00:00Z,2,2'
d_row "a message after the export is not covered" 'NOT_FORWARDED,threatened,medium,EOC,C1,whatsapp:+1001,whatsapp,D1,2021-05-31T10:00:00Z,2021-05-31T10:00:00Z,1,1'
d_total "forward after 20 days, store capture after 5: none" 2

# --- events after as_of are ignored; as_of covers its whole day ---
d_reset
d_acct "whatsapp:+1001,$HDR"
d_ev '{"ts":"2021-06-01T10:00:00Z","account":"whatsapp:+1001","device_id":"D1","event":"sent","message_id":"late","conversation_id":"g"}'
d_ev '{"ts":"2021-07-01T00:00:00Z","account":"whatsapp:+1001","event":"deleted","message_id":"late"}'
d_ev '{"ts":"2021-06-01T10:00:00Z","account":"whatsapp:+1001","device_id":"D1","event":"sent","message_id":"last","conversation_id":"g"}'
d_ev '{"ts":"2021-06-30T23:59:59Z","account":"whatsapp:+1001","event":"deleted","message_id":"last"}'
d_ev '{"ts":"2021-05-01T10:00:00Z","account":"whatsapp:+1001","device_id":"D1","event":"sent","message_id":"fwdlate","conversation_id":"g"}'
d_ev '{"ts":"2021-07-02T10:00:00Z","account":"whatsapp:+1001","event":"forwarded","message_id":"fwdlate"}'
d_ev '{"ts":"2021-07-01T00:00:00Z","account":"whatsapp:+1001","device_id":"D1","event":"sent","message_id":"future","conversation_id":"g"}'
d_store 'cap|whatsapp|whatsapp:+1001|g|2021-06-01T10:00:00Z|2021-07-01T00:00:00Z'
d_ev '{"ts":"2021-06-01T10:00:00Z","account":"whatsapp:+1001","device_id":"D1","event":"sent","message_id":"cap","conversation_id":"g"}'
d_analyze 2021-06-30
d_row "deletion at 23:59:59 on as_of counts" 'UNCAPTURED_DELETION,actual,high,EOC,C1,whatsapp:+1001,whatsapp,D1,2021-06-01T10:00:00Z,2021-06-01T10:00:00Z,1,1'
d_row "deletion, forward, capture after as_of ignored" 'NOT_FORWARDED,threatened,medium,EOC,C1,whatsapp:+1001,whatsapp,D1,2021-05-01T10:00:00Z,2021-06-01T10:00:00Z,3,1'
t_eq "the copy after as_of is not judged" "$(sql "$T/a.db" "SELECT count(*) FROM finding_copies WHERE message_id = 'future'")" 0
t_eq "copies judged" "$(sql "$T/a.db" "SELECT copies FROM runs")" 4
t_done
