//! The scanner: from a document's text to its findings.
//!
//! A [`Scanner`] is compiled once from a [`RuleSet`] and options, is `Send + Sync`, and is
//! shared by all threads; each thread brings its own [`Scratch`]. For one document:
//!
//! 1. **Triggers.** One aho-corasick automaton holds every literal trigger of every
//!    triggered rule. Each occurrence opens a window for its rule, as wide as the
//!    longest match the rule's regex can produce on each side, and the rule's regex runs
//!    only there. Text with no trigger costs one aho-corasick pass.
//! 2. **Digit windows.** Rules without triggers (numbers of all kinds) share one
//!    multi-pattern lazy DFA, run only inside windows around runs of digits, as wide as
//!    those rules' matches can reach around their digits (see [`windows`], [`shape`]);
//!    the rules whose pattern matched in a window then run alone in that window to give
//!    their own spans, so one rule never hides another's candidate.
//! 3. **Token windows and whole documents** for the few rules that need them.
//! 4. **Confirmation** of each candidate: the `value` group, the validator (which may
//!    trim it), widening to character boundaries, context words, the allow list, and
//!    rejection of anything touching one of our own placeholders (idempotence).
//! 5. **Deny lists** add their literals.
//! 6. **Resolution** to one span per byte ([`resolve`]).
//!
//! All searches are regex-automata searches with a `range` inside the whole document, so
//! `\b` at a window's edge sees the real neighbouring byte. Every engine used is linear
//! in the input; nothing backtracks.

mod gate;
pub mod names;
pub mod resolve;
pub mod shape;
mod shared;
mod table;
pub mod windows;

use crate::Label;
use crate::dict::{AllowList, DenyList};
use crate::error::{Error, Result};
use crate::rewrite::Template;
use crate::rules::{Rule, RuleSet, Strategy};
use crate::span::{Finding, RuleId, Span};
use crate::validate::{ValidateOptions, Validator};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex_automata::util::captures::Captures;
use regex_automata::{Input, meta};
use resolve::Candidate;

/// Bytes on each side of a match in which a rule's context words are looked for.
pub const CONTEXT_WINDOW: usize = 64;
/// Bytes before or after a match in which its rule's exclusion words are looked for (on
/// the same line).
pub const EXCLUDE_WINDOW: usize = 40;
/// Priority added to a candidate with a context word nearby.
pub const CONTEXT_BONUS: i32 = 10;
/// Longest match of a rule whose search resumes one byte after each match start.
pub const RETRY_MAX_LEN: usize = 1024;
/// Priority of deny-list findings: a user's explicit list wins over the rules.
pub const DENY_PRIORITY: i32 = 100;

/// What the scanner needs besides the rules.
#[derive(Clone, Debug, Default)]
pub struct ScanOptions {
    /// Validator options (private IP ranges).
    pub validate: ValidateOptions,
    /// Values kept as they are.
    pub allow: AllowList,
    /// Literals always reported.
    pub deny: Vec<DenyList>,
    /// The placeholder template: candidates touching a placeholder are dropped, so
    /// redacting twice changes nothing.
    pub placeholder: Template,
    /// Report only findings with these labels (`None`: all). Every rule still runs and
    /// takes part in resolution, so that a value another rule claims (a card number)
    /// is not reported under a label that would lose to it (its digits as a phone).
    pub report: Option<Vec<Label>>,
}

/// The compiled engine. Build once, share across threads, give each thread a [`Scratch`].
#[derive(Debug)]
pub struct Scanner {
    rules: RuleSet,
    triggers: Option<AhoCorasick>,
    /// aho-corasick pattern index -> the rules it fires.
    trigger_rules: Vec<Vec<usize>>,
    /// Triggers of one or two bytes, each searched on its own, with the rules they fire.
    short_triggers: Vec<(memchr::memmem::Finder<'static>, Vec<usize>)>,
    /// Per rule: the longest match its regex can produce (`None`: unbounded).
    reach: Vec<Option<usize>>,
    /// The number rules, one shared pass per digit window ([`shared`]).
    digit_pass: Option<shared::SharedPass>,
    /// Number rules gated by their context words: shapes so loose (any grouping of
    /// digits) that they would match in almost every window, whose words must stand
    /// within `context_window` of the match. They run only in windows with one of
    /// their words nearby, outside the shared set so that its quick rejection of
    /// windows stays quick.
    gated_rules: Vec<usize>,
    /// The gated rules' words, and the stretches of a window where they may match.
    gate: Option<gate::Gate>,
    /// How far digit windows reach around their digits: as far as the digit rules'
    /// matches can.
    digit_reach: windows::DigitReach,
    token_rules: Vec<usize>,
    /// Name-window rules that take any name ([`names`]): one shared pass per name
    /// window, as the digit rules.
    name_pass: Option<shared::SharedPass>,
    /// How far name windows reach before a name's first token and after the name, over
    /// the rules of `name_pass`.
    name_reach: (usize, usize),
    /// Name-window rules whose value must start with a listed word: their windows open
    /// only where the first token is one. Grouped by word list, so that a token is
    /// looked up once per list (the prose and key-value rules share `@first_names`).
    name_word_rules: Vec<Vec<usize>>,
    all_rules: Vec<usize>,
    contexts: Vec<Option<AhoCorasick>>,
    /// Per rule: its generic context words.
    weak_contexts: Vec<Option<AhoCorasick>>,
    /// Per rule: its exclusion words (before, after and inside ones).
    excludes: Vec<Option<Exclusions>>,
    /// Every rule's context words together, to find a word naming another kind of
    /// value between a candidate and its own context word.
    all_context: Option<AhoCorasick>,
    allow: AllowList,
    deny: Vec<DenyList>,
    /// Rule id of deny-list findings, interned once (interning takes a global lock).
    deny_rule: RuleId,
    guard: meta::Regex,
    validate: ValidateOptions,
    report: Option<Vec<Label>>,
}

/// Per-thread working memory of a [`Scanner`]: regex caches and buffers, reused from one
/// document to the next so that scanning allocates nothing in the steady state.
#[derive(Debug)]
pub struct Scratch {
    caches: Vec<meta::Cache>,
    caps: Vec<Captures>,
    digit_cache: Option<shared::PassCache>,
    rule_windows: Vec<Vec<Span>>,
    touched: Vec<usize>,
    digit_windows: Vec<Span>,
    /// Per gated rule: a word of it is near the current stretch.
    gate_open: Vec<bool>,
    token_windows: Vec<Span>,
    /// Where a capitalised word starts right after a space (for name windows).
    capitals: Vec<usize>,
    name_windows: Vec<Span>,
    name_cache: Option<shared::PassCache>,
    cands: Vec<Candidate>,
    guard_cache: meta::Cache,
    placeholders: Option<Vec<Span>>,
    /// The document's line starts, for table headers.
    lines: table::Lines,
    findings: Vec<Finding>,
    /// Values a rule confirmed but the allow list kept, with their labels (distinct
    /// spans, none inside a finding), for the report's "kept by allow lists" counts.
    allowed: Vec<(Span, Label)>,
}

impl Scratch {
    /// The findings of the last [`Scanner::scan`] (what it returned).
    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }

