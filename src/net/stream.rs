//! A line-oriented connection (plain or TLS) whose every read and write is
//! bounded by the server's deadline.

use super::cert::CertInfo;
use super::error::NetError;
use super::tls::{TlsSetup, TlsStream};
use super::{Deadline, Phase};
use std::io::{self, Read, Write};
use std::net::{IpAddr, SocketAddr, TcpStream, ToSocketAddrs};
use std::sync::mpsc;

const MAX_LINE: usize = 64 * 1024;

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

enum Inner {
    Plain(TcpStream),
    Tls(Box<TlsStream>),
    Gone,
}

/// A connection to a line-based server (IMAP, POP3).
pub struct Conn {
    inner: Inner,
    buf: Vec<u8>,
    deadline: Deadline,
    pub peer: String,
    tap: Option<super::Tap>,
}

impl Conn {
    pub fn plain(tcp: TcpStream, deadline: Deadline) -> Conn {
        let peer = tcp.peer_addr().map(|a| a.to_string()).unwrap_or_default();
        Conn {
            inner: Inner::Plain(tcp),
            buf: Vec::new(),
            deadline,
            peer,
            tap: None,
        }
    }

    /// Records every line of this connection (credentials redacted).
    pub fn set_tap(&mut self, tap: Option<super::Tap>) {
        if let Some(t) = &tap {
            t.note(&format!("connected to {}", self.peer));
        }
        self.tap = tap;
    }

    pub fn tap(&self) -> Option<&super::Tap> {
        self.tap.as_ref()
    }

    pub fn deadline(&self) -> &Deadline {
        &self.deadline
    }

    pub fn is_tls(&self) -> bool {
        matches!(self.inner, Inner::Tls(_))
    }

    /// Upgrades to TLS (implicit TLS, or after STARTTLS/STLS). Returns the
    /// protocol version and the certificate.
    pub fn start_tls(&mut self, setup: &TlsSetup) -> Result<(String, CertInfo), NetError> {
        if !self.buf.is_empty() {
            // Bytes sent before the handshake would be treated as protected.
            return Err(NetError::Protocol {
                phase: Phase::Tls,
                detail: "the server sent data before the TLS handshake".into(),
            });
        }
        let Inner::Plain(tcp) = std::mem::replace(&mut self.inner, Inner::Gone) else {
            return Err(NetError::Protocol {
                phase: Phase::Tls,
                detail: "already encrypted".into(),
            });
        };
        let r = setup.handshake(tcp, &self.deadline);
        if let Some(t) = &self.tap {
            match &r {
                Ok((_, version, cert)) => t.note(&format!(
                    "{version} established, certificate for {} (SHA-256 {})",
                    cert.main_name(),
                    cert.sha256
                )),
                Err(e) => t.note(&format!("TLS failed: {e}")),
            }
        }
        let (tls, version, cert) = r?;
        self.inner = Inner::Tls(Box::new(tls));
        Ok((version, cert))
    }

    fn socket(&self) -> Option<&TcpStream> {
        match &self.inner {
            Inner::Plain(s) => Some(s),
            Inner::Tls(s) => Some(&s.sock),
            Inner::Gone => None,
        }
    }

    fn arm(&self, phase: Phase) -> Result<(), NetError> {
        let left = self.deadline.remaining(phase)?;
        let sock = self.socket().ok_or(NetError::Io {
            phase,
            detail: "connection closed".into(),
        })?;
        sock.set_read_timeout(Some(left))
            .map_err(|e| NetError::from_io(phase, &e))?;
        sock.set_write_timeout(Some(left))
            .map_err(|e| NetError::from_io(phase, &e))
    }

    /// Sends bytes. Callers pass commands that may hold a credential, so the
    /// bytes never go into an error.
    pub fn send(&mut self, phase: Phase, bytes: &[u8]) -> Result<(), NetError> {
        if let Some(t) = &self.tap {
            t.sent(phase == Phase::Login, bytes);
        }
        self.arm(phase)?;
        let r = match &mut self.inner {
            Inner::Plain(s) => s.write_all(bytes).and_then(|_| s.flush()),
            Inner::Tls(s) => s.write_all(bytes).and_then(|_| s.flush()),
            Inner::Gone => Err(io::ErrorKind::NotConnected.into()),
        };
        r.map_err(|e| NetError::from_io(phase, &e))
    }

    /// One line without its CRLF.
    pub fn read_line(&mut self, phase: Phase) -> Result<Vec<u8>, NetError> {
        loop {
            if let Some(pos) = self.buf.iter().position(|b| *b == b'\n') {
                let mut line: Vec<u8> = self.buf.drain(..=pos).collect();
                line.pop();
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
                if let Some(t) = &self.tap {
                    t.received(&line);
                }
                return Ok(line);
            }
            if self.buf.len() > MAX_LINE {
                return Err(NetError::Protocol {
                    phase,
                    detail: "line too long".into(),
                });
            }
            self.arm(phase)?;
            let mut chunk = [0u8; 4096];
            let n = match &mut self.inner {
                Inner::Plain(s) => s.read(&mut chunk),
                Inner::Tls(s) => s.read(&mut chunk),
                Inner::Gone => Err(io::ErrorKind::NotConnected.into()),
            }
            .map_err(|e| {
                let err = NetError::from_io(phase, &e);
                if let Some(t) = &self.tap {
                    t.note(&err.to_string());
                }
                err
            })?;
            if n == 0 {
                if let Some(t) = &self.tap {
                    t.note("the server closed the connection");
                }
                return Err(NetError::Io {
                    phase,
                    detail: "the server closed the connection".into(),
                });
            }
            self.buf.extend_from_slice(&chunk[..n]);
        }
    }

