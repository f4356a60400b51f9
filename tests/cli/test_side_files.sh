# A file an ingest option names and the loader reads (a side file, e.g.
# teams users=FILE, the Entra ID users that give each sender's principal
# name) is evidence like the input (spec 5, 7): hashed into the manifest
# beside its input, listed with its SHA-256 in every report that carries
# the manifest, checked by verify; loading the same input with another side
# file is a new version of the input, never "already loaded".
. tests/cli/lib.sh
PY=/usr/bin/python3
D=tests/data/adapters/teams

W=$T/w
sample_audit "$W"
S=$W/samples
mkdir "$S/teams"
cp $D/retained_pages.jsonl "$S/teams/retained.jsonl"
cp $D/users.csv "$S/teams/users.csv"
sed -i 's|^\[rules\]$|teams       = teams/retained.jsonl users=teams/users.csv\n\n[rules]|' "$S/audit.ini"
sha=$(sha256sum "$S/teams/users.csv" | cut -d' ' -f1)
size=$(wc -c <"$S/teams/users.csv")
"$UDAUDIT" run "$S/audit.ini" >"$T/run.out" 2>"$T/run.err"
t_eq "run: exit" "$?" 0
DB=$W/out/audit.db
t_eq "the side file in the manifest" "$(sql "$DB" "SELECT f.option, f.path, f.size, f.sha256
	FROM input_files f JOIN inputs i USING (input_id) WHERE i.kind = 'teams'")" "users|teams/users.csv|$size|$sha"
# the users file was read: senders are principal names
t_eq "the users file was read" "$(sql "$DB" "SELECT count(*) FROM usage WHERE account = 'teams:a.vance@example.gov'")" 2

# the findings and tracker workbooks: a row after its input, with the digest
for wb in 2021Q3-findings 2021Q3-tracker; do
	$PY tests/cli/xlsx_dump.py "$W/out/$wb.xlsx" | grep '^Inputs!' >"$T/inputs"
	row=$(grep -F "=s:teams/users.csv" "$T/inputs" | sed 's/^Inputs!B\([0-9]*\)=.*/\1/')
	t_ok "$wb: the users file has a row" test -n "$row"
	t_contains "$wb: its kind names the option" "$T/inputs" "Inputs!A$row=s:teams users="
	t_contains "$wb: its size" "$T/inputs" "Inputs!C$row=n:$size"
	t_contains "$wb: its SHA-256" "$T/inputs" "Inputs!G$row=s:$sha"
	t_not_contains "$wb: no record count of its own" "$T/inputs" "Inputs!D$row="
	t_contains "$wb: after its input" "$T/inputs" "Inputs!B$((row - 1))=s:teams/retained.jsonl"
done
# the letters: the manifest enclosure lists it with its digest
for f in UD-2019-0001-incident UD-2019-0001-status; do
	pdftotext -layout "$W/out/$f.pdf" - >"$T/$f.txt"
	t_contains "$f: the users file" "$T/$f.txt" "teams/users.csv"
	t_contains "$f: its kind and size" "$T/$f.txt" "teams users=, $size bytes"
	t_contains "$f: its SHA-256" "$T/$f.txt" "$sha"
done

# verify checks it
run verify --db "$DB"
t_eq "verify: unchanged" "$rc" 0
t_contains "verify: the side file is ok" "$T/out" "ok       teams users=    teams/users.csv"
t_contains "verify: counted" "$T/out" "inputs and 1 side file checked, all unchanged"
cp "$S/teams/users.csv" "$T/users.orig"
echo "7f1c0d2e-0000-4000-8000-000000000009,Kim Ray,k.ray@example.gov,Member" >>"$S/teams/users.csv"
size2=$(wc -c <"$S/teams/users.csv")
sha2=$(sha256sum "$S/teams/users.csv" | cut -d' ' -f1)
run verify --db "$DB"
t_eq "verify: changed: exit" "$rc" 3
t_contains "verify: changed: named" "$T/out" "CHANGED  teams users=    teams/users.csv (sha256 was $(echo $sha | cut -c1-12), is $(echo $sha2 | cut -c1-12); size was $size, is $size2)"
t_contains "verify: the input itself is ok" "$T/out" "ok       teams           teams/retained.jsonl"
t_contains "verify: changed: summary" "$T/out" "inputs and 1 side file checked, some changed or missing"
mv "$S/teams/users.csv" "$T/users.new"
run verify --db "$DB"
t_eq "verify: missing: exit" "$rc" 3
t_contains "verify: missing: named" "$T/out" "MISSING  teams users=    teams/users.csv"
mv "$T/users.new" "$S/teams/users.csv"

