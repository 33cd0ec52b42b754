//! The failure classes seen on text this project did not write (CSV rows, forms, configs,
//! chat, CJK, source code), each with made-up examples: what must be redacted, and what
//! must stay. The rules' own examples cover the same ground rule by rule; this module
//! keeps the classes fixed as a whole, through the default engine.

use shardscrub::Redactor;
use std::sync::OnceLock;

fn redactor() -> &'static Redactor {
    static R: OnceLock<Redactor> = OnceLock::new();
    R.get_or_init(|| Redactor::new().expect("built-in rules load"))
}

/// `(text, value, label)`: `value` must be reported whole under `label`.
fn assert_found(cases: &[(&str, &str, &str)]) {
    for (text, value, label) in cases {
        let findings = redactor().scan(text);
        let got: Vec<(&str, String)> = findings
            .iter()
            .map(|f| (&text[f.start..f.end], f.label.to_string()))
            .collect();
        assert!(
            got.iter().any(|(v, l)| v == value && l == label),
            "{text:?}: wanted {value:?} as {label}, got {got:?}"
        );
    }
}

/// Texts in which nothing at all may be reported.
fn assert_clean(texts: &[&str]) {
    for text in texts {
        let findings = redactor().scan(text);
        let got: Vec<&str> = findings.iter().map(|f| &text[f.start..f.end]).collect();
        assert!(got.is_empty(), "{text:?}: wanted nothing, got {got:?}");
    }
}

#[test]
fn class_1_values_followed_by_a_comma_and_digits() {
    assert_found(&[
        (
            "1,Jane Roe,DE89 3704 0044 0532 0130 00,2019-12-26",
            "DE89 3704 0044 0532 0130 00",
            "IBAN_CODE",
        ),
        ("x,4111111111111111,2020", "4111111111111111", "CREDIT_CARD"),
        (
            "ALLOWED_HOSTS=10.0.0.5,81.2.69.160,",
            "81.2.69.160",
            "IP_ADDRESS",
        ),
        (
            "id,phone\n7,+44 20 7946 0958,2024",
            "+44 20 7946 0958",
            "PHONE_NUMBER",
        ),
    ]);
    // A thousands separator still joins: these are amounts, not cards or phones.
    assert_clean(&["total 4,111,111,111,111,111 units", "paid 1234567,89 EUR"]);
}

#[test]
fn class_2_cards_next_to_a_card_word() {
    assert_found(&[
        ("card 4222222222222 on file", "4222222222222", "CREDIT_CARD"),
        ("Maestro card 501800000009", "501800000009", "CREDIT_CARD"),
        (
            "JCB card: 213100000000001",
            "213100000000001",
            "CREDIT_CARD",
        ),
        ("card # 4111111111111111", "4111111111111111", "CREDIT_CARD"),
        (
            "Kartennummer 3500 0000 0000 0009",
            "3500 0000 0000 0009",
            "CREDIT_CARD",
        ),
    ]);
    assert_clean(&[
        "const SEED: u64 = 4111111111111111111;",
        "card 4000 0566 5566 5554 was declined",
        "order 213100000000001",
    ]);
}

#[test]
fn class_3_national_phones_next_to_a_phone_word() {
    assert_found(&[
        ("Phone: 044 668 18 00", "044 668 18 00", "PHONE_NUMBER"),
        ("Mobile: 06151 12 34 56", "06151 12 34 56", "PHONE_NUMBER"),
        ("Tel. 9123 4567", "9123 4567", "PHONE_NUMBER"),
        (
            "звоните по номеру 8 (812) 555-01-23",
            "8 (812) 555-01-23",
            "PHONE_NUMBER",
        ),
        ("请拨打139 1234 5678", "139 1234 5678", "PHONE_NUMBER"),
        ("手机号13912345678", "13912345678", "PHONE_NUMBER"),
        ("Ring oss på 08-12 34 56", "08-12 34 56", "PHONE_NUMBER"),
        (
            "ご不明な点は0120-123-456までお電話ください",
            "0120-123-456",
            "PHONE_NUMBER",
        ),
    ]);
    // In a CSV export the phone word is the column's header, rows away from the value.
    // (The name cells keep each row's digits too far apart for one digit window.)
    let rows = "7,Jane Roe of the accounts department upstairs,2019-12-26,7107.81\n".repeat(6);
    let csv = format!(
        "id,name,joined,amount,phone\n{rows}8,Tom Berg of the accounts department upstairs,2020-01-05,12.00,044 668 18 00\n"
    );
    assert_found(&[(&csv, "044 668 18 00", "PHONE_NUMBER")]);
    let csv = format!(
        "id,name,card,joined\n{rows}9,Jane Roe of the accounts department upstairs,4222222222222,2020-01-05\n"
    );
    assert_found(&[(&csv, "4222222222222", "CREDIT_CARD")]);
    assert_clean(&[
        "Phone: call between 2019-12-26 and 2020-01-05",
        "call ISBN 978-3-16-148410-0",
        "def call(x): return x * 1234567",
    ]);
}

