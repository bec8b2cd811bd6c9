//! `mailwiz doctor`: every layer of both servers probed at once, then the
//! findings, worst first, and what each server said.

use super::credentials::{both_secrets, load};
use super::output::{self, line};
use super::{Ctx, EXIT_FAILED, EXIT_OK, EXIT_USAGE};
use crate::check::Side;
use crate::doctor::bundle::{self, Bundle, ServerSnapshot};
use crate::doctor::{self, DoctorOptions, Finding, Passwords, Severity};
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
    #[command(flatten)]
    pub family: super::args::FamilyArgs,
    /// Also write a ticket file (JSON, no secrets) a helpdesk can replay in its language
    #[arg(long, value_name = "FILE")]
    pub bundle: Option<PathBuf>,
    /// Show a ticket file written with --bundle, in this mailwiz's language (--lang)
    #[arg(long, value_name = "FILE", conflicts_with_all = ["name", "rcpt", "transcript", "bundle"])]
    pub replay: Option<PathBuf>,
}

pub(super) fn doctor(ctx: &Ctx, a: DoctorArgs) -> i32 {
    let lang = ctx.lang;
    if let Some(path) = &a.replay {
        return super::doctor_replay::replay(lang, path, a.json);
    }
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
    let acct = match load(ctx, a.name.as_deref()) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let acct = &acct;
    // Without a secret the doctor still probes every layer up to the login.
    let secrets = both_secrets(ctx, acct);
    if !a.json {
        line(&tf(lang, "doctor.cli.start", &[("name", &acct.name)]));
    }
    let opts = DoctorOptions {
        timeout: Duration::from_secs_f64(a.timeout),
        rcpt: a.rcpt.clone(),
        probe_ports: true,
        smtp_ports: ctx.env.doctor_smtp_ports(),
        cancel: None,
    };
    let pw = Passwords {
        incoming: secrets.incoming.as_ref(),
        smtp: secrets.smtp.as_ref(),
    };
    let report = doctor::run(acct, pw, &opts);
    let provider = acct
        .provider
        .as_deref()
        .and_then(providers::by_id)
        .or_else(|| providers::for_email(&acct.email));
    let ticket = Bundle::new(acct, &report, provider, lang);
    let mut found: Vec<Finding> = ticket.findings.iter().map(|f| f.localized(lang)).collect();
    // Issue 15 §3: why the last OAuth2 sign-in or refresh was refused.
    found.splice(0..0, doctor::oauth_sign_in_finding(acct, lang));
    let transcript_written = a
        .transcript
        .as_ref()
        .map(|path| write_transcript(lang, path, &report.transcript.render()));
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
        print_text(lang, &ticket, &found);
        if let (Some(path), Some(true)) = (&a.transcript, transcript_written) {
            let p = path.display().to_string();
            line(&tf(lang, "doctor.cli.transcript", &[("path", &p)]));
        }
    }
    if let Some(path) = &a.bundle {
        save_bundle(lang, &ticket, path, a.json);
    }
    if transcript_written == Some(false) {
        return EXIT_FAILED;
    }
    exit_code(&found)
}

/// Writes the transcript; false (and why, in `lang`) when it could not.
fn write_transcript(lang: Lang, path: &std::path::Path, text: &str) -> bool {
    let Err(e) = std::fs::write(path, text) else {
        return true;
    };
    let p = path.display().to_string();
    output::error(&tf(
        lang,
        "doctor.cli.transcript_error",
        &[
            ("path", &p),
            ("detail", &crate::net::IoCause::of(&e).localized(lang)),
        ],
    ));
    false
}

/// 1 when a finding is an error; warnings (`ipv6_broken`) are listed but
/// mail works, so they do not fail the command.
pub(super) fn exit_code(found: &[Finding]) -> i32 {
    if found.iter().all(|f| f.severity != Severity::Error) {
        EXIT_OK
    } else {
        EXIT_FAILED
    }
}

fn save_bundle(lang: Lang, ticket: &Bundle, path: &std::path::Path, json: bool) {
    let p = path.display().to_string();
    match bundle::write(ticket, path) {
        Ok(()) if json => {}
        Ok(()) => line(&tf(lang, "bundle.written", &[("path", &p)])),
        Err(e) => {
            let mut args: Vec<(&str, String)> = e.i18n_args();
            args.push(("path", p.clone()));
            let refs: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
            output::error(&tf(lang, e.i18n_key(), &refs));
        }
    }
}

/// The findings, then what each server showed: the live doctor and a
/// replayed ticket print through here, so both read the same.
pub(super) fn print_text(lang: Lang, ticket: &Bundle, found: &[Finding]) {
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
    for p in &ticket.servers {
        print_server(lang, p);
    }
    if !ticket.smtp_ports.is_empty() {
        let list: Vec<String> = ticket
            .smtp_ports
            .iter()
            .map(|x| format!("{} {}", x.port, t(lang, x.outcome.i18n_key())))
            .collect();
        let list = list.join(", ");
        let host = ticket
            .servers
            .iter()
            .find(|s| s.server == Side::Smtp)
            .map_or("", |s| s.host.as_str());
        line(&format!(
            "  {}",
            tf(lang, "doctor.cli.ports", &[("host", host), ("list", &list)])
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
}

fn print_server(lang: Lang, p: &ServerSnapshot) {
    let state = t(
        lang,
        if p.works {
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
            &[("side", &p.protocol), ("server", &server), ("state", state)]
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
    if let Some(c) = &p.certificate {
        line(&format!("    {}", c.summary.render(lang)));
    }
    for f in &p.families {
        let words = doctor::family_words(std::slice::from_ref(f));
        line(&format!("    {}", words.render(lang)));
    }
    for l in &p.logins {
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
