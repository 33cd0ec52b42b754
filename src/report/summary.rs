//! The parts of the AI Office's "Template for the Public Summary of Training Content"
//! (Article 53(1)(d) of the AI Act) that a set of shards can answer, under the
//! template's section headings, as Markdown: the text size, the top domain names by
//! content size (with `--url-field`), the opt-out lists applied and what they removed,
//! and the personal-data processing. What only the provider knows (who it is, the model,
//! other sources) is left as marked blanks. A pure function of the [`Report`] and the
//! SME flag, so `shardscrub report --format summary` reproduces a run's file byte for
//! byte.

use super::Report;
use super::markdown::{many, share, size, thousands};
use crate::stats::Size;
use std::fmt::Write as _;

/// File name of the summary beside the report.
pub const SUMMARY_FILE: &str = "training-content-summary.md";

/// Bytes of UTF-8 text per token assumed to place the text in the template's size
/// ranges (the provider's tokenizer gives the real count).
const BYTES_PER_TOKEN: u64 = 4;

/// A blank for the provider to fill in.
const BLANK: &str = "_[to be completed by the provider]_";

/// How many of `n` domains the template asks for: the top 10%, or for small and
/// medium-sized enterprises the top 5% or 1,000, whichever is lower (rounded up, so a
/// dataset with any domain lists at least one).
pub fn domains_asked(n: usize, sme: bool) -> usize {
    if sme {
        n.div_ceil(20).min(1000)
    } else {
        n.div_ceil(10)
    }
}

/// The domains with kept text, largest first (then by name), with their sizes.
pub fn ranked(report: &Report) -> Vec<(&str, Size)> {
    let mut v: Vec<(&str, Size)> = report
        .totals
        .domains
        .sizes
        .iter()
        .filter(|(k, s)| crate::web::is_domain(k) && s[0] > 0)
        .map(|(k, s)| (&**k, *s))
        .collect();
    v.sort_by(|a, b| b.1[1].cmp(&a.1[1]).then(a.0.cmp(b.0)));
    v
}

/// The template's range for a token count.
fn token_range(tokens: u64) -> &'static str {
    if tokens < 1_000_000_000 {
        "Less than 1 billion tokens"
    } else if tokens <= 10_000_000_000_000 {
        "1 billion to 10 trillion tokens"
    } else {
        "More than 10 trillion tokens"
    }
}

