//! DNS SRV records (RFC 6186), implicit TLS first (RFC 8314). Unsigned
//! DNS: the answer is not authenticated.

use super::dns::{self, Record};
use super::run::{Ctx, Outcome};
use super::{Candidate, Failure, IncomingSetting, OutgoingSetting, Source, SourceDetail, Why};
use crate::account::{Protocol, Security};

/// (service, protocol or None for submission, security).
type Service = (&'static str, Option<Protocol>, Security);

/// Every service, in preference order.
const SERVICES: [Service; 6] = [
    ("_submissions", None, Security::Tls),
    ("_submission", None, Security::Starttls),
    ("_imaps", Some(Protocol::Imap), Security::Tls),
    ("_imap", Some(Protocol::Imap), Security::Starttls),
    ("_pop3s", Some(Protocol::Pop3), Security::Tls),
    ("_pop3", Some(Protocol::Pop3), Security::Starttls),
];

/// Usable targets, best first: priority ascending, weight descending; a
/// target of "." means the service is not offered.
pub(crate) fn order(records: Vec<Record>) -> Vec<(String, u16)> {
    let mut srv: Vec<(u16, u16, String, u16)> = records
        .into_iter()
        .filter_map(|r| match r {
            Record::Srv {
                priority,
                weight,
                port,
                target,
            } => Some((priority, weight, target, port)),
            _ => None,
        })
        .collect();
    srv.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    srv.into_iter()
        .filter(|(_, _, target, port)| !target.is_empty() && target != "." && *port != 0)
        .map(|(_, _, t, p)| (t.trim_end_matches('.').to_string(), p))
        .collect()
}

/// Every service's SRV query at once; a query whose thread died is an
/// answer without a server.
fn ask_every_service(ctx: &Ctx) -> Vec<Result<Vec<Record>, dns::DnsError>> {
    let servers = dns::servers(ctx.opts.dns_server);
    std::thread::scope(|scope| {
        let handles: Vec<_> = SERVICES
            .iter()
            .map(|(svc, _, _)| {
                let name = format!("{svc}._tcp.{}", ctx.domain);
                let servers = &servers;
                scope.spawn(move || dns::query(servers, &name, dns::SRV, &ctx.deadline))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or(Err(dns::DnsError::NoServer)))
            .collect()
    })
}

/// One target as a server of the candidate: incoming for IMAP and POP3,
/// outgoing for submission (`protocol` None).
fn add_server(c: &mut Candidate, service: &Service, target: (String, u16), username: String) {
    let (_, protocol, security) = *service;
    let (host, port) = target;
    match protocol {
        Some(protocol) => c.incoming.push(IncomingSetting {
            protocol,
            host,
            port,
            security,
            username,
            auth: Vec::new(),
        }),
        None => c.outgoing.push(OutgoingSetting {
            host,
            port,
            security,
            username,
            auth: Vec::new(),
        }),
    }
}

pub(crate) fn run(ctx: &Ctx) -> Outcome {
    let answers = ask_every_service(ctx);
    let mut c = Candidate {
        source: Source::Srv,
        origin: String::new(),
        secure: false,
        incoming: Vec::new(),
        outgoing: Vec::new(),
        provider: None,
        skipped: Vec::new(),
    };
    let (mut found, mut errors, mut timeouts) = (Vec::new(), Vec::new(), 0);
    let mut owners: Vec<String> = Vec::new();
    for (service, answer) in SERVICES.iter().zip(answers) {
        let name = format!("{}._tcp.{}", service.0, ctx.domain);
        let targets = match answer {
            Ok(r) => order(r),
            Err(dns::DnsError::Timeout) => {
                timeouts += 1;
                continue;
            }
            Err(e) => {
                errors.push(Failure {
                    at: name.clone(),
                    why: Why::Dns(e),
                });
                continue;
            }
        };
        if !targets.is_empty() {
            owners.push(name.clone());
        }
        for (host, port) in targets {
            found.push(format!("{name} → {host}:{port}"));
            add_server(&mut c, service, (host, port), ctx.email.clone());
        }
    }
    // Incoming: IMAP before POP3, each implicit TLS first (already in order).
    c.incoming.sort_by_key(|s| s.protocol == Protocol::Pop3);
    if !found.is_empty() {
        c.origin = owners.join(", ");
        return Outcome::found(SourceDetail::Srv { records: found }, vec![c]);
    }
    if timeouts == SERVICES.len() {
        Outcome::timeout(SourceDetail::NoDnsAnswer)
    } else if errors.len() + timeouts == SERVICES.len() {
        Outcome::error(SourceDetail::Failed { failures: errors })
    } else {
        Outcome::none(SourceDetail::NoSrv {
            domain: ctx.domain.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn srv_order_and_dot() {
        let r = |priority, weight, target: &str| Record::Srv {
            priority,
            weight,
            port: 993,
            target: target.into(),
        };
        let got = order(vec![
            r(10, 5, "b.test"),
            r(0, 1, "a.test"),
            r(10, 50, "c.test"),
            r(0, 0, "."),
        ]);
        assert_eq!(
            got.iter().map(|(h, _)| h.as_str()).collect::<Vec<_>>(),
            ["a.test", "c.test", "b.test"]
        );
        assert!(order(vec![r(0, 0, "")]).is_empty());
    }
}
