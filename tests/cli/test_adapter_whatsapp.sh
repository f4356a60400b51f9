# The whatsapp adapter (spec §6, formats.md §2): one fixture per header
# variant in tests/data/adapters/whatsapp/, asserted through the CLI and the
# usage table: event counts, authors (peer), timestamps in UTC, deletions,
# disappearing-message timers, and the errors.
. tests/cli/lib.sh
D=tests/data/adapters/whatsapp
ACC="--account whatsapp:+15550100001 --self"

# wa NAME FILE [OPTIONS]: ingest into a fresh $T/NAME.db
wa() {
	name=$1 file=$2; shift 2
	rm -f "$T/$name.db"
	run ingest --db "$T/$name.db" "$@" whatsapp "$file"
}
# ev NAME: the events, one per line: line|UTC time|event|peer|ttl
ev() { sql "$T/$1.db" "SELECT line, strftime('%Y-%m-%dT%H:%M:%SZ', ts, 'unixepoch'), event,
	coalesce(peer, ''), coalesce(ttl, '') FROM usage ORDER BY event_id"; }

# ---- Android, 24 h, d/m/yyyy: formats.md §2.6 ----
wa a24 $D/android_24h_dmy.txt $ACC "Dana Reyes" --device D-0001
t_eq "android 24h: exit" "$rc" 0
t_contains "android 24h: summary" "$T/out" "12 records      0 skipped"
t_contains "android 24h: order" "$T/err" "dates read as dmy, 3 system lines ignored"
t_eq "android 24h: events" "$(ev a24)" \
"3|2024-03-14T09:02:00Z|received|Pat Lee|
7|2024-03-14T09:03:00Z|received|+12025550100|
8|2024-03-14T09:04:00Z|received|Pat Lee|
8|2024-03-14T09:04:00Z|deleted||
9|2024-03-14T09:05:00Z|timer_set|Pat Lee|604800
10|2024-03-14T09:06:00Z|sent||
10|2024-03-14T09:06:00Z|deleted||
11|2024-03-14T09:07:00Z|sent||
12|2024-03-15T18:30:00Z|sent||
13|2024-03-15T18:30:00Z|sent||
14|2024-03-15T18:31:00Z|timer_set|Pat Lee|0
16|2024-03-16T08:01:00Z|received|Pat Lee|"
t_eq "android 24h: account, app, device, conversation" \
	"$(sql "$T/a24.db" "SELECT DISTINCT account, app, device_id, conversation_id FROM usage")" \
	"whatsapp:+15550100001|whatsapp|D-0001|whatsapp:android_24h_dmy"
# a tombstone's deletion names the message it deletes
t_eq "android 24h: deletions name their message" "$(sql "$T/a24.db" "SELECT count(*) FROM usage d
	JOIN usage m ON m.message_id = d.message_id AND m.event IN ('sent', 'received')
	WHERE d.event = 'deleted' AND d.ts = m.ts")" 2
# ids: wa- + 16 hex; two identical "ok" lines in one minute are two messages
t_eq "android 24h: ids" "$(sql "$T/a24.db" "SELECT count(DISTINCT message_id), min(length(message_id)),
	sum(message_id GLOB 'wa-[0-9a-f]*') FROM usage WHERE event IN ('sent', 'received')")" "8|19|8"
# deterministic: the same export under another name gives the same ids
cp $D/android_24h_dmy.txt "$T/copy.txt"
printf '\n' >>"$T/copy.txt"             # another SHA-256, the same messages
rm -f "$T/copy.db"
run ingest --db "$T/copy.db" $ACC "Dana Reyes" --conversation whatsapp:android_24h_dmy whatsapp "$T/copy.txt"
t_eq "android 24h: same ids again" "$(sql "$T/copy.db" "SELECT group_concat(message_id) FROM usage")" \
	"$(sql "$T/a24.db" "SELECT group_concat(message_id) FROM usage")"
# a file already loaded adds nothing
run ingest --db "$T/a24.db" $ACC "Dana Reyes" whatsapp $D/android_24h_dmy.txt
t_contains "android 24h: twice" "$T/out" "already loaded"
t_eq "android 24h: twice adds nothing" "$(sql "$T/a24.db" "SELECT count(*) FROM usage")" 12

# ---- Android, US 12 h, m/d/yy, U+202F before AM/PM, CRLF mixed with LF ----
wa us $D/android_us_12h.txt $ACC "Dana Reyes" --tz -05:00
t_eq "android us: exit" "$rc" 0
t_eq "android us: events" "$(ev us)" \
"1|2024-03-15T02:05:00Z|received|Pat Lee|
2|2024-03-15T02:06:00Z|sent|Pat Lee|
3|2024-03-15T04:59:00Z|received|Pat Lee|
4|2024-03-15T05:01:00Z|received|Pat Lee|
5|2024-03-15T17:30:00Z|sent|Pat Lee|"

# ---- Android es: d/m/yyyy, "p. m." with U+00A0; a localized tombstone ----
wa es $D/android_es.txt $ACC "Dana Reyes" --tz -05:00
t_eq "android es: events" "$(ev es)" \
"1|2024-03-15T02:05:00Z|received|Pat Lee|
2|2024-03-14T15:15:00Z|sent|Pat Lee|
3|2024-03-15T17:00:00Z|received|Pat Lee|
3|2024-03-15T17:00:00Z|deleted||"

# ---- every other layout of formats.md §2.2: the first message's time ----
first() { sql "$T/$1.db" "SELECT strftime('%Y-%m-%dT%H:%M:%SZ', ts, 'unixepoch') || ' ' || event
	FROM usage ORDER BY event_id LIMIT 1"; }
for v in "android_iso:2024-03-14T09:05:00Z received:ymd" \
	 "android_dotted_de:2024-03-14T09:05:00Z received:dmy" \
	 "ios_dotted:2024-03-14T09:05:33Z received:dmy" \
	 "finnish:2024-03-14T09:05:33Z received:dmy" \
	 "other_layouts:2018-06-13T21:25:15Z received:dmy" \
	 "ymd_bracketed:2018-06-13T21:25:15Z received:ymd" \
	 "year_middle:2018-06-13T21:25:15Z received:myd" \
	 "legacy_no_comma:2024-03-14T21:25:15Z received:dmy" \
	 "korean:2024-03-14T21:05:00Z received:ymd"; do
	name=${v%%:*} rest=${v#*:}
	wa "$name" "$D/$name.txt" $ACC "Dana Reyes"
	t_eq "$name: exit" "$rc" 0
	t_eq "$name: first message" "$(first "$name")" "${rest%:*}"
	t_contains "$name: date order" "$T/err" "dates read as ${rest##*:}"
done
t_eq "korean: 오전 12:30 is 00:30" "$(sql "$T/korean.db" "SELECT strftime('%H:%M', ts, 'unixepoch') FROM usage WHERE line = 2")" "00:30"
t_eq "android iso: count" "$(sql "$T/android_iso.db" "SELECT count(*) FROM usage")" 3
t_eq "other layouts: both" "$(sql "$T/other_layouts.db" "SELECT count(*) FROM usage")" 2
t_eq "de: the attachment line is a message" "$(sql "$T/android_dotted_de.db" "SELECT count(*) FROM usage WHERE event = 'received'")" 2

# ---- iOS bracketed: BOM, U+200E on system and media lines, the chat's name
# as author of system lines, a multi-line poll, "~ " before a non-contact ----
wa ios $D/ios_bracketed.txt $ACC "Dana Reyes" --tz -05:00
t_eq "ios: exit" "$rc" 0
t_contains "ios: system lines" "$T/err" "3 system lines ignored"
t_eq "ios: events" "$(ev ios)" \
"3|2024-03-14T14:05:33Z|received|Pat Lee|
4|2024-03-14T14:05:40Z|received|Pat Lee|
5|2024-03-14T14:06:00Z|sent||
6|2024-03-14T14:07:00Z|received|Pat Lee|
6|2024-03-14T14:07:00Z|deleted||
7|2024-03-14T14:08:00Z|sent||
7|2024-03-14T14:08:00Z|deleted||
8|2024-03-14T14:09:00Z|timer_set|Pat Lee|86400
9|2024-03-14T14:10:00Z|received|Sam Ortiz|
14|2024-03-14T14:12:00Z|received|Pat Lee|
17|2024-03-14T14:13:00Z|received|Pat Lee|"

# ---- iOS US 12 h with seconds; and the same text zipped as _chat.txt ----
wa iosus $D/ios_us.txt $ACC "Dana Reyes"
t_eq "ios us: events" "$(ev iosus)" \
"1|2024-03-14T21:07:15Z|received|Kim Ray|
2|2024-03-14T21:08:02Z|received|Kim Ray|
3|2024-03-14T21:09:00Z|sent|Kim Ray|
4|2024-03-20T10:00:00Z|received|Kim Ray|"
wa iz $D/ios_export.zip $ACC "Dana Reyes"
t_eq "ios zip: exit" "$rc" 0
t_eq "ios zip: events" "$(ev iz)" "$(ev iosus)"
t_eq "ios zip: conversation from the zip's name" \
	"$(sql "$T/iz.db" "SELECT DISTINCT conversation_id FROM usage")" "whatsapp:ios_export"
wa az $D/android_export.zip $ACC "Dana Reyes" --tz -05:00
t_eq "android zip ('WhatsApp Chat with ….txt'): events" "$(ev az)" "$(ev us)"
wa nz $D/no_chat.zip $ACC "Dana Reyes"
t_eq "zip without chat: exit" "$rc" 3
t_contains "zip without chat: message" "$T/err" "no_chat.zip: error: no chat text in the zip"

# a zip bomb (8 MiB of text in 209 bytes of bzip2) is refused
wa bomb $D/bomb.zip $ACC "Dana Reyes"
t_eq "zip bomb: exit" "$rc" 3
t_contains "zip bomb: message" "$T/err" "inflates more than 1100:1"

# ---- d/m or m/d: detected over the whole file, or given ----
wa amb $D/ambiguous.txt $ACC "Dana Reyes"
t_eq "ambiguous: detected d/m" "$(first amb)" "2024-02-01T10:00:00Z received"
t_contains "ambiguous: says so" "$T/err" "dates read as dmy"
wa amb2 $D/ambiguous.txt $ACC "Dana Reyes" --date-order mdy
t_eq "ambiguous: --date-order mdy" "$(first amb2)" "2024-01-02T10:00:00Z received"
wa amb3 $D/ambiguous.txt $ACC "Dana Reyes" --opt date_order=mdy
t_eq "ambiguous: --opt date_order=mdy" "$(first amb3)" "2024-01-02T10:00:00Z received"

# ---- lines before the first header: bad records with file:line ----
wa bad $D/bad_start.txt $ACC "Dana Reyes"
t_eq "bad start: exit" "$rc" 0
t_contains "bad start: file:line" "$T/err" "udaudit: $D/bad_start.txt:1: error: not a WhatsApp message header: 'this is not a header'"
t_contains "bad start: counted" "$T/out" "2 records      1 skipped"
wa bads $D/bad_start.txt $ACC "Dana Reyes" --strict
t_eq "bad start --strict: exit" "$rc" 3
t_eq "bad start --strict: nothing kept" "$(sql "$T/bads.db" "SELECT count(*) FROM usage")" 0

# ---- options ----
wa noacc $D/ios_us.txt --self "Dana Reyes"
t_eq "no --account: exit" "$rc" 3
t_contains "no --account: message" "$T/err" "the exporting account is required"
wa noself $D/ios_us.txt --account whatsapp:+15550100001
t_eq "no --self: exit" "$rc" 3
wa badacc $D/ios_us.txt --account nocolon --self x
t_contains "bad --account" "$T/err" "bad account 'nocolon'"
wa badtz $D/ios_us.txt $ACC "Dana Reyes" --tz 5
t_contains "bad --tz" "$T/err" "bad tz '5'"
wa conv $D/ios_us.txt $ACC "Dana Reyes" --conversation wa-grp-17
t_eq "--conversation" "$(sql "$T/conv.db" "SELECT DISTINCT conversation_id FROM usage")" "wa-grp-17"

# ---- from [inputs] of audit.ini, with options ----
mkdir -p "$T/cfg"
cp $D/android_us_12h.txt "$T/cfg/chat.txt"
cat >"$T/cfg/audit.ini" <<INI
[audit]
agency = Test Agency
quarter = 2024Q1
as_of = 2024-03-31
db = audit.db
[inputs]
whatsapp = chat.txt account=whatsapp:+15550100009 self="Dana Reyes" device=D-0009 tz=-05:00
[rules]
dir = $(pwd)/rules
[output]
dir = out
INI
run run "$T/cfg/audit.ini"
t_eq "config: events" "$(sql "$T/cfg/audit.db" "SELECT count(*), min(account), min(device_id),
	strftime('%Y-%m-%dT%H:%M:%SZ', min(ts), 'unixepoch') FROM usage")" \
	"5|whatsapp:+15550100009|D-0009|2024-03-15T02:05:00Z"
# ---- localized iOS exports (whats_json's fixtures, tests/data/adapters/
# SOURCES.md): the same 22 messages in every language, media placeholders,
# "<attached: …>", the two tombstones and the end-to-end notice localized;
# Vietnamese writes the time first, Arabic with Arabic-Indic digits ----
for l in it ja ru th uk hi id cs ar pt-PT es fr de vi_time_first; do
	wa "l$l" "$D/ios_$l.txt" --account whatsapp:+15550100001 --self "Dmitry S"
	t_eq "ios $l: messages, deletions, first and last" "$(sql "$T/l$l.db" "SELECT sum(event IN ('sent', 'received')),
		sum(event = 'deleted'), sum(event = 'sent'), min(strftime('%Y-%m-%dT%H:%M:%SZ', ts, 'unixepoch')),
		max(strftime('%H:%M', ts, 'unixepoch')) FROM usage")" "22|2|21|2022-03-27T21:41:35Z|21:56"
	t_contains "ios $l: the notice ignored" "$T/err" "1 system line ignored"
done
# the exporter's own deletion (sent + deleted) and the other's (received + deleted)
t_eq "ios it: tombstones" "$(sql "$T/lit.db" "SELECT group_concat(event || ':' || coalesce(peer, ''), ',') FROM usage
	WHERE message_id IN (SELECT message_id FROM usage WHERE event = 'deleted')")" \
	"sent:Elon Musk,deleted:,received:Elon Musk,deleted:"
# the Buddhist calendar (2565 BE) and the Japanese era (R4) are 2022
for c in buddhist_era japanese_era; do
	wa "$c" "$D/ios_$c.txt" --account whatsapp:+15550100001 --self "Dmitry S"
	t_eq "$c: years" "$(sql "$T/$c.db" "SELECT min(strftime('%Y-%m-%d', ts, 'unixepoch')), max(strftime('%Y-%m-%d', ts, 'unixepoch')), count(*) FROM usage")" \
		"2022-03-27|2023-01-12|28"
done
for l in ru cs; do
	wa "a$l" "$D/android_$l.txt" --account whatsapp:+15550100001 --self "Dmitry S"
	t_eq "android $l: messages and deletions" "$(sql "$T/a$l.db" "SELECT sum(event IN ('sent', 'received')), sum(event = 'deleted') FROM usage")" "57|8"
done

# ---- timer notices with their ttl (24 hours, 7 days, 90 days, the
# default timer, off); a message starting with U+200E on Android; two
# spaces before the dash; localized missed calls and tombstones ----
wa tn $D/android_timer_notices.txt $ACC "Dana Reyes"
t_eq "timers and the rest: events" "$(ev tn)" \
"1|2024-01-10T09:00:00Z|received|Pat Lee|
2|2024-01-10T09:01:00Z|timer_set||86400
3|2024-01-11T10:15:00Z|timer_set|Pat Lee|604800
4|2024-01-12T08:30:00Z|timer_set|Pat Lee|7776000
5|2024-01-13T17:45:00Z|timer_set||604800
6|2024-01-14T11:00:00Z|timer_set|Pat Lee|0
7|2024-01-15T12:00:00Z|received|Pat Lee|
8|2024-01-15T12:01:00Z|received|Pat Lee|
11|2024-01-15T12:04:00Z|received|Pat Lee|
11|2024-01-15T12:04:00Z|deleted||
12|2024-01-15T12:05:00Z|received|Pat Lee|
12|2024-01-15T12:05:00Z|deleted||
13|2024-01-15T12:06:00Z|sent|Pat Lee|
13|2024-01-15T12:06:00Z|deleted||
14|2024-01-15T12:07:00Z|received|Pat Lee|"
t_contains "U+200E message: said" "$T/err" "1 message begins with U+200E (as iOS marks its notices) but matches no notice of whatsapp.ini: kept as message"
wa ti $D/ios_timer_it.txt $ACC "Dana Reyes"
t_eq "italian timers" "$(ev ti)" \
"2|2024-03-18T09:01:00Z|received|Pat Lee|
3|2024-03-18T09:02:00Z|timer_set|Pat Lee|604800
4|2024-03-19T10:00:00Z|timer_set||86400
5|2024-03-19T10:05:00Z|timer_set|Pat Lee|0"

# ---- 12-hour headers with hour 00 or 13-23 are read, and said ----
wa h24 $D/h12_24hour.txt $ACC "Dana Reyes"
t_eq "00:04 AM, 23:59 PM" "$(ev h24)" \
"1|2024-03-14T23:58:00Z|received|Pat Lee|
2|2024-03-15T00:04:00Z|received|Pat Lee|
3|2024-03-15T12:30:00Z|sent|Pat Lee|
4|2024-03-15T23:59:00Z|received|Pat Lee|"
t_contains "24-hour hours: said" "$T/err" "2 headers with a 24-hour hour and AM/PM"

# ---- one impossible header (2/30/19) in an m/d/yy export: the order stays
# m/d (never y/m/d, which would re-date every message), and the header is a
# bad record with its line, not glued to the message above; the same with
# --date-order mdy ----
for o in "" "--date-order mdy"; do
	wa imp $D/impossible_date.txt $ACC "Dana Reyes" $o
	t_eq "impossible date $o: exit" "$rc" 0
	t_contains "impossible date $o: bad record" "$T/err" "impossible_date.txt:3: error: date '2/30/19' cannot exist in mdy order (see --date-order)"
	t_eq "impossible date $o: events" "$(ev imp)" \
"1|2019-02-27T10:00:00Z|received|Pat Lee|
2|2019-02-28T09:15:00Z|sent|Pat Lee|
5|2019-03-01T08:00:00Z|received|Pat Lee|
6|2019-03-04T16:40:00Z|sent|Pat Lee|
7|2019-03-12T12:00:00Z|received|Pat Lee|
8|2019-03-14T18:05:00Z|sent|Pat Lee|"
done

# ---- d/m or m/d undecidable: a warning naming --date-order, and the
# language of the notices when it has an order ----
wa und $D/undecidable.txt $ACC "Dana Reyes"
t_contains "undecidable: warning" "$T/err" "warning: the dates do not tell d/m from m/d: read as dmy from nothing in the file; give --date-order if that is wrong"
wa undit $D/undecidable_it.txt $ACC "Dana Reyes"
t_contains "undecidable, Italian: from the language" "$T/err" "read as dmy from the language of its notices (it)"
wa und2 $D/undecidable.txt $ACC "Dana Reyes" --date-order mdy
t_not_contains "undecidable with --date-order: no warning" "$T/err" "warning"
t_eq "undecidable with --date-order mdy" "$(first und2)" "2024-03-04T10:00:00Z received"
wa amb1 $D/ambiguous.txt $ACC "Dana Reyes"
t_not_contains "decided by the dates: no warning" "$T/err" "warning"

# ---- the layout of the headers as a signal (README, "Date order"): iOS
# writes a region's short date, month-first regions unpadded with a
# two-digit year ([3/21/19, ...], also with a 24-hour clock: whats_json's
# US exports), so [03/04/2024, ...] is d/m; no locale writes m.d.y. The
# others stay guesses with the warning ----
wa lay $D/ios_dmy_layout.txt $ACC "Dana Reyes"
t_not_contains "iOS dd/mm/yyyy: no warning" "$T/err" "warning"
t_contains "iOS dd/mm/yyyy: said" "$T/err" "ios_dmy_layout.txt: 5 message headers, dates read as dmy (from its iOS layout [dd/mm/yyyy, ...]; month-first regions write [m/d/yy, ...]), 0 system lines ignored"
t_eq "iOS dd/mm/yyyy: 3 April" "$(first lay)" "2024-04-03T09:12:44Z received"
wa dot $D/android_dotted_undecidable.txt $ACC "Dana Reyes"
t_not_contains "dotted: no warning" "$T/err" "warning"
t_contains "dotted: said" "$T/err" "dates read as dmy (from its dotted dates; no month-first locale writes dots)"
t_eq "dotted: 3 April" "$(first dot)" "2024-04-03T09:12:00Z received"
for v in "ios_padded_yy:dmy from nothing in the file:2024-04-03" \
	 "ios_unpadded_24h:dmy from nothing in the file:2024-04-03" \
	 "ios_us_undecidable:mdy from its 12-hour clock (US exports write m/d):2024-03-04"; do
	name=${v%%:*} rest=${v#*:}
	wa "$name" "$D/$name.txt" $ACC "Dana Reyes"
	t_contains "$name: a guess, said" "$T/err" "warning: the dates do not tell d/m from m/d: read as ${rest%:*}; give --date-order if that is wrong"
	t_eq "$name: read so" "$(first "$name" | cut -c1-10)" "${rest##*:}"
done
wa layg $D/ios_dmy_layout.txt $ACC "Dana Reyes" --date-order mdy
t_eq "iOS dd/mm/yyyy, --date-order mdy wins" "$(first layg)" "2024-03-04T09:12:44Z received"
t_not_contains "iOS dd/mm/yyyy, given: no layout said" "$T/err" "iOS layout"

# ---- month names ----
wa mon $D/month_names.txt $ACC "Dana Reyes"
t_eq "month names" "$(ev mon)" \
"1|2013-09-21T23:08:00Z|received|Pat Lee|
2|2013-09-21T23:09:00Z|sent|Pat Lee|
3|2013-10-02T08:15:00Z|received|Pat Lee|"
t_not_contains "month names: no warning" "$T/err" "warning"
# the medium and long dates of 33 locales (their CLDR month names, as
# Android writes them; tests/data/adapters/SOURCES.md): day first with
# "21. Sep.", "21 de set. de", "21 сент. 2013 г.", "২১ সেপ, ২০১৩" (Bengali
# digits), "21 בספט׳"; month first (en-US); year first (hu); the time before
# or after. Croatian "lis" is October (pl and cs: November), read so
# because the file's other month names are Croatian
for f in $D/month_names/*.txt; do
	l=$(basename "$f" .txt)
	wa "mn$l" "$f" $ACC "Dana Reyes"
	t_eq "month names $l" "$(sql "$T/mn$l.db" "SELECT group_concat(strftime('%Y-%m-%dT%H:%M', ts, 'unixepoch'), ' ') FROM usage")" \
		"2013-09-21T23:08 2013-10-02T08:15 2014-03-05T12:00 2014-05-17T07:30"
done

# ---- the numeric layouts of ja, ko, zh, fa, th, vi (locales/, each header
# as ICU 72 / CLDR 42 formats that locale's date and time, Android's
# yMd + time, iOS's short date + medium time, the medium date; SOURCES.md):
# 年月日 and 년 월 일, AM/PM words before the time with or without a space
# (오후 9:41, 下午9:41, 午後0:30 is 12:30, zh-Hant's 晚上/中午/凌晨), after it
# (CH, หลังเที่ยง, بعدازظهر), th's "น."; Persian digits, the Persian calendar
# (1401/1/7) and Thai Buddhist years (2565, and 65 of th-TH's d/M/yy),
# converted; vi's time first and "27 thg 3, 2022". Each: the same four
# messages (Pat Lee thrice, one of them the language's tombstone; Dana Reyes
# once) on 27-29 March 2022 at 21:41, 09:05, 12:30 and 00:30 ----
for f in $D/locales/*.txt; do
	l=$(basename "$f" .txt)
	wa "lc$l" "$f" $ACC "Dana Reyes"
	t_eq "locale $l: messages, sent, deleted, times" "$(sql "$T/lc$l.db" "SELECT sum(event IN ('sent', 'received')),
		sum(event = 'sent'), sum(event = 'deleted'), group_concat(strftime('%Y-%m-%dT%H:%M', ts, 'unixepoch'), ' ')
		FROM usage WHERE event <> 'deleted'")" \
		"4|1|0|2022-03-27T21:41 2022-03-28T09:05 2022-03-28T12:30 2022-03-29T00:30"
	t_eq "locale $l: the tombstone" "$(sql "$T/lc$l.db" "SELECT count(*) FROM usage WHERE event = 'deleted'
		AND strftime('%H:%M', ts, 'unixepoch') = '12:30'")" 1
	t_not_contains "locale $l: no warning" "$T/err" "warning"
	case $l in
	*persian) t_contains "locale $l: the calendar said" "$T/err" "4 headers in the Persian (Solar Hijri) calendar (1401/1/7 is 2022-03-27): converted to the Gregorian calendar" ;;
	*buddhist*) t_contains "locale $l: the calendar said" "$T/err" "4 headers in the Buddhist era (2565 BE, or 65, is 2022): converted to the Gregorian calendar" ;;
	*) t_not_contains "locale $l: Gregorian" "$T/err" "calendar" ;;
	esac
done
wa koios $D/locales/ko_ios.txt $ACC "Dana Reyes"
t_contains "ko iOS 22. 3. 27.: read as y/m/d" "$T/err" "dates read as ymd"
wa zhmed $D/locales/zh-Hans_medium.txt $ACC "Dana Reyes"
t_contains "zh 2022年3月27日: as written" "$T/err" "4 message headers, dates read as written (month names, 年月日), 0 system lines ignored"
# Persian Android as rwhatsapp's issue 28 shows it: Persian digits, the
# Gregorian calendar, the Arabic comma, the notice without an author
wa farw $D/fa_android_rwhatsapp.txt $ACC "Dana Reyes"
t_eq "fa android (rwhatsapp): events" "$(ev farw)" \
"2|2021-05-30T18:44:00Z|received|Pat Lee|
3|2021-05-30T18:49:00Z|received|Pat Lee|
4|2021-05-31T09:02:00Z|sent|Pat Lee|
5|2021-06-01T00:15:00Z|received|Pat Lee|
5|2021-06-01T00:15:00Z|deleted||"
t_contains "fa android (rwhatsapp): the notice" "$T/err" "1 system line ignored"
# an English iPhone set to the Persian calendar ("1/7/1401 AP")
wa faen $D/persian_ios_en.txt $ACC "Dana Reyes"
t_eq "en, Persian calendar" "$(sql "$T/faen.db" "SELECT group_concat(strftime('%Y-%m-%dT%H:%M:%S', ts, 'unixepoch'), ' ') FROM usage")" \
	"2022-03-27T21:41:35 2022-03-28T09:05:12 2022-03-28T12:30:00 2022-03-29T00:30:48"
# the last day of a Persian leap year (30 Esfand 1403 is 2025-03-20), and
# of a common one, which has none (30 Esfand 1402)
printf '[1403/12/29, 10:00:00] Pat Lee: a\n[1403/12/30, 10:00:00] Pat Lee: b\n[1404/1/1, 10:00:00] Pat Lee: c\n[1402/12/30, 10:00:00] Pat Lee: d\n' >"$T/leap.txt"
wa leap "$T/leap.txt" $ACC "Dana Reyes"
t_eq "Persian leap year" "$(sql "$T/leap.db" "SELECT group_concat(strftime('%Y-%m-%d', ts, 'unixepoch'), ' ') FROM usage")" \
	"2025-03-19 2025-03-20 2025-03-21"
t_contains "Persian common year: no 30 Esfand" "$T/err" "leap.txt:4: error: date '1402/12/30' cannot exist in ymd order"
# the Islamic calendar is refused, each header with its line, never a wrong year
for l in en ar; do
	wa "hj$l" "$D/hijri_ios_$l.txt" $ACC "Dana Reyes"
	t_eq "hijri $l: refused" "$rc" 3
	t_eq "hijri $l: nothing stored" "$(sql "$T/hj$l.db" "SELECT count(*) FROM usage")" 0
done
t_contains "hijri ar: said" "$T/err" "hijri_ios_ar.txt:1: error: date '25/8/1443 هـ' is in the Islamic (Hijri) calendar, which is not read: export the chat with the phone set to the Gregorian calendar"
# ambiguity kept: a one-day Korean iOS export (22. 3. 27.: 2022-03-27 or
# 22 March 2027) is read y/m/d from its 오후 and says so; a one-day Hong Kong
# export (3/4/2022 下午9:41) has no US AM/PM: d/m, with the warning
wa ko1 $D/ko_ios_one_day.txt $ACC "Dana Reyes"
t_contains "ko one day: warning" "$T/err" "warning: the dates do not tell d/m from m/d: read as ymd from the language of its AM/PM words (ko); give --date-order if that is wrong"
t_eq "ko one day: 2022-03-27" "$(first ko1)" "2022-03-27T21:41:35Z received"
wa hk1 $D/zh-HK_undecidable.txt $ACC "Dana Reyes"
t_contains "zh-HK undecidable: warning" "$T/err" "warning: the dates do not tell d/m from m/d: read as dmy from nothing in the file; give --date-order if that is wrong"
t_eq "zh-HK undecidable: 3 April" "$(first hk1)" "2022-04-03T21:41:00Z received"
wa hk2 $D/zh-HK_undecidable.txt $ACC "Dana Reyes" --date-order mdy
t_eq "zh-HK undecidable, --date-order mdy" "$(first hk2)" "2022-03-04T21:41:00Z received"
t_not_contains "zh-HK undecidable, given: no warning" "$T/err" "warning"

# ---- the 12-hour medium dates of 35 locales (medium_12h/, ICU 72's
# "yMMMd" + "h:mm a" in each): their AM/PM of CLDR 42 from whatsapp.ini,
# after the time (PTG, μ.μ., ip., odp., em, p.m., da tarde, пп, אחה״צ, م,
# หลังเที่ยง, CH) or before it (tr ÖS, hu du.); 9:41 PM is 21:41 ----
for f in $D/medium_12h/*.txt; do
	l=$(basename "$f" .txt)
	wa "m12$l" "$f" $ACC "Dana Reyes"
	t_eq "12-hour medium $l" "$(sql "$T/m12$l.db" "SELECT sum(event = 'sent'), group_concat(strftime('%Y-%m-%dT%H:%M', ts, 'unixepoch'), ' ') FROM usage")" \
		"1|2022-03-27T21:41 2022-03-28T09:05 2022-03-28T12:30 2022-03-29T00:30"
done

# ---- a zip made on macOS (headers that disagree, __MACOSX/) ----
wa mac $D/macos_export.zip $ACC "Dana Reyes"
t_eq "macos zip: exit" "$rc" 0
t_contains "macos zip: said" "$T/err" "read without the consistency check"
t_eq "macos zip: events" "$(ev mac)" "$(ev iosus)"

# ---- excerpts in messages never cut a UTF-8 character ----
wa u8 $D/bad_start_utf8.txt $ACC "Dana Reyes"
t_contains "excerpt: whole characters" "$T/err" "not a WhatsApp message header: 'this is not a header: the excerpt stops at 60 bytes, hh€'"
# ---- the locale tables are the installation's, never ./rules ----
# (from a folder without rules/, Czech media lines are still media)
wa here $D/android_cs.txt $ACC "Dana Reyes"
here=$(sql "$T/here.db" "SELECT count(*) FROM usage")
mkdir -p "$T/elsewhere"
cp $D/android_cs.txt "$T/elsewhere/"
(cd "$T/elsewhere" && "$UDAUDIT" ingest --db "$T/elsewhere.db" $ACC "Dana Reyes" whatsapp android_cs.txt >"$T/out" 2>"$T/err")
t_eq "elsewhere: exit" "$?" 0
t_eq "elsewhere: the same events as in the source tree" "$(sql "$T/elsewhere.db" "SELECT count(*) FROM usage")" "$here"
t_not_contains "elsewhere: the locale tables were found" "$T/err" "whatsapp.ini"
t_done
