//! Keyring writes that can be taken back: each entry's previous value is
//! kept in memory until the step they belong to has succeeded.

use crate::secret::Secret;
use crate::secrets::{Keyring, SecretsError};

pub struct Journal<'k> {
    keyring: &'k Keyring,
    written: Vec<(String, Option<Secret>)>,
}

impl<'k> Journal<'k> {
    pub fn new(keyring: &'k Keyring) -> Journal<'k> {
        Journal {
            keyring,
            written: Vec::new(),
        }
    }

    /// Sets the entry, remembering what it held. On failure, what this
    /// journal wrote so far is undone.
    pub fn set(&mut self, user: &str, secret: &Secret) -> Result<(), SecretsError> {
        let result = self.keyring.get_named(user).and_then(|previous| {
            self.keyring.set_named(user, secret)?;
            self.written.push((user.to_string(), previous));
            Ok(())
        });
        if result.is_err() {
            self.undo();
        }
        result
    }

    /// The entries written, in order.
    pub fn entries(&self) -> Vec<String> {
        self.written.iter().map(|(user, _)| user.clone()).collect()
    }

    /// Puts back each entry's previous value (or deletes a new one), last
    /// first. Best effort: the keyring may be what failed.
    pub fn undo(&mut self) {
        while let Some((user, previous)) = self.written.pop() {
            let _ = match previous {
                Some(old) => self.keyring.set_named(&user, &old),
                None => self.keyring.delete_named(&user).map(|_| ()),
            };
        }
    }
}
