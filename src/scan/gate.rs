//! Where the gated number rules may match: next to one of their words.
//!
//! A gated rule (`context_required` with a `context_window`, such as `phone_with_word`)
//! has a shape so loose that it matches in nearly every digit window; only its words,
//! which must stand within `context_window` bytes of the match with no digit or line
//! break between, make a match a candidate. So the scanner searches a gated rule only
//! where such a word can be:
//!
//! 1. inside a digit window, the gated rules' own **stretches**: runs of digits no two
//!    neighbours of which are further apart than a gated match allows, holding as many
//!    digits as the gated rules' validators need (a date or a price has too few), and
//!    reaching only as far around those digits as a gated match can ([`DigitReach`] of
//!    the gated rules, much narrower than the window's, which an IBAN widens);
//! 2. around each stretch, the words are looked for in the text a word may occupy: at
//!    most `context_window` bytes away, and not past a digit or a line break outside
//!    the stretch, since one between the word and the match rules the word out; and in
//!    a CSV or TSV row, in the header cells of the columns the stretch covers.
//!
//! Both are necessary conditions of [`super::Near`]'s tight check, so the findings are
//! those of a search of every window; the unit tests of the scanner compare the two.
//! (The scanner also skips stretches that a stronger candidate already holds; see
//! `Scanner::scan_gated`.)

use super::table::{Lines, header_cell};
use super::windows::DigitReach;
use crate::rules::RuleSet;
use crate::span::Span;
use crate::validate::Validator;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

/// The gated rules' words, and where they are looked for.
#[derive(Debug)]
pub(super) struct Gate {
    /// Every gated rule's context words, in one DFA (any ASCII case).
    words: AhoCorasick,
    /// Per word: the positions in the gated rules of the rules it opens.
    opens: Vec<Vec<usize>>,
    /// The widest `context_window` of the gated rules.
    reach: usize,
    /// The fewest digits any gated rule's validator accepts.
    digits: usize,
    /// How far a gated match reaches around and between its digits.
    shape: DigitReach,
}

impl Gate {
    /// The gate of the rules `gated` of `rules` (`None` when none has a context word).
    pub(super) fn build(
        rules: &RuleSet,
        gated: &[usize],
    ) -> Result<Option<Gate>, aho_corasick::BuildError> {
        let gated: Vec<_> = gated.iter().map(|&r| &rules.rules()[r]).collect();
        let mut words: Vec<(String, Vec<usize>)> = Vec::new();
        for (g, rule) in gated.iter().enumerate() {
            for w in rule.context.iter().chain(&rule.context_weak) {
                let w = w.to_ascii_lowercase();
                match words.iter_mut().find(|(x, _)| *x == w) {
                    Some((_, opens)) if !opens.contains(&g) => opens.push(g),
                    Some(_) => {}
                    None => words.push((w, vec![g])),
                }
            }
        }
        if words.is_empty() {
            return Ok(None);
        }
        // Leftmost-longest, so that `telephone` is seen whole, not as `tel`.
        let ac = AhoCorasickBuilder::new()
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .match_kind(MatchKind::LeftmostLongest)
            .ascii_case_insensitive(true)
            .build(words.iter().map(|(w, _)| w))?;
        Ok(Some(Gate {
            words: ac,
            opens: words.into_iter().map(|(_, g)| g).collect(),
            reach: gated
                .iter()
                .filter_map(|r| r.context_window)
                .max()
                .unwrap_or(0),
            digits: gated
                .iter()
                .map(|r| r.validator.and_then(Validator::min_digits).unwrap_or(1))
                .min()
                .unwrap_or(1),
            shape: DigitReach::covering(gated.iter().map(|r| r.digit_shape())),
        }))
    }

    /// Calls `f` with each stretch of window `w` in which a gated rule may match (see the
    /// module doc), in order, and the span from its first to its last digit.
    pub(super) fn stretches(&self, hay: &[u8], w: Span, mut f: impl FnMut(Span, Span)) {
        let bytes = &hay[w.range()];
        // A run as far around its digits as a gated match can reach, and its digits.
        let mut emit = |first: usize, last: usize| {
            let digits = Span::new(w.start + first, w.start + last + 1);
            let stretch = Span::new(
                digits.start.saturating_sub(self.shape.before).max(w.start),
                (digits.end + self.shape.after).min(w.end),
            );
            f(stretch, digits);
        };
        // The current run: its first and last digit (or `:`), and its ASCII digits.
        let (mut first, mut last, mut n) = (usize::MAX, 0, 0);
        for (i, &b) in bytes.iter().enumerate() {
            let digit = b.is_ascii_digit();
            if !digit && b != b':' {
                continue;
            }
            if first == usize::MAX {
                first = i;
            } else if i - last - 1 > self.shape.gap {
                if n >= self.digits {
                    emit(first, last);
                }
                (first, n) = (i, 0);
            }
            last = i;
            n += usize::from(digit);
        }
        if first != usize::MAX && n >= self.digits {
            emit(first, last);
        }
    }

    /// Marks in `open` (one flag per gated rule) the gated rules with a word where it may
    /// vouch for a match in stretch `s`; true when any is marked.
    pub(super) fn open(&self, hay: &[u8], s: Span, lines: &Lines, open: &mut [bool]) -> bool {
        open.fill(false);
        let stop = |b: &u8| b.is_ascii_digit() || *b == b'\n';
        let lo = s.start.saturating_sub(self.reach);
        let hi = (s.end + self.reach).min(hay.len());
        let lo = hay[lo..s.start]
            .iter()
            .rposition(stop)
            .map_or(lo, |p| lo + p + 1);
        let hi = hay[s.end..hi]
            .iter()
            .position(stop)
            .map_or(hi, |p| s.end + p);
        let mut any = self.mark(hay, Span::new(lo, hi), open);
        // In a CSV or TSV row, the header cell of a column the stretch covers counts as
        // context too (see `Near::in_header`).
        let starts = std::iter::once(s.start).chain(
            hay[s.range()]
                .iter()
                .enumerate()
                .filter(|&(_, &b)| b == b',' || b == b'\t')
                .map(|(i, _)| s.start + i + 1),
        );
        for at in starts {
            if let Some(cell) = header_cell(hay, lines, at) {
                any |= self.mark(hay, cell, open);
            }
        }
        any
    }

    /// Marks in `open` the gated rules of the words found in `hay[within]`; true when
    /// any is marked.
    fn mark(&self, hay: &[u8], within: Span, open: &mut [bool]) -> bool {
        let mut any = false;
        let input = aho_corasick::Input::new(&hay[..within.end]).span(within.range());
        for m in self.words.find_iter(input) {
            for &g in &self.opens[m.pattern().as_usize()] {
                open[g] = true;
                any = true;
            }
        }
        any
    }
}
