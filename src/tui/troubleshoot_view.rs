//! Drawing the troubleshooting screen: the checklist (every finding with
//! its explanation and fix, the selected one kept in view), the servers'
//! details, and the pin confirmation.

use super::app::App;
use super::troubleshoot::{Notice, Saved, Troubleshoot, View, fix_target};
use super::widgets::{paragraph, spinner, text_height, width};
use crate::check::Side;
use crate::doctor::{Finding, Severity};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span, Text};

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let Some(ts) = app.troubleshoot.as_ref() else {
        return;
    };
    let status = status(app, ts);
    let foot = footer(app, ts);
    let foot_h = text_height(&foot, area.width).min(area.height / 2);
    let status_h = text_height(&status, area.width);
    let [top, body, bottom] = Layout::vertical([
        Constraint::Length(status_h + 1),
        Constraint::Fill(1),
        Constraint::Length(foot_h),
    ])
    .areas(area);
    frame.render_widget(paragraph(status), top);
    match (&ts.report, ts.view) {
        (Some(report), View::Servers) => {
            let text = super::troubleshoot_servers::servers(app, report);
            super::widgets::scrolled(app, frame, body, text, &app.scroll);
        }
        _ => checklist(app, ts, frame, body),
    }
    frame.render_widget(paragraph(foot), bottom);
    if let Some(pins) = &ts.confirm_pin {
        super::troubleshoot_servers::confirm_pin(app, frame, area, pins);
    }
}

fn status(app: &App, ts: &Troubleshoot) -> Text<'static> {
    let th = app.theme;
    if ts.running() {
        return Text::from(Line::styled(
            format!("{} {}", spinner(app), app.t("tui.troubleshoot.running")),
            th.value(),
        ));
    }
    let mut text = Text::default();
    if let Some(died) = &ts.crashed {
        let detail = super::steps::died_text(app, died);
        text.lines.push(Line::styled(
            app.tf("tui.troubleshoot.crashed", &[("detail", &detail)]),
            th.error(),
        ));
    } else if ts.cancelled && ts.report.is_none() {
        text.lines
            .push(Line::styled(app.t("tui.troubleshoot.cancelled"), th.warn()));
    } else if ts.report.is_some() {
        let problems = ts
            .findings
            .iter()
            .filter(|f| f.severity != Severity::Ok)
            .count();
        text.lines.push(if problems == 0 {
            Line::styled(app.t("tui.troubleshoot.all_ok"), th.ok())
        } else {
            Line::styled(
                app.tf(
                    "tui.troubleshoot.problems",
                    &[("count", &problems.to_string())],
                ),
                th.value(),
            )
        });
    }
    if ts.report.is_some() {
        text.lines.push(super::troubleshoot_rcpt::status_line(
            app,
            ts.rcpt.as_deref(),
        ));
    }
    if let Some(field) = &ts.rcpt_field {
        text.lines
            .extend(super::troubleshoot_rcpt::field_text(app, field).lines);
    }
    if let Some(note) = &ts.password_note {
        text.lines.push(Line::styled(
            app.tf("tui.troubleshoot.no_password", &[("detail", note)]),
            th.warn(),
        ));
    }
    text
}

pub(super) fn server_name(app: &App, side: Side) -> &'static str {
    app.t(match side {
        Side::Incoming => "tui.troubleshoot.incoming",
        Side::Smtp => "tui.troubleshoot.smtp",
    })
}

