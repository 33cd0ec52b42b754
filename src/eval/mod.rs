//! Detection quality against a labeled corpus: precision, recall, F1 and leak rate per
//! label, for shardscrub or for any tool whose spans are given in `scan`'s format.
//!
//! # Gold corpus
//! JSONL, one document a line (corpus/quality/gold.jsonl, made by `gen-gold`):
//! `{"id":N,"kind":"..","lang":"..","text":"..","spans":[{"start":B,"end":B,"label":".."}],
//! "negatives":[{"start":B,"end":B,"kind":".."}]}` with byte offsets into `text`.
//! `spans` are the answers; `negatives` (optional) mark look-alikes that are not personal
//! data, so false positives can be traced to their kind (a version, a hash...).
//!
//! # Predictions
//! The lines `shardscrub scan --format jsonl` prints: `{"line":N,"spans":[{"start":B,
//! "end":B,"label":".."}]}`, where line N is the N-th gold document. Documents without a
//! line have no predictions. Other tools (Presidio) are scored from a file in this form.
//!
//! # Measures, per label
//! - **overlap**: a gold span is found when a prediction with its label overlaps it; a
//!   prediction is correct when it overlaps a gold span with its label. Precision =
//!   correct / predictions, recall = found / gold. A value cut short still counts as
//!   found: most of it is gone.
//! - **exact**: a prediction is correct only with the gold span's label, start and end.
//! - **leak rate**: the share of gold values whose text still appears, whole, in the
//!   document after every predicted span (any label) is replaced by `<LABEL>`.
//!
//! F1 is the harmonic mean of precision and recall; with no gold and no prediction for
//! a label, the label is not scored.

pub mod floors;
pub mod table;

use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A labeled span: a gold answer or a prediction.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub struct Labeled {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// The label (`EMAIL_ADDRESS`, ...).
    pub label: String,
}

/// A marked hard negative.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub struct Negative {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// What it is (`version`, `git_sha`, `bad_checksum`, ...).
    pub kind: String,
}

/// One document of the gold corpus.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct GoldDoc {
    /// The document's text.
    pub text: String,
    /// The answers.
    pub spans: Vec<Labeled>,
    /// Look-alikes that are not personal data.
    #[serde(default)]
    pub negatives: Vec<Negative>,
    /// The kind of document (prose, email, log, code...), for breakdowns.
    #[serde(default)]
    pub kind: String,
}

fn bad(source: &str, line: usize, reason: impl std::fmt::Display) -> Error {
    Error::input(reason.to_string()).at(source, Some(line as u64))
}

fn check_spans<'a>(
    text: &str,
    spans: impl Iterator<Item = (usize, usize)> + 'a,
    source: &str,
    line: usize,
) -> Result<()> {
    for (start, end) in spans {
        if start >= end || end > text.len() {
            return Err(bad(
                source,
                line,
                format!(
                    "span {start}..{end} is empty or outside the text's {} bytes",
                    text.len()
                ),
            ));
        }
        if !text.is_char_boundary(start) || !text.is_char_boundary(end) {
            return Err(bad(
                source,
                line,
                format!("span {start}..{end} does not fall on character boundaries"),
            ));
        }
    }
    Ok(())
}

/// Reads a gold corpus. `source` names it in errors, which give the line and the reason,
/// never text.
///
/// # Errors
/// A line that is not a gold document, or a span outside its text.
pub fn read_gold(text: &str, source: &str) -> Result<Vec<GoldDoc>> {
    let mut docs = Vec::new();
    for item in json_lines::<GoldDoc>(text, source, "a gold document") {
        let (n, doc) = item?;
        let spans = doc.spans.iter().map(|s| (s.start, s.end));
        check_spans(&doc.text, spans, source, n)?;
        let negatives = doc.negatives.iter().map(|s| (s.start, s.end));
        check_spans(&doc.text, negatives, source, n)?;
        docs.push(doc);
    }
    if docs.is_empty() {
        return Err(Error::input("no documents").at(source, None));
    }
    Ok(docs)
}

