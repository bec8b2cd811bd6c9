//! The effects runner: each effect runs on its own thread and its result
//! comes back on the loop's channel as a `Msg` with the request's id. Each
//! request has a cancel flag; `Effect::Cancel` raises it. A panic in the
//! work becomes `Msg::Failed`, so the screen never waits forever.

use super::msg::{Effect, Msg, RequestId};
use crate::account::{Account, OAuth2Settings, Role};
use crate::check::{self, CheckOptions};
use crate::config;
use crate::credentials::{self, CredentialError};
use crate::discover::{self, DiscoverOptions};
use crate::i18n::Lang;
use crate::secret::Secret;
use crate::secrets::{Keyring, SecretsError};
use crate::send;
use crate::service::{self, NewSecrets, SaveRequest, ServiceError};
use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How long one server check may take before it is a timeout.
pub const CHECK_TIMEOUT: Duration = Duration::from_secs(20);

pub struct Runner {
    tx: Sender<Msg>,
    flags: Arc<Mutex<HashMap<RequestId, Arc<AtomicBool>>>>,
}

impl Runner {
    pub fn new(tx: Sender<Msg>) -> Runner {
        Runner {
            tx,
            flags: Arc::default(),
        }
    }

    /// Starts the effect; returns false for `Quit`.
    pub fn run(&self, effect: Effect, lang: Lang) -> bool {
        match effect {
            Effect::Quit => return false,
            Effect::Cancel(id) => {
                if let Some(flag) = self
                    .flags
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .get(&id)
                {
                    flag.store(true, Ordering::Relaxed);
                }
            }
            other => self.spawn(other, lang),
        }
        true
    }

    fn spawn(&self, effect: Effect, lang: Lang) {
        let id = effect_id(&effect);
        let flag = Arc::new(AtomicBool::new(false));
        self.flags
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(id, flag.clone());
        let tx = self.tx.clone();
        let flags = self.flags.clone();
        std::thread::spawn(move || {
            let out = catch_unwind(AssertUnwindSafe(|| work(effect, &tx, flag, lang)));
            let msg = out.unwrap_or_else(|panic| {
                let detail = panic
                    .downcast_ref::<&str>()
                    .map(std::string::ToString::to_string)
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                Msg::Failed { id, detail }
            });
            flags
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .remove(&id);
            let _ = tx.send(msg);
        });
    }
}

fn effect_id(effect: &Effect) -> RequestId {
    match effect {
        Effect::ProbeKeyring { id, .. }
        | Effect::CheckIncoming { id, .. }
        | Effect::CheckSmtp { id, .. }
        | Effect::SendTest { id, .. }
        | Effect::VerifyArrival { id, .. }
        | Effect::SaveAccount { id, .. }
        | Effect::RemoveAccount { id, .. }
        | Effect::Discover { id, .. }
        | Effect::Diagnose { id, .. }
        | Effect::SaveTranscript { id, .. }
        | Effect::SaveBundle { id, .. }
        | Effect::SignIn { id, .. }
        | Effect::Detect { id, .. } => *id,
        Effect::Cancel(id) => *id,
        Effect::Quit => 0,
    }
}

/// The secret in memory, else the core's: the keyring, the password
/// command, or a current OAuth2 access token.
fn resolve(
    account: &Account,
    oauth2: &OAuth2Settings,
    role: Role,
    given: Option<Secret>,
) -> Result<Option<Secret>, CredentialError> {
    match given {
        Some(s) => Ok(Some(s)),
        None => credentials::secret_for(account, oauth2, role, false),
    }
}

/// A refused access token: a fresh one, when mailwiz manages the tokens.
fn retry(
    account: &Account,
    oauth2: &OAuth2Settings,
    error: Option<&crate::net::NetError>,
) -> Option<Secret> {
    if !matches!(error, Some(crate::net::NetError::AuthFailed { .. })) {
        return None;
    }
    credentials::retry_token(account, oauth2).ok().flatten()
}

/// The keyring can be used (the password itself is written by the save).
fn probe_keyring() -> Result<(), SecretsError> {
    Keyring::open()?.probe()
}

/// Why there is no secret, and what to do here (an OAuth2 account that
/// must sign in is sent back to the Sign-in step).
fn no_secret(id: RequestId, e: CredentialError, account: &str, lang: Lang) -> Msg {
    let advice = if e.needs_sign_in() {
        crate::i18n::t(lang, "tui.signin.needed").to_string()
    } else {
        e.advice(lang, account)
    };
    Msg::Failed {
        id,
        detail: format!("{} {advice}", e.localized(lang)),
    }
}

