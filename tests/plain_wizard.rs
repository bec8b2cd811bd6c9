#![allow(clippy::unwrap_used)] // tests: a failed unwrap is the failure report
//! Issue 16.1: `mailwiz --plain`, the same wizard as plain questions and
//! answers. A script of answers is piped in (no terminal at all) against the
//! harness's Dovecot and SMTP relay with a real Secret Service: the account
//! is saved, the password is in the keyring only, the test message arrives;
//! in English and in French. Then `TERM=dumb` in tmux picks the linear mode
//! by itself and reads the password without echo.

mod common;

use common::tmux::Tmux;
use common::{KeyringSession, MailEnv, mailenv};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

/// Discovery stays on loopback (closed ports for the ISPDB and DNS).
fn offline(cmd: &mut Command) {
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    cmd.env(
        "MAILWIZ_ISPDB_URL",
        format!("http://127.0.0.1:{closed}/v1.1/"),
    )
    .env("MAILWIZ_DNS_SERVER", format!("127.0.0.1:{closed}"))
    .env("MAILWIZ_DISCOVER_SOURCES", "preset,ispdb");
}

/// The answers, one per line, in the order the wizard asks.
fn script(env: &MailEnv) -> String {
    answers(env, &env.password).join("\n") + "\n"
}

fn answers<'a>(env: &'a MailEnv, password: &'a str) -> Vec<String> {
    [
        "1",          // Welcome: set up a new account
        "Alice Test", // your name
        "alice@example.test",
        "1", // settings found: use them (then corrected below)
        "1", // IMAP
        &env.host,
        &env.imaps_port.to_string(),
        "1", // SSL/TLS
        "",  // user name as proposed
        "",  // no CA file
        &env.host,
        &env.smtp_port.to_string(),
        "2", // STARTTLS
        "",  // no CA file
        "",  // authentication: yes
        "",  // same login: yes
        password,
        "1", // sign in with: password
        "1", // both servers work: continue
        "1", // send a test message
        "1", // wait until it arrives
        "1", // continue
        "1", // finish
    ]
    .iter()
    .map(ToString::to_string)
    .collect()
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

struct Run {
    _dir: tempfile::TempDir,
    home: PathBuf,
    config: PathBuf,
    keyring: KeyringSession,
    text: String,
    code: Option<i32>,
}

/// `mailwiz --lang LANG` with `input` piped in (no terminal anywhere).
fn run_plain(env: &MailEnv, lang: &str, input: &str) -> Run {
    let dir = tempfile::Builder::new()
        .prefix("mwp")
        .tempdir_in("/tmp")
        .unwrap();
    let home = dir.path().join("home");
    let keyring = KeyringSession::start(&home);
    let config = home.join(".config/mailwiz/accounts.toml");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mailwiz"));
    keyring.apply(&mut cmd);
    offline(&mut cmd);
    for v in ["LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE", "MAILWIZ_LANG"] {
        cmd.env_remove(v);
    }
    let mut child = cmd
        .env("SSL_CERT_FILE", &env.ca)
        .env("TERM", "xterm-256color")
        .args(["--config", config.to_str().unwrap(), "--lang", lang])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!("{text}");
    Run {
        _dir: dir,
        home,
        config,
        keyring,
        text,
        code: out.status.code(),
    }
}

fn piped(lang: &str, expect: &[&str]) {
    let env = mailenv();
    let Run {
        home,
        config,
        keyring,
        text,
        code,
        _dir,
    } = run_plain(env, lang, &script(env));
    assert_eq!(code, Some(0), "the plain wizard failed:\n{text}");
    for e in expect {
        assert!(text.contains(e), "{e:?} not in the transcript:\n{text}");
    }
    // Plain lines: no escape sequence, no box drawing.
    assert!(!text.contains('\u{1b}'), "an escape sequence was printed");
    assert!(!text.chars().any(|c| ('\u{2500}'..='\u{257f}').contains(&c)));
    assert!(!text.contains(&env.password), "the password was printed");
    let cfg = std::fs::read_to_string(&config).expect("the account is saved");
    assert!(cfg.contains(&format!("port = {}", env.imaps_port)), "{cfg}");
    let attrs = [
        ("service", "mailwiz"),
        ("username", "incoming:alice@example.test"),
    ];
    assert_eq!(
        keyring.secret_tool_lookup(&attrs).as_deref(),
        Some(env.password.as_str()),
        "the password is in the keyring"
    );
    let mut files = Vec::new();
    walk(&home, &mut files);
    for f in files {
        let bytes = std::fs::read(&f).unwrap_or_default();
        assert!(
            !String::from_utf8_lossy(&bytes).contains(&env.password),
            "the password is in {}",
            f.display()
        );
    }
}

