//! Writes the labeled quality corpus: documents with gold spans of personal data and
//! marked hard negatives, for `shardscrub eval`.
//!
//! ```text
//! cargo run --release --example gen-gold -- --out corpus/quality/gold.jsonl
//! ```
//!
//! Each line is `{"id":N,"kind":"..","lang":"..","text":"..","spans":[{"start":B,"end":B,
//! "label":".."}],"negatives":[{"start":B,"end":B,"kind":".."}]}` with byte offsets into
//! `text`. `spans` are the gold answers; `negatives` mark look-alikes that are not personal
//! data (versions, hashes, numbers failing their checksum...), so that a false positive
//! can be traced to its kind. Same seed, same bytes.
//!
//! Annotation conventions (what a careful annotator marks, independent of any rule):
//! - a phone number includes its `+`, country code and any parentheses; an IBAN, card or
//!   ID number includes its separators; a secret is the secret value itself (the value of
//!   `password = "..."`, the `user:password` of a URL, the whole PEM block);
//! - national numbers made only of digits (BSN, NIF, tax IDs, NHS, Aadhaar...) appear
//!   next to the word that names them, as they do in forms and letters: without it they
//!   cannot be told from any other number, by a person or a program;
//! - addresses at domains reserved for documentation (example.com), documentation and
//!   private IP ranges and loopback are not personal data: they are negatives.
//!
//! Values are generated: check digits are completed with shardscrub's validators (see
//! corpus/README.md for why this is not circular), card numbers are the issuers' test
//! numbers, phone numbers come from ranges reserved for fiction where a country has one.

#[path = "text.rs"]
mod text;

use serde::Serialize;
use sha2::{Digest, Sha256};
use shardscrub::validate::{iban, luhn, national};
use text::Rng;

#[derive(Serialize)]
struct Span {
    start: usize,
    end: usize,
    label: &'static str,
}

#[derive(Serialize)]
struct Negative {
    start: usize,
    end: usize,
    kind: &'static str,
}

/// One document under construction: text plus the spans recorded as it grows.
#[derive(Serialize)]
struct Doc {
    id: usize,
    kind: &'static str,
    lang: &'static str,
    text: String,
    spans: Vec<Span>,
    negatives: Vec<Negative>,
}

impl Doc {
    fn new(id: usize, kind: &'static str, lang: &'static str) -> Doc {
        Doc {
            id,
            kind,
            lang,
            text: String::new(),
            spans: Vec::new(),
            negatives: Vec::new(),
        }
    }
    /// Plain text, no annotation.
    fn t(&mut self, s: &str) -> &mut Doc {
        self.text.push_str(s);
        self
    }
    /// A gold value.
    fn pii(&mut self, label: &'static str, value: &str) -> &mut Doc {
        let start = self.text.len();
        self.text.push_str(value);
        self.spans.push(Span {
            start,
            end: self.text.len(),
            label,
        });
        self
    }
    /// A hard negative: looks like personal data, is not.
    fn neg(&mut self, kind: &'static str, value: &str) -> &mut Doc {
        let start = self.text.len();
        self.text.push_str(value);
        self.negatives.push(Negative {
            start,
            end: self.text.len(),
            kind,
        });
        self
    }
}

// ---------------------------------------------------------------------------------------
// Small random helpers.

fn digits(rng: &mut Rng, n: usize) -> String {
    (0..n)
        .map(|_| char::from(b'0' + rng.below(10) as u8))
        .collect()
}

fn letters(rng: &mut Rng, n: usize) -> String {
    (0..n)
        .map(|_| char::from(b'A' + rng.below(26) as u8))
        .collect()
}

fn from(rng: &mut Rng, alphabet: &str, n: usize) -> String {
    let a = alphabet.as_bytes();
    (0..n)
        .map(|_| char::from(a[rng.below(a.len() as u64) as usize]))
        .collect()
}

const ALNUM: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const HEX: &str = "0123456789abcdef";

fn chance(rng: &mut Rng, percent: u64) -> bool {
    rng.below(100) < percent
}

/// Completes `body` with the first check character from `alphabet` that `ok` accepts
/// (tried from a random start, so check characters are spread). None when no character
/// works (e.g. a mod-11 scheme whose check would be 10): the caller draws a new body.
fn complete(
    rng: &mut Rng,
    body: &str,
    alphabet: &str,
    ok: impl Fn(&[u8]) -> bool,
) -> Option<String> {
    let a = alphabet.as_bytes();
    let first = rng.below(a.len() as u64) as usize;
    (0..a.len())
        .map(|i| format!("{body}{}", char::from(a[(first + i) % a.len()])))
        .find(|s| ok(s.as_bytes()))
}

/// Draws bodies from `body` until one can be completed.
fn valid(
    rng: &mut Rng,
    body: impl Fn(&mut Rng) -> String,
    alphabet: &str,
    ok: impl Fn(&[u8]) -> bool,
) -> String {
    loop {
        let b = body(rng);
        if let Some(s) = complete(rng, &b, alphabet, &ok) {
            return s;
        }
    }
}

/// The same value with its last character replaced so that `ok` rejects it.
fn broken(rng: &mut Rng, value: &str, alphabet: &str, ok: impl Fn(&[u8]) -> bool) -> String {
    let head = &value[..value.len() - 1];
    loop {
        let c = char::from(alphabet.as_bytes()[rng.below(alphabet.len() as u64) as usize]);
        let s = format!("{head}{c}");
        if !ok(s.as_bytes()) && s != value {
            return s;
        }
    }
}

/// Splits `s` into groups of the given sizes joined by `sep`.
fn group(s: &str, sizes: &[usize], sep: &str) -> String {
    let mut out = Vec::new();
    let mut at = 0;
    for &n in sizes {
        if at >= s.len() {
            break;
        }
        let end = (at + n).min(s.len());
        out.push(&s[at..end]);
        at = end;
    }
    if at < s.len() {
        out.push(&s[at..]);
    }
    out.join(sep)
}

/// A date of birth as (day, month, two-digit year, century 19 or 20).
fn birth(rng: &mut Rng) -> (u64, u64, u64, u64) {
    let year = 1940 + rng.below(70);
    (1 + rng.below(28), 1 + rng.below(12), year % 100, year / 100)
}

// ---------------------------------------------------------------------------------------
// Values per label, in the formats people write.

