//! `add`, `list`, `show`, `remove`, `password`.

use super::args::AddArgs;
use super::output::{self, line};
use super::{Ctx, EXIT_FAILED, EXIT_OK, EXIT_USAGE};
use crate::account::{
    Account, AuthMethod, IncomingServer, OAuth2Settings, Protocol, Role, SecretSource, Security,
    SmtpServer, normalize_fingerprint, validate_email,
};
use crate::config::{self, Config};
use crate::i18n::{Lang, t, tf};
use crate::oauth;
use crate::providers;
use crate::secret::Secret;
use crate::secrets::{self, Keyring};
use std::io::Read;

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

/// The account the flags describe: a preset (named, or found from the
/// address's domain when no server is given), then each explicit flag.
/// Also returns a line saying where the settings came from, if not from the flags.
pub(super) fn account_from_args(
    lang: Lang,
    a: &AddArgs,
) -> Result<(Account, Option<String>), String> {
    let email = a.email.trim().to_string();
    validate_email(&email).map_err(|e| format!("--email: {}", t(lang, e.i18n_key())))?;
    let preset = match &a.provider {
        Some(id) => Some(providers::by_id(id).ok_or_else(|| {
            let ids: Vec<&str> = providers::all().iter().map(|p| p.id.as_str()).collect();
            tf(
                lang,
                "cli.error.unknown_provider",
                &[("id", id), ("ids", &ids.join(", "))],
            )
        })?),
        None if a.discover => None,
        None if a.in_host.is_none() && a.smtp_host.is_none() => providers::for_email(&email),
        None => None,
    };
    if let (Some(p), Some(v)) = (preset, &a.variant)
        && p.variant(Some(v)).is_none()
    {
        let ids: Vec<&str> = p.variants.iter().map(|v| v.id.as_str()).collect();
        return Err(tf(
            lang,
            "cli.error.unknown_variant",
            &[("provider", &p.name), ("id", v), ("ids", &ids.join(", "))],
        ));
    }
    let (mut acct, origin) = match preset {
        Some(p) => (
            p.account_for(&email, a.incoming, a.variant.as_deref()),
            Some(tf(lang, "cli.added_preset", &[("provider", &p.name)])),
        ),
        None if a.discover => {
            let opts = crate::discover::DiscoverOptions::default();
            let (acct, best) = crate::discover::best_account(&email, &opts)
                .ok_or_else(|| tf(lang, "discover.add_nothing", &[("email", &email)]))?;
            let used = tf(
                lang,
                "discover.add_used",
                &[("source", best.source.as_str()), ("origin", &best.origin)],
            );
            (acct, Some(used))
        }
        None => (manual_account(lang, &email, a)?, None),
    };
    if let Some(name) = &a.name {
        acct.name = name.trim().to_string();
    }
    if let Some(d) = &a.display_name {
        acct.display_name = d.clone();
    }
    apply_overrides(&mut acct, a)?;
    let problems = acct.validate();
    if let Some((field, err)) = problems.first() {
        return Err(format!("{field}: {}", t(lang, err.i18n_key())));
    }
    Ok((acct, origin))
}

fn manual_account(lang: Lang, email: &str, a: &AddArgs) -> Result<Account, String> {
    let (Some(in_host), Some(smtp_host)) = (&a.in_host, &a.smtp_host) else {
        return Err(tf(lang, "cli.error.need_servers", &[("email", email)]));
    };
    let protocol = a.incoming.unwrap_or(Protocol::Imap);
    let in_security = a.in_security.unwrap_or(Security::Tls);
    let smtp_security = a.smtp_security.unwrap_or(Security::Tls);
    Ok(Account {
        name: email.to_string(),
        email: email.to_string(),
        display_name: String::new(),
        provider: None,
        incoming: IncomingServer {
            protocol,
            host: in_host.clone(),
            port: protocol.default_port(in_security),
            security: in_security,
            username: email.to_string(),
            auth: AuthMethod::Password,
            keep_on_server: true,
            pinned_sha256: None,
        },
        smtp: SmtpServer {
            host: smtp_host.clone(),
            port: smtp_security.smtp_default_port(),
            security: smtp_security,
            auth_required: true,
            username: email.to_string(),
            same_password: true,
            pinned_sha256: None,
        },
        ca_file: None,
        secrets: SecretSource::default(),
    })
}

