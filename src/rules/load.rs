//! Parsing and compiling rule files. Strict: every problem is an [`Error`] naming the file
//! and, when it is about one rule, the rule id.

use super::{DEFAULT_PRIORITY, FileSyntax, Rule, RuleSet, RuleSyntax, Strategy};
use crate::error::{Error, Result};
use crate::labels::{BUILTIN_LABELS, Label};
use crate::scan::shape::DigitShape;
use crate::span::RuleId;
use crate::validate::Validator;
use regex_automata::{meta, util::syntax};
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::path::Path;

/// Largest compiled NFA a single rule may have. A rule bigger than this is almost always a
/// mistake (a huge counted repetition); the limit keeps loading fast and memory bounded.
const NFA_SIZE_LIMIT: usize = 4 << 20;

/// The syntax every rule is compiled with: ASCII semantics for `\d`, `\w`, `\b` (Unicode
/// classes make the lazy DFA give up on non-ASCII text and cost ~70x), and byte-oriented
/// matching so that `[\x80-\xFF]` can stand for "any non-ASCII byte" (IDN domains).
pub(crate) fn syntax_config() -> syntax::Config {
    syntax::Config::new().unicode(false).utf8(false)
}

/// The engine configuration shared by single rules and the combined window set.
pub(crate) fn meta_config() -> meta::Config {
    meta::Config::new()
        .utf8_empty(false)
        .nfa_size_limit(Some(NFA_SIZE_LIMIT))
}

/// One rule file's name (as errors and the report show it) and its text.
#[derive(Clone, Debug)]
pub struct Source {
    /// `patterns/contact.toml` for built-ins, the path as given for user files.
    pub name: String,
    /// The TOML text.
    pub text: String,
}

impl Source {
    /// Reads a user's rule file from disk.
    ///
    /// # Errors
    /// An I/O error naming the path.
    pub fn read(path: &Path) -> Result<Source> {
        let text =
            std::fs::read_to_string(path).map_err(|e| Error::io(Some(path.to_owned()), e))?;
        Ok(Source {
            name: path.display().to_string(),
            text,
        })
    }
}

/// Loads the built-in rule files, compiled into the binary.
///
/// # Errors
/// Only if a built-in file is broken, which the test suite rules out.
pub fn load_builtin() -> Result<RuleSet> {
    load(&[])
}

/// Loads the built-in rules followed by `extra` user files, in order.
///
/// # Errors
/// The first problem found, naming the file and rule id: a TOML syntax error, an unknown
/// field, a duplicate id, an unknown label or validator, a regex that does not compile or
/// can match the empty string, a rule without both example lists.
pub fn load(extra: &[Source]) -> Result<RuleSet> {
    let mut sources: Vec<Source> = super::BUILTIN_FILES
        .iter()
        .map(|(name, text)| Source {
            name: format!("patterns/{name}"),
            text: (*text).to_owned(),
        })
        .collect();
    sources.extend_from_slice(extra);
    load_sources(&sources, extra.len())
}

/// Loads exactly these files (no built-ins), e.g. for `shardscrub rules test FILE`.
///
/// # Errors
/// As [`load`].
pub fn load_only(sources: &[Source]) -> Result<RuleSet> {
    load_sources(sources, sources.len())
}

