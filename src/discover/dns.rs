//! A small DNS stub client for SRV, MX, A and AAAA: one question over UDP
//! (EDNS0, 1232 bytes), TCP when the answer is truncated, every read bounded
//! by the run's deadline. Recursion is the server's job. Hand-written: four
//! record types do not justify an async resolver and its runtime.

use crate::net::Deadline;
use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpStream, UdpSocket};
use std::time::Duration;

pub(crate) const SRV: u16 = 33;
pub(crate) const MX: u16 = 15;
pub(crate) const A: u16 = 1;
pub(crate) const AAAA: u16 = 28;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Record {
    Srv {
        priority: u16,
        weight: u16,
        port: u16,
        target: String,
    },
    Mx {
        preference: u16,
        exchange: String,
    },
    Ip(IpAddr),
}

/// Why a DNS question got no records. `Display` is the English text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DnsError {
    Timeout,
    /// The name cannot be asked (an empty or over-long label).
    BadName(String),
    Malformed,
    /// An answer whose id is not the question's (ignored while waiting).
    OtherQuery,
    ServFail,
    Refused,
    /// Another DNS error code.
    Code(u16),
    /// The socket failed.
    Io(std::io::ErrorKind),
    NoServer,
    NoAddress(String),
}

impl DnsError {
    pub fn localized(&self, lang: crate::i18n::Lang) -> String {
        use crate::i18n::{t, tf};
        match self {
            DnsError::Timeout => t(lang, "discover.dns.timeout").to_string(),
            DnsError::BadName(name) => tf(lang, "discover.dns.bad_name", &[("name", name)]),
            DnsError::Malformed => t(lang, "discover.dns.malformed").to_string(),
            DnsError::OtherQuery => t(lang, "discover.dns.other_query").to_string(),
            DnsError::ServFail => t(lang, "discover.dns.servfail").to_string(),
            DnsError::Refused => t(lang, "discover.dns.refused").to_string(),
            DnsError::Code(code) => tf(lang, "discover.dns.code", &[("code", &code.to_string())]),
            DnsError::Io(kind) => tf(lang, "discover.dns.io", &[("kind", &kind.to_string())]),
            DnsError::NoServer => t(lang, "discover.dns.no_server").to_string(),
            DnsError::NoAddress(host) => tf(lang, "discover.dns.no_address", &[("host", host)]),
        }
    }
}

impl std::fmt::Display for DnsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.localized(crate::i18n::Lang::En))
    }
}

/// The configured server, else the nameservers of /etc/resolv.conf.
pub(crate) fn servers(configured: Option<SocketAddr>) -> Vec<SocketAddr> {
    if let Some(s) = configured {
        return vec![s];
    }
    let text = std::fs::read_to_string("/etc/resolv.conf").unwrap_or_default();
    let mut out: Vec<SocketAddr> = text
        .lines()
        .filter_map(|l| l.trim().strip_prefix("nameserver"))
        .filter_map(|ip| ip.trim().split('%').next()?.parse::<IpAddr>().ok())
        .map(|ip| SocketAddr::new(ip, 53))
        .collect();
    if out.is_empty() {
        out.push(SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 53));
    }
    out
}

fn random_id() -> u16 {
    u16::from_be_bytes(crate::random::bytes::<2>())
}

pub(crate) fn build_query(id: u16, name: &str, qtype: u16) -> Result<Vec<u8>, DnsError> {
    let mut q = Vec::with_capacity(64);
    q.extend_from_slice(&id.to_be_bytes());
    q.extend_from_slice(&[0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 1]);
    for label in name.trim_end_matches('.').split('.') {
        if label.is_empty() || label.len() > 63 {
            return Err(DnsError::BadName(name.to_string()));
        }
        q.push(label.len() as u8);
        q.extend_from_slice(label.as_bytes());
    }
    q.push(0);
    q.extend_from_slice(&qtype.to_be_bytes());
    q.extend_from_slice(&[0, 1]);
    // EDNS0 OPT: UDP answers up to 1232 bytes.
    q.extend_from_slice(&[0, 0, 41, 0x04, 0xd0, 0, 0, 0, 0, 0, 0]);
    Ok(q)
}

