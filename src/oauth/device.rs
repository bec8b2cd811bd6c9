//! The device authorization grant (RFC 8628): the user enters a short code
//! at an address on any device; mailwiz polls the token endpoint at the
//! given interval (5 s more after each `slow_down`) until it is approved,
//! refused or expired.

use super::http;
use super::{Client, OauthError, TokenSet, now_secs};
use crate::secret::Secret;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

const GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";
/// The slowest polling accepted, whatever the provider asks (RFC 8628
/// suggests 5 s; a huge interval would wait forever).
pub const MAX_INTERVAL: Duration = Duration::from_secs(60);
/// The longest a code is waited for, whatever the provider says.
pub const MAX_EXPIRY: Duration = Duration::from_secs(3600);

pub struct DeviceSignIn {
    device_code: Secret,
    /// The code the user types.
    pub user_code: String,
    /// Where to type it.
    pub verification_uri: String,
    /// The address with the code filled in, when the provider gives one.
    pub verification_uri_complete: Option<String>,
    pub interval: Duration,
    pub expires_at: Instant,
}

impl DeviceSignIn {
    pub fn start(client: &Client) -> Result<DeviceSignIn, OauthError> {
        Self::start_by(client, super::deadline_in(super::http::TIMEOUT))
    }

    /// [`start`](Self::start), its request ending by `deadline`.
    pub fn start_by(client: &Client, deadline: Instant) -> Result<DeviceSignIn, OauthError> {
        let url = client
            .endpoints
            .device_url
            .as_deref()
            .ok_or(OauthError::NoEndpoint { what: "device" })?;
        client.endpoints.token_url()?;
        let mut form = vec![("scope", client.endpoints.scope.as_str())];
        form.extend(client.client_fields());
        let answer = http::post_form_by(url, &form, deadline)?;
        let (Some(device_code), Some(user_code)) =
            (answer.str("device_code"), answer.str("user_code"))
        else {
            return Err(client.refused_answer(&answer, None));
        };
        // Google calls it verification_url.
        let verification_uri = answer
            .str("verification_uri")
            .or_else(|| answer.str("verification_url"))
            .ok_or_else(|| answer.provider_error())?;
        let clean = |s: &str| crate::net::clean_text(s.as_bytes());
        Ok(DeviceSignIn {
            device_code: Secret::new(device_code),
            user_code: clean(user_code),
            verification_uri: clean(verification_uri),
            verification_uri_complete: answer.str("verification_uri_complete").map(clean),
            interval: clamp_interval(answer.u64("interval").unwrap_or(5)),
            expires_at: Instant::now()
                + Duration::from_secs(answer.u64("expires_in").unwrap_or(900)).min(MAX_EXPIRY),
        })
    }

    /// Polls until the user approved (the tokens), refused, or the code
    /// expired; waits `interval` before the first poll.
    pub fn finish(
        self,
        client: &Client,
        cancel: Option<Arc<AtomicBool>>,
    ) -> Result<TokenSet, OauthError> {
        let deadline = self.expires_at;
        self.finish_by(client, deadline, cancel)
    }

    /// [`finish`](Self::finish), ending at `deadline` at the latest (the
    /// command's own, when it is before the code expires).
    pub fn finish_by(
        mut self,
        client: &Client,
        deadline: Instant,
        cancel: Option<Arc<AtomicBool>>,
    ) -> Result<TokenSet, OauthError> {
        let token_url = client.endpoints.token_url()?.to_string();
        let end = deadline.min(self.expires_at);
        loop {
            let wake = (Instant::now() + self.interval).min(end);
            while Instant::now() < wake {
                if cancel.as_ref().is_some_and(|c| c.load(Ordering::Relaxed)) {
                    return Err(OauthError::Cancelled);
                }
                let left = wake.saturating_duration_since(Instant::now());
                std::thread::sleep(Duration::from_millis(50).min(left));
            }
            if Instant::now() >= end {
                return Err(OauthError::Expired);
            }
            let mut form = vec![
                ("grant_type", GRANT),
                ("device_code", self.device_code.expose()),
            ];
            form.extend(client.client_fields());
            let answer = http::post_form_by(&token_url, &form, end)?;
            if answer.status == 200 && answer.error().is_none() {
                return TokenSet::from_answer(&answer, now_secs(), None);
            }
            match answer.error() {
                Some("authorization_pending") => {}
                Some("slow_down") => {
                    self.interval = (self.interval + Duration::from_secs(5)).min(MAX_INTERVAL);
                }
                Some("expired_token") => return Err(OauthError::Expired),
                _ => return Err(client.refused_answer(&answer, None)),
            }
        }
    }
}

/// The provider's polling interval in seconds, within 1 s ..= [`MAX_INTERVAL`].
fn clamp_interval(secs: u64) -> Duration {
    Duration::from_secs(secs.clamp(1, MAX_INTERVAL.as_secs()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_intervals_are_clamped() {
        assert_eq!(clamp_interval(0), Duration::from_secs(1));
        assert_eq!(clamp_interval(5), Duration::from_secs(5));
        assert_eq!(clamp_interval(1_000_000_000_000), MAX_INTERVAL);
        assert_eq!(clamp_interval(u64::MAX), MAX_INTERVAL);
    }
}
