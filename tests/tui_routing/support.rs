//! Helpers of the routing tests (`tui_routing*.rs`): a dead task's
//! message and words, the screen's text as one line, walks to a request.
#![allow(dead_code)] // each test file uses the helpers it needs

use super::tui::{self, app, focus, press, rows, to_password};
use crossterm::event::KeyCode;
use mailwiz::check::{ServerReport, StepRecord};
use mailwiz::i18n::Lang;
use mailwiz::net::Phase;
use mailwiz::tui::{App, Effect, Field, Msg, Purpose, Step};

/// A panic's words, with an escape sequence that must not reach the
/// terminal.
pub const PANIC_WORDS: &str = "boom at src/x.rs:1\u{1b}[31m";

/// The message of a task that died with `PANIC_WORDS`.
pub fn died(id: u64) -> Msg {
    Msg::Failed {
        id,
        detail: PANIC_WORDS.into(),
    }
}

/// The text of the step's panel as one line of words (the step list and
/// the borders dropped, wrapped lines joined), so a sentence is found
/// whatever the width. No-break spaces stay as they are.
pub fn words(app: &App) -> String {
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
pub fn died_words(lang: Lang) -> &'static str {
    match lang {
        Lang::En => {
            "the background task stopped unexpectedly (a bug in mailwiz) — “boom at src/x.rs:1[31m”"
        }
        Lang::Fr => {
            "la tâche de fond s'est arrêtée de façon inattendue (un bogue de mailwiz) — «\u{a0}boom at src/x.rs:1[31m\u{a0}»"
        }
    }
}

pub fn report_advice(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "if it happens again, please report it",
        Lang::Fr => "si cela se reproduit, signalez-le",
    }
}

/// Outlook.com takes OAuth2 only: a client id typed, the sign-in started.
pub fn signing_in(lang: Lang) -> (App, u64) {
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

pub fn ok_report() -> ServerReport {
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
