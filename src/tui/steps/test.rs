//! Step 8: incoming login and SMTP authentication, in parallel, live.
//! Esc cancels; on failure, what went wrong and a key to the step to fix.

use crate::account::Role;
use crate::check::Side;
use crate::check::{Progress, ServerReport};
use crate::doctor::{self, Finding};
use crate::secret::Secret;
use crate::tui::app::{App, Flow, SideRun};
use crate::tui::msg::{Control, Effect};
use crate::tui::step::Step;
use crate::tui::troubleshoot;
use crate::tui::update::goto;
use crate::tui::widgets::{block_text, protocol_label, spinner};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span, Text};

/// The password for a role as held in memory (for OAuth2, the access
/// token of this run's sign-in); `None` lets the runner read it from the
/// keyring or the password command.
pub fn password(app: &App, role: Role) -> Option<Secret> {
    if crate::tui::signin::is_oauth(app) {
        return crate::tui::signin::access_token(app);
    }
    let f = &app.form;
    let pw = match role {
        Role::Smtp if f.separate_smtp_password() => &f.smtp_password,
        _ => &f.password,
    };
    (!pw.is_empty()).then(|| pw.secret().clone())
}

pub fn start(app: &mut App) -> Vec<Effect> {
    let mut effects = cancel(app);
    let account = Box::new(app.form.account());
    let (a, b) = (app.request_id(), app.request_id());
    app.incoming = SideRun {
        id: Some(a),
        ..SideRun::default()
    };
    app.smtp = SideRun {
        id: Some(b),
        ..SideRun::default()
    };
    let oauth2 = crate::tui::signin::settings(app);
    effects.push(Effect::CheckIncoming {
        id: a,
        account: account.clone(),
        password: password(app, Role::Incoming),
        oauth2: oauth2.clone(),
    });
    effects.push(Effect::CheckSmtp {
        id: b,
        account,
        password: password(app, Role::Smtp),
        oauth2,
    });
    effects
}

fn cancel(app: &mut App) -> Vec<Effect> {
    let mut effects = Vec::new();
    for side in [&mut app.incoming, &mut app.smtp] {
        if let Some(id) = side.id.take() {
            app.pending.remove(&id);
            side.cancelled = true;
            side.running = None;
            effects.push(Effect::Cancel(id));
        }
    }
    effects
}

fn running(app: &App) -> bool {
    app.incoming.id.is_some() || app.smtp.id.is_some()
}

fn side_mut(app: &mut App, id: u64) -> Option<&mut SideRun> {
    [&mut app.incoming, &mut app.smtp]
        .into_iter()
        .find(|s| s.id == Some(id))
}

pub fn on_progress(app: &mut App, id: u64, progress: Progress) {
    if let Some(side) = side_mut(app, id) {
        match progress {
            Progress::Started { phase, .. } => side.running = Some(phase),
            Progress::Finished { step, .. } => {
                side.running = None;
                side.steps.push(step);
            }
        }
    }
}

pub fn on_checked(app: &mut App, id: u64, report: ServerReport) -> Vec<Effect> {
    if let Some(side) = side_mut(app, id) {
        side.id = None;
        side.running = None;
        side.steps = report.steps.clone();
        side.report = Some(report);
    }
    Vec::new()
}

pub fn on_failed(app: &mut App, id: u64, detail: &str) {
    if let Some(side) = side_mut(app, id) {
        side.id = None;
        side.running = None;
        side.crashed = Some(detail.to_string());
    }
}

/// The doctor's findings for the sides that failed: the same titles and
/// fixes as the troubleshooting screen (no second table of advice).
pub fn findings(app: &App) -> Vec<Finding> {
    doctor::findings_from_check(
        &app.form.account(),
        app.incoming.report.as_ref(),
        app.smtp.report.as_ref(),
        troubleshoot::provider(app),
        app.lang,
    )
}

fn failed(s: &SideRun) -> bool {
    s.done() && !s.ok() && !s.cancelled
}

/// Where to go to fix the first failure: the step the finding points to
/// (the troubleshooting screen's rule), else the server's step.
pub fn fix_target(app: &App) -> Option<Step> {
    let found = findings(app);
    for (side, run, step) in [
        (Side::Incoming, &app.incoming, Step::Incoming),
        (Side::Smtp, &app.smtp, Step::Outgoing),
    ] {
        if failed(run) {
            let target = found
                .iter()
                .find(|f| f.server == side)
                .and_then(troubleshoot::jump);
            return Some(target.map_or(step, |(s, _)| s));
        }
    }
    None
}

