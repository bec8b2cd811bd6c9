//! SMTP submission through lettre's `SmtpConnection`: EHLO, mandatory
//! STARTTLS when chosen, AUTH, and MAIL/RCPT/DATA as separate steps so a
//! refusal names its phase. lettre errors are mapped by status code and by
//! the io/rustls error inside them, never by their text.

use super::cert::CertInfo;
use super::error::{NetError, Reply};
use super::smtp_error::{ehlo_capabilities, map_error, reply_of};
use super::stream::{self, Conn};
use super::tls::TlsSetup;
use super::{Deadline, Phase, StepSink, step};
use crate::account::{Security, SmtpServer};
use crate::secret::Secret;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::SmtpConnection;
use lettre::transport::smtp::commands::{Data, Ehlo, Mail, Rcpt};
use lettre::transport::smtp::extension::{ClientId, MailBodyParameter, MailParameter};
use std::net::SocketAddr;
use std::time::Instant;

/// The reply shown when the server answered AUTH XOAUTH2 with its error
/// challenge (lettre cannot show the 535 that would follow).
const TOKEN_REFUSED: &str = "334 error challenge to AUTH XOAUTH2: the access token was refused";

pub struct SmtpSession {
    conn: SmtpConnection,
    client_id: ClientId,
    deadline: Deadline,
    pub capabilities: Vec<String>,
    pub cert: Option<CertInfo>,
}

impl SmtpSession {
    pub fn connect(
        server: &SmtpServer,
        setup: &TlsSetup,
        deadline: &Deadline,
        sink: &mut dyn StepSink,
    ) -> Result<SmtpSession, NetError> {
        let addrs = step(sink, deadline, Phase::Resolve, || {
            let addrs = stream::resolve(&server.host, server.port, deadline)?;
            let shown: Vec<String> = addrs.iter().map(|a| a.ip().to_string()).collect();
            Ok((addrs, shown.join(", ")))
        })?;
        let (params, loose) = setup.lettre_params()?;
        let client_id = ClientId::default();
        let wrapper = server.security == Security::Tls;
        deadline.check_cancel()?;
        sink.started(Phase::Connect);
        let start = Instant::now();
        let left = deadline.remaining(Phase::Connect)?;
        let connected = SmtpConnection::connect(
            &addrs[..],
            Some(left),
            &client_id,
            wrapper.then_some(&params),
            None,
        );
        let ms = start.elapsed().as_millis() as u64;
        let conn = match connected {
            Ok(c) => c,
            Err(e) => {
                let mut err = map_error(&e, Phase::Connect, addrs.first().copied(), false);
                // With implicit TLS the handshake runs on the greeting's read.
                if wrapper {
                    match &mut err {
                        NetError::Timeout { phase } | NetError::Io { phase, .. }
                            if *phase == Phase::Greeting =>
                        {
                            *phase = Phase::Tls
                        }
                        _ => {}
                    }
                }
                if let NetError::Tls(t) = &mut err
                    && t.cert.is_none()
                {
                    t.cert = probe_cert(&addrs, !wrapper, setup, deadline).map(Box::new);
                }
                let failed = err.phase().unwrap_or(Phase::Connect);
                if failed != Phase::Connect {
                    sink.finished(Phase::Connect, true, addrs[0].to_string(), ms);
                    sink.started(failed);
                }
                sink.finished(
                    failed,
                    false,
                    err.to_string(),
                    if failed == Phase::Connect { ms } else { 0 },
                );
                return Err(err);
            }
        };
        sink.finished(Phase::Connect, true, addrs[0].to_string(), ms);
        let mut s = SmtpSession {
            conn,
            client_id,
            deadline: deadline.clone(),
            capabilities: Vec::new(),
            cert: None,
        };
        if wrapper {
            s.tls_step(setup, loose, sink)?;
        }
        step(sink, deadline, Phase::Greeting, || {
            Ok(((), s.conn.server_info().name().to_string()))
        })?;
        s.ehlo_step(sink)?;
        if server.security == Security::Starttls {
            if !s.conn.can_starttls() {
                sink.started(Phase::Starttls);
                sink.finished(
                    Phase::Starttls,
                    false,
                    NetError::StarttlsNotOffered.to_string(),
                    0,
                );
                s.conn.abort();
                return Err(NetError::StarttlsNotOffered);
            }
            let r = step(sink, deadline, Phase::Starttls, || {
                s.arm(Phase::Starttls)?;
                let client_id = s.client_id.clone();
                s.conn.starttls(&params, &client_id).map_err(|e| {
                    let mut err = map_error(&e, Phase::Starttls, None, false);
                    if let NetError::Tls(t) = &mut err {
                        t.cert = probe_cert(&addrs, true, setup, deadline).map(Box::new);
                    }
                    err
                })?;
                Ok(((), "220".to_string()))
            });
            if let Err(e) = r {
                s.conn.abort();
                return Err(e);
            }
            s.tls_step(setup, loose, sink)?;
            s.ehlo_step(sink)?;
        }
        Ok(s)
    }

