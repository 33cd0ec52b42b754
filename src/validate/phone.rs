//! Phone numbers: the international `+CC` / `00CC` form is checked against the country
//! calling code table of ITU-T E.164 with the national number lengths each country uses.

use crate::span::Span;

/// Digits of a phone number in national form.
pub const NATIONAL_DIGITS: std::ops::RangeInclusive<usize> = 7..=13;

/// A phone number in national form, the candidate `m` of `hay`: 7 to 13 digits, not all
/// one digit, not only zeros and ones (`01001 10111`, bits), not a counting run
/// (`0123456789`), not a date, a time or a span of years (`2019-12-26`,
/// `10.03.2024 14:30`, `2016-2020`), not a US ZIP+4 code after a state
/// (`MA 02110-1301`), and not pairs of a longer run of hex pairs (`06 08 00 00 09 0a`,
/// a dump).
pub fn national(hay: &[u8], m: Span) -> bool {
    let t = &hay[m.range()];
    let digits: Vec<u8> = t.iter().copied().filter(u8::is_ascii_digit).collect();
    // `+999 1234 5678`: an international number with a code nobody has.
    let plus = m.start > 0 && hay[m.start - 1] == b'+';
    NATIONAL_DIGITS.contains(&digits.len())
        && !plus
        && !digits.iter().all(|&d| d == digits[0])
        && !digits.iter().all(|&d| d <= b'1')
        && !isbn_13(&digits)
        && !decimal(t)
        && !counting_run(&digits, t.len() == digits.len())
        && !date_or_time(t)
        && !zip_plus_four(hay, m)
        && !pairs_of_a_dump(hay, m)
}

/// `41.060462`, `22219.1164`: a dot followed by five or more digits is a decimal
/// point; phone numbers written with dots group by two to four.
fn decimal(t: &[u8]) -> bool {
    t.split(|b| *b == b'.')
        .skip(1)
        .any(|g| g.iter().take_while(|b| b.is_ascii_digit()).count() >= 5)
}

/// An ISBN-13 (`978-3-16-148410-0`): 978 or 979 and the EAN check digit.
fn isbn_13(d: &[u8]) -> bool {
    let digit = |b: u8| u32::from(b - b'0');
    d.len() == 13
        && (d.starts_with(b"978") || d.starts_with(b"979"))
        && d.iter()
            .enumerate()
            .map(|(i, &b)| digit(b) * if i % 2 == 0 { 1 } else { 3 })
            .sum::<u32>()
            .is_multiple_of(10)
}

/// `0123456789`, `123456789` written without separators (a digit alphabet in code):
/// nine or more digits each one more than the last; and two-digit groups counting up,
/// `01 02 03 04 05` (bytes counted in a dump). Grouped runs such as `01 234 567` stay:
/// reference example numbers are written so.
fn counting_run(d: &[u8], compact: bool) -> bool {
    let run = |v: &[u32]| v.windows(2).all(|w| w[1] == w[0] + 1);
    let ones: Vec<u32> = d.iter().map(|&b| u32::from(b - b'0')).collect();
    let pairs: Vec<u32> = ones.chunks_exact(2).map(|p| p[0] * 10 + p[1]).collect();
    compact && d.len() >= 9 && run(&ones) || !compact && d.len().is_multiple_of(2) && run(&pairs)
}

