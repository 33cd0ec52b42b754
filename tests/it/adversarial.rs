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
