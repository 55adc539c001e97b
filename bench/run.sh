#!/usr/bin/env bash
# bench/run.sh: `make bench`. Generates a deterministic synthetic corpus per size (MB) under
# /tmp, writes a config for it, and times the count stage with peak memory, next to `wc -w` on
# the same files. BENCH_SIZES="100 1000" runs both sizes (default 100); BENCH_THREADS (default:
# all CPUs); BENCH_DIR (default /tmp/framescope-bench). Corpora are kept and reused.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
BIN=${BIN:-bin}
sizes=${BENCH_SIZES:-100}
threads=${BENCH_THREADS:-$(nproc)}
root=${BENCH_DIR:-/tmp/framescope-bench}
mkdir -p "$root" "$BUILD/bench"

cc -O2 -std=c11 -D_DEFAULT_SOURCE -o "$BUILD/bench/gen" bench/gen.c -lm
make --no-print-directory -s BUILD="$BUILD" BIN="$BIN" "$BUILD/libframescope.a"
libs=$(pkg-config --libs libcjson libpcre2-8 gsl libutf8proc 2>/dev/null || echo "-lcjson -lpcre2-8 -lgsl -lgslcblas -lutf8proc")
cflags=$(pkg-config --cflags libcjson libpcre2-8 gsl libutf8proc 2>/dev/null || true)
cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -Iinclude $cflags -o "$BUILD/bench/count_bench" \
  bench/count_bench.c "$BUILD/libframescope.a" -lhpdf $libs -lpthread -lm

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
  echo "== ${mb} MB: wc -w"
  /usr/bin/time -f "wc -w     %e s  peak %M KB" wc -w $(find "$dir" -name '*.jsonl' | sort) | tail -1
  echo "== ${mb} MB: count stage ($threads threads)"
  /usr/bin/time -f "count_bench total %e s  peak RSS %M KB" \
    "$BUILD/bench/count_bench" "$root/bench-${mb}.json" "$root/bench-${mb}.counts" "$threads"
  ls -l "$root/bench-${mb}.counts" | awk '{printf "shard file %.1f MB\n", $5/1048576}'
done
