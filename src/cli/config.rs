//! Command-line options to a configured [`Redactor`], validated once.

use super::{EngineArgs, RedactArgs};
use shardscrub::dict::DenyList;
use shardscrub::{Error, Label, Redactor, Result};
use std::path::Path;

/// Environment variable holding the HMAC key.
pub const KEY_ENV: &str = "SHARDSCRUB_HMAC_KEY";

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| Error::io(Some(path.to_owned()), e))
}

/// Builds the redactor for `scan` (no `redact` options) or `redact`.
pub fn redactor(engine: &EngineArgs, redact: Option<&RedactArgs>) -> Result<Redactor> {
    let mut b = Redactor::builder()
        .private_ips(engine.private_ips)
        .default_allow(!engine.no_default_allow);
    for p in &engine.patterns {
        b = b.patterns_file(p)?;
    }
    if let Some(labels) = &engine.labels {
        b = b.labels(labels.iter().map(|s| s.trim().to_owned()));
    }
    b = b.exclude_labels(engine.exclude_labels.iter().map(|s| s.trim().to_owned()));
    for p in &engine.allow {
        b = b.allow_text(&read(p)?);
    }
    let deny_label = engine
        .deny_label
        .as_deref()
        .map(|l| l.parse::<Label>().map_err(Error::usage))
        .transpose()?;
    for p in &engine.deny {
        b = b.deny(DenyList::from_text(
            &p.display().to_string(),
            &read(p)?,
            deny_label,
        )?);
    }
    if let Some(r) = redact {
        let style = r.style.parse()?;
        b = b.style(style).placeholder(&r.placeholder);
        if style == shardscrub::Style::Hmac {
            b = b.hmac_key(&hmac_key(r.hmac_key_file.as_deref())?);
        }
    }
    b.build()
}

/// The HMAC key from the key file or the environment. Trailing line ends are not part
/// of the key. A key file others can read gets a warning.
fn hmac_key(file: Option<&Path>) -> Result<Vec<u8>> {
    let key = match file {
        Some(path) => {
            warn_if_readable_by_others(path);
            std::fs::read(path).map_err(|e| Error::io(Some(path.to_owned()), e))?
        }
        None => std::env::var_os(KEY_ENV)
            .ok_or_else(|| {
                Error::key(format!(
                    "style hmac needs a key: set {KEY_ENV} or pass --hmac-key-file"
                ))
            })?
            .into_encoded_bytes(),
    };
    let mut key = key;
    while key.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
        key.pop();
    }
    if key.is_empty() {
        return Err(Error::key("the key is empty"));
    }
    Ok(key)
}

#[cfg(unix)]
fn warn_if_readable_by_others(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(meta) = std::fs::metadata(path)
        && meta.permissions().mode() & 0o004 != 0
    {
        eprintln!(
            "shardscrub: warning: key file {} is readable by every user; chmod 600 it",
            path.display()
        );
    }
}

#[cfg(not(unix))]
fn warn_if_readable_by_others(_path: &Path) {}
