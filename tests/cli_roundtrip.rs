#![allow(clippy::unwrap_used)] // tests: a failed unwrap is the failure report
//! The command line against real servers and a real Secret Service:
//! `add` → `check` → `send-test --verify`, for every incoming protocol and
//! security, both SMTP ports; failures; keyring round trip and removal; the
//! test password searched for in every output and file.

mod common;

use common::{KeyringSession, MailEnv, mailenv, mailwiz};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::time::Duration;

/// One user's machine: a HOME, a config path, a keyring session, and every
/// output the binary printed (searched for the password at the end).
struct Machine {
    _dir: tempfile::TempDir,
    home: PathBuf,
    config: PathBuf,
    keyring: KeyringSession,
    outputs: Vec<String>,
}

impl Machine {
    fn new() -> Machine {
        let dir = tempfile::Builder::new()
            .prefix("mwc")
            .tempdir_in("/tmp")
            .unwrap();
        let home = dir.path().join("home");
        let keyring = KeyringSession::start(&home);
        let config = home.join(".config/mailwiz/accounts.toml");
        Machine {
            home,
            config,
            keyring,
            outputs: Vec::new(),
            _dir: dir,
        }
    }

    fn run<S: AsRef<std::ffi::OsStr>>(&mut self, args: &[S], stdin: Option<&str>) -> Output {
        let mut cmd = mailwiz(&self.config);
        self.keyring.apply(&mut cmd);
        cmd.args(args).stdout(Stdio::piped()).stderr(Stdio::piped());
        if stdin.is_some() {
            cmd.stdin(Stdio::piped());
        }
        let mut child = cmd.spawn().expect("run mailwiz");
        if let Some(text) = stdin {
            child
                .stdin
                .take()
                .unwrap()
                .write_all(text.as_bytes())
                .unwrap();
        }
        let out = child.wait_with_output().unwrap();
        self.outputs.push(format!(
            "$ mailwiz {}\n{}{}",
            args.iter()
                .map(|a| a.as_ref().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join(" "),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ));
        out
    }

    fn last_output(&self) -> &str {
        self.outputs.last().map_or("", String::as_str)
    }

    /// The password must be in no output and no file under HOME (the
    /// keyring file is encrypted, so it does not contain it in clear).
    fn assert_password_nowhere(&self, password: &str) {
        for out in &self.outputs {
            assert!(!out.contains(password), "the password was printed:\n{out}");
        }
        for file in walk(&self.home) {
            let bytes = std::fs::read(&file).unwrap_or_default();
            assert!(
                !contains(&bytes, password.as_bytes()),
                "the password is in {}",
                file.display()
            );
        }
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else if p.is_file() {
            out.push(p);
        }
    }
    out
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

fn code(out: &Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

fn add_args(
    env: &MailEnv,
    name: &str,
    incoming: &str,
    in_port: u16,
    in_sec: &str,
    smtp_port: u16,
    smtp_sec: &str,
) -> Vec<String> {
    [
        "add",
        "--email",
        "alice@example.test",
        "--name",
        name,
        "--display-name",
        "Alice Test",
        "--incoming",
        incoming,
        "--in-host",
        &env.host,
        "--in-port",
        &in_port.to_string(),
        "--in-security",
        in_sec,
        "--smtp-host",
        &env.host,
        "--smtp-port",
        &smtp_port.to_string(),
        "--smtp-security",
        smtp_sec,
        "--ca-file",
        env.ca.to_str().unwrap(),
        "--password-stdin",
    ]
    .iter()
    .map(std::string::ToString::to_string)
    .collect()
}

fn roundtrip(
    incoming: &str,
    in_port: fn(&MailEnv) -> u16,
    in_sec: &str,
    smtp_port: fn(&MailEnv) -> u16,
    smtp_sec: &str,
) {
    let env = mailenv();
    let mut m = Machine::new();
    let name = format!("rt-{incoming}-{in_sec}-{smtp_sec}");
    let args = add_args(
        env,
        &name,
        incoming,
        in_port(env),
        in_sec,
        smtp_port(env),
        smtp_sec,
    );
    let out = m.run(&args, Some(&format!("{}\n", env.password)));
    assert_eq!(code(&out), 0, "add failed:\n{}", m.last_output());
    assert!(m.last_output().contains("incoming:"), "{}", m.last_output());

    let out = m.run(&["check", &name], None);
    assert_eq!(code(&out), 0, "check failed:\n{}", m.last_output());
    let text = m.last_output().to_string();
    assert!(
        text.contains(&format!("{}: OK", incoming.to_uppercase())),
        "{text}"
    );
    assert!(text.contains("SMTP: OK"), "{text}");

    let out = m.run(&["check", &name, "--json"], None);
    assert_eq!(code(&out), 0);
    let json: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("check --json is JSON");
    assert_eq!(json["incoming"]["ok"], true);
    assert_eq!(json["smtp"]["ok"], true);
    assert!(json["incoming"]["steps"].as_array().unwrap().len() >= 3);

    let out = m.run(
        &["send-test", &name, "--verify", "--json", "--timeout", "20"],
        None,
    );
    assert_eq!(code(&out), 0, "send-test failed:\n{}", m.last_output());
    let json: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("send-test --json is JSON");
    assert_eq!(json["send"]["ok"], true);
    assert_eq!(json["send"]["reply"]["code"], 250, "{json}");
    assert_eq!(json["verify"]["found"], true, "{json}");
    let subject = json["send"]["subject"].as_str().unwrap().to_string();
    assert!(subject.starts_with("mailwiz test "), "{subject}");
    // An independent look at the mailbox on disk, not through our client.
    assert!(
        env.wait_for_message("alice@example.test", &subject, Duration::from_secs(10))
            .is_some(),
        "the test message is not in alice's Maildir"
    );

    // The human form prints the server's final reply.
    let out = m.run(&["send-test", &name], None);
    assert_eq!(code(&out), 0, "{}", m.last_output());
    assert!(m.last_output().contains("250"), "{}", m.last_output());

    m.assert_password_nowhere(&env.password);
    let cfg = std::fs::read_to_string(&m.config).unwrap();
    assert!(cfg.contains("schema_version = 1"), "{cfg}");
}

#[test]
fn imap_tls_with_smtp_starttls() {
    roundtrip("imap", |e| e.imaps_port, "tls", |e| e.smtp_port, "starttls");
}

#[test]
fn imap_starttls_with_smtp_tls() {
    roundtrip("imap", |e| e.imap_port, "starttls", |e| e.smtps_port, "tls");
}

#[test]
fn pop3_tls_with_smtp_tls() {
    roundtrip("pop3", |e| e.pop3s_port, "tls", |e| e.smtps_port, "tls");
}

#[test]
fn pop3_starttls_with_smtp_starttls() {
    roundtrip(
        "pop3",
        |e| e.pop3_port,
        "starttls",
        |e| e.smtp_port,
        "starttls",
    );
}

#[test]
fn wrong_password_fails_with_the_servers_reply() {
    let env = mailenv();
    let mut m = Machine::new();
    let args = add_args(
        env,
        "wrong",
        "imap",
        env.imaps_port,
        "tls",
        env.smtps_port,
        "tls",
    );
    let out = m.run(&args, Some("not-the-password\n"));
    assert_eq!(code(&out), 0, "{}", m.last_output());
    let out = m.run(&["check", "wrong"], None);
    assert_eq!(code(&out), 1, "{}", m.last_output());
    let text = m.last_output();
    assert!(
        text.contains("535"),
        "the SMTP 535 reply is not shown:\n{text}"
    );
    assert!(text.contains("IMAP: FAILED"), "{text}");
    let out = m.run(&["send-test", "wrong"], None);
    assert_eq!(code(&out), 1, "{}", m.last_output());
    m.assert_password_nowhere("not-the-password");
}

#[test]
fn keyring_round_trip_and_remove() {
    let env = mailenv();
    let mut m = Machine::new();
    let args = add_args(
        env,
        "kr",
        "imap",
        env.imaps_port,
        "tls",
        env.smtps_port,
        "tls",
    );
    assert_eq!(code(&m.run(&args, Some(&format!("{}\n", env.password)))), 0);

    // Another process (secret-tool) reads it from the Secret Service.
    let attrs = [("service", "mailwiz"), ("username", "incoming:kr")];
    assert_eq!(
        m.keyring.secret_tool_lookup(&attrs).as_deref(),
        Some(env.password.as_str())
    );

    let out = m.run(&["password", "kr"], None);
    assert_eq!(code(&out), 0, "{}", m.last_output());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim_end(),
        env.password
    );
    // The SMTP role shares the incoming entry.
    let out = m.run(&["password", "kr", "smtp"], None);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim_end(),
        env.password
    );
    m.outputs.clear(); // `password` prints it on purpose; nothing else may.

    let out = m.run(&["remove", "kr"], None);
    assert_eq!(code(&out), 0, "{}", m.last_output());
    assert_eq!(
        m.keyring.secret_tool_lookup(&attrs),
        None,
        "remove left the keyring entry"
    );
    let out = m.run(&["password", "kr"], None);
    assert_eq!(code(&out), 2, "{}", m.last_output());
    let out = m.run(&["list", "--json"], None);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["accounts"].as_array().unwrap().len(), 0);
    m.assert_password_nowhere(&env.password);
}

