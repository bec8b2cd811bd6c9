#![allow(clippy::unwrap_used)] // tests: a failed unwrap is the failure report
//! The troubleshooting screen: a doctor result in, the checklist state
//! out; the pin flow and its confirmation; jump targets; stale results
//! dropped; the transcript saved through an effect. Then insta snapshots
//! of the screen in English and French. No terminal, no network; one
//! test keeps an OAuth2 refusal in a real Secret Service (a child process).

use crossterm::event::KeyCode;
use mailwiz::account::{
    Account, AuthMethod, IncomingServer, Protocol, SecretSource, Security, SmtpServer,
};
use mailwiz::check::{ServerReport, Side, StepRecord};
use mailwiz::config::Config;
use mailwiz::doctor::{
    Code, DoctorReport, Finding, LoginTrial, PortOutcome, PortProbe, ServerProbe, Severity,
};
use mailwiz::i18n::Lang;
use mailwiz::net::{CertInfo, NetError, Phase, Reply, TlsError, TlsKind, Transcript, Wire};
use mailwiz::tui::{
    App, AppOptions, Effect, Field, Flow, Msg, Step, TranscriptState, TroubleshootNotice,
    TroubleshootView, troubleshoot_jump, update,
};
use std::path::PathBuf;
use tui::{press, screen, type_text};

mod common;
#[path = "common/tui.rs"]
mod tui;

const SHA: &str = "3f1c0a9be2d4475a8c6e01f7b9d2c3a4e5f60718293a4b5c6d7e8f9001122334";

fn account() -> Account {
    Account {
        name: "work".into(),
        email: "alice@example.org".into(),
        display_name: "Alice".into(),
        provider: None,
        incoming: IncomingServer {
            protocol: Protocol::Imap,
            host: "mail.example.org".into(),
            port: 993,
            security: Security::Tls,
            username: "alice@example.org".into(),
            auth: AuthMethod::Password,
            keep_on_server: true,
            pinned_sha256: None,
        },
        smtp: SmtpServer {
            host: "smtp.example.org".into(),
            port: 465,
            security: Security::Tls,
            auth_required: true,
            username: "alice@example.org".into(),
            same_password: true,
            pinned_sha256: None,
        },
        ca_file: None,
        secrets: SecretSource::default(),
        oauth2: None,
    }
}

fn app() -> App {
    let mut cfg = Config::default();
    cfg.upsert(account());
    App::new(AppOptions::new(
        PathBuf::from("/home/alice/.config/mailwiz/accounts.toml"),
        Lang::En,
        Ok(cfg),
    ))
}

/// Welcome → T on the saved account: the screen opens and the doctor
/// starts; returns the request id.
fn open(app: &mut App) -> u64 {
    match press(app, KeyCode::Char('t')).as_slice() {
        [Effect::Diagnose { id, account, .. }] => {
            assert_eq!(account.name, "work");
            *id
        }
        other => panic!("{other:?}"),
    }
}

fn probe(server: Side, host: &str, port: u16, expected: Wire) -> ServerProbe {
    ServerProbe {
        server,
        host: host.into(),
        port,
        security: Security::Tls,
        expected,
        answered: Some(expected),
        greeting: None,
        capabilities: Vec::new(),
        cert: None,
        login_needed: true,
        oauth2: false,
        families: Vec::new(),
        login: None,
        other_login: None,
        mail_from: None,
        rcpt_to: None,
        error: None,
        ms: 40,
    }
}

fn cert(name: &str) -> CertInfo {
    CertInfo {
        subject: format!("CN={name}"),
        sans: vec![name.into()],
        issuer: format!("CN={name}"),
        not_before: "2026-01-01 00:00:00 UTC".into(),
        not_after: "2027-01-01 00:00:00 UTC".into(),
        sha256: SHA.into(),
        pem: String::new(),
    }
}

fn working_incoming() -> ServerProbe {
    let mut p = probe(Side::Incoming, "mail.example.org", 993, Wire::Imap);
    p.greeting = Some("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] Dovecot ready.".into());
    p.capabilities = vec!["IMAP4rev1".into(), "IDLE".into(), "AUTH=PLAIN".into()];
    p.cert = Some(CertInfo {
        issuer: "CN=Example CA".into(),
        ..cert("mail.example.org")
    });
    p.login = Some(LoginTrial {
        user: "alice@example.org".into(),
        ok: true,
        error: None,
    });
    p
}

