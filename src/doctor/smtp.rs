//! The SMTP server, through the same bounded session as the check and the
//! test send (`net::SmtpSession`), every line recorded: EHLO, STARTTLS,
//! AUTH (the other login form after a refusal), then MAIL FROM / RCPT TO /
//! RSET without DATA, so a refusal shows with its code.

use super::ServerProbe;
use super::incoming::{other_login_form, trial};
use crate::account::{Account, Role};
use crate::check::Side;
use crate::net::{
    Deadline, NetError, NoSteps, Phase, SmtpSession, Tap, TlsSetup, Transcript, Wire,
};
use crate::secret::Secret;
use std::time::Instant;

pub(super) fn probe(
    acct: &Account,
    pw: Option<&Secret>,
    rcpt: Option<&str>,
    deadline: &Deadline,
    transcript: &Transcript,
) -> ServerProbe {
    let s = &acct.smtp;
    let mut p = ServerProbe::new(Side::Smtp, &s.host, s.port, s.security, Wire::Smtp);
    p.oauth2 = acct.signs_in_with_oauth2();
    let start = Instant::now();
    if let Err(e) = run(acct, pw, rcpt, deadline, transcript.tap("smtp"), &mut p) {
        if let NetError::Rejected {
            phase: Phase::Greeting,
            reply,
        } = &e
        {
            p.answered = Some(Wire::Smtp);
            p.greeting = Some(reply.text.clone());
        }
        p.fail(e);
    }
    p.ms = start.elapsed().as_millis() as u64;
    p
}

fn run(
    acct: &Account,
    pw: Option<&Secret>,
    rcpt: Option<&str>,
    deadline: &Deadline,
    tap: Tap,
    p: &mut ServerProbe,
) -> Result<(), NetError> {
    let s = &acct.smtp;
    let setup = TlsSetup::new(&s.host, &acct.trust_for(Role::Smtp))?;
    let mut session = SmtpSession::open(s, &setup, deadline, &mut NoSteps, Some(tap))?;
    p.answered = Some(Wire::Smtp);
    p.greeting = session.greeting.as_ref().map(|g| g.text.clone());
    p.cert = session.cert.clone();
    let secured = session.secure(s.security, &setup, &mut NoSteps);
    p.capabilities = session.capabilities.clone();
    if session.cert.is_some() {
        p.cert = session.cert.clone();
    }
    let r = secured
        .and_then(|()| login(acct, pw, &mut session, p))
        .and_then(|()| envelope(&mut session, p, &acct.email, rcpt));
    if r.is_ok() {
        let _ = session.quit(&mut NoSteps);
    }
    session.abort();
    r
}

/// The account's login (password or XOAUTH2), then the other login form
/// after a refusal of a password.
fn login(
    acct: &Account,
    pw: Option<&Secret>,
    session: &mut SmtpSession,
    p: &mut ServerProbe,
) -> Result<(), NetError> {
    let s = &acct.smtp;
    let Some(pw) = pw.filter(|_| s.auth_required) else {
        return Ok(());
    };
    p.login_needed = true;
    if acct.signs_in_with_oauth2() {
        let r = session.login_oauth(&s.username, pw, &mut NoSteps);
        p.login = Some(trial(&s.username, &r));
        return r;
    }
    let first = session.login(&s.username, pw, &mut NoSteps);
    p.login = Some(trial(&s.username, &first));
    let Err(e) = first else { return Ok(()) };
    let other = matches!(e, NetError::AuthFailed { .. })
        .then(|| other_login_form(&s.username, &acct.email))
        .flatten();
    let Some(other) = other else { return Err(e) };
    let second = session.login(&other, pw, &mut NoSteps);
    p.other_login = Some(trial(&other, &second));
    match second {
        Ok(()) => Ok(()),
        Err(_) => Err(e),
    }
}

fn envelope(
    session: &mut SmtpSession,
    p: &mut ServerProbe,
    from: &str,
    rcpt: Option<&str>,
) -> Result<(), NetError> {
    let positive = |r: &crate::net::Reply| r.code.is_some_and(|c| c / 100 == 2);
    let reply = session.mail_from(from, false)?;
    p.mail_from = Some(reply.clone());
    if !positive(&reply) {
        return Err(NetError::Rejected {
            phase: Phase::Mail,
            reply,
        });
    }
    if let Some(to) = rcpt {
        let reply = session.rcpt_to(to)?;
        p.rcpt_to = Some(reply.clone());
        if !positive(&reply) {
            let _ = session.rset();
            return Err(NetError::Rejected {
                phase: Phase::Rcpt,
                reply,
            });
        }
    }
    let _ = session.rset();
    Ok(())
}
