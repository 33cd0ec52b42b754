//! The redaction report: per-shard statistics and their sum, with the rule set and the
//! settings that produced them. Counts only, never document text.
//!
//! Schema (`schema_version` 1), as written to `DIR/redaction-report.json`:
//! - `schema_version`, `tool` (`name`, `version`)
//! - `rules`: `version`, `hash` (sha256 of the rule files), `count`
//! - `settings`: every option that changes the output (never the HMAC key)
//! - `totals`: [`Counts`] summed over all shards
//! - `shards`: one [`ShardReport`] each, in input order
//! - `seconds`: wall time of the run (the only field that differs between equal runs)

use crate::Redactor;
use crate::input::{Compression, Format};
use crate::stats::Counts;
use serde::{Deserialize, Serialize};

/// Version of the report's JSON layout; bumped when a field changes meaning.
pub const SCHEMA_VERSION: u32 = 1;

/// What became of a shard.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ShardStatus {
    /// Processed in this run.
    Done,
    /// Processed by an earlier run with the same settings (`--resume`).
    Resumed,
    /// Not written: the shard as a whole could not be read (see `reason`).
    Skipped,
}

/// One shard's statistics, as kept beside the outputs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
    /// Done, resumed or skipped.
    pub status: ShardStatus,
    /// Why a shard was skipped (no document text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Hash of the settings the shard was made with.
    pub fingerprint: String,
    /// The counts.
    pub counts: Counts,
}

/// Tool name and version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tool {
    /// "shardscrub".
    pub name: String,
    /// The crate version.
    pub version: String,
}

/// The rule set used.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RulesInfo {
    /// "builtin-<crate version>" or with user files appended.
    pub version: String,
    /// sha256 of every rule file's name and text.
    pub hash: String,
    /// Number of rules.
    pub count: usize,
}

/// The merged report of a run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// This tool.
    pub tool: Tool,
    /// The rule set.
    pub rules: RulesInfo,
    /// Options that change the output.
    pub settings: serde_json::Value,
    /// Sum over all shards (skipped ones add nothing).
    pub totals: Counts,
    /// Every shard, in input order.
    pub shards: Vec<ShardReport>,
    /// Wall time of the run in seconds.
    pub seconds: f64,
}

impl Report {
    /// Sums `shards` into a report.
    pub fn new(
        redactor: &Redactor,
        settings: serde_json::Value,
        shards: Vec<ShardReport>,
        elapsed: std::time::Duration,
    ) -> Report {
        let mut totals = Counts::default();
        for s in &shards {
            totals += &s.counts;
        }
        let rules = redactor.scanner().rules();
        Report {
            schema_version: SCHEMA_VERSION,
            tool: Tool {
                name: env!("CARGO_PKG_NAME").into(),
                version: env!("CARGO_PKG_VERSION").into(),
            },
            rules: RulesInfo {
                version: rules.version().to_owned(),
                hash: rules.hash().to_owned(),
                count: rules.rules().len(),
            },
            settings,
            totals,
            shards,
            seconds: elapsed.as_secs_f64(),
        }
    }
}
