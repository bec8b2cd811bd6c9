//! Passwords live in the OS keyring (service `mailwiz`, one entry per
//! account and role) or come from the account's explicit
//! `password_command`. Never from a file, never silently from anywhere else.
//!
//! The store is chosen with `$MAILWIZ_KEYRING` (read by the face, which
//! hands its value over once with [`select_backend`]): `secret-service`
//! (the default on Linux: GNOME Keyring, KeePassXC, KWallet through its
//! Secret Service bridge) or `keyutils` (the kernel keyring, for headless
//! machines; lost at reboot). Unit tests use an in-memory store that does
//! not exist in the product.

mod backend;
mod command;

pub use backend::{Backend, select_backend};
pub use command::{CommandFailure, run_password_command};

use crate::account::{Account, Role};
use crate::i18n::{Lang, tf};
use crate::secret::Secret;
use keyring::Error as KrError;
use keyring_core::{CredentialStore, Entry};
use std::sync::Arc;

pub const SERVICE: &str = "mailwiz";

/// Why a password could not be stored or read. Each kind says what to do.
/// The texts are `secrets.error.*` (English and French); `Display` is the
/// English one. `detail` fields are the keyring library's own words,
/// quoted as evidence.
#[derive(Debug)]
pub enum SecretsError {
    NoSecretService {
        detail: String,
    },
    Locked {
        detail: String,
    },
    KeyutilsDenied {
        detail: String,
    },
    /// The kernel keyring has no persistent keyring reachable from this
    /// session: a secret stored there would die with the session.
    NoPersistentKeyring {
        errno: String,
    },
    NotFound {
        account: String,
        role: &'static str,
    },
    Keyring {
        detail: String,
    },
    /// `MAILWIZ_KEYRING` names no known store.
    UnknownBackend(String),
    Command {
        failure: CommandFailure,
    },
}

impl std::fmt::Display for SecretsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.localized(Lang::En))
    }
}

impl std::error::Error for SecretsError {}

impl SecretsError {
    /// True when the store itself cannot be used (as opposed to one entry
    /// missing): the faces then offer the alternatives.
    pub fn store_unusable(&self) -> bool {
        !matches!(
            self,
            SecretsError::NotFound { .. } | SecretsError::Command { .. }
        )
    }

    pub fn localized(&self, lang: Lang) -> String {
        let (key, args): (&str, Vec<(&str, String)>) = match self {
            SecretsError::NoSecretService { detail } => (
                "secrets.error.no_secret_service",
                vec![("detail", detail.clone())],
            ),
            SecretsError::Locked { detail } => {
                ("secrets.error.locked", vec![("detail", detail.clone())])
            }
            SecretsError::KeyutilsDenied { detail } => (
                "secrets.error.keyutils_denied",
                vec![("detail", detail.clone())],
            ),
            SecretsError::NoPersistentKeyring { errno } => (
                "secrets.error.no_persistent_keyring",
                vec![("errno", errno.clone())],
            ),
            SecretsError::NotFound { account, role } => (
                "secrets.error.not_found",
                vec![("account", account.clone()), ("role", role.to_string())],
            ),
            SecretsError::Keyring { detail } => {
                ("secrets.error.keyring", vec![("detail", detail.clone())])
            }
            SecretsError::UnknownBackend(v) => {
                ("secrets.error.unknown_backend", vec![("value", v.clone())])
            }
            SecretsError::Command { failure } => (
                "secrets.error.command",
                vec![("detail", failure.localized(lang))],
            ),
        };
        let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        tf(lang, key, &args)
    }

    /// What the user can do about it, in their language.
    pub fn advice(&self, lang: Lang) -> String {
        let key = match self {
            SecretsError::NoSecretService { .. } => "secrets.advice.no_secret_service",
            SecretsError::Locked { .. } => "secrets.advice.locked",
            SecretsError::KeyutilsDenied { .. } => "secrets.advice.keyutils_denied",
            SecretsError::NoPersistentKeyring { .. } => "secrets.advice.no_persistent_keyring",
            SecretsError::NotFound { .. } => "secrets.advice.not_found",
            SecretsError::Keyring { .. } | SecretsError::UnknownBackend(_) => {
                "secrets.advice.other"
            }
            SecretsError::Command { .. } => "secrets.advice.command",
        };
        crate::i18n::t(lang, key).to_string()
    }
}

