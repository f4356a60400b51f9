#!/bin/sh
# make bench, XLSX part (issue #5): for each N in $BENCH_FINDINGS (default
# 1000000), fill an audit DB with N synthetic findings (and N evidence rows)
# by SQL, then time `udaudit report findings` and print its peak RSS. The
# workbook streams (constant-memory mode), so the peak does not grow with N.
set -eu
BENCH=${BENCH:-build/bench}
UDAUDIT=${UDAUDIT:-$(pwd)/udaudit}
BENCH_DIR=${BENCH_DIR:-/tmp/udaudit-bench}
FINDINGS=${BENCH_FINDINGS-1000000}
for n in $FINDINGS; do
	[ "$n" -gt 0 ] || continue      # BENCH_FINDINGS=0: none
	d=$BENCH_DIR/xlsx-$n
	rm -rf "$d"
	mkdir -p "$d"
	printf 'case_id,status\nUD-2021-0001,Open\n' >"$d/cases.csv"
	"$UDAUDIT" -q tracker import --db "$d/audit.db" --cases "$d/cases.csv" >/dev/null
	python3 - "$d/audit.db" "$n" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
n = int(sys.argv[2])
c.execute("INSERT INTO runs (run_id, as_of, quarter) VALUES (1, '2021-09-30', '2021Q3')")
c.execute("INSERT INTO inputs (input_id, kind, path, size, sha256, records, loaded_at)"
          " VALUES (100, 'usage', 'usage.jsonl', 1, '00', 1, '2021-10-01T00:00:00Z')")
c.execute("""WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i < ?1 - 1)
INSERT INTO findings SELECT 1, printf('F%08d', i),
 CASE i % 4 WHEN 0 THEN 'UNCAPTURED_DELETION' WHEN 1 THEN 'ACCOUNT_DELETION'
  WHEN 2 THEN 'CAPTURE_GAP' ELSE 'LATE_FORWARD' END,
 CASE i % 4 WHEN 0 THEN 'actual' WHEN 1 THEN 'impending' WHEN 2 THEN 'threatened' ELSE 'policy' END,
 CASE i % 4 WHEN 0 THEN 'high' WHEN 1 THEN 'high' WHEN 2 THEN 'medium' ELSE 'low' END,
 printf('Office %d', i % 37), printf('C-%05d', i % 5000), printf('whatsapp:+1555%07d', i % 20000),
 'whatsapp', printf('D-%05d', i % 8000), 1539353002 + i * 60, 1539353002 + i * 60 + 3600,
 1 + i % 50, 1 + i % 5,
 printf('%d WhatsApp messages of custodian C-%05d were deleted without a copy in any recordkeeping system',
  1 + i % 50, i % 5000) FROM k""", (n,))
c.execute("""WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i < ?1 - 1)
INSERT INTO evidence (run_id, finding_id, input_id, line, event, message_id, ts)
 SELECT 1, printf('F%08d', i), 100, i + 1, 'deleted', printf('m-%08d', i), 1539353002 + i * 60
 FROM k""", (n,))
c.commit()
PY
	"$BENCH" time xlsx "$n" "$UDAUDIT" -q report findings --db "$d/audit.db" -o "$d/findings.xlsx"
	ls -l "$d/findings.xlsx" | awk '{ printf "bench:   findings.xlsx %.1f MB\n", $5 / 1048576 }'
	[ "${BENCH_KEEP:-0}" = 1 ] || rm -rf "$d"
done
