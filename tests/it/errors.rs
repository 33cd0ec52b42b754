//! Bad input, one case a row: each must give exit 2 (under `--on-error fail`) with a
//! message naming the shard and line and the reason, never the record's text, and no
//! output under a final name; `skip` and `keep` must do what they say and count it. A
//! marker in every bad record must reach no stderr, statistics, report or audit sample.

use crate::util::{TempDir, gzip, report, run, zstd};

/// A unique marker placed in every bad record: it must never reach stderr.
const MARKER: &str = "SECRET-MARKER-4f1c";

struct Case {
    name: &'static str,
    file: &'static str,
    data: Vec<u8>,
    extra: &'static [&'static str],
    /// Expected message after "<path>": e.g. ":2: invalid UTF-8 at byte 14 of the record".
    message: &'static str,
    /// Whether the bad unit is a record (skip/keep act on it) or the whole shard.
    record: bool,
}

fn cases() -> Vec<Case> {
    let m = MARKER;
    let mut long = format!("{{\"text\":\"ok\"}}\n{{\"text\":\"{m} ");
    long.push_str(&"x".repeat(300));
    long.push_str("\"}\n{\"text\":\"jane@corp.eu\"}\n");
    // Longer than one read batch (4 MiB a thread), so the reader meets it unfinished.
    let huge = format!(
        "{{\"text\":\"ok\"}}\n{{\"text\":\"{m} {}\"}}\n{{\"text\":\"jane@corp.eu\"}}\n",
        "x".repeat(9 << 20)
    );
    let full: Vec<u8> = (0..5000)
        .flat_map(|i| {
            format!("{{\"text\":\"{i} a jane{}@corp.eu\"}}\n", i * 7919 % 1000).into_bytes()
        })
        .collect();
    vec![
        Case {
            name: "invalid UTF-8 in text",
            file: "bad.txt",
            data: [b"ok jane@corp.eu\n".as_slice(), m.as_bytes(), b" \xff\xfe here\nlast\n"].concat(),
            extra: &[],
            message: ":2: invalid UTF-8 at byte 19 of the record",
            record: true,
        },
        Case {
            name: "invalid UTF-8 in a JSON field",
            file: "bad.jsonl",
            data: [b"{\"text\":\"ok\"}\n{\"text\":\"".as_slice(), m.as_bytes(), b"\xff\"}\n{\"text\":\"ok\"}\n"].concat(),
            extra: &[],
            message: ":2: field \"text\": invalid UTF-8 at byte 27 of the line",
            record: true,
        },
        Case {
            name: "malformed JSON",
            file: "bad.jsonl",
            data: format!("{{\"text\":\"ok\"}}\n{{\"text\":\"{m}\" \"x\":1}}\n{{\"text\":\"ok\"}}\n").into_bytes(),
            extra: &[],
            message: ":2: malformed JSON at byte 29: expected ',' or '}'",
            record: true,
        },
        Case {
            name: "missing field",
            file: "bad.jsonl",
            data: format!("{{\"text\":\"ok\"}}\n{{\"body\":\"{m}\"}}\n{{\"text\":\"ok\"}}\n").into_bytes(),
            extra: &[],
            message: ":2: field \"text\" is missing",
            record: true,
        },
        Case {
            name: "non-string field",
            file: "bad.jsonl",
            data: format!("{{\"meta\":{{\"body\":\"y\"}}}}\n{{\"meta\":{{\"body\":[\"{m}\"]}}}}\n{{\"meta\":{{\"body\":\"y\"}}}}\n").into_bytes(),
            extra: &["--field", "meta.body"],
            message: ":2: field \"meta.body\" is an array, not a string",
            record: true,
        },
        Case {
            name: "record longer than --max-record-bytes (mapped)",
            file: "long.jsonl",
            data: long.clone().into_bytes(),
            extra: &["--max-record-bytes", "100"],
            message: ":2: record is 330 bytes, more than --max-record-bytes 100",
            record: true,
        },
        Case {
            name: "record longer than --max-record-bytes (stream)",
            file: "long.jsonl.gz",
            data: gzip(long.as_bytes()),
            extra: &["--max-record-bytes", "100"],
            message: ":2: record is 330 bytes, more than --max-record-bytes 100",
            record: true,
        },
        Case {
            name: "record longer than --max-record-bytes and than a read batch (stream)",
            file: "huge.jsonl.zst",
            data: zstd(huge.as_bytes()),
            extra: &["--max-record-bytes", "1MiB"],
            message: ":2: record is longer than --max-record-bytes 1048576",
            record: true,
        },
        Case {
            name: "truncated gzip",
            file: "cut.jsonl.gz",
            data: gzip(&full)[..200].to_vec(),
            extra: &[],
            // The line where the stream breaks depends on the compressor: any is fine.
            message: ":",
            record: false,
        },
        Case {
            name: "truncated zstd",
            file: "cut.jsonl.zst",
            data: zstd(&full)[..100].to_vec(),
            extra: &[],
            // The line where the stream breaks depends on the compressor: any is fine.
            message: ":",
            record: false,
        },
        Case {
            name: "empty file",
            file: "empty.jsonl",
            data: Vec::new(),
            extra: &[],
            message: ": the shard is empty",
            record: false,
        },
    ]
}

