//! The audit sample (`--audit-sample N`): up to N findings per label, each shown as its
//! placeholder with about [`CONTEXT_CHARS`] characters on either side in which every
//! other finding is replaced too, so a person can estimate precision by reading. The
//! original value is never in it.
//!
//! The choice is reproducible and independent of threads and chunking: every finding
//! gets a pseudo-random key from its value and position ([`key`]), and the sample keeps
//! the N smallest `(key, shard, line, field, start)` per label. Keeping the smallest
//! is mergeable, so chunks, shards and runs can each keep theirs and merge.

use crate::Label;
use crate::rewrite::Template;
use crate::span::{Finding, RuleId};
use serde::Serialize;
use std::collections::BTreeMap;

/// Characters of context on each side of a sampled finding.
pub const CONTEXT_CHARS: usize = 40;

/// One sampled finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    /// The label.
    pub label: Label,
    /// The rule that found it.
    pub rule: RuleId,
    /// The shard (as named in messages), set when the shard is done.
    pub shard: String,
    /// Line of the shard (from 1); chunk-relative until the writer makes it absolute.
    pub line: u64,
    /// The JSONL field, when the shard is JSONL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Context before, other findings replaced by placeholders.
    pub before: String,
    /// The placeholder in place of the finding.
    pub placeholder: String,
    /// Context after, other findings replaced by placeholders.
    pub after: String,
    /// The sampling key.
    #[serde(skip)]
    pub key: u64,
    /// Byte offset of the finding in its field, the last tie-breaker.
    #[serde(skip)]
    pub start: usize,
}

impl AuditEntry {
    fn rank(&self) -> (u64, &str, u64, Option<&str>, usize) {
        (
            self.key,
            &self.shard,
            self.line,
            self.field.as_deref(),
            self.start,
        )
    }
}

