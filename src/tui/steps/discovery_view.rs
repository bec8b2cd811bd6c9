//! The discovery parts of the "Settings found" step: each source's live
//! status, where the proposed values come from and over what channel, and
//! the list of every candidate.

use crate::account::{AuthMethod, domain_of};
use crate::discover::{Candidate, Source, SourceStatus};
use crate::tui::app::App;
use crate::tui::discovery::{self, SourceState};
use crate::tui::widgets::{protocol_label, spinner, width};
use ratatui::style::Style;
use ratatui::text::{Line, Span, Text};

/// The candidate in the form, when it came from discovery (not a preset).
pub fn discovered(app: &App) -> Option<&Candidate> {
    if app.form.provider().is_some() {
        return None;
    }
    let i = discovery::current(app)?;
    app.discovery.candidates().get(i)
}

/// The first line of the step, for settings that are not a preset's.
pub fn intro(app: &App) -> Option<String> {
    let d = &app.discovery;
    let domain = domain_of(app.form.email());
    if discovered(app).is_some() {
        Some(app.tf("tui.discovery.found", &[("domain", domain)]))
    } else if app.editing.is_some() || d.idle() {
        None
    } else if d.running() {
        Some(app.tf("tui.discovery.searching", &[("domain", domain)]))
    } else if d.report.is_some() {
        Some(app.tf("tui.discovery.nothing", &[("domain", domain)]))
    } else {
        None
    }
}

/// Where a row's value comes from: the candidate's source when it gave
/// that part, else None (the caller's guess or manual label).
pub fn row_source(app: &App, incoming: bool) -> Option<&'static str> {
    let c = discovered(app)?;
    let gave = if incoming {
        !c.incoming.is_empty()
    } else {
        !c.outgoing.is_empty()
    };
    gave.then(|| app.t(c.source.i18n_key()))
}

/// Where the settings came from, over what channel, what else was found.
pub fn provenance(app: &App) -> Text<'static> {
    let th = app.theme;
    let mut text = Text::default();
    if let Some(c) = discovered(app) {
        let (key, style) = if c.secure {
            ("tui.discovery.secure", th.ok())
        } else {
            ("tui.discovery.insecure", th.warn())
        };
        text.lines
            .push(Line::styled(app.tf(key, &[("origin", &c.origin)]), style));
        if c.to_account(app.form.email()).incoming.auth == AuthMethod::Oauth2 {
            text.lines.push(Line::styled(
                app.t("tui.settings_found.oauth2_only"),
                th.warn(),
            ));
        }
    }
    let others = others(app);
    if others > 0 {
        text.lines.push(Line::styled(
            app.tf("tui.discovery.others", &[("count", &others.to_string())]),
            th.muted(),
        ));
    }
    text
}

/// Candidates besides the one shown (a preset's other variants do not
/// count: the variant choice offers them).
fn others(app: &App) -> usize {
    let provider = app.form.provider().map(|p| p.id.as_str());
    app.discovery
        .candidates()
        .iter()
        .enumerate()
        .filter(|(i, c)| {
            Some(*i) != discovery::current(app)
                && !(c.source == Source::Preset
                    && provider.is_some()
                    && c.provider.as_deref() == provider)
        })
        .count()
}

/// What a source is doing: mark, mark style, status text, ms.
fn source_cell(app: &App, state: &SourceState) -> (String, Style, &'static str, Option<u64>) {
    let th = app.theme;
    let d = &app.discovery;
    match state {
        SourceState::Done(r) => {
            let (mark, style) = match r.status {
                SourceStatus::Ok => ("✓", th.ok()),
                SourceStatus::None => ("·", th.muted()),
                SourceStatus::Error => ("✗", th.error()),
                SourceStatus::Timeout if d.stopped_early => ("·", th.muted()),
                SourceStatus::Timeout => ("◌", th.warn()),
            };
            let label = match r.status {
                SourceStatus::Timeout if d.stopped_early => "tui.discovery.status.not_needed",
                SourceStatus::Ok => "tui.discovery.status.ok",
                SourceStatus::None => "tui.discovery.status.none",
                SourceStatus::Error => "tui.discovery.status.error",
                SourceStatus::Timeout => "tui.discovery.status.timeout",
            };
            (mark.to_string(), style, app.t(label), Some(r.ms))
        }
        _ if d.running() => (
            spinner(app).to_string(),
            th.key(),
            app.t("tui.discovery.status.running"),
            None,
        ),
        _ => (
            "–".to_string(),
            th.muted(),
            app.t("tui.discovery.status.stopped"),
            None,
        ),
    }
}

fn short_name(app: &App, s: Source) -> &'static str {
    app.t(match s {
        Source::Preset => "tui.discovery.source.preset",
        Source::Ispdb => "tui.discovery.source.ispdb",
        Source::Autoconfig => "tui.discovery.source.autoconfig",
        Source::Srv => "tui.discovery.source.srv",
        Source::Mx => "tui.discovery.source.mx",
        Source::Guess => "tui.discovery.source.guess",
        Source::Autodiscover => "discover.short_source.autodiscover",
    })
}

