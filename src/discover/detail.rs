//! What one discovery source saw, as typed values the faces localise
//! (`discover.detail.*`, `discover.why.*`). URLs, host names and DNS names
//! are evidence and travel as they are (cleaned of control characters);
//! a library's own words travel as quoted evidence. `Display` is the
//! English text, for logs and `--json`.

use super::clientconfig::ConfigError;
use super::dns::DnsError;
use crate::i18n::{self, Lang};
use crate::trust::TrustError;
use serde::Serialize;

/// What a source ended with, beyond its status.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum SourceDetail {
    #[default]
    None,
    /// A built-in preset matched the domain.
    Preset {
        name: String,
        id: String,
    },
    NoPreset {
        domain: String,
    },
    /// A clientConfig document was read at `url`.
    Document {
        url: String,
        incoming: usize,
        outgoing: usize,
        secure: bool,
    },
    NotInIspdb {
        url: String,
    },
    /// The MX host belongs to a provider with a preset.
    MxPreset {
        mx: String,
        preset: String,
    },
    /// The MX host's provider has an ISPDB entry at `url`.
    MxDocument {
        mx: String,
        url: String,
    },
    NoMx {
        domain: String,
    },
    MxInOwnDomain {
        mx: String,
        domain: String,
    },
    MxUnknown {
        mx: String,
        domains: Vec<String>,
    },
    MxFailed {
        mx: String,
        failures: Vec<Failure>,
    },
    /// SRV records, each `name → host:port`.
    Srv {
        records: Vec<String>,
    },
    NoSrv {
        domain: String,
    },
    /// Guessed servers that answered (`host:port`), and how many probes
    /// failed; `not_needed` when other sources made them unnecessary.
    Guessed {
        servers: Vec<String>,
        failed: usize,
        probes: usize,
        not_needed: bool,
    },
    GuessNoTls {
        probes: usize,
    },
    GuessNoTime {
        probes: usize,
    },
    NoDnsAnswer,
    NoTimeLeft,
    Cancelled,
    Deadline {
        ms: u64,
    },
    StoppedEarly,
    CannotStart,
    Failed {
        failures: Vec<Failure>,
    },
    /// Autodiscover was not asked: a preset, the ISPDB or the provider's
    /// autoconfig answered.
    AutodiscoverNotNeeded,
    /// Autodiscover says the mailbox is in Exchange Online (Microsoft 365);
    /// its IMAP/SMTP settings are Microsoft's.
    ExchangeOnline {
        host: String,
    },
    /// An Exchange server that lists no IMAP or POP3 server.
    ExchangeOnly {
        host: String,
    },
    /// Autodiscover points to another domain; it is followed only when the
    /// user allows it.
    RedirectNeedsConsent {
        host: String,
    },
}

/// One place that did not answer usefully, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The URL or DNS name that was asked.
    pub at: String,
    pub why: Why,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Why {
    HttpStatus(u16),
    Timeout,
    /// The server's certificate is not trusted (or does not match).
    Certificate,
    /// No connection (refused, unknown host, unreachable).
    Unreachable,
    /// The answer is larger than any such document.
    TooLarge,
    /// The answer is not an Autodiscover document.
    NotAutodiscover,
    /// A redirect to a plain-http URL (never followed).
    NotHttps,
    /// Another network failure; the HTTP library's words.
    Network(String),
    CaFile(TrustError),
    Document(ConfigError),
    Dns(DnsError),
    Crashed,
}

impl Why {
    fn localized(&self, lang: Lang) -> String {
        let t = |key: &str| i18n::t(lang, key).to_string();
        match self {
            Why::HttpStatus(code) => i18n::tf(
                lang,
                "discover.why.http_status",
                &[("code", &code.to_string())],
            ),
            Why::Timeout => t("discover.why.timeout"),
            Why::Certificate => t("discover.why.certificate"),
            Why::Unreachable => t("discover.why.unreachable"),
            Why::TooLarge => t("discover.why.too_large"),
            Why::NotAutodiscover => t("discover.why.not_autodiscover"),
            Why::NotHttps => t("discover.why.not_https"),
            Why::Network(said) => i18n::tf(lang, "discover.why.network", &[("said", said)]),
            Why::CaFile(e) => e.localized(lang),
            Why::Document(e) => config_error(lang, e),
            Why::Dns(e) => e.localized(lang),
            Why::Crashed => t("discover.why.crashed"),
        }
    }
}

/// A document that could not be read, in `lang`.
pub fn config_error(lang: Lang, e: &ConfigError) -> String {
    i18n::tf(
        lang,
        "discover.why.document",
        &[("reason", &e.localized(lang))],
    )
}

impl SourceDetail {
    pub fn is_empty(&self) -> bool {
        matches!(self, SourceDetail::None)
    }

    /// The detail in `lang`; empty for `None`. Evidence is cleaned of
    /// control characters.
    pub fn localized(&self, lang: Lang) -> String {
        let (key, args) = self.key_args(lang);
        if key.is_empty() {
            return String::new();
        }
        i18n::tf_outside(lang, key, args)
    }
}

impl std::fmt::Display for SourceDetail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.localized(Lang::En))
    }
}

/// `--json` keeps its shape: the detail is the English text.
impl Serialize for SourceDetail {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

#[path = "detail_keys.rs"]
mod keys;

#[cfg(test)]
#[path = "detail_tests.rs"]
mod tests;
