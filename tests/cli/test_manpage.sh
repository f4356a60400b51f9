# The manual pages are the reference: every command of `udaudit --help`
# has its section in udaudit(1), every long option a command's --help
# prints is named in that command's section, every input kind of
# `ingest --help` and every option of each kind is described, every report
# kind of `report --help` too, and groff finds nothing to warn about.
. tests/cli/lib.sh
M1=src/udaudit.1
PAGES="src/udaudit.1 src/udaudit-inputs.5 src/udaudit.ini.5"
for p in $PAGES; do
	t_ok "page exists: $p" test -f "$p"
done

# plain text of a roff file: escapes of '-' and font changes removed
plain() { sed 's/\\-/-/g; s/\\f\[[A-Z]*\]//g; s/\\f[BIRP]//g; s/\\(em/-/g' "$1"; }
plain "$M1" >"$T/m1"
for p in $PAGES; do plain "$p"; done >"$T/all"

# section CMD [VERB]: the text of every .SS of udaudit(1) whose heading
# starts with CMD (and names VERB), up to the next heading
section() {
	awk -v cmd="$1" -v verb="${2:-}" '
		/^\.S[HS] / {
			on = 0
			if ($1 == ".SS" && $2 == cmd) {
				on = 1
				if (verb != "") {
					h = $0; sub(/^\.SS [^ ]+ /, "", h); split(h, w, /[| ]/)
					on = (w[1] == verb)
					for (i in w) if (w[i] == verb) on = 1
				}
			}
		}
		on' "$T/m1"
}

# the long options of a --help text, one a line
longopts() { grep -oE -- '--[a-z][a-z0-9-]+' "$1" | grep -vx -- '--help' | sort -u; }