# the changed users file loaded again: a new version of the input
"$UDAUDIT" run "$S/audit.ini" >"$T/run2.out" 2>"$T/run2.err"
t_eq "re-run: exit" "$?" 0
t_contains "re-run: a new version, said" "$T/run2.out" "replaces the version read with another users= file"
t_eq "re-run: the manifest has the new digest only" "$(sql "$DB" "SELECT f.sha256 FROM input_files f
	JOIN inputs i USING (input_id) WHERE i.kind = 'teams'")" "$sha2"
t_eq "re-run: the old version is history" "$(sql "$DB" "SELECT reason, superseded_by > input_id
	FROM input_history WHERE kind = 'teams'")" "superseded|1"
t_eq "re-run: the records once" "$(sql "$DB" "SELECT count(*) FROM usage WHERE app = 'teams'")" 4
run verify --db "$DB"
t_eq "re-run: verify ok" "$rc" 0
$PY tests/cli/xlsx_dump.py "$W/out/2021Q3-findings.xlsx" | grep '^Inputs!' >"$T/inputs2"
t_contains "re-run: the workbook has the new digest" "$T/inputs2" "=s:$sha2"
t_not_contains "re-run: not the old one" "$T/inputs2" "=s:$sha"
# the same files again: nothing added
"$UDAUDIT" run "$S/audit.ini" >"$T/run3.out" 2>"$T/run3.err"
t_contains "same again: already loaded" "$T/run3.out" "teams           $S/teams/retained.jsonl already loaded"
# the ingest command, the same file without the option: a new version too
run ingest --db "$DB" teams "$S/teams/retained.jsonl"
t_contains "without users=: a new version" "$T/out" "replaces the version read with another users= file"
t_eq "without users=: no side file" "$(sql "$DB" "SELECT count(*) FROM input_files f
	JOIN inputs i USING (input_id) WHERE f.option IS NOT NULL")" 0
# a users file that cannot be read: the input is not loaded
run ingest --db "$T/x.db" --opt users="$T/none.csv" teams "$S/teams/retained.jsonl"
t_eq "missing users file: exit" "$rc" 3
t_contains "missing users file: said" "$T/err" "udaudit: $T/none.csv: error: cannot open"

# redacted copies: the side file is named like its input (input-N-users.csv)
cp "$T/users.orig" "$S/teams/users.csv"
sed -i 's/^\[output\]$/[output]\nredact = yes/' "$S/audit.ini"
"$UDAUDIT" run "$S/audit.ini" >"$T/run4.out" 2>"$T/run4.err"
t_eq "redact: exit" "$?" 0
id=$(sql "$DB" "SELECT input_id FROM inputs WHERE kind = 'teams'")
$PY tests/cli/xlsx_dump.py "$W/out/2021Q3-findings-redacted.xlsx" | grep '^Inputs!' >"$T/rinputs"
t_contains "redact: the workbook names it input-N-users" "$T/rinputs" "=s:input-$id-users.csv"
t_contains "redact: its digest kept" "$T/rinputs" "=s:$sha"
t_contains "redact: the input named input-N" "$T/rinputs" "=s:input-$id.jsonl"
pdftotext -layout "$W/out/UD-2019-0001-incident-redacted.pdf" - >"$T/rinc.txt"
t_contains "redact: the letter names it input-N-users" "$T/rinc.txt" "input-$id-users.csv"
t_contains "redact: the letter says how side files are named" "$T/rinc.txt" "input-1-OPTION"
for f in "$W"/out/*-redacted*; do
	case $f in *.pdf) pdftotext "$f" - ;; *.xlsx) unzip -p "$f" ;; esac >"$T/r.txt"
	t_not_contains "redact: no file name in $(basename "$f")" "$T/r.txt" "teams/users.csv"
done
t_done
