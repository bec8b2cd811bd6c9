//! One HTTP GET for an autoconfig document: bounded by the run's deadline,
//! redirects followed, the final URL kept (it decides whether the answer
//! came over an authenticated channel). TLS is rustls with ring.

use super::run::Ctx;
use rustls::pki_types::{CertificateDer, pem::PemObject};
use std::sync::OnceLock;
use ureq::ResponseExt;
use ureq::tls::{Certificate, RootCerts, TlsConfig};

/// An autoconfig document is a few kilobytes.
const MAX_BODY: u64 = 1024 * 1024;

pub(crate) struct Fetched {
    pub url: String,
    pub body: String,
}

#[derive(Debug)]
pub(crate) enum FetchError {
    /// The server answered with this status (404: nothing there).
    Status(u16),
    Timeout,
    Other(String),
}

impl FetchError {
    pub fn describe(&self) -> String {
        match self {
            FetchError::Status(code) => format!("HTTP {code}"),
            FetchError::Timeout => "timeout".to_string(),
            FetchError::Other(e) => e.clone(),
        }
    }
}

fn system_certs() -> &'static Vec<CertificateDer<'static>> {
    static CERTS: OnceLock<Vec<CertificateDer<'static>>> = OnceLock::new();
    CERTS.get_or_init(|| rustls_native_certs::load_native_certs().certs)
}

/// The roots: Mozilla's by default; with a CA file, the system's plus it.
fn roots(ctx: &Ctx) -> Result<RootCerts, FetchError> {
    let Some(path) = &ctx.opts.ca_file else {
        return Ok(RootCerts::WebPki);
    };
    let pem = std::fs::read(path)
        .map_err(|e| FetchError::Other(format!("CA file {}: {e}", path.display())))?;
    let mut certs: Vec<Certificate<'static>> = system_certs()
        .iter()
        .map(|c| Certificate::from_der(c.as_ref()).to_owned())
        .collect();
    for c in CertificateDer::pem_slice_iter(&pem) {
        let c = c.map_err(|e| FetchError::Other(format!("CA file {}: {e}", path.display())))?;
        certs.push(Certificate::from_der(c.as_ref()).to_owned());
    }
    Ok(RootCerts::from(certs))
}

pub(crate) fn get(url: &str, ctx: &Ctx) -> Result<Fetched, FetchError> {
    let left = ctx.deadline.left();
    if left.is_zero() {
        return Err(FetchError::Timeout);
    }
    let tls = TlsConfig::builder().root_certs(roots(ctx)?).build();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(left))
        .http_status_as_error(false)
        .max_redirects(5)
        .user_agent(concat!("mailwiz/", env!("CARGO_PKG_VERSION")))
        .tls_config(tls)
        .build()
        .into();
    let mut resp = agent.get(url).call().map_err(map_err)?;
    let status = resp.status().as_u16();
    if status != 200 {
        return Err(FetchError::Status(status));
    }
    let final_url = resp.get_uri().to_string();
    let body = resp
        .body_mut()
        .with_config()
        .limit(MAX_BODY)
        .read_to_string()
        .map_err(map_err)?;
    Ok(Fetched {
        url: final_url,
        body,
    })
}

fn map_err(e: ureq::Error) -> FetchError {
    match e {
        ureq::Error::Timeout(_) => FetchError::Timeout,
        ureq::Error::StatusCode(c) => FetchError::Status(c),
        ureq::Error::Io(io)
            if matches!(
                io.kind(),
                std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock
            ) =>
        {
            FetchError::Timeout
        }
        other => FetchError::Other(crate::net::clean_text(other.to_string().as_bytes())),
    }
}

/// `application/x-www-form-urlencoded` for a query value.
pub(crate) fn encode_query(value: &str) -> String {
    let mut out = String::new();
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub(crate) fn is_https(url: &str) -> bool {
    url.get(..8)
        .is_some_and(|s| s.eq_ignore_ascii_case("https://"))
}
