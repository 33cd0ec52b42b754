#!/usr/bin/env python3
"""What --url-field and --opt-out cost: the web shard redacted as it is and with domain
sizes and a 1-million-domain opt-out list, in one run, alternating. Run it through
`benches/optout.sh`; by hand:

    python3 benches/optout.py SHARD.jsonl --bin target/release/shardscrub [--runs 3]

The generator's shards all point at one host, so the shard is first copied with each
`url` drawn from 200,000 synthetic domains under the reserved `.example` and `.test`
top-level names (Zipf-like: domain k has weight 1/k; a third of the URLs on a `www.` or
`blog.` subdomain), seeded. The list holds 1,000,000 domains: every 100th of the shard's
domains (so about 1% of the domains, and the documents on them, are opted out) and
invented ones that match nothing. Each row is the whole process (wall clock, median of
the runs, peak RSS the largest), on one pinned core and on all cores; speed is MB of the
shard per second. Loading the list alone is timed on a one-line shard.
"""

import argparse
import os
import random
import re
import shutil
import statistics
import subprocess
import tempfile
import time

from parquet import timed  # (wall seconds, peak RSS KB, stdout) of one run

DOMAINS = 200_000
LIST = 1_000_000


def domain(k):
    return f"site{k}.example" if k % 2 else f"site{k}.test"


def make_shard(src, dst, seed=7):
    """`src` with each url replaced by one on a Zipf-drawn domain (made once)."""
    if os.path.exists(dst):
        return
    rng = random.Random(seed)
    weights = [1.0 / k for k in range(1, DOMAINS + 1)]
    cum = []
    acc = 0.0
    for w in weights:
        acc += w
        cum.append(acc)
    import bisect

    pat = re.compile(rb'"url":"https://www\.example\.org/p/(\d+)"')

    def sub(m):
        k = bisect.bisect_left(cum, rng.random() * acc) + 1
        host = ("www.", "blog.", "")[rng.randrange(3)] + domain(k)
        return b'"url":"https://' + host.encode() + b"/p/" + m.group(1) + b'"'

    with open(src, "rb") as f, open(dst + ".tmp", "wb") as out:
        for line in f:
            out.write(pat.sub(sub, line, count=1))
    os.replace(dst + ".tmp", dst)


def make_list(path):
    """1,000,000 domains: every 100th domain of the shard, then invented ones."""
    if os.path.exists(path):
        return
    with open(path + ".tmp", "w") as f:
        f.write("# every 100th domain of the benchmark shard, then domains it does not hold\n")
        n = 0
        for k in range(100, DOMAINS + 1, 100):
            f.write(domain(k) + "\n")
            n += 1
        i = 0
        while n < LIST:
            f.write(f"optout{i}.invalid-{i % 97}.example\n")
            i += 1
            n += 1
    os.replace(path + ".tmp", path)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("jsonl")
    ap.add_argument("--bin", required=True)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    base = os.path.dirname(args.jsonl)
    shard = os.path.splitext(args.jsonl)[0] + "-domains.jsonl"
    lst = os.path.join(base, "opt-out-1M.txt")
    make_shard(args.jsonl, shard)
    make_list(lst)
    work = tempfile.mkdtemp(prefix="shardscrub-optout-")
    out = os.path.join(work, "out")
    mb = os.path.getsize(shard) / 1e6
    subprocess.run(["cat", shard], stdout=subprocess.DEVNULL, check=True)  # page cache
    cores = os.cpu_count() or 1
    pin = ["taskset", "-c", "0"] if shutil.which("taskset") else []
    variants = {
        "redact": [],
        "redact --url-field url --opt-out (1M domains)": ["--url-field", "url", "--opt-out", lst],
    }
    print(f"shard: {shard} ({mb:.0f} MB), list: {lst} ({LIST:,} entries)\n")
    print("| run | threads | seconds | MB/s | vs plain | peak RSS MB |\n|---|---:|---:|---:|---:|---:|")
    for threads, prefix in ((1, pin), (cores, [])):
        walls = {v: [] for v in variants}
        rss = {v: 0 for v in variants}
        for _ in range(args.runs):
            for name, extra in variants.items():  # alternated, so drift hits both
                shutil.rmtree(out, ignore_errors=True)
                w, r, _ = timed([*prefix, args.bin, "redact", shard, "--out", out, "--threads", str(threads), "-q", *extra])
                walls[name].append(w)
                rss[name] = max(rss[name], r)
        plain = statistics.median(walls["redact"])
        for name in variants:
            m = statistics.median(walls[name])
            print(f"| `{name}` | {threads} | {m:.2f} | {mb / m:.1f} | {plain / m:.3f} | {rss[name] / 1024:.0f} |")
    # The list alone: one line.
    one = os.path.join(work, "one.jsonl")
    with open(one, "w") as f:
        f.write('{"text":"x","url":"https://example.org/"}\n')
    loads = []
    for _ in range(args.runs):
        shutil.rmtree(out, ignore_errors=True)
        w, r, _ = timed([args.bin, "redact", one, "--out", out, "-q", "--url-field", "url", "--opt-out", lst])
        loads.append(w)
    print(f"\nLoading the list (one-line shard, whole process): {statistics.median(loads):.2f} s, peak RSS {r / 1024:.0f} MB")
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