    /// The labels of the values the last [`Scanner::scan`] left alone because they are
    /// on the allow list, one per distinct value.
    pub fn allowed(&self) -> impl Iterator<Item = Label> + '_ {
        self.allowed.iter().map(|&(_, label)| label)
    }
}

impl Scanner {
    /// Compiles a scanner.
    ///
    /// # Errors
    /// When the placeholder text makes an invalid guard pattern or the combined rule
    /// set exceeds the regex size limits.
    pub fn new(rules: RuleSet, opts: ScanOptions) -> Result<Scanner> {
        let n = rules.rules().len();
        let mut literals: Vec<&str> = Vec::new();
        let mut trigger_owner = Vec::new();
        let mut digit_rules = Vec::new();
        let mut gated_rules = Vec::new();
        let mut token_rules = Vec::new();
        let mut name_rules = Vec::new();
        let mut name_word_rules: Vec<Vec<usize>> = Vec::new();
        let mut all_rules = Vec::new();
        let mut contexts = Vec::with_capacity(n);
        let mut excludes = Vec::with_capacity(n);
        let mut weak_contexts = Vec::with_capacity(n);
        for (i, rule) in rules.rules().iter().enumerate() {
            match rule.strategy {
                Strategy::Triggered => {
                    for t in &rule.triggers {
                        literals.push(t);
                        trigger_owner.push(i);
                    }
                }
                Strategy::Digits if rule.context_required && rule.context_window.is_some() => {
                    gated_rules.push(i);
                }
                Strategy::Digits => digit_rules.push(i),
                Strategy::Tokens => token_rules.push(i),
                Strategy::Names if rule.value_first_word.is_empty() => name_rules.push(i),
                Strategy::Names => {
                    let list = &rule.value_first_word;
                    let rules = rules.rules();
                    match name_word_rules
                        .iter_mut()
                        .find(|g| rules[g[0]].value_first_word == *list)
                    {
                        Some(group) => group.push(i),
                        None => name_word_rules.push(vec![i]),
                    }
                }
                Strategy::All => all_rules.push(i),
            }
            contexts.push(
                words_automaton(&rule.context).map_err(|e| rule_error(rule, &e.to_string()))?,
            );
            weak_contexts.push(
                words_automaton(&rule.context_weak)
                    .map_err(|e| rule_error(rule, &e.to_string()))?,
            );
            let all: Vec<String> = rule
                .exclude_before
                .iter()
                .chain(&rule.exclude_after)
                .chain(&rule.exclude_inside)
                .cloned()
                .collect();
            excludes.push(
                words_automaton(&all)
                    .map_err(|e| rule_error(rule, &e.to_string()))?
                    .map(|words| Exclusions {
                        words,
                        before: rule.exclude_before.len(),
                        after: rule.exclude_after.len(),
                    }),
            );
        }
        let mut words: Vec<String> = rules
            .rules()
            .iter()
            .flat_map(|r| r.context.iter().map(|w| w.to_lowercase()))
            .collect();
        words.sort();
        words.dedup();
        let all_context = words_automaton(&words)
            .map_err(|e| Error::rules("context words", None, e.to_string()))?;
        // Triggers of one or two bytes (`@`, `0x`, `SK`) each get a memchr/memmem search:
        // in an aho-corasick automaton they would disable its prefilter and make it
        // several times slower. The longer ones share one automaton, searched
        // leftmost-longest so that its prefilter applies. Each literal fires the rules of
        // every trigger it contains: a shorter trigger starting at the same byte as a
        // longer one is hidden by it.
        let mut distinct: Vec<&str> = literals.clone();
        distinct.sort_unstable();
        distinct.dedup();
        let fires = |lit: &str| -> Vec<usize> {
            let mut rs: Vec<usize> = literals
                .iter()
                .zip(&trigger_owner)
                .filter(|(t, _)| lit.contains(**t))
                .map(|(_, &r)| r)
                .collect();
            rs.sort_unstable();
            rs.dedup();
            rs
        };
        let (short, long): (Vec<&str>, Vec<&str>) = distinct.iter().partition(|l| l.len() <= 2);
        let short_triggers = short
            .iter()
            .map(|l| {
                (
                    memchr::memmem::Finder::new(l.as_bytes()).into_owned(),
                    fires(l),
                )
            })
            .collect();
        let trigger_rules: Vec<Vec<usize>> = long.iter().map(|l| fires(l)).collect();
        let triggers = if long.is_empty() {
            None
        } else {
            Some(
                AhoCorasickBuilder::new()
                    .match_kind(MatchKind::LeftmostLongest)
                    .build(&long)
                    .map_err(|e| {
                        Error::usage(format!("cannot build the trigger automaton: {e}"))
                    })?,
            )
        };
        let gate = gate::Gate::build(&rules, &gated_rules)
            .map_err(|e| Error::rules("context words", None, e.to_string()))?;
        let name_reach = name_rules.iter().fold((0, 0), |(b, a), &i| {
            let (rb, ra) = rules.rules()[i]
                .value_reach
                .expect("the loader gives name rules their reach");
            (b.max(rb), a.max(ra))
        });
        let reach = rules.rules().iter().map(Rule::max_len).collect();
        let digit_reach = windows::DigitReach::covering(
            digit_rules
                .iter()
                .chain(&gated_rules)
                .map(|&i| rules.rules()[i].digit_shape()),
        );
        let digit_pass = shared::SharedPass::build(&rules, digit_rules, "number rules")?;
        let name_pass = shared::SharedPass::build(&rules, name_rules, "name rules")?;
        let guard_src = format!(
            r"{}[A-Z][A-Z0-9_]*(?::[0-9a-f]{{16,64}})?{}",
            regex_syntax::escape(&opts.placeholder.prefix),
            regex_syntax::escape(&opts.placeholder.suffix)
        );
        let guard = crate::rules::load::compile_regex(&guard_src)
            .map_err(|e| Error::usage(format!("placeholder: {e}")))?;
        Ok(Scanner {
            rules,
            triggers,
            trigger_rules,
            short_triggers,
            reach,
            digit_pass,
            gated_rules,
            gate,
            digit_reach,
            token_rules,
            name_pass,
            name_reach,
            name_word_rules,
            all_rules,
            contexts,
            weak_contexts,
            excludes,
            all_context,
            allow: opts.allow,
            deny: opts.deny,
            deny_rule: RuleId::new("deny_list"),
            report: opts.report,
            guard,
            validate: opts.validate,
        })
    }

