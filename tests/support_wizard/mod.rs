//! Drivers for the wizard's state tests of tests/wizard_failures.rs: keys
//! in, results in, the screen out (TestBackend).
#![allow(dead_code)]

use crossterm::event::KeyCode;
use mailwiz::check::{ServerReport, StepRecord};
use mailwiz::config::Config;
use mailwiz::doctor::{DoctorReport, Finding, LoginTrial, ServerProbe};
use mailwiz::i18n::Lang;
use mailwiz::net::{CertInfo, NetError, Phase, Reply, TlsError, TlsKind, Wire};
use mailwiz::send::{SendReport, TestMessage};
use mailwiz::tui::{App, AppOptions, Effect, Field, Msg, Step, key, render, update};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::path::PathBuf;

pub const PW: &str = "s3cret-Pa55word";

pub fn app() -> App {
    app_with_config(Config::default())
}

pub fn app_with_config(config: Config) -> App {
    App::new(AppOptions::new(
        PathBuf::from("/home/alice/.config/mailwiz/accounts.toml"),
        Lang::En,
        Ok(config),
    ))
}

/// An account at an unknown domain (servers guessed, entered by hand),
/// on the SMTP step.
pub fn app_by_hand() -> App {
    let mut a = app();
    to_outgoing(&mut a, "alice@example.test");
    a
}

pub fn press(app: &mut App, code: KeyCode) -> Vec<Effect> {
    update(app, key(code))
}

pub fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        press(app, KeyCode::Char(c));
    }
}

pub fn focus(app: &mut App, field: Field) {
    for _ in 0..20 {
        if app.focused() == Some(field) {
            return;
        }
        press(app, KeyCode::Tab);
    }
    panic!("{field:?} is not on step {:?}", app.step);
}

pub fn draw(app: &App, w: u16, h: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| render(app, f)).unwrap();
    let screen = terminal.backend().to_string();
    assert!(!screen.contains(PW), "the password is on screen:\n{screen}");
    screen
}

/// Welcome → Identity → Settings found → POP or IMAP → Incoming → SMTP.
pub fn to_outgoing(app: &mut App, email: &str) {
    press(app, KeyCode::Enter);
    type_text(app, "Alice Liddell");
    press(app, KeyCode::Tab);
    type_text(app, email);
    press(app, KeyCode::Enter);
    assert_eq!(app.step, Step::SettingsFound);
    for step in [Step::Protocol, Step::Incoming, Step::Outgoing] {
        press(app, KeyCode::Enter);
        assert_eq!(app.step, step);
    }
}

/// From the SMTP step through the password: the ids of the two checks.
pub fn outgoing_to_test(app: &mut App) -> (u64, u64) {
    press(app, KeyCode::Enter);
    assert_eq!(app.step, Step::Password);
    type_text(app, PW);
    let id = match press(app, KeyCode::Enter).as_slice() {
        [Effect::ProbeKeyring { id }] => *id,
        other => panic!("{other:?}"),
    };
    let effects = update(app, Msg::KeyringProbed { id, result: Ok(()) });
    assert_eq!(app.step, Step::Test);
    check_ids(&effects)
}

/// A Free account (preset) on the Test step.
pub fn to_test(app: &mut App) -> (u64, u64) {
    to_outgoing(app, "alice@free.fr");
    outgoing_to_test(app)
}

pub fn to_send(app: &mut App) {
    let (a, b) = to_test(app);
    checked(app, a, report(true, None));
    checked(app, b, report(true, None));
    press(app, KeyCode::Enter);
    assert_eq!(app.step, Step::Send);
}

pub fn check_ids(effects: &[Effect]) -> (u64, u64) {
    match effects {
        [
            Effect::CheckIncoming { id: a, .. },
            Effect::CheckSmtp { id: b, .. },
        ] => (*a, *b),
        other => panic!("{other:?}"),
    }
}

pub fn send_id(effects: &[Effect]) -> u64 {
    match effects {
        [Effect::SendTest { id, .. }] => *id,
        other => panic!("{other:?}"),
    }
}

fn record(phase: Phase, ok: bool, ms: u64) -> StepRecord {
    StepRecord {
        phase,
        ok,
        detail: Default::default(),
        ms,
    }
}

