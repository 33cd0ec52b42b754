//! Integration tests, one binary. Modules:
//! - `rules`: every built-in example through the self-check; `rules test` on good and broken files.
//! - `cli`: the binary on standard input: redaction, scan output, styles, errors, exit codes.
//! - `properties`: proptest invariants of the library (no panic, spans, bytes kept, idempotence).

mod cli;
mod properties;
mod rules;
mod util;
