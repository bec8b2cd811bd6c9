#![allow(clippy::unwrap_used)] // tests: a failed unwrap is the failure report
//! The account's CA file is tried first; the system store (a bundle and a
//! directory of a few hundred files) is read only when the CA file does not
//! verify the server's chain. Against the harness's real Dovecot and
//! submission server, with `mailwiz check`:
//! - a server the CA file covers never makes mailwiz read the system store
//!   (here a FIFO nobody writes to: reading it would hang the check);
//! - a server the CA file does not cover is still trusted through the
//!   system store (the union of both is what is trusted, as before);
//! - neither vouching for it: an untrusted certificate, said so.

mod common;

use common::{MailEnv, add_tls_account_with, mailenv, mailwiz, password_file_command};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// A CA that signed none of the harness's certificates.
const OTHER_CA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/tls/ca.pem");

fn add(env: &MailEnv, cfg: &Path, ca_file: &str) {
    let command = password_file_command(cfg, &env.password);
    add_tls_account_with(env, cfg, "t", env.smtps_port, Path::new(ca_file), &command);
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// `check` with `system_store` as the system's CA bundle (no CA folder);
/// killed after 20 s.
fn check(cfg: &Path, system_store: &Path) -> Output {
    let empty = cfg.with_file_name("no-certs");
    std::fs::create_dir_all(&empty).unwrap();
    let mut cmd: Command = mailwiz(cfg);
    let mut child = cmd
        .args(["check", "t", "--lang", "en"])
        .env("SSL_CERT_FILE", system_store)
        .env("SSL_CERT_DIR", &empty)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            child.kill().unwrap();
            let out = child.wait_with_output().unwrap();
            panic!("check hung (it read the system store):\n{}", text(&out));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

#[test]
fn a_server_the_ca_file_covers_never_reads_the_system_store() {
    let env = mailenv();
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("accounts.toml");
    add(env, &cfg, env.ca.to_str().unwrap());
    let fifo = dir.path().join("system-store");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success(), "mkfifo (coreutils) is needed");
    let out = check(&cfg, &fifo);
    assert!(out.status.success(), "{}", text(&out));
}

#[test]
fn the_system_store_still_vouches_when_the_ca_file_does_not() {
    let env = mailenv();
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("accounts.toml");
    add(env, &cfg, OTHER_CA);
    let out = check(&cfg, &env.ca);
    assert!(out.status.success(), "{}", text(&out));
    let out = check(&cfg, Path::new(OTHER_CA));
    assert!(!out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("not signed by a trusted authority"),
        "an untrusted certificate is said so:\n{}",
        text(&out)
    );
}
