//! The redaction report: what was done to the personal data in a set of shards, as
//! evidence a dataset card can quote. Counts, hashes and settings only, never document
//! text.
//!
//! Every shard's statistics are kept beside its output as `NAME.stats.json`
//! ([`ShardStats`]); a report ([`Report`]) is a pure function of a set of them
//! ([`Report::merge`]), so the report of a run and the merge of the statistics of its
//! shards, from any number of runs and machines, in any order, are the same.
//!
//! # Schema (`schema_version` 1)
//! `NAME.stats.json`, one per shard:
//! - `schema_version`: [`SCHEMA_VERSION`]; bumped when a field changes meaning.
//! - `tool`: `name`, `version`.
//! - `rules`: `version` (`builtin-<version>`, `+N` with user rule files), `hash` (sha256
//!   of every rule file's name and text), `count`, `ids` (`id` and `label` of each rule
//!   whose findings are reported: with `--labels`, the rules of other labels still run,
//!   so that their values are not taken for these labels, but are not listed).
//! - `settings`: every option that changes the output (format, fields, record unit,
//!   `on_error`, `drop_doc_over`, `max_record_bytes`, style, placeholder, labels,
//!   excluded labels, private IPs, rule, allow and deny files by name, size and sha256,
//!   `hmac_key_id`). Never the HMAC key: its id is a keyed hash that only tells keys
//!   apart.
//! - `fingerprint`: a hash of `tool.version` and `settings`; `--resume` redoes shards
//!   whose fingerprint differs, and only statistics with one fingerprint merge.
//! - `command`: the command line that reproduces the outputs, inputs left as `INPUT...`.
//! - `shard`: a [`ShardReport`]: `shard` (output path relative to the output directory),
//!   `input` (the input path as given), `format`, `compression`, `input_bytes` and
//!   `input_sha256` (the stored file), `output_bytes` and `output_sha256` (absent for a
//!   skipped shard), `status` (`done` or `skipped`, with a `reason`), `started`
//!   (RFC 3339, UTC), `seconds`, and `counts` ([`Counts`]).
//!
//! [`Counts`]: `lines`, `blank_lines`, `documents` (= `scanned` + `skipped` + `kept`),
//! `scanned`, `redacted` (documents with a finding), `dropped` and `dropped_findings`
//! (`--drop-doc-over`), `skipped` and `kept` (bad records under `--on-error`),
//! `findings`, `bytes_in` and `bytes_out` (uncompressed), and per label and per rule id
//! `{findings, documents}`, and per label `allowed` (values kept by an allow list).
//!
//! `redaction-report.json` carries the same `schema_version`, `tool`, `rules`,
//! `settings`, `fingerprint` and `command`, then:
//! - `started`, `finished`: the earliest shard start and the latest shard end;
//!   `seconds` between them; `shard_seconds`, the sum of the shards' times;
//!   `throughput_mb_s`: uncompressed megabytes (10^6 bytes) read per wall second.
//! - `shard_count`: `done`, `skipped`, `duplicates`.
//! - `totals`: [`Counts`] summed over the shards, each input counted once.
//! - `duplicates`: inputs given more than once (same `input_sha256`): the entry counted
//!   and the others, which are listed but not counted.
//! - `shards`: every [`ShardReport`] given, sorted by name.

pub mod markdown;
pub mod summary;
pub mod svg;

use crate::Redactor;
use crate::checksum;
use crate::error::{Error, Result};
use crate::input::{Compression, Format};
use crate::stats::Counts;
use serde::{Deserialize, Serialize};
use std::time::{Duration, SystemTime};

/// Version of the report's JSON layout; bumped when a field changes meaning.
pub const SCHEMA_VERSION: u32 = 1;

/// What became of a shard.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ShardStatus {
    /// Processed and written.
    Done,
    /// Not written: the shard as a whole could not be read (see `reason`).
    Skipped,
}

/// Tool name and version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tool {
    /// "shardscrub".
    pub name: String,
    /// The crate version.
    pub version: String,
}

impl Tool {
    /// This build.
    pub fn current() -> Tool {
        Tool {
            name: env!("CARGO_PKG_NAME").into(),
            version: env!("CARGO_PKG_VERSION").into(),
        }
    }
}

