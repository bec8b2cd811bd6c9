#![allow(clippy::unwrap_used)] // tests: a failed unwrap is the failure report
//! The wizard's state transitions: messages in, state and effects out. No
//! terminal, no network, no keyring.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use mailwiz::account::{Protocol, Security};
use mailwiz::check::{Progress, ServerReport, Side, StepRecord};
use mailwiz::config::{Config, ConfigError};
use mailwiz::i18n::Lang;
use mailwiz::net::{NetError, Phase, Reply};
use mailwiz::secrets::SecretsError;
use mailwiz::send::{SendReport, TestMessage, VerifyReport};
use mailwiz::tui::{
    App, AppOptions, Effect, Field, Flow, KeyringState, Modal, Msg, SaveState, Source, Step, key,
    update,
};
use std::path::PathBuf;

const PW: &str = "s3cret-Pa55word";

fn app_with(config: Result<Config, ConfigError>) -> App {
    App::new(AppOptions::new(
        PathBuf::from("/nonexistent/accounts.toml"),
        Lang::En,
        config,
    ))
}

fn app() -> App {
    app_with(Ok(Config::default()))
}

fn press(app: &mut App, code: KeyCode) -> Vec<Effect> {
    update(app, key(code))
}

fn ctrl(app: &mut App, c: char) -> Vec<Effect> {
    update(
        app,
        Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)),
    )
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        assert!(press(app, KeyCode::Char(c)).is_empty());
    }
}

fn focus(app: &mut App, field: Field) {
    for _ in 0..20 {
        if app.focused() == Some(field) {
            return;
        }
        press(app, KeyCode::Tab);
    }
    panic!("{field:?} is not on step {:?}", app.step);
}

/// Welcome → Identity with this address → Settings found.
fn to_settings(app: &mut App, email: &str) {
    press(app, KeyCode::Enter);
    assert_eq!(app.step, Step::Identity);
    type_text(app, "Alice Liddell");
    press(app, KeyCode::Tab);
    type_text(app, email);
    assert!(press(app, KeyCode::Enter).is_empty());
    assert_eq!(app.step, Step::SettingsFound);
}

/// All the way to the password step with the preset's values.
fn to_password(app: &mut App, email: &str) {
    to_settings(app, email);
    for step in [
        Step::Protocol,
        Step::Incoming,
        Step::Outgoing,
        Step::Password,
    ] {
        press(app, KeyCode::Enter);
        assert_eq!(app.step, step);
    }
}

/// Through the password step: returns the ids of the two checks.
fn to_test(app: &mut App) -> (u64, u64) {
    to_password(app, "alice@free.fr");
    type_text(app, PW);
    let effects = press(app, KeyCode::Enter);
    // Enter only proves the keyring can be used: the password is not in
    // the effect, it stays in the form until the save.
    let id = match effects.as_slice() {
        [Effect::ProbeKeyring { id }] => *id,
        other => panic!("{other:?}"),
    };
    let effects = update(app, Msg::KeyringProbed { id, result: Ok(()) });
    assert_eq!(app.step, Step::Test);
    check_ids(&effects)
}

fn check_ids(effects: &[Effect]) -> (u64, u64) {
    match effects {
        [
            Effect::CheckIncoming { id: a, .. },
            Effect::CheckSmtp { id: b, .. },
        ] => (*a, *b),
        other => panic!("{other:?}"),
    }
}

fn report(ok: bool, error: Option<NetError>) -> ServerReport {
    ServerReport {
        ok,
        steps: vec![StepRecord {
            phase: Phase::Login,
            ok,
            detail: Default::default(),
            ms: 12,
        }],
        error,
        capabilities: vec![],
        cert: None,
    }
}

fn auth_failed() -> NetError {
    NetError::AuthFailed {
        reply: Reply::text("NO [AUTHENTICATIONFAILED] Authentication failed."),
    }
}

