#![allow(clippy::unwrap_used)] // tests: a failed unwrap is the failure report
//! Issue 16.2 in the wizard: on the troubleshooting screen, B saves the
//! ticket next to the configuration and says where; the file is private,
//! holds no password, and replays in the other language.

mod common;

use common::tmux::Tmux;
use common::{mailenv, mailwiz};
use std::os::unix::fs::PermissionsExt;
use std::process::Command;
use std::time::Duration;

#[test]
fn b_saves_a_ticket_from_the_troubleshooting_screen() {
    let env = mailenv();
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("accounts.toml");
    common::add_tls_account(env, &cfg, "work", "not-the-password", env.closed_port);
    let mut cmd = Command::new("tmux");
    cmd.env_remove("DBUS_SESSION_BUS_ADDRESS");
    let vars = [(
        "MAILWIZ_DOCTOR_SMTP_PORTS".to_string(),
        env.closed_port.to_string(),
    )];
    let mut t = Tmux::launch(cmd, "ticket", &cfg, "en", &vars, (140, 36));
    t.wait_for_all(&["work", "D diagnose"], Duration::from_secs(10));
    t.keys(&["d"]);
    t.wait_for_all(&["Problems found: 2"], Duration::from_secs(16));
    t.keys(&["b"]);
    let s = t.wait_for_all(&["Ticket saved"], Duration::from_secs(5));
    let ticket = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("ticket-work-"))
        })
        .unwrap_or_else(|| panic!("no ticket file next to the config:\n{s}"));
    assert!(
        s.replace('\n', "").contains("ticket-work-"),
        "the screen says where:\n{s}"
    );
    let mode = std::fs::metadata(&ticket).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let text = std::fs::read_to_string(&ticket).unwrap();
    assert!(!text.contains("not-the-password") && !text.contains(&env.password));
    assert!(text.contains("\"schema\": 1"), "{text}");
    let fr = mailwiz(&cfg)
        .args([
            "--lang",
            "fr",
            "doctor",
            "--replay",
            ticket.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let fr = String::from_utf8_lossy(&fr.stdout);
    assert!(
        fr.contains("[auth_failed]") && fr.contains("écrit par mailwiz"),
        "{fr}"
    );
    assert!(fr.contains("en anglais"), "{fr}");
}