fn load_sources(sources: &[Source], user_files: usize) -> Result<RuleSet> {
    let mut known: HashSet<Label> = BUILTIN_LABELS
        .iter()
        .map(|n| Label::new(n).expect("built-in label names are valid"))
        .collect();
    let mut ids = HashSet::new();
    let mut rules = Vec::new();
    let mut hasher = Sha256::new();
    // Every file is parsed first: a word list may be used by a rule of any file.
    let mut files = Vec::with_capacity(sources.len());
    let mut words = WordLists::default();
    let mut fragments = Fragments::default();
    for src in sources {
        hasher.update(src.name.as_bytes());
        hasher.update([0]);
        hasher.update(src.text.as_bytes());
        hasher.update([0]);
        let mut file: FileSyntax = toml::from_str(&src.text)
            .map_err(|e| Error::rules(&src.name, None, one_line(&e.to_string())))?;
        for (name, list) in std::mem::take(&mut file.words) {
            words.define(&src.name, name, list)?;
        }
        for (name, piece) in std::mem::take(&mut file.fragments) {
            fragments.define(&src.name, name, piece)?;
        }
        files.push(file);
    }
    for (src, file) in sources.iter().zip(files) {
        for name in &file.labels {
            let label = Label::new(name).ok_or_else(|| {
                Error::rules(
                    &src.name,
                    None,
                    format!("{name:?} is not a label name (A-Z, 0-9, _)"),
                )
            })?;
            known.insert(label);
        }
        for mut syn in file.rules {
            let expand = |list: &mut Vec<String>| {
                words
                    .expand(list)
                    .map_err(|e| Error::rules(&src.name, Some(&syn.id), e))
            };
            syn.context = expand(&mut syn.context)?;
            syn.context_weak = expand(&mut syn.context_weak)?;
            syn.exclude_before = expand(&mut syn.exclude_before)?;
            syn.exclude_after = expand(&mut syn.exclude_after)?;
            syn.exclude_inside = expand(&mut syn.exclude_inside)?;
            syn.value_first_word = expand(&mut syn.value_first_word)?;
            syn.regex = fragments
                .expand(&syn.regex)
                .map_err(|e| Error::rules(&src.name, Some(&syn.id), e))?;
            let rule = compile(&src.name, syn, &known)?;
            if !ids.insert(rule.id) {
                return Err(Error::rules(
                    &src.name,
                    Some(rule.id.as_str()),
                    "duplicate rule id (ids are unique across all loaded files)",
                ));
            }
            rules.push(rule);
        }
    }
    let labels = super::labels_of(&rules);
    let version = match user_files {
        0 => format!("builtin-{}", env!("CARGO_PKG_VERSION")),
        n if n == sources.len() => format!("user-{n}"),
        n => format!("builtin-{}+{n}", env!("CARGO_PKG_VERSION")),
    };
    Ok(RuleSet {
        rules,
        labels,
        hash: crate::checksum::hex(&hasher.finalize()),
        version,
    })
}

/// The `[words]` lists of every loaded file, by name.
#[derive(Default)]
struct WordLists(std::collections::HashMap<String, Vec<String>>);

impl WordLists {
    /// Adds a list; a name is defined once across all files.
    fn define(&mut self, file: &str, name: String, list: Vec<String>) -> Result<()> {
        let bad = |reason: String| Err(Error::rules(file, None, reason));
        if !is_snake_case(&name) {
            return bad(format!("word list name {name:?} must be snake_case"));
        }
        if list.is_empty()
            || list
                .iter()
                .any(|w| w.trim().is_empty() || w.starts_with('@'))
        {
            return bad(format!(
                "word list {name:?} must hold words (not empty, no `@name` inside)"
            ));
        }
        if self.0.contains_key(&name) {
            return bad(format!(
                "word list {name:?} is defined twice (names are unique across all loaded files)"
            ));
        }
        self.0.insert(name, list);
        Ok(())
    }

    /// `list` with every `@name` replaced by the words of that list, duplicates removed
    /// (first occurrence kept).
    fn expand(&self, list: &mut Vec<String>) -> std::result::Result<Vec<String>, String> {
        let mut out: Vec<String> = Vec::with_capacity(list.len());
        // Lists run to thousands of words (first names): duplicates are found by hash.
        let mut seen: HashSet<String> = HashSet::new();
        for w in list.drain(..) {
            let words = match w.strip_prefix('@') {
                Some(name) => self
                    .0
                    .get(name)
                    .ok_or_else(|| format!("unknown word list @{name} (define it under [words])"))?
                    .clone(),
                None => vec![w],
            };
            for w in words {
                if seen.insert(w.clone()) {
                    out.push(w);
                }
            }
        }
        Ok(out)
    }
}

/// The `[fragments]` of every loaded file, by name.
#[derive(Default)]
struct Fragments(std::collections::HashMap<String, String>);

