# The teams adapter (spec §6): Microsoft Graph export pages of chatMessages
# (getAllMessages, getAllRetainedMessages) into usage events and, for
# retained messages, compliance-store records.
. tests/cli/lib.sh
D=tests/data/adapters/teams

# Graph's own getAllMessages example: 2 messages of one sender, 2 chats
rm -f "$T/a.db"
run ingest --db "$T/a.db" teams $D/chats_getallmessages.json
t_eq "getAllMessages: exit" "$rc" 0
t_contains "getAllMessages: summary" "$T/out" "2 records      0 skipped"
t_contains "getAllMessages: not retained, said" "$T/err" "no page names getAllRetainedMessages: usage events only"
t_eq "getAllMessages: sent, senders, chats, first and last" "$(sql "$T/a.db" "SELECT count(*),
	count(DISTINCT account), count(DISTINCT conversation_id),
	strftime('%Y-%m-%dT%H:%M:%SZ', min(ts), 'unixepoch'), strftime('%Y-%m-%dT%H:%M:%SZ', max(ts), 'unixepoch')
	FROM usage WHERE event = 'sent'")" "2|1|2|2021-05-25T20:12:14Z|2021-06-03T23:22:47Z"
t_eq "getAllMessages: each message at its line" "$(sql "$T/a.db" "SELECT line, account, message_id FROM usage ORDER BY line")" \
"6|teams:0b4f1cf6-54c8-4820-bbb7-2a1f4257ade5|19:3c9e92a344704332bbf5bda58f4d37b1@thread.v2:1621973534864
42|teams:0b4f1cf6-54c8-4820-bbb7-2a1f4257ade5|19:0b4f1cf6-54c8-4820-bbb7-2a1f4257ade5_0d7c63d3-1306-4eec-8f21-588a70fb6ef1@unq.gbl.spaces:1622762567488"
t_eq "getAllMessages: no store rows" "$(sql "$T/a.db" "SELECT count(*) FROM store_messages")" 0

# Two pages of getAllRetainedMessages, one JSON line each: 7 chatMessages =
# 3 kept (one deleted, one in a channel), a system event and a bot message
# ignored, 2 bad
rm -f "$T/r.db"
C='19:0de69e5e-2da8-4cf2-821f-5e6585b2c65b_5c64e248-3269-4268-a36e-0f80314e9c39@unq.gbl.spaces'
run ingest --db "$T/r.db" --opt users=$D/users.csv teams $D/retained_pages.jsonl
t_eq "retained: exit" "$rc" 0
t_contains "retained: summary" "$T/out" "7 records      2 skipped"
t_contains "retained: detected" "$T/err" "read as getAllRetainedMessages (the page at line 1 names it)"
t_contains "retained: ignored, counted" "$T/err" "ignored 1 system-event messages and 1 messages from applications or bots"
t_contains "retained: no createdDateTime" "$T/err" "udaudit: $D/retained_pages.jsonl:2: error: message '1600462000000': missing or bad 'createdDateTime'"
t_contains "retained: bad deletedDateTime" "$T/err" "udaudit: $D/retained_pages.jsonl:2: error: message '1600463000000': bad 'deletedDateTime' 'yesterday'"
t_eq "retained: events" "$(sql "$T/r.db" "SELECT line, event, account, message_id, conversation_id,
	strftime('%Y-%m-%dT%H:%M:%SZ', ts, 'unixepoch') FROM usage ORDER BY event_id")" \
"1|sent|teams:r.wilson@example.gov|$C:1600457965467|$C|2020-09-18T19:39:25Z
1|sent|teams:a.vance@example.gov|$C:1600458012345|$C|2020-09-18T19:40:12Z
1|deleted|teams:a.vance@example.gov|$C:1600458012345|$C|2020-09-21T08:15:00Z
2|sent|teams:r.wilson@example.gov|19:4a95f7d8db4c4e7fae857bcebe0623e6@thread.tacv2:1600461234567|19:4a95f7d8db4c4e7fae857bcebe0623e6@thread.tacv2|2020-09-18T20:33:54Z"
t_eq "retained: store rows" "$(sql "$T/r.db" "SELECT message_id, account,
	strftime('%Y-%m-%dT%H:%M:%SZ', sent_ts, 'unixepoch'), length(sha256) FROM store_messages ORDER BY rowid")" \
"$C:1600457965467|teams:r.wilson@example.gov|2020-09-18T19:39:25Z|64
$C:1600458012345|teams:a.vance@example.gov|2020-09-18T19:40:12Z|64
19:4a95f7d8db4c4e7fae857bcebe0623e6@thread.tacv2:1600461234567|teams:r.wilson@example.gov|2020-09-18T20:33:54Z|64"
# the deleted message is retained: no finding for it
run analyze --db "$T/r.db" --as-of 2020-12-31 --rules rules
run findings --db "$T/r.db" --format csv
t_eq "retained: no findings" "$(tail -n +2 "$T/out" | wc -l)" 0

# the same export read as getAllMessages: the deletion is unrecorded
rm -f "$T/n.db"
run inputs list --db "$T/r.db"
t_eq "inputs list: the side file on a row under its input" "$(sed -n 2p "$T/out")" \
	"      teams users=           -  $(sha256sum <"$D/users.csv" | cut -c1-12)  $D/users.csv"
run ingest --db "$T/n.db" --opt users=$D/users.csv --opt retained=no teams $D/retained_pages.jsonl
t_contains "retained=no: summary" "$T/out" "4 records      2 skipped"
run analyze --db "$T/n.db" --as-of 2020-12-31 --rules rules
run findings --db "$T/n.db" --format csv --type UNCAPTURED_DELETION
t_contains "retained=no: the deletion is found" "$T/out" ",UNCAPTURED_DELETION,actual,high,,,teams:a.vance@example.gov,teams,,2020-09-18T19:40:12Z,2020-09-18T19:40:12Z,1,1,"

