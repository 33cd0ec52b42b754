#!/usr/bin/env python3
"""PERSON findings on real text: how many per MB and per rule, and a random sample of
them with their surroundings, to be read by a person who marks each one a name of a
person or not.

Sources, read at run time and never written into the repository: the real-text sources
of benches/realtext.py (Python's standard library, man pages, Debian copyright files,
Rust crate sources), Debian changelogs and READMEs under /usr/share/doc.

    benches/names_audit.py [--bin target/release/shardscrub] [--mb 8] [--sample 200] [--seed 1]
                           [--kinds python-stdlib,man-pages,...]

The sample is printed to the terminal only: it is real text from this machine and is
never to be committed. Record only the counts (QUALITY.md).
"""
import argparse
import collections
import json
import os
import random
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import realtext  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", default="target/release/shardscrub")
    ap.add_argument("--mb", type=float, default=8.0)
    ap.add_argument("--sample", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--kinds", default="python-stdlib,man-pages,debian-copyright,rust-sources,changelogs,readmes",
                    help="comma-separated sources")
    args = ap.parse_args()
    findings = []
    per_rule = collections.Counter()
    total_mb = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for kind in args.kinds.split(","):
            path = os.path.join(tmp, kind + ".jsonl")
            size = 0
            docs = []
            with open(path, "w") as f:
                for _, data in realtext.files(kind):
                    text = data.decode("utf-8", errors="replace")
                    f.write(json.dumps({"text": text}, ensure_ascii=False) + "\n")
                    docs.append(text.encode())
                    size += len(docs[-1])
                    if size >= args.mb * 1e6:
                        break
            if not docs:
                continue
            total_mb += size / 1e6
            scan = subprocess.run([args.bin, "scan", path, "--field", "text", "--quiet",
                                   "--labels", "PERSON"],
                                  capture_output=True, text=True, check=True)
            n = 0
            for line in scan.stdout.splitlines():
                rec = json.loads(line)
                t = docs[rec["line"] - 1]
                for s in rec["spans"]:
                    n += 1
                    per_rule[s["rule"]] += 1
                    ctx = t[max(0, s["start"] - 40):s["start"]].decode(errors="replace")
                    val = t[s["start"]:s["end"]].decode(errors="replace")
                    after = t[s["end"]:s["end"] + 25].decode(errors="replace")
                    findings.append((kind, s["rule"], f"{ctx}[[{val}]]{after}".replace("\n", "⏎")))
            print(f"{kind}: {size / 1e6:.1f} MB, {n} PERSON findings", file=sys.stderr)
    print(f"all: {total_mb:.1f} MB, {len(findings)} PERSON findings")
    for rule, n in per_rule.most_common():
        print(f"  {rule}: {n} ({n / total_mb:.1f} per MB)")
    rng = random.Random(args.seed)
    sample = rng.sample(findings, min(args.sample, len(findings)))
    for i, (kind, rule, shown) in enumerate(sorted(sample, key=lambda x: x[1])):
        print(f"{i + 1:3} {rule:22} {shown}")


if __name__ == "__main__":
    main()
