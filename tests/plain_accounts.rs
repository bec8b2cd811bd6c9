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

/// An account found in another mail client is offered on the first list
/// and imported into the wizard's form, as I does on the full screen.
#[test]
fn an_account_of_another_client_is_imported_from_the_list() {
    let env = mailenv();
    let prepare = |config: &std::path::Path| {
        let home = config.ancestors().nth(3).unwrap();
        std::fs::create_dir_all(home).unwrap();
        let rc = "account work\nhost smtp.example.test\nport 587\ntls on\n\
                  tls_starttls on\nauth on\nfrom bob@example.test\nuser bob\n";
        std::fs::write(home.join(".msmtprc"), rc).unwrap();
    };
    let r = run_plain_prepared(env, "en", "2\n\n", &[], &prepare);
    let text = &r.text;
    assert!(text.contains("  1) Set up a new account"), "{text}");
    assert!(
        text.contains("  2) Import bob@example.test from msmtp"),
        "{text}"
    );
    assert!(text.contains("[bob@example.test]"), "not imported:\n{text}");
    assert_eq!(r.code, Some(1), "the input ended before a save:\n{text}");
    assert!(!r.config.exists(), "nothing is saved");
}

/// Plain mode reads the same environment as the full screen for discovery
/// (here a loopback ISPDB through `MAILWIZ_ISPDB_URL`): the settings it
/// finds come from that server, not from the internet.
#[test]
fn plain_discovery_uses_the_ispdb_the_environment_names() {
    use common::http::{Response, serve};
    let env = mailenv();
    let xml = "<clientConfig version=\"1.1\"><emailProvider id=\"isp.test\">\
        <domain>isp.test</domain>\
        <incomingServer type=\"imap\"><hostname>imap.loopback-ispdb.test</hostname>\
        <port>993</port><socketType>SSL</socketType><username>%EMAILADDRESS%</username>\
        <authentication>password-cleartext</authentication></incomingServer>\
        <outgoingServer type=\"smtp\"><hostname>smtp.loopback-ispdb.test</hostname>\
        <port>465</port><socketType>SSL</socketType><username>%EMAILADDRESS%</username>\
        <authentication>password-cleartext</authentication></outgoingServer>\
        </emailProvider></clientConfig>";
    let addr = serve(
        std::sync::Arc::new(move |r: &common::http::Request| {
            if r.path.ends_with("/isp.test") {
                Response::ok("text/xml", xml)
            } else {
                Response::not_found()
            }
        }),
        None,
    );
    let ispdb = format!("http://{addr}/v1.1/");
    let vars = [("MAILWIZ_ISPDB_URL", ispdb.as_str())];
    let r = run_plain_prepared(env, "en", "1\n\ncarol@isp.test\n", &vars, &|_| {});
    assert!(
        r.text.contains("imap.loopback-ispdb.test"),
        "the ISPDB named by the environment was not used:\n{}",
        r.text
    );
}

/// A saved account whose password command fails: the check cannot run,
/// and plain mode says why for each side (the full screen shows it under
/// the side), in French, with the command's exit code.
#[test]
fn a_check_that_cannot_run_says_why_for_each_side_in_french() {
    let env = mailenv();
    let prepare = |config: &std::path::Path| {
        std::fs::create_dir_all(config.parent().unwrap()).unwrap();
        common::add_tls_account_with(env, config, "cassé", env.smtps_port, &env.ca, "exit 3");
    };
    let answers = [
        "1", // the saved account
        "1", // check both logins
        "5", // it could not run: back to the list
        "3", // quit
    ];
    let input = answers.join("\n") + "\n";
    let r = run_plain_prepared(env, "fr", &input, &[], &prepare);
    let text = &r.text;
    for side in ["IMAP", "SMTP"] {
        let line = text
            .lines()
            .find(|l| l.starts_with(&format!("{side}\u{a0}: Le test n'a pas pu")))
            .unwrap_or_else(|| panic!("no reason for {side}:\n{text}"));
        assert!(line.contains("code 3"), "{line}");
    }
    assert!(!text.contains("exit status"), "{text}");
}
