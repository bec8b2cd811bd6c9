//! A TCP socket whose every read and write is bounded by the overall
//! deadline: the socket timeout is set from the time left before each call,
//! so a server that trickles one byte at a time cannot stretch the command
//! past its deadline (a fixed per-read timeout restarts after every byte).

use super::Deadline;
use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// Below this, the deadline counts as passed: `SO_RCVTIMEO` rounds up to
/// the kernel's tick, and a zero timeout would mean "wait forever".
const MIN_WAIT: Duration = Duration::from_millis(1);

pub struct TimedTcp {
    pub(crate) tcp: TcpStream,
    deadline: Deadline,
}

impl TimedTcp {
    pub fn new(tcp: TcpStream, deadline: Deadline) -> TimedTcp {
        TimedTcp { tcp, deadline }
    }

    fn left(&self) -> io::Result<Duration> {
        let left = self.deadline.left();
        if left < MIN_WAIT {
            return Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the deadline has passed",
            ));
        }
        Ok(left)
    }
}

impl Read for TimedTcp {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = self.left()?;
        self.tcp.set_read_timeout(Some(left))?;
        self.tcp.read(buf)
    }
}

impl Write for TimedTcp {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let left = self.left()?;
        self.tcp.set_write_timeout(Some(left))?;
        self.tcp.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.tcp.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;
    use std::time::Instant;

    /// One byte every 100 ms: each read succeeds, yet the reads as a whole
    /// stop at the deadline.
    #[test]
    fn trickling_peer_stops_at_the_deadline() {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = l.local_addr().unwrap();
        let server = std::thread::spawn(move || {
            let (mut s, _) = l.accept().unwrap();
            for _ in 0..30 {
                if s.write_all(b"x").is_err() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
        });
        let d = Deadline::after(Duration::from_millis(700), None);
        let mut t = TimedTcp::new(TcpStream::connect(addr).unwrap(), d);
        let start = Instant::now();
        let mut buf = [0u8; 1];
        let err = loop {
            match t.read(&mut buf) {
                Ok(0) => panic!("closed before the deadline"),
                Ok(_) => {}
                Err(e) => break e,
            }
        };
        assert!(matches!(
            err.kind(),
            io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock
        ));
        let took = start.elapsed();
        assert!(took < Duration::from_millis(900), "{took:?}");
        drop(t);
        server.join().unwrap();
    }
}
