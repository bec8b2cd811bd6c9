//! Why a name has no address, why a connection broke: typed causes each
//! face says in its language; the system's own words kept as evidence.

use super::io_kind::{io_kind_key, io_kind_words};
use crate::i18n::{self, Lang};
use std::io;

/// Why a name has no address, typed: each face says it in its language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DnsCause {
    /// The name exists in no answer.
    NoAddress,
    /// Addresses exist, none of the family forced by `--ipv4`/`--ipv6`.
    NoFamilyAddress(crate::net::Family),
    /// The resolver failed; `said` is its own words, kept as evidence.
    Failed { said: String },
    /// mailwiz's own DNS client (with `$MAILWIZ_DNS_SERVER`) failed, typed.
    Stub(crate::discover::dns::DnsError),
}

impl DnsCause {
    pub fn failed(said: &str) -> DnsCause {
        DnsCause::Failed {
            said: crate::net::clean_text(said.as_bytes()),
        }
    }

    pub fn localized(&self, lang: Lang) -> String {
        match self {
            DnsCause::NoAddress => i18n::t(lang, "net.dns.no_address").to_string(),
            DnsCause::NoFamilyAddress(family) => i18n::tf(
                lang,
                "net.dns.no_family_address",
                &[("family", family.name())],
            ),
            DnsCause::Failed { said } => i18n::tf(lang, "net.dns.failed", &[("said", said)]),
            DnsCause::Stub(e) => e.localized(lang),
        }
    }
}

/// Why a connection broke, typed: each face says it in its language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IoCause {
    /// The server closed the connection (end of stream, reset).
    Closed,
    /// Another I/O error; `os` is the system's own words, kept as evidence.
    Os { kind: io::ErrorKind, os: String },
    /// A test of mailwiz's own stopped without an answer (a thread died).
    Internal,
}

impl IoCause {
    pub fn of(e: &io::Error) -> IoCause {
        match io_kind_key(e.kind()) {
            "net.io.closed" => IoCause::Closed,
            _ => IoCause::Os {
                kind: e.kind(),
                os: crate::net::clean_text(e.to_string().as_bytes()),
            },
        }
    }

    /// In `lang`: the kind's words, and the system's words when the kind
    /// has no name of its own.
    pub fn localized(&self, lang: Lang) -> String {
        match self {
            IoCause::Closed => i18n::t(lang, "net.io.closed").to_string(),
            IoCause::Internal => i18n::t(lang, "net.io.internal").to_string(),
            IoCause::Os { kind, os } if io_kind_key(*kind) == "net.io.other" => {
                i18n::tf(lang, "net.io.other_said", &[("os", os)])
            }
            IoCause::Os { kind, .. } => io_kind_words(lang, *kind),
        }
    }
}
