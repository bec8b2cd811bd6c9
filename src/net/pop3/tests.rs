use super::*;

#[test]
fn greetings() {
    assert!(greeting(b"+OK Dovecot ready.").is_ok());
    match greeting(b"* OK [CAPABILITY IMAP4rev1] ready") {
        Err(NetError::WrongProtocol { found, .. }) => {
            assert_eq!(found, crate::net::Wire::Imap);
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        greeting(b"-ERR busy"),
        Err(NetError::Rejected { .. })
    ));
}

#[test]
fn refusals() {
    assert!(matches!(
        login_refusal("-ERR [AUTH] Authentication failed.".into(), false, false),
        NetError::AuthFailed { .. }
    ));
    assert_eq!(
        login_refusal(
            "-ERR [AUTH] Plaintext authentication disallowed on non-secure (SSL/TLS) connections."
                .into(),
            true,
            true
        ),
        NetError::LoginDisabled
    );
    assert!(matches!(
        login_refusal(
            "-ERR [SYS/TEMP] Temporary authentication failure.".into(),
            false,
            false
        ),
        NetError::Rejected { .. }
    ));
}

#[test]
fn subjects() {
    let h = |v: &[&str]| {
        v.iter()
            .map(std::string::ToString::to_string)
            .collect::<Vec<_>>()
    };
    assert!(subject_contains(
        &h(&["From: a", "Subject: mailwiz test abc123", "To: b"]),
        "abc123"
    ));
    assert!(subject_contains(
        &h(&["SUBJECT: mailwiz test", "\tabc123"]),
        "abc123"
    ));
    assert!(!subject_contains(
        &h(&["Subject: other", "X-Id: abc123"]),
        "abc123"
    ));
}
