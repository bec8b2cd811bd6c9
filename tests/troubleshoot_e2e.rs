#![allow(clippy::unwrap_used)] // tests: a failed unwrap is the failure report
//! End to end: the real binary in tmux opens "Something doesn't work" on
//! a saved account whose password is wrong and whose SMTP port is closed,
//! against the harness's Dovecot, and shows the right findings; S saves
//! the transcript (no password in it), F jumps to the password step.
//! And, in French at 80×24, the recipient probe finds a sending limit
//! that the plain run cannot see.

mod common;

use common::tmux::Tmux;
use common::{MailEnv, mailenv, mailwiz};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// mailwiz in a 140x36 terminal, no keyring; the doctor probes only the
/// closed port as "usual SMTP ports" (the real ones on loopback are not
/// ours), so the finding is `connection_refused`.
fn start(env: &MailEnv, config: &Path, lang: &str) -> Tmux {
    let mut cmd = Command::new("tmux");
    cmd.env_remove("DBUS_SESSION_BUS_ADDRESS");
    let vars = [(
        "MAILWIZ_DOCTOR_SMTP_PORTS".to_string(),
        env.closed_port.to_string(),
    )];
    Tmux::launch(cmd, "troubleshoot", config, lang, &vars, (140, 36))
}

/// A saved account: IMAP on the main instance with a wrong password (from
/// a password command), SMTP on the closed port.
fn add_account(env: &MailEnv, dir: &Path) -> std::path::PathBuf {
    let cfg = dir.join("accounts.toml");
    let pw = dir.join("pw");
    std::fs::write(&pw, "not-the-password\n").unwrap();
    let out = mailwiz(&cfg)
        .args([
            "add",
            "--email",
            &env.user("alice"),
            "--name",
            "work",
            "--incoming",
            "imap",
            "--in-host",
            &env.host,
            "--in-port",
            &env.imaps_port.to_string(),
            "--in-security",
            "tls",
            "--smtp-host",
            &env.host,
            "--smtp-port",
            &env.closed_port.to_string(),
            "--smtp-security",
            "tls",
            "--ca-file",
            &env.ca.display().to_string(),
            "--password-command",
            &format!("cat {}", pw.display()),
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "add: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    cfg
}

#[test]
fn troubleshooting_a_wrong_password_and_a_closed_port() {
    let env = mailenv();
    let dir = tempfile::tempdir().unwrap();
    let cfg = add_account(env, dir.path());
    let mut t = start(env, &cfg, "en");
    t.wait_for_all(&["work", "D diagnose"], Duration::from_secs(10));
    let start = Instant::now();
    t.keys(&["d"]);
    t.wait_for_all(&["Something doesn't work"], Duration::from_secs(5));
    let auth = format!(
        "IMAP {}:{} refuses the user name or password",
        env.host, env.imaps_port
    );
    let refused = format!(
        "SMTP {}:{} refuses the connection",
        env.host, env.closed_port
    );
    let s = t.wait_for_all(
        &[&auth, &refused, "Problems found: 2"],
        Duration::from_secs(16),
    );
    eprintln!("findings after {:?}:\n{s}", start.elapsed());
    assert!(s.contains("Fix: Type the password again"), "{s}");
    assert!(
        s.contains("Press F to change it in the step “Password”"),
        "{s}"
    );
    // I: what the servers said; the IMAP greeting and the certificate.
    t.keys(&["i"]);
    let s = t.wait_for_all(&["Greeting:", "SHA-256:"], Duration::from_secs(3));
    assert!(s.contains("Dovecot"), "{s}");
    t.keys(&["i"]);
    // S: the transcript, redacted, next to the config.
    t.keys(&["s"]);
    let s = t.wait_for_all(&["Transcript saved"], Duration::from_secs(3));
    let path = dir.path().join("transcript-work.txt");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}:\n{s}"));
    assert!(
        text.contains("[redacted]") || text.contains("LOGIN"),
        "{text}"
    );
    assert!(!text.contains("not-the-password"), "{text}");
    assert!(!text.contains(&env.password), "{text}");
    // ↓ then F on the SMTP finding: the outgoing server step.
    t.keys(&["Down"]);
    t.wait_for_all(
        &["Press F to change it in the step “Outgoing server (SMTP)”"],
        Duration::from_secs(3),
    );
    t.keys(&["Up", "f"]);
    t.wait_for_all(&["Password", "F2"], Duration::from_secs(3));
    assert!(!t.screen().contains("Something doesn't work"));
}

#[test]
fn depannage_en_francais() {
    let env = mailenv();
    let dir = tempfile::tempdir().unwrap();
    let cfg = add_account(env, dir.path());
    let mut t = start(env, &cfg, "fr");
    t.wait_for_all(&["work"], Duration::from_secs(10));
    t.keys(&["t"]);
    let auth = format!(
        "IMAP {}:{} refuse l'identifiant ou le mot de passe",
        env.host, env.imaps_port
    );
    let refused = format!("SMTP {}:{} refuse la connexion", env.host, env.closed_port);
    let s = t.wait_for_all(
        &["Quelque chose ne marche pas", &auth, &refused],
        Duration::from_secs(16),
    );
    assert!(s.contains("Solution\u{a0}: Retapez le mot de passe"), "{s}");
    // Esc goes back to the list of accounts.
    t.keys(&["Escape"]);
    t.wait_for_all(&["work"], Duration::from_secs(3));
    assert!(!t.screen().contains("Quelque chose ne marche pas"));
}

/// The harness's relay refuses every recipient of `limited@`'s mail with
/// "550 5.7.1 Daily sending limit exceeded": the plain diagnosis says all
/// is well (no recipient tried), A then Enter tries the account's own
/// address and shows the sending-limit finding with its advice.
#[test]
fn the_diagnosis_finds_a_sending_limit_when_asked_to_try_a_recipient() {
    let env = mailenv();
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("accounts.toml");
    common::add_imaps_account(env, &cfg, &env.host, "limited", &["--name", "limite"]);
    let mut cmd = Command::new("tmux");
    cmd.env_remove("DBUS_SESSION_BUS_ADDRESS");
    let vars = [(
        "MAILWIZ_DOCTOR_SMTP_PORTS".to_string(),
        env.smtp_port.to_string(),
    )];
    let mut t = Tmux::launch(cmd, "limit", &cfg, "fr", &vars, (80, 24));
    t.wait_for_all(&["limite", "D dépanner"], Duration::from_secs(10));
    t.keys(&["d"]);
    let s = t.wait_for_all(
        &["Tout fonctionne", "A essaie aussi un destinataire"],
        Duration::from_secs(16),
    );
    assert!(!s.contains("limite d'envoi"), "{s}");
    t.keys(&["a"]);
    t.wait_for_all(
        &["Destinataire à essayer", "Entrée essayer"],
        Duration::from_secs(3),
    );
    t.keys(&["Enter"]);
    let s = t.wait_for_all(
        &["limite d'envoi", "Patientez", "Destinataire essayé"],
        Duration::from_secs(16),
    );
    assert!(!s.contains("Tout fonctionne"), "{s}");
    assert!(s.contains("Daily sending limit exceeded"), "{s}");
    assert!(!s.contains(&env.password), "{s}");
}