const FIRST: &[&str] = &[
    "anna", "jonas", "marie", "luca", "sofia", "pieter", "ewa", "mikko", "ines", "james", "chloe",
    "mateo", "giulia", "lars", "zofia", "noah", "elena", "tom", "sara", "ahmed",
];
const LAST: &[&str] = &[
    "schmidt",
    "dubois",
    "rossi",
    "garcia",
    "jansen",
    "kowalski",
    "virtanen",
    "silva",
    "smith",
    "nielsen",
    "novak",
    "berg",
    "moreau",
    "bianchi",
    "lopez",
    "weber",
    "peeters",
    "andersson",
    "murphy",
    "costa",
];
const DOMAINS: &[&str] = &[
    "corp.eu",
    "mailhost.de",
    "post-fr.fr",
    "correo-es.es",
    "posta-it.it",
    "uni-beispiel.de",
    "webmail.co.uk",
    "inbox.nl",
    "firma.pl",
    "kunde.at",
    "student.univ-lyon.fr",
    "dept.research.ac.uk",
];

fn email(rng: &mut Rng) -> String {
    let (f, l) = (rng.pick(FIRST), rng.pick(LAST));
    let d = rng.pick(DOMAINS);
    match rng.below(10) {
        0 => format!("{f}.{l}@{d}"),
        1 => format!("{f}{}@{d}", rng.below(1000)),
        2 => format!("{}{l}@{d}", &f[..1]),
        3 => format!("{f}_{l}+newsletter@{d}"),
        4 => format!("{}.{}@{}", capital(f), capital(l), d.to_uppercase()),
        5 => format!("{l}-{f}@mail.{d}"),
        6 => format!("{f}.{l}{}@{d}", 70 + rng.below(30)),
        // Harder forms: an apostrophe, a non-ASCII local part, a long subdomain chain.
        7 => format!("{}'{l}@{d}", &f[..1]),
        8 => format!(
            "{f}.{}@{d}",
            rng.pick(&["müller", "józef", "ångström", "gonçalves"])
        ),
        _ => format!("{f}@mx.mail.eu-west.{d}"),
    }
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// A phone number and the language of the country it belongs to.
fn phone(rng: &mut Rng) -> (String, &'static str) {
    let n4 = |rng: &mut Rng| format!("{:03}", rng.below(1000));
    match rng.below(17) {
        0 => (format!("+44 20 7946 0{}", n4(rng)), "en"),
        1 => (format!("07700 900{}", n4(rng)), "en"),
        2 => (format!("+44 7700 900{}", n4(rng)), "en"),
        3 => (format!("(202) 555-01{:02}", rng.below(100)), "en"),
        4 => (format!("+1 415-555-01{:02}", rng.below(100)), "en"),
        5 => (
            format!("+49 30 {} {}", digits(rng, 4), digits(rng, 4)),
            "de",
        ),
        6 => (format!("0151 {}{}", 1 + rng.below(9), digits(rng, 7)), "de"),
        7 => (
            format!("01 99 00 {} {}", digits(rng, 2), digits(rng, 2)),
            "fr",
        ),
        8 => (
            format!("+33 6 39 98 {} {}", digits(rng, 2), digits(rng, 2)),
            "fr",
        ),
        9 => (
            format!(
                "+34 91{} {} {}",
                digits(rng, 1),
                digits(rng, 3),
                digits(rng, 3)
            ),
            "es",
        ),
        10 => (
            format!("+39 06 {} {}", digits(rng, 4), digits(rng, 4)),
            "it",
        ),
        11 => (format!("06-{}", digits(rng, 8)), "nl"),
        12 => (
            format!("+31 20 {} {}", digits(rng, 3), digits(rng, 4)),
            "nl",
        ),
        13 => (
            format!(
                "+48 22 {} {} {}",
                digits(rng, 3),
                digits(rng, 2),
                digits(rng, 2)
            ),
            "pl",
        ),
        14 => (format!("+91 98{} {}", digits(rng, 3), digits(rng, 5)), "en"),
        // Harder forms: a bracketed trunk zero, a 00 prefix, dots, compact E.164.
        15 if chance(rng, 50) => (
            format!("+49 (0)30 {}{}", 1 + rng.below(9), digits(rng, 7)),
            "de",
        ),
        15 if chance(rng, 50) => (
            format!("0033 1 99 00 {} {}", digits(rng, 2), digits(rng, 2)),
            "fr",
        ),
        15 if chance(rng, 50) => (format!("+1.415.555.01{:02}", rng.below(100)), "en"),
        15 => (format!("+4420794600{:02}", rng.below(100)), "en"),
        _ => (
            format!("+55 11 9{}-{}", digits(rng, 4), digits(rng, 4)),
            "pt",
        ),
    }
}

/// A public IPv4 address outside documentation, private and reserved ranges.
fn ipv4(rng: &mut Rng) -> String {
    loop {
        let a = 1 + rng.below(223);
        if matches!(a, 10 | 100 | 127 | 169 | 172 | 192 | 198 | 203) {
            continue;
        }
        return format!(
            "{a}.{}.{}.{}",
            rng.below(256),
            rng.below(256),
            1 + rng.below(254)
        );
    }
}

fn ipv6(rng: &mut Rng) -> String {
    let h = |rng: &mut Rng| format!("{:x}", rng.below(0x10000));
    let p = format!("2a0{:x}:{}", 1 + rng.below(14), h(rng));
    match rng.below(3) {
        0 => format!(
            "{p}:{}:{}:{}:{}:{}:{}",
            h(rng),
            h(rng),
            h(rng),
            h(rng),
            h(rng),
            h(rng)
        ),
        1 => format!("{p}:{}::{}", h(rng), h(rng)),
        _ => format!("{p}:{}:{}::{}:{}", h(rng), h(rng), h(rng), h(rng)),
    }
}

/// A unicast MAC address (the first octet's lowest bit clear): what a device has.
fn mac(rng: &mut Rng) -> String {
    let mut b: Vec<String> = (0..6).map(|_| format!("{:02x}", rng.below(256))).collect();
    b[0] = format!("{:02x}", rng.below(128) * 2);
    match rng.below(4) {
        0 => b.join(":"),
        1 => b.join(":").to_uppercase(),
        2 => b.join("-").to_uppercase(),
        _ => format!("{}{}.{}{}.{}{}", b[0], b[1], b[2], b[3], b[4], b[5]),
    }
}

/// The issuers' published test card numbers.
const CARDS: &[&str] = &[
    "4111111111111111",
    "4012888888881881",
    "4242424242424242",
    "4000056655665556",
    "5555555555554444",
    "5105105105105100",
    "2223003122003222",
    "378282246310005",
    "371449635398431",
    "6011111111111117",
    "6011000990139424",
    "3530111333300000",
    "3566002020360505",
    "30569309025904",
];

fn card(rng: &mut Rng) -> String {
    let c = rng.pick(CARDS);
    let amex = c.len() == 15;
    match rng.below(3) {
        0 => c.to_owned(),
        1 if amex => group(c, &[4, 6, 5], " "),
        1 => group(c, &[4, 4, 4, 4], " "),
        _ if amex => group(c, &[4, 6, 5], "-"),
        _ => group(c, &[4, 4, 4, 4], "-"),
    }
}

/// A Spanish BBAN: bank and branch, two control digits (weighted mod 11 of "00" + bank +
/// branch, then of the account), then the account.
fn es_bban(rng: &mut Rng) -> String {
    let control = |s: &str| {
        const W: [u32; 10] = [1, 2, 4, 8, 5, 10, 9, 7, 3, 6];
        let sum: u32 = s
            .chars()
            .zip(W)
            .map(|(c, w)| c.to_digit(10).unwrap_or(0) * w)
            .sum();
        match 11 - sum % 11 {
            11 => 0,
            10 => 1,
            d => d,
        }
    };
    let (bank, account) = (digits(rng, 8), digits(rng, 10));
    format!(
        "{bank}{}{}{account}",
        control(&format!("00{bank}")),
        control(&account)
    )
}

/// An IBAN for one of several countries with a random account and computed check digits.
fn iban_value(rng: &mut Rng) -> String {
    let (cc, bban) = match rng.below(8) {
        0 => ("GB", format!("{}{}", letters(rng, 4), digits(rng, 14))),
        1 => ("DE", digits(rng, 18)),
        2 => ("FR", format!("{}{}", digits(rng, 21), digits(rng, 2))),
        3 => ("ES", es_bban(rng)),
        4 => ("IT", format!("{}{}", letters(rng, 1), digits(rng, 22))),
        5 => ("NL", format!("{}{}", letters(rng, 4), digits(rng, 10))),
        6 => {
            // Bank code and account, then their remainder mod 97 (97 for 0).
            // Bank codes of Belgian banks (the first three digits name the bank).
            let bank = rng.pick(&["001", "068", "063", "310", "363", "645", "735", "750"]);
            let head = format!("{bank}{}", digits(rng, 7));
            let r = head.parse::<u64>().unwrap_or(0) % 97;
            ("BE", format!("{head}{:02}", if r == 0 { 97 } else { r }))
        }
        _ => ("PL", digits(rng, 24)),
    };
    // Check digits: 98 - (BBAN + country + "00") mod 97, letters as 10..35.
    let mut rem = 0u32;
    for c in format!("{bban}{cc}00").chars() {
        let v = c.to_digit(36).unwrap_or(0);
        for d in v.to_string().chars() {
            rem = (rem * 10 + d.to_digit(10).unwrap_or(0)) % 97;
        }
    }
    let compact = format!("{cc}{:02}{bban}", 98 - rem);
    debug_assert!(iban::iban(compact.as_bytes()));
    if chance(rng, 60) {
        group(&compact, &[4; 9], " ")
    } else {
        compact
    }
}

fn btc_base58(rng: &mut Rng) -> String {
    let mut raw = vec![if chance(rng, 60) { 0x00 } else { 0x05 }];
    raw.extend((0..20).map(|_| rng.below(256) as u8));
    let hash = Sha256::digest(Sha256::digest(&raw));
    raw.extend_from_slice(&hash[..4]);
    bs58::encode(raw).into_string()
}

fn btc_bech32(rng: &mut Rng) -> String {
    let program: Vec<u8> = (0..20).map(|_| rng.below(256) as u8).collect();
    bech32::segwit::encode_v0(bech32::hrp::BC, &program).unwrap_or_default()
}

fn crypto(rng: &mut Rng) -> String {
    match rng.below(3) {
        0 => btc_base58(rng),
        1 => btc_bech32(rng),
        _ => format!("0x{}", from(rng, HEX, 40)),
    }
}

/// A secret and the line it sits in: (text before, value, text after).
fn secret(rng: &mut Rng) -> (String, String, String) {
    let v = match rng.below(14) {
        0 => {
            return (
                "AWS_ACCESS_KEY_ID=".into(),
                format!("AKIA{}", from(rng, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)),
                "\n".into(),
            );
        }
        1 => {
            return (
                "aws_secret_access_key = ".into(),
                from(
                    rng,
                    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+",
                    40,
                ),
                "\n".into(),
            );
        }
        2 => format!("ghp_{}", from(rng, ALNUM, 36)),
        3 => format!("glpat-{}", from(rng, ALNUM, 20)),
        4 => format!(
            "xoxb-{}-{}-{}",
            digits(rng, 12),
            digits(rng, 13),
            from(rng, ALNUM, 24)
        ),
        5 => format!("sk_live_{}", from(rng, ALNUM, 24)),
        6 => format!("AIza{}", from(rng, ALNUM, 35)),
        7 => format!("hf_{}", from(rng, ALNUM, 34)),
        8 => format!(
            "sk-proj-{}T3BlbkFJ{}",
            from(rng, ALNUM, 20),
            from(rng, ALNUM, 20)
        ),
        9 => format!("npm_{}", from(rng, ALNUM, 36)),
        10 => format!(
            "eyJhbGciOiJIUzI1NiJ9.eyJ{}.{}",
            from(rng, ALNUM, 30),
            from(rng, ALNUM, 43)
        ),
        11 => {
            return (
                "DB_PASSWORD=".into(),
                {
                    let n = 14 + rng.below(8) as usize;
                    from(rng, ALNUM, n)
                },
                "\n".into(),
            );
        }
        12 => {
            return (
                "password: \"".into(),
                format!("{}!{}", from(rng, ALNUM, 8), digits(rng, 3)),
                "\"\n".into(),
            );
        }
        _ => {
            return (
                "DATABASE_URL=postgres://".into(),
                format!("{}:{}", rng.pick(FIRST), from(rng, ALNUM, 16)),
                format!("@db{}.internal.corp.eu:5432/app\n", rng.below(9)),
            );
        }
    };
    let key = rng.pick(&["TOKEN", "api_key", "auth"]);
    (format!("{key} = \""), v, "\"\n".into())
}

// National identifiers, compact and formatted.

fn us_ssn(rng: &mut Rng) -> String {
    loop {
        let s = format!(
            "{:03}-{:02}-{:04}",
            rng.below(900),
            rng.below(100),
            rng.below(10_000)
        );
        if national::us_ssn(s.as_bytes()) {
            return s;
        }
    }
}

fn uk_nhs(rng: &mut Rng) -> String {
    let v = valid(
        rng,
        |r| format!("{}{}", 4 + r.below(5), digits(r, 8)),
        "0123456789",
        national::uk_nhs,
    );
    if chance(rng, 60) {
        group(&v, &[3, 3, 4], " ")
    } else {
        v
    }
}

fn uk_nino(rng: &mut Rng) -> String {
    loop {
        let s = format!(
            "{}{}{}",
            from(rng, "ABCEGHJKLMNOPRSTWXYZ", 1),
            from(rng, "ABCEGHJKLMNPRSTWXYZ", 1),
            digits(rng, 6)
        );
        let v = format!("{s}{}", from(rng, "ABCD", 1));
        if national::uk_nino(v.as_bytes()) {
            return if chance(rng, 50) {
                group(&v, &[2, 2, 2, 2, 1], " ")
            } else {
                v
            };
        }
    }
}

fn es_nif(rng: &mut Rng) -> String {
    let v = valid(
        rng,
        |r| digits(r, 8),
        "TRWAGMYFPDXBNJZSQVHLCKE",
        national::es_nif,
    );
    if chance(rng, 30) {
        format!("{}-{}", &v[..8], &v[8..])
    } else {
        v
    }
}

fn es_nie(rng: &mut Rng) -> String {
    valid(
        rng,
        |r| format!("{}{}", from(r, "XYZ", 1), digits(r, 7)),
        "TRWAGMYFPDXBNJZSQVHLCKE",
        national::es_nie,
    )
}

fn it_fiscal(rng: &mut Rng) -> String {
    valid(
        rng,
        |r| {
            let (d, m, y, _) = birth(r);
            let day = if chance(r, 50) { d } else { d + 40 };
            format!(
                "{}{:02}{}{:02}{}{:03}",
                from(r, "BCDFGHLMNPRSTVZ", 6),
                y,
                char::from(b"ABCDEHLMPRST"[m as usize - 1]),
                day,
                from(r, "ABCDEFGHLMZ", 1),
                1 + r.below(999)
            )
        },
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        national::it_fiscal_code,
    )
}

fn pl_pesel(rng: &mut Rng) -> String {
    valid(
        rng,
        |r| {
            let (d, m, y, c) = birth(r);
            let m = if c == 20 { m + 20 } else { m };
            format!("{y:02}{m:02}{d:02}{}", digits(r, 4))
        },
        "0123456789",
        national::pl_pesel,
    )
}

fn fi_hetu(rng: &mut Rng) -> String {
    valid(
        rng,
        |r| {
            let (d, m, y, c) = birth(r);
            let sign = if c == 20 { "A" } else { "-" };
            format!("{d:02}{m:02}{y:02}{sign}{:03}", 2 + r.below(897))
        },
        "0123456789ABCDEFHJKLMNPRSTUVWXY",
        national::fi_hetu,
    )
}

fn in_aadhaar(rng: &mut Rng) -> String {
    let v = valid(
        rng,
        |r| format!("{}{}", 2 + r.below(8), digits(r, 10)),
        "0123456789",
        national::in_aadhaar,
    );
    if chance(rng, 70) {
        group(&v, &[4, 4, 4], " ")
    } else {
        v
    }
}

fn in_pan(rng: &mut Rng) -> String {
    loop {
        let v = format!(
            "{}{}{}{}{}",
            letters(rng, 3),
            from(rng, "PCHFATBLJG", 1),
            letters(rng, 1),
            digits(rng, 4),
            letters(rng, 1)
        );
        if national::in_pan(v.as_bytes()) {
            return v;
        }
    }
}

fn de_tax_id(rng: &mut Rng) -> String {
    let v = valid(
        rng,
        |r| {
            // Ten digits, no leading zero, exactly one digit twice.
            let mut pool: Vec<u8> = (0..10).collect();
            let mut out = Vec::new();
            while out.len() < 9 {
                let i = r.below(pool.len() as u64) as usize;
                out.push(pool.remove(i));
            }
            let dup = out[r.below(9) as usize];
            out.insert(r.below(10) as usize, dup);
            if out[0] == 0 {
                out.swap(0, 1);
            }
            out.iter().map(|d| char::from(b'0' + d)).collect()
        },
        "0123456789",
        national::de_tax_id,
    );
    if chance(rng, 40) {
        group(&v, &[2, 3, 3, 3], " ")
    } else {
        v
    }
}

fn fr_nir(rng: &mut Rng) -> String {
    let (_, m, y, _) = birth(rng);
    let body = format!(
        "{}{y:02}{m:02}{:02}{:03}{:03}",
        1 + rng.below(2),
        1 + rng.below(95),
        1 + rng.below(990),
        1 + rng.below(999)
    );
    let n: u64 = body.parse().unwrap_or(0);
    let v = format!("{body}{:02}", 97 - n % 97);
    debug_assert!(national::fr_nir(v.as_bytes()));
    if chance(rng, 60) {
        group(&v, &[1, 2, 2, 2, 3, 3, 2], " ")
    } else {
        v
    }
}

fn nl_bsn(rng: &mut Rng) -> String {
    valid(
        rng,
        |r| format!("{}{}", 1 + r.below(9), digits(r, 7)),
        "0123456789",
        national::nl_bsn,
    )
}

fn se_pnr(rng: &mut Rng) -> String {
    valid(
        rng,
        |r| {
            let (d, m, y, _) = birth(r);
            format!("{y:02}{m:02}{d:02}-{}", digits(r, 3))
        },
        "0123456789",
        national::se_personnummer,
    )
}

fn br_cpf(rng: &mut Rng) -> String {
    // Two check digits: complete the first, then the second, each by search.
    loop {
        let body = digits(rng, 9);
        for a in 0..10 {
            for b in 0..10 {
                let v = format!("{body}{a}{b}");
                if national::br_cpf(v.as_bytes()) {
                    return if chance(rng, 70) {
                        format!("{}.{}.{}-{}", &v[..3], &v[3..6], &v[6..9], &v[9..])
                    } else {
                        v
                    };
                }
            }
        }
    }
}

fn dk_cpr(rng: &mut Rng) -> String {
    let (d, m, y, c) = birth(rng);
    // The first serial digit gives the century: 0-3 for 1900-1999, 4 for 2000-2036.
    let first = if c == 20 { 4 } else { rng.below(4) };
    format!("{d:02}{m:02}{y:02}-{first}{}", digits(rng, 3))
}

fn be_nn(rng: &mut Rng) -> String {
    let (d, m, y, _) = birth(rng);
    let body = format!("{y:02}{m:02}{d:02}{:03}", 1 + rng.below(997));
    let n: u64 = body.parse().unwrap_or(0);
    let v = format!("{body}{:02}", 97 - n % 97);
    debug_assert!(national::be_national_number(v.as_bytes()));
    if chance(rng, 60) {
        format!(
            "{}.{}.{}-{}.{}",
            &v[..2],
            &v[2..4],
            &v[4..6],
            &v[6..9],
            &v[9..]
        )
    } else {
        v
    }
}

fn pt_nif(rng: &mut Rng) -> String {
    valid(
        rng,
        |r| format!("{}{}", from(r, "1235", 1), digits(r, 7)),
        "0123456789",
        national::pt_nif,
    )
}

/// A national identifier: (label, value, words that name it, language).
fn national_id(rng: &mut Rng) -> (&'static str, String, &'static str, &'static str) {
    match rng.below(19) {
        0 => ("US_SSN", us_ssn(rng), "SSN", "en"),
        1 => ("UK_NHS", uk_nhs(rng), "NHS number", "en"),
        2 => ("UK_NINO", uk_nino(rng), "National Insurance number", "en"),
        3 => ("ES_NIF", es_nif(rng), "DNI", "es"),
        4 => ("ES_NIE", es_nie(rng), "NIE", "es"),
        5 => ("IT_FISCAL_CODE", it_fiscal(rng), "codice fiscale", "it"),
        6 => ("PL_PESEL", pl_pesel(rng), "PESEL", "pl"),
        7 => (
            "FI_PERSONAL_IDENTITY_CODE",
            fi_hetu(rng),
            "henkilötunnus",
            "fi",
        ),
        8 => ("IN_AADHAAR", in_aadhaar(rng), "Aadhaar", "en"),
        9 => ("IN_PAN", in_pan(rng), "PAN", "en"),
        10 => ("DE_TAX_ID", de_tax_id(rng), "Steuer-ID", "de"),
        11 => ("FR_NIR", fr_nir(rng), "numéro de sécurité sociale", "fr"),
        12 => ("NL_BSN", nl_bsn(rng), "BSN", "nl"),
        13 => ("SE_PERSONNUMMER", se_pnr(rng), "personnummer", "sv"),
        14 => ("BR_CPF", br_cpf(rng), "CPF", "pt"),
        15 => ("DK_CPR", dk_cpr(rng), "CPR-nr.", "da"),
        16 => (
            "BE_NATIONAL_NUMBER",
            be_nn(rng),
            "numéro de registre national",
            "fr",
        ),
        17 => ("PT_NIF", pt_nif(rng), "NIF", "pt"),
        _ => ("US_SSN", us_ssn(rng), "Social Security Number", "en"),
    }
}

// ---------------------------------------------------------------------------------------
// Hard negatives.

fn hard_negative(rng: &mut Rng, doc: &mut Doc) {
    match rng.below(30) {
        0 => {
            doc.t("Upgraded to version ")
                .neg(
                    "version",
                    &format!("{}.{}.{}", rng.below(20), rng.below(40), rng.below(30)),
                )
                .t(". ");
        }
        1 => {
            doc.t("Build ")
                .neg(
                    "version",
                    &format!("10.0.{}.{}", 10_000 + rng.below(20_000), rng.below(3000)),
                )
                .t(" is out. ");
        }
        2 => {
            doc.t("Logged at ")
                .neg(
                    "timestamp",
                    &format!(
                        "2024-{:02}-{:02}T{:02}:{:02}:{:02}Z",
                        1 + rng.below(12),
                        1 + rng.below(28),
                        rng.below(24),
                        rng.below(60),
                        rng.below(60)
                    ),
                )
                .t(". ");
        }
        3 => {
            doc.t("epoch ")
                .neg("timestamp", &format!("17{}", digits(rng, 8)))
                .t(" ms ")
                .neg(
                    "timestamp",
                    &format!("17{}{}", digits(rng, 8), digits(rng, 3)),
                )
                .t(". ");
        }
        4 => {
            doc.t("Fixed in commit ")
                .neg("git_sha", &from(rng, HEX, 40))
                .t(" (")
                .neg("git_sha", &from(rng, HEX, 7))
                .t("). ");
        }
        5 => {
            let u = format!(
                "{}-{}-4{}-a{}-{}",
                from(rng, HEX, 8),
                from(rng, HEX, 4),
                from(rng, HEX, 3),
                from(rng, HEX, 3),
                from(rng, HEX, 12)
            );
            doc.t("request id ").neg("uuid", &u).t(". ");
        }
        6 => {
            doc.t("sha256 ").neg("hash", &from(rng, HEX, 64)).t(" md5 ");
            doc.neg("hash", &from(rng, HEX, 32)).t(". ");
        }
        7 => {
            doc.t("ISBN ")
                .neg(
                    "isbn",
                    &format!(
                        "978-{}-{}-{}-{}",
                        rng.below(10),
                        digits(rng, 2),
                        digits(rng, 6),
                        rng.below(10)
                    ),
                )
                .t(" and ISBN ")
                .neg(
                    "isbn",
                    &format!("97{}{}", rng.below(2) + 8, digits(rng, 10)),
                )
                .t(". ");
        }
        8 => {
            doc.t("Total ")
                .neg(
                    "price",
                    &format!(
                        "€{}.{:03},{:02}",
                        1 + rng.below(99),
                        rng.below(1000),
                        rng.below(100)
                    ),
                )
                .t(" or ")
                .neg(
                    "price",
                    &format!(
                        "${},{:03}.{:02}",
                        1 + rng.below(999),
                        rng.below(1000),
                        rng.below(100)
                    ),
                )
                .t(". ");
        }
        9 => {
            let n = 9 + rng.below(4) as usize;
            doc.t("Order #")
                .neg("order_number", &digits(rng, n))
                .t(", invoice ")
                .neg(
                    "order_number",
                    &format!("INV-{}-{}", 2020 + rng.below(6), digits(rng, 6)),
                )
                .t(". ");
        }
        10 => {
            let c = rng.pick(CARDS);
            let bad = broken(rng, c, "0123456789", luhn::luhn);
            doc.t("card ")
                .neg("bad_checksum", &group(&bad, &[4, 4, 4, 4], " "))
                .t(" was declined. ");
        }
        11 => {
            let good = iban_value(rng).replace(' ', "");
            let bad = format!(
                "{}{}{}",
                &good[..2],
                (good[2..4].parse::<u32>().unwrap_or(0) + 1) % 100,
                &good[4..]
            );
            let bad = if iban::iban(bad.as_bytes()) {
                format!("{}X", &bad[..bad.len() - 1])
            } else {
                bad
            };
            doc.t("IBAN ").neg("bad_checksum", &bad).t(" is invalid. ");
        }
        12 => {
            let (label, good, ok): (_, String, fn(&[u8]) -> bool) = match rng.below(4) {
                0 => ("PESEL", pl_pesel(rng), national::pl_pesel),
                1 => ("BSN", nl_bsn(rng), national::nl_bsn),
                2 => ("NHS number", uk_nhs(rng).replace(' ', ""), national::uk_nhs),
                _ => (
                    "Steuer-ID",
                    de_tax_id(rng).replace(' ', ""),
                    national::de_tax_id,
                ),
            };
            let v = broken(rng, &good, "0123456789", ok);
            doc.t(&format!("Rejected {label} "))
                .neg("bad_checksum", &v)
                .t(" (checksum). ");
        }
        13 => {
            doc.t("GPS ")
                .neg(
                    "coordinates",
                    &format!(
                        "{}.{}, {}.{}",
                        40 + rng.below(20),
                        digits(rng, 6),
                        rng.below(30),
                        digits(rng, 6)
                    ),
                )
                .t(". ");
        }
        14 => {
            doc.t("so ")
                .neg(
                    "math",
                    &format!(
                        "{}.{} * {} = {}.{}",
                        rng.below(100),
                        digits(rng, 5),
                        rng.below(1000),
                        rng.below(100_000),
                        digits(rng, 4)
                    ),
                )
                .t(" and ")
                .neg(
                    "math",
                    &format!(
                        "[{}, {}, {}, {}]",
                        digits(rng, 4),
                        digits(rng, 4),
                        digits(rng, 4),
                        digits(rng, 4)
                    ),
                )
                .t(". ");
        }
        15 => {
            doc.t("img src=\"data:image/png;base64,")
                .neg(
                    "base64",
                    &format!("iVBORw0KGgoAAAANSUhEUgAA{}==", from(rng, ALNUM, 60)),
                )
                .t("\" ");
        }
        16 => {
            let p = rng.pick(&[
                "<EMAIL_ADDRESS>",
                "<PHONE_NUMBER>",
                "<IP_ADDRESS>",
                "<CREDIT_CARD>",
                "<PHONE_NUMBER_2>",
                "<SECRET>",
            ]);
            doc.t("Contact ").neg("placeholder", p).t(" for details. ");
        }
        17 => {
            doc.t("Docs use ")
                .neg(
                    "documentation_email",
                    &format!("{}@example.com", rng.pick(FIRST)),
                )
                .t(" as the sender. ");
        }
        18 => {
            let ip = match rng.below(5) {
                0 => format!("192.168.{}.{}", rng.below(256), 1 + rng.below(254)),
                1 => format!(
                    "10.{}.{}.{}",
                    rng.below(256),
                    rng.below(256),
                    1 + rng.below(254)
                ),
                2 => format!("192.0.2.{}", 1 + rng.below(254)),
                3 => "127.0.0.1".to_owned(),
                _ => format!("203.0.113.{}", 1 + rng.below(254)),
            };
            doc.t("bound to ")
                .neg("private_ip", &ip)
                .t(" on port ")
                .neg("port", &format!("{}", 1024 + rng.below(60000)))
                .t(". ");
        }
        19 => {
            doc.t("at ")
                .neg(
                    "time",
                    &format!(
                        "{:02}:{:02}:{:02}",
                        rng.below(24),
                        rng.below(60),
                        rng.below(60)
                    ),
                )
                .t(" on ")
                .neg(
                    "date",
                    &format!(
                        "{:02}.{:02}.{}",
                        1 + rng.below(28),
                        1 + rng.below(12),
                        1990 + rng.below(35)
                    ),
                )
                .t(". ");
        }
        20 => {
            doc.t("EAN ")
                .neg("barcode", &format!("400{}", digits(rng, 10)))
                .t(". ");
        }
        21 => {
            doc.t("tracking ")
                .neg(
                    "tracking",
                    &format!("1Z{}", from(rng, "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ", 16)),
                )
                .t(". ");
        }
        22 => {
            doc.t("IPv6 loopback ")
                .neg("private_ip", "::1")
                .t(" and ")
                .neg(
                    "private_ip",
                    &format!("fe80::{}:{}", from(rng, HEX, 4), from(rng, HEX, 4)),
                )
                .t(". ");
        }
        23 => {
            doc.t("population ")
                .neg(
                    "number",
                    &format!(
                        "{} {:03} {:03}",
                        1 + rng.below(99),
                        rng.below(1000),
                        rng.below(1000)
                    ),
                )
                .t(" (")
                .neg(
                    "number",
                    &format!(
                        "{},{:03},{:03}",
                        1 + rng.below(99),
                        rng.below(1000),
                        rng.below(1000)
                    ),
                )
                .t("). ");
        }
        24 => {
            doc.t("Call ext. ")
                .neg("phone_like", &format!("{}", 100 + rng.below(900)))
                .t(" or room ")
                .neg(
                    "phone_like",
                    &format!("{}-{}", rng.below(10), digits(rng, 3)),
                )
                .t(". ");
        }
        25 => {
            doc.t("key fingerprint ")
                .neg(
                    "hash",
                    &group(&from(rng, "0123456789ABCDEF", 40), &[4; 10], " "),
                )
                .t(". ");
        }
        26 => {
            doc.t("token placeholder ")
                .neg(
                    "fake_secret",
                    rng.pick(&[
                        "YOUR_API_KEY_HERE",
                        "xxxxxxxxxxxxxxxxxxxx",
                        "sk_test_...",
                        "<token>",
                        "changeme",
                    ]),
                )
                .t(". ");
        }
        27 => {
            doc.t("serial ")
                .neg(
                    "serial",
                    &format!("{}-{}-{}", letters(rng, 3), digits(rng, 4), letters(rng, 2)),
                )
                .t(". ");
        }
        28 => {
            doc.t("version string ")
                .neg(
                    "version",
                    &format!(
                        "v{}.{}.{}-rc.{}+build.{}",
                        rng.below(5),
                        rng.below(20),
                        rng.below(20),
                        rng.below(5),
                        digits(rng, 4)
                    ),
                )
                .t(". ");
        }
        _ => {
            let n = format!("{}{}-{}", 1 + rng.below(9), digits(rng, 3), digits(rng, 4));
            doc.t("part no. ").neg("number", &n).t(" in stock. ");
        }
    }
}

// ---------------------------------------------------------------------------------------
// Surroundings.

const PROSE: &[(&str, &[&str])] = &[
    (
        "en",
        &[
            "Thanks for the quick reply.",
            "The meeting moved to Thursday.",
            "Please find the details below.",
            "We reviewed the numbers again yesterday.",
            "Let me know if anything is missing.",
        ],
    ),
    (
        "de",
        &[
            "Vielen Dank für die schnelle Antwort.",
            "Die Besprechung wurde auf Donnerstag verschoben.",
            "Anbei die Unterlagen.",
            "Bitte prüfen Sie die Angaben.",
        ],
    ),
    (
        "fr",
        &[
            "Merci pour votre réponse rapide.",
            "La réunion est déplacée à jeudi.",
            "Veuillez trouver les détails ci-dessous.",
            "Nous avons vérifié le dossier.",
        ],
    ),
    (
        "es",
        &[
            "Gracias por la respuesta.",
            "La reunión se ha movido al jueves.",
            "Adjunto los datos solicitados.",
            "Revisamos la información ayer.",
        ],
    ),
    (
        "it",
        &[
            "Grazie per la risposta.",
            "La riunione è stata spostata a giovedì.",
            "In allegato i dati richiesti.",
            "Abbiamo controllato la pratica.",
        ],
    ),
    (
        "nl",
        &[
            "Bedankt voor je snelle reactie.",
            "De vergadering is verplaatst naar donderdag.",
            "Hieronder de gegevens.",
        ],
    ),
    (
        "pl",
        &[
            "Dziękuję za szybką odpowiedź.",
            "Spotkanie przeniesiono na czwartek.",
            "Poniżej szczegóły.",
        ],
    ),
    (
        "sv",
        &[
            "Tack för snabbt svar.",
            "Mötet är flyttat till torsdag.",
            "Se uppgifterna nedan.",
        ],
    ),
    (
        "fi",
        &[
            "Kiitos nopeasta vastauksesta.",
            "Kokous siirtyi torstaille.",
            "Tiedot alla.",
        ],
    ),
    (
        "pt",
        &[
            "Obrigado pela resposta.",
            "A reunião foi remarcada para quinta.",
            "Segue os dados abaixo.",
        ],
    ),
    (
        "da",
        &["Tak for det hurtige svar.", "Mødet er flyttet til torsdag."],
    ),
];

fn prose(rng: &mut Rng, doc: &mut Doc, lang: &str) {
    let lines = PROSE
        .iter()
        .find(|(l, _)| *l == lang)
        .map_or(PROSE[0].1, |(_, s)| *s);
    doc.t(rng.pick(lines)).t(" ");
}

fn lang_of(rng: &mut Rng) -> &'static str {
    PROSE[rng.below(PROSE.len() as u64) as usize].0
}

