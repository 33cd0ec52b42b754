//! Seeded web-like documents with sparse, known personal data: shared by the corpus
//! generator (`cargo run --example gen-corpus`) and the benches.
//!
//! Documents are prose in several European languages with the numbers ordinary text
//! holds (years, prices, times, versions, dates, hashes), paragraph breaks and quotes (so
//! JSONL lines hold escapes), and, about once per 10 KB, one injected value from a fixed
//! set of kinds. Every injected value is generated or reserved for documentation (see
//! corpus/README.md), and each kind is one the built-in rules must find exactly, so a
//! consumer can assert the count.

#![allow(dead_code)]

/// A small deterministic generator (xorshift64), so output is the same on every run.
pub struct Rng(pub u64);

impl Rng {
    /// A generator from a seed (any value; zero is mapped to a fixed constant).
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ 0x5eed_cafe_f00d_1234 | 1)
    }
    /// The next 64 random bits.
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    /// A number below `n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    /// One of `items`.
    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

const WORDS: &[&str] = &[
    "the",
    "of",
    "and",
    "to",
    "in",
    "data",
    "model",
    "training",
    "system",
    "user",
    "server",
    "release",
    "version",
    "update",
    "performance",
    "memory",
    "network",
    "request",
    "error",
    "configuration",
    "file",
    "support",
    "license",
    "project",
    "community",
    "documentation",
    "der",
    "die",
    "und",
    "nicht",
    "mit",
    "Daten",
    "Benutzer",
    "Leistung",
    "le",
    "la",
    "les",
    "des",
    "pour",
    "avec",
    "données",
    "utilisateur",
    "résultat",
    "größer",
    "über",
    "déjà",
    "el",
    "los",
    "para",
    "año",
    "información",
    "niño",
    "il",
    "della",
    "perché",
    "città",
    "het",
    "een",
    "niet",
    "och",
    "för",
    "että",
    "się",
    "także",
    "quickly",
    "because",
    "between",
    "without",
    "however",
    "should",
];

/// The labels injected, in the order [`Injected`] counts them.
pub const LABELS: [&str; 6] = [
    "EMAIL_ADDRESS",
    "IP_ADDRESS",
    "PHONE_NUMBER",
    "CREDIT_CARD",
    "IBAN_CODE",
    "SECRET",
];

/// How many values of each of [`LABELS`] were injected.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Injected(pub [u64; 6]);

impl Injected {
    /// All injected values.
    pub fn total(&self) -> u64 {
        self.0.iter().sum()
    }
    /// Adds another count.
    pub fn add(&mut self, o: &Injected) {
        for (a, b) in self.0.iter_mut().zip(o.0) {
            *a += b;
        }
    }
}

const CARDS: &[&str] = &[
    "4111 1111 1111 1111",
    "5555-5555-5555-4444",
    "4012888888881881",
    "378282246310005",
];
const IBANS: &[&str] = &["GB82 WEST 1234 5698 7654 32", "DE89 3704 0044 0532 0130 00"];

/// Appends one injected value in a sentence and counts it.
fn inject(rng: &mut Rng, doc: &mut String, n: &mut Injected) {
    let kind = match rng.below(20) {
        0..=6 => 0,
        7..=11 => 1,
        12..=15 => 2,
        16 => 3,
        17 => 4,
        _ => 5,
    };
    n.0[kind] += 1;
    let s = match kind {
        0 => format!("Write to user{}@corp.eu. ", rng.below(100_000)),
        1 => format!("Seen from 81.2.69.{}. ", 1 + rng.below(250)),
        2 => format!("Call +44 20 7946 {:04}. ", rng.below(10_000)),
        3 => format!("Paid with card {}. ", rng.pick(CARDS)),
        4 => format!("IBAN {} for transfers. ", rng.pick(IBANS)),
        _ => "Set AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE in the job. ".to_owned(),
    };
    doc.push_str(&s);
}

/// One sentence of prose with, sometimes, the kinds of numbers ordinary text holds.
fn sentence(rng: &mut Rng, doc: &mut String) {
    let n = 6 + rng.below(12);
    for i in 0..n {
        if i > 0 {
            doc.push(' ');
        }
        let w = rng.pick(WORDS);
        if i == 0 {
            let mut c = w.chars();
            if let Some(f) = c.next() {
                doc.extend(f.to_uppercase());
                doc.push_str(c.as_str());
            }
        } else {
            doc.push_str(w);
        }
    }
    match rng.below(16) {
        0 => doc.push_str(&format!(" in {}", 1990 + rng.below(35))),
        1 => doc.push_str(&format!(
            " for {}.{:02} EUR",
            rng.below(500),
            rng.below(100)
        )),
        2 => doc.push_str(&format!(" at {:02}:{:02}", rng.below(24), rng.below(60))),
        3 => doc.push_str(&format!(
            " (v{}.{}.{})",
            rng.below(10),
            rng.below(30),
            rng.below(10)
        )),
        4 => doc.push_str(&format!(
            " on 2024-{:02}-{:02}",
            1 + rng.below(12),
            1 + rng.below(28)
        )),
        5 => doc.push_str(&format!(
            " in commit {:016x}{:08x}",
            rng.next(),
            rng.below(1 << 32)
        )),
        6 => doc.push_str(" \"as quoted\""),
        7 => doc.push_str(&format!(
            " page {} of {}",
            rng.below(40),
            40 + rng.below(400)
        )),
        _ => {}
    }
    doc.push_str(". ");
}

