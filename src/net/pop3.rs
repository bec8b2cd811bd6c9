//! The POP3 dialogue: greeting, CAPA, STLS, USER/PASS or AUTH PLAIN, STAT
//! and TOP for the arrival check, QUIT.

use super::cert::CertInfo;
use super::error::{Limit, NetError, Reply};
use super::imap_parse::{wipe, wrong_protocol};
use super::sasl::OauthMechanism;
use super::stream::{self, Conn, MAX_RESPONSE_BYTES, MAX_RESPONSE_LINES};
use super::tls::TlsSetup;
use super::{Deadline, Phase, StepDetail, StepNote, StepSink, clean_text, step};
use crate::account::{IncomingServer, Security};
use crate::secret::Secret;

pub struct Pop3Session {
    conn: Conn,
    /// None when the server does not know CAPA (RFC 1939 servers).
    pub capabilities: Option<Vec<String>>,
    pub cert: Option<CertInfo>,
    /// For OAUTHBEARER's host and port fields.
    host: String,
    port: u16,
}

pub(crate) fn greeting(line: &[u8]) -> Result<String, NetError> {
    let text = clean_text(line);
    if text.starts_with("+OK") {
        Ok(text)
    } else if text.starts_with("-ERR") {
        Err(NetError::Rejected {
            phase: Phase::Greeting,
            reply: Reply::text(text),
        })
    } else {
        Err(wrong_protocol(super::error::Wire::Pop3, &text))
    }
}

/// The failure a `-ERR` to USER, PASS or AUTH means.
pub(crate) fn login_refusal(text: String, before_tls: bool, at_user: bool) -> NetError {
    let reply = Reply::text(text);
    let code = reply.imap_code().map(str::to_ascii_uppercase);
    match code.as_deref() {
        Some("SYS/TEMP" | "SYS/PERM" | "IN-USE" | "LOGIN-DELAY") => NetError::Rejected {
            phase: Phase::Login,
            reply,
        },
        // Dovecot refuses USER itself when plaintext logins need TLS first.
        _ if at_user && before_tls => NetError::LoginDisabled,
        _ => NetError::AuthFailed { reply },
    }
}

/// `TOP n 0` headers: whether the (unfolded) Subject contains `needle`.
pub(crate) fn subject_contains(headers: &[String], needle: &str) -> bool {
    let mut subject: Option<String> = None;
    for line in headers {
        if let Some(s) = subject.as_mut() {
            if line.starts_with([' ', '\t']) {
                s.push_str(line);
                continue;
            }
            break;
        }
        if line.len() >= 8 && line[..8].eq_ignore_ascii_case("subject:") {
            subject = Some(line[8..].to_string());
        }
    }
    subject.is_some_and(|s| s.contains(needle))
}

impl Pop3Session {
    /// Up to a usable, protected (unless `none`) connection, recording every
    /// line in `tap` when given (credentials redacted).
    pub fn connect(
        server: &IncomingServer,
        setup: &TlsSetup,
        deadline: &Deadline,
        sink: &mut dyn StepSink,
        tap: Option<super::Tap>,
    ) -> Result<Pop3Session, NetError> {
        let implicit = server.security == Security::Tls;
        let opened = stream::open_traced(
            &server.host,
            server.port,
            implicit,
            setup,
            deadline,
            sink,
            tap,
        )?;
        let mut s = Pop3Session {
            conn: opened.conn,
            capabilities: None,
            cert: opened.cert,
            host: server.host.clone(),
            port: server.port,
        };
        step(sink, deadline, Phase::Greeting, || {
            let line = s.conn.read_line(Phase::Greeting)?;
            Ok(((), StepDetail::reply(Reply::text(greeting(&line)?))))
        })?;
        s.capa_step(sink)?;
        if server.security == Security::Starttls {
            if s.capabilities
                .as_ref()
                .is_some_and(|c| !c.iter().any(|c| c == "STLS"))
            {
                sink.started(Phase::Starttls);
                sink.finished(
                    Phase::Starttls,
                    false,
                    StepDetail::Error {
                        error: NetError::StarttlsNotOffered,
                    },
                    0,
                );
                return Err(NetError::StarttlsNotOffered);
            }
            step(sink, deadline, Phase::Starttls, || {
                let line = s.simple(Phase::Starttls, "STLS")?;
                if !line.starts_with("+OK") {
                    return Err(NetError::StarttlsNotOffered);
                }
                Ok(((), StepDetail::reply(Reply::text(line))))
            })?;
            s.cert = Some(stream::tls_step(&mut s.conn, setup, sink)?);
            s.capa_step(sink)?;
        }
        Ok(s)
    }

