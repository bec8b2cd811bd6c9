//! "Something doesn't work": the doctor run on the account in the form,
//! in the background, then its findings as a checklist (worst first), what
//! each server showed, pinning a refused certificate with the user's
//! consent, saving the redacted transcript, and a key to the wizard step
//! holding the setting to change.
//!
//! It is a screen over the current step (Welcome or Test), not a step of
//! the wizard: Esc comes back to where it was opened.

use super::app::{App, Flow};
use super::field::Field;
use super::msg::{Control, Effect};
use super::step::Step;
use super::steps::test_password;
use super::update::goto;
use crate::account::Role;
use crate::check::Side;
use crate::config::Config;
use crate::doctor::{self, Code, DoctorReport, Finding, ServerProbe};
use crate::providers::{self, Provider};
use crate::service::ServiceError;
use std::path::PathBuf;

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
    pub crashed: Option<String>,
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

/// The wizard step (and field) holding the setting a finding asks to
/// change; `None` when nothing in the account can fix it (an expired
/// certificate, a sending limit) or the fix is here (pinning).
pub fn jump(f: &Finding) -> Option<(Step, Field)> {
    let (step, host, port, security, user) = match f.server {
        Side::Incoming => (
            Step::Incoming,
            Field::InHost,
            Field::InPort,
            Field::InSecurity,
            Field::InUser,
        ),
        Side::Smtp => (
            Step::Outgoing,
            Field::OutHost,
            Field::OutPort,
            Field::OutSecurity,
            Field::OutUser,
        ),
    };
    Some(match f.code {
        Code::DnsNotFound | Code::TlsHostnameMismatch | Code::Oauth2NotOffered => (step, host),
        Code::ConnectionRefused | Code::Timeout | Code::PortBlocked | Code::ProtocolMismatch => {
            (step, port)
        }
        Code::StarttlsUnavailable | Code::StarttlsRequired | Code::LoginDisabled => {
            (step, security)
        }
        Code::AuthWrongLoginForm => (step, user),
        Code::AuthFailed | Code::AppPasswordRequired | Code::Oauth2Required => {
            (Step::Password, Field::Password)
        }
        Code::AuthRequired | Code::RelayDenied => (Step::Outgoing, Field::AuthRequired),
        Code::Ok
        | Code::TlsExpired
        | Code::TlsUntrusted
        | Code::RecipientRejected
        | Code::SendingLimit
        | Code::SmtpAuthDisabled
        | Code::Oauth2ScopeMissing
        | Code::Ipv6Broken => return None,
    })
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
    let mut effects = stop(app);
    let id = app.request_id();
    let account = Box::new(app.form.account());
    let incoming = test_password(app, Role::Incoming);
    let smtp = test_password(app, Role::Smtp);
    let oauth2 = super::signin::settings(app);
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
        oauth2,
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

fn close(app: &mut App) -> Vec<Effect> {
    let mut effects = stop(app);
    let from = app.troubleshoot.take().and_then(|ts| ts.from);
    if from == Some(Step::Welcome) && app.step != Step::Welcome {
        effects.extend(goto(app, Step::Welcome));
    }
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
    let n = ts.findings.len();
    match c {
        Control::Back => return close(app),
        Control::Up | Control::Prev if n > 0 => ts.selected = (ts.selected + n - 1) % n,
        Control::Down | Control::Next if n > 0 => ts.selected = (ts.selected + 1) % n,
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
        Control::Char('b') => return save_bundle(app),
        Control::Char('f') => return fix(app),
        _ => {}
    }
    Vec::new()
}

/// The user said yes: the fingerprints go into the account (the form, and
/// the saved config when the account is already saved), then a new run.
fn pin(app: &mut App, pins: Vec<(Side, String)>) -> Vec<Effect> {
    for (side, sha) in pins {
        match side {
            Side::Incoming => app.form.pins.0 = Some(sha),
            Side::Smtp => app.form.pins.1 = Some(sha),
        }
    }
    let mut effects = Vec::new();
    let saved = app.flow == Flow::Existing;
    if saved {
        let id = app.request_id();
        effects.push(Effect::SaveAccount {
            id,
            path: app.config_path.clone(),
            account: Box::new(app.form.account()),
            oauth2: super::signin::saved_settings(app),
            secrets: Box::default(),
        });
        if let Some(ts) = app.troubleshoot.as_mut() {
            ts.pin_save = Some(id);
        }
    } else {
        app.dirty = true;
    }
    effects.extend(start(app));
    if let Some(ts) = app.troubleshoot.as_mut() {
        ts.notice = Some(Notice::Pinned { saved });
    }
    effects
}

/// Where the transcript goes: next to the configuration file.
pub fn transcript_path(app: &App) -> PathBuf {
    let name: String = app
        .form
        .account()
        .name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "@.-_".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let dir = app
        .config_path
        .parent()
        .map(PathBuf::from)
        .unwrap_or_default();
    dir.join(format!("transcript-{name}.txt"))
}

fn save_transcript(app: &mut App) -> Vec<Effect> {
    let Some(text) = app
        .troubleshoot
        .as_ref()
        .and_then(|ts| ts.report.as_ref())
        .map(|r| r.transcript.render())
    else {
        return Vec::new();
    };
    let path = transcript_path(app);
    let id = app.request_id();
    if let Some(ts) = app.troubleshoot.as_mut() {
        ts.transcript = Some(Saved::Saving(id));
    }
    vec![Effect::SaveTranscript { id, path, text }]
}

/// The doctor's ticket, next to the configuration file, under a new name.
fn save_bundle(app: &mut App) -> Vec<Effect> {
    let Some(report) = app.troubleshoot.as_ref().and_then(|ts| ts.report.as_ref()) else {
        return Vec::new();
    };
    let bundle =
        crate::doctor::bundle::Bundle::new(&app.form.account(), report, provider(app), app.lang);
    let path = transcript_path(app).with_file_name(format!(
        "ticket-{}-{}.json",
        app.form.account().name.replace(
            |c: char| !c.is_ascii_alphanumeric() && !"@.-_".contains(c),
            "_"
        ),
        bundle.created_unix
    ));
    let id = app.request_id();
    if let Some(ts) = app.troubleshoot.as_mut() {
        ts.bundle = Some(Saved::Saving(id));
    }
    vec![Effect::SaveBundle {
        id,
        path,
        bundle: Box::new(bundle),
    }]
}

/// The jump target of the selected finding, if any.
pub fn fix_target(app: &App) -> Option<(Step, Field)> {
    let ts = app.troubleshoot.as_ref()?;
    ts.selected_finding().and_then(jump)
}

/// The selected finding says only OAuth2 works: F opens the Sign-in step.
pub fn offers_sign_in(app: &App) -> bool {
    app.troubleshoot
        .as_ref()
        .and_then(|ts| ts.selected_finding())
        .is_some_and(|f| f.code == Code::Oauth2Required)
}

fn fix(app: &mut App) -> Vec<Effect> {
    let Some((step, field)) = fix_target(app) else {
        return Vec::new();
    };
    let sign_in = offers_sign_in(app);
    let mut effects = close(app);
    app.flow = Flow::Setup;
    if sign_in {
        let preset = app.form.provider();
        app.form.auth = Some(crate::account::AuthMethod::Oauth2);
        app.form.oauth.fill(preset);
        app.dirty = true;
    }
    effects.extend(goto(app, step));
    if let Some(i) = app.fields().iter().position(|f| *f == field) {
        app.focus = i;
    }
    effects
}

pub fn on_diagnosed(
    app: &mut App,
    id: u64,
    report: Box<DoctorReport>,
    password_note: Option<String>,
) -> Vec<Effect> {
    let provider = provider(app);
    let lang = app.lang;
    if let Some(ts) = app.troubleshoot.as_mut()
        && ts.id == Some(id)
    {
        ts.id = None;
        ts.findings = doctor::findings(&report, provider, lang);
        ts.report = Some(report);
        ts.password_note = password_note;
        ts.selected = 0;
    }
    Vec::new()
}

pub fn on_transcript_saved(app: &mut App, id: u64, path: PathBuf, result: Result<(), String>) {
    if let Some(ts) = app.troubleshoot.as_mut()
        && ts.bundle == Some(Saved::Saving(id))
    {
        ts.bundle = Some(match result {
            Ok(()) => Saved::Done(path),
            Err(detail) => Saved::Failed { path, detail },
        });
        return;
    }
    if let Some(ts) = app.troubleshoot.as_mut()
        && ts.transcript == Some(Saved::Saving(id))
    {
        ts.transcript = Some(match result {
            Ok(()) => Saved::Done(path),
            Err(detail) => Saved::Failed { path, detail },
        });
    }
}

/// True when this config write is the pin's save (the caller then does
/// not treat it as anything else).
pub fn owns_write(app: &App, id: u64) -> bool {
    app.troubleshoot
        .as_ref()
        .is_some_and(|ts| ts.pin_save == Some(id))
}

pub fn on_written(app: &mut App, result: Result<Config, ServiceError>) -> Vec<Effect> {
    let lang = app.lang;
    let note = match result {
        Ok(config) => {
            app.config = config;
            app.config_error = None;
            Notice::Pinned { saved: true }
        }
        Err(e) => Notice::PinNotSaved(e.localized(lang)),
    };
    if let Some(ts) = app.troubleshoot.as_mut() {
        ts.pin_save = None;
        ts.notice = Some(note);
    }
    Vec::new()
}

pub fn on_failed(app: &mut App, id: u64, detail: &str) {
    let Some(ts) = app.troubleshoot.as_mut() else {
        return;
    };
    if ts.id == Some(id) {
        ts.id = None;
        ts.crashed = Some(detail.to_string());
    }
    if ts.transcript == Some(Saved::Saving(id)) {
        ts.transcript = Some(Saved::Failed {
            path: PathBuf::new(),
            detail: detail.to_string(),
        });
    }
    if ts.pin_save == Some(id) {
        ts.pin_save = None;
        ts.notice = Some(Notice::PinNotSaved(detail.to_string()));
    }
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
    keys.push(("Esc", "tui.key.back"));
    keys
}
