//! The Test step's trust and confirmation prompts: the certificates a
//! failure offers to trust (a CA file, or a pin after consent), a CA file
//! that cannot be used, the "go on anyway?" question, and the steps the
//! step list marks ✗.

use super::test::{TestPrompt, failed, findings, start};
use crate::check::Side;
use crate::doctor::{Code, Severity};
use crate::tui::app::App;
use crate::tui::field::Field;
use crate::tui::msg::{Control, Effect};
use crate::tui::step::Step;
use crate::tui::troubleshoot;
use crate::tui::update::{form_control, goto};

/// The certificates a failure offers to trust: (side, SHA-256) of the
/// servers that showed one the system does not trust.
pub fn untrusted_certs(app: &App) -> Vec<(Side, String)> {
    let found = findings(app);
    [(Side::Incoming, &app.incoming), (Side::Smtp, &app.smtp)]
        .into_iter()
        .filter(|(side, _)| {
            found
                .iter()
                .any(|f| f.server == *side && f.code == Code::TlsUntrusted)
        })
        .filter_map(|(side, run)| {
            let cert = run.report.as_ref()?.cert.as_ref()?;
            Some((side, cert.sha256.clone()))
        })
        .collect()
}

/// The CA file could not be used (missing, unreadable, not PEM): the check
/// stopped before any network step. Its reason, for the screen.
pub fn ca_file_unusable(app: &App) -> Option<String> {
    if app.form.ca_file.value().trim().is_empty() {
        return None;
    }
    [&app.incoming, &app.smtp]
        .into_iter()
        .find_map(|run| match &run.report.as_ref()?.error {
            Some(crate::net::NetError::CaFile(e)) => Some(e.localized(app.lang)),
            _ => None,
        })
}

/// C is offered: a certificate to trust, or a CA file to choose again.
pub fn offers_ca_file(app: &App) -> bool {
    !untrusted_certs(app).is_empty() || ca_file_unusable(app).is_some()
}

/// The account's trust changed here: it is now an edit, saved at the
/// summary (a saved account being checked goes on through the summary
/// instead of back to the start, so the change is not lost).
fn trust_changed(app: &mut App) {
    app.dirty = true;
    app.flow = crate::tui::app::Flow::Setup;
}

pub fn on_prompt(app: &mut App, c: Control) -> Vec<Effect> {
    let prompt = app.test_ui.prompt.clone();
    let yes = matches!(c, Control::Char('y' | 'o'));
    let no = matches!(c, Control::Char('n') | Control::Back);
    match prompt {
        TestPrompt::None => Vec::new(),
        TestPrompt::CaFile => match c {
            Control::Confirm if app.form.error(Field::CaFile).is_none() => {
                trust_changed(app);
                start(app)
            }
            Control::Back => {
                app.test_ui.prompt = TestPrompt::None;
                Vec::new()
            }
            c => {
                form_control(app, c);
                Vec::new()
            }
        },
        TestPrompt::ConfirmPin(pins) if yes => {
            for (side, sha) in pins {
                match side {
                    Side::Incoming => app.form.pins.0 = Some(sha),
                    Side::Smtp => app.form.pins.1 = Some(sha),
                }
            }
            trust_changed(app);
            start(app)
        }
        TestPrompt::ConfirmUntested if yes => {
            app.test_ui.prompt = TestPrompt::None;
            goto(app, Step::Send)
        }
        _ if no => {
            app.test_ui.prompt = TestPrompt::None;
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// The steps whose values failed a test: the Test (and Send) step itself
/// and the steps the findings point to; the step list marks them ✗.
pub fn failed_steps(app: &App) -> Vec<Step> {
    let mut out = Vec::new();
    if failed(&app.incoming) || failed(&app.smtp) {
        out.push(Step::Test);
        for f in findings(app)
            .iter()
            .filter(|f| f.severity == Severity::Error)
        {
            let step = troubleshoot::jump(f).map_or(
                match f.server {
                    Side::Incoming => Step::Incoming,
                    Side::Smtp => Step::Outgoing,
                },
                |(s, _)| s,
            );
            out.push(step);
        }
    }
    if app.send.report.as_ref().is_some_and(|r| !r.ok) {
        out.push(Step::Send);
        let sent = super::send::findings(app);
        out.extend(sent.iter().filter_map(troubleshoot::jump).map(|(s, _)| s));
    }
    out
}
