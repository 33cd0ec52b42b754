//! National identifiers and their check digits. Each function takes the matched text
//! (separators included) and returns true when it is a well-formed, checksum-valid ID.

/// The decimal digits of `text`, as numbers 0..=9.
fn digits(text: &[u8]) -> Vec<u32> {
    text.iter()
        .filter(|b| b.is_ascii_digit())
        .map(|b| u32::from(b - b'0'))
        .collect()
}

/// `digits[range]` read as one decimal number.
fn number(d: &[u32]) -> u64 {
    d.iter().fold(0, |acc, &x| acc * 10 + u64::from(x))
}

/// The upper-cased alphanumerics of `text` (separators dropped).
fn alnum_upper(text: &[u8]) -> Vec<u8> {
    text.iter()
        .filter(|b| b.is_ascii_alphanumeric())
        .map(|b| b.to_ascii_uppercase())
        .collect()
}

fn all_same(d: &[u32]) -> bool {
    d.iter().all(|&x| x == d[0])
}

/// True when day `d` of month `m` exists in a year ending in `yy` (leap years from `yy`
/// alone: the century is not always known, and 1900 is the only ambiguous case).
fn valid_date(yy: u32, m: u32, d: u32) -> bool {
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 => {
            if yy.is_multiple_of(4) {
                29
            } else {
                28
            }
        }
        _ => return false,
    };
    (1..=days).contains(&d)
}

/// US Social Security number: area not 000, 666 or 900-999; group not 00; serial not
/// 0000; and not one of the numbers printed in advertising (078-05-1120, 219-09-9999).
pub fn us_ssn(text: &[u8]) -> bool {
    let d = digits(text);
    if d.len() != 9 || all_same(&d) {
        return false;
    }
    let (area, group, serial) = (number(&d[..3]), number(&d[3..5]), number(&d[5..]));
    area != 0
        && area != 666
        && area < 900
        && group != 0
        && serial != 0
        && !matches!((area, group, serial), (78, 5, 1120) | (219, 9, 9999))
        && number(&d) != 123_456_789
}

/// UK NHS number: 10 digits, weights 10..2, mod 11 (a check value of 10 is never issued).
pub fn uk_nhs(text: &[u8]) -> bool {
    let d = digits(text);
    if d.len() != 10 || all_same(&d) {
        return false;
    }
    let sum: u32 = d[..9].iter().zip((2..=10).rev()).map(|(x, w)| x * w).sum();
    let check = match 11 - sum % 11 {
        11 => 0,
        10 => return false,
        c => c,
    };
    check == d[9]
}

/// UK National Insurance number: two prefix letters with the letters HMRC never issues
/// excluded, six digits, suffix A-D.
pub fn uk_nino(text: &[u8]) -> bool {
    let s = alnum_upper(text);
    if s.len() != 9 {
        return false;
    }
    let (a, b) = (s[0], s[1]);
    if b"DFIQUV".contains(&a) || b"DFIOQUV".contains(&b) {
        return false;
    }
    if [b"BG", b"GB", b"NK", b"KN", b"TN", b"NT", b"ZZ"]
        .iter()
        .any(|p| p[..] == s[..2])
    {
        return false;
    }
    s[2..8].iter().all(u8::is_ascii_digit) && (b'A'..=b'D').contains(&s[8])
}

/// German tax identification number (Steuer-IdNr): 11 digits, no leading zero, in the
/// first ten exactly one digit repeated (twice or three times), check digit by
/// ISO 7064 MOD 11,10.
pub fn de_tax_id(text: &[u8]) -> bool {
    let d = digits(text);
    if d.len() != 11 || d[0] == 0 {
        return false;
    }
    let mut counts = [0u8; 10];
    for &x in &d[..10] {
        counts[x as usize] += 1;
    }
    let repeated = counts.iter().filter(|&&c| c > 1).count();
    let max = counts.iter().copied().max().unwrap_or(0);
    if repeated != 1 || max > 3 {
        return false;
    }
    let mut product = 10;
    for &x in &d[..10] {
        let mut sum = (x + product) % 10;
        if sum == 0 {
            sum = 10;
        }
        product = (sum * 2) % 11;
    }
    let check = match 11 - product {
        10 => 0,
        c => c,
    };
    check == d[10]
}

