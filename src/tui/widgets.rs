//! Drawing helpers the steps share: a form (one row per field, its error
//! under it), wrapped text, the spinner, scrolled text with a "more"
//! marker ([`Scroll`], [`scrolled`]), footer hints that fit, and URLs on
//! rows of their own (from `url`).

use super::app::App;
use super::field::{Field, Kind};
use crate::account::{Protocol, Security};
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Paragraph, Wrap};

pub use super::url::{hyperlinks_from_env, url_height, url_rows};

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
                if visible.is_empty() && !is_focus {
                    // An empty field shows where it is, focused or not.
                    spans.push(Span::styled("_".repeat(value_w.min(24)), th.muted()));
                } else {
                    spans.push(Span::styled(
                        format!("{visible}{}", " ".repeat(fill)),
                        value_style,
                    ));
                }
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

/// How far a scrollable text is scrolled: kept in the state (`App::scroll`
/// for the current screen's body and its pop-ups) and reset when the
/// screen changes.
///
/// API, for any screen whose text may not fit:
/// - keys: `scroll.lines(-1)` / `scroll.lines(1)` for ↑/↓ and
///   `scroll.pages(-1)` / `scroll.pages(1)` for PgUp/PgDn (the global
///   `update` already sends PgUp/PgDn here); `reset()` on a new screen;
/// - drawing: [`scrolled`] (or [`scrolled_from`] with a base row, for a
///   list that keeps its selection in view) draws the text from the
///   offset and, when it does not fit, a "more" marker on the bottom row.
///
/// The page size and the last offset are the ones the latest draw found
/// (`Cell`s written by the draw), so a key never scrolls past the text and
/// drawing stays a function of the state.
#[derive(Debug, Default, Clone)]
pub struct Scroll {
    offset: u16,
    /// (page rows, largest useful offset) seen by the last draw.
    seen: std::cell::Cell<(u16, u16)>,
}

impl Scroll {
    pub fn offset(&self) -> u16 {
        self.offset
    }

    pub fn reset(&mut self) {
        self.offset = 0;
    }

    /// Moves by `n` rows (negative: up), within what the last draw showed.
    pub fn lines(&mut self, n: i32) {
        let (_, max) = self.seen.get();
        let next = (i32::from(self.offset) + n).clamp(0, i32::from(max));
        self.offset = u16::try_from(next).unwrap_or(0);
    }

    /// Moves by `n` pages (a page is the visible height less one row, so
    /// one row of context stays on screen).
    pub fn pages(&mut self, n: i32) {
        let (page, _) = self.seen.get();
        self.lines(n * i32::from(page.saturating_sub(1).max(1)));
    }

    /// True when the last draw had text below the visible rows.
    pub fn more_below(&self) -> bool {
        self.offset < self.seen.get().1
    }
}

/// Draws `text` wrapped to `area`, scrolled by `scroll`; see [`Scroll`].
/// Returns true when the text did not fit (a marker was drawn).
pub fn scrolled<'a>(
    app: &App,
    frame: &mut Frame,
    area: Rect,
    text: impl Into<Text<'a>>,
    scroll: &Scroll,
) -> bool {
    scrolled_from(app, frame, area, text.into(), 0, scroll)
}

/// [`scrolled`], starting `base` rows down (a list scrolled so its
/// selection shows); the user's scroll adds to it.
pub fn scrolled_from(
    app: &App,
    frame: &mut Frame,
    area: Rect,
    text: Text<'_>,
    base: u16,
    scroll: &Scroll,
) -> bool {
    let total = text_height(&text, area.width);
    if total <= area.height {
        scroll.seen.set((area.height, 0));
        frame.render_widget(paragraph(text), area);
        return false;
    }
    // The bottom row is the marker's, never text's.
    let (body, marker) = split_top(area, area.height.saturating_sub(1));
    let max = total.saturating_sub(body.height);
    let base = base.min(max);
    scroll.seen.set((body.height, max.saturating_sub(base)));
    let offset = base.saturating_add(scroll.offset).min(max);
    frame.render_widget(paragraph(text).scroll((offset, 0)), body);
    let key = match (offset > 0, offset < max) {
        (true, true) => "tui_layout.more_both",
        (true, false) => "tui_layout.more_above",
        _ => "tui_layout.more_below",
    };
    frame.render_widget(
        Line::styled(app.t(key), app.theme.key()).alignment(ratatui::layout::Alignment::Right),
        marker,
    );
    true
}

/// A footer key's name in the user's language (Enter → Entrée).
pub fn key_name(app: &App, key: &'static str) -> &'static str {
    match key {
        "Enter" => app.t("tui_layout.keyname.enter"),
        "Esc" => app.t("tui_layout.keyname.esc"),
        "Tab" => app.t("tui_layout.keyname.tab"),
        "Space" => app.t("tui_layout.keyname.space"),
        "PgUp/PgDn" => app.t("tui_layout.keyname.pages"),
        other => other,
    }
}

/// The hints that fit in `room` columns, whole: "F1 help" always stays
/// (it explains everything dropped); the others go, least important
/// first (`drop_first`), then from the end of the list, Esc last.
pub fn fit_hints(
    app: &App,
    mut hints: Vec<(&'static str, &'static str)>,
    room: usize,
    drop_first: &[&str],
) -> Vec<(&'static str, &'static str)> {
    let cost = |hints: &[(&'static str, &'static str)]| -> usize {
        hints
            .iter()
            .map(|(k, l)| width(key_name(app, k)) + 1 + width(app.t(l)))
            .sum::<usize>()
            + 2 * hints.len().saturating_sub(1)
    };
    for label in drop_first {
        if cost(&hints) <= room {
            return hints;
        }
        hints.retain(|(_, l)| l != label);
    }
    // Then the last hint that is neither F1 nor Esc (the way back), and
    // only then Esc.
    while cost(&hints) > room && hints.len() > 1 {
        let Some(i) = hints
            .iter()
            .rposition(|(k, _)| !matches!(*k, "F1" | "Esc"))
            .or_else(|| hints.iter().rposition(|(k, _)| *k != "F1"))
        else {
            break;
        };
        hints.remove(i);
    }
    hints
}