#[test]
fn welcome_enter_starts_a_new_account() {
    let mut app = app();
    assert_eq!(app.step, Step::Welcome);
    assert!(press(&mut app, KeyCode::Enter).is_empty());
    assert_eq!(app.step, Step::Identity);
    assert_eq!(app.focused(), Some(Field::DisplayName));
    assert_eq!(app.flow, Flow::Setup);
}

#[test]
fn welcome_l_switches_language_and_back() {
    let mut app = app();
    press(&mut app, KeyCode::Char('l'));
    assert_eq!(app.lang, Lang::Fr);
    press(&mut app, KeyCode::Char('L'));
    assert_eq!(app.lang, Lang::En);
}

#[test]
fn invalid_address_stays_on_identity_with_the_error_shown() {
    let mut app = app();
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "alice");
    assert_eq!(
        app.form.error(Field::Email),
        Some(mailwiz::account::FieldError::NoAt)
    );
    assert!(press(&mut app, KeyCode::Enter).is_empty());
    assert_eq!(app.step, Step::Identity);
    assert!(app.show_errors);
    assert_eq!(app.focused(), Some(Field::Email));
}

#[test]
fn empty_address_focuses_the_email_field() {
    let mut app = app();
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.step, Step::Identity);
    assert_eq!(app.focused(), Some(Field::Email));
}

#[test]
fn known_provider_fills_the_preset() {
    let mut app = app();
    to_settings(&mut app, "alice@free.fr");
    assert!(matches!(app.form.source, Source::Preset(p) if p.id == "free"));
    assert_eq!(app.form.in_host.value(), "imap.free.fr");
    assert_eq!(app.form.in_port.value(), "993");
    assert_eq!(app.form.in_user.value(), "alice");
    assert_eq!(app.form.out_host.value(), "smtp.free.fr");
    // Free documents two setups: the variant is a choice.
    assert_eq!(app.fields(), vec![Field::Variant]);
    press(&mut app, KeyCode::Right);
    assert_eq!(app.form.in_port.value(), "143");
    assert_eq!(app.form.in_user.value(), "alice@free.fr");
}

#[test]
fn unknown_domain_gets_guesses_entered_by_hand() {
    let mut app = app();
    to_settings(&mut app, "bob@example.test");
    assert_eq!(app.form.source, Source::Manual);
    assert_eq!(app.form.in_host.value(), "imap.example.test");
    assert_eq!(app.form.out_host.value(), "smtp.example.test");
    assert_eq!(app.form.in_user.value(), "bob@example.test");
}

#[test]
fn m_enters_settings_by_hand() {
    let mut app = app();
    to_settings(&mut app, "alice@free.fr");
    press(&mut app, KeyCode::Char('m'));
    assert_eq!(app.step, Step::Protocol);
    assert_eq!(app.form.source, Source::Manual);
    assert!(app.dirty);
}

#[test]
fn choosing_pop_refills_the_preset_and_keeps_the_copy_choice() {
    let mut app = app();
    to_settings(&mut app, "alice@free.fr");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.fields(), vec![Field::Protocol]);
    press(&mut app, KeyCode::Char(' '));
    assert_eq!(app.form.protocol, Protocol::Pop3);
    assert_eq!(app.fields(), vec![Field::Protocol, Field::KeepCopy]);
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Char(' '));
    assert!(!app.form.keep_copy);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.step, Step::Incoming);
    assert_eq!(app.form.in_host.value(), "pop.free.fr");
    assert_eq!(app.form.in_port.value(), "995");
    assert!(!app.form.keep_copy);
    assert!(!app.form.account().incoming.keep_on_server);
}

#[test]
fn security_change_proposes_the_port_unless_one_was_typed() {
    let mut app = app();
    to_settings(&mut app, "bob@example.test");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.step, Step::Incoming);
    focus(&mut app, Field::InSecurity);
    press(&mut app, KeyCode::Right);
    assert_eq!(app.form.in_security, Security::Starttls);
    assert_eq!(app.form.in_port.value(), "143");
    focus(&mut app, Field::InPort);
    press(&mut app, KeyCode::Backspace);
    type_text(&mut app, "4");
    assert_eq!(app.form.in_port.value(), "144");
    focus(&mut app, Field::InSecurity);
    press(&mut app, KeyCode::Left);
    assert_eq!(app.form.in_security, Security::Tls);
    assert_eq!(
        app.form.in_port.value(),
        "144",
        "a typed port is never overwritten"
    );
}

