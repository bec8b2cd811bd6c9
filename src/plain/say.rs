//! What changed, in words: one line per event, steps announced, findings
//! as numbered sentences with their fix.

use super::io::Console;
use crate::account::{Protocol, Security};
use crate::check::{Progress, ServerReport, Side};
use crate::i18n::{t, tf};
use crate::tui::{App, Field, Msg, Purpose, SaveState, Step};

pub(super) fn intro(app: &App, c: &mut Console) {
    c.line(t(app.lang, "plain.intro"));
    let n = app.accounts().len().to_string();
    c.line(&tf(app.lang, "plain.accounts", &[("count", &n)]));
}

pub(super) fn step(app: &App, c: &mut Console) {
    let n = (app.step.index() + 1).to_string();
    let total = Step::ALL.len().to_string();
    c.line("");
    c.line(&tf(
        app.lang,
        "plain.step",
        &[
            ("n", &n),
            ("total", &total),
            ("title", t(app.lang, &title_key(app))),
        ],
    ));
}

/// The password step of an OAuth2 account is the Sign-in step.
fn title_key(app: &App) -> String {
    if app.step == Step::Password && crate::tui::is_oauth(app) {
        "tui.signin.title".to_string()
    } else {
        app.step.title_key()
    }
}

pub(super) fn help(app: &App, c: &mut Console) {
    c.line(t(app.lang, &app.step.help_key()));
}

pub(super) fn input_ended(app: &App, c: &mut Console) {
    c.line("");
    c.line(t(app.lang, "plain.input_ended"));
    if !matches!(app.save, SaveState::Saved) {
        c.line(t(app.lang, "plain.not_saved"));
    }
}

/// The end: 0 when the account was saved.
pub(super) fn goodbye(app: &App, c: &mut Console) -> i32 {
    if matches!(app.save, SaveState::Saved) {
        crate::cli::EXIT_OK
    } else {
        c.line(t(app.lang, "plain.not_saved"));
        crate::cli::EXIT_FAILED
    }
}

pub(super) fn field_errors(app: &App, c: &mut Console) {
    for f in app.fields() {
        if let Some(e) = app.form.error(f) {
            c.line(&tf(
                app.lang,
                "plain.field_error",
                &[
                    ("label", t(app.lang, f.label_key())),
                    ("error", t(app.lang, e.i18n_key())),
                ],
            ));
        }
    }
    if app.step == Step::Password && app.show_errors && app.form.password.is_empty() {
        c.line(t(app.lang, "plain.password_needed"));
    }
}

pub(super) fn check_value(app: &App, field: Field) -> bool {
    let f = &app.form;
    match field {
        Field::KeepCopy => f.keep_copy,
        Field::AuthRequired => f.auth_required,
        Field::SameLogin => f.same_login,
        _ => false,
    }
}

fn security(app: &App, s: Security) -> &'static str {
    t(
        app.lang,
        match s {
            Security::Tls => "security.tls",
            Security::Starttls => "security.starttls",
            Security::None => "security.none",
        },
    )
}

fn protocol(app: &App, p: Protocol) -> &'static str {
    t(
        app.lang,
        match p {
            Protocol::Imap => "tui.protocol.imap_name",
            Protocol::Pop3 => "tui.protocol.pop_name",
        },
    )
}

pub(super) fn choice_value(app: &App, field: Field) -> String {
    let f = &app.form;
    match field {
        Field::Protocol => protocol(app, f.protocol).to_string(),
        Field::InSecurity => security(app, f.in_security).to_string(),
        Field::OutSecurity => security(app, f.out_security).to_string(),
        Field::Variant => f
            .provider()
            .and_then(|p| p.variants.get(f.variant))
            .map(|v| v.label(app.lang).unwrap_or(&v.id).to_string())
            .unwrap_or_default(),
        Field::AuthMethod => t(
            app.lang,
            match f.auth_method() {
                crate::account::AuthMethod::Oauth2 => "tui.signin.method_oauth2",
                _ => "tui.signin.method_password",
            },
        )
        .to_string(),
        _ => String::new(),
    }
}