fn apply_overrides(acct: &mut Account, a: &AddArgs) -> Result<(), String> {
    let inc = &mut acct.incoming;
    if let Some(p) = a.incoming
        && p != inc.protocol
    {
        inc.protocol = p;
        inc.port = p.default_port(inc.security);
    }
    if let Some(h) = &a.in_host {
        inc.host = h.trim().to_string();
    }
    if let Some(s) = a.in_security {
        inc.security = s;
        inc.port = inc.protocol.default_port(s);
    }
    if let Some(p) = a.in_port {
        inc.port = p;
    }
    if let Some(u) = &a.in_user {
        inc.username = u.clone();
        if acct.smtp.same_password {
            acct.smtp.username = u.clone();
        }
    }
    let smtp = &mut acct.smtp;
    if let Some(h) = &a.smtp_host {
        smtp.host = h.trim().to_string();
    }
    if let Some(s) = a.smtp_security {
        smtp.security = s;
        smtp.port = s.smtp_default_port();
    }
    if let Some(p) = a.smtp_port {
        smtp.port = p;
    }
    if a.no_smtp_auth && !a.smtp_auth {
        smtp.auth_required = false;
    }
    if let Some(u) = &a.smtp_user {
        smtp.username = u.clone();
    }
    if let Some(ca) = &a.ca_file {
        let abs = std::path::absolute(ca).unwrap_or_else(|_| ca.clone());
        if !abs.is_file() {
            return Err(format!("--ca-file: {}", abs.display()));
        }
        acct.ca_file = Some(abs.to_string_lossy().into_owned());
    }
    for (flag, pin, slot) in [
        ("--in-pin", &a.in_pin, &mut acct.incoming.pinned_sha256),
        ("--smtp-pin", &a.smtp_pin, &mut acct.smtp.pinned_sha256),
    ] {
        if let Some(p) = pin {
            *slot = Some(normalize_fingerprint(p).ok_or_else(|| format!("{flag}: {p}"))?);
        }
    }
    if let Some(cmd) = &a.password_command {
        acct.secrets.password_command = Some(cmd.clone());
    }
    if let Some(auth) = a.auth {
        acct.incoming.auth = auth;
    }
    Ok(())
}

/// The OAuth2 settings the flags give, checked: None for an account that
/// does not sign in with OAuth2.
fn oauth_from_args(
    lang: Lang,
    acct: &Account,
    a: &AddArgs,
) -> Result<Option<OAuth2Settings>, (String, bool)> {
    let flags = [
        ("--oauth-client-id", a.oauth_client_id.is_some()),
        ("--oauth-client-secret-stdin", a.oauth_client_secret_stdin),
        ("--oauth-auth-url", a.oauth_auth_url.is_some()),
        ("--oauth-token-url", a.oauth_token_url.is_some()),
        ("--oauth-device-url", a.oauth_device_url.is_some()),
        ("--oauth-scope", a.oauth_scope.is_some()),
        ("--oauth-token-command", a.oauth_token_command.is_some()),
    ];
    if acct.incoming.auth != AuthMethod::Oauth2 {
        return match flags.iter().find(|(_, given)| *given) {
            Some((flag, _)) => Err((
                tf(lang, "oauth.add.not_oauth_flag", &[("flag", flag)]),
                false,
            )),
            None => Ok(None),
        };
    }
    let clean = |v: &Option<String>| {
        v.as_ref()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    };
    let settings = OAuth2Settings {
        client_id: clean(&a.oauth_client_id).unwrap_or_default(),
        client_secret_in_keyring: a.oauth_client_secret_stdin,
        auth_url: clean(&a.oauth_auth_url),
        token_url: clean(&a.oauth_token_url),
        device_url: clean(&a.oauth_device_url),
        scope: clean(&a.oauth_scope),
        token_command: clean(&a.oauth_token_command),
    };
    if settings.token_command.is_some() {
        return Ok(Some(settings));
    }
    if settings.client_id.is_empty() {
        // Explicitly asked for: the client id is part of the command.
        if a.auth == Some(AuthMethod::Oauth2) {
            return Err((t(lang, "oauth.add.need_client_id").to_string(), true));
        }
        return Ok(Some(settings));
    }
    let preset = acct.provider.as_deref().and_then(providers::by_id);
    let e = oauth::Endpoints::resolve(&settings, preset);
    if e.token_url.is_none() || (e.auth_url.is_none() && e.device_url.is_none()) {
        return Err((t(lang, "oauth.add.no_endpoints").to_string(), false));
    }
    Ok(Some(settings))
}

