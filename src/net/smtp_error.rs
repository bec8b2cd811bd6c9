//! lettre's replies and errors as ours: by status code and by the io or
//! rustls error inside, never by their text.

use super::Phase;
use super::error::{NetError, Reply};
use super::stream;
use lettre::transport::smtp::response::Response;
use std::error::Error as _;
use std::io;
use std::net::SocketAddr;

pub(crate) type LettreError = lettre::transport::smtp::Error;

/// A lettre reply as ours: `250 2.0.0 Ok: queued as …`.
pub(crate) fn reply_of(r: &Response) -> Reply {
    Reply::smtp(
        u16::from(r.code()),
        &r.message().collect::<Vec<_>>().join(" "),
    )
}

/// EHLO lines after the first, as capabilities. An empty `250-AUTH ` line
/// (Dovecot before STARTTLS) becomes the bare keyword `AUTH`.
pub(crate) fn ehlo_capabilities<'a>(lines: impl Iterator<Item = &'a str>) -> Vec<String> {
    lines
        .skip(1)
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect()
}

/// The io error inside a lettre error, if any.
pub(crate) fn io_inside(e: &LettreError) -> Option<&io::Error> {
    let mut src = e.source();
    while let Some(s) = src {
        if let Some(io) = s.downcast_ref::<io::Error>() {
            return Some(io);
        }
        src = s.source();
    }
    None
}

/// Maps a lettre error met in `phase`.
pub(crate) fn map_error(
    e: &LettreError,
    phase: Phase,
    addr: Option<SocketAddr>,
    encrypted: bool,
) -> NetError {
    if let Some(code) = e.status() {
        let code = u16::from(code);
        let text = e.source().map(|s| s.to_string()).unwrap_or_default();
        let reply = Reply::smtp(code, &text);
        return match (phase, code) {
            (Phase::Login, 535) => NetError::AuthFailed { reply },
            (Phase::Login, 530 | 538 | 523) if !encrypted => NetError::LoginDisabled,
            _ => NetError::Rejected { phase, reply },
        };
    }
    if let Some(io_err) = io_inside(e) {
        let tls_inside = io_err.get_ref().is_some_and(|i| i.is::<rustls::Error>());
        if phase == Phase::Connect && !tls_inside {
            use io::ErrorKind::*;
            match (io_err.kind(), addr) {
                (
                    ConnectionRefused | TimedOut | HostUnreachable | NetworkUnreachable
                    | AddrNotAvailable,
                    Some(addr),
                ) => {
                    return stream::connect_error(addr, io_err);
                }
                // Connected; what failed came after (TLS, greeting, EHLO).
                _ => return NetError::from_io(Phase::Greeting, io_err),
            }
        }
        return NetError::from_io(phase, io_err);
    }
    if e.is_client() && phase == Phase::Starttls {
        return NetError::StarttlsNotOffered;
    }
    let detail = e
        .source()
        .map(|s| s.to_string())
        .unwrap_or_else(|| e.to_string());
    let detail = if e.is_response() {
        format!("not an SMTP reply ({detail})")
    } else {
        detail
    };
    NetError::Protocol {
        phase,
        detail: super::clean_text(detail.as_bytes()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ehlo_lines() {
        let lines = [
            "mail.example.test",
            "PIPELINING",
            "AUTH ",
            "STARTTLS",
            "",
            "SIZE  1000",
        ];
        assert_eq!(
            ehlo_capabilities(lines.into_iter()),
            vec!["PIPELINING", "AUTH", "STARTTLS", "SIZE 1000"]
        );
    }

    #[test]
    fn replies() {
        use lettre::transport::smtp::response::{Category, Code, Detail, Severity};
        let r = Response::new(
            Code::new(
                Severity::PositiveCompletion,
                Category::MailSystem,
                Detail::Zero,
            ),
            vec!["2.0.0 Ok: queued as 123".into()],
        );
        let reply = reply_of(&r);
        assert_eq!(reply.code, Some(250));
        assert_eq!(reply.enhanced.as_deref(), Some("2.0.0"));
    }
}
