# The wickr adapter (spec §6, formats.md §1): AWS Wickr data-retention
# output into store_messages, 4011 into `deleted` usage events; the
# documented oddities (short msg_ts fractions, time_iso only, JS-syntax
# and ';' examples, a pretty-printed object, a cut-off line).
. tests/cli/lib.sh
D=tests/data/adapters/wickr

rm -f "$T/w.db"
run ingest --db "$T/w.db" wickr $D/aws_sample.jsonl
t_eq "aws sample: exit" "$rc" 0
t_contains "aws sample: summary" "$T/out" "5 records      0 skipped"
t_contains "aws sample: the edit is ignored, counted" "$T/err" "ignored 1 edits/reactions/receipts"
t_eq "aws sample: store rows" "$(sql "$T/w.db" "SELECT line, message_id, app, account,
	strftime('%Y-%m-%dT%H:%M:%SZ', sent_ts, 'unixepoch'), sent_ts = captured_ts, sha256 IS NOT NULL
	FROM store_messages ORDER BY line")" \
"1|0f1e2d3c4b5a69788796a5b4c3d2e1f0|wickr|wickr:a.smith@example.gov|2024-06-10T06:30:00Z|1|1
2|1a2b3c4d5e6f708192a3b4c5d6e7f801|wickr|wickr:a.smith@example.gov|2024-06-10T06:31:00Z|1|1
3|2b3c4d5e6f708192a3b4c5d6e7f80112|wickr|wickr:a.smith@example.gov|2024-06-10T06:32:00Z|1|1
6|6f708192a3b4c5d6e7f8011223344556|wickr|wickr:a.smith@example.gov|2024-06-10T06:36:40Z|1|0"
t_eq "aws sample: room and 1:1 conversations" "$(sql "$T/w.db" "SELECT group_concat(substr(conversation_id, 1, 3), ',') FROM store_messages")" \
	"4c1,S00,4c1,4c1"
t_eq "aws sample: the recall" "$(sql "$T/w.db" "SELECT line, strftime('%Y-%m-%dT%H:%M:%SZ', ts, 'unixepoch'),
	event, app, account, message_id FROM usage")" \
	"5|2024-06-10T06:34:00Z|deleted|wickr|wickr:a.smith@example.gov|0f1e2d3c4b5a69788796a5b4c3d2e1f0"
t_eq "aws sample: message text hashed" "$(sql "$T/w.db" "SELECT sha256 FROM store_messages WHERE line = 1")" \
	"$(printf 'Status update for the 0900 call' | sha256sum | cut -d' ' -f1)"

rm -f "$T/o.db"
run ingest --db "$T/o.db" wickr $D/oddities.txt
t_eq "oddities: exit" "$rc" 0
t_contains "oddities: summary" "$T/out" "7 records      4 skipped"
t_contains "oddities: ';' after an object" "$T/err" "udaudit: $D/oddities.txt:6:224: error: expected a JSON object, not ';'"
t_contains "oddities: JS object syntax" "$T/err" "udaudit: $D/oddities.txt:9:5: error: bad JSON:"
t_contains "oddities: 4011 without a target" "$T/err" "udaudit: $D/oddities.txt:21:1: error: msgtype 4011 without 'control.msgid' or 'control.message_id'"
t_contains "oddities: cut-off line" "$T/err" "udaudit: $D/oddities.txt:22:1: error: unterminated JSON object"
t_contains "oddities: counts" "$T/err" "ignored 3 edits/reactions/receipts, 2 room controls, 0 verifications, 1 unknown message types"
t_eq "oddities: store rows" "$(sql "$T/o.db" "SELECT line, account, strftime('%Y-%m-%dT%H:%M:%SZ', sent_ts, 'unixepoch')
	FROM store_messages ORDER BY line")" \
"1|wickr:a.smith@example.gov|2018-12-05T14:12:05Z
2|wickr:j.doe@example.gov|2018-12-05T14:13:20Z
3|wickr:j.doe@example.gov|2018-12-05T14:15:00Z
4|wickr:a.smith@example.gov|2018-12-05T14:15:00Z
13|wickr:a.smith@example.gov|2018-12-05T14:26:40Z
23|wickr:j.doe@example.gov|2018-12-05T14:31:40Z"
# the delete by another user than the sender: on the deleter's account
t_eq "oddities: local delete via control.message_id" "$(sql "$T/o.db" "SELECT line, account, message_id FROM usage")" \
	"5|wickr:j.doe@example.gov|a0000000000000000000000000000002"
t_eq "oddities: UTF-8 from \\u escapes" "$(sql "$T/o.db" "SELECT sha256 FROM store_messages WHERE line = 4")" \
	"$(printf 'emoji \360\237\230\200 and caf\303\251' | sha256sum | cut -d' ' -f1)"

rm -f "$T/s.db"
run ingest --db "$T/s.db" --strict wickr $D/oddities.txt
t_eq "oddities --strict: exit" "$rc" 3
t_eq "oddities --strict: nothing kept" "$(sql "$T/s.db" "SELECT count(*) FROM store_messages")" 0

