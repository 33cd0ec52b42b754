//! The redaction report: per-shard statistics, their merge (order-independent, a
//! duplicate counted once), the Markdown section and the chart it reproduces, the audit
//! sample, and no personal data in any of them.

use crate::util::{SAMPLE_JSONL, SAMPLE_TXT, TempDir, ok, ok_env, redact_sample_with, report, run};
use serde_json::Value;
use sha2::{Digest, Sha256};

fn read(path: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn sha256(path: &str) -> String {
    let digest = Sha256::digest(std::fs::read(path).unwrap());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// `shardscrub report ARGS` on standard output.
fn merged(args: &[&str]) -> String {
    let mut all = vec!["report"];
    all.extend_from_slice(args);
    let r = run(&all, b"");
    assert_eq!(r.code, 0, "report {args:?}: {}", r.stderr);
    r.stdout
}

/// Four small shards with different findings, redacted in one run into `DIR/whole`.
fn four_shards(dir: &TempDir) -> Vec<String> {
    let docs = [
        (
            "a.jsonl",
            "{\"text\":\"mail jane.doe@corp.eu\"}\n{\"text\":\"none\"}\n",
        ),
        ("b.txt", "ip 81.2.69.160 and 81.2.69.161\n"),
        ("c.txt", "call +44 20 7946 0958\nkeep jane@example.com\n"),
        ("d.jsonl", "{\"text\":\"card 4111 1111 1111 1111\"}\n"),
    ];
    for (name, text) in docs {
        dir.file(&format!("in/{name}"), text);
    }
    ok(&["redact", &dir.path("in"), "--out", &dir.path("whole"), "-q"]);
    docs.iter()
        .map(|(n, _)| dir.path(&format!("whole/{n}.stats.json")))
        .collect()
}

#[test]
fn a_run_writes_the_report_and_merging_its_statistics_reproduces_it() {
    let dir = TempDir::new("report-files");
    let out = dir.path("out");
    ok(&["redact", SAMPLE_JSONL, SAMPLE_TXT, "--out", &out, "-q"]);
    let md = read(&format!("{out}/redaction-report.md"));
    let svg = read(&format!("{out}/redaction-report.svg"));
    let json = read(&format!("{out}/redaction-report.json"));
    assert!(md.starts_with("## Personal data redaction\n"), "{md}");
    assert!(
        md.contains("](redaction-report.svg)"),
        "the section links the chart"
    );
    assert!(md.contains("| `EMAIL_ADDRESS` | 8 | 8 | 14.3% |"), "{md}");
    assert!(
        md.contains("```sh\nshardscrub redact INPUT... --out OUT\n```"),
        "{md}"
    );
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(svg.contains(">EMAIL_ADDRESS</text>") && svg.trim_end().ends_with("</svg>"));

    let stats: Vec<String> = ["sample.jsonl", "sample.txt"]
        .iter()
        .map(|n| format!("{out}/{n}.stats.json"))
        .collect();
    let (s0, s1) = (stats[0].as_str(), stats[1].as_str());
    assert_eq!(merged(&[s0, s1, "--format", "md"]), md);
    assert_eq!(merged(&[s1, s0, "--format", "json"]), json);
    assert_eq!(merged(&[&out, "--format", "svg"]), svg);
    assert_eq!(
        merged(&[&out]),
        md,
        "md is the default, a directory is searched"
    );

    // Each shard's statistics name its input and output by size and sha256.
    let rep = report(&out);
    for s in rep["shards"].as_array().unwrap() {
        let name = s["shard"].as_str().unwrap();
        let input = s["input"].as_str().unwrap();
        assert_eq!(s["input_sha256"], sha256(input), "{name}");
        let output = format!("{out}/{name}");
        assert_eq!(s["output_sha256"], sha256(&output), "{name}");
        assert_eq!(
            s["output_bytes"].as_u64(),
            Some(std::fs::metadata(&output).unwrap().len())
        );
    }
    assert_eq!(
        rep["rules"]["ids"].as_array().unwrap().len(),
        rep["rules"]["count"]
    );
    assert_eq!(
        rep["shard_count"],
        serde_json::json!({"done": 2, "skipped": 0, "duplicates": 0})
    );
}

/// The report's JSON without its clock readings, the only fields that differ between
/// equal runs.
fn without_times(mut v: Value) -> Value {
    const TIMES: [&str; 5] = [
        "started",
        "finished",
        "seconds",
        "shard_seconds",
        "throughput_mb_s",
    ];
    let o = v.as_object_mut().unwrap();
    TIMES
        .iter()
        .for_each(|k| assert!(o.remove(*k).is_some(), "{k}"));
    for s in o["shards"].as_array_mut().unwrap() {
        let s = s.as_object_mut().unwrap();
        assert!(s.remove("started").is_some() && s.remove("seconds").is_some());
    }
    v
}

#[test]
fn the_report_is_the_same_for_any_thread_count_but_for_its_clock_readings() {
    let dir = TempDir::new("report-threads");
    let files = |threads: &str| {
        let out = dir.path(&format!("t{threads}"));
        redact_sample_with(
            &[SAMPLE_JSONL, SAMPLE_TXT],
            &out,
            &["--threads", threads],
            &[("SHARDSCRUB_CHUNK_BYTES", "100")],
        );
        let read_out = |name: &str| read(&format!("{out}/{name}"));
        (
            read_out("redaction-report.md"),
            read_out("redaction-report.svg"),
            without_times(report(&out)),
        )
    };
    let (one, two) = (files("1"), files("2"));
    assert_eq!(one.0, two.0, "Markdown");
    assert_eq!(one.1, two.1, "chart");
    assert_eq!(one.2, two.2, "JSON without clock readings");
}

#[test]
fn merging_the_halves_of_a_run_in_any_grouping_gives_the_whole_report() {
    let dir = TempDir::new("report-halves");
    let stats = four_shards(&dir);
    let whole = read(&dir.path("whole/redaction-report.json"));
    let s: Vec<&str> = stats.iter().map(String::as_str).collect();
    let first = dir.file("first.json", &merged(&[s[0], s[1], "--format", "json"]));
    let second = dir.file("second.json", &merged(&[s[3], s[2], "--format", "json"]));
    assert_eq!(merged(&[&first, &second, "--format", "json"]), whole);
    assert_eq!(merged(&[&second, &first, "--format", "json"]), whole);
    // ((a b) c) d = a (b (c d)): reports are merged as the statistics inside them.
    let cd = dir.file("cd.json", &merged(&[s[2], s[3], "--format", "json"]));
    let bcd = dir.file("bcd.json", &merged(&[s[1], &cd, "--format", "json"]));
    assert_eq!(merged(&[&bcd, s[0], "--format", "json"]), whole);
    let whole: Value = serde_json::from_str(&whole).unwrap();
    assert_eq!(whole["totals"]["findings"], 5);
    assert_eq!(whole["totals"]["labels"]["IP_ADDRESS"]["findings"], 2);
    assert_eq!(
        whole["totals"]["allowed"]["EMAIL_ADDRESS"], 1,
        "jane@example.com"
    );
    // A half is not the whole.
    assert_ne!(
        merged(&[&first, "--format", "json"]),
        merged(&[&first, &second, "--format", "json"])
    );
}

#[test]
fn a_shard_given_twice_is_counted_once_and_reported() {
    let dir = TempDir::new("report-dup");
    let stats = four_shards(&dir);
    let once: Value =
        serde_json::from_str(&merged(&[&stats[0], &stats[1], "--format", "json"])).unwrap();
    let r = run(
        &[
            "report", &stats[0], &stats[1], &stats[0], "--format", "json",
        ],
        b"",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("the input of a.jsonl (sha256 ")
            && r.stderr
                .contains("appears 1 more time(s), as a.jsonl; counted once"),
        "{}",
        r.stderr
    );
    let twice: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(twice["totals"], once["totals"], "not double-counted");
    assert_eq!(twice["shard_count"]["duplicates"], 1);
    assert_eq!(twice["duplicates"][0]["counted"], "a.jsonl");
    assert_eq!(
        twice["shards"].as_array().unwrap().len(),
        3,
        "every entry is listed"
    );
    // The same input under another name (a copy processed again) is a duplicate too.
    dir.file("copy/a2.jsonl", &read(&dir.path("in/a.jsonl")));
    ok(&[
        "redact",
        &dir.path("copy"),
        "--out",
        &dir.path("copy-out"),
        "-q",
    ]);
    let copy = dir.path("copy-out/a2.jsonl.stats.json");
    let md = merged(&[&stats[0], &copy, "--format", "md"]);
    assert!(
        md.contains("1 statistics entry repeated an input already counted"),
        "{md}"
    );
}

#[test]
fn statistics_made_differently_do_not_merge() {
    let dir = TempDir::new("report-mixed");
    let stats = four_shards(&dir);
    ok(&[
        "redact",
        &dir.path("in/b.txt"),
        "--style",
        "mask",
        "--out",
        &dir.path("mask"),
        "-q",
    ]);
    let masked = dir.path("mask/b.txt.stats.json");
    let r = run(&["report", &stats[0], &masked], b"");
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("a.jsonl.stats.json and") && r.stderr.contains("settings (fingerprint"),
        "{}",
        r.stderr
    );
    let r = run(&["report", &dir.path("in/a.jsonl")], b"");
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("not shardscrub statistics"),
        "{}",
        r.stderr
    );
    let r = run(&["report", &dir.path("in")], b"");
    assert!(
        r.code == 2 && r.stderr.contains("no *.stats.json files"),
        "{}",
        r.stderr
    );
}

