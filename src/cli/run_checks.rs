//! `check` and `send-test`: the core's network work, printed live.

use super::args::{CheckArgs, SendTestArgs};
use super::credentials::{load, password, retry_token};
use super::output::{self, line};
use super::{Ctx, EXIT_FAILED, EXIT_OK, EXIT_USAGE};
use crate::account::{Account, AuthMethod, Role};
use crate::check::{self, CheckOptions, Progress, ServerReport, Side, StepRecord};
use crate::i18n::{Lang, t, tf};
use crate::send;
use std::time::Duration;

fn timeout(ctx: &Ctx, secs: f64) -> Result<Duration, i32> {
    if secs.is_finite() && secs > 0.0 && secs <= 3600.0 {
        Ok(Duration::from_secs_f64(secs))
    } else {
        output::error(&tf(
            ctx.lang,
            "cli.error.timeout",
            &[("value", &secs.to_string())],
        ));
        Err(EXIT_USAGE)
    }
}

fn auth_failed(e: Option<&crate::net::NetError>) -> bool {
    matches!(e, Some(crate::net::NetError::AuthFailed { .. }))
}

fn side_label(acct: &Account, side: Side) -> String {
    match side {
        Side::Incoming => acct.incoming.protocol.as_str().to_uppercase(),
        Side::Smtp => "SMTP".to_string(),
    }
}

fn print_step(lang: Lang, label: &str, step: &StepRecord) {
    let phase = t(lang, step.phase.i18n_key());
    let ms = step.ms.to_string();
    let text = if step.detail.is_empty() {
        tf(
            lang,
            "cli.step",
            &[("server", label), ("phase", phase), ("ms", &ms)],
        )
    } else {
        tf(
            lang,
            "cli.step_detail",
            &[
                ("server", label),
                ("phase", phase),
                ("detail", &step.detail.localized(lang)),
                ("ms", &ms),
            ],
        )
    };
    output::status(step.ok, &text);
}

/// A live progress printer for text mode (silent for --json).
fn printer(lang: Lang, acct: &Account, json: bool) -> impl Fn(Progress) + Sync + '_ {
    move |p| {
        if let (false, Progress::Finished { side, step }) = (json, p) {
            print_step(lang, &side_label(acct, side), &step);
        }
    }
}

fn summarize(lang: Lang, label: &str, report: &ServerReport) {
    match &report.error {
        None if report.ok => line(&tf(lang, "cli.check.ok", &[("server", label)])),
        Some(e) => line(&tf(
            lang,
            "cli.check.failed",
            &[("server", label), ("reason", &e.localized(lang))],
        )),
        None => line(&tf(
            lang,
            "cli.check.failed",
            &[("server", label), ("reason", "?")],
        )),
    }
}

pub(super) fn check(ctx: &Ctx, a: CheckArgs) -> i32 {
    run_check(ctx, a).unwrap_or_else(|code| code)
}

fn run_check(ctx: &Ctx, a: CheckArgs) -> Result<i32, i32> {
    let deadline = timeout(ctx, a.timeout)?;
    let (acct, settings) = &load(ctx, a.name.as_deref())?;
    let in_pw = password(ctx, acct, settings, Role::Incoming)?;
    let smtp_pw = if acct.incoming.auth == AuthMethod::Oauth2 {
        acct.smtp.auth_required.then(|| in_pw.clone()).flatten()
    } else {
        password(ctx, acct, settings, Role::Smtp)?
    };
    if !a.json {
        line(&tf(ctx.lang, "cli.check.start", &[("name", &acct.name)]));
    }
    let opts = CheckOptions {
        timeout: deadline,
        cancel: None,
    };
    let progress = printer(ctx.lang, acct, a.json);
    let mut report = check::check_account(acct, in_pw.as_ref(), smtp_pw.as_ref(), &opts, &progress);
    if (auth_failed(report.incoming.error.as_ref()) || auth_failed(report.smtp.error.as_ref()))
        && let Some(token) = retry_token(ctx, acct, settings)?
    {
        if !a.json {
            line(t(ctx.lang, "oauth.check.retry"));
        }
        let smtp_token = acct.smtp.auth_required.then_some(&token);
        report = check::check_account(acct, Some(&token), smtp_token, &opts, &progress);
    }
    if a.json {
        output::json(&report);
    } else {
        summarize(
            ctx.lang,
            &side_label(acct, Side::Incoming),
            &report.incoming,
        );
        summarize(ctx.lang, &side_label(acct, Side::Smtp), &report.smtp);
    }
    Ok(if report.incoming.ok && report.smtp.ok {
        EXIT_OK
    } else {
        EXIT_FAILED
    })
}