/// The settings the wizard proposes, before the user keeps or edits them.
pub(super) fn settings(app: &App, c: &mut Console) {
    let a = app.form.account();
    let server =
        |host: &str, port: u16, s: Security| format!("{host}:{port} ({})", security(app, s));
    c.line(&tf(
        app.lang,
        "plain.settings.incoming",
        &[
            ("protocol", protocol(app, a.incoming.protocol)),
            (
                "server",
                &server(&a.incoming.host, a.incoming.port, a.incoming.security),
            ),
            ("user", &a.incoming.username),
        ],
    ));
    c.line(&tf(
        app.lang,
        "plain.settings.smtp",
        &[(
            "server",
            &server(&a.smtp.host, a.smtp.port, a.smtp.security),
        )],
    ));
}

pub(super) fn side_name(app: &App, side: Side) -> String {
    match side {
        Side::Incoming => protocol(app, app.form.protocol).to_string(),
        Side::Smtp => "SMTP".to_string(),
    }
}

fn side_server(app: &App, side: Side) -> String {
    let a = app.form.account();
    match side {
        Side::Incoming => format!("{}:{}", a.incoming.host, a.incoming.port),
        Side::Smtp => format!("{}:{}", a.smtp.host, a.smtp.port),
    }
}

/// A result, said before `update()` takes it (the request ids still tell
/// which side it is for).
pub(super) fn event(app: &App, c: &mut Console, msg: &Msg) {
    let lang = app.lang;
    match msg {
        Msg::Progress {
            progress: Progress::Finished { side, step },
            ..
        } => progress(app, c, *side, step),
        Msg::Checked { id, report } => {
            if let Some(&Purpose::Check(side)) = purpose(app, *id) {
                checked(app, c, side, report);
            }
        }
        Msg::Sent { report, .. } => sent(app, c, report),
        Msg::Arrived { report, .. } => {
            let ms = report.elapsed_ms.to_string();
            let key = if report.found {
                "plain.send.arrived"
            } else {
                "plain.send.not_arrived"
            };
            c.line(&tf(lang, key, &[("ms", &ms)]));
        }
        Msg::KeyringProbed { result: Err(e), .. } => {
            c.line(&tf(
                lang,
                "plain.keyring_failed",
                &[("error", &e.localized(lang))],
            ));
        }
        // A removal asked for on the list: said by the list (its notice).
        Msg::ConfigWritten { id, .. } if purpose(app, *id) == Some(&Purpose::Remove) => {}
        Msg::ConfigWritten { result: Ok(_), .. } => c.line(&saved(app)),
        Msg::ConfigWritten { result: Err(e), .. } => {
            c.line(&tf(
                lang,
                "plain.save_failed",
                &[("error", &e.localized(lang))],
            ));
        }
        Msg::Discovered { .. } => c.line(t(lang, "plain.discovered")),
        _ => {}
    }
}

/// One step of a server test, ended.
fn progress(app: &App, c: &mut Console, side: Side, step: &crate::check::StepRecord) {
    let lang = app.lang;
    let args = [
        ("side", side_name(app, side)),
        ("phase", step.phase.localized(lang).to_string()),
        ("server", side_server(app, side)),
        ("ms", step.ms.to_string()),
    ];
    let refs: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let key = if step.ok {
        "plain.progress.done"
    } else {
        "plain.progress.failed"
    };
    c.line(&tf(lang, key, &refs));
}

/// The test message: sent with the server's reply, or why not.
fn sent(app: &App, c: &mut Console, report: &crate::send::SendReport) {
    let lang = app.lang;
    if report.ok {
        let reply = report
            .reply
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default();
        c.line(&tf(
            lang,
            "plain.send.sent",
            &[("to", &report.to), ("reply", &reply)],
        ));
    } else {
        let e = report
            .error
            .as_ref()
            .map(|e| e.localized(lang))
            .unwrap_or_default();
        c.line(&tf(lang, "plain.send.failed", &[("error", &e)]));
    }
}

