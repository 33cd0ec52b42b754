//! Luhn mod-10 (ISO/IEC 7812-1), used by payment cards, Swedish personnummer and others.

/// True when the decimal digits of `digits` (other bytes ignored) pass the Luhn check.
/// Fewer than two digits never pass.
pub fn luhn(digits: &[u8]) -> bool {
    let mut sum = 0u32;
    let mut n = 0usize;
    for &b in digits.iter().rev() {
        if !b.is_ascii_digit() {
            continue;
        }
        let mut d = u32::from(b - b'0');
        if n % 2 == 1 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
        n += 1;
    }
    n >= 2 && sum.is_multiple_of(10)
}

/// Digits of any card number (12, Maestro, to 19).
pub const CARD_DIGITS: std::ops::RangeInclusive<usize> = 12..=19;
/// Digits of a card number of the issuers [`credit_card`] knows.
pub const CREDIT_CARD_DIGITS: std::ops::RangeInclusive<usize> = 13..=19;

/// Any card number: 12-19 digits that pass Luhn, not all one digit. For numbers next
/// to a card word, where the word does the work of the issuer table.
pub fn card_number(text: &[u8]) -> bool {
    let digits: Vec<u8> = text.iter().copied().filter(u8::is_ascii_digit).collect();
    CARD_DIGITS.contains(&digits.len()) && luhn(&digits) && !digits.iter().all(|&d| d == digits[0])
}

/// A payment card number: 13-19 digits that pass Luhn and start with an issuer prefix in
/// use (Visa, Mastercard, Amex, Discover, Diners, JCB, UnionPay, Maestro, Mir).
pub fn credit_card(text: &[u8]) -> bool {
    let digits: Vec<u8> = text.iter().copied().filter(u8::is_ascii_digit).collect();
    if !CREDIT_CARD_DIGITS.contains(&digits.len()) || !luhn(&digits) {
        return false;
    }
    if digits.iter().all(|&d| d == digits[0]) {
        return false;
    }
    if digits.len() > 16 && text.len() == digits.len() {
        // 17-19 digits with no separator are integer constants and ids far more often
        // than cards; next to a card word, `card_number` takes them.
        return false;
    }
    let prefix = |n: usize| -> u32 {
        digits[..n]
            .iter()
            .fold(0, |acc, d| acc * 10 + u32::from(d - b'0'))
    };
    let len = digits.len();
    let (p1, p2, p3, p4, p6) = (prefix(1), prefix(2), prefix(3), prefix(4), prefix(6));
    match p1 {
        // Visa. 13-digit Visa numbers were retired long ago; written without
        // separators, 13 digits starting with 4 are far more often EAN-13 barcodes
        // (GS1 prefixes 400-440, Germany), which pass Luhn one time in ten.
        4 => matches!(len, 16 | 19) || len == 13 && text.len() > 13,
        5 => (51..=55).contains(&p2) && len == 16 || (50..=59).contains(&p2), // Mastercard, Maestro
        2 => (2221..=2720).contains(&p4) && len == 16 || (2200..=2204).contains(&p4), // Mastercard, Mir
        3 => {
            (p2 == 34 || p2 == 37) && len == 15                     // Amex
                || (300..=305).contains(&p3) || p2 == 36 || p2 == 38 || p2 == 39 // Diners
                || (3528..=3589).contains(&p4) // JCB
        }
        6 => {
            p4 == 6011 || p2 == 65 || (644..=649).contains(&p3) // Discover
                || p2 == 62 // UnionPay
                || (622126..=622925).contains(&p6)
                || p2 == 67 || p2 == 63 // Maestro
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luhn_vectors() {
        // Published test numbers of the card networks; the last digit decides.
        for ok in [
            "4111111111111111",
            "5555555555554444",
            "378282246310005",
            "79927398713",
        ] {
            assert!(luhn(ok.as_bytes()), "{ok}");
        }
        for bad in ["4111111111111112", "79927398710", "1", ""] {
            assert!(!luhn(bad.as_bytes()), "{bad}");
        }
    }

    #[test]
    fn card_vectors() {
        for ok in [
            "4111 1111 1111 1111",
            "5555-5555-5555-4444",
            "3782 822463 10005",
            "6011111111111117",
            "3530111333300000",
            "2223003122003222",
        ] {
            assert!(credit_card(ok.as_bytes()), "{ok}");
        }
        // Luhn-valid but no issuer uses the prefix, or too short.
        for bad in [
            "79927398713",
            "0000000000000000",
            "9111111111111119",
            "4111111111111112",
        ] {
            assert!(!credit_card(bad.as_bytes()), "{bad}");
        }
    }
}