/// A rule's id and label.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleRef {
    /// The rule id.
    pub id: String,
    /// The label it reports.
    pub label: String,
}

/// The rule set used.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RulesInfo {
    /// `builtin-<crate version>`, with "+N" for N user rule files.
    pub version: String,
    /// sha256 of every rule file's name and text.
    pub hash: String,
    /// Number of rules whose findings are reported.
    pub count: usize,
    /// Every rule whose findings are reported, in rule set order.
    pub ids: Vec<RuleRef>,
}

/// What produced a set of outputs: the same for every shard that can be merged into one
/// report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Provenance {
    /// This tool.
    pub tool: Tool,
    /// The rule set.
    pub rules: RulesInfo,
    /// Every option that changes the output (never the HMAC key).
    pub settings: serde_json::Value,
    /// Hash of the tool version and the settings.
    pub fingerprint: String,
    /// The command that reproduces the outputs (inputs written as `INPUT...`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
}

impl Provenance {
    /// The provenance of outputs made by `redactor` with `settings`.
    pub fn new(
        redactor: &Redactor,
        settings: serde_json::Value,
        command: Option<String>,
    ) -> Provenance {
        use sha2::{Digest, Sha256};
        let tool = Tool::current();
        let scanner = redactor.scanner();
        let rules = scanner.rules();
        // The rules whose findings can appear in the outputs (with label filters, the
        // others run too, only to keep their values from being taken for these labels).
        let reported: Vec<RuleRef> = rules
            .rules()
            .iter()
            .filter(|r| scanner.reports(r.label))
            .map(|r| RuleRef {
                id: r.id.as_str().to_owned(),
                label: r.label.as_str().to_owned(),
            })
            .collect();
        let mut h = Sha256::new();
        h.update(tool.version.as_bytes());
        h.update([0]);
        h.update(settings.to_string().as_bytes());
        Provenance {
            rules: RulesInfo {
                version: rules.version().to_owned(),
                hash: rules.hash().to_owned(),
                count: reported.len(),
                ids: reported,
            },
            fingerprint: checksum::hex(&h.finalize()[..8]),
            tool,
            settings,
            command,
        }
    }

    /// What differs between two provenances, for an error message; `None` when equal.
    fn difference(&self, other: &Provenance) -> Option<String> {
        if self.tool != other.tool {
            return Some(format!(
                "tool {} {} vs {} {}",
                self.tool.name, self.tool.version, other.tool.name, other.tool.version
            ));
        }
        if self.rules.hash != other.rules.hash {
            return Some(format!(
                "rule set hash {} vs {}",
                short(&self.rules.hash),
                short(&other.rules.hash)
            ));
        }
        if self != other {
            return Some(format!(
                "settings (fingerprint {} vs {})",
                self.fingerprint, other.fingerprint
            ));
        }
        None
    }
}

fn short(hash: &str) -> &str {
    &hash[..hash.len().min(12)]
}

/// One shard's statistics.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShardReport {
    /// Path of the output relative to the output directory.
    pub shard: String,
    /// The input path as given.
    pub input: String,
    /// JSONL or text.
    pub format: Format,
    /// Compression of input and output.
    pub compression: Compression,
    /// Stored size of the input in bytes.
    pub input_bytes: u64,
    /// sha256 of the stored input.
    pub input_sha256: String,
    /// Stored size of the output in bytes (0 when skipped).
    pub output_bytes: u64,
    /// sha256 of the stored output (absent when skipped).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_sha256: Option<String>,
    /// Done or skipped.
    pub status: ShardStatus,
    /// Why a shard was skipped (no document text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// When processing started, RFC 3339 in UTC with milliseconds.
    pub started: String,
    /// How long it took.
    pub seconds: f64,
    /// The counts.
    pub counts: Counts,
}

/// The statistics file kept beside each output: self-contained, so that files from
/// many runs and machines merge into one report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShardStats {
    /// [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// What made the output.
    #[serde(flatten)]
    pub provenance: Provenance,
    /// The shard.
    pub shard: ShardReport,
}

