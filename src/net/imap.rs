//! The IMAP dialogue: greeting, CAPABILITY, STARTTLS, login (AUTHENTICATE
//! PLAIN when offered, else LOGIN), SELECT/SEARCH for the arrival check,
//! LOGOUT.

use super::cert::CertInfo;
use super::error::{NetError, Reply};
use super::stream::{self, Conn};
use super::tls::TlsSetup;
use super::{Deadline, Phase, StepSink, clean_text, step};
use crate::account::{IncomingServer, Security};
use crate::secret::Secret;
use base64::Engine;

pub struct ImapSession {
    conn: Conn,
    tag: u32,
    pub capabilities: Vec<String>,
    pub cert: Option<CertInfo>,
    preauth: bool,
}

/// What a first line says about who answered.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Greeting {
    Ok { capabilities: Option<Vec<String>> },
    Preauth,
}

pub(crate) fn greeting(line: &[u8]) -> Result<Greeting, NetError> {
    let text = clean_text(line);
    let upper = text.to_ascii_uppercase();
    if upper.starts_with("* OK") {
        Ok(Greeting::Ok { capabilities: capabilities_in(&text) })
    } else if upper.starts_with("* PREAUTH") {
        Ok(Greeting::Preauth)
    } else if upper.starts_with("* BYE") {
        Err(NetError::Rejected { phase: Phase::Greeting, reply: Reply::text(text) })
    } else {
        Err(wrong_protocol("IMAP", &text))
    }
}

/// "a POP3 server answered" and the like, from the first line.
pub(crate) fn wrong_protocol(expected: &str, text: &str) -> NetError {
    let who = if text.starts_with("+OK") || text.starts_with("-ERR") {
        "a POP3 server"
    } else if text.starts_with("* ") {
        "an IMAP server"
    } else if text.len() >= 3 && text.as_bytes()[..3].iter().all(u8::is_ascii_digit) {
        "an SMTP server"
    } else if text.starts_with("HTTP/") || text.starts_with('<') {
        "a web server"
    } else {
        "something else"
    };
    NetError::Protocol {
        phase: Phase::Greeting,
        detail: format!("{who} answered, not {expected}: {text}"),
    }
}

/// `* CAPABILITY A B` or `... [CAPABILITY A B] ...`.
pub(crate) fn capabilities_in(text: &str) -> Option<Vec<String>> {
    let upper = text.to_ascii_uppercase();
    let list = if let Some(rest) = upper.strip_prefix("* CAPABILITY ") {
        rest.to_string()
    } else {
        let start = upper.find("[CAPABILITY ")? + "[CAPABILITY ".len();
        let end = upper[start..].find(']')? + start;
        upper[start..end].to_string()
    };
    Some(list.split_whitespace().map(str::to_string).collect())
}

/// An IMAP quoted string, or None when the value needs a literal.
pub(crate) fn quoted(value: &str) -> Option<String> {
    if !value.bytes().all(|b| (0x01..0x80).contains(&b) && b != b'\r' && b != b'\n') {
        return None;
    }
    Some(format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\"")))
}

/// The numbers of `* SEARCH 3 7`.
pub(crate) fn search_hits(line: &str) -> Option<Vec<u32>> {
    let upper = line.to_ascii_uppercase();
    let rest = upper.strip_prefix("* SEARCH")?;
    Some(rest.split_whitespace().filter_map(|n| n.parse().ok()).collect())
}

/// The login failure a tagged NO/BAD means.
pub(crate) fn login_refusal(text: String) -> NetError {
    let reply = Reply::text(text);
    let code = reply.imap_code().map(str::to_ascii_uppercase);
    match code.as_deref() {
        Some("PRIVACYREQUIRED") => NetError::LoginDisabled,
        Some("UNAVAILABLE") | Some("SERVERBUG") | Some("INUSE") | Some("LIMIT") => {
            NetError::Rejected { phase: Phase::Login, reply }
        }
        _ if reply.text.to_ascii_uppercase().starts_with("BAD") => {
            NetError::Rejected { phase: Phase::Login, reply }
        }
        _ => NetError::AuthFailed { reply },
    }
}

