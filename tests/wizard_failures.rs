#![allow(clippy::unwrap_used)] // tests: a failed unwrap is the failure report
//! The wizard when things go wrong (issue 13, items 1–8): state tests on
//! `update()` and what the screen says at 80×24, in English and French.
//! No network: the check and send results are the ones real servers give
//! (see tests/wizard_failures_live.rs for the same against real servers).

mod support_wizard;

use crossterm::event::KeyCode;
use mailwiz::account::Security;
use mailwiz::check::ServerReport;
use mailwiz::i18n::Lang;
use mailwiz::net::{NetError, Phase, Reply, StepDetail, StepNote};
use mailwiz::tui::{Effect, Field, Msg, Step, TestPrompt, update};
use support_wizard::*;

/// The SMTP server works without a login, and offers AUTH.
fn smtp_without_login() -> ServerReport {
    let mut r = report(true, None);
    r.steps.last_mut().unwrap().detail = StepDetail::Note {
        note: StepNote::ServerNeedsNoLogin,
    };
    r.steps.last_mut().unwrap().ms = 0;
    r.capabilities = vec!["PIPELINING".into(), "AUTH PLAIN LOGIN".into()];
    r
}

#[test]
fn item1_a_login_not_asked_for_is_not_claimed_and_points_to_the_switch() {
    let mut app = app();
    to_outgoing(&mut app, "alice@example.test");
    focus(&mut app, Field::AuthRequired);
    press(&mut app, KeyCode::Char(' '));
    assert!(!app.form.auth_required);
    let (a, b) = outgoing_to_test(&mut app);
    checked(&mut app, a, report(true, None));
    checked(&mut app, b, smtp_without_login());
    let en = draw(&app, 80, 24);
    assert!(en.contains("not tested: the server"), "{en}");
    assert!(!en.contains("✓ Login"), "the login is claimed:\n{en}");
    let warning = &test_findings(&app)[0];
    assert!(
        warning.title.ends_with("requires authentication"),
        "{warning:?}"
    );
    assert!(en.contains("⚠ SMTP smtp.example.test:465 requires"), "{en}");
    app.lang = Lang::Fr;
    let fr = draw(&app, 80, 24);
    assert!(fr.contains("non testé"), "{fr}");
    insta::assert_snapshot!("auth_unticked_test_fr", fr);
    insta::assert_snapshot!("auth_unticked_test_en", en);
    app.lang = Lang::En;
    // Enter does not pass an untested login silently.
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.test_ui.prompt, TestPrompt::ConfirmUntested);
    press(&mut app, KeyCode::Char('n'));
    // F goes to the switch itself.
    press(&mut app, KeyCode::Char('f'));
    assert_eq!(app.step, Step::Outgoing);
    assert_eq!(app.focused(), Some(Field::AuthRequired));
}

fn refused_530() -> NetError {
    NetError::Rejected {
        phase: Phase::Mail,
        reply: Reply::smtp(530, "5.7.0 Authentication required."),
    }
}

#[test]
fn item1_a_530_at_the_send_step_names_the_switch_once() {
    let mut app = app();
    to_outgoing(&mut app, "alice@example.test");
    focus(&mut app, Field::AuthRequired);
    press(&mut app, KeyCode::Char(' '));
    let (a, b) = outgoing_to_test(&mut app);
    checked(&mut app, a, report(true, None));
    checked(&mut app, b, smtp_without_login());
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('y'));
    assert_eq!(app.step, Step::Send);
    let id = send_id(&press(&mut app, KeyCode::Char('s')));
    let e = refused_530();
    let reply = Reply::smtp(530, "5.7.0 Authentication required.");
    sent(&mut app, id, Some(e), Some(reply));
    let en = draw(&app, 80, 24);
    assert!(en.contains("requires authentication"), "{en}");
    assert_eq!(
        en.matches("Authentication required").count(),
        1,
        "the server's words are shown once, as evidence:\n{en}"
    );
    assert!(en.contains(" F "), "F is offered:\n{en}");
    press(&mut app, KeyCode::Char('f'));
    assert_eq!(app.step, Step::Outgoing);
    assert_eq!(app.focused(), Some(Field::AuthRequired));
}

