"""Opt-out lists and domain sizes from Python: redact_files and the datatrove step
leave out the same documents as the command line."""

import json

import pytest

import shardscrub

DOCS = [
    {"id": 1, "url": "https://www.example.org/a", "text": "mail jane.roe@corp.eu"},
    {"id": 2, "url": "https://blog.optout.example/x", "text": "opted out by domain"},
    {"id": 3, "url": "https://example.org@optout.example/", "text": "userinfo trick"},
    {"id": 4, "url": "https://notoptout.example/", "text": "a look-alike stays"},
    {"id": 5, "url": "https://news.example.net/blog/1", "text": "opted out by prefix"},
    {"id": 6, "url": "not a url", "text": "kept, counted", "author": "Placeholder Person"},
    {"id": 7, "text": "no url"},
]
LIST = "# opt-outs\noptout.example\nhttps://news.example.net/blog/\nauthor=Placeholder Person\n"
KEPT = [1, 4, 7]


@pytest.fixture
def shard(tmp_path):
    path = tmp_path / "web.jsonl"
    path.write_text("".join(json.dumps(d) + "\n" for d in DOCS), encoding="utf-8")
    lst = tmp_path / "opt-out.txt"
    lst.write_text(LIST, encoding="utf-8")
    return path, lst


def test_redact_files_leaves_out_opted_out_documents(tmp_path, shard):
    path, lst = shard
    out = tmp_path / "out"
    report = shardscrub.redact_files(path, out, url_field="url", opt_out=[lst], sme=True)
    kept = [json.loads(line)["id"] for line in (out / "web.jsonl").read_text().splitlines()]
    assert kept == KEPT
    o = report["totals"]["opt_out"]
    assert o["documents"] == 4
    assert o["lists"] == [{"domain": 2, "url": 1, "field": 1}]
    sizes = report["totals"]["domains"]["sizes"]
    assert sizes["example.org"][0] == 1 and sizes["notoptout.example"][0] == 1
    assert "optout.example" not in sizes
    summary = (out / "training-content-summary.md").read_text()
    assert "5% or 1,000" in summary and "opt-out.txt" in summary
    assert "Placeholder Person" not in summary


def test_lists_match_as_the_command_line_does(shard):
    _, lst = shard
    lists = shardscrub.OptOutLists([str(lst)])
    assert lists.fields() == ["author"] and lists.needs_url()
    assert lists.check("https://WWW.OPTOUT.example:8080/", [None]) == (0, "domain")
    assert lists.check("https://optout.example.evil.test/", [None]) is None
    assert lists.check(None, ["Placeholder Person"]) == (0, "field")
    assert lists.lists()[0][:2] == ("opt-out.txt", 3)
    with pytest.raises(shardscrub.ShardscrubError, match="line 1"):
        bad = lst.parent / "bad.txt"
        bad.write_text("not a domain at all\n", encoding="utf-8")
        shardscrub.OptOutLists([str(bad)])


def test_datatrove_step_drops_and_counts(tmp_path, shard):
    pytest.importorskip("datatrove", reason="pip install datatrove (the test extra)")
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter

    from shardscrub.datatrove import PIIRedactor

    path, lst = shard
    out = tmp_path / "dt"
    LocalPipelineExecutor(
        pipeline=[
            JsonlReader(str(path.parent), glob_pattern="web.jsonl"),
            PIIRedactor(opt_out=[str(lst)]),
            JsonlWriter(str(out), compression=None),
        ],
        tasks=1,
        logging_dir=str(tmp_path / "logs"),
    ).run()
    written = [json.loads(line) for f in sorted(out.glob("*.jsonl")) for line in f.read_text().splitlines()]
    assert [str(d["id"]) for d in written] == [str(k) for k in KEPT]
    stats = json.loads((tmp_path / "logs" / "stats.json").read_text())
    step = next(s["stats"] for s in stats if s["name"].endswith(PIIRedactor.name))

    def total(name):
        v = step[name]
        return v if isinstance(v, (int, float)) else v["total"]

    assert total("opted_out") == 4
    assert (total("opted_out_domain"), total("opted_out_url"), total("opted_out_field")) == (2, 1, 1)