impl Fragments {
    /// Adds a fragment; a name is defined once across all files.
    fn define(&mut self, file: &str, name: String, piece: String) -> Result<()> {
        let bad = |reason: String| Err(Error::rules(file, None, reason));
        if !is_snake_case(&name) {
            return bad(format!("fragment name {name:?} must be snake_case"));
        }
        if piece.trim().is_empty() || piece.contains("@{") {
            return bad(format!(
                "fragment {name:?} must hold a regex (not empty, no `@{{name}}` inside)"
            ));
        }
        if self.0.insert(name.clone(), piece).is_some() {
            return bad(format!(
                "fragment {name:?} is defined twice (names are unique across all loaded files)"
            ));
        }
        Ok(())
    }

    /// `regex` with every `@{name}` replaced by `(?:fragment)`.
    fn expand(&self, regex: &str) -> std::result::Result<String, String> {
        let mut out = String::with_capacity(regex.len());
        let mut rest = regex;
        while let Some(at) = rest.find("@{") {
            out.push_str(&rest[..at]);
            let tail = &rest[at + 2..];
            let end = tail
                .find('}')
                .ok_or_else(|| "`@{` without a closing `}` in the regex".to_owned())?;
            let name = &tail[..end];
            let piece = self.0.get(name).ok_or_else(|| {
                format!("unknown fragment @{{{name}}} (define it under [fragments])")
            })?;
            out.push_str("(?:");
            out.push_str(piece);
            out.push(')');
            rest = &tail[end + 1..];
        }
        out.push_str(rest);
        Ok(out)
    }
}

/// TOML errors span several lines with a caret diagram; keep the first line's message
/// and the location so the error fits on one line.
fn one_line(msg: &str) -> String {
    msg.lines()
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('|'))
        .collect::<Vec<_>>()
        .join(" ")
}

fn is_snake_case(id: &str) -> bool {
    let b = id.as_bytes();
    !b.is_empty()
        && b[0].is_ascii_lowercase()
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'_')
}

/// Compiles one rule's regex with the shared configuration.
pub(crate) fn compile_regex(pattern: &str) -> std::result::Result<meta::Regex, String> {
    meta::Regex::builder()
        .syntax(syntax_config())
        .configure(meta_config())
        .build(pattern)
        .map_err(|e| format!("regex does not compile: {}", one_line(&e.to_string())))
}