#[test]
fn item1_the_send_step_offers_the_diagnosis() {
    let mut app = app();
    to_send(&mut app);
    let id = send_id(&press(&mut app, KeyCode::Char('s')));
    sent(&mut app, id, Some(refused_530()), None);
    press(&mut app, KeyCode::Char('d'));
    assert!(app.troubleshoot.is_some());
}

#[test]
fn item2_a_silent_port_is_named_and_counted_down() {
    let mut app = app();
    let (a, b) = to_test(&mut app);
    let screen = draw(&app, 80, 24);
    assert!(screen.contains("20 s left"), "{screen}");
    for _ in 0..35 {
        update(&mut app, Msg::Tick);
    }
    let screen = draw(&app, 80, 24);
    assert!(screen.contains("17 s left"), "{screen}");
    checked(&mut app, a, report(true, None));
    let mut silent = report(false, Some(NetError::Timeout { phase: Phase::Tls }));
    silent.steps.last_mut().unwrap().phase = Phase::Tls;
    checked(&mut app, b, silent);
    let screen = draw(&app, 80, 24);
    assert!(screen.contains("accepted the"), "{screen}");
    let title = &test_findings(&app)[0].title;
    assert!(
        title.ends_with("accepted the connection but never answered"),
        "{title}"
    );
}

fn dns(host: &str) -> NetError {
    NetError::Dns {
        host: host.into(),
        cause: mailwiz::net::DnsCause::failed("failed to lookup address information"),
    }
}

#[test]
fn item4_dns_failing_for_a_preset_host_or_both_servers_means_offline() {
    // A preset's host (Free): not a misspelling.
    let mut app = app();
    let (a, b) = to_test(&mut app);
    checked(&mut app, a, report(false, Some(dns("imap.free.fr"))));
    checked(&mut app, b, report(true, None));
    let titles: Vec<String> = test_findings(&app).into_iter().map(|f| f.title).collect();
    assert!(
        titles[0].starts_with("No connection to the internet"),
        "{titles:?}"
    );
    app.lang = Lang::Fr;
    let fr = draw(&app, 80, 24);
    assert!(fr.contains("Pas de connexion à Internet"), "{fr}");
    assert!(!fr.contains("mal orthographié"), "{fr}");
    // Typed by hand, one server: a misspelling is likely.
    let mut app = app_by_hand();
    let (a, b) = outgoing_to_test(&mut app);
    checked(&mut app, a, report(false, Some(dns("imap.exmaple.test"))));
    checked(&mut app, b, report(true, None));
    let title = &test_findings(&app)[0].title;
    assert!(title.contains("does not exist"), "{title}");
    // Typed by hand, both servers: the network.
    let mut app = app_by_hand();
    let (a, b) = outgoing_to_test(&mut app);
    checked(&mut app, a, report(false, Some(dns("imap.example.test"))));
    checked(&mut app, b, report(false, Some(dns("smtp.example.test"))));
    for f in test_findings(&app) {
        assert!(f.title.starts_with("No connection"), "{}", f.title);
    }
}

fn limit_550() -> NetError {
    NetError::Rejected {
        phase: Phase::Rcpt,
        reply: Reply::smtp(550, "5.7.1 Daily sending limit exceeded for this account"),
    }
}

#[test]
fn item5_a_sending_limit_at_the_send_step_gives_the_advice() {
    let mut app = app();
    to_send(&mut app);
    let id = send_id(&press(&mut app, KeyCode::Char('s')));
    sent(&mut app, id, Some(limit_550()), None);
    let en = draw(&app, 80, 24);
    assert!(en.contains("refuses because of a sending limit"), "{en}");
    assert!(en.contains("Wait (often 24 hours)"), "{en}");
    app.lang = Lang::Fr;
    let fr = draw(&app, 80, 24);
    assert!(fr.contains("limite d'envoi"), "{fr}");
    assert!(
        !fr.contains("The server refused"),
        "raw English in French:\n{fr}"
    );
    insta::assert_snapshot!("sending_limit_send_fr", fr);
    insta::assert_snapshot!("sending_limit_send_en", en);
}

