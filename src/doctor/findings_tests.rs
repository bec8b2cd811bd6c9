//! Table tests: probe outcomes (as servers really answer) to codes.

use super::*;
use crate::account::Security;
use crate::doctor::{LoginTrial, PortOutcome, ServerProbe};
use crate::net::Reply;
use crate::net::{CertInfo, TlsError};
use crate::providers;

fn probe(side: Side) -> ServerProbe {
    let wire = match side {
        Side::Incoming => Wire::Imap,
        Side::Smtp => Wire::Smtp,
    };
    ServerProbe::new(side, "mail.example.test", 587, Security::Starttls, wire)
}

fn report(incoming: ServerProbe, smtp: ServerProbe, ports: Vec<PortProbe>) -> DoctorReport {
    DoctorReport {
        incoming,
        smtp,
        smtp_ports: ports,
        elapsed_ms: 0,
        transcript: Default::default(),
    }
}

fn trial(user: &str, ok: bool) -> LoginTrial {
    LoginTrial {
        user: user.into(),
        ok,
        error: None,
    }
}

/// The code found for the SMTP side with this error, for this provider.
fn smtp_code(e: NetError, logged_in: bool, provider: Option<&str>) -> Code {
    let mut s = probe(Side::Smtp);
    if logged_in {
        s.login = Some(trial("alice@example.test", true));
    }
    s.fail(e);
    let r = report(probe(Side::Incoming), s, vec![]);
    let p = provider.and_then(providers::by_id);
    let f = findings(&r, p, Lang::En);
    f.iter().find(|f| f.server == Side::Smtp).unwrap().code
}

fn auth(code: u16, text: &str) -> NetError {
    NetError::AuthFailed {
        reply: Reply::smtp(code, text),
    }
}

fn rejected(phase: Phase, code: u16, text: &str) -> NetError {
    NetError::Rejected {
        phase,
        reply: Reply::smtp(code, text),
    }
}

