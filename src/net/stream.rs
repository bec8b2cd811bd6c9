//! A line-oriented connection (plain or TLS) whose every read and write is
//! bounded by the server's deadline.

use super::cert::CertInfo;
use super::connect::{connect_any, resolve};
use super::error::{Limit, NetError};
use super::timed::TimedTcp;
use super::tls::{TlsSetup, TlsStream};
use super::{Deadline, Phase, StepDetail};
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};

/// The longest line accepted by default (IMAP, POP3); SMTP lowers it.
pub const MAX_LINE: usize = 64 * 1024;
/// The largest IMAP literal read (and dropped): nothing the probe asks for
/// comes near it.
pub const MAX_LITERAL: usize = 1024 * 1024;
/// The most lines in one IMAP or POP3 answer (untagged lines, a CAPA or
/// TOP listing).
pub const MAX_RESPONSE_LINES: usize = 10_000;
/// The most bytes in one IMAP or POP3 answer, literals included.
pub const MAX_RESPONSE_BYTES: usize = 4 * 1024 * 1024;

enum Inner {
    Plain(TimedTcp),
    Tls(Box<TlsStream>),
    Gone,
}

/// A connection to a line-based server. Every read is bounded in size (one
/// line at most `max_line` bytes, a literal at most `MAX_LITERAL`) and in
/// time (the socket timeout is the time left before the deadline, set
/// before each read).
pub struct Conn {
    inner: Inner,
    buf: Vec<u8>,
    deadline: Deadline,
    max_line: usize,
    pub peer: String,
    tap: Option<super::Tap>,
}

impl Conn {
    pub fn plain(tcp: TcpStream, deadline: Deadline) -> Conn {
        let peer = tcp.peer_addr().map(|a| a.to_string()).unwrap_or_default();
        Conn {
            inner: Inner::Plain(TimedTcp::new(tcp, deadline.clone())),
            buf: Vec::new(),
            deadline,
            max_line: MAX_LINE,
            peer,
            tap: None,
        }
    }

    /// Lowers (or raises) the longest line accepted.
    pub fn set_max_line(&mut self, max: usize) {
        self.max_line = max;
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

    /// Our side's address as an SMTP address literal (`[127.0.0.1]`).
    pub fn local_literal(&self) -> String {
        match self.socket().and_then(|s| s.local_addr().ok()) {
            Some(SocketAddr::V4(a)) => format!("[{}]", a.ip()),
            Some(SocketAddr::V6(a)) => format!("[IPv6:{}]", a.ip()),
            None => "[127.0.0.1]".to_string(),
        }
    }

    /// Upgrades to TLS (implicit TLS, or after STARTTLS/STLS). Returns the
    /// protocol version and the certificate. Refuses when the server has
    /// already sent more: those bytes came in clear, and reading them after
    /// the handshake would take them as protected (response injection).
    pub fn start_tls(&mut self, setup: &TlsSetup) -> Result<(String, CertInfo), NetError> {
        if !self.buf.is_empty() {
            if let Some(t) = &self.tap {
                t.note("refused: the server sent data before the TLS handshake");
            }
            return Err(NetError::InjectedBeforeTls);
        }
        let Inner::Plain(timed) = std::mem::replace(&mut self.inner, Inner::Gone) else {
            return Err(NetError::Protocol {
                phase: Phase::Tls,
                problem: super::Problem::AlreadyEncrypted,
            });
        };
        let r = setup.handshake(timed);
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
            Inner::Plain(s) => Some(&s.tcp),
            Inner::Tls(s) => Some(&s.sock.tcp),
            Inner::Gone => None,
        }
    }

    /// Sends bytes. Callers pass commands that may hold a credential, so the
    /// bytes never go into an error.
    pub fn send(&mut self, phase: Phase, bytes: &[u8]) -> Result<(), NetError> {
        if let Some(t) = &self.tap {
            t.sent(phase == Phase::Login, bytes);
        }
        self.deadline.remaining(phase)?;
        let r = match &mut self.inner {
            Inner::Plain(s) => s.write_all(bytes).and_then(|()| s.flush()),
            Inner::Tls(s) => s.write_all(bytes).and_then(|()| s.flush()),
            Inner::Gone => Err(io::ErrorKind::NotConnected.into()),
        };
        r.map_err(|e| NetError::from_io(phase, &e))
    }