struct Parser<'a> {
    msg: &'a [u8],
    pos: usize,
}

impl Parser<'_> {
    fn bad() -> DnsError {
        DnsError::Malformed
    }
    fn u8(&mut self) -> Result<u8, DnsError> {
        let b = *self.msg.get(self.pos).ok_or_else(Self::bad)?;
        self.pos += 1;
        Ok(b)
    }
    fn u16(&mut self) -> Result<u16, DnsError> {
        Ok(u16::from_be_bytes([self.u8()?, self.u8()?]))
    }
    fn skip(&mut self, n: usize) -> Result<(), DnsError> {
        if self.pos + n > self.msg.len() {
            return Err(Self::bad());
        }
        self.pos += n;
        Ok(())
    }
    /// A possibly compressed name, read at the current position.
    fn name(&mut self) -> Result<String, DnsError> {
        let mut labels: Vec<String> = Vec::new();
        let mut at = self.pos;
        let mut jumped = false;
        for _ in 0..128 {
            let len = *self.msg.get(at).ok_or_else(Self::bad)? as usize;
            if len == 0 {
                if !jumped {
                    self.pos = at + 1;
                }
                return Ok(labels.join("."));
            }
            if len & 0xC0 == 0xC0 {
                let lo = *self.msg.get(at + 1).ok_or_else(Self::bad)? as usize;
                if !jumped {
                    self.pos = at + 2;
                }
                jumped = true;
                at = ((len & 0x3F) << 8) | lo;
                continue;
            }
            let label = self.msg.get(at + 1..at + 1 + len).ok_or_else(Self::bad)?;
            labels.push(String::from_utf8_lossy(label).to_ascii_lowercase());
            at += 1 + len;
        }
        Err(Self::bad())
    }
}

/// The records of type `qtype` in an answer to query `id`. NXDOMAIN and
/// "no data" give an empty list.
pub(crate) fn parse_answer(
    msg: &[u8],
    id: u16,
    qtype: u16,
) -> Result<(Vec<Record>, bool), DnsError> {
    let mut p = Parser { msg, pos: 0 };
    if p.u16()? != id {
        return Err(DnsError::OtherQuery);
    }
    let flags = p.u16()?;
    let truncated = flags & 0x0200 != 0;
    let rcode = flags & 0x000F;
    let (qd, an) = (p.u16()?, p.u16()?);
    p.skip(4)?;
    match rcode {
        0 | 3 => {}
        2 => return Err(DnsError::ServFail),
        5 => return Err(DnsError::Refused),
        other => return Err(DnsError::Code(other)),
    }
    for _ in 0..qd {
        p.name()?;
        p.skip(4)?;
    }
    let mut out = Vec::new();
    for _ in 0..an {
        p.name()?;
        let (rtype, _class) = (p.u16()?, p.u16()?);
        p.skip(4)?;
        let len = p.u16()? as usize;
        let end = p.pos + len;
        if end > msg.len() {
            return Err(Parser::bad());
        }
        match (rtype, qtype) {
            (SRV, SRV) => {
                let (priority, weight, port) = (p.u16()?, p.u16()?, p.u16()?);
                out.push(Record::Srv {
                    priority,
                    weight,
                    port,
                    target: p.name()?,
                });
            }
            (MX, MX) => {
                let preference = p.u16()?;
                out.push(Record::Mx {
                    preference,
                    exchange: p.name()?,
                });
            }
            (A, A) if len == 4 => out.push(Record::Ip(IpAddr::V4(Ipv4Addr::new(
                msg[p.pos],
                msg[p.pos + 1],
                msg[p.pos + 2],
                msg[p.pos + 3],
            )))),
            (AAAA, AAAA) if len == 16 => {
                let mut b = [0u8; 16];
                b.copy_from_slice(&msg[p.pos..end]);
                out.push(Record::Ip(IpAddr::V6(Ipv6Addr::from(b))));
            }
            _ => {}
        }
        p.pos = end;
    }
    Ok((out, truncated))
}

fn io_err(e: std::io::Error) -> DnsError {
    match e.kind() {
        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut => DnsError::Timeout,
        kind => DnsError::Io(kind),
    }
}

