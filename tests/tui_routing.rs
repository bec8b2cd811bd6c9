#![allow(clippy::unwrap_used)] // tests: a failed unwrap is the failure report
//! The wizard's results are routed by what each request was for (issue 12
//! §4): `App.pending` maps every id to its purpose; a result nobody waits
//! for is dropped; a message that says the work goes on keeps the request
//! pending; a dead background task (`Msg::Failed`) reaches its own
//! purpose only, said as a bug in mailwiz in the user's language, never as
//! a keyring, OAuth2 or file error. Pure state: no terminal, no network.

#[path = "common/tui.rs"]
mod tui;

use crossterm::event::KeyCode;
use mailwiz::check::{Progress, ServerReport, Side, StepRecord};
use mailwiz::config::Config;
use mailwiz::discover::{Source, SourceEvent};
use mailwiz::i18n::Lang;
use mailwiz::net::Phase;
use mailwiz::oauth::OauthError;
use mailwiz::secrets::SecretsError;
use mailwiz::tui::{
    App, AppOptions, Effect, Field, KeyringState, Msg, Purpose, SaveState, SignInPrompt,
    SignInState, Step, Stopped, TranscriptState, update,
};
use std::collections::BTreeSet;
use std::path::PathBuf;
use tui::{CONFIG_PATH, PW, app, ctrl, first_id, focus, press, rows, to_password, to_test};

/// A panic's words, with an escape sequence that must not reach the
/// terminal.
const PANIC_WORDS: &str = "boom at src/x.rs:1\u{1b}[31m";

fn died(id: u64) -> Msg {
    Msg::Failed {
        id,
        detail: PANIC_WORDS.into(),
    }
}

/// The text of the step's panel as one line of words (the step list and
/// the borders dropped, wrapped lines joined), so a sentence is found
/// whatever the width. No-break spaces stay as they are.
fn words(app: &App) -> String {
    rows(app, 100, 40)
        .iter()
        .filter_map(|r| {
            let (first, last) = (r.find('│')?, r.rfind('│')?);
            (first < last).then(|| r[first + '│'.len_utf8()..last].to_string())
        })
        .collect::<Vec<_>>()
        .join(" ")
        .split(' ')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// What a dead task is called on screen, in each language.
fn died_words(lang: Lang) -> &'static str {
    match lang {
        Lang::En => {
            "the background task stopped unexpectedly (a bug in mailwiz) — “boom at src/x.rs:1[31m”"
        }
        Lang::Fr => {
            "la tâche de fond s'est arrêtée de façon inattendue (un bogue de mailwiz) — «\u{a0}boom at src/x.rs:1[31m\u{a0}»"
        }
    }
}

fn report_advice(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "if it happens again, please report it",
        Lang::Fr => "si cela se reproduit, signalez-le",
    }
}

/// Outlook.com takes OAuth2 only: a client id typed, the sign-in started.
fn signing_in(lang: Lang) -> (App, u64) {
    let mut a = app(lang);
    to_password(&mut a, "alice@outlook.com");
    assert_eq!(a.step, Step::Password);
    tui::type_text(&mut a, "my-client-id");
    focus(&mut a, Field::SignInDevice);
    let effects = press(&mut a, KeyCode::Enter);
    let id = match effects.as_slice() {
        [Effect::SignIn { id, .. }] => *id,
        other => panic!("{other:?}"),
    };
    assert_eq!(a.pending.get(&id), Some(&Purpose::SignIn));
    (a, id)
}

fn ok_report() -> ServerReport {
    ServerReport {
        ok: true,
        steps: vec![StepRecord {
            phase: Phase::Login,
            ok: true,
            detail: Default::default(),
            ms: 12,
        }],
        error: None,
        capabilities: vec![],
        cert: None,
    }
}

#[test]
fn every_request_records_what_it_is_for() {
    let mut a = app(Lang::En);
    let (inc, smtp) = to_test(&mut a, "alice@free.fr");
    assert_eq!(a.pending.get(&inc), Some(&Purpose::Check(Side::Incoming)));
    assert_eq!(a.pending.get(&smtp), Some(&Purpose::Check(Side::Smtp)));
    assert_eq!(a.pending.len(), 2, "{:?}", a.pending);
}