#[test]
fn item6_a_failed_test_asks_before_going_on_and_the_summary_says_so() {
    let mut app = app();
    let (a, b) = to_test(&mut app);
    checked(&mut app, a, report(false, Some(auth_failed())));
    checked(&mut app, b, report(true, None));
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.step, Step::Test, "a failed test was passed silently");
    assert_eq!(app.test_ui.prompt, TestPrompt::ConfirmUntested);
    let screen = draw(&app, 80, 24);
    assert!(screen.contains("save it anyway?"), "{screen}");
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.test_ui.prompt, TestPrompt::None);
    assert_eq!(app.step, Step::Test);
    // A cancelled test asks too.
    let (a, b) = check_ids(&press(&mut app, KeyCode::Char('r')));
    press(&mut app, KeyCode::Esc);
    let _ = (a, b);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.test_ui.prompt, TestPrompt::ConfirmUntested);
    press(&mut app, KeyCode::Char('o'));
    assert_eq!(app.step, Step::Send);
    // The step list marks the steps that failed (wide screens).
    // Back to the Test step: it runs again.
    let (a, b) = check_ids(&press(&mut app, KeyCode::Esc));
    checked(&mut app, a, report(false, Some(auth_failed())));
    checked(&mut app, b, report(true, None));
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('y'));
    let wide = draw(&app, 120, 40);
    assert!(wide.contains("✗  7. Password"), "{wide}");
    assert!(wide.contains("✗  8. Test"), "{wide}");
    assert!(wide.contains("✓  6. Outgoing"), "{wide}");
    let effects = press(&mut app, KeyCode::Char('n'));
    assert_eq!(app.step, Step::Summary);
    save_ok(&mut app, &effects);
    let screen = draw(&app, 80, 24);
    assert!(!screen.contains("✓ The account"), "{screen}");
    assert!(screen.contains("not every test passed"), "{screen}");
    assert!(
        screen.contains("Incoming: IMAP imap.free.fr:993, SSL/TLS"),
        "{screen}"
    );
    assert!(screen.contains("SMTP: smtp.free.fr:465"), "{screen}");
    assert!(
        screen.contains("Tests: incoming ✗ · SMTP ✓ · test message not run"),
        "{screen}"
    );
    app.lang = Lang::Fr;
    insta::assert_snapshot!("summary_after_failure_fr", draw(&app, 80, 24));
    app.lang = Lang::En;
    insta::assert_snapshot!("summary_after_failure_en", draw(&app, 80, 24));
}

#[test]
fn item7_unencrypted_needs_a_confirmation_and_is_never_a_plain_tick() {
    let mut app = app_by_hand();
    assert_eq!(app.step, Step::Outgoing);
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.step, Step::Incoming);
    focus(&mut app, Field::InSecurity);
    press(&mut app, KeyCode::Left);
    assert_eq!(app.form.in_security, Security::None);
    let screen = draw(&app, 80, 24);
    assert!(screen.contains("travel in clear text"), "{screen}");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.step, Step::Incoming, "no confirmation was asked");
    let screen = draw(&app, 80, 24);
    assert!(screen.contains("Press Enter again"), "{screen}");
    app.lang = Lang::Fr;
    insta::assert_snapshot!("incoming_unencrypted_fr", draw(&app, 80, 24));
    app.lang = Lang::En;
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.step, Step::Outgoing);
    let (a, b) = outgoing_to_test(&mut app);
    checked(&mut app, a, report(true, None));
    checked(&mut app, b, report(true, None));
    let screen = draw(&app, 80, 24);
    assert!(screen.contains("Works, but unencrypted"), "{screen}");
    assert_eq!(screen.matches("✓ It works.").count(), 1, "{screen}");
}

fn untrusted() -> ServerReport {
    let mut r = report(false, Some(untrusted_error()));
    r.steps.last_mut().unwrap().phase = Phase::Tls;
    r.cert = Some(cert_info());
    r
}

