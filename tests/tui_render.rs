#![allow(clippy::unwrap_used)] // tests: a failed unwrap is the failure report
//! Rendering: insta snapshots of every step in both languages (TestBackend
//! 80x24), error states, and a size sweep from 1x1 to 200x60.

use crossterm::event::KeyCode;
use mailwiz::check::{Progress, ServerReport, Side, StepRecord};
use mailwiz::config::{Config, ConfigError};
use mailwiz::i18n::Lang;
use mailwiz::net::{NetError, Phase, Reply};
use mailwiz::secrets::SecretsError;
use mailwiz::send::{SendReport, TestMessage, VerifyReport};
use mailwiz::tui::{App, AppOptions, Effect, Msg, update};
use std::path::PathBuf;

use tui::{PW, press, type_text};

#[path = "common/tui.rs"]
mod tui;

fn new_app(config: Result<Config, ConfigError>) -> App {
    let path = PathBuf::from("/home/alice/.config/mailwiz/accounts.toml");
    App::new(AppOptions::new(path, Lang::En, config))
}

fn first_id(effects: &[Effect]) -> u64 {
    match effects.first() {
        Some(
            Effect::ProbeKeyring { id, .. }
            | Effect::CheckIncoming { id, .. }
            | Effect::SendTest { id, .. }
            | Effect::VerifyArrival { id, .. }
            | Effect::SaveAccount { id, .. },
        ) => *id,
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

fn report(ok: bool, error: Option<NetError>) -> ServerReport {
    let mut steps = vec![
        record(Phase::Resolve, true, 1),
        record(Phase::Connect, true, 4),
        record(Phase::Tls, true, 21),
    ];
    steps.push(record(Phase::Login, ok, 35));
    ServerReport {
        ok,
        steps,
        error,
        capabilities: vec![],
        cert: None,
    }
}

type Stage = (&'static str, fn(&mut App));

/// Each step, reached by keys and results as a user would.
fn states() -> Vec<(&'static str, App)> {
    let mut out = Vec::new();
    out.push(("welcome", new_app(Ok(Config::default()))));
    out.push((
        "identity",
        replay(|a| {
            press(a, KeyCode::Enter);
            type_text(a, "Alice Liddell");
            press(a, KeyCode::Tab);
            type_text(a, "alice@free.fr");
        }),
    ));
    let steps: [Stage; 4] = [
        ("settings_found", |_| {}),
        ("protocol", |a| {
            press(a, KeyCode::Enter);
        }),
        ("incoming", |a| {
            press(a, KeyCode::Enter);
            press(a, KeyCode::Enter);
        }),
        ("outgoing", |a| {
            for _ in 0..3 {
                press(a, KeyCode::Enter);
            }
        }),
    ];
    for (name, f) in steps {
        out.push((
            name,
            replay(|a| {
                identity(a);
                f(a);
            }),
        ));
    }
    out.push((
        "password",
        replay(|a| {
            to_password(a);
            type_text(a, PW);
        }),
    ));
    out.push((
        "test_running",
        replay(|a| {
            let (x, _) = to_test(a);
            update(
                a,
                Msg::Progress {
                    id: x,
                    progress: Progress::Finished {
                        side: Side::Incoming,
                        step: record(Phase::Connect, true, 4),
                    },
                },
            );
            update(
                a,
                Msg::Progress {
                    id: x,
                    progress: Progress::Started {
                        side: Side::Incoming,
                        phase: Phase::Tls,
                    },
                },
            );
        }),
    ));
    out.push((
        "test_ok",
        replay(|a| {
            test_done(a, None, None);
        }),
    ));
    out.push((
        "send",
        replay(|a| {
            to_send(a);
        }),
    ));
    out.push((
        "send_done",
        replay(|a| {
            to_send(a);
            let id = first_id(&press(a, KeyCode::Enter));
            let message = TestMessage {
                id: "3f9a1c2b7d4e".into(),
                subject: "mailwiz test 3f9a1c2b7d4e".into(),
                to: "alice@free.fr".into(),
            };
            let report = SendReport {
                ok: true,
                steps: vec![],
                reply: Some(Reply::smtp(250, "2.0.0 Ok: queued as 4XyZ")),
                error: None,
                message_id: message.id.clone(),
                subject: message.subject.clone(),
                to: message.to.clone(),
            };
            update(
                a,
                Msg::Sent {
                    id,
                    message,
                    report,
                },
            );
            let vid = first_id(&press(a, KeyCode::Char('w')));
            update(
                a,
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
        }),
    ));
    out.push((
        "summary",
        replay(|a| {
            to_send(a);
            let id = first_id(&press(a, KeyCode::Char('n')));
            let mut cfg = Config::default();
            cfg.upsert(a.form.account());
            update(
                a,
                Msg::ConfigWritten {
                    id,
                    result: Ok(cfg),
                },
            );
        }),
    ));
    // Error states.
    out.push((
        "error_identity",
        replay(|a| {
            press(a, KeyCode::Enter);
            press(a, KeyCode::Tab);
            type_text(a, "alice@free");
            press(a, KeyCode::Enter);
        }),
    ));
    out.push((
        "error_keyring",
        replay(|a| {
            to_password(a);
            type_text(a, PW);
            let id = first_id(&press(a, KeyCode::Enter));
            let err = SecretsError::NoSecretService {
                detail: "org.freedesktop.DBus.Error.ServiceUnknown".into(),
            };
            update(
                a,
                Msg::KeyringProbed {
                    id,
                    result: Err(err),
                },
            );
        }),
    ));
    out.push((
        "error_test",
        replay(|a| {
            let auth = NetError::AuthFailed {
                reply: Reply::text("NO [AUTHENTICATIONFAILED] Authentication failed."),
            };
            test_done(a, Some(auth), None);
        }),
    ));
    out.push((
        "error_save",
        replay(|a| {
            to_send(a);
            let id = first_id(&press(a, KeyCode::Char('n')));
            let err = ConfigError::Write {
                path: "/home/alice/.config/mailwiz/accounts.toml".into(),
                source: std::io::Error::other("disk full"),
            };
            update(
                a,
                Msg::ConfigWritten {
                    id,
                    result: Err(err.into()),
                },
            );
        }),
    ));
    out.push(("welcome_accounts", {
        let mut cfg = Config::default();
        cfg.upsert(mailwiz::providers::by_id("free").unwrap().account_for(
            "alice@free.fr",
            None,
            None,
        ));
        cfg.upsert(mailwiz::providers::by_id("gmail").unwrap().account_for(
            "bob@gmail.com",
            None,
            None,
        ));
        new_app(Ok(cfg))
    }));
    out.push((
        "welcome_corrupt_config",
        new_app(Err(ConfigError::Parse {
            path: "/home/alice/.config/mailwiz/accounts.toml".into(),
            line: 4,
            column: 9,
            message: "expected `=`".into(),
        })),
    ));
    out.push((
        "help_protocol",
        replay(|a| {
            identity(a);
            press(a, KeyCode::Enter);
            press(a, KeyCode::F(1));
        }),
    ));
    out.push((
        "confirm_quit",
        replay(|a| {
            identity(a);
            update(
                a,
                Msg::Key(crossterm::event::KeyEvent::new(
                    KeyCode::Char('c'),
                    crossterm::event::KeyModifiers::CONTROL,
                )),
            );
        }),
    ));
    out
}

fn replay(f: impl FnOnce(&mut App)) -> App {
    let mut app = new_app(Ok(Config::default()));
    f(&mut app);
    app
}

fn identity(a: &mut App) {
    press(a, KeyCode::Enter);
    type_text(a, "Alice Liddell");
    press(a, KeyCode::Tab);
    type_text(a, "alice@free.fr");
    press(a, KeyCode::Enter);
}

fn to_password(a: &mut App) {
    identity(a);
    for _ in 0..4 {
        press(a, KeyCode::Enter);
    }
}

fn to_test(a: &mut App) -> (u64, u64) {
    to_password(a);
    type_text(a, PW);
    let id = first_id(&press(a, KeyCode::Enter));
    let effects = update(a, Msg::KeyringProbed { id, result: Ok(()) });
    let x = first_id(&effects);
    (x, x + 1)
}

fn test_done(a: &mut App, inc: Option<NetError>, smtp: Option<NetError>) {
    let (x, y) = to_test(a);
    update(
        a,
        Msg::Checked {
            id: x,
            report: report(inc.is_none(), inc),
        },
    );
    update(
        a,
        Msg::Checked {
            id: y,
            report: report(smtp.is_none(), smtp),
        },
    );
}

fn to_send(a: &mut App) {
    test_done(a, None, None);
    press(a, KeyCode::Enter);
}

fn draw(app: &App, w: u16, h: u16) -> String {
    tui::screen(app, w, h)
}

#[test]
fn every_step_in_both_languages() {
    for (name, mut app) in states() {
        for lang in Lang::ALL {
            app.lang = lang;
            let screen = draw(&app, 80, 24);
            assert!(!screen.contains(PW), "{name}: the password is on screen");
            // A key of any area shown instead of its text (every snapshot
            // file is also checked by tests/human_output.rs).
            let key = mailwiz::i18n::table(lang)
                .keys()
                .find(|k| screen.contains(k.as_str()));
            assert!(
                key.is_none(),
                "{name}/{lang:?}: the i18n key {key:?} is shown:\n{screen}"
            );
            insta::assert_snapshot!(format!("{name}_{}", lang.code()), screen);
        }
    }
}

#[test]
fn small_terminal_asks_to_enlarge() {
    let app = new_app(Ok(Config::default()));
    let screen = draw(&app, 59, 24);
    assert!(screen.contains("enlarge"), "{screen}");
    insta::assert_snapshot!("too_small_en", screen);
    let mut app = app;
    app.lang = Lang::Fr;
    let screen = draw(&app, 60, 17);
    assert!(screen.contains("Agrandissez"), "{screen}");
    assert!(!draw(&app, 60, 18).contains("Agrandissez"));
}

#[test]
fn every_size_from_1x1_to_200x60_draws_without_panic() {
    let widths = [
        1, 2, 3, 7, 20, 40, 59, 60, 61, 79, 80, 99, 100, 101, 133, 200,
    ];
    let heights = [1, 2, 3, 5, 10, 17, 18, 19, 24, 33, 60];
    for (name, mut app) in states() {
        for lang in Lang::ALL {
            app.lang = lang;
            for &w in &widths {
                for &h in &heights {
                    let screen =
                        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| draw(&app, w, h)));
                    assert!(screen.is_ok(), "{name} {lang:?} panicked at {w}x{h}");
                }
            }
        }
    }
}

#[test]
fn wide_screen_shows_the_list_of_steps() {
    let (_, app) = states()
        .into_iter()
        .find(|(n, _)| *n == "outgoing")
        .unwrap();
    let screen = draw(&app, 120, 30);
    let line = |needle: &str| {
        screen
            .lines()
            .find(|l| l.contains(needle))
            .unwrap_or("")
            .to_string()
    };
    assert!(line("5. Incoming server").contains('✓'), "{screen}");
    assert!(line("6. Outgoing server (SMTP)").contains('▸'), "{screen}");
}
