//! The binary on standard input.

use crate::util::{TempDir, run, run_with_env};

#[test]
fn redacts_the_issue_example() {
    let out = run(
        &["redact"],
        b"mail jane.doe@corp.eu or +44 20 7946 0958 from 81.2.69.160\n",
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "mail <EMAIL_ADDRESS> or <PHONE_NUMBER> from <IP_ADDRESS>\n"
    );
}

#[test]
fn keeps_every_line_and_its_terminator() {
    let input = b"a jane@corp.eu\r\n\nno finding here\nlast 81.2.69.160";
    let out = run(&["redact"], input);
    assert_eq!(
        out.stdout,
        "a <EMAIL_ADDRESS>\r\n\nno finding here\nlast <IP_ADDRESS>"
    );
}

#[test]
fn scan_prints_one_object_per_line_with_byte_spans() {
    let out = run(&["scan"], "é jane@corp.eu\nnothing\n".as_bytes());
    assert_eq!(out.code, 0);
    let lines: Vec<serde_json::Value> = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["shard"], "<stdin>");
    assert_eq!(lines[0]["line"], 1);
    let span = &lines[0]["spans"][0];
    // "é" is two bytes, so the address starts at byte 3.
    assert_eq!(
        (span["start"].as_u64(), span["end"].as_u64()),
        (Some(3), Some(15))
    );
    assert_eq!(span["label"], "EMAIL_ADDRESS");
    assert_eq!(span["rule"], "email");
    assert_eq!(lines[1]["spans"].as_array().unwrap().len(), 0);
}

#[test]
fn invalid_utf8_names_the_line_not_the_text() {
    let out = run(
        &["redact"],
        b"ok line\nsecret-marker-\xff\xfe jane@corp.eu\n",
    );
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("<stdin>:2: invalid UTF-8 at byte 14"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("secret-marker"), "{}", out.stderr);
}

#[test]
fn styles() {
    let text = b"a jane@corp.eu b jane@corp.eu c joe@corp.eu\n";
    let out = run(&["redact", "--style", "numbered"], text);
    assert_eq!(
        out.stdout,
        "a <EMAIL_ADDRESS_1> b <EMAIL_ADDRESS_1> c <EMAIL_ADDRESS_2>\n"
    );
    let out = run(&["redact", "--style", "mask"], text);
    assert_eq!(out.stdout, "a ****@****.** b ****@****.** c ***@****.**\n");
    let out = run(&["redact", "--placeholder", "[{label}]"], text);
    assert_eq!(
        out.stdout,
        "a [EMAIL_ADDRESS] b [EMAIL_ADDRESS] c [EMAIL_ADDRESS]\n"
    );
}

#[test]
fn hmac_tokens_are_stable_and_keyed() {
    let key = [("SHARDSCRUB_HMAC_KEY", "0123456789abcdef0123456789abcdef")];
    let a = run_with_env(
        &["redact", "--style", "hmac"],
        b"jane@corp.eu\njane@corp.eu\n",
        &key,
    );
    assert_eq!(a.code, 0, "{}", a.stderr);
    let lines: Vec<&str> = a.stdout.lines().collect();
    assert_eq!(lines[0], lines[1]);
    assert!(
        lines[0].starts_with("<EMAIL_ADDRESS:") && lines[0].len() == "<EMAIL_ADDRESS:>".len() + 16
    );
    let other = [("SHARDSCRUB_HMAC_KEY", "another-key-of-enough-length")];
    let b = run_with_env(&["redact", "--style", "hmac"], b"jane@corp.eu\n", &other);
    assert_ne!(b.stdout.lines().next(), Some(lines[0]));

    let dir = TempDir::new("hmac");
    let file = dir.file("key", "0123456789abcdef0123456789abcdef\n");
    let c = run(
        &["redact", "--style", "hmac", "--hmac-key-file", &file],
        b"jane@corp.eu\n",
    );
    assert_eq!(
        c.stdout.lines().next(),
        Some(lines[0]),
        "file key = env key: {}",
        c.stderr
    );
}

#[test]
fn hmac_without_a_good_key_is_refused() {
    let out = run(&["redact", "--style", "hmac"], b"x\n");
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("SHARDSCRUB_HMAC_KEY"), "{}", out.stderr);
    let out = run_with_env(
        &["redact", "--style", "hmac"],
        b"x\n",
        &[("SHARDSCRUB_HMAC_KEY", "short")],
    );
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("at least 16"), "{}", out.stderr);
    assert!(
        !out.stderr.contains("short"),
        "the key is never printed: {}",
        out.stderr
    );
}

#[test]
fn label_filters_and_unknown_labels() {
    let text = b"jane@corp.eu 81.2.69.160\n";
    assert_eq!(
        run(&["redact", "--labels", "IP_ADDRESS"], text).stdout,
        "jane@corp.eu <IP_ADDRESS>\n"
    );
    assert_eq!(
        run(&["redact", "--exclude-labels", "IP_ADDRESS"], text).stdout,
        "<EMAIL_ADDRESS> 81.2.69.160\n"
    );
    // A filter picks findings after resolution: the digits of a card number or an IBAN
    // are not reported as a phone number because the card and IBAN rules are off.
    // (With the IBAN rule left out, `0044 0532 0130 00` read as a call to the UK.)
    let money = b"IBAN DE89 3704 0044 0532 0130 00 and FR76 3000 6000 0112 3456 7890 189, tel +44 20 7946 0958\n";
    assert_eq!(
        run(&["redact", "--labels", "PHONE_NUMBER"], money).stdout,
        "IBAN DE89 3704 0044 0532 0130 00 and FR76 3000 6000 0112 3456 7890 189, tel <PHONE_NUMBER>\n"
    );
    let out = run(&["redact", "--labels", "EMAIL"], text);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("unknown label \"EMAIL\""),
        "{}",
        out.stderr
    );
}

