//! Where the rules without triggers look: digit windows and long-token windows.
//!
//! One pass over the document's bytes in 32-byte blocks finds
//! - **digit windows**: around each *cluster* of digits (ASCII digits and `:`, for IPv6)
//!   that holds at least [`MIN_DIGITS`] of them, where a cluster is a run of digits no
//!   two neighbours of which are further apart than the rules allow ([`DigitReach`]).
//!   Every card, phone, IP, IBAN and national ID holds that many; prose holds years,
//!   prices and page numbers, and the windows around those are a few dozen bytes. Each
//!   window reaches as far before and after its cluster as a rule's match can reach
//!   before its first and after its last digit, so a rule's search inside the windows
//!   finds exactly the matches holding digits that a search of the whole document finds
//!   (see [`DigitReach`]);
//! - **token windows**: runs of at least [`MIN_TOKEN`] ASCII letters and digits (Base58
//!   addresses, which may hold few digits).
//!
//! The per-block work is one classification of 32 bytes into two bit masks: with AVX2
//! intrinsics where the CPU has them (checked once per call), otherwise as plain loops
//! over fixed-size arrays that the compiler vectorises. A block's digits then join a
//! cluster together when the reach allows it (`Cluster::add_block`), otherwise one
//! by one; only where a long token may run are bytes looked at one at a time.

use super::shape::DigitShape;
use crate::span::Span;

/// Block size of the classification pass.
pub const BLOCK: usize = 32;
/// Digits (or `:`) a cluster needs to open a window, and a value of a digit-window rule
/// needs to be reported.
pub const MIN_DIGITS: u32 = 4;
/// What a [`DigitReach`] uses where a rule puts no bound on a digit-free stretch (a user
/// rule with `[A-Z]+` before its digits): such a rule's matches are found when their
/// digit-free stretches are at most this long.
pub const MARGIN: usize = 64;
/// Length of a run of ASCII letters and digits that opens a token window.
pub const MIN_TOKEN: usize = 25;

/// How far digit windows reach, over all the rules that run in them: bytes before a
/// cluster's first digit, after its last digit, and the widest digit-free stretch inside
/// a cluster.
///
/// Why the windows then hold every match with a digit: the digits of one match are at
/// most `gap` apart, so they all lie in one cluster, which holds the match's four
/// digits and so is opened; the match starts at most `before` bytes before its first
/// digit and ends at most `after` bytes after its last one, so it lies inside that
/// cluster's window. Windows that touch are merged, so a match starting in one window's
/// margin and reaching the next cluster lies in the merged window. Findings then never
/// depend on digits elsewhere in the document, which redacting could move.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DigitReach {
    /// Bytes a window starts before its cluster's first digit.
    pub before: usize,
    /// Bytes a window ends after its cluster's last digit.
    pub after: usize,
    /// Most digit-free bytes between two neighbouring digits of one cluster.
    pub gap: usize,
}

impl DigitReach {
    /// The reach that covers every one of `shapes` (unbounded stretches count as
    /// [`MARGIN`]).
    pub fn covering(shapes: impl IntoIterator<Item = DigitShape>) -> DigitReach {
        let bound = |v: Option<usize>| v.unwrap_or(MARGIN).min(MARGIN);
        shapes.into_iter().fold(
            DigitReach {
                before: 0,
                after: 0,
                gap: 0,
            },
            |r, s| DigitReach {
                before: r.before.max(bound(s.before)),
                after: r.after.max(bound(s.after)),
                gap: r.gap.max(bound(s.gap)),
            },
        )
    }
}

/// The cluster of digits being grown while the blocks are read.
struct Cluster {
    first: usize,
    last: usize,
    digits: u32,
}

impl Cluster {
    /// Adds the digit at `at` if it is close enough to the cluster's last one; otherwise
    /// closes the cluster (opening its window) and starts a new one at `at`.
    #[inline]
    fn add(
        run: &mut Option<Cluster>,
        at: usize,
        reach: DigitReach,
        len: usize,
        out: &mut Vec<Span>,
    ) {
        if let Some(c) = run
            && at - c.last - 1 <= reach.gap
        {
            c.last = at;
            c.digits += 1;
            return;
        }
        Cluster::close(run.take(), reach, len, out);
        *run = Some(Cluster {
            first: at,
            last: at,
            digits: 1,
        });
    }