#[test]
fn a_result_nobody_waits_for_is_dropped_and_changes_nothing() {
    let mut a = app(Lang::En);
    let (inc, smtp) = to_test(&mut a, "alice@free.fr");
    let before = format!("{a:?}");
    let stranger = 999;
    let other = tui::saved_free_config();
    let results = vec![
        Msg::Checked {
            id: stranger,
            report: ok_report(),
        },
        died(stranger),
        Msg::ConfigWritten {
            id: stranger,
            result: Ok(other),
        },
        Msg::SignedIn {
            id: stranger,
            result: Err(OauthError::Expired),
        },
        Msg::Detected {
            id: stranger,
            accounts: Vec::new(),
        },
        Msg::KeyringProbed {
            id: stranger,
            result: Err(SecretsError::Keyring { detail: "x".into() }),
        },
    ];
    for msg in results {
        assert!(update(&mut a, msg).is_empty());
    }
    assert_eq!(format!("{a:?}"), before, "an unknown id changed the state");
    // A check cancelled by Esc: its late results are not waited for.
    press(&mut a, KeyCode::Esc);
    assert!(
        !a.pending.contains_key(&inc) && !a.pending.contains_key(&smtp),
        "a cancelled request is no longer pending: {:?}",
        a.pending
    );
    let cancelled = format!("{a:?}");
    update(&mut a, died(inc));
    update(
        &mut a,
        Msg::Checked {
            id: smtp,
            report: ok_report(),
        },
    );
    assert_eq!(
        format!("{a:?}"),
        cancelled,
        "a late result changed the state"
    );
}

#[test]
fn a_dead_sign_in_changes_only_the_sign_in_and_says_it_is_a_bug() {
    for lang in Lang::ALL {
        let (mut a, id) = signing_in(lang);
        let before = format!(
            "{:?} {:?} {:?} {:?} {:?} {:?} {:?}",
            a.keyring, a.save, a.incoming, a.smtp, a.send, a.troubleshoot, a.notice
        );
        assert!(update(&mut a, died(id)).is_empty());
        let after = format!(
            "{:?} {:?} {:?} {:?} {:?} {:?} {:?}",
            a.keyring, a.save, a.incoming, a.smtp, a.send, a.troubleshoot, a.notice
        );
        assert_eq!(before, after, "{lang:?}: another purpose's state changed");
        assert!(a.discovery.crashed.is_none());
        match &a.signin {
            SignInState::Died(d) => assert_eq!(d.evidence, "boom at src/x.rs:1[31m"),
            other => panic!("{lang:?}: {other:?} (an invented sign-in error?)"),
        }
        assert!(a.pending.is_empty() && !a.busy());
        let screen = words(&a);
        assert!(screen.contains(died_words(lang)), "{lang:?}: {screen}");
        assert!(screen.contains(report_advice(lang)), "{lang:?}: {screen}");
        let invented = OauthError::Listener {
            detail: PANIC_WORDS.into(),
        }
        .localized(lang);
        let invented_head = invented.split(':').next().unwrap();
        assert!(!screen.contains(invented_head), "{lang:?}: {screen}");
        assert!(!screen.contains('\u{1b}'));
        // Not a dead end: the sign-in can start again.
        focus(&mut a, Field::SignInDevice);
        assert!(matches!(
            press(&mut a, KeyCode::Enter).as_slice(),
            [Effect::SignIn { .. }]
        ));
    }
}

#[test]
fn a_dead_keyring_probe_is_a_bug_not_a_keyring_error() {
    for lang in Lang::ALL {
        let mut a = app(lang);
        to_password(&mut a, "alice@free.fr");
        tui::type_text(&mut a, PW);
        let id = first_id(&press(&mut a, KeyCode::Enter));
        assert_eq!(a.pending.get(&id), Some(&Purpose::KeyringProbe));
        update(&mut a, died(id));
        assert!(
            matches!(&a.keyring, KeyringState::Died(d) if d.evidence.starts_with("boom")),
            "{lang:?}: {:?}",
            a.keyring
        );
        let screen = words(&a);
        assert!(screen.contains(died_words(lang)), "{lang:?}: {screen}");
        assert!(!screen.contains(PW), "the password is never shown");
        let invented = SecretsError::Keyring {
            detail: PANIC_WORDS.into(),
        }
        .localized(lang);
        let invented_head = invented.split(':').next().unwrap();
        assert!(!screen.contains(invented_head), "{lang:?}: {screen}");
        // Enter asks the keyring again (no password command forced).
        assert!(!a.fields().contains(&Field::PasswordCommand));
        focus(&mut a, Field::Password);
        assert!(matches!(
            press(&mut a, KeyCode::Enter).as_slice(),
            [Effect::ProbeKeyring { .. }]
        ));
    }
}

