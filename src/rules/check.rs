//! The rule self-check behind `cargo test` and `shardscrub rules test`.
//!
//! Every example of every rule runs twice:
//! - through the **rule alone** (its regex over the whole text, validator, context, allow
//!   list, placeholder guard), which tests the rule itself;
//! - through the **whole engine** (triggers, windows, every rule, resolution), which
//!   catches a trigger missing from the example, a window that does not cover it, or
//!   another label's rule taking over the span.
//!
//! `must_match` passes when the rule alone finds something (or exactly `redacts`) and
//! the engine reports an overlapping finding with the rule's label (exactly `redacts`,
//! if given). Another rule of the same label may win the span in the engine: for the
//! user the placeholder is the same. `must_not_match` passes when neither run finds
//! anything with the rule's label.
//!
//! Lints: each `must_match` holds one of the rule's triggers; built-in rules have at
//! least [`MIN_EXAMPLES`] of each kind and their own `<LABEL>` among `must_not_match`;
//! no placeholder of any style is detected by any rule.
//!
//! All failures are collected, not just the first. `SHARDSCRUB_RULE=id` limits a run to
//! the rules whose id contains `id`.

use super::Rule;
use crate::scan::Scanner;
use crate::span::Span;
use std::fmt;

/// Examples of each kind a built-in rule must have.
pub const MIN_EXAMPLES: usize = 3;

/// One failed check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// The rule file.
    pub file: String,
    /// The rule id (or `placeholders`).
    pub rule: String,
    /// What failed, without quoting more than the example itself.
    pub what: String,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.file, self.rule, self.what)
    }
}

/// What a check run did.
#[derive(Clone, Debug, Default)]
pub struct CheckReport {
    /// Rules checked.
    pub rules: usize,
    /// Examples run (each twice).
    pub examples: usize,
    /// Everything that failed.
    pub failures: Vec<Failure>,
}

/// Which rules to check and how strictly.
#[derive(Clone, Debug, Default)]
pub struct CheckOptions {
    /// Only rules loaded from these files (by name); all rules when `None`.
    pub files: Option<Vec<String>>,
    /// Only rules whose id contains this text (`SHARDSCRUB_RULE`).
    pub rule_filter: Option<String>,
}

impl CheckOptions {
    /// All rules, filtered by the `SHARDSCRUB_RULE` environment variable if it is set.
    pub fn from_env() -> CheckOptions {
        CheckOptions {
            files: None,
            rule_filter: std::env::var("SHARDSCRUB_RULE")
                .ok()
                .filter(|s| !s.is_empty()),
        }
    }
}

/// Runs every selected example through `scanner` (which must hold all rules the
/// examples can meet, built-in ones included) and collects the failures.
pub fn check(scanner: &Scanner, opts: &CheckOptions) -> CheckReport {
    let mut report = CheckReport::default();
    let mut scratch = scanner.scratch();
    for (idx, rule) in scanner.rules().rules().iter().enumerate() {
        if opts
            .files
            .as_ref()
            .is_some_and(|f| !f.contains(&rule.source))
            || opts
                .rule_filter
                .as_ref()
                .is_some_and(|f| !rule.id.as_str().contains(f.as_str()))
        {
            continue;
        }
        report.rules += 1;
        let mut fail = |what: String| {
            report.failures.push(Failure {
                file: rule.source.clone(),
                rule: rule.id.to_string(),
                what,
            });
        };
        lint(rule, &mut fail);
        for (i, ex) in rule.must_match.iter().enumerate() {
            let text = ex.text();
            let alone = scanner.scan_rule_alone(idx, text, &mut scratch);
            let engine = engine_spans(scanner, &mut scratch, text, rule.label);
            let at = format!("must_match[{i}] {text:?}");
            match ex.redacts() {
                Some(want) => {
                    let Some(pos) = text.find(want) else {
                        fail(format!("{at}: `redacts` {want:?} is not part of the text"));
                        continue;
                    };
                    let want = Span::new(pos, pos + want.len());
                    if !alone.contains(&want) {
                        fail(format!(
                            "{at}: rule alone: expected {:?} redacted, found {}",
                            &text[want.range()],
                            show(text, &alone)
                        ));
                    }
                    if !engine.contains(&want) {
                        fail(format!(
                            "{at}: engine: expected {:?} redacted, found {}",
                            &text[want.range()],
                            show(text, &engine)
                        ));
                    }
                }
                None => {
                    if alone.is_empty() {
                        fail(format!("{at}: rule alone: found nothing"));
                    } else if !engine.iter().any(|e| alone.iter().any(|a| a.overlaps(*e))) {
                        fail(format!(
                            "{at}: engine: found {} where the rule alone found {}",
                            show(text, &engine),
                            show(text, &alone)
                        ));
                    }
                }
            }
        }
        for (i, text) in rule.must_not_match.iter().enumerate() {
            let alone = scanner.scan_rule_alone(idx, text, &mut scratch);
            let engine = engine_spans(scanner, &mut scratch, text, rule.label);
            let at = format!("must_not_match[{i}] {text:?}");
            if !alone.is_empty() {
                fail(format!("{at}: rule alone found {}", show(text, &alone)));
            }
            if !engine.is_empty() {
                fail(format!(
                    "{at}: engine found {} with label {}",
                    show(text, &engine),
                    rule.label
                ));
            }
        }
        report.examples += rule.must_match.len() + rule.must_not_match.len();
    }
    if opts.rule_filter.is_none() {
        check_placeholders(scanner, &mut scratch, &mut report);
    }
    report
}