#[test]
fn bad_input_fails_with_shard_line_and_reason_but_no_text() {
    for c in cases() {
        let dir = TempDir::new("bad");
        let path = dir.bytes(&format!("in/{}", c.file), &c.data);
        let mut args = vec!["redact", &path, "--out"];
        let out = dir.path("out");
        args.push(&out);
        args.extend_from_slice(c.extra);
        let r = run(&args, b"");
        assert_eq!(r.code, 2, "{}: {}", c.name, r.stderr);
        let want = format!("shardscrub: error: {path}{}", c.message);
        assert!(
            r.stderr.starts_with(&want),
            "{}:\n  want {want}\n  got  {}",
            c.name,
            r.stderr
        );
        if c.message == ":" {
            let rest = &r.stderr[want.len()..];
            let digits = rest.chars().take_while(char::is_ascii_digit).count();
            assert!(digits > 0, "{}: a line number: {rest}", c.name);
            assert!(
                rest[digits..].starts_with(": the compressed stream is truncated"),
                "{}: {rest}",
                c.name
            );
        }
        assert!(
            !r.stderr.contains(MARKER),
            "{}: the text leaked: {}",
            c.name,
            r.stderr
        );
        let written: Vec<String> = dir
            .files()
            .into_iter()
            .filter(|f| f.starts_with("out/") && !f.contains("/.shardscrub/"))
            .collect();
        assert!(written.is_empty(), "{}: partial output {written:?}", c.name);
    }
}

