//! What a finding saw, kept typed until the finding is put in words: the
//! server's own words stay as they are, mailwiz's words are localised.

use super::PortOutcome;
use crate::account::display_fingerprint;
use crate::i18n::{Lang, tf};
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
    /// Per address family: "IPv6 [::1]:993: refused, IPv4 127.0.0.1:993: 3 ms".
    Families(Vec<super::FamilyProbe>),
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
                    parts.push(format!("RCPT TO: {r}"));
                }
                parts.join("; ")
            }
            Evidence::Ports(ports) => ports
                .iter()
                .map(|(port, o)| format!("{port}: {}", tf(lang, o.i18n_key(), &[])))
                .collect::<Vec<_>>()
                .join(", "),
            Evidence::Families(list) => families_text(list, lang),
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

/// "IPv6 [::1]:993: refused; IPv4 127.0.0.1:993: 3 ms"
pub(crate) fn families_text(list: &[super::FamilyProbe], lang: Lang) -> String {
    list.iter()
        .map(|f| {
            let result = if f.outcome == PortOutcome::Open {
                tf(
                    lang,
                    "doctor.family.connected_ms",
                    &[("ms", &f.ms.to_string())],
                )
            } else {
                tf(lang, f.outcome.i18n_key(), &[])
            };
            format!("{} {}: {result}", f.family.name(), f.addr)
        })
        .collect::<Vec<_>>()
        .join("; ")
}
