#![allow(clippy::unwrap_used)] // tests: a failed unwrap is the failure report
//! A background task that died (`Msg::Failed`, a panic) reaches its own
//! request's purpose only, and is said as a bug in mailwiz in the user's
//! language, with the panic's words quoted and what to do: never as a
//! keyring, OAuth2 or file error. Pure state and rendering, no network.

#[path = "tui_routing/support.rs"]
mod support;
#[path = "common/tui.rs"]
mod tui;

use crossterm::event::KeyCode;
use mailwiz::check::{Progress, Side};
use mailwiz::i18n::Lang;
use mailwiz::net::Phase;
use mailwiz::oauth::OauthError;
use mailwiz::secrets::SecretsError;
use mailwiz::tui::{
    App, Effect, Field, KeyringState, Msg, Purpose, SaveState, SignInState, Step, Stopped,
    TranscriptState, update,
};
use std::path::PathBuf;
use support::{PANIC_WORDS, died, died_words, ok_report, report_advice, signing_in, words};
use tui::{PW, app, first_id, focus, press, to_password, to_test};

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

#[test]
fn a_dead_removal_is_said_and_the_account_list_stays() {
    let mut a = tui::app_with(Lang::En, Ok(tui::saved_free_config()));
    press(&mut a, KeyCode::Delete);
    let id = match press(&mut a, KeyCode::Char('y')).as_slice() {
        [Effect::RemoveAccount { id, .. }] => *id,
        other => panic!("{other:?}"),
    };
    assert_eq!(a.pending.get(&id), Some(&Purpose::Remove));
    update(&mut a, died(id));
    assert_eq!(a.notice, Some("tui_routing.died.removal"));
    assert_eq!(a.accounts().len(), 1, "nothing says it was removed");
    let screen = tui::rows(&a, 100, 30).join(" ");
    assert!(screen.contains("(a bug in mailwiz)"), "{screen}");
    assert!(
        !screen.contains(a.t("tui.welcome.remove_failed")),
        "{screen}"
    );
}
