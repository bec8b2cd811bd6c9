//! The CLI's face over `crate::credentials`: the same secret for `check`,
//! `send-test`, `doctor` and `token`, with the error and its advice
//! printed, and the exit code (3 when the account must sign in again).

use super::accounts::{load_or_report, resolve};
use super::output;
use super::{Ctx, EXIT_FAILED, EXIT_SIGN_IN};
use crate::account::{Account, Role};
use crate::credentials::{self, CredentialError, Roles, Secrets};
use crate::secret::Secret;

/// The account (with its OAuth2 settings).
pub(super) fn load(ctx: &Ctx, name: Option<&str>) -> Result<Account, i32> {
    let cfg = load_or_report(ctx)?;
    Ok(resolve(ctx, &cfg, name)?.clone())
}

/// Prints why there is no secret and what to do; returns the exit code.
pub(super) fn report(ctx: &Ctx, name: &str, e: &CredentialError) -> i32 {
    output::error(&e.localized(ctx.lang));
    output::hint(&e.advice(ctx.lang, name));
    if e.needs_sign_in() {
        EXIT_SIGN_IN
    } else {
        EXIT_FAILED
    }
}

/// The password (or, for an OAuth2 account, the access token) for
/// `role`, or None when that side does not log in.
pub(super) fn password(ctx: &Ctx, acct: &Account, role: Role) -> Result<Option<Secret>, i32> {
    credentials::secret_for(acct, role, false).map_err(|e| report(ctx, &acct.name, &e))
}

/// Both roles' secrets, a shared one fetched once (one password-command
/// run, one keyring session). When one cannot be had, each role is tried
/// on its own: the error is printed and that side gets None.
pub(super) fn both_secrets(ctx: &Ctx, acct: &Account) -> Secrets {
    credentials::secrets_for(acct, Roles::BOTH, Secrets::default()).unwrap_or_else(|_| Secrets {
        incoming: password(ctx, acct, Role::Incoming).unwrap_or(None),
        smtp: password(ctx, acct, Role::Smtp).unwrap_or(None),
    })
}
