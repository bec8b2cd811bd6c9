//! After a failed test, the full screen's troubleshooting as numbered
//! choices: test again, change the failing setting, the doctor's full
//! diagnosis said as plain lines, a ticket file for a helpdesk, or go on
//! and save anyway (asked, as on screen).

use super::Session;
use super::ask::{Choice, enter, press};
use super::io::Console;
use crate::check::Side;
use crate::doctor::{ServerProbe, Severity};
use crate::i18n::{t, tf};
use crate::tui::{App, TestPrompt, TranscriptState as Saved};
use crate::tui::{Field, key, untrusted_certs};
use crossterm::event::KeyCode;

/// Longest server text said on one line.
const MAX_SERVER_TEXT: usize = 200;

impl Session<'_> {
    /// The Test step's choices: after a success, on; after a failure, the
    /// troubleshooting.
    pub(super) fn test_menu(&mut self) -> bool {
        let lang = self.app.lang;
        let item = |k: &str| t(lang, k).to_string();
        if self.app.test_ui.prompt == TestPrompt::ConfirmUntested {
            self.console.line(t(lang, "tui_test.untested_question"));
            return self.menu(vec![
                (item("plain.trouble.save_anyway"), press('y')),
                (item("plain.trouble.dont_save"), press('n')),
            ]);
        }
        match &self.app.test_ui.prompt {
            TestPrompt::CaFile => return self.ca_file_prompt(),
            TestPrompt::ConfirmPin(_) => {
                self.console.line(t(lang, "tui_test.pin_question"));
                return self.menu(vec![
                    (item("plain.trust.pin_yes"), press('y')),
                    (item("plain.trust.pin_no"), press('n')),
                ]);
            }
            _ => {}
        }
        if self.app.troubleshoot.is_some() {
            return self.diagnosis_menu();
        }
        let passed = self.app.incoming.ok() && self.app.smtp.ok();
        let choices: Vec<Choice> = if passed {
            vec![
                (item("plain.menu.continue"), enter()),
                (item("plain.menu.retry"), press('r')),
                (item(back_key(self.app)), vec![KeyCode::Esc]),
            ]
        } else {
            // An unknown certificate: say it, then offer to trust it here,
            // as the full screen does (a CA file, or this certificate).
            let trust: Vec<Choice> = if untrusted_certs(self.app).is_empty() {
                Vec::new()
            } else {
                certificates(self.app, self.console);
                vec![
                    (item("plain.trust.ca_file"), press('c')),
                    (item("plain.trust.pin"), press('p')),
                ]
            };
            trust
                .into_iter()
                .chain([
                    (item("plain.menu.retry"), press('r')),
                    (item("plain.trouble.fix"), press('f')),
                    (item("plain.trouble.diagnose"), press('d')),
                    (item("plain.trouble.continue_anyway"), enter()),
                    (item(back_key(self.app)), vec![KeyCode::Esc]),
                ])
                .collect()
        };
        let answered = self.menu(choices);
        if diagnosing(self.app) {
            self.console.line(t(lang, "plain.trouble.diagnosing"));
        }
        answered
    }

    /// The CA file's path, then the test runs again with it.
    fn ca_file_prompt(&mut self) -> bool {
        if !self.field(Field::CaFile) {
            return false;
        }
        self.feed(key(KeyCode::Enter));
        if self.app.test_ui.prompt == TestPrompt::CaFile {
            // Refused (no such file, not a certificate): say why, ask again.
            if let Some(e) = self.app.form.error(Field::CaFile) {
                self.console.line(t(self.app.lang, e.i18n_key()));
            }
        }
        true
    }

    /// The choices once the diagnosis was said.
    fn diagnosis_menu(&mut self) -> bool {
        let lang = self.app.lang;
        let item = |k: &str| t(lang, k).to_string();
        let answered = self.menu(vec![
            // The Test step's own rule picks the setting (the first failure).
            (
                item("plain.trouble.fix"),
                vec![KeyCode::Esc, KeyCode::Char('f')],
            ),
            (item("plain.trouble.bundle"), press('b')),
            (
                item("plain.menu.retry"),
                vec![KeyCode::Esc, KeyCode::Char('r')],
            ),
            (item("plain.trouble.rediagnose"), press('r')),
            (item("plain.trouble.close"), vec![KeyCode::Esc]),
        ]);
        if diagnosing(self.app) {
            self.console.line(t(lang, "plain.trouble.diagnosing"));
        }
        answered
    }
}

/// Esc on the Test step: back to the settings while setting up, back to
/// the list for a saved account being checked.
fn back_key(app: &App) -> &'static str {
    if app.flow == crate::tui::Flow::Existing {
        "plain_accounts.back"
    } else {
        "plain.menu.back"
    }
}

