//! The provider's own autoconfig: the https URLs at once, then the http
//! ones only when no https one answered (marked insecure, ranked last).

use super::clientconfig;
use super::http;
use super::run::{Ctx, Outcome};
use super::{Candidate, Source};

pub(crate) fn fill(template: &str, ctx: &Ctx) -> String {
    template
        .replace("{domain}", &ctx.domain)
        .replace("{email}", &http::encode_query(&ctx.email))
}

/// Fetches every URL at once; the first (in list order) that reads wins.
fn try_all(ctx: &Ctx, urls: &[String]) -> (Option<Candidate>, Vec<String>) {
    let results: Vec<Result<Candidate, String>> = std::thread::scope(|scope| {
        let handles: Vec<_> = urls
            .iter()
            .map(|url| {
                scope.spawn(move || match http::get(url, ctx) {
                    Ok(f) => clientconfig::parse(&f.body)
                        .map(|cfg| {
                            let secure = http::is_https(&f.url);
                            Candidate::from_client_config(
                                &cfg,
                                &ctx.email,
                                Source::Autoconfig,
                                &f.url,
                                secure,
                            )
                        })
                        .map_err(|e| format!("{url}: {e}")),
                    Err(e) => Err(format!("{url}: {}", e.describe())),
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| Err("crashed".into())))
            .collect()
    });
    let mut errors = Vec::new();
    let mut found = None;
    for r in results {
        match r {
            Ok(c) if found.is_none() && c.is_usable() => found = Some(c),
            Ok(_) => {}
            Err(e) => errors.push(e),
        }
    }
    (found, errors)
}

pub(crate) fn run(ctx: &Ctx) -> Outcome {
    let urls: Vec<String> = ctx
        .opts
        .autoconfig_urls
        .iter()
        .map(|t| fill(t, ctx))
        .collect();
    let (secure, plain): (Vec<String>, Vec<String>) =
        urls.into_iter().partition(|u| http::is_https(u));
    let mut errors = Vec::new();
    for group in [secure, plain] {
        if group.is_empty() {
            continue;
        }
        let (found, errs) = try_all(ctx, &group);
        errors.extend(errs);
        if let Some(c) = found {
            let note = if c.secure {
                ""
            } else {
                " (plain http, not authenticated)"
            };
            return Outcome::found(format!("{}{note}", c.origin), vec![c]);
        }
        if ctx.deadline.left().is_zero() {
            return Outcome::timeout(errors.join("; "));
        }
    }
    // 404s and unreachable hosts are the usual "no autoconfig here".
    let all_absent = errors
        .iter()
        .all(|e| !e.contains("not well-formed") && !e.contains("clientConfig"));
    if errors.iter().all(|e| e.ends_with(": timeout")) && !errors.is_empty() {
        Outcome::timeout(errors.join("; "))
    } else if all_absent {
        Outcome::none(errors.join("; "))
    } else {
        Outcome::error(errors.join("; "))
    }
}
