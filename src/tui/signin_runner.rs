//! The runner's half of an OAuth2 sign-in (`Effect::SignIn`): the client
//! secret into the keyring when one was typed, the flow with its prompt
//! sent back as soon as it is known, the tokens into the keyring. The
//! request's cancel flag stops the wait for the browser or the approval.

use super::msg::{Msg, RequestId};
use super::signin::{SignInFlow, SignInPrompt};
use crate::account::{Account, OAuth2Settings};
use crate::i18n::Lang;
use crate::oauth::{self, BrowserSignIn, Client, DeviceSignIn};
use crate::secret::Secret;
use crate::secrets::Keyring;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::sync::mpsc::Sender;
use std::time::{Duration, Instant};

/// How long the browser sign-in waits for the redirect.
pub const BROWSER_TIMEOUT: Duration = Duration::from_secs(600);

#[allow(clippy::too_many_arguments)]
pub fn sign_in(
    id: RequestId,
    account: &Account,
    mut settings: OAuth2Settings,
    client_secret: Option<Secret>,
    flow: SignInFlow,
    tx: &Sender<Msg>,
    cancel: Arc<AtomicBool>,
    lang: Lang,
) -> Msg {
    let result = (|| {
        if let Some(secret) = &client_secret {
            let keyring = Keyring::open()?;
            keyring.probe()?;
            keyring.set_named(&oauth::client_secret_entry(&account.name), secret)?;
            settings.client_secret_in_keyring = true;
        }
        let client = Client::for_account(account, &settings)?;
        let prompt = |prompt| {
            let _ = tx.send(Msg::SignInPrompt { id, prompt });
        };
        let tokens = match flow {
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
        };
        oauth::store_tokens(&account.name, &tokens)
    })();
    Msg::SignedIn { id, result }
}