/// The non-blank lines of `text` parsed as `T`, each with its 1-based number. A line
/// that is not `what` is an error naming `source`, the line, and why serde_json refused
/// it (the kind of error and the column, never the value).
fn json_lines<'a, T: serde::de::DeserializeOwned>(
    text: &'a str,
    source: &'a str,
    what: &'a str,
) -> impl Iterator<Item = Result<(usize, T)>> + 'a {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(move |(i, line)| {
            serde_json::from_str(line).map(|v| (i + 1, v)).map_err(|e| {
                let why = format!("{:?} error at column {}", e.classify(), e.column());
                bad(source, i + 1, format!("not {what}: {why}"))
            })
        })
}

#[derive(Deserialize)]
struct PredictionLine {
    line: usize,
    spans: Vec<Labeled>,
}

/// Reads predictions in `scan`'s format for `docs` gold documents; the result has one
/// list per document.
///
/// # Errors
/// A line that is not in that form, a line number outside the corpus, or a span outside
/// its document.
pub fn read_predictions(text: &str, source: &str, gold: &[GoldDoc]) -> Result<Vec<Vec<Labeled>>> {
    let mut out = vec![Vec::new(); gold.len()];
    for item in json_lines::<PredictionLine>(text, source, "a scan line") {
        let (n, p) = item?;
        if p.line == 0 || p.line > gold.len() {
            return Err(bad(
                source,
                n,
                format!(
                    "document {} is not in the gold corpus ({} documents)",
                    p.line,
                    gold.len()
                ),
            ));
        }
        let doc = &gold[p.line - 1];
        check_spans(
            &doc.text,
            p.spans.iter().map(|s| (s.start, s.end)),
            source,
            n,
        )?;
        out[p.line - 1].extend(p.spans);
    }
    Ok(out)
}

/// Counts for one label.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct LabelCounts {
    /// Gold spans.
    pub gold: usize,
    /// Predicted spans.
    pub predicted: usize,
    /// Gold spans overlapped by a prediction with the label.
    pub found: usize,
    /// Predictions overlapping a gold span with the label.
    pub correct: usize,
    /// Predictions equal to a gold span (start, end, label).
    pub exact: usize,
    /// Gold values whose text is still in the redacted document.
    pub leaked: usize,
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

fn f1(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

impl LabelCounts {
    /// Overlap precision (1 with no predictions).
    pub fn precision(&self) -> f64 {
        ratio(self.correct, self.predicted)
    }
    /// Overlap recall (1 with no gold spans).
    pub fn recall(&self) -> f64 {
        ratio(self.found, self.gold)
    }
    /// Overlap F1.
    pub fn f1(&self) -> f64 {
        f1(self.precision(), self.recall())
    }
    /// Exact-span F1.
    pub fn exact_f1(&self) -> f64 {
        f1(
            ratio(self.exact, self.predicted),
            ratio(self.exact, self.gold),
        )
    }
    /// Share of gold values left in the output.
    pub fn leak_rate(&self) -> f64 {
        if self.gold == 0 {
            0.0
        } else {
            self.leaked as f64 / self.gold as f64
        }
    }
    fn add(&mut self, o: &LabelCounts) {
        self.gold += o.gold;
        self.predicted += o.predicted;
        self.found += o.found;
        self.correct += o.correct;
        self.exact += o.exact;
        self.leaked += o.leaked;
    }
}

/// The scores of one system on a corpus.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Scores {
    /// Counts per label (gold and predicted labels alike).
    pub labels: BTreeMap<String, LabelCounts>,
    /// Predictions overlapping a marked negative, per negative kind.
    pub negatives_hit: BTreeMap<String, usize>,
    /// Marked negatives per kind.
    pub negatives: BTreeMap<String, usize>,
}

impl Scores {
    /// All labels summed (micro average).
    pub fn total(&self) -> LabelCounts {
        let mut t = LabelCounts::default();
        for c in self.labels.values() {
            t.add(c);
        }
        t
    }
}