# ---- Wickr Enterprise's Appendix B shape: text without message_id (a
# derived id, the same twice: two identical lines are one message), msg_ts
# as a number, a bad msg_ts that time_iso must not replace, and deletions:
# one of a message the file captured, one of a message it never saw ----
rm -f "$T/b.db"
run ingest --db "$T/b.db" wickr $D/enterprise_appendix_b.txt
t_eq "appendix b: exit" "$rc" 0
t_contains "appendix b: summary" "$T/out" "6 records      2 skipped"
t_contains "appendix b: bad msg_ts" "$T/err" "enterprise_appendix_b.txt:4:1: error: msgtype 1000: bad 'msg_ts'"
t_contains "appendix b: file without id" "$T/err" "enterprise_appendix_b.txt:7:1: error: msgtype 6000 without 'message_id'"
t_contains "appendix b: derived ids said" "$T/err" "2 text messages without message_id: id derived"
t_eq "appendix b: store rows" "$(sql "$T/b.db" "SELECT line, substr(message_id, 1, 6), length(message_id),
	strftime('%Y-%m-%dT%H:%M:%SZ', sent_ts, 'unixepoch') FROM store_messages ORDER BY line")" \
"1|wickr-|22|2018-10-18T20:26:42Z
2|wickr-|22|2018-10-18T20:26:42Z
3|b00000|32|2018-10-18T20:28:20Z"
t_eq "appendix b: same text, same id" "$(sql "$T/b.db" "SELECT count(DISTINCT message_id) FROM store_messages WHERE line < 3")" 1
# the deletion of b...ff, never captured: a copy on the deleter's account
t_eq "appendix b: usage" "$(sql "$T/b.db" "SELECT line, event, account, message_id,
	strftime('%Y-%m-%dT%H:%M:%SZ', ts, 'unixepoch') FROM usage ORDER BY event_id")" \
"5|deleted|wickr:compliancetest1@example.gov|b00000000000000000000000000000ff|2018-10-18T20:31:40Z
6|deleted|wickr:compliancetest2@example.gov|b0000000000000000000000000000003|2018-10-18T20:33:20Z
5|received|wickr:compliancetest1@example.gov|b00000000000000000000000000000ff|2018-10-18T20:31:40Z"
t_contains "appendix b: said" "$T/err" "1 deletion of messages not captured in this file"
t_eq "appendix b: only that copy's time is a bound" "$(sql "$T/b.db" "SELECT line, event, coalesce(ts_bound, 0)
	FROM usage ORDER BY event_id")" "5|deleted|0
6|deleted|0
5|received|1"
# and the analysis reports it as an uncaptured deletion
cat >"$T/acc.csv" <<CSV
account,app,custodian_id,custodian_name,office,role,official,capture,approved_on,opened_on,closed_on
wickr:compliancetest1@example.gov,wickr,C1,Test One,OPS,standard,yes,archiver,,2018-01-01,
CSV
run ingest --db "$T/b.db" accounts "$T/acc.csv"
run analyze --db "$T/b.db" --as-of 2018-12-31
run findings --db "$T/b.db" --format csv
t_contains "appendix b: UNCAPTURED_DELETION" "$T/out" "UNCAPTURED_DELETION,actual"
# what the letters read: the copy's sent time is unknown, no later than
# the deletion (finding_copies.ts_bound)
t_eq "appendix b: the copy is stored 'sent no later than'" "$(sql "$T/b.db" "SELECT c.message_id,
	strftime('%Y-%m-%dT%H:%M:%SZ', c.ts, 'unixepoch'), c.ts_bound, c.loss,
	strftime('%Y-%m-%dT%H:%M:%SZ', c.loss_ts, 'unixepoch') FROM finding_copies c
	JOIN findings f USING (run_id, finding_id) WHERE f.type = 'UNCAPTURED_DELETION'")" \
	"b00000000000000000000000000000ff|2018-10-18T20:31:40Z|1|deleted|2018-10-18T20:31:40Z"

# time_iso alone is a local time: read in --tz
rm -f "$T/tz.db"
run ingest --db "$T/tz.db" --tz -05:00 wickr $D/oddities.txt
t_eq "time_iso in --tz" "$(sql "$T/tz.db" "SELECT strftime('%Y-%m-%dT%H:%M:%SZ', sent_ts, 'unixepoch') FROM store_messages WHERE line = 3")" \
	"2018-12-05T19:15:00Z"
t_contains "time_iso: said at its line" "$T/err" "udaudit: $D/oddities.txt:3: 1 record without msg_ts: time_iso (a local time) read as -05:00 (the first '2018-12-05 14:15:00.000')"
t_eq "time_iso in --tz: no guess stored" "$(sql "$T/tz.db" "SELECT count(*) FROM data_quality")" 0
# without --tz it is taken as UTC: a guess, said with file:line and count,
# kept in data_quality as every zone-less time is (so --strict fails a run)
rm -f "$T/utc.db"
run ingest --db "$T/utc.db" wickr $D/oddities.txt
t_eq "time_iso as UTC: exit" "$rc" 0
t_contains "time_iso as UTC: warned at its line" "$T/err" "udaudit: $D/oddities.txt:3: warning: 1 record without msg_ts: time_iso (a local time of the bot's host, the first '2018-12-05 14:15:00.000') taken as UTC; give the input option tz= with its offset"
t_eq "time_iso as UTC: the time" "$(sql "$T/utc.db" "SELECT strftime('%Y-%m-%dT%H:%M:%SZ', sent_ts, 'unixepoch') FROM store_messages WHERE line = 3")" \
	"2018-12-05T14:15:00Z"
t_eq "time_iso as UTC: data_quality row" "$(sql "$T/utc.db" "SELECT check_name, subject, count, unit, line, from_input FROM data_quality")" \
	"time_without_zone|2018-12-05 14:15:00.000|1|records|3|1"
t_done