fn compile(file: &str, syn: RuleSyntax, known: &HashSet<Label>) -> Result<Rule> {
    let id = syn.id.as_str();
    let err = |reason: String| Error::rules(file, Some(id), reason);
    if !is_snake_case(id) {
        return Err(err("rule id must be snake_case (a-z, 0-9, _)".into()));
    }
    let label = Label::new(&syn.label)
        .filter(|l| known.contains(l))
        .ok_or_else(|| {
            err(format!(
                "unknown label {:?}; use a built-in label or declare it in `labels = [...]`",
                syn.label
            ))
        })?;
    let regex = compile_regex(&syn.regex).map_err(err)?;
    // Parsed again with the engine's syntax, for the pattern's length bounds and where its
    // digits can sit (the digit windows' reach).
    let hir = syntax::parse_with(&syn.regex, &syntax_config()).map_err(|e| {
        err(format!(
            "regex does not parse: {}",
            one_line(&e.to_string())
        ))
    })?;
    let props = hir.properties();
    if props.minimum_len() == Some(0) {
        return Err(err("regex can match the empty string".into()));
    }
    let value_group = regex
        .group_info()
        .to_index(regex_automata::PatternID::ZERO, "value");
    let validator = syn
        .validator
        .as_deref()
        .map(Validator::parse)
        .transpose()
        .map_err(err)?;
    let (Some(must_match), Some(must_not_match)) = (syn.must_match, syn.must_not_match) else {
        return Err(err(
            "a rule needs both `must_match` and `must_not_match` examples".into(),
        ));
    };
    if must_match.is_empty() || must_not_match.is_empty() {
        return Err(err(
            "`must_match` and `must_not_match` must not be empty".into()
        ));
    }
    if syn.triggers.iter().any(String::is_empty) {
        return Err(err("a trigger must not be empty".into()));
    }
    if syn.context_required && syn.context.is_empty() && syn.context_weak.is_empty() {
        return Err(err("`context_required = true` needs `context` words".into()));
    }
    if syn
        .context_window
        .is_some_and(|w| !(8..=crate::scan::CONTEXT_WINDOW).contains(&w))
    {
        return Err(err(format!(
            "`context_window` must be 8 to {} bytes",
            crate::scan::CONTEXT_WINDOW
        )));
    }
    let strategy = match (syn.triggers.is_empty(), syn.windows.as_deref()) {
        (false, None) => Strategy::Triggered,
        (false, Some(_)) => {
            return Err(err(
                "`windows` is for rules without triggers; a triggered rule runs around its triggers"
                    .into(),
            ));
        }
        (true, None | Some("digits")) => Strategy::Digits,
        (true, Some("tokens")) => Strategy::Tokens,
        (true, Some("names")) => Strategy::Names,
        (true, Some("all")) => Strategy::All,
        (true, Some(other)) => {
            return Err(err(format!(
                "unknown `windows` value {other:?}; use \"digits\", \"tokens\", \"names\" or \"all\""
            )));
        }
    };
    let value_reach = value_reach(&hir);
    if strategy == Strategy::Names && value_reach.is_none() {
        return Err(err(
            "a rule with `windows = \"names\"` needs a bounded regex whose `value` group stands at its top level"
                .into(),
        ));
    }
    Ok(Rule {
        id: RuleId::new(id),
        label,
        description: syn.description,
        pattern: syn.regex,
        triggers: syn.triggers,
        validator,
        validator_spec: syn.validator,
        context: syn.context,
        context_required: syn.context_required,
        context_weak: syn.context_weak,
        context_window: syn.context_window,
        exclude_before: syn.exclude_before,
        exclude_after: syn.exclude_after,
        exclude_inside: syn.exclude_inside,
        value_first_word: syn.value_first_word.into_iter().collect(),
        priority: syn.priority.unwrap_or(DEFAULT_PRIORITY),
        strategy,
        must_match,
        must_not_match,
        source: file.to_owned(),
        regex,
        value_group,
        max_len: props.maximum_len(),
        digit_shape: DigitShape::of(&hir),
        value_reach,
    })
}

