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

/// Whether a failed name lookup means "no internet / no DNS" rather than
/// "this name does not exist": both servers failed it, or the name is one
/// the provider's own settings give.
pub(super) fn dns_offline(
    report: &DoctorReport,
    p: &ServerProbe,
    provider: Option<&Provider>,
    ctx: &Context,
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
pub(super) fn login_unasked(p: &ServerProbe, ctx: &Context) -> bool {
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

    #[test]
    fn auth_capability_forms() {
        assert!(advertises_auth("AUTH PLAIN LOGIN"));
        assert!(advertises_auth("auth=login"));
        assert!(!advertises_auth("AUTHORITY"));
        assert!(!advertises_auth("8BITMIME"));
    }
}
