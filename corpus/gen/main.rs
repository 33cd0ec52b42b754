//! Writes a seeded, web-like benchmark shard with a known count of injected personal data.
//!
//! ```text
//! cargo run --release --example gen-corpus -- --size 1GB --out /tmp/web.jsonl
//! cargo run --release --example gen-corpus -- --size 200MB --dense --out /tmp/dense.jsonl
//! cargo run --release --example gen-corpus -- --size 64KB --format text --out /tmp/s.txt
//! ```
//!
//! JSONL lines look like a crawl: `{"id":..,"url":..,"text":..,"meta":{"lang":..,
//! "title":..,"fetched":..,"score":..}}`; the text holds paragraph breaks and quotes, so
//! lines carry JSON escapes. Text shards hold one document a line. Next to FILE, the
//! generator writes `FILE.truth.json`: documents, bytes and injected values per label and
//! field, so a consumer can check that every one was found. Same seed, same bytes.

#[path = "text.rs"]
mod text;

use std::io::Write;
use text::{Injected, LABELS, Rng};

struct Args {
    size: u64,
    out: String,
    jsonl: bool,
    seed: u64,
    dense: bool,
    from_lines: Option<String>,
}

const USAGE: &str =
    "usage: gen-corpus --size SIZE --out FILE [--format jsonl|text] [--seed N] [--dense]
       gen-corpus --from-lines FILE --out FILE.jsonl [--seed N]
  --size        bytes to write, e.g. 64KB, 200MB, 1GB
  --dense       inject a value into about every other sentence instead of once per 10 KB
  --from-lines  wrap each line of FILE as the text of one crawl-like JSONL record (the
                sample corpus); one title in four carries an email address";

fn args() -> Result<Args, String> {
    let mut a = Args {
        size: 0,
        out: String::new(),
        jsonl: true,
        seed: 1,
        dense: false,
        from_lines: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--size" => a.size = shardscrub::units::parse_size(&value()?)?,
            "--out" => a.out = value()?,
            "--seed" => a.seed = value()?.parse().map_err(|_| "--seed takes a number")?,
            "--format" => {
                a.jsonl = match value()?.as_str() {
                    "jsonl" => true,
                    "text" => false,
                    other => return Err(format!("unknown format {other:?}")),
                }
            }
            "--dense" => a.dense = true,
            "--from-lines" => a.from_lines = Some(value()?),
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    if (a.size == 0 && a.from_lines.is_none()) || a.out.is_empty() {
        return Err("--size (or --from-lines) and --out are required".into());
    }
    Ok(a)
}

fn main() {
    let a = match args() {
        Ok(a) => a,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("gen-corpus: {e}");
            }
            eprintln!("{USAGE}");
            std::process::exit(2);
        }
    };
    if let Err(e) = run(&a) {
        eprintln!("gen-corpus: {}: {e}", a.out);
        std::process::exit(2);
    }
}

fn run(a: &Args) -> std::io::Result<()> {
    let mut rng = Rng::new(a.seed);
    let mut out = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(&a.out)?);
    let (mut in_text, mut in_title) = (Injected::default(), Injected::default());
    let (mut bytes, mut docs) = (0u64, 0u64);
    let langs = ["en", "de", "fr", "es", "it", "nl", "sv", "pl"];
    let mut line = String::new();
    let given: Option<Vec<String>> = match &a.from_lines {
        Some(f) => Some(
            std::fs::read_to_string(f)?
                .lines()
                .map(str::to_owned)
                .collect(),
        ),
        None => None,
    };
    let title_every = if given.is_some() { 4 } else { 50 };
    loop {
        let done = match &given {
            Some(lines) => docs as usize >= lines.len(),
            None => bytes >= a.size,
        };
        if done {
            break;
        }
        docs += 1;
        let len = text::length(&mut rng);
        let mut body = if let Some(lines) = &given {
            lines[docs as usize - 1].clone()
        } else if a.dense {
            text::dense_document(&mut rng, len, &mut in_text)
        } else {
            text::document(&mut rng, len, &mut in_text)
        };
        line.clear();
        if a.jsonl {
            let title = text::title(&mut rng, title_every, &mut in_title);
            let record = serde_json::json!({
                "id": docs,
                "url": format!("https://{}/p/{docs}", host(given.is_some(), docs)),
                "text": body,
                "meta": {
                    "lang": rng.pick(&langs),
                    "title": title,
                    "fetched": format!("2024-{:02}-{:02}T{:02}:{:02}:00Z", 1 + rng.below(12), 1 + rng.below(28), rng.below(24), rng.below(60)),
                    "score": (rng.below(1000) as f64) / 1000.0,
                }
            });
            line.push_str(&record.to_string());
        } else {
            body = body.replace("\n\n", " ");
            line.push_str(&body);
        }
        line.push('\n');
        out.write_all(line.as_bytes())?;
        bytes += line.len() as u64;
    }
    out.flush()?;
    let per_label = |n: &Injected| {
        LABELS
            .iter()
            .zip(n.0)
            .filter(|(_, c)| *c > 0)
            .map(|(l, c)| ((*l).to_owned(), serde_json::json!(c)))
            .collect::<serde_json::Map<_, _>>()
    };
    let mut all = in_text;
    all.add(&in_title);
    if given.is_some() {
        // The given lines' own values are not counted: no truth file.
        eprintln!("gen-corpus: wrote {} ({docs} documents)", a.out);
        return Ok(());
    }
    let truth = serde_json::json!({
        "seed": a.seed,
        "format": if a.jsonl { "jsonl" } else { "text" },
        "dense": a.dense,
        "documents": docs,
        "bytes": bytes,
        "injected": all.total(),
        "per_label": per_label(&all),
        "per_field": {"text": per_label(&in_text), "meta.title": per_label(&in_title)},
    });
    std::fs::write(format!("{}.truth.json", a.out), format!("{truth:#}\n"))?;
    eprintln!(
        "gen-corpus: wrote {} ({bytes} bytes, {docs} documents, {} injected values)",
        a.out,
        all.total()
    );
    Ok(())
}

/// The host of document `n`'s URL. Generated shards all point at one host (their bytes
/// stay as they were); the sample's documents (`--from-lines`) are spread over a few
/// reserved documentation domains and subdomains, so that its domain table and an
/// opt-out list have something to show.
fn host(sample: bool, n: u64) -> &'static str {
    if !sample {
        return "www.example.org";
    }
    match n {
        9..=11 => "forum.example.org",
        12..=16 => "www.example.com",
        17..=18 => "docs.example.com",
        19..=22 => "news.example.net",
        23..=25 => "shop.example",
        26..=27 => "wiki.test",
        _ => "www.example.org",
    }
}
