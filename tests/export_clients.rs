#![allow(clippy::unwrap_used)] // tests: a failed unwrap is the failure report
//! `mailwiz export` proven with the real clients from Debian against the
//! harness's Dovecot: msmtp sends with the exported file, mbsync mirrors the
//! inbox with it, neomutt reads it (and sends with it); the thunderbird XML
//! reads back to the same settings. Passwords come from the exported
//! `mailwiz password …` commands, so the binary is first on PATH.

mod common;

use common::{MailEnv, add_imaps_account, mailenv, mailwiz};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

struct Setup {
    dir: tempfile::TempDir,
    cfg: PathBuf,
    email: String,
}

/// An account "alice" on the main instance: IMAPS and submission with
/// STARTTLS, trusting the harness's CA, password from a file.
fn setup(env: &MailEnv, host: &str) -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("accounts.toml");
    add_imaps_account(env, &cfg, host, "alice", &["--name", "alice"]);
    let email = env.user("alice");
    Setup { dir, cfg, email }
}

impl Setup {
    fn export(&self, format: &str, extra: &[&str]) -> PathBuf {
        let file = self.dir.path().join(format!("exported.{format}"));
        let out = mailwiz(&self.cfg)
            .args(["export", "alice", "--format", format, "--output"])
            .arg(&file)
            .args(extra)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "export {format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(
            !text.contains(&mailenv().password),
            "the password is in the {format} export"
        );
        file
    }

    /// A client command with mailwiz first on PATH, HOME in the temp dir.
    fn client(&self, program: &str) -> Command {
        let bin = Path::new(env!("CARGO_BIN_EXE_mailwiz")).parent().unwrap();
        let path = format!(
            "{}:{}",
            bin.display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let mut c = Command::new(program);
        c.env("PATH", path)
            .env("HOME", self.dir.path())
            .env("MAILWIZ_CONFIG", &self.cfg)
            .env_remove("DBUS_SESSION_BUS_ADDRESS")
            .env_remove("XDG_CONFIG_HOME");
        c
    }
}

fn run(mut c: Command, input: Option<&str>) -> (bool, String) {
    c.stdin(if input.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    })
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut child = c
        .spawn()
        .expect("the client is installed (scripts/install-test-deps.sh)");
    if let Some(text) = input {
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
    }
    let out = child.wait_with_output().unwrap();
    let text = format!(
        "({}){}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

fn needle(what: &str) -> String {
    format!(
        "mailwiz-export-{what}-{}-{:?}",
        std::process::id(),
        std::time::SystemTime::now()
    )
    .replace([' ', ':', '{', '}', ','], "")
}

#[test]
fn msmtp_sends_with_the_exported_file() {
    let env = mailenv();
    let s = setup(env, &env.host);
    let file = s.export("msmtp", &[]);
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.contains(&format!("tls_trust_file \"{}\"", env.ca.display())),
        "{text}"
    );
    let id = needle("msmtp");
    let msg = format!(
        "From: {0}\r\nTo: {0}\r\nSubject: {id}\r\n\r\nsent by msmtp with mailwiz's export\r\n",
        s.email
    );
    let mut c = s.client("msmtp");
    c.arg("-C").arg(&file).args(["-a", "alice", "--", &s.email]);
    let (ok, out) = run(c, Some(&msg));
    assert!(ok, "msmtp failed:\n{out}\n--- config\n{text}");
    assert!(
        env.wait_for_message("alice", &id, Duration::from_secs(20))
            .is_some(),
        "the message sent by msmtp did not arrive; {}",
        env.log_tail("main", 20)
    );
}

#[test]
fn mbsync_mirrors_the_inbox_with_the_exported_file() {
    let env = mailenv();
    // isync checks the certificate's DNS names only, not its IP addresses.
    let s = setup(env, "localhost");
    let id = needle("mbsync");
    let new = env.maildir("alice").join("new");
    std::fs::create_dir_all(&new).unwrap();
    std::fs::write(
        new.join(format!("{id}.eml")),
        format!(
            "From: x@example.test\r\nTo: {}\r\nSubject: {id}\r\n\r\nbody\r\n",
            s.email
        ),
    )
    .unwrap();
    let local = s.dir.path().join("Mail");
    std::fs::create_dir_all(&local).unwrap();
    let file = s.export("mbsync", &["--maildir", &local.display().to_string()]);
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.contains(&format!("CertificateFile \"{}\"", env.ca.display())),
        "{text}"
    );
    let mut c = s.client("mbsync");
    c.arg("-c").arg(&file).arg("alice");
    let (ok, out) = run(c, None);
    assert!(ok, "mbsync failed:\n{out}\n--- config\n{text}");
    let inbox = local.join("INBOX");
    let found = ["cur", "new"].iter().any(|d| {
        std::fs::read_dir(inbox.join(d))
            .into_iter()
            .flatten()
            .flatten()
            .any(|e| std::fs::read_to_string(e.path()).is_ok_and(|t| t.contains(&id)))
    });
    assert!(
        found,
        "mbsync did not bring the message into {}:\n{out}",
        inbox.display()
    );
}

