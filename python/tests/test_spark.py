"""Spark in local mode: mapInArrow over a DataFrame, and the merged report."""

import os
import sys

import pytest

pytest.importorskip("pyspark", reason="pip install pyspark pyarrow (the test extra)")

from pyspark.sql import SparkSession  # noqa: E402

import shardscrub  # noqa: E402
from shardscrub.spark import counts_by_label, redact_dataframe  # noqa: E402


@pytest.fixture(scope="module")
def spark():
    # Workers run this interpreter, where shardscrub is installed.
    os.environ["PYSPARK_PYTHON"] = sys.executable
    s = (
        SparkSession.builder.master("local[2]")
        .appName("shardscrub-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .getOrCreate()
    )
    yield s
    s.stop()


def test_dataframe_is_redacted_and_counts_merge_over_partitions(spark, sample_texts):
    rows = [(i, t) for i, t in enumerate(sample_texts * 20)] + [(-1, None)]
    df = spark.createDataFrame(rows, "id long, text string").repartition(4)
    clean = redact_dataframe(df, column="text", counts_column="pii")
    got = {r["id"]: r for r in clean.collect()}
    r = shardscrub.Redactor()
    for i, t in rows:
        assert got[i]["text"] == (None if t is None else r.redact(t))
    assert got[-1]["pii"] is None

    counts = counts_by_label(clean, "pii")
    _, expected = r.redact_batch_with_counts(sample_texts * 20)
    assert counts == expected
    md = shardscrub.report_markdown(counts, documents=clean.count())
    assert f"Scanned {len(rows):,} documents" in md
    assert "| EMAIL_ADDRESS |" in md


def test_the_example_writes_data_and_report(spark, tmp_path, sample_texts):
    import importlib.util
    import json
    from pathlib import Path

    from conftest import SAMPLE_JSONL

    path = Path(__file__).resolve().parents[1] / "examples" / "spark_redact.py"
    spec = importlib.util.spec_from_file_location("spark_redact", path)
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    counts = example.main(spark, str(SAMPLE_JSONL), str(tmp_path))
    _, expected = shardscrub.Redactor().redact_batch_with_counts(sample_texts)
    assert counts == expected
    written = [json.loads(line) for f in (tmp_path / "data").glob("part-*.json") for line in f.read_text().splitlines()]
    assert sorted(d["text"] for d in written) == sorted(shardscrub.Redactor().redact_batch(sample_texts))
    assert "| EMAIL_ADDRESS |" in (tmp_path / "redaction-report.md").read_text()
