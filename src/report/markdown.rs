//! The report as a "Personal data redaction" section for a dataset card (Markdown).
//! A pure function of the [`Report`], so `shardscrub report` reproduces the section a
//! run wrote, byte for byte.

use super::{Report, ShardStatus};
use crate::stats::Count;
use std::fmt::Write as _;

/// File name of the chart the section links to (written beside it).
pub const CHART_FILE: &str = "redaction-report.svg";

/// Country-specific labels and phone rules are named `XX_...` / `phone_xx` after an
/// ISO 3166 code; these are the countries the known-limits paragraph can name.
const COUNTRIES: &[(&str, &str)] = &[
    ("BE", "Belgium"),
    ("BR", "Brazil"),
    ("DE", "Germany"),
    ("DK", "Denmark"),
    ("ES", "Spain"),
    ("FI", "Finland"),
    ("FR", "France"),
    ("IN", "India"),
    ("IT", "Italy"),
    ("NL", "the Netherlands"),
    ("PL", "Poland"),
    ("PT", "Portugal"),
    ("SE", "Sweden"),
    ("UK", "the United Kingdom"),
    ("US", "the United States"),
];

/// `1234567` as `1,234,567`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `n` and the noun, singular or plural: `1 shard`, `1,200 shards`.
pub(crate) fn many(n: u64, one: &str, more: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { more })
}

/// A byte count in decimal units: `1.23 GB`.
pub(crate) fn size(bytes: u64) -> String {
    const UNITS: &[&str] = &["bytes", "kB", "MB", "GB", "TB", "PB"];
    let mut v = bytes as f64;
    let mut u = 0;
    while v >= 1000.0 && u + 1 < UNITS.len() {
        v /= 1000.0;
        u += 1;
    }
    match u {
        0 => format!("{bytes} bytes"),
        _ => format!("{v:.2} {}", UNITS[u]),
    }
}

/// `part` of `whole` as a percentage with one decimal (`<0.1%` for small non-zero
/// shares, so that a finding never reads as 0%).
pub(crate) fn share(part: u64, whole: u64) -> String {
    if whole == 0 {
        return "-".into();
    }
    let p = part as f64 * 100.0 / whole as f64;
    if part > 0 && p < 0.05 {
        "<0.1%".into()
    } else {
        format!("{p:.1}%")
    }
}

/// Labels with findings, most findings first (then by name).
pub fn labels_by_findings(report: &Report) -> Vec<(&str, Count)> {
    let mut labels: Vec<(&str, Count)> = report
        .totals
        .labels
        .iter()
        .filter(|(_, c)| c.findings > 0)
        .map(|(l, c)| (l.as_ref(), *c))
        .collect();
    labels.sort_by(|a, b| b.1.findings.cmp(&a.1.findings).then(a.0.cmp(b.0)));
    labels
}

fn setting<'a>(report: &'a Report, key: &str) -> &'a serde_json::Value {
    report
        .provenance
        .settings
        .get(key)
        .unwrap_or(&serde_json::Value::Null)
}

/// How placeholders look, in words, from the `style` and `placeholder` settings.
fn placeholder_words(report: &Report) -> String {
    let template = setting(report, "placeholder")
        .as_str()
        .unwrap_or("<{label}>");
    let tag = template.replace("{label}", "EMAIL_ADDRESS");
    match setting(report, "style").as_str().unwrap_or("tag") {
        "numbered" => format!(
            "a placeholder numbered per document, such as `{}` (style `numbered`)",
            template.replace("{label}", "EMAIL_ADDRESS_1")
        ),
        "hmac" => format!(
            "a keyed hash of the value, such as `{}` (style `hmac`: equal values get equal placeholders; the key is not recorded)",
            template.replace("{label}", "EMAIL_ADDRESS:9f2c1a7b04d3e5f6")
        ),
        "mask" => "asterisks in place of its letters and digits (style `mask`)".into(),
        _ => format!("a typed placeholder such as `{tag}` (style `tag`)"),
    }
}

