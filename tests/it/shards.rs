//! The binary on shard files: formats, output layout, and the invariants of DESIGN.md
//! (nothing lost, bytes outside spans kept, deterministic for any thread count,
//! idempotent, atomic, resumable).

use crate::util::{
    SAMPLE_JSONL, SAMPLE_PARQUET, SAMPLE_TXT, TempDir, gzip, ok, ok_env, read_any, redact_sample,
    report, run, run_with_env, zstd,
};
use serde_json::Value;

const EXPECTED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus/expected");

/// The golden outputs of the sample corpus, and its report's Markdown section and chart
/// (shown in the README). After an intended change in the rules, the output or the
/// report, regenerate them with `SHARDSCRUB_BLESS=1 cargo test golden`.
#[test]
fn golden_sample_outputs() {
    let out = TempDir::new("golden");
    redact_sample(&[SAMPLE_JSONL, SAMPLE_TXT, SAMPLE_PARQUET], &out.path(""));
    for name in [
        "sample.jsonl",
        "sample.txt",
        "sample.parquet",
        "redaction-report.md",
        "redaction-report.svg",
    ] {
        let got = std::fs::read(out.path(name)).unwrap();
        let want_path = format!("{EXPECTED}/{name}");
        if std::env::var_os("SHARDSCRUB_BLESS").is_some() {
            std::fs::create_dir_all(EXPECTED).unwrap();
            std::fs::write(&want_path, &got).unwrap();
        }
        let want = std::fs::read(&want_path).expect("golden file (SHARDSCRUB_BLESS=1 writes it)");
        assert!(
            got == want,
            "{name} differs from corpus/expected/{name}:\n{}",
            String::from_utf8_lossy(&got)
        );
    }
}

/// Every line has one output line, and the only bytes that differ lie inside the raw
/// string literal of a scanned field: other fields, key order, escapes and whitespace are
/// byte-identical.
#[test]
fn jsonl_lines_change_only_inside_scanned_fields() {
    let dir = TempDir::new("splice");
    let input = concat!(
        "{\"id\":1,  \"text\":\"mail jane.doe@corp.eu \\u00e9\\n \\\"q\\\"\", \"n\": 1.50e3, \"meta\":{\"title\":\"by joe@corp.eu\",\"t\":\"x@corp.eu\"}}\n",
        "{\"meta\":{\"title\":\"none\"},\"text\":\"caf\\u00e9 +44 20 7946 0958\\t81.2.69.160\"}\r\n",
        "\n",
        "{\"text\":\"no finding\",\"meta\":{\"title\":\"t\"}}"
    );
    let shard = dir.file("in/a.jsonl", input);
    ok(&[
        "redact",
        &shard,
        "--field",
        "text",
        "--field",
        "meta.title",
        "--out",
        &dir.path("out"),
        "-q",
    ]);
    let output = std::fs::read_to_string(dir.path("out/a.jsonl")).unwrap();
    let (ins, outs): (Vec<&str>, Vec<&str>) = (
        input.split_inclusive('\n').collect(),
        output.split_inclusive('\n').collect(),
    );
    assert_eq!(ins.len(), outs.len(), "{output}");
    assert!(output.ends_with("}}"), "no final newline is added");
    for (i, o) in ins.iter().zip(&outs) {
        if i.trim().is_empty() {
            assert_eq!(i, o);
            continue;
        }
        let iv: Value = serde_json::from_str(i).unwrap();
        let ov: Value = serde_json::from_str(o).unwrap();
        // Only the scanned fields may differ in value...
        let mut iv2 = iv.clone();
        let mut ov2 = ov.clone();
        for v in [&mut iv2, &mut ov2] {
            v["text"] = Value::Null;
            v["meta"]["title"] = Value::Null;
        }
        assert_eq!(iv2, ov2);
        // ...and the changed bytes lie within one of their literals.
        let pre = i.bytes().zip(o.bytes()).take_while(|(a, b)| a == b).count();
        let suf = i
            .bytes()
            .rev()
            .zip(o.bytes().rev())
            .take_while(|(a, b)| a == b)
            .count();
        if pre == i.len() && i.len() == o.len() {
            continue;
        }
        let text_lit = literal_range(i, "\"text\":");
        let title_lit = literal_range(i, "\"title\":");
        let changed = pre..i.len() - suf.min(i.len() - pre);
        let inside = |r: &std::ops::Range<usize>| r.start <= changed.start && changed.end <= r.end;
        assert!(
            inside(&text_lit)
                || inside(&title_lit)
                || (text_lit.start <= changed.start
                    && changed.end <= title_lit.end.max(text_lit.end)),
            "line changed outside the scanned literals: {i:?} -> {o:?}"
        );
    }
    assert!(outs[0].contains("\"n\": 1.50e3"), "numbers keep their form");
    assert!(
        outs[0].contains("\\u00e9\\n \\\"q\\\""),
        "escapes outside spans are kept"
    );
    assert!(
        outs[0].contains("\"t\":\"x@corp.eu\""),
        "unscanned fields are untouched"
    );
    assert!(outs[0].contains("\"title\":\"by <EMAIL_ADDRESS>\""));
    assert!(
        outs[1].contains("caf\\u00e9 <PHONE_NUMBER>\\t<IP_ADDRESS>"),
        "{}",
        outs[1]
    );
    assert!(outs[1].ends_with("}\r\n"), "CRLF kept");
}