#[test]
fn the_markdown_says_what_was_dropped_kept_and_how_to_reproduce() {
    let dir = TempDir::new("report-md");
    let allow = dir.file("allow.txt", "corp.eu\n");
    dir.file(
        "in/a.txt",
        "jane@corp.eu\n81.2.69.160 81.2.69.161 81.2.69.162\n",
    );
    let out = dir.path("out");
    ok(&[
        "redact",
        &dir.path("in"),
        "--out",
        &out,
        "--drop-doc-over",
        "2",
        "--allow",
        &allow,
        "--style",
        "numbered",
        "-q",
    ]);
    let md = read(&format!("{out}/redaction-report.md"));
    for want in [
        "Documents with more than 2 findings were left out of the output: 1 document (50.0% of those scanned), with 3 findings",
        "1 value matched a rule but was left as it is because it is on an allow list (the built-in list of documentation domains and 1 user list): `EMAIL_ADDRESS` 1.",
        "No personal data was found.",
        "such as `<EMAIL_ADDRESS_1>` (style `numbered`)",
        "shardscrub redact INPUT... --out OUT --drop-doc-over 2 --style numbered --allow allow.txt\n",
    ] {
        assert!(md.contains(want), "missing {want:?} in:\n{md}");
    }
    // The limits follow the rule set actually used.
    let only = dir.path("only");
    ok(&[
        "redact",
        &dir.path("in"),
        "--out",
        &only,
        "--labels",
        "EMAIL_ADDRESS",
        "-q",
    ]);
    let md = read(&format!("{only}/redaction-report.md"));
    assert!(
        md.contains("- Only some labels were searched for (`--labels`, `--exclude-labels`): `EMAIL_ADDRESS`.\n"),
        "{md}"
    );
    assert!(
        !md.contains("national identifiers") && !md.contains("phone numbers"),
        "{md}"
    );
}

