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
    /// The sources to run (default: all). Order does not matter.
    pub sources: Vec<Source>,
    /// ISPDB base URL; the domain is appended.
    pub ispdb_url: String,
    /// The DNS server for SRV, MX and (when set) the guessed host names;
    /// None: the first nameservers of /etc/resolv.conf.
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
    /// Microsoft Autodiscover: the v2 JSON pointer URL template
    /// (`{domain}`, `{email}` URL-encoded).
    pub autodiscover_json_url: String,
    /// The POX endpoint templates, tried in order (https only).
    pub autodiscover_urls: Vec<String>,
    /// The plain-http endpoint, asked only for its redirect.
    pub autodiscover_http_url: String,
    /// Domains the user allowed Autodiscover to be redirected to
    /// (`--allow-redirect`); the address's own domain and Microsoft's
    /// service always are.
    pub autodiscover_allow: Vec<String>,
    /// Benchmarks only: make a source wait this long before it starts.
    #[cfg(feature = "test-support")]
    pub slow: Vec<(Source, Duration)>,
    /// Benchmarks only: run the sources one after another.
    #[cfg(feature = "test-support")]
    pub sequential: bool,
}

impl Default for DiscoverOptions {
    fn default() -> Self {
        DiscoverOptions {
            sources: Source::ALL.to_vec(),
            ispdb_url: DEFAULT_ISPDB_URL.to_string(),
            dns_server: None,
            timeout: Duration::from_secs(8),
            cancel: None,
            stop_early: true,
            autoconfig_urls: default_autoconfig_urls(),
            ca_file: None,
            guess_ports: BTreeMap::new(),
            autodiscover_json_url: "https://autodiscover.{domain}/autodiscover/autodiscover.json/v1.0/{email}?Protocol=AutodiscoverV1".to_string(),
            autodiscover_urls: vec![
                "https://autodiscover.{domain}/autodiscover/autodiscover.xml".to_string(),
                "https://{domain}/autodiscover/autodiscover.xml".to_string(),
            ],
            autodiscover_http_url: "http://autodiscover.{domain}/autodiscover/autodiscover.xml"
                .to_string(),
            autodiscover_allow: Vec::new(),
            #[cfg(feature = "test-support")]
            slow: Vec::new(),
            #[cfg(feature = "test-support")]
            sequential: false,
        }
    }
}

impl DiscoverOptions {
    /// These options with the overrides a face read from its environment
    /// (`get` is e.g. `|k| std::env::var(k).ok()`; the core reads none):
    /// `MAILWIZ_DISCOVER_SOURCES` (`preset,ispdb,…`, used when every name
    /// is known), `MAILWIZ_ISPDB_URL`, `MAILWIZ_DNS_SERVER` (`IP:PORT`).
    /// Values that do not parse are ignored.
    pub fn with_overrides(mut self, get: impl Fn(&str) -> Option<String>) -> Self {
        if let Some(list) = get("MAILWIZ_DISCOVER_SOURCES").and_then(|v| parse_sources(&v)) {
            self.sources = list;
        }
        if let Some(url) = get("MAILWIZ_ISPDB_URL").filter(|u| !u.trim().is_empty()) {
            self.ispdb_url = url;
        }
        if let Some(server) = get("MAILWIZ_DNS_SERVER").and_then(|v| v.trim().parse().ok()) {
            self.dns_server = Some(server);
        }
        self
    }
}

/// A comma list of source names, when every name is known.
fn parse_sources(v: &str) -> Option<Vec<Source>> {
    let list: Result<Vec<Source>, _> = v
        .split(',')
        .filter(|s| !s.trim().is_empty())
        .map(str::parse)
        .collect();
    list.ok().filter(|l| !l.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_core_reads_no_environment_and_takes_overrides() {
        let d = DiscoverOptions::default();
        assert_eq!(d.sources, Source::ALL.to_vec());
        assert_eq!(d.ispdb_url, DEFAULT_ISPDB_URL);
        assert_eq!(d.dns_server, None);
        let vars = |k: &str| match k {
            "MAILWIZ_DISCOVER_SOURCES" => Some("srv, mx".to_string()),
            "MAILWIZ_ISPDB_URL" => Some("http://127.0.0.1:9/v1.1/".to_string()),
            "MAILWIZ_DNS_SERVER" => Some("127.0.0.1:5353".to_string()),
            _ => None,
        };
        let o = DiscoverOptions::default().with_overrides(vars);
        assert_eq!(o.sources, [Source::Srv, Source::Mx]);
        assert_eq!(o.ispdb_url, "http://127.0.0.1:9/v1.1/");
        assert_eq!(o.dns_server, Some("127.0.0.1:5353".parse().unwrap()));
        let bad = |k: &str| match k {
            "MAILWIZ_DISCOVER_SOURCES" => Some("srv,bogus".to_string()),
            "MAILWIZ_DNS_SERVER" => Some("not an address".to_string()),
            _ => None,
        };
        let o = DiscoverOptions::default().with_overrides(bad);
        assert_eq!(o.sources, Source::ALL.to_vec());
        assert_eq!(o.dns_server, None);
    }
}