    /// The rules this scanner runs.
    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// How far its digit windows reach around their digits (from its number rules).
    pub fn digit_reach(&self) -> windows::DigitReach {
        self.digit_reach
    }

    /// Fresh working memory for one thread.
    pub fn scratch(&self) -> Scratch {
        let rules = self.rules.rules();
        Scratch {
            caches: rules.iter().map(|r| r.regex.create_cache()).collect(),
            caps: rules.iter().map(|r| r.regex.create_captures()).collect(),
            digit_cache: self.digit_pass.as_ref().map(shared::SharedPass::cache),
            rule_windows: vec![Vec::new(); rules.len()],
            touched: Vec::new(),
            digit_windows: Vec::new(),
            gate_open: vec![false; self.gated_rules.len()],
            token_windows: Vec::new(),
            capitals: Vec::new(),
            name_windows: Vec::new(),
            name_cache: self.name_pass.as_ref().map(shared::SharedPass::cache),
            cands: Vec::new(),
            guard_cache: self.guard.create_cache(),
            placeholders: None,
            lines: table::Lines::default(),
            findings: Vec::new(),
            allowed: Vec::new(),
        }
    }

    /// True when findings with `label` are reported (no `--labels` / `--exclude-labels`
    /// filter leaves it out).
    pub fn reports(&self, label: Label) -> bool {
        self.report.as_ref().is_none_or(|r| r.contains(&label))
    }

