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
