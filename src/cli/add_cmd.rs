//! `add`: the account from the flags, its secrets from stdin, saved by the
//! core in one step (`service::save_account`: under the file's lock, the
//! keyring entries and the file together, undone on failure).

use super::add_args::{account_from_args, oauth_from_args};
use super::args::AddArgs;
use super::output::{self, line};
use super::{Ctx, EXIT_OK, EXIT_USAGE};
use crate::account::OAuth2Settings;
use crate::i18n::{Lang, t, tf};
use crate::secret::Secret;
use crate::secrets::{self, Keyring};
use crate::service::{self, NewSecrets, SaveRequest};
use std::io::{BufRead, Read};

/// More than any password or client secret; stdin is not read further.
const MAX_STDIN: u64 = 64 * 1024;

/// `count` lines from stdin, without their line ends; the rest of stdin
/// is left unread (a `pass show` entry's later lines never become a
/// password).
fn read_stdin_lines(count: usize) -> std::io::Result<Vec<Secret>> {
    let stdin = std::io::stdin();
    let mut reader = stdin.lock().take(MAX_STDIN);
    let mut out = Vec::new();
    for _ in 0..count {
        let mut line = String::new();
        reader.read_line(&mut line)?;
        let value = line.strip_suffix('\n').unwrap_or(&line);
        out.push(Secret::new(value.strip_suffix('\r').unwrap_or(value)));
    }
    Ok(out)
}

/// The secrets the flags say are on stdin, checked.
fn secrets_from_stdin(
    lang: Lang,
    a: &AddArgs,
    oauth: Option<&OAuth2Settings>,
) -> Result<NewSecrets, String> {
    let mut secrets = NewSecrets::default();
    if a.password_stdin {
        let count = if a.smtp_password_stdin { 2 } else { 1 };
        let mut lines =
            read_stdin_lines(count).map_err(|_| t(lang, "cli.error.stdin").to_string())?;
        let smtp = (count == 2).then(|| lines.pop()).flatten();
        let incoming = lines.pop().unwrap_or_default();
        if incoming.is_empty() || smtp.as_ref().is_some_and(Secret::is_empty) {
            return Err(t(lang, "cli.error.empty_password").to_string());
        }
        secrets.incoming = Some(incoming);
        secrets.smtp = smtp;
    } else if a.oauth_client_secret_stdin && oauth.is_some() {
        let secret = read_stdin_lines(1)
            .map_err(|_| t(lang, "cli.error.stdin").to_string())?
            .pop()
            .unwrap_or_default();
        if secret.is_empty() {
            return Err(t(lang, "oauth.add.empty_secret").to_string());
        }
        secrets.oauth_client_secret = Some(secret);
    }
    Ok(secrets)
}

/// The keyring, opened and proved usable, or why not (nothing is saved).
fn open_keyring(lang: Lang) -> Result<Keyring, i32> {
    Keyring::open()
        .and_then(|k| k.probe().map(|()| k))
        .map_err(|e| {
            output::error(&e.localized(lang));
            output::hint(&e.advice(lang));
            output::hint(t(lang, "cli.hint.nothing_saved"));
            EXIT_USAGE
        })
}

pub(super) fn add(ctx: &Ctx, a: AddArgs) -> i32 {
    let lang = ctx.lang;
    let (mut acct, origin) = match account_from_args(lang, &ctx.env, &a) {
        Ok(x) => x,
        Err(msg) => {
            output::error(&msg);
            return EXIT_USAGE;
        }
    };
    acct.oauth2 = match oauth_from_args(lang, &acct, &a) {
        Ok(o) => o,
        Err((msg, register)) => {
            output::error(&msg);
            if register {
                output::hint(t(lang, "oauth.add.register"));
            }
            return EXIT_USAGE;
        }
    };
    // The OAuth2 texts are checked like every other value of the account.
    if let Some((field, err)) = acct.validate().first() {
        output::error(&format!("{field}: {}", t(lang, err.i18n_key())));
        return EXIT_USAGE;
    }
    let wants_keyring = a.password_stdin || (a.oauth_client_secret_stdin && acct.oauth2.is_some());
    let keyring = match wants_keyring.then(|| open_keyring(lang)).transpose() {
        Ok(k) => k,
        Err(code) => return code,
    };
    let new_secrets = match secrets_from_stdin(lang, &a, acct.oauth2.as_ref()) {
        Ok(s) => s,
        Err(msg) => {
            output::error(&msg);
            return EXIT_USAGE;
        }
    };
    if a.password_stdin {
        acct.smtp.same_password = new_secrets.smtp.is_none();
    }
    let request = SaveRequest {
        account: acct.clone(),
        secrets: new_secrets,
    };
    let saved = match service::save_account(&ctx.config_path, request, keyring.as_ref()) {
        Ok(s) => s,
        Err(e) => {
            output::error(&e.localized(lang));
            if let Some(advice) = e.advice(lang) {
                output::hint(&advice);
            }
            output::hint(t(lang, "cli.hint.nothing_saved"));
            return EXIT_USAGE;
        }
    };
    print_saved(ctx, &acct, origin.as_deref(), &saved);
    EXIT_OK
}

/// What `add` saved: the file, where the settings came from, each keyring
/// entry written, and what to do next.
fn print_saved(
    ctx: &Ctx,
    acct: &crate::account::Account,
    origin: Option<&str>,
    saved: &service::Saved,
) {
    let lang = ctx.lang;
    let path = ctx.config_path.display().to_string();
    line(&tf(
        lang,
        "cli.added",
        &[("name", &acct.name), ("path", &path)],
    ));
    if let Some(o) = origin {
        line(o);
    }
    let store = saved.backend.map_or("", secrets::Backend::label);
    for entry in &saved.stored {
        line(&tf(
            lang,
            "cli.stored_in_keyring",
            &[
                ("store", store),
                ("service", secrets::SERVICE),
                ("entry", entry),
            ],
        ));
    }
    if let Some(o) = &acct.oauth2 {
        if o.client_id.is_empty() && o.token_command.is_none() {
            output::hint(t(lang, "oauth.add.register"));
        } else if o.token_command.is_none() {
            line(&tf(lang, "oauth.add.next", &[("name", &acct.name)]));
        }
    } else if saved.stored.is_empty() && acct.secrets.password_command.is_none() {
        line(t(lang, "cli.no_password_stored"));
    }
}
