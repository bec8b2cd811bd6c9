//! The account use cases, written once for both faces: save (add or
//! update) and remove. Each works under the configuration's lock, writes
//! the secrets and the file as one step (a failure undoes what was
//! written) and returns a typed result the CLI prints and the wizard shows.

mod journal;
mod remove;
mod save;

pub use remove::{Removed, remove_account};
pub use save::{NewSecrets, SaveRequest, Saved, save_account};

use crate::config::ConfigError;
use crate::i18n::{Lang, tf};
use crate::secrets::SecretsError;

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Secrets(#[from] SecretsError),
    #[error("there is no account named {0}")]
    NoSuchAccount(String),
}

impl ServiceError {
    pub fn localized(&self, lang: Lang) -> String {
        match self {
            ServiceError::Config(e) => e.localized(lang),
            ServiceError::Secrets(e) => e.localized(lang),
            ServiceError::NoSuchAccount(name) => {
                tf(lang, "cli.error.no_such_account", &[("name", name)])
            }
        }
    }

    /// What to do about it, when there is more to say than the message.
    pub fn advice(&self, lang: Lang) -> Option<String> {
        match self {
            ServiceError::Secrets(e) => Some(e.advice(lang)),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests;
