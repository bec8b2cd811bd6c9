use super::*;

#[test]
fn emails() {
    assert_eq!(validate_email("alice@free.fr"), Ok(()));
    assert_eq!(validate_email("a.b+tag@sub.example.test"), Ok(()));
    assert_eq!(validate_email(""), Err(FieldError::Empty));
    assert_eq!(validate_email("alice"), Err(FieldError::NoAt));
    assert_eq!(validate_email("@free.fr"), Err(FieldError::BadLocalPart));
    assert_eq!(
        validate_email("a..b@free.fr"),
        Err(FieldError::BadLocalPart)
    );
    assert_eq!(
        validate_email("al ice@free.fr"),
        Err(FieldError::BadLocalPart)
    );
    assert_eq!(validate_email("alice@free"), Err(FieldError::BadDomain));
    assert_eq!(validate_email("alice@-free.fr"), Err(FieldError::BadDomain));
}

#[test]
fn hosts_and_ports() {
    assert!(validate_host("imap.free.fr").is_ok());
    assert!(validate_host("127.0.0.2").is_ok());
    assert!(validate_host("::1").is_ok());
    assert_eq!(validate_host("imap free.fr"), Err(FieldError::BadHost));
    assert_eq!(validate_host("imap..fr"), Err(FieldError::BadHost));
    assert_eq!(parse_port("993"), Ok(993));
    assert_eq!(parse_port("0"), Err(FieldError::BadPort));
    assert_eq!(parse_port("70000"), Err(FieldError::BadPort));
    assert_eq!(parse_port("x"), Err(FieldError::BadPort));
}

#[test]
fn control_characters_are_refused_everywhere() {
    for bad in [
        "a\nb",
        "a\rb",
        "a\0b",
        "a\x1b[2Jb",
        "a\tb",
        "a\u{7f}b",
        "a\u{85}b",
        "a\u{2028}b",
    ] {
        assert_eq!(validate_text(bad), Err(FieldError::ControlChar), "{bad:?}");
        let host = bad.replace('a', "imap.example.test");
        assert_eq!(
            validate_host(&host),
            Err(FieldError::ControlChar),
            "{bad:?}"
        );
        let email = format!("{bad}@example.test");
        assert_eq!(
            validate_email(&email),
            Err(FieldError::ControlChar),
            "{bad:?}"
        );
    }
    for good in [
        "Bob's mail",
        "`id` $(touch x) $HOME ; # % \\ \"",
        "é 中",
        "",
    ] {
        assert_eq!(validate_text(good), Ok(()), "{good:?}");
    }
    assert_eq!(validate_text(&"x".repeat(MAX_TEXT_CHARS)), Ok(()));
    assert_eq!(
        validate_text(&"x".repeat(MAX_TEXT_CHARS + 1)),
        Err(FieldError::TooLong)
    );
}

#[test]
fn fingerprints() {
    let hex = "ab".repeat(32);
    let colons = display_fingerprint(&hex);
    assert_eq!(colons.len(), 95);
    assert_eq!(normalize_fingerprint(&colons), Some(hex.clone()));
    assert_eq!(normalize_fingerprint("abcd"), None);
}

#[test]
fn default_ports() {
    assert_eq!(Protocol::Imap.default_port(Security::Tls), 993);
    assert_eq!(Protocol::Imap.default_port(Security::Starttls), 143);
    assert_eq!(Protocol::Pop3.default_port(Security::Tls), 995);
    assert_eq!(Protocol::Pop3.default_port(Security::None), 110);
    assert_eq!(Security::Starttls.smtp_default_port(), 587);
}

#[test]
fn oauth2_settings_are_validated_with_the_account() {
    let mut a = crate::config::tests::sample();
    assert_eq!(a.validate(), vec![]);
    assert_eq!(a.oauth2_settings(), &OAuth2Settings::default());
    a.oauth2 = Some(OAuth2Settings {
        client_id: "id\u{1b}[31m".into(),
        scope: Some("x".repeat(MAX_TEXT_CHARS + 1)),
        token_command: Some(format!("oama access {}", "x".repeat(300))),
        ..OAuth2Settings::default()
    });
    assert_eq!(
        a.validate(),
        vec![
            ("oauth2.client_id", FieldError::ControlChar),
            ("oauth2.scope", FieldError::TooLong),
        ]
    );
    assert_eq!(a.oauth2_settings().client_id, "id\u{1b}[31m");
}

#[test]
fn field_errors_have_one_text_per_language() {
    use crate::i18n::{Lang, t};
    for e in FieldError::ALL {
        crate::test_texts::assert_one_text_per_language(
            &format!("{e:?}"),
            &e.to_string(),
            t(Lang::En, e.i18n_key()),
            &e.localized(Lang::Fr),
        );
    }
}
