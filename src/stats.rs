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

/// Documents of one registrable domain and the UTF-8 bytes of their scanned fields:
/// `[documents kept, bytes kept, documents dropped, bytes dropped]` (dropped by an
/// opt-out list or `--drop-doc-over`). An array, so that millions of domains stay small
/// in a statistics file.
pub type Size = [u64; 4];

/// Where the documents come from (`--url-field`): content size per registrable domain.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Domains {
    /// Documents read with a URL field to look at (bad records aside).
    pub documents: u64,
    /// Per registrable domain, sorted: see [`Size`]. Documents without a URL, with one
    /// that cannot be read (kept, never dropped for it), with an IP address for a host
    /// and left out by an opt-out list are under the keys [`web::NO_URL`],
    /// [`web::BAD_URL`], [`web::IP_HOSTS`] and [`web::OPTED_OUT`], which start with `(`
    /// as no domain does.
    ///
    /// [`web::OPTED_OUT`]: crate::web::OPTED_OUT
    /// [`web::NO_URL`]: crate::web::NO_URL
    /// [`web::BAD_URL`]: crate::web::BAD_URL
    /// [`web::IP_HOSTS`]: crate::web::IP_HOSTS
    pub sizes: BTreeMap<Box<str>, Size>,
}

impl Domains {
    /// True when no document was looked at (no `--url-field`).
    pub fn is_empty(&self) -> bool {
        self.documents == 0
    }
}

impl std::ops::AddAssign<&Domains> for Domains {
    fn add_assign(&mut self, o: &Domains) {
        self.documents += o.documents;
        for (k, v) in &o.sizes {
            let s = self.sizes.entry(k.clone()).or_default();
            for i in 0..4 {
                s[i] += v[i];
            }
        }
    }
}

/// Documents matched by one opt-out list, by kind of entry.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ByKind {
    /// Through a domain entry.
    pub domain: u64,
    /// Through a URL-prefix entry.
    pub url: u64,
    /// Through a field-value entry.
    pub field: u64,
}

/// Documents left out by `--opt-out` lists.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OptOutCounts {
    /// Documents left out.
    pub documents: u64,
    /// UTF-8 bytes of their scanned fields.
    pub text_bytes: u64,
    /// Per list, in the order given (a document counts for the first list it matches).
    pub lists: Vec<ByKind>,
}

impl OptOutCounts {
    /// True when no list was given.
    pub fn is_empty(&self) -> bool {
        self.lists.is_empty()
    }

    /// Counts one document left out through list `list` by a `kind` entry.
    pub fn add(&mut self, list: usize, kind: crate::optout::Kind, text_bytes: u64) {
        use crate::optout::Kind;
        if self.lists.len() <= list {
            self.lists.resize(list + 1, ByKind::default());
        }
        let k = &mut self.lists[list];
        match kind {
            Kind::Domain => k.domain += 1,
            Kind::Url => k.url += 1,
            Kind::Field => k.field += 1,
        }
        self.documents += 1;
        self.text_bytes += text_bytes;
    }
}

impl std::ops::AddAssign<&OptOutCounts> for OptOutCounts {
    fn add_assign(&mut self, o: &OptOutCounts) {
        self.documents += o.documents;
        self.text_bytes += o.text_bytes;
        if self.lists.len() < o.lists.len() {
            self.lists.resize(o.lists.len(), ByKind::default());
        }
        for (a, b) in self.lists.iter_mut().zip(&o.lists) {
            a.domain += b.domain;
            a.url += b.url;
            a.field += b.field;
        }
    }
}

/// What happened to the documents of one shard (or of several, summed).
///
/// `documents == scanned + skipped + kept + opt_out.documents`; lines out =
/// `lines - dropped - skipped - opt_out.documents`.
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
    /// Documents left out by opt-out lists (with `--opt-out`).
    #[serde(default, skip_serializing_if = "OptOutCounts::is_empty")]
    pub opt_out: OptOutCounts,
    /// Content size per registrable domain (with `--url-field`).
    #[serde(default, skip_serializing_if = "Domains::is_empty")]
    pub domains: Domains,
}

impl Counts {
    /// Counts where a document came from (`--url-field`): `domain` is its registrable
    /// domain, `Err(true)` a URL that could not be read, `Err(false)` no URL;
    /// `text_bytes` the size of its scanned fields; `kept` whether it is written.
    pub fn add_source(&mut self, domain: Result<&str, bool>, text_bytes: u64, kept: bool) {
        let d = &mut self.domains;
        d.documents += 1;
        let name = match domain {
            Ok(name) => name,
            Err(true) => crate::web::BAD_URL,
            Err(false) => crate::web::NO_URL,
        };
        let s = match d.sizes.get_mut(name) {
            Some(s) => s,
            None => d.sizes.entry(name.into()).or_default(),
        };
        let i = if kept { 0 } else { 2 };
        s[i] += 1;
        s[i + 1] += text_bytes;
    }

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
        self.opt_out += &o.opt_out;
        self.domains += &o.domains;
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
