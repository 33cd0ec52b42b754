//! Rules that share one multi-pattern pass per window: the digit rules in digit
//! windows, the name rules in name windows.
//!
//! Most windows hold no match at all (a year, a price, a capitalised pair that is no
//! name): a leftmost-first "is there any" search, which stops at the first match,
//! rejects them cheaply. Where it finds one, an overlapping search tells which rules
//! match in the window, and only those run alone there to give their own spans (so one
//! rule never hides another's candidate).

use crate::error::{Error, Result};
use crate::rules::RuleSet;
use crate::span::Span;
use regex_automata::{Input, PatternID, PatternSet, meta};

/// The rules of one kind of window, compiled together.
#[derive(Debug)]
pub(super) struct SharedPass {
    /// Pattern index -> rule index.
    rules: Vec<usize>,
    /// Every pattern, reporting all that match.
    set: meta::Regex,
    /// The same patterns, leftmost-first: the quick "any match here?" test.
    any: meta::Regex,
}

/// One thread's caches for a [`SharedPass`].
#[derive(Debug)]
pub(super) struct PassCache {
    set: meta::Cache,
    any: meta::Cache,
    matched: PatternSet,
}

impl SharedPass {
    /// The pass over `idx` of `rules` (`None` when there are none); `what` names them
    /// in an error.
    pub(super) fn build(rules: &RuleSet, idx: Vec<usize>, what: &str) -> Result<Option<Self>> {
        if idx.is_empty() {
            return Ok(None);
        }
        let patterns: Vec<&str> = idx
            .iter()
            .map(|&i| rules.rules()[i].pattern.as_str())
            .collect();
        let build = |kind| {
            meta::Regex::builder()
                .syntax(crate::rules::load::syntax_config())
                .configure(crate::rules::load::meta_config().match_kind(kind))
                .build_many(&patterns)
                .map_err(|e| Error::usage(format!("cannot combine the {what}: {e}")))
        };
        Ok(Some(SharedPass {
            set: build(regex_automata::MatchKind::All)?,
            any: build(regex_automata::MatchKind::LeftmostFirst)?,
            rules: idx,
        }))
    }

    /// The rules, in pattern order.
    pub(super) fn rules(&self) -> &[usize] {
        &self.rules
    }

    /// Fresh caches for one thread.
    pub(super) fn cache(&self) -> PassCache {
        PassCache {
            set: self.set.create_cache(),
            any: self.any.create_cache(),
            matched: PatternSet::new(self.rules.len()),
        }
    }

    /// Finds which rules match in window `w` of `hay`; false when none does. Then
    /// [`SharedPass::matched`] answers per pattern.
    pub(super) fn search(&self, hay: &[u8], w: Span, cache: &mut PassCache) -> bool {
        let input = Input::new(hay).range(w.range()).earliest(true);
        if !self.any.is_match_with(&mut cache.any, &input) {
            return false;
        }
        cache.matched.clear();
        let input = Input::new(hay).range(w.range());
        self.set
            .which_overlapping_matches_with(&mut cache.set, &input, &mut cache.matched);
        true
    }

    /// The rule of pattern `pi` when it matched in the last [`SharedPass::search`].
    pub(super) fn matched(&self, cache: &PassCache, pi: usize) -> Option<usize> {
        cache
            .matched
            .contains(PatternID::must(pi))
            .then(|| self.rules[pi])
    }
}
