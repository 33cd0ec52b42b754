#!/usr/bin/env python3
"""shardscrub next to the tools people use today, on the same generated shards, in one run.

Run it through `benches/compare.sh`, which builds shardscrub, generates the shards and
installs the Python peers into their own virtual environment. By hand:

    python3 benches/compare.py SHARD [SHARD...] --bin target/release/shardscrub [--runs 3]

For each shard it measures, with several runs and their median:
- `cat` and `wc -l` (the floor: reading the bytes, finding line ends), one sha256 pass
  (`openssl dgst`, which uses the CPU's SHA instructions, or `sha256sum`) and `cp` into
  the work directory: the report's checksums (input and output) and writing the output
  cost that much on any engine,
- `shardscrub redact` with 1 thread, with 1 thread pinned to one core (`taskset -c 0`,
  when taskset exists), and with all cores (whole-process wall time). An unpinned
  1-thread run also keeps the writer and the input's sha256 on threads of their own, so
  it uses more than one core; the pinned row is the per-core figure, and the ratio
  column and the scaling line are taken against it,
- shardscrub's Python package: `Redactor.redact_batch_with_counts` over the shard's
  texts in batches of 10,000, with 1 thread and with all cores (the call's time only,
  like the Python peers below: JSON decoding and writing are left out),
- datatrove's PIIFormatter (emails, IPv4), dolma's fast PII tagger (emails, US-style
  phones, IPv4; tags only, no rewrite) or, when dolma cannot be imported, a plain `re`
  script with the same three patterns, scrubadub's default Scrubber, and Presidio's
  analyzer + anonymizer with its pattern recognizers on a blank spaCy pipeline (no NER
  model). Each Python tool runs in its own process on a prefix of the shard sized so
  that a run takes seconds, and its time counts only the calls into the tool (JSON
  decoding, imports and set-up are left out, in the peers' favour).

It prints a Markdown table: MB of the shard processed, MB/s (stored JSONL bytes per
second), shardscrub's one-core MB/s divided by the row's (above 1: shardscrub on one core
is that many times faster; the unpinned 1-thread row when taskset is missing), peak RSS,
and findings per MB of JSONL for the main labels (then the other labels each tool
reported), so speed is read next to what each tool found. Under each table: what one
core can reach on redact's fixed work (the sha256 and cp rows added up), and all cores
divided by one.
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

# Prefix of the shard each Python tool processes, in MB: enough for a few seconds each.
PEER_MB = {"datatrove": 32, "dolma": 32, "re": 32, "scrubadub": 4, "presidio": 1}
# shardscrub from Python: the whole shard, `threads` per batch (None: all cores).
PYTHON_ROWS = {"shardscrub-py-1": 1, "shardscrub-py": None}
PYTHON_BATCH = 10_000
MAIN_LABELS = ["EMAIL_ADDRESS", "PHONE_NUMBER", "IP_ADDRESS", "CREDIT_CARD"]


# ---------------------------------------------------------------------------- peers
# Each adapter returns (process, count): process(text) is the timed call, count(text)
# returns {label: n} and runs untimed afterwards when process does not count by itself.


def datatrove_adapter():
    from datatrove.pipeline.formatters import PIIFormatter

    f = PIIFormatter()

    def count(text):
        emails = len(f.emails_replacer.regex.findall(text))
        ips = sum(1 for m in f.ip_replacer.regex.finditer(text) if f.ip_replacer.validator(m.group(0)))
        return {"EMAIL_ADDRESS": emails, "IP_ADDRESS": ips}

    return f.format, count


def dolma_adapter():
    from dolma.core.data_types import Document
    from dolma.taggers.pii import FastPiiRegex

    tagger = FastPiiRegex()
    counts = {}

    def process(text):
        for s in tagger.predict(Document(source="bench", id="0", text=text)).spans:
            if not s.type.startswith("doc"):
                counts[s.type] = counts.get(s.type, 0) + 1

    return process, counts


def re_adapter():
    """dolma's three patterns in plain `re`, for when dolma will not import."""
    import re

    patterns = {
        "EMAIL_ADDRESS": re.compile(r"[.\s@,?!;:)(]*([^\s@]+@[^\s@,?!;:)(]+?)[.\s@,?!;:)(]?[\s\n\r]"),
        "PHONE_NUMBER": re.compile(r"\s+\(?(\d{3})\)?[-\. ]*(\d{3})[-. ]?(\d{4})"),
        "IP_ADDRESS": re.compile(
            r"(?:(?:25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)\.){3}(?:25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)"
        ),
    }
    counts = {}

    def process(text):
        for label, p in patterns.items():
            n = len(p.findall(text))
            if n:
                counts[label] = counts.get(label, 0) + n

    return process, counts


