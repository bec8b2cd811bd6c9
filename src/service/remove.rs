//! Remove an account: out of the file (under the lock), then every keyring
//! entry it may have (both passwords, OAuth2 tokens, client secret),
//! whatever its settings say: an entry left behind is a stray secret.

use super::ServiceError;
use crate::account::{Account, Role};
use crate::config::{self, Config};
use crate::secrets::{Keyring, SecretsError};
use std::path::Path;

#[derive(Debug)]
pub struct Removed {
    pub account: Account,
    pub config: Config,
    /// Keyring entries deleted.
    pub deleted: usize,
    /// The account is gone from the file, but its entries could not be
    /// deleted (the keyring is unusable); None when there was nothing to do.
    pub keyring_error: Option<SecretsError>,
}

pub fn remove_account(
    path: &Path,
    name: &str,
    keyring: Option<&Keyring>,
) -> Result<Removed, ServiceError> {
    let mut locked = config::lock(path)?;
    let account = locked
        .config
        .remove(name)
        .ok_or_else(|| ServiceError::NoSuchAccount(name.to_string()))?;
    locked.commit()?;
    let config = locked.config.clone();
    drop(locked);
    let cleared = match keyring {
        Some(k) => delete_entries(k, name),
        None => Keyring::open().and_then(|k| delete_entries(&k, name)),
    };
    let (deleted, keyring_error) = match cleared {
        Ok(n) => (n, None),
        // An account that never used the keyring has nothing in it.
        Err(_) if uses_no_keyring(&account) => (0, None),
        Err(e) => (0, Some(e)),
    };
    Ok(Removed {
        account,
        config,
        deleted,
        keyring_error,
    })
}

fn delete_entries(keyring: &Keyring, name: &str) -> Result<usize, SecretsError> {
    let mut n = 0;
    for role in [Role::Incoming, Role::Smtp] {
        n += usize::from(keyring.delete(name, role)?);
    }
    n += crate::oauth::forget(keyring, name)?;
    Ok(n)
}

fn uses_no_keyring(account: &Account) -> bool {
    let s = &account.secrets;
    account.incoming.auth == crate::account::AuthMethod::Password
        && s.password_command.is_some()
        && (account.smtp.same_password || s.smtp_password_command.is_some())
}
