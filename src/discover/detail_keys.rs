//! Each `SourceDetail` as its key under `discover.detail.` and the
//! arguments of that text, one helper per family of sources.

use super::{Failure, SourceDetail};
use crate::i18n::{self, Lang};

/// A key and its arguments; an empty key has no text.
pub(super) type KeyArgs = (&'static str, Vec<(&'static str, String)>);

/// The failures of a source, `at: why` each, in `lang`.
fn failures(lang: Lang, list: &[Failure]) -> String {
    list.iter()
        .map(|f| {
            i18n::tf(
                lang,
                "discover.detail.failure",
                &[("at", &f.at), ("why", &f.why.localized(lang))],
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// No text: for `None`, and in each helper for a detail of another family
/// (which `key_args` never sends there).
fn none() -> KeyArgs {
    ("", Vec::new())
}

impl SourceDetail {
    /// The key under `discover.detail.` and its arguments.
    pub(super) fn key_args(&self, lang: Lang) -> KeyArgs {
        use SourceDetail as D;
        match self {
            D::Preset { .. } | D::NoPreset { .. } | D::Document { .. } | D::NotInIspdb { .. } => {
                self.document_key_args()
            }
            D::MxPreset { .. }
            | D::MxDocument { .. }
            | D::NoMx { .. }
            | D::MxInOwnDomain { .. }
            | D::MxUnknown { .. }
            | D::MxFailed { .. } => self.mx_key_args(lang),
            D::Srv { .. }
            | D::NoSrv { .. }
            | D::Guessed { .. }
            | D::GuessNoTls { .. }
            | D::GuessNoTime { .. } => self.srv_or_guess_key_args(),
            D::AutodiscoverNotNeeded
            | D::ExchangeOnline { .. }
            | D::ExchangeOnly { .. }
            | D::RedirectNeedsConsent { .. } => self.autodiscover_key_args(),
            D::None
            | D::NoDnsAnswer
            | D::NoTimeLeft
            | D::Cancelled
            | D::Deadline { .. }
            | D::StoppedEarly
            | D::CannotStart
            | D::Failed { .. } => self.ending_key_args(lang),
        }
    }

    /// A built-in preset, or a clientConfig document (ISPDB, autoconfig).
    fn document_key_args(&self) -> KeyArgs {
        use SourceDetail as D;
        match self {
            D::Preset { name, id } => (
                "discover.detail.preset",
                vec![("name", name.clone()), ("id", id.clone())],
            ),
            D::NoPreset { domain } => (
                "discover.detail.no_preset",
                vec![("domain", domain.clone())],
            ),
            D::Document {
                url,
                incoming,
                outgoing,
                secure,
            } => (
                if *secure {
                    "discover.detail.document"
                } else {
                    "discover.detail.document_plain"
                },
                vec![
                    ("url", url.clone()),
                    ("incoming", incoming.to_string()),
                    ("outgoing", outgoing.to_string()),
                ],
            ),
            D::NotInIspdb { url } => ("discover.detail.not_in_ispdb", vec![("url", url.clone())]),
            _ => none(),
        }
    }

    /// What the domain's MX host said about its provider.
    fn mx_key_args(&self, lang: Lang) -> KeyArgs {
        use SourceDetail as D;
        match self {
            D::MxPreset { mx, preset } => (
                "discover.detail.mx_preset",
                vec![("mx", mx.clone()), ("preset", preset.clone())],
            ),
            D::MxDocument { mx, url } => (
                "discover.detail.mx_document",
                vec![("mx", mx.clone()), ("url", url.clone())],
            ),
            D::NoMx { domain } => ("discover.detail.no_mx", vec![("domain", domain.clone())]),
            D::MxInOwnDomain { mx, domain } => (
                "discover.detail.mx_in_own_domain",
                vec![("mx", mx.clone()), ("domain", domain.clone())],
            ),
            D::MxUnknown { mx, domains } => (
                "discover.detail.mx_unknown",
                vec![("mx", mx.clone()), ("domains", domains.join(", "))],
            ),
            D::MxFailed { mx, failures: f } => (
                "discover.detail.mx_failed",
                vec![("mx", mx.clone()), ("failures", failures(lang, f))],
            ),
            _ => none(),
        }
    }

    /// SRV records, and the guessed servers probed when nothing else answered.
    fn srv_or_guess_key_args(&self) -> KeyArgs {
        use SourceDetail as D;
        match self {
            D::Srv { records } => ("discover.detail.srv", vec![("records", records.join(", "))]),
            D::NoSrv { domain } => ("discover.detail.no_srv", vec![("domain", domain.clone())]),
            D::Guessed {
                servers,
                failed,
                probes,
                not_needed,
            } => (
                if *not_needed {
                    "discover.detail.guessed_not_needed"
                } else {
                    "discover.detail.guessed"
                },
                vec![
                    ("servers", servers.join(", ")),
                    ("failed", failed.to_string()),
                    ("probes", probes.to_string()),
                ],
            ),
            D::GuessNoTls { probes } => (
                "discover.detail.guess_no_tls",
                vec![("probes", probes.to_string())],
            ),
            D::GuessNoTime { probes } => (
                "discover.detail.guess_no_time",
                vec![("probes", probes.to_string())],
            ),
            _ => none(),
        }
    }

    /// What Microsoft's Autodiscover said, or why it was not asked.
    fn autodiscover_key_args(&self) -> KeyArgs {
        use SourceDetail as D;
        match self {
            D::AutodiscoverNotNeeded => ("discover.detail.autodiscover_not_needed", Vec::new()),
            D::ExchangeOnline { host } => (
                "discover.detail.exchange_online",
                vec![("host", host.clone())],
            ),
            D::ExchangeOnly { host } => (
                "discover.detail.exchange_only",
                vec![("host", host.clone())],
            ),
            D::RedirectNeedsConsent { host } => (
                "discover.detail.redirect_needs_consent",
                vec![("host", host.clone())],
            ),
            _ => none(),
        }
    }

    /// How any source ended without a finding of its own kind.
    fn ending_key_args(&self, lang: Lang) -> KeyArgs {
        use SourceDetail as D;
        match self {
            D::None => none(),
            D::NoDnsAnswer => ("discover.detail.no_dns_answer", Vec::new()),
            D::NoTimeLeft => ("discover.detail.no_time_left", Vec::new()),
            D::Cancelled => ("discover.detail.cancelled", Vec::new()),
            D::Deadline { ms } => ("discover.detail.deadline", vec![("ms", ms.to_string())]),
            D::StoppedEarly => ("discover.detail.stopped_early", Vec::new()),
            D::CannotStart => ("discover.detail.cannot_start", Vec::new()),
            D::Failed { failures: f } => (
                "discover.detail.failed",
                vec![("failures", failures(lang, f))],
            ),
            _ => none(),
        }
    }
}
