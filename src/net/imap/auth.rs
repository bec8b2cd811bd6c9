//! IMAP login: AUTHENTICATE PLAIN when offered, else LOGIN; and the
//! OAuth2 mechanisms (XOAUTH2, OAUTHBEARER).

use super::ImapSession;
use crate::net::error::{NetError, Reply};
use crate::net::imap_parse::{capabilities_in, login_refusal, quoted, wipe};
use crate::net::{Phase, StepDetail, StepNote, StepSink, step};
use crate::oauth::OauthMechanism;
use crate::secret::Secret;

impl ImapSession {
    /// Logs in. The password only ever goes into the bytes written here.
    pub fn login(
        &mut self,
        user: &str,
        password: &Secret,
        sink: &mut dyn StepSink,
    ) -> Result<(), NetError> {
        let deadline = self.conn.deadline().clone();
        step(sink, &deadline, Phase::Login, || {
            if self.preauth {
                return Ok(((), StepDetail::note(StepNote::Preauth)));
            }
            let (done, how) = if self.has("AUTH=PLAIN") {
                (
                    self.authenticate_plain(user, password)?,
                    "AUTHENTICATE PLAIN",
                )
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
            Ok((
                (),
                StepDetail::Login {
                    mechanism: how.to_string(),
                    reply: Reply::text(done),
                },
            ))
        })
    }

    fn authenticate_plain(&mut self, user: &str, password: &Secret) -> Result<String, NetError> {
        let tag = self.next_tag();
        self.conn.send(
            Phase::Login,
            format!("{tag} AUTHENTICATE PLAIN\r\n").as_bytes(),
        )?;
        let line = self.read_full_line(Phase::Login)?;
        if let Some(rest) = line.strip_prefix(&tag).and_then(|r| r.strip_prefix(' ')) {
            return Ok(rest.to_string());
        }
        if !line.starts_with('+') {
            return Err(NetError::Protocol {
                phase: Phase::Login,
                problem: crate::net::Problem::unexpected(&line),
            });
        }
        let mut msg = crate::oauth::sasl::plain(user, password.expose());
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
            if let Some(q) = quoted(arg) {
                pending.push_str(&q);
            } else {
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
        pending.push_str("\r\n");
        let sent = self.conn.send(Phase::Login, pending.as_bytes());
        wipe(pending);
        sent?;
        Ok(self.read_until_tagged(Phase::Login, &tag)?.1)
    }

    /// The OAuth2 mechanisms the server offers (`AUTH=XOAUTH2`, …).
    pub fn oauth_mechanisms(&self) -> Vec<&str> {
        self.capabilities
            .iter()
            .filter_map(|c| {
                c.get(..5)
                    .filter(|p| p.eq_ignore_ascii_case("AUTH="))
                    .map(|_| &c[5..])
            })
            .collect()
    }

    /// Logs in with an OAuth2 access token: `mechanism`, or XOAUTH2 when
    /// offered, else OAUTHBEARER. The token only goes into the bytes
    /// written here; a refused token is `AuthFailed`.
    pub fn login_oauth(
        &mut self,
        user: &str,
        token: &Secret,
        mechanism: Option<OauthMechanism>,
        sink: &mut dyn StepSink,
    ) -> Result<(), NetError> {
        let deadline = self.conn.deadline().clone();
        step(sink, &deadline, Phase::Login, || {
            if self.preauth {
                return Ok(((), StepDetail::note(StepNote::Preauth)));
            }
            let mech = match mechanism.or_else(|| OauthMechanism::pick(self.oauth_mechanisms())) {
                Some(m) => m,
                None if self.has("LOGINDISABLED") => return Err(NetError::LoginDisabled),
                None => {
                    return Err(NetError::Protocol {
                        phase: Phase::Login,
                        problem: crate::net::Problem::NoOauthMechanism,
                    });
                }
            };
            let done = self.authenticate_oauth(mech, user, token)?;
            if !done.to_ascii_uppercase().starts_with("OK") {
                return Err(login_refusal(done));
            }
            if let Some(c) = capabilities_in(&done) {
                self.capabilities = c;
            }
            Ok((
                (),
                StepDetail::Login {
                    mechanism: format!("AUTHENTICATE {}", mech.name()),
                    reply: Reply::text(done),
                },
            ))
        })
    }

    fn authenticate_oauth(
        &mut self,
        mech: OauthMechanism,
        user: &str,
        token: &Secret,
    ) -> Result<String, NetError> {
        let tag = self.next_tag();
        self.conn.send(
            Phase::Login,
            format!("{tag} AUTHENTICATE {}\r\n", mech.name()).as_bytes(),
        )?;
        let line = self.read_full_line(Phase::Login)?;
        if let Some(rest) = line.strip_prefix(&tag).and_then(|r| r.strip_prefix(' ')) {
            return Ok(rest.to_string());
        }
        if !line.starts_with('+') {
            return Err(NetError::Protocol {
                phase: Phase::Login,
                problem: crate::net::Problem::unexpected(&line),
            });
        }
        let mut msg = mech.initial_response(user, token.expose(), &self.host, self.port);
        msg.push_str("\r\n");
        let sent = self.conn.send(Phase::Login, msg.as_bytes());
        wipe(msg);
        sent?;
        let line = self.read_full_line(Phase::Login)?;
        if let Some(rest) = line.strip_prefix(&tag).and_then(|r| r.strip_prefix(' ')) {
            return Ok(rest.to_string());
        }
        if line.starts_with('+') {
            // The error challenge (a JSON status): acknowledge it so the
            // server ends the exchange with its failure reply.
            self.conn
                .send(Phase::Login, format!("{}\r\n", mech.error_ack()).as_bytes())?;
        }
        Ok(self.read_until_tagged(Phase::Login, &tag)?.1)
    }
}
