//! Validators: the checks that confirm or reject a regex candidate ([`Validator`]).
//!
//! A rule names at most one validator in its `validator` field, e.g. `"luhn"` or
//! `"entropy >= 3.5"`. [`Validator::parse`] turns the name into the enum, so an unknown
//! name is a load error, never a silent no-op. [`Validator::check`] sees the whole
//! document, not only the candidate, so it can look at neighbours (a version string's
//! `v`, the `-rc1` after a dotted number), and may *shrink* the candidate (a phone regex
//! that swallowed a following year gives the number back without it).
//!
//! Numeric validators also require the candidate to stand alone ([`standalone`]): not
//! glued to letters, digits, or a longer dotted/dashed number.

pub mod crypto;
pub mod entropy;
pub mod iban;
pub mod luhn;
pub mod national;
pub mod net;
pub mod phone;

use crate::span::Span;

/// Options that change what validators accept.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ValidateOptions {
    /// Also report private IP ranges (RFC 1918, 100.64/10, fc00::/7).
    pub private_ips: bool,
}

/// A named check run on each regex candidate of a rule.
#[derive(Clone, Copy, Debug, PartialEq)]
#[non_exhaustive]
pub enum Validator {
    /// Luhn mod-10 over the digits.
    Luhn,
    /// Luhn, 13-19 digits and an issuer prefix in use.
    CreditCard,
    /// Luhn and 12-19 digits, any issuer (for numbers next to a card word).
    CardNumber,
    /// A password: mixes letters with digits or symbols, is no reference or call.
    Password,
    /// IBAN: per-country length and mod-97.
    Iban,
    /// IPv4 that parses and is public (or private, when enabled); not a version string.
    Ipv4,
    /// IPv6 (every form std parses) that is public (or private, when enabled).
    Ipv6,
    /// MAC-48, not all-zero, broadcast or multicast.
    Mac,
    /// Email address with a plausible domain (not a file name such as `icon@2x.png`).
    Email,
    /// `+CC` / `00CC` phone number with an assigned country code and national length.
    PhoneInternational,
    /// A national phone number shape: stands alone, not all one digit.
    PhoneNational,
    /// US Social Security number rules.
    UsSsn,
    /// UK NHS number mod 11.
    UkNhs,
    /// UK National Insurance number prefix rules.
    UkNino,
    /// German Steuer-IdNr, ISO 7064 MOD 11,10.
    DeTaxId,
    /// French NIR key.
    FrNir,
    /// Spanish DNI/NIF letter.
    EsNif,
    /// Spanish NIE letter.
    EsNie,
    /// Italian codice fiscale check character.
    ItFiscalCode,
    /// Dutch BSN 11-proof.
    NlBsn,
    /// Polish PESEL date and check digit.
    PlPesel,
    /// Swedish personnummer date and Luhn.
    SePersonnummer,
    /// Finnish henkilötunnus check character.
    FiHetu,
    /// Danish CPR date.
    DkCpr,
    /// Belgian national register number mod 97.
    BeNationalNumber,
    /// Portuguese NIF mod 11.
    PtNif,
    /// Brazilian CPF check digits.
    BrCpf,
    /// Indian Aadhaar Verhoeff check.
    InAadhaar,
    /// Indian PAN holder-type letter.
    InPan,
    /// Bitcoin Base58Check address.
    BtcBase58,
    /// Bitcoin Bech32/Bech32m SegWit address.
    BtcBech32,
    /// Ethereum address shape.
    EthAddress,
    /// Shannon entropy of the candidate (bits per byte) at least this much.
    Entropy(f64),
}