#[test]
fn private_ips_are_kept_unless_asked() {
    let text = b"db at 10.1.2.3\n";
    assert_eq!(run(&["redact"], text).stdout, "db at 10.1.2.3\n");
    assert_eq!(
        run(&["redact", "--private-ips"], text).stdout,
        "db at <IP_ADDRESS>\n"
    );
}

#[test]
fn allow_and_deny_lists() {
    let dir = TempDir::new("lists");
    let allow = dir.file("allow.txt", "# our service address\nnoreply@corp.eu\n");
    let deny = dir.file("deny.txt", "# label: PERSON\nJane Roe\n");
    let text = b"from noreply@corp.eu to jane@corp.eu, signed Jane Roe\n";
    let out = run(&["redact", "--allow", &allow, "--deny", &deny], text);
    assert_eq!(
        out.stdout, "from noreply@corp.eu to <EMAIL_ADDRESS>, signed <PERSON>\n",
        "{}",
        out.stderr
    );
    let unlabelled = dir.file("names.txt", "Jane Roe\n");
    let out = run(&["redact", "--deny", &unlabelled], text);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("needs a label"), "{}", out.stderr);
}

#[test]
fn rules_can_be_left_out_by_id() {
    // A licence notice keeps its author when the copyright rule is left out; the other
    // name rules still run. An unknown id is a usage error that names it.
    let text = b"Copyright (c) 2019 Kofi Roe\nRegards,\nKofi Roe\n";
    let out = run(&["redact", "--record", "file"], text);
    assert_eq!(
        out.stdout, "Copyright (c) 2019 <PERSON>\nRegards,\n<PERSON>\n",
        "{}",
        out.stderr
    );
    let out = run(
        &[
            "redact",
            "--record",
            "file",
            "--exclude-rules",
            "person_copyright",
        ],
        text,
    );
    assert_eq!(
        out.stdout, "Copyright (c) 2019 Kofi Roe\nRegards,\n<PERSON>\n",
        "{}",
        out.stderr
    );
    let out = run(&["redact", "--exclude-rules", "person_copyrite"], text);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("\"person_copyrite\""), "{}", out.stderr);
}

#[test]
fn help_has_examples() {
    for args in [
        &["--help"][..],
        &["redact", "--help"],
        &["scan", "--help"],
        &["rules", "test", "--help"],
    ] {
        let out = run(args, b"");
        assert_eq!(out.code, 0);
        assert!(out.stdout.contains("Examples"), "{args:?}: {}", out.stdout);
    }
}

#[test]
fn the_bundled_sample_redacts_cleanly() {
    let sample = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/corpus/sample.txt")).unwrap();
    let out = run(&["redact"], &sample);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout.lines().count(),
        sample
            .split(|&b| b == b'\n')
            .filter(|l| !l.is_empty())
            .count()
    );
    // Idempotent: a second pass changes nothing.
    let again = run(&["redact"], out.stdout.as_bytes());
    assert_eq!(again.stdout, out.stdout);
    // Every label the sample's README promises is found.
    for label in [
        "EMAIL_ADDRESS",
        "PHONE_NUMBER",
        "IP_ADDRESS",
        "CREDIT_CARD",
        "IBAN_CODE",
        "SECRET",
        "CRYPTO",
        "US_SSN",
    ] {
        assert!(
            out.stdout.contains(&format!("<{label}>")),
            "{label} not found in the sample"
        );
    }
}

/// The entry points for host programs (the Python package) take the command line's
/// words and give its results and messages.
#[test]
fn embedded_entry_points_match_the_command_line() {
    use shardscrub::cli::{redactor_embedded, run_embedded};
    let r = redactor_embedded(["--labels", "EMAIL_ADDRESS"], None).unwrap();
    assert_eq!(
        r.redact("mail jane.doe@corp.eu from 81.2.69.160").text,
        "mail <EMAIL_ADDRESS> from 81.2.69.160"
    );
    let key = b"a key of thirty-two bytes or so..";
    let h = redactor_embedded(["--style", "hmac"], Some(key)).unwrap();
    assert!(
        h.redact("jane.doe@corp.eu")
            .text
            .starts_with("<EMAIL_ADDRESS:")
    );
    let cli = crate::util::run(&["redact", "--style", "fancy"], b"");
    let e = redactor_embedded(["--style", "fancy"], None).unwrap_err();
    assert!(cli.stderr.contains(&e.to_string()), "{e} / {}", cli.stderr);
    let e = redactor_embedded(["--style", "hmac"], Some(b"short")).unwrap_err();
    assert!(e.to_string().contains("at least"), "{e}");
    assert!(redactor_embedded(["in.jsonl"], None).is_err());
    assert!(redactor_embedded(["--no-such-option"], None).is_err());

    let dir = crate::util::TempDir::new("embedded");
    let out = dir.path("out");
    let code = run_embedded(
        ["redact", crate::util::SAMPLE_JSONL, "--out", &out],
        false,
        None,
    );
    assert_eq!(code.unwrap(), 0);
    let report = std::fs::read_to_string(dir.path("out/redaction-report.json")).unwrap();
    assert!(report.contains("\"EMAIL_ADDRESS\""));
}
