//! Counts kept while shards are processed: per label and per rule, documents by outcome,
//! bytes and lines. Counts only, never text; summing is order-independent, so statistics
//! are the same for any number of threads.

use crate::Label;
use crate::span::Finding;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// Findings of one label or rule, and the documents that had at least one.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Count {
    /// Findings redacted (or reported, for `scan`).
    pub findings: u64,
    /// Documents with at least one such finding.
    pub documents: u64,
}

impl std::ops::AddAssign for Count {
    fn add_assign(&mut self, o: Count) {
        self.findings += o.findings;
        self.documents += o.documents;
    }
}

/// What happened to the documents of one shard (or of several, summed).
///
/// `documents == scanned + skipped + kept`; lines out = `lines - dropped - skipped`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Input lines (records), blank JSONL lines included.
    pub lines: u64,
    /// Blank lines of a JSONL shard, passed through and not counted as documents.
    pub blank_lines: u64,
    /// Documents read.
    pub documents: u64,
    /// Documents scanned.
    pub scanned: u64,
    /// Scanned documents with at least one finding (written with placeholders).
    pub redacted: u64,
    /// Documents left out of the output for having more findings than `--drop-doc-over`.
    pub dropped: u64,
    /// Findings inside dropped documents (not in the per-label counts).
    pub dropped_findings: u64,
    /// Bad records left out (`--on-error skip`).
    pub skipped: u64,
    /// Bad records copied unredacted (`--on-error keep`).
    pub kept: u64,
    /// Findings in written documents.
    pub findings: u64,
    /// Uncompressed bytes read.
    pub bytes_in: u64,
    /// Uncompressed bytes written.
    pub bytes_out: u64,
    /// Per label: findings in written documents, and those documents.
    pub labels: BTreeMap<Cow<'static, str>, Count>,
    /// Per rule id: findings in written documents, and those documents.
    pub rules: BTreeMap<Cow<'static, str>, Count>,
    /// Per label: values in written documents that a rule reported but an allow list
    /// kept as they are.
    #[serde(default)]
    pub allowed: BTreeMap<Cow<'static, str>, u64>,
}

impl Counts {
    /// Counts one written document's findings and allow-listed values (all its fields
    /// together).
    pub fn add_document(
        &mut self,
        findings: impl Iterator<Item = Finding>,
        allowed: impl Iterator<Item = Label>,
    ) {
        for label in allowed {
            *self
                .allowed
                .entry(Cow::Borrowed(label.as_str()))
                .or_default() += 1;
        }
        let mut n = 0;
        // Distinct labels and rules of this document: a handful, so a linear check is
        // cheaper than a set.
        let mut labels: Vec<&'static str> = Vec::new();
        let mut rules: Vec<&'static str> = Vec::new();
        for f in findings {
            n += 1;
            let (label, rule) = (f.label.as_str(), f.rule.as_str());
            let first_label = !labels.contains(&label);
            let first_rule = !rules.contains(&rule);
            let lc = self.labels.entry(Cow::Borrowed(label)).or_default();
            lc.findings += 1;
            if first_label {
                lc.documents += 1;
                labels.push(label);
            }
            let rc = self.rules.entry(Cow::Borrowed(rule)).or_default();
            rc.findings += 1;
            if first_rule {
                rc.documents += 1;
                rules.push(rule);
            }
        }
        self.scanned += 1;
        self.documents += 1;
        self.findings += n;
        if n > 0 {
            self.redacted += 1;
        }
    }
}

impl std::ops::AddAssign<&Counts> for Counts {
    fn add_assign(&mut self, o: &Counts) {
        self.lines += o.lines;
        self.blank_lines += o.blank_lines;
        self.documents += o.documents;
        self.scanned += o.scanned;
        self.redacted += o.redacted;
        self.dropped += o.dropped;
        self.dropped_findings += o.dropped_findings;
        self.skipped += o.skipped;
        self.kept += o.kept;
        self.findings += o.findings;
        self.bytes_in += o.bytes_in;
        self.bytes_out += o.bytes_out;
        for (k, v) in &o.labels {
            *self.labels.entry(k.clone()).or_default() += *v;
        }
        for (k, v) in &o.rules {
            *self.rules.entry(k.clone()).or_default() += *v;
        }
        for (k, v) in &o.allowed {
            *self.allowed.entry(k.clone()).or_default() += *v;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(label: &str, rule: &str) -> Finding {
        Finding::test(0, 1, label, rule)
    }

    #[test]
    fn documents_are_counted_once_per_label_and_rule() {
        let mut c = Counts::default();
        let doc = [
            f("EMAIL_ADDRESS", "email"),
            f("EMAIL_ADDRESS", "email"),
            f("IP_ADDRESS", "ipv4"),
        ];
        c.add_document(doc.iter().copied(), std::iter::empty());
        let kept = ["EMAIL_ADDRESS".parse::<Label>().unwrap(); 2];
        c.add_document(std::iter::empty(), kept.into_iter());
        assert_eq!(
            (c.documents, c.scanned, c.redacted, c.findings),
            (2, 2, 1, 3)
        );
        assert_eq!(
            c.labels["EMAIL_ADDRESS"],
            Count {
                findings: 2,
                documents: 1
            }
        );
        assert_eq!(
            c.rules["ipv4"],
            Count {
                findings: 1,
                documents: 1
            }
        );
        let mut sum = c.clone();
        sum += &c;
        assert_eq!(
            sum.labels["EMAIL_ADDRESS"],
            Count {
                findings: 4,
                documents: 2
            }
        );
        assert_eq!(sum.documents, 4);
        assert_eq!(sum.allowed["EMAIL_ADDRESS"], 4);
    }
}
