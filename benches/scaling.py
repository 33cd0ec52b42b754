#!/usr/bin/env python3
"""How shardscrub's time grows with threads and with shard size, and whether its memory
stays flat: `shardscrub redact` on generated web-like JSONL shards of several sizes, with
1 thread pinned to one core (`taskset -c 0`, when taskset exists), 1 thread unpinned
(its writer and input hashing then run on other cores) and every core, medians of
several runs. Prints a Markdown table and writes an SVG chart (throughput per size and
run) without any plotting library.

    python3 benches/scaling.py [--sizes 100MB,1GB,4GB] [--runs 3] [--svg benches/results/scaling.svg]

Shards are generated once into target/bench/web-SIZE.jsonl (seed 1) with the release
build of gen-corpus; run `cargo build --release --bin shardscrub --example gen-corpus`
first (benches/scaling.sh does both).
"""

import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time

BIN = "target/release/shardscrub"
GEN = "target/release/examples/gen-corpus"


def timed(cmd):
    """Wall seconds (this process's clock) and peak RSS in KB (from /usr/bin/time)."""
    with tempfile.NamedTemporaryFile("r") as t:
        start = time.perf_counter()
        subprocess.run(["/usr/bin/time", "-o", t.name, "-f", "%M", *cmd], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wall = time.perf_counter() - start
        return wall, int(t.read().split()[-1])


def svg(rows, runs, path):
    """Grouped bars: MB/s per shard size, one bar per run (1 core, 1 thread, all cores)."""
    sizes = list(dict.fromkeys(r["size"] for r in rows))
    width, height, left, top, bottom = 640, 340, 70, 60, 50
    plot_w, plot_h = width - left - 20, height - top - bottom
    top_value = max(r["mbps"] for r in rows) * 1.15
    colors = ["#3b6ea8", "#e8873a", "#5a9e5a", "#9467bd"]
    group_w = plot_w / len(sizes)
    bar_w = group_w * 0.7 / len(runs)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img">',
        "<title>shardscrub redact throughput by shard size and threads</title>",
        '<rect width="100%" height="100%" fill="#ffffff"/>',
        '<g font-family="system-ui, -apple-system, \'Segoe UI\', Helvetica, Arial, sans-serif" fill="#222222">',
        '<text x="16" y="26" font-size="16" font-weight="600">shardscrub redact: MB/s by shard size and threads</text>',
    ]
    for k, name in enumerate(runs):
        x = width - 110 * len(runs) - 10 + k * 110
        out.append(f'<rect x="{x}" y="36" width="12" height="12" fill="{colors[k]}"/>'
                   f'<text x="{x + 16}" y="46" font-size="12">{name}</text>')
    for tick in range(0, 6):
        v = top_value * tick / 5
        y = top + plot_h - plot_h * tick / 5
        out.append(f'<line x1="{left}" x2="{width - 20}" y1="{y:.1f}" y2="{y:.1f}" stroke="#dddddd"/>'
                   f'<text x="{left - 8}" y="{y + 4:.1f}" font-size="11" text-anchor="end">{v:.0f}</text>')
    out.append(f'<text x="16" y="{top + plot_h / 2}" font-size="12" transform="rotate(-90 16 {top + plot_h / 2})" text-anchor="middle">MB/s</text>')
    for i, size in enumerate(sizes):
        gx = left + i * group_w + group_w * 0.15
        for k, name in enumerate(runs):
            r = next(r for r in rows if r["size"] == size and r["run"] == name)
            h = plot_h * r["mbps"] / top_value
            x = gx + k * bar_w
            y = top + plot_h - h
            out.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w - 4:.1f}" height="{h:.1f}" fill="{colors[k]}"/>'
                       f'<text x="{x + (bar_w - 4) / 2:.1f}" y="{y - 4:.1f}" font-size="11" text-anchor="middle">{r["mbps"]:.0f}</text>')
        out.append(f'<text x="{left + i * group_w + group_w / 2:.1f}" y="{top + plot_h + 20}" font-size="12" text-anchor="middle">{size}</text>')
    out += ["</g>", "</svg>", ""]
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w") as f:
        f.write("\n".join(out))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="100MB,1GB,4GB")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--svg", default="benches/results/scaling.svg")
    args = ap.parse_args()
    cores = os.cpu_count() or 1
    # (name, command prefix, --threads); the first is the base of the "vs" column.
    runs = [("1 thread", [], 1)]
    if shutil.which("taskset"):
        runs.insert(0, ("1 core", ["taskset", "-c", "0"], 1))
    if cores > 1:
        runs.append((f"{cores} threads", [], cores))
    rows = []
    out = "target/bench/scaling-out"
    for size in args.sizes.split(","):
        shard = f"target/bench/web-{size}.jsonl"
        if not os.path.exists(shard):
            subprocess.run([GEN, "--size", size, "--out", shard], check=True, stdout=subprocess.DEVNULL)
        subprocess.run(["cat", shard], stdout=subprocess.DEVNULL, check=True)
        mb = os.path.getsize(shard) / 1e6
        for name, pin, t in runs:
            walls, rss = [], 0
            for _ in range(args.runs):
                shutil.rmtree(out, ignore_errors=True)
                w, r = timed([*pin, BIN, "redact", shard, "--out", out, "--threads", str(t), "-q"])
                walls.append(w)
                rss = max(rss, r)
            s = statistics.median(walls)
            rows.append({"size": size, "mb": mb, "run": name, "s": s, "mbps": mb / s, "rss": rss / 1024})
        shutil.rmtree(out, ignore_errors=True)
    print(f"{args.runs} runs per row, medians; {os.cpu_count()} cores\n")
    base = runs[0][0]
    print(f"| shard | MB | run | seconds | MB/s | vs {base} | seconds per GB | peak RSS MB |")
    print("|---|---:|---|---:|---:|---:|---:|---:|")
    for r in rows:
        one = next(x for x in rows if x["size"] == r["size"] and x["run"] == base)
        print(f"| {r['size']} | {r['mb']:,.0f} | {r['run']} | {r['s']:.2f} | {r['mbps']:.0f} | "
              f"{one['s'] / r['s']:.2f}x | {r['s'] / r['mb'] * 1000:.2f} | {r['rss']:.0f} |")
    svg(rows, [name for name, _, _ in runs], args.svg)
    print(f"\nchart: {args.svg}")


if __name__ == "__main__":
    main()
