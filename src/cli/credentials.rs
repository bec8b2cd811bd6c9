//! The secrets a command logs in with: the password from the keyring (or
//! the account's password command) or, for an OAuth2 account, a current
//! access token. One place for `check`, `send-test` and `doctor`.

use super::accounts::{load_or_report, resolve};
use super::output;
use super::{Ctx, EXIT_FAILED};
use crate::account::{Account, AuthMethod, OAuth2Settings, Role};
use crate::secret::Secret;
use crate::{oauth, secrets};

/// The account and its OAuth2 settings (empty when it has none).
pub(super) fn load(ctx: &Ctx, name: Option<&str>) -> Result<(Account, OAuth2Settings), i32> {
    let cfg = load_or_report(ctx)?;
    let acct = resolve(ctx, &cfg, name)?.clone();
    let settings = cfg.oauth2_for(&acct.name).cloned().unwrap_or_default();
    Ok((acct, settings))
}

/// A current access token (refreshed first when `force`, after a server
/// refused the last one), or the exit code after printing why not.
pub(super) fn access_token(
    ctx: &Ctx,
    acct: &Account,
    settings: &OAuth2Settings,
    force: bool,
) -> Result<Secret, i32> {
    oauth::access_token(acct, settings, force)
        .map_err(|e| super::login_cmd::report(ctx, &acct.name, &e))
}

/// After a refused access token: a fresh one, when mailwiz manages the
/// tokens (not with a token_command). Err is the exit code ("sign in
/// again" when the refresh token was refused too).
pub(super) fn retry_token(
    ctx: &Ctx,
    acct: &Account,
    settings: &OAuth2Settings,
) -> Result<Option<Secret>, i32> {
    if acct.incoming.auth != AuthMethod::Oauth2 || settings.token_command.is_some() {
        return Ok(None);
    }
    let token = access_token(ctx, acct, settings, true)?;
    Ok(Some(token))
}

/// The password (or, for an OAuth2 account, the access token) for
/// `role`, or None when that side does not log in.
pub(super) fn password(
    ctx: &Ctx,
    acct: &Account,
    settings: &OAuth2Settings,
    role: Role,
) -> Result<Option<Secret>, i32> {
    if acct.incoming.auth == AuthMethod::Oauth2 {
        let needed = match role {
            Role::Incoming => true,
            Role::Smtp => acct.smtp.auth_required,
        };
        return needed
            .then(|| access_token(ctx, acct, settings, false))
            .transpose();
    }
    let needed = match role {
        Role::Incoming => acct.incoming.auth == AuthMethod::Password,
        Role::Smtp => acct.smtp.auth_required,
    };
    if !needed {
        return Ok(None);
    }
    secrets::password_for(acct, role).map(Some).map_err(|e| {
        output::error(&e.localized(ctx.lang));
        output::hint(&e.advice(ctx.lang));
        EXIT_FAILED
    })
}