fn report(incoming: ServerProbe, smtp: ServerProbe) -> Box<DoctorReport> {
    Box::new(DoctorReport {
        incoming,
        smtp,
        smtp_ports: vec![
            PortProbe {
                port: 465,
                outcome: PortOutcome::Refused,
                ms: 1,
            },
            PortProbe {
                port: 587,
                outcome: PortOutcome::Open,
                ms: 1,
            },
            PortProbe {
                port: 25,
                outcome: PortOutcome::Timeout,
                ms: 5000,
            },
        ],
        elapsed_ms: 5012,
        transcript: Transcript::new(),
    })
}

/// SMTP port 465 refused while 587 answers.
fn port_blocked() -> Box<DoctorReport> {
    let mut smtp = probe(Side::Smtp, "smtp.example.org", 465, Wire::Smtp);
    smtp.answered = None;
    smtp.error = Some(NetError::Refused {
        addr: "192.0.2.7:465".into(),
    });
    report(working_incoming(), smtp)
}

/// Both servers show a self-signed certificate.
fn untrusted() -> Box<DoctorReport> {
    let tls = |p: &mut ServerProbe| {
        p.login = None;
        p.capabilities.clear();
        p.greeting = None;
        p.error = Some(NetError::Tls(TlsError {
            kind: TlsKind::Untrusted,
            cert: Some(Box::new(cert("mail.example.org"))),
            detail: "invalid peer certificate: UnknownIssuer".into(),
        }));
        p.cert = Some(cert("mail.example.org"));
    };
    let mut inc = working_incoming();
    tls(&mut inc);
    let mut smtp = probe(Side::Smtp, "smtp.example.org", 465, Wire::Smtp);
    tls(&mut smtp);
    report(inc, smtp)
}

/// The incoming login refused, SMTP fine.
fn wrong_password() -> Box<DoctorReport> {
    let mut inc = working_incoming();
    let err = NetError::AuthFailed {
        reply: Reply::text("NO [AUTHENTICATIONFAILED] Authentication failed."),
    };
    inc.login = Some(LoginTrial {
        user: "alice@example.org".into(),
        ok: false,
        error: Some(err.clone()),
    });
    inc.error = Some(err);
    let mut smtp = probe(Side::Smtp, "smtp.example.org", 465, Wire::Smtp);
    smtp.greeting = Some("220 smtp.example.org ESMTP".into());
    smtp.capabilities = vec!["SIZE 10240000".into(), "AUTH PLAIN LOGIN".into()];
    smtp.login = Some(LoginTrial {
        user: "alice@example.org".into(),
        ok: true,
        error: None,
    });
    report(inc, smtp)
}

/// Both servers answer and accept the login; no recipient tried.
fn working() -> Box<DoctorReport> {
    let mut smtp = probe(Side::Smtp, "smtp.example.org", 465, Wire::Smtp);
    smtp.greeting = Some("220 smtp.example.org ESMTP".into());
    smtp.login = Some(LoginTrial {
        user: "alice@example.org".into(),
        ok: true,
        error: None,
    });
    report(working_incoming(), smtp)
}

/// The login works; RCPT TO says the day's sending limit is reached.
fn sending_limit() -> Box<DoctorReport> {
    let mut r = working();
    let reply = Reply::smtp(
        550,
        "5.7.1 <bob@example.net> Daily sending limit exceeded for this account",
    );
    r.smtp.mail_from = Some(Reply::smtp(250, "2.1.0 Ok"));
    r.smtp.rcpt_to = Some(reply.clone());
    r.smtp.error = Some(NetError::Rejected {
        phase: Phase::Rcpt,
        reply,
    });
    r
}

/// Enter in the recipient field: the doctor's request and its recipient.
fn rcpt_run(app: &mut App) -> (u64, Option<String>) {
    match press(app, KeyCode::Enter).as_slice() {
        [Effect::Diagnose { id, rcpt, .. }] => (*id, rcpt.clone()),
        other => panic!("{other:?}"),
    }
}

fn diagnosed(app: &mut App, id: u64, report: Box<DoctorReport>) -> Vec<Effect> {
    update(
        app,
        Msg::Diagnosed {
            id,
            report,
            password_note: None,
            oauth_finding: None,
        },
    )
}