#[test]
fn bad_port_blocks_the_incoming_step() {
    let mut app = app();
    to_settings(&mut app, "bob@example.test");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    focus(&mut app, Field::InPort);
    type_text(&mut app, "x");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.step, Step::Incoming);
    assert_eq!(app.focused(), Some(Field::InPort));
}

#[test]
fn outgoing_checkboxes_and_smtp_username() {
    let mut app = app();
    to_settings(&mut app, "bob@example.test");
    for _ in 0..3 {
        press(&mut app, KeyCode::Enter);
    }
    assert_eq!(app.step, Step::Outgoing);
    assert!(app.form.auth_required && app.form.same_login);
    assert!(!app.fields().contains(&Field::OutUser));
    focus(&mut app, Field::OutSecurity);
    press(&mut app, KeyCode::Right);
    assert_eq!(app.form.out_port.value(), "587");
    focus(&mut app, Field::SameLogin);
    press(&mut app, KeyCode::Char(' '));
    assert!(app.fields().contains(&Field::OutUser));
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.step, Step::Outgoing, "an SMTP username is needed");
    assert_eq!(app.focused(), Some(Field::OutUser));
    type_text(&mut app, "smtp-bob");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.step, Step::Password);
    assert!(app.fields().contains(&Field::SmtpPassword));
    let a = app.form.account();
    assert_eq!(a.smtp.username, "smtp-bob");
    assert!(!a.smtp.same_password);
    // Authentication off: no login fields at all.
    press(&mut app, KeyCode::Esc);
    focus(&mut app, Field::AuthRequired);
    press(&mut app, KeyCode::Char(' '));
    assert!(!app.fields().contains(&Field::SameLogin));
}

#[test]
fn password_is_masked_and_never_in_debug() {
    let mut app = app();
    to_password(&mut app, "alice@free.fr");
    assert!(app.typing());
    type_text(&mut app, PW);
    assert_eq!(app.form.password.display(), "•".repeat(PW.chars().count()));
    let debug = format!("{app:?}");
    assert!(!debug.contains(PW), "the password leaked into Debug");
    press(&mut app, KeyCode::F(2));
    assert_eq!(app.form.password.display(), PW);
    press(&mut app, KeyCode::Backspace);
    assert_eq!(app.form.password.secret().expose(), &PW[..PW.len() - 1]);
    ctrl(&mut app, 'u');
    assert!(app.form.password.is_empty());
}

#[test]
fn empty_password_is_refused() {
    let mut app = app();
    to_password(&mut app, "alice@free.fr");
    assert!(press(&mut app, KeyCode::Enter).is_empty());
    assert_eq!(app.step, Step::Password);
    assert!(app.show_errors);
}

#[test]
fn keyring_failure_offers_a_password_command() {
    let mut app = app();
    to_password(&mut app, "alice@free.fr");
    type_text(&mut app, PW);
    let id = match press(&mut app, KeyCode::Enter).as_slice() {
        [Effect::ProbeKeyring { id, .. }] => *id,
        other => panic!("{other:?}"),
    };
    assert!(
        press(&mut app, KeyCode::Enter).is_empty(),
        "no second store while storing"
    );
    let err = SecretsError::NoSecretService {
        detail: "no bus".into(),
    };
    assert!(
        update(
            &mut app,
            Msg::KeyringProbed {
                id,
                result: Err(err)
            }
        )
        .is_empty()
    );
    assert_eq!(app.step, Step::Password);
    assert!(matches!(app.keyring, KeyringState::Failed(_)));
    assert_eq!(app.focused(), Some(Field::PasswordCommand));
    assert!(
        press(&mut app, KeyCode::Enter).is_empty(),
        "a command is needed"
    );
    type_text(&mut app, "pass show mail/alice");
    let effects = press(&mut app, KeyCode::Enter);
    assert_eq!(app.step, Step::Test);
    check_ids(&effects);
    assert_eq!(
        app.form.account().secrets.password_command.as_deref(),
        Some("pass show mail/alice")
    );
}