/// The most bytes a match of `hir` reaches before the start of its `value` group, and
/// after the group's end, when the group stands at the top level of the pattern (the
/// whole pattern, or one piece of its top-level concatenation) and every piece is
/// bounded. Without a `value` group the value is the whole match.
fn value_reach(hir: &regex_syntax::hir::Hir) -> Option<(usize, usize)> {
    use regex_syntax::hir::HirKind;
    let is_value = |h: &regex_syntax::hir::Hir| matches!(h.kind(), HirKind::Capture(c) if c.name.as_deref() == Some("value"));
    let pieces: &[regex_syntax::hir::Hir] = match hir.kind() {
        HirKind::Concat(pieces) => pieces,
        _ => std::slice::from_ref(hir),
    };
    let sum = |ps: &[regex_syntax::hir::Hir]| {
        ps.iter()
            .try_fold(0usize, |n, p| Some(n + p.properties().maximum_len()?))
    };
    match pieces.iter().position(is_value) {
        Some(k) => Some((sum(&pieces[..k])?, sum(&pieces[k + 1..])?)),
        None if hir.properties().explicit_captures_len() == 0 => {
            hir.properties().maximum_len()?;
            Some((0, 0))
        }
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_text(text: &str) -> Result<RuleSet> {
        load_only(&[Source {
            name: "my.toml".into(),
            text: text.into(),
        }])
    }

    const GOOD: &str = r#"
[[rule]]
id = "ticket"
label = "SECRET"
description = "t"
regex = 'TCK-[0-9]{6}'
triggers = ["TCK-"]
must_match = ["TCK-123456"]
must_not_match = ["TCK-12"]
"#;

    #[test]
    fn loads_a_good_file() {
        let set = load_text(GOOD).unwrap();
        assert_eq!(set.rules().len(), 1);
        assert_eq!(set.rules()[0].strategy, Strategy::Triggered);
        assert_eq!(set.version(), "user-1");
        assert_eq!(set.hash().len(), 64);
    }

    #[test]
    fn every_problem_names_file_and_rule() {
        let cases = [
            (
                GOOD.replace("priority", "x")
                    .replace("description", "descr"),
                "unknown field",
            ),
            (format!("{GOOD}{GOOD}"), "duplicate rule id"),
            (GOOD.replace("SECRET", "NOPE"), "unknown label"),
            (
                GOOD.replace("must_not_match = [\"TCK-12\"]", ""),
                "both `must_match` and `must_not_match`",
            ),
            (
                GOOD.replace("TCK-[0-9]{6}", "TCK-[0-9"),
                "regex does not compile",
            ),
            (GOOD.replace("TCK-[0-9]{6}", "[0-9]*"), "empty string"),
            (
                GOOD.replace(
                    "description = \"t\"",
                    "description = \"t\"\nvalidator = \"lunh\"",
                ),
                "unknown validator",
            ),
            (GOOD.replace("ticket", "Ticket"), "snake_case"),
        ];
        for (text, want) in cases {
            let e = load_text(&text).unwrap_err().to_string();
            assert!(e.starts_with("my.toml"), "{e}");
            assert!(e.contains(want), "wanted {want:?} in {e}");
        }
        let e = load_text(&GOOD.replace("SECRET", "NOPE"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("rule ticket"), "{e}");
    }

    #[test]
    fn fragments_expand_across_files_and_unknown_ones_are_errors() {
        let frags = Source {
            name: "frags.toml".into(),
            text: "[fragments]\nnum = '''[0-9]{4,8}'''\n".into(),
        };
        let rule = |regex: &str| Source {
            name: "my.toml".into(),
            text: format!(
                "[[rule]]\nid = \"tck\"\nlabel = \"SECRET\"\ndescription = \"d\"\nregex = '''{regex}'''\ntriggers = [\"TCK-\"]\nmust_match = [\"TCK-1234\"]\nmust_not_match = [\"TCK-12\"]\n"
            ),
        };
        let set = load_only(&[frags.clone(), rule("TCK-@{num}\\b")]).unwrap();
        assert_eq!(set.rules()[0].pattern, "TCK-(?:[0-9]{4,8})\\b");
        let e = load_only(&[frags.clone(), rule("TCK-@{nope}")])
            .unwrap_err()
            .to_string();
        assert!(e.contains("unknown fragment @{nope}"), "{e}");
        let e = load_only(&[frags.clone(), frags]).unwrap_err().to_string();
        assert!(e.contains("defined twice"), "{e}");
    }

    #[test]
    fn word_lists_expand_across_files_and_unknown_ones_are_errors() {
        let words = Source {
            name: "words.toml".into(),
            text: "[words]\nticket = [\"ticket\", \"case no\"]\n".into(),
        };
        let rule = Source {
            name: "my.toml".into(),
            text: GOOD.replace(
                "triggers = [\"TCK-\"]",
                "triggers = [\"TCK-\"]\ncontext = [\"@ticket\", \"ticket\", \"incident\"]\nexclude_before = [\"@ticket\"]",
            ),
        };
        let set = load_only(&[words.clone(), rule.clone()]).unwrap();
        assert_eq!(set.rules()[0].context, ["ticket", "case no", "incident"]);
        assert_eq!(set.rules()[0].exclude_before, ["ticket", "case no"]);
        let e = load_only(&[rule]).unwrap_err().to_string();
        assert!(e.contains("unknown word list @ticket"), "{e}");
        let e = load_only(&[words.clone(), words]).unwrap_err().to_string();
        assert!(e.contains("defined twice"), "{e}");
        let e = load_text(&GOOD.replace(
            "triggers = [\"TCK-\"]",
            "triggers = [\"TCK-\"]\ncontext_window = 200",
        ))
        .unwrap_err()
        .to_string();
        assert!(e.contains("context_window"), "{e}");
    }

    #[test]
    fn declared_labels_are_accepted() {
        let text = format!(
            "labels = [\"TICKET\"]\n{}",
            GOOD.replace("SECRET", "TICKET")
        );
        assert!(load_text(&text).is_ok());
    }
}
