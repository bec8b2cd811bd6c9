#![allow(clippy::unwrap_used)] // tests: a failed unwrap is the failure report
//! Issue 16.2: `mailwiz doctor --bundle FILE` writes a ticket (versioned
//! JSON, no secret) and `mailwiz doctor --replay FILE --lang xx` shows it as
//! the doctor did, in the reader's language. Real Dovecot and SMTP relay
//! from the harness; a wrong password gives findings worth a ticket.

mod common;

use common::{MailEnv, mailenv, mailwiz};
use serde_json::Value;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

const WRONG_PASSWORD: &str = "wrong-pw-Hq7Zx2";
const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/bundle");

/// An IMAPS + SMTPS account on the harness whose password command prints
/// `password`.
fn account(env: &MailEnv, dir: &Path, password: &str) -> PathBuf {
    let cfg = dir.join("accounts.toml");
    common::add_tls_account(env, &cfg, "t", password, env.smtps_port);
    cfg
}

struct Out {
    stdout: String,
    stderr: String,
    code: i32,
}

fn run(cfg: &Path, args: &[&str]) -> Out {
    let out = mailwiz(cfg)
        .args(args)
        .env("MAILWIZ_DOCTOR_SMTP_PORTS", "1")
        .output()
        .unwrap();
    Out {
        stdout: String::from_utf8_lossy(&out.stdout).to_string(),
        stderr: String::from_utf8_lossy(&out.stderr).to_string(),
        code: out.status.code().unwrap_or(-1),
    }
}

fn json(o: &Out) -> Value {
    serde_json::from_str(&o.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\n{}", o.stdout, o.stderr))
}

/// (code, severity, server) of each finding, in order.
fn codes(v: &Value) -> Vec<(String, String, String)> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or("").to_string();
            (s("code"), s("severity"), s("server"))
        })
        .collect()
}

#[test]
fn a_french_ticket_replays_in_english_with_the_same_findings() {
    let env = mailenv();
    let dir = tempfile::tempdir().unwrap();
    let cfg = account(env, dir.path(), WRONG_PASSWORD);
    let ticket = dir.path().join("ticket.json");
    let t = ticket.to_str().unwrap();
    let made = run(
        &cfg,
        &["--lang", "fr", "doctor", "t", "--json", "--bundle", t],
    );
    let made_json = json(&made);
    assert!(
        codes(&made_json).iter().any(|c| c.0 == "auth_failed"),
        "{}",
        made.stdout
    );

    // The file: versioned, private, complete, and without any secret.
    let text = std::fs::read_to_string(&ticket).unwrap();
    for secret in [WRONG_PASSWORD, env.password.as_str()] {
        assert!(!text.contains(secret), "a password is in the ticket");
    }
    let mode = std::fs::metadata(&ticket).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "the ticket is readable by its owner only");
    let b: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(b["schema"], 1);
    assert_eq!(b["locale"]["lang"], "fr");
    assert_eq!(b["mailwiz_version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(b["account"]["incoming"]["host"], env.host.as_str());
    assert!(b["account"].get("secrets").is_none() && !text.contains("password_command"));
    assert_eq!(b["findings"][0]["code"], "auth_failed");
    assert!(
        b["findings"][0].get("title").is_none(),
        "findings are codes, not text"
    );
    let pem = b["servers"][0]["certificate"]["pem"].as_str().unwrap();
    assert!(pem.starts_with("-----BEGIN CERTIFICATE-----\n"), "{pem}");
    assert_eq!(b["servers"][0]["families"][0]["family"], "ipv4");
    assert_eq!(b["dns"][0]["addresses"][0], env.host.as_str());
    let transcript = b["transcript"].as_array().unwrap();
    assert!(
        transcript
            .iter()
            .any(|l| l.as_str().unwrap().contains("LOGIN"))
    );

    // Replayed in English: the same findings, in English.
    let en = run(&cfg, &["--lang", "en", "doctor", "--replay", t, "--json"]);
    let en_json = json(&en);
    assert_eq!(codes(&en_json), codes(&made_json));
    let title = en_json["findings"][0]["title"].as_str().unwrap();
    assert!(
        title.contains("refuses") || title.contains("refused"),
        "{title}"
    );
    // Replayed in French: exactly what the doctor printed.
    let fr = run(&cfg, &["--lang", "fr", "doctor", "--replay", t, "--json"]);
    assert_eq!(json(&fr)["findings"], made_json["findings"]);
    assert_eq!(en.code, made.code);

    // A second ticket to the same path is refused; the first stays whole.
    let again = run(&cfg, &["doctor", "t", "--bundle", t]);
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);
    assert_eq!(std::fs::read_to_string(&ticket).unwrap(), text);
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(left.is_empty(), "a temporary file was left behind");
}

