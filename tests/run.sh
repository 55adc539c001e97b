#!/usr/bin/env bash
# Runs the cmocka unit suites ($BUILD/tests/test_*) and the end-to-end scripts (tests/e2e/*.sh),
# and ends with one line "N passed, N failed". Exit status is non-zero when anything failed.
# Usage: tests/run.sh [unit|e2e] [NAME-FILTER]
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
BIN=${BIN:-bin}
what=${1:-all}
filter=${2:-}
passed=0 failed=0
failures=()

run_unit() {
  local t out p f rc
  for t in "$BUILD"/tests/test_*; do
    [[ -x $t && ! -d $t ]] || continue
    [[ -z $filter || $t == *"$filter"* ]] || continue
    out=$("$t" 2>&1); rc=$?
    printf '%s\n' "$out" | grep -E '^\[  (FAILED|ERROR) |^\[ +(OK|PASSED) +\]' | grep -v '^\[       OK' || true
    p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | awk '{s+=$1} END{print s+0}')
    f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | awk '{s+=$1} END{print s+0}')
    if [[ $rc -ne 0 && $f -eq 0 ]]; then
      f=1
      printf '%s\n' "$out" | tail -n 20
    fi
    ((f > 0)) && failures+=("$(basename "$t")")
    passed=$((passed + p)); failed=$((failed + f))
    echo "unit $(basename "$t"): $p passed, $f failed"
  done
}

run_e2e() {
  local s res p f
  for s in tests/e2e/*.sh; do
    [[ $(basename "$s") == lib.sh ]] && continue
    [[ -z $filter || $s == *"$filter"* ]] || continue
    res=$(mktemp)
    BIN=$BIN BUILD=$BUILD RESULTS=$res bash "$s"
    p=$(grep -c '^PASS' "$res"); f=$(grep -c '^FAIL' "$res")
    if [[ $p -eq 0 && $f -eq 0 ]]; then f=1; echo "FAIL $s ran no check" ; fi
    ((f > 0)) && failures+=("$(basename "$s")")
    passed=$((passed + p)); failed=$((failed + f))
    echo "e2e $(basename "$s"): $p passed, $f failed"
    rm -f "$res"
  done
}

[[ $what == all || $what == unit ]] && run_unit
[[ $what == all || $what == e2e ]] && run_e2e
((${#failures[@]})) && echo "failing suites: ${failures[*]}"
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