/// Names accepted in rule files, and what they mean.
const NAMES: &[(&str, Validator)] = &[
    ("luhn", Validator::Luhn),
    ("credit_card", Validator::CreditCard),
    ("card_number", Validator::CardNumber),
    ("password", Validator::Password),
    ("iban_mod97", Validator::Iban),
    ("ipv4_public", Validator::Ipv4),
    ("ipv6_public", Validator::Ipv6),
    ("mac_address", Validator::Mac),
    ("email", Validator::Email),
    ("phone_international", Validator::PhoneInternational),
    ("phone_national", Validator::PhoneNational),
    ("us_ssn", Validator::UsSsn),
    ("uk_nhs", Validator::UkNhs),
    ("uk_nino", Validator::UkNino),
    ("de_tax_id", Validator::DeTaxId),
    ("fr_nir", Validator::FrNir),
    ("es_nif", Validator::EsNif),
    ("es_nie", Validator::EsNie),
    ("it_fiscal_code", Validator::ItFiscalCode),
    ("nl_bsn", Validator::NlBsn),
    ("pl_pesel", Validator::PlPesel),
    ("se_personnummer", Validator::SePersonnummer),
    ("fi_hetu", Validator::FiHetu),
    ("dk_cpr", Validator::DkCpr),
    ("be_national_number", Validator::BeNationalNumber),
    ("pt_nif", Validator::PtNif),
    ("br_cpf", Validator::BrCpf),
    ("in_aadhaar", Validator::InAadhaar),
    ("in_pan", Validator::InPan),
    ("btc_base58check", Validator::BtcBase58),
    ("btc_bech32", Validator::BtcBech32),
    ("eth_address", Validator::EthAddress),
];

impl Validator {
    /// Parses a rule file's `validator` value: a name from the table, or
    /// `entropy >= X` with X in bits per byte.
    ///
    /// # Errors
    /// A message listing the known names when `spec` is not one of them.
    pub fn parse(spec: &str) -> Result<Validator, String> {
        let spec = spec.trim();
        if let Some(rest) = spec.strip_prefix("entropy") {
            let rest = rest.trim_start();
            if let Some(x) = rest.strip_prefix(">=") {
                return match x.trim().parse::<f64>() {
                    Ok(v) if (0.0..=8.0).contains(&v) => Ok(Validator::Entropy(v)),
                    _ => Err(format!(
                        "entropy threshold {:?} is not a number of bits per byte in 0..=8",
                        x.trim()
                    )),
                };
            }
        }
        NAMES
            .iter()
            .find(|(n, _)| *n == spec)
            .map(|(_, v)| *v)
            .ok_or_else(|| {
                let names: Vec<&str> = NAMES.iter().map(|(n, _)| *n).collect();
                format!(
                    "unknown validator {spec:?}; known: {}, entropy >= X",
                    names.join(", ")
                )
            })
    }

