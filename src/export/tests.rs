use super::*;
use crate::account::*;
use crate::discover::{Candidate, Source, parse_client_config};

pub(crate) fn sample() -> Account {
    Account {
        name: "alice@example.test".into(),
        email: "alice@example.test".into(),
        display_name: "Alice Liddell".into(),
        provider: None,
        incoming: IncomingServer {
            protocol: Protocol::Imap,
            host: "imap.example.test".into(),
            port: 993,
            security: Security::Tls,
            username: "alice@example.test".into(),
            auth: AuthMethod::Password,
            keep_on_server: true,
            pinned_sha256: None,
        },
        smtp: SmtpServer {
            host: "smtp.example.test".into(),
            port: 587,
            security: Security::Starttls,
            auth_required: true,
            username: "alice@example.test".into(),
            same_password: true,
            pinned_sha256: None,
        },
        ca_file: Some("/etc/ssl/company ca.pem".into()),
        secrets: SecretSource {
            password_command: Some("pass show secret-password-command".into()),
            smtp_password_command: None,
        },
        oauth2: None,
    }
}

fn text(a: &Account, f: Format) -> String {
    export(a, f, &ExportOptions::default()).unwrap().text
}

/// The settings a clientConfig gives back, through the discover reader.
fn read_back(xml: &str, email: &str) -> Account {
    let cfg = parse_client_config(xml).expect("the export is a valid clientConfig");
    assert_eq!(cfg.version.as_deref(), Some("1.1"));
    Candidate::from_client_config(&cfg, email, Source::Autoconfig, "export", true).to_account(email)
}

#[test]
fn thunderbird_round_trip_imap() {
    let a = sample();
    let back = read_back(&text(&a, Format::Thunderbird), &a.email);
    assert_eq!(back.incoming, a.incoming);
    assert_eq!(back.smtp, a.smtp);
}

#[test]
fn thunderbird_round_trip_pop3_local_part_and_no_smtp_auth() {
    let mut a = sample();
    a.incoming.protocol = Protocol::Pop3;
    a.incoming.port = 110;
    a.incoming.security = Security::None;
    a.incoming.username = "alice".into();
    a.smtp.auth_required = false;
    a.smtp.username = "alice".into();
    a.smtp.security = Security::Tls;
    a.smtp.port = 465;
    let xml = text(&a, Format::Thunderbird);
    assert!(xml.contains("%EMAILLOCALPART%"), "{xml}");
    assert!(xml.contains("<leaveMessagesOnServer>true"), "{xml}");
    let back = read_back(&xml, &a.email);
    assert_eq!(back.incoming, a.incoming);
    assert_eq!(back.smtp, a.smtp);
    // and it serves another user of the domain
    let bob = read_back(&xml, "bob@example.test");
    assert_eq!(bob.incoming.username, "bob");
}

#[test]
fn thunderbird_escapes_odd_logins() {
    let mut a = sample();
    a.incoming.username = "a<&>b".into();
    let back = read_back(&text(&a, Format::Thunderbird), &a.email);
    assert_eq!(back.incoming.username, "a<&>b");
}

#[test]
fn msmtp_block() {
    let t = text(&sample(), Format::Msmtp);
    for line in [
        "account alice@example.test",
        "host smtp.example.test",
        "port 587",
        "tls on",
        "tls_starttls on",
        "auth on",
        "user \"alice@example.test\"",
        "from \"alice@example.test\"",
        "tls_trust_file \"/etc/ssl/company ca.pem\"",
        "passwordeval \"mailwiz password alice@example.test smtp\"",
    ] {
        assert!(t.lines().any(|l| l == line), "no line {line:?} in\n{t}");
    }
}

#[test]
fn msmtp_pin_replaces_the_ca_and_no_auth_has_no_password() {
    let mut a = sample();
    a.smtp.pinned_sha256 = Some("ab".repeat(32));
    a.smtp.security = Security::Tls;
    a.smtp.auth_required = false;
    let t = text(&a, Format::Msmtp);
    assert!(t.contains(&format!(
        "tls_fingerprint {}",
        display_fingerprint(&"ab".repeat(32))
    )));
    assert!(!t.contains("tls_trust_file"), "{t}");
    assert!(t.contains("tls_starttls off"));
    assert!(t.contains("auth off"));
    assert!(!t.contains("passwordeval"));
}

