//! Step 9: send a test message (To defaults to the account itself), show
//! the server's reply, and optionally wait until it arrives.

use crate::account::Role;
use crate::check::Progress;
use crate::doctor::{self, Finding};
use crate::send::{SendReport, TestMessage, VerifyReport};
use crate::tui::app::{App, Flow, Stopped};
use crate::tui::field::Field;
use crate::tui::msg::{Control, Effect, Purpose, RequestId};
use crate::tui::signin_renew::{AfterRenewal, renew_first};
use crate::tui::step::Step;
use crate::tui::update::{form_control, goto, validate};
use crate::tui::widgets::{block_text, form, spinner, split_top};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span, Text};
use std::time::Duration;

pub const ARRIVAL_DEADLINE: Duration = Duration::from_secs(60);

pub fn enter(app: &mut App) -> Vec<Effect> {
    let effects = cancel(app);
    let to = app.form.to.value().to_string();
    app.send = Default::default();
    if to.trim().is_empty() {
        app.form.to = tui_input::Input::new(app.form.email().to_string());
    }
    effects
}

fn busy(app: &App) -> bool {
    app.send.id.is_some() || app.send.verify_id.is_some()
}

fn cancel(app: &mut App) -> Vec<Effect> {
    let mut effects = Vec::new();
    for id in [app.send.id.take(), app.send.verify_id.take()]
        .into_iter()
        .flatten()
    {
        app.pending.remove(&id);
        app.send.cancelled = true;
        effects.push(Effect::Cancel(id));
    }
    app.send.running = None;
    effects
}

pub fn send(app: &mut App) -> Vec<Effect> {
    if let Some(effects) = renew_first(app, AfterRenewal::SendTest) {
        return effects;
    }
    if !validate(app, &[Field::To]) {
        app.send.editing_to = true;
        return Vec::new();
    }
    app.send.editing_to = false;
    let id = app.request_id(Purpose::SendTest);
    app.send.id = Some(id);
    app.send.report = None;
    app.send.message = None;
    app.send.verify = None;
    app.send.cancelled = false;
    app.send.crashed = None;
    vec![Effect::SendTest {
        id,
        account: Box::new(app.form.account()),
        to: app.form.to.value().trim().to_string(),
        password: super::test::password(app, Role::Smtp),
    }]
}

/// The arrival check of the message just sent.
pub fn verify(app: &mut App) -> Vec<Effect> {
    let Some(message_id) = app.send.message.as_ref().map(|m| m.id.clone()) else {
        return Vec::new();
    };
    if let Some(effects) = renew_first(app, AfterRenewal::Verify) {
        return effects;
    }
    let id = app.request_id(Purpose::Verify);
    app.send.verify_id = Some(id);
    app.send.verify = None;
    vec![Effect::VerifyArrival {
        id,
        account: Box::new(app.form.account()),
        message_id,
        password: super::test::password(app, Role::Incoming),
        deadline: ARRIVAL_DEADLINE,
    }]
}

fn sent_ok(app: &App) -> bool {
    app.send.report.as_ref().is_some_and(|r| r.ok)
}

/// The doctor's findings for a refused test message: the same as the Test
/// step's and the diagnosis's for the same reply.
pub fn findings(app: &App) -> Vec<Finding> {
    app.send.report.as_ref().map_or_else(Vec::new, |r| {
        doctor::findings_from_send(
            &app.form.account(),
            r,
            crate::tui::troubleshoot::provider(app),
            &super::test::context(app),
            app.lang,
        )
    })
}

/// The step and field holding the setting the first finding asks to
/// change (none for a sending limit: nothing in the account fixes it).
fn fix_target(app: &App) -> Option<(Step, Field)> {
    findings(app)
        .first()
        .and_then(crate::tui::troubleshoot::jump)
}

fn fix(app: &mut App) -> Vec<Effect> {
    let Some((step, field)) = fix_target(app) else {
        return Vec::new();
    };
    app.flow = Flow::Setup;
    let effects = goto(app, step);
    if let Some(i) = app.fields().iter().position(|f| *f == field) {
        app.focus = i;
    }
    effects
}

fn send_failed(app: &App) -> bool {
    app.send.report.as_ref().is_some_and(|r| !r.ok)
}

