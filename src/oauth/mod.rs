//! OAuth2 sign-in for mail: the authorization code grant with PKCE and a
//! loopback redirect (RFC 8252), the device authorization grant (RFC 8628),
//! refresh (with rotation) before use, and the SASL messages that carry the
//! access token. Tokens live in the OS keyring only. No I/O to the user:
//! the faces show the URL or the code and the errors' texts.

pub mod brokers;
mod browser;
mod client;
pub mod clients;
mod clients_file;
mod device;
mod http;
pub mod idp_error;
pub mod last_error;
mod pkce;
mod redirect;
mod refresh;
/// SASL encoders live in `net` (the only user); kept here for old paths.
pub use crate::net::sasl;
mod tokens;

pub use browser::{BrowserSignIn, open_browser, record_display};
pub use client::{Client, Endpoints, client_source, identity_provider};
pub use clients::{ClientFiles, ClientSource, Clients, ProvidedClient};
pub use clients_file::ClientsFileError;
pub use device::DeviceSignIn;
pub use http::{decode as url_decode, encode as url_encode, query_pairs};
pub use idp_error::IdpFinding;
pub use pkce::{challenge_s256, new_verifier};
pub use refresh::{access_token, use_lock_folder};
pub use sasl::OauthMechanism;
pub use tokens::{REFRESH_MARGIN_SECS, TokenSet, client_secret_entry, entry_user, now_secs};

use crate::i18n::{Lang, tf};
use crate::secrets::{CommandFailure, Keyring, SecretsError};
use std::time::{Duration, Instant};

/// Why a sign-in or a token could not be had. Each kind has a text and a
/// piece of advice in `assets/i18n/*/oauth.toml`.
#[derive(Debug)]
pub enum OauthError {
    NoClientId,
    NoEndpoint {
        what: &'static str,
    },
    NotSignedIn {
        account: String,
    },
    SignInAgain {
        account: String,
    },
    Denied,
    Expired,
    StateMismatch,
    Provider {
        error: String,
        description: String,
    },
    /// A refusal mailwiz can explain (issue 15 §3); the provider's words
    /// are kept as evidence.
    Refused {
        finding: IdpFinding,
        error: String,
        description: String,
        /// For AdminConsentRequired: the address to give an administrator.
        consent_url: Option<String>,
    },
    Http {
        url: String,
        detail: String,
    },
    Listener {
        detail: String,
    },
    Command {
        failure: CommandFailure,
    },
    Cancelled,
    Keyring(SecretsError),
}

impl std::fmt::Display for OauthError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.localized(Lang::En))
    }
}

impl std::error::Error for OauthError {}

/// A keyring failure; a token command's failure stays a `Command`.
impl From<SecretsError> for OauthError {
    fn from(e: SecretsError) -> OauthError {
        match e {
            SecretsError::Command { failure } => OauthError::Command { failure },
            other => OauthError::Keyring(other),
        }
    }
}

impl OauthError {
    /// The user must sign in (again): no tokens, or the refresh token was
    /// refused. The faces then offer `mailwiz login NAME`.
    pub fn needs_sign_in(&self) -> bool {
        match self {
            OauthError::NotSignedIn { .. } | OauthError::SignInAgain { .. } => true,
            OauthError::Refused { finding, .. } => finding.needs_sign_in(),
            _ => false,
        }
    }

    /// The identity provider's refusal as a finding, when it is one.
    pub fn finding(&self) -> Option<IdpFinding> {
        match self {
            OauthError::Refused { finding, .. } => Some(*finding),
            OauthError::Denied => Some(IdpFinding::AccessDenied),
            _ => None,
        }
    }

    pub fn localized(&self, lang: Lang) -> String {
        match self {
            OauthError::NoClientId => tf(lang, "oauth.error.no_client_id", &[]),
            OauthError::NoEndpoint { what } => {
                tf(lang, "oauth.error.no_endpoint", &[("what", what)])
            }
            OauthError::NotSignedIn { account } => {
                tf(lang, "oauth.error.not_signed_in", &[("account", account)])
            }
            OauthError::SignInAgain { account } => {
                tf(lang, "oauth.error.sign_in_again", &[("account", account)])
            }
            OauthError::Denied => tf(lang, "oauth.error.denied", &[]),
            OauthError::Expired => tf(lang, "oauth.error.expired", &[]),
            OauthError::StateMismatch => tf(lang, "oauth.error.state_mismatch", &[]),
            OauthError::Provider { error, description } => tf(
                lang,
                "oauth.error.provider",
                &[("error", error), ("description", description)],
            ),
            OauthError::Refused {
                finding,
                error,
                description,
                ..
            } => tf(
                lang,
                "oauth_clients.refused",
                &[
                    ("title", &finding.title(lang)),
                    ("error", error),
                    ("description", description),
                ],
            ),
            OauthError::Http { url, detail } => tf(
                lang,
                "oauth.error.http",
                &[("url", url), ("detail", detail)],
            ),
            OauthError::Listener { detail } => {
                tf(lang, "oauth.error.listener", &[("detail", detail)])
            }
            OauthError::Command { failure } => tf(
                lang,
                "oauth.error.command",
                &[("detail", &failure.localized(lang))],
            ),
            OauthError::Cancelled => tf(lang, "oauth.error.cancelled", &[]),
            OauthError::Keyring(e) => e.localized(lang),
        }
    }