#[test]
fn piped_answers_set_up_the_account_in_english() {
    piped(
        "en",
        &[
            "Step 1 of 10: Welcome",
            "Step 4 of 10: POP or IMAP",
            "  1) IMAP",
            "  2) POP",
            "done in",
            "IMAP: it works.",
            "SMTP: it works.",
            "Test message sent to alice@example.test",
            "The test message arrived",
            "saved; its password is in the system keyring",
        ],
    );
}

#[test]
fn piped_answers_set_up_the_account_in_french() {
    piped(
        "fr",
        &[
            "Étape 1 sur 10\u{a0}: ",
            "Étape 4 sur 10\u{a0}: ",
            "fait en",
            "SMTP\u{a0}: ça fonctionne.",
            "Le message d'essai est arrivé",
            "enregistré\u{a0}; son mot de passe est dans le trousseau",
        ],
    );
}

/// A wrong password: the test step says what was found, numbered, each
/// with its fix; the input then ends and nothing is saved.
#[test]
fn a_failed_test_lists_numbered_findings_with_their_fix() {
    let env = mailenv();
    let mut lines = answers(env, "not-the-password-Q3");
    lines.truncate(18); // up to the password's sign-in method
    lines.insert(1, "?".to_string()); // help, on the name question
    let r = run_plain(env, "en", &(lines.join("\n") + "\n"));
    assert_eq!(r.code, Some(1), "{}", r.text);
    let finding = r
        .text
        .lines()
        .find(|l| l.starts_with("1. "))
        .unwrap_or_else(|| panic!("no numbered finding:\n{}", r.text));
    assert!(
        finding.contains("refuses the user name or password"),
        "{finding}"
    );
    assert!(finding.contains(" Fix: "), "{finding}");
    assert!(r.text.contains("IMAP: it does not work."), "{}", r.text);
    assert!(
        r.text.contains("Your name is what recipients see"),
        "? shows the step's help:\n{}",
        r.text
    );
    assert!(r.text.contains("No account was saved."), "{}", r.text);
    assert!(!r.config.exists(), "nothing is saved");
    assert!(!r.text.contains("not-the-password-Q3"));
}

/// A dumb terminal gets the linear mode without asking; the password is
/// typed without echo.
#[test]
fn term_dumb_in_tmux_is_linear_and_hides_the_password() {
    let dir = tempfile::Builder::new()
        .prefix("mwd")
        .tempdir_in("/tmp")
        .unwrap();
    let config = dir.path().join("accounts.toml");
    let mut cmd = Command::new("tmux");
    offline(&mut cmd);
    let program = format!(
        "env TERM=dumb {} --config {} --lang en; sleep 5",
        env!("CARGO_BIN_EXE_mailwiz"),
        config.display()
    );
    let mut t = Tmux::start(cmd, "dumb", &program, &[], (100, 40));
    let s = t.wait_for("Step 1 of 10: Welcome");
    assert!(s.contains("1) Set up a new account"), "{s}");
    assert!(
        !s.chars().any(|c| ('\u{2500}'..='\u{257f}').contains(&c)),
        "{s}"
    );
    for answer in ["1", "Dumb Test", "dumb@example.test"] {
        t.type_text(answer);
        t.keys(&["Enter"]);
    }
    t.wait_for("Step 3 of 10");
    for answer in [
        "1",
        "1",
        "127.0.0.1",
        "",
        "",
        "",
        "", // no CA file
        "127.0.0.1",
        "",
        "",
        "", // no CA file
        "",
        "",
    ] {
        if !answer.is_empty() {
            t.type_text(answer);
        }
        t.keys(&["Enter"]);
        std::thread::sleep(Duration::from_millis(150));
    }
    t.wait_for("(not shown as you type)");
    t.type_text("hidden-pw-Zk48");
    std::thread::sleep(Duration::from_millis(300));
    let s = t.screen();
    assert!(
        !s.contains("hidden-pw-Zk48"),
        "the password is echoed:\n{s}"
    );
    t.keys(&["C-c"]);
    t.wait_for("The input ended");
}

