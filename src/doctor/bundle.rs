//! The doctor's ticket file (issue 16.2): one self-contained, versioned JSON
//! document a helpdesk can replay in its own language. It holds the account's
//! settings without secrets, the findings as codes with parameters, what each
//! server showed (certificates as PEM, each address family's connect), the
//! DNS answers, the redacted transcript, mailwiz's version and the locale.
//! No password, token or client secret: the account's secret source (a
//! password command may hold one) is left out on purpose.

use super::bundle_words::{CodedFinding, Words, side_name};
use super::evidence::{cert_words, net_error_words};
use super::{DoctorReport, FamilyProbe, PortProbe, ServerProbe};
use crate::account::{Account, IncomingServer, SmtpServer};
use crate::check::Side;
use crate::i18n::Lang;
use crate::net::{CertInfo, Family};
use crate::providers::Provider;
use serde::{Deserialize, Serialize};

/// The version of the document's shape; readers refuse newer ones.
pub const SCHEMA: u32 = 1;

/// The user's locale variable, recorded once by the face at start-up (the
/// core reads no environment): see `crate::i18n::locale_variable`.
static LOCALE_VARIABLE: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();

/// Records, once, the locale variable every later ticket names.
pub fn record_locale_variable(value: Option<String>) {
    let _ = LOCALE_VARIABLE.set(value);
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Bundle {
    pub schema: u32,
    pub mailwiz_version: String,
    /// Seconds since 1970, UTC.
    pub created_unix: u64,
    pub locale: BundleLocale,
    pub account: AccountSettings,
    pub findings: Vec<CodedFinding>,
    pub servers: Vec<ServerSnapshot>,
    pub smtp_ports: Vec<PortProbe>,
    pub dns: Vec<DnsAnswer>,
    /// Every line exchanged, credentials already redacted by the transcript.
    pub transcript: Vec<String>,
    pub elapsed_ms: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BundleLocale {
    /// The language the user ran the doctor in ("fr" or "en").
    pub lang: String,
    /// The locale variable that decided it, when one was set (`fr_FR.UTF-8`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub env: Option<String>,
}

/// The account's settings, without any secret or secret source.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccountSettings {
    pub name: String,
    pub email: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    pub incoming: IncomingServer,
    pub smtp: SmtpServer,
}

/// What one server showed, as the doctor prints it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ServerSnapshot {
    #[serde(with = "side_name")]
    pub server: Side,
    /// "IMAP", "POP3", "SMTP": the protocol the account expects.
    pub protocol: String,
    pub host: String,
    pub port: u16,
    pub security: crate::account::Security,
    pub works: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<Words>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub greeting: Option<String>,
    #[serde(default)]
    pub capabilities: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate: Option<CertSnapshot>,
    #[serde(default)]
    pub families: Vec<FamilyProbe>,
    #[serde(default)]
    pub logins: Vec<LoginSnapshot>,
    pub ms: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CertSnapshot {
    /// Subject, names, issuer, validity and fingerprint, in words.
    pub summary: Words,
    pub sha256: String,
    /// The certificate itself (empty when the handshake did not keep it).
    #[serde(default)]
    pub pem: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LoginSnapshot {
    pub user: String,
    pub ok: bool,
}

/// The addresses a server's name resolved to, per family.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DnsAnswer {
    pub host: String,
    pub family: Family,
    pub addresses: Vec<String>,
}

impl Bundle {
    /// The ticket of a doctor run: `lang` is the user's language.
    pub fn new(
        acct: &Account,
        report: &DoctorReport,
        provider: Option<&Provider>,
        lang: Lang,
    ) -> Bundle {
        let servers: Vec<ServerSnapshot> = [&report.incoming, &report.smtp]
            .into_iter()
            .map(snapshot)
            .collect();
        let dns = servers
            .iter()
            .flat_map(|s| {
                s.families.iter().map(|f| DnsAnswer {
                    host: s.host.clone(),
                    family: f.family,
                    addresses: f.addresses.clone(),
                })
            })
            .collect();
        Bundle {
            schema: SCHEMA,
            mailwiz_version: env!("CARGO_PKG_VERSION").to_string(),
            created_unix: std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs()),
            locale: BundleLocale {
                lang: lang.code().to_string(),
                env: LOCALE_VARIABLE.get().cloned().flatten(),
            },
            account: AccountSettings {
                name: acct.name.clone(),
                email: acct.email.clone(),
                provider: provider.map(|p| p.id.clone()),
                incoming: acct.incoming.clone(),
                smtp: acct.smtp.clone(),
            },
            findings: super::coded_findings_in(
                report,
                provider,
                &super::Context::for_account(acct),
            ),
            servers,
            smtp_ports: report.smtp_ports.clone(),
            dns,
            transcript: report
                .transcript
                .render()
                .lines()
                .map(str::to_string)
                .collect(),
            elapsed_ms: report.elapsed_ms,
        }
    }

    /// The language the ticket was written in (English when unknown).
    pub fn written_in(&self) -> Lang {
        Lang::parse(&self.locale.lang).unwrap_or(Lang::En)
    }
}

fn snapshot(p: &ServerProbe) -> ServerSnapshot {
    let logins = [&p.login, &p.other_login]
        .into_iter()
        .flatten()
        .map(|l| LoginSnapshot {
            user: l.user.clone(),
            ok: l.ok,
        })
        .collect();
    ServerSnapshot {
        server: p.server,
        protocol: p.expected.name().to_string(),
        host: p.host.clone(),
        port: p.port,
        security: p.security,
        works: p.error.is_none(),
        error: p.error.as_ref().map(net_error_words),
        greeting: p.greeting.clone(),
        capabilities: p.capabilities.clone(),
        certificate: p.cert.as_ref().map(cert_snapshot),
        families: p.families.clone(),
        logins,
        ms: p.ms,
    }
}

fn cert_snapshot(c: &CertInfo) -> CertSnapshot {
    CertSnapshot {
        summary: cert_words(c),
        sha256: c.sha256.clone(),
        pem: c.pem.clone(),
    }
}

#[path = "bundle_file.rs"]
mod file;
pub use file::{BundleError, Loaded, MAX_BYTES, TextBundle, TextFinding, read, write};
