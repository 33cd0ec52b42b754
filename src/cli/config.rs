//! Command-line options to a configured [`Redactor`], validated once.

use super::{EngineArgs, InputArgs, RedactArgs};
use crate::dict::DenyList;
use crate::input::jsonl::{FieldPath, MAX_FIELDS};
use crate::shard::{self, Mode};
use crate::{Error, Label, Redactor, Result};
use serde_json::json;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// Environment variable holding the HMAC key.
pub const KEY_ENV: &str = "SHARDSCRUB_HMAC_KEY";

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| Error::io(Some(path.to_owned()), e))
}

/// Builds the redactor for `scan` (no `redact` options) or `redact`. `key` is an HMAC key
/// given by a host program ([`super::run_embedded`]); without it, the key comes from
/// the key file or the environment.
pub fn redactor(
    engine: &EngineArgs,
    redact: Option<&RedactArgs>,
    key: Option<&[u8]>,
) -> Result<Redactor> {
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
    b = b.exclude_rules(engine.exclude_rules.iter().map(|s| s.trim().to_owned()));
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
        if style == crate::Style::Hmac {
            b = match key {
                Some(key) => b.hmac_key(key),
                None => b.hmac_key(&hmac_key(r.hmac_key_file.as_deref())?),
            };
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

/// The shard options from the command line, validated.
pub fn shard_options(
    args: &InputArgs,
    mode: Mode,
    drop_doc_over: Option<usize>,
) -> Result<shard::Options> {
    let format = match &args.format {
        Some(f) => f.parse()?,
        None => crate::input::Format::Text,
    };
    let mut opts = shard::Options::new(mode, format);
    opts.fields = args
        .fields
        .iter()
        .map(|f| f.parse::<FieldPath>().map_err(Error::usage))
        .collect::<Result<_>>()?;
    if opts.fields.len() > MAX_FIELDS {
        return Err(Error::usage(format!(
            "at most {MAX_FIELDS} --field options"
        )));
    }
    opts.record = match args.record.as_str() {
        "line" => shard::RecordUnit::Line,
        "file" => shard::RecordUnit::File,
        other => {
            return Err(Error::usage(format!(
                "unknown --record {other:?}; use line or file"
            )));
        }
    };
    opts.on_error = args.on_error.parse()?;
    opts.drop_doc_over = drop_doc_over;
    let max = crate::units::parse_size(&args.max_record_bytes)
        .map_err(|e| Error::usage(format!("--max-record-bytes: {e}")))?;
    opts.max_record_bytes = usize::try_from(max).unwrap_or(usize::MAX);
    let url_field = args
        .url_field
        .as_deref()
        .map(|f| f.parse::<FieldPath>().map_err(Error::usage))
        .transpose()?;
    let opt_out = if args.opt_out.is_empty() {
        None
    } else {
        Some(crate::optout::OptOut::load(&args.opt_out)?)
    };
    opts.origin = crate::origin::Origin::new(&opts.fields, url_field, opt_out)?.map(Into::into);
    if let Ok(chunk) = std::env::var("SHARDSCRUB_CHUNK_BYTES") {
        // For tests: tiny chunks exercise the cuts between chunks on small inputs.
        opts.chunk_bytes = chunk
            .parse()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| Error::usage("SHARDSCRUB_CHUNK_BYTES must be a positive number"))?;
    }
    Ok(opts)
}

/// Sizes the worker pool: `n` threads, or all cores.
pub fn threads(n: Option<usize>) -> Result<()> {
    let Some(n) = n else { return Ok(()) };
    if n == 0 {
        return Err(Error::usage("--threads must be at least 1"));
    }
    if super::shards::EMBEDDED.load(std::sync::atomic::Ordering::Relaxed) {
        // The host's global pool may exist already; run_embedded installs a pool of n.
        return Ok(());
    }
    rayon::ThreadPoolBuilder::new()
        .num_threads(n)
        .build_global()
        .map_err(|e| Error::usage(format!("--threads: {e}")))
}

/// The file name of `path` (what the report shows of a list or rule file: where it
/// lies differs from machine to machine, its name and content do not).
fn file_name(path: &Path) -> String {
    path.file_name()
        .unwrap_or(path.as_os_str())
        .to_string_lossy()
        .into_owned()
}

/// A list or rule file as the report names it: file name, size and sha256, never its
/// lines.
fn list_file(path: &PathBuf) -> Result<serde_json::Value> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(Some(path.clone()), e))?;
    let sha256 = crate::checksum::hex(&Sha256::digest(&bytes));
    Ok(json!({"file": file_name(path), "bytes": bytes.len(), "sha256": sha256}))
}

