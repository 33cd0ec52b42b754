//! Rules: what to look for. [`RuleSyntax`] is one `[[rule]]` table of a TOML file as
//! written; [`Rule`] is the compiled, validated form; [`RuleSet`] is the ordered list the
//! scanner is built from, with a version and a content hash for the report.
//!
//! # File format
//! ```toml
//! labels = ["MY_LABEL"]          # optional: labels this file adds to the built-in ones
//!
//! [[rule]]
//! id          = "credit_card"    # snake_case, unique across all loaded files
//! label       = "CREDIT_CARD"    # a built-in label or one declared above
//! description = "Payment card numbers, Luhn-checked."
//! regex       = '''\b(?:\d[ -]?){12,18}\d\b'''   # ASCII semantics: \d, \w, \b are ASCII
//! triggers    = []               # exact literals, one of which every match contains
//! validator   = "credit_card"    # optional; see `shardscrub rules list --validators`
//! context     = ["card", "@card"] # optional words looked for within 64 bytes of a match;
//!                                # `@name` stands for the shared word list `name`
//! context_required = false       # true: no context word nearby, no finding
//! context_weak = ["@id_generic"] # generic words: satisfy context_required, half the bonus
//! context_window = 24            # optional: bytes (8-64), and no digit between word and match
//! exclude_before = ["@version"]  # words that rule a match out when they come just
//! exclude_after  = ["unstable"]  #   before / after it on the same line (see below)
//! exclude_inside = ["@not_person"] # words that rule a match out when it holds one
//! value_first_word = ["@first_names"] # the value must start with one of these words
//! windows     = "digits"         # triggerless rules: "digits" (default), "tokens",
//!                                # "names" or "all"
//! priority    = 60               # higher wins an overlap; default 50
//! must_match     = ["card 4111 1111 1111 1111", { text = "...", redacts = "..." }]
//! must_not_match = ["4111 1111 1111 1112", "<CREDIT_CARD>"]
//! ```
//!
//! A regex with a named group `value` redacts only that group (`password = "(?P<value>...)"`).
//!
//! # Shared word lists
//! Any file may define named lists of words in a `[words]` table; every rule of every
//! file loaded (built-in files first) may then use `@name` in `context`, `exclude_before`,
//! `exclude_after`, `exclude_inside` and `value_first_word`. `patterns/words.toml` holds the built-in lists (phone words in
//! many languages, card words, generic ID labels, version words), so that a word added
//! there reaches every rule that uses the list.
//! ```toml
//! [words]
//! ticket = ["ticket", "case no", "incident"]
//! ```
//!
//! # Shared regex fragments
//! A `[fragments]` table names pieces of regex that several rules share; any rule's
//! `regex` may then hold `@{name}`, which stands for `(?:piece)`. Fragments do not use
//! other fragments. `patterns/person.toml` defines the shape of a person's name once
//! for the rules of every structure that carries one.
//! ```toml
//! [fragments]
//! ticket_no = '''TCK-[0-9]{4,8}'''
//! ```
//!
//! # Exclusion words
//! `exclude_before` / `exclude_after` words rule a candidate out when one of them stands
//! as a whole word within [`crate::scan::EXCLUDE_WINDOW`] bytes before (after) it on the
//! same line, with only letters, spaces and punctuation between (no digit, no `@`, no
//! bracket of a placeholder): `Bump dependency to 3.12.4.1` is a version, not an address.
//! `exclude_inside` words rule it out when one stands as a whole word inside the match:
//! `Support Team <help@corp.eu>` has the shape of a name but is a role.
//!
//! How a rule is scanned depends on its fields (see [`Strategy`]): a rule with
//! `triggers` runs only around its triggers; a rule without runs inside the digit-dense
//! windows of the document, or around long tokens, or everywhere, as `windows` says.

mod builtin;
pub mod check;
pub(crate) mod load;

pub use builtin::{BUILTIN_FILES, DEFAULT_ALLOW};
pub use load::{Source, load, load_builtin, load_only};

use crate::labels::Label;
use crate::scan::shape::DigitShape;
use crate::span::RuleId;
use crate::validate::Validator;
use regex_automata::meta;
use serde::Deserialize;

/// Default `priority` of a rule.
pub const DEFAULT_PRIORITY: i32 = 50;

/// One rule file as written (`[[rule]]` tables plus optional `labels`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileSyntax {
    /// Labels this file adds to the built-in ones.
    #[serde(default)]
    pub labels: Vec<String>,
    /// Named word lists, used by any rule as `@name`.
    #[serde(default)]
    pub words: std::collections::BTreeMap<String, Vec<String>>,
    /// Named regex fragments, used in any rule's regex as `@{name}`.
    #[serde(default)]
    pub fragments: std::collections::BTreeMap<String, String>,
    /// The rules.
    #[serde(default, rename = "rule")]
    pub rules: Vec<RuleSyntax>,
}

