//! POP3 login: USER/PASS or AUTH PLAIN, and the OAuth2 mechanisms.

use super::{Pop3Session, login_refusal};
use crate::net::error::{NetError, Reply};
use crate::net::imap_parse::wipe;
use crate::net::{Phase, StepDetail, StepSink, clean_text, step};
use crate::oauth::OauthMechanism;
use crate::secret::Secret;

impl Pop3Session {
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
                    problem: crate::net::Problem::LineBreak,
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
        let mut msg = crate::oauth::sasl::plain(user, password.expose());
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
                        problem: crate::net::Problem::NoOauthMechanism,
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
}
