#!/bin/sh
# The WhatsApp reader on a long export: sh tests/bench/whatsapp.sh [LINES]
# (default 40000) writes a synthetic iOS export (messages, continuation
# lines, media placeholders, tombstones, Italian and Russian notices: every
# line is matched against whatsapp.ini's templates), ingests it and prints
# the user CPU seconds; with BENCH_CALLGRIND=1 also the instructions that
# valgrind's callgrind counts (the number to compare on a loaded machine).
set -eu
UDAUDIT=${UDAUDIT:-$(pwd)/udaudit}
N=${1:-40000}
D=$(mktemp -d)
trap 'rm -rf "$D"' EXIT
awk -v n="$N" 'BEGIN {
	srand(7)
	split("the draft is ready please review before the meeting tomorrow thanks see you there budget numbers", w, " ")
	split("Pat Lee|Dana Reyes|Kim Ray|+1 202 555 0100", who, "|")
	t = 0
	for (i = 0; i < n; i++) {
		t += 5 + int(rand() * 400)
		d = int(t / 86400); s = t % 86400
		text = ""
		for (k = 0; k < 2 + int(rand() * 12); k++)
			text = text (k ? " " : "") w[1 + int(rand() * 16)]
		r = rand()
		if (r < 0.05) text = "\342\200\216image omitted"
		else if (r < 0.06) text = "Questo messaggio \303\250 stato eliminato."
		else if (r < 0.07) text = "\320\224\320\260\320\275\320\275\320\276\320\265 \321\201\320\276\320\276\320\261\321\211\320\265\320\275\320\270\320\265 \321\203\320\264\320\260\320\273\320\265\320\275\320\276"
		else if (r < 0.10) { print text; continue }
		printf "[%02d/%02d/20%02d, %02d:%02d:%02d] %s: %s\n", 1 + d % 28, 1 + int(d / 28) % 12,
			22 + int(d / 336), int(s / 3600), int(s / 60) % 60, s % 60, who[1 + int(rand() * 4)], text
	}
}' >"$D/chat.txt"
ingest() { "$@" "$UDAUDIT" ingest -q --db "$D/b.db" --account whatsapp:+15550100001 \
	--self "Dana Reyes" whatsapp "$D/chat.txt" >/dev/null; }
ingest /usr/bin/time -f "%U" -o "$D/user"
echo "bench: whatsapp $N lines  $(cat "$D/user") s user CPU"
if [ "${BENCH_CALLGRIND:-0}" = 1 ]; then
	rm -f "$D/b.db"
	ingest valgrind --tool=callgrind --callgrind-out-file="$D/cg" --log-file="$D/cg.log"
	echo "bench: whatsapp $N lines  $(sed -nE 's/.*I +refs: +//p' "$D/cg.log") instructions"
fi