/// The summary.
pub fn render(report: &Report, sme: bool) -> String {
    let mut md = String::new();
    let t = &report.totals;
    let p = &report.provenance;
    let d = &t.domains;
    let with_urls = !d.is_empty();
    let kept_text: u64 = d.sizes.values().map(|s| s[1]).sum();
    let _ = writeln!(
        md,
        "# Public summary of training content: the parts this dataset answers\n\n\
         <!-- Written by {} {} from redaction-report.json: counts, domain names and list checksums only. -->\n\n\
         This fills in, under the headings of the AI Office's template for the public summary of training content (Article 53(1)(d) AI Act), what the processed shards can tell. Parts marked {BLANK} need the provider; sections this dataset cannot speak to are left out.\n",
        p.tool.name, p.tool.version
    );

    let _ = writeln!(md, "## 1. General information\n");
    let _ = writeln!(md, "### 1.1. Provider identification\n\n{BLANK}\n");
    let _ = writeln!(md, "### 1.2. Model identification\n\n{BLANK}\n");
    let _ = writeln!(
        md,
        "### 1.3. Modalities, overall training data size and other characteristics\n"
    );
    let _ = writeln!(md, "- Modality: text.");
    if with_urls {
        let tokens = kept_text / BYTES_PER_TOKEN;
        let _ = writeln!(
            md,
            "- Size of this dataset: {} of text in {} (UTF-8 bytes of the fields {}). At {BYTES_PER_TOKEN} bytes per token that is about {} tokens: **{}**. Replace the estimate with your tokenizer's count, and add the other datasets the model was trained on.",
            size(kept_text),
            many(
                t.documents - t.dropped - t.opt_out.documents - t.skipped,
                "document",
                "documents"
            ),
            fields(report),
            thousands(tokens),
            token_range(tokens)
        );
    } else {
        let _ = writeln!(
            md,
            "- Size of this dataset: {} of output (uncompressed, record syntax included) in {}. Run with `--url-field` for the text size alone. Replace with your tokenizer's count, and add the other datasets the model was trained on.",
            size(t.bytes_out),
            many(
                t.documents - t.dropped - t.opt_out.documents - t.skipped,
                "document",
                "documents"
            ),
        );
    }
    let _ = writeln!(
        md,
        "- Other characteristics (languages, period of collection): {BLANK}\n"
    );

    let _ = writeln!(md, "## 2. List of data sources\n");
    let _ = writeln!(
        md,
        "Sections 2.1 (publicly available datasets), 2.2 (private datasets from third parties), 2.4 (user data), 2.5 (synthetic data) and 2.6 (other sources): {BLANK}\n"
    );
    let _ = writeln!(
        md,
        "### 2.3. Data crawled and scraped from online sources\n"
    );
    let _ = writeln!(
        md,
        "Crawlers used, their purposes and behaviour, the period of collection: {BLANK}\n"
    );
    if with_urls {
        domain_table(&mut md, report, sme);
    } else {
        let _ = writeln!(
            md,
            "Domain names: not measured (the run had no `--url-field`).\n"
        );
    }

    let _ = writeln!(md, "## 3. Data processing aspects\n");
    let _ = writeln!(
        md,
        "### 3.1. Respect of reservation of rights from text and data mining exception or limitation\n"
    );
    opt_outs(&mut md, report);
    let _ = writeln!(md, "### 3.2. Removal of illegal content\n\n{BLANK}\n");
    let _ = writeln!(md, "### 3.3. Other information\n");
    let kinds = super::markdown::labels_by_findings(report).len();
    let _ = writeln!(
        md,
        "**Personal data.** Every kept document was scanned for personal data with {} {} ({} pattern rules with validators, rule set `{}`, sha256 `{}`): {} in {} ({} of those scanned) were replaced by placeholders, across {}. The dataset card's \"Personal data redaction\" section (`redaction-report.md`) has the table per label and how to reproduce the run.",
        p.tool.name,
        p.tool.version,
        p.rules.count,
        p.rules.version,
        p.rules.hash,
        many(t.findings, "finding", "findings"),
        many(t.redacted, "document", "documents"),
        share(t.redacted, t.scanned),
        many(
            kinds as u64,
            "kind of personal data",
            "kinds of personal data"
        ),
    );
    if t.dropped > 0 {
        let _ = writeln!(
            md,
            "{} with too many findings were left out.",
            many(t.dropped, "document", "documents")
        );
    }
    md
}

/// The scanned fields, as `text` or `text` and `title`.
fn fields(report: &Report) -> String {
    let names: Vec<String> = report
        .provenance
        .settings
        .get("fields")
        .and_then(|f| f.as_array())
        .map(|f| {
            f.iter()
                .filter_map(|x| x.as_str())
                .map(|x| format!("`{x}`"))
                .collect()
        })
        .unwrap_or_default();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    super::markdown::list(&names)
}

