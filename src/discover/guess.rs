//! Guessing: `imap.`, `pop.`, `pop3.`, `mail.`, `smtp.` + the domain on the
//! standard ports, all probed at once with a real dialogue (IMAP
//! CAPABILITY, POP3 CAPA, SMTP EHLO) over TLS or STARTTLS with a verified
//! certificate, through the same network layer as the account check. A
//! server that proves its name with a certificate counts as authenticated.

use super::dns;
use super::run::{Ctx, Outcome};
use super::{Candidate, IncomingSetting, OutgoingSetting, Source, SourceDetail};
use crate::account::{AuthMethod, IncomingServer, Protocol, Security, SmtpServer, Trust};
use crate::net::{Deadline, ImapSession, NetError, NoSteps, Pop3Session, SmtpSession, TlsSetup};
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Incoming(Protocol),
    Smtp,
}

struct Probe {
    kind: Kind,
    host: String,
    port: u16,
    security: Security,
}

fn probes(domain: &str) -> Vec<Probe> {
    let mut out = Vec::new();
    let mut add = |kind, prefixes: &[&str], ports: [(u16, Security); 2]| {
        for (port, security) in ports {
            for p in prefixes {
                out.push(Probe {
                    kind,
                    host: format!("{p}.{domain}"),
                    port,
                    security,
                });
            }
        }
    };
    add(
        Kind::Incoming(Protocol::Imap),
        &["imap", "mail"],
        [(993, Security::Tls), (143, Security::Starttls)],
    );
    add(
        Kind::Incoming(Protocol::Pop3),
        &["pop", "pop3", "mail"],
        [(995, Security::Tls), (110, Security::Starttls)],
    );
    add(
        Kind::Smtp,
        &["smtp", "mail"],
        [(465, Security::Tls), (587, Security::Starttls)],
    );
    out
}

/// clientConfig names for what the capabilities offer.
pub(crate) fn auth_from_caps(caps: &[String], plain_login: bool) -> Vec<String> {
    let words: Vec<String> = caps
        .iter()
        .flat_map(|c| {
            c.to_ascii_uppercase()
                .replace('=', " ")
                .split_whitespace()
                .map(String::from)
                .collect::<Vec<_>>()
        })
        .collect();
    let has = |w: &str| words.iter().any(|x| x == w);
    let mut out = Vec::new();
    if plain_login || has("PLAIN") || has("LOGIN") {
        out.push("password-cleartext".to_string());
    }
    if has("CRAM-MD5") || words.iter().any(|w| w.starts_with("SCRAM-")) {
        out.push("password-encrypted".to_string());
    }
    if has("XOAUTH2") || has("OAUTHBEARER") {
        out.push("OAuth2".to_string());
    }
    out
}

/// Connects and reads the capabilities; the auth names on success.
fn probe(p: &Probe, ctx: &Ctx, d: &Deadline) -> Result<Vec<String>, NetError> {
    let trust = Trust {
        ca_file: ctx.opts.ca_file.as_ref().map(|p| p.display().to_string()),
        pinned_sha256: None,
    };
    let setup = TlsSetup::new(&p.host, &trust)?;
    let port = ctx.opts.guess_ports.get(&p.port).copied().unwrap_or(p.port);
    let host = match ctx.opts.dns_server {
        // Through the chosen DNS server; TLS still checks the guessed name.
        Some(server) => match dns::addresses(&[server], &p.host, d) {
            Ok(ips) => ips[0].to_string(),
            Err(e) => {
                return Err(NetError::Dns {
                    host: p.host.clone(),
                    cause: crate::net::DnsCause::Stub(e),
                });
            }
        },
        None => p.host.clone(),
    };
    match p.kind {
        Kind::Incoming(protocol) => {
            let server = IncomingServer {
                protocol,
                host,
                port,
                security: p.security,
                username: String::new(),
                auth: AuthMethod::Password,
                keep_on_server: true,
                pinned_sha256: None,
            };
            if protocol == Protocol::Imap {
                let mut s = ImapSession::connect(&server, &setup, d, &mut NoSteps, None)?;
                let auth = auth_from_caps(&s.capabilities, !s.has("LOGINDISABLED"));
                let _ = s.logout(&mut NoSteps);
                Ok(auth)
            } else {
                let mut s = Pop3Session::connect(&server, &setup, d, &mut NoSteps, None)?;
                let caps = s.capability_list();
                let auth =
                    auth_from_caps(&caps, caps.is_empty() || caps.iter().any(|c| c == "USER"));
                let _ = s.quit(&mut NoSteps);
                Ok(auth)
            }
        }
        Kind::Smtp => {
            let server = SmtpServer {
                host,
                port,
                security: p.security,
                auth_required: true,
                username: String::new(),
                same_password: true,
                pinned_sha256: None,
            };
            let mut s = SmtpSession::connect(&server, &setup, d, &mut NoSteps, None)?;
            let caps: Vec<String> = s
                .capabilities
                .iter()
                .filter(|c| c.to_ascii_uppercase().starts_with("AUTH"))
                .cloned()
                .collect();
            let _ = s.quit(&mut NoSteps);
            Ok(auth_from_caps(&caps, false))
        }
    }
}