fn codes(app: &App) -> Vec<(Code, Side)> {
    let ts = app.troubleshoot.as_ref().expect("screen open");
    ts.findings.iter().map(|f| (f.code, f.server)).collect()
}

#[test]
fn a_doctor_result_becomes_a_checklist_worst_first() {
    let mut app = app();
    let id = open(&mut app);
    let ts = app.troubleshoot.as_ref().unwrap();
    assert!(ts.running());
    assert!(app.busy(), "the spinner turns");
    assert!(diagnosed(&mut app, id, port_blocked()).is_empty());
    assert!(!app.busy());
    assert_eq!(
        codes(&app),
        [(Code::PortBlocked, Side::Smtp), (Code::Ok, Side::Incoming)]
    );
    let ts = app.troubleshoot.as_ref().unwrap();
    assert!(!ts.running());
    assert_eq!(ts.selected, 0);
    assert!(ts.findings[0].fix.contains("587"), "{:?}", ts.findings[0]);
    // ↑↓ move through the findings, around.
    press(&mut app, KeyCode::Down);
    assert_eq!(app.troubleshoot.as_ref().unwrap().selected, 1);
    press(&mut app, KeyCode::Down);
    assert_eq!(app.troubleshoot.as_ref().unwrap().selected, 0);
    // I shows the servers' details, and back.
    press(&mut app, KeyCode::Char('i'));
    assert_eq!(
        app.troubleshoot.as_ref().unwrap().view,
        TroubleshootView::Servers
    );
    press(&mut app, KeyCode::Char('i'));
    assert_eq!(
        app.troubleshoot.as_ref().unwrap().view,
        TroubleshootView::Findings
    );
}

#[test]
fn findings_are_in_the_users_language() {
    let mut app = app();
    app.lang = Lang::Fr;
    let id = open(&mut app);
    diagnosed(&mut app, id, wrong_password());
    let ts = app.troubleshoot.as_ref().unwrap();
    assert_eq!(ts.findings[0].code, Code::AuthFailed);
    let fr = &ts.findings[0].title;
    let en = mailwiz::doctor::findings(&wrong_password(), None, Lang::En)[0]
        .title
        .clone();
    assert_ne!(fr, &en);
}

#[test]
fn f_jumps_to_the_step_and_field_holding_the_setting() {
    // (report, finding to select, step, focused field)
    let cases: [(Box<DoctorReport>, usize, Step, Field); 2] = [
        (port_blocked(), 0, Step::Outgoing, Field::OutPort),
        (wrong_password(), 0, Step::Password, Field::Password),
    ];
    for (report, _, step, field) in cases {
        let mut app = app();
        let id = open(&mut app);
        diagnosed(&mut app, id, report);
        press(&mut app, KeyCode::Char('f'));
        assert!(app.troubleshoot.is_none());
        assert_eq!(app.step, step);
        assert_eq!(app.focused(), Some(field));
        assert_eq!(app.flow, Flow::Setup, "saved at the end like an edit");
        assert_eq!(app.editing.as_deref(), Some("work"));
    }
    // An `ok` finding has nowhere to go: F does nothing.
    let mut app = app();
    let id = open(&mut app);
    diagnosed(&mut app, id, port_blocked());
    press(&mut app, KeyCode::Down);
    assert!(press(&mut app, KeyCode::Char('f')).is_empty());
    assert!(app.troubleshoot.is_some());
    assert_eq!(app.step, Step::Welcome);
}

fn finding(code: Code, server: Side) -> Finding {
    Finding {
        code,
        severity: Severity::Error,
        server,
        title: String::new(),
        explanation: String::new(),
        fix: String::new(),
        evidence: String::new(),
    }
}