# a users file that lacks the sender: said, and the object id stays
rm -f "$T/u.db"
run ingest --db "$T/u.db" --opt users=$D/users.csv teams $D/chats_getallmessages.json
t_contains "users: unmapped said" "$T/err" "2 messages from users not in the users file (first '0b4f1cf6-54c8-4820-bbb7-2a1f4257ade5')"
run ingest --db "$T/u.db" --opt users=$T/none.csv teams $D/retained_pages.jsonl
t_eq "users: missing file: exit" "$rc" 3
t_contains "users: missing file" "$T/err" "udaudit: $T/none.csv: error: cannot open"
run ingest --db "$T/u.db" --opt retained=maybe teams $D/retained_pages.jsonl
t_contains "bad retained option" "$T/err" "bad retained option 'maybe' (expected yes or no)"

# A chatMessage id is unique only within its chat (it is the creation
# time in milliseconds): the same id in two chats is two messages, stored
# as "<chatId>:<id>" in usage and store rows alike. Chat A's message is
# retained, chat B's was deleted and is not: one uncaptured deletion, not
# a message retained through the other chat's copy
A2='19:561082c0f3f847a58069deb8eb300807@thread.v2'
B2='19:2da4c29f6d7041eca70b638b43d45437_8f0f2bc4-b3c2-4da2-8b42-5b2a3e4c9b22@unq.gbl.spaces'
rm -f "$T/2.db"
run ingest --db "$T/2.db" teams $D/two_chats_same_id.json
t_eq "two chats: exit" "$rc" 0
t_contains "two chats: summary" "$T/out" "4 records      0 skipped"
t_contains "two chats: a message without its chat, said" "$T/err" "warning: 1 messages without 'chatId' or 'channelIdentity': their ids are not qualified by a conversation"
t_eq "two chats: two messages, not one" "$(sql "$T/2.db" "SELECT event, message_id FROM usage
	WHERE message_id LIKE '%1616963377068' ORDER BY event_id")" "sent|$A2:1616963377068
sent|$B2:1616963377068
deleted|$B2:1616963377068"
run ingest --db "$T/2.db" teams $D/retained_chat_a.json
t_contains "two chats: chat A retained" "$T/err" "read as getAllRetainedMessages"
t_eq "two chats: the store row is chat A's" "$(sql "$T/2.db" "SELECT message_id FROM store_messages")" "$A2:1616963377068"
run analyze --db "$T/2.db" --as-of 2021-06-30 --rules rules
run findings --db "$T/2.db" --format csv --type UNCAPTURED_DELETION
t_eq "two chats: chat B's deletion is uncaptured" "$(grep -c ',UNCAPTURED_DELETION,' "$T/out")" 1
t_contains "two chats: by chat B's sender" "$T/out" ",teams:4595d2f2-7b31-446c-84fd-9b795e63114b,teams,,2021-03-28T20:29:37Z,"
t_eq "two chats: the copy is chat B's" "$(sql "$T/2.db" "SELECT c.message_id FROM finding_copies c
	JOIN findings f USING (run_id, finding_id) WHERE f.type = 'UNCAPTURED_DELETION'")" "$B2:1616963377068"

# users= in audit.ini is relative to audit.ini, as the input path is
mkdir -p "$T/cfg/exports"
cp $D/users.csv "$T/cfg/exports/entra-users.csv"
cp $D/retained_pages.jsonl "$T/cfg/exports/"
cat >"$T/cfg/audit.ini" <<INI
[audit]
agency = Example Agency
quarter = 2020Q4
db = audit.db

[inputs]
teams = exports/retained_pages.jsonl users=exports/entra-users.csv

[rules]
dir = $(pwd)/rules
INI
run run "$T/cfg/audit.ini"
t_eq "audit.ini users=: exit" "$rc" 0
t_eq "audit.ini users=: the senders mapped" "$(sql "$T/cfg/audit.db" "SELECT group_concat(DISTINCT account) FROM usage")" \
	"teams:r.wilson@example.gov,teams:a.vance@example.gov"

# a page cut short, bad JSON, not JSON at all
rm -f "$T/b.db"
run ingest --db "$T/b.db" teams $D/truncated.json
t_eq "truncated: exit" "$rc" 3
t_contains "truncated: where" "$T/err" "udaudit: $D/truncated.json:1:1: error: unterminated JSON value (the file ends inside it)"
t_contains "truncated: nothing loaded" "$T/err" "not loaded; the audit database is unchanged"
head -c 5000 $D/retained_pages.jsonl >"$T/cut.jsonl"
run ingest --db "$T/b.db" teams "$T/cut.jsonl"
t_eq "cut JSON lines: exit" "$rc" 0
t_contains "cut JSON lines: first page kept (3 events, 2 store rows)" "$T/out" "5 records      1 skipped"
t_contains "cut JSON lines: the cut page" "$T/err" "udaudit: $T/cut.jsonl:2:1: error: unterminated JSON value"
printf '{"value": [\n  {"id": "1", "messageType": "message",\n   "createdDateTime": 2021}\n  {"id": "2"}]}\n' >"$T/bad.json"
run ingest --db "$T/b.db" teams "$T/bad.json"
t_eq "bad JSON: exit" "$rc" 3
t_contains "bad JSON: line:col" "$T/err" "udaudit: $T/bad.json:4:3: error: bad JSON:"
printf 'id,createdDateTime\n1,2021-01-01\n' >"$T/not.json"
run ingest --db "$T/b.db" teams "$T/not.json"
t_contains "not JSON" "$T/err" "udaudit: $T/not.json:1:1: error: expected a JSON object or array"
t_done
