//! What the findings need to know beyond the probes themselves: where the
//! server names came from, and whether the account chose not to log in to
//! SMTP. The diagnosis screen and the wizard's Test and Send steps pass the
//! same context, so the same failure reads the same everywhere.

use super::{DoctorReport, ServerProbe};
use crate::check::Side;
use crate::net::NetError;
use crate::providers::Provider;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Context {
    /// The server names came from a directory (a built-in preset or the
    /// ISPDB), not from the user's typing: a name that does not resolve
    /// says the network is down, not that it is misspelled.
    pub hosts_from_directory: bool,
    /// "My server requires authentication" is off for SMTP.
    pub smtp_login_off: bool,
}

impl Context {
    /// What a saved account tells by itself (the command-line doctor and
    /// tickets): whether it logs in to SMTP. Where its server names came
    /// from is not recorded; a provider's own host names still count (see
    /// `dns_offline`).
    pub fn for_account(acct: &crate::account::Account) -> Context {
        Context {
            hosts_from_directory: false,
            smtp_login_off: !acct.smtp.auth_required,
        }
    }
}

/// Whether a failed name lookup means "no internet / no DNS" rather than
/// "this name does not exist": both servers failed it, or the name is one
/// the provider's own settings give.
pub(super) fn dns_offline(
    report: &DoctorReport,
    p: &ServerProbe,
    provider: Option<&Provider>,
    ctx: Context,
) -> bool {
    let dns = |x: &ServerProbe| matches!(x.error, Some(NetError::Dns { .. }));
    if !dns(p) {
        return false;
    }
    ctx.hosts_from_directory
        || (dns(&report.incoming) && dns(&report.smtp))
        || provider.is_some_and(|x| serves(x, &p.host))
}

/// A host named by one of the provider's variants.
fn serves(provider: &Provider, host: &str) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    provider.variants.iter().any(|v| {
        v.incoming
            .iter()
            .any(|s| s.host.eq_ignore_ascii_case(&host))
            || v.smtp.iter().any(|s| s.host.eq_ignore_ascii_case(&host))
    })
}

/// An SMTP server that worked without a login although it offers one
/// (EHLO lists AUTH): it will most likely refuse to send.
pub(super) fn login_unasked(p: &ServerProbe, ctx: Context) -> bool {
    p.server == Side::Smtp
        && ctx.smtp_login_off
        && p.error.is_none()
        && p.capabilities.iter().any(|c| advertises_auth(c))
}

fn advertises_auth(capability: &str) -> bool {
    let c = capability.trim().to_ascii_uppercase();
    c == "AUTH" || c.starts_with("AUTH ") || c.starts_with("AUTH=")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::Security;
    use crate::doctor::{Code, Severity, findings_in};
    use crate::i18n::Lang;
    use crate::net::{Phase, Wire};

    fn probe(side: Side, host: &str) -> ServerProbe {
        let wire = match side {
            Side::Incoming => Wire::Imap,
            Side::Smtp => Wire::Smtp,
        };
        ServerProbe::new(side, host, 993, Security::Tls, wire)
    }

    fn report(incoming: ServerProbe, smtp: ServerProbe) -> DoctorReport {
        DoctorReport {
            incoming,
            smtp,
            smtp_ports: Vec::new(),
            elapsed_ms: 0,
            transcript: Default::default(),
        }
    }

    fn dns(host: &str) -> NetError {
        NetError::Dns {
            host: host.into(),
            cause: crate::net::DnsCause::NoAddress,
        }
    }

    fn title(r: &DoctorReport, provider: Option<&Provider>, ctx: Context, side: Side) -> String {
        findings_in(r, provider, &ctx, Lang::En)
            .into_iter()
            .find(|f| f.server == side)
            .map(|f| f.title)
            .unwrap_or_default()
    }

    #[test]
    fn a_name_that_does_not_resolve_is_offline_when_it_cannot_be_a_typo() {
        let none = Context::default();
        // Typed, one server: probably misspelled.
        let mut i = probe(Side::Incoming, "imap.exmaple.test");
        i.fail(dns("imap.exmaple.test"));
        let r = report(i.clone(), probe(Side::Smtp, "smtp.example.test"));
        assert!(title(&r, None, none, Side::Incoming).contains("does not exist"));
        // Both servers at once: the network.
        let mut s = probe(Side::Smtp, "smtp.example.test");
        s.fail(dns("smtp.example.test"));
        let both = report(i.clone(), s);
        for side in [Side::Incoming, Side::Smtp] {
            assert!(title(&both, None, none, side).starts_with("No connection"));
        }
        // From a directory (preset or ISPDB), or the provider's own host.
        let from = Context {
            hosts_from_directory: true,
            ..Context::default()
        };
        assert!(title(&r, None, from, Side::Incoming).starts_with("No connection"));
        let free = crate::providers::by_id("free").expect("the Free preset");
        let mut i = probe(Side::Incoming, "imap.free.fr");
        i.fail(dns("imap.free.fr"));
        let r = report(i, probe(Side::Smtp, "smtp.free.fr"));
        assert!(title(&r, Some(free), none, Side::Incoming).starts_with("No connection"));
    }

    #[test]
    fn a_connection_accepted_then_silent_is_named() {
        for phase in [Phase::Greeting, Phase::Tls] {
            let mut s = probe(Side::Smtp, "smtp.example.test");
            s.fail(NetError::Timeout { phase });
            let r = report(probe(Side::Incoming, "imap.example.test"), s);
            let t = title(&r, None, Context::default(), Side::Smtp);
            assert!(
                t.ends_with("accepted the connection but never answered"),
                "{t}"
            );
        }
        let mut s = probe(Side::Smtp, "smtp.example.test");
        s.fail(NetError::Timeout {
            phase: Phase::Connect,
        });
        let r = report(probe(Side::Incoming, "imap.example.test"), s);
        let t = title(&r, None, Context::default(), Side::Smtp);
        assert!(t.ends_with("does not answer"), "{t}");
    }

    #[test]
    fn an_smtp_server_offering_a_login_the_account_skips_is_a_warning() {
        let mut s = probe(Side::Smtp, "smtp.example.test");
        s.capabilities = vec!["PIPELINING".into(), "AUTH PLAIN LOGIN".into()];
        let r = report(probe(Side::Incoming, "imap.example.test"), s.clone());
        let off = Context {
            smtp_login_off: true,
            ..Context::default()
        };
        let f = findings_in(&r, None, &off, Lang::En);
        let smtp: Vec<_> = f.iter().filter(|f| f.server == Side::Smtp).collect();
        assert_eq!(smtp.len(), 1, "{f:?}");
        assert_eq!(smtp[0].code, Code::AuthRequired);
        assert_eq!(smtp[0].severity, Severity::Warning);
        // The login on, or no AUTH offered: nothing to say.
        let on = findings_in(&r, None, &Context::default(), Lang::En);
        assert!(on.iter().all(|f| f.code == Code::Ok));
        s.capabilities = vec!["PIPELINING".into()];
        let r = report(probe(Side::Incoming, "imap.example.test"), s);
        assert!(
            findings_in(&r, None, &off, Lang::En)
                .iter()
                .all(|f| f.code == Code::Ok)
        );
    }

    #[test]
    fn auth_capability_forms() {
        assert!(advertises_auth("AUTH PLAIN LOGIN"));
        assert!(advertises_auth("auth=login"));
        assert!(!advertises_auth("AUTHORITY"));
        assert!(!advertises_auth("8BITMIME"));
    }
}