/// Reads the OAuth2 client secret from stdin (first line) and stores it in
/// the keyring; returns the store and entry for the report.
fn store_client_secret(lang: Lang, name: &str) -> Result<(secrets::Backend, String), i32> {
    let keyring = Keyring::open()
        .and_then(|k| k.probe().map(|_| k))
        .map_err(|e| {
            output::error(&e.localized(lang));
            output::hint(&e.advice(lang));
            output::hint(t(lang, "cli.hint.nothing_saved"));
            EXIT_USAGE
        })?;
    let (secret, _) = read_passwords().map_err(|_| {
        output::error(t(lang, "cli.error.stdin"));
        EXIT_USAGE
    })?;
    if secret.is_empty() {
        output::error(t(lang, "oauth.add.empty_secret"));
        return Err(EXIT_USAGE);
    }
    let entry = oauth::client_secret_entry(name);
    keyring.set_named(&entry, &secret).map_err(|e| {
        output::error(&e.localized(lang));
        output::hint(&e.advice(lang));
        EXIT_USAGE
    })?;
    Ok((keyring.backend(), entry))
}

/// Stdin: the password on the first line; an optional second line is a
/// different SMTP password.
fn read_passwords() -> std::io::Result<(Secret, Option<Secret>)> {
    let mut buf = String::new();
    std::io::stdin().read_to_string(&mut buf)?;
    let mut lines = buf.lines();
    let first = Secret::new(lines.next().unwrap_or(""));
    let second = lines.next().filter(|l| !l.is_empty()).map(Secret::new);
    buf.clear();
    Ok((first, second))
}