fn domain_table(md: &mut String, report: &Report, sme: bool) {
    let d = &report.totals.domains;
    let ranked = ranked(report);
    let n = ranked.len();
    let asked = domains_asked(n, sme);
    let total: u64 = ranked.iter().map(|(_, s)| s[1]).sum();
    let special = |key: &str| d.sizes.get(key).map_or(0, |s| s[0] + s[2]);
    let _ = writeln!(
        md,
        "**Most relevant domain names by content size.** {} in this dataset hold kept text; the template asks for the top {} ({}), that is {}, ranked by the bytes of text kept from each registrable domain (public suffix list, private suffixes included):\n",
        many(n as u64, "registrable domain", "registrable domains"),
        if sme {
            "5% or 1,000, whichever is lower"
        } else {
            "10%"
        },
        if sme {
            "small and medium-sized enterprises"
        } else {
            "all providers but SMEs, who may give the top 5% or 1,000"
        },
        many(asked as u64, "domain", "domains"),
    );
    let _ = writeln!(
        md,
        "| Rank | Domain | Documents | Text | Share of text |\n|---:|---|---:|---:|---:|"
    );
    for (i, (name, s)) in ranked.iter().take(asked).enumerate() {
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} |",
            i + 1,
            name,
            thousands(s[0]),
            size(s[1]),
            share(s[1], total)
        );
    }
    let top: u64 = ranked.iter().take(asked).map(|(_, s)| s[1]).sum();
    let _ = writeln!(
        md,
        "\nThe domains listed hold {} of the text with a domain. Documents without a URL: {}; with a URL that could not be read: {}; on an IP address rather than a domain: {} (not ranked).\n",
        share(top, total),
        thousands(special(crate::web::NO_URL)),
        thousands(special(crate::web::BAD_URL)),
        thousands(special(crate::web::IP_HOSTS)),
    );
}

fn opt_outs(md: &mut String, report: &Report) {
    let t = &report.totals;
    let lists = report
        .provenance
        .settings
        .get("opt_out")
        .and_then(|l| serde_json::from_value::<Vec<crate::optout::ListInfo>>(l.clone()).ok())
        .unwrap_or_default();
    let _ = writeln!(
        md,
        "Signatory of the Code of Practice, robots.txt and other machine-readable reservations honoured at crawl time: {BLANK}\n"
    );
    if lists.is_empty() {
        let _ = writeln!(
            md,
            "No opt-out list was applied to these shards by {} (`--opt-out` was not given).\n",
            report.provenance.tool.name
        );
        return;
    }
    let _ = writeln!(
        md,
        "**Opt-out lists applied to the shards.** Documents named by these lists were left out of the dataset ({} with {} of text). Lists are named by file and checksum only:\n",
        many(t.opt_out.documents, "document", "documents"),
        size(t.opt_out.text_bytes)
    );
    let _ = writeln!(
        md,
        "| List | Entries (domains / URL prefixes / field values) | sha256 | Documents left out (by domain / URL / field) |\n|---|---:|---|---:|"
    );
    for (i, l) in lists.iter().enumerate() {
        let k = t.opt_out.lists.get(i).copied().unwrap_or_default();
        let _ = writeln!(
            md,
            "| `{}` | {} ({} / {} / {}) | `{}` | {} ({} / {} / {}) |",
            l.file,
            thousands(l.entries()),
            thousands(l.domains),
            thousands(l.urls),
            thousands(l.fields),
            l.sha256,
            thousands(k.domain + k.url + k.field),
            thousands(k.domain),
            thousands(k.url),
            thousands(k.field),
        );
    }
    let _ = writeln!(
        md,
        "\nA document matched by several lists counts for the first one given. A domain entry covers its subdomains; hosts are compared as a browser reads them.\n"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_cut_offs() {
        assert_eq!(domains_asked(0, false), 0);
        assert_eq!(domains_asked(1, false), 1);
        assert_eq!(domains_asked(95, false), 10);
        assert_eq!(domains_asked(1_000_000, false), 100_000);
        assert_eq!(domains_asked(95, true), 5);
        assert_eq!(domains_asked(1_000_000, true), 1000);
        assert_eq!(domains_asked(19_000, true), 950);
    }

    #[test]
    fn token_ranges() {
        assert_eq!(token_range(999_999_999), "Less than 1 billion tokens");
        assert_eq!(
            token_range(1_000_000_000),
            "1 billion to 10 trillion tokens"
        );
        assert_eq!(
            token_range(10_000_000_000_001),
            "More than 10 trillion tokens"
        );
    }
}