#[test]
fn item8_the_certificate_is_shown_at_the_failure_and_a_ca_file_retests() {
    let mut app = app();
    let (a, b) = to_test(&mut app);
    checked(&mut app, a, untrusted());
    checked(&mut app, b, report(true, None));
    let screen = draw(&app, 80, 24);
    for part in [
        "imap.free.fr",
        "Private Test CA",
        "2026-01-01",
        "AB:CD:AB:CD",
    ] {
        assert!(screen.contains(part), "{part} missing:\n{screen}");
    }
    app.lang = Lang::Fr;
    insta::assert_snapshot!("untrusted_test_fr", draw(&app, 80, 24));
    app.lang = Lang::En;
    insta::assert_snapshot!("untrusted_test_en", draw(&app, 80, 24));
    press(&mut app, KeyCode::Char('c'));
    assert_eq!(app.focused(), Some(Field::CaFile));
    type_text(&mut app, "/etc/ssl/private-ca.pem");
    app.lang = Lang::Fr;
    insta::assert_snapshot!("ca_file_prompt_fr", draw(&app, 80, 24));
    app.lang = Lang::En;
    let effects = press(&mut app, KeyCode::Enter);
    let account = match effects.as_slice() {
        [
            Effect::CheckIncoming { account, .. },
            Effect::CheckSmtp { .. },
        ] => account,
        other => panic!("the test did not run again: {other:?}"),
    };
    assert_eq!(account.ca_file.as_deref(), Some("/etc/ssl/private-ca.pem"));
    assert_eq!(
        account.incoming.pinned_sha256, None,
        "a CA file is not a pin"
    );
    // The server steps show the CA file.
    press(&mut app, KeyCode::Esc);
    app.lang = Lang::En;
    press(&mut app, KeyCode::Esc);
    for _ in 0..2 {
        press(&mut app, KeyCode::Esc);
    }
    assert_eq!(app.step, Step::Incoming);
    assert!(draw(&app, 80, 24).contains("/etc/ssl/private-ca.pem"));
}

#[test]
fn item8_pinning_at_the_failure_asks_then_retests_and_the_pin_can_be_removed() {
    let mut app = app();
    let (a, b) = to_test(&mut app);
    checked(&mut app, a, untrusted());
    checked(&mut app, b, report(true, None));
    press(&mut app, KeyCode::Char('p'));
    assert!(app.form.pins.0.is_none(), "pinned without consent");
    assert!(draw(&app, 80, 24).contains("Trust this exact certificate"));
    let effects = press(&mut app, KeyCode::Char('y'));
    assert_eq!(
        app.form.pins.0.as_deref(),
        Some(cert_info().sha256.as_str())
    );
    let (a, _) = check_ids(&effects);
    assert!(a > 0);
    // The incoming step shows the pin, and Space on it removes it.
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.step, Step::Incoming);
    let screen = draw(&app, 80, 24);
    assert!(
        screen.contains("Pinned certificate: SHA-256 AB:CD"),
        "{screen}"
    );
    app.lang = Lang::Fr;
    insta::assert_snapshot!("incoming_pinned_fr", draw(&app, 80, 24));
    app.lang = Lang::En;
    focus(&mut app, Field::InPin);
    press(&mut app, KeyCode::Char(' '));
    assert!(app.form.pins.0.is_none());
    assert!(!draw(&app, 80, 24).contains("Pinned certificate: SHA-256"));
}

#[test]
fn item8_back_from_the_diagnosis_after_pinning_the_test_runs_again() {
    let mut app = app();
    let (a, b) = to_test(&mut app);
    checked(&mut app, a, untrusted());
    checked(&mut app, b, report(true, None));
    let opened = press(&mut app, KeyCode::Char('d'));
    assert!(app.troubleshoot.is_some());
    diagnosed_untrusted(&mut app, &opened);
    press(&mut app, KeyCode::Char('p'));
    press(&mut app, KeyCode::Char('y'));
    assert!(app.form.pins.0.is_some());
    let effects = press(&mut app, KeyCode::Esc); // stops the new diagnosis
    let effects = if app.troubleshoot.is_some() {
        press(&mut app, KeyCode::Esc)
    } else {
        effects
    };
    assert!(app.troubleshoot.is_none());
    assert_eq!(app.step, Step::Test);
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::CheckIncoming { .. })),
        "the test did not run again: {effects:?}"
    );
}

