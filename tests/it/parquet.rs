//! Parquet shards through the binary: what is kept (schema, key-value metadata, row
//! groups, codecs, every other column, nulls), what changes (each scanned value exactly as
//! `Redactor::redact` makes it), the same findings as the same documents in JSONL, the
//! same output for any thread count, rows dropped and bad rows, and bad files.

use crate::util::{SAMPLE_JSONL, SAMPLE_PARQUET, TempDir, ok, ok_env, report, run};
use arrow_array::cast::AsArray;
use arrow_array::{Array, RecordBatch};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::file::metadata::ParquetMetaData;
use std::sync::Arc;

const FIELDS: [&str; 6] = [
    "--field",
    "text",
    "--field",
    "meta.title",
    "--field",
    "tags",
];

/// The file's metadata and its rows as one batch.
fn read(path: &str) -> (Arc<ParquetMetaData>, RecordBatch) {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let b = ParquetRecordBatchReaderBuilder::try_new(file).unwrap();
    let meta = b.metadata().clone();
    let schema = b.schema().clone();
    let batches: Vec<RecordBatch> = b.build().unwrap().map(Result::unwrap).collect();
    (
        meta,
        arrow_select::concat::concat_batches(&schema, &batches).unwrap(),
    )
}

fn redact(args: &[&str], out: &str) -> (Arc<ParquetMetaData>, RecordBatch) {
    let mut all = vec!["redact", SAMPLE_PARQUET, "--out", out, "-q"];
    all.extend_from_slice(args);
    ok(&all);
    read(&format!("{out}/sample.parquet"))
}

/// Each value of string array `a` (nulls as `None`).
fn strings(a: &dyn Array) -> Vec<Option<String>> {
    let a = a.as_string::<i32>();
    (0..a.len())
        .map(|k| a.is_valid(k).then(|| a.value(k).to_owned()))
        .collect()
}

#[test]
fn keeps_the_layout_and_changes_only_the_scanned_values() {
    let dir = TempDir::new("parquet-layout");
    let (meta_in, rows_in) = read(SAMPLE_PARQUET);
    let (meta_out, rows_out) = redact(&FIELDS, &dir.path(""));
    // Schema as stored (names, types, repetition) and as Arrow reads it (field metadata).
    assert_eq!(
        meta_in.file_metadata().schema_descr().root_schema(),
        meta_out.file_metadata().schema_descr().root_schema()
    );
    assert_eq!(rows_in.schema(), rows_out.schema());
    assert_eq!(
        meta_in.file_metadata().key_value_metadata(),
        meta_out.file_metadata().key_value_metadata()
    );
    let groups =
        |m: &ParquetMetaData| -> Vec<i64> { m.row_groups().iter().map(|g| g.num_rows()).collect() };
    assert_eq!(groups(&meta_in), vec![14, 14]);
    assert_eq!(groups(&meta_in), groups(&meta_out));
    for (g_in, g_out) in meta_in.row_groups().iter().zip(meta_out.row_groups()) {
        for (c_in, c_out) in g_in.columns().iter().zip(g_out.columns()) {
            assert_eq!(
                c_in.compression(),
                c_out.compression(),
                "{}",
                c_in.column_path()
            );
        }
    }
    // Columns without a scanned field are copied as stored: the same bytes.
    let (bytes_in, bytes_out) = (
        std::fs::read(SAMPLE_PARQUET).unwrap(),
        std::fs::read(dir.path("sample.parquet")).unwrap(),
    );
    let chunk = |bytes: &[u8], c: &parquet::file::metadata::ColumnChunkMetaData| {
        let (start, len) = c.byte_range();
        bytes[start as usize..(start + len) as usize].to_vec()
    };
    let mut copied = 0;
    for (g_in, g_out) in meta_in.row_groups().iter().zip(meta_out.row_groups()) {
        for (c_in, c_out) in g_in.columns().iter().zip(g_out.columns()) {
            let root = c_in.column_path().parts()[0].as_str();
            if root == "id" || root == "url" {
                assert_eq!(
                    chunk(&bytes_in, c_in),
                    chunk(&bytes_out, c_out),
                    "{}",
                    c_in.column_path()
                );
                copied += 1;
            }
        }
    }
    assert_eq!(copied, 4);
    // Untouched columns hold the same values; so do the struct's other fields.
    for name in ["id", "url"] {
        assert_eq!(
            rows_in.column_by_name(name),
            rows_out.column_by_name(name),
            "{name}"
        );
    }
    let (meta_a, meta_b) = (
        rows_in.column_by_name("meta").unwrap().as_struct(),
        rows_out.column_by_name("meta").unwrap().as_struct(),
    );
    for name in ["fetched", "lang", "score"] {
        assert_eq!(
            meta_a.column_by_name(name),
            meta_b.column_by_name(name),
            "meta.{name}"
        );
    }
    assert_eq!(meta_a.nulls(), meta_b.nulls());
    // Scanned values: each one as the library redacts it alone, nulls still null.
    let redactor = shardscrub::Redactor::new().unwrap();
    let mut changed = 0;
    let mut check = |a: &dyn Array, b: &dyn Array, what: &str| {
        for (k, (x, y)) in strings(a).into_iter().zip(strings(b)).enumerate() {
            let want = x.as_ref().map(|x| redactor.redact(x).text);
            changed += usize::from(want != x);
            assert_eq!(want, y, "{what} value {k}");
        }
    };
    check(
        rows_in.column_by_name("text").unwrap(),
        rows_out.column_by_name("text").unwrap(),
        "text",
    );
    check(
        meta_a.column_by_name("title").unwrap(),
        meta_b.column_by_name("title").unwrap(),
        "meta.title",
    );
    let (tags_a, tags_b) = (
        rows_in.column_by_name("tags").unwrap().as_list::<i32>(),
        rows_out.column_by_name("tags").unwrap().as_list::<i32>(),
    );
    assert_eq!(tags_a.offsets(), tags_b.offsets());
    assert_eq!(tags_a.nulls(), tags_b.nulls());
    assert!(tags_a.null_count() > 0, "the sample has rows without tags");
    check(tags_a.values(), tags_b.values(), "tags");
    assert!(changed >= 20, "{changed} values redacted");
    let out_tags = strings(tags_b.values());
    assert!(
        out_tags
            .iter()
            .flatten()
            .any(|t| t == "reviewed by <EMAIL_ADDRESS>"),
        "a list element is redacted: {out_tags:?}"
    );
}

