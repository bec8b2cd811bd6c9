#![allow(clippy::unwrap_used)] // tests: a failed unwrap is the failure report
//! The use cases both faces call (`service::check_account`,
//! `service::check_side`, `service::send_test`, `service::verify_arrival`),
//! run directly against the harness's Dovecot and SMTP relay: the logins,
//! the message found in the mailbox, a shared password fetched once per
//! use case, and no retry for a refused password.

mod common;

use common::{add_imaps_account, mailenv};
use mailwiz::account::Account;
use mailwiz::check::{CheckOptions, Progress, Side};
use mailwiz::credentials::Secrets;
use mailwiz::net::NetError;
use mailwiz::service::{self, Hooks};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// A harness account whose password command also counts its runs (one
/// line appended to `runs` per run).
struct Counted {
    _dir: tempfile::TempDir,
    account: Account,
    runs: PathBuf,
}

impl Counted {
    fn new(user: &str) -> Counted {
        let env = mailenv();
        let dir = tempfile::tempdir().unwrap();
        let cfg = dir.path().join("accounts.toml");
        add_imaps_account(env, &cfg, "127.0.0.1", user, &[]);
        let mut account = mailwiz::config::load(&cfg).unwrap().accounts.remove(0);
        let runs = dir.path().join("runs");
        let command = account.secrets.password_command.take().unwrap();
        account.secrets.password_command =
            Some(format!("echo run >> '{}'; {command}", runs.display()));
        Counted {
            _dir: dir,
            account,
            runs,
        }
    }

    fn runs(&self) -> usize {
        std::fs::read_to_string(&self.runs).map_or(0, |s| s.lines().count())
    }
}

fn opts() -> CheckOptions {
    CheckOptions {
        timeout: Duration::from_secs(15),
        cancel: None,
    }
}

/// Hooks that count the progress events and the retries.
struct Counters {
    events: AtomicUsize,
    retries: AtomicUsize,
}

impl Counters {
    fn new() -> Counters {
        Counters {
            events: AtomicUsize::new(0),
            retries: AtomicUsize::new(0),
        }
    }

    fn with<T>(&self, f: impl FnOnce(&Hooks) -> T) -> T {
        let progress = |_: Progress| {
            self.events.fetch_add(1, Ordering::Relaxed);
        };
        let retrying = || {
            self.retries.fetch_add(1, Ordering::Relaxed);
        };
        f(&Hooks {
            progress: &progress,
            retrying: &retrying,
        })
    }
}

#[test]
fn check_logs_in_to_both_servers_with_the_shared_password_fetched_once() {
    let a = Counted::new("alice");
    assert!(a.account.smtp.same_password && a.account.smtp.auth_required);
    let counters = Counters::new();
    let report = counters
        .with(|h| service::check_account(&a.account, Secrets::default(), &opts(), h))
        .unwrap();
    assert!(report.ok(), "{report:#?}");
    assert_eq!(
        a.runs(),
        1,
        "the shared password was fetched more than once"
    );
    assert!(counters.events.load(Ordering::Relaxed) >= 8, "no progress");
    assert_eq!(counters.retries.load(Ordering::Relaxed), 0);
    // Each side on its own, as the wizard's Test step runs them.
    for side in [Side::Incoming, Side::Smtp] {
        let report = counters
            .with(|h| service::check_side(&a.account, side, None, &opts(), h))
            .unwrap();
        assert!(report.ok, "{side:?}: {report:#?}");
    }
    assert_eq!(a.runs(), 3);
}

#[test]
fn a_refused_password_is_reported_for_both_sides_without_a_retry() {
    let a = Counted::new("alice");
    let typed = Secrets {
        incoming: Some(mailwiz::secret::Secret::new("not-the-password")),
        smtp: None,
    };
    let counters = Counters::new();
    let report = counters
        .with(|h| service::check_account(&a.account, typed, &opts(), h))
        .unwrap();
    for (side, r) in [("incoming", &report.incoming), ("smtp", &report.smtp)] {
        assert!(
            matches!(r.error, Some(NetError::AuthFailed { .. })),
            "{side}: {r:#?}"
        );
    }
    // The typed password is used by both sides; nothing else is read.
    assert_eq!(a.runs(), 0, "the password command ran");
    assert_eq!(counters.retries.load(Ordering::Relaxed), 0, "retried");
}

#[test]
fn send_test_then_verify_finds_the_message_with_one_password_fetch() {
    let env = mailenv();
    let a = Counted::new("bob");
    let l = &a.account;
    let message = mailwiz::send::new_test_message(&a.account, None);
    let counters = Counters::new();
    let sent = counters
        .with(|h| service::send_test(l, &message, Secrets::default(), true, &opts(), h))
        .unwrap();
    assert!(sent.report.ok, "{:#?}", sent.report);
    assert!(
        sent.incoming.is_some(),
        "no secret kept for the arrival check"
    );
    let found =
        service::verify_arrival(l, &message.id, sent.incoming, Duration::from_secs(15), None)
            .unwrap();
    assert!(found.found, "{found:#?}");
    assert_eq!(a.runs(), 1, "the password was fetched more than once");
    let on_disk = env.wait_for_message(&a.account.email, &message.id, Duration::from_secs(5));
    assert!(on_disk.is_some(), "not in the Maildir");
}

#[test]
fn a_missing_password_is_a_typed_error_not_a_report() {
    let a = Counted::new("alice");
    let mut account = a.account.clone();
    account.secrets.password_command = Some("exit 7".into());
    let counters = Counters::new();
    let err = counters
        .with(|h| service::check_account(&account, Secrets::default(), &opts(), h))
        .unwrap_err();
    assert!(!err.needs_sign_in());
    assert!(
        err.localized(mailwiz::i18n::Lang::Fr).contains("commande"),
        "{err}"
    );
    assert_eq!(
        counters.events.load(Ordering::Relaxed),
        0,
        "a server was tried"
    );
}
