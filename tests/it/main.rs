//! Integration tests, one binary. Modules:
//! - `rules`: every built-in example through the self-check; `rules test` on good and broken files.
//! - `cli`: the binary on standard input: redaction, scan output, styles, errors, exit codes.
//! - `shards`: the binary on shard files: formats, layout, invariants (threads, paths, resume, atomic).
//! - `report`: statistics, merging, the Markdown and SVG, the audit sample, no personal data in any.
//! - `optout`: opt-out lists and domain sizes: which documents leave, counts any way they are made, the summary, no entry in any file.
//! - `parquet`: Parquet shards: layout kept, values as redacted alone, as JSONL, threads, bad files.
//! - `errors`: every kind of bad input under fail / skip / keep; usage errors.
//! - `quality`: per-label floors on the labeled corpus; `eval` on other tools' spans.
//! - `reliability`: SIGINT and SIGKILL in the middle of a run, then `--resume`.
//! - `adversarial`: linear time on pathological documents; deeply nested JSON.
//! - `text_classes`: the failure classes of text this project did not write, by example.
//! - `properties`: proptest invariants of the library (no panic, spans, bytes kept, idempotence).

mod adversarial;
mod cli;
mod errors;
mod optout;
mod parquet;
mod properties;
mod quality;
mod reliability;
mod report;
mod rules;
mod shards;
mod text_classes;
mod util;
