# The slack adapter (spec §6): a Slack workspace export zip (users.json,
# the conversation listings, daily files per conversation) into usage
# events and, with record_copy=yes, compliance-store records.
. tests/cli/lib.sh
D=tests/data/adapters/slack

# slack-export-viewer's test archive, a real export: 2 channels, 4 users,
# 53 messages by people (49 plain, 3 file shares, 1 file comment), 94 bot
# messages, 8 joins and 3 integrations added
rm -f "$T/v.db"
run ingest --db "$T/v.db" slack $D/slack_export_viewer_testarchive.zip
t_eq "viewer archive: exit" "$rc" 0
t_contains "viewer archive: summary" "$T/out" "53 records      0 skipped"
t_contains "viewer archive: ignored, counted" "$T/err" "ignored 11 system messages (joins, topics, ...), 94 bot messages; 1 edits (not new messages)"
t_eq "viewer archive: messages, senders, channels, first and last" "$(sql "$T/v.db" "SELECT count(*),
	count(DISTINCT account), count(DISTINCT conversation_id),
	strftime('%Y-%m-%dT%H:%M:%SZ', min(ts), 'unixepoch'), strftime('%Y-%m-%dT%H:%M:%SZ', max(ts), 'unixepoch')
	FROM usage WHERE event = 'sent'")" "53|4|2|2016-01-15T05:55:52Z|2016-03-28T08:52:54Z"
t_eq "viewer archive: per sender" "$(sql "$T/v.db" "SELECT account, count(*) FROM usage GROUP BY account ORDER BY account")" \
"slack:U0BMM2FEH|1
slack:U0BMQB6JE|33
slack:U0BMS113R|14
slack:U0BMYT2FL|5"
t_eq "viewer archive: the first message" "$(sql "$T/v.db" "SELECT line, message_id, conversation_id FROM usage ORDER BY ts LIMIT 1")" \
	"33|C0JGLMMNX:1452837352.000006|C0JGLMMNX"
t_eq "viewer archive: no deletions, no store rows" "$(sql "$T/v.db" "SELECT (SELECT count(*) FROM usage WHERE event = 'deleted'), (SELECT count(*) FROM store_messages)")" "0|0"

# An agency's export (re-zipped in its folder): a channel, a private
# channel, a DM and a group DM; edits, deletions, tombstones, bad records
A="$D/agency_export.zip"
M="$A(Example Agency Slack export Jun 1 2024 - Jun 30 2024"
rm -f "$T/a.db"
run ingest --db "$T/a.db" slack "$A"
t_eq "agency: exit" "$rc" 0
t_contains "agency: summary" "$T/out" "14 records      2 skipped"
t_contains "agency: no ts" "$T/err" "udaudit: $M/eoc-ops/2024-06-04.json):65: error: message without a usable 'ts'"
t_contains "agency: bad JSON in a daily file" "$T/err" "udaudit: $M/leadership/2024-06-07.json):7:5: error: bad JSON:"
t_contains "agency: tombstone without a sender" "$T/err" "udaudit: $M/eoc-ops/2024-06-04.json):57: warning: deleted message (tombstone) whose sender no reply names: not counted"
t_contains "agency: unlisted folder" "$T/err" "warning: folder 'eoc-archive' is in no channels/groups/dms/mpims listing: its name is the conversation id"
t_contains "agency: unknown user" "$T/err" "warning: 1 messages from users not in users.json (first 'U09GONE')"
t_contains "agency: ignored" "$T/err" "ignored 1 system messages (joins, topics, ...), 2 bot messages; 2 edits (not new messages)"
t_eq "agency: messages, deletions, senders" "$(sql "$T/a.db" "SELECT (SELECT count(*) FROM usage WHERE event = 'sent'),
	(SELECT count(*) FROM usage WHERE event = 'deleted'), (SELECT count(DISTINCT account) FROM usage)")" "11|3|4"
t_eq "agency: deletions" "$(sql "$T/a.db" "SELECT line, account, message_id,
	strftime('%Y-%m-%dT%H:%M:%SZ', ts, 'unixepoch') FROM usage WHERE event = 'deleted' ORDER BY message_id")" \
