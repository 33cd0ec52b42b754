//! shardscrub (work in progress): personal-data detection and redaction.
#![deny(missing_docs)]

pub mod error;
pub mod labels;
pub mod span;
pub mod validate;
