#![allow(clippy::unwrap_used)] // tests: a failed unwrap is the failure report
//! Import from the user's other mail clients: the welcome list shows what
//! `detect` found, `I` fills the wizard with it, and the POP/IMAP help says
//! what those clients use. State and rendering; the e2e is in
//! tests/wizard_import_e2e.rs.

use crossterm::event::KeyCode;
use mailwiz::account::{Protocol, Security};
use mailwiz::config::Config;
use mailwiz::detect::{DetectedAccount, parse_thunderbird};
use mailwiz::i18n::Lang;
use mailwiz::tui::{App, AppOptions, Modal, Step};
use std::path::{Path, PathBuf};
use tui::{press, type_text};

#[path = "common/tui.rs"]
mod tui;

const PREFS: &str = r#"
user_pref("mail.account.account1.identities", "id1");
user_pref("mail.account.account1.server", "server1");
user_pref("mail.account.account2.identities", "id2");
user_pref("mail.account.account2.server", "server2");
user_pref("mail.accountmanager.accounts", "account1,account2");
user_pref("mail.identity.id1.smtpServer", "smtp1");
user_pref("mail.identity.id1.useremail", "alice@free.fr");
user_pref("mail.identity.id2.smtpServer", "smtp1");
user_pref("mail.identity.id2.useremail", "bob@example.org");
user_pref("mail.server.server1.hostname", "imap.free.fr");
user_pref("mail.server.server1.port", 993);
user_pref("mail.server.server1.socketType", 3);
user_pref("mail.server.server1.type", "imap");
user_pref("mail.server.server1.userName", "alice");
user_pref("mail.server.server2.hostname", "pop.example.org");
user_pref("mail.server.server2.port", 110);
user_pref("mail.server.server2.socketType", 2);
user_pref("mail.server.server2.type", "pop3");
user_pref("mail.server.server2.userName", "bob@example.org");
user_pref("mail.smtpserver.smtp1.hostname", "smtp.free.fr");
user_pref("mail.smtpserver.smtp1.port", 465);
user_pref("mail.smtpserver.smtp1.try_ssl", 3);
user_pref("mail.smtpserver.smtp1.username", "alice");
user_pref("mail.smtpservers", "smtp1");
"#;

fn detected() -> Vec<DetectedAccount> {
    let parsed = parse_thunderbird(PREFS, Path::new("/home/alice/.thunderbird/x/prefs.js"));
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    assert_eq!(parsed.accounts.len(), 2);
    parsed.accounts
}

fn app(lang: Lang, detected: Vec<DetectedAccount>) -> App {
    let mut options = AppOptions::new(
        PathBuf::from("/nonexistent/accounts.toml"),
        lang,
        Ok(Config::default()),
    );
    options.detected = detected;
    App::new(options)
}

fn screen(app: &App) -> String {
    tui::screen(app, 80, 24)
}

#[test]
fn import_fills_the_wizard_and_keeps_the_imported_settings() {
    let mut a = app(Lang::En, detected());
    // The second detected account: POP3 with STARTTLS.
    press(&mut a, KeyCode::Down);
    assert_eq!(a.selected, 1);
    press(&mut a, KeyCode::Char('i'));
    assert_eq!(a.step, Step::Identity);
    assert!(a.imported.as_deref().unwrap_or("").contains("Thunderbird"));
    assert_eq!(a.form.email(), "bob@example.org");
    // Enter keeps the imported servers (no preset, no discovery over them).
    press(&mut a, KeyCode::Enter);
    assert_eq!(a.step, Step::SettingsFound);
    assert_eq!(a.form.protocol, Protocol::Pop3);
    assert_eq!(a.form.in_host.value(), "pop.example.org");
    assert_eq!(a.form.in_port.value(), "110");
    assert_eq!(a.form.in_security, Security::Starttls);
    assert_eq!(a.form.out_host.value(), "smtp.free.fr");
    assert!(screen(&a).contains("imported from"), "{}", screen(&a));
    // Changing the address drops the import: the new address's settings apply.
    press(&mut a, KeyCode::Esc);
    assert_eq!(a.step, Step::Identity);
}

#[test]
fn import_needs_a_detected_account_selected() {
    let mut a = app(Lang::En, Vec::new());
    assert!(press(&mut a, KeyCode::Char('i')).is_empty());
    assert_eq!(a.step, Step::Welcome);
    assert_eq!(a.notice, Some("tui.welcome.nothing_to_import"));
    assert!(screen(&a).contains("No account was found"));
}

#[test]
fn welcome_lists_detected_accounts_in_both_languages() {
    for (lang, name) in [
        (Lang::En, "welcome_detected_en"),
        (Lang::Fr, "welcome_detected_fr"),
    ] {
        let a = app(lang, detected());
        let s = screen(&a);
        assert!(s.contains("alice@free.fr"), "{s}");
        assert!(s.contains("imap.free.fr:993"), "{s}");
        insta::assert_snapshot!(name, s);
    }
}

#[test]
fn protocol_help_says_what_the_other_clients_use() {
    for (lang, name, needle) in [
        (
            Lang::En,
            "help_protocol_detected_en",
            "you use IMAP on imap.free.fr:993",
        ),
        (
            Lang::Fr,
            "help_protocol_detected_fr",
            "vous utilisez IMAP sur imap.free.fr:993",
        ),
    ] {
        let mut a = app(lang, detected());
        press(&mut a, KeyCode::Enter);
        press(&mut a, KeyCode::Tab);
        for c in "carol@example.net".chars() {
            press(&mut a, KeyCode::Char(c));
        }
        press(&mut a, KeyCode::Enter);
        press(&mut a, KeyCode::Enter);
        assert_eq!(a.step, Step::Protocol);
        press(&mut a, KeyCode::F(1));
        assert_eq!(a.modal, Some(Modal::Help));
        let s = screen(&a);
        assert!(s.contains(needle), "{s}");
        insta::assert_snapshot!(name, s);
    }
}

#[test]
fn the_protocol_step_says_what_the_other_client_uses() {
    for (lang, said) in [
        (
            Lang::En,
            "You already use IMAP on imap.free.fr:993 (SSL/TLS) in Thunderbird.",
        ),
        (
            Lang::Fr,
            "Vous utilisez déjà IMAP sur imap.free.fr:993 (SSL/TLS) dans Thunderbird.",
        ),
    ] {
        let mut a = app(lang, detected());
        tui::to_settings(&mut a, "alice@free.fr");
        press(&mut a, KeyCode::Enter);
        assert_eq!(a.step, Step::Protocol);
        let s = tui::rows(&a, 160, 30).join(" ");
        assert!(s.contains(said), "{s}");
        // Only for this address: bob's POP account is not mentioned.
        assert!(!s.contains("pop.example.org"), "{s}");
    }
    // Another address: nothing is claimed.
    let mut a = app(Lang::En, detected());
    press(&mut a, KeyCode::Enter);
    type_text(&mut a, "X");
    press(&mut a, KeyCode::Tab);
    type_text(&mut a, "carol@free.fr");
    press(&mut a, KeyCode::Enter);
    press(&mut a, KeyCode::Enter);
    assert!(!screen(&a).contains("You already use"));
}