#[test]
fn neomutt_reads_the_exported_file_and_sends_with_it() {
    let env = mailenv();
    let s = setup(env, &env.host);
    let file = s.export("neomutt", &[]);
    let text = std::fs::read_to_string(&file).unwrap();
    let mut c = s.client("neomutt");
    c.arg("-n").arg("-F").arg(&file).args(["-Q", "folder"]);
    let (ok, out) = run(c, None);
    assert!(ok, "neomutt -Q failed:\n{out}\n--- config\n{text}");
    let expected = format!("@{}:{}/", env.host, env.imaps_port);
    assert!(out.contains(&expected), "{out}");
    assert!(!out.contains(&env.password), "neomutt printed the password");

    let id = needle("neomutt");
    let mut c = s.client("neomutt");
    c.arg("-n")
        .arg("-F")
        .arg(&file)
        .args(["-s", &id, "--", &s.email]);
    c.env("TERM", "dumb");
    let (ok, out) = run(c, Some("sent by neomutt with mailwiz's export\n"));
    assert!(ok, "neomutt batch send failed:\n{out}\n--- config\n{text}");
    assert!(
        env.wait_for_message("alice", &id, Duration::from_secs(20))
            .is_some(),
        "the message sent by neomutt did not arrive; {}",
        env.log_tail("main", 20)
    );
}

#[test]
fn thunderbird_xml_reads_back_to_the_same_settings() {
    let env = mailenv();
    let s = setup(env, &env.host);
    let file = s.export("thunderbird", &[]);
    let xml = std::fs::read_to_string(&file).unwrap();
    let parsed = mailwiz::discover::parse_client_config(&xml).expect("a clientConfig document");
    let back = mailwiz::discover::Candidate::from_client_config(
        &parsed,
        &s.email,
        mailwiz::discover::Source::Autoconfig,
        "file",
        true,
    )
    .to_account(&s.email);
    let shown = mailwiz(&s.cfg)
        .args(["show", "alice", "--json"])
        .output()
        .unwrap();
    let original: mailwiz::account::Account = serde_json::from_slice(&shown.stdout).unwrap();
    assert_eq!(back.incoming, original.incoming);
    assert_eq!(back.smtp, original.smtp);
}

#[test]
fn pop3_accounts_are_refused_by_imap_only_clients() {
    let env = mailenv();
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("accounts.toml");
    let out = mailwiz(&cfg)
        .args([
            "add",
            "--email",
            &env.user("bob"),
            "--name",
            "bob",
            "--incoming",
            "pop3",
        ])
        .args(["--in-host", &env.host, "--smtp-host", &env.host])
        .args(["--password-command", "true"])
        .output()
        .unwrap();
    assert!(out.status.success());
    for format in ["mbsync", "aerc", "himalaya"] {
        let out = mailwiz(&cfg)
            .args(["export", "bob", "--format", format])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{format}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("IMAP only") && err.contains("POP3"), "{err}");
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn detect_in_an_empty_home_lists_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = mailwiz(&dir.path().join("a.toml"))
        .args(["detect", "--json"])
        .env("HOME", dir.path())
        .env_remove("XDG_CONFIG_HOME")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["accounts"], serde_json::json!([]));
}

#[test]
fn detect_reads_a_thunderbird_profile_in_french() {
    let home = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/detect/home");
    let out = mailwiz(&home.join("none.toml"))
        .args(["--lang", "fr", "detect"])
        .env("HOME", &home)
        .env_remove("XDG_CONFIG_HOME")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("vous utilisez IMAP sur imap.free.fr:993 (TLS)"),
        "{text}"
    );
    assert!(
        text.contains("vous utilisez POP3 sur pop.example.org:110"),
        "{text}"
    );
    assert!(!text.contains("SECRET"), "{text}");
}

/// Issue 14.3: `export --format mbsync` into ~/.mbsyncrc, then `mbsync -a`
/// as a user would, with nothing created by hand: the export creates the
/// local Maildir root. On stdout it only says which `mkdir -p` to run.
#[test]
fn mbsync_dash_a_works_right_after_the_export() {
    let env = mailenv();
    let s = setup(env, "localhost");
    let home = s.dir.path();
    let id = needle("mbsync-a");
    let new = env.maildir("alice").join("new");
    std::fs::create_dir_all(&new).unwrap();
    std::fs::write(
        new.join(format!("{id}.eml")),
        format!(
            "From: x@example.test\r\nTo: {}\r\nSubject: {id}\r\n\r\nbody\r\n",
            s.email
        ),
    )
    .unwrap();
    let root = home.join("Mail/alice");

    let out = mailwiz(&s.cfg)
        .args(["export", "alice", "--format", "mbsync"])
        .env("HOME", home)
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("mkdir -p {}/", root.display())),
        "{err}"
    );
    assert!(
        !root.exists(),
        "writing to stdout created {}",
        root.display()
    );

    let rc = home.join(".mbsyncrc");
    let out = mailwiz(&s.cfg)
        .args(["export", "alice", "--format", "mbsync", "--output"])
        .arg(&rc)
        .env("HOME", home)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(
        root.is_dir(),
        "the export did not create {}",
        root.display()
    );
    let mut c = s.client("mbsync");
    c.arg("-a");
    let (ok, out) = run(c, None);
    let text = std::fs::read_to_string(&rc).unwrap();
    assert!(ok, "mbsync -a failed:\n{out}\n--- ~/.mbsyncrc\n{text}");
    let found = ["cur", "new"].iter().any(|d| {
        std::fs::read_dir(root.join("INBOX").join(d))
            .into_iter()
            .flatten()
            .flatten()
            .any(|e| std::fs::read_to_string(e.path()).is_ok_and(|t| t.contains(&id)))
    });
    assert!(found, "mbsync -a did not bring the message:\n{out}");
}
