//! Name windows: where the rules with `windows = "names"` look.
//!
//! A name, as the name rules write it (`patterns/person.toml`), is a capitalised token,
//! a space, at most two lower-case particles (`van der`) each followed by a space, and a
//! capitalised token or an initial: `Jane Roe`, `Jan van der Berg`, `Jean-Luc K. Dupont`.
//! The block pass ([`super::windows::find`]) lists the bytes that may start a
//! capitalised word right after a space, leaving out those its masks show cannot follow
//! a first token ([`Masks::keep`]); from each, [`first_token`] walks back over the
//! particles to the token before them and keeps it when a capitalised word may start in
//! it. A window runs from `before` bytes ahead of that stretch to `after` bytes past the
//! name's last possible token ([`name_end`]), with the rule's bounds around its value
//! (`Rule::value_reach`, read off its regex).
//!
//! So a name-window rule's `value` must start at the first token of such a pair (`Jane`
//! in `Jane Roe`) or at its second (`Roe` in `Mrs. Roe`, where the title is the first),
//! and end within the tokens that follow: a value elsewhere would be missed, which the
//! rule self-test (`shardscrub rules test`, each example alone and through the engine)
//! shows.
//!
//! Prose has a capitalised pair every few hundred bytes (`New York`, a sentence start
//! before a proper noun); code and numbers have few. Text without one costs nothing
//! beyond the block pass.

/// Longest stretch of token bytes walked back over: a name token is at most 24 letters
/// and two capitalised parts, each letter up to two bytes.
const MAX_TOKEN: usize = 160;

/// Particles walked back over between the two capitalised tokens (`van der`).
const MAX_PARTICLES: usize = 2;

/// The surname particles of the name shape (`person_name` in `patterns/person.toml`; a
/// test keeps the two lists equal). Only these are walked over, so that the common
/// case, a lower-case word before a capitalised one (`the United`), ends the walk.
pub const PARTICLES: &[&str] = &[
    "van", "von", "de", "da", "di", "der", "den", "du", "del", "della", "dos", "das", "la", "le",
    "ten", "ter", "bin", "al",
];

/// Tokens a name has at most after its first (`person_name`'s `{1,3}`).
const MAX_MORE_TOKENS: usize = 3;

/// True when `w` is one of [`PARTICLES`].
#[inline]
fn is_particle(w: &[u8]) -> bool {
    // A `match` on the bytes, not a loop over PARTICLES: every short lower-case word
    // before a capital in prose (`the`, `und`) is looked up here.
    let found = matches!(
        w,
        b"van"
            | b"von"
            | b"de"
            | b"da"
            | b"di"
            | b"der"
            | b"den"
            | b"du"
            | b"del"
            | b"della"
            | b"dos"
            | b"das"
            | b"la"
            | b"le"
            | b"ten"
            | b"ter"
            | b"bin"
            | b"al"
    );
    debug_assert_eq!(found, PARTICLES.iter().any(|p| p.as_bytes() == w));
    found
}

/// A byte of a name token: an ASCII letter, an apostrophe, a hyphen, or a byte of a
/// multi-byte UTF-8 letter.
#[inline]
const fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'\'' || b == b'-' || b >= 0x80
}

/// [`is_token_byte`] as a table, for the walks back over tokens.
static TOKEN_BYTE: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = is_token_byte(b as u8);
        b += 1;
    }
    t
};

/// The masks of two blocks, the previous one in bits 0-31 and the current one in bits
/// 32-63 (bit `i` for byte `i`), from which [`Masks::keep`] rules
/// out most capitals after a space without looking at the bytes.
#[derive(Clone, Copy, Debug)]
pub struct Masks {
    tokens: u64,
    lower: u64,
    spaces: u64,
    dots: u64,
    capitals: u64,
    /// Capitals right after a `'` or `-` (inside a token).
    joined_capitals: u64,
}