    fn arm(&mut self, phase: Phase) -> Result<(), NetError> {
        let left = self.deadline.remaining(phase)?;
        self.conn
            .set_timeout(Some(left))
            .map_err(|e| NetError::from_io(phase, &e))
    }

    /// The certificate, checked against the pin (or fully, in loose mode)
    /// before anything else is sent.
    fn tls_step(
        &mut self,
        setup: &TlsSetup,
        loose: bool,
        sink: &mut dyn StepSink,
    ) -> Result<(), NetError> {
        let deadline = self.deadline.clone();
        let r = step(sink, &deadline, Phase::Tls, || {
            let cert = if loose {
                let chain = self
                    .conn
                    .certificate_chain()
                    .map_err(|e| map_error(&e, Phase::Tls, None, true))?;
                setup.verify_chain(&chain)?
            } else {
                let der = self
                    .conn
                    .peer_certificate()
                    .map_err(|e| map_error(&e, Phase::Tls, None, true))?;
                CertInfo::from_der(&der)
            };
            let detail = stream::tls_detail("TLS", &cert, setup);
            self.cert = Some(cert);
            Ok(((), detail))
        });
        if r.is_err() {
            self.conn.abort();
        }
        r
    }

    fn ehlo_step(&mut self, sink: &mut dyn StepSink) -> Result<(), NetError> {
        let deadline = self.deadline.clone();
        step(sink, &deadline, Phase::Capabilities, || {
            self.arm(Phase::Capabilities)?;
            let r = self
                .conn
                .command(Ehlo::new(self.client_id.clone()))
                .map_err(|e| map_error(&e, Phase::Capabilities, None, self.conn.is_encrypted()))?;
            self.capabilities = ehlo_capabilities(r.message());
            Ok(((), self.capabilities.join(", ")))
        })
    }

    pub fn login(
        &mut self,
        user: &str,
        password: &Secret,
        sink: &mut dyn StepSink,
    ) -> Result<(), NetError> {
        let not_offered = "the server offers neither AUTH PLAIN nor AUTH LOGIN";
        self.auth(
            &[Mechanism::Plain, Mechanism::Login],
            not_offered,
            user,
            password,
            sink,
        )
    }

    /// AUTH XOAUTH2 with an OAuth2 access token (lettre has no
    /// OAUTHBEARER).
    pub fn login_oauth(
        &mut self,
        user: &str,
        token: &Secret,
        sink: &mut dyn StepSink,
    ) -> Result<(), NetError> {
        let not_offered = "the server does not offer AUTH XOAUTH2";
        self.auth(&[Mechanism::Xoauth2], not_offered, user, token, sink)
    }

    /// AUTH with the first of `mechanisms` the server offers. Without TLS
    /// and without an offer, nothing is sent (`LoginDisabled`). lettre 0.11
    /// does not answer the XOAUTH2 error challenge (`334 <JSON>`) and fails
    /// with a client error instead of the 535: after AUTH XOAUTH2 that
    /// error means the token was refused.
    fn auth(
        &mut self,
        mechanisms: &[Mechanism],
        not_offered: &str,
        user: &str,
        secret: &Secret,
        sink: &mut dyn StepSink,
    ) -> Result<(), NetError> {
        let deadline = self.deadline.clone();
        step(sink, &deadline, Phase::Login, || {
            let encrypted = self.conn.is_encrypted();
            let Some(chosen) = self.conn.server_info().get_auth_mechanism(mechanisms) else {
                return Err(if encrypted {
                    NetError::Protocol {
                        phase: Phase::Login,
                        detail: not_offered.into(),
                    }
                } else {
                    NetError::LoginDisabled
                });
            };
            self.arm(Phase::Login)?;
            let creds = Credentials::new(user.to_string(), secret.expose().to_string());
            let r = self.conn.auth(mechanisms, &creds).map_err(|e| {
                if chosen == Mechanism::Xoauth2 && e.is_client() {
                    NetError::AuthFailed {
                        reply: Reply::text(TOKEN_REFUSED),
                    }
                } else {
                    map_error(&e, Phase::Login, None, encrypted)
                }
            })?;
            let reply = reply_of(&r).to_string();
            Ok((
                (),
                match chosen {
                    Mechanism::Xoauth2 => format!("AUTH XOAUTH2: {reply}"),
                    _ => reply,
                },
            ))
        })
    }

