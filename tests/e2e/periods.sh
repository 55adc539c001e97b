#!/usr/bin/env bash
# Scheduled runs: period selection, output placeholders, history and "Changes since", the
# briefing email and the plain-text summary, on a small generated JSON Lines corpus.
source "$(dirname "$0")/lib.sh"
D=$TMP/p
mkdir -p "$D/in"
python3 - "$D/in" <<'P'
import json, sys, os
out = sys.argv[1]
words = {"hawk": "deterrence military nuclear forces alliance deterrence Taiwan China",
         "dove": "diplomacy dialogue restraint talks peace diplomacy engagement balance"}
for src, topic in words.items():
    with open(os.path.join(out, f"{src}.jsonl"), "w") as f:
        for month, extra in (("03", "burden cost sharing"), ("04", "Taiwan Strait contingency")):
            for day in range(1, 6):
                text = (f"In month {month} the {src} writers discussed {topic}. "
                        f"They wrote about {extra} and the alliance on day {day}. "
                        f"Seoul and Washington {topic} {extra} again and again, day {day} of {month}.")
                f.write(json.dumps({"text": text, "title": f"{src} {month}-{day}",
                                    "date": f"2025-{month}-{day:02d}", "url": f"https://e.x/{src}/{month}/{day}"}) + "\n")
P
cat > "$D/cfg.json" <<J
{"report": {"title": "Monthly framing – test", "organization": "Test Desk",
            "output": "$TMP/out/{period}/brief-{title_slug}.pdf"},
 "sources": [{"id": "hawk", "label": "Hawk Daily", "inputs": ["in/hawk.jsonl"]},
             {"id": "dove", "label": "Dove Weekly", "inputs": ["in/dove.jsonl"]}],
 "analysis": {"focus": ["taiwan", "alliance"], "min_source_tokens": 10,
              "frames": {"Military": ["\\\\bmilitary\\\\b", "\\\\bdeterrence\\\\b"],
                         "Diplomacy": ["\\\\bdiplomacy\\\\b", "\\\\btalks\\\\b"]}},
 "run": {"history_dir": "history"},
 "email": {"from": "Framescope <reports@example.org>", "to": ["analyst@example.org"],
           "subject": "{title}: {period}"}}
J
export SOURCE_DATE_EPOCH=1746057600   # 2025-05-01T00:00:00Z: last-month = 2025-04

run_analyze --config "$D/cfg.json" --period 2025-03
check_eq "March run exits 0" 0 "$rc"
MAR=$TMP/out/2025-03/brief-monthly-framing-test.pdf
check_eq "placeholders expanded in output path" "$MAR" "$out"
check "March stats stored in history" test -s "$D/history/stats-2025-03.json"
check_contains "period selection logged" "period 2025-03: 10 documents selected" "$err"
check_not_contains "March run has no changes section" "Changes since" "$(pdftotext "$MAR" - 2>/dev/null)"

run_analyze --config "$D/cfg.json" --period last-month
check_eq "last-month run exits 0" 0 "$rc"
APR=$TMP/out/2025-04/brief-monthly-framing-test.pdf
check_eq "last-month is April with SOURCE_DATE_EPOCH" "$APR" "$out"
text=$(pdftotext -layout "$APR" - 2>/dev/null)
check_contains "April report has changes since March" "Changes since 2025-03" "$text"
check_contains "changes name a term that rose" "strait" "$(printf '%s' "$text" | tr 'A-Z' 'a-z')"
check "April stats stored in history" test -s "$D/history/stats-2025-04.json"

# Only April documents were counted: 5 per source.
run_analyze --config "$D/cfg.json" --from 2025-04-01 --to 2025-04-30 --no-pdf --export-dir "$TMP/exp"
docs=$(python3 -c "import csv,sys; print(' '.join(r['documents'] for r in csv.DictReader(open(sys.argv[1]))))" "$TMP/exp/sources.csv")
check_eq "--from/--to selects April's 5 documents per source" "5 5" "$docs"

# Briefing email and summary beside the PDF.
EML=${APR%.pdf}.eml
TXT=${APR%.pdf}.txt
check "eml written" test -s "$EML"
check "summary txt written" test -s "$TXT"
check_contains "summary names the period" "2025-04" "$(cat "$TXT")"
check "eml parses with python's email package and carries the PDF byte for byte" \
  python3 tests/e2e/email_parse.py "$EML" "$APR"
