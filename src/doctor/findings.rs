//! From probe results (and the account's provider) to findings: a pure
//! function. Matches on reply codes, enhanced status codes and typed error
//! kinds; a reply's text is only looked at together with its code.

use super::bundle_words::{CodedFinding, Param, Words};
use super::context::{Context, dns_offline, login_unasked};
use super::replies::{auth, blocked, envelope, is_limit};
use super::{DoctorReport, PortProbe, ServerProbe};
use crate::account::display_fingerprint;
use crate::check::Side;
use crate::i18n::Lang;
#[cfg(test)]
use crate::i18n::table;
use crate::net::{NetError, Phase, TlsKind, Wire};
use crate::providers::Provider;
use serde::{Deserialize, Serialize};

/// The fixed vocabulary scripts and tests rely on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Code {
    Ok,
    DnsNotFound,
    ConnectionRefused,
    Timeout,
    PortBlocked,
    TlsHostnameMismatch,
    TlsExpired,
    TlsUntrusted,
    StarttlsUnavailable,
    StarttlsRequired,
    AuthFailed,
    AuthWrongLoginForm,
    AppPasswordRequired,
    Oauth2Required,
    AuthRequired,
    RelayDenied,
    RecipientRejected,
    SendingLimit,
    ProtocolMismatch,
    LoginDisabled,
    /// After XOAUTH2: `535 5.7.139`, SMTP AUTH switched off (issue 14.9).
    SmtpAuthDisabled,
    /// After XOAUTH2: `535 5.7.3`, a token without the SMTP scope.
    Oauth2ScopeMissing,
    /// An OAuth2 account on a server that offers no OAuth2 mechanism.
    Oauth2NotOffered,
    /// IPv6 fails where IPv4 connects (issue 14.8); a warning.
    Ipv6Broken,
    /// The account's CA file is missing, unreadable or holds no
    /// certificate: the server was not tested.
    CaFileUnusable,
}

impl Code {
    pub const ALL: [Code; 25] = [
        Code::Ok,
        Code::DnsNotFound,
        Code::ConnectionRefused,
        Code::Timeout,
        Code::PortBlocked,
        Code::TlsHostnameMismatch,
        Code::TlsExpired,
        Code::TlsUntrusted,
        Code::StarttlsUnavailable,
        Code::StarttlsRequired,
        Code::AuthFailed,
        Code::AuthWrongLoginForm,
        Code::AppPasswordRequired,
        Code::Oauth2Required,
        Code::AuthRequired,
        Code::RelayDenied,
        Code::RecipientRejected,
        Code::SendingLimit,
        Code::ProtocolMismatch,
        Code::LoginDisabled,
        Code::SmtpAuthDisabled,
        Code::Oauth2ScopeMissing,
        Code::Oauth2NotOffered,
        Code::Ipv6Broken,
        Code::CaFileUnusable,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Code::Ok => "ok",
            Code::DnsNotFound => "dns_not_found",
            Code::ConnectionRefused => "connection_refused",
            Code::Timeout => "timeout",
            Code::PortBlocked => "port_blocked",
            Code::TlsHostnameMismatch => "tls_hostname_mismatch",
            Code::TlsExpired => "tls_expired",
            Code::TlsUntrusted => "tls_untrusted",
            Code::StarttlsUnavailable => "starttls_unavailable",
            Code::StarttlsRequired => "starttls_required",
            Code::AuthFailed => "auth_failed",
            Code::AuthWrongLoginForm => "auth_wrong_login_form",
            Code::AppPasswordRequired => "app_password_required",
            Code::Oauth2Required => "oauth2_required",
            Code::AuthRequired => "auth_required",
            Code::RelayDenied => "relay_denied",
            Code::RecipientRejected => "recipient_rejected",
            Code::SendingLimit => "sending_limit",
            Code::ProtocolMismatch => "protocol_mismatch",
            Code::LoginDisabled => "login_disabled",
            Code::SmtpAuthDisabled => "smtp_auth_disabled",
            Code::Oauth2ScopeMissing => "oauth2_scope_missing",
            Code::Oauth2NotOffered => "oauth2_not_offered",
            Code::Ipv6Broken => "ipv6_broken",
            Code::CaFileUnusable => "ca_file_unusable",
        }
    }
}

/// Worst first when sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Ok,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub code: Code,
    pub severity: Severity,
    pub server: Side,
    pub title: String,
    pub explanation: String,
    pub fix: String,
    /// What was seen, as the server said it (not translated).
    pub evidence: String,
}

/// A finding before its texts: the code, a text variant, the placeholders.
use super::evidence::Evidence;