    /// The names [`Validator::parse`] accepts (besides `entropy >= X`).
    pub fn names() -> impl Iterator<Item = &'static str> {
        NAMES.iter().map(|(n, _)| *n)
    }

    /// The fewest ASCII digits a candidate this validator accepts holds, when it counts
    /// them (`None`: any number). The scanner skips digit windows with fewer.
    pub fn min_digits(self) -> Option<usize> {
        match self {
            Validator::PhoneNational => Some(*phone::NATIONAL_DIGITS.start()),
            Validator::CardNumber => Some(*luhn::CARD_DIGITS.start()),
            Validator::CreditCard => Some(*luhn::CREDIT_CARD_DIGITS.start()),
            _ => None,
        }
    }

    /// True for validators that look at the digit groups around a candidate (a card's
    /// tail is not a phone number; an Aadhaar is not a card's head): the scanner then
    /// treats a placeholder one space away like such a group.
    pub fn reads_neighbour_groups(self) -> bool {
        self.rejects_tails() || self == Validator::InAadhaar
    }

    /// True for validators whose candidates may not be the tail of a longer run of
    /// digit groups (see [`tail_of_a_number`]).
    fn rejects_tails(self) -> bool {
        matches!(
            self,
            Validator::PhoneNational
                | Validator::PhoneInternational
                | Validator::CreditCard
                | Validator::CardNumber
                | Validator::Iban
        )
    }

    /// True for validators of numbers, whose candidates must stand alone.
    fn is_numeric(self) -> bool {
        !matches!(
            self,
            Validator::Email
                | Validator::Password
                | Validator::Entropy(_)
                | Validator::BtcBase58
                | Validator::BtcBech32
                | Validator::EthAddress
                | Validator::InPan
        )
    }

    /// Checks the candidate `m` of document `hay`. Returns the span to report (usually
    /// `m`, shorter when the validator trimmed it), or `None` to reject the candidate.
    pub fn check(self, hay: &[u8], m: Span, opts: ValidateOptions) -> Option<Span> {
        // After a card word, `#` is the card's (`card # 4111...`), not an order's.
        let hash_names = self != Validator::CardNumber;
        if self.rejects_tails() && tail_of_a_number(hay, m.start, hash_names) {
            // `4000 0566 5566 5554` (a card failing Luhn) is no phone number,
            // `3566 0020 2036 0503` no call to Egypt, `2 59 06 03 238 129 37` (a NIR) no
            // card, `E615 25BC EE34 BB42 ...` (a key fingerprint) no IBAN.
            return None;
        }
        if matches!(
            self,
            Validator::CreditCard | Validator::Iban | Validator::PhoneInternational
        ) {
            // These trim trailing groups and check standalone-ness for each length.
        } else if matches!(self, Validator::Ipv4 | Validator::Ipv6) {
            // An address may be followed by a port or a prefix length.
            if !standalone_address(hay, m) {
                return None;
            }
        } else if self.is_numeric() && !standalone(hay, m) {
            return None;
        }
        let t = &hay[m.range()];
        let ok = match self {
            Validator::Luhn => luhn::luhn(t),
            // `+55 11 99837-3808` is a phone number whose digits may pass Luhn.
            Validator::CreditCard if m.start > 0 && hay[m.start - 1] == b'+' => return None,
            Validator::CreditCard => return trim_groups(hay, m, luhn::credit_card),
            // Whole or nothing: the first groups of a longer number that fails Luhn
            // (`3530 1113 3330 0009`) may pass it alone.
            Validator::CardNumber => luhn::card_number(t) && !head_of_a_number(hay, m.end),
            Validator::Password => password(t),
            Validator::Iban => return trim_groups(hay, m, iban::iban),
            Validator::PhoneInternational => return international_phone(hay, m),
            Validator::Ipv4 => {
                net::ipv4(t, opts.private_ips)
                    && !version_context(hay, m.start)
                    && !network_prefix(t, &hay[m.end..])
            }
            // `Fe16::D`, `Dc48::A`: paths in Rust and C++, whose names mix cases.
            // `2001::/32`, `bf16::` (a Rust path): an address ending in `::` has no
            // host part and names a network, not a machine.
            Validator::Ipv6 => {
                return ipv6_trimmed(hay, m, opts.private_ips).filter(|s| {
                    let t = &hay[s.range()];
                    one_case(t) && !t.ends_with(b"::")
                });
            }
            Validator::Mac => net::mac(t) && !inside_a_hex_chain(hay, m),
            // `jane.doe@corp.eué`: the regex cannot take the label `eué` when no TLD
            // follows it and stops at `corp.eu`; an address must end where its domain does.
            Validator::Email => email(t) && !continues_a_domain(hay, m.end),
            Validator::PhoneNational => phone::national(hay, m),
            Validator::UsSsn => national::us_ssn(t),
            Validator::UkNhs => national::uk_nhs(t),
            Validator::UkNino => national::uk_nino(t),
            Validator::DeTaxId => national::de_tax_id(t),
            Validator::FrNir => national::fr_nir(t),
            Validator::EsNif => national::es_nif(t),
            Validator::EsNie => national::es_nie(t),
            Validator::ItFiscalCode => national::it_fiscal_code(t),
            Validator::NlBsn => national::nl_bsn(t),
            Validator::PlPesel => national::pl_pesel(t),
            Validator::SePersonnummer => national::se_personnummer(t),
            Validator::FiHetu => national::fi_hetu(t),
            Validator::DkCpr => national::dk_cpr(t),
            Validator::BeNationalNumber => national::be_national_number(t),
            Validator::PtNif => national::pt_nif(t),
            Validator::BrCpf => national::br_cpf(t),
            // `5105 1051 0510 5104`: the first three groups of a card number.
            Validator::InAadhaar => national::in_aadhaar(t) && !head_of_a_number(hay, m.end),
            Validator::InPan => national::in_pan(t),
            Validator::BtcBase58 => crypto::btc_base58(t),
            Validator::BtcBech32 => crypto::btc_bech32(t),
            Validator::EthAddress => crypto::eth_address(t),
            Validator::Entropy(min) => entropy::shannon(t) >= min,
        };
        ok.then_some(m)
    }
}