/// The text replay in the doctor's own language is the doctor's text.
#[test]
fn the_text_replay_reads_as_the_doctor_did() {
    let env = mailenv();
    let dir = tempfile::tempdir().unwrap();
    let cfg = account(env, dir.path(), WRONG_PASSWORD);
    let ticket = dir.path().join("t.json");
    let t = ticket.to_str().unwrap();
    let live = run(&cfg, &["--lang", "fr", "doctor", "t", "--bundle", t]);
    let replay = run(&cfg, &["--lang", "fr", "doctor", "--replay", t]);
    // Live: "Diagnostic…" first and "Ticket écrit…" last; replay: a header.
    let body = |s: &str, skip_last: bool| {
        let lines: Vec<&str> = s.lines().skip(1).collect();
        let n = lines.len() - usize::from(skip_last);
        lines[..n].join("\n")
    };
    assert_eq!(body(&replay.stdout, false), body(&live.stdout, true));
    assert!(live.stdout.contains("Ticket écrit dans"), "{}", live.stdout);
    assert!(
        replay
            .stdout
            .lines()
            .next()
            .unwrap()
            .contains("en français")
    );
    let en = run(&cfg, &["--lang", "en", "doctor", "--replay", t]);
    assert!(en.stdout.contains("written by mailwiz") && en.stdout.contains("in French"));
    assert!(
        en.stdout.contains("[auth_failed]") && en.stdout.contains("Fix: "),
        "{}",
        en.stdout
    );
    assert!(
        en.stdout.contains("refuses the user name or password"),
        "{}",
        en.stdout
    );
    assert!(!en.stdout.contains("refuse l'identifiant"), "{}", en.stdout);
}

#[test]
fn a_schema_0_ticket_is_shown_as_written_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("accounts.toml");
    let path = format!("{FIXTURES}/schema0.json");
    let o = run(&cfg, &["--lang", "en", "doctor", "--replay", &path]);
    assert_eq!(o.code, 1, "{}{}", o.stdout, o.stderr);
    assert!(o.stdout.contains("schema 0") && o.stdout.contains("shown as written, in French"));
    assert!(
        o.stdout
            .contains("[auth_failed] IMAP mail.example.test:993 refuse")
    );
}

#[test]
fn a_newer_or_foreign_ticket_is_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("accounts.toml");
    let path = format!("{FIXTURES}/schema99.json");
    let o = run(&cfg, &["--lang", "en", "doctor", "--replay", &path]);
    assert_eq!(o.code, 2);
    assert!(
        o.stderr.contains("newer mailwiz (ticket schema 99)"),
        "{}",
        o.stderr
    );
    assert!(o.stderr.contains("reads schemas 0 to 1"), "{}", o.stderr);
    let fr = run(&cfg, &["--lang", "fr", "doctor", "--replay", &path]);
    assert!(fr.stderr.contains("plus récente"), "{}", fr.stderr);
    let junk = dir.path().join("junk.json");
    std::fs::write(&junk, "{\"findings\": []}").unwrap();
    let o = run(&cfg, &["doctor", "--replay", junk.to_str().unwrap()]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("not a mailwiz ticket"), "{}", o.stderr);
}

