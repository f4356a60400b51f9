# Shared helpers for CLI tests (sourced). Each test script:
#   . tests/cli/lib.sh
#   ... t_ok / t_eq / t_contains ...
#   t_done
# $UDAUDIT is the binary under test; $T a fresh temporary directory.
set -u
: "${UDAUDIT:=$(pwd)/udaudit}"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
t_pass=0
t_fail=0
_t_fail() { t_fail=$((t_fail + 1)); echo "FAIL: $*" >&2; }
# t_ok DESC CMD...: the command exits 0
t_ok() { d=$1; shift; if "$@"; then t_pass=$((t_pass + 1)); else _t_fail "$d"; fi; }
# t_eq DESC GOT WANT
t_eq() { if [ "$2" = "$3" ]; then t_pass=$((t_pass + 1)); else _t_fail "$1: got '$2', want '$3'"; fi; }
# t_contains DESC FILE TEXT: FILE has a line containing TEXT (fixed string)
t_contains() { if grep -qF -- "$3" "$2"; then t_pass=$((t_pass + 1)); else _t_fail "$1: '$3' not in $2"; sed 's/^/    | /' "$2" | head -20 >&2; fi; }
t_not_contains() { if grep -qF -- "$3" "$2"; then _t_fail "$1: '$3' found in $2"; else t_pass=$((t_pass + 1)); fi; }
# run CMD...: runs udaudit with args, stdout to $T/out, stderr to $T/err, code in $rc
run() { "$UDAUDIT" "$@" >"$T/out" 2>"$T/err"; rc=$?; }
# sql DB QUERY: one value per line, via Python's sqlite3 (no sqlite3 CLI needed)
sql() { python3 -c 'import sqlite3,sys
for r in sqlite3.connect(sys.argv[1]).execute(sys.argv[2]): print("|".join("" if v is None else str(v) for v in r))' "$1" "$2"; }
t_done() { echo "$t_pass passed, $t_fail failed"; [ "$t_fail" = 0 ]; }
# sample_audit DIR: a copy of the sample audit (samples/, rules/, reports/ and
# the compliance store built from its SQL) in DIR, to run and break there
sample_audit() {
	mkdir -p "$1" && cp -r samples rules "$1/" && { [ ! -d reports ] || cp -r reports "$1/"; }
	[ -f "$1/samples/compliance.sqlite" ] || python3 -c "import sqlite3,sys
c = sqlite3.connect(sys.argv[1]); c.executescript(open(sys.argv[2]).read()); c.commit()" \
		"$1/samples/compliance.sqlite" "$1/samples/compliance.sql"
}
