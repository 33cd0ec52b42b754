#!/usr/bin/env bash
# A Parquet shard next to the same documents as JSONL, and next to datatrove's Parquet
# pipeline, in one run (see benches/parquet.py for what each row measures).
#
#   benches/parquet.sh [SIZE] [RUNS]   # default 1GB 3
#
# The JSONL shard is target/bench/web-SIZE.jsonl (seed 1), generated once; the Parquet one
# is made from it beside it, once, with pyarrow (in target/bench/venv, benches/venv.sh).
set -euo pipefail
size=${1:-1GB}
runs=${2:-3}
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin shardscrub --example gen-corpus
dir=target/bench
mkdir -p "$dir"
web=$dir/web-$size.jsonl
[ -f "$web" ] || target/release/examples/gen-corpus --size "$size" --out "$web"
. benches/venv.sh
"$venv/bin/python" -c "import pyarrow" 2>/dev/null || "$venv/bin/pip" install -q pyarrow==26.0.1
"$venv/bin/python" benches/parquet.py "$web" --runs "$runs" --bin target/release/shardscrub