#[test]
fn jump_targets_by_code() {
    use Side::{Incoming as I, Smtp as S};
    let cases = [
        (Code::DnsNotFound, I, Some((Step::Incoming, Field::InHost))),
        (
            Code::TlsHostnameMismatch,
            S,
            Some((Step::Outgoing, Field::OutHost)),
        ),
        (
            Code::ConnectionRefused,
            I,
            Some((Step::Incoming, Field::InPort)),
        ),
        (Code::Timeout, S, Some((Step::Outgoing, Field::OutPort))),
        (Code::PortBlocked, S, Some((Step::Outgoing, Field::OutPort))),
        (
            Code::ProtocolMismatch,
            I,
            Some((Step::Incoming, Field::InPort)),
        ),
        (
            Code::StarttlsUnavailable,
            S,
            Some((Step::Outgoing, Field::OutSecurity)),
        ),
        (
            Code::StarttlsRequired,
            S,
            Some((Step::Outgoing, Field::OutSecurity)),
        ),
        (
            Code::LoginDisabled,
            I,
            Some((Step::Incoming, Field::InSecurity)),
        ),
        (
            Code::AuthWrongLoginForm,
            I,
            Some((Step::Incoming, Field::InUser)),
        ),
        (
            Code::AuthWrongLoginForm,
            S,
            Some((Step::Outgoing, Field::OutUser)),
        ),
        (Code::AuthFailed, S, Some((Step::Password, Field::Password))),
        (
            Code::AppPasswordRequired,
            I,
            Some((Step::Password, Field::Password)),
        ),
        (
            Code::AuthRequired,
            S,
            Some((Step::Outgoing, Field::AuthRequired)),
        ),
        (
            Code::RelayDenied,
            S,
            Some((Step::Outgoing, Field::AuthRequired)),
        ),
        (
            Code::CaFileUnusable,
            I,
            Some((Step::Incoming, Field::CaFile)),
        ),
        (
            Code::CaFileUnusable,
            S,
            Some((Step::Outgoing, Field::CaFile)),
        ),
        (Code::TlsUntrusted, I, None),
        (Code::TlsExpired, I, None),
        (Code::SendingLimit, S, None),
        (Code::RecipientRejected, S, None),
        (Code::Ok, I, None),
    ];
    for (code, side, target) in cases {
        assert_eq!(
            troubleshoot_jump(&finding(code, side)),
            target,
            "{code:?} {side:?}"
        );
    }
}

#[test]
fn a_stale_result_is_dropped() {
    let mut app = app();
    let first = open(&mut app);
    // Esc stops the run (its flag is raised); R starts another.
    assert!(matches!(
        press(&mut app, KeyCode::Esc).as_slice(),
        [Effect::Cancel(id)] if *id == first
    ));
    assert!(app.troubleshoot.as_ref().unwrap().cancelled);
    let second = match press(&mut app, KeyCode::Char('r')).as_slice() {
        [Effect::Diagnose { id, .. }] => *id,
        other => panic!("{other:?}"),
    };
    assert_ne!(first, second);
    // The first run's late answer changes nothing.
    diagnosed(&mut app, first, wrong_password());
    let ts = app.troubleshoot.as_ref().unwrap();
    assert!(ts.running() && ts.report.is_none() && ts.findings.is_empty());
    diagnosed(&mut app, second, port_blocked());
    assert_eq!(codes(&app)[0].0, Code::PortBlocked);
    // Closed while running: the answer is dropped, nothing reopens.
    let third = match press(&mut app, KeyCode::Char('r')).as_slice() {
        [Effect::Diagnose { id, .. }] => *id,
        other => panic!("{other:?}"),
    };
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Esc);
    assert!(app.troubleshoot.is_none());
    assert!(diagnosed(&mut app, third, port_blocked()).is_empty());
    assert!(app.troubleshoot.is_none());
    assert_eq!(app.step, Step::Welcome);
}

#[test]
fn keys_wait_while_the_doctor_runs() {
    let mut app = app();
    let id = open(&mut app);
    for k in ['f', 'p', 's', 'r', 'i'] {
        assert!(press(&mut app, KeyCode::Char(k)).is_empty(), "{k}");
    }
    assert!(app.troubleshoot.as_ref().unwrap().running());
    update(
        &mut app,
        Msg::Failed {
            id,
            detail: "boom".into(),
        },
    );
    let ts = app.troubleshoot.as_ref().unwrap();
    assert!(!ts.running());
    assert_eq!(
        ts.crashed.as_ref().map(|d| d.evidence.as_str()),
        Some("boom")
    );
}

