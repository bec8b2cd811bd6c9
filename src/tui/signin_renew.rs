//! The sign-in of this run is kept in memory until the save, and its
//! access token lasts about an hour. Before work that logs in with it (the
//! test, the test message, the arrival check, the diagnosis), an access
//! token about to expire is renewed first — one refresh, in memory, nothing
//! written to the keyring — and the work starts once it is renewed, with
//! the new tokens kept for the save (a provider that rotates refresh
//! tokens has just invalidated the old one). A refused renewal stops the
//! work with the identity provider's answer, typed, and sends the user back
//! to the Sign-in step.

use super::app::{App, Stopped};
use super::msg::{Effect, Purpose};
use super::signin::{SignInState, is_oauth};
use super::step::Step;
use crate::oauth::{OauthError, TokenSet};

/// The work that waits for the renewed sign-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterRenewal {
    Test,
    SendTest,
    Verify,
    Diagnose,
}

/// When this run's access token is about to expire: the renewal to run
/// instead of the work (it starts the work when it ends). None: go on.
/// The clock is read here, as the spinner's ticks are counted: no I/O.
pub fn renew_first(app: &mut App, then: AfterRenewal) -> Option<Vec<Effect>> {
    if !is_oauth(app) {
        return None;
    }
    let tokens = app.form.oauth.tokens.as_ref()?;
    if tokens.fresh_at(crate::oauth::now_secs()) {
        return None;
    }
    if renewing(app) {
        // One renewal at a time: the work starts when it ends.
        return Some(Vec::new());
    }
    let tokens = tokens.clone();
    let secret = &app.form.oauth.client_secret;
    let client_secret = (!secret.is_empty()).then(|| secret.secret().clone());
    let id = app.request_id(Purpose::RenewSignIn(then));
    Some(vec![Effect::RenewSignIn {
        id,
        account: Box::new(app.form.account()),
        tokens: Box::new(tokens),
        client_secret,
    }])
}

/// A renewal is running (its request is pending).
pub fn renewing(app: &App) -> bool {
    app.pending
        .values()
        .any(|p| matches!(p, Purpose::RenewSignIn(_)))
}

/// The renewal ended: the work starts with the new tokens (when its screen
/// is still shown), or stops with the provider's refusal.
pub fn on_renewed(
    app: &mut App,
    then: AfterRenewal,
    result: Result<TokenSet, OauthError>,
) -> Vec<Effect> {
    match result {
        Ok(tokens) => {
            app.form.oauth.tokens = Some(tokens);
            app.signin = SignInState::Done;
            restart(app, then)
        }
        Err(e) => {
            // The old tokens are spent or refused: a new sign-in is needed.
            app.form.oauth.tokens = None;
            app.signin = SignInState::Failed(e);
            stop(app, then);
            Vec::new()
        }
    }
}

fn restart(app: &mut App, then: AfterRenewal) -> Vec<Effect> {
    match then {
        AfterRenewal::Test if app.step == Step::Test && app.troubleshoot.is_none() => {
            super::steps::test::start(app)
        }
        AfterRenewal::SendTest if app.step == Step::Send => super::steps::send::send(app),
        AfterRenewal::Verify if app.step == Step::Send => super::steps::send::verify(app),
        AfterRenewal::Diagnose if app.troubleshoot.is_some() => super::troubleshoot::start(app),
        _ => Vec::new(),
    }
}

/// The work does not start: its screen says why (the Sign-in step's
/// error, see [`refusal_text`]).
fn stop(app: &mut App, then: AfterRenewal) {
    match then {
        AfterRenewal::Test => {
            app.incoming.crashed = Some(Stopped::RenewalRefused);
            app.smtp.crashed = Some(Stopped::RenewalRefused);
        }
        AfterRenewal::SendTest | AfterRenewal::Verify => {
            app.send.crashed = Some(Stopped::RenewalRefused);
        }
        AfterRenewal::Diagnose => {
            let text = refusal_text(app);
            if let Some(ts) = app.troubleshoot.as_mut() {
                ts.password_note = Some(text);
            }
        }
    }
}

/// Why the renewal was refused, and what to do, in the app's language.
pub fn refusal_text(app: &App) -> String {
    let SignInState::Failed(e) = &app.signin else {
        return app.t("tui.signin.needed").to_string();
    };
    let advice = if e.needs_sign_in() {
        app.t("tui.signin.needed").to_string()
    } else {
        e.advice(app.lang, &app.form.account().name)
    };
    app.tf(
        "tui_renew.refused",
        &[("error", &e.localized(app.lang)), ("advice", &advice)],
    )
}
