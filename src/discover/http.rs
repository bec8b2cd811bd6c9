//! One HTTP GET for an autoconfig document: bounded by the run's deadline,
//! redirects followed, the final URL kept (it decides whether the answer
//! came over an authenticated channel). TLS is rustls with ring, trusting
//! the roots of the one trust policy ([`crate::trust`]).

use super::detail::{Failure, Why};
use super::run::Ctx;
use ureq::ResponseExt;

/// An autoconfig document is a few kilobytes.
const MAX_BODY: u64 = 1024 * 1024;

pub(crate) struct Fetched {
    pub url: String,
    pub body: String,
}

/// Why a fetch gave no document.
#[derive(Debug)]
pub(crate) enum FetchError {
    /// The server answered with this status (404: nothing there).
    Status(u16),
    Timeout,
    /// Anything else, typed for the faces.
    Failed(Why),
}

impl FetchError {
    /// The failure at `url`, for a source's detail.
    pub fn at(self, url: &str) -> Failure {
        let why = match self {
            FetchError::Status(code) => Why::HttpStatus(code),
            FetchError::Timeout => Why::Timeout,
            FetchError::Failed(why) => why,
        };
        Failure {
            at: url.to_string(),
            why,
        }
    }
}

pub(crate) fn get(url: &str, ctx: &Ctx) -> Result<Fetched, FetchError> {
    let left = ctx.deadline.left();
    if left.is_zero() {
        return Err(FetchError::Timeout);
    }
    let ca_file = ctx.opts.ca_file.as_deref();
    let tls = crate::trust::http_tls(ca_file).map_err(|e| FetchError::Failed(Why::CaFile(e)))?;
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

/// An answer as it came, redirects not followed (Autodiscover asks before
/// following one to another domain).
pub(crate) struct Answer {
    pub status: u16,
    pub location: Option<String>,
    pub body: String,
}

/// A GET, or a POST of `xml` when given, that does not follow redirects;
/// the body is read up to `max_body` bytes.
pub(crate) fn request(
    url: &str,
    xml: Option<&str>,
    max_body: u64,
    ctx: &Ctx,
) -> Result<Answer, FetchError> {
    let left = ctx.deadline.left();
    if left.is_zero() {
        return Err(FetchError::Timeout);
    }
    let ca_file = ctx.opts.ca_file.as_deref();
    let tls = crate::trust::http_tls(ca_file).map_err(|e| FetchError::Failed(Why::CaFile(e)))?;
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(left))
        .http_status_as_error(false)
        .max_redirects(0)
        .max_response_header_size(16 * 1024)
        .user_agent(concat!("mailwiz/", env!("CARGO_PKG_VERSION")))
        .tls_config(tls)
        .build()
        .into();
    let sent = match xml {
        Some(body) => agent
            .post(url)
            .header("Content-Type", "text/xml; charset=utf-8")
            .send(body),
        None => agent.get(url).call(),
    };
    let mut resp = sent.map_err(map_err)?;
    let status = resp.status().as_u16();
    let location = resp
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(|v| crate::net::clean_text(v.as_bytes()));
    let body = resp
        .body_mut()
        .with_config()
        .limit(max_body)
        .read_to_string()
        .map_err(map_err)?;
    Ok(Answer {
        status,
        location,
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
        e if crate::trust::is_certificate_error(&e) => FetchError::Failed(Why::Certificate),
        ureq::Error::BodyExceedsLimit(_) => FetchError::Failed(Why::TooLarge),
        ureq::Error::HostNotFound | ureq::Error::ConnectionFailed => {
            FetchError::Failed(Why::Unreachable)
        }
        ureq::Error::Io(io)
            if matches!(
                io.kind(),
                std::io::ErrorKind::ConnectionRefused
                    | std::io::ErrorKind::ConnectionReset
                    | std::io::ErrorKind::HostUnreachable
                    | std::io::ErrorKind::NetworkUnreachable
            ) =>
        {
            FetchError::Failed(Why::Unreachable)
        }
        other => FetchError::Failed(Why::Network(crate::net::clean_text(
            other.to_string().as_bytes(),
        ))),
    }
}

pub(crate) fn is_https(url: &str) -> bool {
    url.get(..8)
        .is_some_and(|s| s.eq_ignore_ascii_case("https://"))
}