#[test]
fn checks_run_in_parallel_with_live_progress() {
    let mut app = app();
    let (a, b) = to_test(&mut app);
    assert!(app.pending.contains_key(&a) && app.pending.contains_key(&b));
    update(
        &mut app,
        Msg::Progress {
            id: a,
            progress: Progress::Started {
                side: Side::Incoming,
                phase: Phase::Connect,
            },
        },
    );
    assert_eq!(app.incoming.running, Some(Phase::Connect));
    let step = StepRecord {
        phase: Phase::Connect,
        ok: true,
        detail: Default::default(),
        ms: 3,
    };
    update(
        &mut app,
        Msg::Progress {
            id: a,
            progress: Progress::Finished {
                side: Side::Incoming,
                step,
            },
        },
    );
    assert_eq!(app.incoming.steps.len(), 1);
    assert!(
        app.pending.contains_key(&a),
        "progress does not end the request"
    );
    let spin = app.spinner;
    update(&mut app, Msg::Tick);
    assert_eq!(app.spinner, spin + 1);
    update(
        &mut app,
        Msg::Checked {
            id: a,
            report: report(true, None),
        },
    );
    update(
        &mut app,
        Msg::Checked {
            id: b,
            report: report(true, None),
        },
    );
    assert!(app.incoming.ok() && app.smtp.ok());
    assert!(app.pending.is_empty());
    update(&mut app, Msg::Tick);
    assert_eq!(app.spinner, spin + 1, "no spinning when idle");
    assert!(press(&mut app, KeyCode::Enter).is_empty());
    assert_eq!(app.step, Step::Send);
}

#[test]
fn esc_cancels_running_checks_and_late_results_are_dropped() {
    let mut app = app();
    let (a, b) = to_test(&mut app);
    let effects = press(&mut app, KeyCode::Esc);
    assert!(
        matches!(effects.as_slice(), [Effect::Cancel(x), Effect::Cancel(y)] if *x == a && *y == b)
    );
    assert_eq!(app.step, Step::Test);
    assert!(app.incoming.cancelled && app.smtp.cancelled);
    assert!(
        update(
            &mut app,
            Msg::Checked {
                id: a,
                report: report(true, None)
            }
        )
        .is_empty()
    );
    assert!(
        app.incoming.report.is_none(),
        "a cancelled result is dropped"
    );
    // Retry gets new ids.
    let (c, d) = check_ids(&press(&mut app, KeyCode::Char('r')));
    assert!(c > b && d > c);
    // Esc when nothing runs goes back.
    update(
        &mut app,
        Msg::Checked {
            id: c,
            report: report(true, None),
        },
    );
    update(
        &mut app,
        Msg::Checked {
            id: d,
            report: report(true, None),
        },
    );
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.step, Step::Password);
}

#[test]
fn fix_key_goes_to_the_step_that_can_fix_it() {
    let cases = [
        (Some(auth_failed()), None, Step::Password),
        (
            Some(NetError::Refused {
                addr: "x:993".into(),
            }),
            None,
            Step::Incoming,
        ),
        (None, Some(NetError::StarttlsNotOffered), Step::Outgoing),
        (None, Some(auth_failed()), Step::Password),
    ];
    for (inc, smtp, target) in cases {
        let mut app = app();
        let (a, b) = to_test(&mut app);
        update(
            &mut app,
            Msg::Checked {
                id: a,
                report: report(inc.is_none(), inc.clone()),
            },
        );
        update(
            &mut app,
            Msg::Checked {
                id: b,
                report: report(smtp.is_none(), smtp.clone()),
            },
        );
        press(&mut app, KeyCode::Char('f'));
        assert_eq!(app.step, target, "{inc:?} {smtp:?}");
    }
}

