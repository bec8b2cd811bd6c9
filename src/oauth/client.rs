//! One account's OAuth2 client: its registration (its own, else one
//! provided for its identity provider), the endpoints in use, and the
//! token-endpoint calls it makes (refresh), with the provider's refusals
//! explained.

use super::client_secret_entry;
use super::{ClientSource, IdpFinding, OauthError, TokenSet, clients, http, idp_error, now_secs};
use crate::account::{Account, OAuth2Settings};
use crate::providers::{self, Provider};
use crate::secret::Secret;
use crate::secrets::Keyring;

/// The endpoints and scope in use: the account's own, else its preset's.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Endpoints {
    pub auth_url: Option<String>,
    pub token_url: Option<String>,
    pub device_url: Option<String>,
    pub scope: String,
}

impl Endpoints {
    pub fn resolve(settings: &OAuth2Settings, preset: Option<&Provider>) -> Endpoints {
        let p = preset.and_then(|p| p.oauth2.as_ref());
        let pick = |own: &Option<String>, theirs: Option<&String>| {
            own.clone()
                .filter(|s| !s.trim().is_empty())
                .or_else(|| theirs.cloned())
        };
        Endpoints {
            auth_url: pick(&settings.auth_url, p.map(|p| &p.auth_url)),
            token_url: pick(&settings.token_url, p.map(|p| &p.token_url)),
            device_url: pick(&settings.device_url, p.and_then(|p| p.device_url.as_ref())),
            scope: pick(&settings.scope, p.map(|p| &p.scope)).unwrap_or_default(),
        }
    }

    /// A Microsoft tenant in place of the preset's `common`.
    pub fn set_tenant(&mut self, tenant: &str) {
        for url in [
            &mut self.auth_url,
            &mut self.token_url,
            &mut self.device_url,
        ]
        .into_iter()
        .flatten()
        {
            *url = url.replacen("/common/", &format!("/{tenant}/"), 1);
        }
    }

    pub fn token_url(&self) -> Result<&str, OauthError> {
        self.token_url
            .as_deref()
            .ok_or(OauthError::NoEndpoint { what: "token" })
    }
}

/// One account's client registration and endpoints, ready to talk to the
/// provider.
#[derive(Debug, Clone)]
pub struct Client {
    pub account: String,
    pub client_id: String,
    pub client_secret: Option<Secret>,
    pub endpoints: Endpoints,
    /// Sent as `login_hint` so the provider preselects the right account.
    pub login_hint: String,
    /// Google's token endpoint (its "Testing" clients lose their refresh
    /// token after 7 days).
    pub google: bool,
}

impl Client {
    /// The client of this account (reads the client secret from the
    /// keyring when the settings say one is stored there).
    pub fn for_account(acct: &Account) -> Result<Client, OauthError> {
        let client_secret = if acct.oauth2_settings().client_secret_in_keyring {
            Keyring::open()?.get_named(&client_secret_entry(&acct.name))?
        } else {
            None
        };
        Client::with_secret(acct, client_secret)
    }

    /// The client of this account with a client secret held in memory (a
    /// wizard sign-in, before the account is saved): the keyring is not
    /// read.
    pub fn with_secret(
        acct: &Account,
        client_secret: Option<Secret>,
    ) -> Result<Client, OauthError> {
        let settings = acct.oauth2_settings();
        let preset = identity_provider(acct);
        let mut endpoints = Endpoints::resolve(settings, preset);
        let (client_id, client_secret) = if settings.client_id.trim().is_empty() {
            let provided =
                clients::provided(preset.map(|p| p.id.as_str())).ok_or(OauthError::NoClientId)?;
            if let Some(tenant) = &provided.tenant {
                endpoints.set_tenant(tenant);
            }
            // An organisation's own endpoints, when its file gives them.
            for (own, theirs) in [
                (&provided.auth_url, &mut endpoints.auth_url),
                (&provided.token_url, &mut endpoints.token_url),
                (&provided.device_url, &mut endpoints.device_url),
            ] {
                if own.is_some() {
                    theirs.clone_from(own);
                }
            }
            (provided.client_id.clone(), provided.client_secret.clone())
        } else {
            (settings.client_id.trim().to_string(), client_secret)
        };
        let google = acct.provider.as_deref() == Some("gmail")
            || endpoints.token_url.as_deref().is_some_and(|u| {
                u.starts_with("https://oauth2.googleapis.com/")
                    || u.starts_with("https://www.googleapis.com/")
            });
        Ok(Client {
            account: acct.name.clone(),
            client_id,
            client_secret,
            endpoints,
            login_hint: acct.incoming.username.clone(),
            google,
        })
    }

