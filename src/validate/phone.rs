//! Phone numbers: the international `+CC` / `00CC` form is checked against the country
//! calling code table of ITU-T E.164 with the national number lengths each country uses.

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