/// One value of a random label in a sentence or field fitting the document kind.
fn value(rng: &mut Rng, doc: &mut Doc) {
    if chance(rng, 7) {
        return hard_value(rng, doc);
    }
    match rng.below(40) {
        0..=5 => {
            let e = email(rng);
            match rng.below(4) {
                0 => doc.t("Write to ").pii("EMAIL_ADDRESS", &e).t(". "),
                1 => doc.t("From: Name <").pii("EMAIL_ADDRESS", &e).t(">\n"),
                2 => doc.t("(mailto:").pii("EMAIL_ADDRESS", &e).t(") "),
                _ => doc.t("contact: ").pii("EMAIL_ADDRESS", &e).t(", "),
            };
        }
        6..=11 => {
            let (p, lang) = phone(rng);
            let word = match lang {
                "de" => "Tel.: ",
                "fr" => "Tél. : ",
                "es" => "Teléfono: ",
                "it" => "Tel. ",
                "nl" => "Bel ",
                "pl" => "tel. ",
                "pt" => "Telefone: ",
                _ => "Call ",
            };
            doc.t(word).pii("PHONE_NUMBER", &p).t(". ");
        }
        12..=15 => {
            let ip = if chance(rng, 75) {
                ipv4(rng)
            } else {
                ipv6(rng)
            };
            match rng.below(5) {
                0 => doc.t("Login from ").pii("IP_ADDRESS", &ip).t(" failed. "),
                3 if !ip.contains(':') => doc.t("http://").pii("IP_ADDRESS", &ip).t(":8080/admin "),
                3 => doc.t("http://[").pii("IP_ADDRESS", &ip).t("]:443/ "),
                4 => doc
                    .t("upstream ")
                    .pii("IP_ADDRESS", &ip)
                    .t(if ip.contains(':') { "/64, " } else { "/32, " }),
                1 => doc.t("client=").pii("IP_ADDRESS", &ip).t(" "),
                _ => doc.t("[").pii("IP_ADDRESS", &ip).t("] "),
            };
        }
        16 => {
            doc.t("device ")
                .pii("MAC_ADDRESS", &mac(rng))
                .t(" joined. ");
        }
        17..=19 => {
            doc.t(rng.pick(&["Card: ", "paid with ", "Kartennummer ", "carte n° "]))
                .pii("CREDIT_CARD", &card(rng))
                .t(". ");
        }
        20..=22 => {
            doc.t(rng.pick(&["IBAN: ", "Please transfer to ", "Bankverbindung ", "IBAN "]))
                .pii("IBAN_CODE", &iban_value(rng))
                .t(". ");
        }
        23 => {
            doc.t(rng.pick(&["Donate: ", "send to ", "wallet "]))
                .pii("CRYPTO", &crypto(rng))
                .t(" ");
        }
        24..=27 => {
            let (before, v, after) = secret(rng);
            doc.t("\n").t(&before).pii("SECRET", &v).t(&after);
        }
        _ => {
            let (label, v, word, _) = national_id(rng);
            let sep = rng.pick(&[": ", " ", " nr ", ": "]);
            doc.t(word).t(sep).pii(label, &v).t(". ");
        }
    }
}

