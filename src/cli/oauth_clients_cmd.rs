//! `mailwiz oauth-clients`: for each provider that signs in with OAuth2,
//! the client id mailwiz would use and where it comes from (the user's
//! file, the system's, or built in), and why a file was not used. Never a
//! client secret: only whether there is one.

use super::output::{self, line};
use super::{Ctx, EXIT_OK};
use crate::i18n::{Lang, tf};
use crate::oauth::brokers::{self, BrokerKind, Recipe};
use crate::oauth::{ClientSource, Clients, ClientsFileError, clients};
use crate::providers;
use serde::Serialize;

#[derive(Serialize)]
struct ProviderRow<'a> {
    provider: &'a str,
    client_id: Option<&'a str>,
    client_id_source: Option<ClientSource>,
    has_client_secret: bool,
    tenant: Option<&'a str>,
    /// The sources this one wins over.
    shadowed: Vec<ClientSource>,
}

#[derive(Serialize)]
struct Listing<'a> {
    user_file: Option<String>,
    system_file: Option<String>,
    providers: Vec<ProviderRow<'a>>,
    unknown_providers: Vec<&'a str>,
    errors: Vec<String>,
    /// Token brokers found on PATH, with how mailwiz would use them.
    brokers: Vec<BrokerRow>,
}

#[derive(Serialize)]
struct BrokerRow {
    broker: BrokerKind,
    path: String,
    recipe: Recipe,
}

fn broker_rows() -> Vec<BrokerRow> {
    brokers::installed()
        .iter()
        .map(|b| BrokerRow {
            broker: b.kind,
            path: b.path.display().to_string(),
            recipe: b.kind.recipe("ADDRESS"),
        })
        .collect()
}

fn print_brokers(lang: Lang) {
    for b in broker_rows() {
        let path = output::clean_line(&b.path);
        let text = match b.recipe {
            Recipe::TokenCommand { .. } => tf(
                lang,
                "oauth_clients.broker.found",
                &[("broker", b.broker.as_str()), ("path", &path)],
            ),
            Recipe::LocalProxy {
                imap_port,
                smtp_port,
            } => tf(
                lang,
                "oauth_clients.broker.found_proxy",
                &[
                    ("broker", b.broker.as_str()),
                    ("path", &path),
                    ("imap", &imap_port.to_string()),
                    ("smtp", &smtp_port.to_string()),
                ],
            ),
        };
        line(&text);
    }
}

fn rows(c: &Clients) -> Vec<ProviderRow<'_>> {
    providers::all()
        .iter()
        .filter(|p| p.oauth2.is_some())
        .map(|p| {
            let all = c.all_for(&p.id);
            let used = all.first();
            ProviderRow {
                provider: &p.id,
                client_id: used.map(|u| u.client_id.as_str()),
                client_id_source: used.map(|u| u.source),
                has_client_secret: used.is_some_and(|u| u.client_secret.is_some()),
                tenant: used.and_then(|u| u.tenant.as_deref()),
                shadowed: all.iter().skip(1).map(|c| c.source).collect(),
            }
        })
        .collect()
}

/// One text per language for a file's problem (the path and line named).
pub fn file_error(lang: Lang, e: &ClientsFileError) -> String {
    e.localized(lang)
}

pub fn source_label(lang: Lang, source: ClientSource) -> String {
    tf(
        lang,
        &format!("oauth_clients.source.{}", source.as_str()),
        &[],
    )
}

pub(super) fn list(ctx: &Ctx, json: bool) -> i32 {
    let c = clients::installed();
    let lang = ctx.lang;
    let path = |p: &Option<std::path::PathBuf>| p.as_ref().map(|p| p.display().to_string());
    if json {
        output::json(&Listing {
            user_file: path(&c.files.user),
            system_file: path(&c.files.system),
            providers: rows(c),
            unknown_providers: c.unknown_providers(),
            errors: c.errors.iter().map(|e| file_error(Lang::En, e)).collect(),
            brokers: broker_rows(),
        });
        return EXIT_OK;
    }
    let none = tf(lang, "oauth_clients.none", &[]);
    for (key, p) in [
        ("oauth_clients.user_file", &c.files.user),
        ("oauth_clients.system_file", &c.files.system),
    ] {
        let p = path(p).unwrap_or_else(|| none.clone());
        line(&tf(lang, key, &[("path", &output::clean_line(&p))]));
    }
    for row in rows(c) {
        let text = match (row.client_id, row.client_id_source) {
            (Some(id), Some(source)) => tf(
                lang,
                "oauth_clients.row",
                &[
                    ("provider", row.provider),
                    ("id", &output::clean_line(id)),
                    ("source", &source_label(lang, source)),
                ],
            ),
            _ => tf(
                lang,
                "oauth_clients.row_none",
                &[("provider", row.provider)],
            ),
        };
        line(&text);
    }
    print_brokers(lang);
    for id in c.unknown_providers() {
        output::hint(&tf(
            lang,
            "oauth_clients.unknown_provider",
            &[("provider", &output::clean_line(id))],
        ));
    }
    for e in &c.errors {
        output::error(&file_error(lang, e));
    }
    EXIT_OK
}