pub fn on_control(app: &mut App, c: Control) -> Vec<Effect> {
    match c {
        Control::Back if busy(app) => cancel(app),
        Control::Back if app.send.editing_to => {
            app.send.editing_to = false;
            Vec::new()
        }
        Control::Back => match app.flow {
            Flow::Existing => goto(app, Step::Welcome),
            Flow::Setup => goto(app, Step::Test),
        },
        _ if busy(app) => Vec::new(),
        Control::Confirm if app.send.editing_to => send(app),
        Control::Next | Control::Prev | Control::Char('e') if !app.send.editing_to => {
            app.send.editing_to = true;
            Vec::new()
        }
        Control::Next | Control::Prev => {
            app.send.editing_to = false;
            Vec::new()
        }
        Control::Char('s') => send(app),
        Control::Char('f') if fix_target(app).is_some() => fix(app),
        Control::Char('d') if send_failed(app) => crate::tui::troubleshoot::open(app, Step::Send),
        Control::Char('w') if sent_ok(app) => verify(app),
        Control::Confirm if sent_ok(app) => match app.flow {
            Flow::Existing => goto(app, Step::Welcome),
            Flow::Setup => goto(app, Step::Summary),
        },
        Control::Confirm => send(app),
        Control::Char('n') if app.flow == Flow::Setup => goto(app, Step::Summary),
        c => {
            form_control(app, c);
            Vec::new()
        }
    }
}

pub fn on_progress(app: &mut App, id: u64, progress: &Progress) {
    if app.send.id == Some(id) {
        app.send.running = match progress {
            Progress::Started { phase, .. } => Some(*phase),
            Progress::Finished { .. } => None,
        };
    }
}

pub fn on_sent(app: &mut App, id: u64, message: TestMessage, report: SendReport) -> Vec<Effect> {
    if app.send.id == Some(id) {
        app.send.id = None;
        app.send.running = None;
        app.send.message = Some(message);
        app.send.report = Some(report);
    }
    Vec::new()
}

pub fn on_arrived(app: &mut App, id: u64, report: VerifyReport) -> Vec<Effect> {
    if app.send.verify_id == Some(id) {
        app.send.verify_id = None;
        app.send.verify = Some(report);
    }
    Vec::new()
}

/// The send or the arrival check ended without a report: no secret, or
/// its task died.
pub fn on_stopped(app: &mut App, id: RequestId, why: Stopped) {
    if app.send.id == Some(id) || app.send.verify_id == Some(id) {
        app.send.id = None;
        app.send.verify_id = None;
        app.send.running = None;
        app.send.crashed = Some(why);
    }
}

pub fn keys(app: &App) -> Vec<(&'static str, &'static str)> {
    if busy(app) {
        return vec![("Esc", "tui.key.cancel")];
    }
    if app.send.editing_to {
        return vec![
            ("Enter", "tui.send.key_send"),
            ("Esc", "tui.key.done_editing"),
        ];
    }
    // Most useful first: a narrow footer drops hints from the end, so after
    // a failure the way to fix it comes before editing the recipient.
    let mut keys = vec![("S", "tui.send.key_send")];
    if fix_target(app).is_some() {
        keys.push(("F", "tui.test.key_fix"));
    }
    if send_failed(app) {
        keys.push(("D", "tui.troubleshoot.key_open"));
    }
    keys.push(("Tab", "tui.send.key_edit_to"));
    if sent_ok(app) {
        keys.insert(0, ("Enter", "tui.key.next"));
        keys.push(("W", "tui.send.key_wait"));
    } else if app.flow == Flow::Setup {
        keys.push(("N", "tui.send.key_skip"));
    }
    keys.push(("Esc", "tui.key.back"));
    keys
}

