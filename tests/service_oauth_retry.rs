#![allow(clippy::unwrap_used)] // tests: a failed unwrap is the failure report
//! "A refused token gets one retry with a refreshed one", through the use
//! cases both faces call (`service::check_account`, `service::check_side`,
//! `service::send_test`), in process, against the OAuth Dovecot and the
//! test IdP, with the tokens in a real Secret Service.
//!
//! The use cases read the keyring of the process's own D-Bus session, so
//! the test runs its in-process half in a child: itself, started again
//! with the test keyring's environment (no `unsafe` `set_var`). The parent
//! half sets the machine up and signs in with the real binary.

mod common;

use common::oauth::{agent, idp_post, oauthenv};
use common::{KeyringSession, mailwiz};
use mailwiz::check::{CheckOptions, Progress, Side};
use mailwiz::credentials::Secrets;
use mailwiz::service::{self, Hooks};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

const TEST: &str = "a_refused_token_gets_one_retry_with_a_refreshed_one";
/// Set in the child: the configuration file, the IdP's URL, the user.
const CHILD_CONFIG: &str = "MAILWIZ_TEST_SERVICE_CONFIG";
const CHILD_IDP: &str = "MAILWIZ_TEST_SERVICE_IDP";
const CHILD_USER: &str = "MAILWIZ_TEST_SERVICE_USER";

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn a_refused_token_gets_one_retry_with_a_refreshed_one() {
    if let Ok(config) = std::env::var(CHILD_CONFIG) {
        let idp = std::env::var(CHILD_IDP).unwrap();
        let user = std::env::var(CHILD_USER).unwrap();
        return in_process(Path::new(&config), &idp, &user);
    }
    let (mail, env) = oauthenv();
    let dir = tempfile::Builder::new()
        .prefix("mwsr")
        .tempdir_in("/tmp")
        .unwrap();
    let home = dir.path().join("home");
    let keyring = KeyringSession::start(&home);
    let config = home.join(".config/mailwiz/accounts.toml");
    let user = mail.user("alice");
    let idp = env.idp().to_string();
    let run = |args: &[&str]| {
        let mut cmd = mailwiz(&config);
        keyring.apply(&mut cmd);
        cmd.args(args).stdout(Stdio::piped()).stderr(Stdio::piped());
        cmd
    };
    let out = run(&["add", "--email", &user, "--incoming", "imap"])
        .args(["--in-host", "127.0.0.1", "--in-security", "starttls"])
        .args(["--in-port", &env.port("OAUTHENV_IMAP_PORT").to_string()])
        .args(["--smtp-host", "127.0.0.1", "--smtp-security", "starttls"])
        .args(["--smtp-port", &env.port("OAUTHENV_SMTP_PORT").to_string()])
        .arg("--ca-file")
        .arg(&mail.ca)
        .args(["--auth", "oauth2", "--oauth-client-id", "mailwiz-service"])
        .args(["--oauth-auth-url", &format!("{idp}/authorize")])
        .args(["--oauth-token-url", &format!("{idp}/token")])
        .args(["--oauth-scope", "mail offline_access"])
        .output()
        .unwrap();
    assert!(out.status.success(), "add: {}", text(&out));
    // Sign in; the test plays the browser.
    let mut child = run(&["login", &user, "--no-browser"]).spawn().unwrap();
    let mut url = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut url)
        .unwrap();
    let resp = agent().get(url.trim()).call().unwrap();
    let location = resp.headers()["location"].to_str().unwrap().to_string();
    agent().get(&location).call().unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "login: {}", text(&out));
    // The in-process half, in a child with the keyring's environment.
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    keyring.apply(&mut cmd);
    let out = cmd
        .args([TEST, "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD_CONFIG, &config)
        .env(CHILD_IDP, &idp)
        .env(CHILD_USER, &user)
        .output()
        .unwrap();
    assert!(out.status.success(), "in-process half: {}", text(&out));
    assert!(text(&out).contains("1 passed"), "{}", text(&out));
    let tokens = keyring.secret_tool_lookup(&[
        ("service", "mailwiz"),
        ("username", &format!("oauth:{user}")),
    ]);
    assert!(tokens.is_some(), "the tokens were deleted");
}

/// Each use case, with the stored access token still fresh for mailwiz but
/// expired at the IdP (so the servers refuse it): one retry, announced
/// once through the hook, and the result is OK.
fn in_process(config: &Path, idp: &str, user: &str) {
    let cfg = mailwiz::config::load(config).unwrap();
    let account = cfg.find(user).unwrap().clone();
    assert!(
        account.oauth2.is_some(),
        "the account keeps its OAuth2 settings"
    );
    let login = &account;
    let opts = CheckOptions {
        timeout: Duration::from_secs(15),
        cancel: None,
    };
    let retries = AtomicUsize::new(0);
    let progress = |_: Progress| {};
    let retrying = || {
        retries.fetch_add(1, Ordering::Relaxed);
    };
    let hooks = Hooks {
        progress: &progress,
        retrying: &retrying,
    };
    let expire = || {
        idp_post(idp, "/test/expire", &[("user", user)]);
        retries.load(Ordering::Relaxed)
    };
    let before = expire();
    let report = service::check_account(login, Secrets::default(), &opts, &hooks).unwrap();
    assert!(report.ok(), "check_account: {report:#?}");
    assert_eq!(retries.load(Ordering::Relaxed), before + 1, "check_account");
    // Fresh again: no retry.
    let report = service::check_account(login, Secrets::default(), &opts, &hooks).unwrap();
    assert!(report.ok(), "{report:#?}");
    assert_eq!(
        retries.load(Ordering::Relaxed),
        before + 1,
        "retried a good token"
    );
    for side in [Side::Incoming, Side::Smtp] {
        let before = expire();
        let report = service::check_side(login, side, None, &opts, &hooks).unwrap();
        assert!(report.ok, "check_side {side:?}: {report:#?}");
        assert_eq!(retries.load(Ordering::Relaxed), before + 1, "{side:?}");
    }
    let before = expire();
    let message = mailwiz::send::new_test_message(&account, None);
    let sent =
        service::send_test(login, &message, Secrets::default(), true, &opts, &hooks).unwrap();
    assert!(sent.report.ok, "send_test: {:#?}", sent.report);
    assert_eq!(retries.load(Ordering::Relaxed), before + 1, "send_test");
    // The arrival check logs in with the refreshed token the retry used.
    let found = service::verify_arrival(
        login,
        &message.id,
        sent.incoming,
        Duration::from_secs(15),
        None,
    )
    .unwrap();
    assert!(found.found, "verify_arrival: {found:#?}");
}
