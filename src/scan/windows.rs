//! Where the rules without triggers look: digit-dense windows and long-token windows.
//!
//! One pass over the document's bytes in 32-byte blocks finds
//! - **digit windows**: two adjacent blocks holding at least [`MIN_DIGITS`] bytes that are
//!   ASCII digits or `:` (IPv6). Every card, phone, IP, IBAN and national ID has that many
//!   within 64 bytes; prose rarely does, so the shared DFA runs over a small share of the
//!   text. Each window reaches [`MARGIN`] bytes beyond its blocks, so a number that
//!   started a little earlier (letters of an IBAN or a NINO) is inside it whole;
//! - **token windows**: runs of at least [`MIN_TOKEN`] ASCII letters and digits (Base58
//!   addresses, which may hold few digits).
//!
//! The per-block work is written as plain loops over fixed-size arrays so the compiler
//! vectorises them.

use crate::span::Span;

/// Block size of the digit-density test.
pub const BLOCK: usize = 32;
/// Digits (or `:`) needed in two adjacent blocks to open a window.
pub const MIN_DIGITS: u32 = 4;
/// Bytes a digit window extends beyond its blocks on each side.
pub const MARGIN: usize = 64;
/// Length of a run of ASCII letters and digits that opens a token window.
pub const MIN_TOKEN: usize = 25;

#[inline]
fn is_digitish(b: u8) -> bool {
    b.wrapping_sub(b'0') < 10 || b == b':'
}

#[inline]
fn is_alnum(b: u8) -> bool {
    b.wrapping_sub(b'0') < 10 || (b | 0x20).wrapping_sub(b'a') < 26
}

/// Pushes `w` onto `out`, merging it with the last window when they touch. Callers push
/// windows whose ends never decrease, so merging with the last one keeps `out` sorted
/// and disjoint.
pub fn push_merged(out: &mut Vec<Span>, w: Span) {
    if let Some(last) = out.last_mut()
        && w.start <= last.end
    {
        last.start = last.start.min(w.start);
        last.end = last.end.max(w.end);
        return;
    }
    out.push(w);
}

/// Fills `digits` and `tokens` (each cleared first; either may be skipped) with the
/// windows of `hay`, sorted and non-overlapping.
pub fn find(hay: &[u8], digits: Option<&mut Vec<Span>>, tokens: Option<&mut Vec<Span>>) {
    if let Some(out) = digits {
        out.clear();
        digit_windows(hay, out);
    }
    if let Some(out) = tokens {
        out.clear();
        token_windows(hay, out);
    }
}

fn digit_windows(hay: &[u8], out: &mut Vec<Span>) {
    let mut prev = 0u32;
    for (i, block) in hay.chunks(BLOCK).enumerate() {
        let count = block
            .iter()
            .map(|&b| u32::from(is_digitish(b)))
            .sum::<u32>();
        if prev + count >= MIN_DIGITS {
            let start = (i * BLOCK).saturating_sub(BLOCK + MARGIN);
            let end = ((i + 1) * BLOCK + MARGIN).min(hay.len());
            push_merged(out, Span::new(start, end));
        }
        prev = count;
    }
}

fn token_windows(hay: &[u8], out: &mut Vec<Span>) {
    // `run` is the length of the run of letters and digits ending at the current byte.
    let mut run = 0usize;
    let mut i = 0;
    for block in hay.chunks(BLOCK) {
        let mut mask = 0u32;
        for (j, &b) in block.iter().enumerate() {
            mask |= u32::from(is_alnum(b)) << j;
        }
        let full = if block.len() == BLOCK {
            u32::MAX
        } else {
            (1u32 << block.len()) - 1
        };
        if mask == full {
            run += block.len();
        } else if mask.count_ones() < MIN_TOKEN as u32 {
            // No run long enough fits inside the block: only the run coming in from the
            // previous block can end here, and a new one can start at its top.
            let lead = mask.trailing_ones() as usize;
            if run + lead >= MIN_TOKEN {
                push_merged(out, Span::new(i - run, i + lead));
            }
            run = (mask << (BLOCK - block.len())).leading_ones() as usize;
        } else {
            for (j, &b) in block.iter().enumerate() {
                if is_alnum(b) {
                    run += 1;
                } else {
                    if run >= MIN_TOKEN {
                        push_merged(out, Span::new(i + j - run, i + j));
                    }
                    run = 0;
                }
            }
        }
        i += block.len();
    }
    if run >= MIN_TOKEN {
        push_merged(out, Span::new(hay.len() - run, hay.len()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn slow_tokens(hay: &[u8]) -> Vec<Span> {
        let mut out = Vec::new();
        let mut run = 0;
        for (i, &b) in hay.iter().enumerate() {
            if is_alnum(b) {
                run += 1;
            } else {
                if run >= MIN_TOKEN {
                    out.push(Span::new(i - run, i));
                }
                run = 0;
            }
        }
        if run >= MIN_TOKEN {
            out.push(Span::new(hay.len() - run, hay.len()));
        }
        out
    }

    #[test]
    fn digit_window_covers_a_phone_in_prose() {
        let mut text = "word ".repeat(200);
        let at = text.len();
        text.push_str("+44 20 7946 0958");
        text.push_str(&" word".repeat(200));
        let mut w = Vec::new();
        find(text.as_bytes(), Some(&mut w), None);
        assert_eq!(w.len(), 1);
        assert!(w[0].start <= at && w[0].end >= at + 16, "{w:?}");
        assert!(w[0].len() < text.len() / 2);
    }

    proptest! {
        #[test]
        fn token_windows_match_the_slow_definition(hay in proptest::collection::vec(
            prop_oneof![Just(b'a'), Just(b'7'), Just(b' '), Just(b'-')], 0..400)) {
            let mut w = Vec::new();
            find(&hay, None, Some(&mut w));
            prop_assert_eq!(w, slow_tokens(&hay));
        }
    }
}
