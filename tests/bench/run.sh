#!/bin/sh
# make bench: for each N in $BENCH_EVENTS (default "1000000 10000000"),
# generate a synthetic audit (bench gen), then time ingest (usage +
# compliance store, one udaudit process) and analyze separately, printing
# events/s and the peak RSS of each phase. Work files go to $BENCH_DIR
# (default /tmp/udaudit-bench), removed afterwards unless BENCH_KEEP=1.
set -eu
BENCH=${BENCH:-build/bench}
UDAUDIT=${UDAUDIT:-$(pwd)/udaudit}
BENCH_DIR=${BENCH_DIR:-/tmp/udaudit-bench}
EVENTS=${BENCH_EVENTS:-"1000000 10000000"}
echo "bench: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')," \
	"$(awk '/MemTotal/ {printf "%.1f GB RAM", $2 / 1048576}' /proc/meminfo)"
for n in $EVENTS; do
	d=$BENCH_DIR/$n
	rm -rf "$d"
	mkdir -p "$d"
	"$BENCH" gen "$n" "$d"
	db=$d/audit.db
	"$UDAUDIT" -q ingest --db "$db" accounts "$d/accounts.csv" >/dev/null
	"$UDAUDIT" -q ingest --db "$db" devices "$d/devices.csv" >/dev/null
	"$UDAUDIT" -q ingest --db "$db" device-apps "$d/device_apps.csv" >/dev/null
	start=$(date +%s.%N)
	"$BENCH" time ingest "$n" sh -c "'$UDAUDIT' -q ingest --db '$db' usage '$d/usage.jsonl' >/dev/null &&
		'$UDAUDIT' -q ingest --db '$db' compliance '$d/compliance.sqlite' >/dev/null"
	"$BENCH" time analyze "$n" sh -c "'$UDAUDIT' -q analyze --db '$db' --as-of 2021-09-30 --rules rules >'$d/analyze.out'"
	end=$(date +%s.%N)
	awk -v n="$n" -v s="$start" -v e="$end" 'BEGIN {
		printf "bench: %-8s %11d events %8.2f s %10.0f events/s  (ingest + analyze)\n",
			"total", n, e - s, n / (e - s) }'
	sed 's/^/bench:   /' "$d/analyze.out"
	[ "${BENCH_KEEP:-0}" = 1 ] || rm -rf "$d"
done
