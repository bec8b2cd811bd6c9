//! Finding and reaching a server: name lookup and TCP connect, both within
//! the deadline.

use super::error::NetError;
use super::{Deadline, Phase};
use std::io;
use std::net::{IpAddr, SocketAddr, TcpStream, ToSocketAddrs};
use std::sync::mpsc;

/// Resolves `host` within the deadline (the lookup runs on a helper thread,
/// since the system resolver has no timeout of its own).
pub fn resolve(host: &str, port: u16, deadline: &Deadline) -> Result<Vec<SocketAddr>, NetError> {
    let host = host.trim().trim_end_matches('.').to_string();
    if let Ok(ip) = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<IpAddr>()
    {
        return Ok(vec![SocketAddr::new(ip, port)]);
    }
    let (tx, rx) = mpsc::channel();
    let h = host.clone();
    std::thread::Builder::new()
        .name("mailwiz-dns".into())
        .spawn(move || {
            let _ = tx.send(
                (h.as_str(), port)
                    .to_socket_addrs()
                    .map(|a| a.collect::<Vec<_>>()),
            );
        })
        .map_err(|e| NetError::Io {
            phase: Phase::Resolve,
            detail: e.to_string(),
        })?;
    match rx.recv_timeout(deadline.remaining(Phase::Resolve)?) {
        Ok(Ok(addrs)) if !addrs.is_empty() => Ok(addrs),
        Ok(Ok(_)) => Err(NetError::Dns {
            host,
            detail: "no address".into(),
        }),
        Ok(Err(e)) => Err(NetError::Dns {
            host,
            detail: e.to_string(),
        }),
        Err(_) => Err(NetError::Timeout {
            phase: Phase::Resolve,
        }),
    }
}

/// Connects to the first address that answers.
pub fn connect_any(addrs: &[SocketAddr], deadline: &Deadline) -> Result<TcpStream, NetError> {
    let mut last = NetError::Dns {
        host: String::new(),
        detail: "no address".into(),
    };
    for addr in addrs {
        let left = deadline.remaining(Phase::Connect)?;
        match TcpStream::connect_timeout(addr, left) {
            Ok(s) => {
                let _ = s.set_nodelay(true);
                return Ok(s);
            }
            Err(e) => last = connect_error(*addr, &e),
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
            detail: e.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn ip_literals_need_no_lookup() {
        let d = Deadline::after(Duration::from_secs(1), None);
        assert_eq!(
            resolve("127.0.0.2", 143, &d).unwrap(),
            vec!["127.0.0.2:143".parse().unwrap()]
        );
    }
}