/// French social security number (NIR): sex 1-4/7/8, year, month, department (2A/2B for
/// Corsica), commune, order, then a key of 97 - (number mod 97).
pub fn fr_nir(text: &[u8]) -> bool {
    let s = alnum_upper(text);
    if s.len() != 15 {
        return false;
    }
    // Corsica: 2A counts as 19, 2B as 18 in the key computation.
    let mut body = s[..13].to_vec();
    let corsica = match (body[5], body[6]) {
        (b'2', b'A') => Some(1_000_000),
        (b'2', b'B') => Some(2_000_000),
        _ => None,
    };
    if corsica.is_some() {
        body[6] = b'0';
    }
    if !body.iter().chain(&s[13..]).all(u8::is_ascii_digit) {
        return false;
    }
    let d = digits(&body);
    if !matches!(d[0], 1 | 2 | 3 | 4 | 7 | 8) {
        return false;
    }
    let month = number(&d[3..5]);
    if !(1..=12).contains(&month) && !(20..=42).contains(&month) && month != 99 {
        return false;
    }
    let n = number(&d) - corsica.unwrap_or(0);
    let key = number(&digits(&s[13..]));
    key == 97 - n % 97
}

const NIF_LETTERS: &[u8; 23] = b"TRWAGMYFPDXBNJZSQVHLCKE";

/// Spanish DNI/NIF: 8 digits and the letter of (number mod 23).
pub fn es_nif(text: &[u8]) -> bool {
    let s = alnum_upper(text);
    s.len() == 9
        && s[..8].iter().all(u8::is_ascii_digit)
        && NIF_LETTERS[(number(&digits(&s[..8])) % 23) as usize] == s[8]
}

/// Spanish NIE: X, Y or Z (read as 0, 1, 2), 7 digits, and the NIF letter.
pub fn es_nie(text: &[u8]) -> bool {
    let s = alnum_upper(text);
    if s.len() != 9 || !s[1..8].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let lead = match s[0] {
        b'X' => 0,
        b'Y' => 1,
        b'Z' => 2,
        _ => return false,
    };
    let n = lead * 10_000_000 + number(&digits(&s[1..8]));
    NIF_LETTERS[(n % 23) as usize] == s[8]
}

/// Italian codice fiscale: 16 characters whose last is the check character computed from
/// the odd- and even-position tables (omocodia letters allowed in digit places).
pub fn it_fiscal_code(text: &[u8]) -> bool {
    const ODD: [u32; 26] = [
        1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24,
        23,
    ];
    let s = alnum_upper(text);
    if s.len() != 16 || !b"ABCDEHLMPRST".contains(&s[8]) {
        return false;
    }
    let value = |c: u8| -> Option<u32> {
        match c {
            b'0'..=b'9' => Some(u32::from(c - b'0')),
            b'A'..=b'Z' => Some(u32::from(c - b'A')),
            _ => None,
        }
    };
    let mut sum = 0;
    for (i, &c) in s[..15].iter().enumerate() {
        let Some(v) = value(c) else { return false };
        // Positions are 1-based in the specification: index 0 is "odd".
        sum += if i % 2 == 0 { ODD[v as usize] } else { v };
    }
    s[15] == b'A' + (sum % 26) as u8
}

/// Dutch BSN: 9 digits passing the "11-proof" (weights 9..2, and -1 for the last).
pub fn nl_bsn(text: &[u8]) -> bool {
    let d = digits(text);
    if d.len() != 9 || all_same(&d) {
        return false;
    }
    let sum: i64 = d[..8]
        .iter()
        .zip((2..=9).rev())
        .map(|(&x, w)| i64::from(x) * w)
        .sum::<i64>()
        - i64::from(d[8]);
    sum % 11 == 0
}

/// Polish PESEL: 11 digits, a valid birth date (century encoded in the month), weights
/// 1-3-7-9 check digit.
pub fn pl_pesel(text: &[u8]) -> bool {
    let d = digits(text);
    if d.len() != 11 || all_same(&d) {
        return false;
    }
    let month = number(&d[2..4]) as u32 % 20;
    if !valid_date(number(&d[..2]) as u32, month, number(&d[4..6]) as u32) {
        return false;
    }
    const W: [u32; 10] = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];
    let sum: u32 = d[..10].iter().zip(W).map(|(x, w)| x * w).sum();
    (10 - sum % 10) % 10 == d[10]
}

/// Swedish personnummer or samordningsnummer (day + 60): YYMMDD-NNNC or YYYYMMDDNNNC
/// with Luhn over the last ten digits.
pub fn se_personnummer(text: &[u8]) -> bool {
    let d = digits(text);
    let ten = match d.len() {
        10 => &d[..],
        12 => &d[2..],
        _ => return false,
    };
    let day = number(&ten[4..6]) as u32;
    let day = if day > 60 { day - 60 } else { day };
    if !valid_date(number(&ten[..2]) as u32, number(&ten[2..4]) as u32, day) {
        return false;
    }
    let bytes: Vec<u8> = ten.iter().map(|&x| b'0' + x as u8).collect();
    super::luhn::luhn(&bytes)
}

