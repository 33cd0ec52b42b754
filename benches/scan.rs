//! Scanner throughput on one core: over prose with sparse personal data, over text
//! dense with it, over code; each rule family alone and all rules; the pass that cuts
//! the windows the number rules run in; the validators.
//!
//! Run: `cargo bench --bench scan` (or one group: `cargo bench --bench scan -- families`).
//! Criterion prints bytes/s (elements/s for validators); the `read_floor` case (counting
//! one byte with memchr over the same text) is the floor to compare against in the same
//! run.
//!
//! The text comes from the seeded corpus generator (`corpus/gen/text.rs`), so the bench
//! needs no data file: web-like prose with ordinary numbers (years, prices, times,
//! versions, dates, commit hashes) and, per 10 KB or so, one injected email, IP address,
//! phone number, card, IBAN or AWS key id; the same with a value in every other sentence
//! (dense); source and config files with digests, UUIDs and versions (code). Every bench
//! first checks that it finds exactly the injected values (or validates exactly the
//! valid candidates), so a change that is fast because it is wrong fails instead of
//! looking good.

#[path = "../corpus/gen/text.rs"]
mod text;

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, Throughput, criterion_group, criterion_main};
use shardscrub::Redactor;
use shardscrub::dict::AllowList;
use shardscrub::rules::Strategy;
use shardscrub::scan::{ScanOptions, Scanner, windows};
use shardscrub::validate::{iban, luhn};
use std::collections::{BTreeMap, BTreeSet};
use std::hint::black_box;
use text::{Injected, Rng};

type Generator = fn(&mut Rng, usize, &mut Injected) -> String;

/// About `bytes` of documents of about 2 KB each from `make`, with paragraph breaks made
/// spaces (one document is one line of text), and how many values of each label were
/// injected.
fn corpus(bytes: usize, make: Generator) -> (Vec<String>, Injected) {
    let mut rng = Rng::new(1);
    let mut injected = Injected::default();
    let mut docs = Vec::new();
    let mut total = 0;
    while total < bytes {
        let d = make(&mut rng, 2048, &mut injected).replace("\n\n", " ");
        total += d.len() + 1;
        docs.push(d);
    }
    (docs, injected)
}

fn bytes_of(docs: &[String]) -> u64 {
    docs.iter().map(|d| d.len() as u64 + 1).sum()
}

/// Findings of `redactor` over `docs`, per label.
fn found(redactor: &Redactor, docs: &[String]) -> BTreeMap<&'static str, u64> {
    let scanner = redactor.scanner();
    let mut scratch = scanner.scratch();
    let mut n = BTreeMap::new();
    for d in docs {
        for f in scanner.scan(d, &mut scratch) {
            *n.entry(f.label.as_str()).or_default() += 1;
        }
    }
    n
}

/// Every document's findings as (start, end, label).
fn spans(scanner: &Scanner, docs: &[String]) -> Vec<Vec<(usize, usize, &'static str)>> {
    let mut scratch = scanner.scratch();
    docs.iter()
        .map(|d| {
            scanner
                .scan(d, &mut scratch)
                .iter()
                .map(|f| (f.start, f.end, f.label.as_str()))
                .collect()
        })
        .collect()
}

/// The injected counts of the labels `keep` accepts, per label.
fn expected(injected: Injected, keep: impl Fn(&str) -> bool) -> BTreeMap<&'static str, u64> {
    text::LABELS
        .iter()
        .zip(injected.0)
        .filter(|(l, n)| *n > 0 && keep(l))
        .map(|(l, n)| (*l, n))
        .collect()
}

/// Times `redactor`'s scanner over `docs` as case `name` of group `g`.
fn time_scan(g: &mut BenchmarkGroup<WallTime>, name: &str, scanner: &Scanner, docs: &[String]) {
    let mut scratch = scanner.scratch();
    g.bench_function(name, |b| {
        b.iter(|| {
            let mut n = 0;
            for d in docs {
                n += scanner.scan(black_box(d), &mut scratch).len();
            }
            n
        })
    });
}

