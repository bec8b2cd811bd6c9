#![allow(clippy::unwrap_used)] // tests: a failed unwrap is the failure report
//! Issue 16.1: `mailwiz --plain`, the same wizard as plain questions and
//! answers. A script of answers is piped in (no terminal at all) against the
//! harness's Dovecot and SMTP relay with a real Secret Service: the account
//! is saved, the password is in the keyring only, the test message arrives;
//! in English and in French. Then `TERM=dumb` in tmux picks the linear mode
//! by itself and reads the password without echo.

mod common;

use common::tmux::Tmux;
mod plain_support;

use common::mailenv;
use plain_support::{Run, answers, offline, run_plain, script, walk};
use std::process::Command;
use std::time::Duration;

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
