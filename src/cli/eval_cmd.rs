//! `shardscrub eval`: detection quality on a labeled corpus, for the rules as configured
//! and for other tools' predictions, with floors that fail the command when missed.

use super::{EXIT_FAILED, EXIT_OK, EvalArgs, config};
use crate::eval::{self, floors, table::System};
use crate::{Error, Result};
use std::io::Write;
use std::path::Path;

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| Error::io(Some(path.to_owned()), e))
}

/// Prints up to `per_label` mistakes of each label and kind to stderr, each with the
/// corpus text around it (the corpus is synthetic: this is what the option is for).
fn print_mistakes(gold: &[eval::GoldDoc], predicted: &[Vec<eval::Labeled>], per_label: usize) {
    let mut shown = std::collections::HashMap::new();
    for c in eval::mistakes(gold, predicted) {
        let n = shown
            .entry((c.span.label.clone(), format!("{:?}", c.mistake)))
            .or_insert(0);
        *n += 1;
        if *n > per_label {
            continue;
        }
        let text = &gold[c.doc].text;
        let floor = |mut i: usize| {
            while !text.is_char_boundary(i) {
                i -= 1;
            }
            i
        };
        let from = floor(c.span.start.saturating_sub(30));
        let to = floor((c.span.end + 30).min(text.len()));
        let gold_here: Vec<String> = gold[c.doc]
            .spans
            .iter()
            .filter(|g| g.start < c.span.end && c.span.start < g.end)
            .map(|g| format!("{} {}..{}", g.label, g.start, g.end))
            .collect();
        eprintln!(
            "{:?} {} doc {} {}..{} (gold here: {}): {}[[{}]]{}",
            c.mistake,
            c.span.label,
            c.doc + 1,
            c.span.start,
            c.span.end,
            if gold_here.is_empty() {
                "none".to_owned()
            } else {
                gold_here.join(", ")
            },
            &text[from..c.span.start].replace('\n', "⏎"),
            &text[c.span.start..c.span.end],
            &text[c.span.end..to].replace('\n', "⏎"),
        );
    }
}

/// Runs `shardscrub eval`.
pub fn run(args: &EvalArgs) -> Result<u8> {
    let source = args.gold.display().to_string();
    let gold = eval::read_gold(&read(&args.gold)?, &source)?;
    let redactor = config::redactor(&args.engine, None, None)?;
    let predicted = eval::predict(&redactor, &gold);
    let ours = eval::score(&gold, &predicted);
    if let Some(n) = args.errors {
        print_mistakes(&gold, &predicted, n);
    }
    let mut others = Vec::new();
    for c in &args.compare {
        let Some((name, file)) = c.split_once('=') else {
            return Err(Error::usage(format!(
                "--compare takes NAME=FILE, not {c:?}"
            )));
        };
        let file = Path::new(file);
        let p = eval::read_predictions(&read(file)?, &file.display().to_string(), &gold)?;
        others.push((name.to_owned(), eval::score(&gold, &p)));
    }
    let mut systems = vec![System {
        name: "shardscrub",
        scores: &ours,
    }];
    systems.extend(others.iter().map(|(name, scores)| System { name, scores }));
    let text = match args.format.as_str() {
        "md" => {
            let spans: usize = gold.iter().map(|d| d.spans.len()).sum();
            let negatives: usize = gold.iter().map(|d| d.negatives.len()).sum();
            format!(
                "{} documents, {spans} gold spans, {negatives} marked negatives ({source}).\n\n{}",
                gold.len(),
                eval::table::markdown(&systems)
            )
        }
        "json" => {
            let mut v = serde_json::to_string_pretty(&eval::table::json(&systems))
                .map_err(|e| Error::input(e.to_string()))?;
            v.push('\n');
            v
        }
        other => {
            return Err(Error::usage(format!("--format {other:?}: use md or json")));
        }
    };
    match &args.out {
        Some(path) => std::fs::write(path, &text).map_err(|e| Error::io(Some(path.clone()), e))?,
        None => std::io::stdout()
            .write_all(text.as_bytes())
            .map_err(|e| Error::io(None, e))?,
    }
    if let Some(path) = &args.write_floors {
        std::fs::write(path, floors::at(&ours)).map_err(|e| Error::io(Some(path.clone()), e))?;
    }
    if let Some(path) = &args.floors {
        let f = floors::parse(&read(path)?, &path.display().to_string())?;
        let missed = floors::check(&f, &ours);
        if !missed.is_empty() {
            for m in &missed {
                eprintln!("shardscrub: floor missed: {m}");
            }
            eprintln!(
                "shardscrub: {} of {} floors in {} missed",
                missed.len(),
                f.len(),
                path.display()
            );
            return Ok(EXIT_FAILED);
        }
        eprintln!(
            "shardscrub: all {} label floors in {} met",
            f.len(),
            path.display()
        );
    }
    Ok(EXIT_OK)
}
