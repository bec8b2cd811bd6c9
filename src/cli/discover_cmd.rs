//! `discover EMAIL`: every source at once, live per-source lines, then the
//! best settings with their provenance; `--json` prints the report.

use super::output::{self, line};
use super::{Ctx, EXIT_FAILED, EXIT_OK, EXIT_USAGE};
use crate::discover::{self, Candidate, DiscoverOptions, Source, SourceEvent, SourceReport};
use crate::i18n::{Lang, t, tf};
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

#[derive(clap::Args, Debug)]
pub struct DiscoverArgs {
    /// The address to find settings for
    pub email: String,
    #[arg(long)]
    pub json: bool,
    /// Comma list of sources: preset,ispdb,autoconfig,srv,mx,guess,autodiscover (default: all)
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    pub sources: Vec<Source>,
    /// ISPDB base URL; the domain is appended
    #[arg(long, value_name = "URL", env = "MAILWIZ_ISPDB_URL", default_value = discover::DEFAULT_ISPDB_URL)]
    pub ispdb_url: String,
    /// DNS server for SRV and MX (and guessed names), e.g. 127.0.0.1:5353
    #[arg(long, value_name = "IP:PORT", env = "MAILWIZ_DNS_SERVER")]
    pub dns_server: Option<SocketAddr>,
    /// One deadline for the whole search, in seconds
    #[arg(long, value_name = "SECS", default_value_t = 8.0)]
    pub timeout: f64,
    /// Wait for every source (or the deadline) instead of stopping at the first top-priority answer
    #[arg(long)]
    pub all: bool,
    /// Extra CA certificates (PEM) to trust for https autoconfig and guessed servers
    #[arg(long, value_name = "PEM")]
    pub ca_file: Option<PathBuf>,
    /// Provider autoconfig URL template with {domain} and {email} (repeatable; replaces the standard ones)
    #[arg(long, value_name = "TEMPLATE", hide = true)]
    pub autoconfig_url: Vec<String>,
    /// Follow a Microsoft Autodiscover redirect to this domain (repeatable;
    /// asked for when discovery reports such a redirect)
    #[arg(long, value_name = "DOMAIN")]
    pub allow_redirect: Vec<String>,
    /// Autodiscover endpoint templates (testing): the v2 JSON pointer, then POX URLs
    #[arg(long, value_name = "TEMPLATE", hide = true)]
    pub autodiscover_url: Vec<String>,
    /// Guessing: probe port P instead of standard port S (repeatable, S=P)
    #[arg(long, value_name = "S=P", hide = true, value_parser = parse_port_map)]
    pub guess_port: Vec<(u16, u16)>,
}

fn parse_port_map(s: &str) -> Result<(u16, u16), String> {
    let (a, b) = s
        .split_once('=')
        .ok_or("expected STANDARD=ACTUAL, e.g. 993=10993")?;
    let p = |x: &str| x.trim().parse::<u16>().map_err(|e| format!("'{x}': {e}"));
    Ok((p(a)?, p(b)?))
}

impl DiscoverArgs {
    /// The options these arguments ask for, or the i18n'd usage error.
    pub fn options(&self, lang: Lang, env: &super::Environment) -> Result<DiscoverOptions, String> {
        if !(self.timeout.is_finite() && self.timeout > 0.0 && self.timeout <= 3600.0) {
            return Err(tf(
                lang,
                "cli.error.timeout",
                &[("value", &self.timeout.to_string())],
            ));
        }
        let mut o = DiscoverOptions {
            ispdb_url: self.ispdb_url.clone(),
            dns_server: self.dns_server,
            timeout: Duration::from_secs_f64(self.timeout),
            stop_early: !self.all,
            ca_file: self.ca_file.clone(),
            guess_ports: self.guess_port.iter().copied().collect::<BTreeMap<_, _>>(),
            ..DiscoverOptions::default().with_overrides(|k| env.var(k))
        };
        if !self.sources.is_empty() {
            o.sources = self.sources.clone();
        }
        if !self.autoconfig_url.is_empty() {
            o.autoconfig_urls = self.autoconfig_url.clone();
        }
        o.autodiscover_allow = self
            .allow_redirect
            .iter()
            .map(|d| d.trim().trim_end_matches('.').to_ascii_lowercase())
            .filter(|d| !d.is_empty())
            .collect();
        if let Some((json, pox)) = self.autodiscover_url.split_first() {
            o.autodiscover_json_url = json.clone();
            o.autodiscover_urls = pox.to_vec();
            o.autodiscover_http_url = String::new();
        }
        Ok(o)
    }
}

