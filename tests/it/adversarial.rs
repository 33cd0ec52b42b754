//! Adversarial documents: runs of `@`, digits, dots, colons, trigger literals and
//! findings. Time must stay linear: the per-byte cost of each at 4x the size is checked
//! against its cost at 1x, and against ordinary text, as ratios (minimum of three runs,
//! so other load on the machine does not decide). A quadratic path shows as a 4x ratio;
//! the bound leaves room for noise.

use shardscrub::Redactor;
use std::time::Instant;

/// Bytes of the smaller document; the larger one is four times this.
const SIZE: usize = 24 << 10;

fn repeat(unit: &str, bytes: usize) -> String {
    unit.repeat(bytes / unit.len() + 1)[..bytes / unit.len() * unit.len()].to_owned()
}

/// Seconds per byte to scan `text`, the best of three runs.
fn cost(r: &Redactor, text: &str) -> f64 {
    (0..3)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(r.scan(text));
            t.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
        / text.len() as f64
}

#[test]
fn pathological_documents_cost_linear_time() {
    let r = Redactor::new().unwrap();
    let sample = std::fs::read_to_string(crate::util::SAMPLE_TXT)
        .unwrap()
        .replace('\n', " ");
    let normal = cost(&r, &repeat(&sample, 4 * SIZE));
    let units = [
        "@",
        "7",
        ".",
        "1.",
        "a@",
        "a@b.eu ",
        "+44 ",
        "a:",
        "::",
        "ab12",
        "1234 ",
        "x [at] ",
        "eyJ",
        "-----BEGIN PRIVATE KEY-----",
        "password = \"",
        "SSN BSN ",
        "4111 1111 1111 1111 ",
    ];
    let mut report = Vec::new();
    for unit in units {
        let small = cost(&r, &repeat(unit, SIZE));
        let large = cost(&r, &repeat(unit, 4 * SIZE));
        report.push(format!(
            "{unit:?}: {:.0} ns/B at 4x, growth {:.2}, vs ordinary text {:.1}",
            large * 1e9,
            large / small,
            large / normal
        ));
        assert!(
            large / small < 2.5,
            "{unit:?} repeated: per-byte cost grows with size ({:.2}x from {SIZE} to {} bytes)\n{}",
            large / small,
            4 * SIZE,
            report.join("\n")
        );
        assert!(
            large / normal < 25.0,
            "{unit:?} repeated costs {:.1}x ordinary text per byte\n{}",
            large / normal,
            report.join("\n")
        );
    }
    eprintln!("{}", report.join("\n"));
}

#[test]
fn deeply_nested_json_is_a_bad_record_not_a_crash() {
    // 100,000 nested arrays before the field: the locator refuses the depth (a bad
    // record with its line and reason) instead of recursing until the stack ends.
    let depth = 100_000;
    let line = format!(
        "{{\"meta\":{}1{},\"text\":\"mail jane.doe@corp.eu\"}}\n{{\"text\":\"ok\"}}\n",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let r = crate::util::run(&["redact", "--format", "jsonl"], line.as_bytes());
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("<stdin>:1: malformed JSON") && r.stderr.contains("nested too deeply"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("jane"), "{}", r.stderr);
    let r = crate::util::run(
        &["redact", "--format", "jsonl", "--on-error", "skip", "-q"],
        line.as_bytes(),
    );
    assert_eq!(
        (r.code, r.stdout.as_str()),
        (0, "{\"text\":\"ok\"}\n"),
        "{}",
        r.stderr
    );
}

/// Runs the binary with `args` and returns its exit code and the peak of its anonymous
/// resident memory (heap and stacks, not the file's pages it maps), in bytes, read from
/// `/proc` every 5 ms.
fn peak_anonymous_memory(args: &[&str]) -> (Option<i32>, u64) {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_shardscrub"))
        .args(args)
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let status = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    loop {
        if let Ok(s) = std::fs::read_to_string(&status) {
            let kb = s
                .lines()
                .find_map(|l| l.strip_prefix("RssAnon:"))
                .and_then(|v| v.trim().trim_end_matches(" kB").parse::<u64>().ok());
            peak = peak.max(kb.unwrap_or(0) * 1024);
        }
        if let Some(exit) = child.try_wait().unwrap() {
            return (exit.code(), peak);
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}

/// A 1 GiB line between two ordinary ones, plain (memory-mapped) and .zst (streamed):
/// over --max-record-bytes, it is a bad record, skipped or kept, and memory stays flat.
/// A mapped shard needs no buffer; a stream holds up to --max-record-bytes of the line
/// before it knows the line is too long, so memory is bounded by that option. Writes
/// 1 GiB twice and takes about two minutes in release builds:
/// `cargo test --release --test it one_gib_line -- --ignored --nocapture`.
#[test]
#[ignore = "writes 2 GiB of test shards"]
fn a_one_gib_line_is_a_bad_record_in_bounded_memory() {
    use std::io::Write;
    let dir = crate::util::TempDir::new("gibline");
    let unit = "word jane.doe@corp.eu 81.2.69.160 ".repeat(2000);
    let write = |w: &mut dyn Write| {
        w.write_all(b"{\"text\":\"mail jane.doe@corp.eu\"}\n{\"text\":\"")
            .unwrap();
        for _ in 0..(1usize << 30) / unit.len() + 1 {
            w.write_all(unit.as_bytes()).unwrap();
        }
        w.write_all(b"\"}\n{\"text\":\"ip 81.2.69.160\"}\n")
            .unwrap();
    };
    let plain = dir.path("in/line.jsonl");
    std::fs::create_dir_all(dir.path("in")).unwrap();
    write(&mut std::io::BufWriter::new(
        std::fs::File::create(&plain).unwrap(),
    ));
    let packed = dir.path("in/line.jsonl.zst");
    let mut z = zstd::Encoder::new(std::fs::File::create(&packed).unwrap(), 1).unwrap();
    write(&mut z);
    z.finish().unwrap();
    // (input, --max-record-bytes, bound on the peak)
    let runs = [
        (&plain, "256MiB", 64u64 << 20),
        (&packed, "256MiB", (256 + 64) << 20),
        (&packed, "16MiB", 64 << 20),
    ];
    for (input, limit, bound) in runs {
        for policy in ["skip", "keep"] {
            let out = dir.path(&format!("out-{policy}"));
            let args = [
                "redact",
                input,
                "--out",
                &out,
                "--on-error",
                policy,
                "--max-record-bytes",
                limit,
                "-q",
            ];
            let (code, peak) = peak_anonymous_memory(&args);
            let what = format!("{input} --on-error {policy} --max-record-bytes {limit}");
            eprintln!("{what}: peak anonymous memory {} MiB", peak >> 20);
            assert_eq!(code, Some(0), "{what}");
            assert!(peak < bound, "{what}: {} MiB", peak >> 20);
        }
    }
    let skipped = std::fs::read_to_string(dir.path("out-skip/line.jsonl")).unwrap();
    assert_eq!(
        skipped,
        "{\"text\":\"mail <EMAIL_ADDRESS>\"}\n{\"text\":\"ip <IP_ADDRESS>\"}\n"
    );
    let kept = std::fs::metadata(dir.path("out-keep/line.jsonl"))
        .unwrap()
        .len();
    // The long line copied as it is; the email (16 bytes) and the IP (11) replaced by
    // their placeholders (15 and 12 bytes).
    let input = std::fs::metadata(&plain).unwrap().len();
    assert_eq!(kept, input - 16 + 15 - 11 + 12);
}
