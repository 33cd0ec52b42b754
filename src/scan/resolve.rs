//! One span per byte: choosing among overlapping candidates.
//!
//! Candidates are ranked by a total order (priority, higher first; then length, longer
//! first; then start, leftmost first; then rule id) and accepted greedily when they
//! overlap nothing accepted before. The order is total, so the result does not depend on
//! the order in which rules ran: the same text always gives the same findings.

use crate::labels::Label;
use crate::span::{Finding, RuleId, Span};
use std::cmp::Reverse;
use std::collections::BTreeMap;

/// A confirmed match before resolution.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Candidate {
    /// Where.
    pub span: Span,
    /// What.
    pub label: Label,
    /// Which rule.
    pub rule: RuleId,
    /// The rule's priority (plus the context bonus).
    pub priority: i32,
}

/// Resolves `cands` (reordered in place) into `out`: non-overlapping, sorted by start.
pub fn resolve(cands: &mut [Candidate], out: &mut Vec<Finding>) {
    out.clear();
    cands.sort_unstable_by_key(|c| {
        (
            Reverse(c.priority),
            Reverse(c.span.len()),
            c.span.start,
            c.rule.as_str(),
        )
    });
    // Accepted spans by start; they never overlap, so only the last one starting before
    // a candidate's end can overlap it.
    let mut taken: BTreeMap<usize, (usize, usize)> = BTreeMap::new();
    for (i, c) in cands.iter().enumerate() {
        let clash = taken
            .range(..c.span.end)
            .next_back()
            .is_some_and(|(_, &(end, _))| end > c.span.start);
        if !clash {
            taken.insert(c.span.start, (c.span.end, i));
        }
    }
    out.extend(taken.values().map(|&(_, i)| {
        let c = cands[i];
        Finding {
            start: c.span.start,
            end: c.span.end,
            label: c.label,
            rule: c.rule,
        }
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(start: usize, end: usize, priority: i32, rule: &str) -> Candidate {
        Candidate {
            span: Span::new(start, end),
            label: Label::new("SECRET").unwrap(),
            rule: RuleId::new(rule),
            priority,
        }
    }

    fn spans(cands: &mut [Candidate]) -> Vec<(usize, usize, &'static str)> {
        let mut out = Vec::new();
        resolve(cands, &mut out);
        out.iter()
            .map(|f| (f.start, f.end, f.rule.as_str()))
            .collect()
    }

    /// Candidates in, expected `(start, end, rule)` out.
    type Case = (Vec<Candidate>, Vec<(usize, usize, &'static str)>);

    #[test]
    fn table() {
        let cases: Vec<Case> = vec![
            (vec![c(0, 5, 50, "a"), c(3, 9, 50, "b")], vec![(3, 9, "b")]),
            (vec![c(0, 5, 60, "a"), c(3, 9, 50, "b")], vec![(0, 5, "a")]),
            (vec![c(0, 4, 50, "a"), c(2, 6, 50, "b")], vec![(0, 4, "a")]),
            (vec![c(0, 4, 50, "b"), c(0, 4, 50, "a")], vec![(0, 4, "a")]),
            (
                vec![c(10, 12, 50, "a"), c(0, 4, 50, "b"), c(4, 8, 50, "c")],
                vec![(0, 4, "b"), (4, 8, "c"), (10, 12, "a")],
            ),
            (vec![c(2, 4, 90, "a"), c(0, 10, 50, "b")], vec![(2, 4, "a")]),
        ];
        for (mut input, want) in cases {
            assert_eq!(spans(&mut input), want);
        }
    }
}