pub(super) fn add(ctx: &Ctx, a: AddArgs) -> i32 {
    let lang = ctx.lang;
    let (mut acct, origin) = match account_from_args(lang, &a) {
        Ok(x) => x,
        Err(msg) => {
            output::error(&msg);
            return EXIT_USAGE;
        }
    };
    let oauth_settings = match oauth_from_args(lang, &acct, &a) {
        Ok(o) => o,
        Err((msg, register)) => {
            output::error(&msg);
            if register {
                output::hint(t(lang, "oauth.add.register"));
            }
            return EXIT_USAGE;
        }
    };
    let mut cfg = match load_or_report(ctx) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let mut stored = Vec::new();
    if a.oauth_client_secret_stdin && oauth_settings.is_some() {
        match store_client_secret(lang, &acct.name) {
            Ok(entry) => stored.push(entry),
            Err(code) => return code,
        }
    }
    if a.password_stdin {
        let keyring = match Keyring::open().and_then(|k| k.probe().map(|_| k)) {
            Ok(k) => k,
            Err(e) => {
                output::error(&e.localized(lang));
                output::hint(&e.advice(lang));
                output::hint(t(lang, "cli.hint.nothing_saved"));
                return EXIT_USAGE;
            }
        };
        let (pw, smtp_pw) = match read_passwords() {
            Ok(x) => x,
            Err(_) => {
                output::error(t(lang, "cli.error.stdin"));
                return EXIT_USAGE;
            }
        };
        if pw.is_empty() {
            output::error(t(lang, "cli.error.empty_password"));
            return EXIT_USAGE;
        }
        acct.smtp.same_password = smtp_pw.is_none();
        let mut entries = vec![(Role::Incoming, &pw)];
        if let Some(s) = &smtp_pw {
            entries.push((Role::Smtp, s));
        }
        for (role, secret) in entries {
            if let Err(e) = keyring.set(&acct.name, role, secret) {
                output::error(&e.localized(lang));
                output::hint(&e.advice(lang));
                return EXIT_USAGE;
            }
            stored.push((keyring.backend(), secrets::entry_user(&acct.name, role)));
        }
    }
    cfg.upsert(acct.clone());
    match &oauth_settings {
        Some(o) => {
            cfg.oauth2.insert(acct.name.clone(), o.clone());
        }
        None => {
            cfg.oauth2.remove(&acct.name);
        }
    }
    if let Err(e) = config::save(&ctx.config_path, &cfg) {
        output::error(&e.localized(lang));
        return EXIT_USAGE;
    }
    let path = ctx.config_path.display().to_string();
    line(&tf(
        lang,
        "cli.added",
        &[("name", &acct.name), ("path", &path)],
    ));
    if let Some(o) = &origin {
        line(o);
    }
    for (backend, entry) in &stored {
        line(&tf(
            lang,
            "cli.stored_in_keyring",
            &[
                ("store", backend.label()),
                ("service", secrets::SERVICE),
                ("entry", entry),
            ],
        ));
    }
    if let Some(o) = &oauth_settings {
        if o.client_id.is_empty() && o.token_command.is_none() {
            output::hint(t(lang, "oauth.add.register"));
        } else if o.token_command.is_none() {
            line(&tf(lang, "oauth.add.next", &[("name", &acct.name)]));
        }
    } else if stored.is_empty() && acct.secrets.password_command.is_none() {
        line(t(lang, "cli.no_password_stored"));
    }
    EXIT_OK
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
    let oauth = cfg.oauth2_for(&acct.name).cloned();
    if json {
        let mut value = serde_json::to_value(&acct).unwrap_or_default();
        if let (Some(o), Some(map)) = (&oauth, value.as_object_mut()) {
            map.insert("oauth2".into(), serde_json::to_value(o).unwrap_or_default());
        }
        output::json(&value);
        return EXIT_OK;
    }
    let cfg_oauth: std::collections::BTreeMap<_, _> =
        oauth.map(|o| (acct.name.clone(), o)).into_iter().collect();
    let text = config::to_toml(&Config {
        schema_version: config::SCHEMA_VERSION,
        accounts: vec![acct.clone()],
        oauth2: cfg_oauth,
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
    if acct.incoming.auth == AuthMethod::Oauth2 {
        let place = match cfg
            .oauth2_for(&acct.name)
            .and_then(|o| o.token_command.as_deref())
        {
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
    let mut cfg = match load_or_report(ctx) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let Some(acct) = cfg.remove(name) else {
        output::error(&tf(
            ctx.lang,
            "cli.error.no_such_account",
            &[("name", name)],
        ));
        return EXIT_USAGE;
    };
    if let Err(e) = config::save(&ctx.config_path, &cfg) {
        output::error(&e.localized(ctx.lang));
        return EXIT_USAGE;
    }
    line(&tf(ctx.lang, "cli.removed", &[("name", &acct.name)]));
    if acct.secrets.password_command.is_some() && acct.smtp.same_password {
        return EXIT_OK;
    }
    let result = Keyring::open().and_then(|k| {
        let mut n = 0;
        for role in [Role::Incoming, Role::Smtp] {
            n += usize::from(k.delete(&acct.name, role)?);
        }
        n += oauth::forget(&k, &acct.name)?;
        Ok(n)
    });
    match result {
        Ok(n) => {
            line(&tf(
                ctx.lang,
                "cli.keyring_cleared",
                &[("count", &n.to_string())],
            ));
            EXIT_OK
        }
        Err(e) => {
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
