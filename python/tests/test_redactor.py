"""The Redactor, redact_files and the package's helpers."""

import json
import pickle
import threading
import time

import pytest

import shardscrub
from conftest import SAMPLE_JSONL


def test_readme_example():
    r = shardscrub.Redactor()
    assert r.redact("mail jane.doe@corp.eu from 81.2.69.160") == "mail <EMAIL_ADDRESS> from <IP_ADDRESS>"


def test_scan_gives_character_and_byte_offsets():
    text = "Müller: jane.doe@corp.eu, 日本 81.2.69.160"
    found = shardscrub.Redactor().scan(text)
    assert [(f.label, f.rule) for f in found] == [("EMAIL_ADDRESS", "email"), ("IP_ADDRESS", "ipv4")]
    raw = text.encode()
    for f in found:
        assert text[f.start : f.end] == raw[f.byte_start : f.byte_end].decode()
    assert found[0].byte_start == found[0].start + 1  # ü is two bytes


def test_batch_equals_one_by_one_for_any_thread_count(sample_texts):
    r = shardscrub.Redactor()
    one_by_one = [r.redact(t) for t in sample_texts]
    assert one_by_one != sample_texts
    assert r.redact_batch(sample_texts) == one_by_one
    assert r.redact_batch(sample_texts, threads=1) == one_by_one
    assert r.redact_batch(sample_texts * 50, threads=2) == one_by_one * 50
    with pytest.raises(shardscrub.ShardscrubError, match="at least 1"):
        r.redact_batch(sample_texts, threads=0)
    # Batches are cut into pieces of at most 4096 texts: order and identity survive.
    many = ["x"] * 5000 + sample_texts * 200
    out = r.redact_batch(many)
    assert out == ["x"] * 5000 + one_by_one * 200 and out[0] is many[0]
    assert r.redact_batch(t for t in sample_texts) == one_by_one
    assert r.redact_batch([]) == []
    with pytest.raises(TypeError, match="not a str"):
        r.redact_batch("a text")
    with pytest.raises(TypeError):
        r.redact_batch(["ok"] * 9000 + [3])


def test_counts_match_scan(sample_texts):
    r = shardscrub.Redactor()
    texts, counts = r.redact_batch_with_counts(sample_texts)
    assert texts == r.redact_batch(sample_texts)
    expected = {}
    for t in sample_texts:
        labels = [f.label for f in r.scan(t)]
        for label in set(labels):
            c = expected.setdefault(label, {"documents": 0, "findings": 0})
            c["documents"] += 1
            c["findings"] += labels.count(label)
    assert counts == expected
    _, per_doc = r.redact_batch_per_document(sample_texts)
    assert shardscrub.merge_counts({k: {"documents": 1, "findings": n} for k, n in d.items()} for d in per_doc) == dict(sorted(expected.items()))


@pytest.mark.parametrize("options", [{}, {"style": "numbered"}, {"style": "mask"}])
def test_batch_equals_one_by_one_in_strings_of_every_width(options):
    # Non-ASCII texts with few findings are rebuilt from slices of the original string
    # (Latin-1, UCS-2 and UCS-4 strings index characters differently from UTF-8 bytes);
    # ASCII texts and texts dense with findings are decoded whole. Both must give what
    # redact gives.
    r = shardscrub.Redactor(**options)
    filler = " ordinary words without anything personal in them" * 8
    texts = []
    for wide in ["é", "ł", "日本", "😀", ""]:
        texts.append(f"{wide} mail jane.doe@corp.eu{filler} or +44 20 7946 0958 {wide}x")
        texts.append(f"jane.doe@corp.eu{wide}{filler}{wide}81.2.69.160")
        texts.append(f"{wide}jane.doe@corp.eu ann@corp.eu 81.2.69.160 {wide}")
        texts.append(f"{filler}{wide}{filler}")
    one_by_one = [r.redact(t) for t in texts]
    assert one_by_one != texts
    assert r.redact_batch(texts, threads=1) == one_by_one
    assert r.redact_batch(texts * 30, threads=2) == one_by_one * 30


def test_batch_releases_the_gil(sample_texts):
    # While a large batch runs in a thread, this thread must keep running Python code.
    r = shardscrub.Redactor()
    big = sample_texts * 3000
    worker = threading.Thread(target=r.redact_batch, args=(big,), kwargs={"threads": 1})
    start = time.perf_counter()
    worker.start()
    ticks = 0
    while worker.is_alive():
        ticks += 1
    elapsed = time.perf_counter() - start
    assert elapsed > 0.05, "the batch is too small to tell"
    assert ticks > 10_000, f"{ticks} iterations in {elapsed:.2f} s: the GIL was held"