/// After a failed test: the full diagnosis as numbered findings with their
/// fix and what each server said, a ticket file saved (and where), then
/// "change the setting" goes back to the password question; the right
/// password passes the test and the account is saved.
fn troubleshoot(lang: &str, expect: &[&str]) -> String {
    let env = mailenv();
    let wrong = "not-the-password-T7";
    let mut lines = answers(env, wrong);
    lines.truncate(18); // up to the password's sign-in method
    lines.extend(
        [
            "3", // failed test: diagnose both servers
            "2", // save a ticket file
            "1", // change the setting that fails
            &env.password,
            "1", // sign in with: password
            "1", // both servers work: continue
            "2", // skip the test message
            "1", // finish
        ]
        .map(String::from),
    );
    let r = run_plain(env, lang, &(lines.join("\n") + "\n"));
    assert_eq!(r.code, Some(0), "{}", r.text);
    for e in expect {
        assert!(
            r.text.contains(e),
            "{e:?} not in the transcript:\n{}",
            r.text
        );
    }
    // The diagnosis's findings come before the ticket and the new password.
    let diag = r.text.find(expect[0]).unwrap();
    assert!(
        r.text[diag..]
            .lines()
            .any(|l| l.starts_with("1. ") && l.contains(expect[1])),
        "the auth_failed finding is not numbered:\n{}",
        r.text
    );
    assert!(!r.text.contains('\u{1b}'), "an escape sequence was printed");
    assert!(
        !r.text
            .chars()
            .any(|c| ('\u{2500}'..='\u{257f}').contains(&c))
    );
    assert!(!r.text.contains(wrong) && !r.text.contains(&env.password));
    let cfg = std::fs::read_to_string(&r.config).expect("the account is saved");
    assert!(cfg.contains(&format!("port = {}", env.imaps_port)), "{cfg}");
    let ticket = r
        .text
        .lines()
        .find_map(|l| l.split_once("ticket-").map(|(_, rest)| rest))
        .and_then(|rest| rest.split(".json").next())
        .unwrap_or_else(|| panic!("no ticket path:\n{}", r.text));
    let path = r.config.with_file_name(format!("ticket-{ticket}.json"));
    let bundle = std::fs::read_to_string(&path).expect("the ticket file exists");
    assert!(bundle.contains("auth_failed"), "{bundle}");
    assert!(!bundle.contains(wrong), "the password is in the ticket");
    let mut files = Vec::new();
    walk(&r.home, &mut files);
    for f in files {
        let text = String::from_utf8_lossy(&std::fs::read(&f).unwrap_or_default()).into_owned();
        assert!(!text.contains(wrong), "the password is in {}", f.display());
    }
    r.text
}

#[test]
fn a_failed_test_offers_the_diagnosis_a_ticket_and_the_fix_in_english() {
    troubleshoot(
        "en",
        &[
            "Diagnosis: ",
            "refuses the user name or password",
            " Fix: ",
            "What each server said:",
            "IMAP 127.0.0.1:",
            "Ticket file saved: ",
            "  2) Change the setting that fails",
            "IMAP: it works.",
            "saved; its password is in the system keyring",
        ],
    );
}

#[test]
fn a_failed_test_offers_the_diagnosis_a_ticket_and_the_fix_in_french() {
    let text = troubleshoot(
        "fr",
        &[
            "Diagnostic\u{a0}: ",
            "refuse",
            " Correction\u{a0}: ",
            "Ce que chaque serveur a répondu\u{a0}:",
            "Fichier de ticket enregistré\u{a0}: ",
            "IMAP\u{a0}: ça fonctionne.",
        ],
    );
    // French typography on every line: no plain space before : ; ? !
    for line in text.lines() {
        for p in [" :", " ;", " ?", " !"] {
            assert!(!line.contains(p), "{p:?} in {line:?}");
        }
    }
}
