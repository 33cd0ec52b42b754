//! Opt-out lists and domain sizes through the binary: which documents leave, the counts
//! per list, kind and domain (the same for any thread count, chunk size, format and
//! merge order), the training-content summary reproduced by `report`, and no list entry
//! in any file a run writes.

use crate::util::{TempDir, ok, ok_env, report, run};
use std::sync::Arc;

/// Hosts of the generated documents: plain, subdomains, look-alikes, userinfo tricks,
/// IDN in both forms, an IP address, a port, and URLs that cannot be read.
const URLS: &[&str] = &[
    "https://www.example.org/p/",
    "https://docs.example.org/guide/",
    "https://notexample.org/x/",
    "https://example.org.evil.test/x/",
    "https://example.org@evil.test/x/",
    "https://shop.optout.example/item/",
    "https://OPTOUT.example:8443/item/",
    "https://bücher.example/b/",
    "https://xn--bcher-kva.example/c/",
    "https://news.example.net/blog/",
    "https://news.example.net/press/",
    "http://192.0.2.7/",
    "not a url ",
    "",
];

/// The list: a domain, an IDN domain in Unicode form, a URL prefix, a field value.
const LIST: &str = "# opt-outs\noptout.example\nBÜCHER.example\nhttps://news.example.net/blog/\nauthor=Placeholder Person\n";

/// `n` documents, each with a text holding an e-mail address now and then.
fn documents(n: usize) -> Vec<serde_json::Value> {
    (0..n)
        .map(|i| {
            let url = URLS[i % URLS.len()];
            let mut d = serde_json::json!({
                "id": i,
                "text": format!("document {i} {}", if i % 3 == 0 { "mail jane.roe@corp.eu" } else { "no contact" }),
            });
            if !url.is_empty() {
                d["url"] = format!("{url}{i}").into();
            }
            if i % 7 == 0 {
                d["author"] = "Placeholder Person".into();
            }
            d
        })
        .collect()
}

fn jsonl(docs: &[serde_json::Value]) -> String {
    docs.iter().map(|d| format!("{d}\n")).collect()
}

/// The same documents as a Parquet file with `id`, `text`, `url` and `author` columns.
fn parquet(docs: &[serde_json::Value], path: &str) {
    use arrow_array::{ArrayRef, Int64Array, RecordBatch, StringArray};
    let col = |k: &str| -> ArrayRef {
        Arc::new(StringArray::from(
            docs.iter()
                .map(|d| d.get(k).and_then(|v| v.as_str()).map(str::to_owned))
                .collect::<Vec<_>>(),
        ))
    };
    let ids: ArrayRef = Arc::new(Int64Array::from(
        docs.iter()
            .map(|d| d["id"].as_i64().unwrap())
            .collect::<Vec<_>>(),
    ));
    let batch = RecordBatch::try_from_iter([
        ("id", ids),
        ("text", col("text")),
        ("url", col("url")),
        ("author", col("author")),
    ])
    .unwrap();
    let file = std::fs::File::create(path).unwrap();
    let props = parquet::file::properties::WriterProperties::builder()
        .set_max_row_group_row_count(Some(37))
        .build();
    let mut w = parquet::arrow::ArrowWriter::try_new(file, batch.schema(), Some(props)).unwrap();
    w.write(&batch).unwrap();
    w.close().unwrap();
}

/// What the test expects of a document, worked out here without the tool's code: the
/// kind of entry that leaves it out, if any.
fn expected_kind(d: &serde_json::Value) -> Option<&'static str> {
    let url = d.get("url").and_then(|u| u.as_str()).unwrap_or("");
    let host_optout = url.contains("optout.example") || url.contains("OPTOUT.example");
    let idn = url.contains("bücher.example") || url.contains("xn--bcher-kva.example");
    if host_optout || idn {
        Some("domain")
    } else if url.starts_with("https://news.example.net/blog/") {
        Some("url")
    } else if d.get("author").is_some() {
        Some("field")
    } else {
        None
    }
}