def scrubadub_adapter():
    import scrubadub

    scrubber = scrubadub.Scrubber()
    names = {"email": "EMAIL_ADDRESS", "phone": "PHONE_NUMBER"}

    def count(text):
        c = {}
        for f in scrubber.iter_filth(text):
            label = names.get(f.type, f.type.upper())
            c[label] = c.get(label, 0) + 1
        return c

    return scrubber.clean, count


def presidio_adapter():
    import spacy
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import SpacyNlpEngine
    from presidio_anonymizer import AnonymizerEngine

    class BlankSpacy(SpacyNlpEngine):
        """A tokenizer only: Presidio's pattern recognizers, no NER model."""

        def __init__(self):
            super().__init__(models=[{"lang_code": "en", "model_name": "blank"}])

        def load(self):
            self.nlp = {"en": spacy.blank("en")}

    analyzer = AnalyzerEngine(nlp_engine=BlankSpacy(), supported_languages=["en"])
    anonymizer = AnonymizerEngine()
    counts = {}

    def process(text):
        results = analyzer.analyze(text=text, language="en")
        for r in results:
            counts[r.entity_type] = counts.get(r.entity_type, 0) + 1
        anonymizer.anonymize(text=text, analyzer_results=results)

    return process, counts


ADAPTERS = {
    "datatrove": datatrove_adapter,
    "dolma": dolma_adapter,
    "re": re_adapter,
    "scrubadub": scrubadub_adapter,
    "presidio": presidio_adapter,
}


def run_python_rows(name, path):
    """Child process: shardscrub's Python package over the `text` of every record of
    `path`, in batches; prints {"seconds": ..., "counts": {...}} on stdout."""
    import shardscrub

    r = shardscrub.Redactor()
    with open(path, encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for line in f if line.strip()]
    parts = []
    start = time.perf_counter()
    for i in range(0, len(texts), PYTHON_BATCH):
        _, c = r.redact_batch_with_counts(texts[i : i + PYTHON_BATCH], threads=PYTHON_ROWS[name])
        parts.append(c)
    seconds = time.perf_counter() - start
    counts = {k: v["findings"] for k, v in shardscrub.merge_counts(parts).items()}
    json.dump({"seconds": seconds, "counts": counts}, sys.stdout)


def run_peer(name, path):
    """Child process: runs one tool over the `text` of every record of `path`; prints
    {"seconds": ..., "counts": {...}} on stdout."""
    if name in PYTHON_ROWS:
        return run_python_rows(name, path)
    process, counter = ADAPTERS[name]()
    with open(path, encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for line in f if line.strip()]
    start = time.perf_counter()
    for t in texts:
        process(t)
    seconds = time.perf_counter() - start
    if callable(counter):
        counts = {}
        for t in texts:
            for k, v in counter(t).items():
                counts[k] = counts.get(k, 0) + v
    else:
        counts = counter
    json.dump({"seconds": seconds, "counts": counts}, sys.stdout)


# --------------------------------------------------------------------------- driver


