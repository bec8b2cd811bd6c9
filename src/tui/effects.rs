//! The effects runner: each effect runs on its own thread and its result
//! comes back on the loop's channel as a `Msg` with the request's id. Each
//! request has a cancel flag; `Effect::Cancel` raises it. A panic in the
//! work becomes `Msg::Failed` (its words and place, `effects_panic.rs`),
//! so the screen never waits forever.

use super::msg::{Effect, Msg, RequestId};
use crate::account::Account;
use crate::check::{self, CheckOptions, Side};
use crate::config;
use crate::credentials::{self, CredentialError, Roles, Secrets};
use crate::discover::{self, DiscoverOptions};
use crate::i18n::Lang;
use crate::secrets::{Keyring, SecretsError};
use crate::send;
use crate::service::{self, Hooks, NewSecrets, SaveRequest, ServiceError};
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
        panic_report::install_hook();
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
        self.spawn_task(id, move |tx, flag| work(effect, tx, flag, lang));
    }

    /// Runs `task` on its own thread with the request's cancel flag; its
    /// message, or `Msg::Failed` when it panics, goes to the loop.
    fn spawn_task<F>(&self, id: RequestId, task: F)
    where
        F: FnOnce(&Sender<Msg>, Arc<AtomicBool>) -> Msg + Send + 'static,
    {
        let flag = Arc::new(AtomicBool::new(false));
        self.flags
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(id, flag.clone());
        let tx = self.tx.clone();
        let flags = self.flags.clone();
        std::thread::spawn(move || {
            panic_report::enter_task();
            let out = catch_unwind(AssertUnwindSafe(|| task(&tx, flag)));
            let msg = out.unwrap_or_else(|panic| Msg::Failed {
                id,
                detail: panic_report::evidence(panic.as_ref()),
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
        | Effect::RenewSignIn { id, .. }
        | Effect::Detect { id, .. } => *id,
        Effect::Cancel(id) => *id,
        Effect::Quit => 0,
    }
}

/// The keyring can be used (the password itself is written by the save).
fn probe_keyring() -> Result<(), SecretsError> {
    Keyring::open()?.probe()
}

/// Why there is no secret, typed: the screen localises it.
fn no_secret(id: RequestId, error: CredentialError, account: &str) -> Msg {
    Msg::NoSecret {
        id,
        error,
        account: account.to_string(),
    }
}

/// The mail use cases (check, send-test, arrival check) through the core's
/// `service` functions, with the progress sent back as `Msg::Progress`.
fn mail_work(effect: Effect, tx: &Sender<Msg>, flag: Arc<AtomicBool>, lang: Lang) -> Msg {
    let id = effect_id(&effect);
    let opts = CheckOptions {
        timeout: CHECK_TIMEOUT,
        cancel: Some(flag.clone()),
    };
    let progress = |p: check::Progress| {
        let _ = tx.send(Msg::Progress { id, progress: p });
    };
    let hooks = Hooks {
        progress: &progress,
        retrying: &|| {},
    };
    let account = match &effect {
        Effect::CheckIncoming { account, .. }
        | Effect::CheckSmtp { account, .. }
        | Effect::SendTest { account, .. }
        | Effect::VerifyArrival { account, .. } => account.clone(),
        _ => return Msg::Tick,
    };
    let result = match effect {
        Effect::CheckIncoming { password, .. } => {
            service::check_side(&account, Side::Incoming, password, &opts, &hooks)
                .map(|report| Msg::Checked { id, report })
        }
        Effect::CheckSmtp { password, .. } => {
            service::check_side(&account, Side::Smtp, password, &opts, &hooks)
                .map(|report| Msg::Checked { id, report })
        }
        Effect::SendTest { to, password, .. } => {
            let mut message = send::new_test_message(&account, Some(&to));
            // The subject in the user's language (the id stays in it, the
            // arrival check searches for the id).
            message.subject = test_subject(lang, &message.id);
            let given = Secrets {
                incoming: None,
                smtp: password,
            };
            service::send_test(&account, &message, given, false, &opts, &hooks).map(|sent| {
                Msg::Sent {
                    id,
                    message,
                    report: sent.report,
                }
            })
        }
        Effect::VerifyArrival {
            message_id,
            password,
            deadline,
            ..
        } => service::verify_arrival(&account, &message_id, password, deadline, Some(flag))
            .map(|report| Msg::Arrived { id, report }),
        _ => return Msg::Tick,
    };
    result.unwrap_or_else(|e| no_secret(id, e, &account.name))
}

fn work(effect: Effect, tx: &Sender<Msg>, flag: Arc<AtomicBool>, lang: Lang) -> Msg {
    match effect {
        Effect::ProbeKeyring { id } => Msg::KeyringProbed {
            id,
            result: probe_keyring(),
        },
        Effect::CheckIncoming { .. }
        | Effect::CheckSmtp { .. }
        | Effect::SendTest { .. }
        | Effect::VerifyArrival { .. } => mail_work(effect, tx, flag, lang),
        Effect::SaveAccount {
            id,
            path,
            account,
            secrets,
        } => Msg::ConfigWritten {
            id,
            result: save_account(&path, *account, *secrets),
        },
        Effect::RemoveAccount { id, path, name } => Msg::ConfigWritten {
            id,
            result: service::remove_account(&path, &name, None).map(|removed| removed.config),
        },
        Effect::Discover { id, email, options } => discover_for(id, &email, *options, tx, flag),
        Effect::Diagnose {
            id,
            account,
            incoming,
            smtp,
            rcpt,
        } => diagnose(id, &account, Secrets { incoming, smtp }, rcpt, flag, lang),
        Effect::SignIn {
            id,
            account,
            client_secret,
            flow,
        } => super::signin_runner::sign_in(id, &account, client_secret, flow, tx, flag, lang),
        Effect::RenewSignIn {
            id,
            account,
            tokens,
            client_secret,
        } => Msg::SignInRenewed {
            id,
            result: super::signin_runner::renew(&account, &tokens, client_secret),
        },
        Effect::SaveTranscript { id, path, text } => save_transcript(id, path, text, lang),
        Effect::SaveBundle { id, path, bundle } => save_bundle(id, path, &bundle, lang),
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

/// Discovery for the address, its events sent as they come.
fn discover_for(
    id: RequestId,
    email: &str,
    options: DiscoverOptions,
    tx: &Sender<Msg>,
    flag: Arc<AtomicBool>,
) -> Msg {
    let opts = DiscoverOptions {
        cancel: Some(flag),
        ..options
    };
    let report = discover::discover(email, &opts, &|event| {
        let _ = tx.send(Msg::Discovery { id, event });
    });
    Msg::Discovered {
        id,
        report: Box::new(report),
    }
}

/// The doctor's ticket, next to the configuration file, which a first
/// account has not created yet: its folder, private, as the config store
/// makes it.
fn save_bundle(
    id: RequestId,
    path: std::path::PathBuf,
    bundle: &crate::doctor::bundle::Bundle,
    lang: Lang,
) -> Msg {
    let folder = path.parent().map_or(Ok(()), private_dir);
    let result = folder
        .map_err(|e| crate::doctor::bundle::BundleError::from_io(&e))
        .and_then(|()| crate::doctor::bundle::write(bundle, &path))
        .map_err(|e| {
            let args = e.i18n_args();
            let mut refs: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let shown = path.display().to_string();
            refs.push(("path", &shown));
            crate::i18n::tf(lang, e.i18n_key(), &refs)
        });
    Msg::TranscriptSaved { id, path, result }
}

/// The transcript file; a failure in the user's language (the system's
/// reason as words of that language, not the OS's English).
fn save_transcript(id: RequestId, path: std::path::PathBuf, text: String, lang: Lang) -> Msg {
    let result = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .map_or(Ok(()), std::fs::create_dir_all)
        .and_then(|()| std::fs::write(&path, text))
        .map_err(|e| crate::net::IoCause::of(&e).localized(lang));
    Msg::TranscriptSaved { id, path, result }
}

fn save_account(
    path: &std::path::Path,
    account: Account,
    secrets: NewSecrets,
) -> Result<config::Config, ServiceError> {
    let request = SaveRequest { account, secrets };
    service::save_account(path, request, None).map(|saved| saved.config)
}

/// The doctor on the account: the secrets it needs (resolved once, a
/// shared one fetched once; a missing one is noted, and those logins are
/// not tried), every probe under the doctor's bound, stopped by the
/// request's cancel flag.
fn diagnose(
    id: RequestId,
    account: &Account,
    given: Secrets,
    rcpt: Option<String>,
    flag: Arc<AtomicBool>,
    lang: Lang,
) -> Msg {
    use crate::doctor::{self, DoctorOptions, Passwords};
    let (secrets, password_note) =
        match credentials::secrets_for(account, Roles::BOTH, given.clone()) {
            Ok(s) => (s, None),
            // One side's secret is missing: the other may still be had.
            Err(_) => one_by_one(account, given, lang),
        };
    let opts = DoctorOptions {
        cancel: Some(flag),
        rcpt,
        ..DoctorOptions::default()
    };
    let pw = Passwords {
        incoming: secrets.incoming.as_ref(),
        smtp: secrets.smtp.as_ref(),
    };
    let report = doctor::run(account, pw, &opts);
    Msg::Diagnosed {
        id,
        report: Box::new(report),
        password_note,
        oauth_finding: doctor::oauth_sign_in_finding(account, lang).map(Box::new),
    }
}

/// Each side's secret on its own, with a note for each one missing.
fn one_by_one(account: &Account, given: Secrets, lang: Lang) -> (Secrets, Option<String>) {
    let mut notes = Vec::new();
    let mut one = |roles: Roles, given: Secrets| {
        credentials::secrets_for(account, roles, given)
            .map_err(|e| notes.push(e.localized(lang)))
            .unwrap_or_default()
    };
    let incoming = one(
        Roles::INCOMING,
        Secrets {
            incoming: given.incoming,
            smtp: None,
        },
    )
    .incoming;
    let smtp = one(
        Roles::SMTP,
        Secrets {
            incoming: None,
            smtp: given.smtp,
        },
    )
    .smtp;
    notes.dedup();
    let note = (!notes.is_empty()).then(|| notes.join(" "));
    (Secrets { incoming, smtp }, note)
}

#[path = "effects_panic.rs"]
mod panic_report;

#[cfg(test)]
#[path = "effects_tests.rs"]
mod tests;

/// The test message's subject in `lang`, with its id.
pub fn test_subject(lang: Lang, id: &str) -> String {
    crate::i18n::tf(lang, "common.test_subject", &[("id", id)])
}

/// Creates `dir` (and its parents) readable by the user only, if missing.
fn private_dir(dir: &std::path::Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    if dir.as_os_str().is_empty() || dir.is_dir() {
        return Ok(());
    }
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}
