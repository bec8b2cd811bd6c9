//! Finding and reaching a server: name lookup and TCP connect, both within
//! the deadline.

use super::error::{DnsCause, IoCause, NetError};
use super::{Deadline, Phase};
use serde::{Deserialize, Serialize};
use std::io;
use std::net::{IpAddr, SocketAddr, TcpStream, ToSocketAddrs};
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{OnceLock, mpsc};
use std::time::Duration;

/// An address family (`--ipv4` / `--ipv6`, and the doctor's per-family probes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Family {
    Ipv4,
    Ipv6,
}

impl Family {
    pub fn of(addr: &SocketAddr) -> Family {
        if addr.is_ipv6() {
            Family::Ipv6
        } else {
            Family::Ipv4
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Family::Ipv4 => "IPv4",
            Family::Ipv6 => "IPv6",
        }
    }
}

/// 0: any family; 4 or 6: only that one, for the whole process (the CLI's
/// `--ipv4` / `--ipv6`, set once before any connection).
static FORCED: AtomicU8 = AtomicU8::new(0);

/// Makes every later `resolve` keep only `family`'s addresses (None: all).
pub fn force_family(family: Option<Family>) {
    let v = match family {
        None => 0,
        Some(Family::Ipv4) => 4,
        Some(Family::Ipv6) => 6,
    };
    FORCED.store(v, Ordering::Relaxed);
}

pub fn forced_family() -> Option<Family> {
    match FORCED.load(Ordering::Relaxed) {
        4 => Some(Family::Ipv4),
        6 => Some(Family::Ipv6),
        _ => None,
    }
}

/// The DNS server the face was told to use (`$MAILWIZ_DNS_SERVER`,
/// `IP:PORT`, for tests): then every server name is resolved (A and AAAA)
/// through mailwiz's own stub client instead of the system resolver.
static DNS_SERVER: OnceLock<SocketAddr> = OnceLock::new();

/// Records, once at start-up, the DNS server every later `resolve` asks
/// (the face reads it from the environment; the core reads none).
pub fn use_dns_server(server: SocketAddr) {
    let _ = DNS_SERVER.set(server);
}

/// Resolves `host` within the deadline (the lookup runs on a helper thread,
/// since the system resolver has no timeout of its own), keeping only the
/// forced family's addresses when one is forced.
pub fn resolve(host: &str, port: u16, deadline: &Deadline) -> Result<Vec<SocketAddr>, NetError> {
    let host = host.trim().trim_end_matches('.').to_string();
    let addrs = resolve_any(&host, port, deadline)?;
    let Some(family) = forced_family() else {
        return Ok(addrs);
    };
    let kept: Vec<SocketAddr> = addrs
        .into_iter()
        .filter(|a| Family::of(a) == family)
        .collect();
    if kept.is_empty() {
        return Err(NetError::Dns {
            host,
            cause: DnsCause::NoFamilyAddress(family),
        });
    }
    Ok(kept)
}

fn resolve_any(host: &str, port: u16, deadline: &Deadline) -> Result<Vec<SocketAddr>, NetError> {
    if let Ok(ip) = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<IpAddr>()
    {
        return Ok(vec![SocketAddr::new(ip, port)]);
    }
    if let Some(&server) = DNS_SERVER.get() {
        return match crate::discover::dns::addresses(&[server], host, deadline) {
            Ok(ips) if !ips.is_empty() => Ok(ips
                .into_iter()
                .map(|ip| SocketAddr::new(ip, port))
                .collect()),
            Ok(_) => Err(NetError::Dns {
                host: host.to_string(),
                cause: DnsCause::NoAddress,
            }),
            Err(e) => Err(NetError::Dns {
                host: host.to_string(),
                cause: DnsCause::Stub(e),
            }),
        };
    }
    let host = host.to_string();
    let (tx, rx) = mpsc::channel();
    let h = host.clone();
    std::thread::Builder::new()
        .name("mailwiz-dns".into())
        .spawn(move || {
            let _ = tx.send(
                (h.as_str(), port)
                    .to_socket_addrs()
                    .map(std::iter::Iterator::collect::<Vec<_>>),
            );
        })
        .map_err(|e| NetError::Io {
            phase: Phase::Resolve,
            cause: IoCause::of(&e),
        })?;
    match rx.recv_timeout(deadline.remaining(Phase::Resolve)?) {
        Ok(Ok(addrs)) if !addrs.is_empty() => Ok(addrs),
        Ok(Ok(_)) => Err(NetError::Dns {
            host,
            cause: DnsCause::NoAddress,
        }),
        Ok(Err(e)) => Err(NetError::Dns {
            host,
            cause: DnsCause::failed(&e.to_string()),
        }),
        Err(_) => Err(NetError::Timeout {
            phase: Phase::Resolve,
        }),
    }
}