#[test]
fn a_crashed_check_is_shown_not_waited_for() {
    let mut app = app();
    let (a, _) = to_test(&mut app);
    update(
        &mut app,
        Msg::Failed {
            id: a,
            detail: "boom".into(),
        },
    );
    assert!(
        matches!(&app.incoming.crashed, Some(mailwiz::tui::Stopped::Died(d)) if d.evidence == "boom")
    );
    assert!(app.incoming.id.is_none());
}

fn sent(app: &App, ok: bool) -> SendReport {
    SendReport {
        ok,
        steps: vec![],
        reply: Some(Reply::smtp(250, "2.0.0 Ok: queued as 4XyZ")),
        error: None,
        message_id: "abc123".into(),
        subject: "mailwiz test abc123".into(),
        to: app.form.to.value().into(),
    }
}

fn to_send(app: &mut App) {
    let (a, b) = to_test(app);
    update(
        app,
        Msg::Checked {
            id: a,
            report: report(true, None),
        },
    );
    update(
        app,
        Msg::Checked {
            id: b,
            report: report(true, None),
        },
    );
    press(app, KeyCode::Enter);
    assert_eq!(app.step, Step::Send);
}

#[test]
fn send_wait_and_save() {
    let mut app = app();
    to_send(&mut app);
    assert_eq!(app.form.to.value(), "alice@free.fr");
    let id = match press(&mut app, KeyCode::Enter).as_slice() {
        [
            Effect::SendTest {
                id,
                to,
                password: Some(pw),
                ..
            },
        ] => {
            assert_eq!(to, "alice@free.fr");
            assert_eq!(pw.expose(), PW);
            *id
        }
        other => panic!("{other:?}"),
    };
    let message = TestMessage {
        id: "abc123".into(),
        subject: "mailwiz test abc123".into(),
        to: "alice@free.fr".into(),
    };
    let report = sent(&app, true);
    update(
        &mut app,
        Msg::Sent {
            id,
            message,
            report,
        },
    );
    let vid = match press(&mut app, KeyCode::Char('w')).as_slice() {
        [Effect::VerifyArrival { id, message_id, .. }] => {
            assert_eq!(message_id, "abc123");
            *id
        }
        other => panic!("{other:?}"),
    };
    update(
        &mut app,
        Msg::Arrived {
            id: vid,
            report: VerifyReport {
                found: true,
                elapsed_ms: 3200,
                error: None,
                polls: 2,
            },
        },
    );
    assert!(app.send.verify.as_ref().is_some_and(|v| v.found));
    let sid = match press(&mut app, KeyCode::Enter).as_slice() {
        [Effect::SaveAccount { id, account, .. }] => {
            assert_eq!(account.email, "alice@free.fr");
            assert_eq!(account.display_name, "Alice Liddell");
            assert_eq!(account.secrets.password_command, None);
            *id
        }
        other => panic!("{other:?}"),
    };
    assert_eq!(app.step, Step::Summary);
    assert!(app.dirty);
    let mut cfg = Config::default();
    cfg.upsert(app.form.account());
    update(
        &mut app,
        Msg::ConfigWritten {
            id: sid,
            result: Ok(cfg),
        },
    );
    assert!(matches!(app.save, SaveState::Saved));
    assert!(!app.dirty);
    assert_eq!(app.accounts().len(), 1);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.step, Step::Welcome);
}

#[test]
fn recipient_is_editable_and_checked() {
    let mut app = app();
    to_send(&mut app);
    press(&mut app, KeyCode::Tab);
    assert!(app.typing());
    ctrl(&mut app, 'u');
    type_text(&mut app, "nobody");
    assert!(press(&mut app, KeyCode::Enter).is_empty());
    assert!(app.show_errors);
    type_text(&mut app, "@example.test");
    match press(&mut app, KeyCode::Enter).as_slice() {
        [Effect::SendTest { to, .. }] => assert_eq!(to, "nobody@example.test"),
        other => panic!("{other:?}"),
    }
    // Esc while sending cancels.
    assert!(matches!(
        press(&mut app, KeyCode::Esc).as_slice(),
        [Effect::Cancel(_)]
    ));
    assert!(app.send.cancelled);
}