/// Personal data in forms that rule sets often miss, about one value in fourteen: an
/// honest corpus holds what is hard, not only what the rules were written for.
fn hard_value(rng: &mut Rng, doc: &mut Doc) {
    match rng.below(8) {
        0 => {
            let (f, l, d) = (rng.pick(FIRST), rng.pick(LAST), rng.pick(DOMAINS));
            let (dom, tld) = d.rsplit_once('.').unwrap_or((d, "eu"));
            let v = match rng.below(2) {
                0 => format!("{f}.{l} [at] {dom} [dot] {tld}"),
                _ => format!("{f} at {dom} dot {tld}"),
            };
            doc.t("mail me: ")
                .pii("EMAIL_ADDRESS", &v)
                .t(" (no spam). ");
        }
        1 => {
            let v = format!("555-01{:02}", rng.below(100));
            doc.t("call me at ").pii("PHONE_NUMBER", &v).t(" tonight. ");
        }
        2 => {
            let v = format!("07700900{:03}", rng.below(1000));
            doc.t("ring ").pii("PHONE_NUMBER", &v).t(" if late. ");
        }
        3 => {
            // A distinctive format with no word naming it.
            let (label, v) = match rng.below(6) {
                0 => ("BR_CPF", br_cpf(rng)),
                1 => ("UK_NINO", uk_nino(rng)),
                2 => ("IT_FISCAL_CODE", it_fiscal(rng)),
                3 => ("ES_NIE", es_nie(rng)),
                4 => ("FI_PERSONAL_IDENTITY_CODE", fi_hetu(rng)),
                _ => ("FR_NIR", fr_nir(rng)),
            };
            doc.t("ref. ").pii(label, &v).t(" attached. ");
        }
        4 => {
            let v = format!(
                "{}{}",
                rng.pick(&["hunter", "Summer", "letmein", "Winter", "dragon"]),
                2020 + rng.below(6)
            );
            doc.t("\npassword = \"").pii("SECRET", &v).t("\"\n");
        }
        5 => {
            let v = format!("::ffff:{}", ipv4(rng));
            doc.t("peer ").pii("IP_ADDRESS", &v).t(" reset. ");
        }
        6 => {
            let v = group(rng.pick(&CARDS[..7]), &[4, 4, 4, 4], ".");
            doc.t("card ").pii("CREDIT_CARD", &v).t(" on file. ");
        }
        _ => {
            let v = iban_value(rng).to_lowercase();
            doc.t("iban ").pii("IBAN_CODE", &v).t(" please. ");
        }
    }
}

