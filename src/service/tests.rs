//! The use cases on a real file and the in-memory keyring.

use super::save::save_with;
use super::*;
use crate::account::Role;
use crate::config::ConfigError;
use crate::secret::Secret;
use crate::secrets::{Backend, Keyring};

fn account(name: &str) -> crate::account::Account {
    let mut a = crate::config::tests::sample();
    a.name = name.to_string();
    a
}

fn request(name: &str, password: &str) -> SaveRequest {
    SaveRequest {
        account: account(name),
        secrets: NewSecrets {
            incoming: Some(Secret::new(password)),
            ..NewSecrets::default()
        },
    }
}

fn disk_full(_: &mut crate::config::Locked) -> Result<(), ConfigError> {
    Err(ConfigError::Write {
        path: "accounts.toml".into(),
        source: std::io::Error::other("no space left on device"),
    })
}

#[test]
fn save_writes_the_file_and_the_secret() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("accounts.toml");
    let kr = Keyring::open_backend(Backend::Mock).unwrap();
    let saved = save_account(&path, request("svc-save@t", "pw-1"), Some(&kr)).unwrap();
    assert_eq!(saved.stored, ["incoming:svc-save@t"]);
    assert!(
        crate::config::load(&path)
            .unwrap()
            .find("svc-save@t")
            .is_some()
    );
    assert_eq!(
        kr.get("svc-save@t", Role::Incoming).unwrap().expose(),
        "pw-1"
    );
}

#[test]
fn a_failed_file_write_removes_a_new_secret() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("accounts.toml");
    let kr = Keyring::open_backend(Backend::Mock).unwrap();
    let r = save_with(&path, request("svc-new@t", "pw"), Some(&kr), disk_full);
    assert!(matches!(r, Err(ServiceError::Config(_))), "{r:?}");
    assert!(
        kr.get("svc-new@t", Role::Incoming).is_err(),
        "orphan secret"
    );
    assert!(!path.exists());
}

#[test]
fn a_failed_file_write_restores_the_previous_secret() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("accounts.toml");
    let kr = Keyring::open_backend(Backend::Mock).unwrap();
    save_account(&path, request("svc-upd@t", "old"), Some(&kr)).unwrap();
    let r = save_with(&path, request("svc-upd@t", "new"), Some(&kr), disk_full);
    assert!(r.is_err());
    assert_eq!(kr.get("svc-upd@t", Role::Incoming).unwrap().expose(), "old");
}

#[test]
fn an_unreadable_file_means_no_secret_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("accounts.toml");
    std::fs::write(&path, "schema_version = \n").unwrap();
    let kr = Keyring::open_backend(Backend::Mock).unwrap();
    let r = save_account(&path, request("svc-bad@t", "pw"), Some(&kr));
    assert!(matches!(
        r,
        Err(ServiceError::Config(ConfigError::Parse { .. }))
    ));
    assert!(kr.get("svc-bad@t", Role::Incoming).is_err());
}

#[test]
fn remove_deletes_every_entry_even_with_a_password_command() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("accounts.toml");
    let kr = Keyring::open_backend(Backend::Mock).unwrap();
    let mut req = request("svc-rm@t", "pw");
    req.account.secrets.password_command = Some("pass show mail".into());
    req.secrets.smtp = Some(Secret::new("smtp-pw"));
    save_account(&path, req, Some(&kr)).unwrap();
    kr.set_named(&crate::oauth::entry_user("svc-rm@t"), &Secret::new("tok"))
        .unwrap();
    let removed = remove_account(&path, "svc-rm@t", Some(&kr)).unwrap();
    assert_eq!(removed.deleted, 3);
    assert!(removed.keyring_error.is_none());
    assert!(removed.config.accounts.is_empty());
    assert!(matches!(
        remove_account(&path, "svc-rm@t", Some(&kr)),
        Err(ServiceError::NoSuchAccount(_))
    ));
}
