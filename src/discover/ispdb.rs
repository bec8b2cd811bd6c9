//! The Thunderbird ISP database: `<base>/<domain>`.

use super::clientconfig;
use super::http::{self, FetchError};
use super::run::{Ctx, Outcome};
use super::{Candidate, Failure, Source, SourceDetail, Why};

/// What a document read at the candidate's origin gave.
pub(crate) fn document_detail(c: &Candidate) -> SourceDetail {
    SourceDetail::Document {
        url: c.origin.clone(),
        incoming: c.incoming.len(),
        outgoing: c.outgoing.len(),
        secure: c.secure,
    }
}

pub(crate) fn url_for(base: &str, domain: &str) -> String {
    format!("{}/{}", base.trim().trim_end_matches('/'), domain)
}

/// Fetches and reads the ISPDB entry of `domain`, as settings for `email`.
/// Ok(None): the ISPDB has no entry (404).
pub(crate) fn lookup(
    ctx: &Ctx,
    domain: &str,
    source: Source,
) -> Result<Option<Candidate>, Failure> {
    let url = url_for(&ctx.opts.ispdb_url, domain);
    match http::get(&url, ctx) {
        Ok(f) => {
            let cfg = clientconfig::parse(&f.body).map_err(|e| Failure {
                at: url.clone(),
                why: Why::Document(e),
            })?;
            let secure = http::is_https(&f.url);
            Ok(Some(Candidate::from_client_config(
                &cfg, &ctx.email, source, &f.url, secure,
            )))
        }
        Err(FetchError::Status(404 | 410)) => Ok(None),
        Err(e) => Err(e.at(&url)),
    }
}

pub(crate) fn run(ctx: &Ctx) -> Outcome {
    match lookup(ctx, &ctx.domain, Source::Ispdb) {
        Ok(Some(c)) => Outcome::found(document_detail(&c), vec![c]),
        Ok(None) => Outcome::none(SourceDetail::NotInIspdb {
            url: url_for(&ctx.opts.ispdb_url, &ctx.domain),
        }),
        Err(e) if e.why == Why::Timeout => {
            Outcome::timeout(SourceDetail::Failed { failures: vec![e] })
        }
        Err(e) => Outcome::error(SourceDetail::Failed { failures: vec![e] }),
    }
}
