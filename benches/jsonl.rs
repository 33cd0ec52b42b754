//! The JSONL path on one core: locating the scanned field in each raw line (and decoding
//! it when it holds escapes), and a whole shard through `shard::process` (locate, decode,
//! scan, splice the placeholders into the raw line, write), next to the floor of
//! splitting the same bytes into lines.
//!
//! Run: `cargo bench --bench jsonl`. The shard is built in memory from the seeded corpus
//! generator (`corpus/gen/text.rs`): web-like documents of 1-4 KB (some much longer) with
//! paragraph breaks, so most lines hold JSON escapes, and a `meta.title`. Each bench
//! checks its count first: every line located, exactly the injected values redacted.

#[path = "../corpus/gen/text.rs"]
mod text;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use shardscrub::Redactor;
use shardscrub::input::jsonl::{self, FieldPath};
use shardscrub::input::{self, Compression, Format};
use shardscrub::shard::{self, Mode, Options, Quiet};
use std::hint::black_box;
use text::{Injected, Rng};

/// About `bytes` of JSONL, and how many values were injected into `text`.
fn shard_bytes(bytes: usize) -> (Vec<u8>, u64) {
    let mut rng = Rng::new(1);
    let mut injected = Injected::default();
    let mut titles = Injected::default();
    let mut out = Vec::with_capacity(bytes + (64 << 10));
    let mut id = 0;
    while out.len() < bytes {
        let target = text::length(&mut rng);
        let doc = text::document(&mut rng, target, &mut injected);
        let title = text::title(&mut rng, 1_000_000, &mut titles);
        let line =
            serde_json::json!({"id": id, "text": doc, "meta": {"title": title, "lang": "mixed"}});
        serde_json::to_writer(&mut out, &line).unwrap();
        out.push(b'\n');
        id += 1;
    }
    (out, injected.total())
}

fn bench(c: &mut Criterion) {
    let (data, injected) = shard_bytes(32 << 20);
    let lines: Vec<&[u8]> = data
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .collect();
    let fields: Vec<FieldPath> = vec!["text".parse().unwrap()];
    let mut located = Vec::new();
    let mut g = c.benchmark_group("jsonl");
    g.throughput(Throughput::Bytes(data.len() as u64));
    g.sample_size(10);

    g.bench_function("split_lines_floor", |b| {
        b.iter(|| memchr::memchr_iter(b'\n', black_box(&data)).count())
    });

    // Locate the `text` field of every line (validating the whole line).
    let locate_only = |located: &mut Vec<jsonl::Located>| {
        let mut n = 0;
        for line in &lines {
            located.clear();
            jsonl::locate(line, &fields, located).unwrap();
            n += located.len();
        }
        n
    };
    assert_eq!(
        locate_only(&mut located),
        lines.len(),
        "one text field per line"
    );
    g.bench_function("locate", |b| b.iter(|| locate_only(&mut located)));

    // Locate and decode (unescape, check UTF-8) the `text` field of every line.
    let locate_all = |located: &mut Vec<jsonl::Located>| {
        let mut decoded_bytes = 0;
        for line in &lines {
            located.clear();
            jsonl::locate(line, &fields, located).unwrap();
            for l in located.iter() {
                let d =
                    jsonl::decode_literal(&line[l.raw.clone()], l.escaped, l.raw.start).unwrap();
                decoded_bytes += d.text.len();
            }
        }
        decoded_bytes
    };
    assert!(
        locate_all(&mut located) > data.len() / 2,
        "every line's text is found"
    );
    g.bench_function("locate_and_decode", |b| b.iter(|| locate_all(&mut located)));

    // The whole path on one worker thread: stream in, redact, write to a sink.
    let redactor = Redactor::new().unwrap();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let opts = Options::new(Mode::Redact, Format::Jsonl);
    let run = || {
        let stream = input::stream(
            Box::new(std::io::Cursor::new(data.clone())),
            Compression::None,
        )
        .unwrap();
        pool.install(|| {
            shard::process(
                &redactor,
                &opts,
                "bench",
                stream,
                &mut std::io::sink(),
                &Quiet,
            )
        })
        .unwrap()
    };
    let done = run();
    assert_eq!(
        done.counts.findings, injected,
        "exactly the injected values are redacted"
    );
    assert_eq!(done.counts.documents, lines.len() as u64);
    g.bench_function("redact_shard_1_worker", |b| b.iter(run));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