/// `(line, label, rule, start, end)` of every span of a `scan` output, sorted.
fn spans(scan: &str) -> Vec<(u64, String, String, u64, u64)> {
    let mut v = Vec::new();
    for line in scan.lines() {
        let o: serde_json::Value = serde_json::from_str(line).unwrap();
        for s in o["spans"].as_array().unwrap() {
            v.push((
                o["line"].as_u64().unwrap(),
                s["label"].as_str().unwrap().to_owned(),
                s["rule"].as_str().unwrap().to_owned(),
                s["start"].as_u64().unwrap(),
                s["end"].as_u64().unwrap(),
            ));
        }
    }
    v.sort();
    v
}

#[test]
fn the_same_documents_give_the_same_findings_and_counts_as_jsonl() {
    let fields = ["--field", "text", "--field", "meta.title"];
    let scan = |shard: &str| {
        let mut args = vec!["scan", shard];
        args.extend_from_slice(&fields);
        let r = run(&args, b"");
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert_eq!(r.stdout.lines().count(), 28, "one object per row");
        r.stdout
    };
    let (j, p) = (scan(SAMPLE_JSONL), scan(SAMPLE_PARQUET));
    assert!(spans(&j).len() > 20);
    assert_eq!(spans(&j), spans(&p));
    let dir = TempDir::new("parquet-vs-jsonl");
    for shard in [SAMPLE_JSONL, SAMPLE_PARQUET] {
        let out = dir.path(if shard == SAMPLE_JSONL { "j" } else { "p" });
        let mut args = vec!["redact", shard, "--out", &out, "-q"];
        args.extend_from_slice(&fields);
        ok(&args);
    }
    let (rj, rp) = (report(&dir.path("j")), report(&dir.path("p")));
    for key in [
        "documents",
        "scanned",
        "redacted",
        "findings",
        "labels",
        "rules",
        "allowed",
    ] {
        assert_eq!(rj["totals"][key], rp["totals"][key], "totals.{key}");
    }
    assert_eq!(rp["shards"][0]["format"], "parquet");
}

