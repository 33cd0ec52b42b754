//! The scanner and the rewriter on any text: no panic; findings sorted, disjoint, on
//! character boundaries; every byte outside a finding kept and each finding replaced by
//! its placeholder; and the output redacted again changes nothing (idempotence).
#![no_main]

use libfuzzer_sys::fuzz_target;
use shardscrub::Redactor;
use std::sync::OnceLock;

fn redactor() -> &'static Redactor {
    static R: OnceLock<Redactor> = OnceLock::new();
    R.get_or_init(|| Redactor::new().expect("the built-in rules load"))
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let r = redactor().redact(text);
    let mut expected = String::with_capacity(text.len());
    let mut at = 0;
    for f in &r.findings {
        assert!(at <= f.start && f.start < f.end && f.end <= text.len(), "span {f:?}");
        assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
        expected.push_str(&text[at..f.start]);
        expected.push_str(&format!("<{}>", f.label.as_str()));
        at = f.end;
    }
    expected.push_str(&text[at..]);
    assert_eq!(r.text, expected, "bytes outside findings changed");
    let again = redactor().redact(&r.text);
    assert!(
        again.findings.is_empty(),
        "not idempotent: a second pass finds {:?}",
        again.findings
    );
});