    fn capa_step(&mut self, sink: &mut dyn StepSink) -> Result<(), NetError> {
        let deadline = self.conn.deadline().clone();
        step(sink, &deadline, Phase::Capabilities, || {
            let first = self.simple(Phase::Capabilities, "CAPA")?;
            if !first.starts_with("+OK") {
                self.capabilities = None;
                return Ok(((), StepDetail::note(StepNote::CapaNotSupported)));
            }
            let lines = self.multiline(Phase::Capabilities)?;
            let caps: Vec<String> = lines
                .iter()
                .map(|l| l.trim().to_ascii_uppercase())
                .filter(|l| !l.is_empty())
                .collect();
            let detail = StepDetail::Capabilities { list: caps.clone() };
            self.capabilities = Some(caps);
            Ok(((), detail))
        })
    }

    pub fn capability_list(&self) -> Vec<String> {
        self.capabilities.clone().unwrap_or_default()
    }

    fn has(&self, word: &str) -> Option<bool> {
        self.capabilities
            .as_ref()
            .map(|c| c.iter().any(|l| l.split_whitespace().next() == Some(word)))
    }

    fn sasl_plain(&self) -> bool {
        self.capabilities.as_ref().is_some_and(|c| {
            c.iter().any(|l| {
                let mut w = l.split_whitespace();
                w.next() == Some("SASL") && w.any(|m| m == "PLAIN")
            })
        })
    }

    pub fn deadline(&self) -> &Deadline {
        self.conn.deadline()
    }

    /// One command without a secret, one status line back.
    fn simple(&mut self, phase: Phase, cmd: &str) -> Result<String, NetError> {
        self.conn.send(phase, format!("{cmd}\r\n").as_bytes())?;
        Ok(clean_text(&self.conn.read_line(phase)?))
    }

    /// The lines of a multi-line answer, dot-unstuffed, up to the lone ".",
    /// at most `MAX_RESPONSE_LINES` lines and `MAX_RESPONSE_BYTES` bytes.
    fn multiline(&mut self, phase: Phase) -> Result<Vec<String>, NetError> {
        let mut out = Vec::new();
        let mut bytes = 0usize;
        loop {
            let line = self.conn.read_line(phase)?;
            if line == b"." {
                return Ok(out);
            }
            bytes += line.len() + 2;
            let limit = if out.len() >= MAX_RESPONSE_LINES {
                Some(Limit::Lines)
            } else if bytes > MAX_RESPONSE_BYTES {
                Some(Limit::Response)
            } else {
                None
            };
            if let Some(limit) = limit {
                return Err(NetError::TooLarge { phase, limit });
            }
            let line = line.strip_prefix(b".").unwrap_or(&line);
            out.push(clean_text(line));
        }
    }

    pub fn login(
        &mut self,
        user: &str,
        password: &Secret,
        sink: &mut dyn StepSink,
    ) -> Result<(), NetError> {
        let deadline = self.conn.deadline().clone();
        let before_tls = !self.conn.is_tls();
        step(sink, &deadline, Phase::Login, || {
            let use_user = self.has("USER").unwrap_or(true);
            if !use_user && self.sasl_plain() {
                return self.auth_plain(user, password).map(|line| {
                    (
                        (),
                        StepDetail::Login {
                            mechanism: "AUTH PLAIN".into(),
                            reply: Reply::text(line),
                        },
                    )
                });
            }
            if !use_user && before_tls {
                return Err(NetError::LoginDisabled);
            }
            if user.contains(['\r', '\n']) || password.expose().contains(['\r', '\n']) {
                return Err(NetError::Protocol {
                    phase: Phase::Login,
                    detail: "line break in user name or password".into(),
                });
            }
            let line = self.simple(Phase::Login, &format!("USER {user}"))?;
            if !line.starts_with("+OK") {
                return Err(login_refusal(line, before_tls, true));
            }
            let mut cmd = format!("PASS {}\r\n", password.expose());
            let sent = self.conn.send(Phase::Login, cmd.as_bytes());
            wipe(std::mem::take(&mut cmd));
            sent?;
            let line = clean_text(&self.conn.read_line(Phase::Login)?);
            if !line.starts_with("+OK") {
                return Err(login_refusal(line, before_tls, false));
            }
            Ok((
                (),
                StepDetail::Login {
                    mechanism: "USER/PASS".into(),
                    reply: Reply::text(line),
                },
            ))
        })
    }

    fn auth_plain(&mut self, user: &str, password: &Secret) -> Result<String, NetError> {
        let line = self.simple(Phase::Login, "AUTH PLAIN")?;
        if !line.starts_with('+') || line.starts_with("+OK") {
            return Err(login_refusal(line, !self.conn.is_tls(), false));
        }
        let mut msg = super::sasl::plain(user, password.expose());
        msg.push_str("\r\n");
        let sent = self.conn.send(Phase::Login, msg.as_bytes());
        wipe(msg);
        sent?;
        let line = clean_text(&self.conn.read_line(Phase::Login)?);
        if !line.starts_with("+OK") {
            return Err(login_refusal(line, !self.conn.is_tls(), false));
        }
        Ok(line)
    }

