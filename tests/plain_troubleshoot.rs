#![allow(clippy::unwrap_used)] // tests: a failed unwrap is the failure report
//! Issue 16.1: troubleshooting in `mailwiz --plain` after a failed test,
//! with answers piped in against the harness's Dovecot and SMTP relay and
//! a real Secret Service: the full diagnosis said as numbered findings with
//! their fix and what each server said, a ticket file, the failing setting
//! changed, and "continue anyway" asking whether to save anyway.

mod common;
mod plain_support;

use common::mailenv;
use plain_support::{answers, run_plain, walk};

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

/// "Continue anyway" asks, as the full screen does, whether to save an
/// account whose test failed: no goes back to the test's choices, yes
/// saves it.
#[test]
fn continue_anyway_asks_whether_to_save_anyway() {
    let env = mailenv();
    let wrong = "not-the-password-S9";
    let mut lines = answers(env, wrong);
    lines.truncate(18); // up to the password's sign-in method
    lines.extend(
        [
            "4", // failed test: continue anyway
            "2", // no: back to the test
            "4", // continue anyway
            "1", // yes, save it anyway
            "2", // skip the test message
            "1", // finish
        ]
        .map(String::from),
    );
    let r = run_plain(env, "en", &(lines.join("\n") + "\n"));
    assert_eq!(r.code, Some(0), "{}", r.text);
    let question = "Not every test passed (or it did not run). The account may not work. Go on and save it anyway?";
    assert_eq!(r.text.matches(question).count(), 2, "{}", r.text);
    assert!(r.text.contains("  1) Yes, save it anyway"), "{}", r.text);
    assert!(r.config.exists(), "the account is saved anyway");
    assert!(!r.text.contains(wrong), "the password was printed");
}