/// Byte range of the string literal following `key` in a raw JSON line.
fn literal_range(line: &str, key: &str) -> std::ops::Range<usize> {
    let k = line.find(key).unwrap() + key.len();
    let start = k + line[k..].find('"').unwrap();
    let mut end = start + 1;
    let b = line.as_bytes();
    while b[end] != b'"' {
        end += if b[end] == b'\\' { 2 } else { 1 };
    }
    start..end + 1
}

/// The same shard through every path: mapped plain file, gzip and zstd streams, standard
/// input; 1 or 4 threads; tiny chunks (many cuts) or default ones. All outputs and
/// counts must be byte-identical.
#[test]
fn every_path_and_thread_count_gives_identical_bytes() {
    let dir = TempDir::new("paths");
    let mut text = std::fs::read(SAMPLE_JSONL).unwrap();
    for _ in 0..5 {
        text.extend_from_within(..);
    }
    dir.bytes("in/s.jsonl", &text);
    dir.bytes("in/s.jsonl.gz", &gzip(&text));
    dir.bytes("in/s.jsonl.zst", &zstd(&text));
    let mut outputs = Vec::new();
    for (threads, chunk) in [("1", "1048576"), ("4", "64"), ("2", "7")] {
        let out = dir.path(&format!("out-{threads}-{chunk}"));
        ok_env(
            &[
                "redact",
                &dir.path("in"),
                "--threads",
                threads,
                "--out",
                &out,
                "-q",
            ],
            &[("SHARDSCRUB_CHUNK_BYTES", chunk)],
        );
        for name in ["s.jsonl", "s.jsonl.gz", "s.jsonl.zst"] {
            outputs.push((
                format!("{threads}/{chunk}/{name}"),
                read_any(&format!("{out}/{name}")),
            ));
        }
        let r = report(&out);
        outputs.push((
            format!("{threads}/{chunk}/totals"),
            r["totals"].to_string().into_bytes(),
        ));
    }
    let stdin = run(&["redact", "--format", "jsonl"], &text);
    assert_eq!(stdin.code, 0, "{}", stdin.stderr);
    let first = &outputs[0].1;
    assert!(
        first.len() > 1000 && first != &text,
        "the sample has findings"
    );
    assert_eq!(
        stdin.stdout.as_bytes(),
        &first[..],
        "stdin stream == mapped file"
    );
    for (name, bytes) in &outputs {
        if name.ends_with("totals") {
            assert_eq!(bytes, &outputs[3].1, "{name}");
        } else {
            assert!(bytes == first, "{name} differs from the first output");
        }
    }
}

#[test]
fn a_second_pass_finds_nothing_to_redact() {
    let dir = TempDir::new("idem");
    redact_sample(&[SAMPLE_JSONL, SAMPLE_TXT], &dir.path("once"));
    let (j, t) = (dir.path("once/sample.jsonl"), dir.path("once/sample.txt"));
    redact_sample(&[&j, &t], &dir.path("twice"));
    for name in ["sample.jsonl", "sample.txt"] {
        assert_eq!(
            read_any(&dir.path(&format!("once/{name}"))),
            read_any(&dir.path(&format!("twice/{name}"))),
            "{name}"
        );
    }
    assert_eq!(report(&dir.path("twice"))["totals"]["findings"], 0);
}

