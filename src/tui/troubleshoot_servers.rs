//! The troubleshooting screen's second view: what each server showed
//! (greeting, capabilities, certificate, logins), and the pin question.

use super::app::App;
use super::theme::Theme;
use super::troubleshoot::probe;
use super::troubleshoot_view::server_name;
use super::widgets::{paragraph, security_label, text_height, width};
use crate::account::display_fingerprint;
use crate::check::Side;
use crate::doctor::{DoctorReport, ServerProbe};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Clear, Padding};

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
pub fn servers(app: &App, report: &DoctorReport) -> Text<'static> {
    let th = app.theme;
    let mut text = Text::default();
    for side in [Side::Incoming, Side::Smtp] {
        server(app, side, probe(report, side), &mut text);
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

/// One server: its name and state, greeting, capabilities, certificate
/// and logins.
fn server(app: &App, side: Side, p: &ServerProbe, text: &mut Text<'static>) {
    let th = app.theme;
    let works = p.error.is_none();
    let state = app.t(if works {
        "tui.troubleshoot.works"
    } else {
        "tui.troubleshoot.fails"
    });
    let name = format!(
        "{} {}:{} ({}) ",
        server_name(app, side),
        p.host,
        p.port,
        security_label(app, p.security)
    );
    text.lines.push(Line::from(vec![
        Span::styled(name, th.title()),
        Span::styled(state, if works { th.ok() } else { th.error() }),
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
    certificate(app, p, text);
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
}

/// The certificate's names, issuer, dates and SHA-256 (on two rows).
fn certificate(app: &App, p: &ServerProbe, text: &mut Text<'static>) {
    let th = app.theme;
    let label = |k: &str| app.t(k).to_string();
    let Some(c) = &p.cert else {
        let none = app.t("tui.troubleshoot.none").to_string();
        text.lines
            .push(row(th, &label("tui.troubleshoot.cert_subject"), none));
        return;
    };
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
    let sha = label("tui.troubleshoot.cert_sha256");
    text.lines.push(row(th, &sha, a));
    text.lines.push(row(th, &" ".repeat(width(&sha)), b));
}

pub fn confirm_pin(app: &App, frame: &mut Frame, area: Rect, pins: &[(Side, String)]) {
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