#[test]
fn provider_specific_codes() {
    use Code::*;
    let table: Vec<(NetError, bool, Option<&str>, Code)> = vec![
        (
            auth(534, "5.7.9 Application-specific password required."),
            false,
            Some("gmail"),
            AppPasswordRequired,
        ),
        (
            auth(534, "5.7.9 Application-specific password required."),
            false,
            None,
            AppPasswordRequired,
        ),
        (
            auth(535, "5.7.8 Username and Password not accepted."),
            false,
            Some("gmail"),
            AppPasswordRequired,
        ),
        (
            auth(
                535,
                "5.7.139 Authentication unsuccessful, basic authentication is disabled.",
            ),
            false,
            Some("outlook"),
            Oauth2Required,
        ),
        (
            auth(535, "5.7.139 Authentication unsuccessful"),
            false,
            None,
            Oauth2Required,
        ),
        (
            auth(535, "5.7.3 Authentication unsuccessful"),
            false,
            Some("outlook"),
            Oauth2Required,
        ),
        (
            auth(535, "5.7.8 Authentication failed."),
            false,
            Some("outlook"),
            Oauth2Required,
        ),
        (
            rejected(
                Phase::Mail,
                550,
                "5.7.30 Basic authentication is not supported for Client Submission.",
            ),
            true,
            Some("outlook"),
            Oauth2Required,
        ),
        (
            auth(535, "5.7.0 (#AUTH005) Too many bad auth attempts."),
            false,
            Some("yahoo"),
            AppPasswordRequired,
        ),
        (
            auth(535, "5.7.8 Authentication failed."),
            false,
            None,
            AuthFailed,
        ),
        (
            auth(535, "5.7.8 Authentication failed."),
            false,
            Some("free"),
            AuthFailed,
        ),
        (
            rejected(Phase::Mail, 530, "5.7.0 Authentication required."),
            false,
            None,
            AuthRequired,
        ),
        (
            rejected(
                Phase::Mail,
                530,
                "5.7.57 Client not authenticated to send mail.",
            ),
            false,
            Some("outlook"),
            AuthRequired,
        ),
        (
            rejected(
                Phase::Rcpt,
                421,
                "4.7.0 Try again later, closing connection.",
            ),
            true,
            Some("gmail"),
            SendingLimit,
        ),
        (
            rejected(Phase::Mail, 550, "5.4.5 Daily user sending limit exceeded."),
            true,
            Some("gmail"),
            SendingLimit,
        ),
        (
            rejected(Phase::Mail, 550, "5.4.5 Daily sending quota exceeded."),
            true,
            None,
            SendingLimit,
        ),
        (
            rejected(Phase::Rcpt, 452, "4.5.3 Too many recipients"),
            true,
            None,
            SendingLimit,
        ),
        (
            rejected(Phase::Rcpt, 450, "4.7.1 Try again later"),
            true,
            None,
            SendingLimit,
        ),
        (
            rejected(
                Phase::Rcpt,
                550,
                "5.7.1 <limited@example.test> Daily sending limit exceeded for this account",
            ),
            true,
            None,
            SendingLimit,
        ),
        (
            rejected(
                Phase::Rcpt,
                554,
                "5.7.1 <x@reject.test>: Relay access denied",
            ),
            false,
            None,
            RelayDenied,
        ),
        (
            rejected(
                Phase::Rcpt,
                550,
                "5.7.1 <x@reject.test> Relay access denied",
            ),
            true,
            None,
            RelayDenied,
        ),
        (
            rejected(Phase::Rcpt, 550, "5.1.1 <ghost@example.test> User unknown"),
            true,
            None,
            RecipientRejected,
        ),
        (
            rejected(Phase::Rcpt, 553, "sorry, no mailbox here"),
            true,
            None,
            RecipientRejected,
        ),
        (NetError::LoginDisabled, false, None, StarttlsRequired),
        (
            NetError::StarttlsNotOffered,
            false,
            None,
            StarttlsUnavailable,
        ),
        (
            NetError::Dns {
                host: "x.invalid".into(),
                cause: crate::net::DnsCause::NoAddress,
            },
            false,
            None,
            DnsNotFound,
        ),
        (
            NetError::Refused {
                addr: "127.0.0.1:2".into(),
            },
            false,
            None,
            ConnectionRefused,
        ),
        (
            NetError::Timeout {
                phase: Phase::Greeting,
            },
            false,
            None,
            Timeout,
        ),
        (
            NetError::WrongProtocol {
                expected: Wire::Smtp,
                found: Wire::Pop3,
                greeting: "+OK".into(),
            },
            false,
            None,
            ProtocolMismatch,
        ),
        (
            NetError::Unsupported {
                what: "XOAUTH2".into(),
            },
            false,
            None,
            Oauth2Required,
        ),
    ];
    for (i, (e, logged_in, provider, want)) in table.into_iter().enumerate() {
        let shown = format!("{e:?}");
        assert_eq!(
            smtp_code(e, logged_in, provider),
            want,
            "row {i}: {shown} ({provider:?})"
        );
    }
}

#[test]
fn tls_kinds() {
    let cert = CertInfo {
        subject: "CN=wrong.example.invalid".into(),
        sans: vec!["wrong.example.invalid".into()],
        sha256: "ab".repeat(32),
        ..Default::default()
    };
    for (kind, want) in [
        (TlsKind::HostnameMismatch, Code::TlsHostnameMismatch),
        (TlsKind::Expired, Code::TlsExpired),
        (TlsKind::NotYetValid, Code::TlsExpired),
        (TlsKind::Untrusted, Code::TlsUntrusted),
        (TlsKind::PinMismatch, Code::TlsUntrusted),
    ] {
        let e = NetError::Tls(TlsError {
            kind,
            cert: Some(Box::new(cert.clone())),
            detail: "d".into(),
        });
        let mut s = probe(Side::Incoming);
        s.fail(e);
        let f = findings(&report(s, probe(Side::Smtp), vec![]), None, Lang::Fr);
        assert_eq!(f[0].code, want);
        assert!(f[0].evidence.contains("AB:AB:AB"), "{}", f[0].evidence);
        if want == Code::TlsUntrusted {
            assert!(
                f[0].fix.contains("AB:AB"),
                "the fix shows the fingerprint: {}",
                f[0].fix
            );
        }
    }
}