#[test]
fn directories_are_mirrored_with_their_compression_and_glob_picks_files() {
    let dir = TempDir::new("mirror");
    dir.file("in/a/x.jsonl", "{\"text\":\"jane@corp.eu\"}\n");
    dir.bytes("in/a/b/y.txt.gz", &gzip(b"ip 81.2.69.160\n"));
    dir.bytes("in/z.txt.zst", &zstd(b"call +44 20 7946 0958\n"));
    dir.file("in/notes.md", "jane@corp.eu\n");
    dir.file("in/.hidden/h.txt", "jane@corp.eu\n");
    ok(&[
        "redact",
        &dir.path("in"),
        "--out",
        &dir.path("in/out"),
        "-q",
    ]);
    let mut files: Vec<String> = dir
        .files()
        .into_iter()
        .filter(|f| f.starts_with("in/out/"))
        .collect();
    files.sort();
    assert_eq!(
        files,
        [
            "in/out/a/b/y.txt.gz",
            "in/out/a/b/y.txt.gz.stats.json",
            "in/out/a/x.jsonl",
            "in/out/a/x.jsonl.stats.json",
            "in/out/redaction-report.json",
            "in/out/redaction-report.md",
            "in/out/redaction-report.svg",
            "in/out/training-content-summary.md",
            "in/out/z.txt.zst",
            "in/out/z.txt.zst.stats.json",
        ]
    );
    assert_eq!(
        read_any(&dir.path("in/out/a/b/y.txt.gz")),
        b"ip <IP_ADDRESS>\n"
    );
    assert_eq!(
        read_any(&dir.path("in/out/z.txt.zst")),
        b"call <PHONE_NUMBER>\n"
    );
    // The output directory inside the input is not walked on a second run.
    ok(&[
        "redact",
        &dir.path("in"),
        "--out",
        &dir.path("in/out"),
        "-q",
    ]);
    let r = report(&dir.path("in/out"));
    assert_eq!(r["shards"].as_array().unwrap().len(), 3);
    // --glob picks files by their path below the directory.
    ok(&[
        "redact",
        &dir.path("in"),
        "--glob",
        "**/*.md",
        "--format",
        "text",
        "--out",
        &dir.path("md"),
        "-q",
    ]);
    assert_eq!(
        std::fs::read_to_string(dir.path("md/notes.md")).unwrap(),
        "<EMAIL_ADDRESS>\n"
    );
}

