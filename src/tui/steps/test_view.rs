//! The Test step's screen: both servers side by side (stacked when
//! narrow), each step with its time; a login that was not asked for is
//! "not tested", an unencrypted server "works, but unencrypted"; under
//! them the certificate to trust at a certificate failure, and the
//! prompt or the outcome.

use super::test::{
    TestPrompt, failed, findings, fix_target, login_untested, running, unencrypted, untrusted_certs,
};
use crate::account::display_fingerprint;
use crate::check::Side;
use crate::doctor::{Finding, Severity};
use crate::net::{StepDetail, StepNote};
use crate::tui::app::{App, SideRun};
use crate::tui::field::Field;
use crate::tui::widgets::{block_text, form, protocol_label, spinner, split_top};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span, Text};

/// Seconds left before the check's deadline, from the spinner's ticks
/// (ten a second while the run is on).
fn seconds_left(app: &App) -> u64 {
    let ticks = app.spinner.wrapping_sub(app.test_ui.started_tick) as u64;
    crate::tui::effects::CHECK_TIMEOUT
        .as_secs()
        .saturating_sub(ticks / 10)
}

fn step_line(app: &App, s: &crate::check::StepRecord) -> Line<'static> {
    let th = app.theme;
    let phase = s.phase.localized(app.lang).to_string();
    if let StepDetail::Note { note } = &s.detail
        && note.is_skip()
    {
        let reason = match note {
            StepNote::ServerNeedsNoLogin => app.t("tui_test.reason.not_asked").to_string(),
            _ => s.detail.localized(app.lang),
        };
        return Line::from(vec![
            Span::styled("– ", th.warn()),
            Span::styled(phase, th.value()),
            Span::styled(
                format!(
                    "  {}",
                    app.tf("tui_test.not_tested", &[("reason", &reason)])
                ),
                th.warn(),
            ),
        ]);
    }
    let (mark, style) = if s.ok {
        ("✓", th.ok())
    } else {
        ("✗", th.error())
    };
    Line::from(vec![
        Span::styled(format!("{mark} "), style),
        Span::styled(phase, th.value()),
        Span::styled(format!("  {} ms", s.ms), th.muted()),
    ])
}

fn finding_lines(app: &App, f: &Finding, text: &mut Text<'static>) {
    let th = app.theme;
    // The certificate and the choice to trust it are shown below: that is
    // the fix, and the screen has no room for both.
    let choice_below = f.code == crate::doctor::Code::TlsUntrusted
        && untrusted_certs(app).iter().any(|(s, _)| *s == f.server);
    let (mark, style) = if f.severity == Severity::Warning {
        ("⚠", th.warn())
    } else {
        ("✗", th.error())
    };
    text.lines
        .push(Line::styled(format!("{mark} {}", f.title), style));
    if choice_below {
        return;
    }
    text.lines.push(Line::styled(
        app.tf("tui.troubleshoot.fix", &[("text", &f.fix)]),
        th.value(),
    ));
}

/// A failure no finding explains (none should): the error and the
/// short advice for its kind.
pub fn advice_lines(app: &App, e: &crate::net::NetError, text: &mut Text<'static>) {
    let th = app.theme;
    text.lines
        .push(Line::styled(e.localized(app.lang), th.error()));
    let key = format!(
        "tui.advice.{}",
        e.i18n_key().trim_start_matches("net.error.")
    );
    text.lines.push(Line::styled(app.t(&key), th.value()));
}

fn outcome_lines(app: &App, side: &SideRun, which: Side, text: &mut Text<'static>) {
    let th = app.theme;
    let found = findings(app);
    let finding = found.iter().find(|f| f.server == which);
    match &side.report {
        Some(r) if r.ok => {
            if unencrypted(app, which) {
                text.lines
                    .push(Line::styled(app.t("tui_test.works_unencrypted"), th.warn()));
            } else if login_untested(side) {
                text.lines
                    .push(Line::styled(app.t("tui_test.works_untested"), th.warn()));
            } else {
                text.lines.push(Line::styled(app.t("tui.test.ok"), th.ok()));
            }
            if let Some(f) = finding.filter(|f| f.severity == Severity::Warning) {
                finding_lines(app, f, text);
            }
        }
        Some(_) if super::test::ca_file_unusable(app).is_some() => {
            let detail = super::test::ca_file_unusable(app).unwrap_or_default();
            text.lines.push(Line::styled(
                app.tf("tui_test.ca_unusable", &[("detail", &detail)]),
                th.error(),
            ));
            text.lines
                .push(Line::styled(app.t("tui_test.ca_again"), th.key()));
        }
        Some(r) => match (finding, &r.error) {
            (Some(f), _) => finding_lines(app, f, text),
            (None, Some(e)) => advice_lines(app, e, text),
            (None, None) => {}
        },
        None => {}
    }
}

