#![allow(clippy::unwrap_used)] // tests: a failed unwrap is the failure report
//! Issue 13's "done when" walk: the real binary in tmux, in French at
//! 80×24, against the harness's Dovecot and a real Secret Service:
//! SMTP authentication unticked (the Test step does not claim a login, the
//! send failure names the switch); a private CA trusted through the CA-file
//! field at the failed test (the test then passes without pinning); a
//! sending-limit account (the advice appears at the send step).

mod common;

use common::tmux::Tmux;
use common::{KeyringSession, MailEnv, mailenv};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// A loopback port nothing listens on (TCP and UDP).
fn closed_port() -> u16 {
    loop {
        let tcp = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = tcp.local_addr().unwrap().port();
        if std::net::UdpSocket::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
}

/// Discovery never leaves loopback (as in tests/wizard_e2e.rs).
fn offline_discovery() -> Vec<(String, String)> {
    let port = closed_port();
    vec![
        (
            "MAILWIZ_ISPDB_URL".into(),
            format!("http://127.0.0.1:{port}/v1.1/"),
        ),
        ("MAILWIZ_DNS_SERVER".into(), format!("127.0.0.1:{port}")),
        (
            "MAILWIZ_DISCOVER_SOURCES".into(),
            "preset,ispdb,srv,mx,guess".into(),
        ),
    ]
}

struct Walk {
    t: Tmux,
    config: PathBuf,
    _keyring: KeyringSession,
    _dir: tempfile::TempDir,
}

/// mailwiz in French at 80×24; the harness's CA is the system's roots
/// only when `ca_is_system` (else it is a private CA the system does not
/// know).
fn start(env: &MailEnv, ca_is_system: bool) -> Walk {
    let dir = tempfile::Builder::new()
        .prefix("mwf")
        .tempdir_in("/tmp")
        .unwrap();
    let home = dir.path().join("home");
    let keyring = KeyringSession::start(&home);
    let config = home.join(".config/mailwiz/accounts.toml");
    let mut cmd = Command::new("tmux");
    keyring.apply(&mut cmd);
    let empty = dir.path().join("no-roots.pem");
    std::fs::write(&empty, "").unwrap();
    let roots: &Path = if ca_is_system { &env.ca } else { &empty };
    cmd.env("SSL_CERT_FILE", roots);
    let t = Tmux::launch(
        cmd,
        "failures",
        &config,
        "fr",
        &offline_discovery(),
        (80, 24),
    );
    Walk {
        t,
        config,
        _keyring: keyring,
        _dir: dir,
    }
}

/// Welcome → … → the SMTP step filled for `user` (submission, STARTTLS).
fn to_outgoing(w: &mut Walk, env: &MailEnv, user: &str) {
    let t = &mut w.t;
    t.wait_for("mailwiz");
    t.keys(&["Enter"]);
    t.wait_for("Qui êtes-vous");
    t.type_text("Alice Test");
    t.keys(&["Tab"]);
    t.type_text(&env.user(user));
    t.keys(&["Enter"]);
    t.wait_for("mailwiz n'a pas de");
    t.keys(&["Enter", "Enter"]);
    t.wait_for("votre courrier est relevé");
    t.keys(&["C-u"]);
    t.type_text(&env.host);
    t.keys(&["Tab", "C-u"]);
    t.type_text(&env.imaps_port.to_string());
    t.keys(&["Enter"]);
    t.wait_for("Le serveur qui envoie votre courrier");
    t.keys(&["C-u"]);
    t.type_text(&env.host);
    t.keys(&["Tab", "C-u"]);
    t.type_text(&env.smtp_port.to_string());
    t.keys(&["Tab", "Right"]); // SSL/TLS -> STARTTLS
}

/// The SMTP step → the password → the Test step.
fn to_test(w: &mut Walk, env: &MailEnv) {
    let t = &mut w.t;
    t.keys(&["Enter"]);
    t.wait_for("Afficher le mot de passe");
    t.type_text(&env.password);
    t.keys(&["Enter"]);
}

fn no_password_anywhere(w: &mut Walk, env: &MailEnv) {
    for s in &w.t.screens {
        assert!(
            !s.contains(&env.password),
            "the password was on screen:\n{s}"
        );
    }
}

#[test]
fn smtp_auth_unticked_is_not_claimed_and_the_send_names_the_switch() {
    let env = mailenv();
    let mut w = start(env, true);
    to_outgoing(&mut w, env, "alice");
    w.t.keys(&["Tab", "Space"]); // untick "My server requires authentication"
    to_test(&mut w, env);
    // Both sides finished: the footer offers R only once nothing runs
    // (Enter while a side still runs is ignored).
    let s = w.t.wait_for_all(
        &["non testé", "exige une", "Se connecte, mais", "R réessayer"],
        Duration::from_secs(20),
    );
    let smtp_column: Vec<&str> = s.lines().map(|l| l.get(40..).unwrap_or("")).collect();
    assert!(
        !smtp_column.iter().any(|l| l.contains("✓ Identification")),
        "the Test step claims an SMTP login:\n{s}"
    );
    w.t.keys(&["Enter"]);
    w.t.wait_for("l'enregistrer quand");
    w.t.keys(&["o"]);
    w.t.wait_for("Envoyer un message d'essai");
    w.t.keys(&["s"]);
    let s = w.t.wait_for_all(
        &[
            "exige une identification",
            "Mon serveur requiert",
            "F corriger",
        ],
        Duration::from_secs(20),
    );
    assert_eq!(s.matches("Authentication required").count(), 1, "{s}");
    w.t.keys(&["f"]);
    let s = w.t.wait_for("Le serveur qui envoie votre courrier");
    assert!(
        s.contains("› [ ] Mon serveur requiert"),
        "F did not focus the switch:\n{s}"
    );
    no_password_anywhere(&mut w, env);
}

#[test]
fn a_private_ca_trusted_at_the_failed_test_passes_without_a_pin() {
    let env = mailenv();
    let mut w = start(env, false);
    to_outgoing(&mut w, env, "alice");
    to_test(&mut w, env);
    let s = w.t.wait_for_all(
        &[
            "Certificat pour",
            "SHA-256",
            "faire confiance à un fichier d'AC",
            "R réessayer", // both sides finished: keys are taken
        ],
        Duration::from_secs(20),
    );
    assert!(s.contains("n'est pas reconnu"), "{s}");
    w.t.keys(&["c"]);
    w.t.wait_for("Fichier d'AC");
    w.t.type_text(&env.ca.display().to_string());
    w.t.keys(&["Enter"]);
    // The test runs again by itself, and both servers now pass.
    w.t.wait_until("both servers working", Duration::from_secs(20), |s| {
        s.matches("Ça fonctionne").count() >= 2
    });
    w.t.keys(&["Enter"]);
    w.t.wait_for("Envoyer un message d'essai");
    w.t.keys(&["n"]);
    let s = w.t.wait_for("est enregistré");
    assert!(s.contains("réception ✓ · SMTP ✓"), "{s}");
    let cfg = std::fs::read_to_string(&w.config).unwrap();
    assert!(cfg.contains(&env.ca.display().to_string()), "{cfg}");
    assert!(!cfg.contains("pinned"), "a pin was saved:\n{cfg}");
    no_password_anywhere(&mut w, env);
}

#[test]
fn a_sending_limit_account_gets_the_advice_at_the_send_step() {
    let env = mailenv();
    let mut w = start(env, true);
    to_outgoing(&mut w, env, "limited");
    to_test(&mut w, env);
    w.t.wait_until("both servers working", Duration::from_secs(20), |s| {
        s.matches("Ça fonctionne").count() >= 2
    });
    w.t.keys(&["Enter"]);
    w.t.wait_for("Envoyer un message d'essai");
    w.t.keys(&["s"]);
    let s = w.t.wait_for_all(
        &["limite d'envoi", "Patientez (souvent 24 heures)"],
        Duration::from_secs(20),
    );
    assert!(!s.contains("The server"), "English in the French UI:\n{s}");
    no_password_anywhere(&mut w, env);
}
