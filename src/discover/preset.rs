//! The built-in presets (`assets/providers.toml`): instant, one candidate
//! per variant, the default variant first.

use super::run::{Ctx, Outcome};
use super::{Candidate, IncomingSetting, OutgoingSetting, Source, SourceDetail};
use crate::providers::{self, Provider, ProviderAuth};

pub(crate) fn run(ctx: &Ctx) -> Outcome {
    match providers::for_email(&ctx.email) {
        Some(p) => Outcome::found(
            SourceDetail::Preset {
                name: p.name.clone(),
                id: p.id.clone(),
            },
            candidates(p, &ctx.email),
        ),
        None => Outcome::none(SourceDetail::NoPreset {
            domain: ctx.domain.clone(),
        }),
    }
}

/// clientConfig names for the provider's sign-in methods.
fn auth_names(p: &Provider) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for a in &p.auth {
        let name = match a {
            ProviderAuth::Password | ProviderAuth::AppPassword => "password-cleartext",
            ProviderAuth::Oauth2 => "OAuth2",
        };
        if !out.iter().any(|x| x == name) {
            out.push(name.to_string());
        }
    }
    out
}

pub(crate) fn candidates(p: &Provider, email: &str) -> Vec<Candidate> {
    let auth = auth_names(p);
    let default = p.default_variant();
    let variants = std::iter::once(default).chain(p.variants.iter().filter(|v| v.id != default.id));
    variants
        .map(|v| {
            let user = v.login.username(email);
            let origin = if p.variants.len() > 1 {
                format!("preset:{}/{}", p.id, v.id)
            } else {
                format!("preset:{}", p.id)
            };
            Candidate {
                source: Source::Preset,
                origin,
                secure: true,
                incoming: v
                    .incoming
                    .iter()
                    .map(|s| IncomingSetting {
                        protocol: s.protocol,
                        host: s.host.clone(),
                        port: s.port,
                        security: s.security,
                        username: user.clone(),
                        auth: auth.clone(),
                    })
                    .collect(),
                outgoing: v
                    .smtp
                    .iter()
                    .map(|s| OutgoingSetting {
                        host: s.host.clone(),
                        port: s.port,
                        security: s.security,
                        username: user.clone(),
                        auth: auth.clone(),
                    })
                    .collect(),
                provider: Some(p.id.clone()),
                skipped: Vec::new(),
            }
        })
        .collect()
}