/// Words of `text` in lines of at most `first` columns, then `rest`
/// (a word longer than a line is cut).
fn wrap(text: &str, first: usize, rest: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let limit = |n: usize| if n == 0 { first.max(1) } else { rest.max(1) };
    // A no-break space (French « : ») joins, it does not separate.
    for word in text
        .split(|c: char| c.is_whitespace() && c != '\u{a0}')
        .filter(|w| !w.is_empty())
    {
        let mut word = word.to_string();
        loop {
            let max = limit(lines.len());
            let sep = usize::from(!line.is_empty());
            if width(&line) + sep + width(&word) <= max {
                if sep == 1 {
                    line.push(' ');
                }
                line.push_str(&word);
                break;
            }
            if line.is_empty() {
                let cut: String = word.chars().take(max).collect();
                word = word.chars().skip(cut.chars().count()).collect();
                lines.push(cut);
                if word.is_empty() {
                    break;
                }
            } else {
                lines.push(std::mem::take(&mut line));
            }
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

const INDENT: &str = "    ";

/// `text` wrapped to `w` columns, every line indented.
fn indented(text: &str, w: u16, style: Style) -> Vec<Line<'static>> {
    let room = (w as usize).saturating_sub(INDENT.len());
    wrap(text, room, room)
        .into_iter()
        .map(|l| Line::styled(format!("{INDENT}{l}"), style))
        .collect()
}

fn finding_text(app: &App, f: &Finding, selected: bool, w: u16) -> Text<'static> {
    let th = app.theme;
    let (mark, style) = match f.severity {
        Severity::Ok => ("✓", th.ok()),
        Severity::Warning => ("!", th.warn()),
        Severity::Error => ("✗", th.error()),
    };
    let pointer = if selected { "› " } else { "  " };
    let title_style = if selected { th.focused() } else { th.value() };
    let server = format!("{} · ", server_name(app, f.server));
    let head = width(pointer) + 2 + width(&server);
    let room = (w as usize).saturating_sub(INDENT.len());
    let mut title = wrap(&f.title, (w as usize).saturating_sub(head), room).into_iter();
    let mut text = Text::from(Line::from(vec![
        Span::styled(pointer, th.key()),
        Span::styled(format!("{mark} "), style),
        Span::styled(server, th.label()),
        Span::styled(title.next().unwrap_or_default(), title_style),
    ]));
    text.lines
        .extend(title.map(|l| Line::styled(format!("{INDENT}{l}"), title_style)));
    if f.severity != Severity::Ok {
        text.lines.extend(indented(&f.explanation, w, th.value()));
        let fix = app.tf("tui.troubleshoot.fix", &[("text", &f.fix)]);
        text.lines.extend(indented(&fix, w, th.key()));
    }
    // The evidence can be long (a whole certificate): the selected one only.
    if selected && !f.evidence.is_empty() {
        let seen = app.tf("tui.troubleshoot.evidence", &[("text", &f.evidence)]);
        text.lines.extend(indented(&seen, w, th.muted()));
    }
    text
}

/// Every finding, the selected one scrolled into view.
fn checklist(app: &App, ts: &Troubleshoot, frame: &mut Frame, area: Rect) {
    let mut text = Text::default();
    let mut top = 0u16;
    let mut bottom = 0u16;
    let mut y = 0u16;
    for (i, f) in ts.findings.iter().enumerate() {
        let t = finding_text(app, f, i == ts.selected, area.width);
        let h = text_height(&t, area.width);
        if i == ts.selected {
            (top, bottom) = (y, y + h);
        }
        y += h;
        text.lines.extend(t.lines);
    }
    // The selected finding in view (its top, when it is taller than the
    // screen); PgDn reads on from there.
    let room = area.height.saturating_sub(1);
    let base = if bottom > room {
        top.min(bottom - room)
    } else {
        0
    };
    super::widgets::scrolled_from(app, frame, area, text, base, &app.scroll);
}

fn footer(app: &App, ts: &Troubleshoot) -> Text<'static> {
    let th = app.theme;
    let mut text = Text::default();
    match &ts.notice {
        Some(Notice::Pinned { saved }) => text.lines.push(Line::styled(
            app.t(if *saved {
                "tui.troubleshoot.pinned_saved"
            } else {
                "tui.troubleshoot.pinned_form"
            }),
            th.ok(),
        )),
        Some(Notice::PinNotSaved(detail)) => text.lines.push(Line::styled(
            app.tf("tui.troubleshoot.pin_not_saved", &[("detail", detail)]),
            th.error(),
        )),
        None => {}
    }
    match &ts.transcript {
        Some(Saved::Saving(_)) => text.lines.push(Line::styled(
            app.t("tui.troubleshoot.transcript_saving"),
            th.value(),
        )),
        Some(Saved::Done(path)) => text.lines.push(Line::styled(
            app.tf(
                "tui.troubleshoot.transcript_saved",
                &[("path", &path.display().to_string())],
            ),
            th.ok(),
        )),
        Some(Saved::Failed { path, detail }) => text.lines.push(Line::styled(
            app.tf(
                "tui.troubleshoot.transcript_failed",
                &[("path", &path.display().to_string()), ("detail", detail)],
            ),
            th.error(),
        )),
        None => {}
    }
    match &ts.bundle {
        Some(Saved::Done(path)) => text.lines.push(Line::styled(
            app.tf("bundle.tui.saved", &[("path", &path.display().to_string())]),
            th.ok(),
        )),
        Some(Saved::Failed { detail, .. }) => {
            text.lines.push(Line::styled(detail.clone(), th.error()));
        }
        _ => {}
    }
    if ts.running() || ts.confirm_pin.is_some() {
        return text;
    }
    if !ts.pinnable().is_empty() {
        text.lines
            .push(Line::styled(app.t("tui.troubleshoot.pin_hint"), th.key()));
    }
    if super::troubleshoot::offers_sign_in(app) {
        text.lines.push(Line::styled(
            app.t("tui.signin.troubleshoot_hint"),
            th.key(),
        ));
    } else if let Some((step, _)) = fix_target(app) {
        text.lines.push(Line::styled(
            app.tf(
                "tui.troubleshoot.fix_hint",
                &[("step", app.t(&step.title_key()))],
            ),
            th.key(),
        ));
    }
    text
}