#[test]
fn the_audit_sample_is_capped_reproducible_and_shows_placeholders_only() {
    let dir = TempDir::new("report-audit");
    let mut text = String::new();
    for i in 0..300 {
        text.push_str(&format!(
            "{{\"text\":\"user{i}@corp.eu wrote from 81.2.{}.{} about order {i}\"}}\n",
            i % 200 + 1,
            i % 250 + 1
        ));
    }
    dir.file("in/a.jsonl", &text);
    let sample = |threads: &str, out: &str| {
        let out = dir.path(out);
        ok_env(
            &[
                "redact",
                &dir.path("in"),
                "--out",
                &out,
                "--audit-sample",
                "4",
                "--threads",
                threads,
                "-q",
            ],
            &[("SHARDSCRUB_CHUNK_BYTES", "512")],
        );
        read(&format!("{out}/audit-sample.jsonl"))
    };
    let one = sample("1", "t1");
    assert_eq!(
        one,
        sample("2", "t2"),
        "the same sample for any thread count and chunking"
    );
    let entries: Vec<Value> = one
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let count = |label: &str| entries.iter().filter(|e| e["label"] == label).count();
    assert_eq!(
        (count("EMAIL_ADDRESS"), count("IP_ADDRESS"), entries.len()),
        (4, 4, 8)
    );
    for e in &entries {
        let line = e["line"].as_u64().unwrap() as usize;
        let doc = text.lines().nth(line - 1).unwrap();
        let shown = format!(
            "{}{}{}",
            e["before"].as_str().unwrap(),
            e["placeholder"].as_str().unwrap(),
            e["after"].as_str().unwrap()
        );
        assert!(
            !shown.contains('@') && !shown.contains("81.2."),
            "a value shown: {shown}"
        );
        assert!(
            shown.contains("<EMAIL_ADDRESS>") && shown.contains("<IP_ADDRESS>"),
            "{shown}"
        );
        let i = line - 1;
        assert!(
            doc.contains(&format!("about order {i}")),
            "line numbers are absolute"
        );
        assert_eq!(e["field"], "text");
    }
}

