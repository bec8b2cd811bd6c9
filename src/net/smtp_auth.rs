//! SMTP AUTH: PLAIN, else LOGIN, for passwords; XOAUTH2 for OAuth2 access
//! tokens, whose error challenge (`334 <JSON>`) is answered with an empty
//! line so the server's real final reply (535 …) is read and shown. The
//! secret only goes into the bytes written (the transcript redacts the
//! login phase) and is wiped after.

use super::error::{NetError, Reply};
use super::imap_parse::wipe;
use super::smtp::SmtpSession;
use super::smtp_reply::{Answer, auth_mechanisms, read_answer};
use super::{Phase, StepDetail, StepSink, step};
use crate::secret::Secret;
use base64::Engine;

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

impl SmtpSession {
    /// Logs in with a password (AUTH PLAIN, else AUTH LOGIN).
    pub fn login(
        &mut self,
        user: &str,
        password: &Secret,
        sink: &mut dyn StepSink,
    ) -> Result<(), NetError> {
        let deadline = self.conn.deadline().clone();
        step(sink, &deadline, Phase::Login, || {
            let (mechanism, reply) = self.auth_password(user, password)?;
            Ok((
                (),
                StepDetail::Login {
                    mechanism: mechanism.to_string(),
                    reply,
                },
            ))
        })
    }

    /// Logs in with an OAuth2 access token (AUTH XOAUTH2).
    pub fn login_oauth(
        &mut self,
        user: &str,
        token: &Secret,
        sink: &mut dyn StepSink,
    ) -> Result<(), NetError> {
        let deadline = self.conn.deadline().clone();
        step(sink, &deadline, Phase::Login, || {
            let reply = self.auth_xoauth2(user, token)?;
            Ok((
                (),
                StepDetail::Login {
                    mechanism: "AUTH XOAUTH2".into(),
                    reply,
                },
            ))
        })
    }

    /// The failure when none of the mechanisms mailwiz knows is offered.
    fn not_offered(&self, offered: &[String]) -> NetError {
        if !self.conn.is_tls() {
            NetError::LoginDisabled
        } else if offered.is_empty() {
            NetError::Protocol {
                phase: Phase::Login,
                problem: super::Problem::NoAuth,
            }
        } else {
            NetError::Unsupported {
                what: offered.join(" "),
            }
        }
    }

    /// What a non-235 final reply to AUTH means.
    fn refusal(&self, a: &Answer) -> NetError {
        let reply = a.reply();
        match a.code {
            530 | 538 | 523 if !self.conn.is_tls() => NetError::LoginDisabled,
            500..=599 => NetError::AuthFailed { reply },
            _ => NetError::Rejected {
                phase: Phase::Login,
                reply,
            },
        }
    }

    /// Sends one line holding a secret (wiped after) and reads the reply.
    fn secret_line(&mut self, mut line: String) -> Result<Answer, NetError> {
        line.push_str("\r\n");
        let sent = self.conn.send(Phase::Login, line.as_bytes());
        wipe(line);
        sent?;
        read_answer(&mut self.conn, Phase::Login)
    }

    /// The mechanism used and the server's `235` reply.
    fn auth_password(
        &mut self,
        user: &str,
        password: &Secret,
    ) -> Result<(&'static str, Reply), NetError> {
        let offered = auth_mechanisms(&self.capabilities);
        let plain = offered.iter().any(|m| m == "PLAIN");
        if !plain && !offered.iter().any(|m| m == "LOGIN") {
            return Err(self.not_offered(&offered));
        }
        let answer = if plain {
            let payload = super::sasl::plain(user, password.expose());
            let line = format!("AUTH PLAIN {payload}");
            wipe(payload);
            self.secret_line(line)?
        } else {
            let a = self.command(Phase::Login, "AUTH LOGIN")?;
            if a.code != 334 {
                return Err(self.refusal(&a));
            }
            let a = self.secret_line(b64(user.as_bytes()))?;
            if a.code != 334 {
                return Err(self.refusal(&a));
            }
            self.secret_line(b64(password.expose().as_bytes()))?
        };
        let mechanism = if plain { "AUTH PLAIN" } else { "AUTH LOGIN" };
        if answer.code == 235 {
            Ok((mechanism, answer.reply()))
        } else {
            Err(self.refusal(&answer))
        }
    }

    fn auth_xoauth2(&mut self, user: &str, token: &Secret) -> Result<Reply, NetError> {
        let offered = auth_mechanisms(&self.capabilities);
        if !offered.iter().any(|m| m == "XOAUTH2") {
            return Err(if self.conn.is_tls() {
                NetError::Unsupported {
                    what: "XOAUTH2".into(),
                }
            } else {
                NetError::LoginDisabled
            });
        }
        let line = format!(
            "AUTH XOAUTH2 {}",
            super::sasl::xoauth2(user, token.expose())
        );
        let mut a = self.secret_line(line)?;
        if a.code == 334 {
            // The error challenge: an empty answer ends the exchange.
            a = self.secret_line(String::new())?;
        }
        if a.code == 235 {
            Ok(a.reply())
        } else {
            Err(self.refusal(&a))
        }
    }
}