impl ImapSession {
    /// Up to a usable, protected (unless `none`) connection.
    pub fn connect(
        server: &IncomingServer,
        setup: &TlsSetup,
        deadline: &Deadline,
        sink: &mut dyn StepSink,
    ) -> Result<ImapSession, NetError> {
        let implicit = server.security == Security::Tls;
        let opened = stream::open(&server.host, server.port, implicit, setup, deadline, sink)?;
        let mut s = ImapSession {
            conn: opened.conn,
            tag: 0,
            capabilities: Vec::new(),
            cert: opened.cert,
            preauth: false,
        };
        let greeted = step(sink, deadline, Phase::Greeting, || {
            let line = s.conn.read_line(Phase::Greeting)?;
            let g = greeting(&line)?;
            Ok((g, clean_text(&line)))
        })?;
        match greeted {
            Greeting::Preauth => s.preauth = true,
            Greeting::Ok { capabilities: Some(c) } => s.capabilities = c,
            Greeting::Ok { capabilities: None } => {}
        }
        if s.preauth && server.security == Security::Starttls {
            // RFC 3501: STARTTLS is not possible in the authenticated state.
            return Err(NetError::StarttlsNotOffered);
        }
        s.capability_step(sink)?;
        if server.security == Security::Starttls {
            if !s.has("STARTTLS") {
                sink.started(Phase::Starttls);
                sink.finished(Phase::Starttls, false, NetError::StarttlsNotOffered.to_string(), 0);
                return Err(NetError::StarttlsNotOffered);
            }
            step(sink, deadline, Phase::Starttls, || {
                let (_, done) = s.command(Phase::Starttls, "STARTTLS")?;
                if !done.to_ascii_uppercase().starts_with("OK") {
                    return Err(NetError::Rejected { phase: Phase::Starttls, reply: Reply::text(done) });
                }
                Ok(((), done))
            })?;
            s.cert = Some(stream::tls_step(&mut s.conn, setup, sink)?);
            s.capabilities.clear();
            s.capability_step(sink)?;
        }
        Ok(s)
    }

    fn capability_step(&mut self, sink: &mut dyn StepSink) -> Result<(), NetError> {
        let deadline = self.conn.deadline().clone();
        step(sink, &deadline, Phase::Capabilities, || {
            let (untagged, done) = self.command(Phase::Capabilities, "CAPABILITY")?;
            if !done.to_ascii_uppercase().starts_with("OK") {
                return Err(NetError::Rejected { phase: Phase::Capabilities, reply: Reply::text(done) });
            }
            if let Some(c) = untagged.iter().find_map(|l| capabilities_in(l)) {
                self.capabilities = c;
            }
            Ok(((), self.capabilities.join(" ")))
        })
    }

    pub fn has(&self, cap: &str) -> bool {
        self.capabilities.iter().any(|c| c.eq_ignore_ascii_case(cap))
    }

    pub fn deadline(&self) -> &Deadline {
        self.conn.deadline()
    }

    fn next_tag(&mut self) -> String {
        self.tag += 1;
        format!("a{}", self.tag)
    }

    /// Sends one command (never holding a secret) and reads up to its tagged
    /// reply. Returns the untagged lines and the tagged text without the tag.
    fn command(&mut self, phase: Phase, cmd: &str) -> Result<(Vec<String>, String), NetError> {
        let tag = self.next_tag();
        self.conn.send(phase, format!("{tag} {cmd}\r\n").as_bytes())?;
        self.read_until_tagged(phase, &tag)
    }

    fn read_until_tagged(&mut self, phase: Phase, tag: &str) -> Result<(Vec<String>, String), NetError> {
        let mut untagged = Vec::new();
        loop {
            let line = self.read_full_line(phase)?;
            if let Some(rest) = line.strip_prefix(tag).and_then(|r| r.strip_prefix(' ')) {
                return Ok((untagged, rest.to_string()));
            }
            if line.to_ascii_uppercase().starts_with("* BYE") && phase != Phase::Logout {
                return Err(NetError::Rejected { phase, reply: Reply::text(line) });
            }
            untagged.push(line);
        }
    }

