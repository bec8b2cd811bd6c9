#![allow(dead_code)] // each test binary uses part of it
//! What the plain-mode tests share: the answers of a whole setup, a run of
//! `mailwiz` with answers piped in (no terminal anywhere), a walk of the
//! files it left.

use crate::common::{KeyringSession, MailEnv};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Discovery stays on loopback (closed ports for the ISPDB and DNS).
pub fn offline(cmd: &mut Command) {
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    cmd.env(
        "MAILWIZ_ISPDB_URL",
        format!("http://127.0.0.1:{closed}/v1.1/"),
    )
    .env("MAILWIZ_DNS_SERVER", format!("127.0.0.1:{closed}"))
    .env("MAILWIZ_DISCOVER_SOURCES", "preset,ispdb");
}

/// The answers, one per line, in the order the wizard asks.
pub fn script(env: &MailEnv) -> String {
    answers(env, &env.password).join("\n") + "\n"
}

pub fn answers<'a>(env: &'a MailEnv, password: &'a str) -> Vec<String> {
    [
        "1",          // Welcome: set up a new account
        "Alice Test", // your name
        "alice@example.test",
        "1", // settings found: use them (then corrected below)
        "1", // IMAP
        &env.host,
        &env.imaps_port.to_string(),
        "1", // SSL/TLS
        "",  // user name as proposed
        "",  // no CA file
        &env.host,
        &env.smtp_port.to_string(),
        "2", // STARTTLS
        "",  // no CA file
        "",  // authentication: yes
        "",  // same login: yes
        password,
        "1", // sign in with: password
        "1", // both servers work: continue
        "1", // send a test message
        "1", // wait until it arrives
        "1", // continue
        "1", // finish
    ]
    .iter()
    .map(ToString::to_string)
    .collect()
}

pub fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}

pub struct Run {
    pub _dir: tempfile::TempDir,
    pub home: PathBuf,
    pub config: PathBuf,
    pub keyring: KeyringSession,
    pub text: String,
    pub code: Option<i32>,
}

/// `mailwiz --lang LANG` with `input` piped in (no terminal anywhere).
pub fn run_plain(env: &MailEnv, lang: &str, input: &str) -> Run {
    run_plain_with(env, lang, input, &[])
}

/// `run_plain` with more environment (after the defaults, so it wins).
pub fn run_plain_with(env: &MailEnv, lang: &str, input: &str, vars: &[(&str, &str)]) -> Run {
    run_plain_prepared(env, lang, input, vars, &|_| {})
}

/// `run_plain_with` after `prepare` was given the accounts file's path
/// (e.g. to save an account first).
pub fn run_plain_prepared(
    env: &MailEnv,
    lang: &str,
    input: &str,
    vars: &[(&str, &str)],
    prepare: &dyn Fn(&Path),
) -> Run {
    let dir = tempfile::Builder::new()
        .prefix("mwp")
        .tempdir_in("/tmp")
        .unwrap();
    let home = dir.path().join("home");
    let keyring = KeyringSession::start(&home);
    let config = home.join(".config/mailwiz/accounts.toml");
    prepare(&config);
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mailwiz"));
    keyring.apply(&mut cmd);
    offline(&mut cmd);
    for v in ["LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE", "MAILWIZ_LANG"] {
        cmd.env_remove(v);
    }
    let mut child = cmd
        .env("SSL_CERT_FILE", &env.ca)
        .env("TERM", "xterm-256color")
        .envs(vars.iter().copied())
        .args(["--config", config.to_str().unwrap(), "--lang", lang])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!("{text}");
    Run {
        _dir: dir,
        home,
        config,
        keyring,
        text,
        code: out.status.code(),
    }
}
