//! `send-test` and the arrival check: a real message through the SMTP
//! server (with the token-retry rule of `check`), then, when asked, the
//! incoming mailbox watched until it arrives.

use super::Hooks;
use super::check::{refreshed_token, refused};
use crate::account::Account;
use crate::check::CheckOptions;
use crate::credentials::{self, CredentialError, Roles, Secrets};
use crate::secret::Secret;
use crate::send::{self, SendReport, TestMessage, VerifyReport};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

/// What became of a test message.
#[derive(Debug)]
pub struct Sent {
    pub report: SendReport,
    /// What the arrival check logs in with, when `send_test` was asked for
    /// it: the secret shared with SMTP (fetched once) or the refreshed
    /// token the retry used.
    pub incoming: Option<Secret>,
}

/// Sends `message` (made by `send::new_test_message`, so the face can show
/// its recipient and subject first). `then_verify` also resolves the incoming secret now, so a secret both
/// sides share is fetched once for the send and the arrival check.
pub fn send_test(
    acct: &Account,
    message: &TestMessage,
    given: Secrets,
    then_verify: bool,
    opts: &CheckOptions,
    hooks: &Hooks,
) -> Result<Sent, CredentialError> {
    let roles = Roles {
        incoming: then_verify,
        smtp: true,
    };
    let mut secrets = credentials::secrets_for(acct, roles, given)?;
    let mut report = send::send_test(acct, message, secrets.smtp.as_ref(), opts, hooks.progress);
    if refused(report.error.as_ref())
        && let Some(token) = refreshed_token(acct, hooks)?
    {
        report = send::send_test(acct, message, Some(&token), opts, hooks.progress);
        if then_verify {
            secrets.incoming = Some(token);
        }
    }
    Ok(Sent {
        report,
        incoming: secrets.incoming,
    })
}

/// Watches the incoming mailbox until the message whose subject holds
/// `message_id` arrives, `deadline` passes, or `cancel` is raised.
pub fn verify_arrival(
    acct: &Account,
    message_id: &str,
    given: Option<Secret>,
    deadline: Duration,
    cancel: Option<Arc<AtomicBool>>,
) -> Result<VerifyReport, CredentialError> {
    let given = Secrets {
        incoming: given,
        smtp: None,
    };
    let secrets = credentials::secrets_for(acct, Roles::INCOMING, given)?;
    Ok(send::verify_arrival(
        acct,
        message_id,
        secrets.incoming.as_ref(),
        deadline,
        cancel,
    ))
}
