//! shardscrub finds personal data in text and replaces it with typed placeholders, at
//! the speed of the disk.
//!
//! ```
//! use shardscrub::Redactor;
//!
//! let redactor = Redactor::new()?;
//! let r = redactor.redact("mail jane.doe@corp.eu or +44 20 7946 0958 from 81.2.69.160");
//! assert_eq!(r.text, "mail <EMAIL_ADDRESS> or <PHONE_NUMBER> from <IP_ADDRESS>");
//! for f in &r.findings {
//!     println!("{}..{} {} (rule {})", f.start, f.end, f.label, f.rule);
//! }
//! # Ok::<(), shardscrub::Error>(())
//! ```
//!
//! # How it works
//! Rules ([`rules`]) are TOML files compiled into the binary; each has a regex, optional
//! literal triggers, an optional validator ([`validate`]: Luhn, mod-97, national
//! checksums, entropy) and its own examples. The [`scan::Scanner`] runs triggered rules
//! only around their triggers (aho-corasick) and number rules in one multi-pattern lazy
//! DFA only inside digit-dense windows, confirms candidates, and keeps one span per byte.
//! The [`rewrite::Rewriter`] replaces each finding (`tag`, `numbered`, `hmac` or `mask`).
//! [`Redactor`] ties them together.
//!
//! # Guarantees
//! - **Linear time.** Every regex runs on regex-automata's engines, which never
//!   backtrack; validators look at a bounded neighbourhood of each candidate.
//! - **No panics on any text.** Tested with proptest on arbitrary strings.
//! - **Findings are sorted, non-overlapping and on character boundaries**, and bytes
//!   outside them are never changed.
//! - **Idempotent.** Placeholders are never detected again: `redact(redact(x)) == redact(x)`.
//! - **No personal data in errors.** [`Error`] names the shard, line, rule file or rule,
//!   never document text.
#![deny(missing_docs)]

pub mod audit;
pub mod checksum;
pub mod cli;
pub mod columnar;
pub mod dict;
pub mod error;
pub mod eval;
pub mod input;
pub mod job;
pub mod labels;
pub mod optout;
pub mod origin;
mod redactor;
pub mod report;
pub mod rewrite;
pub mod rules;
pub mod scan;
pub mod shard;
pub mod span;
pub mod stats;
pub mod stop;
pub mod units;
pub mod validate;
pub mod web;

pub use error::{Error, ErrorKind, Result};
pub use labels::Label;
pub use redactor::{Redaction, Redactor, RedactorBuilder};
pub use rewrite::Style;
pub use span::{Finding, RuleId, Span};