#[test]
fn pinning_asks_first_then_saves_the_account_and_checks_again() {
    let mut app = app();
    let id = open(&mut app);
    diagnosed(&mut app, id, untrusted());
    assert_eq!(
        codes(&app),
        [
            (Code::TlsUntrusted, Side::Incoming),
            (Code::TlsUntrusted, Side::Smtp)
        ]
    );
    // P asks; N (or Esc) says no, and nothing changes.
    assert!(press(&mut app, KeyCode::Char('p')).is_empty());
    let ts = app.troubleshoot.as_ref().unwrap();
    assert_eq!(
        ts.confirm_pin,
        Some(vec![(Side::Incoming, SHA.into()), (Side::Smtp, SHA.into())])
    );
    // While asking, other keys do nothing.
    assert!(press(&mut app, KeyCode::Char('f')).is_empty());
    assert!(press(&mut app, KeyCode::Char('n')).is_empty());
    assert!(app.troubleshoot.as_ref().unwrap().confirm_pin.is_none());
    assert_eq!(app.form.pins, (None, None));
    // P, Y: the pins go into the form and the saved account, and a new run
    // starts with them.
    press(&mut app, KeyCode::Char('p'));
    let effects = press(&mut app, KeyCode::Char('y'));
    assert_eq!(app.form.pins, (Some(SHA.into()), Some(SHA.into())));
    let (save, run) = match effects.as_slice() {
        [
            Effect::SaveAccount {
                id: save,
                account: saved,
                ..
            },
            Effect::Diagnose {
                id: run, account, ..
            },
        ] => {
            assert_eq!(saved.incoming.pinned_sha256.as_deref(), Some(SHA));
            assert_eq!(saved.smtp.pinned_sha256.as_deref(), Some(SHA));
            assert_eq!(saved.name, "work");
            assert_eq!(account.smtp.pinned_sha256.as_deref(), Some(SHA));
            (*save, *run)
        }
        other => panic!("{other:?}"),
    };
    // The save is the pin's, not a removal on the welcome screen.
    let mut cfg = Config::default();
    let mut a = account();
    a.incoming.pinned_sha256 = Some(SHA.into());
    cfg.upsert(a);
    update(
        &mut app,
        Msg::ConfigWritten {
            id: save,
            result: Ok(cfg),
        },
    );
    assert_eq!(app.notice, None);
    assert_eq!(
        app.config.accounts[0].incoming.pinned_sha256.as_deref(),
        Some(SHA)
    );
    let ts = app.troubleshoot.as_ref().unwrap();
    assert_eq!(ts.notice, Some(TroubleshootNotice::Pinned { saved: true }));
    // The new run says all is well.
    let mut ok_smtp = probe(Side::Smtp, "smtp.example.org", 465, Wire::Smtp);
    ok_smtp.cert = Some(cert("mail.example.org"));
    diagnosed(&mut app, run, report(working_incoming(), ok_smtp));
    assert_eq!(
        codes(&app),
        [(Code::Ok, Side::Incoming), (Code::Ok, Side::Smtp)]
    );
    // Nothing left to pin: P does nothing.
    press(&mut app, KeyCode::Char('p'));
    assert!(app.troubleshoot.as_ref().unwrap().confirm_pin.is_none());
}

#[test]
fn from_a_failed_test_the_pin_stays_in_the_form_until_the_summary() {
    let mut app = App::new(AppOptions::new(
        PathBuf::from("/tmp/x/accounts.toml"),
        Lang::Fr,
        Ok(Config::default()),
    ));
    app.form = mailwiz::tui::Form::from_account(&account());
    app.flow = Flow::Setup;
    let effects = mailwiz::tui::update(&mut app, Msg::Tick);
    assert!(effects.is_empty());
    // The Test step, failed on TLS.
    app.step = Step::Test;
    let ids = match press(&mut app, KeyCode::Char('r')).as_slice() {
        [
            Effect::CheckIncoming { id: a, .. },
            Effect::CheckSmtp { id: b, .. },
        ] => (*a, *b),
        other => panic!("{other:?}"),
    };
    let tls = NetError::Tls(TlsError {
        kind: TlsKind::Untrusted,
        cert: Some(Box::new(cert("mail.example.org"))),
        detail: "UnknownIssuer".into(),
    });
    for (id, err) in [(ids.0, tls.clone()), (ids.1, tls)] {
        update(
            &mut app,
            Msg::Checked {
                id,
                report: ServerReport {
                    ok: false,
                    steps: vec![StepRecord {
                        phase: Phase::Tls,
                        ok: false,
                        detail: Default::default(),
                        ms: 3,
                    }],
                    error: Some(err),
                    capabilities: vec![],
                    cert: Some(cert("mail.example.org")),
                },
            },
        );
    }
    // D opens the troubleshooting screen over the Test step (French: O is yes).
    let id = match press(&mut app, KeyCode::Char('d')).as_slice() {
        [Effect::Diagnose { id, .. }] => *id,
        other => panic!("{other:?}"),
    };
    assert_eq!(app.step, Step::Test);
    diagnosed(&mut app, id, untrusted());
    press(&mut app, KeyCode::Char('p'));
    let effects = press(&mut app, KeyCode::Char('o'));
    assert!(
        matches!(effects.as_slice(), [Effect::Diagnose { .. }]),
        "no save before the summary: {effects:?}"
    );
    assert_eq!(app.form.pins, (Some(SHA.into()), Some(SHA.into())));
    assert!(app.dirty);
    assert_eq!(
        app.troubleshoot.as_ref().unwrap().notice,
        Some(TroubleshootNotice::Pinned { saved: false })
    );
    // Esc stops the new run, Esc again is back on the Test step.
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Esc);
    assert!(app.troubleshoot.is_none());
    assert_eq!(app.step, Step::Test);
}