fn overlaps(a: (usize, usize), b: (usize, usize)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

/// `text` with every span replaced by `<LABEL>` (overlapping spans merged, the first
/// label kept): the output a redactor with these findings would write.
pub fn redacted(text: &str, spans: &[Labeled]) -> String {
    let mut sorted: Vec<&Labeled> = spans.iter().collect();
    sorted.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for s in sorted {
        if s.end <= at {
            continue;
        }
        let start = s.start.max(at);
        out.push_str(&text[at..start]);
        if start == s.start {
            out.push('<');
            out.push_str(&s.label);
            out.push('>');
        }
        at = s.end;
    }
    out.push_str(&text[at..]);
    out
}

/// Scores `predicted` (one list per document) against `gold`.
pub fn score(gold: &[GoldDoc], predicted: &[Vec<Labeled>]) -> Scores {
    let mut s = Scores::default();
    for (doc, pred) in gold.iter().zip(predicted) {
        let out = redacted(&doc.text, pred);
        for g in &doc.spans {
            let c = s.labels.entry(g.label.clone()).or_default();
            c.gold += 1;
            if pred
                .iter()
                .any(|p| p.label == g.label && overlaps((p.start, p.end), (g.start, g.end)))
            {
                c.found += 1;
            }
            if out.contains(&doc.text[g.start..g.end]) {
                c.leaked += 1;
            }
        }
        for p in pred {
            let c = s.labels.entry(p.label.clone()).or_default();
            c.predicted += 1;
            if doc
                .spans
                .iter()
                .any(|g| p.label == g.label && overlaps((p.start, p.end), (g.start, g.end)))
            {
                c.correct += 1;
            }
            if doc.spans.contains(p) {
                c.exact += 1;
            }
            for n in &doc.negatives {
                if overlaps((p.start, p.end), (n.start, n.end)) {
                    *s.negatives_hit.entry(n.kind.clone()).or_default() += 1;
                }
            }
        }
        for n in &doc.negatives {
            *s.negatives.entry(n.kind.clone()).or_default() += 1;
        }
    }
    s
}

/// What went wrong with one span, for `eval --errors`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mistake {
    /// A gold span no prediction with its label overlaps.
    Missed,
    /// A prediction overlapping no gold span with its label.
    FalsePositive,
    /// A prediction overlapping a gold span with its label, but not equal to it.
    Boundary,
}

/// One mistake: which document (0-based), which span, which label.
#[derive(Clone, Debug)]
pub struct Case {
    /// Index of the document in the corpus.
    pub doc: usize,
    /// The gold span (misses) or the prediction.
    pub span: Labeled,
    /// What went wrong.
    pub mistake: Mistake,
}

/// The mistakes in `predicted`, in document order.
pub fn mistakes(gold: &[GoldDoc], predicted: &[Vec<Labeled>]) -> Vec<Case> {
    let mut out = Vec::new();
    for (i, (doc, pred)) in gold.iter().zip(predicted).enumerate() {
        let same = |a: &Labeled, b: &Labeled| {
            a.label == b.label && overlaps((a.start, a.end), (b.start, b.end))
        };
        for g in &doc.spans {
            if !pred.iter().any(|p| same(p, g)) {
                out.push(Case {
                    doc: i,
                    span: g.clone(),
                    mistake: Mistake::Missed,
                });
            }
        }
        for p in pred {
            let mistake = if !doc.spans.iter().any(|g| same(p, g)) {
                Mistake::FalsePositive
            } else if !doc.spans.contains(p) {
                Mistake::Boundary
            } else {
                continue;
            };
            out.push(Case {
                doc: i,
                span: p.clone(),
                mistake,
            });
        }
    }
    out
}