/// Finnish henkilötunnus: DDMMYY, a century sign, three digits, and a check character
/// from (DDMMYYNNN mod 31).
pub fn fi_hetu(text: &[u8]) -> bool {
    const CHECK: &[u8; 31] = b"0123456789ABCDEFHJKLMNPRSTUVWXY";
    let s: Vec<u8> = text.iter().map(u8::to_ascii_uppercase).collect();
    if s.len() != 11 || !b"+-ABCDEFUVWXY".contains(&s[6]) {
        return false;
    }
    if !s[..6].iter().chain(&s[7..10]).all(u8::is_ascii_digit) {
        return false;
    }
    let d = digits(&s[..6]);
    if !valid_date(
        number(&d[4..6]) as u32,
        number(&d[2..4]) as u32,
        number(&d[..2]) as u32,
    ) {
        return false;
    }
    let n = number(&digits(&s[..6])) * 1000 + number(&digits(&s[7..10]));
    CHECK[(n % 31) as usize] == s[10]
}

/// Danish CPR number: DDMMYY-SSSS with a valid date (the mod-11 check was dropped in
/// 2007, so only the date is checked; the rule requires a context word).
pub fn dk_cpr(text: &[u8]) -> bool {
    let d = digits(text);
    d.len() == 10
        && valid_date(
            number(&d[4..6]) as u32,
            number(&d[2..4]) as u32,
            number(&d[..2]) as u32,
        )
}

/// Belgian national register number: YY.MM.DD-SSS.CC where CC = 97 - (YYMMDDSSS mod 97),
/// or with a leading 2 for births from 2000.
pub fn be_national_number(text: &[u8]) -> bool {
    let d = digits(text);
    if d.len() != 11 {
        return false;
    }
    let month = number(&d[2..4]);
    // Month 0 and day 0 are used when the birth date is unknown; bis numbers add 20 or 40.
    if month > 12 && !(20..=32).contains(&month) && !(40..=52).contains(&month) {
        return false;
    }
    let body = number(&d[..9]);
    let check = number(&d[9..]);
    check == 97 - body % 97 || check == 97 - (2_000_000_000 + body) % 97
}

/// Portuguese NIF: 9 digits, a first digit in use, mod-11 check digit.
pub fn pt_nif(text: &[u8]) -> bool {
    let d = digits(text);
    if d.len() != 9 || !matches!(d[0], 1 | 2 | 3 | 5 | 6 | 8 | 9) || all_same(&d) {
        return false;
    }
    let sum: u32 = d[..8].iter().zip((2..=9).rev()).map(|(x, w)| x * w).sum();
    let check = match 11 - sum % 11 {
        10 | 11 => 0,
        c => c,
    };
    check == d[8]
}

/// Brazilian CPF: 11 digits with two mod-11 check digits; all-equal numbers are invalid.
pub fn br_cpf(text: &[u8]) -> bool {
    let d = digits(text);
    if d.len() != 11 || all_same(&d) {
        return false;
    }
    let check = |n: usize| -> u32 {
        let sum: u32 = d[..n]
            .iter()
            .zip((2..=n as u32 + 1).rev())
            .map(|(x, w)| x * w)
            .sum();
        (sum * 10 % 11) % 10
    };
    check(9) == d[9] && check(10) == d[10]
}

/// Indian Aadhaar: 12 digits, first digit 2-9, Verhoeff check digit.
pub fn in_aadhaar(text: &[u8]) -> bool {
    let d = digits(text);
    d.len() == 12 && d[0] >= 2 && !all_same(&d) && verhoeff(&d)
}