/// An input given more than once: counted once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Duplicate {
    /// sha256 of the input.
    pub input_sha256: String,
    /// The shard whose counts are in the totals.
    pub counted: String,
    /// The other entries (shard names; the same name again when one shard's statistics
    /// were given twice).
    pub not_counted: Vec<String>,
}

/// How many shards a report covers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardCount {
    /// Processed and counted.
    pub done: usize,
    /// Not readable as a whole, skipped.
    pub skipped: usize,
    /// Entries not counted because their input was counted already.
    pub duplicates: usize,
}

/// The merged report of a set of shards.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// What made the outputs.
    #[serde(flatten)]
    pub provenance: Provenance,
    /// Earliest shard start (RFC 3339, UTC).
    pub started: String,
    /// Latest shard end (RFC 3339, UTC).
    pub finished: String,
    /// Wall time from `started` to `finished`.
    pub seconds: f64,
    /// Sum of the shards' processing times.
    pub shard_seconds: f64,
    /// Uncompressed megabytes (10^6 bytes) read per wall second.
    pub throughput_mb_s: f64,
    /// Shards done, skipped, and duplicate entries.
    pub shard_count: ShardCount,
    /// Sum over the counted shards.
    pub totals: Counts,
    /// Inputs given more than once.
    pub duplicates: Vec<Duplicate>,
    /// Every entry given, sorted by shard name.
    pub shards: Vec<ShardReport>,
}

/// Current time as the report writes it.
pub fn timestamp(t: SystemTime) -> String {
    humantime::format_rfc3339_millis(t).to_string()
}

fn parse_time(s: &str, source: &str) -> Result<SystemTime> {
    humantime::parse_rfc3339(s)
        .map_err(|e| Error::usage(format!("{source}: bad timestamp {s:?}: {e}")))
}

/// Seconds rounded to the millisecond, so reports read cleanly and merge exactly.
fn millis(s: f64) -> f64 {
    (s * 1000.0).round() / 1000.0
}

impl Report {
    /// Merges shard statistics into one report. `items` pairs each with where it came
    /// from (a file name, for errors). The result depends only on the multiset of
    /// statistics, not on their order or grouping: merging two reports' statistics
    /// gives the report of all of them. An input given more than once (same sha256) is
    /// counted once and listed under `duplicates`; empty inputs are never duplicates.
    ///
    /// # Errors
    /// No statistics; statistics from different tool versions, rule sets or settings
    /// (the report could not say how its outputs were made); an unknown schema version;
    /// a bad timestamp.
    pub fn merge(items: Vec<(String, ShardStats)>) -> Result<Report> {
        let Some((first_source, first)) = items.first() else {
            return Err(Error::usage("no shard statistics to merge"));
        };
        for (source, s) in &items {
            if s.schema_version != SCHEMA_VERSION {
                return Err(other_schema(source, s.schema_version.into()));
            }
            if let Some(diff) = first.provenance.difference(&s.provenance) {
                return Err(Error::usage(format!(
                    "{first_source} and {source} were made differently ({diff}); one report describes one way of redacting, so merge them separately"
                )));
            }
        }
        let provenance = first.provenance.clone();
        let mut shards: Vec<ShardReport> = items.into_iter().map(|(_, s)| s.shard).collect();
        shards.sort_by(order);

        let mut totals = Counts::default();
        let mut count = ShardCount::default();
        let mut duplicates: Vec<Duplicate> = Vec::new();
        let mut counted: std::collections::HashMap<&str, usize> = Default::default();
        let (mut start, mut end) = (None::<SystemTime>, None::<SystemTime>);
        let mut shard_seconds = 0.0;
        for s in &shards {
            if s.input_bytes > 0 {
                if let Some(&d) = counted.get(s.input_sha256.as_str()) {
                    duplicates[d].not_counted.push(s.shard.clone());
                    count.duplicates += 1;
                    continue;
                }
                counted.insert(&s.input_sha256, duplicates.len());
                duplicates.push(Duplicate {
                    input_sha256: s.input_sha256.clone(),
                    counted: s.shard.clone(),
                    not_counted: Vec::new(),
                });
            }
            match s.status {
                ShardStatus::Done => count.done += 1,
                ShardStatus::Skipped => count.skipped += 1,
            }
            totals += &s.counts;
            shard_seconds += s.seconds;
            let t0 = parse_time(&s.started, &s.shard)?;
            let t1 = t0 + Duration::from_secs_f64(s.seconds.max(0.0));
            start = Some(start.map_or(t0, |t: SystemTime| t.min(t0)));
            end = Some(end.map_or(t1, |t: SystemTime| t.max(t1)));
        }
        duplicates.retain(|d| !d.not_counted.is_empty());
        // Domain sizes are kept merged only: per shard they would make a report of many
        // shards as large as all their statistics files together.
        for s in &mut shards {
            s.counts.domains.sizes.clear();
        }
        let (start, end) = (start.expect("one shard"), end.expect("one shard"));
        let seconds = millis(end.duration_since(start).unwrap_or_default().as_secs_f64());
        let throughput = if seconds > 0.0 {
            (totals.bytes_in as f64 / 1e6 / seconds * 10.0).round() / 10.0
        } else {
            0.0
        };
        Ok(Report {
            schema_version: SCHEMA_VERSION,
            provenance,
            started: timestamp(start),
            finished: timestamp(end),
            seconds,
            shard_seconds: millis(shard_seconds),
            throughput_mb_s: throughput,
            shard_count: count,
            totals,
            duplicates,
            shards,
        })
    }

