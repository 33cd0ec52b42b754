//! Detection quality on the labeled corpus: every label's floor holds, a weakened rule set
//! misses its floors, and `eval` scores another tool's spans and refuses bad input.

use crate::util::{TempDir, run};

const GOLD: &str = "corpus/quality/gold.jsonl";
const FLOORS: &str = "corpus/quality/floors.toml";

#[test]
fn every_label_meets_its_floor_on_the_gold_corpus() {
    let r = run(&["eval", GOLD, "--floors", FLOORS], b"");
    assert_eq!(r.code, 0, "{}", r.stderr);
    let floors = std::fs::read_to_string(FLOORS).unwrap();
    let labels = floors.lines().filter(|l| l.starts_with('[')).count();
    assert!(
        labels >= 25,
        "floors for every built-in label, found {labels}"
    );
    assert!(
        r.stderr.contains(&format!("all {labels} label floors")),
        "{}",
        r.stderr
    );
    // The table names every label with floors.
    for l in floors
        .lines()
        .filter_map(|l| l.strip_prefix('[')?.strip_suffix(']'))
    {
        assert!(
            r.stdout.contains(&format!("| {l} |")),
            "{l} missing from the table"
        );
    }
}

#[test]
fn a_weakened_rule_set_misses_its_floors() {
    // A user rule without a validator or context that calls every nine-digit number a
    // Social Security number: hard negatives (order numbers, bad checksums) become
    // findings, and US_SSN's precision falls below its floor.
    let dir = TempDir::new("quality-weak");
    let rules = dir.0.join("weak.toml");
    std::fs::write(
        &rules,
        r#"[[rule]]
id = "ssn_any_nine_digits"
label = "US_SSN"
description = "Any nine digits."
regex = '''\b[0-9]{9}\b'''
priority = 90
must_match = [
  { text = "a 123456789 b", redacts = "123456789" },
  { text = "x 987654321", redacts = "987654321" },
  { text = "543219876 y", redacts = "543219876" },
]
must_not_match = ["<US_SSN>", "12345678", "1234567890"]
"#,
    )
    .unwrap();
    let r = run(
        &[
            "eval",
            GOLD,
            "--floors",
            FLOORS,
            "--patterns",
            rules.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("floor missed: US_SSN: F1"),
        "{}",
        r.stderr
    );

    // Leaving a label out entirely fails its floors and its leak ceiling.
    let r = run(
        &[
            "eval",
            GOLD,
            "--floors",
            FLOORS,
            "--exclude-labels",
            "IBAN_CODE",
        ],
        b"",
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("IBAN_CODE: F1 0.000 is below"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("IBAN_CODE: leak rate 1.0000 is above"),
        "{}",
        r.stderr
    );
}

#[test]
fn other_tools_are_scored_from_scan_lines() {
    // shardscrub's own spans, given back as another tool's, score the same as itself;
    // an empty prediction file finds nothing and leaks everything.
    let dir = TempDir::new("quality-compare");
    let scan = run(&["scan", GOLD], b"");
    assert_eq!(scan.code, 0, "{}", scan.stderr);
    let same = dir.0.join("same.jsonl");
    std::fs::write(&same, &scan.stdout).unwrap();
    let none = dir.0.join("none.jsonl");
    std::fs::write(&none, "").unwrap();
    let r = run(
        &[
            "eval",
            GOLD,
            "--format",
            "json",
            "--compare",
            &format!("again={}", same.display()),
            "--compare",
            &format!("nothing={}", none.display()),
        ],
        b"",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["shardscrub"]["labels"], v["again"]["labels"]);
    assert!(v["shardscrub"]["total"]["f1"].as_f64().unwrap() > 0.95);
    assert_eq!(v["nothing"]["total"]["found"], 0);
    assert_eq!(v["nothing"]["total"]["leak_rate"], 1.0);
}

#[test]
fn bad_gold_and_prediction_files_are_usage_errors_without_their_text() {
    let dir = TempDir::new("quality-bad");
    let gold = dir.0.join("gold.jsonl");
    std::fs::write(
        &gold,
        "{\"text\":\"mail jane.doe@corp.eu\",\"spans\":[{\"start\":5,\"end\":21,\"label\":\"EMAIL_ADDRESS\"}]}\n{\"text\":\"jane.doe@corp.eu\",\"spans\":[{\"start\":0,\"end\":99,\"label\":\"EMAIL_ADDRESS\"}]}\n",
    )
    .unwrap();
    let r = run(&["eval", gold.to_str().unwrap()], b"");
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("gold.jsonl:2") && r.stderr.contains("outside"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("jane.doe"), "{}", r.stderr);

    let r = run(&["eval", GOLD, "--compare", "no-equals-sign"], b"");
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("NAME=FILE"), "{}", r.stderr);
}