def test_options_and_errors_are_the_command_lines():
    only_email = shardscrub.Redactor(labels=["EMAIL_ADDRESS"], style="numbered")
    assert only_email.redact("a@corp.eu b@corp.eu a@corp.eu 81.2.69.160") == (
        "<EMAIL_ADDRESS_1> <EMAIL_ADDRESS_2> <EMAIL_ADDRESS_1> 81.2.69.160"
    )
    with pytest.raises(shardscrub.ShardscrubError, match='unknown style "fancy"; use tag, numbered, hmac or mask'):
        shardscrub.Redactor(style="fancy")
    with pytest.raises(shardscrub.ShardscrubError, match='unknown label "NOPE"'):
        shardscrub.Redactor(labels="NOPE")
    with pytest.raises(shardscrub.ShardscrubError, match="at least 16 are needed"):
        shardscrub.Redactor(style="hmac", hmac_key=b"short")
    with pytest.raises(shardscrub.ShardscrubError, match="no-such.toml"):
        shardscrub.Redactor(patterns="no-such.toml")
    notice = "Copyright (c) 2019 Kofi Roe"
    assert shardscrub.Redactor().redact(notice) == "Copyright (c) 2019 <PERSON>"
    assert shardscrub.Redactor(exclude_rules="person_copyright").redact(notice) == notice
    with pytest.raises(shardscrub.ShardscrubError, match='unknown rule id "nope"'):
        shardscrub.Redactor(exclude_rules=["nope"])


def test_hmac_tokens_are_stable_and_the_key_is_not_shown():
    key = "k" * 32
    a = shardscrub.Redactor(style="hmac", hmac_key=key)
    b = pickle.loads(pickle.dumps(a))
    token = a.redact("jane.doe@corp.eu")
    assert token.startswith("<EMAIL_ADDRESS:") and token == b.redact("jane.doe@corp.eu")
    assert key not in repr(a)
    other = shardscrub.Redactor(style="hmac", hmac_key="x" * 32)
    assert other.redact("jane.doe@corp.eu") != token


def test_redact_files_writes_shards_and_returns_the_report(tmp_path, sample_texts):
    report = shardscrub.redact_files([SAMPLE_JSONL], tmp_path / "out", threads=2)
    out = (tmp_path / "out" / "sample.jsonl").read_text(encoding="utf-8").splitlines()
    r = shardscrub.Redactor()
    assert [json.loads(line)["text"] for line in out] == r.redact_batch(sample_texts)
    _, counts = r.redact_batch_with_counts(sample_texts)
    assert report["totals"]["findings"] == sum(c["findings"] for c in counts.values())
    assert report == json.loads((tmp_path / "out" / "redaction-report.json").read_text())


def test_redact_files_errors_name_the_file(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "jane.doe@corp.eu"}\n{"text": 1}\n')
    with pytest.raises(shardscrub.ShardscrubError) as e:
        shardscrub.redact_files(bad, tmp_path / "out")
    assert f"{bad}:2:" in str(e.value) and "jane" not in str(e.value)
    report = shardscrub.redact_files(bad, tmp_path / "out", on_error="skip")
    assert report["totals"]["skipped"] == 1


def test_report_markdown():
    md = shardscrub.report_markdown({"EMAIL_ADDRESS": {"documents": 2, "findings": 3}}, documents=8)
    assert "| EMAIL_ADDRESS | 2 | 25.00% | 3 |" in md


def _in_child(redactor, texts, conn):
    conn.send(redactor.redact_batch(texts))
    conn.close()


def test_a_forked_process_redacts_with_an_inherited_redactor(sample_texts):
    # multiprocessing's fork start (and datasets' num_proc) copies the process without
    # its thread pools: the child must build its own, not wait on the parent's.
    import multiprocessing

    r = shardscrub.Redactor()
    expected = r.redact_batch(sample_texts)  # the parent's pool exists now
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe()
    p = ctx.Process(target=_in_child, args=(r, sample_texts, child))
    p.start()
    assert parent.poll(60), "the forked child did not answer"
    assert parent.recv() == expected
    p.join(10)
    assert p.exitcode == 0
