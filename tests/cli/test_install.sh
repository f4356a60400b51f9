# make install: the binary, the rule packs and report definitions (found
# from the installed binary, never the current folder) and udaudit(1);
# the installed binary runs the sample audit from another folder.
. tests/cli/lib.sh
W=$(pwd)

make -s install DESTDIR="$T/dest" PREFIX=/usr/local >"$T/out" 2>&1
t_eq "install: exit" "$?" 0
P=$T/dest/usr/local
t_ok "install: binary" test -x "$P/bin/udaudit"
t_ok "install: rules" test -f "$P/share/udaudit/rules/apps.ini"
t_ok "install: reports" test -f "$P/share/udaudit/reports/incident.ini"
t_ok "install: man page" test -f "$P/share/man/man1/udaudit.1"
t_ok "install: udaudit-inputs(5)" test -f "$P/share/man/man5/udaudit-inputs.5"
t_ok "install: udaudit.ini(5)" test -f "$P/share/man/man5/udaudit.ini.5"
if command -v groff >/dev/null 2>&1; then
	groff -ww -man -z "$P/share/man/man1/udaudit.1" >"$T/man" 2>&1
	t_eq "man: groff -ww -man -z is quiet" "$(cat "$T/man")" ""
	for w in "EXIT STATUS" "DATA QUALITY" "inputs list" "verify" "--strict" "whatsapp"; do
		MANWIDTH=80 man -l "$P/share/man/man1/udaudit.1" 2>/dev/null >"$T/man.txt"
		t_contains "man: $w" "$T/man.txt" "$w"
	done
fi

# the sample audit, without its rules folder: the installed packs are used
mkdir -p "$T/audit"
cp -r "$W/samples" "$T/audit/samples"
sed -i '/^\[rules\]/d; /^dir = \.\.\/rules/d' "$T/audit/samples/audit.ini"
t_not_contains "sample: no rules line" "$T/audit/samples/audit.ini" "../rules"
(cd "$T" && "$P/bin/udaudit" run "$T/audit/samples/audit.ini" >"$T/out" 2>"$T/err"); rc=$?
t_eq "installed run: exit" "$rc" 0
t_contains "installed run: findings" "$T/out" "37 findings"
t_ok "installed run: incident report" test -s "$T/audit/out/UD-2019-0001-incident.pdf"
t_ok "installed run: workbook" test -s "$T/audit/out/2021Q3-findings.xlsx"
t_eq "installed run: rules of the installation" \
	"$(sql "$T/audit/out/audit.db" "SELECT rules_dir FROM runs")" "$P/share/udaudit/rules"
(cd "$T" && "$P/bin/udaudit" rules check >"$T/out" 2>"$T/err"); rc=$?
t_eq "installed rules check, no DIR: exit" "$rc" 0

# init then run with the installed binary: the skeleton uses the installed rules
(cd "$T" && "$P/bin/udaudit" init --quarter 2024Q2 q >"$T/out" 2>"$T/err"); rc=$?
t_eq "installed init: exit" "$rc" 0
(cd / && "$P/bin/udaudit" run "$T/q/audit.ini" >"$T/out" 2>"$T/err"); rc=$?
t_eq "installed init, then run: exit" "$rc" 0
t_contains "installed init, then run: analysed" "$T/out" "0 findings"
t_eq "installed init, then run: rules of the installation" \
	"$(sql "$T/q/out/audit.db" "SELECT rules_dir FROM runs")" "$P/share/udaudit/rules"

t_done
