//! Which secret a role logs in with: the password (keyring or the
//! account's password command) or, for an OAuth2 account, a current access
//! token (refreshed first when it is about to expire). One function for
//! both faces: the CLI's `check`, `send-test`, `doctor`, `token`, and the
//! wizard's test, send and troubleshooting.

use crate::account::{Account, AuthMethod, Role};
use crate::i18n::Lang;
use crate::oauth::{self, OauthError};
use crate::secret::Secret;
use crate::secrets::{self, SecretsError};

/// Why no secret could be had: the keyring or password command, or the
/// OAuth2 sign-in (whose `SignInAgain` says "sign in again").
#[derive(Debug, thiserror::Error)]
pub enum CredentialError {
    #[error(transparent)]
    Password(#[from] SecretsError),
    #[error(transparent)]
    Oauth(#[from] OauthError),
}

impl CredentialError {
    /// The user must sign in (again) before the account can log in.
    pub fn needs_sign_in(&self) -> bool {
        matches!(self, CredentialError::Oauth(e) if e.needs_sign_in())
    }

    pub fn localized(&self, lang: Lang) -> String {
        match self {
            CredentialError::Password(e) => e.localized(lang),
            CredentialError::Oauth(e) => e.localized(lang),
        }
    }

    /// What to do about it; `name` is the account, for the command to run.
    pub fn advice(&self, lang: Lang, name: &str) -> String {
        match self {
            CredentialError::Password(e) => e.advice(lang),
            CredentialError::Oauth(e) => e.advice(lang, name),
        }
    }
}

/// Whether `role` logs in at all (None: it does not, nothing to read).
fn logs_in(acct: &Account, role: Role) -> bool {
    match role {
        Role::Incoming => acct.incoming.auth != AuthMethod::None,
        Role::Smtp => acct.smtp.auth_required,
    }
}

/// The secret `role` logs in with, or None when that side does not log
/// in. For an OAuth2 account both roles use the access token, refreshed
/// first when it is about to expire, or when `force_refresh` (after a
/// server refused it).
pub fn secret_for(
    acct: &Account,
    role: Role,
    force_refresh: bool,
) -> Result<Option<Secret>, CredentialError> {
    if acct.signs_in_with_oauth2() {
        if !logs_in(acct, role) {
            return Ok(None);
        }
        return Ok(Some(oauth::access_token(acct, force_refresh)?));
    }
    if !logs_in(acct, role) {
        return Ok(None);
    }
    Ok(Some(secrets::password_for(acct, role)?))
}

/// The secrets of one use case, each role's own (None: that role does not
/// log in, or was not asked for).
#[derive(Debug, Clone, Default)]
pub struct Secrets {
    pub incoming: Option<Secret>,
    pub smtp: Option<Secret>,
}

/// Which roles a use case logs in with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Roles {
    pub incoming: bool,
    pub smtp: bool,
}

impl Roles {
    pub const BOTH: Roles = Roles {
        incoming: true,
        smtp: true,
    };
    pub const INCOMING: Roles = Roles {
        incoming: true,
        smtp: false,
    };
    pub const SMTP: Roles = Roles {
        incoming: false,
        smtp: true,
    };
}

/// SMTP logs in with exactly what the incoming side does: the same access
/// token, the shared keyring entry, or the same password command.
pub fn smtp_shares_incoming(acct: &Account) -> bool {
    if acct.signs_in_with_oauth2() {
        return true;
    }
    match acct.smtp_secret_role() {
        Role::Incoming => true,
        Role::Smtp => {
            acct.secrets.smtp_password_command.is_none() && acct.secrets.password_command.is_some()
        }
    }
}

/// The secrets `roles` log in with: the `given` ones first (typed in the
/// wizard), else the core's. A secret both roles share is fetched once
/// (one password-command run, one keyring session, one token).
pub fn secrets_for(
    acct: &Account,
    roles: Roles,
    given: Secrets,
) -> Result<Secrets, CredentialError> {
    let incoming = match given.incoming {
        Some(s) if roles.incoming => Some(s),
        _ if roles.incoming => secret_for(acct, Role::Incoming, false)?,
        _ => None,
    };
    let smtp = if !roles.smtp || !logs_in(acct, Role::Smtp) {
        None
    } else if given.smtp.is_some() {
        given.smtp
    } else if let Some(shared) = incoming.as_ref().filter(|_| smtp_shares_incoming(acct)) {
        Some(shared.clone())
    } else {
        secret_for(acct, Role::Smtp, false)?
    };
    Ok(Secrets { incoming, smtp })
}

/// After a server refused an access token: a fresh one, when mailwiz
/// manages the tokens (an account with a `token_command`, or a password
/// account, gets None: there is nothing to retry with).
pub fn retry_token(acct: &Account) -> Result<Option<Secret>, CredentialError> {
    if !acct.signs_in_with_oauth2() || acct.oauth2_settings().token_command.is_some() {
        return Ok(None);
    }
    Ok(Some(oauth::access_token(acct, true)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::{
        IncomingServer, OAuth2Settings, Protocol, SecretSource, Security, SmtpServer,
    };

    fn account(auth: AuthMethod, smtp_auth: bool) -> Account {
        Account {
            name: "cred-test@example.test".into(),
            email: "cred-test@example.test".into(),
            display_name: String::new(),
            provider: None,
            incoming: IncomingServer {
                protocol: Protocol::Imap,
                host: "mail.example.test".into(),
                port: 993,
                security: Security::Tls,
                username: "cred-test@example.test".into(),
                auth,
                keep_on_server: true,
                pinned_sha256: None,
            },
            smtp: SmtpServer {
                host: "mail.example.test".into(),
                port: 465,
                security: Security::Tls,
                auth_required: smtp_auth,
                username: "cred-test@example.test".into(),
                same_password: true,
                pinned_sha256: None,
            },
            ca_file: None,
            secrets: SecretSource::default(),
            oauth2: None,
        }
    }

    #[test]
    fn password_accounts_read_the_password_command() {
        let mut a = account(AuthMethod::Password, false);
        a.secrets.password_command = Some("echo pw-from-command".into());
        let pw = secret_for(&a, Role::Incoming, false).unwrap();
        assert_eq!(pw.unwrap().expose(), "pw-from-command");
        assert!(secret_for(&a, Role::Smtp, false).unwrap().is_none());
        assert!(retry_token(&a).unwrap().is_none());
        let none = account(AuthMethod::None, false);
        assert!(secret_for(&none, Role::Incoming, false).unwrap().is_none());
    }

    #[test]
    fn oauth_accounts_use_the_token_command_for_both_roles() {
        let mut a = account(AuthMethod::Oauth2, true);
        a.oauth2 = Some(OAuth2Settings {
            token_command: Some("echo token-from-command".into()),
            ..Default::default()
        });
        for role in [Role::Incoming, Role::Smtp] {
            let t = secret_for(&a, role, false).unwrap().unwrap();
            assert_eq!(t.expose(), "token-from-command");
        }
        // A token command's token is not refreshed by mailwiz.
        assert!(retry_token(&a).unwrap().is_none());
        a.oauth2 = Some(OAuth2Settings {
            token_command: Some("exit 4".into()),
            ..Default::default()
        });
        let e = secret_for(&a, Role::Incoming, false).unwrap_err();
        assert!(matches!(
            e,
            CredentialError::Oauth(OauthError::Command { .. })
        ));
        assert!(!e.needs_sign_in());
        for lang in Lang::ALL {
            assert!(!e.localized(lang).starts_with("oauth."));
            assert!(!e.advice(lang, "n").starts_with("oauth."));
        }
    }

    /// A counting password command: each run appends a line to `count`.
    fn counting_command(count: &std::path::Path) -> String {
        format!("echo run >> '{}'; echo pw-counted", count.display())
    }

    fn runs(count: &std::path::Path) -> usize {
        std::fs::read_to_string(count).map_or(0, |s| s.lines().count())
    }

    #[test]
    fn a_shared_secret_is_fetched_once_for_both_roles() {
        let dir = tempfile::tempdir().unwrap();
        let count = dir.path().join("count");
        let mut a = account(AuthMethod::Password, true);
        a.secrets.password_command = Some(counting_command(&count));
        for same_password in [true, false] {
            a.smtp.same_password = same_password;
            let before = runs(&count);
            let both = secrets_for(&a, Roles::BOTH, Secrets::default()).unwrap();
            assert_eq!(both.incoming.unwrap().expose(), "pw-counted");
            assert_eq!(both.smtp.unwrap().expose(), "pw-counted");
            assert_eq!(runs(&count), before + 1, "same_password = {same_password}");
        }
        // Its own SMTP command: two different secrets, two runs.
        a.secrets.smtp_password_command = Some("echo smtp-pw".into());
        let both = secrets_for(&a, Roles::BOTH, Secrets::default()).unwrap();
        assert_eq!(both.smtp.unwrap().expose(), "smtp-pw");
        // A typed secret is used as it is; a role not asked for is not read.
        let given = Secrets {
            incoming: Some(Secret::new("typed")),
            smtp: None,
        };
        let before = runs(&count);
        let only = secrets_for(&a, Roles::INCOMING, given).unwrap();
        assert_eq!(only.incoming.unwrap().expose(), "typed");
        assert!(only.smtp.is_none());
        assert_eq!(runs(&count), before);
    }

    #[test]
    fn sign_in_again_is_a_kind() {
        let e = CredentialError::from(OauthError::SignInAgain {
            account: "a".into(),
        });
        assert!(e.needs_sign_in());
        assert!(e.localized(Lang::En).contains("sign in again"));
        assert!(e.localized(Lang::Fr).contains("reconnectez-vous"));
    }
}