#[test]
fn skip_and_keep_do_what_they_say_and_count_it() {
    for c in cases() {
        for policy in ["skip", "keep"] {
            let dir = TempDir::new("policy");
            let path = dir.bytes(&format!("in/{}", c.file), &c.data);
            let out = dir.path("out");
            let mut args = vec!["redact", &path, "--out", &out, "--on-error", policy];
            args.extend_from_slice(&["--audit-sample", "5"]);
            args.extend_from_slice(c.extra);
            let r = run(&args, b"");
            let what = format!("{} / {policy}", c.name);
            // Nothing the run writes besides the output shard holds the bad record's
            // text: statistics, reports (JSON, Markdown, SVG), the audit sample.
            for f in dir
                .files()
                .iter()
                .filter(|f| f.starts_with("out/") && **f != format!("out/{}", c.file))
            {
                let text =
                    String::from_utf8_lossy(&std::fs::read(dir.0.join(f)).unwrap()).into_owned();
                assert!(!text.contains(MARKER), "{what}: the text leaked into {f}");
            }
            // `scan` reports a kept bad record by its reason, never its text.
            let mut scan = vec!["scan", &path, "--on-error", policy];
            scan.extend_from_slice(c.extra);
            let s = run(&scan, b"");
            assert!(
                !s.stdout.contains(MARKER) && !s.stderr.contains(MARKER),
                "{what}: scan leaked the text"
            );
            assert_eq!(r.code, 0, "{what}: {}", r.stderr);
            assert!(r.stderr.contains("warning:"), "{what}: {}", r.stderr);
            assert!(
                !r.stderr.contains(MARKER),
                "{what}: the text leaked: {}",
                r.stderr
            );
            let rep = report(&out);
            let t = &rep["totals"];
            let written = dir
                .files()
                .into_iter()
                .any(|f| f == format!("out/{}", c.file));
            if !c.record {
                assert_eq!(rep["shards"][0]["status"], "skipped", "{what}");
                assert!(!written, "{what}: a bad shard is not written");
                continue;
            }
            let output = crate::util::read_any(&format!("{out}/{}", c.file));
            let output = String::from_utf8_lossy(&output);
            let lines = output.lines().count() as u64;
            let input_lines = t["lines"].as_u64().unwrap();
            if policy == "skip" {
                assert_eq!(t["skipped"], 1, "{what}");
                assert_eq!(lines, input_lines - 1, "{what}: one line left out");
                assert!(!output.contains(MARKER), "{what}");
            } else {
                assert_eq!(t["kept"], 1, "{what}");
                assert_eq!(lines, input_lines, "{what}: every line kept");
                assert!(output.contains(MARKER), "{what}: kept unredacted");
                assert!(r.stderr.contains("kept UNREDACTED"), "{what}: {}", r.stderr);
            }
        }
    }
}

#[test]
fn crlf_and_missing_final_newline_are_kept_exactly() {
    let dir = TempDir::new("crlf");
    let text = "a jane@corp.eu\r\nb\r\n\r\nc 81.2.69.160";
    let path = dir.file("c.txt", text);
    let r = run(&["redact", &path, "--out", &dir.path("out"), "-q"], b"");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        std::fs::read_to_string(dir.path("out/c.txt")).unwrap(),
        "a <EMAIL_ADDRESS>\r\nb\r\n\r\nc <IP_ADDRESS>"
    );
}

#[test]
fn usage_errors_are_clear() {
    let dir = TempDir::new("usage");
    let a = dir.file("a.txt", "x\n");
    let b = dir.file("sub/a.txt", "y\n");
    let odd = dir.file("data.csv", "x\n");
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["redact", &a], "needs --out DIR"),
        (
            vec!["redact", &a, "--out", "-"],
            "INPUT files are written to a directory",
        ),
        (
            vec!["redact", &a, &b, "--out", "o"],
            "would both be written as a.txt",
        ),
        (
            vec!["redact", &odd, "--out", "o"],
            "cannot tell the format from the name",
        ),
        (
            vec!["redact", "/no/such/file.txt", "--out", "o"],
            "/no/such/file.txt: No such file",
        ),
        (
            vec!["redact", &a, "--out", "o", "--on-error", "ignore"],
            "unknown --on-error \"ignore\"",
        ),
        (
            vec!["redact", &a, "--out", "o", "--max-record-bytes", "1.5GB"],
            "--max-record-bytes: invalid size",
        ),
        (
            vec!["redact", &a, "--out", "o", "--field", "a..b"],
            "has an empty part",
        ),
        (
            vec!["redact", "--format", "jsonl", "--record", "file"],
            "--record file works with text shards only",
        ),
        (
            vec!["redact", &a, "--out", "o", "--threads", "0"],
            "--threads must be at least 1",
        ),
    ];
    for (args, want) in cases {
        let r = run(&args, b"");
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(
            r.stderr.contains(want),
            "{args:?}: want {want:?}, got {}",
            r.stderr
        );
    }
}