/// True when the candidate is not glued to more of a token: no letter, digit or `_`
/// right before or after it, and no `.`, `-`, `/`, `,` or `:` that continues a longer
/// number (`5.1.2.3.4`, `1.2.3.4-rc1`, `2024-01-15-0132`), and no `+` before it
/// (`+672 10 6609` is a phone number's tail, not a Social Security number).
pub fn standalone(hay: &[u8], m: Span) -> bool {
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let joiner = |b: u8| matches!(b, b'.' | b'-' | b'/' | b',' | b':');
    let t = &hay[m.range()];
    if m.start > 0 {
        let b = hay[m.start - 1];
        let joins = joiner(b)
            && m.start >= 2
            && hay[m.start - 2].is_ascii_digit()
            && (b != b',' || thousands_before(&hay[..m.start - 1], t));
        if word(b) || joins || b == b'+' {
            return false;
        }
    }
    if m.end < hay.len() {
        let a = hay[m.end];
        if word(a) {
            return false;
        }
        if joiner(a) && m.end + 1 < hay.len() {
            let next = hay[m.end + 1];
            let joins = if a == b',' {
                next.is_ascii_digit() && comma_continues(t, &hay[m.end + 1..])
            } else {
                next.is_ascii_digit() || (a == b'-' && next.is_ascii_alphanumeric())
            };
            if joins {
                return false;
            }
        }
    }
    true
}

/// Length of the run of ASCII digits at the start of `t`.
fn leading_digits(t: &[u8]) -> usize {
    t.iter().take_while(|b| b.is_ascii_digit()).count()
}

/// A comma between `head` (ending in digits) and a candidate `t` is a thousands
/// separator only when at most three digits come before it and exactly three digits
/// start the candidate (`1,234,567`). Otherwise it separates fields: in a CSV row
/// `7,DE89 3704 ...` or a list of hosts `10.0.0.5,81.2.69.160` the value stands alone.
fn thousands_before(head: &[u8], t: &[u8]) -> bool {
    let before = head.iter().rev().take_while(|b| b.is_ascii_digit()).count();
    // A number continued: digits, further `,ddd` groups, at most one decimal point.
    // `10.0.0.5,160.10.50.221` holds a list of addresses, not 5,160.
    let numeric = t
        .iter()
        .all(|b| b.is_ascii_digit() || matches!(b, b',' | b'.'))
        && t.iter().filter(|&&b| b == b'.').count() <= 1;
    before <= 3 && leading_digits(t) == 3 && numeric
}

/// True when a comma after candidate `t`, followed by `rest`, continues its number:
/// one or two digits after it are a decimal part (`1234567,89`), three a thousands
/// group when the candidate ends in at most three digits (`12,345`). Four or more
/// digits after a comma start another field (`DE89 ... 00,2019-12-26`,
/// `4111111111111111,2020`).
fn comma_continues(t: &[u8], rest: &[u8]) -> bool {
    let after = leading_digits(rest);
    let tail = t.iter().rev().take_while(|b| b.is_ascii_digit()).count();
    after <= 2 || after == 3 && tail <= 3
}

