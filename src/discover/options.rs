//! What a discovery run may use. Every network address is overridable, so
//! tests and benchmarks never touch the internet.

use super::Source;
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

/// The public ISPDB; mailwiz appends the domain.
pub const DEFAULT_ISPDB_URL: &str = "https://autoconfig.thunderbird.net/v1.1/";

/// The provider autoconfig URLs, tried in this order: both https ones at
/// once, then (only when neither answered) both http ones. `{domain}` and
/// `{email}` are filled in (the address URL-encoded).
pub fn default_autoconfig_urls() -> Vec<String> {
    [
        "https://autoconfig.{domain}/mail/config-v1.1.xml?emailaddress={email}",
        "https://{domain}/.well-known/autoconfig/mail/config-v1.1.xml",
        "http://autoconfig.{domain}/mail/config-v1.1.xml?emailaddress={email}",
        "http://{domain}/.well-known/autoconfig/mail/config-v1.1.xml",
    ]
    .map(String::from)
    .to_vec()
}

#[derive(Debug, Clone)]
pub struct DiscoverOptions {
    /// The sources to run (default: all, or the comma list in
    /// `$MAILWIZ_DISCOVER_SOURCES`). Order does not matter.
    pub sources: Vec<Source>,
    /// ISPDB base URL; the domain is appended (`$MAILWIZ_ISPDB_URL` overrides
    /// the default in [`Default`]).
    pub ispdb_url: String,
    /// The DNS server for SRV, MX and (when set) the guessed host names;
    /// None: the first nameservers of /etc/resolv.conf (`$MAILWIZ_DNS_SERVER`,
    /// `IP:PORT`, sets it in [`Default`]).
    pub dns_server: Option<SocketAddr>,
    /// One deadline for the whole run.
    pub timeout: Duration,
    pub cancel: Option<Arc<AtomicBool>>,
    /// Stop as soon as a top-priority source (preset, ISPDB, https
    /// autoconfig) gave usable settings (default). False: wait for every
    /// source or the deadline.
    pub stop_early: bool,
    /// Provider autoconfig URL templates (see [`default_autoconfig_urls`]);
    /// a template is "secure" when its final URL is https.
    pub autoconfig_urls: Vec<String>,
    /// Extra CA certificates (PEM) trusted for https fetches and for the
    /// guessed servers, on top of the system roots (for tests and
    /// company CAs).
    pub ca_file: Option<PathBuf>,
    /// Guessing: standard port → port actually probed (tests run servers
    /// on high loopback ports). Ports not in the map are probed as is.
    pub guess_ports: BTreeMap<u16, u16>,
    /// Benchmarks only: make a source wait this long before it starts.
    #[doc(hidden)]
    pub slow: Vec<(Source, Duration)>,
    /// Benchmarks only: run the sources one after another.
    #[doc(hidden)]
    pub sequential: bool,
}

impl Default for DiscoverOptions {
    fn default() -> Self {
        DiscoverOptions {
            sources: env_sources().unwrap_or_else(|| Source::ALL.to_vec()),
            ispdb_url: std::env::var("MAILWIZ_ISPDB_URL")
                .ok()
                .filter(|u| !u.trim().is_empty())
                .unwrap_or_else(|| DEFAULT_ISPDB_URL.to_string()),
            dns_server: env_dns_server(),
            timeout: Duration::from_secs(8),
            cancel: None,
            stop_early: true,
            autoconfig_urls: default_autoconfig_urls(),
            ca_file: None,
            guess_ports: BTreeMap::new(),
            slow: Vec::new(),
            sequential: false,
        }
    }
}

/// `$MAILWIZ_DNS_SERVER` (`IP:PORT`), when set and valid.
fn env_dns_server() -> Option<SocketAddr> {
    std::env::var("MAILWIZ_DNS_SERVER")
        .ok()
        .and_then(|v| v.trim().parse().ok())
}

/// `$MAILWIZ_DISCOVER_SOURCES` (`preset,ispdb,…`), when set and every name
/// is known.
fn env_sources() -> Option<Vec<Source>> {
    let v = std::env::var("MAILWIZ_DISCOVER_SOURCES").ok()?;
    let list: Result<Vec<Source>, _> = v
        .split(',')
        .filter(|s| !s.trim().is_empty())
        .map(str::parse)
        .collect();
    list.ok().filter(|l| !l.is_empty())
}
