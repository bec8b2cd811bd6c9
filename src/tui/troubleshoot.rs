//! "Something doesn't work": the doctor run on the account in the form,
//! in the background, then its findings as a checklist (worst first), what
//! each server showed, pinning a refused certificate with the user's
//! consent, saving the redacted transcript, and a key to the wizard step
//! holding the setting to change.
//!
//! It is a screen over the current step (Welcome or Test), not a step of
//! the wizard: Esc comes back to where it was opened.

use super::app::App;
use super::msg::{Control, Effect};
use super::step::Step;
use super::steps::test_password;
use super::update::goto;
use crate::account::Role;
use crate::check::Side;
use crate::doctor::{Code, DoctorReport, Finding, ServerProbe};
use crate::providers::{self, Provider};
use std::path::PathBuf;

use super::troubleshoot_actions::{fix, pin, save_transcript};
pub use super::troubleshoot_actions::{
    fix_target, jump, offers_sign_in, on_diagnosed, on_died, on_transcript_saved, on_written,
};

/// What is shown: the checklist or the servers' details.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum View {
    #[default]
    Findings,
    Servers,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Saved {
    Saving(u64),
    Done(PathBuf),
    Failed { path: PathBuf, detail: String },
}

/// A line under the checklist, after an action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// The pin is in the saved account (`true`) or only in the form.
    Pinned {
        saved: bool,
    },
    PinNotSaved(String),
}

#[derive(Debug, Default)]
pub struct Troubleshoot {
    /// Where Esc goes back to.
    pub from: Option<Step>,
    /// The running doctor request.
    pub id: Option<u64>,
    pub report: Option<Box<DoctorReport>>,
    pub findings: Vec<Finding>,
    /// A password could not be read: the login was not tried.
    pub password_note: Option<String>,
    pub selected: usize,
    pub view: View,
    /// The certificates the user is asked to pin (server, SHA-256 hex).
    pub confirm_pin: Option<Vec<(Side, String)>>,
    pub pin_save: Option<u64>,
    pub transcript: Option<Saved>,
    /// The ticket file (`B`, issue 16.2).
    pub bundle: Option<Saved>,
    pub notice: Option<Notice>,
    pub cancelled: bool,
    /// The doctor's task died (a panic: a bug in mailwiz).
    pub crashed: Option<super::msg::WorkerDied>,
    /// The recipient the runs try at RCPT TO (A sets it; None: none tried).
    pub rcpt: Option<String>,
    /// The recipient field, while it is open.
    pub rcpt_field: Option<super::troubleshoot_rcpt::RcptField>,
}

impl Troubleshoot {
    pub fn running(&self) -> bool {
        self.id.is_some()
    }

    pub fn selected_finding(&self) -> Option<&Finding> {
        self.findings.get(self.selected)
    }

    /// The certificates that a `tls_untrusted` finding offers to pin.
    pub fn pinnable(&self) -> Vec<(Side, String)> {
        let Some(report) = &self.report else {
            return Vec::new();
        };
        let mut out: Vec<(Side, String)> = Vec::new();
        for f in self
            .findings
            .iter()
            .filter(|f| f.code == Code::TlsUntrusted)
        {
            let probe = probe(report, f.server);
            if let Some(c) = &probe.cert
                && !out.iter().any(|(s, _)| *s == f.server)
            {
                out.push((f.server, c.sha256.clone()));
            }
        }
        out
    }
}

pub fn probe(report: &DoctorReport, side: Side) -> &ServerProbe {
    match side {
        Side::Incoming => &report.incoming,
        Side::Smtp => &report.smtp,
    }
}

pub fn provider(app: &App) -> Option<&'static Provider> {
    app.form
        .provider()
        .or_else(|| providers::for_email(app.form.email()))
}

/// Opens the screen over the current step and starts a run.
pub fn open(app: &mut App, from: Step) -> Vec<Effect> {
    app.troubleshoot = Some(Troubleshoot {
        from: Some(from),
        ..Troubleshoot::default()
    });
    start(app)
}

/// (Re)starts the doctor; an earlier run still going is cancelled, and its
/// result, no longer pending, will be dropped.
pub fn start(app: &mut App) -> Vec<Effect> {
    if let Some(effects) =
        super::signin_renew::renew_first(app, super::signin_renew::AfterRenewal::Diagnose)
    {
        return effects;
    }
    let mut effects = stop(app);
    let id = app.request_id(super::msg::Purpose::Diagnose);
    let account = Box::new(app.form.account());
    let incoming = test_password(app, Role::Incoming);
    let smtp = test_password(app, Role::Smtp);
    let rcpt = app.troubleshoot.as_ref().and_then(|ts| ts.rcpt.clone());
    if let Some(ts) = app.troubleshoot.as_mut() {
        ts.id = Some(id);
        ts.report = None;
        ts.findings.clear();
        ts.password_note = None;
        ts.selected = 0;
        ts.confirm_pin = None;
        ts.transcript = None;
        ts.cancelled = false;
        ts.crashed = None;
    }
    effects.push(Effect::Diagnose {
        id,
        account,
        incoming,
        smtp,
        rcpt,
    });
    effects
}