    /// Adds a block's digits at once: `mask` (bit `j` for byte `at + j`, not 0) when
    /// `reach.gap` is at least `BLOCK - 2`, so that every two neighbouring digits of one
    /// block are close enough to share a cluster and only the first one can start a new
    /// one. Same result as [`Cluster::add`] for each digit in turn, without a loop whose
    /// length the branch predictor cannot guess.
    #[inline]
    fn add_block(
        run: &mut Option<Cluster>,
        at: usize,
        mask: u32,
        reach: DigitReach,
        len: usize,
        out: &mut Vec<Span>,
    ) {
        debug_assert!(mask != 0 && reach.gap + 2 >= BLOCK);
        let first = at + mask.trailing_zeros() as usize;
        let last = at + (BLOCK - 1 - mask.leading_zeros() as usize);
        Cluster::add(run, first, reach, len, out);
        if let Some(c) = run {
            c.last = last;
            c.digits += mask.count_ones() - 1;
        }
    }

    fn close(run: Option<Cluster>, reach: DigitReach, len: usize, out: &mut Vec<Span>) {
        if let Some(c) = run
            && c.digits >= MIN_DIGITS
        {
            let w = Span::new(
                c.first.saturating_sub(reach.before),
                (c.last + 1 + reach.after).min(len),
            );
            push_merged(out, w);
        }
    }
}

/// A byte that digit windows count: an ASCII digit or `:`.
#[inline]
pub fn is_digitish(b: u8) -> bool {
    b.wrapping_sub(b'0') < 10 || b == b':'
}

#[inline]
fn is_alnum(b: u8) -> bool {
    b.wrapping_sub(b'0') < 10 || (b | 0x20).wrapping_sub(b'a') < 26
}

/// True when `value` holds enough digits (or `:`) to open a digit window by itself. A
/// rule that runs only in digit windows reports only such values: any other would be
/// found or not depending on digits elsewhere in the text (a cluster it is part of),
/// which redacting could remove.
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

/// The block's digits (and `:`) as a bit mask (bit `j` for byte `j`), and a 4-bit mask
/// of its 8-byte quarters that are all ASCII letters and digits. Elementwise work over
/// fixed-size arrays, which the compiler turns into vector instructions; each quarter's
/// 0/1 digit flags are gathered into one byte by a multiplication (flag `i` lands on bit
/// `56 + i` and no two partial products overlap), as bit-by-bit mask building does not
/// vectorise. [`avx2::classify`] gives the same answer with one `movemask` per mask.
#[inline(always)]
fn classify(block: &[u8; BLOCK]) -> Classes {
    let mut digit = [0u8; BLOCK];
    let mut alnum = [0u8; BLOCK];
    let mut capital = [0u8; BLOCK];
    let mut space = [0u8; BLOCK];
    let mut token = [0u8; BLOCK];
    let mut lower = [0u8; BLOCK];
    let mut join = [0u8; BLOCK];
    let mut dot = [0u8; BLOCK];
    for j in 0..BLOCK {
        let b = block[j];
        digit[j] = u8::from(is_digitish(b));
        alnum[j] = u8::from(is_alnum(b));
        capital[j] = u8::from(is_capitalish(b));
        space[j] = u8::from(b == b' ');
        join[j] = u8::from(b == b'\'' || b == b'-');
        token[j] = u8::from(b.is_ascii_alphabetic() || b >= 0x80) | join[j];
        lower[j] = u8::from(b.is_ascii_lowercase());
        dot[j] = u8::from(b == b'.');
    }
    let mut c = Classes::default();
    for k in 0..BLOCK / 8 {
        let quarter = |flags: &[u8; BLOCK]| {
            u64::from_le_bytes(flags[8 * k..8 * k + 8].try_into().expect("8 bytes"))
        };
        let bits = |flags: &[u8; BLOCK]| {
            ((quarter(flags).wrapping_mul(0x0102_0408_1020_4080) >> 56) as u32) << (8 * k)
        };
        c.digits |= bits(&digit);
        c.capitals |= bits(&capital);
        c.spaces |= bits(&space);
        c.tokens |= bits(&token);
        c.lower |= bits(&lower);
        c.joins |= bits(&join);
        c.dots |= bits(&dot);
        if quarter(&alnum) == 0x0101_0101_0101_0101 {
            c.full |= 1 << k;
        }
    }
    c
}

