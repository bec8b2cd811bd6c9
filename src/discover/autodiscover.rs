//! Microsoft Autodiscover, as Thunderbird uses it: only for a domain that
//! the presets, the ISPDB and the provider's autoconfig did not answer.
//! First the v2 JSON pointer (`/autodiscover/autodiscover.json/v1.0/…`),
//! then the POX endpoints over https (`autodiscover.<domain>`, then
//! `<domain>`), then plain http only for the redirect it may give (its
//! body is never used). A redirect to another domain is followed only
//! when the user allowed that domain (`--allow-redirect`) or when it is
//! Microsoft's own service; otherwise the outcome asks for confirmation.
//! Every answer is bounded (size, the run's deadline).

use super::autodiscover_xml::{MailServer, parse_pox, parse_v2, pox_request};
use super::http::{self, Answer};
use super::run::{Ctx, Outcome};
use super::{
    Candidate, Failure, IncomingSetting, OutgoingSetting, Source, SourceDetail, Why, preset,
};
use crate::account::domain_of;

/// A POX answer is a few kilobytes; the JSON pointer, less.
const MAX_POX: u64 = 256 * 1024;
const MAX_JSON: u64 = 16 * 1024;
/// Redirect hops followed per endpoint.
const MAX_HOPS: usize = 3;

/// Microsoft's own Autodiscover hosts (Exchange Online).
fn is_microsoft(host: &str) -> bool {
    host == "outlook.office365.com"
        || host == "outlook.com"
        || host.ends_with(".outlook.com")
        || host.ends_with(".office365.com")
}

/// The host of an https URL; None for any other scheme.
fn https_host(url: &str) -> Option<String> {
    let rest = url
        .get(..8)
        .filter(|s| s.eq_ignore_ascii_case("https://"))?;
    let after = &url[rest.len()..];
    let authority = after.split(['/', '?', '#']).next()?;
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = host
        .split(':')
        .next()?
        .trim_end_matches('.')
        .to_ascii_lowercase();
    (!host.is_empty()).then_some(host)
}

struct Search<'a> {
    ctx: &'a Ctx,
    email: String,
    failures: Vec<Failure>,
    /// A redirect not followed: the host it pointed to.
    refused: Option<String>,
    exchange_at: Option<String>,
}

impl Search<'_> {
    fn allowed(&self, host: &str) -> bool {
        let under = |d: &str| host == d || host.ends_with(&format!(".{d}"));
        under(&self.ctx.domain)
            || is_microsoft(host)
            || self.ctx.opts.autodiscover_allow.iter().any(|d| under(d))
    }

    fn fill(&self, template: &str) -> String {
        template
            .replace("{domain}", &self.ctx.domain)
            .replace("{email}", &crate::percent::encode(&self.email))
    }

    /// The POX endpoint the v2 JSON pointer names, when it may be used.
    fn v2_pointer(&mut self) -> Option<String> {
        if self.ctx.opts.autodiscover_json_url.is_empty() {
            return None;
        }
        let url = self.fill(&self.ctx.opts.autodiscover_json_url);
        match http::request(&url, None, MAX_JSON, self.ctx) {
            Ok(a) if a.status == 200 => {
                let target = parse_v2(&a.body)?;
                let host = https_host(&target)?;
                if self.allowed(&host) {
                    Some(target)
                } else {
                    self.refused = Some(host);
                    None
                }
            }
            Ok(a) => {
                self.note(&url, Why::HttpStatus(a.status));
                None
            }
            Err(e) => {
                self.failures.push(e.at(&url));
                None
            }
        }
    }

    fn note(&mut self, url: &str, why: Why) {
        self.failures.push(Failure {
            at: url.to_string(),
            why,
        });
    }

    /// POSTs to `url`, following allowed redirects; the servers found.
    fn pox(&mut self, start: &str) -> Option<(String, Vec<MailServer>)> {
        let mut url = start.to_string();
        for _ in 0..MAX_HOPS {
            let answer =
                match http::request(&url, Some(&pox_request(&self.email)), MAX_POX, self.ctx) {
                    Ok(a) => a,
                    Err(e) => {
                        self.failures.push(e.at(&url));
                        return None;
                    }
                };
            match self.next_step(&url, answer)? {
                Step::Found(servers) => return Some((url, servers)),
                Step::Follow(next) => url = next,
            }
        }
        None
    }

    /// What one answer leads to: servers, another URL, or nothing.
    fn next_step(&mut self, url: &str, a: Answer) -> Option<Step> {
        if (300..400).contains(&a.status) {
            return self.follow(a.location.as_deref()?);
        }
        if a.status != 200 {
            self.note(url, Why::HttpStatus(a.status));
            return None;
        }
        let Some(pox) = parse_pox(&a.body) else {
            self.note(url, Why::NotAutodiscover);
            return None;
        };
        if let Some(target) = pox.redirect_url {
            return self.follow(&target);
        }
        if let Some(addr) = pox.redirect_addr {
            let domain = domain_of(&addr).to_ascii_lowercase();
            if addr.chars().any(char::is_control) || !self.allowed(&domain) {
                self.refused = Some(domain);
                return None;
            }
            self.email = addr;
            return Some(Step::Follow(url.to_string()));
        }
        if pox.exchange && self.exchange_at.is_none() {
            self.exchange_at = https_host(url);
        }
        (!pox.servers.is_empty()).then_some(Step::Found(pox.servers))
    }

    fn follow(&mut self, target: &str) -> Option<Step> {
        let Some(host) = https_host(target) else {
            self.note(target, Why::NotHttps);
            return None;
        };
        if self.allowed(&host) {
            Some(Step::Follow(target.to_string()))
        } else {
            self.refused = Some(host);
            None
        }
    }

    /// The plain-http endpoint, for its redirect only.
    fn http_redirect(&mut self) -> Option<String> {
        if self.ctx.opts.autodiscover_http_url.is_empty() {
            return None;
        }
        let url = self.fill(&self.ctx.opts.autodiscover_http_url);
        let a = http::request(&url, None, MAX_JSON, self.ctx).ok()?;
        if !(300..400).contains(&a.status) {
            return None;
        }
        match self.follow(a.location.as_deref()?)? {
            Step::Follow(next) => Some(next),
            Step::Found(_) => None,
        }
    }
}

