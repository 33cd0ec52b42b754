//! A bar chart of findings and documents affected per label, as a standalone SVG: plain
//! shapes and text, a white background and a `viewBox`, so it renders the same in a
//! browser, in a Markdown viewer and on a dataset hub page. No plotting library: the
//! chart is a few rectangles.

use super::Report;
use super::markdown::{labels_by_findings, thousands};
use std::fmt::Write as _;

const WIDTH: f64 = 760.0;
const ROW: f64 = 40.0;
const BAR: f64 = 14.0;
const TOP: f64 = 70.0;
const FINDINGS_COLOR: &str = "#3b6ea8";
const DOCUMENTS_COLOR: &str = "#e8873a";
const FONT: &str =
    "font-family=\"system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif\"";

/// Escapes text for an SVG text node or attribute.
fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The chart. Both bars of a label share one linear scale (a label never affects more
/// documents than it has findings); each bar is labelled with its value.
pub fn render(report: &Report) -> String {
    let labels = labels_by_findings(report);
    let t = &report.totals;
    // Label names are A-Z, 0-9 and _: about 8 px a character at 13 px.
    let left = labels
        .iter()
        .map(|(l, _)| l.len())
        .max()
        .unwrap_or(10)
        .max(10) as f64
        * 8.0
        + 24.0;
    let value_room = 110.0;
    let plot = WIDTH - left - value_room;
    let height = TOP + ROW * labels.len().max(1) as f64 + 20.0;
    let max = labels
        .iter()
        .map(|(_, c)| c.findings)
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let mut s = String::new();
    // Writing to a String cannot fail.
    let _ = writeln!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{height}\" viewBox=\"0 0 {WIDTH} {height}\" role=\"img\" aria-labelledby=\"title\">"
    );
    let _ = writeln!(
        s,
        "<title id=\"title\">Personal data found per label: findings and documents affected, {} documents scanned</title>",
        thousands(t.scanned)
    );
    let _ = writeln!(
        s,
        "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n<g {FONT} fill=\"#222222\">"
    );
    let _ = writeln!(
        s,
        "<text x=\"16\" y=\"26\" font-size=\"16\" font-weight=\"600\">Personal data found, per label</text>"
    );
    let _ = writeln!(
        s,
        "<text x=\"16\" y=\"46\" font-size=\"12\" fill=\"#555555\">{} documents scanned, {} findings in {} documents</text>",
        thousands(t.scanned),
        thousands(t.findings),
        thousands(t.redacted)
    );
    // Legend, top right.
    let lx = WIDTH - 250.0;
    for (i, (color, name)) in [
        (FINDINGS_COLOR, "findings"),
        (DOCUMENTS_COLOR, "documents affected"),
    ]
    .iter()
    .enumerate()
    {
        let x = lx + i as f64 * 90.0;
        let _ = writeln!(
            s,
            "<rect x=\"{x}\" y=\"36\" width=\"12\" height=\"12\" fill=\"{color}\"/><text x=\"{}\" y=\"46\" font-size=\"12\">{name}</text>",
            x + 16.0
        );
    }
    if labels.is_empty() {
        let _ = writeln!(
            s,
            "<text x=\"16\" y=\"{}\" font-size=\"13\">No personal data was found.</text>",
            TOP + 24.0
        );
    }
    for (i, (label, count)) in labels.iter().enumerate() {
        let y = TOP + i as f64 * ROW;
        let _ = writeln!(
            s,
            "<text x=\"{}\" y=\"{}\" font-size=\"13\" text-anchor=\"end\">{}</text>",
            left - 10.0,
            y + BAR + 4.0,
            escape(label)
        );
        for (k, (value, color)) in [
            (count.findings, FINDINGS_COLOR),
            (count.documents, DOCUMENTS_COLOR),
        ]
        .iter()
        .enumerate()
        {
            // A non-zero count stays visible however small it is next to the largest.
            let w = if *value == 0 {
                0.0
            } else {
                (*value as f64 / max * plot).max(1.0)
            };
            let by = y + k as f64 * (BAR + 2.0);
            let _ = writeln!(
                s,
                "<rect x=\"{left}\" y=\"{by}\" width=\"{w:.1}\" height=\"{BAR}\" fill=\"{color}\"/><text x=\"{:.1}\" y=\"{}\" font-size=\"11\">{}</text>",
                left + w + 6.0,
                by + BAR - 3.0,
                thousands(*value)
            );
        }
    }
    let _ = writeln!(s, "</g>\n</svg>");
    s
}
