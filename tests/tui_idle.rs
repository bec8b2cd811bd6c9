#![allow(clippy::unwrap_used)] // tests: a failed unwrap is the failure report
//! The idle wizard writes nothing to the terminal: it draws when a key, a
//! resize or a background result arrives, or while a spinner turns — never
//! on a timer. Runs the real binary in a pseudo-terminal
//! (tests/harness/pty_idle.py) and counts the bytes written after the first
//! screen.

use std::process::Command;

#[test]
fn the_idle_wizard_writes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let home = dir.path().join("home");
    std::fs::create_dir_all(&home).expect("home");
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/harness/pty_idle.py");
    let out = Command::new("python3")
        .arg(script)
        .args(["15", "2.5", env!("CARGO_BIN_EXE_mailwiz")])
        .arg("--config")
        .arg(dir.path().join("accounts.toml"))
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("TERM", "xterm-256color")
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .output()
        .expect("python3 runs (apt install python3)");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "pty_idle.py failed: {text} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let field = |name: &str| -> usize {
        text.split_whitespace()
            .find_map(|w| w.strip_prefix(name))
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("no {name} in {text:?}"))
    };
    assert!(
        field("first=") > 500,
        "the wizard drew its first screen: {text}"
    );
    assert_eq!(
        field("idle="),
        0,
        "bytes written by the idle wizard in 2.5 s: {text}"
    );
}
