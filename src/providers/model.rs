//! The preset data model: providers, their variants and servers, as
//! `assets/providers.toml` writes them.

use crate::account::{Protocol, Security, local_part};
use serde::{Deserialize, Serialize};

/// What the user types as login.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LoginForm {
    /// The full address, `alice@example.com`.
    Address,
    /// The part before the @, `alice`.
    LocalPart,
}

impl LoginForm {
    /// The login for this address in this form.
    pub fn username(self, email: &str) -> String {
        let email = email.trim();
        match self {
            LoginForm::Address => email.to_string(),
            LoginForm::LocalPart => local_part(email).to_string(),
        }
    }
}

/// A way of signing in that the provider accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProviderAuth {
    /// The account's own password.
    Password,
    /// A separate password generated for mail apps (sent like a password).
    AppPassword,
    /// OAuth2 (XOAUTH2 / OAUTHBEARER).
    Oauth2,
}

/// A provider's OAuth2 endpoints (from the ISPDB's `oAuth2` element, or
/// the provider's documentation). mailwiz ships no client id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderOAuth2 {
    pub issuer: String,
    pub auth_url: String,
    pub token_url: String,
    /// The device authorization endpoint (RFC 8628), where supported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_url: Option<String>,
    pub scope: String,
}

/// An incoming (IMAP or POP3) server of a preset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IncomingPreset {
    pub protocol: Protocol,
    pub host: String,
    pub port: u16,
    pub security: Security,
}

/// An outgoing (SMTP submission) server of a preset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmtpPreset {
    pub host: String,
    pub port: u16,
    pub security: Security,
}

/// One complete set of settings of a provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Variant {
    pub id: String,
    /// Short description to offer the choice (only when there are several).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_en: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_fr: Option<String>,
    pub login: LoginForm,
    /// In order of preference; the first of each protocol is the main one.
    pub incoming: Vec<IncomingPreset>,
    /// In order of preference; the first is the main one.
    pub smtp: Vec<SmtpPreset>,
}

/// A mailbox provider and what it takes to use it from a mail app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provider {
    /// Stable id, stored in the account (`provider = "free"`).
    pub id: String,
    pub name: String,
    /// Lower-case mail domains served by this provider.
    pub domains: Vec<String>,
    /// Sign-in methods the provider accepts for IMAP/POP3/SMTP.
    pub auth: Vec<ProviderAuth>,
    /// Password sign-in is refused: only OAuth2 works.
    #[serde(default)]
    pub oauth2_only: bool,
    /// Host names (or parent domains) of the provider's mail exchangers:
    /// a domain whose MX is one of them is hosted here.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mx_hosts: Vec<String>,
    /// The provider's page with the official settings (https).
    pub help_url: String,
    /// Where app passwords are explained or created, when they are needed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_password_url: Option<String>,
    pub notes_en: String,
    pub notes_fr: String,
    /// OAuth2 endpoints, for providers that accept OAuth2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oauth2: Option<ProviderOAuth2>,
    /// Id of the variant used when none is asked for (else the first).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_variant: Option<String>,
    /// Special folder names, and whether the server files sent mail itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub folders: Option<crate::export::PresetFolders>,
    pub variants: Vec<Variant>,
}