    /// What to do about it; `name` is the account, for the command to run.
    pub fn advice(&self, lang: Lang, name: &str) -> String {
        if let OauthError::Refused {
            finding,
            consent_url,
            ..
        } = self
        {
            return finding.fix(lang, name, consent_url.as_deref());
        }
        if let OauthError::Denied = self {
            return IdpFinding::AccessDenied.fix(lang, name, None);
        }
        let key = match self {
            OauthError::NoClientId | OauthError::NoEndpoint { .. } => "oauth.advice.settings",
            OauthError::NotSignedIn { .. }
            | OauthError::SignInAgain { .. }
            | OauthError::Denied
            | OauthError::Expired
            | OauthError::StateMismatch
            | OauthError::Cancelled => "oauth.advice.login",
            OauthError::Provider { .. } | OauthError::Refused { .. } => "oauth.advice.provider",
            OauthError::Http { .. } => "oauth.advice.http",
            OauthError::Listener { .. } => "oauth.advice.device",
            OauthError::Command { .. } => "oauth.advice.command",
            OauthError::Keyring(e) => return e.advice(lang),
        };
        tf(lang, key, &[("name", name)])
    }
}

/// The longest any sign-in waits, whatever the caller or the provider asks.
pub const MAX_WAIT: Duration = Duration::from_secs(24 * 3600);

/// `timeout` from now, at most [`MAX_WAIT`] (never an `Instant` overflow).
pub(crate) fn deadline_in(timeout: Duration) -> Instant {
    Instant::now() + timeout.min(MAX_WAIT)
}

/// Whether a browser can likely be opened: a graphical session (`display`:
/// `$DISPLAY` or `$WAYLAND_DISPLAY` set) not reached over SSH (`ssh`:
/// `$SSH_CONNECTION` or `$SSH_TTY` set). The faces read the environment.
pub fn browser_likely(display: bool, ssh: bool) -> bool {
    display && !ssh
}

static BROWSER: std::sync::OnceLock<bool> = std::sync::OnceLock::new();

/// Records, once, whether a browser can be opened here (the face decides
/// from the environment, with [`browser_likely`]): without one, the
/// wizard offers the code sign-in first.
pub fn set_browser_available(available: bool) {
    let _ = BROWSER.set(available);
}

/// What the face recorded; true when it recorded nothing.
pub fn browser_available() -> bool {
    BROWSER.get().copied().unwrap_or(true)
}

/// Stores the tokens of a finished sign-in (the CLI's `login`; the
/// wizard keeps them in memory until the save writes them).
pub fn store_tokens(account: &str, tokens: &TokenSet) -> Result<(), OauthError> {
    tokens.save(&Keyring::open()?, account)
}

/// Removes an account's tokens and client secret; returns how many
/// entries were deleted.
pub fn forget(keyring: &Keyring, account: &str) -> Result<usize, SecretsError> {
    let mut n = 0;
    for entry in [
        entry_user(account),
        client_secret_entry(account),
        last_error::entry_user(account),
    ] {
        n += usize::from(keyring.delete_named(&entry)?);
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::OAuth2Settings;
    use crate::providers;

    #[test]
    fn endpoints_fall_back_to_the_preset() {
        let gmail = providers::by_id("gmail");
        let own = OAuth2Settings {
            client_id: "id".into(),
            token_url: Some("https://idp.example.test/token".into()),
            ..Default::default()
        };
        let e = Endpoints::resolve(&own, gmail);
        assert_eq!(
            e.token_url.as_deref(),
            Some("https://idp.example.test/token")
        );
        assert_eq!(
            e.auth_url.as_deref(),
            Some("https://accounts.google.com/o/oauth2/auth")
        );
        assert_eq!(e.scope, "https://mail.google.com/");
        assert_eq!(e.device_url, None);
        let outlook = Endpoints::resolve(&OAuth2Settings::default(), providers::by_id("outlook"));
        assert!(outlook.device_url.is_some());
        assert!(outlook.scope.contains("offline_access"));
        let none = Endpoints::resolve(&OAuth2Settings::default(), None);
        assert!(matches!(
            none.token_url(),
            Err(OauthError::NoEndpoint { what: "token" })
        ));
    }

    #[test]
    fn every_error_has_text_and_advice_in_both_languages() {
        let errs = [
            OauthError::NoClientId,
            OauthError::NoEndpoint { what: "token" },
            OauthError::NotSignedIn {
                account: "a".into(),
            },
            OauthError::SignInAgain {
                account: "a".into(),
            },
            OauthError::Denied,
            OauthError::Expired,
            OauthError::StateMismatch,
            OauthError::Provider {
                error: "e".into(),
                description: "d".into(),
            },
            OauthError::Http {
                url: "u".into(),
                detail: "d".into(),
            },
            OauthError::Listener { detail: "d".into() },
            OauthError::Command {
                failure: CommandFailure::NoOutput,
            },
            OauthError::Cancelled,
        ];
        for e in &errs {
            for lang in Lang::ALL {
                assert!(!e.localized(lang).starts_with("oauth."), "{e:?} {lang:?}");
                assert!(!e.advice(lang, "n").starts_with("oauth."), "{e:?} {lang:?}");
            }
        }
        assert!(errs[2].needs_sign_in() && errs[3].needs_sign_in());
        assert!(!errs[4].needs_sign_in());
    }
}