/// One opened credential store.
pub struct Keyring {
    backend: Backend,
    store: Arc<CredentialStore>,
}

impl std::fmt::Debug for Keyring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keyring")
            .field("backend", &self.backend)
            .finish()
    }
}

fn classify(backend: Backend, err: KrError) -> SecretsError {
    let detail = err.to_string();
    match (backend, err) {
        (Backend::Keyutils, KrError::NoStorageAccess(_) | KrError::PlatformFailure(_)) => {
            SecretsError::KeyutilsDenied { detail }
        }
        (_, KrError::NoStorageAccess(_)) => SecretsError::Locked { detail },
        (Backend::SecretService, KrError::PlatformFailure(_) | KrError::NoDefaultStore) => {
            SecretsError::NoSecretService { detail }
        }
        _ => SecretsError::Keyring { detail },
    }
}

/// The mock store must be shared across `Keyring::open()` calls in one
/// process, like a real store is.
#[cfg(test)]
fn mock_store() -> Arc<CredentialStore> {
    use std::sync::OnceLock;
    static MOCK: OnceLock<Arc<CredentialStore>> = OnceLock::new();
    MOCK.get_or_init(|| keyring_core::mock::Store::new().expect("the mock store always opens"))
        .clone()
}

impl Keyring {
    pub fn open() -> Result<Keyring, SecretsError> {
        Self::open_backend(Backend::selected()?)
    }

    pub fn open_backend(backend: Backend) -> Result<Keyring, SecretsError> {
        let store: Arc<CredentialStore> = match backend {
            Backend::SecretService => {
                zbus_secret_service_keyring_store::Store::new().map_err(|e| {
                    SecretsError::NoSecretService {
                        detail: e.to_string(),
                    }
                })?
            }
            Backend::Keyutils => {
                require_persistent_keyring()?;
                linux_keyutils_keyring_store::Store::new().map_err(|e| classify(backend, e))?
            }
            #[cfg(test)]
            Backend::Mock => mock_store(),
        };
        Ok(Keyring { backend, store })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    fn entry(&self, account: &str, role: Role) -> Result<Entry, SecretsError> {
        Entry::new_in_store(&self.store, SERVICE, &entry_user(account, role))
            .map_err(|e| classify(self.backend, e))
    }

    /// Proves the store can be used before a password is asked for: a
    /// lookup of an entry that does not exist must answer "no entry".
    pub fn probe(&self) -> Result<(), SecretsError> {
        let entry = self.entry("probe", Role::Incoming)?;
        match entry.get_password() {
            Ok(_) | Err(KrError::NoEntry) => Ok(()),
            Err(e) => Err(classify(self.backend, e)),
        }
    }

    pub fn set(&self, account: &str, role: Role, secret: &Secret) -> Result<(), SecretsError> {
        self.entry(account, role)?
            .set_password(secret.expose())
            .map_err(|e| classify(self.backend, e))
    }

    pub fn get(&self, account: &str, role: Role) -> Result<Secret, SecretsError> {
        match self.entry(account, role)?.get_password() {
            Ok(p) => Ok(Secret::new(p)),
            Err(KrError::NoEntry) => Err(SecretsError::NotFound {
                account: account.to_string(),
                role: role.as_str(),
            }),
            Err(e) => Err(classify(self.backend, e)),
        }
    }

    /// Deletes the entry; a missing entry is not an error. Returns whether
    /// something was deleted.
    pub fn delete(&self, account: &str, role: Role) -> Result<bool, SecretsError> {
        match self.entry(account, role)?.delete_credential() {
            Ok(()) => Ok(true),
            Err(KrError::NoEntry) => Ok(false),
            Err(e) => Err(classify(self.backend, e)),
        }
    }
}

/// The keyutils store puts each secret in the session keyring and links
/// it to the user's persistent keyring, which is what the next process
/// (another login, a fresh `keyctl session`) finds. Without a persistent
/// keyring the secret would die with this session while `add` said
/// "stored": refused, with the reason.
fn require_persistent_keyring() -> Result<(), SecretsError> {
    use linux_keyutils::{KeyRing, KeyRingIdentifier};
    KeyRing::get_persistent(KeyRingIdentifier::Session)
        .map(|_| ())
        .map_err(|e| SecretsError::NoPersistentKeyring {
            errno: format!("{e:?}"),
        })
}

/// Entries that are not a role's password (OAuth2 tokens, a client
/// secret), by their full entry user name such as `oauth:NAME`.
impl Keyring {
    fn named_entry(&self, user: &str) -> Result<Entry, SecretsError> {
        Entry::new_in_store(&self.store, SERVICE, user).map_err(|e| classify(self.backend, e))
    }

