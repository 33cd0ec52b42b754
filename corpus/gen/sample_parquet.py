"""Writes corpus/sample.parquet: the documents of corpus/sample.jsonl as a Parquet shard
shaped like the ones the Hugging Face Hub serves (written by pyarrow, a `huggingface`
key-value entry, two row groups, zstd text and snappy elsewhere), with a nested struct
(`meta`) and a list column (`tags`, null in some rows; some elements hold an address).

    python corpus/gen/sample_parquet.py corpus/sample.jsonl corpus/sample.parquet
"""

import json
import sys

import pyarrow as pa
import pyarrow.parquet as pq


def main(src: str, dest: str) -> None:
    rows = [json.loads(line) for line in open(src, encoding="utf-8")]
    for r in rows:
        i = r["id"]
        # Every seventh row has no tags; every fifth names an (invented) editor address.
        r["tags"] = None if i % 7 == 0 else [f"lang:{r['meta']['lang']}", "forum"]
        if r["tags"] is not None and i % 5 == 0:
            r["tags"].append(f"reviewed by editor{i}@corp.eu")
    schema = pa.schema(
        [
            pa.field("id", pa.int64(), nullable=False),
            pa.field("text", pa.string(), metadata={b"description": b"the document"}),
            pa.field("url", pa.string()),
            pa.field(
                "meta",
                pa.struct(
                    [
                        ("fetched", pa.string()),
                        ("lang", pa.string()),
                        ("score", pa.float64()),
                        ("title", pa.string()),
                    ]
                ),
            ),
            pa.field("tags", pa.list_(pa.string())),
        ]
    )
    features = {name: {"dtype": "string", "_type": "Value"} for name in ("text", "url")}
    hub = {"info": {"features": features}}
    table = pa.Table.from_pylist(rows, schema=schema).replace_schema_metadata(
        {b"huggingface": json.dumps(hub).encode()}
    )
    codecs = {c: "snappy" for c in ("id", "url", "meta.fetched", "meta.lang", "meta.score",
                                     "meta.title", "tags.list.element")}
    codecs["text"] = "zstd"
    pq.write_table(table, dest, row_group_size=14, compression=codecs)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
