#!/usr/bin/env bash
# Detection quality of shardscrub and of Presidio on the labeled corpus, side by side,
# written into QUALITY.md between its "results" markers.
#
#   benches/quality.sh
#
# 1. Regenerates the labeled corpus and checks that it equals the checked-in
#    corpus/quality/gold.jsonl (same seed, same bytes).
# 2. benches/quality.py checks the corpus's national numbers, IBANs and cards with
#    python-stdnum, then writes Presidio's spans at score thresholds 0, 0.1, ... 0.9.
# 3. `shardscrub eval` scores each threshold; the one with the best F1 over all labels
#    is Presidio "tuned" (tuned on this very corpus: an upper bound for Presidio).
# 4. One `shardscrub eval` run scores shardscrub, Presidio at its default threshold
#    (0: AnalyzerEngine keeps every result) and Presidio tuned; its tables go into
#    QUALITY.md.
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
"$venv/bin/python" benches/quality.py "$gold" --out-dir "$out"

best="" best_f1=-1
for f in "$out"/presidio-*.jsonl; do
    t=${f#"$out"/presidio-}; t=${t%.jsonl}
    f1=$("$bin" eval "$gold" --compare "p=$f" --format json |
        "$venv/bin/python" -c 'import json,sys; print(json.load(sys.stdin)["p"]["total"]["f1"])')
    echo "presidio threshold $t: F1 $f1" >&2
    if "$venv/bin/python" -c "import sys; sys.exit(not $f1 > $best_f1)"; then
        best=$t best_f1=$f1
    fi
done
"$bin" eval "$gold" --compare "Presidio=$out/presidio-0.jsonl" \
    --compare "Presidio tuned ($best)=$out/presidio-$best.jsonl" --out "$out/tables.md"

versions=$("$venv/bin/python" -c 'import importlib.metadata as m; print(", ".join(f"{p} {m.version(p)}" for p in ["presidio-analyzer", "spacy", "python-stdnum"]))')
{
    echo "<!-- results: begin (written by benches/quality.sh) -->"
    echo
    echo "Run on $(date -u +%Y-%m-%d) at commit $(git rev-parse --short HEAD) with \`benches/quality.sh\`;"
    echo "$("$bin" --version), $versions. Presidio tuned: threshold $best, the best F1 over"
    echo "all labels among 0, 0.1, ... 0.9 on this corpus."
    echo
    sed 's/^### /#### /' "$out/tables.md"
    echo
    echo "<!-- results: end -->"
} > "$out/results.md"
"$venv/bin/python" - "$out/results.md" <<'PY'
import re, sys
new = open(sys.argv[1]).read()
text = open("QUALITY.md").read()
text = re.sub(r"<!-- results: begin.*?<!-- results: end -->\n", lambda _: new, text, flags=re.S)
open("QUALITY.md", "w").write(text)
PY
echo "QUALITY.md updated (Presidio tuned threshold $best)" >&2
