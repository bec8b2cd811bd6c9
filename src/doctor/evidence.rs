//! What a finding saw, kept typed until the finding is put in words: the
//! server's own words stay as they are, mailwiz's words are localised.

use super::PortOutcome;
use super::bundle_words::{Param, Words};
use crate::account::display_fingerprint;
use crate::net::{CertInfo, NetError, Phase};

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
    /// Per address family: "IPv6 [::1]:993: refused; IPv4 127.0.0.1:993: connected in 3 ms".
    Families(Vec<super::FamilyProbe>),
    /// A file of the account's (its CA file), as it names it.
    Path(String),
}

impl Evidence {
    /// The evidence as language-free words (`Words::render` localises).
    pub(super) fn words(&self) -> Words {
        match self {
            Evidence::Error(e) => error_words(e.as_ref()),
            Evidence::Path(path) => Words::said(path.clone()),
            Evidence::Ok { cert, user, rcpt } => {
                let mut parts = Vec::new();
                if let Some(c) = cert {
                    parts.push(Words::msg(
                        "doctor.evidence.tls_cert",
                        vec![Param::text("name", c)],
                    ));
                }
                if let Some(u) = user {
                    parts.push(Words::msg(
                        "doctor.evidence.logged_in",
                        vec![Param::text("user", u)],
                    ));
                }
                if let Some(r) = rcpt {
                    parts.push(Words::said(format!("RCPT TO: {r}")));
                }
                join("; ", parts)
            }
            Evidence::Ports(ports) => join(
                ", ",
                ports
                    .iter()
                    .map(|(port, o)| {
                        join(
                            ": ",
                            vec![
                                Words::said(port.to_string()),
                                Words::msg(o.i18n_key(), vec![]),
                            ],
                        )
                    })
                    .collect(),
            ),
            Evidence::Families(list) => families_words(list),
        }
    }
}

fn join(sep: &str, parts: Vec<Words>) -> Words {
    Words::Join {
        sep: sep.to_string(),
        parts,
    }
}

/// "IPv6 [::1]:993: refused; IPv4 127.0.0.1:993: connected in 3 ms"
pub(crate) fn families_words(list: &[super::FamilyProbe]) -> Words {
    join(
        "; ",
        list.iter()
            .map(|f| {
                let result = if f.outcome == PortOutcome::Open {
                    Words::msg(
                        "doctor.family.connected_ms",
                        vec![Param::text("ms", f.ms.to_string())],
                    )
                } else {
                    Words::msg(f.outcome.i18n_key(), vec![])
                };
                Words::msg(
                    "doctor.family.line",
                    vec![
                        Param::text("family", f.family.name()),
                        Param::text("addr", &f.addr),
                        Param::words("result", result),
                    ],
                )
            })
            .collect(),
    )
}

/// A certificate's description, as the doctor prints it.
pub(crate) fn cert_words(c: &CertInfo) -> Words {
    Words::msg(
        "doctor.cli.certificate",
        vec![
            Param::text("subject", &c.subject),
            Param::text("names", c.sans.join(", ")),
            Param::text("issuer", &c.issuer),
            Param::text("not_before", &c.not_before),
            Param::text("not_after", &c.not_after),
            Param::text("sha256", display_fingerprint(&c.sha256)),
        ],
    )
}

/// A network error in words: its message, the phase in the reader's language.
pub(crate) fn net_error_words(e: &NetError) -> Words {
    let phase: Option<Phase> = e.phase();
    let args = e
        .i18n_args()
        .into_iter()
        .map(|(k, v)| match (k, phase) {
            ("phase", Some(p)) => Param::words(k, Words::msg(p.i18n_key(), vec![])),
            ("phase", None) => Param::text(k, ""),
            _ => Param::text(k, v),
        })
        .collect();
    Words::msg(e.i18n_key(), args)
}

fn error_words(e: Option<&NetError>) -> Words {
    match e {
        None => Words::empty(),
        Some(NetError::AuthFailed { reply } | NetError::Rejected { reply, .. }) => {
            Words::said(reply.to_string())
        }
        // The finding's title already says what is wrong with the
        // certificate; the evidence is the certificate itself.
        Some(e @ NetError::Tls(t)) => match &t.cert {
            Some(c) => cert_words(c),
            None => net_error_words(e),
        },
        Some(NetError::WrongProtocol { greeting, .. }) => Words::said(greeting.clone()),
        Some(e) => net_error_words(e),
    }
}