/// Countries named by the rule set: those of labels `XX_...` and, separately, of
/// national phone rules `phone_xx`.
fn countries(report: &Report) -> (Vec<&'static str>, Vec<&'static str>) {
    let name = |code: &str| {
        COUNTRIES
            .iter()
            .find(|(c, _)| c.eq_ignore_ascii_case(code))
            .map(|(_, n)| *n)
    };
    let mut ids = Vec::new();
    let mut phones = Vec::new();
    for r in &report.provenance.rules.ids {
        if let Some((cc, _)) = r.label.split_once('_')
            && r.label != "PHONE_NUMBER"
            && let Some(n) = name(cc)
            && !ids.contains(&n)
        {
            ids.push(n);
        }
        if let Some(cc) = r.id.strip_prefix("phone_")
            && let Some(n) = name(cc)
            && !phones.contains(&n)
        {
            phones.push(n);
        }
    }
    let key = |n: &&str| n.trim_start_matches("the ").to_owned();
    ids.sort_by_key(key);
    phones.sort_by_key(key);
    (ids, phones)
}

pub(crate) fn list(items: &[&str]) -> String {
    match items {
        [] => "none".into(),
        [one] => (*one).into(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// The Markdown section.
pub fn render(report: &Report) -> String {
    let mut md = String::new();
    // Writing to a String cannot fail: the `let _ =` below discard nothing.
    let t = &report.totals;
    let p = &report.provenance;
    let _ = writeln!(md, "## Personal data redaction\n");
    let _ = writeln!(
        md,
        "<!-- Written by {} {} from the statistics in redaction-report.json: counts only, no document text. -->\n",
        p.tool.name, p.tool.version
    );

    // What was scanned.
    let mut formats: Vec<&str> = report
        .shards
        .iter()
        .map(|s| match s.format {
            crate::input::Format::Jsonl => "JSONL",
            crate::input::Format::Text => "text",
            crate::input::Format::Parquet => "Parquet",
        })
        .collect();
    formats.sort_unstable();
    formats.dedup();
    let c = &report.shard_count;
    let _ = write!(
        md,
        "**What was scanned.** {} ({}), {}, {} of text",
        many(c.done as u64, "shard", "shards"),
        list(&formats),
        many(t.documents, "document", "documents"),
        size(t.bytes_in)
    );
    // The formats that have fields: JSON keys, Parquet columns.
    let fielded: Vec<&str> = formats.iter().copied().filter(|f| *f != "text").collect();
    if !fielded.is_empty()
        && let Some(fields) = setting(report, "fields").as_array()
    {
        let names: Vec<String> = fields
            .iter()
            .filter_map(|f| f.as_str())
            .map(|f| format!("`{f}`"))
            .collect();
        let _ = write!(
            md,
            "; in {}, the field{} {} of each record",
            list(&fielded),
            if names.len() == 1 { "" } else { "s" },
            list(&names.iter().map(String::as_str).collect::<Vec<_>>())
        );
    }
    let _ = writeln!(md, ".");
    if c.skipped > 0 {
        let _ = writeln!(
            md,
            "{} could not be read as a whole (empty or truncated) and skipped; `redaction-report.json` names them and why.",
            many(c.skipped as u64, "shard", "shards")
        );
    }
    if c.duplicates > 0 {
        let _ = writeln!(
            md,
            "{} repeated an input already counted and {} not counted again (see `duplicates` in `redaction-report.json`).",
            many(
                c.duplicates as u64,
                "statistics entry",
                "statistics entries"
            ),
            if c.duplicates == 1 { "was" } else { "were" }
        );
    }
    match setting(report, "on_error").as_str() {
        Some("skip" | "keep") => {
            let _ = writeln!(
                md,
                "Bad records (invalid UTF-8, malformed JSON, a missing field, over-long): {} left out, {} copied unredacted.",
                thousands(t.skipped),
                thousands(t.kept)
            );
        }
        _ => {
            let _ = writeln!(
                md,
                "A bad record (invalid UTF-8, malformed JSON, a missing field) stops the run, so every document was scanned."
            );
        }
    }

    // Method.
    let _ = writeln!(
        md,
        "\n**Method.** Every document was scanned with {} {}'s {} pattern rules (regular expressions behind literal prefilters), and each candidate was confirmed by a validator where its format has one (Luhn for card numbers, mod-97 for IBANs, national ID checksums, entropy for secrets). Each finding was replaced by {}.",
        p.tool.name,
        p.tool.version,
        p.rules.count,
        placeholder_words(report)
    );

    // Findings.
    let labels = labels_by_findings(report);
    if labels.is_empty() {
        let _ = writeln!(md, "\nNo personal data was found.");
    } else {
        let _ = writeln!(
            md,
            "\n| Label | Findings | Documents affected | Share of documents |\n|---|---:|---:|---:|"
        );
        for (label, count) in &labels {
            let _ = writeln!(
                md,
                "| `{label}` | {} | {} | {} |",
                thousands(count.findings),
                thousands(count.documents),
                share(count.documents, t.scanned)
            );
        }
        let _ = writeln!(
            md,
            "| **Any label** | **{}** | **{}** | **{}** |",
            thousands(t.findings),
            thousands(t.redacted),
            share(t.redacted, t.scanned)
        );
        let _ = writeln!(
            md,
            "\nShares are of the {} documents scanned.\n\n![Findings and documents affected per label]({CHART_FILE})",
            thousands(t.scanned)
        );
    }

    // Dropped.
    let _ = write!(md, "\n**Dropped.** ");
    match setting(report, "drop_doc_over").as_u64() {
        Some(max) => {
            let _ = writeln!(
                md,
                "Documents with more than {} were left out of the output: {} ({} of those scanned), with {} (not in the table).",
                many(max, "finding", "findings"),
                many(t.dropped, "document", "documents"),
                share(t.dropped, t.scanned),
                many(t.dropped_findings, "finding", "findings")
            );
        }
        None => {
            let _ = writeln!(
                md,
                "No document was left out for its number of findings (`--drop-doc-over` was not set)."
            );
        }
    }

    // Opt-out lists.
    if !t.opt_out.is_empty() {
        let _ = writeln!(
            md,
            "\n**Opt-out lists.** {} named by {} (domains, URL prefixes or field values; see `training-content-summary.md` for the lists by file and sha256) {} left out before scanning, with {} of text.",
            many(t.opt_out.documents, "document", "documents"),
            many(
                t.opt_out.lists.len() as u64,
                "opt-out list",
                "opt-out lists"
            ),
            if t.opt_out.documents == 1 {
                "was"
            } else {
                "were"
            },
            size(t.opt_out.text_bytes)
        );
    }

    // Allow lists.
    let kept: u64 = t.allowed.values().sum();
    let user_lists = setting(report, "allow").as_array().map_or(0, Vec::len);
    let builtin = setting(report, "default_allow").as_bool().unwrap_or(true);
    let lists = match (builtin, user_lists) {
        (true, 0) => "the built-in list of documentation domains such as example.com".to_owned(),
        (true, n) => format!(
            "the built-in list of documentation domains and {n} user list{}",
            if n == 1 { "" } else { "s" }
        ),
        (false, n) => format!("{n} user list{}", if n == 1 { "" } else { "s" }),
    };
    let _ = write!(md, "\n**Kept by allow lists.** ");
    if kept == 0 {
        let _ = writeln!(md, "No value was kept by an allow list ({lists}).");
    } else {
        let per: Vec<String> = t
            .allowed
            .iter()
            .filter(|(_, n)| **n > 0)
            .map(|(l, n)| format!("`{l}` {}", thousands(*n)))
            .collect();
        let _ = writeln!(
            md,
            "{} matched a rule but {} left as {} because {} on an allow list ({lists}): {}.",
            many(kept, "value", "values"),
            if kept == 1 { "was" } else { "were" },
            if kept == 1 { "it is" } else { "they are" },
            if kept == 1 { "it is" } else { "they are" },
            per.join(", ")
        );
    }

    // Reproduce.
    let _ = writeln!(
        md,
        "\n**Reproduce.** Rule set `{}` ({} rules, sha256 `{}`), settings fingerprint `{}`. The same inputs give byte-identical outputs with:\n",
        p.rules.version, p.rules.count, p.rules.hash, p.fingerprint
    );
    let _ = writeln!(
        md,
        "```sh\n{}\n```\n",
        p.command
            .as_deref()
            .unwrap_or("(the command was not recorded)")
    );
    let _ = writeln!(
        md,
        "`redaction-report.json` lists every shard with the sha256 of its input and output, and the counts per label and per rule."
    );

    // Known limits.
    let _ = writeln!(md, "\n**Known limits.**\n");
    let deny = setting(report, "deny")
        .as_array()
        .is_some_and(|d| !d.is_empty());
    let _ = writeln!(
        md,
        "- Detection is by pattern. Names of people are found in the structures that carry them (before an e-mail address, after `@author`, in form fields and name columns of CSV tables, after a title or a greeting, under a closing, as a chat speaker, in copyright lines) and in running text when they start with a first name from the US Census list; other names in prose (first names outside that list, single names), postal addresses, dates of birth and other personal data without a fixed format are not detected (there is no named-entity model){}.",
        if deny {
            ", except the literal values of the deny lists given"
        } else {
            ""
        }
    );
    let filtered = !setting(report, "labels").is_null()
        || setting(report, "exclude_labels")
            .as_array()
            .is_some_and(|l| !l.is_empty());
    if filtered {
        let mut labels: Vec<&str> = p.rules.ids.iter().map(|r| r.label.as_str()).collect();
        labels.sort_unstable();
        labels.dedup();
        let labels: Vec<String> = labels.iter().map(|l| format!("`{l}`")).collect();
        let _ = writeln!(
            md,
            "- Only some labels were searched for (`--labels`, `--exclude-labels`): {}.",
            list(&labels.iter().map(String::as_str).collect::<Vec<_>>())
        );
    }
    let (ids, phones) = countries(report);
    let international = p.rules.ids.iter().any(|r| r.id == "phone_international");
    let mut coverage = Vec::new();
    if !ids.is_empty() {
        coverage.push(format!(
            "national identifiers are recognised for {}",
            list(&ids)
        ));
    }
    if !phones.is_empty() {
        coverage.push(format!(
            "phone numbers in national form for {}",
            list(&phones)
        ));
    }
    if international {
        coverage.push("phone numbers in international form (+CC) for every country code".into());
    }
    if !coverage.is_empty() {
        let mut line = coverage.join("; ");
        line[..1].make_ascii_uppercase();
        let _ = writeln!(md, "- {line}.");
    }
    let _ = writeln!(
        md,
        "- The context words some rules require are English and the identifier's national language; documents in other languages are covered where a value's format and checksum suffice.\n\
         - A checksum cannot tell a real identifier from a well-formed invented one, and unusual formats can be missed. Precision can be estimated by reading an audit sample (`shardscrub redact --audit-sample N`)."
    );
    if report
        .shards
        .iter()
        .any(|s| s.status == ShardStatus::Skipped)
    {
        let _ = writeln!(
            md,
            "- Skipped shards were not redacted and are not part of the output."
        );
    }
    md
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_people_write_them() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(size(999), "999 bytes");
        assert_eq!(size(1_234_000), "1.23 MB");
        assert_eq!(size(5_000_000_000), "5.00 GB");
        assert_eq!(share(0, 10), "0.0%");
        assert_eq!(share(1, 10_000), "<0.1%");
        assert_eq!(share(1, 8), "12.5%");
        assert_eq!(share(1, 0), "-");
        assert_eq!(list(&["a", "b", "c"]), "a, b and c");
    }
}