#[test]
fn the_transcript_is_saved_by_an_effect_next_to_the_config() {
    let mut app = app();
    let id = open(&mut app);
    let r = wrong_password();
    r.transcript.tap("imap").note("CAPABILITY");
    diagnosed(&mut app, id, r);
    let (save, path) = match press(&mut app, KeyCode::Char('s')).as_slice() {
        [Effect::SaveTranscript { id, path, text }] => {
            assert!(text.contains("CAPABILITY"), "{text}");
            (*id, path.clone())
        }
        other => panic!("{other:?}"),
    };
    assert_eq!(
        path,
        PathBuf::from("/home/alice/.config/mailwiz/transcript-work.txt")
    );
    let ts = app.troubleshoot.as_ref().unwrap();
    assert_eq!(ts.transcript, Some(TranscriptState::Saving(save)));
    update(
        &mut app,
        Msg::TranscriptSaved {
            id: save,
            path: path.clone(),
            result: Ok(()),
        },
    );
    let ts = app.troubleshoot.as_ref().unwrap();
    assert_eq!(ts.transcript, Some(TranscriptState::Done(path)));
}

// ---------------------------------------------------------------- rendering

fn states(lang: Lang) -> Vec<(&'static str, App)> {
    let mk = |f: &dyn Fn(&mut App, u64)| {
        let mut a = app();
        a.lang = lang;
        let id = open(&mut a);
        f(&mut a, id);
        a
    };
    vec![
        ("running", mk(&|_, _| {})),
        (
            "port_blocked",
            mk(&|a, id| {
                diagnosed(a, id, port_blocked());
            }),
        ),
        (
            "wrong_password",
            mk(&|a, id| {
                diagnosed(a, id, wrong_password());
            }),
        ),
        (
            "servers",
            mk(&|a, id| {
                diagnosed(a, id, wrong_password());
                press(a, KeyCode::Char('i'));
            }),
        ),
        (
            "untrusted",
            mk(&|a, id| {
                diagnosed(a, id, untrusted());
            }),
        ),
        (
            "pin_confirm",
            mk(&|a, id| {
                diagnosed(a, id, untrusted());
                press(a, KeyCode::Char('p'));
            }),
        ),
        (
            "rcpt_field",
            mk(&|a, id| {
                diagnosed(a, id, working());
                press(a, KeyCode::Char('a'));
            }),
        ),
        (
            "sending_limit",
            mk(&|a, id| {
                diagnosed(a, id, working());
                press(a, KeyCode::Char('a'));
                let id = rcpt_run(a).0;
                diagnosed(a, id, sending_limit());
            }),
        ),
        (
            "transcript_saved",
            mk(&|a, id| {
                diagnosed(a, id, port_blocked());
                let save = match press(a, KeyCode::Char('s')).as_slice() {
                    [Effect::SaveTranscript { id, .. }] => *id,
                    other => panic!("{other:?}"),
                };
                update(
                    a,
                    Msg::TranscriptSaved {
                        id: save,
                        path: PathBuf::from("/home/alice/.config/mailwiz/transcript-work.txt"),
                        result: Ok(()),
                    },
                );
            }),
        ),
    ]
}

