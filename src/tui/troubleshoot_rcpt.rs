//! The troubleshooting screen's recipient probe: A opens a field with an
//! address (the account's own by default); Enter runs the doctor again
//! with MAIL FROM / RCPT TO for it (nothing is sent), so a sending limit
//! or a refused recipient shows as a finding, as `doctor --rcpt` does.

use super::app::App;
use super::msg::{Control, Effect};
use super::theme::Theme;
use super::troubleshoot::start;
use crate::account::validate_email;
use ratatui::text::{Line, Span, Text};
use tui_input::Input;

/// The field while it is open.
#[derive(Debug, Clone, Default)]
pub struct RcptField {
    pub input: Input,
    /// Why the address was refused (an i18n key), after an Enter.
    pub error: Option<&'static str>,
}

/// A: the field, filled with the last address tried or the account's own.
pub fn open(app: &mut App) -> Vec<Effect> {
    let own = app.form.email().to_string();
    if let Some(ts) = app.troubleshoot.as_mut() {
        let value = ts.rcpt.clone().unwrap_or(own);
        ts.rcpt_field = Some(RcptField {
            input: Input::new(value),
            error: None,
        });
    }
    Vec::new()
}

/// Keys while the field is open: typing, Enter to run, Esc to close it.
pub fn on_control(app: &mut App, c: Control) -> Vec<Effect> {
    let Some(field) = app
        .troubleshoot
        .as_mut()
        .and_then(|ts| ts.rcpt_field.as_mut())
    else {
        return Vec::new();
    };
    match c {
        Control::Edit(req) => {
            field.input.handle(req);
            field.error = None;
        }
        Control::Confirm => {
            let addr = field.input.value().trim().to_string();
            if let Err(e) = validate_email(&addr) {
                field.error = Some(e.i18n_key());
                return Vec::new();
            }
            if let Some(ts) = app.troubleshoot.as_mut() {
                ts.rcpt_field = None;
                ts.rcpt = Some(addr);
            }
            return start(app);
        }
        Control::Back => {
            if let Some(ts) = app.troubleshoot.as_mut() {
                ts.rcpt_field = None;
            }
        }
        _ => {}
    }
    Vec::new()
}

/// The field's lines (label, value with a visible cursor, the error), and
/// the cursor's column in the value line.
pub fn field_text(app: &App, field: &RcptField) -> Text<'static> {
    let th: Theme = app.theme;
    let mut text = Text::from(Line::styled(app.t("tui_layout.rcpt.label"), th.value()));
    text.lines.push(Line::from(vec![
        Span::styled("› ", th.key()),
        Span::styled(format!("{} ", field.input.value()), th.focused()),
    ]));
    if let Some(key) = field.error {
        text.lines
            .push(Line::styled(format!("⚠ {}", app.t(key)), th.error()));
    }
    text
}

/// The status line after a run: which recipient was tried, or how to try one.
pub fn status_line(app: &App, rcpt: Option<&str>) -> Line<'static> {
    match rcpt {
        Some(addr) => Line::styled(
            app.tf("tui_layout.rcpt.tried", &[("address", addr)]),
            app.theme.muted(),
        ),
        None => Line::styled(app.t("tui_layout.rcpt.hint"), app.theme.key()),
    }
}