fn work(effect: Effect, tx: &Sender<Msg>, flag: Arc<AtomicBool>, lang: Lang) -> Msg {
    let opts = CheckOptions {
        timeout: CHECK_TIMEOUT,
        cancel: Some(flag.clone()),
    };
    let progress = |id: RequestId| {
        let tx = tx.clone();
        move |p: check::Progress| {
            let _ = tx.send(Msg::Progress { id, progress: p });
        }
    };
    let no_password =
        |id, e: CredentialError, account: &Account| no_secret(id, e, &account.name, lang);
    match effect {
        Effect::ProbeKeyring { id } => Msg::KeyringProbed {
            id,
            result: probe_keyring(),
        },
        Effect::CheckIncoming {
            id,
            account,
            password,
            oauth2,
        } => match resolve(&account, &oauth2, Role::Incoming, password) {
            Ok(pw) => {
                let mut report = check::check_incoming(&account, pw.as_ref(), &opts, &progress(id));
                if let Some(token) = retry(&account, &oauth2, report.error.as_ref()) {
                    report = check::check_incoming(&account, Some(&token), &opts, &progress(id));
                }
                Msg::Checked { id, report }
            }
            Err(e) => no_password(id, e, &account),
        },
        Effect::CheckSmtp {
            id,
            account,
            password,
            oauth2,
        } => match resolve(&account, &oauth2, Role::Smtp, password) {
            Ok(pw) => {
                let pw = pw.filter(|_| account.smtp.auth_required);
                let mut report = check::check_smtp(&account, pw.as_ref(), &opts, &progress(id));
                if let Some(token) = retry(&account, &oauth2, report.error.as_ref()) {
                    report = check::check_smtp(&account, Some(&token), &opts, &progress(id));
                }
                Msg::Checked { id, report }
            }
            Err(e) => no_password(id, e, &account),
        },
        Effect::SendTest {
            id,
            account,
            to,
            password,
            oauth2,
        } => {
            let pw = match resolve(&account, &oauth2, Role::Smtp, password) {
                Ok(pw) => pw.filter(|_| account.smtp.auth_required),
                Err(e) => return no_password(id, e, &account),
            };
            let message = send::new_test_message(&account, Some(&to));
            let mut report = send::send_test(&account, &message, pw.as_ref(), &opts, &progress(id));
            if let Some(token) = retry(&account, &oauth2, report.error.as_ref()) {
                report = send::send_test(&account, &message, Some(&token), &opts, &progress(id));
            }
            Msg::Sent {
                id,
                message,
                report,
            }
        }
        Effect::VerifyArrival {
            id,
            account,
            message_id,
            password,
            deadline,
            oauth2,
        } => match resolve(&account, &oauth2, Role::Incoming, password) {
            Ok(pw) => Msg::Arrived {
                id,
                report: send::verify_arrival(
                    &account,
                    &message_id,
                    pw.as_ref(),
                    deadline,
                    Some(flag),
                ),
            },
            Err(e) => no_password(id, e, &account),
        },
        Effect::SaveAccount {
            id,
            path,
            account,
            oauth2,
            secrets,
        } => Msg::ConfigWritten {
            id,
            result: save_account(&path, *account, oauth2, *secrets),
        },
        Effect::RemoveAccount { id, path, name } => Msg::ConfigWritten {
            id,
            result: service::remove_account(&path, &name, None).map(|removed| removed.config),
        },
        Effect::Discover { id, email, options } => {
            let opts = DiscoverOptions {
                cancel: Some(flag),
                ..*options
            };
            let report = discover::discover(&email, &opts, &|event| {
                let _ = tx.send(Msg::Discovery { id, event });
            });
            Msg::Discovered {
                id,
                report: Box::new(report),
            }
        }
        Effect::Diagnose {
            id,
            account,
            incoming,
            smtp,
            oauth2,
        } => diagnose(id, &account, &oauth2, [incoming, smtp], flag, lang),
        Effect::SignIn {
            id,
            account,
            oauth2,
            client_secret,
            flow,
        } => {
            super::signin_runner::sign_in(id, &account, oauth2, client_secret, flow, tx, flag, lang)
        }
        Effect::SaveTranscript { id, path, text } => {
            let result = path
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
                .map_or(Ok(()), std::fs::create_dir_all)
                .and_then(|()| std::fs::write(&path, text))
                .map_err(|e| e.to_string());
            Msg::TranscriptSaved { id, path, result }
        }
        Effect::SaveBundle { id, path, bundle } => {
            let result = crate::doctor::bundle::write(&bundle, &path).map_err(|e| {
                let args = e.i18n_args();
                let mut refs: Vec<(&str, &str)> =
                    args.iter().map(|(k, v)| (*k, v.as_str())).collect();
                let shown = path.display().to_string();
                refs.push(("path", &shown));
                crate::i18n::tf(lang, e.i18n_key(), &refs)
            });
            Msg::TranscriptSaved { id, path, result }
        }
        Effect::Detect { id, roots } => Msg::Detected {
            id,
            accounts: crate::detect::scan(&roots).accounts,
        },
        // Handled by `run` without a thread.
        Effect::Cancel(id) => Msg::Failed {
            id,
            detail: String::new(),
        },
        Effect::Quit => Msg::Tick,
    }
}

fn save_account(
    path: &std::path::Path,
    account: Account,
    oauth2: Option<OAuth2Settings>,
    secrets: NewSecrets,
) -> Result<config::Config, ServiceError> {
    let request = SaveRequest {
        account,
        oauth2,
        secrets,
    };
    service::save_account(path, request, None).map(|saved| saved.config)
}

/// The doctor on the account: the secrets it needs (a missing one is
/// noted, and that login is not tried), every probe under the doctor's
/// bound, stopped by the request's cancel flag.
fn diagnose(
    id: RequestId,
    account: &Account,
    oauth2: &OAuth2Settings,
    given: [Option<Secret>; 2],
    flag: Arc<AtomicBool>,
    lang: Lang,
) -> Msg {
    use crate::doctor::{self, DoctorOptions, Passwords};
    let mut notes = Vec::new();
    let [incoming, smtp] = given;
    let mut need = |role: Role, given: Option<Secret>| -> Option<Secret> {
        resolve(account, oauth2, role, given)
            .map_err(|e| notes.push(e.localized(lang)))
            .ok()
            .flatten()
    };
    let incoming = need(Role::Incoming, incoming);
    let smtp = need(Role::Smtp, smtp);
    notes.dedup();
    let opts = DoctorOptions {
        cancel: Some(flag),
        ..DoctorOptions::default()
    };
    let pw = Passwords {
        incoming: incoming.as_ref(),
        smtp: smtp.as_ref(),
    };
    let report = doctor::run(account, pw, &opts);
    Msg::Diagnosed {
        id,
        report: Box::new(report),
        password_note: (!notes.is_empty()).then(|| notes.join(" ")),
    }
}
