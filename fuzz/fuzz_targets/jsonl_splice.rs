//! The JSONL path of a shard on any line: a bad record is an error, never a panic; a
//! good one comes out as valid JSON with the same keys in the same order, every value
//! but the scanned fields unchanged, and each scanned field equal to the redactor's
//! output for its text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use shardscrub::input::{Data, Format};
use shardscrub::shard::{self, Mode, Observer, Options};
use shardscrub::Redactor;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, OnceLock};

fn redactor() -> &'static Redactor {
    static R: OnceLock<Redactor> = OnceLock::new();
    R.get_or_init(|| Redactor::new().expect("the built-in rules load"))
}

struct Quiet;
impl Observer for Quiet {}

fuzz_target!(|data: &[u8]| {
    if data.contains(&b'\n') {
        return; // One record per input: the line splitter is not under test here.
    }
    let mut opts = Options::new(Mode::Redact, Format::Jsonl);
    opts.fields = vec!["text".parse().unwrap(), "meta.title".parse().unwrap()];
    let input = Data::Stream {
        reader: Box::new(std::io::Cursor::new(data.to_vec())),
        stored: Arc::new(AtomicU64::new(0)),
    };
    let mut out = Vec::new();
    let result = shard::process(redactor(), &opts, "fuzz.jsonl", input, &mut out, &Quiet);
    let Ok(before) = serde_json::from_slice::<Value>(data) else {
        return; // Not JSON: an error or not, shardscrub must only not panic.
    };
    let Ok(_) = result else {
        return; // Valid JSON can still be a bad record (no `text`, not a string, ...).
    };
    let after: Value = serde_json::from_slice(&out).expect("a redacted line is JSON");
    // Duplicate keys collapse when parsed; the comparison needs each key once.
    let text = String::from_utf8_lossy(data);
    if text.matches("\"text\"").count() > 1 || text.matches("\"meta\"").count() > 1 || text.matches("\"title\"").count() > 1 {
        return;
    }
    same_but_scanned(&before, &after, &[]);
});

/// `after` is `before` with the scanned fields (`text`, `meta.title`) redacted.
fn same_but_scanned(before: &Value, after: &Value, path: &[&str]) {
    match (before, after) {
        (Value::Object(b), Value::Object(a)) => {
            assert_eq!(b.keys().collect::<Vec<_>>(), a.keys().collect::<Vec<_>>(), "keys at {path:?}");
            for (k, bv) in b {
                let mut p = path.to_vec();
                p.push(k);
                same_but_scanned(bv, &a[k], &p);
            }
        }
        (Value::String(b), Value::String(a)) if path == ["text"] || path == ["meta", "title"] => {
            assert_eq!(a, &redactor().redact(b).text, "scanned field {path:?}");
        }
        _ => assert_eq!(before, after, "value at {path:?}"),
    }
}