    /// Scans one document and returns its findings: sorted by start, non-overlapping, on
    /// character boundaries. The slice lives in `scratch` until its next use.
    pub fn scan<'s>(&self, text: &str, scratch: &'s mut Scratch) -> &'s [Finding] {
        let hay = text.as_bytes();
        scratch.cands.clear();
        scratch.allowed.clear();
        scratch.placeholders = None;
        scratch.lines.clear();
        let numbers = self.digit_pass.is_some() || !self.gated_rules.is_empty();
        let names = self.name_pass.is_some() || !self.name_word_rules.is_empty();
        if numbers || names || !self.token_rules.is_empty() {
            let Scratch {
                digit_windows,
                token_windows,
                capitals,
                ..
            } = scratch;
            windows::find(
                hay,
                numbers.then_some((digit_windows, self.digit_reach)),
                (!self.token_rules.is_empty()).then_some(token_windows),
                names.then_some(capitals),
            );
        }
        self.scan_triggered(text, scratch);
        self.scan_name_windows(text, scratch);
        self.scan_digit_windows(text, scratch);
        for &r in &self.token_rules {
            for wi in 0..scratch.token_windows.len() {
                let w = scratch.token_windows[wi];
                self.search_rule(r, text, w, scratch);
            }
        }
        for &r in &self.all_rules {
            self.search_rule(r, text, Span::new(0, hay.len()), scratch);
        }
        for deny in &self.deny {
            let cands = &mut scratch.cands;
            deny.find(hay, |span| {
                cands.push(Candidate {
                    span,
                    label: deny.label(),
                    rule: self.deny_rule,
                    priority: DENY_PRIORITY,
                });
            });
        }
        let Scratch {
            cands,
            findings,
            allowed,
            ..
        } = scratch;
        resolve::resolve(cands, findings);
        if let Some(report) = &self.report {
            findings.retain(|f| report.contains(&f.label));
            allowed.retain(|(_, label)| report.contains(label));
        }
        if !allowed.is_empty() {
            // An allowed value inside a finding (a longer match) was not kept.
            allowed.retain(|(span, _)| !findings.iter().any(|f| f.span().overlaps(*span)));
        }
        findings
    }

    /// Runs one rule alone over the whole document, with its validator, context, the
    /// allow list and the placeholder guard, but without the prefilter, the windows or
    /// the other rules. Returns the confirmed spans in order. This is the "rule alone"
    /// half of the rule self-check.
    pub fn scan_rule_alone(&self, rule: usize, text: &str, scratch: &mut Scratch) -> Vec<Span> {
        scratch.cands.clear();
        scratch.allowed.clear();
        scratch.placeholders = None;
        scratch.lines.clear();
        self.search_rule(rule, text, Span::new(0, text.len()), scratch);
        scratch.cands.iter().map(|c| c.span).collect()
    }

    fn scan_triggered(&self, text: &str, scratch: &mut Scratch) {
        let hay = text.as_bytes();
        for &r in &scratch.touched {
            scratch.rule_windows[r].clear();
        }
        scratch.touched.clear();
        for (finder, rules) in &self.short_triggers {
            for at in finder.find_iter(hay) {
                self.open_windows(
                    rules,
                    Span::new(at, at + finder.needle().len()),
                    hay.len(),
                    scratch,
                );
            }
        }
        if let Some(ac) = &self.triggers {
            // Every start position holding a trigger is visited once: after a hit, the
            // search resumes one byte after its start, so overlapping triggers are seen.
            let mut pos = 0;
            while let Some(hit) = ac.find(aho_corasick::Input::new(hay).span(pos..hay.len())) {
                let rules = &self.trigger_rules[hit.pattern().as_usize()];
                self.open_windows(rules, Span::new(hit.start(), hit.end()), hay.len(), scratch);
                pos = hit.start() + 1;
            }
        }
        self.open_name_windows(hay, scratch);
        // Rules run in rule order, whatever order their triggers were seen in.
        scratch.touched.sort_unstable();
        for ti in 0..scratch.touched.len() {
            let r = scratch.touched[ti];
            for wi in 0..scratch.rule_windows[r].len() {
                let w = scratch.rule_windows[r][wi];
                self.search_rule(r, text, w, scratch);
            }
        }
    }

    /// Opens, for each of `rules`, a window around a trigger at `hit`: as far on each
    /// side as the rule's longest match (the whole document when unbounded).
    fn open_windows(&self, rules: &[usize], hit: Span, len: usize, scratch: &mut Scratch) {
        for &r in rules {
            let w = match self.reach[r] {
                Some(n) => Span::new(hit.start.saturating_sub(n), (hit.end + n).min(len)),
                None => Span::new(0, len),
            };
            if scratch.rule_windows[r].is_empty() {
                scratch.touched.push(r);
            }
            windows::push_merged(&mut scratch.rule_windows[r], w);
        }
    }

    /// Opens the name windows (see [`names`]): around each stretch that may hold a
    /// name's first token, one shared window for the rules of `name_pass` (from as far before the
    /// stretch as their matches reach before their value to as far after the name's
    /// last possible token, [`names::name_end`], as they reach after their value) and,
    /// where a listed word is the stretch's first token, a window for each of
    /// `name_word_rules` whose list holds it.
    fn open_name_windows(&self, hay: &[u8], scratch: &mut Scratch) {
        scratch.name_windows.clear();
        if self.name_pass.is_none() && self.name_word_rules.is_empty() {
            return;
        }
        let (before, after) = self.name_reach;
        let mut last = None;
        for ci in 0..scratch.capitals.len() {
            let Some((start, end)) = names::first_token(hay, scratch.capitals[ci]) else {
                continue;
            };
            if last == Some(start) {
                continue;
            }
            last = Some(start);
            let name_end = names::name_end(hay, end);
            if self.name_pass.is_some() {
                windows::push_merged(
                    &mut scratch.name_windows,
                    Span::new(
                        start.saturating_sub(before),
                        (name_end + after).min(hay.len()),
                    ),
                );
            }
            for group in &self.name_word_rules {
                let first = &self.rules.rules()[group[0]];
                if !names::starts_listed_word(hay, start, end, |w| first.first_word_ok(w)) {
                    continue;
                }
                for &r in group {
                    let (before, after) = self.rules.rules()[r]
                        .value_reach
                        .expect("the loader gives name rules their reach");
                    let w = Span::new(
                        start.saturating_sub(before),
                        (name_end + after).min(hay.len()),
                    );
                    if scratch.rule_windows[r].is_empty() {
                        scratch.touched.push(r);
                    }
                    windows::push_merged(&mut scratch.rule_windows[r], w);
                }
            }
        }
    }

    /// Runs the shared name-window rules in each name window.
    fn scan_name_windows(&self, text: &str, scratch: &mut Scratch) {
        let Some(pass) = &self.name_pass else { return };
        for wi in 0..scratch.name_windows.len() {
            let w = scratch.name_windows[wi];
            self.run_pass(pass, |s| &mut s.name_cache, text, w, scratch);
        }
    }

    /// Runs the rules of `pass` that match in window `w` (see [`shared`]), each alone
    /// over `w`; `cache` picks the pass's caches out of `scratch`.
    fn run_pass(
        &self,
        pass: &shared::SharedPass,
        cache: fn(&mut Scratch) -> &mut Option<shared::PassCache>,
        text: &str,
        w: Span,
        scratch: &mut Scratch,
    ) {
        let made = "a pass's caches are made with it";
        if !pass.search(text.as_bytes(), w, cache(scratch).as_mut().expect(made)) {
            return;
        }
        for pi in 0..pass.rules().len() {
            if let Some(r) = pass.matched(cache(scratch).as_ref().expect(made), pi) {
                self.search_rule(r, text, w, scratch);
            }
        }
    }

    fn scan_digit_windows(&self, text: &str, scratch: &mut Scratch) {
        for wi in 0..scratch.digit_windows.len() {
            let w = scratch.digit_windows[wi];
            let from = scratch.cands.len();
            if let Some(pass) = &self.digit_pass {
                self.run_pass(pass, |s| &mut s.digit_cache, text, w, scratch);
            }
            if let Some(gate) = &self.gate {
                self.scan_gated(gate, text, w, from, scratch);
            }
        }
    }

    /// Runs the gated rules in window `w`: each in the stretches of it where one of its
    /// words is near (see [`gate`]). `scratch.cands[from..]` are the candidates found in
    /// `w` so far.
    ///
    /// A gated rule does not run in a stretch whose digits all lie in one candidate that
    /// outranks anything the rule can give (its priority with the full context bonus):
    /// each of its matches there would overlap that candidate and lose to it. (It could
    /// win only if that candidate lost to a third one that leaves the gated match free,
    /// which the shapes of the digit rules make vanishingly rare.) The stretches of a
    /// PII-dense text are mostly phone numbers and cards that the stricter rules found
    /// next to their words: the loose rules' search there was most of their cost.
    fn scan_gated(
        &self,
        gate: &gate::Gate,
        text: &str,
        w: Span,
        from: usize,
        scratch: &mut Scratch,
    ) {
        let hay = text.as_bytes();
        let mut open = std::mem::take(&mut scratch.gate_open);
        gate.stretches(hay, w, |s, digits| {
            if !gate.open(hay, s, &scratch.lines, &mut open) {
                return;
            }
            for (g, &r) in self.gated_rules.iter().enumerate() {
                if !open[g] {
                    continue;
                }
                let best = self.rules.rules()[r].priority + CONTEXT_BONUS;
                let outranked = scratch.cands[from..].iter().any(|c| {
                    c.priority > best && c.span.start <= digits.start && digits.end <= c.span.end
                });
                if !outranked {
                    self.search_rule(r, text, s, scratch);
                }
            }
        });
        scratch.gate_open = open;
    }

    /// Runs rule `r`'s regex over `w` and confirms each match.
    ///
    /// A match may hide another that starts inside it: a rejected `160 4111 1111 1111
    /// 1111` after an IP hides the card at `4111`. So the search resumes one byte after
    /// each match's start, not after its end; a match ending where the last kept one
    /// ended, starting inside its value, is a suffix of it and is skipped unconfirmed.
    /// This costs at most the rule's bounded match length per byte, so it is done only
    /// for rules whose longest match
    /// is at most [`RETRY_MAX_LEN`]; others (email, PEM keys, JWTs) resume after the
    /// match: a losing email match may hide an address that starts inside it, in text
    /// with no separator between the two, and the validators reject the same address in
    /// the second pass (tests/it/properties.rs).
    fn search_rule(&self, r: usize, text: &str, w: Span, scratch: &mut Scratch) {
        let rule = &self.rules.rules()[r];
        let retry = self.reach[r].is_some_and(|n| n <= RETRY_MAX_LEN);
        let hay = text.as_bytes();
        let mut input = Input::new(hay).range(w.range());
        // The last match that became a candidate: its end, and the end of the value it
        // gave (shorter when the validator trimmed trailing groups).
        let mut kept: Option<(usize, usize)> = None;
        while let Some(m) = rule.regex.search_with(&mut scratch.caches[r], &input) {
            // A later match with the same end that starts inside the kept value is a
            // suffix of it. One that starts after a trimmed value is not: in
            // `002130 4-0002130 4-020 0044 960960461` the first match is trimmed to
            // `002130 4-0002130`, and `0044 960960461` must still be tried.
            let suffix =
                kept.is_some_and(|(end, value_end)| end == m.end() && m.start() < value_end);
            if !suffix && let Some(value_end) = self.confirm(r, text, m.start(), m.end(), scratch) {
                kept = Some((m.end(), value_end));
            }
            let next = if retry { m.start() + 1 } else { m.end() };
            if next >= w.end {
                break;
            }
            input.set_start(next);
        }
    }

    /// Turns a regex match into a candidate and returns the end of its value, or drops it
    /// (`None`).
    fn confirm(
        &self,
        r: usize,
        text: &str,
        start: usize,
        end: usize,
        scratch: &mut Scratch,
    ) -> Option<usize> {
        let rule = &self.rules.rules()[r];
        let hay = text.as_bytes();
        let mut span = rule.value_span(
            &mut scratch.caches[r],
            &mut scratch.caps[r],
            hay,
            start,
            end,
        )?;
        if let Some(v) = rule.validator {
            span = v.check(hay, span, self.validate)?;
        }
        span = widen_to_chars(text, span);
        if rule.strategy == Strategy::Digits && !windows::opens_a_window(&hay[span.range()]) {
            // `D::` (IPv6), a codice fiscale in omocodia letters: see opens_a_window.
            return None;
        }
        // The placeholder check comes before the context check: it finds the document's
        // placeholders, which context words inside them must not count.
        let groups = rule
            .validator
            .is_some_and(Validator::reads_neighbour_groups);
        if self.touches_placeholder(hay, span, groups, scratch) {
            return None;
        }
        if let Some(ex) = &self.excludes[r] {
            let spots = scratch.placeholders.as_deref().unwrap_or(&[]);
            if ex.exclude(hay, span, spots) {
                return None;
            }
        }
        if !rule.first_word_ok(&hay[span.range()]) {
            return None;
        }
        let mut priority = rule.priority;
        let spots = scratch.placeholders.as_deref().unwrap_or(&[]);
        let near = |words: &Option<AhoCorasick>, own_words: &[String]| {
            words.as_ref().is_some_and(|own| {
                Near {
                    own,
                    own_words,
                    all: self.all_context.as_ref(),
                    placeholders: spots,
                    lines: &scratch.lines,
                    window: rule.context_window.unwrap_or(CONTEXT_WINDOW),
                    tight: rule.context_window.is_some(),
                }
                .found(hay, span)
            })
        };
        if near(&self.contexts[r], &rule.context) {
            priority += CONTEXT_BONUS;
        } else if near(&self.weak_contexts[r], &rule.context_weak) {
            priority += CONTEXT_BONUS / 2;
        } else if rule.context_required {
            return None;
        }
        // Last, so that only values the rule would have reported count as kept.
        if self.allow.allows(&hay[span.range()]) {
            if !scratch.allowed.iter().any(|(s, _)| *s == span) {
                scratch.allowed.push((span, rule.label));
            }
            return None;
        }
        scratch.cands.push(Candidate {
            span,
            label: rule.label,
            rule: rule.id,
            priority,
        });
        Some(span.end)
    }

    /// True when `span` overlaps one of our placeholders, touches it, or is joined to it
    /// by one joining byte (`.`, `-`, `/`, `:`, `,`, `@`, `_`). A validator that rejected a
    /// value for being glued to a longer token (`...::200e-81.2.69.160`) would accept it
    /// once the neighbour became a placeholder, so such values are dropped: redacting
    /// twice must change nothing. The placeholders of a document are found once, on its
    /// first candidate.
    ///
    /// With `spaced`, a placeholder one space away counts too: for validators that reject
    /// a candidate next to another digit group (`3704 0044 4532 0130 00`), that group may
    /// be part of a finding and a placeholder in a second pass, which must reject the
    /// candidate as the first pass did.
    fn touches_placeholder(
        &self,
        hay: &[u8],
        span: Span,
        spaced: bool,
        scratch: &mut Scratch,
    ) -> bool {
        let guard = &self.guard;
        let cache = &mut scratch.guard_cache;
        let spots = scratch.placeholders.get_or_insert_with(|| {
            let mut spots = Vec::new();
            let mut input = Input::new(hay);
            while let Some(m) = guard.search_with(cache, &input) {
                spots.push(Span::new(m.start(), m.end()));
                input.set_start(m.end());
            }
            spots
        });
        // Joined: only joiner bytes (at most three, `fe8::fb:-<IP_ADDRESS>`) between the
        // candidate and a placeholder; with `spaced`, one space too. An apostrophe joins
        // since email local parts may hold one (`<CREDIT_CARD>'03221033335@d.eu`).
        let joined = |gap: &[u8]| {
            (1..=3).contains(&gap.len())
                && gap
                    .iter()
                    .all(|b| matches!(b, b'.' | b'-' | b'/' | b':' | b',' | b'@' | b'_' | b'\''))
                || spaced && gap == b" "
        };
        spots.iter().any(|p| {
            (p.start <= span.end && span.start <= p.end)
                || (p.start > span.end && joined(&hay[span.end..p.start]))
                || (span.start > p.end && joined(&hay[p.end..span.start]))
        })
    }
}