#[test]
fn separate_smtp_password_uses_its_own_entry() {
    let env = mailenv();
    let mut m = Machine::new();
    let mut args = add_args(
        env,
        "sep",
        "imap",
        env.imaps_port,
        "tls",
        env.smtps_port,
        "tls",
    );
    args.extend([
        "--smtp-user".to_string(),
        "alice@example.test".to_string(),
        "--smtp-password-stdin".to_string(),
    ]);
    let stdin = format!("{0}\n{0}\n", env.password);
    assert_eq!(code(&m.run(&args, Some(&stdin))), 0, "{}", m.last_output());
    let smtp = [("service", "mailwiz"), ("username", "smtp:sep")];
    assert_eq!(
        m.keyring.secret_tool_lookup(&smtp).as_deref(),
        Some(env.password.as_str())
    );
    let cfg = std::fs::read_to_string(&m.config).unwrap();
    assert!(cfg.contains("same_password = false"), "{cfg}");
    assert_eq!(
        code(&m.run(&["check", "sep"], None)),
        0,
        "{}",
        m.last_output()
    );
    assert_eq!(code(&m.run(&["remove", "sep"], None)), 0);
    assert_eq!(m.keyring.secret_tool_lookup(&smtp), None);
}

#[test]
fn keyring_unavailable_is_explained_and_nothing_is_saved() {
    let env = mailenv();
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("accounts.toml");
    let args = add_args(
        env,
        "nokr",
        "imap",
        env.imaps_port,
        "tls",
        env.smtps_port,
        "tls",
    );
    let mut cmd = mailwiz(&config);
    cmd.env("HOME", dir.path())
        .args(&args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"some-password\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(code(&out), 2, "{err}");
    assert!(err.contains("Secret Service"), "{err}");
    assert!(
        err.contains("password_command"),
        "no alternative offered: {err}"
    );
    assert!(err.contains("Nothing was saved"), "{err}");
    assert!(
        !config.exists(),
        "an account was saved without its password"
    );
    assert!(!err.contains("some-password"));
}

#[test]
fn password_command_is_the_explicit_alternative() {
    let env = mailenv();
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("accounts.toml");
    let pwfile = dir.path().join("pw");
    std::fs::write(&pwfile, format!("{}\n", env.password)).unwrap();
    let mut args = add_args(
        env,
        "cmd",
        "imap",
        env.imaps_port,
        "tls",
        env.smtps_port,
        "tls",
    );
    args.pop(); // no --password-stdin
    args.extend([
        "--password-command".into(),
        format!("cat {}", pwfile.display()),
    ]);
    let out = mailwiz(&config).args(&args).output().unwrap();
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let out = mailwiz(&config).args(["check", "cmd"]).output().unwrap();
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stdout));
    let cfg = std::fs::read_to_string(&config).unwrap();
    assert!(cfg.contains("password_command"), "{cfg}");
    assert!(!cfg.contains(&env.password));
}