#[test]
fn scan_prints_every_document_in_input_order() {
    let dir = TempDir::new("scanfiles");
    let a = dir.file("a.jsonl", "{\"text\":\"x\",\"meta\":{\"title\":\"jane@corp.eu\"}}\n\n{\"text\":\"ip 81.2.69.160\",\"meta\":{\"title\":\"\"}}\n");
    let b = dir.file("b.txt", "é jane@corp.eu\n");
    let r = run(
        &["scan", &a, &b, "--field", "text", "--field", "meta.title"],
        b"",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines: Vec<Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let summary: Vec<(String, u64, usize)> = lines
        .iter()
        .map(|l| {
            (
                l["shard"]
                    .as_str()
                    .unwrap()
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .to_owned(),
                l["line"].as_u64().unwrap(),
                l["spans"].as_array().unwrap().len(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("a.jsonl".into(), 1, 1),
            ("a.jsonl".into(), 3, 1),
            ("b.txt".into(), 1, 1)
        ]
    );
    assert_eq!(lines[0]["spans"][0]["field"], "meta.title");
    assert_eq!(lines[1]["spans"][0]["field"], "text");
    assert_eq!(
        lines[2]["spans"][0]["start"], 3,
        "byte offsets into the decoded text"
    );
}

#[test]
fn counts_in_the_report_match_the_documents() {
    let dir = TempDir::new("counts");
    let shard = dir.file(
        "c.txt",
        "a jane@corp.eu b joe@corp.eu\nnothing\nip 81.2.69.160 and 89.160.20.112 and x@corp.eu\nfine\n",
    );
    ok(&[
        "redact",
        &shard,
        "--drop-doc-over",
        "2",
        "--out",
        &dir.path("out"),
        "-q",
    ]);
    assert_eq!(
        std::fs::read_to_string(dir.path("out/c.txt")).unwrap(),
        "a <EMAIL_ADDRESS> b <EMAIL_ADDRESS>\nnothing\nfine\n",
        "the document with 3 findings is dropped"
    );
    let t = &report(&dir.path("out"))["totals"];
    assert_eq!(
        (
            t["lines"].as_u64(),
            t["documents"].as_u64(),
            t["redacted"].as_u64()
        ),
        (Some(4), Some(4), Some(1))
    );
    assert_eq!(
        (t["dropped"].as_u64(), t["dropped_findings"].as_u64()),
        (Some(1), Some(3))
    );
    assert_eq!(
        t["labels"]["EMAIL_ADDRESS"],
        serde_json::json!({"findings": 2, "documents": 1})
    );
    assert_eq!(t["rules"]["email"]["findings"], 2);
    assert!(
        t["labels"].get("IP_ADDRESS").is_none(),
        "dropped findings are counted apart"
    );
}

#[test]
fn record_file_makes_each_file_one_document() {
    let dir = TempDir::new("recfile");
    let shard = dir.file("doc.txt", "line one jane@corp.eu\nline two\n");
    ok(&[
        "redact",
        &shard,
        "--record",
        "file",
        "--out",
        &dir.path("out"),
        "-q",
    ]);
    assert_eq!(
        std::fs::read_to_string(dir.path("out/doc.txt")).unwrap(),
        "line one <EMAIL_ADDRESS>\nline two\n"
    );
    let t = &report(&dir.path("out"))["totals"];
    assert_eq!(t["documents"], 1);
}

#[test]
fn resume_skips_finished_shards_and_redoes_changed_settings() {
    let dir = TempDir::new("resume");
    dir.file("in/a.txt", "jane@corp.eu\n");
    dir.file("in/b.txt", "81.2.69.160\n");
    let out = dir.path("out");
    ok(&["redact", &dir.path("in"), "--out", &out, "-q"]);
    let first = std::fs::read(dir.path("out/a.txt")).unwrap();
    let stats = |name: &str| std::fs::read(dir.path(&format!("out/{name}.stats.json"))).unwrap();
    let (a_stats, b_stats) = (stats("a.txt"), stats("b.txt"));
    std::fs::remove_file(dir.path("out/b.txt")).unwrap();
    let r = run(
        &["redact", &dir.path("in"), "--out", &out, "--resume", "-q"],
        b"",
    );
    assert!(
        r.stderr
            .contains("(1 resumed, 0 skipped, 0 duplicate inputs counted once)"),
        "{}",
        r.stderr
    );
    assert_eq!(stats("a.txt"), a_stats, "a.txt was taken over as it was");
    assert_ne!(stats("b.txt"), b_stats, "b.txt was redone");
    assert_eq!(
        report(&out)["totals"]["findings"],
        2,
        "resumed shards count from their stats"
    );
    assert_eq!(std::fs::read(dir.path("out/a.txt")).unwrap(), first);
    assert_eq!(
        std::fs::read_to_string(dir.path("out/b.txt")).unwrap(),
        "<IP_ADDRESS>\n"
    );
    // Other settings: every shard is redone.
    ok(&[
        "redact",
        &dir.path("in"),
        "--out",
        &out,
        "--resume",
        "--style",
        "mask",
        "-q",
    ]);
    assert_ne!(stats("a.txt"), a_stats, "a.txt was redone");
    assert_eq!(
        std::fs::read_to_string(dir.path("out/a.txt")).unwrap(),
        "****@****.**\n"
    );
}

#[test]
fn a_failed_shard_leaves_no_file_under_its_final_name() {
    let dir = TempDir::new("atomic");
    let mut big = String::new();
    for i in 0..20_000 {
        big.push_str(&format!("{{\"text\":\"line {i} jane@corp.eu\"}}\n"));
    }
    big.push_str("{\"text\": 7}\n");
    dir.file("in/a.jsonl", "{\"text\":\"ok\"}\n");
    dir.file("in/b.jsonl", &big);
    let r = run_with_env(
        &["redact", &dir.path("in"), "--out", &dir.path("out")],
        b"",
        &[("SHARDSCRUB_CHUNK_BYTES", "4096")],
    );
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("b.jsonl:20001: field \"text\" is a number, not a string"),
        "{}",
        r.stderr
    );
    let files: Vec<String> = dir
        .files()
        .into_iter()
        .filter(|f| f.starts_with("out/"))
        .collect();
    assert_eq!(
        files,
        ["out/a.jsonl", "out/a.jsonl.stats.json"],
        "no b.jsonl, no temporary file"
    );
    // The finished shard is kept, and --resume goes on from there once the input is fixed.
    dir.file(
        "in/b.jsonl",
        &big.replace("{\"text\": 7}", "{\"text\": \"7\"}"),
    );
    ok(&[
        "redact",
        &dir.path("in"),
        "--out",
        &dir.path("out"),
        "--resume",
        "-q",
    ]);
    assert_eq!(
        std::fs::read_to_string(dir.path("out/b.jsonl"))
            .unwrap()
            .lines()
            .count(),
        20_001
    );
}