#[test]
fn mbsync_blocks() {
    let t = text(&sample(), Format::Mbsync);
    for line in [
        "IMAPAccount alice-example-test",
        "Host imap.example.test",
        "Port 993",
        "SSLType IMAPS",
        "CertificateFile \"/etc/ssl/company ca.pem\"",
        "PassCmd \"mailwiz password alice@example.test incoming\"",
        "Far :alice-example-test-remote:",
        "Near :alice-example-test-local:",
        "Path \"~/Mail/alice-example-test/\"",
    ] {
        assert!(t.lines().any(|l| l == line), "no line {line:?} in\n{t}");
    }
    let opts = ExportOptions {
        maildir: Some("/tmp/md".into()),
        ..Default::default()
    };
    let t = export(&sample(), Format::Mbsync, &opts).unwrap().text;
    assert!(t.contains("Inbox \"/tmp/md/INBOX\""), "{t}");
}

#[test]
fn imap_only_clients_refuse_pop3() {
    let mut a = sample();
    a.incoming.protocol = Protocol::Pop3;
    for f in [
        Format::Mbsync,
        Format::Aerc,
        Format::Himalaya,
        Format::Himalaya1,
    ] {
        assert_eq!(
            export(&a, f, &ExportOptions::default()),
            Err(ExportError::NeedsImap {
                format: f,
                account: a.name.clone()
            })
        );
    }
    for f in [Format::Thunderbird, Format::Msmtp, Format::Neomutt] {
        assert!(export(&a, f, &ExportOptions::default()).is_ok());
    }
    assert!(
        text(&a, Format::Neomutt)
            .contains("set spoolfile = 'pops://alice%40example.test@imap.example.test:993/'")
    );
}

#[test]
fn neomutt_settings() {
    let t = text(&sample(), Format::Neomutt);
    for line in [
        "set folder = 'imaps://alice%40example.test@imap.example.test:993/'",
        "set spoolfile = '+INBOX'",
        "set imap_user = 'alice@example.test'",
        "set imap_pass = \"`mailwiz password alice@example.test incoming`\"",
        "set smtp_url = 'smtp://alice%40example.test@smtp.example.test:587/'",
        "set smtp_pass = \"`mailwiz password alice@example.test smtp`\"",
        "set ssl_ca_certificates_file = '/etc/ssl/company ca.pem'",
        "set ssl_starttls = 'yes'",
        "set ssl_force_tls = 'yes'",
    ] {
        assert!(t.lines().any(|l| l == line), "no line {line:?} in\n{t}");
    }
}

#[test]
fn aerc_section() {
    let e = export(&sample(), Format::Aerc, &ExportOptions::default()).unwrap();
    let t = e.text;
    assert!(t.contains("[alice@example.test]"));
    assert!(t.contains("source = imaps://alice%40example.test@imap.example.test:993\n"));
    assert!(t.contains("source-cred-cmd = `mailwiz password alice@example.test incoming`\n"));
    assert!(t.contains("outgoing = smtp://alice%40example.test@smtp.example.test:587\n"));
    assert!(t.contains("outgoing-cred-cmd = `mailwiz password alice@example.test smtp`\n"));
    assert!(t.contains("from = `\"Alice Liddell\" <alice@example.test>`\n"));
    assert_eq!(e.notes, vec![Note::CaNotCarried]);
}

#[test]
fn himalaya_is_valid_toml() {
    let t = text(&sample(), Format::Himalaya1);
    let v: toml::Value = toml::from_str(&t).expect(&t);
    let acct = &v["accounts"]["alice@example.test"];
    assert_eq!(acct["email"].as_str(), Some("alice@example.test"));
    assert_eq!(acct["backend"]["host"].as_str(), Some("imap.example.test"));
    assert_eq!(acct["backend"]["port"].as_integer(), Some(993));
    assert_eq!(acct["backend"]["encryption"]["type"].as_str(), Some("tls"));
    assert_eq!(
        acct["backend"]["auth"]["cmd"].as_str(),
        Some("mailwiz password alice@example.test incoming")
    );
    let send = &acct["message"]["send"]["backend"];
    assert_eq!(send["encryption"]["type"].as_str(), Some("start-tls"));
    assert_eq!(
        send["auth"]["cmd"].as_str(),
        Some("mailwiz password alice@example.test smtp")
    );
}

#[test]
fn no_export_carries_the_password_command_or_a_secret() {
    let a = sample();
    for f in Format::ALL {
        let t = text(&a, f);
        assert!(!t.contains("secret-password-command"), "{f}: {t}");
        assert!(!t.to_lowercase().contains("password ="), "{f}: {t}");
    }
}