#[test]
fn starttls_not_offered_is_an_error_before_login() {
    let env = mailenv();
    let mut m = Machine::new();
    let args = add_args(
        env,
        "notls",
        "imap",
        env.notls_imap_port,
        "starttls",
        env.notls_smtp_port,
        "starttls",
    );
    assert_eq!(code(&m.run(&args, Some(&format!("{}\n", env.password)))), 0);
    let out = m.run(&["check", "notls", "--json"], None);
    assert_eq!(code(&out), 1, "{}", m.last_output());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for side in ["incoming", "smtp"] {
        assert_eq!(json[side]["ok"], false);
        let kind = json[side]["error"]["kind"].as_str().unwrap_or_default();
        assert!(kind.contains("starttls"), "{side}: {json}");
    }
    m.assert_password_nowhere(&env.password);
}

#[test]
fn corrupt_config_is_reported_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("accounts.toml");
    let garbage = "schema_version = 1\n[[account]]\nname = \"x\"\nemail = = oops\n";
    std::fs::write(&config, garbage).unwrap();
    let out = mailwiz(&config).arg("list").output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(code(&out), 2, "{err}");
    assert!(err.contains("line 4"), "no line number: {err}");
    assert!(err.contains("column"), "{err}");
    let out = mailwiz(&config)
        .args([
            "add",
            "--email",
            "bob@example.test",
            "--in-host",
            "127.0.0.1",
            "--smtp-host",
            "127.0.0.1",
        ])
        .output()
        .unwrap();
    assert_eq!(code(&out), 2);
    assert_eq!(
        std::fs::read_to_string(&config).unwrap(),
        garbage,
        "the corrupt file was overwritten"
    );
}

