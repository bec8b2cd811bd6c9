//! One file per step; this module only dispatches to them.

mod discovery_view;
mod identity;
mod incoming;
mod outgoing;
mod password;
mod protocol;
mod send;
mod settings_found;
pub mod signin;
mod summary;
mod test;
mod test_trust;
mod test_view;
mod welcome;

use super::app::App;
use super::field::Field;
use super::msg::{Control, Effect, Msg};
use super::step::Step;
use super::troubleshoot;
use ratatui::Frame;
use ratatui::layout::Rect;

pub use send::findings as send_findings;
pub use test::password as test_password;
pub use test::{
    TestPrompt, TestUi, context as test_context, failed_steps, findings as test_findings,
    on_back_from_diagnosis,
};
pub use test_trust::untrusted_certs;

/// A step's title key: the password step of an OAuth2 account is the
/// Sign-in step.
pub fn title_key(app: &App, step: Step) -> String {
    if step == Step::Password && crate::tui::signin::is_oauth(app) {
        "tui.signin.title".to_string()
    } else {
        step.title_key()
    }
}

/// A step's help key (the Sign-in step has its own).
pub fn help_key(app: &App, step: Step) -> String {
    if step == Step::Password && crate::tui::signin::is_oauth(app) {
        "tui.signin.help".to_string()
    } else {
        step.help_key()
    }
}

pub fn fields(app: &App) -> Vec<Field> {
    match app.step {
        Step::Welcome | Step::Summary => Vec::new(),
        Step::Test => test::fields(app),
        Step::Identity => vec![Field::DisplayName, Field::Email],
        Step::SettingsFound => settings_found::fields(app),
        Step::Protocol => protocol::fields(app),
        Step::Incoming => incoming::fields(app),
        Step::Outgoing => outgoing::fields(app),
        Step::Password => password::fields(app),
        Step::Send if app.send.editing_to => vec![Field::To],
        Step::Send => Vec::new(),
    }
}

pub fn on_control(app: &mut App, c: Control) -> Vec<Effect> {
    match app.step {
        Step::Welcome => welcome::on_control(app, c),
        Step::Identity => identity::on_control(app, c),
        Step::SettingsFound => settings_found::on_control(app, c),
        Step::Protocol => protocol::on_control(app, c),
        Step::Incoming => incoming::on_control(app, c),
        Step::Outgoing => outgoing::on_control(app, c),
        Step::Password => password::on_control(app, c),
        Step::Test => test::on_control(app, c),
        Step::Send => send::on_control(app, c),
        Step::Summary => summary::on_control(app, c),
    }
}

pub fn on_enter(app: &mut App) -> Vec<Effect> {
    match app.step {
        Step::Test => test::start(app),
        Step::Send => send::enter(app),
        Step::Summary => summary::save(app),
        _ => Vec::new(),
    }
}

/// A result whose id was pending (the caller dropped the others).
pub fn on_result(app: &mut App, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::KeyringProbed { id, result } => password::on_keyring_probed(app, id, result),
        Msg::SignInPrompt { id, prompt } => {
            signin::on_prompt(app, id, prompt);
            Vec::new()
        }
        Msg::SignedIn { id, result } => signin::on_signed_in(app, id, result),
        Msg::Progress { id, progress } => {
            // Progress is not the end of the request: keep waiting for it.
            app.pending.insert(id);
            send::on_progress(app, id, &progress);
            test::on_progress(app, id, progress);
            Vec::new()
        }
        Msg::Checked { id, report } => test::on_checked(app, id, report),
        Msg::Sent {
            id,
            message,
            report,
        } => send::on_sent(app, id, message, report),
        Msg::Arrived { id, report } => send::on_arrived(app, id, report),
        Msg::ConfigWritten { id, result } if troubleshoot::owns_write(app, id) => {
            troubleshoot::on_written(app, result)
        }
        Msg::ConfigWritten { id, result } => summary::on_written(app, id, result),
        Msg::Diagnosed {
            id,
            report,
            password_note,
            oauth_finding,
        } => troubleshoot::on_diagnosed(app, id, report, password_note, oauth_finding),
        Msg::TranscriptSaved { id, path, result } => {
            troubleshoot::on_transcript_saved(app, id, path, result);
            Vec::new()
        }
        Msg::Discovery { id, event } => {
            crate::tui::discovery::on_event(app, id, event);
            Vec::new()
        }
        Msg::Discovered { id, report } => {
            crate::tui::discovery::on_report(app, id, *report);
            Vec::new()
        }
        // Routed by `update` (detection is not a pending request).
        Msg::Detected { .. } => Vec::new(),
        Msg::NoSecret { id, error, account } => {
            let detail = no_secret_text(app, &error, &account);
            test::on_failed(app, id, &detail);
            send::on_failed(app, id, &detail);
            Vec::new()
        }
        Msg::Failed { id, detail } => {
            test::on_failed(app, id, &detail);
            send::on_failed(app, id, &detail);
            summary::on_failed(app, id, &detail);
            password::on_failed(app, id, &detail);
            signin::on_failed(app, id, &detail);
            troubleshoot::on_failed(app, id, &detail);
            crate::tui::discovery::on_failed(app, id, &detail);
            Vec::new()
        }
        Msg::Key(_) | Msg::Tick => Vec::new(),
    }
}

/// Why a mail test has no secret, and what to do here (an OAuth2 account
/// that must sign in is sent back to the Sign-in step), in the app's
/// language.
fn no_secret_text(app: &App, e: &crate::credentials::CredentialError, account: &str) -> String {
    let advice = if e.needs_sign_in() {
        app.t("tui.signin.needed").to_string()
    } else {
        e.advice(app.lang, account)
    };
    format!("{} {advice}", e.localized(app.lang))
}

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    match app.step {
        Step::Welcome => welcome::render(app, frame, area),
        Step::Identity => identity::render(app, frame, area),
        Step::SettingsFound => settings_found::render(app, frame, area),
        Step::Protocol => protocol::render(app, frame, area),
        Step::Incoming => incoming::render(app, frame, area),
        Step::Outgoing => outgoing::render(app, frame, area),
        Step::Password => password::render(app, frame, area),
        Step::Test => test::render(app, frame, area),
        Step::Send => send::render(app, frame, area),
        Step::Summary => summary::render(app, frame, area),
    }
}

/// The step's own keys for the footer: (key, i18n label key).
pub fn keys(app: &App) -> Vec<(&'static str, &'static str)> {
    match app.step {
        Step::Welcome => welcome::keys(app),
        Step::Test => test::keys(app),
        Step::Send => send::keys(app),
        Step::Summary => summary::keys(app),
        Step::Password => password::keys(app),
        Step::SettingsFound => settings_found::keys(app),
        Step::Identity => identity::keys(app),
        _ => vec![
            ("Tab", "tui.key.move"),
            ("Enter", "tui.key.next"),
            ("Esc", "tui.key.back"),
        ],
    }
}