/// A refused message: the finding (title, then its fix, prominent), the
/// key to the setting, then the server's own words once, as evidence.
fn failure_lines(app: &App, r: &SendReport, text: &mut Text<'static>) {
    let th = app.theme;
    match (findings(app).first(), &r.error) {
        (Some(f), _) => {
            text.lines
                .push(Line::styled(format!("✗ {}", f.title), th.error()));
            text.lines
                .push(Line::styled(f.explanation.clone(), th.value()));
            text.lines.push(Line::styled(
                app.tf("tui.troubleshoot.fix", &[("text", &f.fix)]),
                th.key(),
            ));
            if let Some((step, _)) = fix_target(app) {
                let step = app.t(&super::title_key(app, step));
                text.lines.push(Line::styled(
                    app.tf("tui.test.fix_hint", &[("step", step)]),
                    th.key(),
                ));
            }
        }
        (None, Some(e)) => super::test_view::advice_lines(app, e, text),
        (None, None) => {}
    }
    if let Some(reply) = &r.reply {
        let reply = reply.to_string();
        text.lines.push(Line::styled(
            app.tf("tui.send.reply", &[("reply", &reply)]),
            th.muted(),
        ));
    } else if let Some(f) = findings(app).first().filter(|f| !f.evidence.is_empty()) {
        text.lines.push(Line::styled(
            app.tf("tui.troubleshoot.evidence", &[("text", &f.evidence)]),
            th.muted(),
        ));
    }
}

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let th = app.theme;
    let rest = block_text(
        frame,
        area,
        Text::styled(app.t("tui.send.intro"), th.value()),
        1,
    );
    let used = form(app, frame, rest, &[Field::To]);
    let rest = split_top(rest, used + 1).1;
    let button = format!("[ {} ]", app.t("tui.send.button"));
    let style = if app.send.editing_to || busy(app) {
        th.value()
    } else {
        th.focused()
    };
    let rest = block_text(frame, rest, Line::from(Span::styled(button, style)), 1);
    let mut text = Text::default();
    if app.send.id.is_some() {
        let phase = app.send.running.map_or("", |p| p.localized(app.lang));
        let line = format!("{} {} {phase}", spinner(app), app.t("tui.send.sending"));
        text.lines.push(Line::styled(line, th.value()));
    } else if crate::tui::signin_renew::renewing(app) {
        let line = format!("{} {}", spinner(app), app.t("tui_renew.renewing"));
        text.lines.push(Line::styled(line, th.value()));
    }
    if app.send.cancelled {
        text.lines
            .push(Line::styled(app.t("tui.test.cancelled"), th.warn()));
    }
    if let Some(why) = &app.send.crashed {
        text.lines
            .push(Line::styled(super::stopped_text(app, why), th.error()));
    }
    if let Some(r) = &app.send.report {
        sent_lines(app, r, &mut text);
    }
    arrival_lines(app, &mut text);
    block_text(frame, rest, text, 0);
}

/// The test message: sent (with the server's reply), or why not; its
/// subject.
fn sent_lines(app: &App, r: &SendReport, text: &mut Text<'static>) {
    let th = app.theme;
    if r.ok {
        let to = app.send.message.as_ref().map_or("", |m| m.to.as_str());
        text.lines.push(Line::styled(
            app.tf("tui.send.sent", &[("to", to)]),
            th.ok(),
        ));
        if let Some(reply) = &r.reply {
            let reply = reply.to_string();
            text.lines.push(Line::styled(
                app.tf("tui.send.reply", &[("reply", &reply)]),
                th.muted(),
            ));
        }
    } else {
        failure_lines(app, r, text);
    }
    if let Some(m) = &app.send.message {
        text.lines.push(Line::styled(
            app.tf("tui.send.subject", &[("subject", &m.subject)]),
            th.muted(),
        ));
    }
}

/// The arrival check: waiting, arrived after so long, or not (and why).
fn arrival_lines(app: &App, text: &mut Text<'static>) {
    let th = app.theme;
    if app.send.verify_id.is_some() {
        let secs = ARRIVAL_DEADLINE.as_secs().to_string();
        let line = format!(
            "{} {}",
            spinner(app),
            app.tf("tui.send.waiting", &[("seconds", &secs)])
        );
        text.lines.push(Line::styled(line, th.value()));
    }
    let Some(v) = &app.send.verify else {
        return;
    };
    let secs = crate::i18n::decimal(app.lang, v.elapsed_ms as f64 / 1000.0, 1);
    if v.found {
        text.lines.push(Line::styled(
            app.tf("tui.send.arrived", &[("seconds", &secs)]),
            th.ok(),
        ));
        return;
    }
    text.lines.push(Line::styled(
        app.tf("tui.send.not_arrived", &[("seconds", &secs)]),
        th.error(),
    ));
    if let Some(e) = &v.error {
        text.lines
            .push(Line::styled(e.localized(app.lang), th.error()));
    }
}