#[test]
fn bad_input_gets_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("accounts.toml");
    let run = |args: &[&str]| mailwiz(&config).args(args).output().unwrap();
    let out = run(&["add", "--email", "not-an-address"]);
    assert_eq!(code(&out), 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("name@example.com"));
    let out = run(&[
        "add",
        "--email",
        "a@example.test",
        "--in-host",
        "bad host",
        "--smtp-host",
        "x.test",
    ]);
    assert_eq!(code(&out), 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("incoming.host"));
    let out = run(&[
        "add",
        "--email",
        "a@example.test",
        "--in-host",
        "x.test",
        "--smtp-host",
        "x.test",
        "--in-port",
        "99999",
    ]);
    assert_eq!(code(&out), 2);
    let out = run(&["check"]);
    assert_eq!(code(&out), 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("mailwiz add"));
    let out = run(&["add", "--email", "a@example.test", "--provider", "nope"]);
    assert_eq!(code(&out), 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("free"));
    assert!(!config.exists());
}

#[test]
fn french_messages_from_the_locale() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("accounts.toml");
    let out = mailwiz(&config)
        .env("LANG", "fr_FR.UTF-8")
        .arg("list")
        .output()
        .unwrap();
    assert_eq!(code(&out), 0);
    assert!(String::from_utf8_lossy(&out.stdout).contains("Aucun compte"));
    let out = mailwiz(&config)
        .args(["--lang", "en", "list"])
        .env("LANG", "fr_FR.UTF-8")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("No accounts"));
}

#[test]
fn free_preset_fills_the_settings() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("accounts.toml");
    let out = mailwiz(&config)
        .args(["add", "--email", "alice@free.fr", "--provider", "free"])
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let out = mailwiz(&config).args(["show", "--json"]).output().unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["incoming"]["host"], "imap.free.fr");
    assert_eq!(json["smtp"]["host"], "smtp.free.fr");
    assert_eq!(json["provider"], "free");
}

#[test]
fn discover_json_from_the_presets() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("accounts.toml");
    let out = mailwiz(&config)
        .args(["discover", "alice@free.fr", "--sources", "preset", "--json"])
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["email"], "alice@free.fr");
    assert_eq!(json["candidates"][0]["source"], "preset");
    assert_eq!(json["candidates"][0]["incoming"][0]["host"], "imap.free.fr");
    assert_eq!(json["sources"][0]["status"], "ok");
}

/// `discover --sources ispdb` reads the ISPDB document from the loopback
/// HTTP server of `tests/common/http.rs` (the posteo.de sample) at
/// `$MAILWIZ_ISPDB_URL<domain>`, and reports its servers.
#[test]
fn discover_json_from_a_loopback_ispdb() {
    use common::http::{self, Request, Response};
    use std::sync::{Arc, Mutex};
    let sample = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/ispdb/posteo.de.xml"
    );
    let xml = std::fs::read_to_string(sample).unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let addr = http::serve(
        Arc::new(move |req: &Request| {
            log.lock().unwrap().push(req.path.clone());
            if req.method == "GET" && req.path == "/v1.1/posteo.de" {
                Response::ok("text/xml", xml.clone())
            } else {
                Response::not_found()
            }
        }),
        None,
    );
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("accounts.toml");
    let out = mailwiz(&config)
        .args([
            "discover",
            "alice@posteo.de",
            "--sources",
            "ispdb",
            "--json",
        ])
        .env("MAILWIZ_ISPDB_URL", format!("http://{addr}/v1.1/"))
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["candidates"][0]["source"], "ispdb", "{json:#}");
    assert_eq!(
        json["candidates"][0]["incoming"][0]["host"], "posteo.de",
        "{json:#}"
    );
    assert_eq!(*seen.lock().unwrap(), ["/v1.1/posteo.de"]);
}