/// True when the groups of `t` read as a date (year, month and day in either order,
/// with `-`, `.` or `/`), optionally followed by a time or by a second date, or as two
/// years (`2016-2020`, a copyright line's span).
fn date_or_time(t: &[u8]) -> bool {
    let groups: Vec<&[u8]> = t
        .split(|b| !b.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .collect();
    let num = |g: &[u8]| g.iter().fold(0u32, |a, d| a * 10 + u32::from(d - b'0'));
    let day_month = |a: &[u8], b: &[u8]| {
        a.len() <= 2 && b.len() <= 2 && (1..=31).contains(&num(a)) && (1..=12).contains(&num(b))
            || a.len() <= 2
                && b.len() <= 2
                && (1..=12).contains(&num(a))
                && (1..=31).contains(&num(b))
    };
    let year = |g: &[u8]| g.len() == 4 && (1900..=2100).contains(&num(g));
    let date = |g: &[&[u8]]| {
        g.len() >= 3 && (year(g[0]) && day_month(g[1], g[2]) || year(g[2]) && day_month(g[0], g[1]))
    };
    date(&groups)
        || groups.len() >= 3 && date(&groups[groups.len() - 3..])
        || groups.len() == 2 && year(groups[0]) && year(groups[1])
}

/// `MA 02110-1301`: five digits, a dash and four after two capital letters and spaces
/// (or a line break).
fn zip_plus_four(hay: &[u8], m: Span) -> bool {
    let t = &hay[m.range()];
    let shape = t.len() == 10
        && t[5] == b'-'
        && t.iter()
            .enumerate()
            .all(|(i, b)| i == 5 || b.is_ascii_digit());
    let before = &hay[..m.start];
    let space = before
        .iter()
        .rev()
        .take_while(|b| b.is_ascii_whitespace())
        .count();
    let state = &before[..before.len() - space];
    shape
        && space > 0
        && state.len() >= 2
        && state[state.len() - 2..].iter().all(u8::is_ascii_uppercase)
        && !(state.len() > 2 && state[state.len() - 3].is_ascii_alphanumeric())
}

/// True when `m` is made of two-digit groups and another two-character hex group
/// follows or precedes it with the same separator: a row of a hex dump.
fn pairs_of_a_dump(hay: &[u8], m: Span) -> bool {
    let t = &hay[m.range()];
    let Some(&sep) = t.get(2) else { return false };
    let pairs = matches!(sep, b' ' | b':' | b'-') && t.split(|b| *b == sep).all(|g| g.len() == 2);
    let hex = |g: &[u8]| g.iter().all(u8::is_ascii_hexdigit);
    let alone = |i: usize| hay.get(i).is_none_or(|b| !b.is_ascii_alphanumeric());
    let after = hay.len() >= m.end + 3
        && hay[m.end] == sep
        && hex(&hay[m.end + 1..m.end + 3])
        && alone(m.end + 3);
    let before = m.start >= 3
        && hay[m.start - 1] == sep
        && hex(&hay[m.start - 3..m.start - 1])
        && (m.start == 3 || !hay[m.start - 4].is_ascii_alphanumeric());
    pairs && (after || before)
}

/// `(country code, min, max)` national significant number lengths. The larger countries'
/// ranges come from their numbering plans; codes listed in [`OTHER_CODES`] get the
/// general range 6..=10.
const CODES: &[(u16, u8, u8)] = &[
    (1, 10, 10),
    (7, 10, 10),
    (20, 8, 10),
    (27, 9, 9),
    (30, 10, 10),
    (31, 9, 9),
    (32, 8, 9),
    (33, 9, 9),
    (34, 9, 9),
    (36, 8, 9),
    (39, 6, 11),
    (40, 9, 9),
    (41, 9, 9),
    (43, 4, 13),
    (44, 9, 10),
    (45, 8, 8),
    (46, 7, 10),
    (47, 8, 8),
    (48, 9, 9),
    (49, 6, 13),
    (51, 8, 9),
    (52, 10, 10),
    (53, 8, 8),
    (54, 10, 11),
    (55, 10, 11),
    (56, 9, 9),
    (57, 10, 10),
    (58, 10, 10),
    (60, 8, 10),
    (61, 9, 9),
    (62, 8, 12),
    (63, 8, 10),
    (64, 8, 10),
    (65, 8, 8),
    (66, 8, 9),
    (81, 9, 10),
    (82, 8, 10),
    (84, 9, 10),
    (86, 10, 11),
    (90, 10, 10),
    (91, 10, 10),
    (92, 9, 10),
    (93, 9, 9),
    (94, 9, 9),
    (95, 8, 10),
    (98, 10, 10),
    (212, 9, 9),
    (213, 8, 9),
    (216, 8, 8),
    (233, 9, 9),
    (234, 8, 10),
    (254, 9, 9),
    (351, 9, 9),
    (352, 4, 11),
    (353, 7, 9),
    (354, 7, 7),
    (355, 8, 9),
    (356, 8, 8),
    (357, 8, 8),
    (358, 5, 12),
    (359, 7, 9),
    (370, 8, 8),
    (371, 8, 8),
    (372, 7, 8),
    (380, 9, 9),
    (381, 8, 9),
    (385, 8, 9),
    (386, 8, 8),
    (420, 9, 9),
    (421, 9, 9),
    (852, 8, 8),
    (880, 10, 10),
    (886, 8, 9),
    (966, 9, 9),
    (971, 8, 9),
    (972, 8, 9),
];

/// The other assigned three-digit country codes (E.164), with no specific length.
const OTHER_CODES: &[u16] = &[
    211, 218, 220, 221, 222, 223, 224, 225, 226, 227, 228, 229, 230, 231, 232, 235, 236, 237, 238,
    239, 240, 241, 242, 243, 244, 245, 246, 247, 248, 249, 250, 251, 252, 253, 255, 256, 257, 258,
    260, 261, 262, 263, 264, 265, 266, 267, 268, 269, 290, 291, 297, 298, 299, 350, 373, 374, 375,
    376, 377, 378, 382, 383, 387, 389, 423, 500, 501, 502, 503, 504, 505, 506, 507, 508, 509, 590,
    591, 592, 593, 594, 595, 596, 597, 598, 599, 670, 672, 673, 674, 675, 676, 677, 678, 679, 680,
    681, 682, 683, 685, 686, 687, 688, 689, 690, 691, 692, 850, 853, 855, 856, 960, 961, 962, 963,
    964, 965, 967, 968, 970, 973, 974, 975, 976, 977, 992, 993, 994, 995, 996, 998,
];

/// The national number length range for a country code, if the code is assigned.
fn lengths(cc: u16) -> Option<(usize, usize)> {
    if let Some(&(_, lo, hi)) = CODES.iter().find(|(c, _, _)| *c == cc) {
        return Some((usize::from(lo), usize::from(hi)));
    }
    OTHER_CODES.contains(&cc).then_some((6, 10))
}

/// True when `digits` (country code first, no trunk zero) splits into an assigned country
/// code and a national number of a length that country uses.
pub fn international_digits(digits: &[u8]) -> bool {
    (1..=3).any(|cc_len| {
        if digits.len() <= cc_len {
            return false;
        }
        let cc = digits[..cc_len]
            .iter()
            .fold(0u16, |acc, d| acc * 10 + u16::from(d - b'0'));
        // A country code never starts with 0, and a national number never starts with
        // the trunk prefix 0 after it (that form is written "(0)" and dropped).
        digits[0] != b'0'
            && lengths(cc).is_some_and(|(lo, hi)| (lo..=hi).contains(&(digits.len() - cc_len)))
    })
}

/// The digits of an international number as written: `+` or `00` prefix dropped, a
/// `(0)` trunk marker dropped, separators ignored.
pub fn international_number(text: &[u8]) -> Vec<u8> {
    let body = if let Some(rest) = text.strip_prefix(b"+") {
        rest
    } else if let Some(rest) = text.strip_prefix(b"00") {
        rest
    } else {
        text
    };
    let mut out = Vec::with_capacity(body.len());
    let mut i = 0;
    while i < body.len() {
        if body[i..].starts_with(b"(0)") {
            i += 3;
            continue;
        }
        if body[i].is_ascii_digit() {
            out.push(body[i]);
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str) -> bool {
        international_digits(&international_number(s.as_bytes()))
    }

    #[test]
    fn country_lengths() {
        assert!(ok("+44 20 7946 0958"));
        assert!(ok("+44 (0)20 7946 0958"));
        assert!(ok("0049 30 901820"));
        assert!(ok("+1 415-555-0132"));
        assert!(ok("+33 1 23 45 67 89"));
        assert!(ok("+351 212 345 678"));
        assert!(!ok("+44 20 7946"), "too short for the UK");
        assert!(!ok("+1 415 555 01320"), "too long for NANP");
        assert!(!ok("+0 123 456 789"), "no country code 0");
        assert!(!ok("+28 123 456 789"), "28 is unassigned");
    }
}