#[test]
fn login_form_and_incoming_kinds() {
    let mut s = probe(Side::Incoming);
    s.login = Some(trial("carol@example.test", false));
    s.other_login = Some(trial("carol", true));
    let f = findings(&report(s, probe(Side::Smtp), vec![]), None, Lang::En);
    assert_eq!(f[0].code, Code::AuthWrongLoginForm);
    assert!(f[0].fix.contains("carol"), "{}", f[0].fix);

    let mut s = probe(Side::Incoming);
    s.fail(NetError::LoginDisabled);
    let f = findings(&report(s, probe(Side::Smtp), vec![]), None, Lang::En);
    assert_eq!(f[0].code, Code::LoginDisabled);

    let mut s = probe(Side::Incoming);
    s.fail(NetError::WrongProtocol {
        expected: Wire::Imap,
        found: Wire::Pop3,
        greeting: "+OK Dovecot ready.".into(),
    });
    let f = findings(&report(s, probe(Side::Smtp), vec![]), None, Lang::En);
    assert_eq!(f[0].code, Code::ProtocolMismatch);
    assert!(f[0].explanation.contains("POP"), "{}", f[0].explanation);
    assert_eq!(f[1].code, Code::Ok);
}

#[test]
fn port_25_blocked_but_587_open() {
    let mut s = probe(Side::Smtp);
    s.port = 25;
    s.fail(NetError::Timeout {
        phase: Phase::Connect,
    });
    let ports = vec![
        PortProbe {
            port: 465,
            outcome: PortOutcome::Open,
            ms: 20,
        },
        PortProbe {
            port: 587,
            outcome: PortOutcome::Open,
            ms: 20,
        },
        PortProbe {
            port: 25,
            outcome: PortOutcome::Timeout,
            ms: 5000,
        },
    ];
    let f = findings(&report(probe(Side::Incoming), s, ports), None, Lang::En);
    assert_eq!(f[0].code, Code::PortBlocked);
    assert!(f[0].fix.contains("587"), "{}", f[0].fix);
}

#[test]
fn all_is_well_and_worst_first() {
    let f = findings(
        &report(probe(Side::Incoming), probe(Side::Smtp), vec![]),
        None,
        Lang::En,
    );
    assert!(
        f.iter()
            .all(|f| f.code == Code::Ok && f.severity == Severity::Ok)
    );
    let mut s = probe(Side::Smtp);
    s.fail(NetError::StarttlsNotOffered);
    let f = findings(&report(probe(Side::Incoming), s, vec![]), None, Lang::En);
    assert_eq!(f[0].code, Code::StarttlsUnavailable);
    assert_eq!(f[0].severity, Severity::Error);
}

#[test]
fn every_code_has_both_texts() {
    for code in Code::ALL {
        for lang in Lang::ALL {
            for part in ["title", "explanation", "fix"] {
                let key = format!("doctor.{}.{part}", code.as_str());
                assert!(table(lang).contains_key(&key), "missing {key} ({lang:?})");
            }
        }
        let json = serde_json::to_value(code).unwrap();
        assert_eq!(json, code.as_str());
    }
    for (k, v) in table(Lang::En)
        .iter()
        .filter(|(k, _)| k.starts_with("doctor."))
    {
        let fr = &table(Lang::Fr)[k];
        assert!(!v.is_empty() && !fr.is_empty(), "{k}");
    }
}