pub fn on_control(app: &mut App, c: Control) -> Vec<Effect> {
    match c {
        Control::Back if running(app) => cancel(app),
        Control::Back => match app.flow {
            Flow::Existing => goto(app, Step::Welcome),
            Flow::Setup => goto(app, Step::Password),
        },
        _ if running(app) => Vec::new(),
        Control::Char('r') => start(app),
        Control::Char('d') if failed(&app.incoming) || failed(&app.smtp) => {
            troubleshoot::open(app, Step::Test)
        }
        Control::Char('f') => match fix_target(app) {
            Some(step) => {
                if findings(app)
                    .iter()
                    .any(|f| f.code == doctor::Code::Oauth2Required)
                {
                    // Only OAuth2 works: the fix is the Sign-in step.
                    let preset = app.form.provider();
                    app.form.auth = Some(crate::account::AuthMethod::Oauth2);
                    app.form.oauth.fill(preset);
                }
                app.flow = Flow::Setup;
                goto(app, step)
            }
            None => Vec::new(),
        },
        Control::Confirm => goto(app, Step::Send),
        _ => Vec::new(),
    }
}

pub fn keys(app: &App) -> Vec<(&'static str, &'static str)> {
    if running(app) {
        return vec![("Esc", "tui.test.key_cancel")];
    }
    let mut keys = vec![("Enter", "tui.key.next"), ("R", "tui.test.key_retry")];
    if fix_target(app).is_some() {
        keys.push(("F", "tui.test.key_fix"));
        keys.push(("D", "tui.troubleshoot.key_open"));
    }
    keys.push(("Esc", "tui.key.back"));
    keys
}

fn side_text(app: &App, side: &SideRun, which: Side, title: String) -> Text<'static> {
    let th = app.theme;
    let mut text = Text::from(Line::styled(title, th.title()));
    for s in &side.steps {
        let (mark, style) = if s.ok {
            ("✓", th.ok())
        } else {
            ("✗", th.error())
        };
        text.lines.push(Line::from(vec![
            Span::styled(format!("{mark} "), style),
            Span::styled(s.phase.localized(app.lang).to_string(), th.value()),
            Span::styled(format!("  {} ms", s.ms), th.muted()),
        ]));
    }
    if let Some(phase) = side.running {
        text.lines.push(Line::styled(
            format!("{} {}…", spinner(app), phase.localized(app.lang)),
            th.value(),
        ));
    } else if side.id.is_some() {
        text.lines.push(Line::styled(
            format!("{} {}", spinner(app), app.t("tui.test.starting")),
            th.value(),
        ));
    }
    if side.cancelled {
        text.lines
            .push(Line::styled(app.t("tui.test.cancelled"), th.warn()));
    }
    if let Some(detail) = &side.crashed {
        text.lines.push(Line::styled(
            app.tf("tui.test.crashed", &[("detail", detail)]),
            th.error(),
        ));
    }
    match &side.report {
        Some(r) if r.ok => text.lines.push(Line::styled(app.t("tui.test.ok"), th.ok())),
        Some(r) => {
            if let Some(e) = &r.error {
                text.lines
                    .push(Line::styled(e.localized(app.lang), th.error()));
                // The doctor's finding: the same fix as troubleshooting.
                if let Some(f) = findings(app).into_iter().find(|f| f.server == which) {
                    text.lines.push(Line::styled(
                        app.tf("tui.troubleshoot.fix", &[("text", &f.fix)]),
                        th.muted(),
                    ));
                } else {
                    let key = format!(
                        "tui.advice.{}",
                        e.i18n_key().trim_start_matches("net.error.")
                    );
                    text.lines.push(Line::styled(app.t(&key), th.muted()));
                }
            }
        }
        None => {}
    }
    text
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
    // The outcome line sits below both servers, whatever the layout.
    let [body, foot] = Layout::vertical([Constraint::Fill(1), Constraint::Length(3)]).areas(rest);
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
    let a_rest = foot;
    if let Some(step) = fix_target(app) {
        let hint = app.tf(
            "tui.test.fix_hint",
            &[("step", app.t(&super::title_key(app, step)))],
        );
        let more = app.t("tui.troubleshoot.test_hint");
        block_text(
            frame,
            a_rest,
            Text::from(vec![
                Line::styled(hint, th.key()),
                Line::styled(more, th.key()),
            ]),
            0,
        );
    } else if app.incoming.ok() && app.smtp.ok() {
        block_text(
            frame,
            a_rest,
            Line::styled(app.t("tui.test.all_ok"), th.ok()),
            0,
        );
    }
}