/// All rules over dense text and over code, after checking their counts.
fn dense_and_code(c: &mut Criterion) {
    let redactor = Redactor::new().unwrap();
    for (group, make) in [
        ("scan_dense", text::dense_document as Generator),
        ("scan_code", text::code_document as Generator),
    ] {
        let (docs, injected) = corpus(4 << 20, make);
        assert_eq!(
            found(&redactor, &docs),
            expected(injected, |_| true),
            "{group}: the scanner must find exactly the injected values"
        );
        let mut g = c.benchmark_group(group);
        g.throughput(Throughput::Bytes(bytes_of(&docs)));
        g.sample_size(10);
        time_scan(&mut g, "all_rules", redactor.scanner(), &docs);
        g.finish();
    }
}

/// A scanner with only the built-in rules of `labels` (and the default allow list).
/// `Redactor::builder().labels(..)` would not do: it filters findings after every rule
/// has run, and this bench measures what a family costs on its own.
fn family_scanner(labels: &BTreeSet<&str>) -> Scanner {
    let mut set = shardscrub::rules::load(&[]).unwrap();
    set.retain(|r| labels.contains(r.label.as_str()));
    let mut allow = AllowList::new();
    allow.extend_from_text(shardscrub::rules::DEFAULT_ALLOW);
    let opts = ScanOptions {
        allow,
        ..ScanOptions::default()
    };
    Scanner::new(set, opts).unwrap()
}

/// Each rule family (a built-in rule file, or the national ID files together) alone over
/// the prose, against all rules.
fn families(c: &mut Criterion) {
    let (docs, injected) = corpus(4 << 20, text::document);
    let all = Redactor::new().unwrap();
    let mut by_family: BTreeMap<String, BTreeSet<&'static str>> = BTreeMap::new();
    for r in all.scanner().rules().rules() {
        // "patterns/contact.toml" -> contact, "patterns/national_ids/de.toml" -> national_ids
        let path = r.source.trim_start_matches("patterns/");
        let family = path.split(['/', '.']).next().unwrap_or("?").to_owned();
        by_family
            .entry(family)
            .or_default()
            .insert(r.label.as_str());
    }
    let mut g = c.benchmark_group("families");
    g.throughput(Throughput::Bytes(bytes_of(&docs)));
    g.sample_size(10);
    let with_all = spans(all.scanner(), &docs);
    assert_eq!(
        with_all.iter().flatten().count() as u64,
        injected.total(),
        "all rules find exactly the injected values"
    );
    for (family, labels) in &by_family {
        let alone = family_scanner(labels);
        // Alone, a family finds everything all rules give its labels, plus values that
        // all rules give to another label (a card's digits read as a phone number when
        // the card rule is off): nothing else.
        let mut extra = 0;
        for (alone, all) in spans(&alone, &docs).iter().zip(&with_all) {
            for f in all.iter().filter(|f| labels.contains(f.2)) {
                assert!(alone.contains(f), "family {family} misses {f:?}");
            }
            for f in alone.iter().filter(|f| !all.contains(f)) {
                let claimed = all
                    .iter()
                    .any(|g| !labels.contains(g.2) && g.0 < f.1 && f.0 < g.1);
                assert!(claimed, "family {family} finds {f:?}, which no rule claims");
                extra += 1;
            }
        }
        if extra > 0 {
            eprintln!(
                "families/{family}: {extra} values another family claims are found as this family's labels when it runs alone"
            );
        }
        time_scan(&mut g, family, &alone, &docs);
    }
    time_scan(&mut g, "all_rules", all.scanner(), &docs);
    g.finish();
}

