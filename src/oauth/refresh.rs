//! A current access token, refreshed at most once at a time per account.
//!
//! With refresh-token rotation, two refreshes that POST the same refresh
//! token race: the provider honours one and refuses the other with
//! `invalid_grant`. So a refresh is single-flight: an in-process mutex per
//! account plus an advisory lock on a file in the runtime folder (for two
//! `mailwiz` processes at once). After taking the lock, the keyring is read
//! again: a token newer than the one the caller started with was just
//! obtained by someone else, and is used as it is. Tokens are deleted only
//! when the refused refresh token is still the stored one.

use super::{Client, OauthError, TokenSet, now_secs};
use crate::account::Account;
use crate::secret::Secret;
use crate::secrets::Keyring;
use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

/// A current access token for the account: from its `token_command`, or
/// from the keyring, refreshed first when it is about to expire (or when
/// `force_refresh`, after a server refused it). A refused refresh token
/// clears the stored tokens and asks to sign in again.
pub fn access_token(acct: &Account, force_refresh: bool) -> Result<Secret, OauthError> {
    if let Some(cmd) = acct
        .oauth2_settings()
        .token_command
        .as_deref()
        .filter(|c| !c.trim().is_empty())
    {
        return crate::secrets::run_password_command(cmd).map_err(OauthError::from);
    }
    let keyring = Keyring::open()?;
    let tokens = TokenSet::load(&keyring, &acct.name)?.ok_or_else(|| not_signed_in(acct))?;
    if !force_refresh && tokens.fresh_at(now_secs()) {
        return Ok(tokens.access_token);
    }
    refresh_once(acct, &keyring, &tokens)
}

fn not_signed_in(acct: &Account) -> OauthError {
    OauthError::NotSignedIn {
        account: acct.name.clone(),
    }
}

/// Refreshes `started_with` under the account's lock, unless another
/// thread or process already replaced it with a fresh token.
fn refresh_once(
    acct: &Account,
    keyring: &Keyring,
    started_with: &TokenSet,
) -> Result<Secret, OauthError> {
    let mutex = account_mutex(&acct.name);
    let _in_process = lock_ignoring_poison(&mutex);
    let _across_processes = FileLock::acquire(&acct.name);
    let current = TokenSet::load(keyring, &acct.name)?.ok_or_else(|| not_signed_in(acct))?;
    if current.access_token != started_with.access_token && current.fresh_at(now_secs()) {
        return Ok(current.access_token);
    }
    let Some(refresh) = current.refresh_token.as_ref() else {
        return Err(OauthError::SignInAgain {
            account: acct.name.clone(),
        });
    };
    let client = Client::for_account(acct)?;
    match client.refresh(&current) {
        Ok(new) => {
            new.save(keyring, &acct.name)?;
            super::last_error::clear(keyring, &acct.name);
            Ok(new.access_token)
        }
        Err(e) => {
            // Why, for `mailwiz doctor` (never a token).
            super::last_error::record(keyring, &acct.name, &e);
            if e.needs_sign_in() {
                let stored = TokenSet::load(keyring, &acct.name).ok().flatten();
                if stored.is_some_and(|s| s.refresh_token.as_ref() == Some(refresh)) {
                    let _ = TokenSet::delete(keyring, &acct.name);
                }
            }
            Err(e)
        }
    }
}

/// The in-process lock of one account's refresh.
fn account_mutex(account: &str) -> Arc<Mutex<()>> {
    static LOCKS: OnceLock<Mutex<HashMap<String, Arc<Mutex<()>>>>> = OnceLock::new();
    let mut map = lock_ignoring_poison(LOCKS.get_or_init(Mutex::default));
    map.entry(account.to_string()).or_default().clone()
}

/// A panic elsewhere while holding the lock leaves nothing half-done here
/// (the keyring is the state), so a poisoned lock is still a lock.
fn lock_ignoring_poison<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// An exclusive advisory lock on `mailwiz/oauth-<hash>.lock` in the
/// runtime folder (else beside the configuration), released when dropped.
/// Without any such folder, or when the file cannot be opened, the refresh
/// goes on with the in-process lock only: a lock must never stop a login.
struct FileLock(Option<File>);

impl FileLock {
    fn acquire(account: &str) -> FileLock {
        let Some(path) = lock_path(account) else {
            return FileLock(None);
        };
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .ok();
        // Blocks until the other process's refresh ends (bounded by its
        // HTTP deadline); an error means no locking on this file system.
        FileLock(file.filter(|f| f.lock().is_ok()))
    }
}

impl Drop for FileLock {
    fn drop(&mut self) {
        if let Some(f) = &self.0 {
            let _ = f.unlock();
        }
    }
}

/// The folder of the refresh locks, recorded once by the face at start-up
/// (the runtime folder, else the configuration's; the core reads no
/// environment). Nothing recorded: the in-process lock only.
static LOCK_FOLDER: OnceLock<PathBuf> = OnceLock::new();

