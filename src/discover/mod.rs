//! Autodiscovery: from an address to working settings. Every source runs at
//! once under one deadline; each candidate says where it came from and
//! whether that channel was authenticated.
//!
//! Sources, best first when they disagree: built-in presets, the ISPDB and
//! the provider's own autoconfig over https; then DNS SRV (RFC 6186); then
//! the MX host's provider; then guessing common host names with a real
//! greeting; and last, the provider's autoconfig over plain http.
//!
//! The core never imports the UI crates; faces call [`discover`] (from a
//! background thread when they must stay responsive) and get per-source
//! progress through a callback.

mod autoconfig;
mod autodiscover;
mod autodiscover_xml;
mod candidate;
mod clientconfig;
mod detail;
pub(crate) mod dns;
mod guess;
mod http;
mod ispdb;
mod mx;
mod options;
mod preset;
mod run;
mod srv;

pub use candidate::{Candidate, IncomingSetting, OutgoingSetting, account_from_settings};
pub use clientconfig::{
    ClientConfig, ConfigError, Documentation, EmailProvider, Enable, OAuth2, ServerConfig,
    ServerSide, SkipReason, SkippedServer, SocketType, fill_placeholders,
    parse as parse_client_config,
};
pub use detail::{Failure, SourceDetail, Why, config_error};
pub use dns::DnsError;
pub use options::{DEFAULT_ISPDB_URL, DiscoverOptions, default_autoconfig_urls};
pub use run::{best_account, discover};

use serde::Serialize;

/// Where settings can come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    Preset,
    Ispdb,
    Autoconfig,
    Srv,
    Mx,
    Guess,
    /// Microsoft Autodiscover (only when the preset, the ISPDB and the
    /// provider's autoconfig had nothing).
    Autodiscover,
}

impl Source {
    pub const ALL: [Source; 7] = [
        Source::Preset,
        Source::Ispdb,
        Source::Autoconfig,
        Source::Srv,
        Source::Mx,
        Source::Guess,
        Source::Autodiscover,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Source::Preset => "preset",
            Source::Ispdb => "ispdb",
            Source::Autoconfig => "autoconfig",
            Source::Srv => "srv",
            Source::Mx => "mx",
            Source::Guess => "guess",
            Source::Autodiscover => "autodiscover",
        }
    }

    /// The source's name for people (`discover.source.<name>`).
    pub fn i18n_key(self) -> &'static str {
        match self {
            Source::Preset => "discover.source.preset",
            Source::Ispdb => "discover.source.ispdb",
            Source::Autoconfig => "discover.source.autoconfig",
            Source::Srv => "discover.source.srv",
            Source::Mx => "discover.source.mx",
            Source::Guess => "discover.source.guess",
            Source::Autodiscover => "discover.source.autodiscover",
        }
    }
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Source {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Source::ALL
            .into_iter()
            .find(|x| x.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| {
                format!(
                    "unknown source '{s}' (expected preset, ispdb, autoconfig, srv, mx, guess or autodiscover)"
                )
            })
    }
}

/// How a source ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceStatus {
    /// It gave at least one candidate.
    Ok,
    /// It answered, with nothing usable (404, no record, not a known domain).
    None,
    /// It failed (network error, malformed answer).
    Error,
    /// It had not answered when the run ended (the deadline, the user's
    /// cancel, or an early stop because a preferred source had answered).
    Timeout,
}

impl SourceStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SourceStatus::Ok => "ok",
            SourceStatus::None => "none",
            SourceStatus::Error => "error",
            SourceStatus::Timeout => "timeout",
        }
    }

    pub fn i18n_key(self) -> &'static str {
        match self {
            SourceStatus::Ok => "discover.status.ok",
            SourceStatus::None => "discover.status.none",
            SourceStatus::Error => "discover.status.error",
            SourceStatus::Timeout => "discover.status.timeout",
        }
    }
}

/// What one source did. `detail` is typed; `--json` shows its English text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceReport {
    pub source: Source,
    pub status: SourceStatus,
    pub ms: u64,
    pub detail: SourceDetail,
}

/// Live progress, in the order things happen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceEvent {
    Started(Source),
    /// `candidates` is how many this source gave.
    Finished {
        report: SourceReport,
        candidates: usize,
    },
}

/// The whole run: candidates best first, then every source's outcome in
/// the canonical order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiscoverReport {
    pub email: String,
    pub elapsed_ms: u64,
    pub candidates: Vec<Candidate>,
    pub sources: Vec<SourceReport>,
}

impl DiscoverReport {
    /// The first usable candidate, else the first with any server; a
    /// document whose servers were all skipped is never "the best".
    pub fn best(&self) -> Option<&Candidate> {
        let any_server = |c: &&Candidate| !c.incoming.is_empty() || !c.outgoing.is_empty();
        self.candidates
            .iter()
            .find(|c| c.is_usable())
            .or_else(|| self.candidates.iter().find(any_server))
    }
}
