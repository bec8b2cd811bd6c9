//! The account `add` describes: a preset, discovery or the server flags,
//! then each explicit flag; and its OAuth2 settings. Checked, never saved
//! here.

use super::args::AddArgs;
use crate::account::{
    Account, AuthMethod, IncomingServer, OAuth2Settings, Protocol, SecretSource, Security,
    SmtpServer, normalize_fingerprint, validate_email,
};
use crate::i18n::{Lang, t, tf};
use crate::oauth;
use crate::providers;

/// The account the flags describe: a preset (named, or found from the
/// address's domain when no server is given), then each explicit flag.
/// Also returns a line saying where the settings came from, if not from the flags.
pub(super) fn account_from_args(
    lang: Lang,
    env: &super::Environment,
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
            let opts = crate::discover::DiscoverOptions::default().with_overrides(|k| env.var(k));
            let (acct, best) = crate::discover::best_account(&email, &opts)
                .ok_or_else(|| tf(lang, "discover.add_nothing", &[("email", &email)]))?;
            let origin = [("origin", best.origin.as_str())];
            if !best.secure && !a.accept_insecure_source {
                return Err(tf(lang, "accounts.add.insecure_source", &origin));
            }
            let mut used = tf(
                lang,
                "discover.add_used",
                &[("source", best.source.as_str()), ("origin", &best.origin)],
            );
            if !best.secure {
                used.push('\n');
                used.push_str(&tf(lang, "accounts.add.insecure_accepted", &origin));
            }
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
        oauth2: None,
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
pub(super) fn oauth_from_args(
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
        ("--oauth-broker", a.oauth_broker.is_some()),
    ];
    if !acct.signs_in_with_oauth2() {
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
    if let Some(kind) = a.oauth_broker {
        return broker_settings(lang, kind, &acct.email, settings).map(Some);
    }
    if settings.token_command.is_some() {
        return Ok(Some(settings));
    }
    // A client id provided for the provider (user or system file, or
    // built in) is used at sign-in: nothing to type.
    let provided = oauth::clients::provided(acct.provider.as_deref()).is_some();
    if settings.client_id.is_empty() && !provided {
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

/// `--oauth-broker`: a token broker's command, run once first (it must
/// print a token); a local proxy is not a token command: its settings are
/// said instead.
fn broker_settings(
    lang: Lang,
    kind: oauth::brokers::BrokerKind,
    email: &str,
    mut settings: OAuth2Settings,
) -> Result<OAuth2Settings, (String, bool)> {
    use oauth::brokers::Recipe;
    match kind.recipe(email) {
        Recipe::TokenCommand { command } => {
            oauth::brokers::try_command(&command).map_err(|e| {
                let detail = e.localized(lang);
                let args = [
                    ("broker", kind.as_str()),
                    ("command", &command),
                    ("detail", &detail),
                ];
                (tf(lang, "oauth_clients.broker.failed", &args), false)
            })?;
            settings.token_command = Some(command);
            Ok(settings)
        }
        Recipe::LocalProxy {
            imap_port,
            smtp_port,
        } => {
            let ports = [
                ("broker", kind.as_str()),
                ("imap", &imap_port.to_string()),
                ("smtp", &smtp_port.to_string()),
            ];
            Err((tf(lang, "oauth_clients.broker.proxy", &ports), false))
        }
    }
}