/// An automaton finding context `words` in any ASCII case (`None` when there are none).
/// Leftmost-longest, so "cellulare" is seen whole rather than as "cell" followed by
/// letters (which the word-boundary test rejects).
fn words_automaton(
    words: &[String],
) -> std::result::Result<Option<AhoCorasick>, aho_corasick::BuildError> {
    if words.is_empty() {
        return Ok(None);
    }
    AhoCorasickBuilder::new()
        .match_kind(MatchKind::LeftmostLongest)
        .ascii_case_insensitive(true)
        .build(words)
        .map(Some)
}

fn rule_error(rule: &Rule, reason: &str) -> Error {
    Error::rules(&rule.source, Some(rule.id.as_str()), reason)
}

/// Extends `span` outwards to the nearest UTF-8 character boundaries.
fn widen_to_chars(text: &str, mut span: Span) -> Span {
    while !text.is_char_boundary(span.start) {
        span.start -= 1;
    }
    while !text.is_char_boundary(span.end) {
        span.end += 1;
    }
    span
}

/// What decides whether a rule's context is near a candidate.
struct Near<'a> {
    /// The rule's context words.
    own: &'a AhoCorasick,
    /// The same words, as written in the rule.
    own_words: &'a [String],
    /// Every rule's context words.
    all: Option<&'a AhoCorasick>,
    /// The document's placeholders.
    placeholders: &'a [Span],
    /// The document's lines.
    lines: &'a table::Lines,
    /// Bytes on each side in which a word counts.
    window: usize,
    /// When true, no digit may stand between the word and the candidate.
    tight: bool,
}