#[test]
fn a_dead_smtp_check_marks_only_the_smtp_side() {
    for lang in Lang::ALL {
        let mut a = app(lang);
        let (inc, smtp) = to_test(&mut a, "alice@free.fr");
        update(
            &mut a,
            Msg::Progress {
                id: inc,
                progress: Progress::Started {
                    side: Side::Incoming,
                    phase: Phase::Connect,
                },
            },
        );
        let incoming_before = format!("{:?}", a.incoming);
        update(&mut a, died(smtp));
        assert_eq!(format!("{:?}", a.incoming), incoming_before);
        assert!(a.incoming.crashed.is_none() && a.incoming.id == Some(inc));
        assert!(
            matches!(&a.smtp.crashed, Some(Stopped::Died(d)) if d.evidence.starts_with("boom")),
            "{:?}",
            a.smtp.crashed
        );
        assert!(a.smtp.id.is_none() && a.smtp.done());
        assert_eq!(
            a.pending.keys().copied().collect::<Vec<_>>(),
            vec![inc],
            "the incoming check still runs"
        );
        let screen = words(&a);
        assert!(screen.contains(died_words(lang)), "{lang:?}: {screen}");
        assert!(screen.contains(report_advice(lang)), "{lang:?}: {screen}");
        assert_eq!(screen.matches(died_words(lang)).count(), 1, "{screen}");
    }
}

#[test]
fn progress_keeps_the_request_pending_and_the_final_result_ends_it() {
    // A check: progress, then its report.
    let mut a = app(Lang::En);
    let (inc, smtp) = to_test(&mut a, "alice@free.fr");
    for progress in [
        Progress::Started {
            side: Side::Incoming,
            phase: Phase::Connect,
        },
        Progress::Finished {
            side: Side::Incoming,
            step: ok_report().steps[0].clone(),
        },
    ] {
        update(&mut a, Msg::Progress { id: inc, progress });
        assert!(a.pending.contains_key(&inc), "progress is not the end");
    }
    assert_eq!(a.incoming.steps.len(), 1);
    for id in [inc, smtp] {
        update(
            &mut a,
            Msg::Checked {
                id,
                report: ok_report(),
            },
        );
        assert!(!a.pending.contains_key(&id), "the report ends it");
    }
    assert!(a.incoming.ok() && a.smtp.ok() && !a.busy());

    // A sign-in: the prompt, then the end.
    let (mut a, id) = signing_in(Lang::En);
    let prompt = SignInPrompt::Device {
        uri: "https://microsoft.com/devicelogin".into(),
        code: "ABCD-EFGH".into(),
        complete: None,
        minutes: 15,
    };
    update(&mut a, Msg::SignInPrompt { id, prompt });
    assert!(a.pending.contains_key(&id) && a.busy());
    update(
        &mut a,
        Msg::SignedIn {
            id,
            result: Err(OauthError::Expired),
        },
    );
    assert!(a.pending.is_empty() && !a.busy());
    assert!(matches!(a.signin, SignInState::Failed(OauthError::Expired)));
}

#[test]
fn discovery_events_keep_the_search_pending() {
    let mut a = App::new(AppOptions {
        discover: Some(Default::default()),
        ..AppOptions::new(PathBuf::from(CONFIG_PATH), Lang::En, Ok(Config::default()))
    });
    let id = first_id(&tui::to_settings(&mut a, "alice@example.test"));
    assert_eq!(a.pending.get(&id), Some(&Purpose::Discover));
    update(
        &mut a,
        Msg::Discovery {
            id,
            event: SourceEvent::Started(Source::Preset),
        },
    );
    assert!(a.pending.contains_key(&id), "an event is not the end");
    update(&mut a, died(id));
    assert!(a.pending.is_empty());
    assert_eq!(
        a.discovery.crashed.as_ref().map(|d| d.evidence.as_str()),
        Some("boom at src/x.rs:1[31m")
    );
}

#[test]
fn a_dead_save_is_a_bug_and_r_tries_again() {
    let mut a = app(Lang::Fr);
    let (inc, smtp) = to_test(&mut a, "alice@free.fr");
    for id in [inc, smtp] {
        update(
            &mut a,
            Msg::Checked {
                id,
                report: ok_report(),
            },
        );
    }
    let effects = mailwiz_summary_save(&mut a);
    let id = first_id(&effects);
    assert_eq!(a.pending.get(&id), Some(&Purpose::Save));
    update(&mut a, died(id));
    assert!(matches!(&a.save, SaveState::Died(_)), "{:?}", a.save);
    let screen = words(&a);
    assert!(screen.contains(died_words(Lang::Fr)), "{screen}");
    assert!(
        !screen.contains("le fichier de configuration n'a pas été modifié"),
        "{screen}"
    );
    assert!(matches!(
        press(&mut a, KeyCode::Char('r')).as_slice(),
        [Effect::SaveAccount { .. }]
    ));
}