/// Document kinds: how values and negatives are wrapped.
fn document(rng: &mut Rng, id: usize) -> Doc {
    let kinds = [
        "prose",
        "email",
        "forum",
        "csv",
        "log",
        "code",
        "config",
        "changelog",
    ];
    let kind = kinds[rng.below(kinds.len() as u64) as usize];
    let lang = lang_of(rng);
    let mut doc = Doc::new(id, kind, lang);
    let values = rng.below(4) as usize;
    let negatives = 1 + rng.below(4) as usize;
    match kind {
        "email" => {
            doc.t("Subject: ")
                .t(rng.pick(&["Re: invoice", "AW: Termin", "Re: dossier", "Fwd: access"]))
                .t("\n\n");
            prose(rng, &mut doc, lang);
        }
        "forum" => {
            doc.t(&format!("Posted by user{} » ", rng.below(10_000)));
        }
        "csv" => {
            doc.t("name,contact,amount,updated\n");
        }
        "log" => {
            doc.t(&format!(
                "Mar {:2} 10:{:02}:{:02} host sshd[{}]: ",
                1 + rng.below(28),
                rng.below(60),
                rng.below(60),
                rng.below(99999)
            ));
        }
        "code" => {
            doc.t("import os\n\ndef connect():\n    # settings\n");
        }
        "config" => {
            doc.t("# deployment settings\n[service]\n");
        }
        "changelog" => {
            doc.t(&format!(
                "## {}.{}.0 ({}-{:02}-{:02})\n- ",
                rng.below(5),
                rng.below(30),
                2020 + rng.below(6),
                1 + rng.below(12),
                1 + rng.below(28)
            ));
        }
        _ => {}
    }
    let total = values + negatives;
    let mut v = values;
    for i in 0..total {
        // Interleave values and negatives at random.
        let want_value = v > 0 && (rng.below((total - i) as u64) < v as u64);
        if kind == "csv" {
            let name = format!("{} {}", capital(rng.pick(FIRST)), capital(rng.pick(LAST)));
            doc.pii("PERSON", &name).t(",");
        } else if chance(rng, 40) {
            prose(rng, &mut doc, lang);
        }
        if want_value {
            v -= 1;
            value(rng, &mut doc);
        } else {
            hard_negative(rng, &mut doc);
        }
        if kind == "csv" {
            doc.t(&format!(
                "{}.{:02},2024-0{}-1{}\n",
                rng.below(900),
                rng.below(100),
                1 + rng.below(9),
                rng.below(10)
            ));
        }
    }
    if kind == "email" {
        let name = format!("{} {}", capital(rng.pick(FIRST)), capital(rng.pick(LAST)));
        doc.t("\n\n-- \n").pii("PERSON", &name).t("\n");
        if chance(rng, 50) {
            let (p, _) = phone(rng);
            doc.t("Mobile: ").pii("PHONE_NUMBER", &p).t("\n");
        }
    }
    let end = doc.text.trim_end().len();
    doc.text.truncate(end);
    doc
}

fn main() {
    let mut out = None;
    let mut docs = 2500usize;
    let mut seed = 1u64;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match (a.as_str(), args.next()) {
            ("--out", Some(v)) => out = Some(v),
            ("--docs", Some(v)) => docs = v.parse().unwrap_or(docs),
            ("--seed", Some(v)) => seed = v.parse().unwrap_or(seed),
            _ => {
                eprintln!("usage: gen-gold --out FILE [--docs N] [--seed N]");
                std::process::exit(2);
            }
        }
    }
    let Some(out) = out else {
        eprintln!("usage: gen-gold --out FILE [--docs N] [--seed N]");
        std::process::exit(2);
    };
    let mut rng = Rng::new(seed);
    let mut text = String::new();
    for id in 1..=docs {
        let d = document(&mut rng, id);
        for s in &d.spans {
            assert!(d.text.is_char_boundary(s.start) && d.text.is_char_boundary(s.end));
        }
        text.push_str(&serde_json::to_string(&d).expect("a document serializes"));
        text.push('\n');
    }
    if let Err(e) = std::fs::write(&out, text) {
        eprintln!("gen-gold: {out}: {e}");
        std::process::exit(2);
    }
}