#[test]
fn failed_save_keeps_the_file_and_can_retry() {
    let mut app = app();
    to_send(&mut app);
    let sid = match press(&mut app, KeyCode::Char('n')).as_slice() {
        [Effect::SaveAccount { id, .. }] => *id,
        other => panic!("{other:?}"),
    };
    let err = ConfigError::Parse {
        path: "/x".into(),
        line: 3,
        column: 1,
        message: "bad".into(),
    };
    update(
        &mut app,
        Msg::ConfigWritten {
            id: sid,
            result: Err(err.into()),
        },
    );
    assert!(matches!(app.save, SaveState::Failed(_)));
    assert!(app.dirty);
    assert!(matches!(
        press(&mut app, KeyCode::Char('r')).as_slice(),
        [Effect::SaveAccount { .. }]
    ));
}

#[test]
fn ctrl_c_asks_first_when_something_is_unsaved() {
    let mut app = app();
    press(&mut app, KeyCode::Enter);
    type_text(&mut app, "A");
    assert!(ctrl(&mut app, 'c').is_empty());
    assert_eq!(app.modal, Some(Modal::ConfirmQuit));
    press(&mut app, KeyCode::Char('n'));
    assert_eq!(app.modal, None);
    assert!(!app.quit);
    ctrl(&mut app, 'c');
    let effects = press(&mut app, KeyCode::Char('y'));
    assert!(matches!(effects.last(), Some(Effect::Quit)));
    assert!(app.quit);
}

#[test]
fn ctrl_c_quits_at_once_when_nothing_is_unsaved() {
    let mut app = app();
    assert!(matches!(ctrl(&mut app, 'c').as_slice(), [Effect::Quit]));
    assert!(app.quit);
}

#[test]
fn question_mark_is_help_except_in_a_text_field() {
    let mut app = app();
    press(&mut app, KeyCode::Char('?'));
    assert_eq!(app.modal, Some(Modal::Help));
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.modal, None);
    press(&mut app, KeyCode::Enter);
    type_text(&mut app, "Who?");
    assert_eq!(app.form.display_name.value(), "Who?");
    assert_eq!(app.modal, None);
    press(&mut app, KeyCode::F(1));
    assert_eq!(app.modal, Some(Modal::Help));
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.modal, None);
    assert_eq!(
        app.step,
        Step::Identity,
        "closing help does not confirm the step"
    );
}

#[test]
fn esc_walks_back_through_every_step() {
    let mut app = app();
    to_password(&mut app, "alice@free.fr");
    for step in [
        Step::Outgoing,
        Step::Incoming,
        Step::Protocol,
        Step::SettingsFound,
        Step::Identity,
        Step::Welcome,
    ] {
        press(&mut app, KeyCode::Esc);
        assert_eq!(app.step, step);
    }
    // The form is kept when going forward again.
    press(&mut app, KeyCode::Char('q'));
    assert!(
        app.modal == Some(Modal::ConfirmQuit),
        "entered data is unsaved"
    );
}

fn saved_config() -> Config {
    let mut cfg = Config::default();
    let mut a = mailwiz::providers::by_id("free")
        .unwrap()
        .account_for("alice@free.fr", None, None);
    a.display_name = "Alice".into();
    cfg.upsert(a);
    let b = mailwiz::providers::by_id("gmail")
        .unwrap()
        .account_for("bob@gmail.com", None, None);
    cfg.upsert(b);
    cfg
}

