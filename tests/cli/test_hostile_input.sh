# Hostile input (issue 13): bounded memory on an RSMF zip bomb of "{}",
# invalid UTF-8 from JSON escapes refused, non-regular inputs refused (not
# a hang), an unreadable rule pack is exit 3; outputs never written through
# a planted symlink nor onto a non-file, and created 0600 under umask 000.
. tests/cli/lib.sh

# a 64 KB zip holding a 64 MiB manifest of {}: refused before jansson
# builds its tree (which would take ~5 GB)
python3 - "$T/bomb.zip" <<'EOF2'
import sys, zipfile
n = (64 << 20) // 3 - 1
z = zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED)
z.writestr("rsmf_manifest.json", "[" + ",".join(["{}"] * n) + "]")
z.close()
EOF2
/usr/bin/time -f %M -o "$T/rss" "$UDAUDIT" ingest --db "$T/r.db" rsmf "$T/bomb.zip" >"$T/out" 2>"$T/err"
rc=$?
t_eq "rsmf {} bomb: exit" "$rc" 3
t_contains "rsmf {} bomb: said" "$T/err" "bomb.zip(rsmf_manifest.json): error: manifest too large to read: more than 1000000 objects and arrays or 4000000 values"
# ThreadSanitizer's shadow memory counts in the RSS: no cap under it
if [ "${TEST_LABEL:-plain}" != thread ]; then
	t_eq "rsmf {} bomb: under 300 MB" "$([ "$(tail -n 1 "$T/rss")" -lt 300000 ] && echo yes)" yes
fi

# \udfff\ud800 in a usage event: yajl would make bytes that are not UTF-8
printf '%s\n' '{"ts":"2021-01-01T00:00:00Z","event":"sent","message_id":"\udfff\ud800","app":"wickr","account":"wickr:a"}' \
	'{"ts":"2021-01-01T00:00:00Z","event":"sent","message_id":"m2","app":"wickr","account":"wickr:a"}' >"$T/u.jsonl"
run ingest --db "$T/u.db" usage "$T/u.jsonl"
t_eq "surrogates: exit" "$rc" 0
t_contains "surrogates: bad record" "$T/err" "u.jsonl:1:72: error: bad JSON: invalid UTF-8 in a string (a \\u escape of a lone surrogate?)"
t_eq "surrogates: only the good one" "$(sql "$T/u.db" "SELECT group_concat(message_id) FROM usage")" "m2"

# a timestamp past year 9999 UTC is a bad record (it printed as 0000-00-00)
printf '%s\n' '{"ts":"9999-12-31T23:59:59-14:00","event":"sent","message_id":"m1","app":"wickr","account":"wickr:a"}' \
	'{"ts":"2021-01-01T00:00:00Z","event":"sent","message_id":"m2","app":"wickr","account":"wickr:a"}' >"$T/y.jsonl"
run ingest --db "$T/y.db" usage "$T/y.jsonl"
t_eq "year 10000: exit" "$rc" 0
t_contains "year 10000: bad record" "$T/err" "y.jsonl:1: error: bad timestamp '9999-12-31T23:59:59-14:00' (expected ISO 8601)"
t_eq "year 10000: only the good one" "$(sql "$T/y.db" "SELECT group_concat(message_id) FROM usage")" "m2"

# /dev/zero and a FIFO as inputs: refused at once (timeout: a hang fails)
mkfifo "$T/fifo"
for f in /dev/zero "$T/fifo"; do
	timeout 20 "$UDAUDIT" ingest --db "$T/n.db" usage "$f" >"$T/out" 2>"$T/err"
	rc=$?
	t_eq "$f: exit" "$rc" 3
	t_contains "$f: said" "$T/err" "$f: error: not a regular file (a folder, device or FIFO is not an input)"
done

# the sample audit, run under umask 000: every report and the DB are 0600
W=$T/w
sample_audit "$W"
(umask 000 && "$UDAUDIT" run "$W/samples/audit.ini" >"$T/run.out" 2>"$T/run.err")
t_eq "run: exit" "$?" 0
t_eq "run: outputs 0600" "$(cd "$W/out" && stat -c '%a' * | sort -u)" 600
t_eq "run: the reports and the DB" "$(cd "$W/out" && ls 2021Q3-findings.xlsx 2021Q3-tracker.xlsx \
	UD-2019-0001-incident.pdf audit.db 2>/dev/null | wc -l)" 4
