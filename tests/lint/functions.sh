#!/bin/sh
# No function of src/ longer than MAX lines (body, braces included): a long
# function is one that does several things. Functions are found by the house
# style (K&R definitions: the opening brace alone in column 0). Run by
# `make lint`; prints each offender with its length and exits 1.
cd "$(dirname "$0")/../.." || exit 2
MAX=${MAX_FUNCTION_LINES:-80}
find src -name '*.c' | sort | xargs awk -v max="$MAX" '
	FNR == 1 { sig = ""; start = 0 }
	/^[A-Za-z_]/ && !/^(static|const|struct|enum|union|typedef)?[^(]*;[[:space:]]*$/ { sig = $0; sigline = FNR }
	/^\{/ { start = FNR; name = sig; nameline = sigline }
	/^\}/ && start {
		n = FNR - start + 1
		if (n > max) {
			fn = name
			sub(/\(.*/, "", fn); sub(/.*[ *]/, "", fn)
			printf "%s:%d: %s is %d lines (at most %d)\n", FILENAME, nameline, fn, n, max
			bad = 1
		}
		start = 0
	}
	END { exit bad }'
status=$?
[ "$status" = 0 ] || echo "function length check failed (tests/lint/functions.sh)"
exit "$status"