#[test]
fn item8_a_ca_file_that_cannot_be_used_says_so_and_can_be_chosen_again() {
    let mut app = app();
    let (a, b) = to_test(&mut app);
    checked(&mut app, a, untrusted());
    checked(&mut app, b, report(true, None));
    press(&mut app, KeyCode::Char('c'));
    type_text(&mut app, "/nonexistent/ca.pem");
    let (a, b) = check_ids(&press(&mut app, KeyCode::Enter));
    // What the core says for a CA file it cannot read: before any step.
    let unreadable = || {
        let mut r = report(
            false,
            Some(NetError::CaFile(mailwiz::trust::TrustError::Unreadable {
                path: "/nonexistent/ca.pem".into(),
                kind: std::io::ErrorKind::NotFound,
            })),
        );
        r.steps.clear();
        r
    };
    checked(&mut app, a, unreadable());
    checked(&mut app, b, unreadable());
    let screen = draw(&app, 80, 24);
    assert!(screen.contains("The CA file cannot be used"), "{screen}");
    assert!(
        !screen.contains("does not speak the expected encryption"),
        "{screen}"
    );
    press(&mut app, KeyCode::Char('c'));
    assert_eq!(app.focused(), Some(Field::CaFile));
}

#[test]
fn item8_a_pin_made_while_checking_a_saved_account_is_saved_at_the_summary() {
    let mut cfg = mailwiz::config::Config::default();
    cfg.upsert(
        mailwiz::providers::by_id("free")
            .unwrap()
            .account_for("alice@free.fr", None, None),
    );
    let mut app = app_with_config(cfg);
    let (a, b) = check_ids(&press(&mut app, KeyCode::Char('c')));
    assert_eq!(app.flow, mailwiz::tui::Flow::Existing);
    checked(&mut app, a, untrusted());
    checked(&mut app, b, report(true, None));
    press(&mut app, KeyCode::Char('p'));
    let (a, b) = check_ids(&press(&mut app, KeyCode::Char('y')));
    checked(&mut app, a, report(true, None));
    checked(&mut app, b, report(true, None));
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.step, Step::Send);
    let id = send_id(&press(&mut app, KeyCode::Char('s')));
    sent(&mut app, id, None, None);
    let effects = press(&mut app, KeyCode::Enter);
    assert_eq!(app.step, Step::Summary, "the pin would be lost");
    match effects.as_slice() {
        [Effect::SaveAccount { account, .. }] => {
            assert_eq!(account.incoming.pinned_sha256, Some(cert_info().sha256));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn item1_an_smtp_server_that_offers_no_login_passes_without_one() {
    let mut app = app();
    to_outgoing(&mut app, "alice@example.test");
    focus(&mut app, Field::AuthRequired);
    press(&mut app, KeyCode::Char(' '));
    let (a, b) = outgoing_to_test(&mut app);
    checked(&mut app, a, report(true, None));
    let mut smtp = smtp_without_login();
    smtp.capabilities = vec!["PIPELINING".into(), "8BITMIME".into()];
    checked(&mut app, b, smtp);
    let screen = draw(&app, 80, 24);
    assert!(screen.contains("not tested: the server"), "{screen}");
    assert!(!screen.contains("requires"), "{screen}");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.step, Step::Send);
}

#[test]
fn item8_f_at_an_untrusted_certificate_opens_the_ca_file_field() {
    let mut app = app();
    let (a, b) = to_test(&mut app);
    checked(&mut app, a, untrusted());
    checked(&mut app, b, report(true, None));
    press(&mut app, KeyCode::Char('f'));
    assert_eq!(app.step, Step::Incoming);
    assert_eq!(app.focused(), Some(Field::CaFile));
}