    /// The form fields that identify the client (client_secret_post).
    pub(super) fn client_fields(&self) -> Vec<(&str, &str)> {
        let mut f = vec![("client_id", self.client_id.as_str())];
        if let Some(s) = &self.client_secret {
            f.push(("client_secret", s.expose()));
        }
        f
    }

    /// The provider's refusal: a finding when mailwiz can explain it
    /// (`access_denied` alone stays `Denied`), else its words as they are.
    /// `signed_in_at`: when the refresh token was obtained.
    pub(crate) fn refused(
        &self,
        error: &str,
        description: &str,
        signed_in_at: Option<u64>,
    ) -> OauthError {
        let error = crate::net::clean_text(error.as_bytes());
        let description = crate::net::clean_text(description.as_bytes());
        let age = signed_in_at.map(|t| now_secs().saturating_sub(t));
        match idp_error::classify(&error, &description, self.google, age) {
            Some(IdpFinding::AccessDenied) => OauthError::Denied,
            Some(finding) => OauthError::Refused {
                finding,
                consent_url: (finding == IdpFinding::AdminConsentRequired)
                    .then(|| {
                        let token_url = self.endpoints.token_url.as_deref()?;
                        idp_error::admin_consent_url(token_url, &self.client_id)
                    })
                    .flatten(),
                error,
                description,
            },
            None => OauthError::Provider { error, description },
        }
    }

    /// A token endpoint's error answer, explained.
    pub(crate) fn refused_answer(
        &self,
        answer: &http::Answer,
        signed_in_at: Option<u64>,
    ) -> OauthError {
        match answer.error() {
            Some(error) => self.refused(
                error,
                answer.str("error_description").unwrap_or(""),
                signed_in_at,
            ),
            None => answer.provider_error(),
        }
    }

    /// A new token set from the stored one's refresh token. A refused
    /// refresh token (`invalid_grant`) means the user must sign in again;
    /// a refusal mailwiz can explain is said with its finding.
    pub fn refresh(&self, current: &TokenSet) -> Result<TokenSet, OauthError> {
        let Some(refresh_token) = current.refresh_token.as_ref() else {
            return Err(OauthError::SignInAgain {
                account: self.account.clone(),
            });
        };
        let mut form = vec![
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token.expose()),
        ];
        form.extend(self.client_fields());
        let answer = http::post_form(self.endpoints.token_url()?, &form)?;
        if answer.status == 200 && answer.error().is_none() {
            let mut new = TokenSet::from_answer(&answer, now_secs(), Some(refresh_token))?;
            new.signed_in_at = current.signed_in_at;
            return Ok(new);
        }
        match self.refused_answer(&answer, current.signed_in_at) {
            e @ OauthError::Refused { .. } => Err(e),
            _ if matches!(
                answer.error(),
                Some("invalid_grant" | "invalid_token" | "unauthorized_client")
            ) =>
            {
                Err(OauthError::SignInAgain {
                    account: self.account.clone(),
                })
            }
            e => Err(e),
        }
    }
}

/// Where the account's client id comes from: its own settings, else the
/// first source providing one for its provider (None: no client id, the
/// account must use a token command or register one).
pub fn client_source(acct: &Account) -> Option<ClientSource> {
    if !acct.oauth2_settings().client_id.trim().is_empty() {
        return Some(ClientSource::Account);
    }
    clients::provided(identity_provider(acct).map(|p| p.id.as_str())).map(|c| c.source)
}

/// Who issues the account's tokens: its provider, else the provider of
/// its address (servers set by hand do not change the identity provider).
pub fn identity_provider(acct: &Account) -> Option<&'static Provider> {
    acct.provider
        .as_deref()
        .and_then(providers::by_id)
        .or_else(|| providers::for_email(&acct.email))
}
