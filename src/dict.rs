//! Dictionaries: plain files of literals, one a line. An [`AllowList`] keeps candidates
//! (documentation domains, a team's own service addresses); a [`DenyList`] marks every
//! occurrence of its literals with a label (name lists, opted-out identities).
//!
//! File format: one literal a line; blank lines and lines starting with `#` are ignored;
//! surrounding whitespace is trimmed. A deny file may name its label on its first
//! comment line: `# label: PERSON`.

use crate::error::{Error, Result};
use crate::labels::Label;
use crate::span::Span;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use std::collections::HashSet;

/// The literals of a dictionary file, without comments and blank lines.
pub fn literals(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// Values that are never reported, compared case-insensitively (ASCII). A value is kept
/// when it equals an entry, or when the part after one of its `@` or `.` equals an entry
/// (`jane@example.com` and `mail.example.com` for `example.com`; `x@host.test` for `test`).
#[derive(Clone, Debug, Default)]
pub struct AllowList {
    entries: HashSet<String>,
}

impl AllowList {
    /// An empty list.
    pub fn new() -> AllowList {
        AllowList::default()
    }

    /// Adds every literal of a dictionary file's text.
    pub fn extend_from_text(&mut self, text: &str) {
        self.entries
            .extend(literals(text).map(str::to_ascii_lowercase));
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when the list holds nothing.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// True when `value` is allowed (kept as it is).
    pub fn allows(&self, value: &[u8]) -> bool {
        if self.entries.is_empty() {
            return false;
        }
        let Ok(v) = std::str::from_utf8(value) else {
            return false;
        };
        let v = v.to_ascii_lowercase();
        if self.entries.contains(&v) {
            return true;
        }
        v.match_indices(['@', '.'])
            .any(|(i, _)| self.entries.contains(&v[i + 1..]))
    }
}

/// Literals that are always reported with one label, matched with aho-corasick
/// (leftmost-longest, ASCII case-insensitive, whole words only).
#[derive(Clone, Debug)]
pub struct DenyList {
    label: Label,
    ac: AhoCorasick,
    len: usize,
}

impl DenyList {
    /// Builds a deny list from a dictionary file's text. The label is `label` when
    /// given, else the file's `# label: NAME` line.
    ///
    /// # Errors
    /// A usage error naming `name` when there is no label or the label is malformed.
    pub fn from_text(name: &str, text: &str, label: Option<Label>) -> Result<DenyList> {
        let declared = text
            .lines()
            .take_while(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
            .find_map(|l| {
                l.trim_start()
                    .trim_start_matches('#')
                    .trim()
                    .strip_prefix("label:")
            })
            .map(|l| {
                Label::new(l.trim()).ok_or_else(|| {
                    Error::usage(format!(
                        "{name}: {:?} is not a label name (A-Z, 0-9, _)",
                        l.trim()
                    ))
                })
            })
            .transpose()?;
        let label = label.or(declared).ok_or_else(|| {
            Error::usage(format!(
                "{name}: a deny list needs a label: a first line `# label: PERSON` or --deny-label"
            ))
        })?;
        let words: Vec<&str> = literals(text).collect();
        let ac = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .ascii_case_insensitive(true)
            .build(&words)
            .map_err(|e| Error::usage(format!("{name}: cannot build the deny list: {e}")))?;
        Ok(DenyList {
            label,
            ac,
            len: words.len(),
        })
    }

    /// The label its findings get.
    pub fn label(&self) -> Label {
        self.label
    }

    /// Number of literals.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when the list holds nothing.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Calls `found` with each whole-word occurrence in `hay`.
    pub fn find(&self, hay: &[u8], mut found: impl FnMut(Span)) {
        if self.len == 0 {
            return;
        }
        let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80;
        for m in self.ac.find_iter(hay) {
            let before = m.start() > 0 && word(hay[m.start() - 1]);
            let after = m.end() < hay.len() && word(hay[m.end()]);
            if !before && !after {
                found(Span::new(m.start(), m.end()));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allow_list_matches_values_and_suffixes() {
        let mut a = AllowList::new();
        a.extend_from_text(crate::rules::DEFAULT_ALLOW);
        for kept in [
            "jane@example.com",
            "JANE@Mail.Example.ORG",
            "x@host.test",
            "example.net",
            "git@github.com",
        ] {
            assert!(a.allows(kept.as_bytes()), "{kept}");
        }
        for reported in [
            "jane@corp.eu",
            "jane@example.community",
            "jane@notexample.com",
        ] {
            assert!(!a.allows(reported.as_bytes()), "{reported}");
        }
    }

    #[test]
    fn deny_list_finds_whole_words_with_its_label() {
        let d = DenyList::from_text("names.txt", "# label: PERSON\nJane Roe\nRoe\n", None).unwrap();
        assert_eq!(d.label().as_str(), "PERSON");
        let mut got = Vec::new();
        d.find(b"jane roe met Roebuck and roe.", |s| got.push(s));
        assert_eq!(got, vec![Span::new(0, 8), Span::new(25, 28)]);
        assert!(DenyList::from_text("n.txt", "Jane\n", None).is_err());
    }
}