/// [`standalone`] for IP addresses: a `:port` or `/prefix` after the address is fine.
fn standalone_address(hay: &[u8], m: Span) -> bool {
    let port = m.end + 1 < hay.len()
        && matches!(hay[m.end], b':' | b'/')
        && hay[m.end + 1].is_ascii_digit();
    if port {
        // Judge the start alone: pretend the address ends the text.
        return standalone(&hay[..m.end], m);
    }
    standalone(hay, m)
}

/// An IPv6 candidate may have swallowed one `:` of the surrounding text
/// (`at 2a00:1450::1: timeout`); give it back before parsing.
fn ipv6_trimmed(hay: &[u8], m: Span, private: bool) -> Option<Span> {
    let m = if net::ipv6(&hay[m.range()], private) {
        m
    } else {
        let t = &hay[m.range()];
        if !(t.len() > 2 && t.ends_with(b":") && !t.ends_with(b"::")) {
            return None;
        }
        let m = Span::new(m.start, m.end - 1);
        if !net::ipv6(&hay[m.range()], private) {
            return None;
        }
        m
    };
    ipv6_delimited(hay, m).then_some(m)
}

/// True when an IPv6 candidate is not a piece of a longer chain of colon-separated hex
/// groups: no `hex:` or `::` right before it, no `:hex` right after it unless that is a
/// port (`:443`, two to five digits, then a non-hex byte). Inside a chain (`fb:7:100:00b::fb:022:fb:7a:1`) any
/// split is a guess, and a guess that a second pass makes differently (after the first
/// redacted part of the chain) breaks idempotence; no address is reported there.
fn ipv6_delimited(hay: &[u8], m: Span) -> bool {
    let hex = |i: usize| hay.get(i).is_some_and(u8::is_ascii_hexdigit);
    if m.start >= 2 && hay[m.start - 1] == b':' && (hex(m.start - 2) || hay[m.start - 2] == b':') {
        return false;
    }
    if hay.get(m.end) == Some(&b':') && hex(m.end + 1) {
        let digits = hay[m.end + 1..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        let after = hay.get(m.end + 1 + digits);
        let port =
            digits > 0 && !after.is_some_and(|b| b.is_ascii_hexdigit() || matches!(b, b':' | b'.'));
        if !port {
            return false;
        }
    }
    true
}

/// True when an IPv4 address `t` is followed (`rest`) by a prefix length that leaves its
/// host bits all zero (`130.211.160.0/28`, `192.0.0.0/29`): it names a network, not a
/// machine. `81.2.69.142/24` (an interface's address) stays an address.
fn network_prefix(t: &[u8], rest: &[u8]) -> bool {
    let [b'/', digits @ ..] = rest else {
        return false;
    };
    let n = digits.iter().take_while(|b| b.is_ascii_digit()).count();
    let Some(len) = std::str::from_utf8(&digits[..n])
        .ok()
        .and_then(|d| d.parse::<u32>().ok())
        .filter(|l| (1..=32).contains(l))
    else {
        return false;
    };
    let Some(ip) = std::str::from_utf8(t)
        .ok()
        .and_then(|s| s.parse::<std::net::Ipv4Addr>().ok())
    else {
        return false;
    };
    let host_bits = u32::MAX.checked_shr(len).unwrap_or(0);
    len < 32 && u32::from(ip) & host_bits == 0
}

/// True when the text right before `start` says the number is a version: `version `,
/// `ver. `, `v`, `release `, `build `. The word must stand alone, after a space, an
/// opening bracket, a quote or `=:,;`: in `jane@corp.version 3.0.0.1` or
/// `a@b.eversion 3.0.0.1` it ends an address, which redaction replaces, and a second pass
/// would then report the number the first kept.
fn version_context(hay: &[u8], start: usize) -> bool {
    let before = &hay[..start];
    [
        &b"version "[..],
        b"version: ",
        b"ver. ",
        b"ver ",
        b"release ",
        b"build ",
        b"v",
        b"v. ",
        b"firmware ",
    ]
    .iter()
    .any(|w| {
        let Some(at) = before.len().checked_sub(w.len()) else {
            return false;
        };
        before[at..].eq_ignore_ascii_case(w)
            && (at == 0
                || matches!(
                    before[at - 1],
                    b' ' | b'\t'
                        | b'\n'
                        | b'\r'
                        | b'('
                        | b'['
                        | b'{'
                        | b'"'
                        | b'\''
                        | b'='
                        | b':'
                        | b','
                        | b';'
                ))
    })
}

/// True when the text before `start` makes a candidate the tail of something else: a
/// group of digits, or of four hex digits with at least one digit, standing alone, then
/// one space, `-` or `.` (`4000 0566 5566 5554`, a card number failing its checksum,
/// whose last groups look like a phone number; `3FE6 0786 7511 9633`, a key
/// fingerprint), or a `#` with at most one space (`Order #0604383536`: numbers that name
/// an order or an issue). A group that ends a longer token (`81.2.69.160 4111 ...`) does
/// not count.
fn tail_of_a_number(hay: &[u8], start: usize, hash_names: bool) -> bool {
    let before = &hay[..start];
    match before {
        [.., b'#'] | [.., b'#', b' '] => hash_names,
        [rest @ .., b' ' | b'-' | b'.'] => {
            let group = rest
                .iter()
                .rev()
                .take_while(|b| b.is_ascii_alphanumeric())
                .count();
            let g = &rest[rest.len() - group..];
            let numeric = !g.is_empty() && g.iter().all(u8::is_ascii_digit);
            let hex = g.len() == 4
                && g.iter().all(u8::is_ascii_hexdigit)
                && g.iter().any(u8::is_ascii_digit);
            if !numeric && !hex {
                return false;
            }
            match rest.len().checked_sub(group + 1) {
                None => true,
                // A comma starts a CSV field: `,605 038 8253` is one value.
                Some(i) => !(rest[i].is_ascii_alphanumeric() || b".:-/".contains(&rest[i])),
            }
        }
        _ => false,
    }
}

/// True when a separator and another digit follow `end`: the candidate is the start of
/// a longer run of digit groups.
fn head_of_a_number(hay: &[u8], end: usize) -> bool {
    matches!(&hay[end..], [b' ' | b'-', d, ..] if d.is_ascii_digit())
}

/// True when a MAC candidate is six groups of a longer chain of colon- or dash-separated
/// hex pairs (`3c:22:fb:7a:10:4e:aa:bb`, a key fingerprint or a hex dump).
fn inside_a_hex_chain(hay: &[u8], m: Span) -> bool {
    let hex = |i: usize| hay.get(i).is_some_and(u8::is_ascii_hexdigit);
    let sep = |i: usize| hay.get(i).is_some_and(|b| matches!(b, b':' | b'-'));
    (m.start >= 2 && sep(m.start - 1) && hex(m.start - 2)) || (sep(m.end) && hex(m.end + 1))
}

/// A password value: at least one letter, and a digit or else a symbol with both
/// cases (`_`, `-` and `.` join identifiers and do not count, so `db_password_file`,
/// `None` and `anonymous@` are words), not a URL, a path or code, and not too
/// repetitive.
fn password(t: &[u8]) -> bool {
    let letter = t.iter().any(u8::is_ascii_alphabetic) || t.iter().any(|b| *b >= 0x80);
    let digit = t.iter().any(u8::is_ascii_digit);
    let symbol = t
        .iter()
        .any(|b| b.is_ascii_punctuation() && !matches!(b, b'_' | b'-' | b'.'));
    let upper = t.iter().any(u8::is_ascii_uppercase);
    let lower = t.iter().any(u8::is_ascii_lowercase);
    // A URL or a path (`proxy_pass http://...`, `pass /usr/bin/x`) is a location; a
    // path or arrow of code (`crate::ObjectIdentifier`, `a->b`) is code.
    let found = |needle: &[u8]| memchr::memmem::find(t, needle).is_some();
    let location = found(b"://") || matches!(t[0], b'/' | b'~');
    let code = found(b"::") || found(b"->") || found(b"=>");
    letter
        && (digit || symbol && upper && lower)
        && !location
        && !code
        && entropy::shannon(t) >= 2.5
}

/// True when the letters of `t` are all lower case or all upper case.
fn one_case(t: &[u8]) -> bool {
    !(t.iter().any(u8::is_ascii_lowercase) && t.iter().any(u8::is_ascii_uppercase))
}

/// True for characters of scripts written without spaces between words (CJK
/// ideographs, kana, Hangul, full-width forms): next to an address written in Latin
/// letters they are the surrounding text, not part of it (`请发送邮件至jane@corp.cn谢谢`).
pub fn unspaced_script(c: char) -> bool {
    matches!(c, '\u{2E80}'..='\u{9FFF}' | '\u{AC00}'..='\u{D7AF}' | '\u{F900}'..='\u{FAFF}' | '\u{FF00}'..='\u{FFEF}')
}

/// True when the character at `end` is a letter or digit (of any script), or a `.` or
/// `-` and then one: a match ending there stopped inside a longer token
/// (`a@corp.eu9`, `a@corp.c2om`, whose last label cannot be a top-level domain).
/// Punctuation of any script (`—`, `。`) ends an address, and so does a full stop.
fn continues_a_domain(hay: &[u8], end: usize) -> bool {
    let end = match hay.get(end) {
        Some(b'.' | b'-') => end + 1,
        _ => end,
    };
    let next = &hay[end..hay.len().min(end + 4)];
    String::from_utf8_lossy(next)
        .chars()
        .next()
        .is_some_and(|c| {
            c != char::REPLACEMENT_CHARACTER && c.is_alphanumeric() && !unspaced_script(c)
        })
}

/// File extensions that follow `@2x`-style names (`icon@2x.png`), never mail domains.
const FILE_EXTENSIONS: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "svg", "webp", "ico", "bmp", "tif", "tiff", "js", "mjs", "ts",
    "css", "json", "html", "htm", "xml", "txt", "md", "pdf", "zip", "gz", "mp4", "mp3", "wav",
    "woff", "woff2", "ttf", "map", "lock", "yaml", "yml",
];

