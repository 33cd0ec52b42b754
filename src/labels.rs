//! Labels: the kind of personal data a finding is ([`Label`]).
//!
//! The built-in names follow Microsoft Presidio's entity names where one exists, so results
//! map 1:1 onto Presidio's (`EMAIL_ADDRESS`, `PHONE_NUMBER`, ...), plus the additions
//! DESIGN.md lists (`SECRET`, `DE_TAX_ID`, ...). A user's rule file may declare more with a
//! top-level `labels = ["MY_LABEL"]`.
//!
//! A label is an interned `&'static str`: copying and comparing it is free on the hot path.
//! Interning leaks one string per *distinct* label name, so memory is bounded by the number
//! of names, never by how many rule sets are built.

use std::collections::BTreeSet;
use std::fmt;
use std::sync::Mutex;

/// Every label the built-in rules use or DESIGN.md reserves, in documentation order.
pub const BUILTIN_LABELS: &[&str] = &[
    "EMAIL_ADDRESS",
    "PHONE_NUMBER",
    "IP_ADDRESS",
    "MAC_ADDRESS",
    "URL",
    "CREDIT_CARD",
    "IBAN_CODE",
    "CRYPTO",
    "US_SSN",
    "UK_NHS",
    "UK_NINO",
    "DE_TAX_ID",
    "FR_NIR",
    "ES_NIF",
    "ES_NIE",
    "IT_FISCAL_CODE",
    "NL_BSN",
    "PL_PESEL",
    "SE_PERSONNUMMER",
    "FI_PERSONAL_IDENTITY_CODE",
    "DK_CPR",
    "BE_NATIONAL_NUMBER",
    "PT_NIF",
    "BR_CPF",
    "IN_AADHAAR",
    "IN_PAN",
    "SECRET",
    "PERSON",
];

/// The kind of personal data a finding is, e.g. `EMAIL_ADDRESS`.
///
/// Ordering and equality are by name, so sorting findings by label is deterministic.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Label(&'static str);

static INTERNED: Mutex<BTreeSet<&'static str>> = Mutex::new(BTreeSet::new());

/// Returns the one `&'static str` for `name`, leaking it the first time it is seen.
pub(crate) fn intern(name: &str) -> &'static str {
    let mut set = INTERNED.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(s) = set.get(name) {
        return s;
    }
    let s: &'static str = Box::leak(name.to_owned().into_boxed_str());
    set.insert(s);
    s
}

impl Label {
    /// Makes a label from a name, which must look like a label: `A-Z`, `0-9` and `_`,
    /// starting with a letter. Whether the name is *known* is the rule loader's business.
    pub fn new(name: &str) -> Option<Label> {
        if is_label_name(name) {
            Some(Label(intern(name)))
        } else {
            None
        }
    }

    /// The name, e.g. `"EMAIL_ADDRESS"`.
    pub fn as_str(self) -> &'static str {
        self.0
    }

    /// True for the names in [`BUILTIN_LABELS`].
    pub fn is_builtin(self) -> bool {
        BUILTIN_LABELS.contains(&self.0)
    }
}

/// True when `name` has the shape of a label: upper-case ASCII letters, digits and `_`,
/// starting with a letter.
pub fn is_label_name(name: &str) -> bool {
    let b = name.as_bytes();
    !b.is_empty()
        && b[0].is_ascii_uppercase()
        && b.iter()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == b'_')
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `pad`, not `write_str`: widths and alignment (`{:<28}`) apply.
        f.pad(self.0)
    }
}

impl fmt::Debug for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl std::str::FromStr for Label {
    type Err = String;
    fn from_str(s: &str) -> Result<Label, String> {
        Label::new(s).ok_or_else(|| format!("{s:?} is not a label name (A-Z, 0-9, _)"))
    }
}

impl serde::Serialize for Label {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0)
    }
}

impl<'de> serde::Deserialize<'de> for Label {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Label, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interning_gives_one_pointer_per_name() {
        let a = Label::new("EMAIL_ADDRESS").unwrap();
        let b: Label = "EMAIL_ADDRESS".parse().unwrap();
        assert!(std::ptr::eq(a.as_str(), b.as_str()));
        assert!(a.is_builtin());
        assert!(!Label::new("MY_OWN").unwrap().is_builtin());
    }

    #[test]
    fn rejects_malformed_names() {
        for bad in ["", "email", "1ABC", "A-B", "É"] {
            assert!(Label::new(bad).is_none(), "{bad:?}");
        }
    }
}