/// The validators alone, on candidates of which a known share is valid.
fn validators(c: &mut Criterion) {
    let mut rng = Rng::new(3);
    // Card numbers: a valid test number, or the same with one digit changed (which always
    // breaks the Luhn sum).
    let cards: Vec<String> = (0..10_000)
        .map(|i| {
            let card = rng.pick(&["4111111111111111", "5555555555554444", "4012888888881881"]);
            if i % 2 == 0 {
                card.to_owned()
            } else {
                let mut b = card.as_bytes().to_vec();
                b[5] = b'0' + (b[5] - b'0' + 1) % 10;
                String::from_utf8(b).unwrap()
            }
        })
        .collect();
    let ibans: Vec<String> = (0..10_000)
        .map(|i| match i % 2 {
            0 => rng
                .pick(&["GB82WEST12345698765432", "DE89370400440532013000"])
                .to_owned(),
            _ => rng
                .pick(&["GB82WEST12345698765433", "DE89370400440532013001"])
                .to_owned(),
        })
        .collect();
    let mut g = c.benchmark_group("validators");
    for (name, items, check) in [
        ("luhn_card", &cards, luhn::credit_card as fn(&[u8]) -> bool),
        ("iban_mod97", &ibans, iban::iban as fn(&[u8]) -> bool),
    ] {
        let valid = items.iter().filter(|s| check(s.as_bytes())).count();
        assert_eq!(
            valid,
            items.len() / 2,
            "{name}: exactly the valid half passes"
        );
        g.throughput(Throughput::Elements(items.len() as u64));
        g.bench_function(name, |b| {
            b.iter(|| {
                items
                    .iter()
                    .filter(|s| check(black_box(s.as_bytes())))
                    .count()
            })
        });
    }
    g.finish();
}

fn prose(c: &mut Criterion) {
    let (docs, injected) = corpus(8 << 20, text::document);
    let bytes = bytes_of(&docs);
    let redactor = Redactor::new().unwrap();
    assert_eq!(
        found(&redactor, &docs),
        expected(injected, |_| true),
        "the scanner must find exactly the injected values"
    );
    assert!(injected.total() > 100, "the corpus must hold findings");
    let scanner = redactor.scanner();
    let mut scratch = scanner.scratch();

    let mut g = c.benchmark_group("scan_prose");
    g.throughput(Throughput::Bytes(bytes));
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

/// The pass that cuts digit and token windows, over the prose: the scanner's first look
/// at every byte. Checked first: every value a number rule finds when it runs alone over
/// the whole document (and that holds the four digits such values need) lies inside a
/// digit window.
fn prefilter(c: &mut Criterion) {
    let (docs, _) = corpus(8 << 20, text::document);
    let redactor = Redactor::new().unwrap();
    let scanner = redactor.scanner();
    let reach = scanner.digit_reach();
    let digit_rules: Vec<usize> = (0..scanner.rules().rules().len())
        .filter(|&i| scanner.rules().rules()[i].strategy == Strategy::Digits)
        .collect();
    let (mut digits, mut tokens) = (Vec::new(), Vec::new());
    let mut scratch = scanner.scratch();
    let mut checked = 0;
    for d in &docs {
        windows::find(d.as_bytes(), Some((&mut digits, reach)), None, None);
        for &r in &digit_rules {
            for v in scanner.scan_rule_alone(r, d, &mut scratch) {
                if windows::opens_a_window(&d.as_bytes()[v.range()]) {
                    let inside = digits.iter().any(|w| w.start <= v.start && v.end <= w.end);
                    assert!(inside, "a value of rule {r} lies outside the digit windows");
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 100, "the prose must hold number values");
    let mut g = c.benchmark_group("prefilter");
    g.throughput(Throughput::Bytes(bytes_of(&docs)));
    g.sample_size(20);
    g.bench_function("digit_and_token_windows", |b| {
        b.iter(|| {
            let mut n = 0;
            for d in &docs {
                windows::find(
                    black_box(d.as_bytes()),
                    Some((&mut digits, reach)),
                    Some(&mut tokens),
                    None,
                );
                n += digits.len() + tokens.len();
            }
            n
        })
    });
    g.finish();
}

criterion_group!(
    benches,
    prose,
    prefilter,
    dense_and_code,
    families,
    validators
);
criterion_main!(benches);
