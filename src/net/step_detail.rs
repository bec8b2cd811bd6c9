//! What one step of a dialogue saw, as a typed value the faces localise:
//! the addresses found, the peer, the TLS version and certificate, the
//! capabilities, the server's own reply (quoted evidence, labelled as what
//! the server said), why a step was skipped, or the typed error.

use super::error::{NetError, Reply};
use crate::i18n::{self, Lang};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum StepDetail {
    #[default]
    None,
    /// The addresses a name resolved to.
    Addresses {
        addresses: Vec<String>,
    },
    /// The address connected to.
    Peer {
        addr: String,
    },
    /// The TLS version and the certificate's main name.
    Tls {
        version: String,
        subject: String,
        pinned: bool,
    },
    Capabilities {
        list: Vec<String>,
    },
    /// The server's reply, as it said it.
    Reply {
        reply: Reply,
    },
    /// A login: how (`AUTHENTICATE PLAIN`, `AUTH XOAUTH2` …) and the reply.
    Login {
        mechanism: String,
        reply: Reply,
    },
    /// A step that needed no network, and why.
    Note {
        note: StepNote,
    },
    Error {
        error: NetError,
    },
}

/// Why a step ended without talking to the server, or what it noticed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StepNote {
    /// Skipped: the account uses no login.
    NoLogin,
    /// Skipped: the SMTP server takes mail without a login.
    ServerNeedsNoLogin,
    /// Skipped: no password given.
    NoPassword,
    /// Skipped: no access token given.
    NoToken,
    /// The IMAP server greeted with PREAUTH: already logged in.
    Preauth,
    /// The POP3 server does not know CAPA.
    CapaNotSupported,
}

impl StepNote {
    pub fn i18n_key(self) -> &'static str {
        match self {
            StepNote::NoLogin => "net.detail.note.no_login",
            StepNote::ServerNeedsNoLogin => "net.detail.note.server_needs_no_login",
            StepNote::NoPassword => "net.detail.note.no_password",
            StepNote::NoToken => "net.detail.note.no_token",
            StepNote::Preauth => "net.detail.note.preauth",
            StepNote::CapaNotSupported => "net.detail.note.capa_not_supported",
        }
    }

    /// Whether the note says the login step was skipped.
    pub fn is_skip(self) -> bool {
        !matches!(self, StepNote::Preauth | StepNote::CapaNotSupported)
    }
}

impl StepDetail {
    pub fn reply(reply: Reply) -> StepDetail {
        StepDetail::Reply { reply }
    }

    pub fn note(note: StepNote) -> StepDetail {
        StepDetail::Note { note }
    }

    pub fn is_empty(&self) -> bool {
        matches!(self, StepDetail::None)
    }

    /// The detail in `lang`; empty for `None`.
    pub fn localized(&self, lang: Lang) -> String {
        match self {
            StepDetail::None => String::new(),
            StepDetail::Addresses { addresses } => addresses.join(", "),
            StepDetail::Peer { addr } => addr.clone(),
            StepDetail::Tls {
                version,
                subject,
                pinned,
            } => {
                let key = if *pinned {
                    "net.detail.tls_pinned"
                } else {
                    "net.detail.tls"
                };
                i18n::tf(lang, key, &[("version", version), ("subject", subject)])
            }
            StepDetail::Capabilities { list } if list.is_empty() => {
                i18n::t(lang, "net.detail.no_capabilities").to_string()
            }
            StepDetail::Capabilities { list } => list.join(", "),
            StepDetail::Reply { reply } => {
                i18n::tf(lang, "net.detail.reply", &[("reply", &reply.to_string())])
            }
            StepDetail::Login { mechanism, reply } => i18n::tf(
                lang,
                "net.detail.login",
                &[("mechanism", mechanism), ("reply", &reply.to_string())],
            ),
            StepDetail::Note { note } => i18n::t(lang, note.i18n_key()).to_string(),
            StepDetail::Error { error } => error.localized(lang),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_detail_has_both_texts() {
        let samples = [
            StepDetail::Tls {
                version: "TLS 1.3".into(),
                subject: "mail.example.test".into(),
                pinned: false,
            },
            StepDetail::Tls {
                version: "TLS 1.3".into(),
                subject: "mail.example.test".into(),
                pinned: true,
            },
            StepDetail::Capabilities { list: vec![] },
            StepDetail::reply(Reply::smtp(250, "2.0.0 Ok")),
            StepDetail::Login {
                mechanism: "AUTH PLAIN".into(),
                reply: Reply::smtp(235, "2.7.0 ok"),
            },
        ];
        let notes = [
            StepNote::NoLogin,
            StepNote::ServerNeedsNoLogin,
            StepNote::NoPassword,
            StepNote::NoToken,
            StepNote::Preauth,
            StepNote::CapaNotSupported,
        ]
        .map(StepDetail::note);
        for d in samples.iter().chain(notes.iter()) {
            for lang in Lang::ALL {
                let text = d.localized(lang);
                assert!(!text.is_empty() && !text.contains('{'), "{d:?}: {text}");
                assert!(!text.starts_with("net.detail"), "{d:?}: {text}");
            }
        }
        let fr = StepDetail::reply(Reply::smtp(250, "Ok")).localized(Lang::Fr);
        assert!(fr.contains("«\u{a0}250 Ok\u{a0}»"), "{fr}");
        let json = serde_json::to_value(StepDetail::note(StepNote::NoPassword)).unwrap();
        assert_eq!(json["type"], "note");
        assert_eq!(json["note"], "no_password");
    }
}