/// A stable 64-bit hash (FNV-1a, then a splitmix64 finish so that nearby inputs spread
/// over the whole range). Stable across platforms and Rust versions, unlike `std`'s.
fn hash(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for &b in *p {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        h ^= 0xff;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h ^= h >> 30;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^= h >> 27;
    h = h.wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

/// The sampling key of the finding `value` at byte `start` of a text of `len` bytes.
pub fn key(value: &str, start: usize, len: usize) -> u64 {
    hash(&[
        value.as_bytes(),
        &(start as u64).to_le_bytes(),
        &(len as u64).to_le_bytes(),
    ])
}

/// The largest char boundary at most `chars` characters before `at`.
fn back(text: &str, at: usize, chars: usize) -> usize {
    text[..at]
        .char_indices()
        .rev()
        .nth(chars.saturating_sub(1))
        .map_or(0, |(i, _)| i)
}

/// The char boundary `chars` characters after `at` (or the end).
fn forward(text: &str, at: usize, chars: usize) -> usize {
    text[at..]
        .char_indices()
        .nth(chars)
        .map_or(text.len(), |(i, _)| at + i)
}

/// Appends `text[from..to]` with every finding in `others` that overlaps it replaced by
/// its placeholder; a finding reaching past either end is replaced whole.
fn redacted(text: &str, from: usize, to: usize, others: &[Finding], t: &Template) -> String {
    let mut out = String::new();
    let mut at = from;
    for g in others.iter().filter(|g| g.end > from && g.start < to) {
        out.push_str(&text[at..g.start.max(at)]);
        out.push_str(&t.prefix);
        out.push_str(g.label.as_str());
        out.push_str(&t.suffix);
        at = g.end;
    }
    if at < to {
        out.push_str(&text[at..to]);
    }
    out
}

/// Up to `n` entries per label, the smallest by rank.
#[derive(Debug, Default)]
pub struct Sample {
    n: usize,
    by_label: BTreeMap<Label, Vec<AuditEntry>>,
}

impl Sample {
    /// An empty sample keeping `n` findings per label (`0`: none).
    pub fn new(n: usize) -> Sample {
        Sample {
            n,
            by_label: BTreeMap::new(),
        }
    }

    /// True when an entry with this label and key could enter the sample; cheap, so the
    /// context is built only for those.
    pub fn wants(&self, label: Label, key: u64) -> bool {
        if self.n == 0 {
            return false;
        }
        self.by_label
            .get(&label)
            .is_none_or(|v| v.len() < self.n || v.last().is_some_and(|w| key <= w.key))
    }

    /// Offers one finding of `text` (`findings[i]`, among the text's sorted findings).
    pub fn offer_finding(
        &mut self,
        text: &str,
        findings: &[Finding],
        i: usize,
        line: u64,
        field: Option<&str>,
        template: &Template,
    ) {
        let f = findings[i];
        let k = key(&text[f.start..f.end], f.start, text.len());
        if !self.wants(f.label, k) {
            return;
        }
        let ws = back(text, f.start, CONTEXT_CHARS);
        let we = forward(text, f.end, CONTEXT_CHARS);
        self.offer(AuditEntry {
            label: f.label,
            rule: f.rule,
            shard: String::new(),
            line,
            field: field.map(str::to_owned),
            before: redacted(text, ws, f.start, &findings[..i], template),
            placeholder: format!("{}{}{}", template.prefix, f.label, template.suffix),
            after: redacted(text, f.end, we, &findings[i + 1..], template),
            key: k,
            start: f.start,
        });
    }

    /// Adds an entry, dropping the largest of its label beyond `n`.
    pub fn offer(&mut self, e: AuditEntry) {
        if self.n == 0 {
            return;
        }
        let v = self.by_label.entry(e.label).or_default();
        let at = v.partition_point(|x| x.rank() < e.rank());
        if at < self.n {
            v.insert(at, e);
            v.truncate(self.n);
        }
    }

    /// Adds every entry of `other`.
    pub fn merge(&mut self, other: Sample) {
        for e in other.into_entries() {
            self.offer(e);
        }
    }

    /// The entries, by label, then rank.
    pub fn into_entries(self) -> impl Iterator<Item = AuditEntry> {
        self.by_label.into_values().flatten()
    }

    /// True when this sample takes entries at all (`n > 0`).
    pub fn wanted(&self) -> bool {
        self.n > 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(start: usize, end: usize, label: &str) -> Finding {
        Finding::test(start, end, label, "r")
    }

    #[test]
    fn context_redacts_every_other_finding_and_cuts_on_characters() {
        let text = "ééé call 0123 or mail a@b.eu now, ip 81.2.69.160 bye";
        let a = text.find("0123").unwrap();
        let m = text.find("a@b.eu").unwrap();
        let ip = text.find("81.2").unwrap();
        let findings = [
            f(a, a + 4, "PHONE_NUMBER"),
            f(m, m + 6, "EMAIL_ADDRESS"),
            f(ip, ip + 11, "IP_ADDRESS"),
        ];
        let mut s = Sample::new(5);
        s.offer_finding(text, &findings, 1, 3, Some("text"), &Template::default());
        let e = s.into_entries().next().unwrap();
        assert_eq!(e.before, "ééé call <PHONE_NUMBER> or mail ");
        assert_eq!(e.placeholder, "<EMAIL_ADDRESS>");
        assert_eq!(e.after, " now, ip <IP_ADDRESS> bye");
        assert_eq!((e.line, e.field.as_deref()), (3, Some("text")));
        // A neighbour cut by the window (it starts before the 40 characters) is
        // replaced whole, never shown in part.
        let long = format!("{} a@b.eu", "x".repeat(60));
        let m = long.find("a@b.eu").unwrap();
        assert_eq!(back(&long, m, CONTEXT_CHARS), m - 40);
        let findings = [f(15, 25, "SECRET"), f(m, m + 6, "EMAIL_ADDRESS")];
        let mut s = Sample::new(1);
        s.offer_finding(&long, &findings, 1, 1, None, &Template::default());
        let e = s.into_entries().next().unwrap();
        assert_eq!(e.before, format!("<SECRET>{} ", "x".repeat(35)));
    }

    #[test]
    fn the_smallest_keys_are_kept_whatever_the_order() {
        let entry = |k: u64| AuditEntry {
            label: "EMAIL_ADDRESS".parse().unwrap(),
            rule: RuleId::new("email"),
            shard: "s".into(),
            line: k,
            field: None,
            before: String::new(),
            placeholder: String::new(),
            after: String::new(),
            key: k * 7919 % 101,
            start: 0,
        };
        let keys = |s: Sample| s.into_entries().map(|e| e.key).collect::<Vec<_>>();
        let mut forward = Sample::new(3);
        (0..50).for_each(|k| forward.offer(entry(k)));
        let (mut a, mut b) = (Sample::new(3), Sample::new(3));
        (0..50).rev().for_each(|k| {
            if k % 2 == 0 {
                a.offer(entry(k))
            } else {
                b.offer(entry(k))
            }
        });
        b.merge(a);
        let mut all: Vec<u64> = (0..50).map(|k| entry(k).key).collect();
        all.sort();
        assert_eq!(keys(forward), all[..3]);
        assert_eq!(keys(b), all[..3]);
    }
}
