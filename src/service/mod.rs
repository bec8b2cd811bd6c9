//! The account use cases, written once for both faces (the CLI prints
//! their typed results, the wizard's effect runner shows them):
//!
//! - save (add or update) and remove: under the configuration's lock, the
//!   secrets and the file written as one step (a failure undoes what was
//!   written);
//! - check, send-test and the arrival check: the secrets resolved once
//!   (a shared one fetched once), and "a refused token gets one retry
//!   with a refreshed one".

mod check;
mod journal;
mod remove;
mod save;
mod send_test;

pub use check::{check_account, check_side};
pub use remove::{Removed, remove_account};
pub use save::{NewSecrets, SaveRequest, Saved, save_account};
pub use send_test::{Sent, send_test, verify_arrival};

use crate::check::Progress;

/// What a running use case tells its face.
#[derive(Clone, Copy)]
pub struct Hooks<'a> {
    /// Each step as it starts and ends.
    pub progress: &'a (dyn Fn(Progress) + Sync),
    /// A server refused the access token: the work starts again with a
    /// refreshed one.
    pub retrying: &'a (dyn Fn() + Sync),
}

use crate::config::ConfigError;
use crate::i18n::{Lang, tf};
use crate::secrets::SecretsError;

/// `Display` is the English text of `localized`.
#[derive(Debug)]
pub enum ServiceError {
    Config(ConfigError),
    Secrets(SecretsError),
    NoSuchAccount(String),
}

impl From<ConfigError> for ServiceError {
    fn from(e: ConfigError) -> ServiceError {
        ServiceError::Config(e)
    }
}

impl From<SecretsError> for ServiceError {
    fn from(e: SecretsError) -> ServiceError {
        ServiceError::Secrets(e)
    }
}

impl std::fmt::Display for ServiceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.localized(Lang::En))
    }
}

impl std::error::Error for ServiceError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ServiceError::Config(e) => Some(e),
            ServiceError::Secrets(e) => Some(e),
            ServiceError::NoSuchAccount(_) => None,
        }
    }
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
mod one_text_tests;
#[cfg(test)]
mod tests;
