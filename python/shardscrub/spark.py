"""Apache Spark: redact a DataFrame's text column on every executor with ``mapInArrow``.

::

    from shardscrub.spark import redact_dataframe, counts_by_label
    from shardscrub import report_markdown

    clean = redact_dataframe(df, column="text", counts_column="pii")
    clean.drop("pii").write.parquet("clean/")
    counts = counts_by_label(clean, "pii")          # summed by Spark over all partitions
    print(report_markdown(counts, documents=clean.count()))

The same code runs in local mode and on a cluster: each executor imports ``shardscrub``
(install the wheel on the workers, e.g. ``--py-files`` is not enough for a native
module; use ``pip install`` in the image or ``spark.archives`` with a packed venv) and
redacts its Arrow batches on its own cores without the GIL.
"""

from __future__ import annotations

from typing import Any, Callable, Iterator, Optional

from . import Redactor


def redact_batches(
    column: str = "text",
    counts_column: Optional[str] = None,
    threads: Optional[int] = None,
    **options: Any,
) -> Callable[[Iterator], Iterator]:
    """The function to give ``DataFrame.mapInArrow``: it replaces ``column`` of every
    Arrow batch by its redaction and, with ``counts_column``, appends each row's
    findings per label as a ``map<string, bigint>``. Null texts stay null. Other keyword
    arguments are :class:`shardscrub.Redactor`'s; the redactor is sent to the executors
    by its options."""
    redactor = Redactor(**options)

    def run(batches: Iterator) -> Iterator:
        import pyarrow as pa

        for batch in batches:
            texts = batch.column(column).to_pylist()
            present = [i for i, t in enumerate(texts) if t is not None]
            redacted, counts = redactor.redact_batch_per_document(
                [texts[i] for i in present], threads=threads
            )
            out: list = [None] * len(texts)
            per_row: list = [None] * len(texts)
            for i, text, c in zip(present, redacted, counts):
                out[i] = text
                per_row[i] = list(c.items())
            at = batch.schema.get_field_index(column)
            batch = batch.set_column(at, column, pa.array(out, pa.string()))
            if counts_column is not None:
                kind = pa.map_(pa.string(), pa.int64())
                batch = batch.append_column(counts_column, pa.array(per_row, kind))
            yield batch

    return run


def redact_dataframe(
    df: Any,
    column: str = "text",
    counts_column: Optional[str] = None,
    threads: Optional[int] = None,
    **options: Any,
) -> Any:
    """``df`` with ``column`` redacted (and ``counts_column`` added), lazily, through
    ``mapInArrow``."""
    from pyspark.sql.types import LongType, MapType, StringType, StructField, StructType

    # A new StructType: `df.schema.add` would change the DataFrame's own cached schema.
    fields = list(df.schema.fields)
    if counts_column is not None:
        fields.append(StructField(counts_column, MapType(StringType(), LongType())))
    schema = StructType(fields)
    return df.mapInArrow(redact_batches(column, counts_column, threads, **options), schema)


def counts_by_label(df: Any, counts_column: str) -> dict:
    """Findings and documents per label over the whole DataFrame,
    ``{label: {"documents": n, "findings": m}}``: each partition sums its rows, Spark
    merges the partial sums."""
    from pyspark.sql import functions as F

    rows = (
        df.select(F.explode(F.col(counts_column)).alias("label", "n"))
        .groupBy("label")
        .agg(F.count("*").alias("documents"), F.sum("n").alias("findings"))
        .collect()
    )
    return {
        r["label"]: {"documents": int(r["documents"]), "findings": int(r["findings"])}
        for r in sorted(rows, key=lambda r: r["label"])
    }
