#!/usr/bin/env python3
"""False positives on real text: findings per MB per label over text on this machine
that holds (almost) no personal data of the kinds counted.

Sources, each capped at --mb megabytes, read at run time and never written into the
repository: Python's standard library (*.py, without its test directories, whose
fixtures hold made-up addresses on purpose), man pages (roff source), Debian copyright
files, and the Rust sources of the crates in cargo's registry. Every finding of a
number or secret label there is almost surely wrong; e-mail addresses are real (authors
and maintainers) and are shown but not counted against the budget.

    benches/realtext.py [--bin target/release/shardscrub] [--mb 8] [--show N] [--out FILE]

--show N prints N findings per label with their surroundings to the terminal, for
tuning; they are real text from this machine and are never to be committed.
"""
import argparse
import collections
import glob
import gzip
import json
import os
import subprocess
import sys
import sysconfig
import tempfile

# Labels whose findings on this text are counted against the budget (issue: at most
# one finding per MB).
BUDGET = ("PHONE_NUMBER", "IP_ADDRESS", "CREDIT_CARD", "MAC_ADDRESS", "SECRET", "ID")


def budget_label(label):
    if label in BUDGET:
        return label
    if label in ("EMAIL_ADDRESS", "URL", "CRYPTO", "PERSON"):
        return None
    return "ID"  # every national ID label


def read_maybe_gzipped(paths):
    """(path, bytes) of each of `paths`, gunzipped when it ends in .gz; unreadable ones
    are skipped."""
    for path in paths:
        try:
            yield path, gzip.open(path).read() if path.endswith(".gz") else open(path, "rb").read()
        except OSError:
            continue


def files(kind):
    """(path, bytes) of the real text of one kind (benches/names_audit.py also reads
    `changelogs` and `readmes`, which hold names on purpose)."""
    if kind == "python-stdlib":
        root = sysconfig.get_paths()["stdlib"]
        for path in sorted(glob.glob(os.path.join(root, "**", "*.py"), recursive=True)):
            parts = path[len(root):].split(os.sep)
            if any(p in ("test", "tests", "idle_test", "site-packages") for p in parts):
                continue
            yield path, open(path, "rb").read()
    elif kind == "man-pages":
        yield from read_maybe_gzipped(sorted(glob.glob("/usr/share/man/man[1-8]/*.gz")))
    elif kind == "changelogs":
        yield from read_maybe_gzipped(sorted(glob.glob("/usr/share/doc/*/changelog.Debian.gz")))
    elif kind == "readmes":
        yield from read_maybe_gzipped(sorted(glob.glob("/usr/share/doc/*/README*")))
    elif kind == "debian-copyright":
        for path in sorted(glob.glob("/usr/share/doc/*/copyright")):
            yield path, open(path, "rb").read()
    elif kind == "rust-sources":
        root = os.path.expanduser("~/.cargo/registry/src")
        for path in sorted(glob.glob(os.path.join(root, "*", "*", "src", "**", "*.rs"), recursive=True)):
            yield path, open(path, "rb").read()


def build(kind, cap, out):
    size = 0
    n = 0
    for _, data in files(kind):
        text = data.decode("utf-8", errors="replace")
        out.write(json.dumps({"text": text}, ensure_ascii=False) + "\n")
        size += len(text.encode())
        n += 1
        if size >= cap:
            break
    return n, size


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", default="target/release/shardscrub")
    ap.add_argument("--mb", type=float, default=8.0)
    ap.add_argument("--show", type=int, default=0)
    ap.add_argument("--out", help="write the Markdown table here too")
    args = ap.parse_args()
    rows = []
    shown = collections.defaultdict(list)
    with tempfile.TemporaryDirectory() as tmp:
        for kind in ("python-stdlib", "man-pages", "debian-copyright", "rust-sources"):
            path = os.path.join(tmp, kind + ".jsonl")
            with open(path, "w") as f:
                n, size = build(kind, int(args.mb * 1e6), f)
            if n == 0:
                print(f"{kind}: nothing found on this machine, skipped", file=sys.stderr)
                continue
            scan = subprocess.run([args.bin, "scan", path, "--field", "text", "--quiet"],
                                  capture_output=True, text=True, check=True)
            counts = collections.Counter()
            emails = 0
            # Distinct values (kept in memory only): one notice copied into many
            # packages' copyright files counts once here.
            distinct = set()
            docs = [json.loads(l)["text"].encode() for l in open(path)]
            for line in scan.stdout.splitlines():
                rec = json.loads(line)
                for s in rec["spans"]:
                    b = budget_label(s["label"])
                    if b is None:
                        emails += s["label"] == "EMAIL_ADDRESS"
                        continue
                    counts[b] += 1
                    t = docs[rec["line"] - 1]
                    distinct.add((b, t[s["start"]:s["end"]]))
                    if args.show and len(shown[(kind, s["rule"])]) < args.show:
                        shown[(kind, s["rule"])].append(
                            t[max(0, s["start"] - 50):s["end"] + 30].decode(errors="replace"))
            mb = size / 1e6
            rows.append((kind, n, mb, counts, len(distinct), emails))
    head = "| text | files | MB | " + " | ".join(BUDGET) + " | all counted, per MB | distinct values | e-mail (not counted) |"
    lines = [head, "|" + "---|" * 2 + "---:|" * (len(BUDGET) + 4)]
    total = collections.Counter()
    total_mb = 0.0
    total_distinct = 0
    for kind, n, mb, counts, distinct, emails in rows:
        total.update(counts)
        total_mb += mb
        total_distinct += distinct
        cells = " | ".join(f"{counts[l] / mb:.2f}" for l in BUDGET)
        lines.append(f"| {kind} | {n} | {mb:.1f} | {cells} | **{sum(counts.values()) / mb:.2f}** | {distinct} | {emails} |")
    cells = " | ".join(f"{total[l] / total_mb:.2f}" for l in BUDGET)
    lines.append(f"| **all** | | {total_mb:.1f} | {cells} | **{sum(total.values()) / total_mb:.2f}** | {total_distinct} | |")
    table = "\n".join(lines)
    print(table)
    if args.out:
        with open(args.out, "w") as f:
            f.write(table + "\n")
    for (kind, rule), xs in sorted(shown.items()):
        print(f"\n{kind} / {rule}:", file=sys.stderr)
        for x in xs:
            print("   ", repr(x), file=sys.stderr)


if __name__ == "__main__":
    main()
