//! The rule self-check: every built-in example, and user files through the CLI.

use crate::util::{TempDir, run};
use shardscrub::Redactor;
use shardscrub::rules::check::{self, CheckOptions, MIN_EXAMPLES};

#[test]
fn every_builtin_example_passes_alone_and_through_the_engine() {
    let redactor = Redactor::new().unwrap();
    let report = check::check(redactor.scanner(), &CheckOptions::from_env());
    let failures: Vec<String> = report.failures.iter().map(ToString::to_string).collect();
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    if std::env::var_os("SHARDSCRUB_RULE").is_none() {
        assert!(report.rules >= 60, "only {} rules", report.rules);
        assert!(report.examples >= report.rules * 2 * MIN_EXAMPLES);
    }
}

#[test]
fn the_check_fails_when_an_example_is_wrong() {
    // A rule whose must_match cannot match and whose must_not_match does: both reported.
    let dir = TempDir::new("broken-rules");
    let file = dir.file(
        "broken.toml",
        r#"
[[rule]]
id = "ticket"
label = "SECRET"
description = "Ticket ids"
regex = 'TCK-[0-9]{6}'
triggers = ["TCK-"]
must_match = ["TCK-12", "no trigger here"]
must_not_match = ["TCK-123456"]
"#,
    );
    let out = run(&["rules", "test", &file], b"");
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(
        out.stdout
            .contains("ticket: must_match[0] \"TCK-12\": rule alone: found nothing"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("must_match[1] holds none of the triggers"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("must_not_match[0] \"TCK-123456\": rule alone found"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("failures"), "{}", out.stdout);
}

#[test]
fn a_good_user_file_passes_and_is_used_by_redact() {
    let dir = TempDir::new("good-rules");
    let file = dir.file(
        "tickets.toml",
        r#"
labels = ["TICKET_ID"]

[[rule]]
id = "ticket"
label = "TICKET_ID"
description = "Ticket ids"
regex = '\bTCK-[0-9]{6}\b'
triggers = ["TCK-"]
must_match = [{ text = "see TCK-123456", redacts = "TCK-123456" }]
must_not_match = ["TCK-12", "<TICKET_ID>"]
"#,
    );
    let out = run(&["rules", "test", &file], b"");
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert!(out.stdout.contains("1 rules"), "{}", out.stdout);
    let out = run(
        &["redact", "--patterns", &file],
        b"see TCK-123456 and jane@corp.eu\n",
    );
    assert_eq!(out.stdout, "see <TICKET_ID> and <EMAIL_ADDRESS>\n");
}

#[test]
fn a_broken_user_file_is_a_clear_error() {
    let dir = TempDir::new("bad-rules");
    let file = dir.file(
        "bad.toml",
        "[[rule]]\nid = \"x\"\nlabel = \"SECRET\"\ndescription = \"d\"\nregex = 'a('\nmust_match = [\"a\"]\nmust_not_match = [\"b\"]\n",
    );
    let out = run(&["redact", "--patterns", &file], b"text\n");
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("bad.toml: rule x: regex does not compile"),
        "{}",
        out.stderr
    );
}

#[test]
fn rules_list_shows_every_rule() {
    let out = run(&["rules", "list"], b"");
    assert_eq!(out.code, 0);
    let redactor = Redactor::new().unwrap();
    for rule in redactor.scanner().rules().rules() {
        assert!(out.stdout.contains(rule.id.as_str()), "{} missing", rule.id);
    }
    assert!(out.stdout.contains("sha256"));
    // The columns line up: each rule's label starts where the header's LABEL does.
    let mut lines = out.stdout.lines();
    let column = lines.next().unwrap().find("LABEL").unwrap();
    let email = lines.find(|l| l.starts_with("email ")).unwrap();
    assert_eq!(email.find("EMAIL_ADDRESS"), Some(column), "{email}");
}
