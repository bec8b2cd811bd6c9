//! The last sign-in or refresh refusal of an account, so `mailwiz doctor`
//! can say why OAuth2 fails without signing in again. Kept in the keyring
//! beside the tokens (entry `oauth-last-error:NAME`, JSON), never a token:
//! the finding, the provider's error code and its description, cleaned
//! and bounded. Cleared by the next success.

use super::{IdpFinding, OauthError, now_secs};
use crate::secret::Secret;
use crate::secrets::Keyring;
use serde::{Deserialize, Serialize};

const MAX_DESCRIPTION: usize = 400;
const MAX_ERROR: usize = 80;

pub fn entry_user(account: &str) -> String {
    format!("oauth-last-error:{account}")
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastError {
    /// Unix time of the refusal.
    pub at: u64,
    pub finding: Option<IdpFinding>,
    pub error: String,
    pub description: String,
    #[serde(default)]
    pub consent_url: Option<String>,
}

fn bounded(text: &str, max: usize) -> String {
    crate::net::clean_text(text.as_bytes())
        .chars()
        .take(max)
        .collect()
}

impl LastError {
    /// The refusal worth keeping (a network or keyring failure is not the
    /// provider's answer: None).
    pub fn from_error(e: &OauthError) -> Option<LastError> {
        let (finding, error, description, consent_url) = match e {
            OauthError::Refused {
                finding,
                error,
                description,
                consent_url,
            } => (
                Some(*finding),
                error.as_str(),
                description.as_str(),
                consent_url.clone(),
            ),
            OauthError::Denied => (Some(IdpFinding::AccessDenied), "access_denied", "", None),
            OauthError::Provider { error, description } => {
                (None, error.as_str(), description.as_str(), None)
            }
            OauthError::SignInAgain { .. } => (None, "invalid_grant", "", None),
            _ => return None,
        };
        Some(LastError {
            at: now_secs(),
            finding,
            error: bounded(error, MAX_ERROR),
            description: bounded(description, MAX_DESCRIPTION),
            consent_url: consent_url.map(|u| bounded(&u, MAX_DESCRIPTION)),
        })
    }

    /// As an error again, for its texts.
    pub fn to_error(&self, account: &str) -> OauthError {
        match self.finding {
            Some(IdpFinding::AccessDenied) => OauthError::Denied,
            Some(finding) => OauthError::Refused {
                finding,
                error: self.error.clone(),
                description: self.description.clone(),
                consent_url: self.consent_url.clone(),
            },
            None if self.error == "invalid_grant" && self.description.is_empty() => {
                OauthError::SignInAgain {
                    account: account.to_string(),
                }
            }
            None => OauthError::Provider {
                error: self.error.clone(),
                description: self.description.clone(),
            },
        }
    }
}

/// Keeps `e` as the account's last refusal (best effort: a keyring that
/// fails here must not hide the error itself).
pub fn record(keyring: &Keyring, account: &str, e: &OauthError) {
    if let Some(last) = LastError::from_error(e)
        && let Ok(json) = serde_json::to_string(&last)
    {
        let _ = keyring.set_named(&entry_user(account), &Secret::new(json));
    }
}

pub fn clear(keyring: &Keyring, account: &str) {
    let _ = keyring.delete_named(&entry_user(account));
}

/// The account's last refusal, if one is kept.
pub fn load(keyring: &Keyring, account: &str) -> Option<LastError> {
    let stored = keyring.get_named(&entry_user(account)).ok()??;
    serde_json::from_str(stored.expose()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_provider_s_answer_is_kept_cleaned_and_bounded() {
        let e = OauthError::Refused {
            finding: IdpFinding::UnknownClient,
            error: "unauthorized_client".into(),
            description: format!("AADSTS700016 \u{1b}[2J{}", "x".repeat(5000)),
            consent_url: None,
        };
        let last = LastError::from_error(&e).expect("kept");
        assert_eq!(last.finding, Some(IdpFinding::UnknownClient));
        assert!(last.description.chars().count() <= MAX_DESCRIPTION);
        assert!(!last.description.contains('\u{1b}'));
        assert!(matches!(
            last.to_error("a"),
            OauthError::Refused {
                finding: IdpFinding::UnknownClient,
                ..
            }
        ));
        let net = OauthError::Http {
            url: "u".into(),
            detail: "d".into(),
        };
        assert_eq!(LastError::from_error(&net), None);
        let again = LastError::from_error(&OauthError::SignInAgain {
            account: "a".into(),
        })
        .expect("kept");
        assert!(again.to_error("a").needs_sign_in());
    }
}