def timed(cmd):
    """Runs cmd under /usr/bin/time; returns (wall seconds, peak RSS KB, stdout). The wall
    time is read here, with a finer clock than /usr/bin/time's hundredths."""
    with tempfile.NamedTemporaryFile("r") as t:
        start = time.perf_counter()
        p = subprocess.run(
            ["/usr/bin/time", "-o", t.name, "-f", "%M", *cmd],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        wall = time.perf_counter() - start
        if p.returncode != 0:
            raise RuntimeError(f"{cmd[0]} failed: {p.stderr[-2000:]}")
        rss = t.read().split()[-1]
    return wall, int(rss), p.stdout


def prefix(shard, mb, out_dir):
    """The first `mb` MB of `shard`, cut at a line end, as a file (made once)."""
    path = os.path.join(out_dir, f"{os.path.basename(shard)}.head-{mb}MB.jsonl")
    if not os.path.exists(path):
        with open(shard, "rb") as src, open(path, "wb") as dst:
            data = src.read(mb * 1_000_000)
            dst.write(data[: data.rfind(b"\n") + 1])
    return path


def row(name, mb, seconds, rss_kb, counts, floor=None):
    """One table row; `floor` names what a floor row measures (`None`: a tool)."""
    per_mb = {k: counts.get(k, 0) / mb for k in MAIN_LABELS}
    others = {k: v / mb for k, v in counts.items() if k not in MAIN_LABELS}
    return {
        "tool": name,
        "mb": mb,
        "mbps": mb / seconds,
        "rss": rss_kb / 1024,
        "per_mb": per_mb,
        "other": sum(others.values()),
        "others": others,
        "floor": floor,
    }


ONE_CORE = "shardscrub redact, 1 thread on 1 core"


def shardscrub_runs():
    """(row name, command prefix, --threads) of the shardscrub CLI rows."""
    cores = os.cpu_count() or 1
    runs = [("shardscrub redact, 1 thread", [], 1)]
    if shutil.which("taskset"):
        runs.append((ONE_CORE, ["taskset", "-c", "0"], 1))
    if cores > 1:
        runs.append((f"shardscrub redact, {cores} threads", [], cores))
    return runs


def measure_shard(shard, args):
    rows = []
    mb = os.path.getsize(shard) / 1e6
    out = os.path.join(args.work, "out")

    def median_of(cmd, setup=None):
        walls, rss, stdout = [], 0, ""
        for _ in range(args.runs):
            if setup:
                setup()
            w, r, stdout = timed(cmd)
            walls.append(w)
            rss = max(rss, r)
        return statistics.median(walls), rss, stdout

    subprocess.run(["cat", shard], stdout=subprocess.DEVNULL, check=True)  # page cache
    s, r, _ = median_of(["sh", "-c", f"cat '{shard}' > /dev/null"])
    rows.append(row("cat", mb, s, r, {}, floor="read"))
    s, r, _ = median_of(["wc", "-l", shard])
    rows.append(row("wc -l (line ends)", mb, s, r, {}, floor="lines"))
    # What the report's contract costs whatever the scanner does: one sha256 pass (redact
    # makes two, input and output) and writing a copy into the page cache.
    sha = ["openssl", "dgst", "-sha256", shard] if shutil.which("openssl") else ["sha256sum", shard]
    s, r, _ = median_of(sha)
    rows.append(row(f"sha256 ({sha[0]})", mb, s, r, {}, floor="sha256"))
    copy = os.path.join(args.work, "copy.jsonl")
    s, r, _ = median_of(["cp", shard, copy], lambda: os.path.exists(copy) and os.remove(copy))
    os.remove(copy)
    rows.append(row("cp (write a copy)", mb, s, r, {}, floor="copy"))
    clean = lambda: subprocess.run(["rm", "-rf", out], check=True)  # noqa: E731
    for name, pin, threads in shardscrub_runs():
        cmd = [*pin, args.bin, "redact", shard, "--out", out, "--threads", str(threads), "-q"]
        s, r, _ = median_of(cmd, clean)
        with open(os.path.join(out, "redaction-report.json")) as f:
            labels = json.load(f)["totals"]["labels"]
        counts = {k: v["findings"] for k, v in labels.items()}
        rows.append(row(name, mb, s, r, counts))
    for name in args.peers:
        head = shard if name in PYTHON_ROWS else prefix(shard, PEER_MB[name], args.work)
        head_mb = os.path.getsize(head) / 1e6
        results = [timed([sys.executable, __file__, "peer", name, head]) for _ in range(args.runs)]
        seconds = statistics.median(json.loads(out_)["seconds"] for _, _, out_ in results)
        rss = max(r for _, r, _ in results)
        counts = json.loads(results[0][2])["counts"]
        label = {
            "shardscrub-py-1": "shardscrub Python redact_batch, 1 thread",
            "shardscrub-py": f"shardscrub Python redact_batch, {os.cpu_count()} threads",
            "datatrove": "datatrove PIIFormatter",
            "dolma": "dolma pii_regex_with_counts_fast_v2",
            "re": "Python re, dolma's 3 patterns",
            "scrubadub": "scrubadub Scrubber",
            "presidio": "Presidio patterns (no NER)",
        }[name]
        rows.append(row(label, head_mb, seconds, rss, counts))
    return rows


def print_table(shard, rows):
    one_core = next((r for r in rows if r["tool"] == ONE_CORE), None)
    base = one_core or next(r for r in rows if r["tool"] == "shardscrub redact, 1 thread")
    print(f"\n{os.path.basename(shard)}: {os.path.getsize(shard):,} bytes\n")
    head = ["tool", "MB processed", "MB/s", f"shardscrub {'1 core' if one_core else '1 thread'} ÷ this", "peak RSS MB"]
    head += [f"{k} /MB" for k in MAIN_LABELS] + ["other /MB"]
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join(["---"] + ["---:"] * (len(head) - 1)) + "|")
    for r in rows:
        ratio = base["mbps"] / r["mbps"]
        cells = [r["tool"], f"{r['mb']:,.1f}", f"{r['mbps']:,.1f}", f"{ratio:,.2f}x", f"{r['rss']:,.0f}"]
        cells += [f"{r['per_mb'][k]:.2f}" for k in MAIN_LABELS] + [f"{r['other']:.2f}"]
        if r["floor"]:
            cells[5:] = ["-"] * (len(cells) - 5)
        print("| " + " | ".join(cells) + " |")
    floors = {r["floor"]: r["mbps"] for r in rows if r["floor"]}
    if {"sha256", "copy"} <= floors.keys():
        # Seconds per MB add up on one core: read and write (cp does both), and hash the
        # input and the output.
        ceiling = 1 / (2 / floors["sha256"] + 1 / floors["copy"])
        print(f"\nOne core can do no better than {ceiling:,.1f} MB/s on redact's fixed work "
              "(read, write, sha256 of input and output) before any scanning.")
    cores = os.cpu_count() or 1
    every = next((r for r in rows if r["tool"] == f"shardscrub redact, {cores} threads"), None)
    if every:
        print(f"\nScaling: {cores} threads ÷ {base['tool'].removeprefix('shardscrub redact, ')} = "
              f"{every['mbps'] / base['mbps']:.2f}x")
    print("\nOther labels, per MB:")
    for r in rows:
        if r["others"]:
            top = sorted(r["others"].items(), key=lambda kv: -kv[1])
            print(f"- {r['tool']}: " + ", ".join(f"{k} {v:.2f}" for k, v in top))


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "peer":
        return run_peer(sys.argv[2], sys.argv[3])
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("shards", nargs="+")
    ap.add_argument("--bin", default="target/release/shardscrub")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--work", default="target/bench/compare")
    ap.add_argument("--peers", default="shardscrub-py-1,shardscrub-py,datatrove,dolma,scrubadub,presidio")
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    args.peers = args.peers.split(",") if args.peers else []
    if "dolma" in args.peers:
        try:
            import dolma.taggers.pii  # noqa: F401
        except Exception as e:  # any import failure: fall back, and say so
            print(f"dolma cannot be imported ({type(e).__name__}: {e}); using Python re with its 3 patterns")
            args.peers[args.peers.index("dolma")] = "re"
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    print(f"CPU: {cpu}, {os.cpu_count()} cores; {args.runs} runs per row, medians")
    for shard in args.shards:
        print_table(shard, measure_shard(shard, args))


if __name__ == "__main__":
    main()