fn print_source(lang: Lang, r: &SourceReport) {
    let (src, status, ms) = (
        t(lang, r.source.i18n_key()),
        t(lang, r.status.i18n_key()),
        r.ms.to_string(),
    );
    let text = if r.detail.is_empty() {
        tf(
            lang,
            "discover.source_line",
            &[("source", src), ("status", status), ("ms", &ms)],
        )
    } else {
        tf(
            lang,
            "discover.source_line_detail",
            &[
                ("source", src),
                ("status", status),
                ("ms", &ms),
                ("detail", &r.detail.localized(lang)),
            ],
        )
    };
    output::status(r.status == discover::SourceStatus::Ok, &text);
}

fn security(lang: Lang, s: crate::account::Security) -> &'static str {
    t(lang, &format!("discover.security.{}", s.as_str()))
}

/// The servers of the source's document that were left out, with why.
fn print_skipped(lang: Lang, c: &Candidate) {
    for s in &c.skipped {
        let side = match s.side {
            discover::ServerSide::Incoming => "discover.skipped.incoming",
            discover::ServerSide::Outgoing => "discover.skipped.outgoing",
        };
        line(&tf(
            lang,
            s.reason.i18n_key(),
            &[
                ("side", t(lang, side)),
                ("kind", &s.kind),
                ("value", s.reason.value()),
            ],
        ));
    }
}

/// The best candidate in full, for people.
pub(super) fn print_candidate(lang: Lang, c: &Candidate) {
    let src = t(lang, c.source.i18n_key());
    line(&tf(
        lang,
        "discover.best",
        &[("source", src), ("origin", &c.origin)],
    ));
    line(&format!(
        "  {}",
        t(
            lang,
            if c.secure {
                "discover.secure"
            } else {
                "discover.insecure"
            }
        )
    ));
    print_skipped(lang, c);
    for s in &c.incoming {
        let port = s.port.to_string();
        let proto = s.protocol.as_str().to_uppercase();
        line(&format!(
            "  {}",
            tf(
                lang,
                "discover.incoming",
                &[
                    ("protocol", &proto),
                    ("host", &s.host),
                    ("port", &port),
                    ("security", security(lang, s.security)),
                    ("username", &s.username)
                ],
            )
        ));
        if !s.auth.is_empty() {
            line(&format!(
                "  {}",
                tf(lang, "discover.auth", &[("methods", &s.auth.join(", "))])
            ));
        }
    }
    for s in &c.outgoing {
        let port = s.port.to_string();
        line(&format!(
            "  {}",
            tf(
                lang,
                "discover.outgoing",
                &[
                    ("host", &s.host),
                    ("port", &port),
                    ("security", security(lang, s.security)),
                    ("username", &s.username)
                ],
            )
        ));
        if !s.auth.is_empty() {
            line(&format!(
                "  {}",
                tf(lang, "discover.auth", &[("methods", &s.auth.join(", "))])
            ));
        }
    }
}

pub(super) fn discover(ctx: &Ctx, args: DiscoverArgs) -> i32 {
    let lang = ctx.lang;
    let email = args.email.trim().to_string();
    if let Err(e) = crate::account::validate_email(&email) {
        output::error(&tf(
            lang,
            "discover.bad_email",
            &[("email", &email), ("reason", t(lang, e.i18n_key()))],
        ));
        return EXIT_USAGE;
    }
    let opts = match args.options(lang, &ctx.env) {
        Ok(o) => o,
        Err(e) => {
            output::error(&e);
            return EXIT_USAGE;
        }
    };
    if !args.json {
        let secs = format!("{}", opts.timeout.as_secs_f64());
        line(&tf(
            lang,
            "discover.start",
            &[("email", &email), ("secs", &secs)],
        ));
    }
    let json = args.json;
    let progress = move |ev: SourceEvent| {
        if let (false, SourceEvent::Finished { report, .. }) = (json, ev) {
            print_source(lang, &report);
        }
    };
    let report = discover::discover(&email, &opts, &progress);
    if json {
        output::json(&report);
    } else {
        if let Some(best) = report.best() {
            print_candidate(lang, best);
            let others: Vec<&Candidate> = report
                .candidates
                .iter()
                .filter(|c| !std::ptr::eq(*c, best))
                .collect();
            if !others.is_empty() {
                line(&tf(
                    lang,
                    "discover.others",
                    &[("count", &others.len().to_string())],
                ));
                for c in others {
                    let src = t(lang, c.source.i18n_key());
                    line(&tf(
                        lang,
                        "discover.other_line",
                        &[("source", src), ("origin", &c.origin)],
                    ));
                }
            }
        } else {
            for c in &report.candidates {
                print_skipped(lang, c);
            }
            line(&tf(lang, "discover.nothing", &[("email", &email)]));
            output::hint(t(lang, "discover.nothing_hint"));
        }
        line(&tf(
            lang,
            "discover.elapsed",
            &[("ms", &report.elapsed_ms.to_string())],
        ));
    }
    if report.candidates.iter().any(Candidate::is_usable) {
        EXIT_OK
    } else {
        EXIT_FAILED
    }
}