/// True when `hay[start..end]` is a whole word: no letter or digit glued to either end
/// of it, in any alphabet (`tel` in `Hôtel`, `v` in `vérifié` are not words). Scripts
/// written without spaces have no word boundaries to look for: a word of theirs, or a
/// neighbour of theirs, always stands alone (`手机号13912345678`).
fn whole_word(hay: &[u8], start: usize, end: usize) -> bool {
    let letter = |c: Option<char>| {
        c.is_some_and(|c| c.is_alphanumeric() && !crate::validate::unspaced_script(c))
    };
    let before = letter(char_before(hay, start)) && letter(char_at(hay, start));
    let after = letter(char_before(hay, end)) && letter(char_at(hay, end));
    !before && !after
}

/// The character starting at byte `i` of `hay` (UTF-8), if any.
fn char_at(hay: &[u8], i: usize) -> Option<char> {
    let b = *hay.get(i)?;
    if b.is_ascii() {
        return Some(char::from(b));
    }
    let n = match b {
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        _ => 4,
    };
    std::str::from_utf8(hay.get(i..i + n)?).ok()?.chars().next()
}

/// The character ending right before byte `i` of `hay` (UTF-8), if any.
fn char_before(hay: &[u8], i: usize) -> Option<char> {
    let mut s = i.checked_sub(1)?;
    while s > 0 && i - s < 4 && hay[s] & 0xC0 == 0x80 {
        s -= 1;
    }
    std::str::from_utf8(&hay[s..i]).ok()?.chars().next()
}

