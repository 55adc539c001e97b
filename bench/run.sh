#!/usr/bin/env bash
# bench/run.sh: `make bench`. Generates a deterministic synthetic corpus per size (MB) under
# /tmp, writes a config for it, and times the real binary: `analyze count` (ingest, clean,
# tokenize, count, shard file) and a full run without the PDF (… statistics, exports), each with
# MB/s and peak RSS, next to `wc -w` on the same files. BENCH_SIZES="100 1000" runs both sizes
# (default 100); BENCH_THREADS (default: all CPUs); BENCH_DIR (default /tmp/framescope-bench);
# BENCH_RUNS (count runs per size, median reported; default 3 up to 200 MB, else 1).
# Corpora are kept and reused.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
BIN=${BIN:-bin}
sizes=${BENCH_SIZES:-100}
threads=${BENCH_THREADS:-$(nproc)}
root=${BENCH_DIR:-/tmp/framescope-bench}
analyze=$BIN/analyze
mkdir -p "$root" "$BUILD/bench"

cc -O2 -std=c11 -D_DEFAULT_SOURCE -o "$BUILD/bench/gen" bench/gen.c -lm
make --no-print-directory -s BUILD="$BUILD" BIN="$BIN" "$analyze"

# "label seconds peak_kb" from /usr/bin/time -f "%e %M" output in $1; MB/s over $2 MB.
report() {
  local label=$1 timefile=$2 mb=$3
  read -r secs peak < <(tail -1 "$timefile")
  awk -v l="$label" -v s="$secs" -v p="$peak" -v mb="$mb" \
    'BEGIN { printf "%-34s %7.2f s  %7.1f MB/s  peak RSS %7.1f MB\n", l, s, mb / (s > 0 ? s : 1e-9), p / 1024 }'
}

stop=$(pwd)/config/stopwords-en.txt
for mb in $sizes; do
  dir=$root/${mb}MB
  if [[ ! -f $dir/.done ]]; then
    echo "== generating ${mb} MB corpus in $dir"
    rm -rf "$dir"
    "$BUILD/bench/gen" "$dir" "$mb"
    touch "$dir/.done"
  fi
  cat > "$root/bench-${mb}.json" <<JSON
{
  "report": { "title": "framescope bench ${mb} MB", "output": "$root/bench-${mb}.pdf" },
  "sources": [
    { "id": "s0", "label": "Source 0", "inputs": ["$dir/s0"] },
    { "id": "s1", "label": "Source 1", "inputs": ["$dir/s1"] },
    { "id": "s2", "label": "Source 2", "inputs": ["$dir/s2"] },
    { "id": "s3", "label": "Source 3", "inputs": ["$dir/s3"] }
  ],
  "analysis": {
    "stopwords": ["$stop"],
    "aliases": { "U.S.": "US", "United States": "US" },
    "phrases": ["Kalo Mimi", "strategic flexibility", "Taiwan Strait"],
    "focus": ["kalo", "US", "lomi"],
    "frames": { "alpha": ["\\\\bka\\\\w*", "\\\\bkalo\\\\b"], "beta": ["\\\\bmine\\\\w*"] },
    "window": 5
  },
  "clean": { "max_file_mb": 64 }
}
JSON
  files=$(find "$dir" -name '*.jsonl' | sort)
  bytes=$(cat $files | wc -c)
  real_mb=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1048576 }')
  t=$BUILD/bench/time.txt
  echo "== ${mb} MB corpus (${real_mb} MB of JSONL), $threads threads"
  cat $files > /dev/null # warm the page cache for every run alike
  /usr/bin/time -o "$t" -f "%e %M" wc -w $files > /dev/null
  report "wc -w" "$t" "$real_mb"
  # The count command runs $runs times (default 3 up to 200 MB, else 1); the median run by wall
  # time is reported, with its own stage lines, so one disturbed run does not decide the figure.
  runs=${BENCH_RUNS:-$((mb <= 200 ? 3 : 1))}
  for r in $(seq 1 "$runs"); do
    /usr/bin/time -o "$t.$r" -f "%e %M" "$analyze" count --config "$root/bench-${mb}.json" \
      --shard 1/1 --out "$root/bench-${mb}.counts" --threads "$threads" -v \
      2> "$BUILD/bench/count-${mb}.$r.log"
  done
  median=$(for r in $(seq 1 "$runs"); do echo "$(tail -1 "$t.$r" | cut -d' ' -f1) $r"; done |
    sort -n | awk -v n="$runs" 'NR == int((n + 1) / 2) { print $2 }')
  cp "$t.$median" "$t"
  log=$BUILD/bench/count-${mb}.$median.log
  report "count (ingest..shard file)" "$t" "$real_mb"
  [[ $runs -gt 1 ]] && echo "    (median of $runs runs; walls: $(for r in $(seq 1 "$runs"); do
    printf '%s ' "$(tail -1 "$t.$r" | cut -d' ' -f1)"; done)s)"
  # Each stage's own rate, from the "(X s)" its log line ends with.
  for stage in ingest clean tokenize+count; do
    grep -E "^analyze: ${stage//+/\\+}:" "$log" | tail -1 |
      awk -v mb="$real_mb" -v st="$stage" '{ s = $(NF - 1); gsub(/[(]/, "", s);
        printf "    %-16s %7.2f s  %7.1f MB/s\n", st, s, mb / (s > 0 ? s : 1e-9) }'
  done
  grep -E '^analyze: count: .*workers' "$log" | sed 's/^analyze: /      /'
  grep -E '^analyze: shard .* written' "$log" | sed -E 's/^analyze: shard .* \((.*) s\)$/    shard write      \1 s/'
  ls -l "$root/bench-${mb}.counts" | awk '{ printf "    shard file %.1f MB\n", $5 / 1048576 }'
  log=$BUILD/bench/full-${mb}.log
  rm -rf "$root/export-${mb}"
  /usr/bin/time -o "$t" -f "%e %M" "$analyze" --config "$root/bench-${mb}.json" --no-pdf \
    --export-dir "$root/export-${mb}" --threads "$threads" 2> "$log"
  report "full run --no-pdf (..stats, export)" "$t" "$real_mb"
  grep -E 'stats:|export:' "$log" | sed 's/^analyze: /    /'
done
