//! Detect: which mail clients this user already has, and what they use —
//! POP3 or IMAP, which servers, which ports, which security. Each client's
//! configuration format has a pure parser from text to accounts; [`scan`]
//! reads the usual places under a HOME.
//!
//! Passwords in those files are never kept: parsers read only the fields
//! listed here (URLs lose their `user:password@` password part).

mod aerc;
mod describe;
mod evolution;
mod fetchmail;
mod himalaya;
mod ini;
mod mbsync;
mod msmtp;
mod mutt;
mod mutt_words;
mod problem;
mod scan;
mod thunderbird;
mod url;
mod words;

pub use crate::discover::{IncomingSetting, OutgoingSetting};
pub use scan::{ScanRoots, scan};

use serde::Serialize;
use std::path::PathBuf;

/// The clients mailwiz reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Client {
    Thunderbird,
    Evolution,
    Msmtp,
    Mbsync,
    Mutt,
    Aerc,
    Himalaya,
    Fetchmail,
}

impl Client {
    pub fn as_str(self) -> &'static str {
        match self {
            Client::Thunderbird => "thunderbird",
            Client::Evolution => "evolution",
            Client::Msmtp => "msmtp",
            Client::Mbsync => "mbsync",
            Client::Mutt => "mutt",
            Client::Aerc => "aerc",
            Client::Himalaya => "himalaya",
            Client::Fetchmail => "fetchmail",
        }
    }

    /// The client's name for people (`detect.client.<name>`).
    pub fn i18n_key(self) -> &'static str {
        match self {
            Client::Thunderbird => "detect.client.thunderbird",
            Client::Evolution => "detect.client.evolution",
            Client::Msmtp => "detect.client.msmtp",
            Client::Mbsync => "detect.client.mbsync",
            Client::Mutt => "detect.client.mutt",
            Client::Aerc => "detect.client.aerc",
            Client::Himalaya => "detect.client.himalaya",
            Client::Fetchmail => "detect.client.fetchmail",
        }
    }
}

/// How an account reads mail, if it does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum DetectedProtocol {
    #[serde(rename = "imap")]
    Imap,
    #[serde(rename = "pop3")]
    Pop3,
    /// Only an outgoing server (msmtp, or a client set up to send only).
    #[serde(rename = "smtp-only")]
    SmtpOnly,
}

/// One account found in one client's configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DetectedAccount {
    pub client: Client,
    pub file: PathBuf,
    /// The account's name in that file (section, account or store name), if any.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Empty when the file does not say.
    pub email: String,
    pub protocol: DetectedProtocol,
    pub incoming: Option<IncomingSetting>,
    pub outgoing: Option<OutgoingSetting>,
}

impl DetectedAccount {
    /// An account from what a parser found; the protocol follows from the servers.
    pub(crate) fn new(
        client: Client,
        file: &std::path::Path,
        name: &str,
        email: &str,
        incoming: Option<IncomingSetting>,
        outgoing: Option<OutgoingSetting>,
    ) -> DetectedAccount {
        let protocol = match incoming.as_ref().map(|i| i.protocol) {
            Some(crate::account::Protocol::Imap) => DetectedProtocol::Imap,
            Some(crate::account::Protocol::Pop3) => DetectedProtocol::Pop3,
            None => DetectedProtocol::SmtpOnly,
        };
        DetectedAccount {
            client,
            file: file.to_path_buf(),
            name: name.to_string(),
            email: email.trim().to_string(),
            protocol,
            incoming,
            outgoing,
        }
    }
}

/// Why (part of) a file could not be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum WarningKind {
    /// It exists but could not be read (permissions, a folder, I/O).
    Unreadable,
    /// It was read, but (part of) it is not in the client's format.
    Malformed,
}

/// A problem with one file; the other files are still reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    pub client: Client,
    pub file: PathBuf,
    pub kind: WarningKind,
    /// 1-based, when the problem is on one line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// Typed; `--json` shows its English text.
    pub detail: DetectProblem,
}

/// (1-based line when known, why) of a part not understood.
pub type Problem = (Option<usize>, DetectProblem);

pub use problem::DetectProblem;

/// What a parser makes of one file's text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    pub accounts: Vec<DetectedAccount>,
    /// (line, detail): the parts that were not understood.
    pub problems: Vec<Problem>,
}

/// Everything found under one HOME.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DetectReport {
    pub accounts: Vec<DetectedAccount>,
    pub warnings: Vec<Warning>,
}

pub use aerc::parse as parse_aerc;
pub use evolution::parse as parse_evolution;
pub use fetchmail::parse as parse_fetchmail;
pub use himalaya::parse as parse_himalaya;
pub use mbsync::parse as parse_mbsync;
pub use msmtp::parse as parse_msmtp;
pub use mutt::parse as parse_mutt;
pub use thunderbird::parse as parse_thunderbird;

#[cfg(test)]
mod tests;
