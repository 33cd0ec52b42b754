//! Where a finding is: [`Span`] (a byte range) and [`Finding`] (span + label + rule).

use crate::labels::Label;
use std::fmt;

/// A half-open byte range `start..end` into a document's text. `start <= end` always holds.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug, serde::Serialize)]
pub struct Span {
    /// First byte of the span.
    pub start: usize,
    /// One past the last byte of the span.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end`.
    ///
    /// # Panics
    /// When `start > end`: a reversed span is a bug in the caller, not bad input.
    pub fn new(start: usize, end: usize) -> Span {
        assert!(start <= end, "span start {start} > end {end}");
        Span { start, end }
    }

    /// Length in bytes.
    pub fn len(self) -> usize {
        self.end - self.start
    }

    /// True for an empty span.
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// True when the two spans share at least one byte.
    pub fn overlaps(self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// The range form, for slicing.
    pub fn range(self) -> std::ops::Range<usize> {
        self.start..self.end
    }
}

/// A rule's id, e.g. `email` or `aws_access_key_id`: interned like [`Label`], so it is `Copy`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RuleId(&'static str);

impl RuleId {
    /// Interns `id`. The rule loader checks that ids are snake_case and unique.
    pub fn new(id: &str) -> RuleId {
        RuleId(crate::labels::intern(id))
    }

    /// The id as text.
    pub fn as_str(self) -> &'static str {
        self.0
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `pad`, not `write_str`: widths and alignment (`{:<28}`) apply.
        f.pad(self.0)
    }
}

impl fmt::Debug for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl serde::Serialize for RuleId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0)
    }
}

/// One piece of personal data found in a document: where, what kind, and which rule said so.
///
/// Serialises as `{"start": B, "end": B, "label": "...", "rule": "..."}`, the span object of
/// `shardscrub scan` output.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, serde::Serialize)]
pub struct Finding {
    /// First byte of the finding in the document text.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// What kind of personal data it is.
    pub label: Label,
    /// The rule that found it.
    pub rule: RuleId,
}

impl Finding {
    /// The finding's byte range.
    pub fn span(&self) -> Span {
        Span::new(self.start, self.end)
    }
}

/// Findings built by hand, for unit tests.
#[cfg(test)]
impl Finding {
    /// A finding of `label` (a valid label name) by rule `rule` at `start..end`.
    pub(crate) fn test(start: usize, end: usize, label: &str, rule: &str) -> Finding {
        Finding {
            start,
            end,
            label: label.parse().expect("a valid label name"),
            rule: RuleId::new(rule),
        }
    }
}