/// A skipped step (a login not asked for, no password).
fn skipped(s: &crate::check::StepRecord) -> bool {
    matches!(&s.detail, StepDetail::Note { note } if note.is_skip())
}

/// Every step while the side runs; once it is done, the steps that passed
/// as one line (80×24 has no room for ten), then the others.
fn steps_lines(app: &App, side: &SideRun) -> Vec<Line<'static>> {
    if side.report.is_none() {
        return side.steps.iter().map(|s| step_line(app, s)).collect();
    }
    let passed: Vec<_> = side.steps.iter().filter(|s| s.ok && !skipped(s)).collect();
    let mut lines = Vec::new();
    if !passed.is_empty() {
        let ms: u64 = passed.iter().map(|s| s.ms).sum();
        let key = if passed.len() == 1 {
            "tui_test.steps_passed_one"
        } else {
            "tui_test.steps_passed"
        };
        let line = app.tf(
            key,
            &[
                ("count", &passed.len().to_string()),
                ("ms", &ms.to_string()),
            ],
        );
        lines.push(Line::styled(format!("✓ {line}"), app.theme.ok()));
    }
    lines.extend(
        side.steps
            .iter()
            .filter(|s| !s.ok || skipped(s))
            .map(|s| step_line(app, s)),
    );
    lines
}

fn side_text(app: &App, side: &SideRun, which: Side, title: String) -> Text<'static> {
    let th = app.theme;
    let mut text = Text::from(Line::styled(title, th.title()));
    text.lines.extend(steps_lines(app, side));
    let left = app.tf(
        "tui_test.left",
        &[("seconds", &seconds_left(app).to_string())],
    );
    if let Some(phase) = side.running {
        text.lines.push(Line::styled(
            format!("{} {}… ({left})", spinner(app), phase.localized(app.lang)),
            th.value(),
        ));
    } else if side.id.is_some() {
        text.lines.push(Line::styled(
            format!("{} {} ({left})", spinner(app), app.t("tui.test.starting")),
            th.value(),
        ));
    } else if crate::tui::signin_renew::renewing(app) {
        text.lines.push(Line::styled(
            format!("{} {}", spinner(app), app.t("tui_renew.renewing")),
            th.value(),
        ));
    }
    if side.cancelled {
        text.lines
            .push(Line::styled(app.t("tui.test.cancelled"), th.warn()));
    }
    if let Some(why) = &side.crashed {
        text.lines
            .push(Line::styled(super::stopped_text(app, why), th.error()));
    }
    outcome_lines(app, side, which, &mut text);
    text
}

/// The certificate a failure offers to trust, as the diagnosis shows it.
fn cert_text(app: &App) -> Text<'static> {
    let th = app.theme;
    let mut text = Text::default();
    let mut shown: Vec<&str> = Vec::new();
    for (side, run) in [(Side::Incoming, &app.incoming), (Side::Smtp, &app.smtp)] {
        if !untrusted_certs(app).iter().any(|(s, _)| *s == side) {
            continue;
        }
        let Some(c) = run.report.as_ref().and_then(|r| r.cert.as_ref()) else {
            continue;
        };
        // One server for both: its certificate once.
        if shown.contains(&c.sha256.as_str()) {
            continue;
        }
        shown.push(&c.sha256);
        let names = if c.sans.is_empty() {
            c.subject.clone()
        } else {
            c.sans.join(", ")
        };
        let day = |d: &str| d.chars().take(10).collect::<String>();
        let (from, to) = (day(&c.not_before), day(&c.not_after));
        let args = [
            ("names", names.as_str()),
            ("issuer", c.issuer.as_str()),
            ("from", from.as_str()),
            ("to", to.as_str()),
        ];
        text.lines.push(Line::styled(
            app.tf("tui_test.cert.names", &args),
            th.value(),
        ));
        text.lines.push(Line::styled(
            app.tf("tui_test.cert.issuer", &args),
            th.value(),
        ));
        // 32 bytes in two rows of 16, broken at a colon: never mid-byte, and
        // each half fits 80 columns so it can be read out and compared.
        let sha = display_fingerprint(&c.sha256);
        let (first, second) = split_fingerprint(&sha);
        text.lines.push(Line::styled(
            app.tf("tui_test.cert.sha256", &[("sha256", first)]),
            th.value(),
        ));
        if !second.is_empty() {
            text.lines
                .push(Line::styled(format!("  {second}"), th.value()));
        }
    }
    if !text.lines.is_empty() {
        text.lines
            .push(Line::styled(app.t("tui_test.cert.choice"), th.key()));
    }
    text
}

