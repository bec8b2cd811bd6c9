#![allow(clippy::unwrap_used)] // tests: a failed unwrap is the failure report
//! The wizard keeps this run's OAuth2 sign-in in memory until the save;
//! its access token lasts about an hour. A test started after it expired
//! renews it first (one refresh, in memory, against the harness's rotating
//! IdP), then logs in to the OAuth Dovecot with the new token, and keeps
//! the new tokens for the save. A refused renewal stops the test with the
//! provider's answer, in the user's language. Real IdP, real Dovecot, the
//! wizard's own `update()` and effects runner; no keyring is touched.

mod common;
#[path = "common/tui.rs"]
mod tui;

use common::oauth::{idp_post, oauthenv};
use crossterm::event::KeyCode;
use mailwiz::account::{
    Account, AuthMethod, IncomingServer, OAuth2Settings, Protocol, SecretSource, Security,
    SmtpServer,
};
use mailwiz::i18n::Lang;
use mailwiz::oauth::{Client, DeviceSignIn, TokenSet};
use mailwiz::tui::{App, Effect, Form, Msg, OauthForm, Runner, SignInState, Step, update};
use std::sync::mpsc;
use std::time::{Duration, Instant};
use tui::{app, press, screen};

fn account(user: &str) -> Account {
    let (mail, env) = oauthenv();
    let idp = env.idp();
    Account {
        name: user.into(),
        email: user.into(),
        display_name: String::new(),
        provider: None,
        incoming: IncomingServer {
            protocol: Protocol::Imap,
            host: "127.0.0.1".into(),
            port: env.port("OAUTHENV_IMAP_PORT"),
            security: Security::Starttls,
            username: user.into(),
            auth: AuthMethod::Oauth2,
            keep_on_server: true,
            pinned_sha256: None,
        },
        smtp: SmtpServer {
            host: "127.0.0.1".into(),
            port: env.port("OAUTHENV_SMTP_PORT"),
            security: Security::Starttls,
            auth_required: true,
            username: user.into(),
            same_password: true,
            pinned_sha256: None,
        },
        ca_file: Some(mail.ca.display().to_string()),
        secrets: SecretSource::default(),
        oauth2: Some(OAuth2Settings {
            client_id: "mailwiz-renew".into(),
            token_url: Some(format!("{idp}/token")),
            device_url: Some(format!("{idp}/device")),
            scope: Some("mail offline_access".into()),
            ..OAuth2Settings::default()
        }),
    }
}

/// A sign-in done in process (the test approves the code at the IdP).
fn signed_in(acct: &Account) -> TokenSet {
    let (_, env) = oauthenv();
    let client = Client::with_secret(acct, None).unwrap();
    let signin = DeviceSignIn::start(&client).unwrap();
    let code = signin.user_code.clone();
    idp_post(
        env.idp(),
        "/test/approve",
        &[("user_code", &code), ("user", &acct.email)],
    );
    signin.finish(&client, None).unwrap()
}

/// The wizard on the Test step of `acct`, signed in this run with `tokens`.
fn wizard(acct: &Account, tokens: TokenSet, lang: Lang) -> App {
    let mut a = app(lang);
    a.form = Form::from_account(acct);
    a.form.oauth = OauthForm::from_settings(acct.oauth2.as_ref().unwrap(), None);
    a.form.oauth.tokens = Some(tokens);
    a.signin = SignInState::Done;
    a.step = Step::Test;
    a
}

/// Runs `effects` on the real runner and feeds every result back to
/// `update()` until nothing is pending.
fn drive(a: &mut App, effects: Vec<Effect>) {
    let (tx, rx) = mpsc::channel::<Msg>();
    let runner = Runner::new(tx);
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut queue = effects;
    loop {
        for e in queue.drain(..) {
            runner.run(e, a.lang);
        }
        if !a.busy() {
            return;
        }
        let left = deadline.saturating_duration_since(Instant::now());
        let msg = rx.recv_timeout(left).expect("a result within a minute");
        queue = update(a, msg);
    }
}

/// The wizard on the Test step of `local`'s account, signed in this run
/// with tokens mailwiz takes for expired, after the IdP's test `hook` ran
/// for the user; and the tokens of the sign-in.
fn expired_sign_in(local: &str, hook: &str, lang: Lang) -> (App, TokenSet) {
    let user = oauthenv().0.user(local);
    let acct = account(&user);
    let first = signed_in(&acct);
    idp_post(oauthenv().1.idp(), hook, &[("user", &user)]);
    let mut stale = first.clone();
    stale.expires_at = Some(1);
    (wizard(&acct, stale, lang), first)
}

#[test]
fn an_expired_sign_in_is_renewed_in_memory_before_the_test() {
    // The IdP no longer takes the first access token: only a renewed one
    // logs in.
    let (mut a, first) = expired_sign_in("renew-ok", "/test/expire", Lang::En);
    let effects = press(&mut a, KeyCode::Char('r'));
    assert!(
        matches!(effects.as_slice(), [Effect::RenewSignIn { .. }]),
        "the renewal comes first, alone: {effects:?}"
    );
    assert!(screen(&a, 100, 30).contains("Renewing the sign-in"));
    drive(&mut a, effects);
    let s = screen(&a, 100, 30);
    for side in [&a.incoming, &a.smtp] {
        let report = side.report.as_ref().unwrap_or_else(|| panic!("{s}"));
        assert!(report.ok, "{s}");
    }
    let kept = a
        .form
        .oauth
        .tokens
        .as_ref()
        .expect("the new tokens are kept");
    assert_ne!(kept.access_token, first.access_token);
    assert_ne!(
        kept.refresh_token, first.refresh_token,
        "the rotated refresh token is the one kept for the save"
    );
    assert!(matches!(a.signin, SignInState::Done));
}

#[test]
fn a_refused_renewal_stops_the_test_and_says_why_in_french() {
    // Every token of the user is revoked: the refresh is refused.
    let (mut a, _) = expired_sign_in("renew-refused", "/test/revoke", Lang::Fr);
    let effects = press(&mut a, KeyCode::Char('r'));
    drive(&mut a, effects);
    assert!(
        a.form.oauth.tokens.is_none(),
        "the refused tokens are dropped"
    );
    assert!(matches!(a.signin, SignInState::Failed(_)));
    assert!(a.incoming.report.is_none() && a.smtp.report.is_none());
    let s = screen(&a, 120, 40);
    for expected in [
        "Le test n'a pas pu s'exécuter",
        "connexion n'a pas pu être renouvelée",
        "reconnectez-vous",
    ] {
        assert!(s.contains(expected), "{expected:?} not in:\n{s}");
    }
    assert!(!s.contains("could not be renewed"), "{s}");
}
