#!/usr/bin/env bash
# Hostile input: each case gets a clear one-line message and a documented exit code, or a
# warning and a skip where the run can go on without losing anything. Never a crash or a hang.
source "$(dirname "$0")/lib.sh"
D=$TMP/c
mkdir -p "$D/in" "$D/empty_dir"
cp corpus/alliance/002_*.txt "$D/in/good.txt"
cp corpus/alliance/004_*.txt "$D/in/good2.txt"

# cfg NAME INPUTS_JSON [EXTRA_TOP_LEVEL_JSON]: a one-source config in $D
cfg() {
  cat > "$D/$1.json" <<J
{"report": {"title": "Robustness", "output": "$TMP/out/$1.pdf"},
 "sources": [{"id": "a", "label": "Source A", "inputs": $2},
             {"id": "b", "label": "Source B", "inputs": ["in/good2.txt"]}]${3:+, $3}}
J
  echo "$D/$1.json"
}
# not_crashed NAME: exit code is one of ours, not a signal from a crash
not_crashed() { case $rc in 0|1|2|3|4|5) pass "$1 did not crash (rc=$rc)";; *) fail "$1 crashed" "rc=$rc $err";; esac; }

run_analyze --config "$(cfg missing '["in/nope.txt"]')" --no-pdf
check_eq "missing file exits 2" 2 "$rc"
check_contains "missing file named" "in/nope.txt" "$err"

run_analyze --config "$(cfg emptydir '["empty_dir"]')" --no-pdf
check_eq "folder with no files exits 2" 2 "$rc"
check_contains "empty folder named" "empty_dir" "$err"

: > "$D/in/empty.txt"
run_analyze --config "$(cfg emptyfile '["in/good.txt", "in/empty.txt"]')" --no-pdf
check_eq "empty file is skipped, run goes on" 0 "$rc"
check_contains "empty file warned" "empty.txt" "$err"

printf 'PK\003\004\000\000binary\000junk' > "$D/in/binary.txt"
run_analyze --config "$(cfg binary '["in/good.txt", "in/binary.txt"]')" --no-pdf
check_eq "binary file is skipped" 0 "$rc"
check_contains "binary file warned" "binary.txt" "$err"

printf 'Seoul and Washington \xff\xfe disagree on deterrence.\nThe alliance \xc3 holds.\n' > "$D/in/bad_utf8.txt"
run_analyze --config "$(cfg utf8 '["in/good.txt", "in/bad_utf8.txt"]')" --no-pdf
check_eq "invalid UTF-8 is repaired" 0 "$rc"
check_contains "invalid UTF-8 warned with file" "bad_utf8.txt" "$err"
check_contains "invalid UTF-8 warned with offset" "offset" "$err"

run_analyze --config "$(cfg onlybinary '["in/binary.txt"]')" --no-pdf
check_eq "source with only a binary file: run goes on" 0 "$rc"
check_contains "empty source warned by name" "source 'a' (Source A): no readable document" "$err"

cat > "$D/badre.json" <<J
{"report": {"title": "x", "output": "$TMP/out/badre.pdf"},
 "sources": [{"id": "a", "label": "A", "inputs": ["in/good.txt"],
              "clean": {"drop_lines": ["(a+)+\$"]}}]}
J
# Catastrophic backtracking on a long line of a's followed by a non-matching char.
python3 -c "print('a' * 50000 + '!')" > "$D/in/aaaa.txt"
sed -i 's#"in/good.txt"#"in/aaaa.txt"#' "$D/badre.json"
start=$(date +%s)
run_analyze --config "$D/badre.json" --no-pdf
elapsed=$(( $(date +%s) - start ))
check "catastrophic regex does not hang (<= 20 s)" test "$elapsed" -le 20
check_eq "catastrophic regex exits 2" 2 "$rc"
check_contains "catastrophic regex names the rule" "drop_lines[0]" "$err"

python3 -c "import sys; sys.stdout.write('alliance ' * 10000000)" > "$D/in/one_word.txt"
run_analyze --config "$(cfg oneword '["in/good.txt", "in/one_word.txt"]')" --no-pdf --quiet
check_eq "10 million copies of one word" 0 "$rc"

python3 -c "import sys; sys.stdout.write(('deterrence alliance Taiwan ' * 4000000)[:100*1024*1024])" > "$D/in/no_newline.txt"
run_analyze --config "$(cfg nonl '["in/good.txt", "in/no_newline.txt"]')" --no-pdf --quiet
check_eq "100 MB file with no newline" 0 "$rc"
rm -f "$D/in/no_newline.txt" "$D/in/one_word.txt"

python3 -c "print('{\"report\": ' + '[' * 100000 + ']' * 100000 + '}')" > "$D/deep.json"
run_analyze --config "$D/deep.json" --check-config
check_eq "deeply nested config exits 2" 2 "$rc"
check_contains "deeply nested config named" "deep.json" "$err"

python3 -c "print('{\"report\": {\"title\": \"' + 'x' * 30000000 + '\"}}')" > "$D/huge.json"
run_analyze --config "$D/huge.json" --check-config
check_eq "huge config exits 2" 2 "$rc"
rm -f "$D/huge.json"

cat > "$D/types.json" <<'J'
{"report": {"title": 5, "paper": "A3", "sections": "all"},
 "sources": {"id": "a"},
 "analysis": {"window": "five", "min_count": -1, "aliases": ["U.S."], "frames": []},
 "clean": {"dedup_threshold": 2}}
J
run_analyze --config "$D/types.json" --check-config
check_eq "every wrong type exits 2" 2 "$rc"
check_contains "wrong type names a key" "report.title" "$err"

mkdir -p "$TMP/ro"
chmod 555 "$TMP/ro"
if [[ $(id -u) -eq 0 ]]; then
  # root writes anywhere: a path through a regular file fails for everyone.
  touch "$TMP/ro/file"; chmod 755 "$TMP/ro"; target="$TMP/ro/file/r.pdf"
else
  target="$TMP/ro/r.pdf"
fi
run_analyze --config "$(cfg ro '["in/good.txt"]')" --output "$target"
check_eq "unwritable output folder exits 4" 4 "$rc"
check "no PDF in unwritable folder" test ! -e "$target"

# A second run while the first holds the lock.
PDF=$TMP/out/locked.pdf
mkdir -p "$TMP/out"
exec 9>"$TMP/out/.locked.pdf.lock"
flock -n 9
run_analyze --config "$(cfg locked '["in/good.txt"]')" --output "$PDF"
check_eq "locked output exits 5" 5 "$rc"
check_contains "lock message" "another run" "$err"
check "locked run wrote nothing" test ! -e "$PDF"
exec 9>&-

# SIGTERM mid-run: exit 143, nothing at the destination, no temporary files.
python3 -c "import sys; sys.stdout.write(('Seoul deterrence alliance Taiwan China burden.\n') * 2500000)" > "$D/in/big.txt"
PDF=$TMP/out/term.pdf
"$ANALYZE" --config "$(cfg term '["in/big.txt"]')" --output "$PDF" --export-dir "$TMP/out/exp" 2>"$TMP/term.err" &
pid=$!
sleep 0.5
kill -TERM $pid
wait $pid; rc=$?
check_eq "SIGTERM exits 143" 143 "$rc"
check "SIGTERM leaves no PDF" test ! -e "$PDF"
check_eq "SIGTERM leaves no temporary files" "" "$(find "$TMP/out" -name '.*' -type f ! -name '*.lock' 2>/dev/null)"
rm -f "$D/in/big.txt"
