//! What a finding saw, kept typed until the finding is put in words: the
//! server's own words stay as they are, mailwiz's words are localised.

use super::PortOutcome;
use crate::account::display_fingerprint;
use crate::i18n::{Lang, t, tf};
use crate::net::NetError;

/// What was seen, kept typed until the finding is put in words: the
/// server's own words stay as they are, mailwiz's words are localised.
#[derive(Clone)]
pub(super) enum Evidence {
    Error(Option<NetError>),
    Ok {
        cert: Option<String>,
        user: Option<String>,
        rcpt: Option<String>,
    },
    Ports(Vec<(u16, PortOutcome)>),
}

impl Evidence {
    pub(super) fn localized(&self, lang: Lang) -> String {
        match self {
            Evidence::Error(e) => error_evidence(e.as_ref(), lang),
            Evidence::Ok { cert, user, rcpt } => {
                let mut parts = Vec::new();
                if let Some(c) = cert {
                    parts.push(tf(lang, "doctor.evidence.tls_cert", &[("name", c)]));
                }
                if let Some(u) = user {
                    parts.push(tf(lang, "doctor.evidence.logged_in", &[("user", u)]));
                }
                if let Some(r) = rcpt {
                    parts.push(tf(
                        lang,
                        "common.labelled",
                        &[("label", "RCPT TO"), ("value", r)],
                    ));
                }
                parts.join(t(lang, "common.list_sep"))
            }
            Evidence::Ports(ports) => ports
                .iter()
                .map(|(port, o)| {
                    let label = port.to_string();
                    let value = tf(lang, o.i18n_key(), &[]);
                    tf(
                        lang,
                        "common.labelled",
                        &[("label", &label), ("value", &value)],
                    )
                })
                .collect::<Vec<_>>()
                .join(", "),
        }
    }
}

fn error_evidence(e: Option<&NetError>, lang: Lang) -> String {
    match e {
        None => String::new(),
        Some(NetError::AuthFailed { reply } | NetError::Rejected { reply, .. }) => {
            reply.to_string()
        }
        // The finding's title already says what is wrong with the
        // certificate; the evidence is the certificate itself.
        Some(e @ NetError::Tls(t)) => match &t.cert {
            Some(c) => tf(
                lang,
                "doctor.cli.certificate",
                &[
                    ("subject", &c.subject),
                    ("names", &c.sans.join(", ")),
                    ("issuer", &c.issuer),
                    ("not_before", &c.not_before),
                    ("not_after", &c.not_after),
                    ("sha256", &display_fingerprint(&c.sha256)),
                ],
            ),
            None => e.localized(lang),
        },
        Some(NetError::WrongProtocol { greeting, .. }) => greeting.clone(),
        Some(e) => e.localized(lang),
    }
}