/// The spans of the whole engine's findings in `text` that carry `label`.
fn engine_spans(
    scanner: &Scanner,
    scratch: &mut crate::scan::Scratch,
    text: &str,
    label: crate::labels::Label,
) -> Vec<Span> {
    scanner
        .scan(text, scratch)
        .iter()
        .filter(|f| f.label == label)
        .map(|f| f.span())
        .collect()
}

fn lint(rule: &Rule, fail: &mut impl FnMut(String)) {
    if !rule.triggers.is_empty() {
        for (i, ex) in rule.must_match.iter().enumerate() {
            if !rule.triggers.iter().any(|t| ex.text().contains(t.as_str())) {
                fail(format!(
                    "must_match[{i}] holds none of the triggers {:?}",
                    rule.triggers
                ));
            }
        }
    }
    if rule.source.starts_with("patterns/") {
        if rule.must_match.len() < MIN_EXAMPLES || rule.must_not_match.len() < MIN_EXAMPLES {
            fail(format!(
                "a built-in rule needs at least {MIN_EXAMPLES} must_match and {MIN_EXAMPLES} must_not_match examples (has {} and {})",
                rule.must_match.len(),
                rule.must_not_match.len()
            ));
        }
        let own = format!("<{}>", rule.label);
        if !rule.must_not_match.iter().any(|t| t.contains(&own)) {
            fail(format!(
                "must_not_match lacks the rule's own placeholder {own}"
            ));
        }
    }
}

/// No placeholder of any style, alone or in a sentence, may be detected.
fn check_placeholders(
    scanner: &Scanner,
    scratch: &mut crate::scan::Scratch,
    report: &mut CheckReport,
) {
    for label in scanner.rules().labels() {
        for text in [
            format!("<{label}>"),
            format!("<{label}_1>"),
            format!("<{label}_27>"),
            format!("<{label}:9f2c1a7b04d3e5f6>"),
            format!("sent to <{label}> and <{label}_2>, <{label}:0123456789abcdef>."),
        ] {
            let found = scanner.scan(&text, scratch);
            if !found.is_empty() {
                report.failures.push(Failure {
                    file: "(engine)".into(),
                    rule: "placeholders".into(),
                    what: format!("{text:?}: placeholder detected by rule {}", found[0].rule),
                });
            }
        }
    }
}

fn show(text: &str, spans: &[Span]) -> String {
    if spans.is_empty() {
        return "nothing".into();
    }
    let parts: Vec<String> = spans
        .iter()
        .map(|s| format!("{:?}", &text[s.range()]))
        .collect();
    parts.join(", ")
}
