//! The effects runner: each effect runs on its own thread and its result
//! comes back on the loop's channel as a `Msg` with the request's id. Each
//! request has a cancel flag; `Effect::Cancel` raises it. A panic in the
//! work becomes `Msg::Failed`, so the screen never waits forever.

use super::msg::{Effect, Msg, RequestId};
use crate::account::{Account, Role};
use crate::check::{self, CheckOptions};
use crate::config;
use crate::discover::{self, DiscoverOptions};
use crate::i18n::Lang;
use crate::secret::Secret;
use crate::secrets::{self, Keyring, SecretsError};
use crate::send;
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
                    .unwrap_or_else(|e| e.into_inner())
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
            .unwrap_or_else(|e| e.into_inner())
            .insert(id, flag.clone());
        let tx = self.tx.clone();
        let flags = self.flags.clone();
        std::thread::spawn(move || {
            let out = catch_unwind(AssertUnwindSafe(|| work(effect, &tx, flag, lang)));
            let msg = out.unwrap_or_else(|panic| {
                let detail = panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                Msg::Failed { id, detail }
            });
            flags.lock().unwrap_or_else(|e| e.into_inner()).remove(&id);
            let _ = tx.send(msg);
        });
    }
}

fn effect_id(effect: &Effect) -> RequestId {
    match effect {
        Effect::StorePassword { id, .. }
        | Effect::CheckIncoming { id, .. }
        | Effect::CheckSmtp { id, .. }
        | Effect::SendTest { id, .. }
        | Effect::VerifyArrival { id, .. }
        | Effect::SaveAccount { id, .. }
        | Effect::RemoveAccount { id, .. }
        | Effect::Discover { id, .. }
        | Effect::Diagnose { id, .. }
        | Effect::SaveTranscript { id, .. } => *id,
        Effect::Cancel(id) => *id,
        Effect::Quit => 0,
    }
}

/// The password in memory, else the keyring or the password command.
fn resolve(account: &Account, role: Role, given: Option<Secret>) -> Result<Secret, SecretsError> {
    match given {
        Some(s) => Ok(s),
        None => secrets::password_for(account, role),
    }
}

fn store(account: &str, incoming: &Secret, smtp: Option<&Secret>) -> Result<(), SecretsError> {
    let keyring = Keyring::open()?;
    keyring.probe()?;
    keyring.set(account, Role::Incoming, incoming)?;
    if let Some(s) = smtp {
        keyring.set(account, Role::Smtp, s)?;
    }
    Ok(())
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
    let no_password = |id, e: SecretsError| Msg::Failed {
        id,
        detail: format!("{} {}", e.localized(lang), e.advice(lang)),
    };
    match effect {
        Effect::StorePassword {
            id,
            account,
            incoming,
            smtp,
        } => Msg::Stored {
            id,
            result: store(&account, &incoming, smtp.as_ref()),
        },
        Effect::CheckIncoming {
            id,
            account,
            password,
        } => match resolve(&account, Role::Incoming, password) {
            Ok(pw) => Msg::Checked {
                id,
                report: check::check_incoming(&account, Some(&pw), &opts, &progress(id)),
            },
            Err(e) => no_password(id, e),
        },
        Effect::CheckSmtp {
            id,
            account,
            password,
        } => {
            if !account.smtp.auth_required {
                let report = check::check_smtp(&account, None, &opts, &progress(id));
                return Msg::Checked { id, report };
            }
            match resolve(&account, Role::Smtp, password) {
                Ok(pw) => Msg::Checked {
                    id,
                    report: check::check_smtp(&account, Some(&pw), &opts, &progress(id)),
                },
                Err(e) => no_password(id, e),
            }
        }
        Effect::SendTest {
            id,
            account,
            to,
            password,
        } => {
            let pw = if account.smtp.auth_required {
                match resolve(&account, Role::Smtp, password) {
                    Ok(pw) => Some(pw),
                    Err(e) => return no_password(id, e),
                }
            } else {
                None
            };
            let message = send::new_test_message(&account, Some(&to));
            let report = send::send_test(&account, &message, pw.as_ref(), &opts, &progress(id));
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
        } => match resolve(&account, Role::Incoming, password) {
            Ok(pw) => Msg::Arrived {
                id,
                report: send::verify_arrival(
                    &account,
                    &message_id,
                    Some(&pw),
                    deadline,
                    Some(flag),
                ),
            },
            Err(e) => no_password(id, e),
        },
        Effect::SaveAccount { id, path, account } => {
            let result = config::load(&path).and_then(|mut c| {
                c.upsert(*account);
                config::save(&path, &c)?;
                Ok(c)
            });
            Msg::ConfigWritten { id, result }
        }
        Effect::RemoveAccount { id, path, name } => {
            let result = config::load(&path).and_then(|mut c| {
                c.remove(&name);
                config::save(&path, &c)?;
                Ok(c)
            });
            if result.is_ok() {
                // Best effort: an entry that cannot be deleted is harmless.
                if let Ok(k) = Keyring::open() {
                    let _ = k.delete(&name, Role::Incoming);
                    let _ = k.delete(&name, Role::Smtp);
                }
            }
            Msg::ConfigWritten { id, result }
        }
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
        } => diagnose(id, &account, incoming, smtp, flag, lang),
        Effect::SaveTranscript { id, path, text } => {
            let result = path
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
                .map_or(Ok(()), std::fs::create_dir_all)
                .and_then(|()| std::fs::write(&path, text))
                .map_err(|e| e.to_string());
            Msg::TranscriptSaved { id, path, result }
        }
        // Handled by `run` without a thread.
        Effect::Cancel(id) => Msg::Failed {
            id,
            detail: String::new(),
        },
        Effect::Quit => Msg::Tick,
    }
}

/// The doctor on the account: the passwords it needs (a missing one is
/// noted, and that login is not tried), every probe under the doctor's
/// bound, stopped by the request's cancel flag.
fn diagnose(
    id: RequestId,
    account: &Account,
    incoming: Option<Secret>,
    smtp: Option<Secret>,
    flag: Arc<AtomicBool>,
    lang: Lang,
) -> Msg {
    use crate::account::AuthMethod;
    use crate::doctor::{self, DoctorOptions, Passwords};
    let mut notes = Vec::new();
    let mut need = |needed: bool, role: Role, given: Option<Secret>| -> Option<Secret> {
        if !needed {
            return None;
        }
        resolve(account, role, given)
            .map_err(|e| notes.push(e.localized(lang)))
            .ok()
    };
    let incoming = need(
        account.incoming.auth == AuthMethod::Password,
        Role::Incoming,
        incoming,
    );
    let smtp = need(account.smtp.auth_required, Role::Smtp, smtp);
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
