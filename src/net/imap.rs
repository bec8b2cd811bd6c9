//! The IMAP dialogue: greeting, CAPABILITY, STARTTLS, login (AUTHENTICATE
//! PLAIN when offered, else LOGIN), SELECT/SEARCH for the arrival check,
//! LOGOUT.

use super::cert::CertInfo;
use super::error::{Limit, NetError, Reply};
use super::imap_parse::{Greeting, capabilities_in, greeting, literal_size, quoted, search_hits};
use super::stream::{self, Conn, MAX_RESPONSE_BYTES, MAX_RESPONSE_LINES};
use super::tls::TlsSetup;
use super::{Deadline, Phase, StepDetail, StepSink, clean_text, step};
use crate::account::{IncomingServer, Security};

mod auth;

pub struct ImapSession {
    conn: Conn,
    tag: u32,
    /// Bytes read since the last command was sent (bounded per answer).
    answer_bytes: usize,
    pub capabilities: Vec<String>,
    pub cert: Option<CertInfo>,
    preauth: bool,
    /// For OAUTHBEARER's host and port fields.
    host: String,
    port: u16,
}

impl ImapSession {
    /// Up to a usable, protected (unless `none`) connection, recording every
    /// line in `tap` when given (credentials redacted).
    pub fn connect(
        server: &IncomingServer,
        setup: &TlsSetup,
        deadline: &Deadline,
        sink: &mut dyn StepSink,
        tap: Option<super::Tap>,
    ) -> Result<ImapSession, NetError> {
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
        let mut s = ImapSession {
            conn: opened.conn,
            tag: 0,
            answer_bytes: 0,
            capabilities: Vec::new(),
            cert: opened.cert,
            preauth: false,
            host: server.host.clone(),
            port: server.port,
        };
        let greeted = step(sink, deadline, Phase::Greeting, || {
            let line = s.conn.read_line(Phase::Greeting)?;
            let g = greeting(&line)?;
            Ok((g, StepDetail::reply(Reply::text(clean_text(&line)))))
        })?;
        match greeted {
            Greeting::Preauth => s.preauth = true,
            Greeting::Ok {
                capabilities: Some(c),
            } => s.capabilities = c,
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
                let (_, done) = s.command(Phase::Starttls, "STARTTLS")?;
                if !done.to_ascii_uppercase().starts_with("OK") {
                    return Err(NetError::Rejected {
                        phase: Phase::Starttls,
                        reply: Reply::text(done),
                    });
                }
                Ok(((), StepDetail::reply(Reply::text(done))))
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
                return Err(NetError::Rejected {
                    phase: Phase::Capabilities,
                    reply: Reply::text(done),
                });
            }
            if let Some(c) = untagged.iter().find_map(|l| capabilities_in(l)) {
                self.capabilities = c;
            }
            Ok((
                (),
                StepDetail::Capabilities {
                    list: self.capabilities.clone(),
                },
            ))
        })
    }

    pub fn has(&self, cap: &str) -> bool {
        self.capabilities
            .iter()
            .any(|c| c.eq_ignore_ascii_case(cap))
    }

    pub fn deadline(&self) -> &Deadline {
        self.conn.deadline()
    }

    fn next_tag(&mut self) -> String {
        self.tag += 1;
        self.answer_bytes = 0;
        format!("a{}", self.tag)
    }

    /// Sends one command (never holding a secret) and reads up to its tagged
    /// reply. Returns the untagged lines and the tagged text without the tag.
    pub(super) fn command(
        &mut self,
        phase: Phase,
        cmd: &str,
    ) -> Result<(Vec<String>, String), NetError> {
        let tag = self.next_tag();
        self.conn
            .send(phase, format!("{tag} {cmd}\r\n").as_bytes())?;
        self.read_until_tagged(phase, &tag)
    }

    fn read_until_tagged(
        &mut self,
        phase: Phase,
        tag: &str,
    ) -> Result<(Vec<String>, String), NetError> {
        let mut untagged = Vec::new();
        loop {
            let line = self.read_full_line(phase)?;
            if let Some(rest) = line.strip_prefix(tag).and_then(|r| r.strip_prefix(' ')) {
                return Ok((untagged, rest.to_string()));
            }
            if untagged.len() >= MAX_RESPONSE_LINES {
                return Err(NetError::TooLarge {
                    phase,
                    limit: Limit::Lines,
                });
            }
            if line.to_ascii_uppercase().starts_with("* BYE") && phase != Phase::Logout {
                return Err(NetError::Rejected {
                    phase,
                    reply: Reply::text(line),
                });
            }
            untagged.push(line);
        }
    }

    /// A response line, with any `{n}` literals read in (and dropped).
    /// A literal over `MAX_LITERAL` is refused before it is read; the
    /// whole answer stays under `MAX_RESPONSE_BYTES`.
    fn read_full_line(&mut self, phase: Phase) -> Result<String, NetError> {
        let raw = self.conn.read_line(phase)?;
        self.count(phase, raw.len())?;
        let mut line = clean_text(&raw);
        while let Some(n) = literal_size(&line) {
            let n = usize::try_from(n).unwrap_or(usize::MAX);
            self.count(phase, n)?;
            self.conn.read_exact(phase, n)?;
            let raw = self.conn.read_line(phase)?;
            self.count(phase, raw.len())?;
            line.push_str(&clean_text(&raw));
        }
        Ok(line)
    }

    fn count(&mut self, phase: Phase, bytes: usize) -> Result<(), NetError> {
        if bytes > super::MAX_LITERAL {
            return Err(NetError::TooLarge {
                phase,
                limit: Limit::Literal,
            });
        }
        self.answer_bytes = self.answer_bytes.saturating_add(bytes);
        if self.answer_bytes > MAX_RESPONSE_BYTES {
            return Err(NetError::TooLarge {
                phase,
                limit: Limit::Response,
            });
        }
        Ok(())
    }

    /// Whether INBOX holds a message whose Subject contains `needle`.
    pub fn search_subject(&mut self, needle: &str) -> Result<bool, NetError> {
        let q = quoted(needle).ok_or(NetError::Protocol {
            phase: Phase::Search,
            problem: super::Problem::NotAscii,
        })?;
        let (_, done) = self.command(Phase::Search, "SELECT INBOX")?;
        if !done.to_ascii_uppercase().starts_with("OK") {
            return Err(NetError::Rejected {
                phase: Phase::Search,
                reply: Reply::text(done),
            });
        }
        let (untagged, done) = self.command(Phase::Search, &format!("SEARCH SUBJECT {q}"))?;
        if !done.to_ascii_uppercase().starts_with("OK") {
            return Err(NetError::Rejected {
                phase: Phase::Search,
                reply: Reply::text(done),
            });
        }
        Ok(untagged
            .iter()
            .filter_map(|l| search_hits(l))
            .any(|h| !h.is_empty()))
    }

    pub fn logout(&mut self, sink: &mut dyn StepSink) -> Result<(), NetError> {
        let deadline = self.conn.deadline().clone();
        let r = step(sink, &deadline, Phase::Logout, || {
            let (_, done) = self.command(Phase::Logout, "LOGOUT")?;
            Ok(((), StepDetail::reply(Reply::text(done))))
        });
        self.conn.shutdown();
        r
    }
}
