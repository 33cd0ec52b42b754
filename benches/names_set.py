#!/usr/bin/env python3
"""Names of people in the structures that carry them: a labeled set, scored per kind.

Each document puts one generated name (first names and surnames combined at random from
the short lists below; they are made up for this set, not taken from a name list or a
test-data generator) in one kind of context: commit trailers, mail headers, author and
maintainer lines, changelog trailers, package metadata, Javadoc and Python author
fields, signatures, salutations, titles, form fields, CSV columns, chat speakers and
prose. Some documents hold only things of a name's shape that are not people (roles,
organisations, places, capitalised words), marked as negatives.

    benches/names_set.py --out FILE [--docs 1200] [--seed 11]
    benches/names_set.py --out FILE --score target/release/shardscrub

With --score, the set is scanned and a table printed: per kind, the names, how many a
PERSON finding overlaps and how many it gives exactly; and how many PERSON findings
overlap no name (on the negatives and elsewhere). `shardscrub eval FILE` scores it too.
"""
import argparse
import collections
import json
import random
import subprocess

FIRST = ["Anna", "Jonas", "Mirela", "Tobiah", "Zoë", "Łucja", "Renée", "Kofi", "Ines",
         "Matteo", "Sanne", "Oskar", "Amira", "Diego", "Hanne", "Yusuf"]
LAST = ["Varnholt", "Quennell", "Ostrabek", "van der Mijl", "Delacorte", "Pellworth",
        "Nuñez-Arrabal", "O'Cathail", "McBrannan", "Szczerbiak", "Lindqvær", "Abernoth",
        "Ferrandis", "de Wauters", "Kowalczuk", "Thornquist"]
TITLES = ["Mr.", "Mrs.", "Ms.", "Dr.", "Prof."]
NEGATIVES = [
    "From: Support Team <help@mail.corp.eu>",
    "Maintainer: Debian QA Group <qa-group@example.org>",
    "Copyright: Free Software Foundation <office@example.org>",
    "We flew to New York and then Buenos Aires.",
    "The Grace Period ends on Monday; Will Power is a film.",
    "Release Notes: See Also the Known Issues section.",
]


def name(r):
    return f"{r.choice(FIRST)} {r.choice(LAST)}"


def mail(r, n):
    local = n.split()[0].lower().replace("ë", "e").replace("ł", "l").replace("é", "e")
    return f"{local}.{r.randint(1, 99)}@mail.corp.eu"


# kind -> template; {n} is the name (the gold span), {m} an address, {s} a surname.
KINDS = {
    "commit trailer": "Fix the parser\n\nSigned-off-by: {n} <{m}>\n",
    "co-author trailer": "Co-authored-by: {n} <{m}>\n",
    "git author line": "commit 3f9c2a1\nAuthor: {n} <{m}>\nDate:   Mon Jan 6 10:00:00 2025\n",
    "mail header": 'From: "{n}" <{m}>\nSubject: minutes\n',
    "changelog trailer": "  * New upstream release.\n\n -- {n} <{m}>  Sun, 01 Dec 2024 10:00:00 +0100\n",
    "package metadata": '[package]\nname = "widget"\nauthors = ["{n} <{m}>"]\n',
    "javadoc author": "/**\n * Parses widgets.\n * @author {n}\n */\n",
    "python author": '__author__ = "{n}"\n__version__ = "1.2"\n',
    "signature": "Thanks for the quick reply.\n\nBest regards,\n{n}\n",
    "salutation": "Dear {n},\n\nplease find the report attached.\n",
    "title": "The meeting with {t} {n} is moved to Friday.\n",
    "form field": "Full name: {n}\nDepartment: Sales\n",
    "csv column": "id,name,city\n17,{n},Lyon\n",
    "chat speaker": "[10:42] {n}: the build is green again\n",
    "prose": "Yesterday {n} presented the results to the board.\n",
}


def build(docs, seed):
    r = random.Random(seed)
    out = []
    kinds = list(KINDS)
    for i in range(docs):
        if i % 10 == 9:
            text = r.choice(NEGATIVES)
            out.append({"id": i, "kind": "negative", "text": text, "spans": [],
                        "negatives": [{"start": 0, "end": len(text.encode()), "kind": "not a person"}]})
            continue
        kind = kinds[i % len(kinds)]
        n = name(r)
        before, after = KINDS[kind].split("{n}")
        before = before.replace("{t}", r.choice(TITLES))
        after = after.replace("{m}", mail(r, n))
        start = len(before.encode())
        out.append({"id": i, "kind": kind, "text": before + n + after,
                    "spans": [{"start": start, "end": start + len(n.encode()), "label": "PERSON"}],
                    "negatives": []})
    return out


def score(path, docs, binary):
    scan = subprocess.run([binary, "scan", path, "--labels", "PERSON", "--quiet"],
                          capture_output=True, text=True, check=True)
    found = [json.loads(l)["spans"] for l in scan.stdout.splitlines()]
    per = collections.defaultdict(lambda: [0, 0, 0])
    stray = collections.Counter()
    for d, spans in zip(docs, found):
        gold = d["spans"]
        for g in gold:
            row = per[d["kind"]]
            row[0] += 1
            row[1] += any(s["start"] < g["end"] and g["start"] < s["end"] for s in spans)
            row[2] += any(s["start"] == g["start"] and s["end"] == g["end"] for s in spans)
        for s in spans:
            if not any(s["start"] < g["end"] and g["start"] < s["end"] for g in gold):
                stray[d["kind"]] += 1
    print("| kind | names | found (overlap) | exact |")
    print("|---|---:|---:|---:|")
    total = [0, 0, 0]
    for kind in list(KINDS):
        n, o, e = per[kind]
        total = [total[0] + n, total[1] + o, total[2] + e]
        print(f"| {kind} | {n} | {o} | {e} |")
    print(f"| **all** | {total[0]} | {total[1]} ({total[1] / max(total[0], 1):.0%}) | {total[2]} |")
    print(f"\nPERSON findings that overlap no name: {sum(stray.values())} {dict(stray)}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--docs", type=int, default=1200)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--score", metavar="BIN", help="scan the set with BIN and print the table")
    a = ap.parse_args()
    docs = build(a.docs, a.seed)
    with open(a.out, "w") as f:
        for d in docs:
            f.write(json.dumps(d, ensure_ascii=False) + "\n")
    if a.score:
        score(a.out, docs, a.score)


if __name__ == "__main__":
    main()
