//! Save (add or update) an account: lock the file, write the new secrets
//! (remembering what they replace), write the file; if anything fails,
//! the secrets are put back as they were and the file is untouched.

use super::ServiceError;
use super::journal::Journal;
use crate::account::{Account, Role};
use crate::config::{self, Config, ConfigError, Locked};
use crate::oauth::TokenSet;
use crate::secret::Secret;
use crate::secrets::{self, Backend, Keyring};
use std::path::Path;

/// Secrets that go into the keyring with the account. Empty: the account
/// keeps what it has (or uses a password command, or signs in later).
#[derive(Debug, Default)]
pub struct NewSecrets {
    pub incoming: Option<Secret>,
    /// Only for an account whose SMTP login has its own password.
    pub smtp: Option<Secret>,
    pub oauth_client_secret: Option<Secret>,
    /// The tokens of a wizard sign-in, held in memory until this save.
    pub oauth_tokens: Option<TokenSet>,
}

impl NewSecrets {
    pub fn is_empty(&self) -> bool {
        self.incoming.is_none()
            && self.smtp.is_none()
            && self.oauth_client_secret.is_none()
            && self.oauth_tokens.is_none()
    }

    /// (keyring entry user, secret) pairs for the account NAME.
    fn entries(&self, name: &str) -> Vec<(String, Secret)> {
        let mut out = Vec::new();
        if let Some(s) = &self.incoming {
            out.push((secrets::entry_user(name, Role::Incoming), s.clone()));
        }
        if let Some(s) = &self.smtp {
            out.push((secrets::entry_user(name, Role::Smtp), s.clone()));
        }
        if let Some(s) = &self.oauth_client_secret {
            out.push((crate::oauth::client_secret_entry(name), s.clone()));
        }
        if let Some(t) = &self.oauth_tokens {
            out.push((crate::oauth::entry_user(name), t.to_secret()));
        }
        out
    }
}

#[derive(Debug)]
pub struct SaveRequest {
    /// With its OAuth2 settings (None: it signs in otherwise).
    pub account: Account,
    pub secrets: NewSecrets,
}

/// What was saved: the file as it now is and the keyring entries written.
#[derive(Debug)]
pub struct Saved {
    pub config: Config,
    pub backend: Option<Backend>,
    pub stored: Vec<String>,
}

/// Saves the account. `keyring` is the store for its secrets (opened and
/// probed here when None and there are secrets to write).
pub fn save_account(
    path: &Path,
    request: SaveRequest,
    keyring: Option<&Keyring>,
) -> Result<Saved, ServiceError> {
    save_with(path, request, keyring, Locked::commit)
}

/// `save_account` with the file write as a parameter, so a test can make
/// it fail after the secrets were written.
pub(super) fn save_with(
    path: &Path,
    request: SaveRequest,
    keyring: Option<&Keyring>,
    commit: impl FnOnce(&mut Locked) -> Result<(), ConfigError>,
) -> Result<Saved, ServiceError> {
    let opened;
    let keyring = match keyring {
        Some(k) => Some(k),
        None if request.secrets.is_empty() => None,
        None => {
            let k = Keyring::open()?;
            k.probe()?;
            opened = k;
            Some(&opened)
        }
    };
    // The lock first: a file that cannot be read or written means no
    // secret is touched.
    let mut locked = config::lock(path)?;
    let SaveRequest { account, secrets } = request;
    let name = account.name.clone();
    locked.config.upsert(account);
    let mut journal = keyring.map(Journal::new);
    if let Some(journal) = journal.as_mut() {
        for (user, secret) in secrets.entries(&name) {
            journal.set(&user, &secret)?;
        }
    }
    if let Err(e) = commit(&mut locked) {
        if let Some(journal) = journal.as_mut() {
            journal.undo();
        }
        return Err(e.into());
    }
    Ok(Saved {
        config: locked.config.clone(),
        backend: keyring.map(Keyring::backend),
        stored: journal.map(|j| j.entries()).unwrap_or_default(),
    })
}