/// One `[[rule]]` as written. Unknown fields are an error.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSyntax {
    /// Unique snake_case id, e.g. `aws_access_key_id`.
    pub id: String,
    /// The label findings get.
    pub label: String,
    /// One or two sentences that `rules list` prints.
    pub description: String,
    /// The regex (regex-automata syntax, ASCII semantics, no look-around).
    pub regex: String,
    /// Literals, one of which every match contains (ASCII case-insensitive).
    #[serde(default)]
    pub triggers: Vec<String>,
    /// A validator name, e.g. `luhn` or `entropy >= 3.5`.
    pub validator: Option<String>,
    /// Words that make a nearby match more likely (or required).
    #[serde(default)]
    pub context: Vec<String>,
    /// When true, a match needs a context word within the context window.
    #[serde(default)]
    pub context_required: bool,
    /// Generic words that also satisfy `context_required` but vouch less: a rule whose
    /// own `context` word is near wins over one that sees only a generic label.
    #[serde(default)]
    pub context_weak: Vec<String>,
    /// Bytes around a match in which context words count (8 to 64, default 64). When
    /// set, no digit may stand between the word and the match either: the word must
    /// be about this number, not a neighbour.
    pub context_window: Option<usize>,
    /// Words that rule a match out when they stand just before it on its line.
    #[serde(default)]
    pub exclude_before: Vec<String>,
    /// Words that rule a match out when they stand just after it on its line.
    #[serde(default)]
    pub exclude_after: Vec<String>,
    /// Words that rule a match out when one stands as a whole word inside it.
    #[serde(default)]
    pub exclude_inside: Vec<String>,
    /// Where a rule without triggers runs: `"digits"` (default), `"tokens"`, `"names"`
    /// or `"all"`; see [`Strategy`].
    pub windows: Option<String>,
    /// Word lists of which the value's first word (up to a space, or up to a hyphen)
    /// must be one, with the same capitals: `["@first_names"]` keeps `Jane Roe` and
    /// drops `New York`.
    #[serde(default)]
    pub value_first_word: Vec<String>,
    /// Higher wins an overlap.
    pub priority: Option<i32>,
    /// Texts in which the rule must find something.
    pub must_match: Option<Vec<Example>>,
    /// Texts in which the rule must find nothing.
    pub must_not_match: Option<Vec<String>>,
}

/// A `must_match` example: a text, or a text plus the exact substring to be redacted.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum Example {
    /// The rule finds something in this text.
    Text(String),
    /// The rule finds exactly `redacts` in `text`.
    Exact {
        /// The text.
        text: String,
        /// The substring that must become the finding's span.
        redacts: String,
    },
}

impl Example {
    /// The example's text.
    pub fn text(&self) -> &str {
        match self {
            Example::Text(t) => t,
            Example::Exact { text, .. } => text,
        }
    }

    /// The exact substring expected to be redacted, if given.
    pub fn redacts(&self) -> Option<&str> {
        match self {
            Example::Text(_) => None,
            Example::Exact { redacts, .. } => Some(redacts),
        }
    }
}

/// How the scanner reaches a rule's candidates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Strategy {
    /// Only around occurrences of one of the rule's triggers (exact, case-sensitive
    /// literals), within the longest match the regex can produce.
    Triggered,
    /// Inside digit-dense windows (two adjacent 32-byte blocks holding at least 4 digits
    /// or `:`), together with the other rules of this kind in one multi-pattern pass.
    /// For numbers: cards, phones, IPs, IBANs, national IDs. `windows = "digits"`.
    Digits,
    /// Around runs of at least 25 ASCII letters and digits: for identifiers such as
    /// Base58 addresses that may hold few digits. `windows = "tokens"`.
    Tokens,
    /// Around capitalised pairs (`Jane Roe`, `Jan van der Berg`): for names, whose value
    /// group must start with the first of two capitalised tokens (see `scan::names`).
    /// `windows = "names"`.
    Names,
    /// Over every whole document. The slowest choice. `windows = "all"`.
    All,
}

impl Strategy {
    /// The name used in rule files and `rules list`.
    pub fn name(self) -> &'static str {
        match self {
            Strategy::Triggered => "triggers",
            Strategy::Digits => "digits",
            Strategy::Tokens => "tokens",
            Strategy::Names => "names",
            Strategy::All => "all",
        }
    }
}

