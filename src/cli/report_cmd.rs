//! `shardscrub report`: merge per-shard statistics (from any number of runs and
//! machines) into one report, as Markdown, JSON or the SVG chart.

use super::EXIT_OK;
use crate::job::{STATS_SUFFIX, walk_files};
use crate::report::{Report, ShardStats, markdown, summary, svg};
use crate::{Error, Result};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Reads every statistics entry named by `inputs`: statistics files and reports as
/// given, directories searched for `*.stats.json`.
fn read_all(inputs: &[PathBuf]) -> Result<Vec<(String, ShardStats)>> {
    let mut files = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let before = files.len();
            walk_files(input, &|_| false, &mut |path, _| {
                if path.to_string_lossy().ends_with(STATS_SUFFIX) {
                    files.push(path);
                }
                Ok(())
            })?;
            if files.len() == before {
                return Err(Error::usage(format!(
                    "{}: no *{STATS_SUFFIX} files in this directory",
                    input.display()
                )));
            }
        } else {
            files.push(input.clone());
        }
    }
    let mut stats = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).map_err(|e| Error::io(Some(f.clone()), e))?;
        let source = f.display().to_string();
        for s in Report::read_stats(&text, &source)? {
            stats.push((source.clone(), s));
        }
    }
    Ok(stats)
}

/// The report when `inputs` is one report file: rendered as it is (a report with domain
/// sizes cannot be split into its shards' statistics again).
fn single_report(inputs: &[PathBuf]) -> Result<Option<Report>> {
    match inputs {
        [one] if one.is_file() => {
            let text = std::fs::read_to_string(one).map_err(|e| Error::io(Some(one.clone()), e))?;
            Report::read(&text, &one.display().to_string())
        }
        _ => Ok(None),
    }
}

/// Warns on stderr about each input counted once though given more than once.
pub fn warn_duplicates(report: &Report) {
    for d in &report.duplicates {
        eprintln!(
            "shardscrub: warning: the input of {} (sha256 {}) appears {} more time(s), as {}; counted once",
            d.counted,
            &d.input_sha256[..12.min(d.input_sha256.len())],
            d.not_counted.len(),
            d.not_counted.join(", ")
        );
    }
}

/// Runs `shardscrub report`.
pub fn run(inputs: &[PathBuf], format: &str, sme: bool, out: Option<&Path>) -> Result<u8> {
    if inputs.is_empty() {
        return Err(Error::usage(
            "give the statistics to merge: *.stats.json files, output directories or reports",
        ));
    }
    let render: Box<dyn Fn(&Report) -> String> = match format {
        "md" | "markdown" => Box::new(markdown::render),
        "summary" => Box::new(move |r| summary::render(r, sme)),
        "json" => Box::new(|r| {
            let mut s = serde_json::to_string_pretty(r).expect("reports serialize");
            s.push('\n');
            s
        }),
        "svg" => Box::new(svg::render),
        other => {
            return Err(Error::usage(format!(
                "unknown --format {other:?}; use md, json, svg or summary"
            )));
        }
    };
    let report = match single_report(inputs)? {
        Some(report) => report,
        None => Report::merge(read_all(inputs)?)?,
    };
    warn_duplicates(&report);
    let text = render(&report);
    match out {
        Some(path) => {
            std::fs::write(path, text).map_err(|e| Error::io(Some(path.to_owned()), e))?
        }
        None => std::io::stdout().lock().write_all(text.as_bytes())?,
    }
    Ok(EXIT_OK)
}
