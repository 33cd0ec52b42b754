"""The Hugging Face datasets helper, with Dataset.map(batched=True)."""

import json

import pytest

pytest.importorskip("datasets", reason="pip install datasets (the test extra)")

from datasets import Dataset  # noqa: E402

import shardscrub  # noqa: E402
from shardscrub.hf import redact_column  # noqa: E402


@pytest.mark.parametrize("num_proc", [None, 2])
def test_map_redacts_the_column_and_counts_per_row(sample_texts, num_proc):
    ds = Dataset.from_dict({"text": sample_texts, "n": list(range(len(sample_texts)))})
    out = ds.map(redact_column("text", counts_column="pii"), batched=True, batch_size=5, num_proc=num_proc)
    r = shardscrub.Redactor()
    assert out["text"] == r.redact_batch(sample_texts)
    assert out["n"] == ds["n"]
    for text, counts in zip(sample_texts, out["pii"]):
        labels = [f.label for f in r.scan(text)]
        assert json.loads(counts) == {label: labels.count(label) for label in set(labels)}


def test_map_with_options():
    ds = Dataset.from_dict({"body": ["mail jane.doe@corp.eu from 81.2.69.160"]})
    out = ds.map(redact_column("body", labels=["IP_ADDRESS"]), batched=True)
    assert out["body"] == ["mail jane.doe@corp.eu from <IP_ADDRESS>"]
