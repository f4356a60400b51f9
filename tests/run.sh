#!/bin/sh
# Runs every unit test binary in $UNIT_DIR and every CLI test script
# tests/cli/test_*.sh against $UDAUDIT; each prints "N passed, N failed" as
# its last line. Ends with the total on one line.
set -u
UDAUDIT=${UDAUDIT:-./udaudit}
UNIT_DIR=${UNIT_DIR:-build/tests}
LABEL=${TEST_LABEL:-plain}
export UDAUDIT
UDAUDIT=$(cd "$(dirname "$UDAUDIT")" && pwd)/$(basename "$UDAUDIT")
export UDAUDIT
pass=0 fail=0
log=$(mktemp)
run_one() {
	name=$1; shift
	"$@" >"$log" 2>&1
	code=$?
	last=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	p=$(echo "$last" | sed -n 's/^\([0-9]*\) passed.*/\1/p')
	f=$(echo "$last" | sed -n 's/.* \([0-9]*\) failed.*/\1/p')
	[ -n "$p" ] || p=0
	[ -n "$f" ] || f=0
	if [ $code -ne 0 ] && [ "$f" = 0 ]; then f=1; fi
	if [ "$f" != 0 ] || [ -z "$last" ]; then
		echo "--- $name ($LABEL): FAILED"
		tail -n 40 "$log"
		[ -z "$last" ] && [ "$f" = 0 ] && f=1
	else
		echo "--- $name ($LABEL): $p passed"
	fi
	pass=$((pass + p)); fail=$((fail + f))
}
for t in "$UNIT_DIR"/test_*; do
	[ -x "$t" ] || continue
	run_one "$(basename "$t")" "$t"
done
for t in tests/cli/test_*.sh; do
	[ -f "$t" ] || continue
	run_one "$(basename "$t")" sh "$t"
done
rm -f "$log"
echo "$LABEL: $pass passed, $fail failed"
[ "$fail" = 0 ]
