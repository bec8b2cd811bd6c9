#![allow(clippy::unwrap_used)] // tests: a failed unwrap is the failure report
//! Issue 16.1: the OAuth2 sign-in in `mailwiz --plain`, end to end with
//! piped answers against the harness's IdP and the Dovecot instance that
//! checks its tokens (tests/harness/oauthenv.sh): OAuth2 chosen at the
//! password question, the client and the IdP's addresses typed, the code
//! sign-in chosen; its address and code are each alone on a line, the test
//! approves the code at the IdP (as the user would on a phone), both
//! logins pass with the token, the account is saved, and no token is in
//! the output or in any file.

mod common;

use common::KeyringSession;
use common::oauth::oauthenv;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

fn approve(idp: &str, user_code: &str, user: &str) {
    common::oauth::idp_post(
        idp,
        "/test/approve",
        &[("user_code", user_code), ("user", user)],
    );
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// Waits for the line after `label` (the code, alone on its line).
fn line_after(rx: &mpsc::Receiver<String>, seen: &mut Vec<String>, label: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = rx
            .recv_timeout(left)
            .unwrap_or_else(|_| panic!("no {label:?} line:\n{}", seen.join("\n")));
        seen.push(line);
        let n = seen.len();
        if n >= 2 && seen[n - 2] == label {
            return seen[n - 1].clone();
        }
    }
}

fn sign_in(lang: &str, labels: [&str; 2], expect: &[&str]) {
    let (env, oauth) = oauthenv();
    let vars = &oauth.vars;
    let idp = oauth.idp().to_string();
    let alice = env.user("alice");
    let dir = tempfile::Builder::new()
        .prefix("mwps")
        .tempdir_in("/tmp")
        .unwrap();
    let home = dir.path().join("home");
    let keyring = KeyringSession::start(&home);
    let config = home.join(".config/mailwiz/accounts.toml");
    let answers = [
        "1", // Welcome: set up a new account
        "Alice Test",
        &alice,
        "1", // settings found: use them (then corrected below)
        "1", // IMAP
        "127.0.0.1",
        &vars["OAUTHENV_IMAPS_PORT"],
        "", // security as guessed (SSL/TLS)
        "", // user name as proposed
        "", // no CA file
        "127.0.0.1",
        &vars["OAUTHENV_SMTPS_PORT"],
        "",  // security as guessed (SSL/TLS)
        "",  // no CA file
        "",  // authentication: yes
        "",  // same login: yes
        "",  // no password:
        "2", // sign in with: OAuth2
        "mailwiz-test",
        "", // no client secret
        &format!("{idp}/authorize"),
        &format!("{idp}/token"),
        &format!("{idp}/device"),
        "mail offline_access",
        "1", // sign in with a code on another device
        "1", // both servers work: continue
        "2", // skip the test message
        "1", // finish
    ]
    .join("\n")
        + "\n";
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mailwiz"));
    keyring.apply(&mut cmd);
    for v in [
        "LANG",
        "LC_ALL",
        "LC_MESSAGES",
        "LANGUAGE",
        "MAILWIZ_LANG",
        "DISPLAY",
    ] {
        cmd.env_remove(v);
    }
    let mut child = cmd
        .env("SSL_CERT_FILE", &env.ca)
        .env("MAILWIZ_ISPDB_URL", "http://127.0.0.1:9/v1.1/")
        .env("MAILWIZ_DNS_SERVER", "127.0.0.1:9")
        .env("MAILWIZ_DISCOVER_SOURCES", "preset,ispdb")
        .args([
            "--plain",
            "--config",
            config.to_str().unwrap(),
            "--lang",
            lang,
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(answers.as_bytes())
        .unwrap();
    let (tx, rx) = mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let mut seen = Vec::new();
    let uri = line_after(&rx, &mut seen, labels[0]);
    assert_eq!(uri, format!("{idp}/device"), "the address alone on a line");
    let code = line_after(&rx, &mut seen, labels[1]);
    assert!(!code.is_empty() && !code.contains(' '), "{code:?}");
    approve(&idp, &code, &alice);
    let deadline = Instant::now() + Duration::from_secs(60);
    while let Ok(line) = rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
        seen.push(line);
    }
    let status = child.wait().unwrap();
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    let text = seen.join("\n") + "\n" + &stderr;
    eprintln!("{text}");
    assert_eq!(status.code(), Some(0), "the plain wizard failed:\n{text}");
    for e in expect {
        assert!(text.contains(e), "{e:?} not in the transcript:\n{text}");
    }
    assert!(!text.contains('\u{1b}'), "an escape sequence was printed");
    assert!(!text.chars().any(|c| ('\u{2500}'..='\u{259f}').contains(&c)));
    let cfg = std::fs::read_to_string(&config).expect("the account is saved");
    assert!(cfg.contains("auth = \"oauth2\""), "{cfg}");
    assert!(cfg.contains("client_id = \"mailwiz-test\""), "{cfg}");
    let entry = format!("oauth:{alice}");
    let stored = keyring
        .secret_tool_lookup(&[("service", "mailwiz"), ("username", &entry)])
        .expect("the tokens are in the keyring");
    let tokens: serde_json::Value = serde_json::from_str(&stored).unwrap();
    let mut files = Vec::new();
    walk(&home, &mut files);
    for k in ["access_token", "refresh_token"] {
        let v = tokens[k].as_str().expect(k);
        assert!(!text.contains(v), "the {k} was printed");
        for f in &files {
            let t = String::from_utf8_lossy(&std::fs::read(f).unwrap_or_default()).into_owned();
            assert!(!t.contains(v), "the {k} is in {}", f.display());
        }
    }
}

#[test]
fn plain_sign_in_with_a_device_code_in_english() {
    sign_in(
        "en",
        ["On any device, visit this address:", "and enter this code:"],
        &[
            ": Sign in",
            "  1) Sign in with a code on another device (phone, another computer)",
            "Waiting for your approval… (the code expires in ",
            "min; Ctrl-C stops)",
            "Signed in: the tokens go to the keyring when the account is saved.",
            "IMAP: it works.",
            "SMTP: it works.",
            "saved; its sign-in tokens are in the system keyring",
        ],
    );
}

#[test]
fn plain_sign_in_with_a_device_code_in_french() {
    sign_in(
        "fr",
        [
            "Sur n'importe quel appareil, allez à cette adresse\u{a0}:",
            "et saisissez ce code\u{a0}:",
        ],
        &[
            "\u{a0}: Connexion",
            "En attente de votre approbation… (le code expire dans ",
            "\u{a0}min\u{a0}; Ctrl-C arrête)",
            "IMAP\u{a0}: ça fonctionne.",
            "SMTP\u{a0}: ça fonctionne.",
        ],
    );
}
