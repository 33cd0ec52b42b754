//! Name windows: where the rules with `windows = "names"` look.
//!
//! A name, as the name rules write it (`patterns/person.toml`), is a capitalised token,
//! a space, at most two lower-case particles (`van der`) each followed by a space, and a
//! capitalised token or an initial: `Jane Roe`, `Jan van der Berg`, `Jean-Luc K. Dupont`.
//! The block pass ([`super::windows::find`]) lists every byte that may start a
//! capitalised word right after a space; from each, [`first_token`] walks back over the
//! particles to the token before them and keeps it when it holds a byte that may start a
//! capitalised word. A name's first token lies in that stretch, so a window from
//! `before` bytes ahead of the stretch to `after` bytes past its end holds every match
//! whose value starts there (the rule's bounds, [`crate::rules::Rule::value_reach`]).
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
    (2..=5).contains(&w.len()) && PARTICLES.iter().any(|p| p.as_bytes() == w)
}

/// A byte of a name token: an ASCII letter, an apostrophe, a hyphen, or a byte of a
/// multi-byte UTF-8 letter.
#[inline]
fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'\'' || b == b'-' || b >= 0x80
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
/// The stretch ends at the space before `at`, or before up to [`MAX_PARTICLES`]
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
        let mut s = e;
        while s > 0 && e - s < MAX_TOKEN && is_token_byte(hay[s - 1]) {
            s -= 1;
        }
        if s == e {
            return None;
        }
        if token_starts(hay, s, e).next().is_some() {
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
/// space, at most [`MAX_PARTICLES`] [`PARTICLES`], and a run of token bytes starting where
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

    #[test]
    fn particles_are_those_of_the_name_shape() {
        let rules = include_str!("../../patterns/person.toml");
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
