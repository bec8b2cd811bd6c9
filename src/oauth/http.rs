//! The token and device endpoints over HTTPS (ureq, rustls): form POSTs
//! with JSON answers. OAuth errors come back as data, not as HTTP errors.

use super::OauthError;
use std::time::{Duration, Instant};

pub(crate) const TIMEOUT: Duration = Duration::from_secs(30);
const MAX_BODY: u64 = 256 * 1024;
const MAX_HEADERS: usize = 64 * 1024;

/// An endpoint's answer: its HTTP status and JSON body.
pub(crate) struct Answer {
    pub status: u16,
    pub json: serde_json::Value,
}

impl Answer {
    pub fn str(&self, key: &str) -> Option<&str> {
        self.json.get(key).and_then(|v| v.as_str())
    }

    pub fn u64(&self, key: &str) -> Option<u64> {
        let v = self.json.get(key)?;
        v.as_u64()
            .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
    }

    /// The OAuth error code (`invalid_grant`, `authorization_pending`, …).
    pub fn error(&self) -> Option<&str> {
        self.str("error")
    }

    pub fn provider_error(&self) -> OauthError {
        OauthError::Provider {
            error: self
                .error()
                .map_or_else(|| format!("HTTP {}", self.status), str::to_string),
            description: self
                .str("error_description")
                .map(|d| crate::net::clean_text(d.as_bytes()))
                .unwrap_or_default(),
        }
    }
}

/// A form POST with the usual timeout.
pub(crate) fn post_form(url: &str, form: &[(&str, &str)]) -> Result<Answer, OauthError> {
    post_form_by(url, form, Instant::now() + TIMEOUT)
}

/// A form POST that ends by `deadline` (the caller's overall one, or
/// [`TIMEOUT`] from now, whichever comes first), with a bounded answer.
pub(crate) fn post_form_by(
    url: &str,
    form: &[(&str, &str)],
    deadline: Instant,
) -> Result<Answer, OauthError> {
    let left = deadline
        .saturating_duration_since(Instant::now())
        .min(TIMEOUT);
    if left.is_zero() {
        return Err(OauthError::Expired);
    }
    // The one trust policy: a company CA in the system store works here
    // as it does for IMAP.
    let tls = crate::trust::http_tls(None).map_err(|e| OauthError::Http {
        url: url.to_string(),
        detail: e.to_string(),
    })?;
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(left))
        .tls_config(tls)
        .max_response_header_size(MAX_HEADERS)
        .http_status_as_error(false)
        .user_agent(concat!("mailwiz/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let http = |e: ureq::Error| OauthError::Http {
        url: url.to_string(),
        detail: crate::net::clean_text(e.to_string().as_bytes()),
    };
    let mut resp = agent
        .post(url)
        .header("Accept", "application/json")
        .send_form(form.iter().copied())
        .map_err(http)?;
    let status = resp.status().as_u16();
    let body = resp
        .body_mut()
        .with_config()
        .limit(MAX_BODY)
        .read_to_string()
        .map_err(http)?;
    let json = serde_json::from_str(&body).map_err(|_| OauthError::Provider {
        error: format!("HTTP {status}"),
        description: "the answer is not JSON".into(),
    })?;
    Ok(Answer { status, json })
}

/// Form and query values: the one percent-encoder of the program.
pub use crate::percent::{decode_form as decode, encode};

/// The `key=value` pairs of a query string, decoded.
pub fn query_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (decode(k), decode(v)),
            None => (decode(p), String::new()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_round_trip() {
        let v = "https://outlook.office.com/IMAP.AccessAsUser.All offline_access";
        assert_eq!(decode(&encode(v)), v);
        assert_eq!(
            query_pairs("code=a%2Fb&state=x+y&flag"),
            vec![
                ("code".to_string(), "a/b".to_string()),
                ("state".to_string(), "x y".to_string()),
                ("flag".to_string(), String::new()),
            ]
        );
        assert_eq!(decode("100%"), "100%");
        assert_eq!(decode("%4"), "%4");
    }
}
