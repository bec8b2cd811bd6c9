//! Drawing the troubleshooting screen: the checklist (every finding with
//! its explanation and fix, the selected one kept in view), the servers'
//! details, and the pin confirmation.

use super::app::App;
use super::theme::Theme;
use super::troubleshoot::{Notice, Saved, Troubleshoot, View, fix_target, probe};
use super::widgets::{paragraph, security_label, spinner, text_height, width};
use crate::account::display_fingerprint;
use crate::check::Side;
use crate::doctor::{DoctorReport, Finding, Severity};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Clear, Padding};

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
            frame.render_widget(paragraph(servers(app, report)), body);
        }
        _ => checklist(app, ts, frame, body),
    }
    frame.render_widget(paragraph(foot), bottom);
    if let Some(pins) = &ts.confirm_pin {
        confirm_pin(app, frame, area, pins);
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
    if let Some(detail) = &ts.crashed {
        text.lines.push(Line::styled(
            app.tf("tui.troubleshoot.crashed", &[("detail", detail)]),
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
    if let Some(note) = &ts.password_note {
        text.lines.push(Line::styled(
            app.tf("tui.troubleshoot.no_password", &[("detail", note)]),
            th.warn(),
        ));
    }
    text
}

fn server_name(app: &App, side: Side) -> &'static str {
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
    for word in text.split_whitespace() {
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
    let scroll = if bottom > area.height {
        top.min(bottom - area.height)
    } else {
        0
    };
    frame.render_widget(paragraph(text).scroll((scroll, 0)), area);
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

/// `AB:CD:…` in two lines of 16 bytes, so it never wraps mid-byte.
fn fingerprint_halves(hex: &str) -> [String; 2] {
    let full = display_fingerprint(hex);
    let bytes: Vec<&str> = full.split(':').collect();
    let mid = bytes.len().div_ceil(2);
    [bytes[..mid].join(":"), bytes[mid..].join(":")]
}

fn row(th: Theme, label: &str, value: String) -> Line<'static> {
    Line::from(vec![
        Span::styled(format!("  {label} "), th.label()),
        Span::styled(value, th.value()),
    ])
}

/// What each server showed: greeting, capabilities, certificate, logins.
fn servers(app: &App, report: &DoctorReport) -> Text<'static> {
    let th = app.theme;
    let mut text = Text::default();
    for side in [Side::Incoming, Side::Smtp] {
        let p = probe(report, side);
        let state = app.t(if p.error.is_none() {
            "tui.troubleshoot.works"
        } else {
            "tui.troubleshoot.fails"
        });
        text.lines.push(Line::from(vec![
            Span::styled(
                format!(
                    "{} {}:{} ({}) ",
                    server_name(app, side),
                    p.host,
                    p.port,
                    security_label(app, p.security)
                ),
                th.title(),
            ),
            Span::styled(
                state,
                if p.error.is_none() {
                    th.ok()
                } else {
                    th.error()
                },
            ),
        ]));
        let none = || app.t("tui.troubleshoot.none").to_string();
        let label = |k: &str| app.t(k).to_string();
        text.lines.push(row(
            th,
            &label("tui.troubleshoot.greeting"),
            p.greeting.clone().unwrap_or_else(none),
        ));
        let caps = if p.capabilities.is_empty() {
            none()
        } else {
            p.capabilities.join(" ")
        };
        text.lines
            .push(row(th, &label("tui.troubleshoot.capabilities"), caps));
        match &p.cert {
            Some(c) => {
                text.lines.push(row(
                    th,
                    &label("tui.troubleshoot.cert_subject"),
                    format!("{} [{}]", c.subject, c.sans.join(", ")),
                ));
                text.lines.push(row(
                    th,
                    &label("tui.troubleshoot.cert_issuer"),
                    c.issuer.clone(),
                ));
                text.lines.push(row(
                    th,
                    &label("tui.troubleshoot.cert_valid"),
                    format!("{} → {}", c.not_before, c.not_after),
                ));
                let [a, b] = fingerprint_halves(&c.sha256);
                text.lines
                    .push(row(th, &label("tui.troubleshoot.cert_sha256"), a));
                text.lines.push(row(
                    th,
                    &" ".repeat(width(&label("tui.troubleshoot.cert_sha256"))),
                    b,
                ));
            }
            None => text
                .lines
                .push(row(th, &label("tui.troubleshoot.cert_subject"), none())),
        }
        for l in [&p.login, &p.other_login].into_iter().flatten() {
            let state = app.t(if l.ok {
                "tui.troubleshoot.works"
            } else {
                "tui.troubleshoot.fails"
            });
            text.lines.push(row(
                th,
                &label("tui.troubleshoot.login"),
                format!("{} — {state}", l.user),
            ));
        }
        text.lines.push(Line::default());
    }
    if !report.smtp_ports.is_empty() {
        let list: Vec<String> = report
            .smtp_ports
            .iter()
            .map(|x| format!("{} {}", x.port, app.t(x.outcome.i18n_key())))
            .collect();
        text.lines.push(Line::styled(
            app.tf(
                "tui.troubleshoot.ports",
                &[("host", &report.smtp.host), ("list", &list.join(", "))],
            ),
            th.muted(),
        ));
    }
    text
}

fn confirm_pin(app: &App, frame: &mut Frame, area: Rect, pins: &[(Side, String)]) {
    let th = app.theme;
    let mut text = Text::from(Line::styled(
        app.t("tui.troubleshoot.pin_question"),
        th.value(),
    ));
    for (side, sha) in pins {
        let p = app
            .troubleshoot
            .as_ref()
            .and_then(|ts| ts.report.as_ref())
            .map(|r| probe(r, *side));
        let server = p.map_or(String::new(), |p| format!("{}:{}", p.host, p.port));
        text.lines.push(Line::default());
        text.lines.push(Line::styled(
            format!("{} {server}", server_name(app, *side)),
            th.title(),
        ));
        for half in fingerprint_halves(sha) {
            text.lines.push(Line::styled(half, th.key()));
        }
    }
    text.lines.push(Line::default());
    text.lines.push(Line::styled(
        app.t("tui.troubleshoot.pin_check"),
        th.muted(),
    ));
    text.lines.push(Line::default());
    text.lines
        .push(Line::styled(app.t("tui.troubleshoot.pin_keys"), th.key()));
    let w = area.width.min(76);
    let h = (text_height(&text, w.saturating_sub(4)) + 2).min(area.height);
    let r = Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    };
    frame.render_widget(Clear, r);
    let block = Block::bordered()
        .border_style(th.key())
        .title(Span::styled(
            format!(" {} ", app.t("tui.troubleshoot.pin_title")),
            th.title(),
        ))
        .padding(Padding::horizontal(1));
    let inner = block.inner(r);
    frame.render_widget(block, r);
    frame.render_widget(paragraph(text), inner);
}