/// One document of about `target` bytes: paragraphs of prose separated by a blank line,
/// with about one injected value per 10 KB.
pub fn document(rng: &mut Rng, target: usize, n: &mut Injected) -> String {
    let mut doc = String::with_capacity(target + 128);
    while doc.len() < target {
        sentence(rng, &mut doc);
        if rng.below(80) == 0 {
            inject(rng, &mut doc, n);
        }
        if rng.below(7) == 0 {
            doc.pop();
            doc.push_str("\n\n");
        }
    }
    let trimmed = doc.trim_end().len();
    doc.truncate(trimmed);
    doc
}

/// A title of a few words; about one in `every` carries an email address.
pub fn title(rng: &mut Rng, every: u64, n: &mut Injected) -> String {
    let mut t = String::new();
    for i in 0..3 + rng.below(5) {
        if i > 0 {
            t.push(' ');
        }
        t.push_str(rng.pick(WORDS));
    }
    if rng.below(every) == 0 {
        n.0[0] += 1;
        t.push_str(&format!(" by editor{}@corp.eu", rng.below(1000)));
    }
    t
}

/// Document length: mostly 1-4 KB, sometimes much longer, like crawled pages.
pub fn length(rng: &mut Rng) -> usize {
    match rng.below(10) {
        0 => 8_000 + rng.below(40_000) as usize,
        _ => 800 + rng.below(3_500) as usize,
    }
}

/// A document dense with findings: a value in about every other sentence, as in contact
/// pages, logs and leaked dumps.
pub fn dense_document(rng: &mut Rng, target: usize, n: &mut Injected) -> String {
    let mut doc = String::with_capacity(target + 128);
    while doc.len() < target {
        sentence(rng, &mut doc);
        if rng.below(2) == 0 {
            inject(rng, &mut doc, n);
        }
    }
    let trimmed = doc.trim_end().len();
    doc.truncate(trimmed);
    doc
}

/// One source or config file of about `target` bytes: code lines with the numbers code
/// holds (versions, ports, timeouts, hex digests, UUIDs, URLs on example hosts) and, in
/// about one line in 40, an injected value assigned to a variable.
pub fn code_document(rng: &mut Rng, target: usize, n: &mut Injected) -> String {
    let mut doc = String::with_capacity(target + 128);
    while doc.len() < target {
        let line = match rng.below(10) {
            0 => format!("const TIMEOUT_MS: u64 = {};", rng.below(100_000)),
            1 => format!(
                "version = \"{}.{}.{}\"",
                rng.below(10),
                rng.below(40),
                rng.below(20)
            ),
            2 => format!(
                "// see commit {:016x}{:016x}{:08x}",
                rng.next(),
                rng.next(),
                rng.below(1 << 32)
            ),
            3 => format!(
                "id = \"{:08x}-{:04x}-4{:03x}-a{:03x}-{:012x}\"",
                rng.below(1 << 32),
                rng.below(1 << 16),
                rng.below(1 << 12),
                rng.below(1 << 12),
                rng.below(1 << 48)
            ),
            4 => format!(
                "sha256: {:016x}{:016x}{:016x}{:016x}",
                rng.next(),
                rng.next(),
                rng.next(),
                rng.next()
            ),
            5 => format!(
                "fn handler_{}(req: Request) -> Result<Response> {{",
                rng.below(1000)
            ),
            6 => format!(
                "    let url = \"https://api.example.com/v{}/items/{}?page={}\";",
                rng.below(4),
                rng.below(1_000_000),
                rng.below(100)
            ),
            7 => format!("port: {}", 1024 + rng.below(60_000)),
            8 => format!(
                "    x = matrix[{}][{}] * {}.{};",
                rng.below(64),
                rng.below(64),
                rng.below(100),
                rng.below(1000)
            ),
            _ => "}".to_owned(),
        };
        doc.push_str(&line);
        doc.push('\n');
        if rng.below(40) == 0 {
            let (kind, s) = match rng.below(3) {
                0 => (
                    0,
                    format!("ADMIN_EMAIL = \"ops{}@corp.eu\"", rng.below(1000)),
                ),
                1 => (1, format!("upstream = \"81.2.69.{}\"", 1 + rng.below(250))),
                _ => (5, "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE".to_owned()),
            };
            n.0[kind] += 1;
            doc.push_str(&s);
            doc.push('\n');
        }
    }
    doc
}
