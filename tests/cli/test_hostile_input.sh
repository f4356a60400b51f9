# Hostile input (issue 13): bounded memory on an RSMF zip bomb of "{}",
# invalid UTF-8 from JSON escapes refused, non-regular files refused.
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
t_eq "rsmf {} bomb: under 300 MB" "$([ "$(tail -n 1 "$T/rss")" -lt 300000 ] && echo yes)" yes

# \udfff\ud800 in a usage event: yajl would make bytes that are not UTF-8
printf '%s\n' '{"ts":"2021-01-01T00:00:00Z","event":"sent","message_id":"\udfff\ud800","app":"wickr","account":"wickr:a"}' \
	'{"ts":"2021-01-01T00:00:00Z","event":"sent","message_id":"m2","app":"wickr","account":"wickr:a"}' >"$T/u.jsonl"
run ingest --db "$T/u.db" usage "$T/u.jsonl"
t_eq "surrogates: exit" "$rc" 0
t_contains "surrogates: bad record" "$T/err" "u.jsonl:1:72: error: bad JSON: invalid UTF-8 in a string (a \\u escape of a lone surrogate?)"
t_eq "surrogates: only the good one" "$(sql "$T/u.db" "SELECT group_concat(message_id) FROM usage")" "m2"

t_done