/// An email candidate: a domain with at least two labels, no empty label, no label that
/// starts or ends with `-`, and a top-level domain of letters (or IDN) that is not a file
/// extension.
fn email(t: &[u8]) -> bool {
    let Some(at) = memchr::memrchr(b'@', t) else {
        return false;
    };
    let domain = &t[at + 1..];
    let labels: Vec<&[u8]> = domain.split(|&b| b == b'.').collect();
    if labels.len() < 2
        || labels
            .iter()
            .any(|l| l.is_empty() || l[0] == b'-' || l[l.len() - 1] == b'-')
    {
        return false;
    }
    let tld = labels[labels.len() - 1];
    let tld_ok = tld.len() >= 2 && tld.iter().all(|b| b.is_ascii_alphabetic() || *b >= 0x80);
    let tld_lower = String::from_utf8_lossy(tld).to_ascii_lowercase();
    tld_ok && !FILE_EXTENSIONS.contains(&tld_lower.as_str())
}

/// Tries `m`, then `m` without its last group, and so on, and returns the first that is
/// standalone and passes `ok`. A number regex is greedy: `4111 1111 1111 1111 81.2.69.160`
/// gives `4111 1111 1111 1111 81` and `+44 20 7946 0958 2024` takes the year; dropping
/// trailing groups gives the real value back. A group is a run of letters and digits
/// with the separators before it.
fn trim_groups(hay: &[u8], m: Span, ok: impl Fn(&[u8]) -> bool) -> Option<Span> {
    let mut end = m.end;
    loop {
        let cand = Span::new(m.start, end);
        if standalone(hay, cand) && ok(&hay[cand.range()]) {
            return Some(cand);
        }
        let t = &hay[m.start..end];
        let mut e = t.len();
        while e > 0 && t[e - 1].is_ascii_alphanumeric() {
            e -= 1;
        }
        while e > 0 && matches!(t[e - 1], b' ' | b'.' | b'-' | b'(' | b')') {
            e -= 1;
        }
        if e == 0 || e == t.len() {
            return None;
        }
        end = m.start + e;
    }
}

