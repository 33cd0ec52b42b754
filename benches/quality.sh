#!/usr/bin/env bash
# Detection quality of shardscrub and of Presidio on both labeled corpora, side by side,
# written into QUALITY.md between its "results" and "results-second" markers.
#
#   benches/quality.sh
#
# 1. Regenerates the labeled corpus and checks that it equals the checked-in
#    corpus/quality/gold.jsonl (same seed, same bytes); builds the second set from
#    third-party references (benches/second_set.py, seed 7).
# 2. Per corpus, benches/quality.py checks the national numbers, IBANs and cards with
#    python-stdnum, then writes Presidio's spans at score thresholds 0, 0.1, ... 0.9.
# 3. `shardscrub eval` scores each threshold; the one with the best F1 over all labels
#    is Presidio "tuned" (tuned on that very corpus: an upper bound for Presidio).
# 4. One `shardscrub eval` run per corpus scores shardscrub, Presidio at its default
#    threshold (0: AnalyzerEngine keeps every result) and Presidio tuned; its tables go
#    into QUALITY.md.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin shardscrub --example gen-gold
bin=target/release/shardscrub
gold=corpus/quality/gold.jsonl
out=target/bench/quality
mkdir -p "$out"
target/release/examples/gen-gold --out "$out/gold.jsonl"
cmp -s "$out/gold.jsonl" "$gold" ||
    { echo "$gold differs from the generator's output: regenerate it (corpus/README.md)" >&2; exit 1; }

. benches/venv.sh
"$venv/bin/python" benches/second_set.py --out "$out/second.jsonl"

# score NAME GOLD MARKER: Presidio and shardscrub on GOLD, into QUALITY.md at MARKER.
score() {
    local name=$1 gold=$2 marker=$3 dir="$out/$1"
    mkdir -p "$dir"
    "$venv/bin/python" benches/quality.py "$gold" --out-dir "$dir"
    local best="" best_f1=-1 f t f1
    for f in "$dir"/presidio-*.jsonl; do
        t=${f#"$dir"/presidio-}; t=${t%.jsonl}
        f1=$("$bin" eval "$gold" --compare "p=$f" --format json |
            "$venv/bin/python" -c 'import json,sys; print(json.load(sys.stdin)["p"]["total"]["f1"])')
        echo "$name: presidio threshold $t: F1 $f1" >&2
        if "$venv/bin/python" -c "import sys; sys.exit(not $f1 > $best_f1)"; then
            best=$t best_f1=$f1
        fi
    done
    "$bin" eval "$gold" --compare "Presidio=$dir/presidio-0.jsonl" \
        --compare "Presidio tuned ($best)=$dir/presidio-$best.jsonl" --out "$dir/tables.md"
    {
        echo "<!-- $marker: begin (written by benches/quality.sh) -->"
        echo
        echo "Run on $(date -u +%Y-%m-%d) at commit $(git rev-parse --short HEAD) with \`benches/quality.sh\`;"
        echo "$("$bin" --version), $versions. Presidio tuned: threshold $best, the best F1 over"
        echo "all labels among 0, 0.1, ... 0.9 on this corpus."
        echo
        sed 's/^### /#### /' "$dir/tables.md"
        echo
        echo "<!-- $marker: end -->"
    } > "$dir/results.md"
    "$venv/bin/python" - "$dir/results.md" "$marker" <<'PY'
import re, sys
new = open(sys.argv[1]).read()
marker = re.escape(sys.argv[2])
text = open("QUALITY.md").read()
if not re.search(f"<!-- {marker}: begin", text):
    sys.exit(f"QUALITY.md has no <!-- {sys.argv[2]}: begin --> marker")
text = re.sub(f"<!-- {marker}: begin.*?<!-- {marker}: end -->\n", lambda _: new, text, flags=re.S)
open("QUALITY.md", "w").write(text)
PY
    echo "QUALITY.md updated: $name (Presidio tuned threshold $best)" >&2
}

versions=$("$venv/bin/python" -c 'import importlib.metadata as m; print(", ".join(f"{p} {m.version(p)}" for p in ["presidio-analyzer", "spacy", "python-stdnum", "phonenumbers"]))')
score quality "$gold" results
score second "$out/second.jsonl" results-second