/// RFC 8305's "Connection Attempt Delay": the next address is tried this
/// long after the previous one started, without waiting for it to fail.
pub const ATTEMPT_DELAY: Duration = Duration::from_millis(250);

/// Addresses in RFC 8305 order: the families interleaved, IPv6 first when
/// there is one.
fn interleaved(addrs: &[SocketAddr]) -> Vec<SocketAddr> {
    let (v6, v4): (Vec<SocketAddr>, Vec<SocketAddr>) = addrs.iter().partition(|a| a.is_ipv6());
    let mut out = Vec::with_capacity(addrs.len());
    let (mut a, mut b) = (v6.into_iter(), v4.into_iter());
    loop {
        match (a.next(), b.next()) {
            (None, None) => return out,
            (x, y) => out.extend(x.into_iter().chain(y)),
        }
    }
}

/// Connects to the first address that answers (Happy Eyeballs, RFC 8305):
/// attempts start `ATTEMPT_DELAY` apart (at once after a failure), in
/// interleaved family order, and the first to connect wins, so a dead IPv6
/// route costs 250 ms instead of the whole deadline. An attempt still
/// pending when another wins ends at the deadline on its own thread.
pub fn connect_any(addrs: &[SocketAddr], deadline: &Deadline) -> Result<TcpStream, NetError> {
    let order = interleaved(addrs);
    let mut last = NetError::Dns {
        host: String::new(),
        cause: DnsCause::NoAddress,
    };
    let (tx, rx) = mpsc::channel();
    let (mut started, mut failed) = (0, 0);
    while failed < order.len() {
        if started < order.len() {
            let addr = order[started];
            let left = deadline.remaining(Phase::Connect)?;
            let tx = tx.clone();
            std::thread::Builder::new()
                .name("mailwiz-connect".into())
                .spawn(move || {
                    let _ = tx.send((addr, TcpStream::connect_timeout(&addr, left)));
                })
                .map_err(|e| NetError::Io {
                    phase: Phase::Connect,
                    cause: IoCause::of(&e),
                })?;
            started += 1;
        }
        let left = deadline.remaining(Phase::Connect)?;
        let wait = if started < order.len() {
            ATTEMPT_DELAY.min(left)
        } else {
            left
        };
        match rx.recv_timeout(wait) {
            Ok((_, Ok(s))) => {
                let _ = s.set_nodelay(true);
                return Ok(s);
            }
            Ok((addr, Err(e))) => {
                failed += 1;
                last = connect_error(addr, &e);
            }
            Err(mpsc::RecvTimeoutError::Timeout) if started < order.len() => {}
            Err(_) => {
                return Err(NetError::Timeout {
                    phase: Phase::Connect,
                });
            }
        }
    }
    Err(last)
}

pub fn connect_error(addr: SocketAddr, e: &io::Error) -> NetError {
    match e.kind() {
        io::ErrorKind::ConnectionRefused => NetError::Refused {
            addr: addr.to_string(),
        },
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => NetError::Timeout {
            phase: Phase::Connect,
        },
        _ => NetError::Unreachable {
            addr: addr.to_string(),
            cause: IoCause::of(e),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ip_literals_need_no_lookup() {
        let d = Deadline::after(Duration::from_secs(1), None);
        assert_eq!(
            resolve("127.0.0.2", 143, &d).unwrap(),
            vec!["127.0.0.2:143".parse().unwrap()]
        );
    }

    #[test]
    fn families_are_interleaved_ipv6_first() {
        let a = |s: &str| s.parse::<SocketAddr>().unwrap();
        let addrs = [a("192.0.2.1:1"), a("192.0.2.2:1"), a("[2001:db8::1]:1")];
        assert_eq!(
            interleaved(&addrs),
            vec![a("[2001:db8::1]:1"), a("192.0.2.1:1"), a("192.0.2.2:1")]
        );
        assert!(interleaved(&[]).is_empty());
    }
}