    /// The SASL mechanisms of the CAPA answer.
    pub fn sasl_mechanisms(&self) -> Vec<&str> {
        self.capabilities
            .iter()
            .flatten()
            .filter_map(|l| l.strip_prefix("SASL "))
            .flat_map(|l| l.split_whitespace())
            .collect()
    }

    /// Logs in with an OAuth2 access token (AUTH XOAUTH2 or OAUTHBEARER).
    pub fn login_oauth(
        &mut self,
        user: &str,
        token: &Secret,
        mechanism: Option<OauthMechanism>,
        sink: &mut dyn StepSink,
    ) -> Result<(), NetError> {
        let deadline = self.conn.deadline().clone();
        let before_tls = !self.conn.is_tls();
        step(sink, &deadline, Phase::Login, || {
            let Some(mech) = mechanism.or_else(|| OauthMechanism::pick(self.sasl_mechanisms()))
            else {
                return Err(if before_tls {
                    NetError::LoginDisabled
                } else {
                    NetError::Protocol {
                        phase: Phase::Login,
                        detail: "the server offers neither AUTH XOAUTH2 nor OAUTHBEARER".into(),
                    }
                });
            };
            let line = self.simple(Phase::Login, &format!("AUTH {}", mech.name()))?;
            if !line.starts_with('+') || line.starts_with("+OK") {
                return Err(login_refusal(line, before_tls, false));
            }
            let mut msg = mech.initial_response(user, token.expose(), &self.host, self.port);
            msg.push_str("\r\n");
            let sent = self.conn.send(Phase::Login, msg.as_bytes());
            wipe(msg);
            sent?;
            let mut line = clean_text(&self.conn.read_line(Phase::Login)?);
            if line.starts_with('+') && !line.starts_with("+OK") {
                // The error challenge: acknowledge it to get the -ERR.
                line = self.simple(Phase::Login, mech.error_ack())?;
            }
            if !line.starts_with("+OK") {
                return Err(login_refusal(line, before_tls, false));
            }
            Ok((
                (),
                StepDetail::Login {
                    mechanism: format!("AUTH {}", mech.name()),
                    reply: Reply::text(line),
                },
            ))
        })
    }

    /// Whether one of the newest `newest` messages has `needle` in its
    /// Subject (STAT, then TOP n 0 from the newest down).
    pub fn search_subject(&mut self, needle: &str, newest: u32) -> Result<bool, NetError> {
        let stat = self.simple(Phase::Search, "STAT")?;
        if !stat.starts_with("+OK") {
            return Err(NetError::Rejected {
                phase: Phase::Search,
                reply: Reply::text(stat),
            });
        }
        let count: u32 = stat
            .split_whitespace()
            .nth(1)
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        let lowest = count.saturating_sub(newest.saturating_sub(1)).max(1);
        for n in (lowest..=count).rev() {
            let line = self.simple(Phase::Search, &format!("TOP {n} 0"))?;
            if !line.starts_with("+OK") {
                continue; // deleted meanwhile
            }
            if subject_contains(&self.multiline(Phase::Search)?, needle) {
                return Ok(true);
            }
        }
        Ok(false)
    }

    pub fn quit(&mut self, sink: &mut dyn StepSink) -> Result<(), NetError> {
        let deadline = self.conn.deadline().clone();
        let r = step(sink, &deadline, Phase::Logout, || {
            let line = self.simple(Phase::Logout, "QUIT")?;
            Ok(((), StepDetail::reply(Reply::text(line))))
        });
        self.conn.shutdown();
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn greetings() {
        assert!(greeting(b"+OK Dovecot ready.").is_ok());
        match greeting(b"* OK [CAPABILITY IMAP4rev1] ready") {
            Err(NetError::WrongProtocol { found, .. }) => {
                assert_eq!(found, crate::net::Wire::Imap);
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            greeting(b"-ERR busy"),
            Err(NetError::Rejected { .. })
        ));
    }

    #[test]
    fn refusals() {
        assert!(matches!(
            login_refusal("-ERR [AUTH] Authentication failed.".into(), false, false),
            NetError::AuthFailed { .. }
        ));
        assert_eq!(
            login_refusal("-ERR [AUTH] Plaintext authentication disallowed on non-secure (SSL/TLS) connections.".into(), true, true),
            NetError::LoginDisabled
        );
        assert!(matches!(
            login_refusal(
                "-ERR [SYS/TEMP] Temporary authentication failure.".into(),
                false,
                false
            ),
            NetError::Rejected { .. }
        ));
    }

    #[test]
    fn subjects() {
        let h = |v: &[&str]| {
            v.iter()
                .map(std::string::ToString::to_string)
                .collect::<Vec<_>>()
        };
        assert!(subject_contains(
            &h(&["From: a", "Subject: mailwiz test abc123", "To: b"]),
            "abc123"
        ));
        assert!(subject_contains(
            &h(&["SUBJECT: mailwiz test", "\tabc123"]),
            "abc123"
        ));
        assert!(!subject_contains(
            &h(&["Subject: other", "X-Id: abc123"]),
            "abc123"
        ));
    }
}