/// The Send step's "no" goes to the summary, which saves.
fn mailwiz_summary_save(a: &mut App) -> Vec<Effect> {
    a.step = Step::Send;
    press(a, KeyCode::Char('n'))
}

#[test]
fn quitting_cancels_every_pending_request_detection_included() {
    let dir = std::env::temp_dir().join("mailwiz-routing-no-home");
    let mut a = App::new(AppOptions {
        detect_roots: Some(mailwiz::detect::ScanRoots::for_home(&dir)),
        ..AppOptions::new(PathBuf::from(CONFIG_PATH), Lang::En, Ok(Config::default()))
    });
    let detect = match a.start().as_slice() {
        [Effect::Detect { id, .. }] => *id,
        other => panic!("{other:?}"),
    };
    assert_eq!(a.pending.get(&detect), Some(&Purpose::Detect));
    assert!(!a.busy(), "detection does not hold the screen");
    let (inc, smtp) = to_test(&mut a, "alice@free.fr");
    // Something typed: Ctrl-C asks, Ctrl-C again quits.
    ctrl(&mut a, 'c');
    let effects = ctrl(&mut a, 'c');
    assert!(a.quit);
    let cancelled: BTreeSet<u64> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::Cancel(id) => Some(*id),
            _ => None,
        })
        .collect();
    assert_eq!(cancelled, BTreeSet::from([detect, inc, smtp]));
    assert!(matches!(effects.last(), Some(Effect::Quit)));
    assert!(a.pending.is_empty());
}

#[test]
fn a_dead_diagnosis_or_file_save_is_said_on_the_troubleshooting_screen() {
    for lang in Lang::ALL {
        let mut a = tui::app_with(lang, Ok(tui::saved_free_config()));
        let id = match press(&mut a, KeyCode::Char('t')).as_slice() {
            [Effect::Diagnose { id, .. }] => *id,
            other => panic!("{other:?}"),
        };
        assert_eq!(a.pending.get(&id), Some(&Purpose::Diagnose));
        update(&mut a, died(id));
        let ts = a.troubleshoot.as_ref().unwrap();
        assert!(!ts.running() && !a.busy());
        assert_eq!(
            ts.crashed.as_ref().map(|d| d.evidence.as_str()),
            Some("boom at src/x.rs:1[31m")
        );
        let screen = words(&a);
        assert!(screen.contains(died_words(lang)), "{lang:?}: {screen}");
        assert!(screen.contains(report_advice(lang)), "{lang:?}: {screen}");
        // A ticket and a transcript being written when their tasks died:
        // each is said failed, with its own path (not left "saving").
        let ticket_path = PathBuf::from("/home/alice/.config/mailwiz/ticket-x.json");
        let ticket = a.request_id(Purpose::Bundle(ticket_path.clone()));
        let text_path = PathBuf::from("/home/alice/.config/mailwiz/transcript-x.txt");
        let transcript = a.request_id(Purpose::Transcript(text_path.clone()));
        let ts = a.troubleshoot.as_mut().unwrap();
        ts.bundle = Some(TranscriptState::Saving(ticket));
        ts.transcript = Some(TranscriptState::Saving(transcript));
        update(&mut a, died(ticket));
        let ts = a.troubleshoot.as_ref().unwrap();
        assert_eq!(ts.transcript, Some(TranscriptState::Saving(transcript)));
        match &ts.bundle {
            Some(TranscriptState::Failed { path, detail }) => {
                assert_eq!(path, &ticket_path);
                assert!(detail.contains(died_words(lang)), "{detail}");
            }
            other => panic!("{lang:?}: {other:?}"),
        }
        update(&mut a, died(transcript));
        let ts = a.troubleshoot.as_ref().unwrap();
        assert!(
            matches!(&ts.transcript, Some(TranscriptState::Failed { path, .. }) if *path == text_path),
            "{:?}",
            ts.transcript
        );
        assert!(a.pending.is_empty());
        // A ticket written: its own slot says so, the transcript's stays.
        let again = a.request_id(Purpose::Bundle(ticket_path.clone()));
        a.troubleshoot.as_mut().unwrap().bundle = Some(TranscriptState::Saving(again));
        let before = a.troubleshoot.as_ref().unwrap().transcript.clone();
        update(
            &mut a,
            Msg::TranscriptSaved {
                id: again,
                path: ticket_path.clone(),
                result: Ok(()),
            },
        );
        let ts = a.troubleshoot.as_ref().unwrap();
        assert_eq!(ts.bundle, Some(TranscriptState::Done(ticket_path)));
        assert_eq!(ts.transcript, before);
    }
}
