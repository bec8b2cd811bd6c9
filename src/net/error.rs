//! What can go wrong talking to a server, as kinds a diagnosis can match.
//! Every text comes from `assets/i18n/*/net.toml`; `Display` is the English.

use super::Phase;
use super::cert::CertInfo;
use crate::i18n::{self, Lang};
use crate::trust::TrustError;
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use std::fmt;
use std::io;

mod cause;
mod io_kind;
mod problem;
mod reply;

pub use cause::{DnsCause, IoCause};
pub use io_kind::io_kind_words;
pub use problem::Problem;
pub use reply::{Reply, Wire};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TlsKind {
    /// Not signed by a trusted authority (self-signed, private CA).
    Untrusted,
    HostnameMismatch,
    Expired,
    NotYetValid,
    /// A fingerprint was pinned and the server shows another certificate.
    PinMismatch,
    /// The server's name cannot be checked against a certificate (say
    /// `127.1`, which ends in a number); `detail` holds the name.
    InvalidServerName,
    /// The server presented no certificate at all.
    NoCertificate,
    /// The server's answer is not TLS (plain text, or STARTTLS expected).
    NotTls,
    /// No TLS version or cipher in common (a server of TLS 1.0/1.1 only).
    Incompatible,
    /// Anything else; `detail` is the TLS library's words, quoted.
    Other,
}

impl TlsKind {
    pub const ALL: [TlsKind; 10] = [
        TlsKind::Untrusted,
        TlsKind::HostnameMismatch,
        TlsKind::Expired,
        TlsKind::NotYetValid,
        TlsKind::PinMismatch,
        TlsKind::InvalidServerName,
        TlsKind::NoCertificate,
        TlsKind::NotTls,
        TlsKind::Incompatible,
        TlsKind::Other,
    ];
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TlsError {
    pub kind: TlsKind,
    /// The server's certificate, when the handshake got that far (boxed:
    /// it is large and errors travel by value).
    pub cert: Option<Box<CertInfo>>,
    /// The TLS library's words, shown quoted as what it said (`Other`);
    /// for `InvalidServerName`, the name refused.
    pub detail: String,
}

/// Which bound a server's answer went past.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Limit {
    /// One line longer than accepted (or no line end at all).
    Line,
    /// More lines in one answer than accepted.
    Lines,
    /// More bytes in one answer than accepted.
    Response,
    /// An IMAP literal announced larger than accepted.
    Literal,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NetError {
    Dns {
        host: String,
        cause: DnsCause,
    },
    Refused {
        addr: String,
    },
    Unreachable {
        addr: String,
        cause: IoCause,
    },
    Timeout {
        phase: Phase,
    },
    Tls(TlsError),
    /// The account's CA file cannot be used: nothing was sent.
    CaFile(TrustError),
    StarttlsNotOffered,
    LoginDisabled,
    AuthFailed {
        reply: Reply,
    },
    Rejected {
        phase: Phase,
        reply: Reply,
    },
    Protocol {
        phase: Phase,
        problem: Problem,
    },
    /// Another protocol answered: a POP3 server on the port set for IMAP.
    WrongProtocol {
        expected: Wire,
        found: Wire,
        greeting: String,
    },
    Io {
        phase: Phase,
        cause: IoCause,
    },
    /// A login method mailwiz cannot use yet (OAuth2).
    Unsupported {
        what: String,
    },
    Cancelled,
    /// The server's answer went past one of mailwiz's bounds.
    TooLarge {
        phase: Phase,
        limit: Limit,
    },
    /// Bytes arrived in clear after the server agreed to STARTTLS and
    /// before the handshake: read later, they would pass as protected.
    InjectedBeforeTls,
}

impl NetError {
    pub fn i18n_key(&self) -> &'static str {
        match self {
            NetError::Dns { .. } => "net.error.dns",
            NetError::Refused { .. } => "net.error.refused",
            NetError::Unreachable { .. } => "net.error.unreachable",
            NetError::Timeout { .. } => "net.error.timeout",
            NetError::Tls(t) => match t.kind {
                TlsKind::Untrusted => "net.error.tls.untrusted",
                TlsKind::HostnameMismatch => "net.error.tls.hostname_mismatch",
                TlsKind::Expired => "net.error.tls.expired",
                TlsKind::NotYetValid => "net.error.tls.not_yet_valid",
                TlsKind::PinMismatch => "net.error.tls.pin_mismatch",
                TlsKind::InvalidServerName => "net.error.tls.invalid_server_name",
                TlsKind::NoCertificate => "net.error.tls.no_certificate",
                TlsKind::NotTls => "net.error.tls.not_tls",
                TlsKind::Incompatible => "net.error.tls.incompatible",
                TlsKind::Other => "net.error.tls.other",
            },
            NetError::CaFile(e) => e.i18n_in(Lang::En).0,
            NetError::StarttlsNotOffered => "net.error.starttls_not_offered",
            NetError::LoginDisabled => "net.error.login_disabled",
            NetError::AuthFailed { .. } => "net.error.auth_failed",
            NetError::Rejected { .. } => "net.error.rejected",
            NetError::Protocol { .. } => "net.error.protocol",
            NetError::WrongProtocol { .. } => "net.error.wrong_protocol",
            NetError::Io { .. } => "net.error.io",
            NetError::Unsupported { .. } => "net.error.unsupported",
            NetError::Cancelled => "net.error.cancelled",
            NetError::TooLarge { limit, .. } => match limit {
                Limit::Line => "net.error.too_large.line",
                Limit::Lines => "net.error.too_large.lines",
                Limit::Response => "net.error.too_large.response",
                Limit::Literal => "net.error.too_large.literal",
            },
            NetError::InjectedBeforeTls => "net.error.tls.injected",
        }
    }

