"""Parquet shards through `redact_files`, read back with pyarrow: layout and every other
column kept, each scanned value as `Redactor.redact` makes it; and the datatrove step
between datatrove's Parquet reader and writer."""

import datetime
import decimal
import json

import pytest

pa = pytest.importorskip("pyarrow", reason="pip install pyarrow (the test extra)")
pq = pytest.importorskip("pyarrow.parquet")

import shardscrub  # noqa: E402
from conftest import SAMPLE_PARQUET  # noqa: E402


def layout(path):
    f = pq.ParquetFile(path)
    m = f.metadata
    groups = [m.row_group(i) for i in range(m.num_row_groups)]
    return {
        "arrow_schema": f.schema_arrow,
        "parquet_schema": str(f.schema).split("\n", 1)[1],  # after the object address
        "key_value": m.metadata,
        "row_groups": [g.num_rows for g in groups],
        "codecs": [[g.column(j).compression for j in range(g.num_columns)] for g in groups],
    }


def redacted(values, r):
    """Each string as the library redacts it alone; lists element by element."""
    out = []
    for v in values:
        if isinstance(v, list):
            out.append([None if e is None else r.redact(e) for e in v])
        else:
            out.append(None if v is None else r.redact(v))
    return out


def test_sample_keeps_layout_and_other_columns(tmp_path):
    fields = ["text", "meta.title", "tags"]
    report = shardscrub.redact_files([SAMPLE_PARQUET], tmp_path / "out", fields=fields)
    out = tmp_path / "out" / "sample.parquet"
    assert layout(out) == layout(SAMPLE_PARQUET)
    assert layout(out)["arrow_schema"].metadata[b"huggingface"]
    a, b = pq.read_table(SAMPLE_PARQUET), pq.read_table(out)
    for name in ("id", "url"):
        assert a[name].equals(b[name]), name
    ma, mb = a["meta"].combine_chunks(), b["meta"].combine_chunks()
    for name in ("fetched", "lang", "score"):
        assert ma.field(name).equals(mb.field(name)), name
    r = shardscrub.Redactor()
    assert b["text"].to_pylist() == redacted(a["text"].to_pylist(), r)
    assert mb.field("title").to_pylist() == redacted(ma.field("title").to_pylist(), r)
    assert b["tags"].to_pylist() == redacted(a["tags"].to_pylist(), r)
    assert b["text"].to_pylist() != a["text"].to_pylist()
    assert report["totals"]["documents"] == a.num_rows
    assert report["shards"][0]["format"] == "parquet"


def test_other_types_round_trip(tmp_path):
    """Types the sample does not have: large strings, string views, dictionaries, timestamps with a
    zone, decimals, binary, nested lists, nulls everywhere; several codecs."""
    n = 50
    cols = {
        "body": pa.array([None if i % 9 == 0 else f"row {i}: mail ann{i}@corp.eu" for i in range(n)], pa.large_string()),
        "lang": pa.array(["en", "de"] * (n // 2)).dictionary_encode(),
        "ts": pa.array([datetime.datetime(2024, 1, 1, i % 24, tzinfo=datetime.timezone.utc) for i in range(n)], pa.timestamp("us", tz="UTC")),
        "price": pa.array([decimal.Decimal(f"{i}.25") for i in range(n)], pa.decimal128(10, 2)),
        "raw": pa.array([bytes([i]) * 3 for i in range(n)], pa.binary()),
        "nested": pa.array([[[i], [i, i + 1]] if i % 4 else None for i in range(n)], pa.list_(pa.list_(pa.int32()))),
        "flag": pa.array([None if i % 5 == 0 else i % 2 == 0 for i in range(n)], pa.bool_()),
        "note": pa.array([f"see bo{i}@corp.eu" if i % 3 else None for i in range(n)], pa.string_view()),
    }
    table = pa.table(cols).replace_schema_metadata({b"pandas": b"{}", b"note": b"kept"})
    src = tmp_path / "in" / "t.parquet"
    src.parent.mkdir()
    pq.write_table(table, src, row_group_size=16, compression={"body": "gzip", "lang": "zstd", "ts": "lz4", "price": "none", "raw": "snappy", "nested": "zstd", "flag": "snappy"})
    shardscrub.redact_files(src.parent, tmp_path / "out", fields=["body", "note"], threads=2)
    out = tmp_path / "out" / "t.parquet"
    assert layout(out) == layout(src)
    a, b = pq.read_table(src), pq.read_table(out)
    assert a.schema.equals(b.schema, check_metadata=True)
    for name in cols:
        if name not in ("body", "note"):
            assert a[name].equals(b[name]), name
    assert b["body"].to_pylist() == redacted(a["body"].to_pylist(), shardscrub.Redactor())
    assert b["note"].to_pylist() == redacted(a["note"].to_pylist(), shardscrub.Redactor())
    assert b["note"].to_pylist() != a["note"].to_pylist()
    assert b["body"].null_count == a["body"].null_count > 0


def test_bad_parquet_names_the_file_and_column(tmp_path):
    bad = tmp_path / "bad.parquet"
    bad.write_bytes(SAMPLE_PARQUET.read_bytes()[:-20])
    with pytest.raises(shardscrub.ShardscrubError, match="not a readable Parquet file") as e:
        shardscrub.redact_files(bad, tmp_path / "out")
    assert str(bad) in str(e.value)
    with pytest.raises(shardscrub.ShardscrubError, match='column "id" is Int64') as e:
        shardscrub.redact_files(SAMPLE_PARQUET, tmp_path / "out", fields=["id"])
    assert "sample.parquet" in str(e.value)
    assert not (tmp_path / "out" / "bad.parquet").exists()
    assert not (tmp_path / "out" / "sample.parquet").exists()


def test_datatrove_step_between_parquet_reader_and_writer(tmp_path):
    pytest.importorskip("datatrove")
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import ParquetReader
    from datatrove.pipeline.writers import ParquetWriter

    from shardscrub.datatrove import PIIRedactor

    out = tmp_path / "out"
    LocalPipelineExecutor(
        pipeline=[
            ParquetReader(str(SAMPLE_PARQUET.parent), glob_pattern="sample.parquet"),
            PIIRedactor(),
            ParquetWriter(str(out)),
        ],
        tasks=1,
        logging_dir=str(tmp_path / "logs"),
    ).run()
    written = [t for f in sorted(out.glob("*.parquet")) for t in pq.read_table(f)["text"].to_pylist()]
    source = pq.read_table(SAMPLE_PARQUET)["text"].to_pylist()
    assert written == shardscrub.Redactor().redact_batch(source)
    stats = json.loads((tmp_path / "logs" / "stats.json").read_text())
    assert any(s["name"].endswith(PIIRedactor.name) for s in stats)
