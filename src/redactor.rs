//! The library's front door: [`Redactor`] (scan and redact strings) and its builder.

use crate::dict::{AllowList, DenyList};
use crate::error::{Error, Result};
use crate::labels::Label;
use crate::rewrite::{Rewriter, Style, Template};
use crate::rules::{self, Source};
use crate::scan::{ScanOptions, Scanner, Scratch};
use crate::span::Finding;
use crate::validate::ValidateOptions;
use regex_automata::util::pool::Pool;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

type MakeScratch =
    Box<dyn Fn() -> Scratch + Send + Sync + std::panic::UnwindSafe + std::panic::RefUnwindSafe>;

/// Finds and rewrites personal data. Build one with [`Redactor::builder`] (or
/// [`Redactor::new`] for the defaults), then share it: it is `Send + Sync`, and each
/// thread takes its own scratch space from an internal pool.
///
/// ```
/// let redactor = shardscrub::Redactor::new()?;
/// let r = redactor.redact("write to jane.doe@corp.eu");
/// assert_eq!(r.text, "write to <EMAIL_ADDRESS>");
/// assert_eq!(r.findings[0].rule.as_str(), "email");
/// # Ok::<(), shardscrub::Error>(())
/// ```
pub struct Redactor {
    scanner: Arc<Scanner>,
    rewriter: Rewriter,
    pool: Pool<Scratch, MakeScratch>,
}

impl std::fmt::Debug for Redactor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Redactor")
            .field("rules", &self.scanner.rules().rules().len())
            .field("rewriter", &self.rewriter)
            .finish()
    }
}

/// The result of [`Redactor::redact`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Redaction {
    /// The document with every finding replaced by its placeholder.
    pub text: String,
    /// What was found, sorted by start, as byte offsets into the *original* text.
    pub findings: Vec<Finding>,
}

impl Redaction {
    /// Findings per label.
    pub fn counts(&self) -> BTreeMap<Label, usize> {
        let mut counts = BTreeMap::new();
        for f in &self.findings {
            *counts.entry(f.label).or_insert(0) += 1;
        }
        counts
    }
}

impl Redactor {
    /// A redactor with the built-in rules and default options (`tag` style, `<{label}>`).
    ///
    /// # Errors
    /// Only if the built-in rules fail to compile, which the test suite rules out.
    pub fn new() -> Result<Redactor> {
        Redactor::builder().build()
    }

    /// Starts building a redactor with non-default options.
    pub fn builder() -> RedactorBuilder {
        RedactorBuilder::default()
    }

    /// The findings in `text`: sorted by start, non-overlapping, on character boundaries.
    pub fn scan(&self, text: &str) -> Vec<Finding> {
        let mut scratch = self.pool.get();
        self.scanner.scan(text, &mut scratch).to_vec()
    }

    /// `text` with every finding replaced, and the findings.
    pub fn redact(&self, text: &str) -> Redaction {
        let mut scratch = self.pool.get();
        let findings = self.scanner.scan(text, &mut scratch);
        let mut out = String::with_capacity(text.len());
        self.rewriter.rewrite(text, findings, &mut out);
        Redaction {
            text: out,
            findings: findings.to_vec(),
        }
    }

    /// Like [`Redactor::redact`], but `None` when nothing is found: no copy of the text is
    /// made for a document that stays as it is (most of them, in most datasets).
    pub fn redact_found(&self, text: &str) -> Option<Redaction> {
        let mut scratch = self.pool.get();
        let findings = self.scanner.scan(text, &mut scratch);
        if findings.is_empty() {
            return None;
        }
        let mut out = String::with_capacity(text.len());
        self.rewriter.rewrite(text, findings, &mut out);
        Some(Redaction {
            text: out,
            findings: findings.to_vec(),
        })
    }

