//! mailwiz's own SMTP client, on the same bounded `Conn` (deadline, size
//! caps, transcript tap, pinning verifier) as IMAP and POP3: greeting,
//! EHLO, STARTTLS, AUTH (see `smtp_auth`), MAIL/RCPT/DATA as separate steps
//! so a refusal names its phase, QUIT. The check, the test send and the
//! doctor all speak through it; lettre only builds the test message.

use super::cert::CertInfo;
use super::error::{NetError, Reply};
use super::smtp_data::data_bytes;
use super::smtp_reply::{Answer, MAX_REPLY_LINE, ehlo_capabilities, has_keyword, read_answer};
use super::stream::{self, Conn};
use super::tls::TlsSetup;
use super::{Deadline, Phase, StepDetail, StepSink, Tap, step};
use crate::account::{Security, SmtpServer};

pub struct SmtpSession {
    pub(super) conn: Conn,
    /// The greeting, once read.
    pub greeting: Option<Reply>,
    /// The last EHLO's keywords (`PIPELINING`, `AUTH PLAIN LOGIN`, …).
    pub capabilities: Vec<String>,
    pub cert: Option<CertInfo>,
}

impl SmtpSession {
    /// Up to a usable connection: `open`, then `secure`.
    pub fn connect(
        server: &SmtpServer,
        setup: &TlsSetup,
        deadline: &Deadline,
        sink: &mut dyn StepSink,
        tap: Option<Tap>,
    ) -> Result<SmtpSession, NetError> {
        let mut s = Self::open(server, setup, deadline, sink, tap)?;
        match s.secure(server.security, setup, sink) {
            Ok(()) => Ok(s),
            Err(e) => {
                s.abort();
                Err(e)
            }
        }
    }

    /// Resolve, connect, TLS when implicit, and the `220` greeting.
    pub fn open(
        server: &SmtpServer,
        setup: &TlsSetup,
        deadline: &Deadline,
        sink: &mut dyn StepSink,
        tap: Option<Tap>,
    ) -> Result<SmtpSession, NetError> {
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
        let mut conn = opened.conn;
        conn.set_max_line(MAX_REPLY_LINE);
        let mut s = SmtpSession {
            conn,
            greeting: None,
            capabilities: Vec::new(),
            cert: opened.cert,
        };
        let greeted = step(sink, deadline, Phase::Greeting, || {
            let a = read_answer(&mut s.conn, Phase::Greeting)?;
            let reply = a.reply();
            s.greeting = Some(reply.clone());
            if a.code != 220 {
                return Err(NetError::Rejected {
                    phase: Phase::Greeting,
                    reply,
                });
            }
            Ok(((), StepDetail::reply(reply)))
        });
        if let Err(e) = greeted {
            s.abort();
            return Err(e);
        }
        Ok(s)
    }

