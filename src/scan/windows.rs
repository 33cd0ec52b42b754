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

/// True when `value` holds enough digits (or `:`) to open a digit window by itself. A
/// rule that runs only in digit windows reports only such values: any other would be
/// found or not depending on digits elsewhere in the text, so that redacting those (a
/// shorter placeholder moves them to other blocks) would change what is found.
pub fn opens_a_window(value: &[u8]) -> bool {
    value.iter().filter(|&&b| is_digitish(b)).count() >= MIN_DIGITS as usize
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

/// The block's count of digits (and `:`), and a 4-bit mask of its 8-byte quarters that
/// are all ASCII letters and digits. Elementwise work over fixed-size arrays, which the
/// compiler turns into vector instructions (bit-by-bit mask building does not vectorise).
#[inline(always)]
fn classify(block: &[u8; BLOCK]) -> (u32, u8) {
    let mut digit = [0u8; BLOCK];
    let mut alnum = [0u8; BLOCK];
    for j in 0..BLOCK {
        digit[j] = u8::from(is_digitish(block[j]));
        alnum[j] = u8::from(is_alnum(block[j]));
    }
    let count = digit.iter().map(|&d| u32::from(d)).sum();
    let mut full = 0u8;
    for (k, quarter) in alnum.chunks_exact(8).enumerate() {
        let q: [u8; 8] = quarter.try_into().expect("8 bytes");
        if u64::from_le_bytes(q) == 0x0101_0101_0101_0101 {
            full |= 1 << k;
        }
    }
    (count, full)
}

/// Fills `digits` and `tokens` (each cleared first; either may be skipped) with the
/// windows of `hay`, sorted and non-overlapping, in one pass over 32-byte blocks.
///
/// Token runs are found exactly but cheaply: a run of at least [`MIN_TOKEN`] (25) bytes
/// always covers two adjacent aligned 8-byte quarters that are all letters and digits,
/// so only where two such quarters meet is the run measured byte by byte.
pub fn find(hay: &[u8], mut digits: Option<&mut Vec<Span>>, mut tokens: Option<&mut Vec<Span>>) {
    const _: () = assert!(
        MIN_TOKEN >= 2 * 8 + 7,
        "two full quarters must fit in any long run"
    );
    if let Some(d) = digits.as_deref_mut() {
        d.clear();
    }
    if let Some(t) = tokens.as_deref_mut() {
        t.clear();
    }
    let mut prev_count = 0u32;
    // Whether the quarter before the current block was all letters and digits.
    let mut prev_full = false;
    // Runs are measured once: bytes before this were already measured.
    let mut measured_to = 0usize;
    // The short last block, padded with spaces: neither digits nor token bytes.
    let mut tail = [b' '; BLOCK];
    for (i, at) in (0..hay.len()).step_by(BLOCK).enumerate() {
        let len = BLOCK.min(hay.len() - at);
        let block: &[u8; BLOCK] = if len == BLOCK {
            hay[at..at + BLOCK].try_into().expect("BLOCK bytes")
        } else {
            tail[..len].copy_from_slice(&hay[at..]);
            &tail
        };
        let (count, full) = classify(block);
        if let Some(out) = digits.as_deref_mut() {
            if prev_count + count >= MIN_DIGITS {
                let start = (i * BLOCK).saturating_sub(BLOCK + MARGIN);
                let end = (at + BLOCK + MARGIN).min(hay.len());
                push_merged(out, Span::new(start, end));
            }
            prev_count = count;
        }
        if let Some(out) = tokens.as_deref_mut() {
            // Quarter k of this block, preceded by quarter k-1 (the previous block's last).
            let chain = (u16::from(full) << 1) | u16::from(prev_full);
            let mut pairs = chain & (chain >> 1);
            while pairs != 0 {
                let q = at + 8 * pairs.trailing_zeros() as usize;
                pairs &= pairs - 1;
                if q >= measured_to {
                    let mut s = q;
                    while s > 0 && is_alnum(hay[s - 1]) {
                        s -= 1;
                    }
                    let mut e = q;
                    while e < hay.len() && is_alnum(hay[e]) {
                        e += 1;
                    }
                    if e - s >= MIN_TOKEN {
                        push_merged(out, Span::new(s, e));
                    }
                    measured_to = e;
                }
            }
            prev_full = full & 0b1000 != 0;
        }
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
            prop_oneof![8 => Just(b'a'), 4 => Just(b'7'), 1 => Just(b' '), 1 => Just(b'-')], 0..400)) {
            let mut w = Vec::new();
            find(&hay, None, Some(&mut w));
            prop_assert_eq!(w, slow_tokens(&hay));
        }
    }
}