/// Records, once, where every later refresh takes its file lock.
pub fn use_lock_folder(dir: PathBuf) {
    let _ = LOCK_FOLDER.set(dir);
}

fn lock_path(account: &str) -> Option<PathBuf> {
    let dir = LOCK_FOLDER.get()?;
    create_private_dir(dir).ok()?;
    let digest = ring::digest::digest(&ring::digest::SHA256, account.as_bytes());
    let hex: String = digest.as_ref()[..12]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Some(dir.join(format!("oauth-{hex}.lock")))
}

fn create_private_dir(dir: &std::path::Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    if dir.is_dir() {
        return Ok(());
    }
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::OAuth2Settings;

    #[test]
    fn one_mutex_per_account() {
        let a = account_mutex("lock-a");
        assert!(Arc::ptr_eq(&a, &account_mutex("lock-a")));
        assert!(!Arc::ptr_eq(&a, &account_mutex("lock-b")));
    }

    fn account(name: &str, settings: &OAuth2Settings) -> Account {
        use crate::account::*;
        let incoming = IncomingServer {
            protocol: Protocol::Imap,
            host: "mail.example.test".into(),
            port: 993,
            security: Security::Tls,
            username: name.into(),
            auth: AuthMethod::Oauth2,
            keep_on_server: true,
            pinned_sha256: None,
        };
        let smtp = SmtpServer {
            host: "mail.example.test".into(),
            port: 465,
            security: Security::Tls,
            auth_required: true,
            username: name.into(),
            same_password: true,
            pinned_sha256: None,
        };
        Account {
            name: name.into(),
            email: name.into(),
            display_name: String::new(),
            provider: None,
            incoming,
            smtp,
            ca_file: None,
            secrets: SecretSource::default(),
            oauth2: Some(settings.clone()),
        }
    }

    fn tokens(access: &str, refresh: &str, expires_at: u64) -> TokenSet {
        TokenSet {
            access_token: Secret::new(access),
            refresh_token: Some(Secret::new(refresh)),
            expires_at: Some(expires_at),
            signed_in_at: None,
        }
    }

    /// A token endpoint that refuses one refresh with `invalid_grant`,
    /// after `meanwhile` ran (what another writer did in the meantime).
    fn refusing_endpoint(meanwhile: impl FnOnce() + Send + 'static) -> String {
        use std::io::{Read, Write};
        let listener = std::net::TcpListener::bind(("127.0.0.1", 0)).unwrap();
        let port = listener.local_addr().unwrap().port();
        std::thread::spawn(move || {
            let (mut s, _) = listener.accept().unwrap();
            s.set_read_timeout(Some(std::time::Duration::from_secs(5)))
                .unwrap();
            let mut seen = Vec::new();
            let mut buf = [0u8; 4096];
            while !String::from_utf8_lossy(&seen).contains("client_id=c") {
                match s.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => seen.extend_from_slice(&buf[..n]),
                }
            }
            meanwhile();
            let body = r#"{"error":"invalid_grant"}"#;
            let _ = write!(
                s,
                "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        });
        format!("http://127.0.0.1:{port}/token")
    }

    #[test]
    fn a_refused_refresh_deletes_only_the_token_it_refused() {
        use crate::secrets::Backend;
        let kr = Keyring::open_backend(Backend::Mock).unwrap();
        let stale = tokens("a-old", "r-old", 1);
        // Someone else stores newer tokens while the refused one is in flight.
        let name = "refresh-kept@example.test";
        stale.save(&kr, name).unwrap();
        let newer = tokens("a-new", "r-new", u64::MAX / 2);
        let stored = newer.clone();
        let url = refusing_endpoint(move || {
            let kr = Keyring::open_backend(Backend::Mock).unwrap();
            stored.save(&kr, "refresh-kept@example.test").unwrap();
        });
        let settings = OAuth2Settings {
            client_id: "c".into(),
            token_url: Some(url),
            ..Default::default()
        };
        let e = refresh_once(&account(name, &settings), &kr, &stale).unwrap_err();
        assert!(matches!(e, OauthError::SignInAgain { .. }), "{e:?}");
        assert_eq!(TokenSet::load(&kr, name).unwrap(), Some(newer));

        // Nobody else wrote: the refused tokens are deleted.
        let name = "refresh-gone@example.test";
        stale.save(&kr, name).unwrap();
        let settings = OAuth2Settings {
            token_url: Some(refusing_endpoint(|| {})),
            ..settings
        };
        let e = refresh_once(&account(name, &settings), &kr, &stale).unwrap_err();
        assert!(matches!(e, OauthError::SignInAgain { .. }), "{e:?}");
        assert_eq!(TokenSet::load(&kr, name).unwrap(), None);
    }
}
