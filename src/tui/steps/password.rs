//! Step 7: the password, masked. Enter proves the OS keyring can take it;
//! the password stays in memory for the tests and is written to the
//! keyring only by the save (an abandoned run changes no saved secret).
//! When the keyring cannot be used: why, what to do, and a
//! `password_command` instead.
//! The password is never written to a file. An OAuth2 account gets the
//! Sign-in step instead (`signin.rs`); the choice is a field here and there.

use crate::secrets::SecretsError;
use crate::tui::app::{App, KeyringState};
use crate::tui::field::Field;
use crate::tui::msg::{Control, Effect, Purpose, RequestId, WorkerDied};
use crate::tui::step::Step;
use crate::tui::update::{form_control, goto};
use crate::tui::widgets::{block_text, form, spinner, split_top};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Text};

pub fn fields(app: &App) -> Vec<Field> {
    if crate::tui::signin::is_oauth(app) {
        return super::signin::fields(app);
    }
    let mut f = vec![Field::Password];
    if app.form.separate_smtp_password() {
        f.push(Field::SmtpPassword);
    }
    f.push(Field::ShowPassword);
    if super::signin::method_choice(app) {
        f.push(Field::AuthMethod);
    }
    if matches!(app.keyring, KeyringState::Failed(_) | KeyringState::Command) {
        f.push(Field::PasswordCommand);
    }
    f
}

fn keyring_failed(app: &App) -> bool {
    matches!(app.keyring, KeyringState::Failed(_) | KeyringState::Command)
}

/// Nothing typed: an edited account keeps the password it has.
fn keeps_stored(app: &App) -> bool {
    app.editing.is_some() && app.form.password.is_empty() && app.form.smtp_password.is_empty()
}

pub fn on_control(app: &mut App, c: Control) -> Vec<Effect> {
    if crate::tui::signin::is_oauth(app) {
        return super::signin::on_control(app, c);
    }
    let focused = app.focused();
    match c {
        Control::Confirm => confirm(app),
        Control::Back => {
            if let KeyringState::Storing(id) = app.keyring {
                app.pending.remove(&id);
                app.keyring = KeyringState::Idle;
            }
            goto(app, Step::Outgoing)
        }
        c => {
            form_control(app, c);
            let cycled = matches!(c, Control::Left | Control::Right | Control::Toggle);
            if cycled && focused == Some(Field::AuthMethod) {
                super::signin::refocus(app);
            }
            Vec::new()
        }
    }
}

fn confirm(app: &mut App) -> Vec<Effect> {
    if matches!(app.keyring, KeyringState::Storing(_)) {
        return Vec::new();
    }
    if keyring_failed(app) {
        if app.form.password_command.value().trim().is_empty() {
            app.show_errors = true;
            app.focus = fields(app).len() - 1;
            return Vec::new();
        }
        app.keyring = KeyringState::Command;
        return goto(app, Step::Test);
    }
    if keeps_stored(app) {
        return goto(app, Step::Test);
    }
    let separate = app.form.separate_smtp_password();
    if app.form.password.is_empty() || (separate && app.form.smtp_password.is_empty()) {
        app.show_errors = true;
        app.focus = usize::from(!app.form.password.is_empty());
        return Vec::new();
    }
    let id = app.request_id(Purpose::KeyringProbe);
    app.keyring = KeyringState::Storing(id);
    vec![Effect::ProbeKeyring { id }]
}

pub fn on_keyring_probed(app: &mut App, id: u64, result: Result<(), SecretsError>) -> Vec<Effect> {
    if !matches!(app.keyring, KeyringState::Storing(s) if s == id) {
        return Vec::new();
    }
    match result {
        Ok(()) => {
            app.keyring = KeyringState::Stored;
            app.form.password_command = tui_input::Input::default();
            goto(app, Step::Test)
        }
        Err(e) => {
            app.keyring = KeyringState::Failed(e);
            if app.step == Step::Password {
                app.focus = fields(app).len() - 1;
            }
            Vec::new()
        }
    }
}

/// The probe's task died: said as a bug (Enter tries again), not as an
/// answer of the keyring.
pub fn on_died(app: &mut App, id: RequestId, died: WorkerDied) {
    if matches!(app.keyring, KeyringState::Storing(s) if s == id) {
        app.keyring = KeyringState::Died(died);
    }
}

pub fn keys(app: &App) -> Vec<(&'static str, &'static str)> {
    if crate::tui::signin::is_oauth(app) {
        return super::signin::keys(app);
    }
    vec![
        ("Tab", "tui.key.move"),
        ("F2", "tui.password.key_reveal"),
        ("Enter", "tui.password.key_store"),
        ("Esc", "tui.key.back"),
    ]
}

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    if crate::tui::signin::is_oauth(app) {
        return super::signin::render(app, frame, area);
    }
    let th = app.theme;
    let mut intro = Text::styled(app.t("tui.password.intro"), th.value());
    if app.editing.is_some() {
        intro
            .lines
            .push(Line::styled(app.t("tui.password.keep"), th.muted()));
    }
    let rest = block_text(frame, area, intro, 1);
    let fields = fields(app);
    let used = form(app, frame, rest, &fields);
    let rest = split_top(rest, used).1;
    let mut text = Text::default();
    if app.show_errors && app.form.password.is_empty() && !keeps_stored(app) {
        text.lines
            .push(Line::styled(app.t("tui.password.empty"), th.error()));
    }
    text.lines.push(Line::default());
    let smtp_key = if app.form.separate_smtp_password() {
        "tui.password.smtp_separate"
    } else {
        "tui.password.smtp_same"
    };
    text.lines.push(Line::styled(app.t(smtp_key), th.muted()));
    if let Some(p) = app.form.provider() {
        let name = [("provider", p.name.as_str())];
        if p.oauth2_only {
            text.lines.push(Line::styled(
                app.tf("tui.password.oauth2_only", &name),
                th.warn(),
            ));
        } else if p.needs_app_password() {
            text.lines.push(Line::styled(
                app.tf("tui.password.app_password", &name),
                th.warn(),
            ));
            if let Some(url) = &p.app_password_url {
                text.lines.push(Line::styled(url.clone(), th.muted()));
            }
        }
    }
    match &app.keyring {
        KeyringState::Storing(_) => {
            text.lines.push(Line::styled(
                format!("{} {}", spinner(app), app.t("tui.password.storing")),
                th.value(),
            ));
        }
        KeyringState::Failed(e) => {
            text.lines
                .push(Line::styled(e.localized(app.lang), th.error()));
            text.lines
                .push(Line::styled(e.advice(app.lang), th.muted()));
            text.lines
                .push(Line::styled(app.t("tui.password.use_command"), th.value()));
        }
        KeyringState::Died(died) => {
            text.lines.push(Line::styled(
                super::died_line(app, "tui_routing.died.keyring", died),
                th.error(),
            ));
        }
        KeyringState::Command => {
            text.lines
                .push(Line::styled(app.t("tui.password.use_command"), th.value()));
        }
        KeyringState::Idle | KeyringState::Stored => {}
    }
    block_text(frame, rest, text, 0);
}
