"""The datatrove step in datatrove's local executor, on the sample corpus."""

import json

import pytest

pytest.importorskip("datatrove", reason="pip install datatrove (the test extra)")

from datatrove.executor import LocalPipelineExecutor  # noqa: E402
from datatrove.pipeline.readers import JsonlReader  # noqa: E402
from datatrove.pipeline.writers import JsonlWriter  # noqa: E402

import shardscrub  # noqa: E402
from conftest import SAMPLE_JSONL  # noqa: E402
from shardscrub.datatrove import PIIRedactor  # noqa: E402


def test_pipeline_redacts_text_and_counts_labels(tmp_path, sample_texts):
    out = tmp_path / "out"
    LocalPipelineExecutor(
        pipeline=[
            JsonlReader(str(SAMPLE_JSONL.parent), glob_pattern="sample.jsonl"),
            PIIRedactor(batch_size=7),
            JsonlWriter(str(out), compression=None),
        ],
        tasks=1,
        logging_dir=str(tmp_path / "logs"),
    ).run()
    written = [json.loads(line) for f in sorted(out.glob("*.jsonl")) for line in f.read_text().splitlines()]
    r = shardscrub.Redactor()
    assert [d["text"] for d in written] == r.redact_batch(sample_texts)

    stats = json.loads((tmp_path / "logs" / "stats.json").read_text())
    step = next(s["stats"] for s in stats if s["name"].endswith(PIIRedactor.name))

    def total(name):
        # datatrove writes a stat seen once as a plain number.
        v = step[name]
        return v if isinstance(v, (int, float)) else v["total"]

    _, counts = r.redact_batch_with_counts(sample_texts)
    assert counts, "the sample has findings"
    for label, c in counts.items():
        assert total(label) == c["findings"], label
    assert total("total") == len(sample_texts)
    with_pii = sum(1 for t in sample_texts if r.redact(t) != t)
    assert total("documents_with_pii") == with_pii


def test_bad_options_fail_when_the_pipeline_is_made():
    with pytest.raises(shardscrub.ShardscrubError, match="unknown label"):
        PIIRedactor(labels=["NOT_A_LABEL"])
