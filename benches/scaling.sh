#!/usr/bin/env bash
# Threads and shard size: `shardscrub redact` on generated web-like shards of several
# sizes on 1 core, 1 thread and all cores; a Markdown table and benches/results/scaling.svg.
#
#   benches/scaling.sh [SIZES] [RUNS]    # default 100MB,1GB,4GB and 3 runs
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin shardscrub --example gen-corpus
mkdir -p target/bench
python3 benches/scaling.py --sizes "${1:-100MB,1GB,4GB}" --runs "${2:-3}"