    /// Sends bytes not worth a transcript line each (a message body).
    pub fn send_quiet(&mut self, phase: Phase, bytes: &[u8], note: &str) -> Result<(), NetError> {
        let tap = self.tap.take();
        if let Some(t) = &tap {
            t.note(note);
        }
        let r = self.send(phase, bytes);
        self.tap = tap;
        r
    }

    /// More bytes from the server into the buffer (at most 4 KiB).
    fn fill(&mut self, phase: Phase) -> Result<(), NetError> {
        self.deadline.remaining(phase)?;
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
                cause: super::error::IoCause::Closed,
            });
        }
        self.buf.extend_from_slice(&chunk[..n]);
        Ok(())
    }

    /// One line without its CRLF, at most `max_line` bytes.
    pub fn read_line(&mut self, phase: Phase) -> Result<Vec<u8>, NetError> {
        loop {
            if let Some(pos) = self.buf.iter().position(|b| *b == b'\n') {
                if pos > self.max_line {
                    return Err(self.too_large(phase, Limit::Line));
                }
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
            if self.buf.len() > self.max_line {
                return Err(self.too_large(phase, Limit::Line));
            }
            self.fill(phase)?;
        }
    }

    fn too_large(&mut self, phase: Phase, limit: Limit) -> NetError {
        self.buf.clear();
        let err = NetError::TooLarge { phase, limit };
        if let Some(t) = &self.tap {
            t.note(&err.to_string());
        }
        err
    }

    /// Exactly `n` bytes (an IMAP literal), refused above `MAX_LITERAL`
    /// before anything is read or reserved.
    pub fn read_exact(&mut self, phase: Phase, n: usize) -> Result<Vec<u8>, NetError> {
        if n > MAX_LITERAL {
            return Err(self.too_large(phase, Limit::Literal));
        }
        while self.buf.len() < n {
            self.fill(phase)?;
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
        let addresses = addrs.iter().map(|a| a.ip().to_string()).collect();
        Ok((addrs, StepDetail::Addresses { addresses }))
    })
    .inspect_err(|e| note(e.to_string()))?;
    let tcp = super::step(sink, deadline, Phase::Connect, || {
        let tcp = connect_any(&addrs, deadline)?;
        let peer = tcp.peer_addr().map(|a| a.to_string()).unwrap_or_default();
        Ok((tcp, StepDetail::Peer { addr: peer }))
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

/// The TLS step's detail: version, certificate name, pinned or not.
pub fn tls_detail(version: &str, cert: &CertInfo, setup: &TlsSetup) -> StepDetail {
    StepDetail::Tls {
        version: version.to_string(),
        subject: cert.main_name().to_string(),
        pinned: setup.pin.as_deref() == Some(cert.sha256.as_str()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;
    use std::time::{Duration, Instant};

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

    #[test]
    fn oversized_reads_are_refused() {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = l.local_addr().unwrap();
        let t = std::thread::spawn(move || {
            let (mut s, _) = l.accept().unwrap();
            let _ = s.write_all(&vec![b'x'; 300]);
            std::thread::sleep(Duration::from_millis(300));
        });
        let d = Deadline::after(Duration::from_secs(2), None);
        let mut c = Conn::plain(connect_any(&[addr], &d).unwrap(), d);
        c.set_max_line(100);
        assert_eq!(
            c.read_line(Phase::Greeting),
            Err(NetError::TooLarge {
                phase: Phase::Greeting,
                limit: Limit::Line
            })
        );
        assert_eq!(
            c.read_exact(Phase::Search, MAX_LITERAL + 1),
            Err(NetError::TooLarge {
                phase: Phase::Search,
                limit: Limit::Literal
            })
        );
        t.join().unwrap();
    }
}