/// What the block pass reads off one block: bit `j` of each mask for byte `j`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Classes {
    /// ASCII digits and `:`.
    pub digits: u32,
    /// The 8-byte quarters (bits 0-3) that are all ASCII letters and digits.
    pub full: u8,
    /// Bytes that may start a capitalised word ([`is_capitalish`]).
    pub capitals: u32,
    /// Spaces.
    pub spaces: u32,
    /// Bytes of name tokens: ASCII letters, `'`, `-`, bytes of multi-byte characters.
    pub tokens: u32,
    /// ASCII lower-case letters.
    pub lower: u32,
    /// `'` and `-`, which join the parts of a name token (`O'Brien`, `Jean-Luc`).
    pub joins: u32,
    /// `.`
    pub dots: u32,
}

/// A byte that may start a capitalised word: an ASCII capital, or the lead byte of a
/// two-byte UTF-8 letter of Latin-1 or Latin Extended-A (`É`, `Ł`; their lower-case
/// forms share the lead bytes, which only widens the search).
#[inline]
pub fn is_capitalish(b: u8) -> bool {
    b.wrapping_sub(b'A') < 26 || b.wrapping_sub(0xC3) < 3
}

/// The quarters (bits 0-3) of a block whose 8 bytes are all set in `mask` (bit `j` for
/// byte `j`).
#[inline(always)]
fn full_quarters(mask: u32) -> u8 {
    let mut full = 0u8;
    for k in 0..BLOCK / 8 {
        if (mask >> (8 * k)) & 0xff == 0xff {
            full |= 1 << k;
        }
    }
    full
}

/// [`classify`] with AVX2 intrinsics: the block pass is about a seventh of a worker's
/// time with the portable form (perf, 1 GB web shard), which builds its masks with
/// multiplications because `movemask` cannot be written portably.
#[cfg(target_arch = "x86_64")]
mod avx2 {
    use super::{BLOCK, Classes, DigitReach, Span, full_quarters};
    use std::arch::x86_64::{
        __m256i, _mm256_cmpeq_epi8, _mm256_loadu_si256, _mm256_min_epu8, _mm256_movemask_epi8,
        _mm256_or_si256, _mm256_set1_epi8, _mm256_sub_epi8,
    };

    /// Lanes of `v` (as unsigned bytes) that are at most `max`, as 0xff.
    #[inline]
    #[target_feature(enable = "avx2")]
    fn at_most(v: __m256i, max: u8) -> __m256i {
        _mm256_cmpeq_epi8(_mm256_min_epu8(v, _mm256_set1_epi8(max as i8)), v)
    }

