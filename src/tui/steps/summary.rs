//! Step 10: save the account with the passwords typed in this run (the
//! core writes both under the file's lock, as one step; a file that does
//! not load is never overwritten) and show where everything went. Never
//! the password.

use crate::account::{Account, Role};
use crate::config::Config;
use crate::secrets::{SERVICE, entry_user};
use crate::service::NewSecrets;
use crate::service::ServiceError;
use crate::tui::app::{App, KeyringState, SaveState, SideRun};
use crate::tui::msg::{Control, Effect, Purpose, RequestId, WorkerDied};
use crate::tui::step::Step;
use crate::tui::update::{goto, on_control as global};
use crate::tui::widgets::{block_text, protocol_label, security_label, spinner};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Text};

pub fn save(app: &mut App) -> Vec<Effect> {
    let id = app.request_id(Purpose::Save);
    app.save = SaveState::Saving(id);
    vec![Effect::SaveAccount {
        id,
        path: app.config_path.clone(),
        account: Box::new(app.form.account()),
        secrets: Box::new(typed_secrets(app)),
    }]
}

/// The secrets of this run, for the keyring: an OAuth2 account's tokens
/// and typed client secret; else the passwords typed (none for a password
/// command, or an edited account that keeps its own).
fn typed_secrets(app: &App) -> NewSecrets {
    if crate::tui::signin::is_oauth(app) {
        let secret = &app.form.oauth.client_secret;
        return NewSecrets {
            oauth_tokens: app.form.oauth.tokens.clone(),
            oauth_client_secret: (!secret.is_empty()).then(|| secret.secret().clone()),
            ..NewSecrets::default()
        };
    }
    let keyring_in_use = matches!(app.keyring, KeyringState::Stored);
    if !keyring_in_use || app.form.password.is_empty() {
        return NewSecrets::default();
    }
    let separate = app.form.separate_smtp_password() && !app.form.smtp_password.is_empty();
    NewSecrets {
        incoming: Some(app.form.password.secret().clone()),
        smtp: separate.then(|| app.form.smtp_password.secret().clone()),
        ..NewSecrets::default()
    }
}

pub fn on_written(
    app: &mut App,
    id: RequestId,
    result: Result<Config, ServiceError>,
) -> Vec<Effect> {
    if !matches!(app.save, SaveState::Saving(s) if s == id) {
        return Vec::new();
    }
    match result {
        Ok(config) => {
            app.config = config;
            app.config_error = None;
            app.save = SaveState::Saved;
            app.dirty = false;
        }
        Err(e) => app.save = SaveState::Failed(e),
    }
    Vec::new()
}

/// The removal asked for on the welcome screen was written (or not).
pub fn on_removed(app: &mut App, result: Result<Config, ServiceError>) {
    match result {
        Ok(config) => {
            app.config = config;
            app.selected = app
                .selected
                .min(app.config.accounts.len().saturating_sub(1));
            app.notice = Some("tui.welcome.removed");
        }
        Err(_) => app.notice = Some("tui.welcome.remove_failed"),
    }
}

/// The save's task died: said as a bug (R tries again), not as an error
/// of the file.
pub fn on_died(app: &mut App, id: RequestId, died: WorkerDied) {
    if matches!(app.save, SaveState::Saving(s) if s == id) {
        app.save = SaveState::Died(died);
    }
}

pub fn on_control(app: &mut App, c: Control) -> Vec<Effect> {
    match (&app.save, c) {
        (SaveState::Saving(_), _) => Vec::new(),
        (SaveState::Failed(_) | SaveState::Died(_), Control::Char('r')) => save(app),
        (SaveState::Failed(_) | SaveState::Died(_), Control::Back) => goto(app, Step::Send),
        (_, Control::Confirm) => {
            app.selected = 0;
            goto(app, Step::Welcome)
        }
        (_, Control::Char('q')) => global(app, Control::Quit),
        _ => Vec::new(),
    }
}

pub fn keys(app: &App) -> Vec<(&'static str, &'static str)> {
    match app.save {
        SaveState::Saving(_) => Vec::new(),
        SaveState::Failed(_) | SaveState::Died(_) => {
            vec![("R", "tui.summary.key_retry"), ("Esc", "tui.key.back")]
        }
        _ => vec![("Enter", "tui.summary.key_home"), ("Q", "tui.key.quit")],
    }
}

/// Both checks passed with a login, and the test message went out.
fn tests_passed(app: &App) -> bool {
    super::test::all_passed(app) && app.send.report.as_ref().is_some_and(|r| r.ok)
}

fn check_state(app: &App, run: &SideRun) -> &'static str {
    app.t(if run.ok() && super::test::login_untested(run) {
        "tui_test.state.untested"
    } else if run.ok() {
        "tui_test.state.ok"
    } else if super::test::failed(run) {
        "tui_test.state.failed"
    } else {
        "tui_test.state.not_run"
    })
}

