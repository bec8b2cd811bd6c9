//! What the troubleshooting screen's keys do besides moving: pin a
//! refused certificate, save the transcript, jump to the step that holds
//! the setting to change; and the results that come back for it.

use super::app::{App, Flow};
use super::field::Field;
use super::msg::{Effect, Purpose, RequestId, WorkerDied};
use super::step::Step;
use super::troubleshoot::{Notice, Saved, close, start};
use super::update::goto;
use crate::check::Side;
use crate::config::Config;
use crate::doctor::{self, Code, DoctorReport, Finding};
use crate::service::ServiceError;
use std::path::PathBuf;

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
        Code::CaFileUnusable => (step, Field::CaFile),
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

/// The user said yes: the fingerprints go into the account (the form, and
/// the saved config when the account is already saved), then a new run.
pub(super) fn pin(app: &mut App, pins: Vec<(Side, String)>) -> Vec<Effect> {
    for (side, sha) in pins {
        match side {
            Side::Incoming => app.form.pins.0 = Some(sha),
            Side::Smtp => app.form.pins.1 = Some(sha),
        }
    }
    let mut effects = Vec::new();
    let saved = app.flow == Flow::Existing;
    if saved {
        let id = app.request_id(Purpose::PinSave);
        effects.push(Effect::SaveAccount {
            id,
            path: app.config_path.clone(),
            account: Box::new(app.form.account()),
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

pub(super) fn save_transcript(app: &mut App) -> Vec<Effect> {
    let Some(text) = app
        .troubleshoot
        .as_ref()
        .and_then(|ts| ts.report.as_ref())
        .map(|r| r.transcript.render())
    else {
        return Vec::new();
    };
    let path = transcript_path(app);
    let id = app.request_id(Purpose::Transcript(path.clone()));
    if let Some(ts) = app.troubleshoot.as_mut() {
        ts.transcript = Some(Saved::Saving(id));
    }
    vec![Effect::SaveTranscript { id, path, text }]
}

/// The doctor's ticket, next to the configuration file, under a new name.
pub(super) fn save_bundle(app: &mut App) -> Vec<Effect> {
    let Some(report) = app.troubleshoot.as_ref().and_then(|ts| ts.report.as_ref()) else {
        return Vec::new();
    };
    let provider = super::troubleshoot::provider(app);
    let bundle =
        crate::doctor::bundle::Bundle::new(&app.form.account(), report, provider, app.lang);
    let path = transcript_path(app).with_file_name(format!(
        "ticket-{}-{}.json",
        app.form.account().name.replace(
            |c: char| !c.is_ascii_alphanumeric() && !"@.-_".contains(c),
            "_"
        ),
        bundle.created_unix
    ));
    let id = app.request_id(Purpose::Bundle(path.clone()));
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

pub(super) fn fix(app: &mut App) -> Vec<Effect> {
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
    oauth_finding: Option<Box<doctor::Finding>>,
) -> Vec<Effect> {
    let provider = super::troubleshoot::provider(app);
    let lang = app.lang;
    // The Test and Send steps' context: the same failure, the same finding.
    let ctx = super::steps::test_context(app);
    if let Some(ts) = app.troubleshoot.as_mut()
        && ts.id == Some(id)
    {
        ts.id = None;
        ts.findings = doctor::findings_in(&report, provider, &ctx, lang);
        // Issue 15 §3: why the last OAuth2 sign-in was refused comes first,
        // as in the CLI doctor.
        ts.findings.splice(0..0, oauth_finding.map(|f| *f));
        ts.report = Some(report);
        ts.password_note = password_note;
        ts.selected = 0;
    }
    Vec::new()
}

/// The transcript or the ticket (`purpose` says which) was written, or not.
pub fn on_transcript_saved(
    app: &mut App,
    purpose: &Purpose,
    id: RequestId,
    path: PathBuf,
    result: Result<(), String>,
) {
    let Some(ts) = app.troubleshoot.as_mut() else {
        return;
    };
    let slot = match purpose {
        Purpose::Bundle(_) => &mut ts.bundle,
        _ => &mut ts.transcript,
    };
    if *slot == Some(Saved::Saving(id)) {
        *slot = Some(match result {
            Ok(()) => Saved::Done(path),
            Err(detail) => Saved::Failed { path, detail },
        });
    }
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

/// A task of this screen died: the one its purpose names says so, as a
/// bug in mailwiz (never as an error of the file or the keyring).
pub fn on_died(app: &mut App, purpose: &Purpose, id: RequestId, died: &WorkerDied) {
    let what = super::steps::died_text(app, died);
    let Some(ts) = app.troubleshoot.as_mut() else {
        return;
    };
    match purpose {
        Purpose::Diagnose if ts.id == Some(id) => {
            ts.id = None;
            ts.crashed = Some(died.clone());
        }
        Purpose::Transcript(path) if ts.transcript == Some(Saved::Saving(id)) => {
            ts.transcript = Some(Saved::Failed {
                path: path.clone(),
                detail: what,
            });
        }
        Purpose::Bundle(path) if ts.bundle == Some(Saved::Saving(id)) => {
            ts.bundle = Some(Saved::Failed {
                path: path.clone(),
                detail: what,
            });
        }
        Purpose::PinSave if ts.pin_save == Some(id) => {
            ts.pin_save = None;
            ts.notice = Some(Notice::PinNotSaved(what));
        }
        _ => {}
    }
}