/// `s` as one shell word.
fn shell_word(s: &str) -> String {
    let plain = !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./,=:+@%".contains(&b));
    if plain {
        s.to_owned()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// The `redact` command line that reproduces the outputs: every option that changes
/// them, when not at its default, with `INPUT...` and `OUT` in place of the paths and
/// list files by file name.
pub fn command(args: &RedactArgs) -> String {
    let (input, engine) = (&args.input, &args.engine);
    let mut c = vec!["shardscrub redact INPUT... --out OUT".to_owned()];
    let mut opt = |name: &str, value: &str| c.push(format!("--{name} {}", shell_word(value)));
    if let Some(f) = &input.format {
        opt("format", f);
    }
    if input.fields != ["text"] {
        for f in &input.fields {
            opt("field", f);
        }
    }
    if input.record != "line" {
        opt("record", &input.record);
    }
    if input.on_error != "fail" {
        opt("on-error", &input.on_error);
    }
    if input.max_record_bytes != "256MiB" {
        opt("max-record-bytes", &input.max_record_bytes);
    }
    if let Some(n) = args.drop_doc_over {
        opt("drop-doc-over", &n.to_string());
    }
    if let Some(f) = &input.url_field {
        opt("url-field", f);
    }
    for p in &input.opt_out {
        opt("opt-out", &file_name(p));
    }
    if args.style != "tag" {
        opt("style", &args.style);
    }
    if args.style == "hmac" {
        opt("hmac-key-file", "KEY_FILE");
    }
    if args.placeholder != "<{label}>" {
        opt("placeholder", &args.placeholder);
    }
    for p in &engine.patterns {
        opt("patterns", &file_name(p));
    }
    if let Some(l) = &engine.labels {
        opt("labels", &l.join(","));
    }
    if !engine.exclude_labels.is_empty() {
        opt("exclude-labels", &engine.exclude_labels.join(","));
    }
    if !engine.exclude_rules.is_empty() {
        opt("exclude-rules", &engine.exclude_rules.join(","));
    }
    for p in &engine.allow {
        opt("allow", &file_name(p));
    }
    for p in &engine.deny {
        opt("deny", &file_name(p));
    }
    if let Some(l) = &engine.deny_label {
        opt("deny-label", l);
    }
    if engine.private_ips {
        c.push("--private-ips".into());
    }
    if engine.no_default_allow {
        c.push("--no-default-allow".into());
    }
    c.join(" ")
}

/// Every setting that changes the output, for `--resume` and the report. The HMAC key
/// is never included.
pub fn settings(
    redactor: &Redactor,
    engine: &EngineArgs,
    redact: Option<&RedactArgs>,
    input: &InputArgs,
    opts: &shard::Options,
) -> Result<serde_json::Value> {
    let lists = |paths: &[PathBuf]| paths.iter().map(list_file).collect::<Result<Vec<_>>>();
    let mut s = json!({
        "rules_hash": redactor.scanner().rules().hash(),
        "mode": opts.mode,
        "format": input.format.as_deref().unwrap_or("from the file name"),
        "fields": input.fields,
        "record": opts.record,
        "on_error": opts.on_error,
        "drop_doc_over": opts.drop_doc_over,
        "max_record_bytes": opts.max_record_bytes,
        "style": redact.map(|r| r.style.as_str()),
        "placeholder": redact.map(|r| r.placeholder.as_str()),
        // Not the key: an identifier of it, so that outputs made with another key are
        // not taken over by --resume nor merged into one report.
        "hmac_key_id": redactor.rewriter().key_id(),
        "labels": engine.labels,
        "exclude_labels": engine.exclude_labels,
        "exclude_rules": engine.exclude_rules,
        "private_ips": engine.private_ips,
        "default_allow": !engine.no_default_allow,
        "patterns": lists(&engine.patterns)?,
        "allow": lists(&engine.allow)?,
        "deny": lists(&engine.deny)?,
        "deny_label": engine.deny_label,
    });
    // Only when given, so that the statistics of runs without them keep their
    // fingerprint.
    if let Some(f) = &input.url_field {
        s["url_field"] = json!(f);
    }
    if let Some(o) = opts.origin.as_deref().and_then(|o| o.opt_out()) {
        s["opt_out"] = json!(o.lists());
    }
    Ok(s)
}
