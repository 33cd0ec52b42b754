//! Quality floors: the worst F1 and leak rate each label may have on the gold corpus,
//! kept in corpus/quality/floors.toml and checked by a test, so a weakened rule fails.
//!
//! ```toml
//! [EMAIL_ADDRESS]
//! f1 = 0.99        # overlap F1 may not fall below this
//! exact_f1 = 0.98  # exact-span F1 likewise
//! leak = 0.0       # leak rate may not rise above this
//! ```

use super::Scores;
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The floor of one label.
#[derive(Clone, Copy, Debug, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Floor {
    /// Lowest overlap F1.
    pub f1: f64,
    /// Lowest exact-span F1.
    pub exact_f1: f64,
    /// Highest leak rate.
    pub leak: f64,
}

/// Floors per label.
pub type Floors = BTreeMap<String, Floor>;

/// Reads a floors file; `source` names it in errors.
///
/// # Errors
/// Not TOML of that form, or a value outside 0..=1.
pub fn parse(text: &str, source: &str) -> Result<Floors> {
    let floors: Floors = toml::from_str(text)
        .map_err(|e| Error::usage(format!("{source}: not a floors file: {}", e.message())))?;
    for (label, f) in &floors {
        for v in [f.f1, f.exact_f1, f.leak] {
            if !(0.0..=1.0).contains(&v) {
                return Err(Error::usage(format!(
                    "{source}: {label}: {v} is not a rate between 0 and 1"
                )));
            }
        }
    }
    Ok(floors)
}

/// Slack for rounding: floors are written with three decimals.
const EPS: f64 = 1e-9;

/// Every way `scores` falls short of `floors`, one sentence each (empty: all met).
pub fn check(floors: &Floors, scores: &Scores) -> Vec<String> {
    let mut out = Vec::new();
    for (label, f) in floors {
        let Some(c) = scores.labels.get(label).filter(|c| c.gold > 0) else {
            out.push(format!(
                "{label}: has a floor but no gold spans in the corpus"
            ));
            continue;
        };
        if c.f1() + EPS < f.f1 {
            out.push(format!(
                "{label}: F1 {:.3} is below its floor {:.3}",
                c.f1(),
                f.f1
            ));
        }
        if c.exact_f1() + EPS < f.exact_f1 {
            out.push(format!(
                "{label}: exact-span F1 {:.3} is below its floor {:.3}",
                c.exact_f1(),
                f.exact_f1
            ));
        }
        if c.leak_rate() > f.leak + EPS {
            out.push(format!(
                "{label}: leak rate {:.4} is above its ceiling {:.4}",
                c.leak_rate(),
                f.leak
            ));
        }
    }
    out
}

/// Floors at today's scores for every label with gold spans: F1 rounded down and leak
/// rate rounded up to three decimals, as TOML (for `eval --write-floors`).
pub fn at(scores: &Scores) -> String {
    let down = |x: f64| ((x * 1000.0 + EPS).floor() / 1000.0).clamp(0.0, 1.0);
    let up = |x: f64| ((x * 1000.0 - EPS).ceil() / 1000.0).clamp(0.0, 1.0) + 0.0;
    let mut out = String::from(
        "# Quality floors per label on corpus/quality/gold.jsonl, checked by `cargo test`\n\
         # (tests/it/quality.rs). Raise them as rules improve; never lower one without\n\
         # saying why in the commit. Rewrite with\n\
         # `shardscrub eval corpus/quality/gold.jsonl --write-floors corpus/quality/floors.toml`.\n",
    );
    for (label, c) in scores.labels.iter().filter(|(_, c)| c.gold > 0) {
        out.push_str(&format!(
            "\n[{label}]\nf1 = {:.3}\nexact_f1 = {:.3}\nleak = {:.3}\n",
            down(c.f1()),
            down(c.exact_f1()),
            up(c.leak_rate())
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::LabelCounts;

    fn scores(found: usize, leaked: usize) -> Scores {
        let mut s = Scores::default();
        s.labels.insert(
            "IBAN_CODE".into(),
            LabelCounts {
                gold: 10,
                predicted: found,
                found,
                correct: found,
                exact: found,
                leaked,
            },
        );
        s
    }

    #[test]
    fn floors_written_from_scores_are_met_and_a_worse_score_fails_them() {
        let now = scores(9, 1);
        let floors = parse(&at(&now), "floors.toml").unwrap();
        assert_eq!(floors["IBAN_CODE"].f1, 0.947);
        assert_eq!(floors["IBAN_CODE"].leak, 0.1);
        assert!(check(&floors, &now).is_empty());
        let worse = check(&floors, &scores(8, 2));
        assert_eq!(worse.len(), 3, "{worse:?}");
        assert!(
            worse[0].starts_with("IBAN_CODE: F1 0.889 is below"),
            "{worse:?}"
        );
    }

    #[test]
    fn a_floor_without_gold_spans_is_reported_and_bad_files_refused() {
        let f = parse("[CRYPTO]\nf1 = 0.9\nexact_f1 = 0.9\nleak = 0.0\n", "f").unwrap();
        assert_eq!(check(&f, &scores(10, 0)).len(), 1);
        assert!(parse("[CRYPTO]\nf1 = 1.5\nexact_f1 = 0.9\nleak = 0.0\n", "f").is_err());
        assert!(parse("[CRYPTO]\nf1 = 0.9\n", "f").is_err());
        assert!(
            parse(
                "[CRYPTO]\nf1 = 0.9\nexact_f1 = 0.9\nleak = 0.0\nrecall = 1\n",
                "f"
            )
            .is_err()
        );
    }
}
