"""Redact a JSONL dataset with Spark and write the report for its dataset card.

    python examples/spark_redact.py INPUT_JSONL_OR_DIR OUT_DIR [--master local[*]]

Reads the documents (a `text` field), redacts them on every executor with shardscrub
(Arrow batches, all cores, no GIL), writes the redacted documents as JSONL to
OUT_DIR/data and the merged counts to OUT_DIR/redaction-report.md and .json. On a
cluster, give `--master yarn` (or submit with spark-submit) and install the shardscrub
wheel in the executors' Python environment.
"""

import argparse
import json
import os
import sys

from shardscrub import report_markdown
from shardscrub.spark import counts_by_label, redact_dataframe


def main(spark, source: str, out: str) -> dict:
    """Redacts `source` into `out`; returns the merged counts per label."""
    df = spark.read.json(source)
    clean = redact_dataframe(df, column="text", counts_column="pii").cache()
    clean.drop("pii").write.mode("overwrite").json(os.path.join(out, "data"))
    counts = counts_by_label(clean, "pii")
    documents = clean.count()
    with open(os.path.join(out, "redaction-report.json"), "w", encoding="utf-8") as f:
        json.dump({"documents": documents, "labels": counts}, f, indent=2)
    with open(os.path.join(out, "redaction-report.md"), "w", encoding="utf-8") as f:
        f.write(report_markdown(counts, documents))
    return counts


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("source")
    ap.add_argument("out")
    ap.add_argument("--master", default="local[*]")
    args = ap.parse_args()
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    spark = SparkSession.builder.master(args.master).appName("shardscrub").getOrCreate()
    try:
        os.makedirs(args.out, exist_ok=True)
        print(json.dumps(main(spark, args.source, args.out), indent=2))
    finally:
        spark.stop()
