# The purview adapter (spec §6, formats.md §4): both CSV layouts, AuditData
# JSON in a cell, Teams message operations into usage events.
. tests/cli/lib.sh
D=tests/data/adapters/purview

rm -f "$T/p.db"
run ingest --db "$T/p.db" purview $D/audit_new.csv $D/audit_classic.csv
t_eq "purview: exit" "$rc" 0
t_contains "new layout: summary" "$T/out" "5 records      1 skipped"
t_contains "classic layout: summary" "$T/out" "3 records      0 skipped"
t_contains "new layout: bad AuditData" "$T/err" "udaudit: $D/audit_new.csv:8: error: AuditData: bad JSON"
# a MessageSent without MessageId still says a message was sent: derived id
t_contains "new layout: no MessageId, derived" "$T/err" "$D/audit_new.csv: 1 message sent without a MessageId: id derived (purview-…)"
t_contains "new layout: ignored, counted" "$T/err" "$D/audit_new.csv: ignored 2 records that are not Teams message operations"
t_eq "purview: events" "$(sql "$T/p.db" "SELECT line, strftime('%Y-%m-%dT%H:%M:%SZ', ts, 'unixepoch'), event, app,
	account, message_id, conversation_id FROM usage ORDER BY event_id")" \
"2|2024-06-10T13:05:00Z|sent|teams|teams:j.doe@example.gov|19:abc123@thread.v2:1718024700000|19:abc123@thread.v2
3|2024-06-10T13:06:00Z|sent|teams|teams:j.doe@example.gov|19:abc123@thread.v2:1718024760000|19:abc123@thread.v2
4|2024-06-10T13:07:00Z|deleted|teams|teams:j.doe@example.gov|19:abc123@thread.v2:1718024760000|19:abc123@thread.v2
5|2024-06-10T13:08:00Z|received|teams|teams:a.smith@example.gov|19:abc123@thread.v2:1718024760000|19:abc123@thread.v2
9|2024-06-10T13:12:00Z|sent|teams|teams:a.smith@example.gov|purview-$(printf 'a.smith@example.gov\0002024-06-10T13:12:00Z\000\0000b9c8d7e-0000-4000-8000-000000000031\000' | sha256sum | cut -c1-16)|
2|2024-06-11T09:00:00Z|sent|teams|teams:k.ray@example.gov|19:def456@thread.v2:1718096400000|19:def456@thread.v2
3|2024-06-11T09:30:00Z|deleted|teams|teams:k.ray@example.gov|19:def456@thread.v2:1718096400000|19:def456@thread.v2
5|2024-06-11T11:00:00Z|sent|teams|teams:k.ray@example.gov|19:def456@thread.v2:1718103600000|19:def456@thread.v2"
# CreationDate with a trailing space (as real exports have it) is trimmed;
# a MessageDeleted without MessageId names nothing: a bad record
rm -f "$T/q.db"
run ingest --db "$T/q.db" purview $D/audit_quirks.csv
t_eq "quirks: exit" "$rc" 0
t_contains "quirks: summary" "$T/out" "2 records      1 skipped"
t_contains "quirks: deletion without id" "$T/err" "audit_quirks.csv:4: error: MessageDeleted without a MessageId"
t_eq "quirks: events" "$(sql "$T/q.db" "SELECT line, strftime('%Y-%m-%dT%H:%M:%SZ', ts, 'unixepoch'), event, message_id FROM usage ORDER BY event_id")" \
"2|2024-06-12T08:00:00Z|sent|19:q1@thread.v2:1718179200000
3|2024-06-12T08:05:00Z|deleted|19:q1@thread.v2:1718179200000"
# a CreationDate that is no time, and no CreationTime in AuditData: skipped
{ head -n 2 $D/audit_quirks.csv; sed -n 2p $D/audit_quirks.csv | sed 's/^"2024-06-12T08:00:00.0000000Z "/"last Tuesday"/'; } >"$T/baddate.csv"
rm -f "$T/b.db"
run ingest --db "$T/b.db" purview "$T/baddate.csv"
t_eq "bad date: exit" "$rc" 0
t_contains "bad date: said" "$T/err" "baddate.csv:3: error: bad CreationDate 'last Tuesday'"
t_eq "bad date: only the good row" "$(sql "$T/b.db" "SELECT group_concat(line) FROM usage")" "2"
printf 'RecordId,Operation,UserId\nx,MessageSent,y\n' >"$T/noaudit.csv"
run ingest --db "$T/p.db" purview "$T/noaudit.csv"
t_contains "purview: needs AuditData" "$T/err" "header has no column 'CreationDate'"
t_done
