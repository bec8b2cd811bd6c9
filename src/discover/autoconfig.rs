//! The provider's own autoconfig: the https URLs at once, then the http
//! ones only when no https one answered (marked insecure, ranked last).

use super::clientconfig;
use super::http;
use super::run::{Ctx, Outcome};
use super::{Candidate, Failure, Source, SourceDetail, Why};

fn detail_is_empty(d: &SourceDetail) -> bool {
    matches!(d, SourceDetail::Failed { failures } if failures.is_empty())
}

pub(crate) fn fill(template: &str, ctx: &Ctx) -> String {
    template
        .replace("{domain}", &ctx.domain)
        .replace("{email}", &crate::percent::encode(&ctx.email))
}

/// Fetches every URL at once; the first (in list order) that reads wins.
fn try_all(ctx: &Ctx, urls: &[String]) -> (Option<Candidate>, Vec<Failure>) {
    let results: Vec<Result<Candidate, Failure>> = std::thread::scope(|scope| {
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
                        .map_err(|e| Failure {
                            at: url.clone(),
                            why: Why::Document(e),
                        }),
                    Err(e) => Err(e.at(url)),
                })
            })
            .collect();
        handles
            .into_iter()
            .zip(urls)
            .map(|(h, url)| {
                h.join().unwrap_or_else(|_| {
                    Err(Failure {
                        at: url.clone(),
                        why: Why::Crashed,
                    })
                })
            })
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
            return Outcome::found(super::ispdb::document_detail(&c), vec![c]);
        }
        if ctx.deadline.left().is_zero() {
            return Outcome::timeout(SourceDetail::Failed { failures: errors });
        }
    }
    // 404s and unreachable hosts are the usual "no autoconfig here"; a
    // document that cannot be read, or a refused certificate, is a failure.
    let all_absent = errors
        .iter()
        .all(|e| !matches!(e.why, Why::Document(_) | Why::Certificate | Why::CaFile(_)));
    let all_timeouts = errors.iter().all(|e| e.why == Why::Timeout);
    let detail = SourceDetail::Failed { failures: errors };
    if all_timeouts && !detail_is_empty(&detail) {
        Outcome::timeout(detail)
    } else if all_absent {
        Outcome::none(detail)
    } else {
        Outcome::error(detail)
    }
}