"$UDAUDIT" --help >"$T/help" 2>&1
cmds=$(sed -n '/^commands:/,/^$/p' "$T/help" | sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p')
t_ok "--help lists commands" test -n "$cmds"
ncmd=0
for c in $cmds; do
	ncmd=$((ncmd + 1))
	section "$c" >"$T/sec"
	t_ok "udaudit(1) has a section for '$c'" test -s "$T/sec"
	"$UDAUDIT" "$c" --help >"$T/h" 2>&1
	t_eq "$c --help: exit" "$?" 0
	# verbs: "udaudit tracker (import | update | list)", "udaudit rules check",
	# "udaudit inputs list ...", "udaudit inputs retire ..."
	verbs=$(sed -n "s/^\(usage: \)\{0,1\}udaudit $c (\([a-z |]*\)).*/\2/p; s/^\(usage: \)\{0,1\}udaudit $c \([a-z][a-z]*\)\( .*\)\{0,1\}$/\2/p" "$T/h" | tr '|' ' ')
	for o in $(longopts "$T/h"); do
		t_contains "udaudit(1) '$c' section names $o" "$T/sec" "$o"
	done
	for v in $verbs; do
		"$UDAUDIT" "$c" "$v" --help >"$T/hv" 2>&1
		t_eq "$c $v --help: exit" "$?" 0
		section "$c" "$v" >"$T/secv"
		t_ok "udaudit(1) has a section for '$c $v'" test -s "$T/secv"
		for o in $(longopts "$T/hv"); do
			t_contains "udaudit(1) '$c $v' section names $o" "$T/secv" "$o"
		done
	done
done
t_ok "at least 9 commands checked ($ncmd)" test "$ncmd" -ge 9

# every input kind and every report kind is described
"$UDAUDIT" ingest --help >"$T/h" 2>&1
kinds=$(sed -n '/^input kinds:/,$p' "$T/h" | sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p')
t_ok "ingest --help lists kinds" test -n "$kinds"
for k in $kinds; do
	t_contains "a manual page describes input kind '$k'" "$T/all" "$k"
done
# every option of every kind (as the error for an unknown one lists them)
# is in udaudit-inputs(5), in the options list of its kind
plain src/udaudit-inputs.5 >"$T/m5"
awk '/^\.SH THE ADAPTERS/ { on = 1 } on && /^\.PP/ && seen { exit } on && /^\.TP/ { seen = 1 } on' "$T/m5" >"$T/kopts"
for k in $kinds; do
	"$UDAUDIT" ingest --db "$T/k.db" "$k" --opt zz_none=1 /dev/null 2>"$T/e"
	opts=$(sed -n 's/.*(expected \([^;)]*\).*/\1/p' "$T/e" | sed 's/,/ /g; s/ or / /g')
	if ! grep -q 'takes no options' "$T/e"; then
		t_ok "kind '$k': options listed by the error" test -n "$opts"
	fi
	for o in $opts; do
		awk -v k="$k" '/^\.TP/ { getline h; gsub(/ /, "", h); on = index("," h ",", "," k ",") > 0; next }
			/^\.PP/ { on = 0 } on' "$T/kopts" >"$T/kopt"
		t_contains "udaudit-inputs(5) lists option '$o' of '$k'" "$T/kopt" "$o"
	done
done
"$UDAUDIT" report --help >"$T/h" 2>&1
for k in $(sed -n '/^report kinds:/,$p' "$T/h" | sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p'); do
	t_contains "udaudit(1) report section names '$k'" "$T/m1" "$k"
done
# every finding type (as the error for an unknown one lists them) has its
# entry under "Finding types"
"$UDAUDIT" findings --db "$T/k.db" --type zz_none >/dev/null 2>"$T/e"
types=$(sed -n 's/.*(expected \([^)]*\)).*/\1/p' "$T/e" | sed 's/,/ /g; s/ or / /g')
t_ok "findings --type lists the types" test -n "$types"
awk '/^\.SS Finding types/ { on = 1; next } /^\.S[SH]/ { on = 0 } on' "$T/m1" >"$T/types"
for ty in $types; do
	t_contains "udaudit(1) Finding types: $ty" "$T/types" "$ty"
done
# the exit codes of --help are those of EXIT STATUS
for code in 0 1 2 3 4; do
	awk '/^\.SH EXIT STATUS/ { on = 1; next } /^\.SH/ { on = 0 } on' "$T/m1" >"$T/exit"
	t_contains "EXIT STATUS lists $code" "$T/exit" "$code"
done

# every key of the audit.ini that init writes is under "Sections and keys"
# of udaudit.ini(5), in its section ([inputs] keys are kinds, checked above)
if "$UDAUDIT" init "$T/init" >/dev/null 2>&1; then
	plain src/udaudit.ini.5 | awk '/^\.SS Sections and keys/ { on = 1; next } /^\.S[SH]/ { on = 0 } on' >"$T/keys"
	awk '/^\[/ { sec = $1; next } sec != "[inputs]" && /^;? ?[a-z_]+ *=/ {
		sub(/^; ?/, ""); sub(/ *=.*/, ""); print sec, $0 }' "$T/init/audit.ini" | sort -u >"$T/initkeys"
	t_ok "init's audit.ini has keys" test -s "$T/initkeys"
	while read -r sec key; do
		awk -v sec="$sec" '/^\.TP/ { getline h; on = (index(h, sec) > 0); next } on' "$T/keys" >"$T/seckeys"
		t_contains "udaudit.ini(5) $sec lists '$key'" "$T/seckeys" "$key"
	done <"$T/initkeys"
fi

# the README is the user's guide and the pages the reference: it names
# each page, and stays short enough to read (reference detail goes here)
for p in 'udaudit(1)' 'udaudit-inputs(5)' 'udaudit.ini(5)'; do
	t_contains "README names $p" README.md "$p"
done
n=$(wc -l <README.md)
t_ok "README.md is at most 450 lines ($n)" test "$n" -le 450

# groff: no warning, with the terminal device man uses, and for udaudit(1)
# also with groff's default device
if command -v groff >/dev/null 2>&1; then
	for p in $PAGES; do
		groff -man -ww -z -Tutf8 "$p" >"$T/groff" 2>&1
		t_eq "groff -man -ww -Tutf8 $p: no warnings" "$(cat "$T/groff")" ""
	done
	groff -man -ww -z "$M1" >"$T/groff" 2>&1
	t_eq "groff -man -ww $M1: no warnings" "$(cat "$T/groff")" ""
else
	echo "groff not installed: roff checks skipped"
fi
t_done
