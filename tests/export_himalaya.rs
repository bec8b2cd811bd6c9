#![allow(clippy::unwrap_used)] // tests: a failed unwrap is the failure report
//! Issue 14.4: the real himalaya 2 reads `export --format himalaya` and
//! lists the INBOX of the harness's Dovecot (`himalaya envelope list`),
//! its password coming from the exported argument list. himalaya 2 is not
//! in Debian: `scripts/install-himalaya.sh` builds it once from crates.io
//! with only IMAP and SMTP, and `scripts/test.sh` passes its path in
//! `MAILWIZ_HIMALAYA`.

mod common;

use common::{add_imaps_account, mailenv, mailwiz};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn himalaya() -> PathBuf {
    let bin = std::env::var_os("MAILWIZ_HIMALAYA").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("target/himalaya-bin/bin/himalaya"),
        PathBuf::from,
    );
    assert!(
        bin.is_file(),
        "himalaya 2 is not at {}: run `bash scripts/install-himalaya.sh` and set \
         MAILWIZ_HIMALAYA to the path it prints (scripts/test.sh does both)",
        bin.display()
    );
    bin
}

#[test]
fn himalaya2_lists_the_inbox_with_the_exported_config() {
    let himalaya = himalaya();
    let env = mailenv();
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    let cfg = home.join("accounts.toml");
    let email = env.user("alice");
    let name = "alice's box";
    add_imaps_account(env, &cfg, &env.host, "alice", &["--name", name]);
    let subject = format!("himalaya2-export-{}", std::process::id());
    let new = env.maildir("alice").join("new");
    std::fs::create_dir_all(&new).unwrap();
    std::fs::write(
        new.join(format!("{subject}.eml")),
        format!("From: x@example.test\r\nTo: {email}\r\nSubject: {subject}\r\n\r\nbody\r\n"),
    )
    .unwrap();

    let file = home.join("himalaya.toml");
    let out = mailwiz(&cfg)
        .args(["export", name, "--format", "himalaya", "--output"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success(), "export: {out:?}");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(!text.contains(&env.password));

    let bin = Path::new(env!("CARGO_BIN_EXE_mailwiz")).parent().unwrap();
    let out = Command::new(&himalaya)
        .arg("-c")
        .arg(&file)
        .args(["envelope", "list", "--account", name])
        .env(
            "PATH",
            format!("{}:{}", bin.display(), std::env::var("PATH").unwrap()),
        )
        .env("HOME", home)
        .env_remove("XDG_CONFIG_HOME")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && shown.contains(&subject),
        "himalaya did not list the test message: {out:?}\n--- config\n{text}"
    );
    assert!(!shown.contains(&env.password));
}
