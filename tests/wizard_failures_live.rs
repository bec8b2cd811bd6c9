#![allow(clippy::unwrap_used)] // tests: a failed unwrap is the failure report
//! Issue 13 against real servers (the harness's Dovecot, its submission
//! relay and its tarpit): the real check and send reports, fed to the
//! wizard, give the same findings as the diagnosis, and the screen says so.

mod common;
mod support_wizard;

use common::{MailEnv, mailenv};
use mailwiz::account::{Account, Security};
use mailwiz::check::{self, CheckOptions, Side};
use mailwiz::doctor::{self, Code, DoctorOptions, Passwords};
use mailwiz::i18n::Lang;
use mailwiz::net::Phase;
use mailwiz::secret::Secret;
use mailwiz::send;
use mailwiz::tui::{App, Step};
use std::time::Duration;
use support_wizard::*;
use tui_input::Input;

/// The wizard on the Test step for `user` at the harness, SMTP at `port`
/// with `security`; the checks it asked for are not run (the tests run
/// the real ones and feed their reports).
fn wizard(env: &MailEnv, user: &str, port: u16, security: Security) -> (App, (u64, u64)) {
    let mut app = app();
    to_outgoing(&mut app, &env.user(user));
    let f = &mut app.form;
    f.in_host = Input::new(env.host.clone());
    f.in_port = Input::new(env.imaps_port.to_string());
    f.in_security = Security::Tls;
    f.out_host = Input::new(env.host.clone());
    f.out_port = Input::new(port.to_string());
    f.out_security = security;
    f.ca_file = Input::new(env.ca.display().to_string());
    let ids = outgoing_to_test(&mut app);
    (app, ids)
}

fn quick() -> CheckOptions {
    CheckOptions {
        timeout: Duration::from_secs(3),
        cancel: None,
    }
}

fn doctor_findings(app: &App, acct: &Account, pw: &Secret) -> Vec<doctor::Finding> {
    let opts = DoctorOptions {
        timeout: Duration::from_secs(5),
        probe_ports: false,
        ..DoctorOptions::default()
    };
    let passwords = Passwords {
        incoming: Some(pw),
        smtp: Some(pw),
    };
    let report = doctor::run(acct, passwords, &opts);
    let ctx = mailwiz::tui::test_context(app);
    doctor::findings_in(&report, None, &ctx, Lang::En)
}

/// Item 3: SMTP pointed at the IMAP port; the Test step shows the
/// diagnosis's finding for it, word for word.
#[test]
fn smtp_at_an_imap_port_reads_the_same_at_the_test_step_and_the_diagnosis() {
    let env = mailenv();
    let pw = Secret::new(env.password.clone());
    for (port, security) in [
        (env.imap_port, Security::Starttls),
        (env.imaps_port, Security::Tls),
        (env.imap_port, Security::Tls),
    ] {
        let (mut app, (a, b)) = wizard(env, "alice", port, security);
        let acct = app.form.account();
        let incoming = check::check_incoming(&acct, Some(&pw), &quick(), &|_| {});
        let smtp = check::check_smtp(&acct, Some(&pw), &quick(), &|_| {});
        assert!(!smtp.ok, "SMTP at {port} worked?");
        checked(&mut app, a, incoming);
        checked(&mut app, b, smtp);
        let ours: Vec<_> = test_findings(&app)
            .into_iter()
            .filter(|f| f.server == Side::Smtp)
            .collect();
        let theirs: Vec<_> = doctor_findings(&app, &acct, &pw)
            .into_iter()
            .filter(|f| f.server == Side::Smtp)
            .collect();
        assert_eq!(ours.len(), 1, "{ours:?}");
        assert_eq!(
            (ours[0].code, &ours[0].title, &ours[0].fix),
            (theirs[0].code, &theirs[0].title, &theirs[0].fix),
            "port {port} {security:?}"
        );
        assert_eq!(ours[0].code, Code::ProtocolMismatch);
        let screen = draw(&app, 100, 30);
        let start: String = ours[0].title.chars().take(20).collect();
        assert!(screen.contains(&start), "{start}:\n{screen}");
    }
}