    /// Same contract as [`super::classify`].
    #[inline]
    #[target_feature(enable = "avx2")]
    pub(super) fn classify(block: &[u8; BLOCK]) -> Classes {
        // SAFETY: the load reads BLOCK (32) bytes from a 32-byte array; `loadu` allows any
        // alignment.
        let v = unsafe { _mm256_loadu_si256(block.as_ptr().cast()) };
        let digit = at_most(_mm256_sub_epi8(v, _mm256_set1_epi8(b'0' as i8)), 9);
        let colon = _mm256_cmpeq_epi8(v, _mm256_set1_epi8(b':' as i8));
        let lower = _mm256_or_si256(v, _mm256_set1_epi8(0x20));
        let letter = at_most(_mm256_sub_epi8(lower, _mm256_set1_epi8(b'a' as i8)), 25);
        // `as u32` keeps the 32 bits of the movemask's i32.
        let digits = _mm256_movemask_epi8(_mm256_or_si256(digit, colon)) as u32;
        let alnum = _mm256_movemask_epi8(_mm256_or_si256(digit, letter)) as u32;
        let capital = _mm256_or_si256(
            at_most(_mm256_sub_epi8(v, _mm256_set1_epi8(b'A' as i8)), 25),
            at_most(_mm256_sub_epi8(v, _mm256_set1_epi8(0xC3_u8 as i8)), 2),
        );
        let space = _mm256_cmpeq_epi8(v, _mm256_set1_epi8(b' ' as i8));
        let join = _mm256_or_si256(
            _mm256_cmpeq_epi8(v, _mm256_set1_epi8(b'\'' as i8)),
            _mm256_cmpeq_epi8(v, _mm256_set1_epi8(b'-' as i8)),
        );
        let ascii_lower = at_most(_mm256_sub_epi8(v, _mm256_set1_epi8(b'a' as i8)), 25);
        let dot = _mm256_cmpeq_epi8(v, _mm256_set1_epi8(b'.' as i8));
        let joins = _mm256_movemask_epi8(join) as u32;
        // The sign bits are the bytes of multi-byte characters.
        let high = _mm256_movemask_epi8(v) as u32;
        Classes {
            digits,
            full: full_quarters(alnum),
            capitals: _mm256_movemask_epi8(capital) as u32,
            spaces: _mm256_movemask_epi8(space) as u32,
            tokens: _mm256_movemask_epi8(letter) as u32 | joins | high,
            lower: _mm256_movemask_epi8(ascii_lower) as u32,
            joins,
            dots: _mm256_movemask_epi8(dot) as u32,
        }
    }

    /// [`super::find_with`] compiled with AVX2, so that `classify` inlines into the loop.
    #[target_feature(enable = "avx2")]
    pub(super) fn find(
        hay: &[u8],
        digits: Option<(&mut Vec<Span>, DigitReach)>,
        tokens: Option<&mut Vec<Span>>,
        capitals: Option<&mut Vec<usize>>,
    ) {
        super::find_with(|b| classify(b), hay, digits, tokens, capitals);
    }
}

/// Fills `digits` and `tokens` (each cleared first; any may be skipped) with the
/// windows of `hay`, sorted and non-overlapping, in one pass over 32-byte blocks. Digit
/// windows reach as far as `reach` says. `capitals` gets, in order, the positions of the
/// bytes that may start a capitalised word ([`is_capitalish`]) right after a space and
/// may follow a name's first token: where the second word of a name can start (see
/// `scan::names`, whose `Masks` rule out most of them from the block masks alone).
///
/// Token runs are found exactly but cheaply: a run of at least [`MIN_TOKEN`] (25) bytes
/// always covers two adjacent aligned 8-byte quarters that are all letters and digits,
/// so only where two such quarters meet is the run measured byte by byte.
pub fn find(
    hay: &[u8],
    digits: Option<(&mut Vec<Span>, DigitReach)>,
    tokens: Option<&mut Vec<Span>>,
    capitals: Option<&mut Vec<usize>>,
) {
    #[cfg(target_arch = "x86_64")]
    if std::is_x86_feature_detected!("avx2") {
        // SAFETY: this CPU has AVX2 (checked just above).
        return unsafe { avx2::find(hay, digits, tokens, capitals) };
    }
    find_with(classify, hay, digits, tokens, capitals);
}

/// The capitals of [`find`], with the portable classifier whatever the CPU has.
#[cfg(test)]
pub(super) fn find_portable(hay: &[u8], capitals: &mut Vec<usize>) {
    find_with(classify, hay, None, None, Some(capitals));
}