impl Masks {
    /// The window of `prev` and `cur` (zeros for `prev` at the document's start: what
    /// lies before it is not a token).
    #[inline]
    pub(super) fn of(prev: &super::windows::Classes, cur: &super::windows::Classes) -> Masks {
        let both = |p: u32, c: u32| u64::from(p) | (u64::from(c) << 32);
        let capitals = both(prev.capitals, cur.capitals);
        Masks {
            tokens: both(prev.tokens, cur.tokens),
            lower: both(prev.lower, cur.lower),
            spaces: both(prev.spaces, cur.spaces),
            dots: both(prev.dots, cur.dots),
            capitals,
            joined_capitals: capitals & (both(prev.joins, cur.joins) << 1),
        }
    }

    /// `starts` (capitals after a space, bit `j` for byte `j` of the current block)
    /// without those where [`first_token`] is surely `None`: the token before the space
    /// (or before its `.`) starts with no capital and holds none after a `'` or `-`, and
    /// is no particle-shaped word (two to five lower-case letters after a space). Kept
    /// also where that token reaches back past the window. All in bit operations on the
    /// two blocks: prose has a capital after a space every few dozen bytes, and a walk
    /// back from each cost more than the rest of the name pass.
    ///
    /// A run of set bits `t` plus a bit `x` inside it carries out of the run and clears
    /// the run's bits from `x` up: `t & !(t + x)` marks them.
    #[inline]
    pub fn keep(&self, starts: u32) -> u32 {
        let t = self.tokens;
        // Tokens from a capital that starts them (after a byte that is no token), from a
        // capital after a `'` or `-` inside them, and the one that reaches back to the
        // window's first byte.
        let from_capital = t & !t.wrapping_add(self.capitals & !(t << 1));
        let from_joined = t & !t.wrapping_add(self.joined_capitals & t);
        let from_edge = t & !t.wrapping_add(1);
        let named = from_capital | from_joined | from_edge;
        // Lower-case words after a space, of two to five letters, at their last byte.
        let l = self.lower;
        let after_space = l & !l.wrapping_add(l & (self.spaces << 1));
        let six = l & (l << 1) & (l << 2) & (l << 3) & (l << 4) & (l << 5);
        let particle = after_space & (after_space << 1) & !six;
        // The token ends two bytes before the capital (`Jane Roe`), or three when a `.`
        // follows it (`Mr. Roe`, `K. Roe`).
        let keep = ((named | particle) << 2) | ((self.dots << 2) & (named << 3));
        starts & (keep >> 32) as u32
    }
}

/// True when a name token may start at `at`: an ASCII capital, a capital of Latin-1
/// (`É`), or any letter of Latin Extended-A (`Ł`; the name rules' token shape does not
/// tell its cases apart).
#[inline]
pub fn capital_at(hay: &[u8], at: usize) -> bool {
    match hay[at] {
        b'A'..=b'Z' | 0xC4 | 0xC5 => true,
        0xC3 => hay
            .get(at + 1)
            .is_some_and(|&c| matches!(c, 0x80..=0x96 | 0x98..=0x9E)),
        _ => false,
    }
}

/// For a capitalised word starting at `at`, right after a space: the stretch of token
/// bytes (`start..end`) that a name's first token would end, when that word is the
/// second token of a name; `None` when no name can have its second token there.
///
/// The stretch ends at the space before `at`, or before up to `MAX_PARTICLES`
/// [`PARTICLES`], and one `.` (`Mr. Roe`, an initial). A name's first token starts where a token may
/// ([`capital_at`]), at the stretch's start or after a `'` or `-` in it (the name rules
/// put no letter before a name); see [`token_starts`].
pub fn first_token(hay: &[u8], at: usize) -> Option<(usize, usize)> {
    debug_assert!(at >= 1 && hay[at - 1] == b' ');
    if !capital_at(hay, at) {
        return None;
    }
    // `end` is the position of the space after the token being looked at.
    let mut end = at - 1;
    for particles in 0..=MAX_PARTICLES {
        let mut e = end;
        if e > 0 && hay[e - 1] == b'.' {
            e -= 1;
        }
        // One walk back over the token, noting a token start after a `'` or `-` on the
        // way: this runs for every capital after a space, most of them in prose.
        let mut s = e;
        let mut inner_start = false;
        while s > 0 && e - s < MAX_TOKEN && TOKEN_BYTE[usize::from(hay[s - 1])] {
            s -= 1;
            inner_start |= matches!(hay[s], b'\'' | b'-') && s + 1 < e && capital_at(hay, s + 1);
        }
        if s == e {
            return None;
        }
        if inner_start || capital_at(hay, s) {
            return Some((s, e));
        }
        let particle = e == end && s > 0 && hay[s - 1] == b' ' && is_particle(&hay[s..e]);
        if !particle || particles == MAX_PARTICLES {
            return None;
        }
        end = s - 1;
    }
    None
}

