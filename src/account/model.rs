//! The account itself and its parts (servers, trust, where the secret
//! comes from, OAuth2 settings): pure data plus its own validation.

use super::{AuthMethod, FieldError, Protocol, Role, Security};
use super::{normalize_fingerprint, validate_email, validate_host, validate_text};
use serde::{Deserialize, Serialize};

/// An OAuth2 account's sign-in settings: the user's own client
/// registration, and endpoints that override the provider preset's. The
/// tokens and the client secret live in the keyring, never here.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OAuth2Settings {
    /// The client id of the user's own registration (empty with
    /// `token_command`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub client_id: String,
    /// Whether a client secret is stored in the keyring for this account.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub client_secret_in_keyring: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// A command whose stdout is a current access token (oama, pizauth,
    /// mailctl…), used instead of mailwiz's own sign-in when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_command: Option<String>,
}

impl OAuth2Settings {
    /// Its texts, each with its field name, for the account's validation
    /// (the token command, like the password command, is a command line:
    /// not limited in length here).
    fn texts(&self) -> Vec<(&'static str, &str)> {
        let mut texts = vec![("oauth2.client_id", self.client_id.as_str())];
        for (field, value) in [
            ("oauth2.auth_url", &self.auth_url),
            ("oauth2.token_url", &self.token_url),
            ("oauth2.device_url", &self.device_url),
            ("oauth2.scope", &self.scope),
        ] {
            if let Some(v) = value {
                texts.push((field, v.as_str()));
            }
        }
        texts
    }
}

/// Extra trust for one server, on top of the system roots.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trust {
    /// A PEM file with extra CA certificates (a company or test CA).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_file: Option<String>,
    /// SHA-256 fingerprint of the server's certificate, pinned with the
    /// user's consent (hex, colons optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pinned_sha256: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncomingServer {
    pub protocol: Protocol,
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub username: String,
    #[serde(default)]
    pub auth: AuthMethod,
    /// POP3 only: leave a copy of each message on the server.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub keep_on_server: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pinned_sha256: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SmtpServer {
    pub host: String,
    pub port: u16,
    pub security: Security,
    /// The "my server requires authentication" switch.
    pub auth_required: bool,
    pub username: String,
    /// The usual case: the SMTP login uses the incoming server's password.
    #[serde(default = "yes")]
    pub same_password: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pinned_sha256: Option<String>,
}

/// Where the password comes from. The password itself is never here.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecretSource {
    /// A command whose stdout is the password (like msmtp's passwordeval),
    /// used instead of the keyring when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_command: Option<String>,
    /// Same, for the SMTP login when it does not share the incoming password.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub smtp_password_command: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub name: String,
    pub email: String,
    #[serde(default)]
    pub display_name: String,
    /// The preset the settings came from, if any (e.g. "free").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    pub incoming: IncomingServer,
    pub smtp: SmtpServer,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_file: Option<String>,
    #[serde(default, flatten)]
    pub secrets: SecretSource,
    /// Its OAuth2 sign-in settings (`[account.oauth2]` in the file); None
    /// for an account that signs in otherwise or uses the presets' own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oauth2: Option<OAuth2Settings>,
}

/// The settings of an account that has none of its own: the preset's
/// endpoints and client are used.
static NO_OAUTH2_SETTINGS: OAuth2Settings = OAuth2Settings {
    client_id: String::new(),
    client_secret_in_keyring: false,
    auth_url: None,
    token_url: None,
    device_url: None,
    scope: None,
    token_command: None,
};

fn yes() -> bool {
    true
}
#[allow(clippy::trivially_copy_pass_by_ref)] // serde's skip_serializing_if signature
fn is_true(b: &bool) -> bool {
    *b
}

impl Account {
    /// The keyring role that really holds the SMTP password.
    pub fn smtp_secret_role(&self) -> Role {
        if self.smtp.same_password {
            Role::Incoming
        } else {
            Role::Smtp
        }
    }

    /// It signs in with OAuth2 (both sides use the access token).
    pub fn signs_in_with_oauth2(&self) -> bool {
        self.incoming.auth == AuthMethod::Oauth2
    }

    /// Its OAuth2 settings, or empty ones (the preset's endpoints and
    /// client apply) when it has none.
    pub fn oauth2_settings(&self) -> &OAuth2Settings {
        self.oauth2.as_ref().unwrap_or(&NO_OAUTH2_SETTINGS)
    }

    pub fn trust_for(&self, role: Role) -> Trust {
        Trust {
            ca_file: self.ca_file.clone(),
            pinned_sha256: match role {
                Role::Incoming => self.incoming.pinned_sha256.clone(),
                Role::Smtp => self.smtp.pinned_sha256.clone(),
            },
        }
    }

    /// Checks every field; returns the problems, each as (field, error).
    /// The one validator for typed, discovered, detected and imported
    /// accounts: every text that other clients' files will hold is free of
    /// control characters and of a sane length.
    pub fn validate(&self) -> Vec<(&'static str, FieldError)> {
        let mut errs = Vec::new();
        if self.name.trim().is_empty() {
            errs.push(("name", FieldError::Empty));
        }
        for (field, text) in [
            ("name", self.name.as_str()),
            ("display_name", self.display_name.as_str()),
            ("incoming.username", self.incoming.username.as_str()),
            ("smtp.username", self.smtp.username.as_str()),
            ("ca_file", self.ca_file.as_deref().unwrap_or_default()),
        ]
        .into_iter()
        .chain(self.oauth2.iter().flat_map(OAuth2Settings::texts))
        {
            if let Err(e) = validate_text(text) {
                errs.push((field, e));
            }
        }
        if let Err(e) = validate_email(&self.email) {
            errs.push(("email", e));
        }
        if let Err(e) = validate_host(&self.incoming.host) {
            errs.push(("incoming.host", e));
        }
        if self.incoming.port == 0 {
            errs.push(("incoming.port", FieldError::BadPort));
        }
        if self.incoming.auth != AuthMethod::None && self.incoming.username.trim().is_empty() {
            errs.push(("incoming.username", FieldError::Empty));
        }
        if let Err(e) = validate_host(&self.smtp.host) {
            errs.push(("smtp.host", e));
        }
        if self.smtp.port == 0 {
            errs.push(("smtp.port", FieldError::BadPort));
        }
        if self.smtp.auth_required && self.smtp.username.trim().is_empty() {
            errs.push(("smtp.username", FieldError::Empty));
        }
        for (field, pin) in [
            ("incoming.pinned_sha256", &self.incoming.pinned_sha256),
            ("smtp.pinned_sha256", &self.smtp.pinned_sha256),
        ] {
            if let Some(p) = pin
                && normalize_fingerprint(p).is_none()
            {
                errs.push((field, FieldError::BadFingerprint));
            }
        }
        errs
    }
}