fn left(deadline: &Deadline) -> Result<Duration, DnsError> {
    let l = deadline.left();
    if l < Duration::from_millis(1) {
        Err(DnsError::Timeout)
    } else {
        Ok(l)
    }
}

fn over_udp(
    server: SocketAddr,
    q: &[u8],
    id: u16,
    qtype: u16,
    deadline: &Deadline,
) -> Result<(Vec<Record>, bool), DnsError> {
    let bind = if server.is_ipv4() {
        SocketAddr::from((std::net::Ipv4Addr::UNSPECIFIED, 0))
    } else {
        SocketAddr::from((std::net::Ipv6Addr::UNSPECIFIED, 0))
    };
    let sock = UdpSocket::bind(bind).map_err(io_err)?;
    sock.connect(server).map_err(io_err)?;
    // Two tries: a lost datagram gets one resend.
    for attempt in 0..2 {
        let wait = if attempt == 0 {
            left(deadline)? / 2
        } else {
            left(deadline)?
        };
        sock.send(q).map_err(io_err)?;
        sock.set_read_timeout(Some(wait.max(Duration::from_millis(1))))
            .map_err(io_err)?;
        let mut buf = [0u8; 4096];
        loop {
            match sock.recv(&mut buf) {
                Ok(n) => match parse_answer(&buf[..n], id, qtype) {
                    Err(DnsError::OtherQuery) => {}
                    r => return r,
                },
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) =>
                {
                    break;
                }
                Err(e) => return Err(io_err(e)),
            }
        }
    }
    Err(DnsError::Timeout)
}

fn over_tcp(
    server: SocketAddr,
    q: &[u8],
    id: u16,
    qtype: u16,
    deadline: &Deadline,
) -> Result<Vec<Record>, DnsError> {
    let mut s = TcpStream::connect_timeout(&server, left(deadline)?).map_err(io_err)?;
    s.set_read_timeout(Some(left(deadline)?)).map_err(io_err)?;
    s.set_write_timeout(Some(left(deadline)?)).map_err(io_err)?;
    let mut framed = (q.len() as u16).to_be_bytes().to_vec();
    framed.extend_from_slice(q);
    s.write_all(&framed).map_err(io_err)?;
    let mut len = [0u8; 2];
    s.read_exact(&mut len).map_err(io_err)?;
    let mut msg = vec![0u8; u16::from_be_bytes(len) as usize];
    s.read_exact(&mut msg).map_err(io_err)?;
    Ok(parse_answer(&msg, id, qtype)?.0)
}

/// Asks the servers in turn until one answers.
pub(crate) fn query(
    servers: &[SocketAddr],
    name: &str,
    qtype: u16,
    deadline: &Deadline,
) -> Result<Vec<Record>, DnsError> {
    let id = random_id();
    let q = build_query(id, name, qtype)?;
    let mut last = DnsError::NoServer;
    for &server in servers {
        match over_udp(server, &q, id, qtype, deadline) {
            Ok((_, true)) => return over_tcp(server, &q, id, qtype, deadline),
            Ok((records, false)) => return Ok(records),
            Err(e) => last = e,
        }
        if deadline.left().is_zero() {
            break;
        }
    }
    Err(last)
}

/// A and AAAA addresses of `host` through these servers.
pub(crate) fn addresses(
    servers: &[SocketAddr],
    host: &str,
    deadline: &Deadline,
) -> Result<Vec<IpAddr>, DnsError> {
    if let Ok(ip) = host.parse::<IpAddr>() {
        return Ok(vec![ip]);
    }
    let mut out = Vec::new();
    let mut last = None;
    for t in [A, AAAA] {
        match query(servers, host, t, deadline) {
            Ok(r) => out.extend(r.into_iter().filter_map(|r| {
                if let Record::Ip(ip) = r {
                    Some(ip)
                } else {
                    None
                }
            })),
            Err(e) => last = Some(e),
        }
    }
    match (out.is_empty(), last) {
        (true, Some(e)) => Err(e),
        (true, None) => Err(DnsError::NoAddress(host.to_string())),
        _ => Ok(out),
    }
}

#[cfg(test)]
#[path = "dns_tests.rs"]
mod tests;
