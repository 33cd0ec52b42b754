//! Scanner throughput on one core, over generated prose with sparse personal data.
//!
//! Run: `cargo bench --bench scan`. Criterion prints bytes/s for each case; the
//! `read_floor` case (counting lines with memchr over the same bytes) is the floor to
//! compare against in the same run.
//!
//! The text comes from the seeded corpus generator (`corpus/gen/text.rs`), so the bench
//! needs no data file: web-like prose with ordinary numbers (years, prices, times,
//! versions, dates, commit hashes) and, per 10 KB or so, one injected email, IP address,
//! phone number, card, IBAN or AWS key id. Each bench first checks that the scanner finds
//! exactly the injected values, so a change that is fast because it is wrong fails
//! instead of looking good.

#[path = "../corpus/gen/text.rs"]
mod text;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use shardscrub::Redactor;
use std::hint::black_box;
use text::{Injected, Rng};

/// About `bytes` of documents of about 2 KB each, with paragraph breaks made spaces (one
/// document is one line of text), and how many values were injected.
fn corpus(bytes: usize) -> (Vec<String>, u64) {
    let mut rng = Rng::new(1);
    let mut injected = Injected::default();
    let mut docs = Vec::new();
    let mut total = 0;
    while total < bytes {
        let d = text::document(&mut rng, 2048, &mut injected).replace("\n\n", " ");
        total += d.len() + 1;
        docs.push(d);
    }
    (docs, injected.total())
}

fn bench(c: &mut Criterion) {
    let (docs, injected) = corpus(8 << 20);
    let bytes: usize = docs.iter().map(|d| d.len() + 1).sum();
    let redactor = Redactor::new().unwrap();
    let scanner = redactor.scanner();
    let mut scratch = scanner.scratch();
    let found: u64 = docs
        .iter()
        .map(|d| scanner.scan(d, &mut scratch).len() as u64)
        .sum();
    assert_eq!(
        found, injected,
        "the scanner must find exactly the injected values"
    );
    assert!(injected > 100, "the corpus must hold findings");

    let mut g = c.benchmark_group("scan_prose");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.sample_size(20);
    g.bench_function("read_floor", |b| {
        b.iter(|| {
            docs.iter()
                .map(|d| memchr::memchr_iter(b'.', d.as_bytes()).count())
                .sum::<usize>()
        })
    });
    g.bench_function("all_rules", |b| {
        b.iter(|| {
            let mut n = 0;
            for d in &docs {
                n += scanner.scan(black_box(d), &mut scratch).len();
            }
            n
        })
    });
    let mut out = String::new();
    g.bench_function("all_rules_redact", |b| {
        b.iter(|| {
            let mut n = 0;
            for d in &docs {
                out.clear();
                n += redactor
                    .redact_into(black_box(d), &mut scratch, &mut out)
                    .len();
            }
            n
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