    /// MAIL, RCPT and DATA as three steps; the final reply on success.
    pub fn send(
        &mut self,
        from: &str,
        to: &str,
        message: &[u8],
        sink: &mut dyn StepSink,
    ) -> Result<Reply, NetError> {
        let deadline = self.deadline.clone();
        let parse = |phase: Phase, a: &str| {
            a.parse::<lettre::Address>()
                .map_err(|e| NetError::Protocol {
                    phase,
                    detail: format!("{a}: {e}"),
                })
        };
        let encrypted = self.conn.is_encrypted();
        step(sink, &deadline, Phase::Mail, || {
            let from = parse(Phase::Mail, from)?;
            let mut params = Vec::new();
            if !message.is_ascii() {
                params.push(MailParameter::Body(MailBodyParameter::EightBitMime));
            }
            self.arm(Phase::Mail)?;
            let r = self
                .conn
                .command(Mail::new(Some(from), params))
                .map_err(|e| map_error(&e, Phase::Mail, None, encrypted))?;
            Ok(((), reply_of(&r).to_string()))
        })?;
        step(sink, &deadline, Phase::Rcpt, || {
            let to = parse(Phase::Rcpt, to)?;
            self.arm(Phase::Rcpt)?;
            let r = self
                .conn
                .command(Rcpt::new(to, vec![]))
                .map_err(|e| map_error(&e, Phase::Rcpt, None, encrypted))?;
            Ok(((), reply_of(&r).to_string()))
        })?;
        step(sink, &deadline, Phase::Data, || {
            self.arm(Phase::Data)?;
            self.conn
                .command(Data)
                .map_err(|e| map_error(&e, Phase::Data, None, encrypted))?;
            let r = self
                .conn
                .message(message)
                .map_err(|e| map_error(&e, Phase::Data, None, encrypted))?;
            let reply = reply_of(&r);
            Ok((reply.clone(), reply.to_string()))
        })
    }

    pub fn quit(&mut self, sink: &mut dyn StepSink) -> Result<(), NetError> {
        let deadline = self.deadline.clone();
        let r = step(sink, &deadline, Phase::Logout, || {
            self.arm(Phase::Logout)?;
            let r = self
                .conn
                .quit()
                .map_err(|e| map_error(&e, Phase::Logout, None, true))?;
            Ok(((), reply_of(&r).to_string()))
        });
        self.conn.abort();
        r
    }

    /// Ends the session without ceremony (after a failure).
    pub fn abort(&mut self) {
        self.conn.abort();
    }
}

/// lettre cannot show the certificate it refused; this second, short
/// connection fetches it (greeting, EHLO, STARTTLS, handshake; no AUTH) so
/// the user can see what the server presents, e.g. to pin it.
fn probe_cert(
    addrs: &[SocketAddr],
    starttls: bool,
    setup: &TlsSetup,
    deadline: &Deadline,
) -> Option<CertInfo> {
    let probe = || -> Result<Option<CertInfo>, NetError> {
        let tcp = stream::connect_any(addrs, deadline)?;
        let mut conn = Conn::plain(tcp, deadline.clone());
        if starttls {
            read_reply(&mut conn)?;
            conn.send(Phase::Capabilities, b"EHLO mailwiz\r\n")?;
            read_reply(&mut conn)?;
            conn.send(Phase::Starttls, b"STARTTLS\r\n")?;
            if !read_reply(&mut conn)?.starts_with("220") {
                return Ok(None);
            }
        }
        match conn.start_tls(setup) {
            Ok((_, cert)) => Ok(Some(cert)),
            Err(NetError::Tls(t)) => Ok(t.cert.map(|c| *c)),
            Err(_) => Ok(None),
        }
    };
    probe().ok().flatten()
}

fn read_reply(conn: &mut Conn) -> Result<String, NetError> {
    loop {
        let line = super::clean_text(&conn.read_line(Phase::Greeting)?);
        if line.len() < 4 || line.as_bytes()[3] != b'-' {
            return Ok(line);
        }
    }
}