    /// A response line, with any `{n}` literals read in (and dropped).
    fn read_full_line(&mut self, phase: Phase) -> Result<String, NetError> {
        let mut line = clean_text(&self.conn.read_line(phase)?);
        while let Some(n) = line
            .strip_suffix('}')
            .and_then(|l| l.rsplit_once('{'))
            .and_then(|(_, n)| n.trim_end_matches('+').parse::<usize>().ok())
        {
            self.conn.read_exact(phase, n)?;
            line.push_str(&clean_text(&self.conn.read_line(phase)?));
        }
        Ok(line)
    }

    /// Logs in. The password only ever goes into the bytes written here.
    pub fn login(&mut self, user: &str, password: &Secret, sink: &mut dyn StepSink) -> Result<(), NetError> {
        let deadline = self.conn.deadline().clone();
        step(sink, &deadline, Phase::Login, || {
            if self.preauth {
                return Ok(((), "PREAUTH: already logged in".to_string()));
            }
            let (done, how) = if self.has("AUTH=PLAIN") {
                (self.authenticate_plain(user, password)?, "AUTHENTICATE PLAIN")
            } else if self.has("LOGINDISABLED") {
                return Err(NetError::LoginDisabled);
            } else {
                (self.login_command(user, password)?, "LOGIN")
            };
            if !done.to_ascii_uppercase().starts_with("OK") {
                return Err(login_refusal(done));
            }
            if let Some(c) = capabilities_in(&done) {
                self.capabilities = c;
            }
            Ok(((), format!("{how}: {done}")))
        })
    }

    fn authenticate_plain(&mut self, user: &str, password: &Secret) -> Result<String, NetError> {
        let tag = self.next_tag();
        self.conn.send(Phase::Login, format!("{tag} AUTHENTICATE PLAIN\r\n").as_bytes())?;
        let line = self.read_full_line(Phase::Login)?;
        if let Some(rest) = line.strip_prefix(&tag).and_then(|r| r.strip_prefix(' ')) {
            return Ok(rest.to_string());
        }
        if !line.starts_with('+') {
            return Err(NetError::Protocol { phase: Phase::Login, detail: line });
        }
        let mut raw = Vec::with_capacity(user.len() * 2 + password.expose().len() + 2);
        raw.push(0);
        raw.extend_from_slice(user.as_bytes());
        raw.push(0);
        raw.extend_from_slice(password.expose().as_bytes());
        let mut msg = base64::engine::general_purpose::STANDARD.encode(&raw);
        raw.fill(0);
        msg.push_str("\r\n");
        let sent = self.conn.send(Phase::Login, msg.as_bytes());
        wipe(msg);
        sent?;
        Ok(self.read_until_tagged(Phase::Login, &tag)?.1)
    }

    fn login_command(&mut self, user: &str, password: &Secret) -> Result<String, NetError> {
        let tag = self.next_tag();
        let mut pending = format!("{tag} LOGIN");
        for arg in [user, password.expose()] {
            pending.push(' ');
            match quoted(arg) {
                Some(q) => pending.push_str(&q),
                None => {
                    pending.push_str(&format!("{{{}}}\r\n", arg.len()));
                    let sent = self.conn.send(Phase::Login, pending.as_bytes());
                    wipe(std::mem::take(&mut pending));
                    sent?;
                    let cont = self.read_full_line(Phase::Login)?;
                    if !cont.starts_with('+') {
                        let text = cont.strip_prefix(&tag).unwrap_or(&cont).trim().to_string();
                        return Ok(text);
                    }
                    pending.push_str(arg);
                }
            }
        }
        pending.push_str("\r\n");
        let sent = self.conn.send(Phase::Login, pending.as_bytes());
        wipe(pending);
        sent?;
        Ok(self.read_until_tagged(Phase::Login, &tag)?.1)
    }

