//! The incoming server (IMAP or POP3), through the same sessions as the
//! check, with every line recorded and a second login form tried after a
//! refusal.

use super::{LoginTrial, ServerProbe};
use crate::account::{Account, AuthMethod, Protocol, domain_of, local_part};
use crate::check::{Incoming, Side};
use crate::net::{Deadline, NetError, Phase, StepDetail, StepSink, Tap, Transcript, Wire};
use crate::secret::Secret;
use std::time::Instant;

/// Keeps what the steps saw that a failed session no longer holds.
#[derive(Default)]
struct Seen {
    greeting: Option<String>,
    capabilities: Option<Vec<String>>,
}

impl StepSink for Seen {
    fn started(&mut self, _: Phase) {}
    fn finished(&mut self, phase: Phase, ok: bool, detail: StepDetail, _: u64) {
        match (phase, ok, detail) {
            (Phase::Greeting, true, StepDetail::Reply { reply }) => {
                self.greeting = Some(reply.text);
            }
            (Phase::Capabilities, true, StepDetail::Capabilities { list }) => {
                self.capabilities = Some(list);
            }
            _ => {}
        }
    }
}

/// The other usual login for this account: the local part when the login
/// is a full address, the full address when it is not.
pub(crate) fn other_login_form(username: &str, email: &str) -> Option<String> {
    let username = username.trim();
    let other = if username.contains('@') {
        local_part(username).to_string()
    } else if local_part(email).eq_ignore_ascii_case(username) {
        email.trim().to_string()
    } else {
        format!("{username}@{}", domain_of(email))
    };
    (!other.is_empty() && !other.eq_ignore_ascii_case(username) && !other.ends_with('@'))
        .then_some(other)
}

pub(super) fn probe(
    acct: &Account,
    pw: Option<&Secret>,
    deadline: &Deadline,
    transcript: &Transcript,
) -> ServerProbe {
    let s = &acct.incoming;
    let expected = match s.protocol {
        Protocol::Imap => Wire::Imap,
        Protocol::Pop3 => Wire::Pop3,
    };
    let mut p = ServerProbe::new(Side::Incoming, &s.host, s.port, s.security, expected);
    p.oauth2 = s.auth == AuthMethod::Oauth2;
    let start = Instant::now();
    run(acct, pw, deadline, transcript.tap("incoming"), &mut p);
    p.ms = start.elapsed().as_millis() as u64;
    p
}

fn run(acct: &Account, pw: Option<&Secret>, deadline: &Deadline, tap: Tap, p: &mut ServerProbe) {
    let s = &acct.incoming;
    let mut seen = Seen::default();
    let opened = Incoming::connect(acct, deadline, &mut seen, Some(tap));
    p.greeting = seen.greeting.clone();
    let mut session = match opened {
        Ok(session) => session,
        Err(e) => {
            if let Some(caps) = seen.capabilities.take() {
                p.capabilities = caps;
            }
            if p.greeting.is_some() {
                p.answered = Some(p.expected);
            }
            return p.fail(e);
        }
    };
    p.answered = Some(p.expected);
    p.capabilities = session.capabilities();
    p.cert = session.cert();
    match (s.auth, pw) {
        (AuthMethod::Oauth2, Some(token)) => {
            p.login_needed = true;
            let r = session.login_oauth(&s.username, token, None, &mut seen);
            p.login = Some(trial(&s.username, &r));
            if let Err(e) = r {
                p.fail(e);
            }
        }
        (AuthMethod::Oauth2, None) => p.fail(NetError::Unsupported {
            what: "OAuth2".into(),
        }),
        (AuthMethod::Password, Some(pw)) => {
            p.login_needed = true;
            login(&mut session, &s.username, &acct.email, pw, &mut seen, p);
            if p.error.is_none() {
                p.capabilities = session.capabilities();
            }
        }
        _ => {}
    }
    let _ = session.close(&mut crate::net::NoSteps);
}

fn login(
    session: &mut Incoming,
    user: &str,
    email: &str,
    pw: &Secret,
    seen: &mut Seen,
    p: &mut ServerProbe,
) {
    let first = session.login(user, pw, seen);
    p.login = Some(trial(user, &first));
    let Err(e) = first else { return };
    if !matches!(e, NetError::AuthFailed { .. }) {
        return p.fail(e);
    }
    let Some(other) = other_login_form(user, email) else {
        return p.fail(e);
    };
    let second = session.login(&other, pw, seen);
    p.other_login = Some(trial(&other, &second));
    if second.is_err() {
        p.fail(e);
    }
}

pub(crate) fn trial(user: &str, r: &Result<(), NetError>) -> LoginTrial {
    LoginTrial {
        user: user.to_string(),
        ok: r.is_ok(),
        error: r.as_ref().err().cloned(),
    }
}

#[cfg(test)]
mod tests {
    use super::other_login_form;

    #[test]
    fn other_forms() {
        let o = |u, e| other_login_form(u, e);
        assert_eq!(
            o("carol@example.test", "carol@example.test").as_deref(),
            Some("carol")
        );
        assert_eq!(
            o("carol", "carol@example.test").as_deref(),
            Some("carol@example.test")
        );
        assert_eq!(
            o("bob", "carol@example.test").as_deref(),
            Some("bob@example.test")
        );
        assert_eq!(o("@x", "y"), None);
    }
}