    /// Like [`Redactor::redact`], appending to `out` and reusing caller-held scratch
    /// space: the allocation-free form for pipelines that process many documents on one
    /// thread. Returns the findings, which live in `scratch` until its next use.
    pub fn redact_into<'s>(
        &self,
        text: &str,
        scratch: &'s mut Scratch,
        out: &mut String,
    ) -> &'s [Finding] {
        let findings = self.scanner.scan(text, scratch);
        self.rewriter.rewrite(text, findings, out);
        findings
    }

    /// Fresh scratch space for [`Redactor::redact_into`] and [`Scanner::scan`].
    pub fn scratch(&self) -> Scratch {
        self.scanner.scratch()
    }

    /// Scratch space from the redactor's pool: it keeps its lazy-DFA caches between
    /// uses, where a fresh [`Redactor::scratch`] would determinize its states again.
    pub(crate) fn pooled_scratch(
        &self,
    ) -> regex_automata::util::pool::PoolGuard<'_, Scratch, MakeScratch> {
        self.pool.get()
    }

    /// The compiled scanner (rules, options).
    pub fn scanner(&self) -> &Scanner {
        &self.scanner
    }

    /// The rewriter (style, template).
    pub fn rewriter(&self) -> &Rewriter {
        &self.rewriter
    }
}

/// Options for a [`Redactor`]. Every setter takes and returns the builder.
#[derive(Default)]
pub struct RedactorBuilder {
    style: Style,
    template: Option<String>,
    labels: Option<Vec<String>>,
    exclude_labels: Vec<String>,
    exclude_rules: Vec<String>,
    private_ips: bool,
    patterns: Vec<Source>,
    no_default_allow: bool,
    allow: AllowList,
    deny: Vec<DenyList>,
    key: Option<Vec<u8>>,
}

impl std::fmt::Debug for RedactorBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedactorBuilder")
            .field("style", &self.style)
            .field("template", &self.template)
            .field("labels", &self.labels)
            .field("exclude_labels", &self.exclude_labels)
            .field("exclude_rules", &self.exclude_rules)
            .field("private_ips", &self.private_ips)
            .field(
                "patterns",
                &self.patterns.iter().map(|s| &s.name).collect::<Vec<_>>(),
            )
            .field("key", &self.key.as_ref().map(|_| "<set>"))
            .finish_non_exhaustive()
    }
}

impl RedactorBuilder {
    /// The placeholder style (default [`Style::Tag`]).
    pub fn style(mut self, style: Style) -> Self {
        self.style = style;
        self
    }

    /// The placeholder template, e.g. `[{label}]` (default `<{label}>`). Checked by
    /// [`RedactorBuilder::build`].
    pub fn placeholder(mut self, template: &str) -> Self {
        self.template = Some(template.to_owned());
        self
    }

    /// Report only these labels (default: all).
    pub fn labels<I: IntoIterator<Item = S>, S: Into<String>>(mut self, labels: I) -> Self {
        self.labels = Some(labels.into_iter().map(Into::into).collect());
        self
    }

    /// Never report these labels.
    pub fn exclude_labels<I: IntoIterator<Item = S>, S: Into<String>>(mut self, labels: I) -> Self {
        self.exclude_labels = labels.into_iter().map(Into::into).collect();
        self
    }

    /// Leave these rules out (by id, as `shardscrub rules list` prints them): for
    /// example `person_copyright`, to keep the names of licence notices. Unlike a
    /// label filter, the rules do not run at all.
    pub fn exclude_rules<I: IntoIterator<Item = S>, S: Into<String>>(mut self, ids: I) -> Self {
        self.exclude_rules = ids.into_iter().map(Into::into).collect();
        self
    }

    /// Also report private, shared and unique-local IP ranges (RFC 1918, 100.64/10,
    /// fc00::/7). Loopback, link-local, multicast and documentation ranges stay kept.
    pub fn private_ips(mut self, on: bool) -> Self {
        self.private_ips = on;
        self
    }

