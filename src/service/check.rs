//! `check`: the incoming and SMTP logins (both at once, or one side), with
//! the rule "a refused token gets one retry with a refreshed one". The
//! secrets are resolved once per check: a shared password or token is
//! fetched once for both sides.

use super::Hooks;
use crate::account::Account;
use crate::check::{self, CheckOptions, CheckReport, ServerReport, Side};
use crate::credentials::{self, CredentialError, Roles, Secrets};
use crate::net::NetError;
use crate::secret::Secret;

/// The server refused the login (for an OAuth2 account: the token).
pub(super) fn refused(error: Option<&NetError>) -> bool {
    matches!(error, Some(NetError::AuthFailed { .. }))
}

/// After a refused login: a refreshed access token to retry with, when
/// mailwiz manages the account's tokens (None: no retry). Err when the
/// refresh itself was refused ("sign in again").
pub(super) fn refreshed_token(
    acct: &Account,
    hooks: &Hooks,
) -> Result<Option<Secret>, CredentialError> {
    let token = credentials::retry_token(acct)?;
    if token.is_some() {
        (hooks.retrying)();
    }
    Ok(token)
}

/// Both servers at once. The secrets not `given` come from the keyring,
/// the password command or the token store. When either server refuses
/// an access token, both are checked again with a refreshed one.
pub fn check_account(
    acct: &Account,
    given: Secrets,
    opts: &CheckOptions,
    hooks: &Hooks,
) -> Result<CheckReport, CredentialError> {
    let secrets = credentials::secrets_for(acct, Roles::BOTH, given)?;
    let report = check::check_account(
        acct,
        secrets.incoming.as_ref(),
        secrets.smtp.as_ref(),
        opts,
        hooks.progress,
    );
    if !refused(report.incoming.error.as_ref()) && !refused(report.smtp.error.as_ref()) {
        return Ok(report);
    }
    let Some(token) = refreshed_token(acct, hooks)? else {
        return Ok(report);
    };
    let smtp_token = acct.smtp.auth_required.then_some(&token);
    Ok(check::check_account(
        acct,
        Some(&token),
        smtp_token,
        opts,
        hooks.progress,
    ))
}

/// One server (the wizard checks each side on its own and shows both
/// as they go), with the same retry rule.
pub fn check_side(
    acct: &Account,
    side: Side,
    given: Option<Secret>,
    opts: &CheckOptions,
    hooks: &Hooks,
) -> Result<ServerReport, CredentialError> {
    let (roles, given) = match side {
        Side::Incoming => (
            Roles::INCOMING,
            Secrets {
                incoming: given,
                smtp: None,
            },
        ),
        Side::Smtp => (
            Roles::SMTP,
            Secrets {
                incoming: None,
                smtp: given,
            },
        ),
    };
    let secrets = credentials::secrets_for(acct, roles, given)?;
    let run = |secret: Option<&Secret>| match side {
        Side::Incoming => check::check_incoming(acct, secret, opts, hooks.progress),
        Side::Smtp => check::check_smtp(acct, secret, opts, hooks.progress),
    };
    let report = run(secrets.incoming.as_ref().or(secrets.smtp.as_ref()));
    if !refused(report.error.as_ref()) {
        return Ok(report);
    }
    Ok(match refreshed_token(acct, hooks)? {
        Some(token) => run(Some(&token)),
        None => report,
    })
}