pub(super) fn send_test(ctx: &Ctx, a: SendTestArgs) -> i32 {
    run_send_test(ctx, a).unwrap_or_else(|code| code)
}

fn run_send_test(ctx: &Ctx, a: SendTestArgs) -> Result<i32, i32> {
    let lang = ctx.lang;
    let deadline = timeout(ctx, a.timeout)?;
    if let Some(to) = &a.to
        && let Err(e) = crate::account::validate_email(to)
    {
        output::error(&format!("--to: {}", t(lang, e.i18n_key())));
        return Err(EXIT_USAGE);
    }
    let (acct, settings) = &load(ctx, a.name.as_deref())?;
    let smtp_pw = password(ctx, acct, settings, Role::Smtp)?;
    let mut in_pw = if !a.verify {
        None
    } else if acct.incoming.auth == AuthMethod::Oauth2 && smtp_pw.is_some() {
        smtp_pw.clone()
    } else {
        password(ctx, acct, settings, Role::Incoming)?
    };
    let msg = send::new_test_message(acct, a.to.as_deref());
    if !a.json {
        line(&tf(
            lang,
            "cli.send.start",
            &[("to", &msg.to), ("subject", &msg.subject)],
        ));
    }
    let opts = CheckOptions {
        timeout: deadline,
        cancel: None,
    };
    let progress = printer(lang, acct, a.json);
    let mut report = send::send_test(acct, &msg, smtp_pw.as_ref(), &opts, &progress);
    if auth_failed(report.error.as_ref())
        && let Some(token) = retry_token(ctx, acct, settings)?
    {
        if !a.json {
            line(t(lang, "oauth.check.retry"));
        }
        report = send::send_test(acct, &msg, Some(&token), &opts, &progress);
        if a.verify {
            in_pw = Some(token);
        }
    }
    if !a.json {
        match (&report.reply, &report.error) {
            (_, Some(e)) => line(&tf(
                lang,
                "cli.send.failed",
                &[("reason", &e.localized(lang))],
            )),
            (Some(r), None) => line(&tf(lang, "cli.send.sent", &[("reply", &reply_line(r))])),
            (None, None) => {}
        }
    }
    let verify = (a.verify && report.ok).then(|| {
        if !a.json {
            line(&tf(lang, "cli.verify.start", &[("mailbox", &acct.email)]));
            if !msg.to.eq_ignore_ascii_case(&acct.email) {
                line(&tf(lang, "cli.verify.other_recipient", &[("to", &msg.to)]));
            }
        }
        send::verify_arrival(acct, &msg.id, in_pw.as_ref(), deadline, None)
    });
    if let (false, Some(v)) = (a.json, &verify) {
        let ms = v.elapsed_ms.to_string();
        match (&v.error, v.found) {
            (_, true) => line(&tf(lang, "cli.verify.found", &[("ms", &ms)])),
            (Some(e), false) => line(&tf(
                lang,
                "cli.verify.error",
                &[("reason", &e.localized(lang))],
            )),
            (None, false) => line(&tf(lang, "cli.verify.not_found", &[("ms", &ms)])),
        }
    }
    if a.json {
        output::json(&serde_json::json!({ "send": report, "verify": verify }));
    }
    let ok = report.ok && verify.as_ref().is_none_or(|v| v.found);
    Ok(if ok { EXIT_OK } else { EXIT_FAILED })
}

fn reply_line(r: &crate::net::Reply) -> String {
    let mut s = String::new();
    if let Some(c) = r.code {
        s.push_str(&c.to_string());
        s.push(' ');
    }
    if let Some(e) = r.enhanced.as_deref().filter(|e| !r.text.starts_with(e)) {
        s.push_str(e);
        s.push(' ');
    }
    s.push_str(&r.text);
    s
}
