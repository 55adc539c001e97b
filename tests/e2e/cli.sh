#!/usr/bin/env bash
# CLI behaviour and config errors through the real binary: messages and exit codes.
source "$(dirname "$0")/lib.sh"
CFG=config/default.json

run_analyze --help
check_eq "help exits 0" 0 "$rc"
check_contains "help lists exit code 3" "3    input error" "$out"
check_contains "help lists --check-config" "--check-config" "$out"

run_analyze --version
check_eq "version exits 0" 0 "$rc"
check_contains "version names framescope" "framescope" "$out"

run_analyze
check_eq "missing --config exits 2" 2 "$rc"
check_contains "missing --config message" "analyze: missing --config" "$err"

run_analyze --config "$CFG" --bogus
check_eq "unknown option exits 2" 2 "$rc"
check_contains "unknown option named" "--bogus" "$err"

run_analyze --config "$CFG" --threads zero
check_eq "bad --threads exits 2" 2 "$rc"

run_analyze --config "$TMP/nope.json"
check_eq "missing config file exits 2" 2 "$rc"
check_contains "missing config file named" "nope.json" "$err"

run_analyze --config "$CFG" --check-config
check_eq "default config is valid" 0 "$rc"
check_contains "check-config says valid" "valid" "$err"
check_eq "check-config writes nothing on stdout" "" "$out"

# One file per error kind: message names the place, exit code 2.
mkdir -p "$TMP/cfg"
cp -r corpus "$TMP/corpus"
printf '{\n  "report": {"title": "x"},\n  "sources": [\n    {"id": "a" "label": "A"}\n  ]\n}\n' > "$TMP/cfg/syntax.json"
run_analyze --config "$TMP/cfg/syntax.json" --check-config
check_eq "syntax error exits 2" 2 "$rc"
check_contains "syntax error gives FILE:LINE:COL" "syntax.json:4:" "$err"

cat > "$TMP/cfg/unknown.json" <<'J'
{"report": {"title": "x"},
 "sources": [{"id": "a", "label": "A", "inputs": ["../corpus/alliance/000_*.txt"]}],
 "analysis": {"windw": 5}}
J
run_analyze --config "$TMP/cfg/unknown.json" --check-config
check_eq "unknown key exits 2" 2 "$rc"
check_contains "unknown key path" "analysis.windw" "$err"
check_contains "did you mean" "window" "$err"

cat > "$TMP/cfg/type.json" <<'J'
{"report": {"title": "x"},
 "sources": [{"id": "a", "label": "A", "inputs": ["../corpus/alliance/000_*.txt"]},
             {"id": "b", "label": "B", "inputs": [42]}]}
J
run_analyze --config "$TMP/cfg/type.json" --check-config
check_eq "wrong type exits 2" 2 "$rc"
check_contains "wrong type names key path" "sources[1].inputs[0]" "$err"

cat > "$TMP/cfg/nomatch.json" <<'J'
{"report": {"title": "x"},
 "sources": [{"id": "herald", "label": "A", "inputs": ["../corpus/alliance/999_*.txt"]}]}
J
run_analyze --config "$TMP/cfg/nomatch.json" --check-config
check_eq "input matching nothing exits 2" 2 "$rc"
check_contains "names the source" "herald" "$err"
check_contains "names the pattern" "999_*.txt" "$err"

cat > "$TMP/cfg/regex.json" <<'J'
{"report": {"title": "x"},
 "sources": [{"id": "a", "label": "A", "inputs": ["../corpus/alliance/000_*.txt"],
              "clean": {"drop_lines": ["^ok$", "(unclosed"]}}]}
J
run_analyze --config "$TMP/cfg/regex.json" --check-config
check_eq "bad regex exits 2" 2 "$rc"
check_contains "bad regex names rule" "sources[0].clean.drop_lines[1]" "$err"
check_contains "bad regex gives offset" "offset" "$err"

run_analyze --config "$CFG" --period 2025-13
check_eq "bad period exits 2" 2 "$rc"
check_contains "bad period message" "--period" "$err"

run_analyze --config "$CFG" --period 1999-01 --output "$TMP/none/p.pdf"
check_eq "empty period exits 3" 3 "$rc"
check_contains "empty period message" "selects no documents" "$err"
check "empty period writes no PDF" test ! -e "$TMP/none/p.pdf"

touch "$TMP/file"
run_analyze --config "$CFG" --output "$TMP/file/sub/r.pdf"
check_eq "unwritable output exits 4" 4 "$rc"
check_contains "unwritable output named" "$TMP/file" "$err"

# Every line on stderr is prefixed.
bad=$(printf '%s\n' "$err" | grep -v '^analyze: ' | grep -c . || true)
check_eq "every stderr line prefixed" 0 "$bad"