fn stop(app: &mut App) -> Vec<Effect> {
    let Some(id) = app.troubleshoot.as_mut().and_then(|ts| ts.id.take()) else {
        return Vec::new();
    };
    app.pending.remove(&id);
    if let Some(ts) = app.troubleshoot.as_mut() {
        ts.cancelled = true;
    }
    vec![Effect::Cancel(id)]
}

pub(super) fn close(app: &mut App) -> Vec<Effect> {
    let mut effects = stop(app);
    let from = app.troubleshoot.take().and_then(|ts| ts.from);
    if from == Some(Step::Welcome) && app.step != Step::Welcome {
        effects.extend(goto(app, Step::Welcome));
    }
    effects.extend(super::steps::on_back_from_diagnosis(app));
    effects
}

pub fn on_control(app: &mut App, c: Control) -> Vec<Effect> {
    let Some(ts) = app.troubleshoot.as_mut() else {
        return Vec::new();
    };
    if let Some(pins) = ts.confirm_pin.clone() {
        return match c {
            Control::Char('y' | 'o') => pin(app, pins),
            Control::Char('n') | Control::Back => {
                ts.confirm_pin = None;
                Vec::new()
            }
            _ => Vec::new(),
        };
    }
    if ts.running() {
        return match c {
            Control::Back => stop(app),
            _ => Vec::new(),
        };
    }
    if ts.rcpt_field.is_some() {
        return super::troubleshoot_rcpt::on_control(app, c);
    }
    let n = ts.findings.len();
    match c {
        Control::Back => return close(app),
        Control::Up | Control::Prev if n > 0 => {
            ts.selected = (ts.selected + n - 1) % n;
            app.scroll.reset();
        }
        Control::Down | Control::Next if n > 0 => {
            ts.selected = (ts.selected + 1) % n;
            app.scroll.reset();
        }
        Control::Char('i') | Control::Left | Control::Right => {
            ts.view = match ts.view {
                View::Findings => View::Servers,
                View::Servers => View::Findings,
            };
        }
        Control::Char('r') => return start(app),
        Control::Char('p') => {
            let pins = ts.pinnable();
            if !pins.is_empty() {
                ts.confirm_pin = Some(pins);
            }
        }
        Control::Char('s') => return save_transcript(app),
        Control::Char('b') => return super::troubleshoot_actions::save_bundle(app),
        Control::Char('a') => return super::troubleshoot_rcpt::open(app),
        Control::Char('f') => return fix(app),
        _ => {}
    }
    Vec::new()
}

/// The footer's keys on this screen.
pub fn keys(app: &App) -> Vec<(&'static str, &'static str)> {
    let Some(ts) = app.troubleshoot.as_ref() else {
        return Vec::new();
    };
    if ts.confirm_pin.is_some() {
        // Y (or O in French) is in the question itself.
        return vec![("Esc", "tui.troubleshoot.key_pin_no")];
    }
    if ts.running() {
        return vec![("Esc", "tui.troubleshoot.key_stop")];
    }
    if ts.rcpt_field.is_some() {
        return vec![
            ("Enter", "tui_layout.rcpt.key_try"),
            ("Esc", "tui.key.cancel"),
        ];
    }
    // ↑↓ is left out: the › shows it, the help says it, and the line is full.
    let mut keys = Vec::new();
    if offers_sign_in(app) {
        keys.push(("F", "tui.signin.key_troubleshoot"));
    } else if fix_target(app).is_some() {
        keys.push(("F", "tui.troubleshoot.key_fix"));
    }
    if !ts.pinnable().is_empty() {
        keys.push(("P", "tui.troubleshoot.key_pin"));
    }
    if ts.report.is_some() {
        keys.push(("S", "tui.troubleshoot.key_transcript"));
        keys.push((
            "I",
            match ts.view {
                View::Findings => "tui.troubleshoot.key_servers",
                View::Servers => "tui.troubleshoot.key_findings",
            },
        ));
    }
    keys.push(("R", "tui.troubleshoot.key_retry"));
    // After R: on a full line it goes first (the status line names it).
    keys.push(("A", "tui_layout.rcpt.key"));
    keys.push(("Esc", "tui.key.back"));
    keys
}
