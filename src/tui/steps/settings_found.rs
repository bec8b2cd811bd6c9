//! Step 3: the preset for the address (or guesses), with where each value
//! comes from; entering everything by hand is always possible.

use crate::account::domain_of;
use crate::tui::app::App;
use crate::tui::field::Field;
use crate::tui::form::Source;
use crate::tui::msg::{Control, Effect};
use crate::tui::step::Step;
use crate::tui::update::{form_control, goto};
use crate::tui::widgets::{block_text, form, protocol_label, security_label, split_top};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span, Text};

pub fn fields(app: &App) -> Vec<Field> {
    match app.form.provider() {
        Some(p) if p.variants.len() > 1 => vec![Field::Variant],
        _ => Vec::new(),
    }
}

pub fn on_control(app: &mut App, c: Control) -> Vec<Effect> {
    match c {
        Control::Confirm => goto(app, Step::Protocol),
        Control::Char('m') => {
            app.form.go_manual();
            app.dirty = true;
            goto(app, Step::Protocol)
        }
        Control::Back => goto(app, Step::Identity),
        c => {
            form_control(app, c);
            Vec::new()
        }
    }
}

pub fn keys(_app: &App) -> Vec<(&'static str, &'static str)> {
    vec![
        ("Enter", "tui.settings_found.key_use"),
        ("M", "tui.settings_found.key_manual"),
        ("Esc", "tui.key.back"),
    ]
}

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let th = app.theme;
    let f = &app.form;
    let (intro, source) = match f.source {
        Source::Preset(p) => (
            app.tf("tui.settings_found.from_preset", &[("provider", &p.name)]),
            app.tf("tui.source.preset", &[("provider", &p.name)]),
        ),
        Source::Manual if app.editing.is_some() => (
            app.t("tui.settings_found.saved").to_string(),
            app.t("tui.source.manual").to_string(),
        ),
        Source::Manual => (
            app.tf(
                "tui.settings_found.none",
                &[("domain", domain_of(f.email()))],
            ),
            app.t("tui.source.guess").to_string(),
        ),
    };
    let mut rest = block_text(frame, area, Text::styled(intro, th.value()), 1);
    let fields = fields(app);
    if !fields.is_empty() {
        let used = form(app, frame, rest, &fields);
        rest = split_top(rest, used + 1).1;
    }
    let row = |label: &str, value: String| {
        Line::from(vec![
            Span::styled(format!("{label}: "), th.label()),
            Span::styled(value, th.value()),
            Span::styled(format!("  ({source})"), th.muted()),
        ])
    };
    let mut text = Text::default();
    text.lines.push(row(
        app.t("tui.settings_found.incoming"),
        format!(
            "{} {}:{} {}",
            protocol_label(app, f.protocol),
            f.in_host.value(),
            f.in_port.value(),
            security_label(app, f.in_security)
        ),
    ));
    text.lines.push(row(
        app.t("tui.settings_found.outgoing"),
        format!(
            "{}:{} {}",
            f.out_host.value(),
            f.out_port.value(),
            security_label(app, f.out_security)
        ),
    ));
    text.lines.push(row(
        app.t("tui.field.username"),
        f.in_user.value().to_string(),
    ));
    rest = block_text(frame, rest, text, 1);
    if let Some(p) = f.provider() {
        let mut notes = Text::default();
        if p.oauth2_only {
            notes.lines.push(Line::styled(
                app.t("tui.settings_found.oauth2_only"),
                th.warn(),
            ));
        }
        notes.lines.push(Line::styled(
            p.notes(app.lang).trim().to_string(),
            th.muted(),
        ));
        notes.lines.push(Line::styled(
            app.tf("tui.settings_found.help_url", &[("url", &p.help_url)]),
            th.muted(),
        ));
        block_text(frame, rest, notes, 0);
    }
}