    /// Adds a rule file (same format as the built-in ones) from its text.
    pub fn patterns(mut self, source: Source) -> Self {
        self.patterns.push(source);
        self
    }

    /// Adds a rule file from disk.
    ///
    /// # Errors
    /// When it cannot be read. Parsing happens in [`RedactorBuilder::build`].
    pub fn patterns_file(self, path: &Path) -> Result<Self> {
        Ok(self.patterns(Source::read(path)?))
    }

    /// Keeps the values of an allow-list text (one literal a line) as they are.
    pub fn allow_text(mut self, text: &str) -> Self {
        self.allow.extend_from_text(text);
        self
    }

    /// Turns off the built-in allow list (documentation domains such as example.com).
    pub fn default_allow(mut self, on: bool) -> Self {
        self.no_default_allow = !on;
        self
    }

    /// Adds a deny list: its literals are always reported.
    pub fn deny(mut self, list: DenyList) -> Self {
        self.deny.push(list);
        self
    }

    /// The key for [`Style::Hmac`] (at least 16 bytes). Read it from the environment or
    /// a file, never from a command line.
    pub fn hmac_key(mut self, key: &[u8]) -> Self {
        self.key = Some(key.to_vec());
        self
    }

    /// Loads the rules, applies the label filters, and compiles the engine.
    ///
    /// # Errors
    /// A rule-file error, an unknown label in a filter, an unknown rule id to leave
    /// out, a bad placeholder template, or a missing or short HMAC key for the `hmac`
    /// style.
    pub fn build(self) -> Result<Redactor> {
        let mut set = rules::load(&self.patterns)?;
        if let Some(id) = self.exclude_rules.iter().find(|id| set.get(id).is_none()) {
            return Err(Error::usage(format!(
                "unknown rule id {id:?} to leave out; `shardscrub rules list` prints the ids"
            )));
        }
        set.retain(|r| !self.exclude_rules.iter().any(|id| id == r.id.as_str()));
        let known: Vec<Label> = set
            .labels()
            .iter()
            .copied()
            .chain(self.deny.iter().map(DenyList::label))
            .collect();
        let parse = |names: &[String]| -> Result<Vec<Label>> {
            names
                .iter()
                .map(|n| {
                    Label::new(n).filter(|l| known.contains(l)).ok_or_else(|| {
                        let all: Vec<&str> = known.iter().map(|l| l.as_str()).collect();
                        Error::usage(format!(
                            "unknown label {n:?}; known labels: {}",
                            all.join(", ")
                        ))
                    })
                })
                .collect()
        };
        let include = self.labels.as_deref().map(parse).transpose()?;
        let exclude = parse(&self.exclude_labels)?;
        let keep =
            |l: Label| include.as_ref().is_none_or(|inc| inc.contains(&l)) && !exclude.contains(&l);
        // Filters apply to findings after resolution, not to rules: see ScanOptions::report.
        let report = (include.is_some() || !exclude.is_empty())
            .then(|| known.iter().copied().filter(|&l| keep(l)).collect());
        let deny = self.deny;
        let template: Template = match &self.template {
            Some(t) => t.parse()?,
            None => Template::default(),
        };
        let rewriter = Rewriter::new(self.style, template.clone(), self.key.as_deref())?;
        let mut allow = self.allow;
        if !self.no_default_allow {
            allow.extend_from_text(rules::DEFAULT_ALLOW);
        }
        let scanner = Arc::new(Scanner::new(
            set,
            ScanOptions {
                validate: ValidateOptions {
                    private_ips: self.private_ips,
                },
                allow,
                deny,
                placeholder: template.clone(),
                report,
            },
        )?);
        let for_pool = Arc::clone(&scanner);
        let make: MakeScratch = Box::new(move || for_pool.scratch());
        Ok(Redactor {
            scanner,
            rewriter,
            pool: Pool::new(make),
        })
    }
}
