#![allow(clippy::unwrap_used)] // tests: a failed unwrap is the failure report
//! Issue 14.5: aerc 0.14 (Debian 12) runs in tmux on the exported
//! `accounts.conf` against the harness's Dovecot and shows the INBOX with
//! the test message; the password comes from the exported
//! `source-cred-cmd`. aerc is a Go program: it trusts the harness's CA
//! through `SSL_CERT_FILE` (the export says aerc has no CA setting).

mod common;

use common::tmux::Tmux;
use common::{add_imaps_account, mailenv, mailwiz};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

/// go-ini would read ` #…` and ` ;…` as a comment in an unquoted value,
/// which cut the password command short before issue 11.
const NAME: &str = "alice #1; x";

#[test]
fn aerc_shows_the_inbox_with_the_exported_accounts_conf() {
    let env = mailenv();
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    let cfg = home.join("accounts.toml");
    let email = env.user("alice");
    let display = ["--name", NAME, "--display-name", "Alice's \"test\" `box`"];
    add_imaps_account(env, &cfg, &env.host, "alice", &display);

    let subject = format!("aerc-export-{}", std::process::id());
    let new = env.maildir("alice").join("new");
    std::fs::create_dir_all(&new).unwrap();
    std::fs::write(
        new.join(format!("{subject}.eml")),
        format!("From: x@example.test\r\nTo: {email}\r\nSubject: {subject}\r\n\r\nbody\r\n"),
    )
    .unwrap();

    let conf_dir = home.join(".config/aerc");
    std::fs::create_dir_all(&conf_dir).unwrap();
    let accounts = conf_dir.join("accounts.conf");
    let out = mailwiz(&cfg)
        .args(["export", NAME, "--format", "aerc", "--output"])
        .arg(&accounts)
        .output()
        .unwrap();
    assert!(out.status.success(), "export: {out:?}");
    let text = std::fs::read_to_string(&accounts).unwrap();
    assert!(
        !text.contains(&env.password),
        "the password is in the export"
    );
    // aerc refuses an accounts.conf that others can read.
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&accounts, std::fs::Permissions::from_mode(0o600)).unwrap();

    let bin = Path::new(env!("CARGO_BIN_EXE_mailwiz")).parent().unwrap();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
    let vars = [
        ("HOME".to_string(), home.display().to_string()),
        (
            "XDG_CONFIG_HOME".to_string(),
            home.join(".config").display().to_string(),
        ),
        ("PATH".to_string(), path),
        ("SSL_CERT_FILE".to_string(), env.ca.display().to_string()),
    ];
    let tmux = Command::new("tmux");
    let mut pane = Tmux::start(tmux, "aerc", "aerc; sleep 30", &vars, (160, 40));
    let what = format!("the test message {subject} in aerc's INBOX (accounts.conf:\n{text})");
    let screen = pane.wait_until(&what, Duration::from_secs(30), |s| s.contains(&subject));
    assert!(screen.contains("INBOX"), "{screen}");
    assert!(!screen.contains(&env.password), "aerc showed the password");
}