#[test]
fn snapshots_in_both_languages() {
    for lang in Lang::ALL {
        for (name, app) in states(lang) {
            insta::assert_snapshot!(format!("{name}_{}", lang.code()), screen(&app, 80, 24));
        }
    }
}

#[test]
fn small_and_large_sizes_draw() {
    for lang in Lang::ALL {
        for (_, app) in states(lang) {
            for (w, h) in [(60, 18), (61, 19), (100, 30), (200, 60), (20, 5)] {
                screen(&app, w, h);
            }
        }
    }
}

#[test]
fn help_shows_the_screens_own_text() {
    let mut app = app();
    let id = open(&mut app);
    diagnosed(&mut app, id, port_blocked());
    press(&mut app, KeyCode::F(1));
    let s = screen(&app, 80, 24);
    assert!(s.contains("probes every layer"), "{s}");
    press(&mut app, KeyCode::Esc);
    assert!(app.troubleshoot.is_some(), "Esc closes the help only");
}

#[test]
fn the_diagnosis_tries_a_recipient_and_shows_a_sending_limit() {
    let mut app = app();
    app.lang = Lang::Fr;
    let id = open(&mut app);
    diagnosed(&mut app, id, working());
    let all_ok = "✓ Tout fonctionne";
    let s = screen(&app, 80, 24);
    assert!(s.contains(all_ok), "{s}");
    assert!(s.contains("A essaie aussi un destinataire"), "{s}");
    // A: a field with the account's own address.
    assert!(press(&mut app, KeyCode::Char('a')).is_empty());
    assert!(app.typing(), "letters go to the field");
    assert!(screen(&app, 80, 24).contains("› alice@example.org"));
    // A bad address is refused, and nothing runs.
    for _ in 0.."alice@example.org".len() {
        press(&mut app, KeyCode::Backspace);
    }
    type_text(&mut app, "pas une adresse");
    assert!(press(&mut app, KeyCode::Enter).is_empty());
    let refused = screen(&app, 80, 24);
    assert!(refused.contains('⚠'), "{refused}");
    for _ in 0.."pas une adresse".len() {
        press(&mut app, KeyCode::Backspace);
    }
    type_text(&mut app, "bob@example.net");
    let (id, rcpt) = rcpt_run(&mut app);
    assert_eq!(rcpt.as_deref(), Some("bob@example.net"));
    diagnosed(&mut app, id, sending_limit());
    assert!(
        codes(&app).contains(&(Code::SendingLimit, Side::Smtp)),
        "{:?}",
        codes(&app)
    );
    let s = screen(&app, 80, 24);
    assert!(!s.contains(all_ok), "{s}");
    assert!(s.contains("bob@example.net"), "{s}");
    // R runs again with the same recipient.
    match press(&mut app, KeyCode::Char('r')).as_slice() {
        [Effect::Diagnose { rcpt, .. }] => assert_eq!(rcpt.as_deref(), Some("bob@example.net")),
        other => panic!("{other:?}"),
    }
}

#[test]
fn esc_closes_the_recipient_field_without_a_run() {
    let mut app = app();
    let id = open(&mut app);
    diagnosed(&mut app, id, working());
    press(&mut app, KeyCode::Char('a'));
    assert!(press(&mut app, KeyCode::Esc).is_empty());
    assert!(app.troubleshoot.is_some(), "Esc closes the field only");
    assert!(!app.typing());
    assert!(app.troubleshoot.as_ref().unwrap().rcpt.is_none());
}

#[test]
fn a_finding_taller_than_the_screen_scrolls_with_a_more_marker() {
    let mut app = app();
    app.lang = Lang::Fr;
    let id = open(&mut app);
    diagnosed(&mut app, id, untrusted());
    let first = screen(&app, 60, 18);
    assert!(first.contains("▼ suite"), "{first}");
    let mut last = first.clone();
    for _ in 0..8 {
        press(&mut app, KeyCode::PageDown);
        last = screen(&app, 60, 18);
    }
    assert_ne!(first, last, "PgDn moves the text");
    assert!(last.contains("▲ suite"), "{last}");
    // The end of the list is reachable: the last finding's fix shows.
    assert!(
        last.contains("N'acceptez jamais un certificat inconnu."),
        "{last}"
    );
    // ↓ selects the next finding and starts it from its top.
    press(&mut app, KeyCode::Down);
    assert_eq!(app.scroll.offset(), 0);
}