    /// The placeholders of the message. `phase` is the phase's short name;
    /// `localized` replaces it by the step's name in the chosen language.
    pub fn i18n_args(&self) -> Vec<(&'static str, String)> {
        match self {
            NetError::Dns { host, cause } => {
                vec![
                    ("host", host.clone()),
                    ("detail", cause.localized(Lang::En)),
                ]
            }
            NetError::Refused { addr } => vec![("addr", addr.clone())],
            NetError::Unreachable { addr, cause } => {
                vec![
                    ("addr", addr.clone()),
                    ("detail", cause.localized(Lang::En)),
                ]
            }
            NetError::Timeout { phase } | NetError::TooLarge { phase, .. } => {
                vec![("phase", phase.as_str().to_string())]
            }
            NetError::Tls(t) => {
                let mut args = vec![("detail", t.detail.clone())];
                if let Some(c) = &t.cert {
                    args.push(("subject", c.subject.clone()));
                    args.push(("names", c.sans.join(", ")));
                    args.push(("not_after", c.not_after.clone()));
                    args.push(("not_before", c.not_before.clone()));
                    args.push(("sha256", c.sha256.clone()));
                } else {
                    for k in ["subject", "names", "not_after", "not_before", "sha256"] {
                        args.push((k, "?".to_string()));
                    }
                }
                args
            }
            NetError::AuthFailed { reply } => vec![("reply", reply.to_string())],
            NetError::Rejected { phase, reply } => {
                vec![
                    ("phase", phase.as_str().to_string()),
                    ("reply", reply.to_string()),
                ]
            }
            NetError::Protocol { phase, problem } => {
                vec![
                    ("phase", phase.as_str().to_string()),
                    ("detail", problem.localized(Lang::En)),
                ]
            }
            NetError::Io { phase, cause } => {
                vec![
                    ("phase", phase.as_str().to_string()),
                    ("detail", cause.localized(Lang::En)),
                ]
            }
            NetError::WrongProtocol {
                expected,
                found,
                greeting,
            } => vec![
                ("expected", expected.name().to_string()),
                ("found", found.name().to_string()),
                ("greeting", greeting.clone()),
            ],
            NetError::Unsupported { what } => vec![("what", what.clone())],
            NetError::CaFile(e) => e.i18n_in(Lang::En).1,
            NetError::StarttlsNotOffered
            | NetError::LoginDisabled
            | NetError::Cancelled
            | NetError::InjectedBeforeTls => vec![],
        }
    }

