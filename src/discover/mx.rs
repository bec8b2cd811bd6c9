//! MX: a domain hosted by a big provider (Google, Microsoft, OVH, …) gets
//! that provider's settings. The preferred MX host's parent domain and base
//! domain are looked up in the presets, then in the ISPDB. The DNS answer
//! is not authenticated, so the result is marked inferred (not secure).

use super::dns::{self, Record};
use super::run::{Ctx, Outcome};
use super::{Candidate, Failure, Source, SourceDetail, Why, ispdb, preset};
use crate::providers;

/// Second-level labels under which a country code registry sells names
/// (`co.uk`, `com.au`, `ne.jp`): their base domain has three labels.
const SHARED_SECOND_LEVEL: [&str; 10] = [
    "co", "com", "net", "org", "gov", "ac", "edu", "ne", "or", "go",
];

/// The registrable domain, approximately (no public suffix list).
pub(crate) fn base_domain(host: &str) -> String {
    let labels: Vec<&str> = host.trim_end_matches('.').split('.').collect();
    let n = labels.len();
    if n <= 2 {
        return labels.join(".");
    }
    let keep = if labels[n - 1].len() == 2 && SHARED_SECOND_LEVEL.contains(&labels[n - 2]) {
        3
    } else {
        2
    };
    labels[n.saturating_sub(keep)..].join(".")
}

/// The domains to look up for an MX host, most specific first.
pub(crate) fn lookup_domains(mx_host: &str, own_domain: &str) -> Vec<String> {
    let host = mx_host.trim_end_matches('.').to_ascii_lowercase();
    let mut out = Vec::new();
    if let Some((_, parent)) = host.split_once('.')
        && parent.contains('.')
    {
        out.push(parent.to_string());
    }
    let base = base_domain(&host);
    if !out.contains(&base) {
        out.push(base);
    }
    out.retain(|d| d != own_domain);
    out
}

pub(crate) fn run(ctx: &Ctx) -> Outcome {
    let servers = dns::servers(ctx.opts.dns_server);
    let records = match dns::query(&servers, &ctx.domain, dns::MX, &ctx.deadline) {
        Ok(r) => r,
        Err(dns::DnsError::Timeout) => return Outcome::timeout(SourceDetail::NoDnsAnswer),
        Err(e) => {
            return Outcome::error(SourceDetail::Failed {
                failures: vec![Failure {
                    at: ctx.domain.clone(),
                    why: Why::Dns(e),
                }],
            });
        }
    };
    let mut mx: Vec<(u16, String)> = records
        .into_iter()
        .filter_map(|r| match r {
            Record::Mx {
                preference,
                exchange,
            } if !exchange.is_empty() => Some((preference, exchange)),
            _ => None,
        })
        .collect();
    mx.sort();
    let Some((_, host)) = mx.into_iter().next() else {
        return Outcome::none(SourceDetail::NoMx {
            domain: ctx.domain.clone(),
        });
    };
    if let Some(p) = providers::for_mx_host(&host) {
        return preset_outcome(p, &host, &ctx.email);
    }
    let domains = lookup_domains(&host, &ctx.domain);
    if domains.is_empty() {
        return Outcome::none(SourceDetail::MxInOwnDomain {
            mx: host,
            domain: ctx.domain.clone(),
        });
    }
    for d in &domains {
        if let Some(p) = providers::all().iter().find(|p| p.serves(d)) {
            return preset_outcome(p, &host, &ctx.email);
        }
    }
    let mut errors = Vec::new();
    for d in &domains {
        match ispdb::lookup(ctx, d, Source::Mx) {
            Ok(Some(mut c)) => {
                let detail = SourceDetail::MxDocument {
                    mx: host.clone(),
                    url: c.origin.clone(),
                };
                c.origin = format!("MX {host} → {}", c.origin);
                c.secure = false;
                return Outcome::found(detail, vec![c]);
            }
            Ok(None) => {}
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Outcome::none(SourceDetail::MxUnknown { mx: host, domains })
    } else {
        Outcome::error(SourceDetail::MxFailed {
            mx: host,
            failures: errors,
        })
    }
}

/// The settings of the preset `p`, as inferred from the MX host `host`.
fn preset_outcome(p: &providers::Provider, host: &str, email: &str) -> Outcome {
    let cands: Vec<Candidate> = preset::candidates(p, email)
        .into_iter()
        .map(|mut c| {
            c.origin = format!("MX {host} → {}", c.origin);
            c.source = Source::Mx;
            c.secure = false;
            c.provider = None;
            c
        })
        .collect();
    Outcome::found(
        SourceDetail::MxPreset {
            mx: host.to_string(),
            preset: p.id.clone(),
        },
        cands,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_domains() {
        assert_eq!(base_domain("alt1.aspmx.l.google.com"), "google.com");
        assert_eq!(base_domain("mx.example.co.uk"), "example.co.uk");
        assert_eq!(base_domain("mbox.iij4u.or.jp"), "iij4u.or.jp");
        assert_eq!(base_domain("example.com"), "example.com");
        assert_eq!(
            lookup_domains("example-com.mail.protection.outlook.com.", "example.com"),
            ["mail.protection.outlook.com", "outlook.com"]
        );
        assert!(lookup_domains("mx.example.com", "example.com").is_empty());
    }
}
