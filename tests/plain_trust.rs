#![allow(clippy::unwrap_used)] // tests: a failed unwrap is the failure report
//! Issue 16.1: an unknown certificate in `mailwiz --plain` is handled as on
//! the full screen: the certificate is said (names, issuer, dates,
//! SHA-256), then a CA file chosen by the user, or this certificate pinned
//! after an explicit yes, and the test runs again — against the harness's
//! Dovecot, with answers piped in.

mod common;
mod plain_support;

use common::mailenv;
use plain_support::{answers, run_plain, run_plain_with};

/// The answers up to the password, with the servers at `imap`/`smtp`
/// (SSL/TLS both), then `after`.
fn script(env: &common::MailEnv, imap: u16, smtp: u16, after: &[&str]) -> String {
    let mut lines = answers(env, &env.password);
    lines[6] = imap.to_string();
    lines[11] = smtp.to_string();
    lines[12] = "1".into(); // SSL/TLS
    lines.truncate(18); // up to the password's sign-in method
    lines.extend(after.iter().map(ToString::to_string));
    lines.join("\n") + "\n"
}

#[test]
fn a_self_signed_server_is_pinned_after_a_yes_and_the_test_passes() {
    let env = mailenv();
    let after = [
        "2", // pin this certificate
        "1", // yes, trust this exact certificate
        "1", // both servers work: continue
        "2", // skip the test message
        "1", // finish
    ];
    let input = script(
        env,
        env.selfsigned_imaps_port,
        env.selfsigned_smtps_port,
        &after,
    );
    let r = run_plain(env, "en", &input);
    assert_eq!(r.code, Some(0), "{}", r.text);
    for e in [
        "Certificate for: ",
        "Issued by: ",
        "SHA-256: ",
        "  2) Pin this certificate",
        "Trust this exact certificate",
        "IMAP: it works.",
        "SMTP: it works.",
    ] {
        assert!(r.text.contains(e), "{e:?} not in:\n{}", r.text);
    }
    // The pin was asked before the test passed, not assumed.
    let asked = r.text.find("Trust this exact certificate").unwrap();
    assert!(asked < r.text.find("IMAP: it works.").unwrap());
    let cfg = std::fs::read_to_string(&r.config).expect("the account is saved");
    assert!(cfg.contains("pin"), "no pin saved:\n{cfg}");
}

#[test]
fn a_private_ca_is_trusted_through_a_ca_file_in_french() {
    let env = mailenv();
    let ca = env.ca.display().to_string();
    let after = [
        "1", // trust a CA file
        &ca, // its path
        "1", // both servers work: continue
        "2", // skip the test message
        "1", // finish
    ];
    let input = script(env, env.imaps_port, env.smtps_port, &after);
    // The test CA is not in the system store this time.
    let r = run_plain_with(env, "fr", &input, &[("SSL_CERT_FILE", "/dev/null")]);
    assert_eq!(r.code, Some(0), "{}", r.text);
    for e in [
        "Certificat pour\u{a0}: ",
        "  1) Faire confiance à un fichier d'autorité de certification",
        "IMAP\u{a0}: ça fonctionne.",
    ] {
        assert!(r.text.contains(e), "{e:?} not in:\n{}", r.text);
    }
    let cfg = std::fs::read_to_string(&r.config).expect("the account is saved");
    assert!(
        cfg.contains(&ca),
        "the CA file is not in the account:\n{cfg}"
    );
    assert!(
        !cfg.contains("pin"),
        "pinned instead of the CA file:\n{cfg}"
    );
    assert!(!r.text.contains('\u{1b}'), "an escape sequence was printed");
}