/// The account was saved: where its secret is (never in the file).
fn saved(app: &App) -> String {
    let account = app.form.account();
    let key = if crate::tui::is_oauth(app) {
        "plain.saved_oauth"
    } else if account.secrets.password_command.is_some() {
        "plain_accounts.saved_command"
    } else if account.incoming.auth == crate::account::AuthMethod::None {
        "plain_accounts.saved_no_login"
    } else {
        "plain.saved"
    };
    tf(app.lang, key, &[("name", &account.name)])
}

/// Which of the incoming test, the SMTP test and the test message are
/// stopped (no secret, a dead task, a refused renewal of the sign-in).
pub(super) fn stopped_now(app: &App) -> [bool; 3] {
    [
        app.incoming.crashed.is_some(),
        app.smtp.crashed.is_some(),
        app.send.crashed.is_some(),
    ]
}

/// Says why each of them stopped since `before`, as the full screen shows
/// it under the side (a test that could not run has no report to say).
pub(super) fn newly_stopped(app: &App, c: &mut Console, before: [bool; 3]) {
    let sides = [
        (side_name(app, Side::Incoming), &app.incoming.crashed),
        (side_name(app, Side::Smtp), &app.smtp.crashed),
        (
            t(app.lang, "plain_accounts.test_message").to_string(),
            &app.send.crashed,
        ),
    ];
    for ((what, stopped), was) in sides.into_iter().zip(before) {
        if let (Some(why), false) = (stopped, was) {
            let reason = crate::tui::stopped_text(app, why);
            c.line(&tf(
                app.lang,
                "plain_accounts.stopped",
                &[("what", &what), ("reason", &reason)],
            ));
        }
    }
}

/// What the request `id` was for (the event is said before `update()`
/// ends it).
fn purpose(app: &App, id: u64) -> Option<&Purpose> {
    app.pending.get(&id)
}

/// One server's test: works, or the findings, numbered, each with its fix.
fn checked(app: &App, c: &mut Console, side: Side, report: &ServerReport) {
    let lang = app.lang;
    let name = side_name(app, side);
    if report.ok {
        c.line(&tf(lang, "plain.test.works", &[("side", &name)]));
        return;
    }
    c.line(&tf(lang, "plain.test.fails", &[("side", &name)]));
    let account = app.form.account();
    let provider = app
        .form
        .provider()
        .or_else(|| crate::providers::for_email(&account.email));
    let (inc, smtp) = match side {
        Side::Incoming => (Some(report), None),
        Side::Smtp => (None, Some(report)),
    };
    let found = crate::doctor::findings_from_check(
        &account,
        inc,
        smtp,
        provider,
        &crate::tui::test_context(app),
        lang,
    );
    let problems = found
        .iter()
        .filter(|f| f.severity != crate::doctor::Severity::Ok);
    for (i, f) in problems.enumerate() {
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use crate::tui::{AppOptions, Form};

    fn app_with(account: &crate::account::Account, lang: Lang) -> App {
        let options = AppOptions::new("/x/accounts.toml".into(), lang, Ok(Default::default()));
        let mut app = App::new(options);
        app.form = Form::from_account(account);
        app
    }

    #[test]
    fn the_save_says_where_the_password_really_is() {
        let mut a = crate::config::tests::sample();
        a.secrets.password_command = None;
        let keyring = saved(&app_with(&a, Lang::En));
        assert!(keyring.contains("in the system keyring"), "{keyring}");
        a.secrets.password_command = Some("pass show mail".into());
        let command = saved(&app_with(&a, Lang::En));
        assert!(command.contains("your password command"), "{command}");
        assert!(!command.contains("keyring"), "{command}");
        let fr = saved(&app_with(&a, Lang::Fr));
        assert!(fr.contains("votre commande de mot de passe"), "{fr}");
    }
}