/// Every source with its status and time, in as many columns as fit.
pub fn sources(app: &App, area_width: u16) -> Text<'static> {
    let th = app.theme;
    let rows = &app.discovery.sources;
    if rows.is_empty() {
        return Text::default();
    }
    let cells: Vec<_> = rows
        .iter()
        .map(|(s, st)| (short_name(app, *s), source_cell(app, st)))
        .collect();
    let name_w = cells.iter().map(|(n, _)| width(n)).max().unwrap_or(0);
    let status_w = cells.iter().map(|(_, c)| width(c.2)).max().unwrap_or(0);
    // mark, name, status, " 12345 ms", two spaces between columns
    let cell_w = 2 + name_w + 1 + status_w + 9 + 2;
    let cols = (area_width as usize / cell_w).clamp(1, 3);
    let per_col = cells.len().div_ceil(cols);
    let mut text = Text::default();
    for r in 0..per_col {
        let mut spans = Vec::new();
        for c in 0..cols {
            let Some((name, (mark, style, status, ms))) = cells.get(c * per_col + r) else {
                continue;
            };
            let ms = ms.map(|m| format!("{m:>6} ms")).unwrap_or_default();
            spans.push(Span::styled(format!("{mark} "), *style));
            spans.push(Span::styled(pad(name, name_w + 1), th.label()));
            spans.push(Span::styled(pad(status, status_w), *style));
            spans.push(Span::styled(pad(&ms, 9), th.muted()));
            spans.push(Span::raw("  "));
        }
        text.lines.push(Line::from(spans));
    }
    text
}

fn pad(s: &str, w: usize) -> String {
    format!("{s}{}", " ".repeat(w.saturating_sub(width(s))))
}

/// Under the sources: searching, stopped, or failed.
pub fn status(app: &App) -> Option<Line<'static>> {
    let th = app.theme;
    let d = &app.discovery;
    if d.running() {
        Some(Line::styled(app.t("tui.discovery.running"), th.muted()))
    } else if let Some(died) = &d.crashed {
        let detail = super::died_text(app, died);
        Some(Line::styled(
            app.tf("tui.discovery.crashed", &[("detail", &detail)]),
            th.error(),
        ))
    } else if d.cancelled {
        Some(Line::styled(app.t("tui.discovery.cancelled"), th.warn()))
    } else if let Some((from, to)) = discovery::redirect_question(app) {
        Some(Line::styled(
            app.tf(
                "discover.wizard.redirect_question",
                &[("from", &from), ("to", &to)],
            ),
            th.warn(),
        ))
    } else if d.redirect_declined {
        Some(Line::styled(
            app.t("discover.wizard.redirect_declined"),
            th.warn(),
        ))
    } else {
        autodiscover_note(app).map(|note| Line::styled(note, th.warn()))
    }
}

/// What Autodiscover learnt that the user must know: an Exchange mailbox
/// without IMAP/POP, Exchange Online, or a redirect that needs their word
/// (`mailwiz discover --allow-redirect`).
fn autodiscover_note(app: &App) -> Option<String> {
    use crate::discover::SourceDetail as D;
    app.discovery.sources.iter().find_map(|(s, st)| match st {
        discovery::SourceState::Done(r) if *s == Source::Autodiscover => match r.detail {
            D::ExchangeOnly { .. } | D::ExchangeOnline { .. } | D::RedirectNeedsConsent { .. } => {
                Some(r.detail.localized(app.lang))
            }
            _ => None,
        },
        _ => None,
    })
}

/// O: every candidate, best first, the one in the form marked.
pub fn list(app: &App) -> Text<'static> {
    let th = app.theme;
    let current = discovery::current(app);
    let mut text = Text::from(Line::styled(app.t("tui.discovery.list_title"), th.label()));
    for (i, c) in app.discovery.candidates().iter().enumerate() {
        let on = current == Some(i);
        let incoming = c.incoming.first().map_or_else(
            || "—".to_string(),
            |s| format!("{} {}:{}", protocol_label(app, s.protocol), s.host, s.port),
        );
        let outgoing = c.outgoing.first().map_or_else(
            || "—".to_string(),
            |s| format!("SMTP {}:{}", s.host, s.port),
        );
        let channel = if c.secure {
            app.t("tui.discovery.channel_secure")
        } else {
            app.t("tui.discovery.channel_insecure")
        };
        let style = if on { th.focused() } else { th.value() };
        text.lines.push(Line::from(vec![
            Span::styled(if on { "› " } else { "  " }, th.key()),
            Span::styled(
                format!(
                    "{}. {}",
                    i + 1,
                    app.tf("tui_layout.label", &[("label", app.t(c.source.i18n_key()))])
                ),
                th.label(),
            ),
            Span::styled(format!("{incoming}, {outgoing}"), style),
            Span::styled(format!(" ({channel})"), th.muted()),
        ]));
    }
    text
}