/// What was set up (protocol, servers, ports, security, login) and how
/// each test went (✓, ✗, not run), so a failure is never hidden behind
/// "saved".
fn settings_lines(app: &App, account: &Account) -> Vec<Line<'static>> {
    let th = app.theme;
    let (inc, smtp) = (&account.incoming, &account.smtp);
    let smtp_login = if smtp.auth_required {
        smtp.username.clone()
    } else {
        app.t("tui_test.summary.no_login").to_string()
    };
    let send = app.t(match &app.send.report {
        Some(r) if r.ok => "tui_test.state.ok",
        Some(_) => "tui_test.state.failed",
        None => "tui_test.state.not_run",
    });
    let tests = app.tf(
        "tui_test.summary.tests",
        &[
            ("incoming", check_state(app, &app.incoming)),
            ("smtp", check_state(app, &app.smtp)),
            ("send", send),
        ],
    );
    let style = if tests_passed(app) {
        th.value()
    } else {
        th.warn()
    };
    vec![
        Line::styled(
            app.tf(
                "tui_test.summary.incoming",
                &[
                    ("protocol", protocol_label(app, inc.protocol)),
                    ("host", &inc.host),
                    ("port", &inc.port.to_string()),
                    ("security", security_label(app, inc.security)),
                    ("user", &inc.username),
                ],
            ),
            th.value(),
        ),
        Line::styled(
            app.tf(
                "tui_test.summary.smtp",
                &[
                    ("host", &smtp.host),
                    ("port", &smtp.port.to_string()),
                    ("security", security_label(app, smtp.security)),
                    ("user", &smtp_login),
                ],
            ),
            th.value(),
        ),
        Line::styled(tests, style),
        Line::default(),
    ]
}

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let th = app.theme;
    let account = app.form.account();
    let mut text = Text::from(save_state_lines(app, &account));
    text.lines.push(Line::default());
    text.lines.extend(settings_lines(app, &account));
    let path = app.config_path.display().to_string();
    text.lines.push(Line::styled(
        app.tf("tui.summary.config_path", &[("path", &path)]),
        th.value(),
    ));
    text.lines
        .push(Line::styled(secret_place(app, &account), th.value()));
    text.lines
        .push(Line::styled(app.t("tui.summary.no_password"), th.muted()));
    text.lines.push(Line::default());
    text.lines.push(Line::styled(
        app.tf("tui.summary.next", &[("name", &account.name)]),
        th.muted(),
    ));
    block_text(frame, area, text, 0);
}

/// Saving, saved (tested or not), or why not.
fn save_state_lines(app: &App, account: &Account) -> Vec<Line<'static>> {
    let th = app.theme;
    match &app.save {
        SaveState::NotYet => Vec::new(),
        SaveState::Saving(_) => vec![Line::styled(
            format!("{} {}", spinner(app), app.t("tui.summary.saving")),
            th.value(),
        )],
        SaveState::Failed(e) => {
            let mut lines = vec![
                Line::styled(app.t("tui.summary.failed"), th.error()),
                Line::styled(e.localized(app.lang), th.error()),
            ];
            if let Some(advice) = e.advice(app.lang) {
                lines.push(Line::styled(advice, th.value()));
            }
            lines
        }
        SaveState::Died(died) => {
            let line = super::died_line(app, "tui_routing.died.save", died);
            vec![Line::styled(line, th.error())]
        }
        SaveState::Saved if tests_passed(app) => vec![Line::styled(
            app.tf("tui.summary.saved", &[("name", &account.name)]),
            th.ok(),
        )],
        SaveState::Saved => vec![Line::styled(
            app.tf(
                "tui_test.summary.saved_untested",
                &[("name", &account.name)],
            ),
            th.warn(),
        )],
    }
}

/// Where the account's secret is: the keyring entries, or its command.
fn secret_place(app: &App, account: &Account) -> String {
    if account.signs_in_with_oauth2() {
        let mut entries = vec![crate::oauth::entry_user(&account.name)];
        if app.form.oauth.secret_stored {
            entries.push(crate::oauth::client_secret_entry(&account.name));
        }
        return app.tf(
            "tui.summary.keyring",
            &[("service", SERVICE), ("entries", &entries.join(", "))],
        );
    }
    if let (KeyringState::Command | KeyringState::Idle, Some(cmd)) =
        (&app.keyring, &account.secrets.password_command)
    {
        return app.tf("tui.summary.command", &[("command", cmd)]);
    }
    let mut entries = vec![entry_user(&account.name, Role::Incoming)];
    if account.smtp_secret_role() == Role::Smtp {
        entries.push(entry_user(&account.name, Role::Smtp));
    }
    app.tf(
        "tui.summary.keyring",
        &[("service", SERVICE), ("entries", &entries.join(", "))],
    )
}
