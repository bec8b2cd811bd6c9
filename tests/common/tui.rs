//! The wizard test helpers, in one place: keys, typing, the screen as
//! text, and walks to a step as a user would. Include with
//! `#[path = "common/tui.rs"] mod tui;` (the tests that do not start
//! servers need nothing else from `common`).
#![allow(dead_code)] // each test file uses the helpers it needs

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use mailwiz::config::{Config, ConfigError};
use mailwiz::i18n::Lang;
use mailwiz::tui::{App, AppOptions, Effect, Field, Msg, key, render, update};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::path::PathBuf;

/// The password typed in the tests: it must never show.
pub const PW: &str = "s3cret-Pa55word";

pub const CONFIG_PATH: &str = "/home/alice/.config/mailwiz/accounts.toml";

pub fn app_with(lang: Lang, config: Result<Config, ConfigError>) -> App {
    App::new(AppOptions::new(PathBuf::from(CONFIG_PATH), lang, config))
}

pub fn app(lang: Lang) -> App {
    app_with(lang, Ok(Config::default()))
}

pub fn press(app: &mut App, code: KeyCode) -> Vec<Effect> {
    update(app, key(code))
}

pub fn ctrl(app: &mut App, c: char) -> Vec<Effect> {
    update(
        app,
        Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)),
    )
}

pub fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        press(app, KeyCode::Char(c));
    }
}

/// Tab until `field` has the focus (panics when the step has no such field).
pub fn focus(app: &mut App, field: Field) {
    for _ in 0..=app.fields().len() {
        if app.focused() == Some(field) {
            return;
        }
        press(app, KeyCode::Tab);
    }
    panic!("{field:?} is not a field of {:?}", app.step);
}

/// The screen as `TestBackend` prints it (one quoted row a line): what
/// the snapshots hold.
pub fn screen(app: &App, w: u16, h: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("a test terminal");
    terminal.draw(|f| render(app, f)).expect("a draw");
    terminal.backend().to_string()
}

/// The screen's rows, plain.
pub fn rows(app: &App, w: u16, h: u16) -> Vec<String> {
    screen_rows(&screen(app, w, h))
}

/// The rows of a `TestBackend` print (or a snapshot body), unquoted.
pub fn screen_rows(printed: &str) -> Vec<String> {
    printed
        .lines()
        .filter_map(|l| l.strip_prefix('"').and_then(|l| l.strip_suffix('"')))
        .map(str::to_string)
        .collect()
}

/// Welcome → identity with a name and `email`, Enter: the settings step.
pub fn to_settings(app: &mut App, email: &str) -> Vec<Effect> {
    press(app, KeyCode::Enter);
    type_text(app, "Alice Liddell");
    press(app, KeyCode::Tab);
    type_text(app, email);
    press(app, KeyCode::Enter)
}

/// On to the password step (the proposed settings kept).
pub fn to_password(app: &mut App, email: &str) {
    to_settings(app, email);
    for _ in 0..4 {
        press(app, KeyCode::Enter);
    }
}

/// The id of the first effect that has one.
pub fn first_id(effects: &[Effect]) -> u64 {
    effects
        .iter()
        .find_map(|e| match e {
            Effect::ProbeKeyring { id }
            | Effect::CheckIncoming { id, .. }
            | Effect::CheckSmtp { id, .. }
            | Effect::SendTest { id, .. }
            | Effect::VerifyArrival { id, .. }
            | Effect::SaveAccount { id, .. }
            | Effect::RemoveAccount { id, .. }
            | Effect::Discover { id, .. }
            | Effect::Diagnose { id, .. }
            | Effect::SaveTranscript { id, .. } => Some(*id),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no request in {effects:?}"))
}

/// Password typed, keyring fine: the Test step with its two check ids.
pub fn to_test(app: &mut App, email: &str) -> (u64, u64) {
    to_password(app, email);
    type_text(app, PW);
    let id = first_id(&press(app, KeyCode::Enter));
    let effects = update(app, Msg::KeyringProbed { id, result: Ok(()) });
    let x = first_id(&effects);
    (x, x + 1)
}

/// A config with Alice's Free account saved (name alice@free.fr).
pub fn saved_free_config() -> Config {
    let mut cfg = Config::default();
    cfg.upsert(
        mailwiz::providers::by_id("free")
            .expect("the Free preset")
            .account_for("alice@free.fr", None, None),
    );
    cfg
}