pub(super) struct Diag {
    code: Code,
    /// A warning: the server works, but something will likely fail later.
    warning: bool,
    variant: Option<&'static str>,
    args: Vec<(&'static str, String)>,
    evidence: Evidence,
}

impl Diag {
    pub(super) fn new(code: Code, evidence: Evidence) -> Diag {
        Diag {
            code,
            warning: false,
            variant: None,
            args: Vec::new(),
            evidence,
        }
    }
    pub(super) fn variant(mut self, v: &'static str) -> Diag {
        self.variant = Some(v);
        self
    }
    pub(super) fn arg(mut self, k: &'static str, v: impl Into<String>) -> Diag {
        self.args.push((k, v.into()));
        self
    }
}

/// The findings of a doctor run, worst first; one `ok` per server that
/// shows no problem.
pub fn findings(report: &DoctorReport, provider: Option<&Provider>, lang: Lang) -> Vec<Finding> {
    findings_in(report, provider, &Context::default(), lang)
}

/// The findings, knowing where the server names came from and whether the
/// account logs in to SMTP (see `Context`).
pub fn findings_in(
    report: &DoctorReport,
    provider: Option<&Provider>,
    ctx: &Context,
    lang: Lang,
) -> Vec<Finding> {
    coded_findings_in(report, provider, ctx)
        .iter()
        .map(|c| c.localized(lang))
        .collect()
}

/// The same findings as codes with parameters, before any language.
pub fn coded_findings(report: &DoctorReport, provider: Option<&Provider>) -> Vec<CodedFinding> {
    coded_findings_in(report, provider, &Context::default())
}

/// `coded_findings` knowing the account's context (see `Context`).
pub fn coded_findings_in(
    report: &DoctorReport,
    provider: Option<&Provider>,
    ctx: &Context,
) -> Vec<CodedFinding> {
    let mut out = Vec::new();
    for probe in [&report.incoming, &report.smtp] {
        let ports = if probe.server == Side::Smtp {
            &report.smtp_ports[..]
        } else {
            &[]
        };
        let offline = dns_offline(report, probe, provider, *ctx);
        let unasked = login_unasked(probe, *ctx).then(|| {
            let mut d = Diag::new(Code::AuthRequired, ok_evidence(probe)).variant("advertised");
            d.warning = true;
            d
        });
        let diags: Vec<Diag> = login_form(probe)
            .into_iter()
            .chain(diagnose(probe, ports, provider, offline))
            .chain(unasked)
            .collect();
        if diags.is_empty() {
            out.push(coded(
                probe,
                Diag::new(Code::Ok, ok_evidence(probe)),
                provider,
            ));
        }
        for d in diags.into_iter().chain(family::ipv6_broken(probe)) {
            out.push(coded(probe, d, provider));
        }
    }
    out.sort_by_key(|f| f.severity);
    out
}

fn server_label(p: &ServerProbe) -> String {
    format!("{} {}:{}", p.expected.name(), p.host, p.port)
}

fn coded(p: &ServerProbe, d: Diag, provider: Option<&Provider>) -> CodedFinding {
    let mut params = vec![
        Param::text("server", server_label(p)),
        Param::text("host", p.host.clone()),
        Param::text("port", p.port.to_string()),
        provider.map_or_else(
            || Param::words("provider", Words::msg("doctor.words.this_provider", vec![])),
            |x| Param::text("provider", x.name.clone()),
        ),
        Param::text(
            "help_url",
            provider.map_or(String::new(), |x| x.help_url.clone()),
        ),
    ];
    params.extend(d.args.iter().map(|(k, v)| Param::text(k, v.clone())));
    CodedFinding {
        code: d.code,
        severity: if d.code == Code::Ok {
            Severity::Ok
        } else if d.warning || d.code == Code::Ipv6Broken {
            Severity::Warning
        } else {
            Severity::Error
        },
        server: p.server,
        variant: d.variant.map(str::to_string),
        params,
        evidence: d.evidence.words(),
    }
}

fn ok_evidence(p: &ServerProbe) -> Evidence {
    Evidence::Ok {
        cert: p.cert.as_ref().map(|c| c.main_name().to_string()),
        user: p.login.as_ref().filter(|l| l.ok).map(|l| l.user.clone()),
        rcpt: p.rcpt_to.as_ref().map(ToString::to_string),
    }
}

/// The other login form worked where the configured one did not.
fn login_form(p: &ServerProbe) -> Option<Diag> {
    let (first, other) = (p.login.as_ref()?, p.other_login.as_ref()?);
    (!first.ok && other.ok).then(|| {
        Diag::new(
            Code::AuthWrongLoginForm,
            Evidence::Error(first.error.clone()),
        )
        .arg("user", first.user.clone())
        .arg("other", other.user.clone())
    })
}

/// The failure that ended a server's probe, if any.
fn diagnose(
    p: &ServerProbe,
    ports: &[PortProbe],
    provider: Option<&Provider>,
    offline: bool,
) -> Option<Diag> {
    let e = p.error.as_ref()?;
    let evidence = Evidence::Error(Some(e.clone()));
    let d = match e {
        NetError::Dns { .. } if offline => {
            Diag::new(Code::DnsNotFound, evidence).variant("offline")
        }
        NetError::Dns { .. } => Diag::new(Code::DnsNotFound, evidence),
        NetError::Refused { .. } | NetError::Unreachable { .. } | NetError::Io { .. } => {
            blocked(p, ports).unwrap_or_else(|| Diag::new(Code::ConnectionRefused, evidence))
        }
        NetError::Timeout { phase } => {
            let d = Diag::new(Code::Timeout, evidence).arg("phase", phase.as_str());
            // Connected, then nothing: no greeting, no TLS handshake.
            if matches!(phase, Phase::Greeting | Phase::Tls) {
                d.variant("silent")
            } else if *phase == Phase::Connect {
                blocked(p, ports).unwrap_or(d)
            } else {
                d
            }
        }
        NetError::Tls(t) => tls(t, p, evidence),
        NetError::CaFile(t) => ca_file::unusable(t),
        NetError::StarttlsNotOffered => Diag::new(Code::StarttlsUnavailable, evidence),
        NetError::LoginDisabled => match p.server {
            Side::Incoming => Diag::new(Code::LoginDisabled, evidence),
            Side::Smtp => Diag::new(Code::StarttlsRequired, evidence),
        },
        NetError::AuthFailed { reply } => auth(reply, provider, evidence, p),
        NetError::Rejected { phase, reply } => match phase {
            Phase::Login => auth(reply, provider, evidence, p),
            Phase::Mail | Phase::Rcpt | Phase::Data => envelope(*phase, reply, evidence, p),
            Phase::Starttls => Diag::new(Code::StarttlsUnavailable, evidence),
            Phase::Greeting if is_limit(reply) => Diag::new(Code::SendingLimit, evidence),
            _ => Diag::new(Code::ConnectionRefused, evidence),
        },
        NetError::WrongProtocol {
            expected, found, ..
        } => {
            let d = Diag::new(Code::ProtocolMismatch, evidence)
                .arg("expected", expected.name())
                .arg("found", found.name());
            if (*expected, *found) == (Wire::Imap, Wire::Pop3) {
                d.variant("pop")
            } else {
                d
            }
        }
        NetError::Protocol { .. } => oauth::not_offered(e, &evidence, p)
            .unwrap_or_else(|| Diag::new(Code::ProtocolMismatch, evidence).variant("tls")),
        NetError::Unsupported { .. } => oauth::not_offered(e, &evidence, p)
            .unwrap_or_else(|| Diag::new(Code::Oauth2Required, evidence)),
        NetError::TooLarge { .. } => Diag::new(Code::ProtocolMismatch, evidence)
            .arg("expected", p.expected.name())
            .arg("found", Wire::Unknown.name()),
        NetError::InjectedBeforeTls => Diag::new(Code::StarttlsUnavailable, evidence),
        NetError::Cancelled => return None,
    };
    Some(d)
}

/// A failed TLS handshake: the certificate's names, fingerprint, expiry
/// and issuer go into the texts.
fn tls(t: &crate::net::TlsError, p: &ServerProbe, evidence: Evidence) -> Diag {
    let c = t.cert.as_deref().or(p.cert.as_ref());
    let names = c.map(|c| c.sans.join(", ")).unwrap_or_default();
    let d = match t.kind {
        TlsKind::HostnameMismatch => Diag::new(Code::TlsHostnameMismatch, evidence),
        TlsKind::Expired | TlsKind::NotYetValid => Diag::new(Code::TlsExpired, evidence),
        TlsKind::Untrusted => Diag::new(Code::TlsUntrusted, evidence),
        TlsKind::PinMismatch => Diag::new(Code::TlsUntrusted, evidence).variant("changed"),
        TlsKind::NotTls
        | TlsKind::Incompatible
        | TlsKind::NoCertificate
        | TlsKind::InvalidServerName
        | TlsKind::Other => Diag::new(Code::ProtocolMismatch, evidence).variant("tls"),
    };
    d.arg("names", names)
        .arg(
            "sha256",
            c.map_or(String::new(), |c| display_fingerprint(&c.sha256)),
        )
        .arg(
            "not_after",
            c.map_or(String::new(), |c| c.not_after.clone()),
        )
        .arg("issuer", c.map_or(String::new(), |c| c.issuer.clone()))
}

#[path = "findings_oauth.rs"]
pub(super) mod oauth;

#[path = "findings_family.rs"]
mod family;

#[path = "findings_ca_file.rs"]
mod ca_file;

#[cfg(test)]
#[path = "findings_tests.rs"]
mod tests;
