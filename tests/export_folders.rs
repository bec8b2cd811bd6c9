#![allow(clippy::unwrap_used)] // tests: a failed unwrap is the failure report
//! Issue 14.6 and 14.7: exports name the server's special folders (read
//! once with the account's credential: SPECIAL-USE, RFC 6154), leave the
//! copy to Sent to servers that file sent mail themselves (a preset flag),
//! keep mbsync away from the `\All` archive, and create on the server the
//! folders they name that are missing. The harness's Dovecot has `\Sent`,
//! `\Drafts` and `\All` folders under French names for users whose Maildir
//! holds them (tests/harness/mailenv.sh, `write_dovecot_special_use`).

mod common;

use common::{MailEnv, add_imaps_account, mailenv, mailwiz};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const SENT: &str = "Envoyes";
const DRAFTS: &str = "Brouillons";
const ALL: &str = "Tous les messages";

/// An account for `user` on the main instance (IMAPS, `localhost` for
/// isync's name check), optionally from a preset.
fn add(env: &MailEnv, dir: &Path, user: &str, provider: Option<&str>) -> PathBuf {
    let cfg = dir.join("accounts.toml");
    let mut extra = vec!["--name", user, "--auth", "password"];
    if let Some(p) = provider {
        extra.extend(["--provider", p]);
    }
    add_imaps_account(env, &cfg, "localhost", user, &extra);
    cfg
}

/// A server-side folder of `user` (Maildir++ `.NAME`) with one message.
fn server_folder(env: &MailEnv, user: &str, name: &str, subject: &str) {
    let root = env.maildir(user);
    let folder = root.join(format!(".{name}"));
    for d in ["cur", "new", "tmp"] {
        std::fs::create_dir_all(folder.join(d)).unwrap();
    }
    std::fs::write(
        folder.join("new").join(format!("{subject}.eml")),
        format!("From: x@example.test\r\nSubject: {subject}\r\n\r\nbody\r\n"),
    )
    .unwrap();
}

fn export(cfg: &Path, name: &str, format: &str, extra: &[&str]) -> (String, String) {
    let out = mailwiz(cfg)
        .args(["export", name, "--format", format])
        .args(extra)
        .output()
        .unwrap();
    assert!(out.status.success(), "export {format}: {out:?}");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn has_line(text: &str, line: &str) -> bool {
    text.lines().any(|l| l == line)
}

#[test]
fn exports_use_the_servers_special_folders_and_mbsync_skips_all_mail() {
    let env = mailenv();
    let dir = tempfile::tempdir().unwrap();
    let cfg = add(env, dir.path(), "bob", None);
    let tag = std::process::id();
    server_folder(env, "bob", SENT, &format!("sent-{tag}"));
    server_folder(env, "bob", DRAFTS, &format!("draft-{tag}"));
    server_folder(env, "bob", ALL, &format!("archive-{tag}"));

    let (neomutt, _) = export(&cfg, "bob", "neomutt", &[]);
    assert!(
        has_line(&neomutt, &format!("set record = '+{SENT}'")),
        "{neomutt}"
    );
    assert!(
        has_line(&neomutt, &format!("set postponed = '+{DRAFTS}'")),
        "{neomutt}"
    );
    let (aerc, _) = export(&cfg, "bob", "aerc", &[]);
    assert!(has_line(&aerc, &format!("copy-to = `{SENT}`")), "{aerc}");
    assert!(has_line(&aerc, &format!("postpone = `{DRAFTS}`")), "{aerc}");

    let local = dir.path().join("Mail");
    let rc = dir.path().join("mbsyncrc");
    let out = mailwiz(&cfg)
        .args(["export", "bob", "--format", "mbsync", "--output"])
        .arg(&rc)
        .args(["--maildir", &local.display().to_string()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let text = std::fs::read_to_string(&rc).unwrap();
    assert!(has_line(&text, &format!("Patterns * !\"{ALL}\"")), "{text}");
    let bin = Path::new(env!("CARGO_BIN_EXE_mailwiz")).parent().unwrap();
    let out = Command::new("mbsync")
        .arg("-c")
        .arg(&rc)
        .arg("-a")
        .env(
            "PATH",
            format!("{}:{}", bin.display(), std::env::var("PATH").unwrap()),
        )
        .env("HOME", dir.path())
        .stdin(Stdio::null())
        .output()
        .expect("mbsync is installed (scripts/install-test-deps.sh)");
    assert!(out.status.success(), "mbsync: {out:?}\n{text}");
    assert!(
        local.join(SENT).is_dir(),
        "Envoyes was not mirrored: {out:?}"
    );
    assert!(
        !local.join(ALL).exists(),
        "mbsync downloaded the \\All archive a second time"
    );
}

#[test]
fn providers_that_file_sent_mail_get_no_client_copy() {
    let env = mailenv();
    let dir = tempfile::tempdir().unwrap();
    let cfg = add(env, dir.path(), "limited", Some("gmail"));
    server_folder(env, "limited", SENT, "gmail-sent");
    server_folder(env, "limited", DRAFTS, "gmail-draft");

    let (neomutt, _) = export(&cfg, "limited", "neomutt", &[]);
    assert!(has_line(&neomutt, "unset record"), "{neomutt}");
    assert!(has_line(&neomutt, "set copy = 'no'"), "{neomutt}");
    assert!(
        has_line(&neomutt, &format!("set postponed = '+{DRAFTS}'")),
        "{neomutt}"
    );
    let (aerc, _) = export(&cfg, "limited", "aerc", &[]);
    assert!(!aerc.contains("copy-to"), "{aerc}");
    // himalaya 2: no save-copy key ("leave it unset on Gmail"); 1.x: false.
    let (himalaya, _) = export(&cfg, "limited", "himalaya", &[]);
    assert!(!himalaya.contains("save-copy"), "{himalaya}");
    let (himalaya1, _) = export(&cfg, "limited", "himalaya1", &[]);
    assert!(himalaya1.contains("save-copy = false"), "{himalaya1}");

    // Without a login: the preset's own names.
    let (mbsync, _) = export(&cfg, "limited", "mbsync", &["--no-login"]);
    assert!(
        has_line(&mbsync, "Patterns * !\"[Gmail]/All Mail\""),
        "{mbsync}"
    );
    let (neomutt, _) = export(&cfg, "limited", "neomutt", &["--no-login"]);
    assert!(
        has_line(&neomutt, "set postponed = '+[Gmail]/Drafts'"),
        "{neomutt}"
    );
}

#[test]
fn folders_the_export_names_are_created_when_missing() {
    let env = mailenv();
    let dir = tempfile::tempdir().unwrap();
    let cfg = add(env, dir.path(), "alice", None);
    let root = env.maildir("alice");
    assert!(!root.join(".Drafts").exists());
    let (neomutt, err) = export(&cfg, "alice", "neomutt", &[]);
    assert!(has_line(&neomutt, "set postponed = '+Drafts'"), "{neomutt}");
    assert!(
        err.contains("Created the folder Drafts on the server"),
        "{err}"
    );
    for folder in [".Drafts", ".Sent"] {
        assert!(
            root.join(folder).is_dir(),
            "{folder} was not created: {err}"
        );
    }
    // Once they exist, nothing more is created or said.
    let (_, err) = export(&cfg, "alice", "neomutt", &[]);
    assert!(!err.contains("Created the folder"), "{err}");
}