fn prompt_text(app: &App) -> Option<Text<'static>> {
    let th = app.theme;
    Some(match &app.test_ui.prompt {
        TestPrompt::None | TestPrompt::CaFile => return None,
        TestPrompt::ConfirmPin(_) => Text::from(vec![
            Line::styled(app.t("tui_test.pin_question"), th.warn()),
            Line::styled(app.t("tui_test.yes_no"), th.key()),
        ]),
        TestPrompt::ConfirmUntested => Text::from(vec![
            Line::styled(app.t("tui_test.untested_question"), th.warn()),
            Line::styled(app.t("tui_test.yes_no"), th.key()),
        ]),
    })
}

fn foot_text(app: &App) -> Option<Text<'static>> {
    let th = app.theme;
    if let Some(t) = prompt_text(app) {
        return Some(t);
    }
    // The CA-file field and its hint take the room.
    if running(app) || app.test_ui.prompt == TestPrompt::CaFile {
        return None;
    }
    if let Some((step, _)) = fix_target(app) {
        let hint = app.tf(
            "tui.test.fix_hint",
            &[("step", app.t(&super::title_key(app, step)))],
        );
        let mut lines = vec![Line::styled(hint, th.key())];
        if failed(&app.incoming) || failed(&app.smtp) {
            lines.push(Line::styled(app.t("tui.troubleshoot.test_hint"), th.key()));
        }
        return Some(Text::from(lines));
    }
    if super::test::all_passed(app) {
        return Some(Text::from(Line::styled(app.t("tui.test.all_ok"), th.ok())));
    }
    None
}

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let th = app.theme;
    let f = &app.form;
    let rest = block_text(
        frame,
        area,
        Text::styled(app.t("tui.test.intro"), th.value()),
        1,
    );
    let inc_title = format!(
        "{} ({}) {}:{}",
        app.t("tui.test.incoming"),
        protocol_label(app, f.protocol),
        f.in_host.value(),
        f.in_port.value()
    );
    let out_title = format!(
        "{} {}:{}",
        app.t("tui.test.smtp"),
        f.out_host.value(),
        f.out_port.value()
    );
    let left = side_text(app, &app.incoming, Side::Incoming, inc_title);
    let right = side_text(app, &app.smtp, Side::Smtp, out_title);
    let cert = if running(app) {
        Text::default()
    } else {
        cert_text(app)
    };
    let cert_h = crate::tui::widgets::text_height(&cert, rest.width);
    let ca_hint = Text::styled(app.t("tui_test.ca_hint"), th.muted());
    let ca_h = if app.test_ui.prompt == TestPrompt::CaFile {
        1 + crate::tui::widgets::text_height(&ca_hint, rest.width)
    } else {
        0
    };
    let foot_text = foot_text(app);
    // A blank line above the outcome, when there is one.
    let foot_h = foot_text
        .as_ref()
        .map_or(0, |t| 1 + crate::tui::widgets::text_height(t, rest.width));
    // The certificate and the outcome sit below both servers.
    let [body, cert_area, ca_area, foot] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(cert_h),
        Constraint::Length(ca_h),
        Constraint::Length(foot_h),
    ])
    .areas(rest);
    let (a, b) = if body.width >= 70 {
        let [a, b] = Layout::horizontal([Constraint::Fill(1); 2])
            .spacing(2)
            .areas(body);
        (a, b)
    } else {
        // Stacked: the incoming part takes what it needs, SMTP the rest.
        let need = u16::try_from(left.lines.len() + 1).unwrap_or(u16::MAX);
        let [a, b] = Layout::vertical([Constraint::Max(need), Constraint::Fill(1)]).areas(body);
        (a, b)
    };
    block_text(frame, a, left, 1);
    block_text(frame, b, right, 0);
    block_text(frame, cert_area, cert, 0);
    if ca_h > 0 {
        let used = form(app, frame, ca_area, &[Field::CaFile]);
        let hint = split_top(ca_area, used).1;
        block_text(frame, hint, ca_hint, 0);
    }
    if let Some(text) = foot_text {
        block_text(frame, split_top(foot, 1).1, text, 0);
    }
}

/// Splits a colon-separated fingerprint after its 16th byte.
fn split_fingerprint(sha: &str) -> (&str, &str) {
    match sha.match_indices(':').nth(15) {
        Some((i, _)) => (&sha[..i], &sha[i + 1..]),
        None => (sha, ""),
    }
}

#[cfg(test)]
mod fingerprint_tests {
    use super::split_fingerprint;

    #[test]
    fn a_fingerprint_is_split_at_a_colon_after_sixteen_bytes() {
        let sha = vec!["AB"; 32].join(":");
        let (a, b) = split_fingerprint(&sha);
        assert_eq!(a, vec!["AB"; 16].join(":"));
        assert_eq!(b, vec!["AB"; 16].join(":"));
        assert_eq!(split_fingerprint("AB:CD"), ("AB:CD", ""));
    }
}