/// A check that went through connect and TLS, then the login (`ok`).
pub fn report(ok: bool, error: Option<NetError>) -> ServerReport {
    ServerReport {
        ok,
        steps: vec![
            record(Phase::Connect, true, 4),
            record(Phase::Login, ok, 12),
        ],
        error,
        capabilities: vec![],
        cert: None,
    }
}

pub fn checked(app: &mut App, id: u64, report: ServerReport) {
    update(app, Msg::Checked { id, report });
}

pub fn sent(app: &mut App, id: u64, error: Option<NetError>, reply: Option<Reply>) {
    let to = app.form.to.value().to_string();
    let report = SendReport {
        ok: error.is_none(),
        steps: vec![],
        reply,
        error,
        message_id: "abc123@mailwiz".into(),
        subject: "mailwiz test abc123".into(),
        to: to.clone(),
    };
    let message = TestMessage {
        id: "abc123@mailwiz".into(),
        subject: "mailwiz test abc123".into(),
        to,
    };
    update(
        app,
        Msg::Sent {
            id,
            message,
            report,
        },
    );
}

pub fn auth_failed() -> NetError {
    NetError::AuthFailed {
        reply: Reply::text("NO [AUTHENTICATIONFAILED] Authentication failed."),
    }
}

pub fn test_findings(app: &App) -> Vec<Finding> {
    mailwiz::tui::test_findings(app)
}

/// The save the Summary step asked for succeeds.
pub fn save_ok(app: &mut App, effects: &[Effect]) {
    let id = match effects {
        [Effect::SaveAccount { id, .. }] => *id,
        other => panic!("{other:?}"),
    };
    update(
        app,
        Msg::ConfigWritten {
            id,
            result: Ok(Config::default()),
        },
    );
}

pub fn cert_info() -> CertInfo {
    CertInfo {
        subject: "CN=imap.free.fr".into(),
        sans: vec!["imap.free.fr".into()],
        issuer: "CN=Private Test CA".into(),
        not_before: "2026-01-01 00:00:00 UTC".into(),
        not_after: "2027-01-01 00:00:00 UTC".into(),
        sha256: "abcd".repeat(16),
        pem: String::new(),
    }
}

pub fn untrusted_error() -> NetError {
    NetError::Tls(TlsError {
        kind: TlsKind::Untrusted,
        cert: Some(Box::new(cert_info())),
        detail: "invalid peer certificate: UnknownIssuer".into(),
    })
}

fn probe(server: mailwiz::check::Side, host: &str, port: u16, expected: Wire) -> ServerProbe {
    ServerProbe {
        server,
        host: host.into(),
        port,
        security: mailwiz::account::Security::Tls,
        expected,
        answered: Some(expected),
        greeting: None,
        capabilities: Vec::new(),
        cert: None,
        login_needed: true,
        login: Some(LoginTrial {
            user: "alice".into(),
            ok: true,
            error: None,
        }),
        other_login: None,
        mail_from: None,
        rcpt_to: None,
        error: None,
        ms: 40,
        oauth2: false,
        families: Vec::new(),
    }
}

/// The diagnosis opened with `open_effects` ends: the incoming server's
/// certificate is not trusted, SMTP works.
pub fn diagnosed_untrusted(app: &mut App, open_effects: &[Effect]) {
    let id = open_effects
        .iter()
        .find_map(|e| match e {
            Effect::Diagnose { id, .. } => Some(*id),
            _ => None,
        })
        .expect("the diagnosis runs");
    let mut incoming = probe(
        mailwiz::check::Side::Incoming,
        "imap.free.fr",
        993,
        Wire::Imap,
    );
    incoming.login = None;
    incoming.cert = Some(cert_info());
    incoming.error = Some(untrusted_error());
    let smtp = probe(mailwiz::check::Side::Smtp, "smtp.free.fr", 465, Wire::Smtp);
    let report = Box::new(DoctorReport {
        incoming,
        smtp,
        smtp_ports: Vec::new(),
        elapsed_ms: 50,
        transcript: Default::default(),
    });
    update(
        app,
        Msg::Diagnosed {
            id,
            report,
            password_note: None,
            oauth_finding: None,
        },
    );
}