#[test]
fn scan_numbers_rows_across_row_groups_and_names_list_elements() {
    let mut args = vec!["scan", SAMPLE_PARQUET];
    args.extend_from_slice(&FIELDS);
    let r = run(&args, b"");
    assert_eq!(r.code, 0, "{}", r.stderr);
    let objects: Vec<serde_json::Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let lines: Vec<u64> = objects
        .iter()
        .map(|o| o["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, (1..=28).collect::<Vec<_>>());
    // Row 15 (the second row group's first) has tags with an address in element 2.
    let tagged: Vec<_> = objects
        .iter()
        .flat_map(|o| {
            o["spans"]
                .as_array()
                .unwrap()
                .iter()
                .map(move |s| (o["line"].clone(), s))
        })
        .filter(|(_, s)| s["field"] == "tags")
        .map(|(line, s)| (line.as_u64().unwrap(), s["item"].as_u64().unwrap()))
        .collect();
    assert_eq!(tagged, vec![(5, 2), (10, 2), (15, 2), (20, 2), (25, 2)]);
}

#[test]
fn output_is_the_same_for_any_thread_count_and_chunk_size() {
    let dir = TempDir::new("parquet-threads");
    let mut first: Option<Vec<u8>> = None;
    for (threads, chunk) in [("1", "1048576"), ("2", "7"), ("4", "300")] {
        let out = dir.path(&format!("{threads}-{chunk}"));
        let mut args = vec![
            "redact",
            SAMPLE_PARQUET,
            "--out",
            &out,
            "-q",
            "--threads",
            threads,
        ];
        args.extend_from_slice(&FIELDS);
        ok_env(&args, &[("SHARDSCRUB_CHUNK_BYTES", chunk)]);
        let bytes = std::fs::read(format!("{out}/sample.parquet")).unwrap();
        match &first {
            None => first = Some(bytes),
            Some(f) => assert!(*f == bytes, "threads {threads}, chunk {chunk}"),
        }
    }
}

#[test]
fn dropped_and_bad_rows_leave_the_output_and_are_counted() {
    let dir = TempDir::new("parquet-drop");
    let out = dir.path("drop");
    let (_, rows) = redact(&["--field", "text", "--drop-doc-over", "1"], &out);
    let r = report(&out);
    let dropped = r["totals"]["dropped"].as_u64().unwrap();
    assert!(dropped > 0);
    assert_eq!(rows.num_rows() as u64, 28 - dropped);
    // Rows longer than the limit: skipped (left out), kept (unredacted) or fatal.
    let skip = dir.path("skip");
    let (_, rows) = redact(&["--max-record-bytes", "100", "--on-error", "skip"], &skip);
    let skipped = report(&skip)["totals"]["skipped"].as_u64().unwrap();
    assert!(skipped > 0 && skipped < 28);
    assert_eq!(rows.num_rows() as u64, 28 - skipped);
    let keep = dir.path("keep");
    let (_, rows) = redact(&["--max-record-bytes", "100", "--on-error", "keep"], &keep);
    assert_eq!(rows.num_rows(), 28);
    assert_eq!(report(&keep)["totals"]["kept"].as_u64().unwrap(), skipped);
    let fail = dir.path("fail");
    let r = run(
        &[
            "redact",
            SAMPLE_PARQUET,
            "--out",
            &fail,
            "--max-record-bytes",
            "100",
        ],
        b"",
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    // The shard and the row (`sample.parquet:2:`), never the text.
    assert!(
        r.stderr.contains("sample.parquet:2: row holds"),
        "{}",
        r.stderr
    );
    assert!(!std::path::Path::new(&format!("{fail}/sample.parquet")).exists());
}

#[test]
fn bad_files_and_columns_are_shard_errors_with_no_output_left() {
    let dir = TempDir::new("parquet-bad");
    let sample = std::fs::read(SAMPLE_PARQUET).unwrap();
    let not = dir.path("not.parquet");
    std::fs::write(&not, b"{\"text\":\"jsonl in disguise\"}\n").unwrap();
    let truncated = dir.path("truncated.parquet");
    std::fs::write(&truncated, &sample[..sample.len() - 100]).unwrap();
    let cases: [(&str, &[&str], &str); 4] = [
        (&not, &[], "not a readable Parquet file"),
        (&truncated, &[], "not a readable Parquet file"),
        (
            SAMPLE_PARQUET,
            &["--field", "body"],
            "column \"body\" is not in the shard",
        ),
        (
            SAMPLE_PARQUET,
            &["--field", "id"],
            "column \"id\" is Int64, not a string column",
        ),
    ];
    for (i, (input, extra, why)) in cases.into_iter().enumerate() {
        let out = dir.path(&format!("out{i}"));
        let mut args = vec!["redact", input, "--out", &out];
        args.extend_from_slice(extra);
        let r = run(&args, b"");
        assert_eq!(r.code, 2, "{input} {extra:?}: {}", r.stderr);
        let name = std::path::Path::new(input)
            .file_name()
            .unwrap()
            .to_str()
            .unwrap();
        assert!(
            r.stderr.contains(name) && r.stderr.contains(why),
            "{}",
            r.stderr
        );
        let left: Vec<_> = std::fs::read_dir(&out)
            .map(|d| d.map(|e| e.unwrap().file_name()).collect())
            .unwrap_or_default();
        assert!(left.is_empty(), "left behind: {left:?}");
    }
    // Under --on-error skip a bad file is skipped and the run goes on.
    let out = dir.path("skip");
    let e = ok(&[
        "redact",
        &not,
        SAMPLE_PARQUET,
        "--out",
        &out,
        "--on-error",
        "skip",
        "-q",
    ]);
    assert!(e.contains("not.parquet"), "{e}");
    assert!(std::path::Path::new(&format!("{out}/sample.parquet")).exists());
}

#[test]
fn resume_skips_a_finished_parquet_shard() {
    let dir = TempDir::new("parquet-resume");
    let out = dir.path("out");
    let args = ["redact", SAMPLE_PARQUET, "--out", &out, "--resume"];
    ok(&args);
    let first = std::fs::read(format!("{out}/sample.parquet")).unwrap();
    let e = ok(&args);
    assert!(e.contains("1 resumed"), "{e}");
    assert_eq!(
        std::fs::read(format!("{out}/sample.parquet")).unwrap(),
        first
    );
}

#[test]
fn parquet_on_standard_input_is_refused_with_a_reason() {
    let sample = std::fs::read(SAMPLE_PARQUET).unwrap();
    let r = run(&["redact", "--format", "parquet"], &sample);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("not from a stream"), "{}", r.stderr);
}