    /// EHLO, then STARTTLS, the handshake and EHLO again when `security`
    /// says so. The session stays readable after a failure (what the
    /// first EHLO offered, the certificate).
    pub fn secure(
        &mut self,
        security: Security,
        setup: &TlsSetup,
        sink: &mut dyn StepSink,
    ) -> Result<(), NetError> {
        self.ehlo_step(sink)?;
        if security != Security::Starttls {
            return Ok(());
        }
        if !has_keyword(&self.capabilities, "STARTTLS") {
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
        let deadline = self.conn.deadline().clone();
        step(sink, &deadline, Phase::Starttls, || {
            let a = self.command(Phase::Starttls, "STARTTLS")?;
            if a.code != 220 {
                return Err(NetError::Rejected {
                    phase: Phase::Starttls,
                    reply: a.reply(),
                });
            }
            Ok(((), StepDetail::reply(a.reply())))
        })?;
        let tls = stream::tls_step(&mut self.conn, setup, sink);
        if let Err(NetError::Tls(t)) = &tls
            && let Some(c) = &t.cert
        {
            self.cert = Some((**c).clone());
        }
        self.cert = Some(tls?);
        self.capabilities.clear();
        self.ehlo_step(sink)
    }

    fn ehlo_step(&mut self, sink: &mut dyn StepSink) -> Result<(), NetError> {
        let deadline = self.conn.deadline().clone();
        step(sink, &deadline, Phase::Capabilities, || {
            let cmd = format!("EHLO {}", self.conn.local_literal());
            let a = self.command(Phase::Capabilities, &cmd)?;
            if a.code != 250 {
                return Err(NetError::Rejected {
                    phase: Phase::Capabilities,
                    reply: a.reply(),
                });
            }
            self.capabilities = ehlo_capabilities(&a.lines);
            Ok((
                (),
                StepDetail::Capabilities {
                    list: self.capabilities.clone(),
                },
            ))
        })
    }

    pub fn is_tls(&self) -> bool {
        self.conn.is_tls()
    }

    /// One command line (never holding a secret: the transcript shows
    /// it) and its whole reply.
    pub(super) fn command(&mut self, phase: Phase, cmd: &str) -> Result<Answer, NetError> {
        if cmd.contains(['\r', '\n']) {
            return Err(NetError::Protocol {
                phase,
                problem: super::Problem::LineBreak,
            });
        }
        self.conn.send(phase, format!("{cmd}\r\n").as_bytes())?;
        read_answer(&mut self.conn, phase)
    }

    /// `MAIL FROM:<from>` (with `BODY=8BITMIME` when asked and offered);
    /// the server's reply, whatever it is.
    pub fn mail_from(&mut self, from: &str, eight_bit: bool) -> Result<Reply, NetError> {
        let from = checked_address(Phase::Mail, from)?;
        let body = if eight_bit && has_keyword(&self.capabilities, "8BITMIME") {
            " BODY=8BITMIME"
        } else {
            ""
        };
        Ok(self
            .command(Phase::Mail, &format!("MAIL FROM:<{from}>{body}"))?
            .reply())
    }

    /// `RCPT TO:<to>`; the server's reply, whatever it is.
    pub fn rcpt_to(&mut self, to: &str) -> Result<Reply, NetError> {
        let to = checked_address(Phase::Rcpt, to)?;
        Ok(self
            .command(Phase::Rcpt, &format!("RCPT TO:<{to}>"))?
            .reply())
    }

    /// Forgets the envelope (the doctor sends nothing).
    pub fn rset(&mut self) -> Result<Reply, NetError> {
        Ok(self.command(Phase::Mail, "RSET")?.reply())
    }

    /// MAIL, RCPT and DATA as three steps; the final reply on success.
    pub fn send(
        &mut self,
        from: &str,
        to: &str,
        message: &[u8],
        sink: &mut dyn StepSink,
    ) -> Result<Reply, NetError> {
        let deadline = self.conn.deadline().clone();
        step(sink, &deadline, Phase::Mail, || {
            let r = positive(Phase::Mail, self.mail_from(from, !message.is_ascii())?)?;
            Ok(((), StepDetail::reply(r)))
        })?;
        step(sink, &deadline, Phase::Rcpt, || {
            let r = positive(Phase::Rcpt, self.rcpt_to(to)?)?;
            Ok(((), StepDetail::reply(r)))
        })?;
        step(sink, &deadline, Phase::Data, || {
            let a = self.command(Phase::Data, "DATA")?;
            if a.code != 354 {
                return Err(NetError::Rejected {
                    phase: Phase::Data,
                    reply: a.reply(),
                });
            }
            let bytes = data_bytes(message);
            let note = format!("(message: {} bytes)", bytes.len());
            self.conn.send_quiet(Phase::Data, &bytes, &note)?;
            let r = positive(
                Phase::Data,
                read_answer(&mut self.conn, Phase::Data)?.reply(),
            )?;
            Ok((r.clone(), StepDetail::reply(r)))
        })
    }

    pub fn quit(&mut self, sink: &mut dyn StepSink) -> Result<(), NetError> {
        let deadline = self.conn.deadline().clone();
        let r = step(sink, &deadline, Phase::Logout, || {
            let a = self.command(Phase::Logout, "QUIT")?;
            Ok(((), StepDetail::reply(a.reply())))
        });
        self.conn.shutdown();
        r
    }

    /// Ends the session without ceremony (after a failure).
    pub fn abort(&mut self) {
        self.conn.shutdown();
    }
}

/// The reply when it is 2xx, else the refusal in `phase`.
fn positive(phase: Phase, reply: Reply) -> Result<Reply, NetError> {
    match reply.code {
        Some(200..=299) => Ok(reply),
        _ => Err(NetError::Rejected { phase, reply }),
    }
}

/// An address as an RFC 5321 path may hold it; anything else (line
/// breaks, brackets, spaces) is refused before it reaches the wire.
fn checked_address(phase: Phase, a: &str) -> Result<String, NetError> {
    a.trim()
        .parse::<lettre::Address>()
        .map(|addr| addr.to_string())
        .map_err(|e| NetError::Protocol {
            phase,
            problem: super::Problem::bad_address(a, &e.to_string()),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_checked() {
        assert_eq!(
            checked_address(Phase::Mail, " a@example.test ").unwrap(),
            "a@example.test"
        );
        for bad in ["a@example.test>\r\nRCPT TO:<b@x", "a b@x", "<a@x>", ""] {
            assert!(checked_address(Phase::Rcpt, bad).is_err(), "{bad:?}");
        }
    }
}
