//! Drawing helpers the steps share: a form (one row per field, its error
//! under it), wrapped text, and the spinner.

use super::app::App;
use super::field::{Field, Kind};
use crate::account::{Protocol, Security};
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Paragraph, Wrap};

pub const SPINNER: [&str; 8] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧"];

pub fn spinner(app: &App) -> &'static str {
    SPINNER[app.spinner % SPINNER.len()]
}

pub fn security_label(app: &App, s: Security) -> &'static str {
    app.t(match s {
        Security::Tls => "security.tls",
        Security::Starttls => "security.starttls",
        Security::None => "security.none",
    })
}

pub fn protocol_label(app: &App, p: Protocol) -> &'static str {
    app.t(match p {
        Protocol::Imap => "tui.protocol.imap_name",
        Protocol::Pop3 => "tui.protocol.pop_name",
    })
}

/// Wrapped text; returns the rows it takes at this width (word wrap, as
/// the paragraph draws it).
pub fn text_height(text: &Text, width: u16) -> u16 {
    if width == 0 {
        return 0;
    }
    let rows = paragraph(text.clone()).line_count(width);
    rows.min(u16::MAX as usize) as u16
}

pub fn paragraph<'a>(text: impl Into<Text<'a>>) -> Paragraph<'a> {
    Paragraph::new(text).wrap(Wrap { trim: false })
}

/// Draws the form's rows in `area`; the focused text field gets the cursor.
/// Returns the rows used.
pub fn form(app: &App, frame: &mut Frame, area: Rect, fields: &[Field]) -> u16 {
    let th = app.theme;
    let label_w = fields
        .iter()
        .filter(|f| !matches!(f.kind(), Kind::Check | Kind::Button))
        .map(|f| width(app.t(f.label_key())))
        .max()
        .unwrap_or(0)
        .min(area.width as usize / 2);
    let value_w = (area.width as usize).saturating_sub(label_w + 3);
    let focused = app.focused();
    let mut lines: Vec<Line> = Vec::new();
    let mut cursor: Option<Position> = None;
    for &field in fields {
        let is_focus = focused == Some(field) && app.modal.is_none();
        let value_style = if is_focus { th.focused() } else { th.value() };
        let marker = if is_focus { "›" } else { " " };
        let label = app.t(field.label_key());
        let mut spans = vec![Span::styled(marker, th.key())];
        match field.kind() {
            Kind::Check => {
                let on = check_value(app, field);
                let boxed = if on { "[x] " } else { "[ ] " };
                spans.push(Span::styled(format!(" {boxed}{label}"), value_style));
            }
            Kind::Button => {
                spans.push(Span::styled(format!(" [ {label} ]"), value_style));
            }
            Kind::Choice => {
                spans.push(Span::styled(pad(label, label_w), th.label()));
                spans.push(Span::raw(" "));
                spans.push(Span::styled(
                    format!("◀ {} ▶", choice_value(app, field)),
                    value_style,
                ));
            }
            Kind::Text | Kind::Secret => {
                spans.push(Span::styled(pad(label, label_w), th.label()));
                spans.push(Span::raw(" "));
                let (shown, cur) = text_value(app, field);
                let scroll = cur.saturating_sub(value_w.saturating_sub(1));
                let visible: String = shown.chars().skip(scroll).take(value_w).collect();
                let fill = value_w.saturating_sub(width(&visible));
                spans.push(Span::styled(
                    format!("{visible}{}", " ".repeat(fill)),
                    value_style,
                ));
                if is_focus {
                    let x = area.x as usize + 1 + label_w + 1 + cur - scroll;
                    let y = area.y as usize + lines.len();
                    if x < (area.x + area.width) as usize && y < (area.y + area.height) as usize {
                        cursor = Some(Position::new(x as u16, y as u16));
                    }
                }
            }
        }
        lines.push(Line::from(spans));
        let typed = app.form.input(field).is_some_and(|i| !i.value().is_empty());
        if let Some(err) = app.form.error(field).filter(|_| app.show_errors || typed) {
            let indent = " ".repeat(label_w + 2);
            lines.push(Line::from(vec![
                Span::raw(indent),
                Span::styled(format!("⚠ {}", app.t(err.i18n_key())), th.error()),
            ]));
        }
    }
    let used = (lines.len() as u16).min(area.height);
    frame.render_widget(Paragraph::new(lines), area);
    if let Some(pos) = cursor {
        frame.set_cursor_position(pos);
    }
    used
}

pub fn width(s: &str) -> usize {
    Span::raw(s).width()
}

fn pad(s: &str, w: usize) -> String {
    let mut out: String = s.chars().take(w.max(1)).collect();
    let w_now = width(&out);
    out.push_str(&" ".repeat(w.saturating_sub(w_now)));
    out
}

fn check_value(app: &App, field: Field) -> bool {
    let f = &app.form;
    match field {
        Field::KeepCopy => f.keep_copy,
        Field::AuthRequired => f.auth_required,
        Field::SameLogin => f.same_login,
        Field::ShowPassword => f.password.shown,
        Field::InPin => f.pins.0.is_some(),
        Field::OutPin => f.pins.1.is_some(),
        _ => false,
    }
}

fn choice_value(app: &App, field: Field) -> String {
    let f = &app.form;
    match field {
        Field::Protocol => protocol_label(app, f.protocol).to_string(),
        Field::InSecurity => security_label(app, f.in_security).to_string(),
        Field::OutSecurity => security_label(app, f.out_security).to_string(),
        Field::Variant => f
            .provider()
            .and_then(|p| p.variants.get(f.variant))
            .map(|v| v.label(app.lang).unwrap_or(&v.id).to_string())
            .unwrap_or_default(),
        Field::AuthMethod => app
            .t(match f.auth_method() {
                crate::account::AuthMethod::Oauth2 => "tui.signin.method_oauth2",
                _ => "tui.signin.method_password",
            })
            .to_string(),
        _ => String::new(),
    }
}

/// The text shown and the cursor column (in display cells).
fn text_value(app: &App, field: Field) -> (String, usize) {
    match field {
        Field::Password => {
            let d = app.form.password.display();
            let w = width(&d);
            (d, w)
        }
        Field::SmtpPassword => {
            let d = app.form.smtp_password.display();
            let w = width(&d);
            (d, w)
        }
        Field::ClientSecret => {
            let d = app.form.oauth.client_secret.display();
            let w = width(&d);
            (d, w)
        }
        _ => match app.form.input(field) {
            Some(i) => (i.value().to_string(), i.visual_cursor()),
            None => (String::new(), 0),
        },
    }
}

/// Splits `area` into the top `h` rows and the rest.
pub fn split_top(area: Rect, h: u16) -> (Rect, Rect) {
    let h = h.min(area.height);
    (
        Rect { height: h, ..area },
        Rect {
            y: area.y + h,
            height: area.height - h,
            ..area
        },
    )
}

/// Draws wrapped text at the top of `area` (plus `gap` blank rows) and
/// returns what is left below it.
pub fn block_text<'a>(frame: &mut Frame, area: Rect, text: impl Into<Text<'a>>, gap: u16) -> Rect {
    let text = text.into();
    let h = text_height(&text, area.width);
    let (top, rest) = split_top(area, h);
    frame.render_widget(paragraph(text), top);
    split_top(rest, gap).1
}
