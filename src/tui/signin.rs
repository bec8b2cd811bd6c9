//! OAuth2 sign-in in the wizard: the form's client registration and
//! endpoints, and the state of a sign-in running in the background. The
//! tokens of a sign-in and a typed client secret stay in memory until the
//! account is saved (the save writes them to the keyring with the file,
//! as one step); this is plain data.

use super::app::App;
use super::field::{Field, PasswordField};
use crate::account::{AuthMethod, OAuth2Settings};
use crate::oauth::{Endpoints, OauthError, ProvidedClient, TokenSet, clients};
use crate::providers::Provider;
use crate::secret::Secret;
use tui_input::Input;

/// The client registration and endpoints as typed. The URL fields start
/// with the preset's values; only values that differ are saved.
#[derive(Debug, Clone, Default)]
pub struct OauthForm {
    pub client_id: Input,
    /// Typed this session; an empty field keeps a secret already stored.
    pub client_secret: PasswordField,
    /// A client secret is in the keyring for this account.
    pub secret_stored: bool,
    pub auth_url: Input,
    pub token_url: Input,
    pub device_url: Input,
    pub scope: Input,
    /// Kept from the saved settings (the wizard does not edit it).
    pub token_command: Option<String>,
    /// The endpoints were filled (from the preset or the saved settings).
    pub filled: bool,
    /// The tokens of this run's sign-in, written to the keyring by the
    /// save only.
    pub tokens: Option<TokenSet>,
}

fn input(s: Option<&str>) -> Input {
    Input::new(s.unwrap_or("").to_string())
}

impl OauthForm {
    pub fn from_settings(s: &OAuth2Settings, preset: Option<&Provider>) -> OauthForm {
        let e = Endpoints::resolve(s, preset);
        OauthForm {
            client_id: input(Some(&s.client_id)),
            client_secret: PasswordField::default(),
            secret_stored: s.client_secret_in_keyring,
            auth_url: input(e.auth_url.as_deref()),
            token_url: input(e.token_url.as_deref()),
            device_url: input(e.device_url.as_deref()),
            scope: input(Some(&e.scope)),
            token_command: s.token_command.clone(),
            filled: true,
            tokens: None,
        }
    }

    /// Fills the endpoints from the preset, once (typed values stay).
    pub fn fill(&mut self, preset: Option<&Provider>) {
        if !self.filled {
            let keep = self.clone();
            *self = OauthForm::from_settings(&OAuth2Settings::default(), preset);
            self.client_id = keep.client_id;
            self.client_secret = keep.client_secret;
            self.secret_stored = keep.secret_stored;
            self.token_command = keep.token_command;
            self.tokens = keep.tokens;
        }
    }

    /// The settings to save and to sign in with: the preset's endpoints
    /// are not repeated.
    pub fn settings(&self, preset: Option<&Provider>) -> OAuth2Settings {
        let base = Endpoints::resolve(&OAuth2Settings::default(), preset);
        let own = |i: &Input, theirs: Option<&str>| {
            let v = i.value().trim();
            (!v.is_empty() && Some(v) != theirs).then(|| v.to_string())
        };
        OAuth2Settings {
            client_id: self.client_id.value().trim().to_string(),
            // A typed secret goes to the keyring with the save.
            client_secret_in_keyring: self.secret_stored || !self.client_secret.is_empty(),
            auth_url: own(&self.auth_url, base.auth_url.as_deref()),
            token_url: own(&self.token_url, base.token_url.as_deref()),
            device_url: own(&self.device_url, base.device_url.as_deref()),
            scope: own(
                &self.scope,
                Some(base.scope.as_str()).filter(|s| !s.is_empty()),
            ),
            token_command: self.token_command.clone(),
        }
    }

    pub fn input(&self, field: Field) -> Option<&Input> {
        Some(match field {
            Field::ClientId => &self.client_id,
            Field::AuthUrl => &self.auth_url,
            Field::TokenUrl => &self.token_url,
            Field::DeviceUrl => &self.device_url,
            Field::Scope => &self.scope,
            _ => return None,
        })
    }

    pub fn input_mut(&mut self, field: Field) -> Option<&mut Input> {
        Some(match field {
            Field::ClientId => &mut self.client_id,
            Field::AuthUrl => &mut self.auth_url,
            Field::TokenUrl => &mut self.token_url,
            Field::DeviceUrl => &mut self.device_url,
            Field::Scope => &mut self.scope,
            _ => return None,
        })
    }
}

/// Which sign-in: the browser (authorization code + PKCE, loopback
/// redirect) or a code entered on another device.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInFlow {
    /// `open`: try to open a browser (the address is shown anyway).
    Browser {
        open: bool,
    },
    Device,
}

/// What the user must do, sent by the runner once the flow started.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignInPrompt {
    Browser {
        url: String,
        opened: bool,
    },
    Device {
        uri: String,
        code: String,
        /// The address with the code in it, when the provider gives one.
        complete: Option<String>,
        minutes: u64,
    },
}

#[derive(Debug, Default)]
pub enum SignInState {
    #[default]
    Idle,
    /// Started; the prompt follows (then `Waiting`).
    Starting {
        id: u64,
        flow: SignInFlow,
    },
    Waiting {
        id: u64,
        prompt: SignInPrompt,
    },
    /// Signed in: the tokens are in `OauthForm::tokens`.
    Done,
    Failed(OauthError),
    /// The sign-in's background task died (a bug in mailwiz, not a
    /// refusal of the identity provider).
    Died(super::msg::WorkerDied),
    Cancelled,
}

impl SignInState {
    /// The running request, if any.
    pub fn id(&self) -> Option<u64> {
        match self {
            SignInState::Starting { id, .. } | SignInState::Waiting { id, .. } => Some(*id),
            _ => None,
        }
    }
}

/// Who signs the user in: the form's provider, else the provider of the
/// address (servers typed by hand do not change who issues the tokens).
pub fn identity_provider(form: &super::form::Form) -> Option<&'static Provider> {
    form.provider()
        .or_else(|| crate::providers::for_email(form.email()))
}

/// The client registration provided for the form's provider (a user or
/// system file, or built in), when the form has no client id of its own:
/// then the step asks for nothing.
pub fn provided_client(form: &super::form::Form) -> Option<&'static ProvidedClient> {
    if !form.oauth.client_id.value().trim().is_empty() {
        return None;
    }
    clients::provided(identity_provider(form).map(|p| p.id.as_str()))
}

/// The form's account signs in with OAuth2.
pub fn is_oauth(app: &App) -> bool {
    app.form.auth_method() == AuthMethod::Oauth2
}

/// The OAuth2 settings the form describes.
pub fn settings(app: &App) -> OAuth2Settings {
    app.form.oauth.settings(identity_provider(&app.form))
}

/// The access token of this run's sign-in, for the Test and Send steps
/// (None: the runner reads the saved account's tokens).
pub fn access_token(app: &App) -> Option<Secret> {
    let tokens = app.form.oauth.tokens.as_ref().filter(|_| is_oauth(app))?;
    Some(tokens.access_token.clone())
}

/// After the form was set to a saved account: its OAuth2 settings.
pub fn load(app: &mut App) {
    let name = app.editing.clone().unwrap_or_else(|| app.form.name.clone());
    app.signin = SignInState::Idle;
    if let Some(s) = app.config.find(&name).and_then(|a| a.oauth2.clone()) {
        app.form.oauth = OauthForm::from_settings(&s, identity_provider(&app.form));
    }
}