impl Near<'_> {
    /// True when one of the rule's context words occurs as a whole word within
    /// [`CONTEXT_WINDOW`] bytes of `span`, with none of our placeholders inside,
    /// touching, or between it and `span`, no sentence end between them, and, when the
    /// word comes first, no word naming another kind of value in between
    /// (`SSN 697-07-3878 ... BSN 393702640`: the BSN is not a Social Security number).
    ///
    /// The placeholder conditions keep redaction idempotent: in a second pass, the text
    /// between a context word and a candidate that holds no placeholder is original
    /// text, so the word was the same distance away in the first pass. (`<US_SSN>` must
    /// not vouch for a number next to it; `telefon<EMAIL_ADDRESS>` must not make
    /// `telefon` a word; a long email shortened to a placeholder must not bring a word
    /// into range.)
    fn found(&self, hay: &[u8], span: Span) -> bool {
        self.near(hay, span) || self.in_header(hay, span)
    }

    /// True when `span` is a cell of a CSV or TSV table whose header (the document's
    /// first line, with as many separators as the span's line) names its column with
    /// one of the rule's words: `emp_id,name,Tax number\n7,Jane Roe,62 056 174 833`.
    /// Row after row lies too far from the header for the context window, and the
    /// header's other column names lie between.
    fn in_header(&self, hay: &[u8], span: Span) -> bool {
        let Some(cell) = table::header_cell(hay, self.lines, span.start) else {
            return false;
        };
        self.own
            .find_iter(aho_corasick::Input::new(&hay[..cell.end]).span(cell.range()))
            .any(|m| whole_word(hay, m.start(), m.end()))
    }

    /// True when a word is within the window of `span` (see [`Near::found`]).
    fn near(&self, hay: &[u8], span: Span) -> bool {
        let lo = span.start.saturating_sub(self.window);
        let hi = (span.end + self.window).min(hay.len());
        self.own
            .find_iter(aho_corasick::Input::new(&hay[..hi]).span(lo..hi))
            .any(|m| {
                let (from, to) = (m.start().min(span.start), m.end().max(span.end));
                let blocked = self
                    .placeholders
                    .iter()
                    .any(|p| p.start <= to && from <= p.end);
                let gap = if m.end() <= span.start {
                    &hay[m.end()..span.start]
                } else if span.end <= m.start() {
                    // With the word's first letter: a capital there starts its sentence.
                    &hay[span.end..=m.start()]
                } else {
                    &[][..]
                };
                // Tight: no digit between (the word is about another number), no line
                // break, and after the candidate no punctuation (`EAN 4002534605111.
                // tel. +48 ...`: the word starts the next sentence).
                let after = span.end <= m.start();
                // A word after the candidate on a later line labels the next field of a
                // form (`NIF: 297171356\nSocial security no.: ...`), not this value.
                if after && gap.contains(&b'\n') {
                    return false;
                }
                if self.tight
                    && gap.iter().any(|&b| {
                        b.is_ascii_digit()
                            || b == b'\n'
                            || after && matches!(b, b'.' | b',' | b';' | b'!' | b'?')
                    })
                {
                    return false;
                }
                let word_before = m.end() <= span.start;
                let crossed = word_before && self.other_word_between(hay, m.end(), span.start);
                // `call(x)`, `phone(...)`: a function in code, not the word.
                let called = hay.get(m.end()) == Some(&b'(');
                whole_word(hay, m.start(), m.end())
                    && !called
                    && !blocked
                    && !sentence_break(gap)
                    && !crossed
            })
    }

    /// True when a whole context word that is not one of this rule's lies in
    /// `hay[from..to]`.
    fn other_word_between(&self, hay: &[u8], from: usize, to: usize) -> bool {
        let Some(all) = self.all else {
            return false;
        };
        all.find_iter(aho_corasick::Input::new(&hay[..to]).span(from..to))
            .any(|m| {
                let w = &hay[m.range()];
                whole_word(hay, m.start(), m.end())
                    && !self
                        .own_words
                        .iter()
                        .any(|o| o.as_bytes().eq_ignore_ascii_case(w))
            })
    }
}

/// A rule's exclusion words in one automaton: the first `before` go before a candidate,
/// the next `after` after it, the rest inside it.
#[derive(Debug)]
struct Exclusions {
    words: AhoCorasick,
    before: usize,
    after: usize,
}

