//! Reading one HTTP request on the loopback redirect listener, bounded in
//! size, in lines and in time: whatever connects to 127.0.0.1 (any local
//! process, any web page the browser shows) is untrusted. The deadline is
//! the whole request's, not a per-read timeout that restarts after each
//! byte, so a client dripping one byte a second is cut off.

use std::io::Read;
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// The request line and headers together (browsers send well under 8 KiB).
pub(crate) const MAX_REQUEST_BYTES: usize = 16 * 1024;
/// Header lines after the request line.
pub(crate) const MAX_HEADER_LINES: usize = 100;
/// How long one connection may take to send its request.
pub(crate) const PER_REQUEST: Duration = Duration::from_secs(3);

/// Why a request was not read.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum RequestError {
    /// Longer than [`MAX_REQUEST_BYTES`] or [`MAX_HEADER_LINES`].
    TooLarge,
    /// Not complete before its deadline.
    TooSlow,
    /// Closed early, or a read failed.
    Broken,
}

/// Reads up to the end of the headers (an empty line), before `deadline`;
/// returns the request line. The body, if any, is not read.
pub(crate) fn read_request_line(
    stream: &mut TcpStream,
    deadline: Instant,
) -> Result<String, RequestError> {
    stream
        .set_nonblocking(false)
        .map_err(|_| RequestError::Broken)?;
    let mut buf: Vec<u8> = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    loop {
        if let Some(end) = headers_end(&buf) {
            let head = String::from_utf8_lossy(&buf[..end]);
            if head.split('\n').count() > MAX_HEADER_LINES + 1 {
                return Err(RequestError::TooLarge);
            }
            return Ok(head.split('\n').next().unwrap_or("").trim_end().to_string());
        }
        if buf.len() >= MAX_REQUEST_BYTES
            || buf.iter().filter(|b| **b == b'\n').count() > MAX_HEADER_LINES + 1
        {
            return Err(RequestError::TooLarge);
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(RequestError::TooSlow);
        }
        stream
            .set_read_timeout(Some(left))
            .map_err(|_| RequestError::Broken)?;
        let room = (MAX_REQUEST_BYTES - buf.len()).min(chunk.len());
        match stream.read(&mut chunk[..room]) {
            Ok(0) => return Err(RequestError::Broken),
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                return Err(RequestError::TooSlow);
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return Err(RequestError::Broken),
        }
    }
}

/// The index where the headers end (`\r\n\r\n` or `\n\n`), if they do.
fn headers_end(buf: &[u8]) -> Option<usize> {
    let crlf = buf.windows(4).position(|w| w == b"\r\n\r\n");
    let lf = buf.windows(2).position(|w| w == b"\n\n");
    match (crlf, lf) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Writes a short answer; errors are ignored (the client may be gone),
/// and a client that does not read cannot hold the listener past `deadline`.
pub(crate) fn respond(stream: &mut TcpStream, status: &str, html: &str, deadline: Instant) {
    use std::io::Write;
    let left = deadline
        .saturating_duration_since(Instant::now())
        .max(Duration::from_millis(10));
    let _ = stream.set_write_timeout(Some(left));
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{html}",
        html.len()
    );
    let _ = stream.flush();
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::net::TcpListener;

    fn pair() -> (TcpStream, TcpStream) {
        let l = TcpListener::bind(("127.0.0.1", 0)).unwrap();
        let c = TcpStream::connect(l.local_addr().unwrap()).unwrap();
        let (s, _) = l.accept().unwrap();
        (c, s)
    }

    #[test]
    fn reads_the_request_line() {
        let (mut c, mut s) = pair();
        c.write_all(b"GET /?code=x&state=y HTTP/1.1\r\nHost: a\r\n\r\n")
            .unwrap();
        let line = read_request_line(&mut s, Instant::now() + Duration::from_secs(2)).unwrap();
        assert_eq!(line, "GET /?code=x&state=y HTTP/1.1");
    }

    #[test]
    fn an_endless_line_is_cut_at_the_cap() {
        let (mut c, mut s) = pair();
        let writer = std::thread::spawn(move || {
            let junk = vec![b'a'; 4096];
            while c.write_all(&junk).is_ok() {}
        });
        let e = read_request_line(&mut s, Instant::now() + Duration::from_secs(5));
        assert_eq!(e, Err(RequestError::TooLarge));
        drop(s);
        writer.join().unwrap();
    }

    #[test]
    fn too_many_header_lines_are_refused() {
        let (mut c, mut s) = pair();
        let mut req = b"GET / HTTP/1.1\r\n".to_vec();
        for _ in 0..(MAX_HEADER_LINES + 5) {
            req.extend_from_slice(b"X: y\r\n");
        }
        req.extend_from_slice(b"\r\n");
        c.write_all(&req).unwrap();
        let e = read_request_line(&mut s, Instant::now() + Duration::from_secs(2));
        assert_eq!(e, Err(RequestError::TooLarge));
    }

    #[test]
    fn a_dripping_client_is_cut_at_the_deadline() {
        let (mut c, mut s) = pair();
        let writer = std::thread::spawn(move || {
            for _ in 0..30 {
                if c.write_all(b"G").is_err() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
        });
        let start = Instant::now();
        let e = read_request_line(&mut s, start + Duration::from_millis(500));
        assert_eq!(e, Err(RequestError::TooSlow));
        assert!(
            start.elapsed() < Duration::from_millis(800),
            "{:?}",
            start.elapsed()
        );
        drop(s);
        writer.join().unwrap();
    }
}
