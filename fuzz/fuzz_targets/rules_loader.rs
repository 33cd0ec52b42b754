//! The rule-file loader on any text: an error or a rule set, never a panic; a rule set
//! that loads also compiles into a scanner that scans a sample without panicking. Only
//! the fuzzed file is loaded (not the built-in rules), so each run is fast.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shardscrub::rules::Source;
use shardscrub::scan::{ScanOptions, Scanner};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let source = Source {
        name: "fuzz.toml".to_owned(),
        text: text.to_owned(),
    };
    let Ok(set) = shardscrub::rules::load_only(std::slice::from_ref(&source)) else {
        return;
    };
    if let Ok(scanner) = Scanner::new(set, ScanOptions::default()) {
        let mut scratch = scanner.scratch();
        let _ = scanner.scan(
            "mail jane.doe@corp.eu, call +44 20 7946 0958, TCK-123456 from 81.2.69.160",
            &mut scratch,
        );
    }
});