"42|slack:a.smith@example.gov|C01OPS:1717405320.000300|2024-06-04T10:00:00Z
29|slack:a.smith@example.gov|C01OPS:1717405500.000400|2024-06-03T09:05:00Z
18|slack:j.doe@example.gov|G02LEAD:1717578000.000100|2024-06-05T10:00:00Z"
t_eq "agency: conversations by id" "$(sql "$T/a.db" "SELECT conversation_id, count(*) FROM usage WHERE event = 'sent' GROUP BY 1 ORDER BY 1")" \
"C01OPS|5
D03JDAS|2
G02LEAD|1
G04MPIM|2
eoc-archive|1"
t_eq "agency: accounts (e-mail when exported)" "$(sql "$T/a.db" "SELECT DISTINCT account FROM usage ORDER BY 1")" \
"slack:U03KRAY
slack:U09GONE
slack:a.smith@example.gov
slack:j.doe@example.gov"
run analyze --db "$T/a.db" --as-of 2024-06-30 --rules rules
run findings --db "$T/a.db" --format csv --type UNCAPTURED_DELETION
t_eq "agency: three uncaptured deletions, in two findings" "$(grep -c ',UNCAPTURED_DELETION,' "$T/out")" 2
t_contains "agency: a.smith's two" "$T/out" ",UNCAPTURED_DELETION,actual,high,,,slack:a.smith@example.gov,slack,,2024-06-03T09:02:00Z,2024-06-03T09:05:00Z,2,1,"

# the export as the agency's record copy: the messages it holds are retained
rm -f "$T/r.db"
run ingest --db "$T/r.db" --opt record_copy=yes slack "$A"
t_contains "record copy: summary (14 events, 10 store rows)" "$T/out" "24 records      2 skipped"
t_eq "record copy: store rows (what the export holds, not the tombstone)" "$(sql "$T/r.db" "SELECT count(*), count(sha256),
	sum(message_id = 'C01OPS:1717405500.000400') FROM store_messages")" "10|10|0"
run analyze --db "$T/r.db" --as-of 2024-06-30 --rules rules
run findings --db "$T/r.db" --format csv --type UNCAPTURED_DELETION
t_eq "record copy: only the tombstone is uncaptured" "$(grep ',UNCAPTURED_DELETION,' "$T/out" | cut -d, -f7,10,12)" \
	"slack:a.smith@example.gov,2024-06-03T09:05:00Z,1"
rm -f "$T/o.db"
run ingest --db "$T/o.db" --opt record_copy=maybe slack "$A"
t_contains "record copy: bad option" "$T/err" "bad record_copy option 'maybe' (expected yes or no)"

# The same export as the folder it unzips to (what a user has after
# opening the zip): the same events. The manifest's hash of a folder is
# the SHA-256 of its listing in sha256sum's format, files in byte order of
# their names (hidden files and links left out); each file is listed with
# its own hash in input_files
mkdir -p "$T/unzipped"
(cd "$T/unzipped" && unzip -q "$OLDPWD/$A")
F="$T/unzipped/Example Agency Slack export Jun 1 2024 - Jun 30 2024"
touch "$F/.DS_Store"
rm -f "$T/f.db"
run ingest --db "$T/f.db" slack "$F"
t_eq "folder: exit" "$rc" 0
t_contains "folder: summary" "$T/out" "14 records      2 skipped"
t_contains "folder: a bad record names the file in the folder" "$T/err" "udaudit: $F/eoc-ops/2024-06-04.json:65: error: message without a usable 'ts'"
t_eq "folder: the zip's events" "$(sql "$T/f.db" "SELECT line, ts, event, account, message_id, conversation_id FROM usage ORDER BY event_id")" \
	"$(sql "$T/a.db" "SELECT line, ts, event, account, message_id, conversation_id FROM usage ORDER BY event_id")"
digest=$(cd "$F" && find . -type f ! -path '*[/].*' -printf '%P\n' | LC_ALL=C sort |
	while IFS= read -r f; do sha256sum "$f"; done | sha256sum | cut -d' ' -f1)
t_eq "folder: its hash, as documented" "$(sql "$T/f.db" "SELECT sha256, size FROM inputs")" \
	"$digest|$(cat "$F"/*.json "$F"/*/*.json | wc -c)"
t_eq "folder: each file listed" "$(sql "$T/f.db" "SELECT count(*), sum(path = 'eoc-ops/2024-06-04.json'),
	sum(path LIKE '%.DS_Store') FROM input_files")" "13|1|0"
t_eq "folder: a file's hash" "$(sql "$T/f.db" "SELECT sha256 FROM input_files WHERE path = 'users.json'")" \
	"$(sha256sum "$F/users.json" | cut -d' ' -f1)"
run ingest --db "$T/f.db" slack "$F"
t_contains "folder: the same folder again is already loaded" "$T/out" "already loaded"
run verify --db "$T/f.db"
t_contains "folder: verify ok" "$T/out" "ok       slack"
printf ' ' >>"$F/users.json"
run verify --db "$T/f.db"
t_contains "folder: verify sees a changed folder" "$T/out" "CHANGED  slack"
t_contains "folder: and says which file" "$T/out" "           changed  users.json"
rm "$F/dms.json"
printf '[]\n' >"$F/canvases.json"
run verify --db "$T/f.db"
t_contains "folder: a file gone" "$T/out" "           missing  dms.json"
t_contains "folder: a file added" "$T/out" "           new      canvases.json"
t_eq "folder: only those" "$(grep -c '^           ' "$T/out")" 3
run ingest --db "$T/b.db" devices "$F"
t_contains "folder: other kinds take files only" "$T/err" "not a regular file (a folder, device or FIFO is not an input)"

