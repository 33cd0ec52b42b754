//! Where a rule's digits can sit inside its matches, read off the regex.
//!
//! Digit windows (see [`super::windows`]) are cut around clusters of digits. A window
//! holds every match of a rule only if it reaches as far before the first digit, as far
//! after the last digit and across as wide a digit-free stretch as the rule's matches
//! can. [`DigitShape::of`] bounds those three lengths from the regex's syntax tree, so
//! the windows can be as tight as the rules allow: a card number has no digit-free byte
//! before its first digit, an IBAN two letters, a MAC address in dashes up to sixteen.
//!
//! "Digit" here means a byte that [`super::windows`] counts: an ASCII digit or `:`.
//! The bounds are upper bounds: a class that holds both digits and other bytes
//! (`[A-Z0-9]`) is counted as a non-digit wherever that makes a stretch longer.

use regex_syntax::hir::{Class, Hir, HirKind};

/// A length that may be unbounded (a `+` or `*` over bytes that are not digits).
const UNBOUNDED: usize = usize::MAX / 4;

/// Upper bounds on the digit-free stretches of a rule's matches, in bytes.
/// `None` where the regex puts no bound on the stretch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DigitShape {
    /// Before the first digit of a match.
    pub before: Option<usize>,
    /// After the last digit of a match.
    pub after: Option<usize>,
    /// Between two digits of a match that are next to each other among its digits.
    pub gap: Option<usize>,
}

impl DigitShape {
    /// The bounds for matches of `hir` (parsed with the engine's syntax: bytes, not
    /// Unicode). Matches without any digit do not count: the digit-window rules never
    /// report a value without four of them.
    pub fn of(hir: &Hir) -> DigitShape {
        let s = Stretches::of(hir);
        let bound = |v: Option<usize>| match v {
            None => Some(0),
            Some(n) if n >= UNBOUNDED => None,
            Some(n) => Some(n),
        };
        DigitShape {
            before: bound(s.before),
            after: bound(s.after),
            gap: bound(s.gap),
        }
    }
}

/// The longest stretches over all strings a sub-expression matches. Each field is
/// `None` when no string of the sub-expression has that shape, and saturates at
/// [`UNBOUNDED`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Stretches {
    /// A string with no digit at all: its length.
    bare: Option<usize>,
    /// A string with a digit: the bytes before its first digit.
    before: Option<usize>,
    /// A string with a digit: the bytes after its last digit.
    after: Option<usize>,
    /// A string with two digits: the widest digit-free stretch between two of them.
    gap: Option<usize>,
}

fn add(a: Option<usize>, b: Option<usize>) -> Option<usize> {
    Some(a?.saturating_add(b?).min(UNBOUNDED))
}

fn max(a: Option<usize>, b: Option<usize>) -> Option<usize> {
    a.max(b)
}

impl Stretches {
    const EMPTY: Stretches = Stretches {
        bare: Some(0),
        before: None,
        after: None,
        gap: None,
    };

    /// One byte, which may be a digit (`digit`) and may be another byte (`other`).
    fn byte(digit: bool, other: bool) -> Stretches {
        Stretches {
            bare: other.then_some(1),
            before: digit.then_some(0),
            after: digit.then_some(0),
            gap: None,
        }
    }

    fn then(self, next: Stretches) -> Stretches {
        Stretches {
            bare: add(self.bare, next.bare),
            before: max(self.before, add(self.bare, next.before)),
            after: max(next.after, add(next.bare, self.after)),
            gap: max(max(self.gap, next.gap), add(self.after, next.before)),
        }
    }

    fn or(self, other: Stretches) -> Stretches {
        Stretches {
            bare: max(self.bare, other.bare),
            before: max(self.before, other.before),
            after: max(self.after, other.after),
            gap: max(self.gap, other.gap),
        }
    }

    fn of(hir: &Hir) -> Stretches {
        match hir.kind() {
            HirKind::Empty | HirKind::Look(_) => Stretches::EMPTY,
            HirKind::Literal(lit) => lit.0.iter().fold(Stretches::EMPTY, |acc, &b| {
                let d = super::windows::is_digitish(b);
                acc.then(Stretches::byte(d, !d))
            }),
            HirKind::Class(class) => {
                let (digit, other) = class_bytes(class);
                if !digit && !other {
                    // An empty class matches nothing.
                    Stretches {
                        bare: None,
                        ..Stretches::EMPTY
                    }
                } else {
                    Stretches::byte(digit, other)
                }
            }
            HirKind::Capture(cap) => Stretches::of(&cap.sub),
            HirKind::Concat(subs) => subs
                .iter()
                .fold(Stretches::EMPTY, |acc, s| acc.then(Stretches::of(s))),
            HirKind::Alternation(subs) => subs
                .iter()
                .map(Stretches::of)
                .reduce(Stretches::or)
                .unwrap_or(Stretches::EMPTY),
            HirKind::Repetition(rep) => repeat(
                Stretches::of(&rep.sub),
                rep.min as usize,
                rep.max.map(|m| m as usize),
            ),
        }
    }
}

