//! Reading a server's refusals: a blocked port, a login refused (with the
//! provider in mind), a sending limit, a refused sender or recipient. By
//! reply code, enhanced status code and typed error kind; a reply's text
//! only together with its code.

use super::evidence::Evidence;
use super::findings::{Code, Diag};
use super::{PortOutcome, PortProbe, ServerProbe};
use crate::check::Side;
use crate::net::{Phase, Reply};
use crate::providers::Provider;

/// The configured SMTP port does not answer but another usual one does.
pub(super) fn blocked(p: &ServerProbe, ports: &[PortProbe]) -> Option<Diag> {
    let open: Vec<String> = ports
        .iter()
        .filter(|x| x.outcome == PortOutcome::Open && x.port != p.port)
        .map(|x| x.port.to_string())
        .collect();
    if p.server != Side::Smtp || open.is_empty() {
        return None;
    }
    let seen = ports.iter().map(|x| (x.port, x.outcome)).collect();
    Some(Diag::new(Code::PortBlocked, Evidence::Ports(seen)).arg("open", open.join(", ")))
}

fn enhanced(r: &Reply) -> &str {
    r.enhanced.as_deref().unwrap_or("")
}

/// A login refusal, read with the provider in mind.
pub(super) fn auth(
    r: &Reply,
    provider: Option<&Provider>,
    evidence: Evidence,
    p: &ServerProbe,
) -> Diag {
    let code = r.code.unwrap_or(0);
    let enh = enhanced(r);
    let pid = provider.map(|x| x.id.as_str());
    let app = |evidence: Evidence| {
        let url = provider
            .map(|x| {
                x.app_password_url
                    .clone()
                    .unwrap_or_else(|| x.help_url.clone())
            })
            .unwrap_or_default();
        let d = Diag::new(Code::AppPasswordRequired, evidence).arg("url", url);
        if pid == Some("gmail") || enh == "5.7.9" {
            d.variant("gmail")
        } else {
            d
        }
    };
    if let Some(d) = super::findings::oauth::refusal(r, &evidence, p) {
        return d;
    }
    if code == 534 || enh == "5.7.9" {
        return app(evidence);
    }
    if enh == "5.7.139"
        || (code == 535 && enh == "5.7.3")
        || provider.is_some_and(|x| x.oauth2_only)
    {
        return Diag::new(Code::Oauth2Required, evidence);
    }
    if provider.is_some_and(super::super::providers::Provider::needs_app_password) {
        return app(evidence);
    }
    let user = p.login.as_ref().map_or(String::new(), |l| l.user.clone());
    Diag::new(Code::AuthFailed, evidence).arg("user", user)
}

/// "limit" counts only with a refusal code around it.
pub(super) fn is_limit(r: &Reply) -> bool {
    let code = r.code.unwrap_or(0);
    let enh = enhanced(r);
    (code == 421 && enh.starts_with("4.7."))
        || enh == "5.4.5"
        || (matches!(code, 421 | 450 | 451 | 452 | 550 | 554)
            && r.text.to_ascii_lowercase().contains("limit"))
}

/// A refusal of MAIL FROM or RCPT TO.
pub(super) fn envelope(phase: Phase, r: &Reply, evidence: Evidence, p: &ServerProbe) -> Diag {
    let code = r.code.unwrap_or(0);
    let enh = enhanced(r);
    let authenticated =
        p.login.as_ref().is_some_and(|l| l.ok) || p.other_login.as_ref().is_some_and(|l| l.ok);
    if enh == "5.7.30" {
        return Diag::new(Code::Oauth2Required, evidence);
    }
    if code == 530 || (!authenticated && enh == "5.7.0") {
        return Diag::new(Code::AuthRequired, evidence);
    }
    if is_limit(r) || matches!(code, 450 | 452) {
        return Diag::new(Code::SendingLimit, evidence);
    }
    let relay = Diag::new(Code::RelayDenied, evidence.clone());
    let relay = if authenticated {
        relay.variant("authenticated")
    } else {
        relay
    };
    match phase {
        Phase::Rcpt if enh.starts_with("5.1.") || enh.starts_with("4.1.") => {
            Diag::new(Code::RecipientRejected, evidence)
        }
        Phase::Rcpt if code == 554 || enh.starts_with("5.7.") => relay,
        Phase::Rcpt => Diag::new(Code::RecipientRejected, evidence),
        _ => relay,
    }
}
