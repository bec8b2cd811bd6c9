#![allow(clippy::unwrap_used)] // tests: a failed unwrap is the failure report
//! Plain mode manages the saved accounts as the full screen's welcome list
//! does: a saved account is checked against the harness's real Dovecot and
//! SMTP relay, diagnosed, then removed after a confirmation — in French,
//! with numbered choices only, and the run ends with exit code 0.

mod common;
mod plain_support;

use common::{add_tls_account, mailenv};
use plain_support::run_plain_prepared;

#[test]
fn a_saved_account_is_checked_diagnosed_and_removed_in_french() {
    let env = mailenv();
    let answers = [
        "1", // the saved account
        "1", // check both logins
        "3", // both work: back to the list
        "1", // the saved account
        "3", // diagnose both servers
        "3", // back to the list of accounts
        "1", // the saved account
        "5", // remove it
        "1", // yes, remove it
        "2", // quit (the list now: new account, quit)
    ];
    let prepare = |config: &std::path::Path| {
        std::fs::create_dir_all(config.parent().unwrap()).unwrap();
        add_tls_account(env, config, "bureau", &env.password, env.smtps_port);
    };
    let input = answers.join("\n") + "\n";
    let r = run_plain_prepared(env, "fr", &input, &[], &prepare);
    let text = &r.text;
    assert_eq!(r.code, Some(0), "{text}");
    for expected in [
        "1) bureau (IMAP, ",
        "Compte bureau\u{a0}: courrier entrant en IMAP sur ",
        "5) Le supprimer",
        "IMAP\u{a0}: ça fonctionne.",
        "SMTP\u{a0}: ça fonctionne.",
        "Diagnostic des deux serveurs…",
        "Supprimer le compte bureau",
        "1) Oui, le supprimer",
    ] {
        assert!(text.contains(expected), "{expected:?} not in:\n{text}");
    }
    assert!(!text.contains("Aucun compte n'a été enregistré"), "{text}");
    assert!(!text.contains(&env.password), "the password was printed");
    assert!(
        !text.contains("Compte bureau enregistré"),
        "a removal is not a save:\n{text}"
    );
    assert!(text.contains("Le compte a été supprimé."), "{text}");
    for english in ["Check both", "Remove it", "it works", "Set up a new"] {
        assert!(!text.contains(english), "English {english:?} in:\n{text}");
    }
    let cfg = std::fs::read_to_string(&r.config).unwrap();
    assert!(!cfg.contains("name = \"bureau\""), "not removed:\n{cfg}");
}