    pub fn set_named(&self, user: &str, secret: &Secret) -> Result<(), SecretsError> {
        self.named_entry(user)?
            .set_password(secret.expose())
            .map_err(|e| classify(self.backend, e))
    }

    /// The entry's value, or None when there is no such entry.
    pub fn get_named(&self, user: &str) -> Result<Option<Secret>, SecretsError> {
        match self.named_entry(user)?.get_password() {
            Ok(p) => Ok(Some(Secret::new(p))),
            Err(KrError::NoEntry) => Ok(None),
            Err(e) => Err(classify(self.backend, e)),
        }
    }

    /// Deletes the entry; a missing entry is not an error.
    pub fn delete_named(&self, user: &str) -> Result<bool, SecretsError> {
        match self.named_entry(user)?.delete_credential() {
            Ok(()) => Ok(true),
            Err(KrError::NoEntry) => Ok(false),
            Err(e) => Err(classify(self.backend, e)),
        }
    }
}

/// The keyring entry's user name: role and account, e.g.
/// `incoming:alice@free.fr`.
pub fn entry_user(account: &str, role: Role) -> String {
    format!("{}:{account}", role.as_str())
}

/// The password the account uses for `role`: the explicit command when the
/// account has one, else the keyring entry (the SMTP role reads the
/// incoming entry when the account shares it).
pub fn password_for(account: &Account, role: Role) -> Result<Secret, SecretsError> {
    let effective = match role {
        Role::Incoming => Role::Incoming,
        Role::Smtp => account.smtp_secret_role(),
    };
    let command = match effective {
        Role::Incoming => account.secrets.password_command.as_deref(),
        Role::Smtp => account
            .secrets
            .smtp_password_command
            .as_deref()
            .or(account.secrets.password_command.as_deref()),
    };
    if let Some(cmd) = command {
        return run_password_command(cmd);
    }
    Keyring::open()?.get(&account.name, effective)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mock_round_trip_and_delete() {
        let kr = Keyring::open_backend(Backend::Mock).unwrap();
        kr.probe().unwrap();
        let name = "mock-round-trip@example.test";
        kr.set(name, Role::Incoming, &Secret::new("pw-1")).unwrap();
        // A second handle sees the same store, as a real keyring would.
        let again = Keyring::open_backend(Backend::Mock).unwrap();
        assert_eq!(again.get(name, Role::Incoming).unwrap().expose(), "pw-1");
        assert!(matches!(
            again.get(name, Role::Smtp),
            Err(SecretsError::NotFound { role: "smtp", .. })
        ));
        assert!(again.delete(name, Role::Incoming).unwrap());
        assert!(!again.delete(name, Role::Incoming).unwrap());
    }

    #[test]
    fn entry_names() {
        assert_eq!(entry_user("a@b.fr", Role::Smtp), "smtp:a@b.fr");
    }

    #[test]
    fn every_error_has_text_and_advice_in_both_languages() {
        let errs = [
            SecretsError::NoSecretService { detail: "x".into() },
            SecretsError::Locked { detail: "x".into() },
            SecretsError::KeyutilsDenied { detail: "x".into() },
            SecretsError::NoPersistentKeyring { errno: "x".into() },
            SecretsError::NotFound {
                account: "a".into(),
                role: "smtp",
            },
            SecretsError::Keyring { detail: "x".into() },
            SecretsError::UnknownBackend("x".into()),
            SecretsError::Command {
                failure: CommandFailure::Exit { code: 3 },
            },
        ];
        for e in &errs {
            for lang in Lang::ALL {
                let text = e.localized(lang);
                assert!(
                    !text.starts_with("secrets."),
                    "missing text for {e:?} in {lang:?}"
                );
                assert!(
                    !e.advice(lang).starts_with("secrets."),
                    "missing advice for {e:?}"
                );
            }
        }
    }
}