enum Step {
    Found(Vec<MailServer>),
    Follow(String),
}

fn candidate(url: &str, email: &str, servers: Vec<MailServer>) -> Candidate {
    let mut c = Candidate {
        source: Source::Autodiscover,
        origin: url.to_string(),
        secure: true,
        incoming: Vec::new(),
        outgoing: Vec::new(),
        provider: None,
        skipped: Vec::new(),
    };
    for s in servers {
        let username = s.login.unwrap_or_else(|| email.to_string());
        match s.protocol {
            Some(protocol) => c.incoming.push(IncomingSetting {
                protocol,
                host: s.host,
                port: s.port,
                security: s.security,
                username,
                auth: vec!["password-cleartext".into()],
            }),
            None => c.outgoing.push(OutgoingSetting {
                host: s.host,
                port: s.port,
                security: s.security,
                username,
                auth: vec!["password-cleartext".into()],
            }),
        }
    }
    c
}

pub(crate) fn run(ctx: &Ctx) -> Outcome {
    let firsts = [Source::Preset, Source::Ispdb, Source::Autoconfig];
    if ctx
        .first_answers
        .wait_any_usable(&firsts, &ctx.opts.sources, &ctx.deadline)
    {
        return Outcome::none(SourceDetail::AutodiscoverNotNeeded);
    }
    let mut s = Search {
        ctx,
        email: ctx.email.clone(),
        failures: Vec::new(),
        refused: None,
        exchange_at: None,
    };
    let mut endpoints: Vec<String> = s.v2_pointer().into_iter().collect();
    endpoints.extend(ctx.opts.autodiscover_urls.iter().map(|t| s.fill(t)));
    endpoints.dedup();
    for url in &endpoints {
        if ctx.deadline.left().is_zero() {
            break;
        }
        if let Some(found) = s.pox(url) {
            return found_outcome(&s, found);
        }
    }
    if let Some(next) = s.http_redirect().filter(|n| !endpoints.contains(n))
        && let Some(found) = s.pox(&next)
    {
        return found_outcome(&s, found);
    }
    conclude(s)
}

fn found_outcome(s: &Search<'_>, (at, servers): (String, Vec<MailServer>)) -> Outcome {
    let c = candidate(&at, &s.email, servers);
    Outcome::found(super::ispdb::document_detail(&c), vec![c])
}

/// Nothing usable: say what was learnt (Exchange only, a redirect that
/// needs the user's word) or what failed.
fn conclude(s: Search<'_>) -> Outcome {
    if let Some(host) = s.exchange_at {
        if is_microsoft(&host)
            && let Some(p) = crate::providers::by_id("outlook")
        {
            let cands: Vec<Candidate> = preset::candidates(p, &s.ctx.email)
                .into_iter()
                .map(|mut c| {
                    c.origin = format!("autodiscover {host} → {}", c.origin);
                    c.source = Source::Autodiscover;
                    c.provider = None;
                    c
                })
                .collect();
            return Outcome::found(SourceDetail::ExchangeOnline { host }, cands);
        }
        return Outcome::none(SourceDetail::ExchangeOnly { host });
    }
    if let Some(host) = s.refused {
        return Outcome::none(SourceDetail::RedirectNeedsConsent { host });
    }
    // No server, no name, a 404: the usual "no Autodiscover here". An
    // answer that cannot be used, or a refused certificate, is a failure.
    let all_absent = s.failures.iter().all(|f| {
        !matches!(
            f.why,
            Why::Document(_)
                | Why::Certificate
                | Why::CaFile(_)
                | Why::NotAutodiscover
                | Why::TooLarge
                | Why::NotHttps
        )
    });
    let all_timeouts = !s.failures.is_empty() && s.failures.iter().all(|f| f.why == Why::Timeout);
    let detail = SourceDetail::Failed {
        failures: s.failures,
    };
    if all_timeouts {
        Outcome::timeout(detail)
    } else if all_absent {
        Outcome::none(detail)
    } else {
        Outcome::error(detail)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_of_https_urls_only() {
        assert_eq!(
            https_host("https://Autodiscover.Corp.test:8443/autodiscover/x.xml").as_deref(),
            Some("autodiscover.corp.test")
        );
        assert_eq!(
            https_host("https://user@evil.test/x").as_deref(),
            Some("evil.test")
        );
        assert!(https_host("http://corp.test/").is_none());
        assert!(https_host("javascript:alert(1)").is_none());
        assert!(is_microsoft("autodiscover-s.outlook.com"));
        assert!(!is_microsoft("outlook.com.evil.test"));
    }
}