#[test]
fn class_4_national_ids_under_generic_labels() {
    assert_found(&[
        ("National ID: 1234.56.782", "1234.56.782", "NL_BSN"),
        ("Tax number: 62 056 174 833", "62 056 174 833", "DE_TAX_ID"),
        ("ID number: 4821 1673 4206", "4821 1673 4206", "IN_AADHAAR"),
        ("Social Security No. 399856021", "399856021", "US_SSN"),
        // The next field's label, on the next line, is not this value's.
        (
            "NIF: 297171356\nSocial security no.: 399856021",
            "297171356",
            "PT_NIF",
        ),
    ]);
    // The checksum does the precision work: a number failing it stays.
    assert_clean(&["National ID: 1234.56.783", "ID number: 4821 1673 4207"]);
}

#[test]
fn class_5_passwords_in_config_and_chat() {
    assert_found(&[
        (
            "services:\n  db:\n    environment:\n      - POSTGRES_PASSWORD=Xk2fj29Lqw\n",
            "Xk2fj29Lqw",
            "SECRET",
        ),
        ("password=hunter2secret", "hunter2secret", "SECRET"),
        ("db:\n  password: Sup3rS3cret!\n", "Sup3rS3cret!", "SECRET"),
        ("DB_PASS=Xk2fj29Lqw7", "Xk2fj29Lqw7", "SECRET"),
        (
            "the box is 203.0.113.9, password Xk2!fj29Lq",
            "Xk2!fj29Lq",
            "SECRET",
        ),
    ]);
    assert_clean(&[
        "password: ${DB_PASSWORD}",
        "the password complexity rules",
        "proxy_pass http://backend/;",
        "    pass  # nothing to do\n",
    ]);
}

#[test]
fn class_6_addresses_in_text_without_spaces() {
    assert_found(&[
        (
            "请发送邮件至jane@corp.cn谢谢",
            "jane@corp.cn",
            "EMAIL_ADDRESS",
        ),
        (
            "電話13912345678メールjane@corp.jpまで",
            "jane@corp.jp",
            "EMAIL_ADDRESS",
        ),
    ]);
}

#[test]
fn class_7_versions_and_paths_are_not_addresses() {
    assert_clean(&[
        "Standards-Version: 4.6.1.0",
        "mypkg (2.4.1.3) unstable; urgency=medium",
        "Bump dependency to 3.12.4.1",
        "APP_VERSION=2.14.3.9",
        "$Id: err.3,v 1.11.2.5 2004/01/12 tester Exp $",
        "see section 8.2.4.45 of the spec",
        r#"let san = ObjectIdentifier::new("2.5.29.17");"#,
        "impl Fe16::D for Gf {}",
        "let a = Dc48::A;",
    ]);
    // The words must stand before the address on its line: these stay addresses.
    assert_found(&[
        (
            "released yesterday.\nclient 81.2.69.160 connected",
            "81.2.69.160",
            "IP_ADDRESS",
        ),
        (
            "version 2.1 deployed to jane@corp.eu 81.2.69.160",
            "81.2.69.160",
            "IP_ADDRESS",
        ),
        (
            "Nous avons vérifié le dossier. upstream 202.245.96.155/32",
            "202.245.96.155",
            "IP_ADDRESS",
        ),
    ]);
}

#[test]
fn class_8_code_and_data_that_look_like_numbers_of_people() {
    assert_clean(&[
        r#"DIGITS = "0123456789""#,
        "0010: 4f 06 08 00 00 09 0a ff",
        "bytes 01 02 03 04 05",
        "Boston, MA 02110-1301 USA",
        "fingerprint 3c:22:fb:7a:10:4e:aa:bb:cc:dd",
        "    {0, 1234567890123456789},",
    ]);
}
