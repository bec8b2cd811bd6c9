//! `login NAME [--device] [--no-browser]`: the OAuth2 sign-in of an
//! account, ending with its tokens in the keyring. The address to open (or
//! the verification address and `code: …`) goes to stdout, alone on its
//! lines, so a script can read it; the explanations go to stderr.

use super::accounts::{load_or_report, resolve};
use super::args::LoginArgs;
use super::output::{self, line};
use super::{Ctx, EXIT_FAILED, EXIT_OK, EXIT_SIGN_IN, EXIT_USAGE};
use crate::i18n::tf;
use crate::oauth::{self, BrowserSignIn, Client, DeviceSignIn, OauthError};
use crate::secrets::{self, Keyring};
use std::time::{Duration, Instant};

/// Prints an OAuth2 error and its advice; returns the exit code.
pub(super) fn report(ctx: &Ctx, name: &str, e: &OauthError) -> i32 {
    output::error(&e.localized(ctx.lang));
    output::hint(&e.advice(ctx.lang, name));
    if e.needs_sign_in() {
        EXIT_SIGN_IN
    } else {
        EXIT_FAILED
    }
}

pub(super) fn login(ctx: &Ctx, a: LoginArgs) -> i32 {
    let lang = ctx.lang;
    if a.timeout > oauth::MAX_WAIT.as_secs() {
        let max = oauth::MAX_WAIT.as_secs().to_string();
        output::error(&tf(lang, "oauth.limits.timeout_range", &[("max", &max)]));
        return EXIT_USAGE;
    }
    let cfg = match load_or_report(ctx) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let acct = match resolve(ctx, &cfg, Some(&a.name)) {
        Ok(acct) => acct.clone(),
        Err(code) => return code,
    };
    if !acct.signs_in_with_oauth2() {
        output::error(&tf(
            lang,
            "oauth.login.not_oauth",
            &[("account", &acct.name)],
        ));
        return EXIT_USAGE;
    }
    let deadline = Instant::now() + Duration::from_secs(a.timeout.max(1));
    if acct.oauth2_settings().token_command.is_some() {
        output::error(&tf(
            lang,
            "oauth.login.token_command",
            &[("account", &acct.name)],
        ));
        return EXIT_USAGE;
    }
    let keyring = match Keyring::open().and_then(|k| k.probe().map(|()| k)) {
        Ok(k) => k,
        Err(e) => {
            output::error(&e.localized(lang));
            output::hint(&e.advice(lang));
            return EXIT_FAILED;
        }
    };
    let result = Client::for_account(&acct).and_then(|client| {
        // No browser here (no display, or over SSH): the code sign-in,
        // unless the browser is asked for.
        let no_browser_here = !a.browser && !a.no_browser && !ctx.env.browser_here();
        if a.device || (no_browser_here && client.endpoints.device_url.is_some()) {
            device_flow(ctx, &client, deadline)
        } else {
            browser_flow(ctx, &client, &a, deadline)
        }
    });
    let tokens = match result {
        Ok(t) => t,
        Err(e) => {
            // Why, for `mailwiz doctor` (never a token).
            oauth::last_error::record(&keyring, &acct.name, &e);
            let code = report(ctx, &acct.name, &e);
            return if code == EXIT_SIGN_IN {
                EXIT_FAILED
            } else {
                code
            };
        }
    };
    if let Err(e) = tokens.save(&keyring, &acct.name) {
        return report(ctx, &acct.name, &e);
    }
    oauth::last_error::clear(&keyring, &acct.name);
    line(&tf(
        lang,
        "oauth.login.done",
        &[
            ("account", &acct.name),
            ("store", keyring.backend().label()),
            ("service", secrets::SERVICE),
            ("entry", &oauth::entry_user(&acct.name)),
        ],
    ));
    EXIT_OK
}

fn browser_flow(
    ctx: &Ctx,
    client: &Client,
    a: &LoginArgs,
    deadline: Instant,
) -> Result<oauth::TokenSet, OauthError> {
    let lang = ctx.lang;
    let signin = BrowserSignIn::start(client)?;
    let account = [("account", client.account.as_str())];
    if !a.no_browser && oauth::open_browser(&signin.url) {
        output::hint(&tf(lang, "oauth.login.opening", &account));
    } else {
        output::hint(&tf(lang, "oauth.login.visit", &account));
    }
    line(&signin.url);
    let minutes = a.timeout.div_ceil(60).max(1).to_string();
    output::hint(&tf(lang, "oauth.login.waiting", &[("minutes", &minutes)]));
    let left = deadline.saturating_duration_since(Instant::now());
    signin.finish(client, lang, left, None)
}

fn device_flow(
    ctx: &Ctx,
    client: &Client,
    deadline: Instant,
) -> Result<oauth::TokenSet, OauthError> {
    let lang = ctx.lang;
    let signin = DeviceSignIn::start_by(client, deadline)?;
    output::hint(&tf(
        lang,
        "oauth.login.device",
        &[("account", client.account.as_str())],
    ));
    line(&signin.verification_uri);
    line(&format!("code: {}", signin.user_code));
    // For a phone: the address (with the code, when the provider gives
    // one) as a QR code, on stderr so stdout stays two lines for scripts.
    let qr_url = signin
        .verification_uri_complete
        .as_deref()
        .unwrap_or(&signin.verification_uri);
    if let Ok(code) = crate::qr::encode(qr_url) {
        output::hint(&tf(lang, "oauth_clients.wizard.scan", &[]));
        for l in crate::qr::to_half_blocks(&code).lines() {
            output::hint(l);
        }
    }
    let left = signin
        .expires_at
        .min(deadline)
        .saturating_duration_since(Instant::now());
    let minutes = left.as_secs().div_ceil(60).max(1).to_string();
    output::hint(&tf(
        lang,
        "oauth.login.device_waiting",
        &[("minutes", &minutes)],
    ));
    signin.finish_by(client, deadline, None)
}

/// `token NAME`: a current access token on stdout alone (refreshed first
/// when it is about to expire), for other clients' token commands.
pub(super) fn token(ctx: &Ctx, name: &str) -> i32 {
    let acct = match super::credentials::load(ctx, Some(name)) {
        Ok(x) => x,
        Err(code) => return code,
    };
    if !acct.signs_in_with_oauth2() {
        output::error(&tf(
            ctx.lang,
            "oauth.login.not_oauth",
            &[("account", &acct.name)],
        ));
        return EXIT_USAGE;
    }
    match crate::credentials::secret_for(&acct, crate::account::Role::Incoming, false) {
        Ok(Some(token)) => {
            line(token.expose());
            EXIT_OK
        }
        Ok(None) => EXIT_FAILED,
        Err(e) => super::credentials::report(ctx, &acct.name, &e),
    }
}
