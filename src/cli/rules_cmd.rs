//! `shardscrub rules list` and `shardscrub rules test`.

use super::{EXIT_FAILED, EXIT_OK};
use crate::rules::Source;
use crate::rules::check::{self, CheckOptions};
use crate::validate::Validator;
use crate::{Redactor, Result};
use std::io::Write;
use std::path::PathBuf;

fn redactor_with(files: &[PathBuf]) -> Result<(Redactor, Vec<String>)> {
    let mut b = Redactor::builder();
    let mut names = Vec::new();
    for f in files {
        let src = Source::read(f)?;
        names.push(src.name.clone());
        b = b.patterns(src);
    }
    Ok((b.build()?, names))
}

/// Prints the rule table (or the validator names).
pub fn list(patterns: &[PathBuf], validators: bool) -> Result<u8> {
    let mut out = std::io::stdout().lock();
    if validators {
        for name in Validator::names() {
            writeln!(out, "{name}")?;
        }
        writeln!(
            out,
            "entropy >= X   (Shannon entropy of the match, bits per byte)"
        )?;
        return Ok(EXIT_OK);
    }
    let (redactor, _) = redactor_with(patterns)?;
    let set = redactor.scanner().rules();
    writeln!(
        out,
        "{:<28} {:<26} {:<9} {:<20} FILE",
        "ID", "LABEL", "SCAN", "VALIDATOR"
    )?;
    for r in set.rules() {
        writeln!(
            out,
            "{:<28} {:<26} {:<9} {:<20} {}",
            r.id,
            r.label,
            r.strategy.name(),
            r.validator_spec.as_deref().unwrap_or("-"),
            r.source
        )?;
    }
    writeln!(
        out,
        "\n{} rules, {} labels; rule set {} (sha256 {})",
        set.rules().len(),
        set.labels().len(),
        set.version(),
        set.hash()
    )?;
    Ok(EXIT_OK)
}

/// Runs the self-check and prints every failure. Exit 1 when any failed.
pub fn test(files: &[PathBuf]) -> Result<u8> {
    let (redactor, names) = redactor_with(files)?;
    let mut opts = CheckOptions::from_env();
    if !names.is_empty() {
        opts.files = Some(names);
    }
    let report = check::check(redactor.scanner(), &opts);
    let mut out = std::io::stdout().lock();
    for f in &report.failures {
        writeln!(out, "FAIL {f}")?;
    }
    writeln!(
        out,
        "rules test: {} rules, {} examples (each run alone and through the engine): {} failures",
        report.rules,
        report.examples,
        report.failures.len()
    )?;
    Ok(if report.failures.is_empty() {
        EXIT_OK
    } else {
        EXIT_FAILED
    })
}