    pub fn phase(&self) -> Option<Phase> {
        match self {
            NetError::Dns { .. } => Some(Phase::Resolve),
            NetError::Refused { .. } | NetError::Unreachable { .. } => Some(Phase::Connect),
            NetError::Timeout { phase }
            | NetError::TooLarge { phase, .. }
            | NetError::Rejected { phase, .. }
            | NetError::Protocol { phase, .. }
            | NetError::Io { phase, .. } => Some(*phase),
            NetError::Tls(_) | NetError::CaFile(_) => Some(Phase::Tls),
            NetError::WrongProtocol { .. } => Some(Phase::Greeting),
            NetError::StarttlsNotOffered | NetError::InjectedBeforeTls => Some(Phase::Starttls),
            NetError::LoginDisabled
            | NetError::AuthFailed { .. }
            | NetError::Unsupported { .. } => Some(Phase::Login),
            NetError::Cancelled => None,
        }
    }

    pub fn reply(&self) -> Option<&Reply> {
        match self {
            NetError::AuthFailed { reply } | NetError::Rejected { reply, .. } => Some(reply),
            _ => None,
        }
    }

    pub fn localized(&self, lang: Lang) -> String {
        let args = self.i18n_args();
        let phase_name = self.phase().map_or("", |p| p.localized(lang));
        let filled: Vec<(&str, &str)> = args
            .iter()
            .map(|(k, v)| match *k {
                "phase" => (*k, phase_name),
                _ => (*k, v.as_str()),
            })
            .collect();
        let typed_detail = match self {
            NetError::Io { cause, .. } | NetError::Unreachable { cause, .. } => {
                Some(cause.localized(lang))
            }
            NetError::Dns { cause, .. } => Some(cause.localized(lang)),
            NetError::Protocol { problem, .. } => Some(problem.localized(lang)),
            NetError::CaFile(e) => return e.localized(lang),
            _ => None,
        };
        if let Some(detail) = typed_detail {
            let filled: Vec<(&str, &str)> = filled
                .into_iter()
                .map(|(k, v)| {
                    if k == "detail" {
                        (k, detail.as_str())
                    } else {
                        (k, v)
                    }
                })
                .collect();
            return i18n::tf(lang, self.i18n_key(), &filled);
        }
        i18n::tf(lang, self.i18n_key(), &filled)
    }

    /// An I/O error met in `phase`: a read timeout (`WouldBlock`, os error
    /// 11) or `TimedOut` is a `Timeout`; a TLS failure inside it is `Tls`.
    pub fn from_io(phase: Phase, e: &io::Error) -> NetError {
        if let Some(tls) = e
            .get_ref()
            .and_then(|inner| inner.downcast_ref::<rustls::Error>())
        {
            return NetError::Tls(super::tls::classify(tls, None));
        }
        match e.kind() {
            io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => NetError::Timeout { phase },
            _ => NetError::Io {
                phase,
                cause: IoCause::of(e),
            },
        }
    }
}

impl fmt::Display for NetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.localized(Lang::En))
    }
}

impl std::error::Error for NetError {}

/// `{"kind": key, "message": English text, "phase": .., "reply": {..}, "tls": {..}}`
impl Serialize for NetError {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("kind", self.i18n_key())?;
        map.serialize_entry("message", &self.localized(Lang::En))?;
        if let Some(phase) = self.phase() {
            map.serialize_entry("phase", &phase)?;
        }
        if let Some(reply) = self.reply() {
            map.serialize_entry("reply", reply)?;
        }
        if let NetError::Tls(t) = self {
            map.serialize_entry("tls", t)?;
        }
        if let NetError::TooLarge { limit, .. } = self {
            map.serialize_entry("limit", limit)?;
        }
        if let NetError::WrongProtocol {
            expected, found, ..
        } = self
        {
            map.serialize_entry("expected", expected)?;
            map.serialize_entry("found", found)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests;
