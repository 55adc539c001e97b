# Helpers for end-to-end scripts: each check prints PASS/FAIL with a name and appends it to
# $RESULTS; a script never exits early on a failed check.
# shellcheck shell=bash
BIN=${BIN:-bin}
ANALYZE=${ANALYZE:-$BIN/analyze}
RESULTS=${RESULTS:-/dev/null}
TMP=$(mktemp -d /tmp/framescope-e2e.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

pass() { echo "PASS $1" | tee -a "$RESULTS" >/dev/null; }
fail() { echo "FAIL $1${2:+: $2}" | tee -a "$RESULTS"; }
# check NAME COMMAND...: passes when COMMAND exits 0
check() { local n=$1; shift; if "$@" >/dev/null 2>&1; then pass "$n"; else fail "$n" "$*"; fi; }
# check_eq NAME EXPECTED ACTUAL
check_eq() { if [[ "$2" == "$3" ]]; then pass "$1"; else fail "$1" "expected [$2], got [$3]"; fi; }
# check_contains NAME NEEDLE HAYSTACK
check_contains() { if [[ "$3" == *"$2"* ]]; then pass "$1"; else fail "$1" "[$2] not in [${3:0:300}]"; fi; }
check_not_contains() { if [[ "$3" != *"$2"* ]]; then pass "$1"; else fail "$1" "[$2] found"; fi; }
# run_analyze ARGS...: sets $rc, $out (stdout) and $err (stderr)
run_analyze() {
  out=$("$ANALYZE" "$@" 2>"$TMP/stderr"); rc=$?
  err=$(cat "$TMP/stderr")
}
