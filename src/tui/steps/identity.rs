//! Step 2: display name and address, checked as typed.

use crate::account;
use crate::providers;
use crate::tui::app::App;
use crate::tui::discovery;
use crate::tui::field::Field;
use crate::tui::msg::{Control, Effect};
use crate::tui::step::Step;
use crate::tui::update::{form_control, goto, validate};
use crate::tui::widgets::{block_text, form, split_top};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Text};

pub fn on_control(app: &mut App, c: Control) -> Vec<Effect> {
    match c {
        Control::Confirm => {
            if !validate(app, &[Field::Email]) {
                return Vec::new();
            }
            let email = app.form.email().to_string();
            let keep = (app.editing.is_some()
                && app
                    .config
                    .find(app.editing.as_deref().unwrap_or(""))
                    .is_some_and(|a| a.email == email))
                || (app.imported.is_some() && app.form.name == email);
            let mut effects = if keep {
                let stop = discovery::cancel(app);
                app.discovery = Default::default();
                stop
            } else {
                // A known preset shows at once; discovery runs behind it.
                app.form.apply_preset();
                discovery::start(app)
            };
            effects.extend(goto(app, Step::SettingsFound));
            effects
        }
        Control::Back => goto(app, Step::Welcome),
        // F3: edit the saved account that has this address instead.
        Control::Fkey(3) => {
            if let Some(saved) = existing(app).cloned() {
                let form = crate::tui::form::Form::from_account(&saved);
                super::welcome::begin(app, form, crate::tui::app::Flow::Setup, Some(saved.name));
                app.focus = 1;
            }
            Vec::new()
        }
        c => {
            form_control(app, c);
            Vec::new()
        }
    }
}

/// A saved account with the typed address, other than the one edited.
pub fn existing(app: &App) -> Option<&crate::account::Account> {
    let email = app.form.email().trim();
    if email.is_empty() {
        return None;
    }
    app.accounts()
        .iter()
        .find(|a| a.email.eq_ignore_ascii_case(email) && app.editing.as_deref() != Some(&a.name))
}

pub fn keys(app: &App) -> Vec<(&'static str, &'static str)> {
    let mut keys = vec![
        ("Tab", "tui.key.move"),
        ("Enter", "tui.key.next"),
        ("Esc", "tui.key.back"),
    ];
    if existing(app).is_some() {
        keys.insert(0, ("F3", "tui_layout.identity.key_edit"));
    }
    keys
}

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let th = app.theme;
    let rest = block_text(
        frame,
        area,
        Text::styled(app.t("tui.identity.intro"), th.value()),
        1,
    );
    let used = form(app, frame, rest, &[Field::DisplayName, Field::Email]);
    let email = app.form.email();
    if account::validate_email(email).is_ok() {
        let hint = match providers::for_email(email) {
            Some(p) => Line::styled(
                app.tf("tui.identity.known", &[("provider", &p.name)]),
                th.ok(),
            ),
            None => Line::styled(app.t("tui.identity.unknown"), th.muted()),
        };
        let mut text = Text::from(hint);
        if let Some(saved) = existing(app) {
            text.lines.push(Line::default());
            text.lines.push(Line::styled(
                app.tf("tui_layout.identity.exists", &[("name", &saved.name)]),
                th.warn(),
            ));
        }
        block_text(frame, split_top(rest, used + 1).1, text, 0);
    }
}
