//! The embedded catalog (`assets/providers.toml`), parsed once, and the
//! lookups by id, address domain and MX host.

use super::Provider;
use crate::account::domain_of;
use serde::Deserialize;
use std::sync::OnceLock;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Catalog {
    providers: Vec<Provider>,
}

pub(super) const PROVIDERS_TOML: &str = include_str!("../../assets/providers.toml");

pub(super) fn parse(text: &str) -> Result<Vec<Provider>, toml::de::Error> {
    toml::from_str::<Catalog>(text).map(|c| c.providers)
}

/// Every built-in provider, in file order.
pub fn all() -> &'static [Provider] {
    static ALL: OnceLock<Vec<Provider>> = OnceLock::new();
    ALL.get_or_init(|| {
        // The file is embedded and checked by the tests below.
        parse(PROVIDERS_TOML).unwrap_or_else(|e| panic!("assets/providers.toml is invalid: {e}"))
    })
}

/// The provider with this id.
pub fn by_id(id: &str) -> Option<&'static Provider> {
    all().iter().find(|p| p.id == id)
}

/// The provider serving this address's domain (case-insensitive).
pub fn for_email(email: &str) -> Option<&'static Provider> {
    let domain = domain_of(email.trim()).trim_end_matches('.');
    if domain.is_empty() {
        return None;
    }
    all().iter().find(|p| p.serves(domain))
}

/// The provider whose mail exchangers include this MX host: the host is one
/// of its `mx_hosts`, or under one (`alt1.aspmx.l.google.com` under
/// `google.com`). Case-insensitive; a trailing dot is ignored.
pub fn for_mx_host(host: &str) -> Option<&'static Provider> {
    let host = host.trim().trim_end_matches('.').to_ascii_lowercase();
    if host.is_empty() {
        return None;
    }
    all().iter().find(|p| {
        p.mx_hosts.iter().any(|m| {
            host == *m
                || host
                    .strip_suffix(m.as_str())
                    .is_some_and(|rest| rest.ends_with('.'))
        })
    })
}
