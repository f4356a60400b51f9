# The same Teams message read from a Graph export (teams) and from the
# Purview audit log (purview) is one record: both key the conversation by
# its Teams thread id (19:…@thread.tacv2 for a channel: Graph's
# channelIdentity.channelId and chatId; Purview's ChatThreadId, else
# ChannelGuid, at the top of AuditData or in Messages[]) and the message by
# "<thread id>:<message id>" (the id is the creation time in milliseconds
# in both). A row whose ids cannot be matched (a ChannelGuid that is a bare
# GUID, as the schema's Edm.Guid type allows; no conversation at all) is
# said with its file:line and a count, and kept in data_quality.
. tests/cli/lib.sh
G=tests/data/adapters/teams
P=tests/data/adapters/purview
C='19:4a95f7d8db4c4e7fae857bcebe0623e6@thread.tacv2'

run ingest --db "$T/a.db" --opt users=$G/users.csv teams $G/channel_getallmessages.json
t_eq "graph: exit" "$rc" 0
t_contains "graph: 3 channel messages" "$T/out" "3 records      0 skipped"
run ingest --db "$T/a.db" purview $P/audit_channel.csv
t_eq "purview: exit" "$rc" 0
t_contains "purview: 5 records" "$T/out" "5 records      0 skipped"
t_contains "purview: a bare-GUID ChannelGuid, said" "$T/err" \
	"udaudit: $P/audit_channel.csv:4: warning: 1 Teams message whose conversation is not a Teams thread id (ChannelGuid '4a95f7d8-db4c-4e7f-ae85-7bcebe0623e6'; a Graph export names it 19:…@thread…): it cannot be matched to the same message from a Graph export"
t_contains "purview: no conversation, said" "$T/err" \
	"udaudit: $P/audit_channel.csv:5: warning: 1 Teams message without ChatThreadId or ChannelGuid (MessageId '1600470300000'): its id is not qualified by a conversation and cannot be matched to the same message from a Graph export"
t_eq "purview: the deletions are of the Graph messages" "$(sql "$T/a.db" "SELECT d.line, d.account, s.line
	FROM usage d JOIN usage s ON s.message_id = d.message_id AND s.event = 'sent'
	WHERE d.event = 'deleted' ORDER BY d.line")" "2|teams:r.wilson@example.gov|5
3|teams:a.vance@example.gov|46"
t_eq "purview: both keyed the same way" "$(sql "$T/a.db" "SELECT DISTINCT message_id FROM usage
	WHERE event = 'deleted' ORDER BY 1")" "$C:1600470000000
$C:1600470060000"
t_eq "purview: the unmatched rows in data_quality" "$(sql "$T/a.db" "SELECT check_name, subject, count, line
	FROM data_quality ORDER BY line")" "teams_id_unmatched|4a95f7d8-db4c-4e7f-ae85-7bcebe0623e6|1|4
teams_id_unmatched|1600470300000|1|5"

# the finding numbers: each deletion is an uncaptured deletion of the
# message the Graph export holds (matched), one message each
run analyze --db "$T/a.db" --as-of 2020-12-31 --rules rules
run findings --db "$T/a.db" --format csv --type UNCAPTURED_DELETION
t_eq "findings: two uncaptured deletions" "$(tail -n +2 "$T/out" | wc -l)" 2
t_contains "findings: Wilson's root post" "$T/out" ",UNCAPTURED_DELETION,actual,high,,,teams:r.wilson@example.gov,teams,,2020-09-18T23:20:00Z,2020-09-18T23:20:00Z,1,1,"
t_contains "findings: Vance's reply" "$T/out" ",UNCAPTURED_DELETION,actual,high,,,teams:a.vance@example.gov,teams,,2020-09-18T23:21:00Z,2020-09-18T23:21:00Z,1,1,"

# without the users file the Graph senders are object ids: nothing matches,
# and the warning says why
run ingest --db "$T/n.db" teams $G/channel_getallmessages.json
t_contains "no users file: said" "$T/err" "udaudit: $G/channel_getallmessages.json: no users file: the accounts of 3 messages are teams:<object id> (the first '0de69e5e-2da8-4cf2-821f-5e6585b2c65b'); Purview and accounts.csv name senders by principal name: give users=FILE to map them"
run ingest --db "$T/n.db" purview $P/audit_channel.csv
run analyze --db "$T/n.db" --as-of 2020-12-31 --rules rules
run findings --db "$T/n.db" --format csv --type UNCAPTURED_DELETION
t_eq "no users file: the deletions find no copy" "$(tail -n +2 "$T/out" | wc -l)" 0
t_done
