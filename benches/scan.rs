//! Scanner throughput on one core, over generated prose with sparse personal data.
//!
//! Run: `cargo bench --bench scan`. Criterion prints bytes/s for each case; the
//! `read_floor` case (counting lines with memchr over the same bytes) is the floor to
//! compare against in the same run.
//!
//! The text is generated here, seeded, so the bench needs no data file: web-like prose
//! in three languages with short numbers (years, prices, times, versions) and, per
//! 10 KB or so, one injected email, IPv4 address or international phone number. Each
//! bench first checks that the scanner finds exactly the injected values, so a change
//! that is fast because it is wrong fails instead of looking good.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use shardscrub::Redactor;
use std::hint::black_box;

/// A small deterministic generator (xorshift), so the text is the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

const WORDS: &[&str] = &[
    "the",
    "of",
    "and",
    "to",
    "in",
    "data",
    "model",
    "training",
    "system",
    "user",
    "server",
    "release",
    "version",
    "update",
    "performance",
    "memory",
    "network",
    "request",
    "error",
    "configuration",
    "file",
    "support",
    "license",
    "project",
    "community",
    "documentation",
    "der",
    "die",
    "und",
    "nicht",
    "mit",
    "Daten",
    "Benutzer",
    "Leistung",
    "le",
    "la",
    "les",
    "des",
    "pour",
    "avec",
    "données",
    "utilisateur",
    "résultat",
    "größer",
    "über",
    "déjà",
    "quickly",
    "because",
    "between",
    "without",
    "however",
    "should",
];

/// One document (a line) of prose, and how many values were injected into it.
fn document(rng: &mut Rng, target: usize) -> (String, usize) {
    let mut doc = String::with_capacity(target + 64);
    let mut injected = 0;
    while doc.len() < target {
        let n = 6 + rng.below(12);
        for i in 0..n {
            if i > 0 {
                doc.push(' ');
            }
            doc.push_str(rng.pick(WORDS));
        }
        match rng.below(12) {
            0 => doc.push_str(&format!(" in {}", 1990 + rng.below(35))),
            1 => doc.push_str(&format!(
                " for {}.{:02} EUR",
                rng.below(500),
                rng.below(100)
            )),
            2 => doc.push_str(&format!(" at {:02}:{:02}", rng.below(24), rng.below(60))),
            3 => doc.push_str(&format!(
                " (v{}.{}.{})",
                rng.below(10),
                rng.below(30),
                rng.below(10)
            )),
            _ => {}
        }
        doc.push_str(". ");
        // Roughly one injected value per 10 KB of text.
        if rng.below(80) == 0 {
            injected += 1;
            match rng.below(3) {
                0 => doc.push_str(&format!("Write to user{}@corp.eu. ", rng.below(1000))),
                1 => doc.push_str(&format!("Seen from 81.2.69.{}. ", 1 + rng.below(250))),
                _ => doc.push_str(&format!("Call +44 20 7946 {:04}. ", rng.below(10_000))),
            }
        }
    }
    (doc, injected)
}

/// About `bytes` of documents of about 2 KB each.
fn corpus(bytes: usize) -> (Vec<String>, usize) {
    let mut rng = Rng(0x5eed_cafe_f00d_1234);
    let mut docs = Vec::new();
    let (mut total, mut injected) = (0, 0);
    while total < bytes {
        let (d, n) = document(&mut rng, 2048);
        total += d.len() + 1;
        injected += n;
        docs.push(d);
    }
    (docs, injected)
}

fn bench(c: &mut Criterion) {
    let (docs, injected) = corpus(8 << 20);
    let bytes: usize = docs.iter().map(|d| d.len() + 1).sum();
    let redactor = Redactor::new().unwrap();
    let scanner = redactor.scanner();
    let mut scratch = scanner.scratch();
    let found: usize = docs
        .iter()
        .map(|d| scanner.scan(d, &mut scratch).len())
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