/// `sub` repeated `min` to `max` times (`None`: no limit). The union over the counts is
/// built one count at a time; a field still growing after the limit's first few counts
/// grows without bound.
fn repeat(sub: Stretches, min: usize, max: Option<usize>) -> Stretches {
    let mut one = Stretches::EMPTY;
    for _ in 0..min {
        let next = one.then(sub);
        if next == one {
            // A fixed point: more copies change nothing.
            break;
        }
        one = next;
    }
    let mut all = one;
    // Counts past `min`: each adds one more copy. Once a count changes nothing, no
    // later one does (every field is a maximum over a longer and longer string set,
    // and two equal steps mean the set of shapes stopped growing).
    let extra = max.map_or(usize::MAX, |m| m.saturating_sub(min));
    let mut k = 0;
    while k < extra {
        let next = one.then(sub);
        let grown = all.or(next);
        if grown == all && next == one {
            break;
        }
        if k >= 64 && max.is_none() {
            // Unbounded and still growing: whatever grew has no bound.
            let inf = |a: Option<usize>, b: Option<usize>| if a == b { a } else { Some(UNBOUNDED) };
            return Stretches {
                bare: inf(all.bare, grown.bare),
                before: inf(all.before, grown.before),
                after: inf(all.after, grown.after),
                gap: inf(all.gap, grown.gap),
            };
        }
        all = grown;
        one = next;
        k += 1;
    }
    all
}

/// Whether a class holds a digit (or `:`) and whether it holds any other byte. Digits and
/// `:` are the contiguous bytes 0x30..=0x3A.
fn class_bytes(class: &Class) -> (bool, bool) {
    let ranges: Vec<(u32, u32)> = match class {
        Class::Bytes(c) => c
            .ranges()
            .iter()
            .map(|r| (u32::from(r.start()), u32::from(r.end())))
            .collect(),
        Class::Unicode(c) => c
            .ranges()
            .iter()
            .map(|r| (u32::from(r.start()), u32::from(r.end())))
            .collect(),
    };
    let digit = ranges.iter().any(|&(lo, hi)| lo <= 0x3A && hi >= 0x30);
    let other = ranges.iter().any(|&(lo, hi)| lo < 0x30 || hi > 0x3A);
    (digit, other)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(re: &str) -> DigitShape {
        let hir =
            regex_automata::util::syntax::parse_with(re, &crate::rules::load::syntax_config())
                .expect("parses");
        DigitShape::of(&hir)
    }

    fn s(before: usize, after: usize, gap: usize) -> DigitShape {
        DigitShape {
            before: Some(before),
            after: Some(after),
            gap: Some(gap),
        }
    }

    #[test]
    fn digits_only() {
        assert_eq!(shape(r"\b[0-9]{3}-[0-9]{2}-[0-9]{4}\b"), s(0, 0, 1));
        assert_eq!(shape(r"\b[0-9]{9}\b"), s(0, 0, 0));
    }

    #[test]
    fn letters_around_digits() {
        // Indian PAN: five letters, four digits, a letter.
        assert_eq!(shape(r"\b[A-Z]{5}[0-9]{4}[A-Z]\b"), s(5, 1, 0));
        // A class of letters and digits counts as letters where that is longer.
        assert_eq!(shape(r"[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]{4}){2}"), s(2, 10, 9));
        // `:` counts as a digit (IPv6).
        assert_eq!(shape(r"(?:[0-9A-Fa-f]{1,4}:){2}"), s(4, 0, 4));
    }

    #[test]
    fn alternatives_take_the_widest() {
        assert_eq!(shape(r"\(0[1-9]\) ?[0-9]{4}|\b0[1-9]{3}"), s(1, 0, 2));
    }

    #[test]
    fn unbounded_stretches_have_no_bound() {
        let sh = shape(r"[A-Z]+[0-9]{4}");
        assert_eq!(sh.before, None);
        assert_eq!(sh.after, Some(0));
        assert_eq!(sh.gap, Some(0));
        let sh = shape(r"[0-9](?:[a-z]+[0-9])*");
        assert_eq!((sh.before, sh.after, sh.gap), (Some(0), Some(0), None));
        // Digits repeated without bound add no digit-free byte.
        assert_eq!(shape(r"x[0-9]+y"), s(1, 1, 0));
    }

    #[test]
    fn strings_without_digits_do_not_count() {
        // The second alternative has no digit: only the first shapes the bounds.
        assert_eq!(shape(r"ab[0-9]|[a-z]{50}"), s(2, 0, 0));
    }
}
