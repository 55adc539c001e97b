#!/usr/bin/env bash
# `make sample`: writes the sample report from config/default.json (the binary is built by make),
# renders every page to PNG at 60 dpi into reports/sample-png/ and prints the paths, so the
# layout can be looked at page by page. Uses BIN (as make does) and a fixed SOURCE_DATE_EPOCH
# unless one is set, so two runs give the same bytes.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-bin}
CONFIG=${CONFIG:-config/default.json}
pdf=reports/sample.pdf
pngdir=reports/sample-png
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1764547200}   # 2025-12-01T00:00:00Z

[[ -x $BIN/analyze ]] || { echo "sample: $BIN/analyze is missing (run make first)" >&2; exit 1; }
command -v pdftoppm >/dev/null || { echo "sample: pdftoppm missing (apt-get install poppler-utils)" >&2; exit 1; }

mkdir -p reports
"$BIN/analyze" --config "$CONFIG" --output "$pdf" --quiet >/dev/null
rm -rf "$pngdir"
mkdir -p "$pngdir"
pdftoppm -png -r 60 "$pdf" "$pngdir/page"

pages=$(pdfinfo "$pdf" | awk '/^Pages:/{print $2}')
bytes=$(stat -c %s "$pdf")
echo "sample: $pdf ($pages pages, $bytes bytes)" >&2
((bytes <= 1048576)) || echo "sample: WARNING: the PDF is over 1 MB" >&2
echo "$pdf"
ls "$pngdir"/page-*.png