    /// Exactly `n` bytes (an IMAP literal).
    pub fn read_exact(&mut self, phase: Phase, n: usize) -> Result<Vec<u8>, NetError> {
        while self.buf.len() < n {
            self.arm(phase)?;
            let mut chunk = [0u8; 4096];
            let got = match &mut self.inner {
                Inner::Plain(s) => s.read(&mut chunk),
                Inner::Tls(s) => s.read(&mut chunk),
                Inner::Gone => Err(io::ErrorKind::NotConnected.into()),
            }
            .map_err(|e| NetError::from_io(phase, &e))?;
            if got == 0 {
                return Err(NetError::Io {
                    phase,
                    detail: "the server closed the connection".into(),
                });
            }
            self.buf.extend_from_slice(&chunk[..got]);
        }
        Ok(self.buf.drain(..n).collect())
    }

    pub fn shutdown(&mut self) {
        if let Some(s) = self.socket() {
            let _ = s.shutdown(std::net::Shutdown::Both);
        }
    }
}

/// What an opened connection knows about its TLS layer.
pub struct Opened {
    pub conn: Conn,
    pub cert: Option<CertInfo>,
}

/// Resolve, connect and (for implicit TLS) handshake, one step each,
/// recording the dialogue in `tap` when given.
pub fn open_traced(
    host: &str,
    port: u16,
    implicit_tls: bool,
    setup: &TlsSetup,
    deadline: &Deadline,
    sink: &mut dyn super::StepSink,
    tap: Option<super::Tap>,
) -> Result<Opened, NetError> {
    let note = |text: String| {
        if let Some(t) = &tap {
            t.note(&text);
        }
    };
    note(format!("resolving {host}"));
    let addrs = super::step(sink, deadline, Phase::Resolve, || {
        let addrs = resolve(host, port, deadline)?;
        let shown: Vec<String> = addrs.iter().map(|a| a.ip().to_string()).collect();
        Ok((addrs, shown.join(", ")))
    })
    .inspect_err(|e| note(e.to_string()))?;
    let tcp = super::step(sink, deadline, Phase::Connect, || {
        let tcp = connect_any(&addrs, deadline)?;
        let peer = tcp.peer_addr().map(|a| a.to_string()).unwrap_or_default();
        Ok((tcp, peer))
    })
    .inspect_err(|e| note(e.to_string()))?;
    let mut conn = Conn::plain(tcp, deadline.clone());
    conn.set_tap(tap);
    let mut cert = None;
    if implicit_tls {
        cert = Some(tls_step(&mut conn, setup, sink)?);
    }
    Ok(Opened { conn, cert })
}

/// The TLS handshake as a step: "TLS 1.3, certificate for mail.example.test".
pub fn tls_step(
    conn: &mut Conn,
    setup: &TlsSetup,
    sink: &mut dyn super::StepSink,
) -> Result<CertInfo, NetError> {
    let deadline = conn.deadline().clone();
    super::step(sink, &deadline, Phase::Tls, || {
        let (version, cert) = conn.start_tls(setup)?;
        let detail = tls_detail(&version, &cert, setup);
        Ok((cert, detail))
    })
}

pub fn tls_detail(version: &str, cert: &CertInfo, setup: &TlsSetup) -> String {
    let pinned = if setup.pin.as_deref() == Some(cert.sha256.as_str()) {
        " (pinned)"
    } else {
        ""
    };
    format!("{version}, certificate for {}{pinned}", cert.main_name())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;
    use std::time::{Duration, Instant};

    #[test]
    fn ip_literals_need_no_lookup() {
        let d = Deadline::after(Duration::from_secs(1), None);
        assert_eq!(
            resolve("127.0.0.2", 143, &d).unwrap(),
            vec!["127.0.0.2:143".parse().unwrap()]
        );
    }

    #[test]
    fn silent_server_times_out_within_deadline() {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = l.local_addr().unwrap();
        let d = Deadline::after(Duration::from_millis(300), None);
        let start = Instant::now();
        let tcp = connect_any(&[addr], &d).unwrap();
        let mut c = Conn::plain(tcp, d);
        assert_eq!(
            c.read_line(Phase::Greeting),
            Err(NetError::Timeout {
                phase: Phase::Greeting
            })
        );
        assert!(start.elapsed() < Duration::from_millis(800));
    }

    #[test]
    fn lines_are_split() {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = l.local_addr().unwrap();
        let t = std::thread::spawn(move || {
            let (mut s, _) = l.accept().unwrap();
            s.write_all(b"* OK hi\r\nbare\nabc").unwrap();
        });
        let d = Deadline::after(Duration::from_secs(2), None);
        let mut c = Conn::plain(connect_any(&[addr], &d).unwrap(), d);
        assert_eq!(c.read_line(Phase::Greeting).unwrap(), b"* OK hi");
        assert_eq!(c.read_line(Phase::Greeting).unwrap(), b"bare");
        assert_eq!(c.read_exact(Phase::Greeting, 3).unwrap(), b"abc");
        t.join().unwrap();
        assert!(matches!(
            c.read_line(Phase::Greeting),
            Err(NetError::Io { .. })
        ));
    }
}
