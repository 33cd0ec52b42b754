//! The rule-file loader on any text: an error or a rule set, never a panic; a rule set
//! that loads also compiles into a redactor that scans a sample without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shardscrub::Redactor;
use shardscrub::rules::Source;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let source = Source {
        name: "fuzz.toml".to_owned(),
        text: text.to_owned(),
    };
    if shardscrub::rules::load(std::slice::from_ref(&source)).is_err() {
        return;
    }
    if let Ok(r) = Redactor::builder().patterns(source).build() {
        let _ = r.redact("mail jane.doe@corp.eu, call +44 20 7946 0958, TCK-123456 from 81.2.69.160");
    }
});
