#![allow(clippy::unwrap_used)] // tests: a failed unwrap is the failure report
//! Issue 12 §6: the faces read the environment (once, in
//! `cli::Environment`) and hand the core values. These runs of the real
//! binary check that the variables whose reads moved out of the core still
//! work as the README documents: the locale named in the doctor's ticket,
//! `MAILWIZ_DOCTOR_SMTP_PORTS` (in the CLI and in the wizard), and
//! `DISPLAY` for opening the browser.

mod common;

use common::tmux::Tmux;
use common::{KeyringSession, mailwiz};
use serde_json::Value;
use std::net::TcpListener;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::time::{Duration, Instant};

/// Ports with nothing listening (bound, then released).
fn free_ports<const N: usize>() -> [u16; N] {
    let held: Vec<TcpListener> = (0..N)
        .map(|_| TcpListener::bind("127.0.0.1:0").unwrap())
        .collect();
    std::array::from_fn(|i| held[i].local_addr().unwrap().port())
}

/// An IMAP+SMTP account `t` on closed loopback ports `imap` and `smtp`.
fn add_closed_account(cfg: &Path, imap: u16, smtp: u16) {
    let out = mailwiz(cfg)
        .args(["add", "--name", "t", "--email", "alice@example.test"])
        .args(["--incoming", "imap", "--in-host", "127.0.0.1"])
        .args(["--in-port", &imap.to_string(), "--in-security", "tls"])
        .args(["--smtp-host", "127.0.0.1", "--smtp-port", &smtp.to_string()])
        .args(["--smtp-security", "tls", "--password-command", "echo pw"])
        .output()
        .unwrap();
    assert!(out.status.success(), "add: {out:?}");
}

/// The ports a ticket says the doctor probed.
fn probed_ports(ticket: &Value) -> Vec<u64> {
    ticket["smtp_ports"]
        .as_array()
        .unwrap_or_else(|| panic!("no smtp_ports: {ticket}"))
        .iter()
        .map(|p| p["port"].as_u64().unwrap())
        .collect()
}

#[test]
fn the_ticket_names_the_locale_and_the_doctor_probes_the_given_ports() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("accounts.toml");
    let [imap, smtp, extra] = free_ports();
    add_closed_account(&cfg, imap, smtp);
    let ticket = dir.path().join("ticket.json");
    let ports = format!("{smtp},{extra}");
    let out = mailwiz(&cfg)
        .args(["doctor", "t", "--json", "--timeout", "5", "--bundle"])
        .arg(&ticket)
        .env("LC_MESSAGES", "fr_CA.UTF-8")
        .env("MAILWIZ_DOCTOR_SMTP_PORTS", &ports)
        .output()
        .unwrap();
    let text =
        std::fs::read_to_string(&ticket).unwrap_or_else(|e| panic!("no ticket ({e}): {out:?}"));
    let b: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(b["locale"]["lang"], "fr", "{text}");
    assert_eq!(b["locale"]["env"], "fr_CA.UTF-8", "{text}");
    assert_eq!(probed_ports(&b), vec![u64::from(smtp), u64::from(extra)]);
}

/// The wizard's doctor (D, then B saves the ticket) gets the same values.
#[test]
fn the_wizard_ticket_names_the_locale_and_the_given_ports() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("accounts.toml");
    let [imap, smtp, extra] = free_ports();
    add_closed_account(&cfg, imap, smtp);
    let mut cmd = std::process::Command::new("tmux");
    cmd.env_remove("DBUS_SESSION_BUS_ADDRESS");
    let vars = [
        ("MAILWIZ_DOCTOR_SMTP_PORTS".to_string(), format!("{extra}")),
        ("LC_MESSAGES".to_string(), "fr_BE.UTF-8".to_string()),
    ];
    let mut t = Tmux::launch(cmd, "faceenv", &cfg, "en", &vars, (140, 36));
    t.wait_for_all(&["D diagnose"], Duration::from_secs(10));
    t.keys(&["d"]);
    t.wait_for_all(&["Problems found"], Duration::from_secs(16));
    t.keys(&["b"]);
    let s = t.wait_for_all(&["Ticket saved"], Duration::from_secs(5));
    let ticket = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("ticket-t-"))
        })
        .unwrap_or_else(|| panic!("no ticket file next to the config:\n{s}"));
    let b: Value = serde_json::from_str(&std::fs::read_to_string(ticket).unwrap()).unwrap();
    assert_eq!(b["locale"]["lang"], "en", "{b}");
    assert_eq!(b["locale"]["env"], "fr_BE.UTF-8", "{b}");
    assert_eq!(probed_ports(&b), vec![u64::from(extra)]);
}

/// A folder with an `xdg-open` that writes the URL it is given to `seen`.
fn fake_opener(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let seen = dir.join("seen");
    let script = bin.join("xdg-open");
    std::fs::write(
        &script,
        format!("#!/bin/sh\nprintf '%s' \"$1\" > '{}'\n", seen.display()),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    (bin, seen)
}

/// `mailwiz login` of an OAuth2 account (its endpoints never answer),
/// with or without a display; returns what the fake `xdg-open` was given.
fn login_opens(display: Option<&str>) -> Option<String> {
    let dir = tempfile::Builder::new()
        .prefix("mwfe")
        .tempdir_in("/tmp")
        .unwrap();
    let home = dir.path().join("home");
    let keyring = KeyringSession::start(&home);
    let cfg = dir.path().join("accounts.toml");
    let mut add = mailwiz(&cfg);
    keyring.apply(&mut add);
    let out = add
        .args(["add", "--email", "alice@example.test", "--incoming", "imap"])
        .args(["--in-host", "127.0.0.1", "--smtp-host", "127.0.0.1"])
        .args(["--auth", "oauth2", "--oauth-client-id", "mailwiz-test"])
        .args(["--oauth-auth-url", "http://127.0.0.1:9/authorize"])
        .args(["--oauth-token-url", "http://127.0.0.1:9/token"])
        .args(["--oauth-scope", "mail"])
        .output()
        .unwrap();
    assert!(out.status.success(), "add: {out:?}");
    let (bin, seen) = fake_opener(dir.path());
    let mut login = mailwiz(&cfg);
    keyring.apply(&mut login);
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
    login
        .args(["login", "alice@example.test", "--timeout", "2"])
        .env("PATH", path)
        .env_remove("SSH_CONNECTION")
        .env_remove("SSH_TTY");
    if let Some(d) = display {
        login.env("DISPLAY", d);
    }
    let out = login.output().unwrap();
    // The opener runs detached: give it a moment to write.
    let start = Instant::now();
    while !seen.exists() && start.elapsed() < Duration::from_secs(2) && display.is_some() {
        std::thread::sleep(Duration::from_millis(20));
    }
    let opened = std::fs::read_to_string(&seen).ok();
    let all = format!("{out:?}");
    assert!(!all.contains("panicked"), "{all}");
    opened
}

#[test]
fn the_browser_is_opened_only_with_a_display() {
    let url = login_opens(Some(":99")).expect("xdg-open was not run with DISPLAY set");
    assert!(
        url.starts_with("http://127.0.0.1:9/authorize?"),
        "opened {url:?}"
    );
    assert_eq!(login_opens(None), None, "xdg-open run without a display");
}