#[test]
fn odd_names_are_quoted_for_the_shell() {
    let mut a = sample();
    a.name = "work \"mail\"".into();
    let t = text(&a, Format::Msmtp);
    assert!(
        t.contains(r#"passwordeval "mailwiz password 'work "mail"' smtp""#),
        "{t}"
    );
    assert!(t.contains("account work--mail-"), "{t}");
    let t = text(&a, Format::Himalaya1);
    let v: toml::Value = toml::from_str(&t).expect(&t);
    assert_eq!(
        v["accounts"]["work \"mail\""]["backend"]["auth"]["cmd"].as_str(),
        Some("mailwiz password 'work \"mail\"' incoming")
    );
}

#[test]
fn formats_parse_by_name() {
    for f in Format::ALL {
        assert_eq!(f.as_str().parse::<Format>(), Ok(f));
    }
    assert!("outlook".parse::<Format>().is_err());
}

#[test]
fn oauth2_accounts_get_token_commands_in_every_client() {
    let mut a = sample();
    a.incoming.auth = AuthMethod::Oauth2;
    a.oauth2 = Some(OAuth2Settings {
        client_id: "my-client".into(),
        token_url: Some("https://idp.example.test/token".into()),
        auth_url: Some("https://idp.example.test/auth".into()),
        ..Default::default()
    });
    let opts = ExportOptions::default();
    let get = |f| export(&a, f, &opts).unwrap();
    let token = "mailwiz token alice@example.test";
    let msmtp = get(Format::Msmtp).text;
    for line in ["auth xoauth2", &format!("passwordeval \"{token}\"")] {
        assert!(msmtp.lines().any(|l| l == line), "{line:?} in\n{msmtp}");
    }
    let mbsync = get(Format::Mbsync);
    assert!(mbsync.text.contains("AuthMechs XOAUTH2"), "{}", mbsync.text);
    assert!(mbsync.text.contains(&format!("PassCmd \"{token}\"")));
    assert!(mbsync.notes.contains(&Note::SaslXoauth2Plugin));
    let neomutt = get(Format::Neomutt).text;
    for line in [
        "set imap_authenticators = 'xoauth2'",
        &format!("set imap_oauth_refresh_command = '{token}'"),
        "set smtp_authenticators = 'xoauth2'",
        &format!("set smtp_oauth_refresh_command = '{token}'"),
    ] {
        assert!(neomutt.lines().any(|l| l == line), "{line:?} in\n{neomutt}");
    }
    assert!(!neomutt.contains("imap_pass"), "{neomutt}");
    let aerc = get(Format::Aerc).text;
    assert!(
        aerc.contains("source = imaps+xoauth2://alice%40example.test@"),
        "{aerc}"
    );
    assert!(aerc.contains("outgoing = smtp+xoauth2://"), "{aerc}");
    assert!(
        aerc.contains(&format!("source-cred-cmd = `{token}`")),
        "{aerc}"
    );
    let himalaya = get(Format::Himalaya1);
    for line in [
        "backend.auth.type = \"oauth2\"",
        "backend.auth.method = \"xoauth2\"",
        "backend.auth.client-id = \"my-client\"",
        "backend.auth.token-url = \"https://idp.example.test/token\"",
        &format!("backend.auth.access-token.cmd = \"{token}\""),
        "message.send.backend.auth.type = \"oauth2\"",
    ] {
        assert!(
            himalaya.text.lines().any(|l| l == line),
            "{line:?} in\n{}",
            himalaya.text
        );
    }
    assert!(himalaya.notes.contains(&Note::OauthInClient));
    // No password command anywhere.
    for f in Format::ALL {
        let e = get(f);
        assert!(!e.text.contains("mailwiz password"), "{f}: {}", e.text);
    }
}

#[test]
fn each_refusal_has_one_text_per_language() {
    use crate::i18n::{Lang, fill, t};
    let cases = [
        (
            ExportError::NeedsImap {
                format: Format::Mbsync,
                account: "pop".into(),
            },
            fill(
                t(Lang::En, "export.needs_imap"),
                &[("format", "mbsync"), ("name", "pop")],
            ),
        ),
        (
            ExportError::UnsafeValue {
                field: "incoming.username",
                account: "bob".into(),
            },
            fill(
                t(Lang::En, "export.refused.unsafe_value"),
                &[("field", "incoming.username"), ("name", "bob")],
            ),
        ),
        (
            ExportError::Qr(crate::qr::QrError::TooLong { bytes: 3000 }),
            fill(t(Lang::En, "export.qr.too_long"), &[("bytes", "3000")]),
        ),
    ];
    for (e, en) in cases {
        crate::test_texts::assert_one_text_per_language(
            &format!("{e:?}"),
            &e.to_string(),
            &en,
            &e.localized(Lang::Fr),
        );
    }
}

#[test]
fn a_refused_name_reaches_no_terminal_raw() {
    let e = ExportError::UnsafeValue {
        field: "name",
        account: "evil\u{1b}]0;owned\u{7}\nname".into(),
    };
    for lang in crate::i18n::Lang::ALL {
        let text = e.localized(lang);
        assert!(!text.chars().any(char::is_control), "{lang:?}: {text:?}");
    }
}