/// The Verhoeff check (dihedral group D5): true when `d`, check digit last, is valid.
pub fn verhoeff(d: &[u32]) -> bool {
    const D: [[u8; 10]; 10] = [
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
        [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
        [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
        [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
        [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
        [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
        [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
        [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
        [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
        [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
    ];
    const P: [[u8; 10]; 8] = [
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
        [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
        [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
        [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
        [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
        [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
        [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
        [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
    ];
    let mut c = 0u8;
    for (i, &x) in d.iter().rev().enumerate() {
        c = D[c as usize][P[i % 8][x as usize] as usize];
    }
    c == 0
}

/// Indian PAN: five letters whose fourth names the holder type (P person, C company, ...),
/// four digits, a letter.
pub fn in_pan(text: &[u8]) -> bool {
    text.len() == 10
        && text[..5].iter().all(u8::is_ascii_uppercase)
        && b"ABCFGHJLPT".contains(&text[3])
        && text[5..9].iter().all(u8::is_ascii_digit)
        && text[9].is_ascii_uppercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `(validator, valid examples, invalid examples)`. Valid ones are the published
    /// specimen numbers of each scheme or values generated with its algorithm.
    type Case = (
        fn(&[u8]) -> bool,
        &'static [&'static str],
        &'static [&'static str],
    );

    const CASES: &[Case] = &[
        (
            us_ssn,
            &["536-90-4399", "536 90 4399"],
            &[
                "000-12-3456",
                "666-12-3456",
                "912-12-3456",
                "536-00-4399",
                "536-90-0000",
                "078-05-1120",
            ],
        ),
        (
            uk_nhs,
            &["943 476 5919", "9434765919"],
            &["943 476 5918", "1111111111"],
        ),
        (
            uk_nino,
            &["AB 12 34 56 C", "AB123456C"],
            &["QQ123456C", "BG123456A", "AB123456E", "DA123456A"],
        ),
        (
            de_tax_id,
            &["86095742719", "47036892816"],
            &["86095742718", "01234567890", "11234567891", "12345678901"],
        ),
        (
            fr_nir,
            &["2 69 05 49 588 157 80", "1 84 12 2A 451 089 33"],
            &["2 69 05 49 588 157 81", "5 69 05 49 588 157 80"],
        ),
        (
            es_nif,
            &["12345678Z", "12345678-Z"],
            &["12345678A", "1234567Z"],
        ),
        (
            es_nie,
            &["X1234567L", "Y1234567X"],
            &["X1234567A", "A1234567L"],
        ),
        (
            it_fiscal_code,
            &["RSSMRA85T10A562S", "rssmra85t10a562s"],
            &["RSSMRA85T10A562T", "RSSMRA85Z10A562S"],
        ),
        (
            nl_bsn,
            &["111222333", "123456782"],
            &["111222334", "123456789", "000000000"],
        ),
        (
            pl_pesel,
            &["44051401359", "02070803628"],
            &["44051401358", "44151401359", "11111111111"],
        ),
        (
            se_personnummer,
            &["811228-9874", "19811228-9874", "811288-9871"],
            &["811228-9875", "811328-9874"],
        ),
        (
            fi_hetu,
            &["131052-308T", "010594Y9032"],
            &["131052-308U", "311352-308T"],
        ),
        (
            dk_cpr,
            &["070761-4285", "0707614285"],
            &["320761-4285", "071361-4285"],
        ),
        (
            be_national_number,
            &["85.07.30-033.28", "17.07.30-033.84"],
            &["85.07.30-033.29", "85.77.30-033.28"],
        ),
        (
            pt_nif,
            &["123456789", "501964843"],
            &["123456780", "423456789", "999999999"],
        ),
        (
            br_cpf,
            &["529.982.247-25", "52998224725"],
            &["529.982.247-26", "111.111.111-11"],
        ),
        (
            in_aadhaar,
            &["2345 6789 0124", "499118665246"],
            &["2345 6789 0123", "1345 6789 0124"],
        ),
        (
            in_pan,
            &["ABCPE1234F", "AAACB1234C"],
            &["ABCDE1234F", "ABCPE12345", "abcpe1234f"],
        ),
    ];

    #[test]
    fn published_and_generated_vectors() {
        let mut failures = Vec::new();
        for (i, (f, good, bad)) in CASES.iter().enumerate() {
            for g in *good {
                if !f(g.as_bytes()) {
                    failures.push(format!("case {i}: {g} should pass"));
                }
            }
            for b in *bad {
                if f(b.as_bytes()) {
                    failures.push(format!("case {i}: {b} should fail"));
                }
            }
        }
        assert!(failures.is_empty(), "{failures:#?}");
    }

    #[test]
    fn verhoeff_vector() {
        // The textbook example: 236 has check digit 3.
        assert!(verhoeff(&[2, 3, 6, 3]));
        assert!(!verhoeff(&[2, 3, 6, 4]));
        // Long enough to use every row of the permutation table (row 4 was once wrong,
        // caught by checking the labeled corpus with python-stdnum); check digits from
        // python-stdnum's verhoeff.calc_check_digit.
        let d = |s: &str| s.bytes().map(|b| u32::from(b - b'0')).collect::<Vec<_>>();
        assert!(verhoeff(&d("969017973652")));
        assert!(!verhoeff(&d("969017973650")));
    }
}
