#!/usr/bin/env bash
# End-to-end shard throughput: `shardscrub redact` on a generated web-like JSONL shard in
# the page cache, with 1 thread and all threads, next to `cat FILE > /dev/null` in the
# same run. Prints a table of medians (wall seconds, MB/s, ratio to cat, peak RSS).
#
#   benches/shards.sh [SIZE] [RUNS]     # default 1GB, 3 runs
#
# The shard is written once to target/bench/web-SIZE.jsonl (seed 1) and reused; outputs go
# to target/bench/out (the page cache, then the disk: as a user's run would).
set -euo pipefail
size=${1:-1GB}
runs=${2:-3}
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin shardscrub --example gen-corpus
bin=target/release/shardscrub
dir=target/bench
shard=$dir/web-$size.jsonl
mkdir -p "$dir"
[ -f "$shard" ] || target/release/examples/gen-corpus --size "$size" --out "$shard"
bytes=$(stat -L -c %s "$shard")
threads=$(nproc)
cat "$shard" > /dev/null # into the page cache

# measure NAME CMD...: runs CMD $runs times, prints "NAME median_seconds max_rss_kb".
measure() {
    local name=$1; shift
    local times=() rss=0
    for _ in $(seq "$runs"); do
        rm -rf "$dir/out"
        local out
        /usr/bin/time -o "$dir/time.txt" -f "%e %M" "$@" > /dev/null 2> /dev/null
        out=$(tail -1 "$dir/time.txt")
        times+=("${out% *}")
        local r=${out#* }
        (( r > rss )) && rss=$r
    done
    local median
    median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    echo "$name $median $rss"
}

results=()
results+=("$(measure "cat" sh -c "cat $shard > /dev/null")")
results+=("$(measure "redact-1-thread" "$bin" redact "$shard" --out "$dir/out" --threads 1 -q)")
results+=("$(measure "redact-$threads-threads" "$bin" redact "$shard" --out "$dir/out" --threads "$threads" -q)")
results+=("$(measure "scan-1-thread" sh -c "$bin scan $shard --threads 1 -q > /dev/null")")
results+=("$(measure "scan-$threads-threads" sh -c "$bin scan $shard --threads $threads -q > /dev/null")")

cat_s=$(echo "${results[0]}" | awk '{print $2}')
echo "shard: $shard ($bytes bytes), $runs runs, medians; CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $threads cores"
printf '| %-22s | %8s | %9s | %12s | %12s |\n' "command" "seconds" "MB/s" "time vs cat" "peak RSS MB"
printf '|%s|%s|%s|%s|%s|\n' "------------------------" "----------" "-----------" "--------------" "--------------"
for r in "${results[@]}"; do
    read -r name s rss <<< "$r"
    awk -v n="$name" -v s="$s" -v b="$bytes" -v c="$cat_s" -v r="$rss" \
        'BEGIN { printf "| %-22s | %8.2f | %9.0f | %11.1fx | %12.0f |\n", n, s, (s > 0 ? b / s / 1e6 : 0), (c > 0 ? s / c : 0), r / 1024 }'
done