fn redact(dir: &TempDir, inputs: &[&str], out: &str, extra: &[&str], env: &[(&str, &str)]) {
    let list = dir.file("opt-out.txt", LIST);
    let mut args = vec!["redact"];
    args.extend_from_slice(inputs);
    args.extend_from_slice(&["--out", out, "-q", "--url-field", "url", "--opt-out", &list]);
    args.extend_from_slice(extra);
    ok_env(&args, env);
}

#[test]
fn opted_out_documents_leave_and_are_counted_per_list_and_kind() {
    let dir = TempDir::new("optout-counts");
    let docs = documents(400);
    let input = dir.file("web.jsonl", &jsonl(&docs));
    let out = dir.path("out");
    redact(&dir, &[&input], &out, &[], &[]);
    let kept: Vec<serde_json::Value> = std::fs::read_to_string(format!("{out}/web.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let want: Vec<i64> = docs
        .iter()
        .filter(|d| expected_kind(d).is_none())
        .map(|d| d["id"].as_i64().unwrap())
        .collect();
    let got: Vec<i64> = kept.iter().map(|d| d["id"].as_i64().unwrap()).collect();
    assert_eq!(got, want);
    let by = |k: &str| docs.iter().filter(|d| expected_kind(d) == Some(k)).count() as u64;
    let r = report(&out);
    let t = &r["totals"];
    assert_eq!(
        t["opt_out"]["lists"][0],
        serde_json::json!({"domain": by("domain"), "url": by("url"), "field": by("field")})
    );
    let left = by("domain") + by("url") + by("field");
    assert_eq!(t["opt_out"]["documents"], left);
    assert_eq!(t["documents"], 400);
    assert_eq!(t["lines"].as_u64().unwrap() - left, kept.len() as u64);
    // Domain sizes: look-alikes and the userinfo trick are their own domains.
    let sizes = &t["domains"]["sizes"];
    for d in [
        "example.org",
        "notexample.org",
        "evil.test",
        "example.net",
        "(IP address)",
        "(no URL)",
        "(unreadable URL)",
        "(opted out)",
    ] {
        assert!(sizes.get(d).is_some(), "{d} missing from {sizes}");
    }
    for d in ["optout.example", "xn--bcher-kva.example"] {
        assert!(
            sizes.get(d).is_none(),
            "{d} is opted out and must not be listed"
        );
    }
    // www. and docs.example.org are one registrable domain.
    let org = docs
        .iter()
        .filter(|d| {
            let u = d.get("url").and_then(|u| u.as_str()).unwrap_or("");
            u.starts_with("https://www.example.org/") || u.starts_with("https://docs.example.org/")
        })
        .filter(|d| expected_kind(d).is_none())
        .count() as u64;
    assert_eq!(sizes["example.org"][0], org);
    // The settings name the list by file, entries and sha256.
    let l = &r["settings"]["opt_out"][0];
    assert_eq!(
        (
            l["file"].as_str(),
            l["domains"].as_u64(),
            l["urls"].as_u64(),
            l["fields"].as_u64()
        ),
        (Some("opt-out.txt"), Some(2), Some(1), Some(1))
    );
}

#[test]
fn counts_are_the_same_for_any_threads_chunks_format_and_merge_order() {
    let dir = TempDir::new("optout-determinism");
    let docs = documents(500);
    let input = dir.file("web.jsonl", &jsonl(&docs));
    let pq = dir.path("web.parquet");
    parquet(&docs, &pq);
    let base = dir.path("t1");
    redact(&dir, &[&input], &base, &["--threads", "1"], &[]);
    let want = report(&base)["totals"].clone();
    let output = std::fs::read(format!("{base}/web.jsonl")).unwrap();
    for (threads, chunk) in [("2", "97"), ("4", "4096")] {
        let out = dir.path(&format!("t{threads}"));
        redact(
            &dir,
            &[&input],
            &out,
            &["--threads", threads],
            &[("SHARDSCRUB_CHUNK_BYTES", chunk)],
        );
        assert_eq!(
            report(&out)["totals"],
            want,
            "threads {threads}, chunks {chunk}"
        );
        assert_eq!(std::fs::read(format!("{out}/web.jsonl")).unwrap(), output);
    }
    // Parquet: the same documents, the same opt-out and domain counts.
    let pout = dir.path("pq");
    redact(&dir, &[&pq], &pout, &[], &[]);
    let p = report(&pout)["totals"].clone();
    assert_eq!(p["opt_out"], want["opt_out"]);
    assert_eq!(p["domains"], want["domains"]);
    // Three shards, merged in any order, give the one shard's domain table.
    let parts: Vec<String> = docs
        .chunks(170)
        .enumerate()
        .map(|(i, c)| dir.file(&format!("part-{i}.jsonl"), &jsonl(c)))
        .collect();
    let split = dir.path("split");
    let refs: Vec<&str> = parts.iter().map(String::as_str).collect();
    redact(&dir, &refs, &split, &[], &[]);
    let merged = report(&split)["totals"].clone();
    assert_eq!(merged["domains"], want["domains"]);
    assert_eq!(merged["opt_out"], want["opt_out"]);
    let stats: Vec<String> = (0..3)
        .rev()
        .map(|i| format!("{split}/part-{i}.jsonl.stats.json"))
        .collect();
    let mut args = vec!["report", "--format", "summary"];
    args.extend(stats.iter().map(String::as_str));
    let summary = run(&args, b"");
    assert_eq!(summary.code, 0, "{}", summary.stderr);
    let written = std::fs::read_to_string(format!("{split}/training-content-summary.md")).unwrap();
    assert_eq!(summary.stdout, written);
    // And from the report alone.
    let again = run(
        &[
            "report",
            "--format",
            "summary",
            &format!("{split}/redaction-report.json"),
        ],
        b"",
    );
    assert_eq!(again.stdout, written);
    // A report with domain sizes does not merge with other statistics: it would count
    // its shards twice or lose them.
    let mixed = run(
        &[
            "report",
            &format!("{split}/redaction-report.json"),
            &stats[0],
        ],
        b"",
    );
    assert_eq!(mixed.code, 2);
    assert!(
        mixed.stderr.contains("stats.json files instead"),
        "{}",
        mixed.stderr
    );
}

#[test]
fn the_summary_ranks_domains_at_the_template_cut_offs() {
    let dir = TempDir::new("optout-summary");
    // 40 domains, domain k with k documents: the top 10% is 4 domains, SMEs 2.
    let mut docs = Vec::new();
    for k in 1..=40 {
        for j in 0..k {
            docs.push(serde_json::json!({"text": "x".repeat(10), "url": format!("https://site{k}.example/{j}")}));
        }
    }
    let input = dir.file("d.jsonl", &jsonl(&docs));
    let out = dir.path("out");
    ok(&["redact", &input, "--out", &out, "-q", "--url-field", "url"]);
    let s = std::fs::read_to_string(format!("{out}/training-content-summary.md")).unwrap();
    let rows: Vec<&str> = s
        .lines()
        .filter(|l| l.starts_with("| ") && l.contains(".example"))
        .collect();
    assert_eq!(rows.len(), 4, "{s}");
    assert!(
        rows[0].starts_with("| 1 | site40.example | 40 | 400 bytes |"),
        "{}",
        rows[0]
    );
    assert!(s.contains("### 2.3. Data crawled and scraped from online sources"));
    assert!(s.contains("Less than 1 billion tokens"));
    assert!(s.contains("No opt-out list was applied"));
    let sme = run(&["report", &out, "--format", "summary", "--sme"], b"");
    let rows = sme
        .stdout
        .lines()
        .filter(|l| l.starts_with("| ") && l.contains(".example"))
        .count();
    assert_eq!(rows, 2);
}

#[test]
fn no_list_entry_appears_in_any_file_written() {
    let dir = TempDir::new("optout-private");
    let docs = documents(200);
    let input = dir.file("web.jsonl", &jsonl(&docs));
    let out = dir.path("out");
    redact(&dir, &[&input], &out, &["--audit-sample", "5"], &[]);
    let mut files = 0;
    for f in std::fs::read_dir(&out).unwrap() {
        let path = f.unwrap().path();
        if path.file_name().unwrap() == "web.jsonl" {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for entry in [
            "Placeholder Person",
            "optout.example",
            "OPTOUT",
            "xn--bcher-kva",
            "bücher",
            "news.example.net/blog",
        ] {
            assert!(!text.contains(entry), "{} names {entry:?}", path.display());
        }
        files += 1;
    }
    assert!(
        files >= 6,
        "reports, stats, summary, chart and audit sample"
    );
}

#[test]
fn bad_lists_and_shards_without_fields_are_clear_errors() {
    let dir = TempDir::new("optout-errors");
    let input = dir.file("web.jsonl", &jsonl(&documents(5)));
    let out = dir.path("out");
    let list = dir.file("opt-out.txt", LIST);
    // Domain entries need the URL field.
    let r = run(&["redact", &input, "--out", &out, "--opt-out", &list], b"");
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--url-field"), "{}", r.stderr);
    // A bad line is named by number, not by its text.
    let bad = dir.file("bad.txt", "example.org\nJane Placeholder's site\n");
    let r = run(
        &[
            "redact",
            &input,
            "--out",
            &out,
            "--url-field",
            "url",
            "--opt-out",
            &bad,
        ],
        b"",
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("bad.txt, line 2"), "{}", r.stderr);
    assert!(!r.stderr.contains("Jane"), "{}", r.stderr);
    // Text shards have no fields.
    let txt = dir.file("a.txt", "hello\n");
    let r = run(&["redact", &txt, "--out", &out, "--url-field", "url"], b"");
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("text shard"), "{}", r.stderr);
    // A Parquet shard without the URL column.
    let pq = dir.path("no-url.parquet");
    let docs: Vec<serde_json::Value> = documents(3)
        .into_iter()
        .map(|mut d| {
            d.as_object_mut().unwrap().remove("url");
            d
        })
        .collect();
    parquet(&docs, &pq);
    let r = run(&["redact", &pq, "--out", &out, "--url-field", "link"], b"");
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("--url-field") && r.stderr.contains("\"link\""),
        "{}",
        r.stderr
    );
}

#[test]
fn the_readme_shows_the_sample_summary_as_it_is() {
    let dir = TempDir::new("optout-readme");
    let out = dir.path("card");
    let root = env!("CARGO_MANIFEST_DIR");
    let list = format!("{root}/corpus/opt-out-sample.txt");
    let stderr = ok(&[
        "redact",
        crate::util::SAMPLE_JSONL,
        "--field",
        "text",
        "--field",
        "meta.title",
        "--url-field",
        "url",
        "--opt-out",
        &list,
        "--out",
        &out,
    ]);
    let summary = std::fs::read_to_string(format!("{out}/training-content-summary.md")).unwrap();
    let readme = std::fs::read_to_string(format!("{root}/README.md")).unwrap();
    let run_line = stderr
        .lines()
        .last()
        .unwrap()
        .split("; report")
        .next()
        .unwrap()
        .to_owned();
    assert!(readme.contains(&run_line), "README lacks {run_line:?}");
    let mut checked = 0;
    for line in summary
        .lines()
        .filter(|l| l.starts_with("| 1 |") || l.starts_with("| `opt-out-sample.txt`"))
    {
        // The README shortens the sha256.
        let shown = match line.find('`').and_then(|_| line.split('`').nth(3)) {
            Some(sha) if sha.len() == 64 => line.replace(sha, &format!("{}...", &sha[..8])),
            _ => line.to_owned(),
        };
        assert!(
            readme.contains(&format!("> {shown}")),
            "README lacks {shown:?}"
        );
        checked += 1;
    }
    assert_eq!(checked, 2, "the domain row and the list row");
}