/// An OAuth2 account with its client secret in the (test) keyring: the
/// ticket holds neither the secret nor anything of the keyring.
#[test]
fn the_client_secret_stays_out_of_the_ticket() {
    const CLIENT_SECRET: &str = "client-secret-Vb52Lq";
    let env = mailenv();
    let dir = tempfile::Builder::new()
        .prefix("mwb")
        .tempdir_in("/tmp")
        .unwrap();
    let home = dir.path().join("home");
    let keyring = common::KeyringSession::start(&home);
    let cfg = dir.path().join("accounts.toml");
    let mut add = mailwiz(&cfg);
    keyring.apply(&mut add);
    let mut child = add
        .args(["add", "--email", &env.user("alice"), "--name", "o"])
        .args(["--auth", "oauth2", "--oauth-client-id", "cid-123"])
        .arg("--oauth-client-secret-stdin")
        .args(["--oauth-auth-url", "http://127.0.0.1:9/auth"])
        .args(["--oauth-token-url", "http://127.0.0.1:9/token"])
        .args(["--oauth-scope", "mail"])
        .args([
            "--incoming",
            "imap",
            "--in-host",
            &env.host,
            "--in-security",
            "tls",
        ])
        .args(["--in-port", &env.imaps_port.to_string()])
        .args(["--smtp-host", &env.host, "--smtp-security", "tls"])
        .args(["--smtp-port", &env.smtps_port.to_string()])
        .arg("--ca-file")
        .arg(&env.ca)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{CLIENT_SECRET}\n").as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "add: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let ticket = dir.path().join("t.json");
    let mut doctor = mailwiz(&cfg);
    keyring.apply(&mut doctor);
    let out = doctor
        .args(["doctor", "o", "--bundle", ticket.to_str().unwrap()])
        .env("MAILWIZ_DOCTOR_SMTP_PORTS", "1")
        .output()
        .unwrap();
    let text = std::fs::read_to_string(&ticket).unwrap_or_else(|e| {
        panic!(
            "no ticket ({e}): {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    assert!(
        !text.contains(CLIENT_SECRET),
        "the client secret is in the ticket"
    );
    assert!(text.contains("\"auth\": \"oauth2\""), "{text}");
}

/// A ticket is foreign input: escape sequences in it never reach the
/// terminal, and an oversized file is refused without being parsed.
#[test]
fn a_hostile_ticket_is_cleaned_or_refused() {
    let env = mailenv();
    let dir = tempfile::tempdir().unwrap();
    let cfg = account(env, dir.path(), WRONG_PASSWORD);
    let ticket = dir.path().join("t.json");
    run(&cfg, &["doctor", "t", "--bundle", ticket.to_str().unwrap()]);
    let mut b: Value = serde_json::from_str(&std::fs::read_to_string(&ticket).unwrap()).unwrap();
    b["servers"][0]["greeting"] = Value::from("* OK \u{1b}]0;owned\u{7}\u{1b}[2J evil");
    b["findings"][0]["params"][0]["value"]["text"] = Value::from("\u{1b}[31mred\u{1b}[0m");
    let evil = dir.path().join("evil.json");
    std::fs::write(&evil, serde_json::to_string(&b).unwrap()).unwrap();
    let o = run(&cfg, &["doctor", "--replay", evil.to_str().unwrap()]);
    assert!(
        o.stdout.contains("evil") && o.stdout.contains("red"),
        "{}",
        o.stdout
    );
    assert!(
        !o.stdout.contains('\u{1b}') && !o.stdout.contains('\u{7}'),
        "{:?}",
        o.stdout
    );
    let big = dir.path().join("big.json");
    let f = std::fs::File::create(&big).unwrap();
    f.set_len(17 * 1024 * 1024).unwrap();
    let o = run(&cfg, &["doctor", "--replay", big.to_str().unwrap()]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("larger than 16 MiB"), "{}", o.stderr);
}
