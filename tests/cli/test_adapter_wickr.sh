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
t_done
