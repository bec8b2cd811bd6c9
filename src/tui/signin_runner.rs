//! The runner's half of an OAuth2 sign-in (`Effect::SignIn`): the flow
//! with its prompt sent back as soon as it is known, and the tokens sent
//! back to the wizard, which keeps them in memory until the account is
//! saved (nothing reaches the keyring here, so an abandoned sign-in never
//! leaves an entry nor replaces a saved account's tokens). The request's
//! cancel flag stops the wait for the browser or the approval.

use super::msg::{Msg, RequestId};
use super::signin::{SignInFlow, SignInPrompt};
use crate::account::Account;
use crate::i18n::Lang;
use crate::oauth::{self, BrowserSignIn, Client, DeviceSignIn};
use crate::secret::Secret;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::sync::mpsc::Sender;
use std::time::{Duration, Instant};

/// One refresh of this run's sign-in (`Effect::RenewSignIn`), in memory:
/// the client secret typed this run when given, else the saved one.
pub fn renew(
    account: &Account,
    tokens: &oauth::TokenSet,
    client_secret: Option<Secret>,
) -> Result<oauth::TokenSet, oauth::OauthError> {
    let client = match client_secret {
        Some(secret) => Client::with_secret(account, Some(secret))?,
        None => Client::for_account(account)?,
    };
    client.refresh(tokens)
}

/// How long the browser sign-in waits for the redirect.
pub const BROWSER_TIMEOUT: Duration = Duration::from_secs(600);

pub fn sign_in(
    id: RequestId,
    account: &Account,
    client_secret: Option<Secret>,
    flow: SignInFlow,
    tx: &Sender<Msg>,
    cancel: Arc<AtomicBool>,
    lang: Lang,
) -> Msg {
    let result = (|| {
        // A secret typed this run is used as is; else the saved one.
        let client = match client_secret {
            Some(secret) => Client::with_secret(account, Some(secret))?,
            None => Client::for_account(account)?,
        };
        let prompt = |prompt| {
            let _ = tx.send(Msg::SignInPrompt { id, prompt });
        };
        Ok(match flow {
            SignInFlow::Browser { open } => {
                let signin = BrowserSignIn::start(&client)?;
                let opened = open && oauth::open_browser(&signin.url);
                prompt(SignInPrompt::Browser {
                    url: signin.url.clone(),
                    opened,
                });
                signin.finish(&client, lang, BROWSER_TIMEOUT, Some(cancel))?
            }
            SignInFlow::Device => {
                let signin = DeviceSignIn::start(&client)?;
                let left = signin.expires_at.saturating_duration_since(Instant::now());
                prompt(SignInPrompt::Device {
                    uri: signin.verification_uri.clone(),
                    code: signin.user_code.clone(),
                    complete: signin.verification_uri_complete.clone(),
                    minutes: left.as_secs().div_ceil(60).max(1),
                });
                signin.finish(&client, Some(cancel))?
            }
        })
    })();
    Msg::SignedIn { id, result }
}