#[test]
fn welcome_actions_on_saved_accounts() {
    let mut app = app_with(Ok(saved_config()));
    press(&mut app, KeyCode::Down);
    assert_eq!(app.selected, 1);
    press(&mut app, KeyCode::Up);
    // Edit: the form holds the account, the preset settings are kept.
    press(&mut app, KeyCode::Char('e'));
    assert_eq!(app.step, Step::Identity);
    assert_eq!(app.editing.as_deref(), Some("alice@free.fr"));
    assert_eq!(app.form.display_name.value(), "Alice");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.form.in_host.value(), "imap.free.fr");
    for _ in 0..5 {
        press(&mut app, KeyCode::Esc);
    }
    assert_eq!(app.step, Step::Welcome);
    // Check: straight to the test, the password read by the runner.
    let effects = press(&mut app, KeyCode::Char('c'));
    assert_eq!(app.step, Step::Test);
    assert_eq!(app.flow, Flow::Existing);
    assert!(matches!(
        effects.as_slice(),
        [
            Effect::CheckIncoming { password: None, .. },
            Effect::CheckSmtp { password: None, .. }
        ]
    ));
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.step, Step::Welcome);
    // Send test.
    press(&mut app, KeyCode::Char('s'));
    assert_eq!(app.step, Step::Send);
    assert!(matches!(
        press(&mut app, KeyCode::Char('s')).as_slice(),
        [Effect::SendTest { password: None, .. }]
    ));
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.step, Step::Welcome);
    // Troubleshoot opens its screen and runs the doctor; Esc stops, Esc closes.
    assert!(matches!(
        press(&mut app, KeyCode::Char('t')).as_slice(),
        [Effect::Diagnose {
            incoming: None,
            smtp: None,
            ..
        }]
    ));
    assert!(app.troubleshoot.is_some());
    assert!(matches!(
        press(&mut app, KeyCode::Esc).as_slice(),
        [Effect::Cancel(_)]
    ));
    press(&mut app, KeyCode::Esc);
    assert!(app.troubleshoot.is_none());
    assert_eq!(app.step, Step::Welcome);
    // Remove asks first.
    press(&mut app, KeyCode::Delete);
    assert_eq!(
        app.modal,
        Some(Modal::ConfirmRemove("alice@free.fr".into()))
    );
    let id = match press(&mut app, KeyCode::Char('y')).as_slice() {
        [Effect::RemoveAccount { id, name, .. }] => {
            assert_eq!(name, "alice@free.fr");
            *id
        }
        other => panic!("{other:?}"),
    };
    let mut cfg = saved_config();
    cfg.remove("alice@free.fr");
    update(
        &mut app,
        Msg::ConfigWritten {
            id,
            result: Ok(cfg),
        },
    );
    assert_eq!(app.accounts().len(), 1);
    assert_eq!(app.notice, Some("tui.welcome.removed"));
}

#[test]
fn edited_account_keeps_its_stored_password() {
    let mut app = app_with(Ok(saved_config()));
    press(&mut app, KeyCode::Char('e'));
    for _ in 0..5 {
        press(&mut app, KeyCode::Enter);
    }
    assert_eq!(app.step, Step::Password);
    let effects = press(&mut app, KeyCode::Enter);
    assert_eq!(
        app.step,
        Step::Test,
        "an empty password keeps the stored one"
    );
    assert!(matches!(
        effects.as_slice(),
        [Effect::CheckIncoming { password: None, .. }, _]
    ));
}

#[test]
fn corrupt_config_is_reported_and_new_account_still_possible() {
    let err = ConfigError::Parse {
        path: "/x/accounts.toml".into(),
        line: 2,
        column: 5,
        message: "expected =".into(),
    };
    let mut app = app_with(Err(err));
    assert!(app.config_error.is_some());
    assert!(app.accounts().is_empty());
    press(&mut app, KeyCode::Char('e'));
    assert_eq!(app.notice, Some("tui.welcome.no_account"));
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.step, Step::Identity);
}

#[test]
fn oauth2_only_provider_is_flagged() {
    let mut app = app();
    to_settings(&mut app, "carol@outlook.com");
    let p = app.form.provider().expect("outlook preset");
    assert!(p.oauth2_only);
    assert_eq!(
        app.form.account().incoming.auth,
        mailwiz::account::AuthMethod::Oauth2
    );
}
