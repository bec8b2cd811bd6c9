//! `mailwiz doctor`: every layer of both servers probed at once, then the
//! findings, worst first, and what each server said.

use super::credentials::{load, password};
use super::output::{self, line};
use super::{Ctx, EXIT_FAILED, EXIT_OK, EXIT_USAGE};
use crate::account::{Role, display_fingerprint};
use crate::check::Side;
use crate::doctor::{self, DoctorOptions, DoctorReport, Finding, Passwords, ServerProbe, Severity};
use crate::i18n::{Lang, t, tf};
use crate::providers;
use std::path::PathBuf;
use std::time::Duration;

#[derive(clap::Args, Debug)]
pub struct DoctorArgs {
    pub name: Option<String>,
    #[arg(long)]
    pub json: bool,
    /// Also try MAIL FROM / RCPT TO with this recipient (nothing is sent)
    #[arg(long, value_name = "ADDR")]
    pub rcpt: Option<String>,
    /// Write every line exchanged (passwords removed) to this file
    #[arg(long, value_name = "FILE")]
    pub transcript: Option<PathBuf>,
    /// Bound for the whole run, in seconds
    #[arg(long, value_name = "SECS", default_value_t = 15.0)]
    pub timeout: f64,
}

pub(super) fn doctor(ctx: &Ctx, a: DoctorArgs) -> i32 {
    let lang = ctx.lang;
    if !(a.timeout.is_finite() && a.timeout > 0.0 && a.timeout <= 3600.0) {
        let value = a.timeout.to_string();
        output::error(&tf(lang, "cli.error.timeout", &[("value", &value)]));
        return EXIT_USAGE;
    }
    if let Some(rcpt) = &a.rcpt
        && let Err(e) = crate::account::validate_email(rcpt)
    {
        output::error(&tf(
            lang,
            "doctor.cli.bad_rcpt",
            &[("reason", t(lang, e.i18n_key()))],
        ));
        return EXIT_USAGE;
    }
    let (acct, settings) = match load(ctx, a.name.as_deref()) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let acct = &acct;
    // Without a secret the doctor still probes every layer up to the login.
    let in_pw = password(ctx, acct, &settings, Role::Incoming).unwrap_or(None);
    let smtp_pw = password(ctx, acct, &settings, Role::Smtp).unwrap_or(None);
    if !a.json {
        line(&tf(lang, "doctor.cli.start", &[("name", &acct.name)]));
    }
    let opts = DoctorOptions {
        timeout: Duration::from_secs_f64(a.timeout),
        rcpt: a.rcpt.clone(),
        probe_ports: true,
        cancel: None,
    };
    let pw = Passwords {
        incoming: in_pw.as_ref(),
        smtp: smtp_pw.as_ref(),
    };
    let report = doctor::run(acct, pw, &opts);
    let provider = acct
        .provider
        .as_deref()
        .and_then(providers::by_id)
        .or_else(|| providers::for_email(&acct.email));
    let mut found = doctor::findings(&report, provider, lang);
    // Issue 15 §3: why the last OAuth2 sign-in or refresh was refused.
    found.splice(0..0, doctor::oauth_sign_in_finding(acct, lang));
    if let Some(path) = &a.transcript
        && let Err(e) = std::fs::write(path, report.transcript.render())
    {
        let p = path.display().to_string();
        output::error(&tf(
            lang,
            "doctor.cli.transcript_error",
            &[("path", &p), ("detail", &e.to_string())],
        ));
    }
    if a.json {
        output::json(&serde_json::json!({
            "findings": found,
            "servers": {
                "incoming": report.incoming,
                "smtp": report.smtp,
                "smtp_ports": report.smtp_ports,
            },
            "elapsed_ms": report.elapsed_ms,
        }));
    } else {
        print_text(lang, &report, &found, a.transcript.as_ref());
    }
    if found.iter().all(|f| f.severity == Severity::Ok) {
        EXIT_OK
    } else {
        EXIT_FAILED
    }
}

fn print_text(lang: Lang, report: &DoctorReport, found: &[Finding], path: Option<&PathBuf>) {
    for f in found {
        output::status(
            f.severity == Severity::Ok,
            &format!("[{}] {}", f.code.as_str(), f.title),
        );
        if f.severity != Severity::Ok {
            line(&format!("      {}", f.explanation));
            line(&format!(
                "      {}",
                tf(lang, "doctor.cli.fix", &[("text", &f.fix)])
            ));
        }
        if !f.evidence.is_empty() {
            line(&format!(
                "      {}",
                tf(lang, "doctor.cli.evidence", &[("text", &f.evidence)])
            ));
        }
    }
    line("");
    line(t(lang, "doctor.cli.servers"));
    for p in [&report.incoming, &report.smtp] {
        print_server(lang, p);
    }
    if !report.smtp_ports.is_empty() {
        let list: Vec<String> = report
            .smtp_ports
            .iter()
            .map(|x| format!("{} {}", x.port, t(lang, x.outcome.i18n_key())))
            .collect();
        let list = list.join(", ");
        line(&format!(
            "  {}",
            tf(
                lang,
                "doctor.cli.ports",
                &[("host", &report.smtp.host), ("list", &list)]
            )
        ));
    }
    let problems = found.iter().filter(|f| f.severity != Severity::Ok).count();
    line("");
    if problems == 0 {
        line(t(lang, "doctor.cli.all_ok"));
    } else {
        line(&tf(
            lang,
            "doctor.cli.problems",
            &[("count", &problems.to_string())],
        ));
    }
    if let Some(path) = path {
        let p = path.display().to_string();
        line(&tf(lang, "doctor.cli.transcript", &[("path", &p)]));
    }
}

fn print_server(lang: Lang, p: &ServerProbe) {
    let side = match p.server {
        Side::Incoming => p.expected.name(),
        Side::Smtp => "SMTP",
    };
    let state = t(
        lang,
        if p.error.is_none() {
            "doctor.cli.works"
        } else {
            "doctor.cli.fails"
        },
    );
    let server = format!("{}:{} ({})", p.host, p.port, p.security);
    line(&format!(
        "  {}",
        tf(
            lang,
            "doctor.cli.server",
            &[("side", side), ("server", &server), ("state", state)]
        )
    ));
    if let Some(g) = &p.greeting {
        line(&format!(
            "    {}",
            tf(lang, "doctor.cli.greeting", &[("text", g)])
        ));
    }
    if !p.capabilities.is_empty() {
        let list = p.capabilities.join(", ");
        line(&format!(
            "    {}",
            tf(lang, "doctor.cli.capabilities", &[("list", &list)])
        ));
    }
    if let Some(c) = &p.cert {
        let names = c.sans.join(", ");
        let sha = display_fingerprint(&c.sha256);
        line(&format!(
            "    {}",
            tf(
                lang,
                "doctor.cli.certificate",
                &[
                    ("subject", &c.subject),
                    ("names", &names),
                    ("issuer", &c.issuer),
                    ("not_before", &c.not_before),
                    ("not_after", &c.not_after),
                    ("sha256", &sha),
                ],
            )
        ));
    }
    for l in [&p.login, &p.other_login].into_iter().flatten() {
        let state = t(
            lang,
            if l.ok {
                "doctor.cli.works"
            } else {
                "doctor.cli.fails"
            },
        );
        line(&format!(
            "    {}",
            tf(
                lang,
                "doctor.cli.login",
                &[("user", &l.user), ("state", state)]
            )
        ));
    }
}
