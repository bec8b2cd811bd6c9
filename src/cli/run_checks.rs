//! `check` and `send-test`: the core's use cases (`service::check_account`,
//! `service::send_test`, `service::verify_arrival`), printed live.

use super::args::{CheckArgs, SendTestArgs};
use super::credentials::{load, report as report_credential};
use super::output::{self, line};
use super::{Ctx, EXIT_FAILED, EXIT_OK, EXIT_USAGE};
use crate::account::Account;
use crate::check::{CheckOptions, Progress, ServerReport, Side, StepRecord};
use crate::credentials::Secrets;
use crate::i18n::{Lang, t, tf};
use crate::secret::Secret;
use crate::send::{self, VerifyReport};
use crate::service::{self, Hooks};
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

/// The use cases' hooks for text mode: each step printed as it ends, and
/// a line when a refused token is retried (silent for --json).
fn print_retry(lang: Lang, json: bool) -> impl Fn() + Sync {
    move || {
        if !json {
            line(t(lang, "oauth.check.retry"));
        }
    }
}

pub(super) fn check(ctx: &Ctx, a: CheckArgs) -> i32 {
    run_check(ctx, a).unwrap_or_else(|code| code)
}

fn run_check(ctx: &Ctx, a: CheckArgs) -> Result<i32, i32> {
    let deadline = timeout(ctx, a.timeout)?;
    let acct = &load(ctx, a.name.as_deref())?;
    if !a.json {
        line(&tf(ctx.lang, "cli.check.start", &[("name", &acct.name)]));
    }
    let opts = CheckOptions {
        timeout: deadline,
        cancel: None,
    };
    let (progress, retrying) = (
        printer(ctx.lang, acct, a.json),
        print_retry(ctx.lang, a.json),
    );
    let hooks = Hooks {
        progress: &progress,
        retrying: &retrying,
    };
    let report = service::check_account(acct, Secrets::default(), &opts, &hooks)
        .map_err(|e| report_credential(ctx, &acct.name, &e))?;
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
    Ok(if report.ok() { EXIT_OK } else { EXIT_FAILED })
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
    let acct = &load(ctx, a.name.as_deref())?;
    let opts = CheckOptions {
        timeout: deadline,
        cancel: None,
    };
    let (progress, retrying) = (printer(lang, acct, a.json), print_retry(lang, a.json));
    let hooks = Hooks {
        progress: &progress,
        retrying: &retrying,
    };
    let msg = send::new_test_message(acct, a.to.as_deref());
    if !a.json {
        line(&tf(
            lang,
            "cli.send.start",
            &[("to", &msg.to), ("subject", &msg.subject)],
        ));
    }
    let sent = service::send_test(acct, &msg, Secrets::default(), a.verify, &opts, &hooks)
        .map_err(|e| report_credential(ctx, &acct.name, &e))?;
    let report = &sent.report;
    if !a.json {
        print_sent(lang, report);
    }
    let verify = if a.verify && report.ok {
        Some(verify(ctx, acct, &msg, sent.incoming, deadline, a.json)?)
    } else {
        None
    };
    if a.json {
        output::json(&serde_json::json!({ "send": report, "verify": verify }));
    }
    let ok = report.ok && verify.as_ref().is_none_or(|v| v.found);
    Ok(if ok { EXIT_OK } else { EXIT_FAILED })
}

fn print_sent(lang: Lang, report: &send::SendReport) {
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

/// The arrival check, printed as it starts and ends (silent for --json).
fn verify(
    ctx: &Ctx,
    acct: &Account,
    msg: &send::TestMessage,
    incoming: Option<Secret>,
    deadline: Duration,
    json: bool,
) -> Result<VerifyReport, i32> {
    let lang = ctx.lang;
    if !json {
        line(&tf(lang, "cli.verify.start", &[("mailbox", &acct.email)]));
        if !msg.to.eq_ignore_ascii_case(&acct.email) {
            line(&tf(lang, "cli.verify.other_recipient", &[("to", &msg.to)]));
        }
    }
    let v = service::verify_arrival(acct, &msg.id, incoming, deadline, None)
        .map_err(|e| report_credential(ctx, &acct.name, &e))?;
    if !json {
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
    Ok(v)
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