/// A compiled rule. Built by the loader, immutable afterwards.
#[derive(Debug)]
pub struct Rule {
    /// Unique id.
    pub id: RuleId,
    /// Label of its findings.
    pub label: Label,
    /// What it finds, in words.
    pub description: String,
    /// The regex source.
    pub pattern: String,
    /// Prefilter literals.
    pub triggers: Vec<String>,
    /// The validator, if any.
    pub validator: Option<Validator>,
    /// The validator as written in the file.
    pub validator_spec: Option<String>,
    /// Context words.
    pub context: Vec<String>,
    /// Whether a context word is required.
    pub context_required: bool,
    /// Generic context words (word lists expanded), worth half the bonus.
    pub context_weak: Vec<String>,
    /// Context window in bytes when narrower than the default; see [`RuleSyntax`].
    pub context_window: Option<usize>,
    /// Words that rule a match out just before it (word lists expanded).
    pub exclude_before: Vec<String>,
    /// Words that rule a match out just after it (word lists expanded).
    pub exclude_after: Vec<String>,
    /// Words that rule a match out inside it (word lists expanded).
    pub exclude_inside: Vec<String>,
    /// Words one of which the value must start with (word lists expanded; empty: any).
    pub value_first_word: WordSet,
    /// Overlap priority.
    pub priority: i32,
    /// How it is scanned.
    pub strategy: Strategy,
    /// Positive examples.
    pub must_match: Vec<Example>,
    /// Negative examples.
    pub must_not_match: Vec<String>,
    /// The file it came from (`patterns/contact.toml` or a user's path).
    pub source: String,
    pub(crate) regex: meta::Regex,
    /// Capture group index of `value`, when the rule redacts one group only.
    pub(crate) value_group: Option<usize>,
    /// Longest possible match in bytes (`None`: unbounded).
    pub(crate) max_len: Option<usize>,
    /// How far its matches reach around their digits (for digit windows).
    pub(crate) digit_shape: DigitShape,
    /// For [`Strategy::Names`]: the most bytes a match reaches before its value's start
    /// and after its value's end.
    pub(crate) value_reach: Option<(usize, usize)>,
}

impl Rule {
    /// The span to redact for a regex match at `start..end`: the whole match, or the
    /// `value` group when the rule has one (`None` if that group did not take part).
    pub(crate) fn value_span(
        &self,
        cache: &mut meta::Cache,
        caps: &mut regex_automata::util::captures::Captures,
        hay: &[u8],
        start: usize,
        end: usize,
    ) -> Option<crate::span::Span> {
        let Some(group) = self.value_group else {
            return Some(crate::span::Span::new(start, end));
        };
        let input = regex_automata::Input::new(hay)
            .range(start..end)
            .anchored(regex_automata::Anchored::Yes);
        self.regex.search_captures_with(cache, &input, caps);
        caps.get_group(group)
            .map(|s| crate::span::Span::new(s.start, s.end))
            .filter(|s| !s.is_empty())
    }

    /// The longest match the regex can produce, if bounded.
    pub(crate) fn max_len(&self) -> Option<usize> {
        self.max_len
    }

    /// True when the value `v` starts with a word this rule accepts (any, when it lists
    /// none): the whole first word, or its part before a hyphen (`Mary-Jane`).
    pub(crate) fn first_word_ok(&self, v: &[u8]) -> bool {
        if self.value_first_word.is_empty() {
            return true;
        }
        let word = v.split(|&b| b == b' ').next().unwrap_or(v);
        let known =
            |w: &[u8]| std::str::from_utf8(w).is_ok_and(|w| self.value_first_word.contains(w));
        known(word)
            || word
                .iter()
                .position(|&b| b == b'-')
                .is_some_and(|h| known(&word[..h]))
    }

    /// Bounds on the digit-free stretches of its matches, read off its regex.
    pub fn digit_shape(&self) -> DigitShape {
        self.digit_shape
    }
}

/// A set of words looked up once per candidate name: FNV-1a instead of the standard
/// library's SipHash, whose resistance to chosen keys these fixed lists do not need and
/// whose cost showed in profiles (a lookup per capitalised pair of a document).
pub type WordSet = std::collections::HashSet<String, std::hash::BuildHasherDefault<Fnv1a>>;

/// The FNV-1a hash (64 bits).
#[derive(Clone, Copy, Debug)]
pub struct Fnv1a(u64);

impl Default for Fnv1a {
    fn default() -> Self {
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for Fnv1a {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// The distinct labels of `rules`, sorted.
pub(crate) fn labels_of(rules: &[Rule]) -> Vec<Label> {
    let mut labels: Vec<Label> = rules.iter().map(|r| r.label).collect();
    labels.sort();
    labels.dedup();
    labels
}

/// An ordered, compiled set of rules, with what the report needs to identify it.
#[derive(Debug)]
pub struct RuleSet {
    rules: Vec<Rule>,
    labels: Vec<Label>,
    hash: String,
    version: String,
}

impl RuleSet {
    /// The rules, in load order (built-in files first, then user files in order given).
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// Every label a rule in this set may produce, plus declared ones, sorted.
    pub fn labels(&self) -> &[Label] {
        &self.labels
    }

    /// SHA-256 (hex) over the loaded files' names and contents, in load order: two runs
    /// with the same hash used the same rules.
    pub fn hash(&self) -> &str {
        &self.hash
    }

    /// `builtin-<crate version>`, with `+N` user files when any were added.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The rule with this id, if loaded.
    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id.as_str() == id)
    }

    /// Keeps only the rules for which `keep` is true (e.g. a label filter). The hash
    /// and version still name the files loaded; the report lists the rule ids kept.
    pub fn retain(&mut self, keep: impl FnMut(&Rule) -> bool) {
        self.rules.retain(keep);
        self.labels = labels_of(&self.rules);
    }
}
