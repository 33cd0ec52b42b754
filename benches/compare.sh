#!/usr/bin/env bash
# shardscrub next to datatrove's PIIFormatter, dolma's fast PII tagger, scrubadub and
# Presidio, on the same generated shards, in one run (see benches/compare.py for what each
# row measures). Prints one Markdown table per shard.
#
#   benches/compare.sh [WEB_SIZE] [DENSE_SIZE] [RUNS]   # default 1GB 200MB 3
#
# Shards: target/bench/web-SIZE.jsonl (seed 1) and target/bench/dense-SIZE.jsonl (seed 2,
# --dense), generated once. The Python peers go into their own virtual environment,
# target/bench/venv, made once with the versions pinned below. dolma's package pins old
# dependencies that pip cannot resolve here, so it is installed without them, with the
# modules its tagger imports; if it still cannot be imported, compare.py says so and uses
# plain Python `re` with dolma's three patterns instead.
set -euo pipefail
web_size=${1:-1GB}
dense_size=${2:-200MB}
runs=${3:-3}
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin shardscrub --example gen-corpus
dir=target/bench
mkdir -p "$dir"
web=$dir/web-$web_size.jsonl
dense=$dir/dense-$dense_size.jsonl
[ -f "$web" ] || target/release/examples/gen-corpus --size "$web_size" --out "$web"
[ -f "$dense" ] || target/release/examples/gen-corpus --size "$dense_size" --dense --seed 2 --out "$dense"

venv=$dir/venv
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q datatrove==0.10.1 scrubadub==2.0.1 \
        presidio-analyzer==2.2.366 presidio-anonymizer==2.2.366 spacy==3.8.18
    "$venv/bin/pip" install -q --no-deps dolma==1.2.1 &&
        "$venv/bin/pip" install -q msgspec necessary fasttext-wheel platformdirs uniseg \
            zstandard omegaconf anyascii tokenizers smart-open nltk ||
        echo "dolma did not install; compare.py will use Python re with its patterns"
fi
# nltk (imported by dolma) tries to download data at import and is refused: harmless.
"$venv/bin/python" benches/compare.py "$web" "$dense" --runs "$runs" \
    --bin target/release/shardscrub 2> >(grep -v '^\[nltk_data\]' >&2)
