#!/usr/bin/env bash
# End-to-end run on the shipped sample corpus: the PDF read back with real readers, the exports,
# and the facts corpus/README.md says a correct run must get right.
source "$(dirname "$0")/lib.sh"
CFG=config/default.json
PDF=$TMP/out/report.pdf
EXP=$TMP/exports
export SOURCE_DATE_EPOCH=1764547200   # 2025-12-01T00:00:00Z

run_analyze --config "$CFG" --output "$PDF" --export-dir "$EXP"
check_eq "sample run exits 0" 0 "$rc"
check_eq "stdout is the PDF path" "$PDF" "$out"
check "PDF exists" test -s "$PDF"
check "no temporary file left" test -z "$(find "$TMP/out" -name '.*' -type f ! -name '*.lock')"
check_contains "final summary line" "done:" "$err"

check "qpdf --check clean" qpdf --check "$PDF"
info=$(pdfinfo "$PDF" 2>&1)
check_contains "pdfinfo title" "How sources frame the US" "$info"
check_contains "pdfinfo creator" "framescope" "$info"
pages=$(printf '%s\n' "$info" | awk '/^Pages:/{print $2}')
check "page count in range 6..40" test "${pages:-0}" -ge 6 -a "${pages:-0}" -le 40
size=$(stat -c %s "$PDF")
check "PDF at most 1 MB" test "$size" -le 1048576
fonts=$(pdffonts "$PDF" 2>&1)
notemb=$(printf '%s\n' "$fonts" | tail -n +3 | awk '{ if ($(NF-4) != "yes") print }' | wc -l)
check_eq "every font embedded" 0 "$notemb"
text=$(pdftotext -layout "$PDF" - 2>"$TMP/pdftotext.err")
check_eq "pdftotext prints nothing on stderr" "" "$(cat "$TMP/pdftotext.err")"
for label in "Korea Herald" "Quincy Institute" "The Diplomat" "Real News Now"; do
  check_contains "label $label in PDF" "$label" "$text"
done
check_contains "title in PDF" "How sources frame" "$text"
check_not_contains "RCO News is not a source label" "RCO News ·" "$text"

# Reproducible with SOURCE_DATE_EPOCH.
run_analyze --config "$CFG" --output "$TMP/out/again.pdf" --quiet
check "two runs byte-identical" cmp -s "$PDF" "$TMP/out/again.pdf"
check_eq "--quiet prints nothing on stderr" "" "$err"

# Exports.
check_eq "sources.csv header" "source,label,documents,tokens,types" "$(head -1 "$EXP/sources.csv" | tr -d "\r" | cut -d, -f1-5)"
check_eq "terms.csv header" "source,term,count,per_10k,docs,dp" "$(head -1 "$EXP/terms.csv" | tr -d "\r")"
check_eq "documents.csv header" "doc_id,path,source,outlet,date,title,sha256,chars_raw,chars_clean,duplicate_of" \
  "$(head -1 "$EXP/documents.csv" | tr -d "\r" | cut -d, -f1-10)"
for f in keyness cooccurrence frames similarity ca; do check "$f.csv written" test -s "$EXP/$f.csv"; done
check "stats.json parses" python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$EXP/stats.json"

# Sample-corpus facts (corpus/README.md).
docs_per_source=$(python3 - "$EXP/sources.csv" <<'P'
import csv, sys
print(" ".join(f"{r['source']}={r['documents']}" for r in csv.DictReader(open(sys.argv[1]))))
P
)
check_eq "one document per source after merging" \
  "korea-herald=1 quincy=1 the-diplomat=1 real-news-now=1" "$docs_per_source"
dups=$(python3 - "$EXP/documents.csv" <<'P'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
print(" ".join(sorted(f"{r['doc_id'][:3]}->{r['duplicate_of'][:3]}" for r in rows if r['duplicate_of'])))
P
)
check_eq "000 and 001 merged" "001->000" "$dups"
dates=$(python3 - "$EXP/documents.csv" <<'P'
import csv, sys
print(" ".join(f"{r['doc_id'][:3]}={r['date']}" for r in csv.DictReader(open(sys.argv[1])) if r['doc_id'][:3] in ('000', '003')))
P
)
check_eq "Korea Herald and Diplomat dates" "000=2025-04-01 003=2020-02-11" "$dates"
for noise in download app hashtags "cheong wa dae" cheong "yeo han-koo" yeo "special counsel" counsel soryang "star member" RCO rco "appeared first" appeared; do
  hit=$(python3 - "$EXP/terms.csv" "$noise" <<'P'
import csv, sys
noise = sys.argv[2]
print(sum(1 for r in csv.DictReader(open(sys.argv[1])) if r['term'] == noise or r['term'].startswith(noise + ' ')))
P
)
  check_eq "noise '$noise' not counted" 0 "$hit"
done
check_contains "report says 000 and 001 are one article" "duplicate" "$(printf '%s' "$text" | tr 'A-Z' 'a-z')"

# Headings, a known summary sentence, the outline and the contents links.
for h in Contents Summary Corpus Vocabulary "Distinctive terms" Frames Co-occurrence Similarity Concordance Methods Provenance; do
  check_contains "heading $h" "$h" "$text"
done
flat=$(printf '%s' "$text" | tr -s ' \n' '  ')
check_contains "summary says the corpus is too small" "The corpus is too small to support any claim" "$flat"
outline=$(qpdf --json --json-key=outlines "$PDF" | python3 -c "import json,sys; print(len(json.load(sys.stdin)['outlines']))")
check_eq "one outline entry per rendered section (11: no history, so no changes section)" 11 "$outline"
links=$(pdftohtml -xml -stdout -i -f 2 -l 2 "$PDF" 2>/dev/null | grep -c '<a href')
check "contents page has clickable entries" test "$links" -ge 10
