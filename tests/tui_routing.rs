#![allow(clippy::unwrap_used)] // tests: a failed unwrap is the failure report
//! The wizard's results are routed by what each request was for (issue 12
//! §4): `App.pending` maps every id to its purpose; a result nobody waits
//! for is dropped; a message that says the work goes on keeps the request
//! pending; quitting cancels every request. Pure state: no terminal, no
//! network. A dead task's result: `tui_routing_died.rs`.

#[path = "tui_routing/support.rs"]
mod support;
#[path = "common/tui.rs"]
mod tui;

use crossterm::event::KeyCode;
use mailwiz::check::{Progress, Side};
use mailwiz::config::Config;
use mailwiz::discover::{Source, SourceEvent};
use mailwiz::i18n::Lang;
use mailwiz::net::Phase;
use mailwiz::oauth::OauthError;
use mailwiz::secrets::SecretsError;
use mailwiz::tui::{App, AppOptions, Effect, Msg, Purpose, SignInPrompt, SignInState, update};
use std::collections::BTreeSet;
use std::path::PathBuf;
use support::{died, ok_report, signing_in};
use tui::{CONFIG_PATH, app, ctrl, first_id, press, to_test};

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
