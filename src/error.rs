//! The library's error type: [`Error`], an opaque struct over [`ErrorKind`], with an optional
//! [`Location`] (shard and line).
//!
//! # No personal data in errors
//! An error says *where* (shard, line, rule file, rule id) and *why* ("invalid UTF-8 at byte
//! 17"), never *what*: no constructor takes document text, and `Display` prints only the
//! location and the reason. Callers must keep it that way when they add kinds.

use std::fmt;
use std::path::PathBuf;

/// Where an error happened in the input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    /// The shard (file name, or `<stdin>`).
    pub shard: String,
    /// The 1-based line (record) number, when the error is about one record.
    pub line: Option<u64>,
}

/// What went wrong.
#[derive(Debug)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A rule file could not be loaded: unknown field, duplicate id, unknown label or
    /// validator, a regex that does not compile, missing examples.
    Rules {
        /// The rule file (`patterns/contact.toml` or a user's path).
        file: String,
        /// The rule id, when the problem is in one rule.
        rule: Option<String>,
        /// Why, in words.
        reason: String,
    },
    /// A record could not be processed (invalid UTF-8, too long, ...).
    Input(String),
    /// The HMAC key is missing, unreadable, or too short.
    Key(String),
    /// A command-line option has a bad value.
    Usage(String),
    /// The run was asked to stop ([`crate::stop::request`], e.g. Ctrl-C).
    Interrupted,
    /// Reading or writing failed.
    Io {
        /// The file involved, if any.
        path: Option<PathBuf>,
        /// The underlying error.
        source: std::io::Error,
    },
}

/// An error from shardscrub. See [`ErrorKind`] for the cases.
#[derive(Debug)]
pub struct Error {
    kind: ErrorKind,
    location: Option<Location>,
}

impl Error {
    /// Names `path` as the file of an I/O error that names none (a write through a
    /// `dyn Write` that does not know its file); other errors are returned as they are.
    pub fn or_path(mut self, path: &std::path::Path) -> Error {
        if let ErrorKind::Io { path: p @ None, .. } = &mut self.kind {
            *p = Some(path.to_owned());
        }
        self
    }

    /// The run stopped on request.
    pub fn interrupted() -> Error {
        Error::from(ErrorKind::Interrupted)
    }

    /// True for [`ErrorKind::Interrupted`].
    pub fn is_interrupted(&self) -> bool {
        matches!(self.kind, ErrorKind::Interrupted)
    }

    /// A rule-file error naming the file and, if known, the rule id.
    pub fn rules(file: impl Into<String>, rule: Option<&str>, reason: impl Into<String>) -> Error {
        Error::from(ErrorKind::Rules {
            file: file.into(),
            rule: rule.map(str::to_owned),
            reason: reason.into(),
        })
    }

    /// An input error; attach where with [`Error::at`].
    pub fn input(reason: impl Into<String>) -> Error {
        Error::from(ErrorKind::Input(reason.into()))
    }

    /// A key error.
    pub fn key(reason: impl Into<String>) -> Error {
        Error::from(ErrorKind::Key(reason.into()))
    }

    /// A usage error (bad option value).
    pub fn usage(reason: impl Into<String>) -> Error {
        Error::from(ErrorKind::Usage(reason.into()))
    }

    /// An I/O error on `path`.
    pub fn io(path: Option<PathBuf>, source: std::io::Error) -> Error {
        Error::from(ErrorKind::Io { path, source })
    }

    /// Attaches the shard and line where this error happened.
    pub fn at(mut self, shard: impl Into<String>, line: Option<u64>) -> Error {
        self.location = Some(Location {
            shard: shard.into(),
            line,
        });
        self
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// Where, if known.
    pub fn location(&self) -> Option<&Location> {
        self.location.as_ref()
    }

    /// True when the error is a closed pipe on output (the reader went away: not a failure).
    pub fn is_broken_pipe(&self) -> bool {
        matches!(&self.kind, ErrorKind::Io { source, .. } if source.kind() == std::io::ErrorKind::BrokenPipe)
    }
}

impl From<ErrorKind> for Error {
    fn from(kind: ErrorKind) -> Error {
        Error {
            kind,
            location: None,
        }
    }
}

impl From<std::io::Error> for Error {
    fn from(source: std::io::Error) -> Error {
        Error::io(None, source)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(loc) = &self.location {
            match loc.line {
                Some(line) => write!(f, "{}:{}: ", loc.shard, line)?,
                None => write!(f, "{}: ", loc.shard)?,
            }
        }
        match &self.kind {
            ErrorKind::Rules { file, rule, reason } => match rule {
                Some(rule) => write!(f, "{file}: rule {rule}: {reason}"),
                None => write!(f, "{file}: {reason}"),
            },
            ErrorKind::Input(reason) => f.write_str(reason),
            ErrorKind::Key(reason) => write!(f, "HMAC key: {reason}"),
            ErrorKind::Usage(reason) => f.write_str(reason),
            ErrorKind::Interrupted => {
                f.write_str("stopped on request (interrupt); the shard's output was not written")
            }
            ErrorKind::Io { path, source } => match path {
                Some(p) => write!(f, "{}: {source}", p.display()),
                None => write!(f, "{source}"),
            },
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            ErrorKind::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_location_and_reason() {
        let e = Error::input("invalid UTF-8 at byte 3").at("shard-00.txt", Some(12));
        assert_eq!(e.to_string(), "shard-00.txt:12: invalid UTF-8 at byte 3");
        let e = Error::rules(
            "patterns/contact.toml",
            Some("email"),
            "regex does not compile",
        );
        assert_eq!(
            e.to_string(),
            "patterns/contact.toml: rule email: regex does not compile"
        );
    }
}
