//! The Thunderbird ISP database: `<base>/<domain>`.

use super::clientconfig;
use super::http::{self, FetchError};
use super::run::{Ctx, Outcome};
use super::{Candidate, Source};

pub(crate) fn url_for(base: &str, domain: &str) -> String {
    format!("{}/{}", base.trim().trim_end_matches('/'), domain)
}

/// Fetches and reads the ISPDB entry of `domain`, as settings for `email`.
/// Ok(None): the ISPDB has no entry (404).
pub(crate) fn lookup(ctx: &Ctx, domain: &str, source: Source) -> Result<Option<Candidate>, String> {
    let url = url_for(&ctx.opts.ispdb_url, domain);
    match http::get(&url, ctx) {
        Ok(f) => {
            let cfg = clientconfig::parse(&f.body).map_err(|e| format!("{url}: {e}"))?;
            let secure = http::is_https(&f.url);
            Ok(Some(Candidate::from_client_config(
                &cfg, &ctx.email, source, &f.url, secure,
            )))
        }
        Err(FetchError::Status(404 | 410)) => Ok(None),
        Err(e) => Err(format!("{url}: {}", e.describe())),
    }
}

pub(crate) fn run(ctx: &Ctx) -> Outcome {
    match lookup(ctx, &ctx.domain, Source::Ispdb) {
        Ok(Some(c)) => {
            let detail = format!(
                "{}: {} incoming, {} outgoing",
                c.origin,
                c.incoming.len(),
                c.outgoing.len()
            );
            Outcome::found(detail, vec![c])
        }
        Ok(None) => Outcome::none(format!(
            "{}: not in the ISPDB",
            url_for(&ctx.opts.ispdb_url, &ctx.domain)
        )),
        Err(e) if e.ends_with(": timeout") => Outcome::timeout(e),
        Err(e) => Outcome::error(e),
    }
}