/// Item 2: a port that accepts and never speaks. The wait is charged to
/// the step that waited (TLS or greeting, not the connection), and the
/// Test step says the server accepted the connection but never answered.
#[test]
fn a_silent_port_is_charged_to_the_step_that_waited() {
    let env = mailenv();
    let pw = Secret::new(env.password.clone());
    for (security, phase) in [
        (Security::Tls, Phase::Tls),
        (Security::Starttls, Phase::Greeting),
    ] {
        let (mut app, (a, b)) = wizard(env, "alice", env.tarpit_port, security);
        let acct = app.form.account();
        let smtp = check::check_smtp(&acct, Some(&pw), &quick(), &|_| {});
        let connect = smtp
            .steps
            .iter()
            .find(|s| s.phase == Phase::Connect)
            .unwrap();
        let waited = smtp.steps.last().unwrap();
        assert!(connect.ok && connect.ms < 1000, "{:?}", smtp.steps);
        assert_eq!(waited.phase, phase, "{:?}", smtp.steps);
        assert!(!waited.ok && waited.ms >= 2500, "{:?}", smtp.steps);
        checked(&mut app, b, smtp);
        let incoming = check::check_incoming(&acct, Some(&pw), &quick(), &|_| {});
        checked(&mut app, a, incoming);
        let title = &test_findings(&app)[0].title;
        assert!(
            title.ends_with("accepted the connection but never answered"),
            "{title}"
        );
    }
}

/// Item 5: the harness's `limited@` account hits a sending limit at RCPT
/// TO (a 550 from the relay, through Dovecot's submission): the send step
/// shows the `sending_limit` finding and its advice, in French too.
#[test]
fn a_sending_limit_at_the_real_send_step_gives_the_advice() {
    let env = mailenv();
    let pw = Secret::new(env.password.clone());
    let (mut app, (a, b)) = wizard(env, "limited", env.smtp_port, Security::Starttls);
    let acct = app.form.account();
    checked(
        &mut app,
        a,
        check::check_incoming(&acct, Some(&pw), &quick(), &|_| {}),
    );
    checked(
        &mut app,
        b,
        check::check_smtp(&acct, Some(&pw), &quick(), &|_| {}),
    );
    assert!(app.smtp.ok(), "{:?}", app.smtp.report);
    press(&mut app, crossterm::event::KeyCode::Enter);
    assert_eq!(app.step, Step::Send);
    let id = send_id(&press(&mut app, crossterm::event::KeyCode::Char('s')));
    let msg = send::new_test_message(&acct, Some(&env.user("bob")));
    let report = send::send_test(&acct, &msg, Some(&pw), &quick(), &|_| {});
    assert!(!report.ok, "the limited account could send");
    mailwiz::tui::update(
        &mut app,
        mailwiz::tui::Msg::Sent {
            id,
            message: msg,
            report,
        },
    );
    let found = mailwiz::tui::send_findings(&app);
    assert_eq!(found[0].code, Code::SendingLimit, "{found:?}");
    app.lang = Lang::Fr;
    let screen = draw(&app, 80, 24);
    assert!(screen.contains("limite d'envoi"), "{screen}");
    assert!(screen.contains("Patientez"), "{screen}");
}

/// Item 1 with real servers: authentication unticked. The check does not
/// claim a login and warns that the server offers one; the real send gets
/// a 530 at MAIL FROM, shown as "requires authentication" with F to the
/// switch.
#[test]
fn smtp_auth_unticked_is_named_at_the_test_and_the_send() {
    let env = mailenv();
    let pw = Secret::new(env.password.clone());
    let (mut app, (a, b)) = wizard(env, "alice", env.smtp_port, Security::Starttls);
    app.form.auth_required = false;
    let acct = app.form.account();
    checked(
        &mut app,
        a,
        check::check_incoming(&acct, Some(&pw), &quick(), &|_| {}),
    );
    checked(
        &mut app,
        b,
        check::check_smtp(&acct, None, &quick(), &|_| {}),
    );
    let warning = &test_findings(&app)[0];
    assert_eq!(warning.code, Code::AuthRequired, "{warning:?}");
    let screen = draw(&app, 100, 30);
    assert!(
        screen.contains("not tested: the server was not asked"),
        "{screen}"
    );
    press(&mut app, crossterm::event::KeyCode::Enter);
    press(&mut app, crossterm::event::KeyCode::Char('y'));
    assert_eq!(app.step, Step::Send);
    let id = send_id(&press(&mut app, crossterm::event::KeyCode::Char('s')));
    let msg = send::new_test_message(&acct, None);
    let report = send::send_test(&acct, &msg, None, &quick(), &|_| {});
    mailwiz::tui::update(
        &mut app,
        mailwiz::tui::Msg::Sent {
            id,
            message: msg,
            report,
        },
    );
    let found = mailwiz::tui::send_findings(&app);
    assert_eq!(found[0].code, Code::AuthRequired, "{found:?}");
    press(&mut app, crossterm::event::KeyCode::Char('f'));
    assert_eq!(app.step, Step::Outgoing);
    assert_eq!(app.focused(), Some(mailwiz::tui::Field::AuthRequired));
}