    /// The statistics this report was merged from (every entry, duplicates too).
    pub fn into_stats(self) -> Vec<ShardStats> {
        let provenance = self.provenance;
        self.shards
            .into_iter()
            .map(|shard| ShardStats {
                schema_version: self.schema_version,
                provenance: provenance.clone(),
                shard,
            })
            .collect()
    }

    /// Reads `text` as a report, or `None` when it is a statistics file.
    ///
    /// # Errors
    /// As [`Report::read_stats`].
    pub fn read(text: &str, source: &str) -> Result<Option<Report>> {
        let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
            Error::usage(format!(
                "{source}: not shardscrub statistics or a report: {e}"
            ))
        })?;
        if value.get("shards").is_none() {
            return Ok(None);
        }
        if let Some(v) = value.get("schema_version").and_then(|v| v.as_u64())
            && v != u64::from(SCHEMA_VERSION)
        {
            return Err(other_schema(source, v));
        }
        serde_json::from_value(value).map(Some).map_err(|e| {
            Error::usage(format!(
                "{source}: not shardscrub statistics or a report: {e}"
            ))
        })
    }

    /// Reads a statistics file or a report (JSON), as the statistics in it.
    ///
    /// # Errors
    /// The text is neither, or its schema version is unknown; the error names `source`.
    pub fn read_stats(text: &str, source: &str) -> Result<Vec<ShardStats>> {
        let bad = |e: serde_json::Error| {
            Error::usage(format!(
                "{source}: not shardscrub statistics or a report: {e}"
            ))
        };
        let value: serde_json::Value = serde_json::from_str(text).map_err(bad)?;
        // Checked before the layout, which another version may not share.
        if let Some(v) = value.get("schema_version").and_then(|v| v.as_u64())
            && v != u64::from(SCHEMA_VERSION)
        {
            return Err(other_schema(source, v));
        }
        if value.get("shards").is_some() {
            let report = serde_json::from_value::<Report>(value).map_err(bad)?;
            if !report.totals.domains.sizes.is_empty() {
                return Err(Error::usage(format!(
                    "{source}: this report holds domain sizes merged over its shards, which cannot be told apart again; merge the shards' {} files instead (a report given alone is rendered as it is)",
                    crate::job::STATS_SUFFIX
                )));
            }
            Ok(report.into_stats())
        } else {
            Ok(vec![serde_json::from_value(value).map_err(bad)?])
        }
    }
}

/// The error for statistics of another schema version.
fn other_schema(source: &str, version: u64) -> Error {
    Error::usage(format!(
        "{source}: schema_version {version} is not {SCHEMA_VERSION}; use the shardscrub version that wrote it"
    ))
}

