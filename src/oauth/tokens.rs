//! The tokens of one account: refresh token, access token and its expiry,
//! stored together as one keyring entry `oauth:NAME` (JSON), never in a
//! file. An access token is used until shortly before it expires.

use super::OauthError;
use super::http::Answer;
use crate::secret::Secret;
use crate::secrets::Keyring;
use serde::{Deserialize, Serialize};
use std::time::{SystemTime, UNIX_EPOCH};

/// Refresh when the access token has less than this left.
pub const REFRESH_MARGIN_SECS: u64 = 60;

/// The keyring entry of an account's tokens.
pub fn entry_user(account: &str) -> String {
    format!("oauth:{account}")
}

/// The keyring entry of an account's client secret.
pub fn client_secret_entry(account: &str) -> String {
    format!("oauth-client-secret:{account}")
}

pub fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

#[derive(Clone, PartialEq, Eq)]
pub struct TokenSet {
    pub access_token: Secret,
    pub refresh_token: Option<Secret>,
    /// Unix time when the access token expires, when the provider said.
    pub expires_at: Option<u64>,
    /// Unix time of the sign-in that gave the refresh token (kept across
    /// refreshes): Google's "Testing" clients lose it after 7 days.
    pub signed_in_at: Option<u64>,
}

impl std::fmt::Debug for TokenSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenSet")
            .field("refresh_token", &self.refresh_token.is_some())
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

#[derive(Serialize, Deserialize)]
struct Stored {
    access_token: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    refresh_token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    expires_at: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    signed_in_at: Option<u64>,
}

impl TokenSet {
    /// Whether the access token can still be used at `now` (with the
    /// margin); a token without a known expiry is used until refused.
    pub fn fresh_at(&self, now: u64) -> bool {
        self.expires_at
            .is_none_or(|t| now.saturating_add(REFRESH_MARGIN_SECS) < t)
    }

    /// From a token endpoint's success answer at `now`. A refresh answer
    /// without a new refresh token keeps the old one; with one, the old one
    /// is replaced (rotation).
    pub(crate) fn from_answer(
        answer: &Answer,
        now: u64,
        previous_refresh: Option<&Secret>,
    ) -> Result<TokenSet, OauthError> {
        let access = answer
            .str("access_token")
            .filter(|t| !t.is_empty())
            .ok_or_else(|| answer.provider_error())?;
        Ok(TokenSet {
            access_token: Secret::new(access),
            refresh_token: answer
                .str("refresh_token")
                .filter(|t| !t.is_empty())
                .map(Secret::new)
                .or_else(|| previous_refresh.cloned()),
            expires_at: answer.u64("expires_in").map(|s| now.saturating_add(s)),
            // A sign-in's answer (a refresh keeps the original time).
            signed_in_at: previous_refresh.is_none().then_some(now),
        })
    }

    /// The keyring entry's value (JSON); for the save's journal.
    pub fn to_secret(&self) -> Secret {
        let stored = Stored {
            access_token: self.access_token.expose().to_string(),
            refresh_token: self.refresh_token.as_ref().map(|r| r.expose().to_string()),
            expires_at: self.expires_at,
            signed_in_at: self.signed_in_at,
        };
        Secret::new(serde_json::to_string(&stored).expect("tokens serialize"))
    }

    fn from_secret(s: &Secret) -> Option<TokenSet> {
        let stored: Stored = serde_json::from_str(s.expose()).ok()?;
        Some(TokenSet {
            access_token: Secret::new(stored.access_token),
            refresh_token: stored.refresh_token.map(Secret::new),
            expires_at: stored.expires_at,
            signed_in_at: stored.signed_in_at,
        })
    }

    pub fn load(keyring: &Keyring, account: &str) -> Result<Option<TokenSet>, OauthError> {
        Ok(keyring
            .get_named(&entry_user(account))?
            .as_ref()
            .and_then(TokenSet::from_secret))
    }

    pub fn save(&self, keyring: &Keyring, account: &str) -> Result<(), OauthError> {
        Ok(keyring.set_named(&entry_user(account), &self.to_secret())?)
    }

    pub fn delete(keyring: &Keyring, account: &str) -> Result<bool, OauthError> {
        Ok(keyring.delete_named(&entry_user(account))?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secrets::Backend;

    fn answer(json: serde_json::Value) -> Answer {
        Answer { status: 200, json }
    }

    #[test]
    fn expiry_with_margin() {
        let t = TokenSet {
            access_token: Secret::new("a"),
            refresh_token: None,
            expires_at: Some(1000),
            signed_in_at: None,
        };
        assert!(t.fresh_at(0));
        assert!(t.fresh_at(1000 - REFRESH_MARGIN_SECS - 1));
        assert!(!t.fresh_at(1000 - REFRESH_MARGIN_SECS));
        assert!(!t.fresh_at(2000));
        let unknown = TokenSet {
            expires_at: None,
            signed_in_at: None,
            ..t
        };
        assert!(unknown.fresh_at(u64::MAX));
    }

    #[test]
    fn refresh_rotation_and_keeping() {
        let old = Secret::new("r-old");
        let rotated = TokenSet::from_answer(
            &answer(serde_json::json!({"access_token": "a2", "refresh_token": "r-new", "expires_in": 3600})),
            100,
            Some(&old),
        )
        .unwrap();
        assert_eq!(rotated.refresh_token.unwrap().expose(), "r-new");
        assert_eq!(rotated.expires_at, Some(3700));
        let kept = TokenSet::from_answer(
            &answer(serde_json::json!({"access_token": "a3", "expires_in": "60"})),
            100,
            Some(&old),
        )
        .unwrap();
        assert_eq!(kept.refresh_token.unwrap().expose(), "r-old");
        assert_eq!(kept.expires_at, Some(160));
        assert!(
            TokenSet::from_answer(&answer(serde_json::json!({"error": "x"})), 0, None).is_err()
        );
    }

    #[test]
    fn keyring_round_trip_never_debug_printed() {
        let kr = Keyring::open_backend(Backend::Mock).unwrap();
        let t = TokenSet {
            access_token: Secret::new("access-xyz"),
            refresh_token: Some(Secret::new("refresh-xyz")),
            expires_at: Some(42),
            signed_in_at: None,
        };
        t.save(&kr, "tok-test").unwrap();
        assert_eq!(TokenSet::load(&kr, "tok-test").unwrap(), Some(t.clone()));
        let shown = format!("{t:?}");
        assert!(!shown.contains("xyz"), "{shown}");
        assert!(TokenSet::delete(&kr, "tok-test").unwrap());
        assert_eq!(TokenSet::load(&kr, "tok-test").unwrap(), None);
    }
}