    /// Whether INBOX holds a message whose Subject contains `needle`.
    pub fn search_subject(&mut self, needle: &str) -> Result<bool, NetError> {
        let q = quoted(needle).ok_or(NetError::Protocol { phase: Phase::Search, detail: "bad search text".into() })?;
        let (_, done) = self.command(Phase::Search, "SELECT INBOX")?;
        if !done.to_ascii_uppercase().starts_with("OK") {
            return Err(NetError::Rejected { phase: Phase::Search, reply: Reply::text(done) });
        }
        let (untagged, done) = self.command(Phase::Search, &format!("SEARCH SUBJECT {q}"))?;
        if !done.to_ascii_uppercase().starts_with("OK") {
            return Err(NetError::Rejected { phase: Phase::Search, reply: Reply::text(done) });
        }
        Ok(untagged.iter().filter_map(|l| search_hits(l)).any(|h| !h.is_empty()))
    }

    pub fn logout(&mut self, sink: &mut dyn StepSink) -> Result<(), NetError> {
        let deadline = self.conn.deadline().clone();
        let r = step(sink, &deadline, Phase::Logout, || {
            let (_, done) = self.command(Phase::Logout, "LOGOUT")?;
            Ok(((), done))
        });
        self.conn.shutdown();
        r
    }
}

/// Overwrites a string that held a credential.
pub(crate) fn wipe(s: String) {
    let mut bytes = s.into_bytes();
    for b in bytes.iter_mut() {
        // SAFETY: `b` is a valid, exclusive reference; the volatile write
        // keeps the zeroing from being optimized out.
        unsafe { std::ptr::write_volatile(b, 0) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn greetings() {
        assert_eq!(greeting(b"* OK Dovecot ready.").unwrap(), Greeting::Ok { capabilities: None });
        assert_eq!(
            greeting(b"* OK [CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN] Dovecot ready.").unwrap(),
            Greeting::Ok { capabilities: Some(vec!["IMAP4REV1".into(), "STARTTLS".into(), "AUTH=PLAIN".into()]) }
        );
        assert_eq!(greeting(b"* PREAUTH hi").unwrap(), Greeting::Preauth);
        match greeting(b"+OK Dovecot ready.") {
            Err(NetError::Protocol { detail, .. }) => assert!(detail.starts_with("a POP3 server answered")),
            other => panic!("{other:?}"),
        }
        match greeting(b"220 mail ESMTP") {
            Err(NetError::Protocol { detail, .. }) => assert!(detail.starts_with("an SMTP server")),
            other => panic!("{other:?}"),
        }
        assert!(matches!(greeting(b"* BYE go away"), Err(NetError::Rejected { .. })));
    }

    #[test]
    fn capability_lines() {
        assert_eq!(
            capabilities_in("* CAPABILITY IMAP4rev1 LOGINDISABLED"),
            Some(vec!["IMAP4REV1".to_string(), "LOGINDISABLED".to_string()])
        );
        assert_eq!(capabilities_in("OK [CAPABILITY IMAP4rev1 IDLE] Logged in").unwrap().len(), 2);
        assert_eq!(capabilities_in("* 3 EXISTS"), None);
    }

    #[test]
    fn quoting() {
        assert_eq!(quoted("alice@example.test").unwrap(), "\"alice@example.test\"");
        assert_eq!(quoted(r#"pa"ss\w"#).unwrap(), r#""pa\"ss\\w""#);
        assert_eq!(quoted("mot-de-passé"), None);
        assert_eq!(quoted("a\r\nb"), None);
    }

    #[test]
    fn search_results() {
        assert_eq!(search_hits("* SEARCH 2 5"), Some(vec![2, 5]));
        assert_eq!(search_hits("* SEARCH"), Some(vec![]));
        assert_eq!(search_hits("* 4 EXISTS"), None);
    }

    #[test]
    fn login_refusals() {
        assert!(matches!(
            login_refusal("NO [AUTHENTICATIONFAILED] Authentication failed.".into()),
            NetError::AuthFailed { .. }
        ));
        assert_eq!(login_refusal("NO [PRIVACYREQUIRED] Plaintext authentication disabled.".into()), NetError::LoginDisabled);
        assert!(matches!(
            login_refusal("NO [UNAVAILABLE] Temporary authentication failure.".into()),
            NetError::Rejected { phase: Phase::Login, .. }
        ));
    }
}
