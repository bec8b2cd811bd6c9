//! Why an exchange with a server could not go on, short of a refusal:
//! typed, so each face says it in its language. The server's (or the mail
//! library's) own words are kept as evidence, cleaned.

use crate::i18n::{self, Lang};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The server answered something else than the protocol allows here;
    /// `said` is its line.
    Unexpected { said: String },
    /// The server offers no login (no AUTH) on this connection.
    NoAuth,
    /// The server offers neither XOAUTH2 nor OAUTHBEARER.
    NoOauthMechanism,
    /// A line break in a user name, password or command: never sent.
    LineBreak,
    /// A mailbox name or search text that cannot be sent (not ASCII).
    NotAscii,
    /// STARTTLS asked twice on one connection (a bug of mailwiz).
    AlreadyEncrypted,
    /// An address the mail library refuses; `said` is its words.
    BadAddress { address: String, said: String },
    /// The test message could not be built; `said` is the library's words.
    BadMessage { said: String },
}

impl Problem {
    /// `Unexpected` with the server's line, cleaned.
    pub fn unexpected(said: &str) -> Problem {
        Problem::Unexpected {
            said: super::super::clean_text(said.as_bytes()),
        }
    }

    pub fn bad_address(address: &str, said: &str) -> Problem {
        Problem::BadAddress {
            address: super::super::clean_text(address.as_bytes()),
            said: super::super::clean_text(said.as_bytes()),
        }
    }

    /// The i18n key (`net.problem.*`) and its arguments.
    pub fn i18n(&self) -> (&'static str, Vec<(&'static str, &str)>) {
        match self {
            Problem::Unexpected { said } => ("net.problem.unexpected", vec![("said", said)]),
            Problem::NoAuth => ("net.problem.no_auth", vec![]),
            Problem::NoOauthMechanism => ("net.problem.no_oauth_mechanism", vec![]),
            Problem::LineBreak => ("net.problem.line_break", vec![]),
            Problem::NotAscii => ("net.problem.not_ascii", vec![]),
            Problem::AlreadyEncrypted => ("net.problem.already_encrypted", vec![]),
            Problem::BadAddress { address, said } => (
                "net.problem.bad_address",
                vec![("address", address), ("said", said)],
            ),
            Problem::BadMessage { said } => ("net.problem.bad_message", vec![("said", said)]),
        }
    }

    pub fn localized(&self, lang: Lang) -> String {
        let (key, args) = self.i18n();
        i18n::tf(lang, key, &args)
    }
}