const OAUTH_TEST: &str = "the_last_oauth2_refusal_comes_first_with_its_fix";
/// Set in the child: run the in-process half.
const OAUTH_CHILD: &str = "MAILWIZ_TEST_TROUBLESHOOT_OAUTH";
const CONSENT_URL: &str =
    "https://login.microsoftonline.com/common/adminconsent?client_id=mailwiz-test";

/// An OAuth2 account whose servers do not answer (a closed loopback port).
fn oauth_account() -> Account {
    let mut a = account();
    a.incoming.auth = AuthMethod::Oauth2;
    a.incoming.host = "127.0.0.1".into();
    a.incoming.port = 9;
    a.smtp.host = "127.0.0.1".into();
    a.smtp.port = 9;
    a
}

/// Issue 15 §3: the wizard's troubleshooting screen shows the account's
/// last OAuth2 refusal (kept in a real Secret Service) first, with its
/// fix, as the CLI doctor does. The keyring is the process's own D-Bus
/// session's: the in-process half runs in a child started with the test
/// keyring's environment (no `unsafe` `set_var`).
#[test]
fn the_last_oauth2_refusal_comes_first_with_its_fix() {
    if std::env::var_os(OAUTH_CHILD).is_some() {
        return oauth_refusal_in_process();
    }
    let dir = tempfile::Builder::new()
        .prefix("mwto")
        .tempdir_in("/tmp")
        .unwrap();
    let keyring = common::KeyringSession::start(&dir.path().join("home"));
    let mut cmd = std::process::Command::new(std::env::current_exe().unwrap());
    keyring.apply(&mut cmd);
    let out = cmd
        .args([OAUTH_TEST, "--exact", "--nocapture", "--test-threads=1"])
        .env(OAUTH_CHILD, "1")
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "in-process half: {text}");
    assert!(text.contains("1 passed"), "{text}");
}

fn oauth_refusal_in_process() {
    let keyring = mailwiz::secrets::Keyring::open().expect("the test keyring");
    let refusal = mailwiz::oauth::OauthError::Refused {
        finding: mailwiz::oauth::IdpFinding::AdminConsentRequired,
        error: "invalid_grant".into(),
        description: "AADSTS65001: The user or administrator has not consented".into(),
        consent_url: Some(CONSENT_URL.into()),
    };
    mailwiz::oauth::last_error::record(&keyring, "work", &refusal);
    for (lang, words) in [
        (Lang::En, "requires an administrator"),
        (Lang::Fr, "exige qu’un administrateur"),
    ] {
        let mut cfg = Config::default();
        cfg.upsert(oauth_account());
        let mut app = App::new(AppOptions::new(
            PathBuf::from("/tmp/mailwiz-test/accounts.toml"),
            lang,
            Ok(cfg),
        ));
        let mut effects = press(&mut app, KeyCode::Char('t'));
        assert!(matches!(effects.as_slice(), [Effect::Diagnose { .. }]));
        // The real effect runner: the doctor, then the kept refusal.
        let (tx, rx) = std::sync::mpsc::channel();
        let runner = mailwiz::tui::Runner::new(tx);
        runner.run(effects.remove(0), lang);
        let msg = rx
            .recv_timeout(std::time::Duration::from_secs(60))
            .expect("the diagnosis ends");
        assert!(matches!(msg, Msg::Diagnosed { .. }), "{msg:?}");
        update(&mut app, msg);
        let ts = app.troubleshoot.as_ref().expect("screen open");
        let first = ts.findings.first().expect("findings");
        assert_eq!(first.code, Code::AuthFailed, "{:?}", ts.findings);
        assert!(first.title.contains(words), "{lang:?}: {first:?}");
        assert!(first.fix.contains(CONSENT_URL), "{lang:?}: {first:?}");
        assert!(
            first.evidence.starts_with("admin_consent_required:"),
            "{first:?}"
        );
        assert!(ts.findings.len() > 1, "the servers' findings follow");
        let shown = screen(&app, 120, 40);
        assert!(shown.contains(words), "{lang:?}: {shown}");
    }
}