/// Where a name's first token may start in the stretch `start..end`: at its start, or
/// after a `'` or `-` in it, where [`capital_at`] holds.
pub fn token_starts(hay: &[u8], start: usize, end: usize) -> impl Iterator<Item = usize> + '_ {
    (start..end)
        .filter(move |&p| (p == start || matches!(hay[p - 1], b'\'' | b'-')) && capital_at(hay, p))
}

/// Where a name whose first token ends at `end` (the end of a [`first_token`]
/// stretch) ends at the latest: past every further token that a name may add, each a
/// space, at most `MAX_PARTICLES` [`PARTICLES`], and a run of token bytes starting where
/// [`capital_at`] holds (an initial's `.` included). A name rule's value starting in the
/// stretch ends there or before, so a window needs to reach only that far plus the
/// rule's bytes after its value.
pub fn name_end(hay: &[u8], end: usize) -> usize {
    let mut at = end;
    if hay.get(at) == Some(&b'.') {
        at += 1;
    }
    for _ in 0..MAX_MORE_TOKENS {
        let mut next = at;
        let mut particles = 0;
        loop {
            if hay.get(next) != Some(&b' ') {
                return at;
            }
            next += 1;
            let run = hay[next..]
                .iter()
                .take(6)
                .take_while(|b| b.is_ascii_lowercase())
                .count();
            if particles == MAX_PARTICLES
                || hay.get(next + run) != Some(&b' ')
                || !is_particle(&hay[next..next + run])
            {
                break;
            }
            next += run;
            particles += 1;
        }
        if next >= hay.len() || !capital_at(hay, next) {
            return at;
        }
        let mut e = next;
        while e < hay.len() && e - next < MAX_TOKEN && is_token_byte(hay[e]) {
            e += 1;
        }
        if hay.get(e) == Some(&b'.') {
            e += 1;
        }
        at = e;
    }
    at
}

