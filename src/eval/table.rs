//! Scores as Markdown tables (for the terminal and QUALITY.md) and as JSON.

use super::{LabelCounts, Scores};
use serde_json::{Value, json};
use std::fmt::Write;

/// One scored system: its name in the tables and its scores.
pub struct System<'a> {
    /// Column or section name (`shardscrub`, `presidio`...).
    pub name: &'a str,
    /// Its scores on the corpus.
    pub scores: &'a Scores,
}

/// Labels in table order: those with gold spans, then those only predicted.
fn labels(systems: &[System]) -> Vec<String> {
    let mut gold: Vec<String> = Vec::new();
    let mut other: Vec<String> = Vec::new();
    for s in systems {
        for (l, c) in &s.scores.labels {
            let list = if c.gold > 0 { &mut gold } else { &mut other };
            if !list.contains(l) {
                list.push(l.clone());
            }
        }
    }
    gold.sort();
    other.sort();
    other.retain(|l| !gold.contains(l));
    gold.extend(other);
    gold
}

fn rate(x: f64) -> String {
    format!("{x:.3}")
}

/// One system's table: counts and measures per label, then all labels together.
fn system_table(out: &mut String, s: &System, labels: &[String]) {
    let _ = writeln!(
        out,
        "| label | gold | predicted | precision | recall | F1 | exact F1 | leak rate |\n|---|---:|---:|---:|---:|---:|---:|---:|"
    );
    let empty = LabelCounts::default();
    let mut row = |name: &str, c: &LabelCounts| {
        let _ = writeln!(
            out,
            "| {name} | {} | {} | {} | {} | {} | {} | {} |",
            c.gold,
            c.predicted,
            rate(c.precision()),
            rate(c.recall()),
            rate(c.f1()),
            rate(c.exact_f1()),
            rate(c.leak_rate())
        );
    };
    for l in labels {
        row(l, s.scores.labels.get(l).unwrap_or(&empty));
    }
    row("**all labels**", &s.scores.total());
}

/// Markdown: a table per system; with several, F1 and leak rate side by side; then the
/// hard negatives each system flagged.
pub fn markdown(systems: &[System]) -> String {
    let labels = labels(systems);
    let mut out = String::new();
    for s in systems {
        let _ = writeln!(out, "### {}\n", s.name);
        system_table(&mut out, s, &labels);
        out.push('\n');
    }
    let empty = LabelCounts::default();
    if systems.len() > 1 {
        let names: Vec<&str> = systems.iter().map(|s| s.name).collect();
        let _ = writeln!(
            out,
            "### Side by side: F1 (overlap) and leak rate\n\n| label | gold | {} | {} |\n|---|---:|{}",
            names
                .iter()
                .map(|n| format!("F1 {n}"))
                .collect::<Vec<_>>()
                .join(" | "),
            names
                .iter()
                .map(|n| format!("leak {n}"))
                .collect::<Vec<_>>()
                .join(" | "),
            "---:|".repeat(2 * names.len())
        );
        for l in &labels {
            let get = |s: &System| s.scores.labels.get(l).unwrap_or(&empty).clone();
            let gold = systems.iter().map(|s| get(s).gold).max().unwrap_or(0);
            let f1s: Vec<String> = systems
                .iter()
                .map(|s| {
                    let c = get(s);
                    if c.predicted == 0 {
                        "—".to_owned()
                    } else {
                        rate(c.f1())
                    }
                })
                .collect();
            let leaks: Vec<String> = systems.iter().map(|s| rate(get(s).leak_rate())).collect();
            let _ = writeln!(
                out,
                "| {l} | {gold} | {} | {} |",
                f1s.join(" | "),
                leaks.join(" | ")
            );
        }
        out.push_str("\n— : the system reported nothing under this label.\n\n");
    }
    let mut kinds: Vec<(&String, &usize)> = systems
        .first()
        .map(|s| s.scores.negatives.iter().collect())
        .unwrap_or_default();
    kinds.sort();
    if !kinds.is_empty() {
        let _ = writeln!(
            out,
            "### Hard negatives flagged (false positives by kind)\n\n| kind | marked | {} |\n|---|---:|{}",
            systems
                .iter()
                .map(|s| s.name)
                .collect::<Vec<_>>()
                .join(" | "),
            "---:|".repeat(systems.len())
        );
        for (kind, n) in kinds {
            let hits: Vec<String> = systems
                .iter()
                .map(|s| {
                    s.scores
                        .negatives_hit
                        .get(kind)
                        .copied()
                        .unwrap_or(0)
                        .to_string()
                })
                .collect();
            let _ = writeln!(out, "| {kind} | {n} | {} |", hits.join(" | "));
        }
    }
    out
}

fn counts_json(c: &LabelCounts) -> Value {
    json!({
        "gold": c.gold, "predicted": c.predicted, "found": c.found, "correct": c.correct,
        "exact": c.exact, "leaked": c.leaked,
        "precision": c.precision(), "recall": c.recall(), "f1": c.f1(),
        "exact_f1": c.exact_f1(), "leak_rate": c.leak_rate(),
    })
}

/// JSON: per system, counts and measures per label and in total, and negatives flagged.
pub fn json(systems: &[System]) -> Value {
    let mut out = serde_json::Map::new();
    for s in systems {
        let labels: serde_json::Map<String, Value> = s
            .scores
            .labels
            .iter()
            .map(|(l, c)| (l.clone(), counts_json(c)))
            .collect();
        out.insert(
            s.name.to_owned(),
            json!({
                "labels": labels,
                "total": counts_json(&s.scores.total()),
                "negatives": s.scores.negatives,
                "negatives_hit": s.scores.negatives_hit,
            }),
        );
    }
    Value::Object(out)
}
