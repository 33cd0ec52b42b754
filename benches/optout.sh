#!/usr/bin/env bash
# What domain sizes and a 1-million-domain opt-out list cost (see benches/optout.py).
#
#   benches/optout.sh [SIZE] [RUNS]   # default 1GB 3
#
# The shard is target/bench/web-SIZE.jsonl (seed 1), generated once; its copy with URLs
# on 200,000 domains and the list are made beside it, once.
set -euo pipefail
size=${1:-1GB}
runs=${2:-3}
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin shardscrub --example gen-corpus
dir=target/bench
mkdir -p "$dir"
web=$dir/web-$size.jsonl
[ -f "$web" ] || target/release/examples/gen-corpus --size "$size" --out "$web"
python3 benches/optout.py "$web" --runs "$runs" --bin target/release/shardscrub
