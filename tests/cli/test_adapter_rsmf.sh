# The rsmf adapter (spec §6, formats.md §5.1): the manifest, the zip that
# holds it, and invalid references reported by JSON path.
. tests/cli/lib.sh
D=tests/data/adapters/rsmf

rm -f "$T/r.db"
run ingest --db "$T/r.db" rsmf $D/rsmf_manifest.json
t_eq "manifest: exit" "$rc" 0
t_contains "manifest: summary" "$T/out" "4 records      0 skipped"
t_contains "manifest: the join is ignored" "$T/err" "ignored 1 events that are not messages"
t_eq "manifest: store rows" "$(sql "$T/r.db" "SELECT line, message_id, app, account, conversation_id,
	strftime('%Y-%m-%dT%H:%M:%SZ', sent_ts, 'unixepoch'), sha256 IS NOT NULL FROM store_messages ORDER BY line")" \
"2|e2|wickr|wickr:a.smith@example.gov|c1|2024-06-10T06:30:00Z|1
3|e3|wickr|wickr:a.smith@example.gov|c1|2024-06-10T06:34:00Z|0
4|e4|wickr|wickr:j.doe@example.gov|c1|2024-06-10T06:36:00Z|1"
t_eq "manifest: deleted: true" "$(sql "$T/r.db" "SELECT line, event, account, message_id,
	strftime('%Y-%m-%dT%H:%M:%SZ', ts, 'unixepoch') FROM usage")" \
	"3|deleted|wickr:a.smith@example.gov|e3|2024-06-10T06:34:00Z"

rm -f "$T/z.db"
run ingest --db "$T/z.db" rsmf $D/rsmf.zip
t_eq "zip: exit" "$rc" 0
t_eq "zip: same rows" "$(sql "$T/z.db" "SELECT group_concat(message_id) FROM store_messages")" "e2,e3,e4"

rm -f "$T/i.db"
run ingest --db "$T/i.db" rsmf $D/invalid_refs.json
t_eq "invalid refs: exit" "$rc" 0
t_contains "invalid refs: summary" "$T/out" "4 records     11 skipped"
for m in "participants[0].id: missing or not a string" \
	 "participants[4].id: duplicate id 'p1'" \
	 "conversations[1].platform: missing or empty" \
	 "conversations[0].participants[1]: unknown participant '2'" \
	 "conversations[2].custodian: unknown participant 'p9'" \
	 "events[1].participant: unknown participant '2'" \
	 "events[2].conversation: unknown conversation 'c2'" \
	 "events[3].timestamp: missing or not ISO 8601" \
	 "events[5].edits[0].participant: unknown participant 'p7'" \
	 "events[7].type: missing or not a string"; do
	t_contains "invalid refs: $m" "$T/err" "udaudit: $D/invalid_refs.json: error: $m"
done
t_eq "invalid refs: rows" "$(sql "$T/i.db" "SELECT line, substr(message_id, 1, 5), app, account,
	strftime('%Y-%m-%dT%H:%M:%SZ', sent_ts, 'unixepoch') FROM store_messages ORDER BY line")" \
"1|rsmf-|teams|teams:j.doe@example.gov|2013-01-10T15:53:00Z
5|m5|whatsapp|whatsapp:p3|2013-01-10T21:00:00Z
6|m6|whatsapp|whatsapp:j.doe@example.gov|2013-01-10T21:01:00Z"
t_eq "invalid refs: deleted with a body" "$(sql "$T/i.db" "SELECT message_id FROM usage WHERE event = 'deleted'")" "m5"

rm -f "$T/b.db"
run ingest --db "$T/b.db" rsmf $D/bad_json.json
t_eq "bad JSON: exit" "$rc" 3
t_contains "bad JSON: line:col" "$T/err" "udaudit: $D/bad_json.json:2:15: error: bad JSON:"
printf '{"version":"2.0.0"}' >"$T/empty.json"
run ingest --db "$T/b.db" rsmf "$T/empty.json"
t_contains "not a manifest" "$T/err" "not an RSMF manifest"
# ---- as vendors write it: a UTF-8 BOM before the manifest, "deleted" as a
# string ("true" is read, anything but true/false is a bad record, never
# silently false), platform "SMS" as the app key sms ----
rm -f "$T/v.db"
run ingest --db "$T/v.db" rsmf $D/vendor_quirks.json
t_eq "vendor: exit" "$rc" 0
t_contains "vendor: summary" "$T/out" "4 records      1 skipped"
t_contains "vendor: deleted yes" "$T/err" "vendor_quirks.json: error: events[3].deleted: not true or false"
t_eq "vendor: rows" "$(sql "$T/v.db" "SELECT message_id, app, account FROM store_messages ORDER BY line")" \
"1|sms|sms:P2
2|sms|sms:+15550100001
3|sms|sms:+15550100001"
t_eq "vendor: deleted as a string" "$(sql "$T/v.db" "SELECT message_id FROM usage WHERE event = 'deleted'")" 2
# ---- .rsmf as Relativity and vendors deliver it: an EML message (read
# with GMime) whose attachment rsmf.zip (base64) holds the manifest ----
rm -f "$T/e.db"
run ingest --db "$T/e.db" rsmf $D/relativity_sample3.rsmf
t_eq "relativity sample3: exit" "$rc" 0
t_eq "relativity sample3: the message" "$(sql "$T/e.db" "SELECT message_id, app, account, conversation_id,
	strftime('%Y-%m-%dT%H:%M:%SZ', sent_ts, 'unixepoch') FROM store_messages")" "1|skype|skype:1|1|2013-01-10T15:53:00Z"
rm -f "$T/ve.db"
run ingest --db "$T/ve.db" rsmf $D/vendor_export.rsmf
t_eq "vendor eml: exit" "$rc" 0
t_contains "vendor eml: bad record names the member" "$T/err" "vendor_export.rsmf(rsmf.zip)(rsmf_manifest.json): error: events[3].deleted: not true or false"
t_eq "vendor eml: same rows as its manifest" "$(sql "$T/ve.db" "SELECT group_concat(message_id || app || account) FROM store_messages")" \
	"$(sql "$T/v.db" "SELECT group_concat(message_id || app || account) FROM store_messages")"
rm -f "$T/na.db"
run ingest --db "$T/na.db" rsmf $D/no_attachment.rsmf
t_eq "eml without rsmf.zip: exit" "$rc" 3
t_contains "eml without rsmf.zip: message" "$T/err" "no_attachment.rsmf: error: no attachment 'rsmf.zip' (or other .zip) in the message"
t_done