# An Enterprise Grid org export, as a folder: the org's members
# (org_users.json, Slack's name for them in an org export) and its
# org-level conversations (an org-wide channel, a DM, a group DM) at the
# root; each workspace a nested export under teams/ with its own
# users.json, listings and channel folders (both workspaces have a
# #general). By hand: 11 messages by people in 7 conversations, 2
# deletions, 3 senders
G=$D/grid_export
rm -f "$T/g.db"
run ingest --db "$T/g.db" slack $G
t_eq "grid: exit" "$rc" 0
t_contains "grid: summary" "$T/out" "13 records      0 skipped"
t_contains "grid: said" "$T/err" "an Enterprise Grid export: 2 workspaces"
t_contains "grid: ignored" "$T/err" "ignored 1 system messages (joins, topics, ...), 1 bot messages; 1 edits (not new messages)"
t_eq "grid: messages, deletions, senders, conversations, first and last" "$(sql "$T/g.db" "SELECT
	(SELECT count(*) FROM usage WHERE event = 'sent'), (SELECT count(*) FROM usage WHERE event = 'deleted'),
	(SELECT count(DISTINCT account) FROM usage), (SELECT count(DISTINCT conversation_id) FROM usage),
	(SELECT strftime('%Y-%m-%dT%H:%M:%SZ', min(ts), 'unixepoch') || ' ' || strftime('%Y-%m-%dT%H:%M:%SZ', max(ts), 'unixepoch') FROM usage WHERE event = 'sent')")" \
	"11|2|3|7|2024-03-01T10:00:00Z 2024-03-04T10:01:00Z"
t_eq "grid: conversations (the two #general apart)" "$(sql "$T/g.db" "SELECT conversation_id, count(*) FROM usage WHERE event = 'sent' GROUP BY 1 ORDER BY 1")" \
"C01EOCGEN|2
C01EOCINC|2
C02FLDGEN|1
C0ORGANN|1
D0JDKR|2
G02FLDLEAD|2
G0MPIM1|1"
t_eq "grid: deletions" "$(sql "$T/g.db" "SELECT account, message_id FROM usage WHERE event = 'deleted' ORDER BY 2")" \
"slack:k.ray@example.gov|D0JDKR:1709373660.000200
slack:j.doe@example.gov|G02FLDLEAD:1709546400.000100"
# from [inputs] of audit.ini, a folder relative to audit.ini
mkdir -p "$T/audit/exports"
cp -r $G "$T/audit/exports/slack-org"
cat >"$T/audit/audit.ini" <<INI
[audit]
agency = Example Agency
quarter = 2024Q1
db = audit.db

[inputs]
slack = exports/slack-org

[rules]
dir = $(pwd)/rules
INI
run run "$T/audit/audit.ini"
t_eq "grid from audit.ini: exit" "$rc" 0
t_eq "grid from audit.ini: loaded" "$(sql "$T/audit/audit.db" "SELECT kind, records, size FROM inputs")" \
	"slack|13|$(sql "$T/g.db" "SELECT size FROM inputs")"
# and zipped, as the org owner downloads it: the same events
(cd $G && zip -qr "$T/grid.zip" .)
rm -f "$T/gz.db"
run ingest --db "$T/gz.db" slack "$T/grid.zip"
t_eq "grid zip: the folder's events" "$(sql "$T/gz.db" "SELECT ts, event, account, message_id FROM usage ORDER BY message_id, event")" \
	"$(sql "$T/g.db" "SELECT ts, event, account, message_id FROM usage ORDER BY message_id, event")"

# a cut zip, a zip that is no export, a file that is no zip
rm -f "$T/b.db"
run ingest --db "$T/b.db" slack $D/truncated.zip
t_eq "truncated: exit" "$rc" 3
t_contains "truncated: message" "$T/err" "udaudit: $D/truncated.zip: error: not a readable zip archive"
t_contains "truncated: nothing loaded" "$T/err" "not loaded; the audit database is unchanged"
run ingest --db "$T/b.db" slack tests/data/adapters/rsmf/rsmf.zip
t_eq "not an export: exit" "$rc" 3
t_contains "not an export" "$T/err" "no users.json (org_users.json of an Enterprise Grid org) in the zip: not a Slack workspace export"
run ingest --db "$T/b.db" slack tests/data/adapters/teams/users.csv
t_contains "not a zip" "$T/err" "not a zip archive (expected the Slack export zip or its folder)"
t_done
