//! Step 3: the preset for the address at once, and discovery running
//! behind it with each source's live status; then the best candidate, with
//! where each value comes from, the others on request (N, O), and entering
//! everything by hand always possible.

use super::discovery_view as dv;
use crate::account::domain_of;
use crate::tui::app::App;
use crate::tui::discovery;
use crate::tui::field::Field;
use crate::tui::form::Source;
use crate::tui::msg::{Control, Effect};
use crate::tui::step::Step;
use crate::tui::update::{form_control, goto};
use crate::tui::widgets::{
    block_text, form, protocol_label, scrolled, security_label, split_top, url_height, url_rows,
};
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
    let d = &app.discovery;
    let several = d.candidates().len() > 1;
    match c {
        // Leaving stops a run still going: its late results are dropped.
        Control::Confirm => {
            let mut effects = discovery::cancel(app);
            effects.extend(goto(app, Step::Protocol));
            effects
        }
        Control::Char('m') => {
            let mut effects = discovery::cancel(app);
            app.form.go_manual();
            app.dirty = true;
            effects.extend(goto(app, Step::Protocol));
            effects
        }
        Control::Back if d.running() => discovery::cancel(app),
        Control::Back => {
            let effects = goto(app, Step::Identity);
            // Back to change the address: the cursor is in it.
            app.focus = 1;
            effects
        }
        // Autodiscover's redirect to another domain: Y (O in French) follows it.
        Control::Char('y' | 'o') if asks_redirect(app, c) => discovery::follow_redirect(app),
        Control::Char('n') if discovery::redirect_question(app).is_some() => {
            discovery::decline_redirect(app);
            Vec::new()
        }
        Control::Char('r') if !d.running() && !d.idle() => discovery::start(app),
        Control::Char('n') if several => {
            discovery::next(app, true);
            Vec::new()
        }
        Control::Char('o') if several => {
            app.discovery.list = !app.discovery.list;
            Vec::new()
        }
        Control::Up | Control::Down if d.list && several => {
            discovery::next(app, c == Control::Down);
            Vec::new()
        }
        // Long notes and source lists scroll.
        Control::Up | Control::Down => {
            app.scroll.lines(if c == Control::Up { -1 } else { 1 });
            Vec::new()
        }
        c => {
            form_control(app, c);
            Vec::new()
        }
    }
}

/// The key that says yes in the user's language: Y, or O in French
/// ("oui"), where O otherwise opens the list.
fn yes_key(app: &App) -> (char, &'static str) {
    match app.lang {
        crate::i18n::Lang::Fr => ('o', "O"),
        crate::i18n::Lang::En => ('y', "Y"),
    }
}

/// Whether `c` answers yes to the redirect question now shown (Y always
/// does, the French O too).
fn asks_redirect(app: &App, c: Control) -> bool {
    (c == Control::Char(yes_key(app).0) || c == Control::Char('y'))
        && discovery::redirect_question(app).is_some()
}

pub fn keys(app: &App) -> Vec<(&'static str, &'static str)> {
    if discovery::redirect_question(app).is_some() {
        let yes = yes_key(app).1;
        return vec![
            (yes, "discover.wizard.key_follow"),
            ("N", "discover.wizard.key_decline"),
            ("Enter", "tui.discovery.key_use"),
            ("M", "tui.settings_found.key_manual"),
            ("Esc", "tui.key.back"),
        ];
    }
    let d = &app.discovery;
    // With discovery's keys the footer needs the short label.
    let use_key = if d.idle() {
        "tui.settings_found.key_use"
    } else {
        "tui.discovery.key_use"
    };
    let mut keys = vec![("Enter", use_key)];
    if d.candidates().len() > 1 {
        keys.push(("N", "tui.discovery.key_next"));
    }
    if !d.running() && (d.cancelled || d.crashed.is_some()) {
        keys.push(("R", "tui.discovery.key_retry"));
    }
    keys.push(("M", "tui.settings_found.key_manual"));
    if d.running() {
        keys.push(("Esc", "tui.discovery.key_stop"));
    } else {
        keys.push(("Esc", "tui.key.back"));
    }
    keys
}

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let th = app.theme;
    let (intro, source) = intro_and_source(app);
    let mut rest = block_text(frame, area, Text::styled(intro, th.value()), 1);
    let fields = fields(app);
    if !fields.is_empty() {
        let used = form(app, frame, rest, &fields);
        rest = split_top(rest, used + 1).1;
    }
    let mut text = settings_rows(app, &source);
    text.lines.extend(dv::provenance(app).lines);
    let mut found = if app.discovery.list {
        dv::list(app)
    } else {
        dv::sources(app, rest.width)
    };
    found.lines.extend(dv::status(app));
    if !found.lines.is_empty() {
        text.lines.push(Line::default());
        text.lines.extend(found.lines);
    }
    let url = provider_notes(app, &mut text);
    // The help page's URL: last, on rows of its own across the screen.
    if let Some(url) = url {
        let rows = url_height(frame.area().width, url);
        let (top, bottom) = split_top(rest, rest.height.saturating_sub(rows + 1));
        scrolled(app, frame, top, text, &app.scroll);
        frame.render_widget(
            Line::styled(app.t("tui.settings_found.help_url"), th.muted()),
            bottom,
        );
        url_rows(app, frame, bottom.y + 1, url);
    } else {
        scrolled(app, frame, rest, text, &app.scroll);
    }
}