impl Exclusions {
    /// True when an inside word stands as a whole word within `span`, or a before or
    /// after word stands within [`EXCLUDE_WINDOW`] bytes of `span` on its side, on the
    /// same line, with only letters, spaces and punctuation between.
    ///
    /// What may lie between is narrow so that redaction stays idempotent: a digit, an `@`,
    /// a bracket or one of our placeholders between the word and the candidate means
    /// another value may sit there, which a first pass redacts and a second pass sees as a
    /// placeholder of another length; both passes then ignore the word. A word glued to an
    /// `@` or continued by `.x` / `-x` is part of an address (`a-version@corp.eu`) and does
    /// not count either.
    fn exclude(&self, hay: &[u8], span: Span, spots: &[Span]) -> bool {
        let quiet = |gap: &[u8]| {
            !gap.iter().any(|b| {
                b.is_ascii_digit()
                    || matches!(
                        b,
                        b'@' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'\n' | b'\r'
                    )
            }) && !sentence_break(gap)
        };
        let free = |from: usize, to: usize| !spots.iter().any(|p| p.start < to && from < p.end);
        let address_part = |s: usize, e: usize| {
            (s > 0 && matches!(hay[s - 1], b'@' | b'.'))
                || match &hay[e..] {
                    [b'@', ..] => true,
                    [b'.', c, ..] => c.is_ascii_alphanumeric(),
                    // `section-7.1.1.1` is a word and its number; `a-version-b.eu` a domain.
                    [b'-', c, ..] => c.is_ascii_alphabetic(),
                    _ => false,
                }
        };
        let lo = span.start.saturating_sub(EXCLUDE_WINDOW);
        let hi = (span.end + EXCLUDE_WINDOW).min(hay.len());
        self.words
            .find_iter(aho_corasick::Input::new(&hay[..hi]).span(lo..hi))
            .any(|m| {
                let k = m.pattern().as_usize();
                if k >= self.before + self.after {
                    // Inside: the word lies within the match.
                    return span.start <= m.start()
                        && m.end() <= span.end
                        && whole_word(hay, m.start(), m.end());
                }
                let is_before = k < self.before;
                let gap = if is_before && m.end() <= span.start {
                    (m.end(), span.start)
                } else if !is_before && span.end <= m.start() {
                    (span.end, m.start())
                } else {
                    return false;
                };
                whole_word(hay, m.start(), m.end())
                    && !address_part(m.start(), m.end())
                    && quiet(&hay[gap.0..gap.1])
                    && free(m.start().min(span.start), m.end().max(span.end))
            })
    }
}

/// True when `gap` (the text between a context word and a candidate) ends a sentence:
/// `.`, `!` or `?`, spaces, then a capital letter. A word in the next sentence names
/// something else (`Order #638997709. SSN: ...`); abbreviations before a number stay in
/// range (`Social Security No. 399856021`), and so do line breaks (a CSV header names
/// the column of the rows below it).
fn sentence_break(gap: &[u8]) -> bool {
    gap.iter().enumerate().any(|(i, &b)| {
        matches!(b, b'.' | b'!' | b'?') && {
            let rest = &gap[i + 1..];
            let letter = rest.iter().position(|c| *c != b' ');
            matches!(letter, Some(k) if k > 0 && rest[k].is_ascii_uppercase())
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::sync::OnceLock;

    /// The built-in scanner, and the same scanner with digit windows as wide as
    /// [`windows::MARGIN`] on every side: the windows the rules' shapes allow must lose
    /// nothing that wider ones find.
    fn scanners() -> &'static (Scanner, Scanner, Vec<String>) {
        static S: OnceLock<(Scanner, Scanner, Vec<String>)> = OnceLock::new();
        S.get_or_init(|| {
            let mut allow = AllowList::new();
            allow.extend_from_text(crate::rules::DEFAULT_ALLOW);
            let opts = ScanOptions {
                allow,
                ..ScanOptions::default()
            };
            let tight = Scanner::new(crate::rules::load_builtin().unwrap(), opts.clone()).unwrap();
            let mut wide = Scanner::new(crate::rules::load_builtin().unwrap(), opts).unwrap();
            wide.digit_reach = windows::DigitReach {
                before: windows::MARGIN,
                after: windows::MARGIN,
                gap: windows::MARGIN,
            };
            // The rules' own examples, and values whose digits sit far apart: IBAN
            // registry examples with letter groups (Malta, Qatar) and a MAC address
            // whose digits come last.
            let examples = tight
                .rules()
                .rules()
                .iter()
                .flat_map(|r| r.must_match.iter().map(|e| e.text().to_owned()))
                .chain(
                    [
                        "MT84 MALT 0110 0001 2345 MTLC AST0 01S",
                        "QA58 DOHB 0000 1234 5678 90AB CDEF G",
                        "aa-bb-cc-dd-12-34",
                    ]
                    .map(String::from),
                )
                .collect();
            (tight, wide, examples)
        })
    }

    #[test]
    fn builtin_digit_windows_reach_as_far_as_the_iban() {
        // The widest built-in shapes: an IBAN may end in 39 bytes of letters and spaces
        // after its check digits, a dashed MAC address start with 16 bytes of hex letters.
        let reach = scanners().0.digit_reach;
        assert_eq!(
            reach,
            windows::DigitReach {
                before: 16,
                after: 39,
                gap: 38
            }
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        fn tight_digit_windows_find_what_wide_ones_find(
            picks in proptest::collection::vec((any::<prop::sample::Index>(), prop_oneof![
                Just(" ".to_owned()), Just(" word ".to_owned()), "[0-9]{1,6}",
                "[ a-zA-Z]{1,70}", "[ .:\\-/]{1,3}",
            ]), 1..8)) {
            let (tight, wide, examples) = scanners();
            let text: String = picks
                .iter()
                .map(|(i, sep)| format!("{}{sep}", examples[i.index(examples.len())]))
                .collect();
            let mut a = tight.scratch();
            let mut b = wide.scratch();
            prop_assert_eq!(tight.scan(&text, &mut a), wide.scan(&text, &mut b), "{:?}", text);
        }
    }
}
