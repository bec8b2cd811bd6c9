#![allow(clippy::unwrap_used)] // tests: a failed unwrap is the failure report
//! Issue 14.5: aerc 0.14 (Debian 12) runs in tmux on the exported
//! `accounts.conf` against the harness's Dovecot and shows the INBOX with
//! the test message; the password comes from the exported
//! `source-cred-cmd`. aerc is a Go program: it trusts the harness's CA
//! through `SSL_CERT_FILE` (the export says aerc has no CA setting).

mod common;

use common::{mailenv, mailwiz};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// A private tmux server running one program; killed on drop.
struct Pane {
    socket: String,
    last: String,
}

impl Pane {
    fn start(program: &str, env: &[(&str, String)]) -> Pane {
        let socket = format!("mw-aerc-{}", std::process::id());
        let mut c = Command::new("tmux");
        c.args(["-L", &socket, "-f", "/dev/null", "new-session", "-d"]);
        c.args(["-x", "160", "-y", "40", program]);
        for (k, v) in env {
            c.env(k, v);
        }
        c.env("TERM", "xterm-256color");
        let ok = c.status().expect("tmux runs (package tmux)").success();
        assert!(ok, "tmux new-session failed");
        Pane {
            socket,
            last: String::new(),
        }
    }

    fn screen(&mut self) -> String {
        let out = Command::new("tmux")
            .args(["-L", &self.socket, "capture-pane", "-p", "-t", "0"])
            .output()
            .unwrap();
        self.last = String::from_utf8_lossy(&out.stdout).into_owned();
        self.last.clone()
    }

    fn wait_for(&mut self, needle: &str, within: Duration) -> bool {
        let start = Instant::now();
        while start.elapsed() < within {
            if self.screen().contains(needle) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        false
    }
}

impl Drop for Pane {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .status();
    }
}

/// go-ini would read ` #…` and ` ;…` as a comment in an unquoted value,
/// which cut the password command short before issue 11.
const NAME: &str = "alice #1; x";

#[test]
fn aerc_shows_the_inbox_with_the_exported_accounts_conf() {
    let env = mailenv();
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    let cfg = home.join("accounts.toml");
    let pw = home.join("pw");
    std::fs::write(&pw, format!("{}\n", env.password)).unwrap();
    let email = env.user("alice");
    let out = mailwiz(&cfg)
        .args([
            "add",
            "--email",
            &email,
            "--name",
            NAME,
            "--incoming",
            "imap",
        ])
        .args(["--display-name", "Alice's \"test\" `box`"])
        .args(["--in-host", &env.host, "--in-security", "tls"])
        .args(["--in-port", &env.imaps_port.to_string()])
        .args(["--smtp-host", &env.host, "--smtp-security", "starttls"])
        .args(["--smtp-port", &env.smtp_port.to_string()])
        .arg("--ca-file")
        .arg(&env.ca)
        .arg("--password-command")
        .arg(format!("cat {}", pw.display()))
        .output()
        .unwrap();
    assert!(out.status.success(), "add: {out:?}");

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
        ("HOME", home.display().to_string()),
        (
            "XDG_CONFIG_HOME",
            home.join(".config").display().to_string(),
        ),
        ("PATH", path),
        ("SSL_CERT_FILE", env.ca.display().to_string()),
    ];
    let mut pane = Pane::start("aerc; sleep 30", &vars);
    let seen = pane.wait_for(&subject, Duration::from_secs(30));
    let screen = pane.last.clone();
    assert!(
        seen,
        "aerc did not show the test message in INBOX:\n{screen}\n--- accounts.conf\n{text}"
    );
    assert!(screen.contains("INBOX"), "{screen}");
    assert!(!screen.contains(&env.password), "aerc showed the password");
}