/// The screen's first sentence, and where the values come from.
fn intro_and_source(app: &App) -> (String, String) {
    let f = &app.form;
    match f.source {
        _ if app.imported.is_some() => (
            app.tf(
                "tui.settings_found.imported",
                &[("from", app.imported.as_deref().unwrap_or_default())],
            ),
            app.t("tui.source.imported").to_string(),
        ),
        Source::Preset(p) => (
            app.tf("tui.settings_found.from_preset", &[("provider", &p.name)]),
            app.tf("tui.source.preset", &[("provider", &p.name)]),
        ),
        Source::Manual if dv::intro(app).is_some() => (
            dv::intro(app).unwrap_or_default(),
            app.t("tui.source.guess").to_string(),
        ),
        Source::Manual if app.editing.is_some() => (
            app.t("tui.settings_found.saved").to_string(),
            app.t(if app.typed_settings {
                "tui.source.manual"
            } else {
                "tui_layout.source.saved"
            })
            .to_string(),
        ),
        Source::Manual => (
            app.tf(
                "tui.settings_found.none",
                &[("domain", domain_of(f.email()))],
            ),
            app.t("tui.source.guess").to_string(),
        ),
    }
}

/// The incoming server, the outgoing one and the user name, each with
/// where it came from.
fn settings_rows(app: &App, source: &str) -> Text<'static> {
    let th = app.theme;
    let f = &app.form;
    let row = |label: &str, value: String, incoming: bool| {
        let source = dv::row_source(app, incoming).unwrap_or(source);
        Line::from(vec![
            Span::styled(app.tf("tui_layout.label", &[("label", label)]), th.label()),
            Span::styled(value, th.value()),
            Span::styled(format!("  ({source})"), th.muted()),
        ])
    };
    let incoming = format!(
        "{} {}:{} {}",
        protocol_label(app, f.protocol),
        f.in_host.value(),
        f.in_port.value(),
        security_label(app, f.in_security)
    );
    let outgoing = format!(
        "{}:{} {}",
        f.out_host.value(),
        f.out_port.value(),
        security_label(app, f.out_security)
    );
    Text::from(vec![
        row(app.t("tui.settings_found.incoming"), incoming, true),
        row(app.t("tui.settings_found.outgoing"), outgoing, false),
        row(
            app.t("tui.field.username"),
            f.in_user.value().to_string(),
            true,
        ),
    ])
}

/// The preset's notes (French spacing in French) added to `text`; its help
/// page's URL, if it has one.
fn provider_notes<'a>(app: &'a App, text: &mut Text<'static>) -> Option<&'a str> {
    let th = app.theme;
    let p = app.form.provider()?;
    text.lines.push(Line::default());
    if p.oauth2_only {
        text.lines.push(Line::styled(
            app.t("tui.settings_found.oauth2_only"),
            th.warn(),
        ));
    }
    // Provider notes are French text too: French spacing applies.
    let notes = match app.lang {
        crate::i18n::Lang::Fr => crate::i18n::french_spacing(p.notes(app.lang)),
        crate::i18n::Lang::En => p.notes(app.lang).to_string(),
    };
    for note in notes.trim().lines() {
        text.lines.push(Line::styled(note.to_string(), th.muted()));
    }
    Some(p.help_url.as_str()).filter(|u| !u.is_empty())
}

/// Where the values on the server steps come from, truly: typed in this
/// run, a preset, a discovery source, the other mail client, the saved
/// account, or a guess from the address (never "entered by hand" for
/// values the user did not type).
pub fn provenance_line(app: &App) -> Line<'static> {
    let muted = app.theme.muted();
    let text = if app.typed_settings {
        app.t("tui.source.manual_long").to_string()
    } else if let Some(p) = app.form.provider() {
        app.tf("tui.source.preset_long", &[("provider", &p.name)])
    } else if let Some(from) = &app.imported {
        app.tf("tui_layout.source.imported_long", &[("from", from)])
    } else if let Some(c) = dv::discovered(app) {
        app.tf(
            "tui_layout.source.found_long",
            &[("source", app.t(c.source.i18n_key()))],
        )
    } else if app.editing.is_some() {
        app.t("tui_layout.source.saved_long").to_string()
    } else {
        app.t("tui_layout.source.guess_long").to_string()
    };
    Line::styled(text, muted)
}
