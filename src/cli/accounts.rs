//! `list`, `show`, `remove`, `password`, and the account lookups the
//! other commands share (`add` is in `add_cmd.rs`).

use super::output::{self, line};
use super::{Ctx, EXIT_FAILED, EXIT_OK, EXIT_USAGE};
use crate::account::{Account, Role};
use crate::config::{self, Config};
use crate::i18n::{t, tf};
use crate::oauth;
use crate::secrets;

/// Picks the account NAME, or the only one when NAME is omitted.
pub(super) fn resolve<'a>(
    ctx: &Ctx,
    cfg: &'a Config,
    name: Option<&str>,
) -> Result<&'a Account, i32> {
    match name {
        Some(n) => cfg.find(n).ok_or_else(|| {
            output::error(&tf(ctx.lang, "cli.error.no_such_account", &[("name", n)]));
            let names: Vec<&str> = cfg.accounts.iter().map(|a| a.name.as_str()).collect();
            if !names.is_empty() {
                output::hint(&tf(
                    ctx.lang,
                    "cli.hint.accounts",
                    &[("names", &names.join(", "))],
                ));
            }
            EXIT_USAGE
        }),
        None => match cfg.accounts.as_slice() {
            [only] => Ok(only),
            [] => {
                output::error(t(ctx.lang, "cli.error.no_accounts"));
                Err(EXIT_USAGE)
            }
            many => {
                let names: Vec<&str> = many.iter().map(|a| a.name.as_str()).collect();
                output::error(&tf(
                    ctx.lang,
                    "cli.error.which_account",
                    &[("names", &names.join(", "))],
                ));
                Err(EXIT_USAGE)
            }
        },
    }
}

/// Loads the config and picks the account, or prints why not.
pub(super) fn load_account(ctx: &Ctx, name: Option<&str>) -> Result<Account, i32> {
    let cfg = load_or_report(ctx)?;
    resolve(ctx, &cfg, name).cloned()
}

/// Loads the config or prints why it cannot be used.
pub(super) fn load_or_report(ctx: &Ctx) -> Result<Config, i32> {
    ctx.load().map_err(|e| {
        output::error(&e.localized(ctx.lang));
        EXIT_USAGE
    })
}

pub(super) fn list(ctx: &Ctx, json: bool) -> i32 {
    let cfg = match load_or_report(ctx) {
        Ok(c) => c,
        Err(code) => return code,
    };
    if json {
        output::json(&serde_json::json!({ "accounts": cfg.accounts }));
        return EXIT_OK;
    }
    if cfg.accounts.is_empty() {
        line(t(ctx.lang, "cli.list_empty"));
    }
    for a in &cfg.accounts {
        line(&format!(
            "{}  <{}>  {} {}:{} ({})  SMTP {}:{} ({})",
            a.name,
            a.email,
            a.incoming.protocol.as_str().to_uppercase(),
            a.incoming.host,
            a.incoming.port,
            t(
                ctx.lang,
                &format!("security.{}", a.incoming.security.as_str())
            ),
            a.smtp.host,
            a.smtp.port,
            t(ctx.lang, &format!("security.{}", a.smtp.security.as_str())),
        ));
    }
    EXIT_OK
}

pub(super) fn show(ctx: &Ctx, name: Option<&str>, json: bool) -> i32 {
    let cfg = match load_or_report(ctx) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let acct = match resolve(ctx, &cfg, name) {
        Ok(a) => a.clone(),
        Err(code) => return code,
    };
    if json {
        let mut value = serde_json::to_value(&acct).unwrap_or_default();
        if let (Some(o), Some(map)) = (&acct.oauth2, value.as_object_mut()) {
            // Where the client id in use comes from (null: none).
            let source = crate::oauth::client_source(&acct);
            let mut o = serde_json::to_value(o).unwrap_or_default();
            if let Some(obj) = o.as_object_mut() {
                let source = serde_json::to_value(source).unwrap_or_default();
                obj.insert("client_id_source".into(), source);
            }
            map.insert("oauth2".into(), o);
        }
        output::json(&value);
        return EXIT_OK;
    }
    let text = config::to_toml(&Config {
        schema_version: config::SCHEMA_VERSION,
        accounts: vec![acct.clone()],
    });
    for l in text.lines().filter(|l| !l.starts_with('#')) {
        line(l);
    }
    let secret_place = match &acct.secrets.password_command {
        Some(cmd) => tf(ctx.lang, "cli.password_from_command", &[("command", cmd)]),
        None => tf(
            ctx.lang,
            "cli.password_in_keyring",
            &[
                ("service", secrets::SERVICE),
                ("entry", &secrets::entry_user(&acct.name, Role::Incoming)),
            ],
        ),
    };
    line(&format!("# {secret_place}"));
    if acct.signs_in_with_oauth2() {
        let place = match acct.oauth2_settings().token_command.as_deref() {
            Some(cmd) => tf(ctx.lang, "oauth.show.token_command", &[("command", cmd)]),
            None => tf(
                ctx.lang,
                "oauth.show.tokens",
                &[
                    ("service", secrets::SERVICE),
                    ("entry", &oauth::entry_user(&acct.name)),
                ],
            ),
        };
        line(&format!("# {place}"));
    }
    EXIT_OK
}

pub(super) fn remove(ctx: &Ctx, name: &str) -> i32 {
    let removed = match crate::service::remove_account(&ctx.config_path, name, None) {
        Ok(r) => r,
        Err(e) => {
            output::error(&e.localized(ctx.lang));
            return EXIT_USAGE;
        }
    };
    line(&tf(
        ctx.lang,
        "cli.removed",
        &[("name", &removed.account.name)],
    ));
    match removed.keyring_error {
        None => {
            line(&tf(
                ctx.lang,
                "cli.keyring_cleared",
                &[("count", &removed.deleted.to_string())],
            ));
            EXIT_OK
        }
        Some(e) => {
            output::error(&e.localized(ctx.lang));
            output::hint(&e.advice(ctx.lang));
            EXIT_FAILED
        }
    }
}

pub(super) fn password(ctx: &Ctx, name: &str, role: Option<&str>) -> i32 {
    let role: Role = match role.unwrap_or("incoming").parse() {
        Ok(r) => r,
        Err(e) => {
            output::error(&e);
            return EXIT_USAGE;
        }
    };
    let acct = match load_account(ctx, Some(name)) {
        Ok(a) => a,
        Err(code) => return code,
    };
    match secrets::password_for(&acct, role) {
        Ok(secret) => {
            output::secret_line(secret.expose());
            EXIT_OK
        }
        Err(e) => {
            output::error(&e.localized(ctx.lang));
            output::hint(&e.advice(ctx.lang));
            EXIT_FAILED
        }
    }
}