DB=$W/out/audit.db
CASE=$W/samples/cases/UD-2019-0001.ini

# rules/apps.ini that is a folder: exit 3, and analyze does not run
cp -r "$W/rules" "$T/badrules" && rm "$T/badrules/apps.ini" && mkdir "$T/badrules/apps.ini"
run rules check "$T/badrules"
t_eq "apps.ini a folder: rules check exit" "$rc" 3
t_contains "apps.ini a folder: said" "$T/err" "$T/badrules/apps.ini: error: not a regular file (a rule pack file must be one)"
t_not_contains "apps.ini a folder: no ok" "$T/out" "ok:"
runs=$(sql "$DB" "SELECT count(*) FROM runs")
run analyze --db "$DB" --rules "$T/badrules"
t_eq "apps.ini a folder: analyze exit" "$rc" 3
t_eq "apps.ini a folder: no run added" "$(sql "$DB" "SELECT count(*) FROM runs")" "$runs"

# a symlink planted at the temporary name: its target is not written, the
# report is, and no .tmp is left
echo precious >"$T/target"
ln -s "$T/target" "$T/f.xlsx.tmp"
ln -s "$T/target" "$T/i.pdf.tmp"
ln -s "$T/target" "$T/t.xlsx.tmp"
ln -s "$T/target" "$T/s.pdf.tmp"
run report findings --db "$DB" -o "$T/f.xlsx"
t_eq "planted symlink (xlsx): exit" "$rc" 0
run report incident --db "$DB" --case "$CASE" -o "$T/i.pdf"
t_eq "planted symlink (pdf): exit" "$rc" 0
run report tracker --db "$DB" -o "$T/t.xlsx"
t_eq "planted symlink (tracker): exit" "$rc" 0
run report status --db "$DB" --case "$CASE" -o "$T/s.pdf"
t_eq "planted symlink (status): exit" "$rc" 0
t_eq "planted symlink: target untouched" "$(cat "$T/target")" precious
t_eq "planted symlink: reports are files" "$(stat -c '%F %a' "$T/f.xlsx" "$T/i.pdf" "$T/t.xlsx" "$T/s.pdf" | tr '\n' ' ')" \
	"regular file 600 regular file 600 regular file 600 regular file 600 "
t_eq "planted symlink: no .tmp left" "$(ls "$T" | grep -c '\.tmp$')" 0

# -o onto a FIFO (or a device): refused, never replaced
mkfifo "$T/pipe.xlsx" "$T/pipe.pdf"
run report findings --db "$DB" -o "$T/pipe.xlsx"
t_eq "-o a FIFO (xlsx): exit" "$rc" 4
t_contains "-o a FIFO (xlsx): said" "$T/err" "cannot write '$T/pipe.xlsx': it exists and is not a regular file; not replaced"
run report incident --db "$DB" --case "$CASE" -o "$T/pipe.pdf"
t_eq "-o a FIFO (pdf): exit" "$rc" 4
t_eq "-o a FIFO: still FIFOs" "$(stat -c '%F' "$T/pipe.xlsx" "$T/pipe.pdf" | tr '\n' ' ')" "fifo fifo "
t_eq "-o a FIFO: no .tmp left" "$(ls "$T" | grep -c '\.tmp$')" 0

# -o onto a device node (a null device made here, where mknod is allowed):
# refused, the node not replaced by a file
if mknod "$T/dev.xlsx" c 1 3 2>/dev/null && mknod "$T/dev.pdf" c 1 3; then
	run report findings --db "$DB" -o "$T/dev.xlsx"
	t_eq "-o a device (xlsx): exit" "$rc" 4
	t_contains "-o a device (xlsx): said" "$T/err" "cannot write '$T/dev.xlsx': it exists and is not a regular file; not replaced"
	run report incident --db "$DB" --case "$CASE" -o "$T/dev.pdf"
	t_eq "-o a device (pdf): exit" "$rc" 4
	t_eq "-o a device: still devices" "$(stat -c '%F' "$T/dev.xlsx" "$T/dev.pdf" | tr '\n' ' ')" \
		"character special file character special file "
	t_eq "-o a device: no .tmp left" "$(ls "$T" | grep -c '\.tmp$')" 0
else
	echo "-o a device: skipped (mknod not allowed here)" >&2
fi

t_done