/// Predictions of a configured redactor for every gold document.
pub fn predict(redactor: &crate::Redactor, gold: &[GoldDoc]) -> Vec<Vec<Labeled>> {
    gold.iter()
        .map(|d| {
            redactor
                .scan(&d.text)
                .into_iter()
                .map(|f| Labeled {
                    start: f.start,
                    end: f.end,
                    label: f.label.as_str().to_owned(),
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(start: usize, end: usize, label: &str) -> Labeled {
        Labeled {
            start,
            end,
            label: label.into(),
        }
    }

    fn doc(text: &str, spans: Vec<Labeled>) -> GoldDoc {
        GoldDoc {
            text: text.into(),
            spans,
            negatives: vec![Negative {
                start: 0,
                end: 4,
                kind: "version".into(),
            }],
            kind: String::new(),
        }
    }

    #[test]
    fn overlap_exact_and_leak_are_counted_apart() {
        // "1.2.3 mail a@b.eu call +44 20 7946 0000"
        let text = "1.2.3 mail a@b.eu call +44 20 7946 0000";
        let gold = vec![doc(
            text,
            vec![span(11, 17, "EMAIL_ADDRESS"), span(23, 39, "PHONE_NUMBER")],
        )];
        // The email exactly, the phone without its "+44 " (overlap, not exact), a
        // version number as a phone (false positive on a negative).
        let pred = vec![vec![
            span(11, 17, "EMAIL_ADDRESS"),
            span(27, 39, "PHONE_NUMBER"),
            span(0, 5, "PHONE_NUMBER"),
        ]];
        let s = score(&gold, &pred);
        let e = &s.labels["EMAIL_ADDRESS"];
        assert_eq!((e.gold, e.found, e.exact, e.leaked), (1, 1, 1, 0));
        assert_eq!(e.f1(), 1.0);
        let p = &s.labels["PHONE_NUMBER"];
        assert_eq!(
            (p.gold, p.predicted, p.found, p.correct, p.exact, p.leaked),
            (1, 2, 1, 1, 0, 0)
        );
        assert_eq!(p.precision(), 0.5);
        assert_eq!(p.exact_f1(), 0.0);
        assert_eq!(s.negatives_hit["version"], 1);
    }

    #[test]
    fn a_value_missed_or_under_another_label_leaks_or_not() {
        let text = "id 4111 1111 1111 1111 and 5555 5555 5555 4444";
        let gold = vec![doc(
            text,
            vec![span(3, 22, "CREDIT_CARD"), span(27, 46, "CREDIT_CARD")],
        )];
        // The first redacted under a wrong label (not found, but not leaked either: its
        // text is gone); the second missed, so it leaks.
        let pred = vec![vec![span(3, 22, "PHONE_NUMBER")]];
        let c = &score(&gold, &pred).labels["CREDIT_CARD"];
        assert_eq!((c.found, c.leaked), (0, 1));
        assert_eq!(c.leak_rate(), 0.5);
        assert_eq!(
            redacted(text, &pred[0]),
            "id <PHONE_NUMBER> and 5555 5555 5555 4444"
        );
    }

    #[test]
    fn overlapping_predictions_make_one_placeholder() {
        let p = vec![span(0, 5, "A"), span(3, 8, "B"), span(10, 12, "C")];
        assert_eq!(redacted("0123456789ab", &p), "<A>89<C>");
    }

    #[test]
    fn bad_gold_lines_name_the_line_not_the_text() {
        let e = read_gold(
            "{\"text\":\"secret-value\",\"spans\":[{\"start\":3,\"end\":99,\"label\":\"X\"}]}",
            "g.jsonl",
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("g.jsonl") && e.contains('1') && e.contains("outside"),
            "{e}"
        );
        assert!(!e.contains("secret-value"), "{e}");
        let e = read_gold("{\"text\": secret-value}", "g.jsonl")
            .unwrap_err()
            .to_string();
        assert!(!e.contains("secret-value"), "{e}");
    }

    #[test]
    fn predictions_for_a_document_outside_the_corpus_are_refused() {
        let gold = vec![doc("abcdef", vec![])];
        let e = read_predictions("{\"line\":2,\"spans\":[]}", "p.jsonl", &gold).unwrap_err();
        assert!(e.to_string().contains("not in the gold corpus"), "{e}");
        let ok = read_predictions(
            "{\"line\":1,\"spans\":[{\"start\":0,\"end\":2,\"label\":\"A\"}]}",
            "p",
            &gold,
        )
        .unwrap();
        assert_eq!(ok, vec![vec![span(0, 2, "A")]]);
    }
}
