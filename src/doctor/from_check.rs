//! The same findings for a plain check (the wizard's Test step) and a test
//! message (its Send step): their reports are read as doctor probes, so a
//! failure is explained with the doctor's texts instead of a second table
//! of advice.

use super::{Context, DoctorReport, LoginTrial, ServerProbe, findings_in};
use crate::account::{Account, Protocol};
use crate::check::{ServerReport, Side};
use crate::i18n::Lang;
use crate::net::{NetError, Phase, Transcript, Wire};
use crate::providers::Provider;
use crate::send::SendReport;

/// The findings for the servers whose check ended in a failure (a missing,
/// passing or cancelled check gives none), worst first, followed by the
/// warnings about servers that work (an SMTP server offering a login the
/// account does not use).
pub fn findings_from_check(
    account: &Account,
    incoming: Option<&ServerReport>,
    smtp: Option<&ServerReport>,
    provider: Option<&Provider>,
    ctx: &Context,
    lang: Lang,
) -> Vec<super::Finding> {
    let report = DoctorReport {
        incoming: probe(
            incoming_probe(account),
            incoming,
            &account.incoming.username,
        ),
        smtp: probe(smtp_probe(account), smtp, &account.smtp.username),
        smtp_ports: Vec::new(),
        elapsed_ms: 0,
        transcript: Transcript::new(),
    };
    let failed = |side: Side| {
        let r = match side {
            Side::Incoming => incoming,
            Side::Smtp => smtp,
        };
        r.is_some_and(|r| !r.ok && r.error.as_ref().is_some_and(|e| *e != NetError::Cancelled))
    };
    findings_in(&report, provider, ctx, lang)
        .into_iter()
        .filter(|f| failed(f.server) || f.severity == super::Severity::Warning)
        .collect()
}

/// The findings for a test message that the SMTP server refused: the same
/// as the Test step's and the diagnosis's for the same reply (a 530 at
/// MAIL FROM, a sending limit at RCPT TO…). Empty when it was sent.
pub fn findings_from_send(
    account: &Account,
    sent: &SendReport,
    provider: Option<&Provider>,
    ctx: &Context,
    lang: Lang,
) -> Vec<super::Finding> {
    let Some(error) = sent.error.clone().filter(|_| !sent.ok) else {
        return Vec::new();
    };
    // A refusal of the envelope comes after the login, when there was one.
    let envelope = matches!(
        &error,
        NetError::Rejected {
            phase: Phase::Mail | Phase::Rcpt | Phase::Data,
            ..
        }
    );
    let smtp = ServerReport {
        ok: false,
        steps: sent.steps.clone(),
        error: Some(error),
        capabilities: Vec::new(),
        cert: None,
    };
    let mut p = probe(smtp_probe(account), Some(&smtp), &account.smtp.username);
    if envelope && account.smtp.auth_required {
        p.login_needed = true;
        p.login = Some(LoginTrial {
            user: account.smtp.username.clone(),
            ok: true,
            error: None,
        });
    }
    let report = DoctorReport {
        incoming: incoming_probe(account),
        smtp: p,
        smtp_ports: Vec::new(),
        elapsed_ms: 0,
        transcript: Transcript::new(),
    };
    findings_in(&report, provider, ctx, lang)
        .into_iter()
        .filter(|f| f.server == Side::Smtp && f.severity != super::Severity::Ok)
        .collect()
}

fn incoming_probe(account: &Account) -> ServerProbe {
    let wire = match account.incoming.protocol {
        Protocol::Imap => Wire::Imap,
        Protocol::Pop3 => Wire::Pop3,
    };
    ServerProbe::new(
        Side::Incoming,
        &account.incoming.host,
        account.incoming.port,
        account.incoming.security,
        wire,
    )
}

fn smtp_probe(account: &Account) -> ServerProbe {
    ServerProbe::new(
        Side::Smtp,
        &account.smtp.host,
        account.smtp.port,
        account.smtp.security,
        Wire::Smtp,
    )
}

fn probe(mut p: ServerProbe, report: Option<&ServerReport>, user: &str) -> ServerProbe {
    let Some(r) = report else {
        return p;
    };
    p.capabilities = r.capabilities.clone();
    p.cert = r.cert.clone();
    p.ms = r.steps.iter().map(|s| s.ms).sum();
    if let Some(e) = &r.error {
        let login = matches!(
            e,
            NetError::AuthFailed { .. }
                | NetError::Rejected {
                    phase: Phase::Login,
                    ..
                }
        );
        if login {
            p.login_needed = true;
            p.login = Some(LoginTrial {
                user: user.to_string(),
                ok: false,
                error: Some(e.clone()),
            });
        }
        p.fail(e.clone());
    }
    p
}
