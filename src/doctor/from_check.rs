//! The same findings for a plain check (the wizard's Test step): its two
//! `ServerReport`s are read as doctor probes, so a failed test is explained
//! with the doctor's texts instead of a second table of advice.

use super::{DoctorReport, LoginTrial, ServerProbe, findings};
use crate::account::{Account, Protocol};
use crate::check::{ServerReport, Side};
use crate::i18n::Lang;
use crate::net::{NetError, Phase, Transcript, Wire};
use crate::providers::Provider;

/// The findings for the servers whose check ended in a failure (a missing,
/// passing or cancelled check gives none), worst first.
pub fn findings_from_check(
    account: &Account,
    incoming: Option<&ServerReport>,
    smtp: Option<&ServerReport>,
    provider: Option<&Provider>,
    lang: Lang,
) -> Vec<super::Finding> {
    let wire = match account.incoming.protocol {
        Protocol::Imap => Wire::Imap,
        Protocol::Pop3 => Wire::Pop3,
    };
    let report = DoctorReport {
        incoming: probe(
            ServerProbe::new(
                Side::Incoming,
                &account.incoming.host,
                account.incoming.port,
                account.incoming.security,
                wire,
            ),
            incoming,
            &account.incoming.username,
        ),
        smtp: probe(
            ServerProbe::new(
                Side::Smtp,
                &account.smtp.host,
                account.smtp.port,
                account.smtp.security,
                Wire::Smtp,
            ),
            smtp,
            &account.smtp.username,
        ),
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
    findings(&report, provider, lang)
        .into_iter()
        .filter(|f| failed(f.server))
        .collect()
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