/// A total order on shard entries: by name, then input, then the rest, so that the
/// merged list and the entry counted among duplicates never depend on input order.
fn order(a: &ShardReport, b: &ShardReport) -> std::cmp::Ordering {
    (&a.shard, &a.input_sha256, &a.input, &a.started)
        .cmp(&(&b.shard, &b.input_sha256, &b.input, &b.started))
        .then_with(|| {
            let (x, y) = (serde_json::to_string(a), serde_json::to_string(b));
            x.ok().cmp(&y.ok())
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn stats(name: &str, sha: &str, findings: u64, started_ms: u64, seconds: f64) -> ShardStats {
        let mut counts = Counts {
            documents: findings + 1,
            scanned: findings + 1,
            findings,
            bytes_in: 100 * findings + 1,
            ..Counts::default()
        };
        counts.labels.insert(
            "EMAIL_ADDRESS".into(),
            crate::stats::Count {
                findings,
                documents: findings,
            },
        );
        let t = SystemTime::UNIX_EPOCH + Duration::from_millis(1_800_000_000_000 + started_ms);
        ShardStats {
            schema_version: SCHEMA_VERSION,
            provenance: Provenance {
                tool: Tool::current(),
                rules: RulesInfo {
                    version: "v".into(),
                    hash: "h".into(),
                    count: 0,
                    ids: Vec::new(),
                },
                settings: serde_json::json!({"style": "tag"}),
                fingerprint: "f".into(),
                command: None,
            },
            shard: ShardReport {
                shard: name.into(),
                input: format!("in/{name}"),
                format: Format::Jsonl,
                compression: Compression::None,
                input_bytes: 10,
                input_sha256: sha.into(),
                output_bytes: 10,
                output_sha256: Some("o".into()),
                status: ShardStatus::Done,
                reason: None,
                started: timestamp(t),
                seconds,
                counts,
            },
        }
    }

    fn merge(items: &[ShardStats]) -> Report {
        Report::merge(items.iter().map(|s| (String::new(), s.clone())).collect()).unwrap()
    }

    proptest! {
        /// Any order and any grouping of the same statistics (duplicates among them)
        /// give the same report; a duplicate input is counted once.
        #[test]
        fn merging_is_order_independent_and_associative(
            shards in proptest::collection::vec((0u8..6, 0u64..50, 0u64..5000, 0u32..4000), 1..12),
            seed in any::<u64>(),
            cut in any::<usize>(),
        ) {
            // Shard k always has input sha k: equal k are the same input.
            let items: Vec<ShardStats> = shards
                .iter()
                .map(|&(k, f, t, ms)| stats(&format!("s{k}"), &format!("sha{k}"), f, t, f64::from(ms) / 1000.0))
                .collect();
            let whole = merge(&items);
            let mut shuffled = items.clone();
            let mut x = seed | 1;
            for i in (1..shuffled.len()).rev() {
                x ^= x << 13; x ^= x >> 7; x ^= x << 17;
                shuffled.swap(i, (x % (i as u64 + 1)) as usize);
            }
            prop_assert_eq!(&merge(&shuffled), &whole);
            let cut = cut % (shuffled.len() + 1);
            // Two groups, each merged into a report, then the reports merged.
            let regrouped: Vec<ShardStats> = if cut == 0 {
                shuffled.clone()
            } else {
                let mut v = merge(&shuffled[..cut]).into_stats();
                if cut < shuffled.len() {
                    v.extend(merge(&shuffled[cut..]).into_stats());
                }
                v
            };
            prop_assert_eq!(&merge(&regrouped), &whole);
            let distinct: std::collections::BTreeSet<u8> = shards.iter().map(|s| s.0).collect();
            prop_assert_eq!(whole.shard_count.done, distinct.len());
            prop_assert_eq!(whole.shard_count.duplicates, shards.len() - distinct.len());
            prop_assert_eq!(whole.shards.len(), shards.len());
        }
    }

    #[test]
    fn statistics_of_another_setting_do_not_merge() {
        let a = stats("a", "1", 1, 0, 1.0);
        let mut b = stats("b", "2", 1, 0, 1.0);
        b.provenance.fingerprint = "g".into();
        let err = Report::merge(vec![("A".into(), a), ("B".into(), b)]).unwrap_err();
        assert!(
            err.to_string().contains("A and B were made differently"),
            "{err}"
        );
    }
}
