#!/bin/sh
# The layering of udaudit (readers -> store -> detectors -> findings ->
# writers, README "For developers"), checked on the #include lines of src/
# and include/: one wrapper per library, an ingest engine that knows no
# kind, adapters that know no report. Run by `make lint`; prints each
# offending line with the rule it breaks and exits 1.
cd "$(dirname "$0")/../.." || exit 2
status=0
all=$(find src include -name '*.[ch]' | sort)

# includes FILES HEADER-ERE: the #include lines of FILES naming HEADER
includes() {
	[ -n "$1" ] || return 0
	# shellcheck disable=SC2086
	grep -nHE "^[[:space:]]*#[[:space:]]*include[[:space:]]*[<\"]($2)[>\"]" $1
}
# forbid FILES HEADER-ERE WHY: none of FILES includes HEADER
forbid() {
	hits=$(includes "$1" "$2")
	[ -z "$hits" ] && return 0
	echo "$hits" | sed "s|\$|    <- $3|"
	status=1
}
# only FILE-ERE HEADER-ERE WHY: no file but those matching FILE-ERE
only() {
	forbid "$(echo "$all" | grep -vE "$1")" "$2" "$3"
}

only '^src/store\.c$' 'sqlite3\.h' 'only src/store.c wraps SQLite'
only '^src/pdf/' 'hpdf\.h' 'only src/pdf/ wraps libharu'
only '^src/xlsx\.c$' 'xlsxwriter\.h' 'only src/xlsx.c wraps libxlsxwriter'
forbid "src/ingest.c include/ingest.h" \
	'tracker\.h|kinds\.h|adapters\.h|config\.h|cli\.h|analyze\.h|report\.h' \
	'the ingest engine depends on nothing above it (the kinds are in kinds.c)'
forbid "$(echo "$all" | grep -E '^src/adapters/')" \
	'report\.h|casereport\.h|xlsx\.h|pdf\.h|analyze\.h|cli\.h|config\.h|kinds\.h' \
	'an adapter reads one input: it knows no report, command or detector'
forbid "$(echo "$all" | grep -E '^src/report/')" 'records\.h|ingest\.h|adapters\.h' \
	'writers read findings, not input records'

# writers print what the analysis stored (findings.h): no query of the
# input tables, no rule pack read again at report time
hits=$(grep -nHE "(FROM|JOIN)[[:space:]]+(main\.)?(usage|store_messages)\b|rules_load\(" src/report/*.c)
if [ -n "$hits" ]; then
	echo "$hits" | sed 's|$|    <- writers read findings, never usage, store_messages or rules/|'
	status=1
fi

[ "$status" = 0 ] || echo "layering check failed (tests/lint/layers.sh)"
exit "$status"
