#!/usr/bin/env python3
"""Parquet next to JSONL: the same documents redacted from a Parquet shard and from JSONL
shards (plain, and zstd-compressed like the Parquet one) by shardscrub, and from the
Parquet shard by datatrove's ParquetReader + PIIFormatter + ParquetWriter, in one run. Run it through `benches/parquet.sh`; by hand:

    python3 benches/parquet.py SHARD.jsonl --bin target/release/shardscrub [--runs 3]

The Parquet shard is made once from the JSONL one with pyarrow, as datatrove's
ParquetWriter and the Hub lay out text datasets: the JSON objects' columns (`id`, `text`,
`url`, a `meta` struct), zstd, a row group per 1,000 rows. Every row is timed on the whole
process (wall clock, median of the runs; peak RSS is the largest), and speed is given in
MB of `text` per second (UTF-8 bytes of the text column: the same documents in both
formats, so the same unit), with the Parquet row's share of the plain and of the zstd
JSONL row's speed at the same thread count.
datatrove runs on a prefix of the rows (it is slow), in one local task, and its time
counts the pipeline's run only (imports and set-up left out, in its favour).
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROW_GROUP = 1000
DATATROVE_ROWS = 8000


def timed(cmd):
    """(wall seconds, peak RSS KB, stdout) of one run of cmd under /usr/bin/time."""
    with tempfile.NamedTemporaryFile("r") as t:
        start = time.perf_counter()
        p = subprocess.run(["/usr/bin/time", "-o", t.name, "-f", "%M", *cmd], capture_output=True, text=True)
        wall = time.perf_counter() - start
        if p.returncode != 0:
            raise RuntimeError(f"{cmd} failed: {p.stderr[-2000:]}")
        return wall, int(t.read().split()[-1]), p.stdout


def make_parquet(jsonl, path, rows=None):
    """The JSONL shard's records as Parquet (made once)."""
    import pyarrow.json as pj
    import pyarrow.parquet as pq

    if os.path.exists(path):
        return
    table = pj.read_json(jsonl, read_options=pj.ReadOptions(block_size=64 << 20))
    if rows is not None:
        table = table.slice(0, rows)
    pq.write_table(table, path + ".tmp", row_group_size=ROW_GROUP, compression="zstd")
    os.replace(path + ".tmp", path)


def text_mb(parquet):
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    t = pq.read_table(parquet, columns=["text"])["text"]
    return pc.sum(pc.binary_length(t)).as_py() / 1e6, len(t)


def run_datatrove(parquet, work):
    """Child process: the datatrove pipeline on `parquet`; prints its seconds."""
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.formatters import PIIFormatter
    from datatrove.pipeline.readers import ParquetReader
    from datatrove.pipeline.writers import ParquetWriter

    out = os.path.join(work, "datatrove-out")
    shutil.rmtree(out, ignore_errors=True)
    executor = LocalPipelineExecutor(
        pipeline=[
            ParquetReader(os.path.dirname(parquet), glob_pattern=os.path.basename(parquet)),
            PIIFormatter(),
            ParquetWriter(out),
        ],
        tasks=1,
        logging_dir=os.path.join(work, "datatrove-logs"),
        skip_completed=False,
    )
    start = time.perf_counter()
    executor.run()
    print(time.perf_counter() - start)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("jsonl")
    ap.add_argument("--bin", required=True)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--work", default=None, help="where outputs go (default: a temporary directory)")
    args = ap.parse_args()
    work = args.work or tempfile.mkdtemp(prefix="shardscrub-parquet-")
    stem = os.path.splitext(args.jsonl)[0]
    parquet = stem + ".parquet"
    small = os.path.join(os.path.dirname(parquet), "datatrove-in", os.path.basename(stem) + f".head-{DATATROVE_ROWS}.parquet")
    os.makedirs(os.path.dirname(small), exist_ok=True)
    make_parquet(args.jsonl, parquet)
    zst = args.jsonl + ".zst"
    if not os.path.exists(zst):
        subprocess.run(["zstd", "-q", "-3", "-T0", args.jsonl, "-o", zst], check=True)
    make_parquet(args.jsonl, small, rows=DATATROVE_ROWS)
    mb, rows = text_mb(parquet)
    small_mb, small_rows = text_mb(small)
    out = os.path.join(work, "out")
    table = []
    cores = os.cpu_count() or 1
    speed = {}
    for fmt, shard in (("JSONL", args.jsonl), ("JSONL.zst", zst), ("Parquet", parquet)):
        subprocess.run(["cat", shard], stdout=subprocess.DEVNULL, check=True)  # page cache
        for threads, pin in ((1, ["taskset", "-c", "0"] if shutil.which("taskset") else []), (cores, [])):
            walls, rss = [], 0
            for _ in range(args.runs):
                shutil.rmtree(out, ignore_errors=True)
                w, r, _ = timed([*pin, args.bin, "redact", shard, "--out", out, "--threads", str(threads), "-q"])
                walls.append(w)
                rss = max(rss, r)
            with open(os.path.join(out, "redaction-report.json")) as f:
                findings = json.load(f)["totals"]["findings"]
            s = statistics.median(walls)
            where = "1 thread on 1 core" if pin else f"{threads} threads"
            speed[(fmt, threads)] = mb / s
            table.append((f"shardscrub redact {fmt}, {where}", rows, os.path.getsize(shard) / 1e6, mb / s, rss / 1024, findings, (fmt, threads)))
    walls, rss = [], 0
    for _ in range(args.runs):
        _, r, stdout = timed([sys.executable, __file__, "datatrove", small, work])
        walls.append(float(stdout.strip().splitlines()[-1]))
        rss = max(rss, r)
    s = statistics.median(walls)
    table.append(("datatrove ParquetReader + PIIFormatter + ParquetWriter, 1 task", small_rows, os.path.getsize(small) / 1e6, small_mb / s, rss / 1024, None, None))
    one = speed[("Parquet", 1)]
    print(f"\n{os.path.basename(parquet)}: {rows:,} rows, {mb:,.0f} MB of text; stored {os.path.getsize(parquet)/1e6:,.0f} MB (zstd, row groups of {ROW_GROUP:,} rows); as JSONL {os.path.getsize(args.jsonl)/1e6:,.0f} MB\n")
    print("| run | rows | stored MB | text MB/s | Parquet ÷ JSONL | Parquet ÷ JSONL.zst | shardscrub Parquet 1 core ÷ this | peak RSS MB | findings |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, n, stored, mbps, rss_mb, findings, key in table:
        ratios = ["", ""]
        if key and key[0] == "Parquet":
            ratios = [f"{speed[key] / speed[(f, key[1])]:.2f}" for f in ("JSONL", "JSONL.zst")]
        print(f"| {name} | {n:,} | {stored:,.0f} | {mbps:,.1f} | {ratios[0]} | {ratios[1]} | {one / mbps:.2f} | {rss_mb:,.0f} | {'' if findings is None else f'{findings:,}'} |")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "datatrove":
        run_datatrove(sys.argv[2], sys.argv[3])
    else:
        main()