pub(crate) fn run(ctx: &Ctx) -> Outcome {
    let list = probes(&ctx.domain);
    // Probes end a little before the run does, so the servers that did
    // answer are reported even when another probe hangs.
    let left = ctx.deadline.left();
    let d = Deadline::after(
        left.saturating_sub((left / 10).max(Duration::from_millis(200))),
        ctx.deadline.cancel_flag(),
    );
    let d = &d;
    let results: Vec<Result<Vec<String>, NetError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = list
            .iter()
            .map(|p| scope.spawn(move || probe(p, ctx, d)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or(Err(NetError::Cancelled)))
            .collect()
    });
    let mut c = Candidate {
        source: Source::Guess,
        origin: format!("*.{}", ctx.domain),
        secure: true,
        incoming: Vec::new(),
        outgoing: Vec::new(),
        provider: None,
        skipped: Vec::new(),
    };
    let (mut found, mut failed) = (Vec::new(), 0usize);
    // Per protocol and port, the first host that answered (probes are in
    // preference order already).
    let mut taken: Vec<(Kind, u16)> = Vec::new();
    for (p, r) in list.iter().zip(results) {
        let Ok(auth) = r else {
            failed += 1;
            continue;
        };
        if taken.contains(&(p.kind, p.port)) {
            continue;
        }
        taken.push((p.kind, p.port));
        let port = ctx.opts.guess_ports.get(&p.port).copied().unwrap_or(p.port);
        found.push(format!("{}:{} ({})", p.host, port, p.security));
        let username = ctx.email.clone();
        match p.kind {
            Kind::Incoming(protocol) => c.incoming.push(IncomingSetting {
                protocol,
                host: p.host.clone(),
                port,
                security: p.security,
                username,
                auth,
            }),
            Kind::Smtp => c.outgoing.push(OutgoingSetting {
                host: p.host.clone(),
                port,
                security: p.security,
                username,
                auth,
            }),
        }
    }
    if found.is_empty() {
        if d.left().is_zero() {
            return Outcome::timeout(SourceDetail::GuessNoTime { probes: list.len() });
        }
        return Outcome::none(SourceDetail::GuessNoTls { probes: failed });
    }
    Outcome::found(
        SourceDetail::Guessed {
            servers: found,
            failed,
            probes: list.len(),
            not_needed: false,
        },
        vec![c],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auth_names_from_capabilities() {
        let caps = |v: &[&str]| {
            v.iter()
                .map(std::string::ToString::to_string)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            auth_from_caps(&caps(&["IMAP4rev1", "AUTH=PLAIN", "AUTH=XOAUTH2"]), false),
            ["password-cleartext", "OAuth2"]
        );
        assert_eq!(
            auth_from_caps(&caps(&["AUTH CRAM-MD5 SCRAM-SHA-256"]), false),
            ["password-encrypted"]
        );
        assert_eq!(
            auth_from_caps(&caps(&["SASL PLAIN"]), false),
            ["password-cleartext"]
        );
        assert!(auth_from_caps(&caps(&[]), false).is_empty());
        assert_eq!(probes("x.test").len(), 14);
    }
}
