use super::*;

#[test]
fn smtp_reply_parts() {
    let r = Reply::smtp(535, "5.7.8 Authentication failed.");
    assert_eq!(r.enhanced.as_deref(), Some("5.7.8"));
    assert_eq!(r.to_string(), "535 5.7.8 Authentication failed.");
    let r = Reply::smtp(250, "mail.example.test");
    assert_eq!(r.enhanced, None);
}

#[test]
fn imap_response_code() {
    let r = Reply::text("NO [AUTHENTICATIONFAILED] Authentication failed.");
    assert_eq!(r.imap_code(), Some("AUTHENTICATIONFAILED"));
    assert_eq!(Reply::text("NO bad").imap_code(), None);
}

#[test]
fn read_timeout_is_timeout() {
    let e = io::Error::from_raw_os_error(11);
    assert_eq!(
        NetError::from_io(Phase::Greeting, &e),
        NetError::Timeout {
            phase: Phase::Greeting
        }
    );
    let e = io::Error::new(io::ErrorKind::TimedOut, "x");
    assert_eq!(
        NetError::from_io(Phase::Login, &e),
        NetError::Timeout {
            phase: Phase::Login
        }
    );
}

#[test]
fn tls_inside_io_is_tls() {
    let inner = rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer);
    let e = io::Error::new(io::ErrorKind::InvalidData, inner);
    match NetError::from_io(Phase::Greeting, &e) {
        NetError::Tls(t) => assert_eq!(t.kind, TlsKind::Untrusted),
        other => panic!("{other:?}"),
    }
}

#[test]
fn every_error_has_both_texts() {
    let samples = [
        NetError::Dns {
            host: "h".into(),
            cause: DnsCause::NoAddress,
        },
        NetError::Dns {
            host: "h".into(),
            cause: DnsCause::NoFamilyAddress(crate::net::Family::Ipv6),
        },
        NetError::Dns {
            host: "h".into(),
            cause: DnsCause::failed("d"),
        },
        NetError::Refused { addr: "a".into() },
        NetError::Unreachable {
            addr: "a".into(),
            cause: IoCause::of(&std::io::Error::from(
                std::io::ErrorKind::NetworkUnreachable,
            )),
        },
        NetError::Io {
            phase: Phase::Data,
            cause: IoCause::of(&std::io::Error::other("d")),
        },
        NetError::Io {
            phase: Phase::Data,
            cause: IoCause::Internal,
        },
        NetError::Timeout {
            phase: Phase::Greeting,
        },
        NetError::StarttlsNotOffered,
        NetError::LoginDisabled,
        NetError::AuthFailed {
            reply: Reply::text("NO"),
        },
        NetError::Rejected {
            phase: Phase::Rcpt,
            reply: Reply::smtp(550, "5.7.1 no"),
        },
        NetError::Protocol {
            phase: Phase::Greeting,
            problem: Problem::unexpected("d"),
        },
        NetError::Protocol {
            phase: Phase::Login,
            problem: Problem::NoAuth,
        },
        NetError::Protocol {
            phase: Phase::Login,
            problem: Problem::NoOauthMechanism,
        },
        NetError::Protocol {
            phase: Phase::Login,
            problem: Problem::LineBreak,
        },
        NetError::Protocol {
            phase: Phase::Search,
            problem: Problem::NotAscii,
        },
        NetError::Protocol {
            phase: Phase::Tls,
            problem: Problem::AlreadyEncrypted,
        },
        NetError::Protocol {
            phase: Phase::Rcpt,
            problem: Problem::bad_address("a@", "d"),
        },
        NetError::Protocol {
            phase: Phase::Data,
            problem: Problem::BadMessage { said: "d".into() },
        },
        NetError::Io {
            phase: Phase::Data,
            cause: IoCause::Closed,
        },
        NetError::Unsupported {
            what: "OAuth2".into(),
        },
        NetError::Cancelled,
        NetError::InjectedBeforeTls,
        NetError::CaFile(crate::trust::TrustError::Empty { path: "p".into() }),
        NetError::CaFile(crate::trust::TrustError::Unreadable {
            path: "p".into(),
            kind: std::io::ErrorKind::NotFound,
        }),
        NetError::TooLarge {
            phase: Phase::Greeting,
            limit: Limit::Line,
        },
        NetError::TooLarge {
            phase: Phase::Capabilities,
            limit: Limit::Lines,
        },
        NetError::TooLarge {
            phase: Phase::Search,
            limit: Limit::Response,
        },
        NetError::TooLarge {
            phase: Phase::Login,
            limit: Limit::Literal,
        },
        NetError::WrongProtocol {
            expected: Wire::Imap,
            found: Wire::Pop3,
            greeting: "+OK".into(),
        },
    ];
    let tls = TlsKind::ALL.map(|kind| {
        NetError::Tls(TlsError {
            kind,
            cert: None,
            detail: "d".into(),
        })
    });
    for e in samples.iter().chain(tls.iter()) {
        for lang in Lang::ALL {
            let text = e.localized(lang);
            assert_ne!(text, e.i18n_key(), "missing text for {}", e.i18n_key());
            assert!(!text.contains('{'), "unfilled placeholder in {text}");
        }
    }
    // The typed causes speak the chosen language, not the OS's English.
    let closed = NetError::Io {
        phase: Phase::Data,
        cause: IoCause::of(&std::io::Error::from(std::io::ErrorKind::UnexpectedEof)),
    };
    assert!(
        closed
            .localized(Lang::Fr)
            .contains("le serveur a fermé la connexion")
    );
    let no_v6 = NetError::Dns {
        host: "h".into(),
        cause: DnsCause::NoFamilyAddress(crate::net::Family::Ipv6),
    };
    assert!(
        no_v6.localized(Lang::Fr).contains("aucune adresse IPv6"),
        "{}",
        no_v6.localized(Lang::Fr)
    );
    for p in Phase::ALL {
        for lang in Lang::ALL {
            assert_ne!(p.localized(lang), p.i18n_key());
        }
    }
    let rejected = samples
        .iter()
        .find(|e| matches!(e, NetError::Rejected { .. }))
        .expect("a Rejected sample");
    let json = serde_json::to_value(rejected).unwrap();
    assert_eq!(json["kind"], "net.error.rejected");
    assert_eq!(json["reply"]["code"], 550);
}
