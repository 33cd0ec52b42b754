//! The rewriter: findings become placeholders.
//!
//! Styles ([`Style`]):
//! - `tag` (default): `<EMAIL_ADDRESS>`;
//! - `numbered`: `<EMAIL_ADDRESS_1>`; the same value gets the same number within a
//!   document, numbers count per label in first-seen order;
//! - `hmac`: `<EMAIL_ADDRESS:9f2c1a7b04d3e5f6>`, the first 64 bits (16 hex digits) of
//!   HMAC-SHA256(key, label `\0` value): the same value gives the same token in every
//!   document and run with the same key, and the value cannot be recovered without it;
//! - `mask`: every letter and digit becomes `*`, punctuation stays (`****@****.**`).
//!
//! The text around the label comes from a template such as `<{label}>` or `[{label}]`.

use crate::error::{Error, Result};
use crate::labels::Label;
use crate::span::Finding;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use std::collections::HashMap;
use std::fmt::Write as _;

/// Shortest HMAC key accepted, in bytes.
pub const MIN_KEY_BYTES: usize = 16;

/// How a finding is rewritten.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Style {
    /// `<LABEL>`.
    #[default]
    Tag,
    /// `<LABEL_N>`, numbered per document.
    Numbered,
    /// `<LABEL:hex>`, keyed hash of the value.
    Hmac,
    /// Letters and digits replaced by `*`.
    Mask,
}

impl std::str::FromStr for Style {
    type Err = Error;
    fn from_str(s: &str) -> Result<Style> {
        match s {
            "tag" => Ok(Style::Tag),
            "numbered" => Ok(Style::Numbered),
            "hmac" => Ok(Style::Hmac),
            "mask" => Ok(Style::Mask),
            _ => Err(Error::usage(format!(
                "unknown style {s:?}; use tag, numbered, hmac or mask"
            ))),
        }
    }
}

impl Style {
    /// The style's name on the command line and in the report.
    pub fn name(self) -> &'static str {
        match self {
            Style::Tag => "tag",
            Style::Numbered => "numbered",
            Style::Hmac => "hmac",
            Style::Mask => "mask",
        }
    }
}

/// A placeholder template split around `{label}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Template {
    /// Text before the label, e.g. `<`.
    pub prefix: String,
    /// Text after the label, e.g. `>`.
    pub suffix: String,
}

impl Default for Template {
    fn default() -> Template {
        Template {
            prefix: "<".into(),
            suffix: ">".into(),
        }
    }
}

impl std::str::FromStr for Template {
    type Err = Error;
    /// Parses `<{label}>`: exactly one `{label}`, and some text around it (a bare label
    /// would be indistinguishable from ordinary upper-case words).
    fn from_str(s: &str) -> Result<Template> {
        let (prefix, suffix) = s.split_once("{label}").ok_or_else(|| {
            Error::usage(format!(
                "placeholder {s:?} must contain {{label}}, e.g. '<{{label}}>'"
            ))
        })?;
        if suffix.contains("{label}") {
            return Err(Error::usage("placeholder must contain {label} only once"));
        }
        if prefix.is_empty() && suffix.is_empty() {
            return Err(Error::usage(
                "placeholder needs text around {label}, e.g. '<{label}>' or '[{label}]'",
            ));
        }
        if (prefix.to_owned() + suffix)
            .chars()
            .any(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
        {
            return Err(Error::usage(
                "placeholder text around {label} must not hold letters, digits, '_' or ':' (they would read as part of the label)",
            ));
        }
        Ok(Template {
            prefix: prefix.to_owned(),
            suffix: suffix.to_owned(),
        })
    }
}

/// Rewrites documents with a style and template.
#[derive(Clone)]
pub struct Rewriter {
    style: Style,
    template: Template,
    key: Option<Hmac<Sha256>>,
}

impl std::fmt::Debug for Rewriter {
    /// Never prints the key.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rewriter")
            .field("style", &self.style)
            .field("template", &self.template)
            .field("key", &self.key.as_ref().map(|_| "<set>"))
            .finish()
    }
}

impl Rewriter {
    /// A rewriter. `key` is required for [`Style::Hmac`] and ignored otherwise.
    ///
    /// # Errors
    /// A key error when the style is `hmac` and the key is missing or shorter than
    /// [`MIN_KEY_BYTES`].
    pub fn new(style: Style, template: Template, key: Option<&[u8]>) -> Result<Rewriter> {
        let key = match style {
            Style::Hmac => {
                let key = key.ok_or_else(|| {
                    Error::key(
                        "style hmac needs a key: set SHARDSCRUB_HMAC_KEY or pass --hmac-key-file",
                    )
                })?;
                if key.len() < MIN_KEY_BYTES {
                    return Err(Error::key(format!(
                        "the key has {} bytes; at least {MIN_KEY_BYTES} are needed",
                        key.len()
                    )));
                }
                Some(
                    <Hmac<Sha256> as KeyInit>::new_from_slice(key)
                        .map_err(|_| Error::key("unusable key"))?,
                )
            }
            _ => None,
        };
        Ok(Rewriter {
            style,
            template,
            key,
        })
    }