/// [`find`] with a given block classifier (the portable one or the AVX2 one).
#[inline(always)]
fn find_with(
    classify: impl Fn(&[u8; BLOCK]) -> Classes,
    hay: &[u8],
    mut digits: Option<(&mut Vec<Span>, DigitReach)>,
    mut tokens: Option<&mut Vec<Span>>,
    mut capitals: Option<&mut Vec<usize>>,
) {
    const _: () = assert!(
        MIN_TOKEN >= 2 * 8 + 7,
        "two full quarters must fit in any long run"
    );
    if let Some((d, _)) = digits.as_mut() {
        d.clear();
    }
    if let Some(t) = tokens.as_deref_mut() {
        t.clear();
    }
    if let Some(c) = capitals.as_deref_mut() {
        c.clear();
    }
    // The previous block's classes, for the name prefilter's look back.
    let mut prev = Classes::default();
    let mut run: Option<Cluster> = None;
    let whole_blocks = digits.as_ref().is_some_and(|(_, r)| r.gap + 2 >= BLOCK);
    // Whether the quarter before the current block was all letters and digits.
    let mut prev_full = false;
    // Runs are measured once: bytes before this were already measured.
    let mut measured_to = 0usize;
    // The short last block, padded with spaces: neither digits nor token bytes.
    let mut tail = [b' '; BLOCK];
    for at in (0..hay.len()).step_by(BLOCK) {
        let len = BLOCK.min(hay.len() - at);
        let block: &[u8; BLOCK] = if len == BLOCK {
            hay[at..at + BLOCK].try_into().expect("BLOCK bytes")
        } else {
            tail[..len].copy_from_slice(&hay[at..]);
            &tail
        };
        let classes = classify(block);
        let (mut mask, full) = (classes.digits, classes.full);
        if let Some(out) = capitals.as_deref_mut() {
            let mut starts =
                classes.capitals & ((classes.spaces << 1) | (prev.spaces >> (BLOCK - 1)));
            if starts != 0 {
                starts = super::names::Masks::of(&prev, &classes).keep(starts);
                while starts != 0 {
                    out.push(at + starts.trailing_zeros() as usize);
                    starts &= starts - 1;
                }
            }
            prev = classes;
        }
        if let Some((out, reach)) = digits.as_mut() {
            // With the built-in rules' reach, a block's digits join a cluster together;
            // with a narrower one they are visited one by one.
            if whole_blocks && mask != 0 {
                Cluster::add_block(&mut run, at, mask, *reach, hay.len(), out);
                mask = 0;
            }
            while mask != 0 {
                let j = mask.trailing_zeros() as usize;
                mask &= mask - 1;
                Cluster::add(&mut run, at + j, *reach, hay.len(), out);
            }
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
    if let Some((out, reach)) = digits {
        Cluster::close(run, reach, hay.len(), out);
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

    const REACH: DigitReach = DigitReach {
        before: 2,
        after: 3,
        gap: 4,
    };

    /// Digit windows by their definition, one byte at a time.
    fn slow_digits(hay: &[u8], reach: DigitReach) -> Vec<Span> {
        let at: Vec<usize> = (0..hay.len()).filter(|&i| is_digitish(hay[i])).collect();
        let mut out: Vec<Span> = Vec::new();
        let mut i = 0;
        while i < at.len() {
            let mut j = i;
            while j + 1 < at.len() && at[j + 1] - at[j] - 1 <= reach.gap {
                j += 1;
            }
            if j + 1 - i >= MIN_DIGITS as usize {
                let w = Span::new(
                    at[i].saturating_sub(reach.before),
                    (at[j] + 1 + reach.after).min(hay.len()),
                );
                match out.last_mut() {
                    Some(last) if w.start <= last.end => last.end = w.end,
                    _ => out.push(w),
                }
            }
            i = j + 1;
        }
        out
    }

    #[test]
    fn digit_window_covers_a_phone_in_prose() {
        let mut text = "word 202 ".repeat(200);
        text.push_str("see ");
        let at = text.len();
        text.push_str("+44 20 7946 0958");
        text.push_str(&" word 12".repeat(200));
        let mut w = Vec::new();
        find(text.as_bytes(), Some((&mut w, REACH)), None, None);
        // The numbers of prose are too short or too far apart to open a window; the
        // phone number opens one, from two bytes before its first digit to three after
        // its last.
        assert_eq!(w, [Span::new(at - 1, at + 19)]);
    }

    #[test]
    fn classify_marks_digits_and_colons() {
        let mut block = [b'x'; BLOCK];
        for j in [0, 7, 8, 13, 31] {
            block[j] = b'5';
        }
        block[20] = b':';
        block[21] = b'/';
        block[22] = b';';
        let want = (1 << 0) | (1 << 7) | (1 << 8) | (1 << 13) | (1 << 20) | (1 << 31);
        assert_eq!(classify(&block).digits, want);
    }

    #[test]
    fn reach_covers_the_widest_rule_and_caps_unbounded_ones() {
        let card = DigitShape {
            before: Some(0),
            after: Some(0),
            gap: Some(1),
        };
        let iban = DigitShape {
            before: Some(2),
            after: Some(39),
            gap: Some(39),
        };
        let open = DigitShape {
            before: None,
            after: Some(1),
            gap: Some(500),
        };
        assert_eq!(
            DigitReach::covering([card, iban]),
            DigitReach {
                before: 2,
                after: 39,
                gap: 39
            }
        );
        assert_eq!(
            DigitReach::covering([card, open]),
            DigitReach {
                before: MARGIN,
                after: 1,
                gap: MARGIN
            }
        );
    }

    proptest! {
        #[test]
        fn digit_windows_match_the_slow_definition(hay in proptest::collection::vec(
            prop_oneof![8 => Just(b'a'), 3 => Just(b'7'), 1 => Just(b':'), 2 => Just(b' ')], 0..400),
            before in 0usize..8, after in 0usize..8,
            gap in prop_oneof![0usize..6, (BLOCK - 3)..(BLOCK + 40)]) {
            let reach = DigitReach { before, after, gap };
            let want = slow_digits(&hay, reach);
            let mut w = Vec::new();
            find(&hay, Some((&mut w, reach)), None, None);
            prop_assert_eq!(&w, &want);
            // The portable classifier too, on CPUs where `find` takes the AVX2 one.
            find_with(classify, &hay, Some((&mut w, reach)), None, None);
            prop_assert_eq!(&w, &want);
        }

        /// Digits far apart, and gaps around a block's width: where a block's digits
        /// can and cannot be taken as one group.
        #[test]
        fn sparse_digit_windows_match_the_slow_definition(hay in proptest::collection::vec(
            prop_oneof![40 => Just(b'a'), 2 => Just(b'7'), 1 => Just(b':')], 0..600),
            gap in 24usize..40) {
            let reach = DigitReach { before: 3, after: 2, gap };
            let mut w = Vec::new();
            find(&hay, Some((&mut w, reach)), None, None);
            prop_assert_eq!(w, slow_digits(&hay, reach));
        }

        #[test]
        fn token_windows_match_the_slow_definition(hay in proptest::collection::vec(
            prop_oneof![8 => Just(b'a'), 4 => Just(b'7'), 1 => Just(b' '), 1 => Just(b'-')], 0..400)) {
            let want = slow_tokens(&hay);
            let mut w = Vec::new();
            find(&hay, None, Some(&mut w), None);
            prop_assert_eq!(&w, &want);
            find_with(classify, &hay, None, Some(&mut w), None);
            prop_assert_eq!(&w, &want);
        }

        #[test]
        fn kept_capitals_follow_spaces(hay in proptest::collection::vec(
            prop_oneof![4 => Just(b'a'), 2 => Just(b'J'), 3 => Just(b' '), 1 => Just(0xC5), 1 => Just(b'.')], 0..300)) {
            // Only capitals after a space are kept (which of them: scan::names's
            // prefilter, tested there against first_token), and both classifiers keep
            // the same ones.
            let mut c = Vec::new();
            find(&hay, None, None, Some(&mut c));
            for &i in &c {
                prop_assert!(i >= 1 && hay[i - 1] == b' ' && is_capitalish(hay[i]));
            }
            let mut p = Vec::new();
            find_with(classify, &hay, None, None, Some(&mut p));
            prop_assert_eq!(&c, &p);
        }

        /// Every byte value in every lane: the AVX2 classifier answers as the portable
        /// one (the masks' bit order, the unsigned comparisons).
        #[test]
        fn avx2_classifier_matches_the_portable_one(bytes in proptest::collection::vec(
            prop_oneof![any::<u8>(), Just(b'0'), Just(b'9'), Just(b':'), Just(b'z'), Just(b'A')],
            BLOCK)) {
            #[cfg(target_arch = "x86_64")]
            if std::is_x86_feature_detected!("avx2") {
                let block: [u8; BLOCK] = bytes.as_slice().try_into().expect("BLOCK bytes");
                // SAFETY: this CPU has AVX2 (checked just above).
                let fast = unsafe { avx2::classify(&block) };
                prop_assert_eq!(fast, classify(&block));
            }
        }
    }
}
