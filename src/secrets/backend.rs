//! Which store holds the passwords: chosen by the face (from
//! `$MAILWIZ_KEYRING`) and handed over once at start-up; the core reads no
//! environment.

use super::SecretsError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    SecretService,
    Keyutils,
    /// In memory, shared within the process: unit tests only.
    #[cfg(test)]
    Mock,
}

/// The store name the face was given (`$MAILWIZ_KEYRING`), recorded once
/// at start-up; nothing recorded means the default store.
static SELECTED: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// Records, once, the store every later [`Keyring::open`] opens. The name
/// is checked when a keyring is opened, so an unknown one is reported
/// where a password was needed, in the user's language.
pub fn select_backend(name: Option<String>) {
    if let Some(name) = name {
        let _ = SELECTED.set(name);
    }
}

impl Backend {
    /// The store the face selected (see [`select_backend`]).
    pub fn selected() -> Result<Backend, SecretsError> {
        Backend::from_name(SELECTED.get().map(String::as_str))
    }

    /// The store `name` means: `secret-service` (also when unset or
    /// empty) or `keyutils`.
    pub fn from_name(name: Option<&str>) -> Result<Backend, SecretsError> {
        match name {
            None | Some("" | "secret-service") => Ok(Backend::SecretService),
            Some("keyutils") => Ok(Backend::Keyutils),
            Some(other) => Err(SecretsError::UnknownBackend(other.to_string())),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Backend::SecretService => "Secret Service",
            Backend::Keyutils => "kernel keyring (keyutils)",
            #[cfg(test)]
            Backend::Mock => "in-memory mock",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Backend;

    #[test]
    fn names_choose_the_store_and_unknown_ones_are_refused() {
        for name in [None, Some(""), Some("secret-service")] {
            assert_eq!(Backend::from_name(name).ok(), Some(Backend::SecretService));
        }
        assert_eq!(
            Backend::from_name(Some("keyutils")).ok(),
            Some(Backend::Keyutils)
        );
        assert!(matches!(
            Backend::from_name(Some("mock")),
            Err(super::SecretsError::UnknownBackend(n)) if n == "mock"
        ));
    }
}