/// Every value the engine finds in the sample corpus, read from `scan`'s spans.
fn sample_values() -> Vec<String> {
    let r = run(&["scan", SAMPLE_TXT], b"");
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = read(SAMPLE_TXT);
    let lines: Vec<&str> = text.lines().collect();
    let mut values = Vec::new();
    for l in r.stdout.lines() {
        let v: Value = serde_json::from_str(l).unwrap();
        let doc = lines[v["line"].as_u64().unwrap() as usize - 1];
        for s in v["spans"].as_array().unwrap() {
            let (a, b) = (
                s["start"].as_u64().unwrap() as usize,
                s["end"].as_u64().unwrap() as usize,
            );
            values.push(doc[a..b].to_owned());
        }
    }
    values
}

#[test]
fn the_report_markdown_chart_and_audit_sample_hold_no_personal_data() {
    let values = sample_values();
    assert!(
        values.len() >= 30,
        "the sample has findings of every kind: {}",
        values.len()
    );
    let dir = TempDir::new("report-clean");
    let out = dir.path("out");
    redact_sample_with(
        &[SAMPLE_JSONL, SAMPLE_TXT],
        &out,
        &["--audit-sample", "10"],
        &[],
    );
    let files = [
        "redaction-report.json",
        "redaction-report.md",
        "redaction-report.svg",
        "audit-sample.jsonl",
        "sample.jsonl.stats.json",
        "sample.txt.stats.json",
    ];
    for name in files {
        let path = format!("{out}/{name}");
        let text = read(&path);
        assert!(!text.is_empty(), "{name}");
        for v in &values {
            assert!(
                !text.contains(v.as_str()),
                "{name} holds a value the sample's documents hold"
            );
        }
        // And shardscrub itself finds nothing in it.
        let r = run(&["scan", &path, "--format", "text"], b"");
        assert_eq!(r.code, 0, "{}", r.stderr);
        let found: Vec<&str> = r
            .stdout
            .lines()
            .filter(|l| !l.contains("\"spans\":[]"))
            .collect();
        assert!(found.is_empty(), "{name}: {found:?}");
    }
    assert!(read(&format!("{out}/audit-sample.jsonl")).lines().count() >= 10);
}