/// The certificates a failed test offers to trust: names, issuer, dates
/// and SHA-256, once per certificate.
fn certificates(app: &App, c: &mut Console) {
    let lang = app.lang;
    let mut shown: Vec<String> = Vec::new();
    for (side, run) in [(Side::Incoming, &app.incoming), (Side::Smtp, &app.smtp)] {
        if !untrusted_certs(app).iter().any(|(s, _)| *s == side) {
            continue;
        }
        let Some(cert) = run.report.as_ref().and_then(|r| r.cert.as_ref()) else {
            continue;
        };
        if shown.contains(&cert.sha256) {
            continue;
        }
        shown.push(cert.sha256.clone());
        let names = outside(&if cert.sans.is_empty() {
            cert.subject.clone()
        } else {
            cert.sans.join(", ")
        });
        let day = |d: &str| d.chars().take(10).collect::<String>();
        let (from, to) = (day(&cert.not_before), day(&cert.not_after));
        let issuer = outside(&cert.issuer);
        let args = [
            ("names", names.as_str()),
            ("issuer", issuer.as_str()),
            ("from", from.as_str()),
            ("to", to.as_str()),
        ];
        c.line(&tf(lang, "tui_test.cert.names", &args));
        c.line(&tf(lang, "tui_test.cert.issuer", &args));
        let sha = crate::account::display_fingerprint(&cert.sha256);
        c.line(&tf(lang, "tui_test.cert.sha256", &[("sha256", &sha)]));
    }
}

/// The doctor is running.
fn diagnosing(app: &App) -> bool {
    app.troubleshoot.as_ref().and_then(|ts| ts.id).is_some()
}

/// The doctor's run ended: its findings, worst first, each with its fix,
/// then what each server said.
pub(super) fn diagnosis(app: &App, c: &mut Console) {
    let lang = app.lang;
    let Some(ts) = app.troubleshoot.as_ref() else {
        return;
    };
    let mut problems: Vec<_> = ts
        .findings
        .iter()
        .filter(|f| f.severity != Severity::Ok)
        .collect();
    problems.sort_by_key(|f| f.severity);
    let count = problems.len().to_string();
    c.line(&tf(lang, "plain.trouble.findings", &[("count", &count)]));
    for (i, f) in problems.iter().enumerate() {
        let n = (i + 1).to_string();
        c.line(&tf(
            lang,
            "plain.finding",
            &[
                ("n", &n),
                ("title", &f.title),
                ("explanation", &f.explanation),
                ("fix", &f.fix),
            ],
        ));
    }
    if let Some(note) = &ts.password_note {
        c.line(&crate::net::clean_text(note.as_bytes()));
    }
    if let Some(report) = &ts.report {
        c.line(t(lang, "plain.trouble.servers"));
        server(app, c, &report.incoming);
        server(app, c, &report.smtp);
    }
}

/// Text from a server, cleaned and bounded.
fn outside(text: &str) -> String {
    let clean = crate::net::clean_text(text.as_bytes());
    clean.chars().take(MAX_SERVER_TEXT).collect()
}

fn server(app: &App, c: &mut Console, p: &ServerProbe) {
    let lang = app.lang;
    let side = match p.server {
        Side::Incoming => super::say::side_name(app, Side::Incoming),
        Side::Smtp => "SMTP".to_string(),
    };
    let address = format!("{}:{}", outside(&p.host), p.port);
    let args = |extra: (&'static str, String)| {
        vec![("side", side.clone()), ("server", address.clone()), extra]
    };
    let say = |c: &mut Console, key: &str, a: Vec<(&str, String)>| {
        let refs: Vec<(&str, &str)> = a.iter().map(|(k, v)| (*k, v.as_str())).collect();
        c.line(&tf(lang, key, &refs));
    };
    match &p.greeting {
        Some(g) => say(c, "plain.trouble.greeting", args(("text", outside(g)))),
        None => say(
            c,
            "plain.trouble.no_greeting",
            args(("text", String::new())),
        ),
    }
    let mut refused = false;
    for login in [&p.login, &p.other_login].into_iter().flatten() {
        let user = ("user", outside(&login.user));
        let mut a = args(user);
        if login.ok {
            say(c, "plain.trouble.login_ok", a);
        } else {
            let e = login.error.as_ref().map(|e| e.localized(lang));
            a.push(("error", outside(&e.unwrap_or_default())));
            refused = true;
            say(c, "plain.trouble.login_refused", a);
        }
    }
    // A refused login is already said with its user.
    if let Some(e) = p.error.as_ref().filter(|_| !refused) {
        say(
            c,
            "plain.trouble.error",
            args(("error", outside(&e.localized(lang)))),
        );
    }
}

/// Where the ticket file was written, or why not.
pub(super) fn bundle_saved(app: &App, c: &mut Console) {
    let lang = app.lang;
    match app.troubleshoot.as_ref().and_then(|ts| ts.bundle.as_ref()) {
        Some(Saved::Done(path)) => {
            let p = path.display().to_string();
            c.line(&tf(lang, "plain.trouble.bundle_saved", &[("path", &p)]));
        }
        Some(Saved::Failed { path, detail }) => {
            let p = path.display().to_string();
            let d = outside(detail);
            c.line(&tf(
                lang,
                "plain.trouble.bundle_failed",
                &[("path", &p), ("error", &d)],
            ));
        }
        _ => {}
    }
}
