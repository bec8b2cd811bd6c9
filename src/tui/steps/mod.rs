//! One file per step; this module only dispatches to them.

mod discovery_view;
mod identity;
mod incoming;
mod outgoing;
mod password;
mod protocol;
pub(super) mod send;
mod settings_found;
pub mod signin;
mod summary;
pub(super) mod test;
mod test_trust;
mod test_view;
mod welcome;

use super::app::{App, Stopped};
use super::field::Field;
use super::msg::{Control, Effect, Msg, Purpose, RequestId, WorkerDied};
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

/// A result for a pending request, given to the handler of what it was
/// for (`update` dropped the others). A message of another kind than the
/// purpose asks for cannot come (the runner answers each effect with its
/// own); it would be dropped.
pub fn on_result(app: &mut App, purpose: Purpose, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Failed { id, detail } => on_died(app, purpose, id, WorkerDied::new(&detail)),
        Msg::NoSecret { id, error, account } => {
            let why = Stopped::NoSecret { error, account };
            match purpose {
                Purpose::Check(side) => test::on_stopped(app, side, id, why),
                Purpose::SendTest | Purpose::Verify => send::on_stopped(app, id, why),
                _ => {}
            }
            Vec::new()
        }
        msg if troubleshoot_purpose(&purpose) => on_troubleshoot_result(app, purpose, msg),
        msg => on_step_result(app, purpose, msg),
    }
}

fn troubleshoot_purpose(purpose: &Purpose) -> bool {
    matches!(
        purpose,
        Purpose::PinSave | Purpose::Diagnose | Purpose::Transcript(_) | Purpose::Bundle(_)
    )
}

/// The results of the wizard's steps' requests.
fn on_step_result(app: &mut App, purpose: Purpose, msg: Msg) -> Vec<Effect> {
    match (purpose, msg) {
        (Purpose::KeyringProbe, Msg::KeyringProbed { id, result }) => {
            password::on_keyring_probed(app, id, result)
        }
        (Purpose::Check(side), Msg::Progress { id, progress }) => {
            test::on_progress(app, side, id, progress);
            Vec::new()
        }
        (Purpose::Check(side), Msg::Checked { id, report }) => {
            test::on_checked(app, side, id, report)
        }
        (Purpose::SendTest, Msg::Progress { id, progress }) => {
            send::on_progress(app, id, &progress);
            Vec::new()
        }
        (
            Purpose::SendTest,
            Msg::Sent {
                id,
                message,
                report,
            },
        ) => send::on_sent(app, id, message, report),
        (Purpose::Verify, Msg::Arrived { id, report }) => send::on_arrived(app, id, report),
        (Purpose::Save, Msg::ConfigWritten { id, result }) => summary::on_written(app, id, result),
        (Purpose::Remove, Msg::ConfigWritten { result, .. }) => {
            summary::on_removed(app, result);
            Vec::new()
        }
        (Purpose::Discover, Msg::Discovery { id, event }) => {
            crate::tui::discovery::on_event(app, id, event);
            Vec::new()
        }
        (Purpose::Discover, Msg::Discovered { id, report }) => {
            crate::tui::discovery::on_report(app, id, *report);
            Vec::new()
        }
        (Purpose::SignIn, Msg::SignInPrompt { id, prompt }) => {
            signin::on_prompt(app, id, prompt);
            Vec::new()
        }
        (Purpose::SignIn, Msg::SignedIn { id, result }) => signin::on_signed_in(app, id, result),
        (Purpose::RenewSignIn(then), Msg::SignInRenewed { result, .. }) => {
            crate::tui::signin_renew::on_renewed(app, then, result)
        }
        (Purpose::Detect, Msg::Detected { id, accounts }) => {
            crate::tui::app::on_detected(app, id, accounts);
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// The results of the troubleshooting screen's requests.
fn on_troubleshoot_result(app: &mut App, purpose: Purpose, msg: Msg) -> Vec<Effect> {
    match (purpose, msg) {
        (Purpose::PinSave, Msg::ConfigWritten { result, .. }) => {
            troubleshoot::on_written(app, result)
        }
        (
            Purpose::Diagnose,
            Msg::Diagnosed {
                id,
                report,
                password_note,
                oauth_finding,
            },
        ) => troubleshoot::on_diagnosed(app, id, report, password_note, oauth_finding),
        (
            purpose @ (Purpose::Transcript(_) | Purpose::Bundle(_)),
            Msg::TranscriptSaved { id, path, result },
        ) => {
            troubleshoot::on_transcript_saved(app, &purpose, id, path, result);
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// The request's background task died: its purpose says so (a bug in
/// mailwiz, with the panic's words), and nothing else changes.
fn on_died(app: &mut App, purpose: Purpose, id: RequestId, died: WorkerDied) -> Vec<Effect> {
    match purpose {
        Purpose::KeyringProbe => password::on_died(app, id, died),
        Purpose::Check(side) => test::on_stopped(app, side, id, Stopped::Died(died)),
        Purpose::SendTest | Purpose::Verify => send::on_stopped(app, id, Stopped::Died(died)),
        Purpose::Save => summary::on_died(app, id, died),
        Purpose::Remove => app.notice = Some("tui_routing.died.removal"),
        Purpose::PinSave | Purpose::Diagnose | Purpose::Transcript(_) | Purpose::Bundle(_) => {
            troubleshoot::on_died(app, &purpose, id, &died);
        }
        Purpose::Discover => crate::tui::discovery::on_died(app, id, died),
        Purpose::SignIn => signin::on_died(app, id, died),
        Purpose::RenewSignIn(_) => app.signin = crate::tui::SignInState::Died(died),
        // Detection died: stop saying it is running.
        Purpose::Detect => crate::tui::app::on_detected(app, id, Vec::new()),
    }
    Vec::new()
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

/// What stopped a mail request, in the app's language, under "the test
/// could not run": the no-secret text, or the dead task's.
pub fn stopped_text(app: &App, why: &Stopped) -> String {
    let detail = match why {
        Stopped::NoSecret { error, account } => no_secret_text(app, error, account),
        Stopped::Died(died) => died_text(app, died),
        Stopped::RenewalRefused => crate::tui::signin_renew::refusal_text(app),
    };
    app.tf("tui.test.crashed", &[("detail", &detail)])
}

/// A dead task, in the app's language: what happened (the panic's words
/// quoted) and what to do, to follow "… could not run:".
pub fn died_text(app: &App, died: &WorkerDied) -> String {
    format!(
        "{}. {}",
        died.localized(app.lang),
        WorkerDied::advice(app.lang)
    )
}

/// A dead task as a screen's own line (`key` takes `{died}`), with what
/// to do.
pub fn died_line(app: &App, key: &str, died: &WorkerDied) -> String {
    let what = app.tf(key, &[("died", &died.localized(app.lang))]);
    format!("{what} {}", WorkerDied::advice(app.lang))
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