fn international_phone(hay: &[u8], m: Span) -> Option<Span> {
    trim_groups(hay, m, |t| {
        phone::international_digits(&phone::international_number(t))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_names_and_entropy() {
        assert_eq!(Validator::parse("luhn"), Ok(Validator::Luhn));
        assert_eq!(
            Validator::parse("entropy >= 3.5"),
            Ok(Validator::Entropy(3.5))
        );
        assert!(Validator::parse("entropy >= nine").is_err());
        let err = Validator::parse("lunh").unwrap_err();
        assert!(err.contains("unknown validator \"lunh\""), "{err}");
    }

    #[test]
    fn standalone_rejects_longer_numbers() {
        let t = |s: &str, a: usize, b: usize| standalone(s.as_bytes(), Span::new(a, b));
        assert!(t("ip 1.2.3.4 up", 3, 10));
        assert!(!t("5.1.2.3.4", 2, 9));
        assert!(!t("1.2.3.4-rc1", 0, 7));
        assert!(!t("x1.2.3.4", 1, 8));
        assert!(t("at 1.2.3.4.", 3, 10));
    }

    #[test]
    fn version_strings_are_not_ips() {
        let hay = b"version 2.0.0.1 and 81.2.69.160";
        assert!(
            Validator::Ipv4
                .check(hay, Span::new(8, 15), ValidateOptions::default())
                .is_none()
        );
        assert!(
            Validator::Ipv4
                .check(hay, Span::new(20, 31), ValidateOptions::default())
                .is_some()
        );
    }

    #[test]
    fn tails_and_heads_of_longer_numbers() {
        let tail = |s: &str| tail_of_a_number(s.as_bytes(), s.len(), true);
        assert!(!tail_of_a_number(b"card # ", 7, false));
        assert!(tail("card 4000 "));
        assert!(tail("sociale: 2 "));
        assert!(tail("Order #"));
        assert!(tail("4000-"));
        assert!(!tail("from 81.2.69.160 "));
        assert!(!tail("on 2024-01-10 "));
        assert!(!tail("Tel. "));
        assert!(!tail("v2 "));
        assert!(tail("fingerprint 3FE6 "));
        assert!(!tail("IBAN "));
        assert!(head_of_a_number(b"5105 1051 0510 5104", 14));
        assert!(!head_of_a_number(b"5105 1051 0510. Next", 14));
    }

    #[test]
    fn international_phone_gives_back_a_trailing_year() {
        let hay = b"call +44 20 7946 0958 2024 now";
        let got =
            Validator::PhoneInternational.check(hay, Span::new(5, 26), ValidateOptions::default());
        assert_eq!(got, Some(Span::new(5, 21)));
    }

    #[test]
    fn email_rejects_file_names() {
        assert!(email(b"jane.doe@corp.eu"));
        assert!(email("anna@bücher.de".as_bytes()));
        assert!(!email(b"icon@2x.png"));
        assert!(!email(b"a@localhost"));
        assert!(!email(b"a@-bad.com"));
    }

    #[test]
    fn a_domain_ends_at_punctuation_of_any_script() {
        let hay = "a@corp.eué a@corp.eu9 a@corp.eu— a@corp.eu。 a@corp.eu. a@corp.eu.c2 a@corp.eu"
            .as_bytes();
        let ends: Vec<bool> = memchr::memmem::find_iter(hay, b".eu")
            .map(|i| continues_a_domain(hay, i + 3))
            .collect();
        assert_eq!(ends, [true, true, false, false, false, true, false]);
    }
}