/// True when a name's first token in the stretch `start..end` ([`token_starts`] to
/// `end`) is a word for which `listed` is true.
pub fn starts_listed_word(
    hay: &[u8],
    start: usize,
    end: usize,
    listed: impl Fn(&[u8]) -> bool,
) -> bool {
    token_starts(hay, start, end).any(|p| listed(&hay[p..end]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stretch(text: &str, second: &str) -> Option<&'static str> {
        let at = text.find(second).unwrap();
        first_token(text.as_bytes(), at)
            .map(|(s, e)| &*Box::leak(text[s..e].to_owned().into_boxed_str()))
    }

    #[test]
    fn finds_the_first_token_of_a_name() {
        assert_eq!(
            stretch("Signed-off-by: Jane Roe <j@x>", "Roe"),
            Some("Jane")
        );
        assert_eq!(stretch("Jan van der Berg", "Berg"), Some("Jan"));
        assert_eq!(stretch("Jean-Luc K. Dupont", "K."), Some("Jean-Luc"));
        assert_eq!(stretch("Jean-Luc K. Dupont", "Dupont"), Some("K"));
        assert_eq!(stretch("x Łukasz Kowalski", "Kowalski"), Some("Łukasz"));
        assert_eq!(stretch("Dear Mr. Roe", "Roe"), Some("Mr"));
    }

    proptest::proptest! {
        /// The block pass's prefilter never drops a capital from which `first_token`
        /// finds a first token, for text of name-like bytes of any length (tokens that
        /// cross blocks, particles, initials, joined parts, accented capitals).
        #[test]
        fn the_prefilter_keeps_every_first_token(words in proptest::collection::vec(
            proptest::prop_oneof![
                proptest::strategy::Just("Jane"), proptest::strategy::Just("roe"),
                proptest::strategy::Just("van"), proptest::strategy::Just("de"),
                proptest::strategy::Just("K."), proptest::strategy::Just("x-Jo"),
                proptest::strategy::Just("O'Bo"), proptest::strategy::Just("Łu"),
                proptest::strategy::Just("é"), proptest::strategy::Just("the."),
                proptest::strategy::Just("Abcdefghijklmnopqrstuvwxyzabcdefghij"),
                proptest::strategy::Just(","), proptest::strategy::Just("7"),
            ], 0..60),
            seps in proptest::collection::vec(proptest::prop_oneof![
                proptest::strategy::Just(" "), proptest::strategy::Just(""),
                proptest::strategy::Just("  ")], 60)) {
            let text: String = words.iter().zip(&seps).flat_map(|(w, s)| [*w, *s]).collect();
            let hay = text.as_bytes();
            let mut kept = Vec::new();
            super::super::windows::find(hay, None, None, Some(&mut kept));
            let mut portable = Vec::new();
            super::super::windows::find_portable(hay, &mut portable);
            proptest::prop_assert_eq!(&kept, &portable);
            for at in 1..hay.len() {
                if hay[at - 1] == b' ' && first_token(hay, at).is_some() {
                    proptest::prop_assert!(kept.contains(&at), "{:?} at {}", text, at);
                }
            }
        }
    }

    #[test]
    fn particles_are_those_of_the_name_shape() {
        let rules = include_str!("../../patterns/person.toml");
        for p in PARTICLES {
            assert!(is_particle(p.as_bytes()), "{p}");
        }
        assert!(!is_particle(b"the") && !is_particle(b"vand") && !is_particle(b""));
        let list = format!("(?:{}) ", PARTICLES.join("|"));
        assert!(
            rules.contains(&list),
            "person_name's particles differ from {list}"
        );
        let more = format!("){{1,{MAX_MORE_TOKENS}}}'''");
        assert!(
            rules.contains(&more),
            "person_name no longer ends with {more}"
        );
    }

    #[test]
    fn a_name_ends_after_its_last_token() {
        fn end<'t>(text: &'t str, first: &str) -> &'t str {
            let e = text.find(first).unwrap() + first.len();
            &text[..name_end(text.as_bytes(), e)]
        }
        assert_eq!(end("Jane Roe said", "Jane"), "Jane Roe");
        assert_eq!(end("Jan van der Berg, 45", "Jan"), "Jan van der Berg");
        assert_eq!(
            end("Jean-Luc K. Dupont <", "Jean-Luc"),
            "Jean-Luc K. Dupont"
        );
        assert_eq!(
            end("Ana María Pérez García\n", "Ana"),
            "Ana María Pérez García"
        );
        assert_eq!(end("Jane van de la", "Jane"), "Jane");
        assert_eq!(end("Jane", "Jane"), "Jane");
        assert_eq!(end("A Bb Cc Dd Ee Ff", "A"), "A Bb Cc Dd");
    }

    #[test]
    fn no_first_token_where_no_name_can_start() {
        // A lower-case word, three particles, a digit or a symbol before the space.
        assert_eq!(stretch("the Roe", "Roe"), None);
        assert_eq!(stretch("Jan van de la Berg", "Berg"), None);
        assert_eq!(stretch("x=1 Roe", "Roe"), None);
        assert_eq!(stretch("and then the Roe", "Roe"), None);
        assert_eq!(stretch("Jane the Roe", "Roe"), None);
        assert_eq!(stretch("a  Roe", "Roe"), None);
        // Accented lower-case letters share lead bytes with capitals.
        assert_eq!(stretch("niño über", "über"), None);
        assert_eq!(stretch("että Roe", "Roe"), None);
    }
}
