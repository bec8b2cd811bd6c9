//! SMTP replies read through one bounded reader: each line at most
//! `MAX_REPLY_LINE` bytes (RFC 5321 says 512; servers are a little
//! longer), at most `MAX_REPLY_LINES` lines per reply, every read within
//! the connection's deadline.

use super::error::{Limit, NetError, Reply, Wire};
use super::stream::Conn;
use super::{Phase, clean_text};

pub const MAX_REPLY_LINE: usize = 4 * 1024;
pub const MAX_REPLY_LINES: usize = 100;

/// A reply: its code and its lines (without the code), cleaned for display.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub code: u16,
    pub lines: Vec<String>,
}

impl Answer {
    pub fn reply(&self) -> Reply {
        Reply::smtp(self.code, &self.lines.join(" "))
    }
}

/// What one reply line says: its code and whether more lines follow.
fn parse_line(line: &str) -> Option<(u16, bool)> {
    let b = line.as_bytes();
    if b.len() < 3 || !b[..3].iter().all(u8::is_ascii_digit) {
        return None;
    }
    let more = match b.get(3) {
        None | Some(b' ') => false,
        Some(b'-') => true,
        Some(_) => return None,
    };
    Some((line[..3].parse().ok()?, more))
}

/// One whole reply. A first line that is not SMTP at the greeting means
/// another protocol answered.
pub fn read_answer(conn: &mut Conn, phase: Phase) -> Result<Answer, NetError> {
    let mut lines = Vec::new();
    loop {
        if lines.len() >= MAX_REPLY_LINES {
            return Err(NetError::TooLarge {
                phase,
                limit: Limit::Lines,
            });
        }
        let line = clean_text(&conn.read_line(phase)?);
        let Some((code, more)) = parse_line(&line) else {
            return Err(if phase == Phase::Greeting && lines.is_empty() {
                NetError::WrongProtocol {
                    expected: Wire::Smtp,
                    found: Wire::of_greeting(&line),
                    greeting: line,
                }
            } else {
                NetError::Protocol {
                    phase,
                    problem: super::Problem::unexpected(&line),
                }
            });
        };
        lines.push(line.get(4..).unwrap_or("").to_string());
        if !more {
            return Ok(Answer { code, lines });
        }
    }
}

/// EHLO lines after the first, as capabilities. An empty `250-AUTH ` line
/// (Dovecot before STARTTLS) becomes the bare keyword `AUTH`.
pub fn ehlo_capabilities(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .skip(1)
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect()
}

/// Whether the EHLO capabilities hold the keyword `word`.
pub fn has_keyword(capabilities: &[String], word: &str) -> bool {
    capabilities.iter().any(|c| {
        c.split([' ', '='])
            .next()
            .is_some_and(|w| w.eq_ignore_ascii_case(word))
    })
}

/// The AUTH mechanisms offered (`AUTH PLAIN LOGIN`, or `AUTH=PLAIN`).
pub fn auth_mechanisms(capabilities: &[String]) -> Vec<String> {
    capabilities
        .iter()
        .filter(|c| c.len() >= 4 && c[..4].eq_ignore_ascii_case("AUTH"))
        .flat_map(|c| c[4..].split([' ', '=']).filter(|m| !m.is_empty()))
        .map(str::to_ascii_uppercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::net::{Deadline, connect_any};
    use std::io::Write;
    use std::net::TcpListener;
    use std::time::Duration;

    /// A server's bytes, read back as replies.
    fn replies_from(bytes: Vec<u8>) -> Conn {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = l.local_addr().unwrap();
        std::thread::spawn(move || {
            let (mut s, _) = l.accept().unwrap();
            let _ = s.write_all(&bytes);
            std::thread::sleep(Duration::from_millis(500));
        });
        let d = Deadline::after(Duration::from_secs(2), None);
        let mut c = Conn::plain(connect_any(&[addr], &d).unwrap(), d);
        c.set_max_line(MAX_REPLY_LINE);
        c
    }

    #[test]
    fn replies_are_bounded() {
        let mut many = b"250-x\r\n".repeat(MAX_REPLY_LINES);
        many.extend_from_slice(b"250 end\r\n");
        let mut c = replies_from(many);
        assert_eq!(
            read_answer(&mut c, Phase::Capabilities),
            Err(NetError::TooLarge {
                phase: Phase::Capabilities,
                limit: Limit::Lines
            })
        );
        let mut long = b"220 ".to_vec();
        long.extend(std::iter::repeat_n(b'x', MAX_REPLY_LINE + 10));
        long.extend_from_slice(b"\r\n");
        let mut c = replies_from(long);
        assert_eq!(
            read_answer(&mut c, Phase::Greeting),
            Err(NetError::TooLarge {
                phase: Phase::Greeting,
                limit: Limit::Line
            })
        );
        let mut ok = b"250-a\r\n".repeat(MAX_REPLY_LINES - 1);
        ok.extend_from_slice(b"250 end\r\n");
        let mut c = replies_from(ok);
        let a = read_answer(&mut c, Phase::Capabilities).unwrap();
        assert_eq!((a.code, a.lines.len()), (250, MAX_REPLY_LINES));
    }

    #[test]
    fn reply_lines() {
        assert_eq!(parse_line("250-PIPELINING"), Some((250, true)));
        assert_eq!(parse_line("250 OK"), Some((250, false)));
        assert_eq!(parse_line("220"), Some((220, false)));
        assert_eq!(parse_line("* OK IMAP"), None);
        assert_eq!(parse_line("250xOK"), None);
    }

    #[test]
    fn ehlo_lines() {
        let lines: Vec<String> = [
            "mail.example.test",
            "PIPELINING",
            "AUTH ",
            "STARTTLS",
            "",
            "SIZE  1000",
            "AUTH=PLAIN login",
        ]
        .map(String::from)
        .to_vec();
        let caps = ehlo_capabilities(&lines);
        assert_eq!(
            caps,
            vec![
                "PIPELINING",
                "AUTH",
                "STARTTLS",
                "SIZE 1000",
                "AUTH=PLAIN login"
            ]
        );
        assert!(has_keyword(&caps, "starttls"));
        assert!(!has_keyword(&caps, "8BITMIME"));
        assert_eq!(auth_mechanisms(&caps), vec!["PLAIN", "LOGIN"]);
    }
}
