#!/usr/bin/env bash
# shardscrub next to datatrove's PIIFormatter, dolma's fast PII tagger, scrubadub and
# Presidio, on the same generated shards, in one run (see benches/compare.py for what each
# row measures). Prints one Markdown table per shard.
#
#   benches/compare.sh [WEB_SIZE] [DENSE_SIZE] [RUNS]   # default 1GB 200MB 3
#
# Shards: target/bench/web-SIZE.jsonl (seed 1) and target/bench/dense-SIZE.jsonl (seed 2,
# --dense), generated once. The Python peers go into their own virtual environment,
# target/bench/venv, made once by benches/venv.sh with pinned versions.
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

. benches/venv.sh
# shardscrub's own Python package, built from this checkout (python/).
"$venv/bin/pip" install -q --disable-pip-version-check ./python
# nltk (imported by dolma) tries to download data at import and is refused: harmless.
"$venv/bin/python" benches/compare.py "$web" "$dense" --runs "$runs" \
    --bin target/release/shardscrub 2> >(grep -v '^\[nltk_data\]' >&2)