    /// For `hmac` style, an identifier of the key: the first 8 bytes of its HMAC of a
    /// fixed label, in hex. It tells two keys apart in settings (so `--resume` redoes
    /// shards made with another key) and reveals nothing usable about the key.
    pub fn key_id(&self) -> Option<String> {
        self.key.as_ref().map(|k| {
            let mut m = k.clone();
            m.update(b"shardscrub key id");
            crate::checksum::hex(&m.finalize().into_bytes()[..8])
        })
    }
    /// The style.
    pub fn style(&self) -> Style {
        self.style
    }

    /// The template.
    pub fn template(&self) -> &Template {
        &self.template
    }

    /// Appends `text` to `out` with every finding replaced. `findings` must be sorted,
    /// non-overlapping and on character boundaries, as the scanner returns them.
    /// `text` is one whole document: `numbered` placeholders count from 1 within it.
    pub fn rewrite(&self, text: &str, findings: &[Finding], out: &mut String) {
        let mut numbering = Numbering::default();
        let mut at = 0;
        for f in findings {
            out.push_str(&text[at..f.start]);
            self.replacement(&text[f.start..f.end], f.label, &mut numbering, out);
            at = f.end;
        }
        out.push_str(&text[at..]);
    }

    /// Appends the placeholder for one finding, `value` labelled `label`, to `out`.
    /// `numbering` holds the `numbered` style's counters for the current document; a
    /// document made of several fields shares one across them.
    pub fn replacement(
        &self,
        value: &str,
        label: Label,
        numbering: &mut Numbering,
        out: &mut String,
    ) {
        let name = label.as_str();
        match self.style {
            Style::Mask => out.extend(
                value
                    .chars()
                    .map(|c| if c.is_alphanumeric() { '*' } else { c }),
            ),
            Style::Tag => {
                out.push_str(&self.template.prefix);
                out.push_str(name);
                out.push_str(&self.template.suffix);
            }
            Style::Numbered => {
                let n = numbering.number(label, value);
                let _ = write!(
                    out,
                    "{}{name}_{n}{}",
                    self.template.prefix, self.template.suffix
                );
            }
            Style::Hmac => {
                let mut mac = self.key.clone().expect("checked in new");
                mac.update(name.as_bytes());
                mac.update(&[0]);
                mac.update(value.as_bytes());
                let digest = mac.finalize().into_bytes();
                out.push_str(&self.template.prefix);
                out.push_str(name);
                out.push(':');
                for b in &digest[..8] {
                    let _ = write!(out, "{b:02x}");
                }
                out.push_str(&self.template.suffix);
            }
        }
    }
}

/// The `numbered` style's state for one document: the same value gets the same number,
/// and each label counts from 1. Other styles leave it empty (no allocation).
#[derive(Debug, Default)]
pub struct Numbering {
    numbers: HashMap<(Label, String), usize>,
    per_label: HashMap<Label, usize>,
}

impl Numbering {
    /// Forgets every number: call between documents.
    pub fn clear(&mut self) {
        self.numbers.clear();
        self.per_label.clear();
    }

    fn number(&mut self, label: Label, value: &str) -> usize {
        if let Some(n) = self.numbers.get(&(label, value.to_owned())) {
            return *n;
        }
        let c = self.per_label.entry(label).or_insert(0);
        *c += 1;
        self.numbers.insert((label, value.to_owned()), *c);
        *c
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(start: usize, end: usize, label: &str) -> Finding {
        Finding::test(start, end, label, "r")
    }

    fn run(style: Style, key: Option<&[u8]>) -> String {
        let text = "a@b.cc x a@b.cc y c@d.ee";
        let fs = [
            f(0, 6, "EMAIL_ADDRESS"),
            f(9, 15, "EMAIL_ADDRESS"),
            f(18, 24, "EMAIL_ADDRESS"),
        ];
        let mut out = String::new();
        Rewriter::new(style, Template::default(), key)
            .unwrap()
            .rewrite(text, &fs, &mut out);
        out
    }

    #[test]
    fn styles() {
        assert_eq!(
            run(Style::Tag, None),
            "<EMAIL_ADDRESS> x <EMAIL_ADDRESS> y <EMAIL_ADDRESS>"
        );
        assert_eq!(
            run(Style::Numbered, None),
            "<EMAIL_ADDRESS_1> x <EMAIL_ADDRESS_1> y <EMAIL_ADDRESS_2>"
        );
        assert_eq!(run(Style::Mask, None), "*@*.** x *@*.** y *@*.**");
        let h = run(Style::Hmac, Some(b"0123456789abcdef0123"));
        let tokens: Vec<&str> = h.split(' ').collect();
        assert_eq!(tokens[0], tokens[2], "same value, same token");
        assert_ne!(tokens[0], tokens[4], "different values, different tokens");
        assert_eq!(tokens[0].len(), "<EMAIL_ADDRESS:>".len() + 16);
        assert_ne!(h, run(Style::Hmac, Some(b"another key of 16+ bytes")));
    }

    #[test]
    fn bad_keys_and_templates() {
        assert!(Rewriter::new(Style::Hmac, Template::default(), None).is_err());
        assert!(Rewriter::new(Style::Hmac, Template::default(), Some(b"short")).is_err());
        assert!("<label>".parse::<Template>().is_err());
        assert!("{label}".parse::<Template>().is_err());
        assert!("[{label}]".parse::<Template>().is_ok());
        assert!("x{label}".parse::<Template>().is_err());
    }
}
