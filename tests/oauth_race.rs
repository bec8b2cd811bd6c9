#![allow(clippy::unwrap_used)] // tests: a failed unwrap is the failure report
//! One OAuth2 refresh at a time (issue 12 item 2), against the test IdP,
//! which rotates refresh tokens: a second POST of the same refresh token is
//! refused with `invalid_grant`. With a stale access token stored, two
//! `mailwiz check` processes at once, and the wizard's Test step (incoming
//! and SMTP checks on two threads of one process), must both succeed with
//! exactly one refresh, no refused refresh, and the tokens still stored.

mod common;

use common::oauth::{OauthEnv, agent, oauthenv};
use common::tmux::Tmux;
use common::{KeyringSession, mailwiz};
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::Duration;

/// The IdP's token lifetime and statistics are shared by the tests of this
/// binary: one test at a time.
static IDP: Mutex<()> = Mutex::new(());

fn idp_post(env: &OauthEnv, path: &str, form: &[(&str, &str)]) {
    common::oauth::idp_post(env.idp(), path, form);
}

/// (refresh grants, refused refreshes) so far.
fn idp_stats(env: &OauthEnv) -> (u64, u64) {
    let mut resp = agent()
        .get(format!("{}/test/stats", env.idp()))
        .call()
        .unwrap();
    let v: serde_json::Value =
        serde_json::from_str(&resp.body_mut().read_to_string().unwrap()).unwrap();
    (
        v["refresh_grants"].as_u64().unwrap(),
        v["refused_refresh"].as_u64().unwrap(),
    )
}

struct Machine {
    _dir: tempfile::TempDir,
    config: PathBuf,
    keyring: KeyringSession,
    name: String,
}

impl Machine {
    /// A machine with one OAuth2 account (IMAP and SMTP on the OAuth
    /// Dovecot, STARTTLS), not signed in yet.
    fn new(env: &OauthEnv, local: &str) -> Machine {
        let (mail, _) = oauthenv();
        let dir = tempfile::Builder::new()
            .prefix("mwr")
            .tempdir_in("/tmp")
            .unwrap();
        let home = dir.path().join("home");
        let keyring = KeyringSession::start(&home);
        let m = Machine {
            config: home.join(".config/mailwiz/accounts.toml"),
            keyring,
            name: mail.user(local),
            _dir: dir,
        };
        let idp = env.idp();
        let out = m
            .command(&["add", "--email", &m.name, "--incoming", "imap"])
            .args(["--in-host", "127.0.0.1", "--in-security", "starttls"])
            .args(["--in-port", &env.port("OAUTHENV_IMAP_PORT").to_string()])
            .args(["--smtp-host", "127.0.0.1", "--smtp-security", "starttls"])
            .args(["--smtp-port", &env.port("OAUTHENV_SMTP_PORT").to_string()])
            .arg("--ca-file")
            .arg(&mail.ca)
            .args(["--auth", "oauth2", "--oauth-client-id", "mailwiz-race"])
            .args(["--oauth-auth-url", &format!("{idp}/authorize")])
            .args(["--oauth-token-url", &format!("{idp}/token")])
            .args(["--oauth-scope", "mail offline_access"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", text(&out));
        m
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = mailwiz(&self.config);
        self.keyring.apply(&mut cmd);
        cmd.args(args).stdout(Stdio::piped()).stderr(Stdio::piped());
        cmd
    }

    /// Signs in (the test plays the browser) while the IdP gives access
    /// tokens of 30 s, less than mailwiz's 60 s refresh margin: the stored
    /// token is stale at once. Later tokens live an hour again.
    fn sign_in_with_a_stale_token(&self, env: &OauthEnv) {
        idp_post(env, "/test/access_ttl", &[("ttl", "30")]);
        let mut child = self
            .command(&["login", &self.name, "--no-browser"])
            .spawn()
            .unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut url = String::new();
        stdout.read_line(&mut url).unwrap();
        let resp = agent().get(url.trim()).call().unwrap();
        let location = resp.headers()["location"].to_str().unwrap().to_string();
        assert_eq!(
            agent().get(&location).call().unwrap().status().as_u16(),
            200
        );
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "login: {}", text(&out));
        idp_post(env, "/test/access_ttl", &[("ttl", "3600")]);
        let tokens = self.tokens().expect("tokens stored");
        assert!(tokens.contains("expires_at"), "no expiry stored");
    }

    fn tokens(&self) -> Option<String> {
        let entry = format!("oauth:{}", self.name);
        self.keyring
            .secret_tool_lookup(&[("service", "mailwiz"), ("username", &entry)])
    }
}

fn text(out: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn two_checks_at_once_refresh_once() {
    let _one = IDP
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let (_, env) = oauthenv();
    let m = Machine::new(env, "race-cli");
    // Several rounds: without the lock, each round is a fresh chance for
    // both processes to POST the same refresh token.
    for round in 0..6 {
        m.sign_in_with_a_stale_token(env);
        let (grants, refused) = idp_stats(env);
        let a = m.command(&["check", &m.name]).spawn().unwrap();
        let b = m.command(&["check", &m.name]).spawn().unwrap();
        let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
        assert!(a.status.success(), "round {round}, first: {}", text(&a));
        assert!(b.status.success(), "round {round}, second: {}", text(&b));
        let (grants_after, refused_after) = idp_stats(env);
        assert_eq!(
            refused_after, refused,
            "round {round}: a refresh was refused"
        );
        assert_eq!(grants_after, grants + 1, "round {round}: not one refresh");
        assert!(m.tokens().is_some(), "round {round}: tokens deleted");
    }
}

#[test]
fn the_wizard_test_step_refreshes_once_for_both_checks() {
    let _one = IDP
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let (_, env) = oauthenv();
    let m = Machine::new(env, "race-tui");
    for round in 0..3 {
        m.sign_in_with_a_stale_token(env);
        let (grants, refused) = idp_stats(env);
        let mut cmd = Command::new("tmux");
        m.keyring.apply(&mut cmd);
        let mut t = Tmux::launch(cmd, "race", &m.config, "en", &[], (100, 30));
        t.wait_for(&m.name);
        // `c` checks the selected (only) account: the Test step starts the
        // incoming and the SMTP check at once.
        t.keys(&["c"]);
        t.wait_until("both checks OK", Duration::from_secs(20), |s| {
            s.contains("Both servers accept your login")
        });
        t.keys(&["Escape", "q", "y"]);
        drop(t);
        let (grants_after, refused_after) = idp_stats(env);
        assert_eq!(
            refused_after, refused,
            "round {round}: a refresh was refused"
        );
        assert_eq!(grants_after, grants + 1, "round {round}: not one refresh");
        assert!(m.tokens().is_some(), "round {round}: tokens deleted");
    }
}
