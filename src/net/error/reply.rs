//! What a server said (`Reply`) and which protocol it speaks (`Wire`).

use serde::Serialize;
use std::fmt;

/// A server's answer: SMTP code and enhanced status when there is one, and
/// the text (IMAP: the tagged line without the tag; POP3: the `-ERR` line).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Reply {
    pub code: Option<u16>,
    pub enhanced: Option<String>,
    pub text: String,
}

impl Reply {
    pub fn text(text: impl Into<String>) -> Self {
        Reply {
            code: None,
            enhanced: None,
            text: text.into(),
        }
    }

    /// From an SMTP code and its text, taking a leading `x.y.z` as the
    /// enhanced status code.
    pub fn smtp(code: u16, text: &str) -> Self {
        let text = text.trim();
        let first = text.split_whitespace().next().unwrap_or("");
        let is_enhanced = {
            let parts: Vec<&str> = first.split('.').collect();
            parts.len() == 3
                && matches!(parts[0], "2" | "4" | "5")
                && parts
                    .iter()
                    .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
        };
        Reply {
            code: Some(code),
            enhanced: is_enhanced.then(|| first.to_string()),
            text: text.to_string(),
        }
    }

    /// An IMAP response code such as `AUTHENTICATIONFAILED` in `NO [..] text`.
    pub fn imap_code(&self) -> Option<&str> {
        let rest = self.text.split_once('[')?.1;
        let code = rest.split([']', ' ']).next()?;
        (!code.is_empty()).then_some(code)
    }
}

impl fmt::Display for Reply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.code {
            Some(code) => write!(f, "{code} {}", self.text),
            None => f.write_str(&self.text),
        }
    }
}

/// Which protocol a server speaks, as told by its first line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Wire {
    Imap,
    Pop3,
    Smtp,
    Http,
    Unknown,
}

impl Wire {
    /// Guesses from a greeting line.
    pub fn of_greeting(text: &str) -> Wire {
        if text.starts_with("+OK") || text.starts_with("-ERR") {
            Wire::Pop3
        } else if text.starts_with("* ") {
            Wire::Imap
        } else if text.len() >= 3 && text.as_bytes()[..3].iter().all(u8::is_ascii_digit) {
            Wire::Smtp
        } else if text.starts_with("HTTP/") || text.starts_with('<') {
            Wire::Http
        } else {
            Wire::Unknown
        }
    }

    /// The protocol's usual name ("POP3"); `?` when unknown.
    pub fn name(self) -> &'static str {
        match self {
            Wire::Imap => "IMAP",
            Wire::Pop3 => "POP3",
            Wire::Smtp => "SMTP",
            Wire::Http => "HTTP",
            Wire::Unknown => "?",
        }
    }
}
